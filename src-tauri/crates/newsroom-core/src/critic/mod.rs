//! CriticMarkup: suggestions and comments written into the text itself, so they travel
//! with the file.
//!
//! | mark | written | accept | reject |
//! | --- | --- | --- | --- |
//! | insertion | `{++new++}` | keeps `new` | removes it |
//! | deletion | `{--old--}` | removes `old` | keeps it |
//! | substitution | `{~~old~>new~~}` | `new` | `old` |
//! | highlight | `{==text==}{>>why<<}` | `text`, comment removed | the same |
//! | comment | `{>>AK: text<<}` | removed | removed |
//!
//! A comment right after another mark (no space between) belongs to it and goes with it.
//! A comment that starts with two or three capital letters and a colon (`{>>AK: …<<}`,
//! `{>>ÉM:<<}`) carries its author's initials; a comment of initials alone
//! (`{++new++}{>>AK:<<}`) just signs a suggestion.
//!
//! Marks are looked for in the body only (never in the front matter), and not inside
//! code spans or code blocks. A mark must close before the next blank line, and a
//! substitution needs its `~>`; anything else is plain text and stays exactly as
//! written. Marks do not nest: the first closing delimiter ends a mark. A backslash
//! before the brace (`\{++`) writes the delimiter literally.
//!
//! The second layer of the core's Markdown: above [`crate::markdown`] (the code map parses
//! with its options), below `render` (which shows the marks as tracked changes) and
//! `review` (which accepts and rejects them). It imports neither.

mod code;

use std::ops::Range;

use crate::error::{CoreError, Result};
use code::CodeMap;

/// What a mark suggests.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkKind {
    Insertion,
    Deletion,
    Substitution,
    Highlight,
    Comment,
}

impl MarkKind {
    pub(crate) fn opener(self) -> &'static str {
        match self {
            MarkKind::Insertion => "{++",
            MarkKind::Deletion => "{--",
            MarkKind::Substitution => "{~~",
            MarkKind::Highlight => "{==",
            MarkKind::Comment => "{>>",
        }
    }

    pub(crate) fn closer(self) -> &'static str {
        match self {
            MarkKind::Insertion => "++}",
            MarkKind::Deletion => "--}",
            MarkKind::Substitution => "~~}",
            MarkKind::Highlight => "==}",
            MarkKind::Comment => "<<}",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    pub fn label(self) -> &'static str {
        match self {
            MarkKind::Insertion => "insertion",
            MarkKind::Deletion => "deletion",
            MarkKind::Substitution => "substitution",
            MarkKind::Highlight => "highlight",
            MarkKind::Comment => "comment",
        }
    }
}

/// One suggestion or comment in a draft.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Mark {
    /// Its index in document order: what `accept`/`reject` take. Ids change when the
    /// text before the mark gains or loses marks, so resolve against the current text.
    pub id: usize,
    pub kind: MarkKind,
    /// Byte range in the text, delimiters and any attached comment included.
    pub range: Range<usize>,
    /// 1-based line of the text where the mark starts.
    pub line: usize,
    /// The inserted, deleted or highlighted text; a substitution's old text; a
    /// comment's text (without the initials).
    pub text: String,
    /// A substitution's new text.
    pub new_text: Option<String>,
    /// The comment attached to an insertion, deletion, substitution or highlight
    /// (without the initials).
    pub comment: Option<String>,
    /// Initials from the comment (`{>>AK: …<<}`).
    pub author: Option<String>,
}

/// A delimiter of a mark, relative to the scanned body, for the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Delimiter {
    pub at: usize,
    pub len: usize,
    pub role: DelimiterRole,
}

/// What a delimiter does in the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DelimiterRole {
    Open(MarkKind),
    /// A substitution's `~>`.
    Separator,
    Close(MarkKind),
}

/// Every mark of a draft's text, in document order. `text` is the whole file (front
/// matter included); ranges and lines refer to it.
pub fn marks(text: &str) -> Vec<Mark> {
    let start = body_start(text);
    let first_line = 1 + text[..start].bytes().filter(|b| *b == b'\n').count();
    scan(&text[start..], start, first_line)
        .into_iter()
        .map(|(m, _)| m)
        .collect()
}

/// The marks still open in a draft: publishing should refuse while there are any.
pub fn unresolved(text: &str) -> Vec<Mark> {
    marks(text)
}

/// Accepts mark `id`: the suggestion goes in, its comment goes away.
pub fn accept(text: &str, id: usize) -> Result<String> {
    resolve_one(text, id, true)
}

