//! A body rendered in pieces, so a keystroke re-renders only the piece it changed.
//!
//! Why: the preview renders on every keystroke, and a whole 50,000-word body takes comrak
//! ≈ 10 ms where the edited paragraph takes a few microseconds (docs/performance.md).
//!
//! How, and why it gives the full render's bytes:
//!
//! - **Pieces.** The body is cut before a line that follows a blank line, is not indented
//!   and starts with a letter, a digit that does not open an ordered list item, or `#`
//!   ([`piece_starts`]). Such a line starts a new top-level block and can continue none:
//!   not a list item, a block quote, a fence, a setext underline, a table row, a list
//!   item's or footnote's indented continuation, nor a lazy line (the blank line ends any
//!   paragraph). Block parsing is left to right, and its only look-ahead (a setext
//!   underline, a table's delimiter row) is one line, so the parser reaches that line as
//!   it would begin a new document, with one exception: a block that a blank line does
//!   not close (a fenced code block, an HTML block of CommonMark's kinds 1–5). The cut
//!   skips what looks like an open fence or HTML comment, and the parser itself has the
//!   last word: each piece is parsed alone, followed by a line of the kind the next piece
//!   starts with ([`follower`]; the kind changes where the piece's open blocks end, so
//!   their `data-sourcepos`), and [`render_safe_piece`] says whether that line started a
//!   block of its own; if it did not, the piece ends inside such a block and the body is
//!   rendered whole. So every piece starts in a fresh parser's state, by induction from
//!   the first, and ends as it does in the whole body.
//! - **What reaches across the body** is rendered with the body in view. Link reference
//!   definitions: each piece is rendered with the body's definitions in scope, and again
//!   when an answer it got changed (`refs.rs`). Footnotes: the pieces that hold them are
//!   rendered together, numbered as in the body (`notes.rs`). CriticMarkup: the marks are
//!   paired over the whole body, the pieces cut from the text comrak is given (delimiters
//!   as tokens, `tracked.rs`'s [`Marked`]), and the tokens made tracked changes in runs of
//!   pieces from where no mark is open to where none is; a piece with no token and no mark
//!   open over it is written as it is.
//! - **What is not provably local falls back to the full render**: a label defined in two
//!   pieces, a footnote defined twice, a lone `\r` line ending, a body past the render cap,
//!   a portal's upload map, and what `refs.rs` and `notes.rs` cannot vouch for.
//! - **Reuse.** The text before the first changed byte and after the last is the same as
//!   last time; a piece wholly inside either, at the same place relative to it and followed
//!   by a line of the same kind, is the same text rendered alone in the same state, so its
//!   HTML is reused. Its `data-sourcepos` lines are relative to the piece and are shifted
//!   by the lines before it as the body's HTML is put together; columns need nothing (a
//!   piece starts at a line's start). The cut itself is found again only around the edit
//!   (`IncrementalBody::cut`), and only the edited bytes are looked at for what renders
//!   whole, so a keystroke costs little more than its piece and a few `memcpy`s.
//! - **Figures.** Words and characters are summed over pieces: every cut is after a line
//!   break, so no word spans two pieces (with marks, pieces a mark takes text out of are
//!   counted from the accepted text, joined where it takes out the break between them). Remote images held back are replayed piece by
//!   piece in the body's order (comrak rewrites image URLs as it writes them, in document
//!   order), which gives the whole render's count and first-seen hosts.
//!
//! `tests/incremental_preview.rs` checks all of this against the full render after every
//! one of thousands of random edits.

use std::sync::Arc;

use super::article::{ArticleStats, stats_from};
use super::body::{MAX_RENDERED_BYTES, render_body};
use super::safe::{RenderOptions, render_safe_piece};
use super::tracked::{self, Marked};
use super::url_policy::HeldImages;
use crate::markdown::Punctuation;
use refs::Scope;
use rendered::{Piece, Rendered, common_prefix, common_suffix, follower, positions, push_shifted};

mod marks;
mod notes;
mod refs;
mod rendered;

/// What a rendered piece depends on besides its text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    asset_base: Option<String>,
    draft_dir: String,
    remote: bool,
    sourcepos: bool,
    punctuation: Punctuation,
    /// The body has marks: pieces are rendered with their URLs' delimiters put back.
    tracked: bool,
}

