//! Comparing two texts line by line, and within a changed line word by word.
//!
//! A Markdown paragraph is one line, so a line diff alone marks a whole paragraph for one
//! changed word. Each deleted or inserted line that has a similar counterpart therefore
//! also carries its words, the changed ones marked (`similar`'s inline changes), so that
//! Compare, History and the review queue can show just the word.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::error::Result;
use crate::workspace::Workspace;

/// One line of a diff: `tag` is `equal`, `insert` or `delete`; `text` has no line break.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    #[cfg_attr(feature = "ts", ts(type = r#""equal" | "insert" | "delete""#))]
    pub tag: &'static str,
    pub text: String,
    /// `text` in pieces, `changed` marking what differs from the counterpart line (the
    /// line it replaced or was replaced by). Empty when the whole line is the change (no
    /// similar counterpart) or nothing changed (`equal`); joined, the pieces are `text`.
    pub words: Vec<DiffWords>,
}

/// A run of a changed line: changed words, or words it shares with its counterpart.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffWords {
    pub changed: bool,
    pub text: String,
}

fn tag_name(tag: ChangeTag) -> &'static str {
    match tag {
        ChangeTag::Equal => "equal",
        ChangeTag::Insert => "insert",
        ChangeTag::Delete => "delete",
    }
}

fn without_break(s: &str) -> &str {
    s.trim_end_matches(['\n', '\r'])
}

/// The lines that turn `old` into `new`, each without its line break; a changed line
/// similar enough to its counterpart (`similar`'s threshold: half its words) also
/// gets its [`DiffWords`].
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    let diff = TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for op in diff.ops() {
        for change in diff.iter_inline_changes(op) {
            let text: String = change.iter_strings_lossy().map(|(_, s)| s).collect();
            let text = without_break(&text).to_owned();
            let partly = change.tag() != ChangeTag::Equal
                && change.iter_strings_lossy().any(|(emph, _)| !emph)
                && change.iter_strings_lossy().any(|(emph, _)| emph);
            let mut words: Vec<DiffWords> = Vec::new();
            if partly {
                for (changed, s) in change.iter_strings_lossy() {
                    let s = if s.ends_with('\n') {
                        without_break(&s)
                    } else {
                        &s
                    };
                    if s.is_empty() {
                        continue;
                    }
                    match words.last_mut() {
                        Some(last) if last.changed == changed => last.text.push_str(s),
                        _ => words.push(DiffWords {
                            changed,
                            text: s.to_owned(),
                        }),
                    }
                }
            }
            out.push(DiffLine {
                tag: tag_name(change.tag()),
                text,
                words,
            });
        }
    }
    out
}

impl Workspace {
    /// The lines that turn revision `id` of `path` into `current` (the editor's text).
    pub fn revision_diff(&self, path: &str, id: i64, current: &str) -> Result<Vec<DiffLine>> {
        let old = self.revision_text(path, id)?;
        Ok(diff_lines(&old, current))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_lines_are_tagged() {
        let d = diff_lines("a\nb\nc\n", "a\nB\nc\n");
        let tags: Vec<_> = d.iter().map(|l| (l.tag, l.text.as_str())).collect();
        assert_eq!(
            tags,
            [
                ("equal", "a"),
                ("delete", "b"),
                ("insert", "B"),
                ("equal", "c")
            ]
        );
    }

    /// Only the changed word of a long paragraph is marked, on both sides.
    #[test]
    fn one_changed_word_in_a_long_paragraph_is_marked_alone() {
        let para = "The council met on Tuesday evening to discuss the budget for the coming year, \
                    and after a long debate the members agreed to fund the new library.";
        let changed = para.replace("Tuesday", "Wednesday");
        let d = diff_lines(
            &format!("Title\n\n{para}\n"),
            &format!("Title\n\n{changed}\n"),
        );
        let tags: Vec<_> = d.iter().map(|l| l.tag).collect();
        assert_eq!(tags, ["equal", "equal", "delete", "insert"]);
        let marked = |l: &DiffLine| -> Vec<String> {
            l.words
                .iter()
                .filter(|w| w.changed)
                .map(|w| w.text.clone())
                .collect()
        };
        assert_eq!(marked(&d[2]), ["Tuesday"]);
        assert_eq!(marked(&d[3]), ["Wednesday"]);
        for l in &d[2..] {
            let joined: String = l.words.iter().map(|w| w.text.as_str()).collect();
            assert_eq!(joined, l.text, "the pieces make the line");
        }
        assert!(d[..2].iter().all(|l| l.words.is_empty()));
    }

    /// A line with nothing in common with its counterpart is the change as a whole.
    #[test]
    fn an_unrelated_replacement_has_no_words() {
        let d = diff_lines("alpha beta gamma\n", "one two three four\n");
        assert_eq!(d.len(), 2);
        assert!(
            d.iter().all(|l| l.tag != "equal" && l.words.is_empty()),
            "{d:?}"
        );
        let d = diff_lines("a\n", "a\nnew line\n");
        assert_eq!(d[1].tag, "insert");
        assert!(d[1].words.is_empty());
    }

    #[test]
    fn serialises_as_tag_and_text() {
        let d = diff_lines("a\n", "a\n");
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            r#"[{"tag":"equal","text":"a","words":[]}]"#
        );
    }

    #[test]
    fn revision_diff_compares_a_stored_revision_with_the_current_text() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(&root).unwrap();
        let (mut ws, _) =
            Workspace::open_with_index(&root, &dir.path().join("idx.sqlite3")).unwrap();
        ws.save("a.md", "one\ntwo\n", None).unwrap();
        let id = ws.history("a.md").unwrap()[0].id;
        let d = ws.revision_diff("a.md", id, "one\n2\n").unwrap();
        let tags: Vec<_> = d.iter().map(|l| (l.tag, l.text.as_str())).collect();
        assert_eq!(tags, [("equal", "one"), ("delete", "two"), ("insert", "2")]);
        assert!(ws.revision_diff("a.md", id + 1000, "x").is_err());
    }
}
