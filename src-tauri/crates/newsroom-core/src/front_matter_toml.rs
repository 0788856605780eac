//! TOML front matter (Hugo's `+++` blocks): read into the same [`yaml::Document`] the
//! YAML loader gives, and edited in place with `toml_edit` so that a TOML file stays TOML,
//! with its comments, quoting and key order.
//!
//! Bounded like the YAML loader: the text is at most [`yaml::MAX_EXPANDED_BYTES`] (TOML
//! has no aliases, so its text is all it can hold), at most [`yaml::MAX_NODES`] values and
//! [`yaml::MAX_DEPTH`] levels; `toml_edit`'s own recursion guard stops deeper input while
//! parsing, before any of it is built.

use toml_edit::{Item, Table};

use crate::error::DraftError;
use crate::yaml::{self, KeySpan, Value};

/// Parses TOML front matter. Lines in errors are 1-based lines of `text`.
pub fn parse(text: &str) -> Result<yaml::Document, DraftError> {
    check_size(text, "TOML")?;
    let doc = toml_edit::Document::parse(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_at(text, s.start));
        DraftError::at(
            line,
            format!("front matter is not valid TOML: {}", e.message().trim_end()),
        )
    })?;
    let mut budget = Budget::default();
    let lines = Lines::new(text);
    let root = doc.as_table();
    let mut entries = Vec::new();
    let mut keys = Vec::new();
    for (key, item) in root.iter() {
        let key_line = root
            .key(key)
            .and_then(|k| k.span())
            .or_else(|| item.span())
            .map_or(1, |s| lines.line_at(s.start));
        let value_line = item.span().map_or(key_line, |s| lines.line_at(s.start));
        let value = item_value(item, &mut budget, 1).map_err(|m| DraftError::at(key_line, m))?;
        keys.push(KeySpan {
            key: key.to_owned(),
            key_line,
            key_col: 0,
            value_line: value_line.max(key_line),
        });
        entries.push((key.to_owned(), value));
    }
    keys.sort_by_key(|k| k.key_line);
    Ok(yaml::Document {
        root: if entries.is_empty() {
            Value::Null
        } else {
            Value::Map(entries)
        },
        keys,
    })
}

/// Refuses front matter text larger than the loaded-size cap before parsing it.
pub(crate) fn check_size(text: &str, format: &str) -> Result<(), DraftError> {
    if text.len() > yaml::MAX_EXPANDED_BYTES {
        return Err(DraftError::at(
            1,
            format!(
                "{format} front matter is larger than {} KiB; refusing to load it",
                yaml::MAX_EXPANDED_BYTES / 1024
            ),
        ));
    }
    Ok(())
}

/// 1-based line of byte `offset` in `text`.
pub(crate) fn line_at(text: &str, offset: usize) -> usize {
    Lines::new(text).line_at(offset)
}

/// Where each line starts, so that the lines of many keys cost a binary search each and
/// not a scan of the text each (a front matter of thousands of keys stays fast).
pub(crate) struct Lines(Vec<usize>);

