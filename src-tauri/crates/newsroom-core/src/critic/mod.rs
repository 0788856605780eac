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
//! Marks are paired as MultiMarkdown 6 pairs them (its CriticMarkup layer, processed
//! before the Markdown): a closer ends the most recent open mark of its kind, and any
//! mark opened after that one and still open is text. So marks may span paragraphs
//! (`{--` … blank line … `--}`), nest (`{++a {--b--} c++}`, at most [`MAX_DEPTH`] deep),
//! and a closer with no opener is text. Comments are opaque: their text runs to the first `<<}`. Marks are looked for
//! in the body only (never in the front matter), and delimiters inside code spans or
//! code blocks do not count (a mark may still span a code block). A substitution needs
//! its `~>` (the first one at its own level). A backslash before the brace (`\{++`)
//! writes the delimiter literally. docs/review.md lists where we differ from MMD 6.
//!
//! Each mark has a stable id, from its own text (delimiters and attached comment); marks
//! of identical text also take the few bytes before them on their line. Resolving
//! another mark, or an edit anywhere outside it, leaves it unchanged.
//!
//! The second layer of the core's Markdown: above [`crate::markdown`] (the code map parses
//! with its options), below `render` (which shows the marks as tracked changes) and
//! `review` (which accepts and rejects them). It imports neither.

mod code;
mod ids;
mod kind;
mod pair;

use std::collections::HashMap;
use std::ops::Range;

use crate::error::{CoreError, Result};
use ids::{context_hash, fnv1a};
pub use kind::MarkKind;
pub(crate) use kind::{Delimiter, DelimiterRole};
use pair::{Found, pair};
pub use pair::{MAX_DEPTH, may_contain_marks};

/// One suggestion or comment in a draft.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Mark {
    /// What `accept`/`reject` take: the kind's letter and a hash of the mark's own text
    /// (`i3f2a9c1b`). Marks of identical text (`{++,++}` twice) add a hash of the 32
    /// bytes before them on their line (`i3f2a9c1b-07aa`), and `-N` for the Nth with the
    /// same context too. Stays the same while other marks are resolved or the text
    /// elsewhere is edited; it changes when the mark itself changes (a mark nested in it
    /// resolved, say). A twin's id keeps resolving it after the other twin is resolved.
    pub id: String,
    pub kind: MarkKind,
    /// Byte range in the text, delimiters and any attached comment included.
    pub range: Range<usize>,
    /// 1-based line of the text where the mark starts.
    pub line: usize,
    /// The inserted, deleted or highlighted text; a substitution's old text; a
    /// comment's text (without the initials). Marks nested in it are kept as written.
    pub text: String,
    /// A substitution's new text.
    pub new_text: Option<String>,
    /// The comment attached to an insertion, deletion, substitution or highlight
    /// (without the initials).
    pub comment: Option<String>,
    /// Initials from the comment (`{>>AK: …<<}`).
    pub author: Option<String>,
    /// The id of the mark this one is written inside, if it is nested.
    pub inside: Option<String>,
}

/// Every mark of a draft's text, nested ones included, in the order they open. `text`
/// is the whole file (front matter included); ranges and lines refer to it.
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

/// Accepts mark `id`: the suggestion goes in (marks nested in it stay open), its comment
/// goes away.
pub fn accept(text: &str, id: &str) -> Result<String> {
    resolve_one(text, id, true)
}

/// Rejects mark `id`: the text stays as it was (marks nested in it stay open), the
/// comment goes away.
pub fn reject(text: &str, id: &str) -> Result<String> {
    resolve_one(text, id, false)
}

/// Accepts every mark at once, nested ones as MultiMarkdown 6's `--accept` does: what an
/// accepted mark keeps has its own marks accepted, what it drops goes with them.
pub fn accept_all(text: &str) -> String {
    resolve_all(text, true)
}

/// Rejects every mark at once (MultiMarkdown 6's `--reject`).
pub fn reject_all(text: &str) -> String {
    resolve_all(text, false)
}

/// What a mark becomes when accepted or rejected on its own.
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

/// The open mark `id` names: the one listed with it, or, for one of identical marks
/// whose twin was resolved since, the one mark of that text and context.
pub fn mark(text: &str, id: &str) -> Result<Mark> {
    let all = marks(text);
    find_by_id(text, &all, id).cloned().ok_or_else(|| {
        CoreError::InvalidArgument(match all.len() {
            0 => format!("there is no mark {id}: the draft has no open suggestions or comments"),
            n => format!(
                "there is no mark {id} (resolved already, or changed since it was listed): the draft's {n} open mark{} are {}",
                if n == 1 { "" } else { "s" },
                all.iter().map(|m| m.id.as_str()).collect::<Vec<_>>().join(", ")
            ),
        })
    })
}

fn resolve_one(text: &str, id: &str, accept: bool) -> Result<String> {
    let mark = mark(text, id)?;
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..mark.range.start]);
    out.push_str(resolution(&mark, accept));
    out.push_str(&text[mark.range.end..]);
    Ok(out)
}

fn resolve_all(text: &str, accept: bool) -> String {
    let start = body_start(text);
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..start]);
    resolve_body(&text[start..], accept, &mut out);
    out
}

/// Every mark of `body` (all of it taken as the body) resolved, into `out`.
fn resolve_body(body: &str, accept: bool, out: &mut String) {
    let found = pair(body);
    let top: Vec<usize> = (0..found.len())
        .filter(|i| found[*i].parent.is_none())
        .collect();
    emit_resolved(body, &found, &top, 0..body.len(), accept, out);
}