impl Key {
    fn of(options: &RenderOptions) -> Self {
        Key {
            asset_base: options.images.asset_base.clone(),
            draft_dir: options.images.draft_dir.clone(),
            remote: options.images.remote,
            sourcepos: options.sourcepos,
            punctuation: options.punctuation,
            tracked: false,
        }
    }
}

/// A piece's render, compared by identity: the same one in two renders is a piece the
/// second reused (held, so its address is not given to a new one meanwhile).
#[derive(Debug, Clone)]
pub(super) struct PieceId(Arc<Rendered>);

impl PartialEq for PieceId {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// How many pieces the last render made and how many of them it rendered (the rest were
/// reused); `None` when it rendered the body whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reuse {
    pub pieces: usize,
    pub rendered: usize,
}

/// Where an edit changed a body (byte offsets): the last body's `at..at + removed`
/// became the new body's `at..at + inserted`, the text before and after is the same.
/// A caller that knows it (the page sends its edits) spares the comparison of the two
/// bodies and the copy of the new one (the kept text is spliced); a wrong one gives a
/// wrong preview (checked against the comparison in every test build).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct BodyEdit {
    pub(super) at: usize,
    pub(super) removed: usize,
    pub(super) inserted: usize,
}

/// The state kept between renders of one body as it is edited.
#[derive(Debug, Default)]
pub(super) struct IncrementalBody {
    key: Option<Key>,
    /// The last text rendered in pieces (the body, or with marks the text comrak was
    /// given); empty after a whole render.
    text: String,
    /// `text` is the body as written (it had no mark opener, [`crate::critic::may_contain_marks`]).
    text_is_body: bool,
    /// The body's HTML as last written whole, by [`IncrementalBody::write`] or, when the
    /// pieces' HTML is not their own (marks, footnotes), by the render itself; the pieces'
    /// [`Piece::written`] say what of it is still theirs.
    html: String,
    /// `html` is the last render's: else [`IncrementalBody::write`] puts it together from
    /// the pieces. A keystroke answered as a delta never needs the whole (≈ 450 KB at
    /// 50,000 words, every source position below an Enter reformatted).
    html_current: bool,
    pieces: Vec<Piece>,
    last: Option<Reuse>,
    /// The link reference definitions the pieces were rendered with.
    scope: Arc<Scope>,
    /// The pieces with footnotes, rendered together.
    notes: Option<Arc<notes::Notes>>,
    /// The last body's marks, and the figures of the pieces they take text out of.
    marks: marks::LastMarks,
    groups: marks::GroupCounts,
}

impl IncrementalBody {
    /// What the last render reused.
    pub(super) fn last_reuse(&self) -> Option<Reuse> {
        self.last
    }

    /// The last render's pieces in order (none when it rendered the body whole), for the
    /// page's delta ([`super::incremental_delta`]): each one's render, the lines before it,
    /// and its HTML as the body has it.
    ///
    /// None either when a piece's HTML is not its own (made tracked changes with its
    /// neighbours) or footnotes put a section after the pieces: the body is then not the
    /// pieces one after the other, so the page could not follow it piece by piece.
    pub(super) fn last_pieces(&self) -> impl Iterator<Item = PieceView<'_>> + '_ {
        let tiled = self.notes.is_none() && self.pieces.iter().all(|p| p.plain);
        let pieces = if tiled { &self.pieces[..] } else { &[] };
        pieces.iter().map(|p| PieceView {
            render: &p.render,
            shift: p.shift,
        })
    }

    /// Appends the last render's body HTML to `html`, exactly as [`render_body`] writes it:
    /// put together from the pieces when the render left it to be (each piece copied from
    /// the body's HTML last written whole if its lines did not move since, else written
    /// with its lines moved), and kept for the next call.
    pub(super) fn write(&mut self, html: &mut String) {
        if !self.html_current {
            let mut out = String::with_capacity(self.html.len() + self.html.len() / 8 + 1024);
            for p in &mut self.pieces {
                debug_assert!(p.plain, "a body with marks is written as it is rendered");
                let at = out.len();
                match &p.written {
                    Some((shift, was)) if *shift == p.shift => {
                        out.push_str(&self.html[was.clone()])
                    }
                    _ => push_shifted(&mut out, &p.render, p.shift),
                }
                p.written = Some((p.shift, at..out.len()));
            }
            self.html = out;
            self.html_current = true;
        }
        html.push_str(&self.html);
    }

