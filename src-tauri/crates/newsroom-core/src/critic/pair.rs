//! Pairing delimiters into marks as MultiMarkdown 6's CriticMarkup layer does: a closer
//! ends the most recent open mark of its kind, marks opened after it and still open are
//! text; comments are opaque; code (from `code.rs`) holds no delimiters.

use std::ops::Range;

use super::code::CodeMap;
use super::kind::{Delimiter, DelimiterRole, MarkKind};

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

/// How deep marks nest: an opener inside this many open marks is text.
pub const MAX_DEPTH: usize = 8;

/// A delimiter as the tokenizer finds it.
#[derive(Debug, Clone, Copy)]
struct Token {
    at: usize,
    role: DelimiterRole,
}

/// A paired mark, relative to the body.
#[derive(Debug, Clone)]
pub(super) struct Found {
    pub(super) kind: MarkKind,
    /// The whole mark, attached comment included.
    pub(super) range: Range<usize>,
    /// Between the opener and the closer.
    pub(super) content: Range<usize>,
    /// A substitution's `~>`.
    pub(super) separator: Option<usize>,
    /// The attached comment: its whole range and its content.
    pub(super) comment: Option<(Range<usize>, Range<usize>)>,
    pub(super) parent: Option<usize>,
    pub(super) children: Vec<usize>,
}

impl Found {
    /// The part of the body the mark leaves when accepted or rejected.
    pub(super) fn kept(&self, accept: bool) -> Option<Range<usize>> {
        let c = self.content.clone();
        match (self.kind, accept) {
            (MarkKind::Insertion, true)
            | (MarkKind::Deletion, false)
            | (MarkKind::Highlight, _) => Some(c),
            (MarkKind::Substitution, true) => self.separator.map(|s| s + 2..c.end),
            (MarkKind::Substitution, false) => self.separator.map(|s| c.start..s),
            (MarkKind::Insertion, false) | (MarkKind::Deletion, true) | (MarkKind::Comment, _) => {
                None
            }
        }
    }

    pub(super) fn delimiters(&self) -> Vec<Delimiter> {
        let mut d = vec![Delimiter {
            at: self.content.start - 3,
            len: 3,
            role: DelimiterRole::Open(self.kind),
        }];
        if let Some(at) = self.separator {
            d.push(Delimiter {
                at,
                len: 2,
                role: DelimiterRole::Separator,
            });
        }
        d.push(Delimiter {
            at: self.content.end,
            len: 3,
            role: DelimiterRole::Close(self.kind),
        });
        if let Some((whole, _)) = &self.comment {
            d.push(Delimiter {
                at: whole.start,
                len: 3,
                role: DelimiterRole::Open(MarkKind::Comment),
            });
            d.push(Delimiter {
                at: whole.end - 3,
                len: 3,
                role: DelimiterRole::Close(MarkKind::Comment),
            });
        }
        d
    }
}

/// Every delimiter of the body outside code, in order, leftmost first.
fn tokenize(body: &str, code: &CodeMap) -> Vec<Token> {
    let b = body.as_bytes();
    let mut out = Vec::new();
    let mut p = 0;
    while p < b.len() {
        let role = match (b[p], b.get(p + 1), b.get(p + 2)) {
            (b'{', Some(x), Some(y)) if x == y || (*x == b'>' && *y == b'>') => match x {
                b'+' => Some(DelimiterRole::Open(MarkKind::Insertion)),
                b'-' => Some(DelimiterRole::Open(MarkKind::Deletion)),
                b'~' => Some(DelimiterRole::Open(MarkKind::Substitution)),
                b'=' => Some(DelimiterRole::Open(MarkKind::Highlight)),
                b'>' => Some(DelimiterRole::Open(MarkKind::Comment)),
                _ => None,
            }
            .filter(|_| b[..p].iter().rev().take_while(|c| **c == b'\\').count() % 2 == 0),
            (x, Some(y), Some(b'}')) if x == *y || (x == b'<' && *y == b'<') => match x {
                b'+' => Some(DelimiterRole::Close(MarkKind::Insertion)),
                b'-' => Some(DelimiterRole::Close(MarkKind::Deletion)),
                b'~' => Some(DelimiterRole::Close(MarkKind::Substitution)),
                b'=' => Some(DelimiterRole::Close(MarkKind::Highlight)),
                b'<' => Some(DelimiterRole::Close(MarkKind::Comment)),
                _ => None,
            },
            (b'~', Some(b'>'), _) => Some(DelimiterRole::Separator),
            _ => None,
        };
        let Some(role) = role else {
            p += 1;
            continue;
        };
        if let Some(region) = code.code_at(p) {
            p = region.end.max(p + 1);
            continue;
        }
        out.push(Token { at: p, role });
        p += if role == DelimiterRole::Separator {
            2
        } else {
            3
        };
    }
    out
}