/// Rejects mark `id`: the text stays as it was, the comment goes away.
pub fn reject(text: &str, id: usize) -> Result<String> {
    resolve_one(text, id, false)
}

/// Accepts every mark at once.
pub fn accept_all(text: &str) -> String {
    resolve(text, &marks(text), true)
}

/// Rejects every mark at once.
pub fn reject_all(text: &str) -> String {
    resolve(text, &marks(text), false)
}

/// What a mark becomes when accepted or rejected.
pub fn resolution(mark: &Mark, accept: bool) -> &str {
    match (mark.kind, accept) {
        (MarkKind::Insertion, true) | (MarkKind::Deletion, false) | (MarkKind::Highlight, _) => {
            &mark.text
        }
        (MarkKind::Substitution, true) => mark.new_text.as_deref().unwrap_or(""),
        (MarkKind::Substitution, false) => &mark.text,
        (MarkKind::Insertion, false) | (MarkKind::Deletion, true) | (MarkKind::Comment, _) => "",
    }
}

fn resolve_one(text: &str, id: usize, accept: bool) -> Result<String> {
    let all = marks(text);
    let mark = all.iter().find(|m| m.id == id).ok_or_else(|| {
        CoreError::InvalidArgument(match all.len() {
            0 => format!("there is no mark {id}: the draft has no open suggestions or comments"),
            n => format!(
                "there is no mark {id}: the draft's marks are numbered 0 to {}",
                n - 1
            ),
        })
    })?;
    Ok(resolve(text, std::slice::from_ref(mark), accept))
}