    /// Appends `body`'s HTML to `html`, exactly as [`render_body`] writes it, and returns
    /// its figures (as the article's [`super::article::stats_of`] counts them). Remote
    /// images held back are noted in `options.images.held`, as the full render notes them.
    ///
    /// The body's HTML is not written here: [`IncrementalBody::write`] writes it when it
    /// is wanted, and the pieces that changed are in [`IncrementalBody::last_pieces`].
    /// `edit`, when the caller knows it, is where `body` differs from the last one.
    pub(super) fn render(
        &mut self,
        body: &str,
        options: &RenderOptions,
        edit: Option<BodyEdit>,
    ) -> ArticleStats {
        if body.len() > MAX_RENDERED_BYTES || !options.images.uploaded.is_empty() {
            return self.render_whole(body, options);
        }
        // the edit is of use only against a body kept as it was written, and when it fits
        let edit = edit.filter(|e| {
            self.text_is_body
                && !self.pieces.is_empty()
                && e.at + e.removed <= self.text.len()
                && e.at + e.inserted <= body.len()
                && self.text.len() - e.removed == body.len() - e.inserted
                && body.is_char_boundary(e.at)
                && body.is_char_boundary(e.at + e.inserted)
        });
        // A body with marks is rendered as the full render renders it: its text with the
        // marks' delimiters as tokens (`tracked.rs`), in pieces, the tokens made tracked
        // changes where marks are open. The last body had no mark opener (`text_is_body`):
        // the body has one only if the edit made it, within two bytes of it.
        let openers = match edit {
            Some(e) => opener_near(body.as_bytes(), e.at, e.at + e.inserted),
            None => crate::critic::may_contain_marks(body),
        };
        let marked = if openers {
            Some(match self.marks.reuse(body, &self.text) {
                Some(m) => {
                    // the marks kept are those found again (checked in every test build,
                    // so the property test checks it after each of its edits)
                    #[cfg(debug_assertions)]
                    {
                        let found = Marked::of(body);
                        debug_assert_eq!(m.text, found.text);
                        debug_assert_eq!(m.marks, found.marks);
                        debug_assert_eq!(m.delimiters, found.delimiters);
                    }
                    m
                }
                None => Marked::of(body),
            })
        } else {
            None
        };
        let text: &str = marked.as_ref().map_or(body, |m| &m.text);
        let marks = marked.as_ref().filter(|m| !m.marks.is_empty());
        let mut key = Key::of(options);
        key.tracked = marks.is_some();
        let tracked = key.tracked;
        let mut edit = edit.filter(|_| marked.is_none());
        if self.key.as_ref() != Some(&key) {
            self.pieces.clear();
            self.text.clear();
            self.html.clear();
            self.html_current = false;
            self.key = Some(key);
            edit = None;
        }
        let (prefix, new_suffix, old_suffix) = match edit {
            Some(e) => {
                // the edit is what the bodies' comparison finds, or within it (checked in
                // every test build, so the property tests check it after each edit)
                #[cfg(debug_assertions)]
                {
                    let (old, new) = (self.text.as_bytes(), text.as_bytes());
                    assert_eq!(old[..e.at], new[..e.at], "the text before the edit");
                    assert_eq!(
                        old[e.at + e.removed..],
                        new[e.at + e.inserted..],
                        "the text after the edit"
                    );
                }
                (e.at, e.at + e.inserted, e.at + e.removed)
            }
            None => {
                let prefix = common_prefix(self.text.as_bytes(), text.as_bytes());
                let suffix = common_suffix(
                    self.text.as_bytes(),
                    text.as_bytes(),
                    self.text.len().min(text.len()) - prefix,
                );
                (prefix, text.len() - suffix, self.text.len() - suffix)
            }
        };
        // The last text (when it was rendered in pieces) had nothing that renders whole,
        // so only what the edit touched, with two bytes either side, is looked at. After
        // a whole render there is no last text: all of it is looked at.
        let window = prefix.saturating_sub(2)..(new_suffix + 2).min(text.len());
        if !in_pieces(text.as_bytes(), window) {
            return self.render_whole(body, options);
        }
        let starts = self.cut(text, prefix, new_suffix, old_suffix);
        // the cut around the edit is the whole text's cut (checked in every test build,
        // so the property test checks it after each of its edits)
        debug_assert_eq!(starts, piece_starts(text));

        // each piece's render, and where its HTML was last time if it is reused; the
        // pieces to render again first get what they define (link references)
        type Was = Option<(usize, std::ops::Range<usize>)>;
        enum Plan {
            Kept(Arc<Rendered>, Was),
            Fresh(refs::Definitions),
        }
        let mut plans: Vec<Plan> = Vec::with_capacity(starts.len());
        // the last body's piece looked at: the old starts asked for only grow
        let mut cursor = 0;
        for (i, &start) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            let last = i + 1 == starts.len();
            let len = end - start;
            let old_start = if end <= prefix {
                Some(start)
            } else if start >= new_suffix {
                Some(start - new_suffix + old_suffix)
            } else {
                None
            };
            let follower = (!last).then(|| follower(&text[end..]));
            match old_start.and_then(|at| self.piece_at(&mut cursor, at, len, follower)) {
                Some(old) => plans.push(Plan::Kept(old.render.clone(), old.written.clone())),
                None => {
                    let text = &text[start..end];
                    let defs = if text.contains("]:") {
                        refs::definitions(text, options.punctuation)
                    } else {
                        Some(refs::Definitions::default())
                    };
                    match defs {
                        Some(d) => plans.push(Plan::Fresh(d)),
                        // what the piece defines cannot be told: the text is rendered whole
                        None => return self.render_whole(body, options),
                    }
                }
            }
        }
        let scope = Scope::of(plans.iter().map(|p| match p {
            Plan::Kept(r, _) => &r.definitions,
            Plan::Fresh(d) => d,
        }));
        let Some(scope) = scope else {
            // a label defined twice, the second time in a piece of its own
            return self.render_whole(body, options);
        };
        let scope = Arc::new(scope);
        let scope_changed = *scope != *self.scope;
        let mut rendered = 0;
        let mut spent = 0;