impl Lines {
    pub(crate) fn new(text: &str) -> Lines {
        Lines(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    /// 1-based line of byte `offset`: one more than the line breaks before it.
    pub(crate) fn line_at(&self, offset: usize) -> usize {
        self.0.partition_point(|&nl| nl < offset) + 1
    }
}

/// Counts values and depth as the YAML loader does.
#[derive(Default)]
pub(crate) struct Budget {
    nodes: usize,
}

impl Budget {
    pub(crate) fn take(&mut self, depth: usize) -> Result<(), String> {
        self.nodes += 1;
        if self.nodes > yaml::MAX_NODES {
            return Err(format!(
                "front matter expands to more than {} values; refusing to load it",
                yaml::MAX_NODES
            ));
        }
        if depth > yaml::MAX_DEPTH {
            return Err(format!(
                "front matter is nested more than {} levels deep",
                yaml::MAX_DEPTH
            ));
        }
        Ok(())
    }
}

fn item_value(item: &Item, budget: &mut Budget, depth: usize) -> Result<Value, String> {
    budget.take(depth)?;
    Ok(match item {
        Item::None => Value::Null,
        Item::Value(v) => value(v, budget, depth)?,
        Item::Table(t) => table_value(t, budget, depth)?,
        Item::ArrayOfTables(tables) => Value::List(
            tables
                .iter()
                .map(|t| {
                    budget.take(depth + 1)?;
                    table_value(t, budget, depth + 1)
                })
                .collect::<Result<_, _>>()?,
        ),
    })
}

fn table_value(table: &Table, budget: &mut Budget, depth: usize) -> Result<Value, String> {
    Ok(Value::Map(
        table
            .iter()
            .map(|(k, item)| Ok((k.to_owned(), item_value(item, budget, depth + 1)?)))
            .collect::<Result<_, String>>()?,
    ))
}

fn value(v: &toml_edit::Value, budget: &mut Budget, depth: usize) -> Result<Value, String> {
    use toml_edit::Value as T;
    Ok(match v {
        T::String(s) => Value::Str(s.value().clone()),
        T::Integer(i) => Value::Int(*i.value()),
        T::Float(f) => Value::Float(*f.value()),
        T::Boolean(b) => Value::Bool(*b.value()),
        // A TOML date-time (`date = 2026-12-01T08:00:00+01:00`) is text to the app, in
        // TOML's own RFC 3339 spelling.
        T::Datetime(d) => Value::Str(d.value().to_string()),
        T::Array(items) => Value::List(
            items
                .iter()
                .map(|item| {
                    budget.take(depth + 1)?;
                    value(item, budget, depth + 1)
                })
                .collect::<Result<_, _>>()?,
        ),
        T::InlineTable(t) => Value::Map(
            t.iter()
                .map(|(k, item)| {
                    budget.take(depth + 1)?;
                    Ok((k.to_owned(), value(item, budget, depth + 1)?))
                })
                .collect::<Result<_, String>>()?,
        ),
    })
}

/// Applies the changes to TOML front matter text and returns the new text. Lines other
/// than the changed keys' are kept as they were (comments, quoting, order); a changed
/// key keeps its place and the comment after its value.
pub fn edit(
    text: &str,
    changes: &[&crate::front_matter_change::Change],
) -> Result<String, DraftError> {
    use crate::front_matter_change::Change;
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| DraftError::at(1, e.message().to_owned()))?;
    for change in changes {
        match change {
            Change::Remove(key) | Change::Set(key, Value::Null) => {
                doc.remove(key);
            }
            Change::Set(key, new) => {
                let mut item = match new {
                    Value::Map(entries) => {
                        let mut table = Table::new();
                        for (k, v) in entries {
                            if let Some(v) = to_toml(v) {
                                table.insert(k, Item::Value(v));
                            }
                        }
                        Item::Table(table)
                    }
                    other => match to_toml(other) {
                        Some(v) => Item::Value(v),
                        None => continue,
                    },
                };
                // Keep the old value's trailing comment (`draft = true  # until Monday`).
                if let (Some(Item::Value(old)), Item::Value(v)) = (doc.get(key), &mut item) {
                    let suffix = old.decor().suffix().cloned();
                    if let Some(suffix) = suffix {
                        v.decor_mut().set_suffix(suffix);
                    }
                }
                match doc.get_mut(key) {
                    Some(slot) if slot.is_value() && item.is_value() => *slot = item,
                    _ => {
                        doc.remove(key);
                        doc.insert(key, item);
                    }
                }
            }
        }
    }
    Ok(doc.to_string())
}

/// TOML has no null: a `Null` in a list or table is left out.
fn to_toml(v: &Value) -> Option<toml_edit::Value> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => (*b).into(),
        Value::Int(i) => (*i).into(),
        Value::Float(f) => (*f).into(),
        Value::Str(s) => s.as_str().into(),
        Value::List(items) => {
            let array: toml_edit::Array = items.iter().filter_map(to_toml).collect();
            toml_edit::Value::Array(array)
        }
        Value::Map(entries) => {
            let mut table = toml_edit::InlineTable::new();
            for (k, v) in entries {
                if let Some(v) = to_toml(v) {
                    table.insert(k, v);
                }
            }
            toml_edit::Value::InlineTable(table)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_values_and_key_lines() {
        let doc = parse("title = \"Hugo post\"\n# note\ndate = 2026-12-01T08:00:00+01:00\ntags = [\"a\", \"b\"]\n\n[params]\nx = 1\n").unwrap();
        assert_eq!(doc.root.get("title"), Some(&Value::Str("Hugo post".into())));
        assert_eq!(
            doc.root.get("date"),
            Some(&Value::Str("2026-12-01T08:00:00+01:00".into()))
        );
        assert_eq!(
            doc.root.get("params"),
            Some(&Value::Map(vec![("x".into(), Value::Int(1))]))
        );
        let lines: Vec<_> = doc
            .keys
            .iter()
            .map(|k| (k.key.as_str(), k.key_line))
            .collect();
        assert_eq!(
            lines,
            [("title", 1), ("date", 3), ("tags", 4), ("params", 6)]
        );
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse("title = \"ok\"\ntags = [\"a\",\n  oops\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err:?}");
        assert!(err.message.contains("not valid TOML"), "{}", err.message);
        let dup = parse("title = \"a\"\ntitle = \"b\"\n").unwrap_err();
        assert_eq!(dup.line, Some(2), "{dup:?}");
    }

    #[test]
    fn hostile_toml_is_bounded() {
        let deep = format!("x = {}1{}\n", "[".repeat(200), "]".repeat(200));
        assert!(parse(&deep).is_err());
        let dotted = format!("{} = 1\n", vec!["a"; 5000].join("."));
        assert!(parse(&dotted).is_err());
        let wide = format!("x = [{}]\n", vec!["1"; 20_000].join(","));
        assert!(parse(&wide).unwrap_err().message.contains("10000"));
        let huge = format!("x = \"{}\"\n", "a".repeat(yaml::MAX_EXPANDED_BYTES));
        assert!(parse(&huge).unwrap_err().message.contains("larger than"));
    }
}
