//! JSON front matter (Hugo's leading `{ … }` object): located, read into the same
//! [`yaml::Document`] the YAML loader gives, and written back as JSON.
//!
//! Bounded like the YAML loader: the object is at most [`yaml::MAX_EXPANDED_BYTES`] of
//! text (the scan for its closing brace stops there), at most [`yaml::MAX_NODES`] values
//! and [`yaml::MAX_DEPTH`] levels (serde_json's own recursion limit stops deeper input
//! before it reaches us).

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::DraftError;
use crate::front_matter_toml::{Budget, Lines, check_size};
use crate::yaml::{self, KeySpan, Value};

/// Whether `line` (the file's first line, BOM removed) opens a JSON front matter: `{`
/// followed by nothing, a key's quote or the closing brace, so that a body starting with
/// a template `{{ … }}` or text in braces is not mistaken for one.
pub fn opens(line: &str) -> bool {
    let Some(rest) = line.strip_prefix('{') else {
        return false;
    };
    matches!(
        rest.trim_start().chars().next(),
        None | Some('"') | Some('}')
    )
}

/// Finds the end of the object that starts at byte 0 of `text`: the offset just past its
/// closing `}`. Strings and escapes are skipped, so a `}` inside a value does not end it.
pub fn object_end(text: &str) -> Result<usize, DraftError> {
    let bytes = text.as_bytes();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &b) in bytes.iter().enumerate() {
        if i > yaml::MAX_EXPANDED_BYTES {
            break;
        }
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Ok(i + 1);
                }
            }
            _ => {}
        }
    }
    check_size(
        text.get(..=yaml::MAX_EXPANDED_BYTES).unwrap_or(text),
        "JSON",
    )?;
    Err(DraftError::at(
        1,
        "JSON front matter opened with `{` on line 1 is never closed: add the closing `}` on a line of its own after the last key",
    ))
}

/// Parses the JSON object (the whole of `text`). Lines are 1-based lines of `text`.
pub fn parse(text: &str) -> Result<yaml::Document, DraftError> {
    check_size(text, "JSON")?;
    let mut budget = Budget::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let root = ValueSeed {
        budget: &mut budget,
        depth: 0,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v))
    .map_err(|e| {
        // An error found at a line break (`"draft": tru⏎`) is reported at column 0 of
        // the next line; the reader's mistake is on the line before.
        let line = if e.column() == 0 {
            e.line() - 1
        } else {
            e.line()
        };
        DraftError::at(
            line.max(1),
            format!("front matter is not valid JSON: {e}")
                .replace(&format!(" at line {} column {}", e.line(), e.column()), ""),
        )
    })?;
    let Value::Map(_) = root else {
        return Err(DraftError::at(
            1,
            format!("JSON front matter must be an object, found {}", root.kind()),
        ));
    };
    Ok(yaml::Document {
        keys: top_keys(text),
        root,
    })
}

/// The top-level keys of the object and their lines, in the order written.
fn top_keys(text: &str) -> Vec<KeySpan> {
    let bytes = text.as_bytes();
    let lines = Lines::new(text);
    let mut keys = Vec::new();
    let (mut depth, mut expect_key, mut string_start) = (0usize, false, None::<usize>);
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if let Some(start) = string_start {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => {
                    string_start = None;
                    if depth == 1 && expect_key {
                        expect_key = false;
                        if let Ok(key) = serde_json::from_str::<String>(&text[start..=i]) {
                            let line = lines.line_at(start);
                            keys.push(KeySpan {
                                key,
                                key_line: line,
                                key_col: 0,
                                value_line: line,
                            });
                        }
                    }
                }
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => string_start = Some(i),
            b'{' | b'[' => {
                depth += 1;
                expect_key = depth == 1;
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expect_key = true,
            _ => {}
        }
    }
    keys
}

struct ValueSeed<'b> {
    budget: &'b mut Budget,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.budget
            .take(self.depth + 1)
            .map_err(serde::de::Error::custom)?;
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(ValueSeed {
            budget: &mut *self.budget,
            depth: self.depth + 1,
        })? {
            items.push(v);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries: Vec<(String, Value)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(serde::de::Error::custom(format!(
                    "duplicate key `{key}` in front matter"
                )));
            }
            let v = map.next_value_seed(ValueSeed {
                budget: &mut *self.budget,
                depth: self.depth + 1,
            })?;
            entries.push((key, v));
        }
        Ok(Value::Map(entries))
    }
}