        // the pieces with footnotes, rendered together unless their document is the same
        let end_of = |i: usize| starts.get(i + 1).copied().unwrap_or(text.len());
        let noted: Vec<usize> = (0..starts.len())
            .filter(|&i| match &plans[i] {
                Plan::Kept(r, _) => r.notes,
                Plan::Fresh(_) => text[starts[i]..end_of(i)].contains("[^"),
            })
            .collect();
        let notes = if noted.is_empty() {
            None
        } else {
            let (doc, layout) = notes::document(text, &starts, &noted);
            match &self.notes {
                Some(n) if n.same(&doc, &scope, scope_changed) => Some(n.clone()),
                _ => {
                    rendered += noted.len();
                    let texts: Vec<&str> =
                        noted.iter().map(|&i| &text[starts[i]..end_of(i)]).collect();
                    let followers: Vec<Option<&'static str>> = noted
                        .iter()
                        .map(|&i| (i + 1 < starts.len()).then(|| follower(&text[end_of(i)..])))
                        .collect();
                    let definitions = noted
                        .iter()
                        .map(|&i| match &plans[i] {
                            Plan::Kept(r, _) => r.definitions.clone(),
                            Plan::Fresh(d) => d.clone(),
                        })
                        .collect();
                    let n = notes::render(
                        doc,
                        layout,
                        &texts,
                        &followers,
                        definitions,
                        options,
                        &scope,
                        tracked,
                    );
                    match n {
                        Some(n) => Some(Arc::new(n)),
                        // a piece does not end cleanly: the body is rendered whole
                        None => return self.render_whole(body, options),
                    }
                }
            }
        };
        if let Some(n) = &notes {
            spent += n.spent();
        }

