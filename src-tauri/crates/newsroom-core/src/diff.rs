//! Comparing a revision with the editor's text, line by line.

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
}

/// The lines that turn `old` into `new`, each without its line break.
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|change| DiffLine {
            tag: match change.tag() {
                ChangeTag::Equal => "equal",
                ChangeTag::Insert => "insert",
                ChangeTag::Delete => "delete",
            },
            text: change.value().trim_end_matches(['\n', '\r']).to_owned(),
        })
        .collect()
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

    #[test]
    fn serialises_as_tag_and_text() {
        let d = diff_lines("a\n", "a\n");
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            r#"[{"tag":"equal","text":"a"}]"#
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
