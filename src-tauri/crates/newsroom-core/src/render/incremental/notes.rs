//! Footnotes across pieces: numbered by first reference over the whole body, their
//! section at its end, so the pieces that hold them are rendered together.
//!
//! The pieces with a `[^` (every footnote reference and definition has one) make a
//! document of their own, in the body's order, each followed by a line of the kind the
//! body's next piece starts with and a blank line when that piece is not in the document
//! too (so each ends as in the body and the next starts fresh, see `render_safe_piece`).
//! comrak numbers the footnotes of that document as it numbers the body's: the other
//! pieces hold no reference. Each piece's blocks are then written alone
//! ([`render_safe_notes`]), and the section's lines, the document's, are mapped back to
//! the body's as its HTML is put together ([`push_section`]). A keystroke in a piece
//! without footnotes leaves the document as it was, and it is reused whole; a keystroke
//! in one of its pieces renders it again.

use std::sync::Arc;

use super::refs::{self, Definitions, Scope};
use super::rendered::{Rendered, follower, positions};
use crate::render::safe::{NotesPiece, RenderOptions, render_safe_notes};
use crate::render::tracked;

/// The pieces with footnotes as last rendered.
#[derive(Debug)]
pub(super) struct Notes {
    /// The document they made, and its layout.
    doc: String,
    pieces: Vec<NotesPiece>,
    /// Each piece's render, in order, then the footnotes' section.
    pub(super) renders: Vec<Arc<Rendered>>,
    pub(super) section: Arc<Rendered>,
    /// The link references the document asked the other pieces for.
    asked: refs::Asked,
    /// How many bytes its references to its own definitions can expand (see `refs.rs`).
    bound: usize,
}

impl Notes {
    /// What the document spends of comrak's budget for references.
    pub(super) fn spent(&self) -> usize {
        self.asked.size + self.bound
    }

    /// Whether this is the render of `doc` with `scope`'s definitions.
    pub(super) fn same(&self, doc: &str, scope: &Scope, scope_changed: bool) -> bool {
        self.doc == doc && (!scope_changed || self.asked.same_in(scope))
    }
}

/// The document of the pieces `noted` (indices into `starts`, the body's pieces).
pub(super) fn document(text: &str, starts: &[usize], noted: &[usize]) -> (String, Vec<NotesPiece>) {
    let mut doc = String::new();
    let mut pieces = Vec::with_capacity(noted.len());
    let mut line = 1;
    for (k, &i) in noted.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let piece = &text[starts[i]..end];
        let lines = piece.bytes().filter(|b| *b == b'\n').count();
        doc.push_str(piece);
        let next_noted = noted.get(k + 1) == Some(&(i + 1));
        let follower_line = (end < text.len() && !next_noted).then(|| {
            doc.push_str(follower(&text[end..]));
            doc.push('\n');
            line + lines
        });
        pieces.push(NotesPiece {
            first_line: line,
            lines,
            follower_line,
        });
        line += lines + if follower_line.is_some() { 2 } else { 0 };
    }
    (doc, pieces)
}

/// Renders the document of the pieces with footnotes; `texts` are the pieces' texts,
/// `definitions` what each defines. `None` when a piece does not end cleanly.
#[allow(clippy::too_many_arguments)] // the document, its pieces and how to render them
pub(super) fn render(
    doc: String,
    pieces: Vec<NotesPiece>,
    texts: &[&str],
    followers: &[Option<&'static str>],
    definitions: Vec<Definitions>,
    options: &RenderOptions,
    scope: &Arc<Scope>,
    tracked: bool,
) -> Option<Notes> {
    let (callback, asked) = scope.callback();
    let fix_url = tracked.then_some(tracked::restore_delimiters as fn(&str) -> String);
    let (written, (section_html, section_held)) =
        render_safe_notes(&doc, options, fix_url, Some(callback), &pieces)?;
    let asked = refs::take(asked);
    let largest = definitions.iter().map(|d| d.largest).max().unwrap_or(0);
    let bound = doc.bytes().filter(|b| *b == b']').count() * largest;
    let rendered = |html: String, held: crate::render::url_policy::HeldImages| Rendered {
        positions: if options.sourcepos {
            positions(&html)
        } else {
            Vec::new()
        },
        tokens: if tracked {
            tracked::tokens_of(&html)
        } else {
            Vec::new()
        },
        held_count: held.count(),
        held_hosts: held.hosts(),
        html,
        lines: 0,
        follower: None,
        words: 0,
        characters: 0,
        definitions: Definitions::default(),
        asked: refs::Asked::default(),
        notes: true,
    };
    let renders = written
        .into_iter()
        .zip(texts.iter().zip(followers))
        .zip(definitions)
        .map(|(((html, held), (text, follower)), definitions)| {
            let stats = crate::render::article::stats_of(text);
            Arc::new(Rendered {
                lines: text.bytes().filter(|b| *b == b'\n').count(),
                follower: *follower,
                words: stats.words,
                characters: stats.characters,
                definitions,
                ..rendered(html, held)
            })
        })
        .collect();
    Some(Notes {
        doc,
        pieces,
        renders,
        section: Arc::new(rendered(section_html, section_held)),
        asked,
        bound,
    })
}

/// Appends the footnotes' section, its lines (the document's) moved to the body's:
/// `shifts` are the lines before each of the document's pieces in the body.
pub(super) fn push_section(out: &mut String, notes: &Notes, shifts: &[usize]) {
    use std::fmt::Write;
    let section = &notes.section;
    let body_line = |line: usize| {
        let k = notes
            .pieces
            .partition_point(|p| p.first_line <= line)
            .saturating_sub(1);
        match (notes.pieces.get(k), shifts.get(k)) {
            (Some(p), Some(shift)) => shift + line + 1 - p.first_line,
            _ => line,
        }
    };
    let mut copied = 0;
    for p in &section.positions {
        out.push_str(&section.html[copied..p.at]);
        // Writing into a String cannot fail.
        let _ = write!(
            out,
            "{}:{}-{}:{}",
            body_line(p.start_line),
            p.start_column,
            body_line(p.end_line),
            p.end_column
        );
        copied = p.end;
    }
    out.push_str(&section.html[copied..]);
}
