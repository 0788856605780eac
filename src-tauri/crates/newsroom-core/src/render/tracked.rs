//! CriticMarkup in the preview, shown as tracked changes.
//!
//! The marks' delimiters (outside code) are replaced by `{`, a sentinel character, the
//! mark's id and `}` before comrak sees the body. The sentinels are Unicode
//! noncharacters (U+FDD0…), which never occur in real text; any already in a draft are
//! replaced by U+FFFD first. The braces keep the delimiters' effect on emphasis rules
//! (they are punctuation, like `{++`). The body is then rendered by the safe renderer as
//! usual, so every character of the draft stays escaped. Finally the sentinels in the
//! HTML's text become fixed tags:
//!
//! - insertion `<ins class="nr-ins" data-mark="N">`, deletion `<del class="nr-del" data-mark="N">`,
//!   substitution the two in a row, highlight `<mark class="nr-hl" data-mark="N">`,
//!   comment `<span class="nr-comment" data-mark="N" data-author="AK">`;
//! - the only values from the draft are the id (a number) and the initials (capital
//!   letters, escaped anyway);
//! - a mark only wraps text: it is closed before any tag and reopened after it, so
//!   the HTML stays well nested whatever the Markdown inside the mark;
//! - a sentinel inside a tag (a link's title, an image's alt text) or a mark whose
//!   delimiters did not all reach the text is written back as the delimiter it was, and
//!   URLs get their delimiters back before the URL policy sees them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write;

use super::safe::{RenderOptions, push_escaped, render_safe};
use crate::critic::{self, Delimiter, DelimiterRole, Mark, MarkKind};

const FIRST_SENTINEL: char = '\u{FDD0}';
const LAST_SENTINEL: char = '\u{FDEF}';

const ROLES: [DelimiterRole; 11] = [
    DelimiterRole::Open(MarkKind::Insertion),
    DelimiterRole::Close(MarkKind::Insertion),
    DelimiterRole::Open(MarkKind::Deletion),
    DelimiterRole::Close(MarkKind::Deletion),
    DelimiterRole::Open(MarkKind::Substitution),
    DelimiterRole::Separator,
    DelimiterRole::Close(MarkKind::Substitution),
    DelimiterRole::Open(MarkKind::Highlight),
    DelimiterRole::Close(MarkKind::Highlight),
    DelimiterRole::Open(MarkKind::Comment),
    DelimiterRole::Close(MarkKind::Comment),
];

fn sentinel(role: DelimiterRole) -> char {
    let i = ROLES.iter().position(|r| *r == role).unwrap_or(0) as u32;
    char::from_u32(FIRST_SENTINEL as u32 + i).unwrap_or(FIRST_SENTINEL)
}

fn role_of(c: char) -> Option<DelimiterRole> {
    ROLES
        .get((c as u32).checked_sub(FIRST_SENTINEL as u32)? as usize)
        .copied()
}

fn delimiter_text(role: DelimiterRole) -> &'static str {
    match role {
        DelimiterRole::Open(kind) => kind.opener(),
        DelimiterRole::Separator => "~>",
        DelimiterRole::Close(kind) => kind.closer(),
    }
}

fn pair_of(role: DelimiterRole) -> MarkKind {
    match role {
        DelimiterRole::Open(k) | DelimiterRole::Close(k) => k,
        DelimiterRole::Separator => MarkKind::Substitution,
    }
}

/// Renders a body that may contain marks. Called by [`super::body::render_body`]
/// only when [`critic::may_contain_marks`] says so.
pub(crate) fn render_with_marks(body: &str, options: &RenderOptions) -> String {
    let marked = Marked::of(body);
    if marked.marks.is_empty() {
        return render_safe(&marked.text, options, None);
    }
    let html = render_safe(&marked.text, options, Some(restore_delimiters));
    tracked_changes(&html, &marked.marks)
}