        let mut renders: Vec<(Arc<Rendered>, Was)> = Vec::with_capacity(starts.len());
        let mut noted_at = 0;
        for (i, plan) in plans.into_iter().enumerate() {
            let start = starts[i];
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            let follower = (i + 1 < starts.len()).then(|| follower(&text[end..]));
            if let (Some(n), Some(&k)) = (&notes, noted.get(noted_at)) {
                if k == i {
                    let r = n.renders[noted_at].clone();
                    noted_at += 1;
                    let was = match plan {
                        Plan::Kept(old, was) if Arc::ptr_eq(&old, &r) => was,
                        _ => None,
                    };
                    renders.push((r, was));
                    continue;
                }
            }
            let defs = match plan {
                Plan::Kept(r, was) if !scope_changed || r.asked.same_in(&scope) => {
                    spent += r.asked.size + r.definitions.bound;
                    renders.push((r, was));
                    continue;
                }
                // a reference it resolved from another piece resolves differently now
                Plan::Kept(r, _) => r.definitions.clone(),
                Plan::Fresh(d) => d,
            };
            rendered += 1;
            match render_piece(&text[start..end], options, follower, defs, &scope, tracked) {
                Some(r) => {
                    spent += r.asked.size + r.definitions.bound;
                    renders.push((Arc::new(r), None));
                }
                // The parser disagrees with the cut: the text is rendered whole.
                None => return self.render_whole(body, options),
            }
        }
        if !refs::within_budget(text.len(), spent) {
            // comrak might run out of its budget for expanding references in the text
            return self.render_whole(body, options);
        }
        self.scope = scope;