fn resolve(text: &str, marks: &[Mark], accept: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for mark in marks {
        out.push_str(&text[pos..mark.range.start]);
        out.push_str(resolution(mark, accept));
        pos = mark.range.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Is there anything that could open a mark? The preview's fast path: most drafts have
/// no marks, and this is one pass for `{` over the text.
pub fn may_contain_marks(text: &str) -> bool {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(off) = text[from..].find('{') {
        let p = from + off;
        if let (Some(x), Some(y)) = (b.get(p + 1), b.get(p + 2)) {
            if x == y && matches!(x, b'+' | b'-' | b'~' | b'=' | b'>') {
                return true;
            }
        }
        from = p + 1;
    }
    false
}

fn body_start(text: &str) -> usize {
    crate::draft::split(text).map_or(0, |l| l.body_start)
}

/// Finds the marks of a body. `base` and `first_line` place it in the whole text.
pub(crate) fn scan(body: &str, base: usize, first_line: usize) -> Vec<(Mark, Vec<Delimiter>)> {
    if !may_contain_marks(body) {
        return Vec::new();
    }
    let code = CodeMap::new(body);
    let mut finder = Finder {
        body,
        code: &code,
        cache: Default::default(),
    };
    let b = body.as_bytes();
    let mut out: Vec<(Mark, Vec<Delimiter>)> = Vec::new();
    let mut line = first_line;
    let mut counted = 0;
    let mut i = 0;
    while let Some(off) = body[i..].find('{') {
        let p = i + off;
        if let Some(region) = code.code_at(p) {
            i = region.end.max(p + 1);
            continue;
        }
        let escaped = b[..p].iter().rev().take_while(|c| **c == b'\\').count() % 2 == 1;
        let kind = match (b.get(p + 1), b.get(p + 2)) {
            _ if escaped => None,
            (Some(b'+'), Some(b'+')) => Some(MarkKind::Insertion),
            (Some(b'-'), Some(b'-')) => Some(MarkKind::Deletion),
            (Some(b'~'), Some(b'~')) => Some(MarkKind::Substitution),
            (Some(b'='), Some(b'=')) => Some(MarkKind::Highlight),
            (Some(b'>'), Some(b'>')) => Some(MarkKind::Comment),
            _ => None,
        };
        let Some(found) = kind.and_then(|k| finder.mark_at(p, k)) else {
            i = p + 1;
            continue;
        };
        line += b[counted..p].iter().filter(|c| **c == b'\n').count();
        counted = p;
        let (mut mark, delims) = found;
        mark.id = out.len();
        mark.line = line;
        mark.range = mark.range.start + base..mark.range.end + base;
        i = mark.range.end - base;
        out.push((mark, delims));
    }
    out
}

struct Finder<'a> {
    body: &'a str,
    code: &'a CodeMap,
    /// Per pattern: the last search's start and its answer, so that a paragraph full of
    /// unclosed openers costs one pass rather than one per opener.
    cache: [Option<(usize, usize, Option<usize>)>; 7],
}

impl Finder<'_> {
    fn mark_at(&mut self, p: usize, kind: MarkKind) -> Option<(Mark, Vec<Delimiter>)> {
        let (content, close) = self.closed(p, kind)?;
        let mut delims = vec![Delimiter {
            at: p,
            len: 3,
            role: DelimiterRole::Open(kind),
        }];
        let mut mark = Mark {
            id: 0,
            kind,
            range: p..close + 3,
            line: 0,
            text: String::new(),
            new_text: None,
            comment: None,
            author: None,
        };
        if kind == MarkKind::Substitution {
            let sep = self.find(5, "~>", content.start, content.end)?;
            delims.push(Delimiter {
                at: sep,
                len: 2,
                role: DelimiterRole::Separator,
            });
            mark.text = self.body[content.start..sep].to_owned();
            mark.new_text = Some(self.body[sep + 2..content.end].to_owned());
        } else if kind == MarkKind::Comment {
            let (author, text) = split_initials(&self.body[content.clone()]);
            mark.author = author;
            mark.text = text.to_owned();
        } else {
            mark.text = self.body[content.clone()].to_owned();
        }
        delims.push(Delimiter {
            at: close,
            len: 3,
            role: DelimiterRole::Close(kind),
        });
        let end = close + 3;
        if kind != MarkKind::Comment && self.body[end..].starts_with("{>>") {
            if let Some((comment, comment_close)) = self.closed(end, MarkKind::Comment) {
                let (author, text) = split_initials(&self.body[comment]);
                mark.author = author;
                mark.comment = Some(text.to_owned());
                mark.range.end = comment_close + 3;
                delims.push(Delimiter {
                    at: end,
                    len: 3,
                    role: DelimiterRole::Open(MarkKind::Comment),
                });
                delims.push(Delimiter {
                    at: comment_close,
                    len: 3,
                    role: DelimiterRole::Close(MarkKind::Comment),
                });
            }
        }
        Some((mark, delims))
    }

    /// The content range and closer position of a mark opened at `p`.
    fn closed(&mut self, p: usize, kind: MarkKind) -> Option<(Range<usize>, usize)> {
        let start = p + 3;
        let limit = self.code.limit(start, self.body.len());
        let close = self.find(kind.index(), kind.closer(), start, limit)?;
        Some((start..close, close))
    }

    /// The first `pattern` in `from..limit` outside code spans.
    fn find(&mut self, slot: usize, pattern: &str, from: usize, limit: usize) -> Option<usize> {
        if let Some((start, end, answer)) = self.cache[slot] {
            // The first match from `start` is also the first from any later `from`
            // that does not pass it.
            if start <= from && end == limit && answer.is_none_or(|a| from <= a) {
                return answer;
            }
        }
        let mut at = from;
        let answer = loop {
            let Some(off) = self.body.get(at..limit).and_then(|s| s.find(pattern)) else {
                break None;
            };
            let q = at + off;
            match self.code.span_at(q) {
                Some(span) => at = span.end,
                None => break Some(q),
            }
        };
        self.cache[slot] = Some((from, limit, answer));
        answer
    }
}

/// `AK: text` → (`AK`, `text`). Two or three capital letters, then a colon.
fn split_initials(comment: &str) -> (Option<String>, &str) {
    let trimmed = comment.trim_start();
    let letters = trimmed.chars().take_while(|c| c.is_uppercase()).count();
    if (2..=3).contains(&letters) {
        let len: usize = trimmed.chars().take(letters).map(char::len_utf8).sum();
        if let Some(rest) = trimmed[len..].strip_prefix(':') {
            return (Some(trimmed[..len].to_owned()), rest.trim_start());
        }
    }
    (None, comment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials() {
        assert_eq!(split_initials("AK: text"), (Some("AK".into()), "text"));
        assert_eq!(split_initials("ÉMK:fine"), (Some("ÉMK".into()), "fine"));
        assert_eq!(split_initials("AK:"), (Some("AK".into()), ""));
        assert_eq!(split_initials("A: no"), (None, "A: no"));
        assert_eq!(split_initials("TODO: no"), (None, "TODO: no"));
        assert_eq!(split_initials("Ak: no"), (None, "Ak: no"));
    }

    #[test]
    fn fast_path_sees_every_opener() {
        for s in ["{++", "a{--", "{~~", "{==", "{>>x"] {
            assert!(may_contain_marks(s), "{s}");
        }
        for s in ["", "{", "{+-", "{{}}", "json {\"a\": 1}", "{+", "{<<"] {
            assert!(!may_contain_marks(s), "{s}");
        }
    }
}