/// A body that may contain marks as comrak is given it: sentinels already in the text
/// neutralised, and each delimiter of a mark replaced by its token (the same byte
/// offsets otherwise, lines included).
#[derive(Debug, Default)]
pub(crate) struct Marked<'a> {
    pub(crate) text: Cow<'a, str>,
    pub(crate) marks: Vec<Mark>,
    /// Where each delimiter was in the body, in order, and its mark's index.
    pub(crate) delimiters: Vec<(Delimiter, usize)>,
}

impl<'a> Marked<'a> {
    pub(crate) fn of(body: &'a str) -> Marked<'a> {
        // every sentinel's UTF-8 starts with 0xEF (a byte search, not a character one)
        let clean: Cow<str> = if body.as_bytes().contains(&0xEF)
            && body
                .chars()
                .any(|c| (FIRST_SENTINEL..=LAST_SENTINEL).contains(&c))
        {
            Cow::Owned(
                body.chars()
                    .map(|c| {
                        if (FIRST_SENTINEL..=LAST_SENTINEL).contains(&c) {
                            '\u{FFFD}'
                        } else {
                            c
                        }
                    })
                    .collect(),
            )
        } else {
            Cow::Borrowed(body)
        };
        let found = critic::scan(&clean, 0, 1);
        if found.is_empty() {
            return Marked {
                text: clean,
                ..Marked::default()
            };
        }
        let mut marked = String::with_capacity(clean.len() + found.len() * 24);
        // Nested marks interleave their delimiters: all of them in the order they are written.
        let mut delims: Vec<(Delimiter, usize)> = found
            .iter()
            .enumerate()
            .flat_map(|(i, (_, d))| d.iter().map(move |d| (*d, i)))
            .collect();
        delims.sort_by_key(|(d, _)| d.at);
        let mut pos = 0;
        for &(Delimiter { at, len, role }, i) in &delims {
            marked.push_str(&clean[pos..at]);
            let _ = write!(marked, "{{{}{}}}", sentinel(role), i);
            pos = at + len;
        }
        marked.push_str(&clean[pos..]);
        Marked {
            text: Cow::Owned(marked),
            marks: found.into_iter().map(|(m, _)| m).collect(),
            delimiters: delims,
        }
    }

    /// The byte ranges of the body its marks take out of the text a reader sees (what
    /// [`critic::as_accepted`] drops), sorted and merged.
    pub(crate) fn dropped(&self) -> Vec<std::ops::Range<usize>> {
        let mut out: Vec<std::ops::Range<usize>> = Vec::new();
        let mut by_mark: Vec<Vec<Delimiter>> = vec![Vec::new(); self.marks.len()];
        for (d, i) in &self.delimiters {
            by_mark[*i].push(*d);
        }
        for (m, delims) in self.marks.iter().zip(&by_mark) {
            let range = m.range.clone();
            let at = |role: DelimiterRole| delims.iter().find(|d| d.role == role).map(|d| d.at);
            match m.kind {
                MarkKind::Deletion | MarkKind::Comment => out.push(range),
                kind => {
                    let close = at(DelimiterRole::Close(kind)).unwrap_or(range.end - 3);
                    let open_end = match kind {
                        MarkKind::Substitution => {
                            at(DelimiterRole::Separator).map_or(range.start + 3, |s| s + 2)
                        }
                        _ => range.start + 3,
                    };
                    out.push(range.start..open_end);
                    out.push(close..range.end);
                }
            }
        }
        out.sort_by_key(|r| r.start);
        let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(out.len());
        for r in out {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }
}

/// How many bytes mark `id`'s delimiter takes as a token: `{`, the sentinel, the id, `}`.
pub(crate) fn token_len(id: usize) -> usize {
    let digits = id.checked_ilog10().map_or(1, |d| d as usize + 1);
    1 + FIRST_SENTINEL.len_utf8() + digits + 1
}

/// A sentinel token `{` SENTINEL id `}` at the start of `s`: its role, id and length.
fn token_at(s: &str) -> Option<(DelimiterRole, usize, usize)> {
    let rest = s.strip_prefix('{')?;
    let c = rest.chars().next()?;
    let role = role_of(c)?;
    let digits = &rest[c.len_utf8()..];
    let n = digits.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || n > 9 || digits.as_bytes().get(n) != Some(&b'}') {
        return None;
    }
    let id = digits[..n].parse().ok()?;
    Some((role, id, 1 + c.len_utf8() + n + 1))
}

/// Puts the original delimiters back (for URLs, which must be checked as written).
pub(crate) fn restore_delimiters(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        match token_at(&rest[i..]) {
            Some((role, _, len)) => {
                out.push_str(delimiter_text(role));
                rest = &rest[i + len..];
            }
            None => {
                out.push('{');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

enum Piece<'a> {
    Tag(&'a str),
    Text(&'a str),
    Token(DelimiterRole, usize),
}

/// Splits rendered HTML into tags, text and sentinel tokens in the text. The renderer
/// escapes every `<` of text, so `<` always starts a tag; attribute values are
/// double-quoted.
fn pieces(html: &str) -> Vec<Piece<'_>> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'<' => {
                if text_start < i {
                    out.push(Piece::Text(&html[text_start..i]));
                }
                let mut j = i + 1;
                let mut quoted = false;
                while j < b.len() && (quoted || b[j] != b'>') {
                    if b[j] == b'"' {
                        quoted = !quoted;
                    }
                    j += 1;
                }
                let end = (j + 1).min(b.len());
                out.push(Piece::Tag(&html[i..end]));
                i = end;
                text_start = i;
            }
            b'{' => match token_at(&html[i..]) {
                Some((role, id, len)) => {
                    if text_start < i {
                        out.push(Piece::Text(&html[text_start..i]));
                    }
                    out.push(Piece::Token(role, id));
                    i += len;
                    text_start = i;
                }
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    if text_start < b.len() {
        out.push(Piece::Text(&html[text_start..]));
    }
    out
}

/// Which (mark, kind) pairs have all their delimiters in the text, in order.
fn complete_pairs(pieces: &[Piece<'_>]) -> HashMap<(usize, MarkKind), bool> {
    let mut seen: HashMap<(usize, MarkKind), Vec<DelimiterRole>> = HashMap::new();
    for p in pieces {
        if let Piece::Token(role, id) = p {
            seen.entry((*id, pair_of(*role))).or_default().push(*role);
        }
    }
    seen.into_iter()
        .map(|((id, kind), roles)| {
            let ok = match kind {
                MarkKind::Substitution => {
                    roles
                        == [
                            DelimiterRole::Open(kind),
                            DelimiterRole::Separator,
                            DelimiterRole::Close(kind),
                        ]
                }
                _ => roles == [DelimiterRole::Open(kind), DelimiterRole::Close(kind)],
            };
            ((id, kind), ok)
        })
        .collect()
}

/// The element a mark is shown as, while it is open.
#[derive(Clone, Copy)]
struct Open {
    id: usize,
    kind: MarkKind,
    /// For a substitution: past the `~>`, so the new text.
    second: bool,
}

fn open_tag(out: &mut String, open: Open, marks: &[Mark]) {
    let (tag, class) = match (open.kind, open.second) {
        (MarkKind::Insertion, _) | (MarkKind::Substitution, true) => ("ins", "nr-ins"),
        (MarkKind::Deletion, _) | (MarkKind::Substitution, false) => ("del", "nr-del"),
        (MarkKind::Highlight, _) => ("mark", "nr-hl"),
        (MarkKind::Comment, _) => ("span", "nr-comment"),
    };
    let _ = write!(out, "<{tag} class=\"{class}\" data-mark=\"");
    if let Some(m) = marks.get(open.id) {
        // ids are a letter, hex digits and `-`: escaped anyway
        push_escaped(out, &m.id);
    }
    out.push('"');
    if open.kind == MarkKind::Comment {
        if let Some(author) = marks.get(open.id).and_then(|m| m.author.as_deref()) {
            out.push_str(" data-author=\"");
            push_escaped(out, author);
            out.push('"');
        }
    }
    out.push('>');
}

fn close_tag(out: &mut String, open: Open) {
    out.push_str(match (open.kind, open.second) {
        (MarkKind::Insertion, _) | (MarkKind::Substitution, true) => "</ins>",
        (MarkKind::Deletion, _) | (MarkKind::Substitution, false) => "</del>",
        (MarkKind::Highlight, _) => "</mark>",
        (MarkKind::Comment, _) => "</span>",
    });
}

fn push_escaped_delimiter(out: &mut String, role: DelimiterRole) {
    push_escaped(out, delimiter_text(role));
}

fn is_paragraph_open(tag: &str) -> bool {
    tag == "<p>" || tag.starts_with("<p ")
}

/// Tokens of complete marks, at least one, then `</p>` (a delimiter written back as text
/// keeps its paragraph).
fn delimiters_alone(rest: &[Piece<'_>], complete: &HashMap<(usize, MarkKind), bool>) -> bool {
    let tokens = rest
        .iter()
        .take_while(|p| match p {
            Piece::Token(role, id) => complete
                .get(&(*id, pair_of(*role)))
                .copied()
                .unwrap_or(false),
            _ => false,
        })
        .count();
    tokens > 0 && matches!(rest.get(tokens), Some(Piece::Tag("</p>")))
}

/// A complete mark's delimiter: the stack of open marks changes. A part of a mark that
/// holds only line breaks (a paragraph break inserted or deleted, `.{--\n\n--}`) shows
/// as a pilcrow where it ends, since it has no text to wrap.
fn apply_token(
    out: &mut String,
    open: &mut Vec<Open>,
    complete: &HashMap<(usize, MarkKind), bool>,
    marks: &[Mark],
    role: DelimiterRole,
    id: usize,
) {
    let kind = pair_of(role);
    if !complete.get(&(id, kind)).copied().unwrap_or(false) {
        push_escaped_delimiter(out, role);
        return;
    }
    let ending = match role {
        DelimiterRole::Open(_) => None,
        DelimiterRole::Separator | DelimiterRole::Close(_) => {
            open.iter().rposition(|o| o.id == id && o.kind == kind)
        }
    };
    if let Some(o) = ending.map(|at| open[at]) {
        let part = marks.get(id).and_then(|m| match (o.kind, o.second) {
            (MarkKind::Comment, _) => None,
            (MarkKind::Substitution, true) => m.new_text.as_deref(),
            _ => Some(m.text.as_str()),
        });
        if part.is_some_and(|t| t.contains('\n') && t.trim().is_empty()) {
            open_tag(out, o, marks);
            out.push('\u{B6}');
            close_tag(out, o);
        }
    }
    match (role, ending) {
        (DelimiterRole::Open(_), _) => open.push(Open {
            id,
            kind,
            second: false,
        }),
        (DelimiterRole::Separator, Some(at)) => open[at].second = true,
        // Footnotes move text to the end: a mark is closed wherever it is in the stack.
        (DelimiterRole::Close(_), Some(at)) => {
            open.remove(at);
        }
        _ => {}
    }
}

fn tracked_changes(html: &str, marks: &[Mark]) -> String {
    let pieces = pieces(html);
    let complete = complete_pairs(&pieces);
    let mut out = String::with_capacity(html.len() + marks.len() * 64);
    Tracker::default().feed(&mut out, &pieces, &complete, marks);
    out
}

/// The sentinel tokens in the text of rendered HTML (not inside tags), in order: what
/// [`complete_of`] pairs, and what says where marks are open ([`open_after`]).
pub(crate) fn tokens_of(html: &str) -> Vec<(DelimiterRole, usize)> {
    if !html.contains('{') {
        return Vec::new();
    }
    pieces(html)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Token(role, id) => Some((role, id)),
            _ => None,
        })
        .collect()
}

/// Which marks have all their delimiters in the text, from the tokens of all of it.
pub(crate) type Complete = HashMap<(usize, MarkKind), bool>;

pub(crate) fn complete_of<'t>(
    tokens: impl Iterator<Item = &'t (DelimiterRole, usize)>,
) -> Complete {
    let pieces: Vec<Piece<'static>> = tokens.map(|(r, i)| Piece::Token(*r, *i)).collect();
    complete_pairs(&pieces)
}

/// The marks open (shown as elements) after `tokens`, given the marks open before them:
/// the stack [`Tracker`] keeps, as ids and kinds. Empty, the text after them is written
/// as it is.
pub(crate) fn open_after(
    open: &mut Vec<(usize, MarkKind)>,
    tokens: &[(DelimiterRole, usize)],
    complete: &Complete,
) {
    for (role, id) in tokens {
        let kind = pair_of(*role);
        if !complete.get(&(*id, kind)).copied().unwrap_or(false) {
            continue;
        }
        match role {
            DelimiterRole::Open(_) => open.push((*id, kind)),
            DelimiterRole::Separator => {}
            DelimiterRole::Close(_) => {
                if let Some(at) = open.iter().rposition(|o| *o == (*id, kind)) {
                    open.remove(at);
                }
            }
        }
    }
}

/// Rendered HTML with its tokens as tracked changes, in runs: `feed` takes HTML from
/// where no mark is open to where none is (a body's, or a run of its pieces').
pub(crate) fn track(out: &mut String, html: &str, complete: &Complete, marks: &[Mark]) {
    Tracker::default().feed(out, &pieces(html), complete, marks);
}

/// What [`tracked_changes`] carries along the HTML.
#[derive(Default)]
struct Tracker {
    /// The marks open here, outermost first (marks nest).
    open: Vec<Open>,
    /// The open marks' elements are in the output (else they wait for text).
    emitted: bool,
    /// A tag came since a mark opened: whitespace alone (between block elements) no
    /// longer reopens them.
    crossed_tag: bool,
}

impl Tracker {
    fn feed(mut self, out: &mut String, pieces: &[Piece<'_>], complete: &Complete, marks: &[Mark]) {
        let close_all = |out: &mut String, open: &[Open]| {
            for o in open.iter().rev() {
                close_tag(out, *o);
            }
        };
        let mut skip_to = 0;
        for (at, piece) in pieces.iter().enumerate() {
            if at < skip_to {
                continue;
            }
            match piece {
                // A paragraph of delimiters alone (`{--` on its own between blank lines, as
                // other tools write a whole-paragraph change): its tokens count, the empty
                // paragraph is not shown.
                Piece::Tag(tag)
                    if is_paragraph_open(tag) && delimiters_alone(&pieces[at + 1..], complete) =>
                {
                    if self.emitted {
                        close_all(out, &self.open);
                        self.emitted = false;
                    }
                    self.crossed_tag = true;
                    skip_to = at + 1;
                    while let Some(Piece::Token(..)) = pieces.get(skip_to) {
                        skip_to += 1;
                    }
                    skip_to += 1; // the `</p>`
                    for piece in &pieces[at + 1..skip_to - 1] {
                        if let Piece::Token(role, id) = piece {
                            apply_token(out, &mut self.open, complete, marks, *role, *id);
                        }
                    }
                }
                Piece::Tag(tag) => {
                    if self.emitted {
                        close_all(out, &self.open);
                        self.emitted = false;
                    }
                    self.crossed_tag = true;
                    let mut rest = *tag;
                    while let Some(i) = rest.find('{') {
                        out.push_str(&rest[..i]);
                        match token_at(&rest[i..]) {
                            Some((role, _, len)) => {
                                push_escaped_delimiter(out, role);
                                rest = &rest[i + len..];
                            }
                            None => {
                                out.push('{');
                                rest = &rest[i + 1..];
                            }
                        }
                    }
                    out.push_str(rest);
                }
                Piece::Text(text) => {
                    if !self.emitted
                        && !self.open.is_empty()
                        && (!self.crossed_tag || !text.trim().is_empty())
                    {
                        for o in &self.open {
                            open_tag(out, *o, marks);
                        }
                        self.emitted = true;
                    }
                    out.push_str(text);
                }
                Piece::Token(role, id) => {
                    if !complete
                        .get(&(*id, pair_of(*role)))
                        .copied()
                        .unwrap_or(false)
                    {
                        push_escaped_delimiter(out, *role);
                        continue;
                    }
                    if self.emitted {
                        close_all(out, &self.open);
                    }
                    self.emitted = false;
                    self.crossed_tag = false;
                    apply_token(out, &mut self.open, complete, marks, *role, *id);
                }
            }
        }
        if self.emitted {
            close_all(out, &self.open);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The HTML with each mark's id replaced by its order of first appearance (`#0`,
    /// `#1`, …): the ids themselves are hashes, tested in the critic module.
    fn render(md: &str) -> String {
        let html = super::super::render_body(md, &RenderOptions::default());
        let mut seen: Vec<String> = Vec::new();
        let mut out = String::new();
        let mut rest = html.as_str();
        while let Some(i) = rest.find("data-mark=\"") {
            let (before, after) = rest.split_at(i + 11);
            out.push_str(before);
            let end = after.find('"').unwrap_or(after.len());
            let id = &after[..end];
            let n = seen.iter().position(|s| s == id).unwrap_or_else(|| {
                seen.push(id.to_owned());
                seen.len() - 1
            });
            out.push_str(&format!("#{n}"));
            rest = &after[end..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn the_ids_are_the_marks_ids() {
        let md = "a {++b++} {--c--}\n";
        let html = super::super::render_body(md, &RenderOptions::default());
        for m in critic::marks(md) {
            assert!(html.contains(&format!("data-mark=\"{}\"", m.id)), "{html}");
        }
    }

    #[test]
    fn each_kind_becomes_its_element() {
        assert_eq!(
            render("a {++b++} c\n"),
            "<p>a <ins class=\"nr-ins\" data-mark=\"#0\">b</ins> c</p>\n"
        );
        assert_eq!(
            render("a {--b--} {~~c~>d~~}\n"),
            "<p>a <del class=\"nr-del\" data-mark=\"#0\">b</del> <del class=\"nr-del\" data-mark=\"#1\">c</del><ins class=\"nr-ins\" data-mark=\"#1\">d</ins></p>\n"
        );
        assert_eq!(
            render("{==x==}{>>EM: why?<<} {>>plain<<}\n"),
            "<p><mark class=\"nr-hl\" data-mark=\"#0\">x</mark><span class=\"nr-comment\" data-mark=\"#0\" data-author=\"EM\">EM: why?</span> <span class=\"nr-comment\" data-mark=\"#1\">plain</span></p>\n"
        );
    }

    #[test]
    fn marks_wrap_only_text_and_stay_nested() {
        assert_eq!(
            render("{++a *b++} c*\n"),
            "<p><ins class=\"nr-ins\" data-mark=\"#0\">a </ins><em><ins class=\"nr-ins\" data-mark=\"#0\">b</ins> c</em></p>\n"
        );
        assert_eq!(
            render("{++_word_++}\n"),
            "<p><em><ins class=\"nr-ins\" data-mark=\"#0\">word</ins></em></p>\n"
        );
    }

    #[test]
    fn marks_across_paragraphs_show_in_each() {
        assert_eq!(
            render("a {++b\n\nc++} d\n"),
            "<p>a <ins class=\"nr-ins\" data-mark=\"#0\">b</ins></p>\n<p><ins class=\"nr-ins\" data-mark=\"#0\">c</ins> d</p>\n"
        );
        // a whole paragraph and a list deleted, the delimiters on lines of their own
        assert_eq!(
            render("Keep.\n\n{--\n\nGone.\n\n- x\n- y\n\n--}\n\nKept.\n"),
            "<p>Keep.</p>\n\n<p><del class=\"nr-del\" data-mark=\"#0\">Gone.</del></p>\n<ul>\n<li><del class=\"nr-del\" data-mark=\"#0\">x</del></li>\n<li><del class=\"nr-del\" data-mark=\"#0\">y</del></li>\n</ul>\n\n<p>Kept.</p>\n"
        );
        // the delimiters next to the text
        assert_eq!(
            render("{--Gone one.\n\nGone two.--}\n"),
            "<p><del class=\"nr-del\" data-mark=\"#0\">Gone one.</del></p>\n<p><del class=\"nr-del\" data-mark=\"#0\">Gone two.</del></p>\n"
        );
    }

    #[test]
    fn a_paragraph_break_inserted_or_deleted_shows_a_pilcrow() {
        assert_eq!(
            render("One.{--\n\n--}Two.\n"),
            "<p>One.</p>\n<p><del class=\"nr-del\" data-mark=\"#0\">\u{B6}</del>Two.</p>\n"
        );
        assert_eq!(
            render("One.{++\n\n++}Two.\n"),
            "<p>One.</p>\n<p><ins class=\"nr-ins\" data-mark=\"#0\">\u{B6}</ins>Two.</p>\n"
        );
        assert_eq!(
            render("One. {~~Two.~>\n\n~~}Three.\n"),
            "<p>One. <del class=\"nr-del\" data-mark=\"#0\">Two.</del></p>\n<p><ins class=\"nr-ins\" data-mark=\"#0\">\u{B6}</ins>Three.</p>\n"
        );
    }

    #[test]
    fn nested_marks_nest_their_elements() {
        assert_eq!(
            render("{++foo{--bat--}bar++}\n"),
            "<p><ins class=\"nr-ins\" data-mark=\"#0\">foo</ins><ins class=\"nr-ins\" data-mark=\"#0\"><del class=\"nr-del\" data-mark=\"#1\">bat</del></ins><ins class=\"nr-ins\" data-mark=\"#0\">bar</ins></p>\n"
        );
        assert_eq!(
            render("{==a {>>AK: b<<} c==}\n"),
            "<p><mark class=\"nr-hl\" data-mark=\"#0\">a </mark><mark class=\"nr-hl\" data-mark=\"#0\"><span class=\"nr-comment\" data-mark=\"#1\" data-author=\"AK\">AK: b</span></mark><mark class=\"nr-hl\" data-mark=\"#0\"> c</mark></p>\n"
        );
    }

    #[test]
    fn code_and_broken_marks_stay_as_written() {
        assert_eq!(
            render("`{++a++}` {++b\n\nc\n"),
            "<p><code>{++a++}</code> {++b</p>\n<p>c</p>\n"
        );
        assert_eq!(
            render("```\n{--x--}\n```\n"),
            "<pre><code>{--x--}\n</code></pre>\n"
        );
        assert_eq!(render("a++} b\n"), "<p>a++} b</p>\n");
        // a stray closer is text, so it gets the portal's typography like any text
        // (WordPress shows `--` as an en dash too)
        assert_eq!(render("a--} b\n"), "<p>a\u{2013}} b</p>\n");
    }

    #[test]
    fn delimiters_inside_attributes_and_urls_are_written_back() {
        assert_eq!(
            render("![a {++b++}](x.png \"t {--u--}\")\n"),
            "<p><img src=\"x.png\" alt=\"a {++b++}\" title=\"t {--u--}\" /></p>\n"
        );
        let html = render("[x](java{++++}script:alert(1))\n");
        assert!(!html.contains("href=\"javascript"), "{html}");
        let html = render("[x](https://example.org/{++a++})\n");
        assert!(
            html.contains("href=\"https://example.org/%7B++a++%7D\""),
            "{html}"
        );
        // a mark spanning paragraphs does not reach into a link's destination: it is
        // written back, and the URL is checked as written
        let html = render("{++a\n\n[x](java++}script:alert(1))\n");
        assert_eq!(
            html,
            "<p>{++a</p>\n<p><a href=\"java++%7Dscript:alert(1)\">x</a></p>\n"
        );
        let html = render("{++a\n\n[x](javascript:alert(1)) b++}\n");
        assert!(!html.contains("href=\"javascript"), "{html}");
        // a delimiter alone in its paragraph whose mark did not reach the text stays in it
        assert_eq!(
            render("{--\n\n[x](a--}b)\n"),
            "<p>{--</p>\n<p><a href=\"a--%7Db\">x</a></p>\n"
        );
    }

    #[test]
    fn sentinels_already_in_the_text_are_neutralised() {
        let html = render("a {\u{FDD0}0} {++b++}\n");
        assert_eq!(
            html,
            "<p>a {\u{FFFD}0} <ins class=\"nr-ins\" data-mark=\"#0\">b</ins></p>\n"
        );
    }
}