/// The text (all of it taken as the body) as it reads with every suggestion accepted,
/// comments gone: what the word and character counts count.
pub fn as_accepted(markdown: &str) -> std::borrow::Cow<'_, str> {
    if !may_contain_marks(markdown) {
        return std::borrow::Cow::Borrowed(markdown);
    }
    let mut accepted = String::with_capacity(markdown.len());
    resolve_body(markdown, true, &mut accepted);
    std::borrow::Cow::Owned(accepted)
}

/// Words as a desk counts them ([`crate::text::word_count`]) in [`as_accepted`]'s text:
/// comments and the text a deletion or substitution takes out are not counted.
pub fn word_count(markdown: &str) -> usize {
    crate::text::word_count(&as_accepted(markdown))
}

/// Writes `range` of `body` with the marks `among` (siblings, in order) that lie in it
/// resolved, recursively.
fn emit_resolved(
    body: &str,
    found: &[Found],
    among: &[usize],
    range: Range<usize>,
    accept: bool,
    out: &mut String,
) {
    let mut pos = range.start;
    for &i in among {
        let f = &found[i];
        if f.range.start < range.start || f.range.end > range.end {
            continue;
        }
        out.push_str(&body[pos..f.range.start]);
        if let Some(kept) = f.kept(accept) {
            emit_resolved(body, found, &f.children, kept, accept, out);
        }
        pos = f.range.end;
    }
    out.push_str(&body[pos..range.end]);
}

fn body_start(text: &str) -> usize {
    crate::draft::split(text).map_or(0, |l| l.body_start)
}

/// Finds the marks of a body. `base` and `first_line` place it in the whole text.
pub(crate) fn scan(body: &str, base: usize, first_line: usize) -> Vec<(Mark, Vec<Delimiter>)> {
    let found = pair(body);
    let b = body.as_bytes();
    let hashes: Vec<u32> = found
        .iter()
        .map(|f| fnv1a(&body.as_bytes()[f.range.clone()]))
        .collect();
    let mut copies: HashMap<(MarkKind, u32), usize> = HashMap::new();
    for (f, hash) in found.iter().zip(&hashes) {
        *copies.entry((f.kind, *hash)).or_default() += 1;
    }
    let mut ids: Vec<String> = Vec::with_capacity(found.len());
    let mut seen: HashMap<(MarkKind, u32, u32), usize> = HashMap::new();
    let mut out = Vec::with_capacity(found.len());
    let mut line = first_line;
    let mut counted = 0;
    for (f, hash) in found.iter().zip(&hashes) {
        let prefix = f.kind.id_prefix();
        let id = if copies[&(f.kind, *hash)] == 1 {
            format!("{prefix}{hash:08x}")
        } else {
            let context = context_hash(body, f.range.start);
            let n = seen.entry((f.kind, *hash, context)).or_default();
            *n += 1;
            match *n {
                1 => format!("{prefix}{hash:08x}-{context:04x}"),
                n => format!("{prefix}{hash:08x}-{context:04x}-{}", n - 1),
            }
        };
        ids.push(id);
        line += b[counted..f.range.start]
            .iter()
            .filter(|c| **c == b'\n')
            .count();
        counted = f.range.start;
        let mut mark = Mark {
            id: ids[ids.len() - 1].clone(),
            kind: f.kind,
            range: f.range.start + base..f.range.end + base,
            line,
            text: String::new(),
            new_text: None,
            comment: None,
            author: None,
            inside: f.parent.map(|p| ids[p].clone()),
        };
        match (f.kind, f.separator) {
            (MarkKind::Substitution, Some(sep)) => {
                mark.text = body[f.content.start..sep].to_owned();
                mark.new_text = Some(body[sep + 2..f.content.end].to_owned());
            }
            (MarkKind::Comment, _) => {
                let (author, text) = split_initials(&body[f.content.clone()]);
                mark.author = author;
                mark.text = text.to_owned();
            }
            _ => mark.text = body[f.content.clone()].to_owned(),
        }
        if let Some((_, content)) = &f.comment {
            let (author, text) = split_initials(&body[content.clone()]);
            mark.author = author;
            mark.comment = Some(text.to_owned());
        }
        out.push((mark, f.delimiters()));
    }
    out
}

/// The mark an id names: the one listed with it, else (for one of identical marks, whose
/// twin was resolved since) the one mark of that text and context.
fn find_by_id<'m>(text: &str, all: &'m [Mark], id: &str) -> Option<&'m Mark> {
    if let Some(m) = all.iter().find(|m| m.id == id) {
        return Some(m);
    }
    let (base, context) = id.split_once('-')?;
    let context = u32::from_str_radix(context.split('-').next()?, 16).ok()?;
    let mut same = all
        .iter()
        .filter(|m| m.id.split('-').next() == Some(base))
        .filter(|m| context_hash(text, m.range.start) == context);
    let one = same.next()?;
    same.next().is_none().then_some(one)
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
    fn word_count_reads_the_accepted_text() {
        assert_eq!(
            word_count("a {++b c++} {--d e--} {~~f~>g h~~}{>>AK: no no<<} i"),
            6
        );
        assert_eq!(word_count("{--\n\nwhole paragraph gone\n\n--}kept"), 1);
        assert_eq!(word_count("{>>only a comment<<}"), 0);
        assert_eq!(word_count("no marks here"), 3);
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