/// Writes the object with the changes applied, keeping the key order and the file's
/// indentation (taken from its first key line; two spaces if none).
pub fn rebuild(
    text: &str,
    root: &Value,
    changes: &[&crate::front_matter_change::Change],
    le: &str,
) -> String {
    use crate::front_matter_change::Change;
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
    let indent = text
        .lines()
        .skip(1)
        .find(|l| l.trim_start().starts_with('"'))
        .map(|l| l[..l.len() - l.trim_start().len()].to_owned())
        .filter(|i| !i.is_empty())
        .unwrap_or_else(|| "  ".to_owned());
    let mut out = String::new();
    write_value(&mut out, &Value::Map(entries), &indent, 0, le);
    out
}

fn write_value(out: &mut String, v: &Value, indent: &str, level: usize, le: &str) {
    let json = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned());
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) if f.is_finite() => out.push_str(&serde_json::Value::from(*f).to_string()),
        Value::Float(_) => out.push_str("null"),
        Value::Str(s) => out.push_str(&json(s)),
        Value::List(items) if items.is_empty() => out.push_str("[]"),
        Value::Map(entries) if entries.is_empty() => out.push_str("{}"),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "" } else { "," });
                out.push_str(le);
                out.push_str(&indent.repeat(level + 1));
                write_value(out, item, indent, level + 1, le);
            }
            out.push_str(le);
            out.push_str(&indent.repeat(level));
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, (k, item)) in entries.iter().enumerate() {
                out.push_str(if i == 0 { "" } else { "," });
                out.push_str(le);
                out.push_str(&indent.repeat(level + 1));
                out.push_str(&json(k));
                out.push_str(": ");
                write_value(out, item, indent, level + 1, le);
            }
            out.push_str(le);
            out.push_str(&indent.repeat(level));
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HUGO: &str = "{\n   \"title\": \"Hugo JSON post\",\n   \"tags\": [\"a\", \"b}\"],\n   \"params\": {\"x\": 1},\n   \"draft\": true\n}";

    #[test]
    fn finds_the_object_and_its_keys() {
        let text = format!("{HUGO}\n\nBody {{with braces}}\n");
        assert_eq!(object_end(&text).unwrap(), HUGO.len());
        let doc = parse(HUGO).unwrap();
        let lines: Vec<_> = doc
            .keys
            .iter()
            .map(|k| (k.key.as_str(), k.key_line))
            .collect();
        assert_eq!(
            lines,
            [("title", 2), ("tags", 3), ("params", 4), ("draft", 5)]
        );
        assert_eq!(doc.root.get("draft"), Some(&Value::Bool(true)));
    }

    #[test]
    fn only_an_object_opening_counts() {
        assert!(opens("{") && opens("{ \"title\": \"x\" }") && opens("{}"));
        assert!(!opens("{{< figure >}}") && !opens("{braces} in text") && !opens("text"));
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse("{\n  \"title\": \"a\",\n  \"tags\": [1,,]\n}").unwrap_err();
        assert_eq!(err.line, Some(3), "{err:?}");
        assert!(err.message.contains("not valid JSON"), "{}", err.message);
        let dup = parse("{\n \"title\": \"a\",\n \"title\": \"b\"\n}").unwrap_err();
        assert!(dup.message.contains("duplicate key"), "{}", dup.message);
        assert!(object_end("{\n \"title\": \"a\"\n").is_err());
    }

    #[test]
    fn hostile_json_is_bounded() {
        let deep = format!("{{\"x\": {}1{}}}", "[".repeat(100), "]".repeat(100));
        assert!(parse(&deep).unwrap_err().message.contains("nested"));
        let wide = format!("{{\"x\": [{}]}}", vec!["1"; 20_000].join(","));
        assert!(parse(&wide).unwrap_err().message.contains("10000"));
        let open = format!("{{\"x\": \"{}", "a".repeat(2 * yaml::MAX_EXPANDED_BYTES));
        assert!(
            object_end(&open)
                .unwrap_err()
                .message
                .contains("larger than")
        );
    }

    #[test]
    fn rebuilds_with_the_files_indentation() {
        let doc = parse(HUGO).unwrap();
        let change = crate::front_matter_change::Change::set_text("author", "Dana Desk");
        let out = rebuild(HUGO, &doc.root, &[&change], "\n");
        assert!(
            out.starts_with("{\n   \"title\": \"Hugo JSON post\",\n   \"tags\": [\n      \"a\","),
            "{out}"
        );
        assert!(out.ends_with("   \"author\": \"Dana Desk\"\n}"), "{out}");
        assert_eq!(
            parse(&out).unwrap().root.get("author"),
            Some(&Value::Str("Dana Desk".into()))
        );
    }
}
