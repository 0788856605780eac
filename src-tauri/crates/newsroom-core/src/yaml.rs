//! A deliberately small, safe YAML loader for front matter.
//!
//! Built on `yaml-rust2`'s event parser rather than a serde bridge so that we can:
//! - refuse tags (`!!python/object`, `!custom`): front matter is data, never instructions;
//! - cap alias expansion, in values and in bytes of text, so a "billion laughs" front
//!   matter (many small values, or one large string repeated) is an error, not an OOM;
//! - refuse duplicate keys (YAML says they are an error; most loaders keep the last);
//! - report the line of every top-level key and value, for `FILE:LINE: message` errors
//!   and for surgical edits that rewrite only the lines of the key that changed.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::error::DraftError;

/// Most nodes a front matter may expand to, aliases included. Real front matter has a few
/// dozen; ten thousand leaves room for long tag lists and bookkeeping while keeping a
/// hostile file's cost trivial.
pub const MAX_NODES: usize = 10_000;

/// Most bytes of text a front matter may hold once loaded: every scalar (keys included),
/// each alias counting its anchor's text again, and the copy the loader keeps of each
/// anchored value so aliases can repeat it. Real front matter holds a few kilobytes; the
/// node cap alone would let one large anchored string referenced thousands of times
/// allocate gigabytes, so this bounds what any reader of a hostile file allocates.
pub const MAX_EXPANDED_BYTES: usize = 1024 * 1024;

/// Deepest nesting allowed. Front matter is two or three levels deep in practice.
pub const MAX_DEPTH: usize = 64;

/// A YAML value as front matter uses it. Maps keep their key order, so a rewrite keeps it too.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
}

impl Value {
    /// The text of a scalar as a reader would say it (`1984` for the number 1984).
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null | Value::List(_) | Value::Map(_) => None,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "true/false",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::List(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Bytes of text in the value: strings and map keys (numbers and the like are counted
    /// as nodes, not text).
    fn text_bytes(&self) -> usize {
        match self {
            Value::Str(s) => s.len(),
            Value::List(items) => items.iter().map(Value::text_bytes).sum(),
            Value::Map(entries) => entries.iter().map(|(k, v)| k.len() + v.text_bytes()).sum(),
            Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) => 0,
        }
    }

    fn node_count(&self) -> usize {
        match self {
            Value::List(items) => 1 + items.iter().map(Value::node_count).sum::<usize>(),
            Value::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|(_, v)| 1 + v.node_count())
                    .sum::<usize>()
            }
            _ => 1,
        }
    }
}

/// Where a top-level key sits in the YAML text (1-based lines of the YAML, not the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySpan {
    pub key: String,
    pub key_line: usize,
    pub key_col: usize,
    pub value_line: usize,
}

/// A parsed YAML document: the root value and where its top-level keys are.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub root: Value,
    pub keys: Vec<KeySpan>,
}

/// Parses one YAML document. Lines in errors are 1-based lines of `text`.
pub fn parse(text: &str) -> Result<Document, DraftError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    // Events are pulled one at a time (rather than `Parser::load`) so that the first
    // refusal ends the parse: a hostile front matter of millions of values past the cap
    // is not read to its end.
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            DraftError::at(
                e.marker().line().max(1),
                format!("front matter is not valid YAML: {}", e.info()),
            )
        })?;
        let last = matches!(event, Event::DocumentEnd | Event::StreamEnd);
        builder.on_event(event, mark);
        if let Some(err) = builder.error {
            return Err(err);
        }
        if last {
            break;
        }
    }
    let root = builder.root.unwrap_or(Value::Null);
    Ok(Document {
        root,
        keys: builder.top_keys,
    })
}

enum Frame {
    List {
        items: Vec<Value>,
        anchor: usize,
        start: Marker,
    },
    Map {
        entries: Vec<(String, Value)>,
        pending_key: Option<(String, Marker)>,
        anchor: usize,
        start: Marker,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Value>,
    anchors: std::collections::HashMap<usize, Value>,
    nodes: usize,
    /// Bytes of text held so far, see [`MAX_EXPANDED_BYTES`].
    bytes: usize,
    error: Option<DraftError>,
    top_keys: Vec<KeySpan>,
}

impl Builder {
    fn fail(&mut self, line: usize, message: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some(DraftError::at(line.max(1), message));
        }
    }

