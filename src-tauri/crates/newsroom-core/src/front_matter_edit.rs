//! Metadata edits that rewrite only what changed.
//!
//! A changed key's lines are replaced; every other line of the front matter (unknown keys,
//! comments, quoting style) and every byte of the body stay as they were, so a shared
//! folder under git or Syncthing sees a one-line diff, not a reformatted file.

use crate::draft::{Draft, FrontMatterFormat};
use crate::error::DraftError;
use crate::yaml::{self, Value};

pub use crate::front_matter_change::Change;

/// Applies `changes` to the draft and returns the new text of the whole file.
///
/// Returns the original text unchanged when every change is a no-op (setting a key to
/// the value it has), so callers can skip the write.
pub fn apply(draft: &Draft, changes: &[Change]) -> Result<String, DraftError> {
    let layout = draft.layout();
    let le = layout.line_ending.as_str();
    let text = draft.text();
    // Several changes to one key: the last one wins.
    let mut last_per_key: Vec<&Change> = Vec::new();
    for change in changes {
        last_per_key.retain(|c| c.key() != change.key());
        last_per_key.push(change);
    }
    let changes: Vec<&Change> = last_per_key
        .into_iter()
        .filter(|c| !is_noop(draft, c))
        .collect();
    if changes.is_empty() {
        return Ok(text.to_owned());
    }

    let new_text = match (&layout.front_matter, draft.yaml_document()) {
        (Some(range), Some(doc)) => {
            let fm_text = &text[range.clone()];
            let new_fm = match layout.format {
                FrontMatterFormat::Yaml if surgical_edit_possible(doc, fm_text) => {
                    edit_lines(fm_text, doc, &changes, le)
                }
                FrontMatterFormat::Yaml => rebuild(&doc.root, &changes, le),
                FrontMatterFormat::Toml => {
                    with_line_ending(crate::front_matter_toml::edit(fm_text, &changes)?, le)
                }
                FrontMatterFormat::Json => {
                    crate::front_matter_json::rebuild(fm_text, &doc.root, &changes, le)
                }
            };
            let mut out = String::with_capacity(text.len() + 64);
            out.push_str(&text[..range.start]);
            out.push_str(&new_fm);
            out.push_str(&text[range.end..]);
            out
        }
        _ => {
            let bom_len = if layout.bom { '\u{feff}'.len_utf8() } else { 0 };
            let mut out = String::with_capacity(text.len() + 128);
            out.push_str(&text[..bom_len]);
            out.push_str("---");
            out.push_str(le);
            out.push_str(&rebuild(&Value::Null, &changes, le));
            out.push_str("---");
            out.push_str(le);
            out.push_str(&text[bom_len..]);
            out
        }
    };

    // Belt and braces: the result must parse and its body must be the old body, byte for byte.
    let reparsed = Draft::parse(&new_text)?;
    if reparsed.body() != draft.body() {
        return Err(DraftError::whole_file(
            "internal error: a metadata change would have altered the body; nothing was written",
        ));
    }
    Ok(new_text)
}

/// `toml_edit` writes `\n` in the lines it adds; a CRLF file gets `\r\n` there too.
fn with_line_ending(text: String, le: &str) -> String {
    if le == "\n" {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut prev = '\0';
    for c in text.chars() {
        if c == '\n' && prev != '\r' {
            out.push('\r');
        }
        out.push(c);
        prev = c;
    }
    out
}

fn is_noop(draft: &Draft, change: &Change) -> bool {
    match change {
        Change::Set(key, value) => draft.front_matter_value(key) == Some(value),
        Change::Remove(key) => draft.front_matter_value(key).is_none(),
    }
}

/// Line edits need every top-level key to start its own line at column 0 (block style).
/// Lines can be replaced and appended in place only in a mapping written one key per line
/// at the left edge, or in a front matter with nothing but blank lines and comments. An
/// empty value written out (`~`, `null`, an anchor alone like `&a`) is rebuilt instead:
/// a key appended after it would change what it means.
fn surgical_edit_possible(doc: &yaml::Document, yaml_text: &str) -> bool {
    let empty = || {
        yaml_text
            .lines()
            .map(str::trim)
            .all(|l| l.is_empty() || l.starts_with('#'))
    };
    (matches!(doc.root, Value::Map(_)) || matches!(doc.root, Value::Null) && empty())
        && doc.keys.iter().all(|k| k.key_col == 0)
        && doc.keys.windows(2).all(|w| w[0].key_line < w[1].key_line)
}

fn edit_lines(yaml_text: &str, doc: &yaml::Document, changes: &[&Change], le: &str) -> String {
    let lines: Vec<&str> = yaml_text.split_inclusive('\n').collect();
    // replacement[i] = Some(text) replaces line i (0-based); a span's other lines become "".
    let mut replaced: Vec<Option<String>> = vec![None; lines.len()];
    let mut appended = String::new();

    for change in changes {
        let Some(pos) = doc.keys.iter().position(|k| k.key == change.key()) else {
            if let Change::Set(key, value) = change {
                appended.push_str(&yaml::emit_entry(key, value, le));
            }
            continue;
        };
        let first = doc.keys[pos].key_line - 1;
        let next = doc
            .keys
            .get(pos + 1)
            .map_or(lines.len(), |k| k.key_line - 1);
        let mut last = next.max(first + 1) - 1;
        while last > first && is_blank_or_comment(lines[last]) {
            last -= 1;
        }
        replaced[first] = Some(match change {
            Change::Set(key, value) => yaml::emit_entry(key, value, le),
            Change::Remove(_) => String::new(),
        });
        for slot in replaced.iter_mut().take(last + 1).skip(first + 1) {
            *slot = Some(String::new());
        }
    }

    let mut out = String::with_capacity(yaml_text.len() + appended.len());
    for (line, replacement) in lines.iter().zip(&replaced) {
        match replacement {
            Some(r) => out.push_str(r),
            None => out.push_str(line),
        }
    }
    if !appended.is_empty() {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(le);
        }
        out.push_str(&appended);
    }
    out
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || (t.starts_with('#') && !line.starts_with(' '))
}