/// Pairs the body's delimiters into marks (sorted by where they open), with their
/// nesting. Linear in the number of delimiters: an opener is pushed and popped (or
/// pruned) once, and a closer only searches the stack when an opener of its kind is on it.
pub(super) fn pair(body: &str) -> Vec<Found> {
    if !may_contain_marks(body) {
        return Vec::new();
    }
    let code = CodeMap::new(body);
    let tokens = tokenize(body, &code);
    // For each token, the index of the next comment closer at or after it.
    let mut next_comment_close = vec![usize::MAX; tokens.len() + 1];
    for i in (0..tokens.len()).rev() {
        next_comment_close[i] = if tokens[i].role == DelimiterRole::Close(MarkKind::Comment) {
            i
        } else {
            next_comment_close[i + 1]
        };
    }
    struct Opened {
        kind: MarkKind,
        at: usize,
        separator: Option<usize>,
    }
    let mut stack: Vec<Opened> = Vec::new();
    let mut on_stack = [0usize; 5];
    let mut found: Vec<Found> = Vec::new();
    // The mark that closed last and where it ended: a comment starting there is its.
    let mut last_closed: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        i += 1;
        match t.role {
            DelimiterRole::Open(MarkKind::Comment) => {
                let j = next_comment_close[i];
                if j == usize::MAX {
                    continue;
                }
                let whole = t.at..tokens[j].at + 3;
                let content = t.at + 3..tokens[j].at;
                i = j + 1;
                match last_closed {
                    Some((f, end)) if end == t.at && found[f].comment.is_none() => {
                        found[f].comment = Some((whole.clone(), content));
                        found[f].range.end = whole.end;
                        last_closed = None;
                    }
                    _ => {
                        found.push(Found {
                            kind: MarkKind::Comment,
                            range: whole,
                            content,
                            separator: None,
                            comment: None,
                            parent: None,
                            children: Vec::new(),
                        });
                        last_closed = None;
                    }
                }
            }
            // Deeper than any edit needs: text, so hostile nesting costs no more than
            // a few copies of the body (each mark's text is its own string).
            DelimiterRole::Open(_) if stack.len() >= MAX_DEPTH => {}
            DelimiterRole::Open(kind) => {
                stack.push(Opened {
                    kind,
                    at: t.at,
                    separator: None,
                });
                on_stack[kind.index()] += 1;
            }
            DelimiterRole::Separator => {
                if let Some(top) = stack.last_mut() {
                    if top.kind == MarkKind::Substitution && top.separator.is_none() {
                        top.separator = Some(t.at);
                    }
                }
            }
            DelimiterRole::Close(kind) => {
                if on_stack[kind.index()] == 0 {
                    continue;
                }
                // Openers above this kind's latest are pruned: they stay text.
                let opened = loop {
                    let Some(o) = stack.pop() else { break None };
                    on_stack[o.kind.index()] -= 1;
                    if o.kind == kind {
                        break Some(o);
                    }
                };
                let Some(o) = opened else { continue };
                if kind == MarkKind::Substitution && o.separator.is_none() {
                    continue;
                }
                found.push(Found {
                    kind,
                    range: o.at..t.at + 3,
                    content: o.at + 3..t.at,
                    separator: o.separator,
                    comment: None,
                    parent: None,
                    children: Vec::new(),
                });
                last_closed = Some((found.len() - 1, t.at + 3));
            }
        }
    }
    found.sort_by_key(|f| f.range.start);
    // Nesting from the ranges: pairs never cross, so a stack of enclosing marks will do.
    let mut enclosing: Vec<usize> = Vec::new();
    for k in 0..found.len() {
        while let Some(&e) = enclosing.last() {
            if found[k].range.start >= found[e].range.end {
                enclosing.pop();
            } else {
                break;
            }
        }
        if let Some(&e) = enclosing.last() {
            found[k].parent = Some(e);
            found[e].children.push(k);
        }
        enclosing.push(k);
    }
    found
}