    fn count(&mut self, n: usize, mark: Marker) -> bool {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            self.fail(
                mark.line(),
                format!(
                    "front matter has more than {MAX_NODES} values, aliases expanded; refusing to load it"
                ),
            );
            return false;
        }
        true
    }

    /// Counts `n` more bytes of text held, refusing past [`MAX_EXPANDED_BYTES`].
    fn count_bytes(&mut self, n: usize, mark: Marker) -> bool {
        self.bytes = self.bytes.saturating_add(n);
        if self.bytes > MAX_EXPANDED_BYTES {
            self.fail(
                mark.line(),
                format!(
                    "front matter holds more than {} KiB of text, aliases expanded; refusing to load it",
                    MAX_EXPANDED_BYTES / 1024
                ),
            );
            return false;
        }
        true
    }

    /// Attaches a finished value to its parent (or makes it the root).
    fn push_value(&mut self, value: Value, anchor: usize, mark: Marker, key_text: Option<String>) {
        if anchor != 0 {
            // The copy aliases are made from is text held too: count it before making it.
            if !self.count_bytes(value.text_bytes(), mark) {
                return;
            }
            self.anchors.insert(anchor, value.clone());
        }
        let depth = self.stack.len();
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::List { items, .. }) => items.push(value),
            Some(Frame::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => {
                    // This value is a key.
                    let Some(key) = key_text else {
                        self.fail(
                            mark.line(),
                            "front matter keys must be plain text, not lists or mappings",
                        );
                        return;
                    };
                    if entries.iter().any(|(k, _)| *k == key) {
                        let line = mark.line();
                        self.fail(line, format!("duplicate key `{key}` in front matter"));
                        return;
                    }
                    if let Some(Frame::Map { pending_key, .. }) = self.stack.last_mut() {
                        *pending_key = Some((key, mark));
                    }
                }
                Some((key, key_mark)) => {
                    if depth == 1 {
                        self.top_keys.push(KeySpan {
                            key: key.clone(),
                            key_line: key_mark.line(),
                            key_col: key_mark.col(),
                            value_line: mark.line(),
                        });
                    }
                    entries.push((key, value));
                }
            },
        }
    }

    fn is_key_position(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Map {
                pending_key: None,
                ..
            })
        )
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                if tag.is_some() {
                    self.fail(
                        mark.line(),
                        "YAML tags (`!…`) are not allowed in front matter",
                    );
                    return;
                }
                if !self.count(1, mark) || !self.count_bytes(text.len(), mark) {
                    return;
                }
                let value = resolve_scalar(&text, style);
                let key_text = self.is_key_position().then_some(text);
                self.push_value(value, anchor, mark, key_text);
            }
            Event::SequenceStart(_, Some(_)) | Event::MappingStart(_, Some(_)) => {
                self.fail(
                    mark.line(),
                    "YAML tags (`!…`) are not allowed in front matter",
                );
            }
            Event::SequenceStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    self.fail(
                        mark.line(),
                        format!("front matter is nested more than {MAX_DEPTH} levels deep"),
                    );
                    return;
                }
                if !self.count(1, mark) {
                    return;
                }
                self.stack.push(Frame::List {
                    items: Vec::new(),
                    anchor,
                    start: mark,
                });
            }
            Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    self.fail(
                        mark.line(),
                        format!("front matter is nested more than {MAX_DEPTH} levels deep"),
                    );
                    return;
                }
                if !self.count(1, mark) {
                    return;
                }
                self.stack.push(Frame::Map {
                    entries: Vec::new(),
                    pending_key: None,
                    anchor,
                    start: mark,
                });
            }
            Event::SequenceEnd => {
                if let Some(Frame::List {
                    items,
                    anchor,
                    start,
                }) = self.stack.pop()
                {
                    self.push_value(Value::List(items), anchor, start, None);
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map {
                    entries,
                    anchor,
                    start,
                    ..
                }) = self.stack.pop()
                {
                    self.push_value(Value::Map(entries), anchor, start, None);
                }
            }
            Event::Alias(id) => {
                let Some(anchored) = self.anchors.get(&id) else {
                    self.fail(mark.line(), "alias to an unknown anchor in front matter");
                    return;
                };
                // Both caps are checked before the copy is made, so a refused alias
                // allocates nothing.
                let (nodes, bytes) = (anchored.node_count(), anchored.text_bytes());
                if !self.count(nodes, mark) || !self.count_bytes(bytes, mark) {
                    return;
                }
                let Some(value) = self.anchors.get(&id).cloned() else {
                    return;
                };
                let key_text = if self.is_key_position() {
                    value.scalar_text()
                } else {
                    None
                };
                self.push_value(value, 0, mark, key_text);
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

/// YAML 1.2 core-schema resolution of a scalar; quoted scalars are always text.
fn resolve_scalar(text: &str, style: TScalarStyle) -> Value {
    if style != TScalarStyle::Plain {
        return Value::Str(text.to_owned());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(int) = parse_int(text) {
        return Value::Int(int);
    }
    if looks_like_float(text) {
        if let Ok(f) = text.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(text.to_owned())
}

fn parse_int(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn looks_like_float(text: &str) -> bool {
    let t = text.strip_prefix(['+', '-']).unwrap_or(text);
    !t.is_empty()
        && t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes().all(|b| {
            b.is_ascii_digit() || b == b'.' || b == b'e' || b == b'E' || b == b'+' || b == b'-'
        })
        && t.bytes().filter(|b| *b == b'.').count() <= 1
}

/// Writes `value` as the YAML for `key: value` at the top level, ending with `line_ending`.
///
/// Strings are left plain when YAML would read them back as the same text, and
/// double-quoted otherwise; lists are written in block style, as Obsidian and most
/// hand-written front matter do.
pub fn emit_entry(key: &str, value: &Value, line_ending: &str) -> String {
    let mut out = String::new();
    emit_key_value(&mut out, 0, key, value, line_ending);
    out
}

fn emit_key_value(out: &mut String, indent: usize, key: &str, value: &Value, le: &str) {
    push_indent(out, indent);
    out.push_str(&scalar_str(key));
    out.push(':');
    match value {
        Value::List(items) if !items.is_empty() => {
            out.push_str(le);
            for item in items {
                emit_list_item(out, indent + 2, item, le);
            }
        }
        Value::Map(entries) if !entries.is_empty() => {
            out.push_str(le);
            for (k, v) in entries {
                emit_key_value(out, indent + 2, k, v, le);
            }
        }
        _ => {
            out.push(' ');
            out.push_str(&inline_value(value));
            out.push_str(le);
        }
    }
}

fn emit_list_item(out: &mut String, indent: usize, value: &Value, le: &str) {
    push_indent(out, indent);
    out.push_str("- ");
    match value {
        Value::Map(entries) if !entries.is_empty() => {
            let mut first = true;
            for (k, v) in entries {
                let mut entry = String::new();
                emit_key_value(&mut entry, indent + 2, k, v, le);
                if first {
                    out.push_str(entry.trim_start());
                    first = false;
                } else {
                    out.push_str(&entry);
                }
            }
        }
        Value::List(items) if !items.is_empty() => {
            out.push_str(le);
            for item in items {
                emit_list_item(out, indent + 2, item, le);
            }
        }
        _ => {
            out.push_str(&inline_value(value));
            out.push_str(le);
        }
    }
}

fn push_indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn inline_value(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => {
            let s = f.to_string();
            if s.contains('.') || s.contains('e') || s.contains("inf") || s.contains("NaN") {
                s
            } else {
                format!("{s}.0")
            }
        }
        Value::Str(s) => scalar_str(s),
        Value::List(_) => "[]".into(),
        Value::Map(_) => "{}".into(),
    }
}

/// A string as YAML that reads back as exactly the same string.
pub fn scalar_str(s: &str) -> String {
    if plain_is_safe(s) {
        s.to_owned()
    } else {
        double_quoted(s)
    }
}

fn plain_is_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.starts_with(' ') || s.ends_with(' ') {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    if s.chars().any(|c| {
        c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}' || c == '\u{85}'
    }) {
        return false;
    }
    // It must not read back as something other than text.
    matches!(resolve_scalar(s, TScalarStyle::Plain), Value::Str(_))
        && !matches!(
            s,
            "yes" | "no" | "Yes" | "No" | "YES" | "NO" | "on" | "off" | "On" | "Off" | "y" | "n"
        )
        && !s.starts_with('.')
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control()
                || c == '\u{feff}'
                || c == '\u{2028}'
                || c == '\u{2029}'
                || c == '\u{85}' =>
            {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Value {
        parse(text).unwrap().root
    }

    #[test]
    fn reads_front_matter_types() {
        let doc =
            parse("title: Minsk talks\ntags:\n  - Belarus\n  - Russia\npost_id: 42\ndraft: true\n")
                .unwrap();
        assert_eq!(
            doc.root.get("title"),
            Some(&Value::Str("Minsk talks".into()))
        );
        assert_eq!(
            doc.root.get("tags"),
            Some(&Value::List(vec![
                Value::Str("Belarus".into()),
                Value::Str("Russia".into())
            ]))
        );
        assert_eq!(doc.root.get("post_id"), Some(&Value::Int(42)));
        assert_eq!(doc.root.get("draft"), Some(&Value::Bool(true)));
        let lines: Vec<_> = doc
            .keys
            .iter()
            .map(|k| (k.key.as_str(), k.key_line, k.value_line))
            .collect();
        assert_eq!(
            lines,
            vec![
                ("title", 1, 1),
                ("tags", 2, 3),
                ("post_id", 5, 5),
                ("draft", 6, 6)
            ]
        );
    }

    #[test]
    fn quoted_scalars_stay_text() {
        assert_eq!(
            root("a: \"42\"\nb: 'true'\n").get("b"),
            Some(&Value::Str("true".into()))
        );
    }

    #[test]
    fn refuses_tags_with_line() {
        let err = parse("title: ok\nevil: !!python/object:os.system ls\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("tags"), "{err}");
        assert!(parse("x: !custom {a: 1}\n").is_err());
    }

    #[test]
    fn refuses_duplicate_keys_at_the_second() {
        let err = parse("title: a\nslug: b\ntitle: c\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("duplicate key `title`"));
    }

    #[test]
    fn caps_billion_laughs() {
        let mut yaml = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            let refs = vec![format!("*{prev}"); 9].join(",");
            yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let err = parse(&yaml).unwrap_err();
        assert!(err.message.contains("more than"), "{err}");
    }

    /// `a: &x <size bytes>` then `b:` a list of `refs` aliases to it, one per line.
    fn repeated_anchor(size: usize, refs: usize) -> String {
        let mut yaml = format!("a: &x {}\nb:\n", "y".repeat(size));
        for _ in 0..refs {
            yaml.push_str("  - *x\n");
        }
        yaml
    }

    #[test]
    fn byte_cap_counts_every_copy_of_the_anchored_text() {
        // Held: the keys `a` and `b`, the string, the loader's copy of it, one per alias.
        let held = |refs: usize| 2 + 100_000 * (2 + refs);
        assert!(held(8) <= MAX_EXPANDED_BYTES && held(9) > MAX_EXPANDED_BYTES);
        let doc = parse(&repeated_anchor(100_000, 8)).unwrap();
        let Some(Value::List(items)) = doc.root.get("b") else {
            panic!("b is a list")
        };
        assert_eq!(items.len(), 8);
        let err = parse(&repeated_anchor(100_000, 9)).unwrap_err();
        // The ninth alias (YAML line 3 + 8) is the one past the cap.
        assert_eq!(err.line, Some(11), "{err:?}");
        assert!(err.message.contains("1024 KiB of text"), "{err}");
    }

    #[test]
    fn one_large_string_repeated_thousands_of_times_is_refused_at_once() {
        // 900 kB referenced 5,000 times would be 4.5 GB loaded. The copy kept for aliases
        // already passes the cap, so not one alias is expanded.
        let yaml = repeated_anchor(900_000, 5_000);
        let err = parse(&yaml).unwrap_err();
        assert_eq!(err.line, Some(1), "{err:?}");
        assert!(err.message.contains("aliases expanded"), "{err}");
        // The same through a whole draft: the line is the file's.
        let err = crate::Draft::parse(&format!("---\n{yaml}---\nBody\n")).unwrap_err();
        assert_eq!(err.line, Some(2), "{err:?}");
        // Smaller strings, each alias a little under the cap: refused at the alias that
        // passes it, before its copy is made.
        let err = parse(&repeated_anchor(300_000, 5_000)).unwrap_err();
        assert_eq!(err.line, Some(4), "{err:?}");
    }

    #[test]
    fn the_parse_stops_at_the_first_refusal() {
        // Millions of values past the cap, then a syntax error: the cap is reported, so
        // the rest was never read (it took 45 s unoptimised to read it all).
        let mut yaml = String::from("x:\n");
        for i in 0..2_000_000 {
            yaml.push_str(&format!("- item{i}\n"));
        }
        yaml.push_str("y: [unclosed\n");
        let err = parse(&yaml).unwrap_err();
        assert!(err.message.contains("more than 10000 values"), "{err}");
        // A second document is not read either, as before.
        assert_eq!(
            parse("a: 1\n--- !!python/object x\n")
                .unwrap()
                .root
                .get("a"),
            Some(&Value::Int(1))
        );
    }

    #[test]
    fn small_aliases_are_fine() {
        let v = root("base: &b {x: 1}\nother: *b\n");
        assert_eq!(v.get("other"), v.get("base"));
    }

    #[test]
    fn syntax_errors_have_lines() {
        let err = parse("title: ok\ntags: [a, b\nslug: x\n").unwrap_err();
        assert!(err.line.is_some());
        assert!(err.message.starts_with("front matter is not valid YAML"));
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let yaml = format!("x: {}{}\n", "[".repeat(5000), "]".repeat(5000));
        assert!(parse(&yaml).is_err());
    }

    #[test]
    fn emitted_strings_read_back_identically() {
        for s in [
            "plain",
            "Ukraine War updates",
            "true",
            "42",
            "",
            " lead",
            "a: b",
            "#tag",
            "line\nbreak",
            "quote \"x\"",
            "- dash",
            "yes",
            "1.5",
            "null",
            "Kovač",
            "back\\slash",
            "tab\there",
            "a #b",
            "trailing:",
        ] {
            let yaml = emit_entry("k", &Value::Str(s.into()), "\n");
            assert_eq!(root(&yaml).get("k"), Some(&Value::Str(s.into())), "{yaml}");
        }
    }

    #[test]
    fn emitted_lists_and_maps_read_back() {
        let v = Value::Map(vec![
            (
                "tags".into(),
                Value::List(vec![Value::Str("a b".into()), Value::Str("c: d".into())]),
            ),
            ("n".into(), Value::Int(3)),
            (
                "nested".into(),
                Value::Map(vec![
                    ("id".into(), Value::Int(7)),
                    ("empty".into(), Value::List(vec![])),
                ]),
            ),
            (
                "items".into(),
                Value::List(vec![Value::Map(vec![
                    ("a".into(), Value::Int(1)),
                    ("b".into(), Value::Str("x".into())),
                ])]),
            ),
        ]);
        let Value::Map(entries) = &v else {
            unreachable!()
        };
        let yaml: String = entries
            .iter()
            .map(|(k, v)| emit_entry(k, v, "\r\n"))
            .collect();
        assert_eq!(root(&yaml), v, "{yaml}");
    }
}