/// Writes a whole front matter from `root` with the changes applied (comments are lost;
/// used only for flow-style front matter, which line edits cannot address).
fn rebuild(root: &Value, changes: &[&Change], le: &str) -> String {
    let mut entries: Vec<(String, Value)> = match root {
        Value::Map(entries) => entries.clone(),
        _ => Vec::new(),
    };
    for change in changes {
        match change {
            Change::Set(key, value) => match entries.iter_mut().find(|(k, _)| k == key) {
                Some(entry) => entry.1 = value.clone(),
                None => entries.push((key.clone(), value.clone())),
            },
            Change::Remove(key) => entries.retain(|(k, _)| k != key),
        }
    }
    entries
        .iter()
        .map(|(k, v)| yaml::emit_entry(k, v, le))
        .collect()
}

/// Status changes belong to the workflow: a metadata edit that would change `status`
/// is refused, so neither the app's sidebar nor `newsroom set` can skip a step or leave
/// no trail entry. Setting the status a draft already has is harmless and allowed.
pub fn refuse_status_edit(draft: &Draft, changes: &[Change]) -> Result<(), DraftError> {
    for change in changes {
        let (key, to) = match change {
            Change::Set(key, value) => (key, value.scalar_text()),
            Change::Remove(key) => (key, None),
        };
        if key != "status" {
            continue;
        }
        let from = draft.front_matter.status;
        if to.as_deref() == Some(from.as_str()) {
            continue;
        }
        let wanted = to.unwrap_or_else(|| "no status".into());
        return Err(DraftError {
            line: draft.key_line("status"),
            message: format!(
                "the status changes through the review workflow, which records who moved \
                 the piece and when: use `newsroom transition FILE --to {wanted}` (or \
                 submit, approve, request-changes) or the app's Status menu"
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "---\n# desk notes stay\ntitle: Minsk talks stall\ntags:\n  - Belarus\n  - Russia\n\n# bookkeeping\nx-custom: {keep: me}\nstatus: draft\n---\n\nBody stays *exactly*.\n";

    fn apply_to(text: &str, changes: &[Change]) -> String {
        apply(&Draft::parse(text).unwrap(), changes).unwrap()
    }

    #[test]
    fn replaces_only_the_changed_key() {
        let out = apply_to(
            SAMPLE,
            &[Change::set_list(
                "tags",
                ["Belarus", "Russia", "Ukraine War updates"],
            )],
        );
        assert_eq!(
            out,
            "---\n# desk notes stay\ntitle: Minsk talks stall\ntags:\n  - Belarus\n  - Russia\n  - Ukraine War updates\n\n# bookkeeping\nx-custom: {keep: me}\nstatus: draft\n---\n\nBody stays *exactly*.\n"
        );
    }

    #[test]
    fn adds_and_removes_keys() {
        let out = apply_to(
            SAMPLE,
            &[
                Change::Remove("tags".into()),
                Change::set_text("author", "Ana Kovač"),
            ],
        );
        assert_eq!(
            out,
            "---\n# desk notes stay\ntitle: Minsk talks stall\n\n# bookkeeping\nx-custom: {keep: me}\nstatus: draft\nauthor: Ana Kovač\n---\n\nBody stays *exactly*.\n"
        );
    }

    #[test]
    fn noop_returns_the_same_text() {
        assert_eq!(
            apply_to(SAMPLE, &[Change::set_text("status", "draft")]),
            SAMPLE
        );
    }

    #[test]
    fn creates_front_matter_when_missing_keeping_bom_and_crlf() {
        let out = apply_to(
            "\u{feff}# Head\r\n\r\nText\r\n",
            &[Change::set_text("title", "Head")],
        );
        assert_eq!(
            out,
            "\u{feff}---\r\ntitle: Head\r\n---\r\n# Head\r\n\r\nText\r\n"
        );
    }

    #[test]
    fn keeps_crlf_in_front_matter() {
        let out = apply_to(
            "---\r\ntitle: a\r\nstatus: draft\r\n---\r\nBody\r\n",
            &[Change::set_text("title", "b: c")],
        );
        assert_eq!(
            out,
            "---\r\ntitle: \"b: c\"\r\nstatus: draft\r\n---\r\nBody\r\n"
        );
    }

    #[test]
    fn the_last_change_to_a_key_wins() {
        let out = apply_to(
            "---\ntitle: a\n---\nB\n",
            &[
                Change::set_text("slug", "x"),
                Change::set_text("slug", "z"),
                Change::set_text("title", "b"),
                Change::Remove("title".into()),
            ],
        );
        assert_eq!(out, "---\nslug: z\n---\nB\n");
    }

    #[test]
    fn flow_front_matter_is_rebuilt() {
        let out = apply_to(
            "---\n{title: a, tags: [x]}\n---\nBody\n",
            &[Change::set_text("title", "b")],
        );
        assert_eq!(out, "---\ntitle: b\ntags:\n  - x\n---\nBody\n");
    }

    #[test]
    fn multi_line_scalars_are_replaced_whole() {
        let text = "---\nexcerpt: >\n  A long\n  folded excerpt\nslug: s\n---\nB\n";
        let out = apply_to(text, &[Change::set_text("excerpt", "Short")]);
        assert_eq!(out, "---\nexcerpt: Short\nslug: s\n---\nB\n");
    }
}
