//! A piece's render as kept between keystrokes, and what is done with it: the bottom of
//! `incremental/`, used by `incremental.rs` and by its `marks.rs` and `notes.rs`.

use std::sync::Arc;

use super::refs;
use crate::critic::DelimiterRole;

/// A piece of the body as it was last rendered: where its text was, and what it gave.
#[derive(Debug, Clone)]
pub(super) struct Piece {
    pub(super) start: usize,
    pub(super) len: usize,
    pub(super) render: Arc<Rendered>,
    /// The lines before the piece in the body: its HTML's `data-sourcepos` lines are
    /// relative to the piece, moved down by these as the body's HTML is written.
    pub(super) shift: usize,
    /// Where the piece's HTML, moved down by the first, is in the body's HTML last written
    /// whole (`IncrementalBody::html`): a piece whose lines did not move since is copied
    /// from there, so writing the body after a keystroke that adds no line reformats no
    /// source position. `None` when it is not there (rendered since, or not plain).
    pub(super) written: Option<(usize, std::ops::Range<usize>)>,
    /// Its HTML is the piece's own, lines shifted (no mark open over it, none in it):
    /// else it was made tracked changes with its neighbours, and is not copied.
    pub(super) plain: bool,
}

/// A `data-sourcepos="SL:SC-EL:EC"` value in a piece's HTML, lines relative to the piece.
#[derive(Debug, Clone, Copy)]
pub(super) struct Position {
    /// The value's byte range in the piece's HTML.
    pub(super) at: usize,
    pub(super) end: usize,
    pub(super) start_line: usize,
    pub(super) start_column: usize,
    pub(super) end_line: usize,
    pub(super) end_column: usize,
}

#[derive(Debug)]
pub(super) struct Rendered {
    pub(super) html: String,
    pub(super) positions: Vec<Position>,
    /// Line breaks in the piece's text: how far it moves the pieces after it.
    pub(super) lines: usize,
    /// The line the piece was rendered followed by (the next piece's first), `None`
    /// for the body's last piece.
    pub(super) follower: Option<&'static str>,
    pub(super) words: usize,
    pub(super) characters: usize,
    pub(super) held_count: usize,
    pub(super) held_hosts: Vec<String>,
    /// The marks' tokens in the piece's HTML text (`tracked.rs`), in order.
    pub(super) tokens: Vec<(DelimiterRole, usize)>,
    /// The link references the piece defines, and those it asked the others for.
    pub(super) definitions: refs::Definitions,
    pub(super) asked: refs::Asked,
    /// Rendered with the other pieces that hold footnotes (`notes.rs`).
    pub(super) notes: bool,
}

pub(super) fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    // whole blocks first: a body is hundreds of kilobytes and the edit is near one place
    let mut i = 0;
    while i + 64 <= n && a[i..i + 64] == b[i..i + 64] {
        i += 64;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// The common suffix of `a` and `b`, at most `max` bytes.
pub(super) fn common_suffix(a: &[u8], b: &[u8], max: usize) -> usize {
    let (la, lb) = (a.len(), b.len());
    let mut i = 0;
    while i + 64 <= max && a[la - i - 64..la - i] == b[lb - i - 64..lb - i] {
        i += 64;
    }
    while i < max && a[la - i - 1] == b[lb - i - 1] {
        i += 1;
    }
    i
}

const SOURCEPOS: &str = "data-sourcepos=\"";

/// Every `data-sourcepos` value in HTML the renderer wrote. Text and attribute values
/// from the draft are escaped (`"` is `&quot;`), and raw HTML keeps no `data-` attribute,
/// so the attribute with its quote can only be the renderer's.
pub(super) fn positions(html: &str) -> Vec<Position> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(off) = html[from..].find(SOURCEPOS) {
        let at = from + off + SOURCEPOS.len();
        from = at;
        let Some(len) = html[at..].find('"') else {
            break;
        };
        let value = &html[at..at + len];
        let parsed = value.split_once('-').and_then(|(a, b)| {
            let (sl, sc) = a.split_once(':')?;
            let (el, ec) = b.split_once(':')?;
            Some((
                sl.parse().ok()?,
                sc.parse().ok()?,
                el.parse().ok()?,
                ec.parse().ok()?,
            ))
        });
        if let Some((start_line, start_column, end_line, end_column)) = parsed {
            out.push(Position {
                at,
                end: at + len,
                start_line,
                start_column,
                end_line,
                end_column,
            });
        }
    }
    out
}

/// Appends a piece's HTML with its source lines moved down by `shift`.
pub(super) fn push_shifted(html: &mut String, r: &Rendered, shift: usize) {
    use std::fmt::Write;
    if shift == 0 || r.positions.is_empty() {
        html.push_str(&r.html);
        return;
    }
    let mut copied = 0;
    for p in &r.positions {
        html.push_str(&r.html[copied..p.at]);
        // Writing into a String cannot fail.
        let _ = write!(
            html,
            "{}:{}-{}:{}",
            p.start_line + shift,
            p.start_column,
            p.end_line + shift,
            p.end_column
        );
        copied = p.end;
    }
    html.push_str(&r.html[copied..]);
}

/// The line a piece is rendered followed by, for the next piece's `text`: a line of the
/// same kind as its first. Which block that line starts (an ATX heading, or a paragraph:
/// `starts_a_piece` allows no other) is what changes how the piece's open blocks close,
/// not its words; so typing in the next piece's first line leaves this piece as it was.
pub(super) fn follower(text: &str) -> &'static str {
    let hashes = text.bytes().take_while(|c| *c == b'#').count();
    let heading = (1..=6).contains(&hashes)
        && matches!(
            text.as_bytes().get(hashes),
            None | Some(b' ' | b'\t' | b'\r' | b'\n')
        );
    if heading { "#\n" } else { "x\n" }
}