        // Pieces whose HTML is their own are written when the body's HTML is asked for
        // (`write`); with marks or footnotes the body is not the pieces one after the
        // other, and is written now.
        let eager = marks.is_some() || notes.is_some();
        let mut html = String::new();
        if eager {
            html.reserve(self.html.len() + self.html.len() / 8 + 1024);
        }
        let mut pieces = Vec::with_capacity(renders.len());
        let complete = marks.map(|_| {
            let section = notes.iter().flat_map(|n| &n.section.tokens);
            tracked::complete_of(renders.iter().flat_map(|(r, _)| &r.tokens).chain(section))
        });
        // the marks open after the last piece, and the HTML of the pieces since none was
        let mut open = Vec::new();
        let mut run = String::new();
        let mut line = 0;
        let mut note_shifts = Vec::with_capacity(noted.len());
        for (i, (r, old)) in renders.iter().enumerate() {
            if r.notes {
                note_shifts.push(line);
            }
            let start = starts[i];
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            let html_at = html.len();
            let (plain, written) = match (marks, &complete) {
                (Some(m), Some(complete)) if !open.is_empty() || !r.tokens.is_empty() => {
                    push_shifted(&mut run, r, line);
                    tracked::open_after(&mut open, &r.tokens, complete);
                    if open.is_empty() {
                        tracked::track(&mut html, &run, complete, &m.marks);
                        run.clear();
                    }
                    (false, None)
                }
                _ if eager => {
                    match old {
                        Some((shift, was)) if *shift == line => {
                            html.push_str(&self.html[was.clone()])
                        }
                        _ => push_shifted(&mut html, r, line),
                    }
                    (true, Some((line, html_at..html.len())))
                }
                // still where the body's HTML was last written whole, if it was there
                _ => (true, old.clone()),
            };
            pieces.push(Piece {
                start,
                len: end - start,
                render: r.clone(),
                shift: line,
                written,
                plain,
            });
            line += r.lines;
            options.images.held.absorb(r.held_count, &r.held_hosts);
        }
        if let Some(n) = &notes {
            let section = &n.section;
            match (marks, &complete) {
                (Some(_), Some(complete)) if !open.is_empty() || !section.tokens.is_empty() => {
                    notes::push_section(&mut run, n, &note_shifts);
                    tracked::open_after(&mut open, &section.tokens, complete);
                }
                _ => notes::push_section(&mut html, n, &note_shifts),
            }
            options
                .images
                .held
                .absorb(section.held_count, &section.held_hosts);
        }
        if let (Some(m), Some(complete)) = (marks, &complete) {
            if !run.is_empty() {
                tracked::track(&mut html, &run, complete, &m.marks);
            }
        }
        self.notes = notes;
        let (words, characters) = match marks {
            Some(m) => marks::counts(body, m, &pieces, &mut self.groups),
            None => pieces.iter().fold((0, 0), |(w, c), p| {
                (w + p.render.words, c + p.render.characters)
            }),
        };
        self.last = Some(Reuse {
            pieces: pieces.len(),
            rendered,
        });
        self.pieces = pieces;
        match edit {
            // the kept body spliced: the bytes after the edit moved, none copied anew
            Some(e) => self
                .text
                .replace_range(e.at..e.at + e.removed, &text[e.at..e.at + e.inserted]),
            None => {
                self.text.clear();
                self.text.push_str(text);
            }
        }
        self.text_is_body = !openers;
        if eager {
            self.html = html;
        }
        self.html_current = eager;
        self.marks.keep(body, marked);
        stats_from(words, characters)
    }

    fn render_whole(&mut self, body: &str, options: &RenderOptions) -> ArticleStats {
        self.pieces.clear();
        self.text.clear();
        self.text_is_body = false;
        self.html = render_body(body, options);
        self.html_current = true;
        self.last = None;
        self.scope = Arc::default();
        self.notes = None;
        self.marks.clear();
        super::article::stats_of(&crate::critic::as_accepted(body))
    }

    /// Where the body's pieces start ([`piece_starts`]), cut again only around the edit:
    /// the last body's starts whose line lies wholly before it are kept (the text up to
    /// them and their first line are unchanged, so the cut's state there is), the cut
    /// resumes after the last of them, and stops at the first start after the edit that
    /// was a start last time (the text from there on is the same, and a start is always
    /// met in the same state), the last body's starts following from there.
    fn cut(&self, body: &str, prefix: usize, new_suffix: usize, old_suffix: usize) -> Vec<usize> {
        if self.pieces.is_empty() {
            return piece_starts(body);
        }
        let whole_line_before = |s: usize| body[s..].find('\n').is_some_and(|i| s + i < prefix);
        let mut kept = self.pieces.partition_point(|p| p.start < prefix);
        while kept > 1 && !whole_line_before(self.pieces[kept - 1].start) {
            kept -= 1;
        }
        let mut starts: Vec<usize> = if kept > 1 {
            self.pieces[..kept].iter().map(|p| p.start).collect()
        } else {
            vec![0]
        };
        // a start's line opens no fence or comment and is not blank: the cut goes on
        // from the next line as from the start of a text
        let from = match starts.last() {
            Some(&s) if s > 0 => body[s..].find('\n').map_or(body.len(), |i| s + i + 1),
            _ => 0,
        };
        let mut synced = None;
        scan(body, from, &mut starts, |t| {
            if t < new_suffix {
                return false;
            }
            let old = t - new_suffix + old_suffix;
            synced = self.pieces.binary_search_by_key(&old, |p| p.start).ok();
            synced.is_some()
        });
        if let Some(i) = synced {
            starts.extend(
                self.pieces[i + 1..]
                    .iter()
                    .map(|p| p.start - old_suffix + new_suffix),
            );
        }
        starts
    }

    /// The rendered piece that started at `start` in the last body and was `len` long,
    /// rendered followed by the same line, or last both times (what follows a piece
    /// changes where its open blocks end, see [`render_safe_piece`]). Looked for from
    /// piece `cursor` on, and `cursor` left there: asked in the body's order, all the
    /// pieces are looked for in one walk over the last ones, not one search each.
    fn piece_at(
        &self,
        cursor: &mut usize,
        start: usize,
        len: usize,
        follower: Option<&'static str>,
    ) -> Option<&Piece> {
        while self.pieces.get(*cursor).is_some_and(|p| p.start < start) {
            *cursor += 1;
        }
        let piece = self.pieces.get(*cursor).filter(|p| p.start == start)?;
        (piece.len == len && piece.render.follower == follower).then_some(piece)
    }
}

/// Whether `b` has a CriticMarkup opener ([`crate::critic::may_contain_marks`]) that
/// takes a byte of `from..to` or the join there: one starting up to two bytes before.
fn opener_near(b: &[u8], from: usize, to: usize) -> bool {
    (from.saturating_sub(2)..to.min(b.len())).any(|p| {
        b[p] == b'{'
            && matches!((b.get(p + 1), b.get(p + 2)), (Some(x), Some(y))
                if x == y && matches!(x, b'+' | b'-' | b'~' | b'=' | b'>'))
    })
}

/// One of the last render's pieces, as the page's delta sends it.
pub(super) struct PieceView<'a> {
    render: &'a Arc<Rendered>,
    /// The lines before it in the body.
    pub(super) shift: usize,
}

