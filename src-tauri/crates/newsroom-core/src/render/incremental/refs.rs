//! Link reference definitions across pieces: a definition anywhere resolves references
//! anywhere, so a piece is rendered with the body's definitions in scope.
//!
//! - **What a piece defines** ([`definitions`]) is asked of comrak itself, so the rules
//!   (where a definition may stand, its destination and title, label normalisation) are
//!   its own: a definition's label is always followed by `]:`, so every `[label]:` of
//!   the piece is a candidate; the piece is parsed followed by each candidate as a
//!   reference of its own (`[label]`), and a reference that became a link is defined,
//!   with that destination and title. comrak names the label as it normalises it when it
//!   calls back for a label it does not know, which a lone `[label]` does.
//! - **The body's definitions** are the pieces' in order, the first of a label winning,
//!   as in the whole body. A piece is rendered with a callback that answers the labels it
//!   does not define from them, and notes every label it was asked and its answer: a piece
//!   kept from the last render is rendered again when one of those answers changed. A
//!   piece that defines a label an earlier piece defined already would resolve it to its
//!   own: the body is rendered whole.
//! - **comrak's budget.** A body expands references up to its length (at most 100,000
//!   bytes of destinations and titles), then leaves them as text. The pieces' expansions
//!   are bounded ([`Definitions::bound`], [`Asked::size`]); if their sum could reach the
//!   body's budget, the body is rendered whole.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use comrak::nodes::NodeValue;
use comrak::options::BrokenLinkReference;
use comrak::{Arena, ResolvedReference};

use crate::markdown::{Punctuation, comrak_options_with};

/// comrak's budget for expanded references: the text's length, at most this.
const MAX_REF_SIZE: usize = 100_000;

/// A definition's destination and title, as comrak resolved them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Target {
    url: String,
    title: String,
}

impl Target {
    fn size(&self) -> usize {
        self.url.len() + self.title.len()
    }
}

/// The definitions a piece makes, in its order (normalised label, target).
#[derive(Debug, Default, Clone)]
pub(super) struct Definitions {
    pub(super) labels: Vec<(String, Arc<Target>)>,
    /// How many bytes the piece's own references to them can expand: its `]` times its
    /// largest target.
    pub(super) bound: usize,
    /// The largest target's size.
    pub(super) largest: usize,
}

/// The labels a piece's render asked the other pieces for, and the answers.
#[derive(Debug, Default)]
pub(super) struct Asked {
    labels: Vec<(String, Option<Arc<Target>>)>,
    /// The bytes the answers expanded.
    pub(super) size: usize,
}

impl Asked {
    /// Whether `scope` answers every label as it was answered.
    pub(super) fn same_in(&self, scope: &Scope) -> bool {
        self.labels
            .iter()
            .all(|(label, answer)| scope.map.get(label).map(|(_, t)| t) == answer.as_ref())
    }
}

/// The body's definitions: label → the piece that defines it first, and its target.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Scope {
    map: HashMap<String, (usize, Arc<Target>)>,
}

impl Scope {
    /// The scope of pieces' definitions, in the body's order; `None` when a piece
    /// defines a label an earlier one defined already.
    pub(super) fn of<'a>(pieces: impl Iterator<Item = &'a Definitions>) -> Option<Scope> {
        let mut map: HashMap<String, (usize, Arc<Target>)> = HashMap::new();
        for (i, defs) in pieces.enumerate() {
            for (label, target) in &defs.labels {
                let (first, _) = map.entry(label.clone()).or_insert((i, target.clone()));
                if *first != i {
                    return None;
                }
            }
        }
        Some(Scope { map })
    }

    /// A callback for a piece's render, and what it was asked once the render is done.
    pub(super) fn callback(
        self: &Arc<Self>,
    ) -> (super::super::safe::References, Arc<Mutex<Asked>>) {
        let asked = Arc::new(Mutex::new(Asked::default()));
        let scope = self.clone();
        let notes = asked.clone();
        let callback = move |r: BrokenLinkReference| {
            let answer = scope.map.get(r.normalized).map(|(_, t)| t.clone());
            if let Ok(mut a) = notes.lock() {
                a.size += answer.as_ref().map_or(0, |t| t.size());
                a.labels.push((r.normalized.to_owned(), answer.clone()));
            }
            answer.map(|t| ResolvedReference {
                url: t.url.clone(),
                title: t.title.clone(),
            })
        };
        (Arc::new(callback), asked)
    }
}

/// Takes what a callback noted, once its render is done.
pub(super) fn take(asked: Arc<Mutex<Asked>>) -> Asked {
    match Arc::try_unwrap(asked) {
        Ok(m) => m.into_inner().unwrap_or_else(|e| e.into_inner()),
        Err(shared) => {
            let mut a = shared.lock().unwrap_or_else(|e| e.into_inner());
            std::mem::take(&mut *a)
        }
    }
}

/// Whether comrak's budget for the whole body cannot be reached by the pieces' expanded
/// references: each piece's answers from the others plus its bound for its own.
pub(super) fn within_budget(body_len: usize, spent: usize) -> bool {
    spent < body_len.min(MAX_REF_SIZE)
}

/// What `text` (a piece) defines, asked of comrak (see the module's notes); `None` when
/// that cannot be told for sure (the body is then rendered whole).
pub(super) fn definitions(text: &str, punctuation: Punctuation) -> Option<Definitions> {
    let candidates = candidates(text);
    if candidates.is_empty() {
        return Some(Definitions::default());
    }
    let options = comrak_options_with(false, punctuation);
    // each candidate's normalised label, from a document of it alone
    let mut labels = Vec::with_capacity(candidates.len());
    for c in &candidates {
        let seen: Arc<Mutex<Option<String>>> = Arc::default();
        let note = seen.clone();
        let mut o = options.clone();
        o.parse.broken_link_callback = Some(Arc::new(move |r: BrokenLinkReference| {
            if let Ok(mut s) = note.lock() {
                s.get_or_insert_with(|| r.normalized.to_owned());
            }
            None
        }));
        let arena = Arena::new();
        comrak::parse_document(&arena, &format!("[{c}]\n"), &o);
        let label = seen.lock().ok()?.take()?;
        labels.push(label);
    }
    // the piece followed by each candidate as a reference of its own, then a comment that
    // lifts comrak's expansion budget (the text's length) to its ceiling
    let mut doc = String::with_capacity(text.len() + MAX_REF_SIZE + 64);
    doc.push_str(text);
    if !doc.ends_with('\n') {
        doc.push('\n');
    }
    doc.push('\n');
    let mut line = 1 + doc.bytes().filter(|b| *b == b'\n').count();
    let mut lines = Vec::with_capacity(candidates.len());
    for c in &candidates {
        lines.push(line);
        doc.push('[');
        doc.push_str(c);
        doc.push_str("]\n\n");
        line += 2 + c.bytes().filter(|b| *b == b'\n').count();
    }
    let pad = MAX_REF_SIZE.saturating_sub(doc.len() + 8);
    doc.push_str("<!--");
    doc.extend(std::iter::repeat_n(' ', pad));
    doc.push_str("-->\n");
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, &doc, &options);
    let mut at_line: HashMap<usize, Option<Target>> = HashMap::new();
    for node in root.children() {
        let data = node.data();
        if data.sourcepos.start.column != 1 || !matches!(data.value, NodeValue::Paragraph) {
            continue;
        }
        let target = node.first_child().and_then(|c| match &c.data().value {
            NodeValue::Link(l) => Some(Target {
                url: l.url.clone(),
                title: l.title.clone(),
            }),
            _ => None,
        });
        at_line.insert(data.sourcepos.start.line, target);
    }
    let mut defs = Definitions::default();
    let mut largest = 0;
    let mut probes = 0;
    for (label, line) in labels.into_iter().zip(lines) {
        // a candidate that did not stand as a paragraph of its own: the piece ends in a
        // block that swallowed it, and cannot be read
        let target = at_line.remove(&line)?;
        if let Some(t) = target {
            if !label.is_empty() {
                largest = largest.max(t.size());
                probes += t.size();
                defs.labels.push((label, Arc::new(t)));
            }
        }
    }
    defs.largest = largest;
    defs.bound = text.bytes().filter(|b| *b == b']').count() * largest;
    // the probes must have expanded within the probe document's own budget
    (defs.bound + probes < doc.len().min(MAX_REF_SIZE)).then_some(defs)
}

/// Every `[label]` directly followed by `:` in `text`: the label's text, without its
/// brackets (a label holds no unescaped bracket and at most 999 characters).
fn candidates(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let escaped = |i: usize| b[..i].iter().rev().take_while(|c| **c == b'\\').count() % 2 == 1;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(off) = text[from..].find("]:") {
        let close = from + off;
        from = close + 2;
        if escaped(close) {
            continue;
        }
        let floor = close.saturating_sub(1_000);
        let mut i = close;
        while i > floor {
            i -= 1;
            match b[i] {
                b'[' if !escaped(i) => {
                    out.push(&text[i + 1..close]);
                    break;
                }
                b']' if !escaped(i) => break,
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str) -> Vec<(String, String)> {
        definitions(text, Punctuation::Typographic)
            .unwrap()
            .labels
            .into_iter()
            .map(|(l, t)| (l, t.url.clone()))
            .collect()
    }

    #[test]
    fn definitions_are_comrak_s_own() {
        assert_eq!(
            labels("[Foo  Bar]: /u \"t\"\n> [q]: <a b>\n\nText [x]: no.\n\n```\n[c]: /c\n```\n"),
            [
                ("foo bar".to_owned(), "/u".to_owned()),
                ("q".to_owned(), "a b".to_owned())
            ]
        );
        // a second definition of a label loses to the first
        assert_eq!(
            labels("[a]: /1\n[A]: /2\n"),
            [("a".into(), "/1".into()), ("a".into(), "/1".into())]
        );
        // a piece ending in an open fence swallows the probes: it cannot be read
        assert!(definitions("[a]: /u\n\n```\n", Punctuation::Typographic).is_none());
    }

    #[test]
    fn candidates_skip_escapes() {
        assert_eq!(candidates("[a]: x \\[b]: y [c\\]]: z ]: w"), ["a", "c\\]"]);
    }
}