impl PieceView<'_> {
    /// The render, compared by identity with another answer's pieces.
    pub(super) fn id(&self) -> PieceId {
        PieceId(self.render.clone())
    }

    /// Whether it is the piece `id` (the same render).
    pub(super) fn is(&self, id: &PieceId) -> bool {
        Arc::ptr_eq(self.render, &id.0)
    }

    /// Appends its HTML as the body has it (lines moved down by those before it).
    pub(super) fn push_html(&self, html: &mut String) {
        push_shifted(html, self.render, self.shift);
    }

    /// Its HTML alone, lines relative to the piece (its first line is 1).
    pub(super) fn own_html(&self) -> &str {
        &self.render.html
    }
}

/// Whether the body can be rendered in pieces as far as `window` of it shows (see the
/// module's notes): no `\r` but before a `\n`.
fn in_pieces(b: &[u8], window: std::ops::Range<usize>) -> bool {
    let w = &b[window.clone()];
    let lone_cr = w.contains(&b'\r')
        && window
            .clone()
            .any(|i| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'));
    !lone_cr
}

/// Renders one piece alone, with a list of held-back images of its own; `None` when it
/// cannot be (see [`render_safe_piece`]).
fn render_piece(
    text: &str,
    options: &RenderOptions,
    follower: Option<&'static str>,
    definitions: refs::Definitions,
    scope: &Arc<Scope>,
    tracked: bool,
) -> Option<Rendered> {
    let mut own = options.clone();
    own.images.held = HeldImages::default();
    let (callback, asked) = scope.callback();
    let fix_url = tracked.then_some(tracked::restore_delimiters as fn(&str) -> String);
    let html = render_safe_piece(text, &own, follower, Some(callback), fix_url)?;
    let tokens = if tracked {
        tracked::tokens_of(&html)
    } else {
        Vec::new()
    };
    let asked = refs::take(asked);
    let positions = if options.sourcepos {
        positions(&html)
    } else {
        Vec::new()
    };
    let stats = super::article::stats_of(text);
    Some(Rendered {
        positions,
        lines: text.bytes().filter(|b| *b == b'\n').count(),
        follower,
        words: stats.words,
        characters: stats.characters,
        held_count: own.images.held.count(),
        held_hosts: own.images.held.hosts(),
        html,
        tokens,
        definitions,
        asked,
        notes: false,
    })
}

/// Where the body's pieces start: 0, then before every line that follows a blank line,
/// is not indented and starts with a letter, `#`, or a digit that does not open an ordered
/// list item, outside what looks like a fenced code block or an HTML comment. A wrong
/// guess here costs speed, never bytes: the parser checks each piece's end.
pub(super) fn piece_starts(body: &str) -> Vec<usize> {
    let mut starts = vec![0];
    scan(body, 0, &mut starts, |_| false);
    starts
}

/// [`piece_starts`]'s cut from `pos`, a line's start met as the start of a text (no fence
/// or comment open, the line before not blank), pushing the starts it finds; it stops
/// after a start for which `enough` says the rest is known.
fn scan(
    body: &str,
    mut pos: usize,
    starts: &mut Vec<usize>,
    mut enough: impl FnMut(usize) -> bool,
) {
    let b = body.as_bytes();
    let mut previous_blank = false;
    let mut fence: Option<(u8, usize)> = None;
    let mut comment = false;
    while pos < b.len() {
        // `str::find` of a byte looks for it a word at a time
        let end = body[pos..].find('\n').map_or(b.len(), |i| pos + i);
        let line = &b[pos..end];
        if let Some((ch, n)) = fence {
            if closes_fence(line, ch, n) {
                fence = None;
            }
            previous_blank = false;
        } else if comment {
            if contains(line, b"-->") {
                comment = false;
            }
            previous_blank = false;
        } else {
            let blank = line.iter().all(|c| matches!(c, b' ' | b'\t' | b'\r'));
            if previous_blank && starts_a_piece(&body[pos..end]) {
                starts.push(pos);
                if enough(pos) {
                    return;
                }
            }
            if let Some(f) = opens_fence(line) {
                fence = Some(f);
            } else if opens_comment(line) {
                comment = true;
            }
            previous_blank = blank;
        }
        pos = end + 1;
    }
}

fn starts_a_piece(line: &str) -> bool {
    let Some(first) = line.chars().next() else {
        return false;
    };
    if first == '#' || first.is_alphabetic() {
        return true;
    }
    if first.is_ascii_digit() {
        // `1. ` and `1) ` open an ordered list item, which may continue a list
        let after = line.bytes().find(|c| !c.is_ascii_digit());
        return !matches!(after, Some(b'.' | b')'));
    }
    false
}

fn contains(line: &[u8], needle: &[u8]) -> bool {
    line.windows(needle.len()).any(|w| w == needle)
}

/// Up to three spaces of indentation stripped, or `None` for an indented (code) line.
fn unindented(line: &[u8]) -> Option<&[u8]> {
    let spaces = line.iter().take_while(|c| **c == b' ').count();
    (spaces <= 3).then(|| &line[spaces..])
}

fn opens_fence(line: &[u8]) -> Option<(u8, usize)> {
    let rest = unindented(line)?;
    let ch = *rest.first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let n = rest.iter().take_while(|c| **c == ch).count();
    // a backtick fence's info string holds no backtick
    (n >= 3 && !(ch == b'`' && rest[n..].contains(&b'`'))).then_some((ch, n))
}

fn closes_fence(line: &[u8], ch: u8, open: usize) -> bool {
    let Some(rest) = unindented(line) else {
        return false;
    };
    let n = rest.iter().take_while(|c| **c == ch).count();
    n >= open && rest[n..].iter().all(|c| matches!(c, b' ' | b'\t' | b'\r'))
}

fn opens_comment(line: &[u8]) -> bool {
    unindented(line).is_some_and(|rest| rest.starts_with(b"<!--") && !contains(&rest[4..], b"-->"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cuts(body: &str) -> Vec<&str> {
        let starts = piece_starts(body);
        starts
            .iter()
            .enumerate()
            .map(|(i, s)| &body[*s..starts.get(i + 1).copied().unwrap_or(body.len())])
            .collect()
    }

    #[test]
    fn pieces_start_at_new_top_level_blocks_only() {
        assert_eq!(
            cuts("One.\n\nTwo\nlines.\n\n# Head\n\n2024 was\n"),
            ["One.\n\n", "Two\nlines.\n\n", "# Head\n\n", "2024 was\n"]
        );
        // list items, quotes, indented lines, ordered items and setext underlines continue
        let whole = "- a\n\n- b\n\n  more\n\n> q\n\n1. x\n\n    code\n\n===\n";
        assert_eq!(cuts(whole), [whole]);
        // nothing is cut inside a fence or an HTML comment
        let fenced = "```\n\ncode\n\n```\n\nAfter.\n";
        assert_eq!(cuts(fenced), ["```\n\ncode\n\n```\n\n", "After.\n"]);
        let comment = "<!-- a\n\nb -->\n\nAfter.\n";
        assert_eq!(cuts(comment), ["<!-- a\n\nb -->\n\n", "After.\n"]);
        // an unclosed fence runs to the end
        assert_eq!(cuts("~~~~\n\nx\n~~~\n\nY\n").len(), 1);
    }

    #[test]
    fn source_lines_move_and_columns_stay() {
        let html = render_safe_piece(
            "*a*\n\n- b\n",
            &RenderOptions {
                sourcepos: true,
                ..Default::default()
            },
            None,
            None,
            None,
        )
        .unwrap();
        let r = Rendered {
            positions: positions(&html),
            html,
            lines: 3,
            follower: None,
            words: 0,
            characters: 0,
            held_count: 0,
            held_hosts: Vec::new(),
            tokens: Vec::new(),
            definitions: Default::default(),
            asked: Default::default(),
            notes: false,
        };
        assert_eq!(r.positions.len(), 4, "{}", r.html);
        let mut out = String::new();
        push_shifted(&mut out, &r, 10);
        assert_eq!(
            out,
            "<p data-sourcepos=\"11:1-11:3\"><em data-sourcepos=\"11:1-11:3\">a</em></p>\n<ul data-sourcepos=\"13:1-13:3\">\n<li data-sourcepos=\"13:1-13:3\">b</li>\n</ul>\n"
        );
    }
}
