//! The preview as the page keeps it: after the first answer, only the pieces a keystroke
//! changed, and how far the pieces below them moved.
//!
//! Why: [`IncrementalPreview`] renders a keystroke at 50,000 words in a fraction of a
//! millisecond, but its answer is still the whole page (≈ 450 KB of HTML), and moving it
//! into a JavaScript string and finding the changed blocks in it cost the page more than
//! the render (docs/performance.md). Here the answer is the whole page only when the page
//! cannot follow otherwise ([`PageAnswer::Whole`]: the first answer, another page state, a
//! changed front matter, a body rendered whole); else it is a [`BodyDelta`]: the pieces
//! (see [`super::incremental`]) that were rendered again, their HTML as the whole body
//! has it, replacing a run of the last answer's pieces, and the line shift of every piece
//! after them, whose HTML is unchanged but for the `data-sourcepos` lines.
//!
//! The page finds a piece in its DOM by its first element, by the line in its
//! `data-sourcepos` (each piece's is sent, and checked here: [`first_line`]); a piece runs
//! to the next one's first element. So the page's body after a delta is the
//! body of [`super::render_draft`] of the same text, node for node, with the moved pieces'
//! lines shifted by the page (`ui/src/bodyPatch.ts`); `tests/page_preview_delta.rs`
//! checks a page kept so against the full render after every one of its random edits, and the
//! page's own test (`ui/test/previewDelta.test.ts`) the DOM.

use super::article;
use super::incremental::{BodyEdit, PieceId, PieceView};
use super::preview::{IncrementalPreview, Preview, draft_options, with_parts};

/// What changed in the body since the page's last answer: pieces `start..start + removed`
/// of that answer are replaced by the pieces of `html`; every piece after them moved by
/// `shift` lines.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BodyDelta {
    pub start: usize,
    pub removed: usize,
    /// The new pieces' HTML, one after the other, source lines as in the whole body.
    pub html: String,
    /// Each new piece's first element's line ([`first_line`]; 0: a piece with no HTML).
    pub lines: Vec<usize>,
    /// Lines added (negative: taken away) before the pieces after the new ones.
    pub shift: i64,
}

/// Where the page's edit changed the draft's text (byte offsets): the last text's
/// `at..at + removed` became the new text's `at..at + inserted`, the rest is the same.
/// Given with the text ([`PagePreview::render_edit`]), it spares comparing the last body
/// with the new one and copying it; the text before and after it must be the same, or the
/// answer is wrong (every test build checks it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextEdit {
    pub at: usize,
    pub removed: usize,
    pub inserted: usize,
}

/// An answer to the page.
#[derive(Debug, Clone)]
pub enum PageAnswer {
    /// The whole page, as [`super::render_draft`] writes it; `pieces`: each body piece's
    /// first element's line ([`first_line`]), when the page can follow the next answer
    /// as a delta.
    Whole {
        preview: Preview,
        pieces: Option<Vec<usize>>,
    },
    /// The body's change; `preview` has the figures, the front matter's error and the
    /// remote images, its `html` is empty (the page keeps its own).
    Delta { preview: Preview, delta: BodyDelta },
}

/// The page's preview state, kept between keystrokes.
#[derive(Debug, Default)]
pub struct PagePreview {
    preview: IncrementalPreview,
    /// The last answer's number (its first is 1): the page names the one it shows.
    generation: u64,
    /// The last answer's page around the body: a delta leaves it as it is.
    head: String,
    tail: String,
    /// The last answer's pieces and the lines before each; empty when the page cannot
    /// follow it with a delta.
    pieces: Vec<(PieceId, usize)>,
    /// Where the last body was in its text, when it was a part of it as it is (an edit
    /// after it is then an edit of the body at the same place less this).
    body_at: Option<usize>,
}

impl PagePreview {
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of the last answer; the page sends it back as `shown` once it shows it.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The preview of `text`, as [`IncrementalPreview::render_draft`] renders it, as a delta
    /// to the answer numbered `shown` when the page shows that one and a delta can say
    /// it, else whole. Either way, the answer gets the next number.
    pub fn render_draft(
        &mut self,
        rel: &str,
        text: &str,
        asset_base: Option<&str>,
        sourcepos: bool,
        remote_images: bool,
        shown: u64,
    ) -> PageAnswer {
        self.render_edit(rel, text, None, asset_base, sourcepos, remote_images, shown)
    }

    /// [`PagePreview::render_draft`] of `text`, which `edit` (when given) says is the last
    /// call's text edited there: only what the edit touched is looked at, so a keystroke
    /// costs the same at 1,000 words as at 50,000 but for a few `memmove`s. The body's
    /// whole HTML is put together only for a whole answer.
    #[allow(clippy::too_many_arguments)] // render_draft's, and the edit
    pub fn render_edit(
        &mut self,
        rel: &str,
        text: &str,
        edit: Option<TextEdit>,
        asset_base: Option<&str>,
        sourcepos: bool,
        remote_images: bool,
        shown: u64,
    ) -> PageAnswer {
        let options = draft_options(rel, asset_base, sourcepos, remote_images);
        let body_state = &mut self.preview.body;
        let last_body_at = self.body_at;
        let ((head, tail, stats, body_at), error) = with_parts(
            text,
            &crate::draft::file_title(rel),
            |fm, headline, body, body_at| {
                let mut head = String::new();
                article::push_head(&mut head, fm, headline, &options);
                // the edit in the body's terms, when the body is where it was and the edit
                // is in it
                let edit = match (edit, body_at) {
                    (Some(e), Some(at)) if last_body_at == Some(at) && e.at >= at => {
                        Some(BodyEdit {
                            at: e.at - at,
                            removed: e.removed,
                            inserted: e.inserted,
                        })
                    }
                    _ => None,
                };
                let stats = body_state.render(body, &options, edit);
                let mut tail = String::new();
                article::push_tail(&mut tail, fm);
                (head, tail, stats, body_at)
            },
        );
        self.body_at = body_at;
        let mut preview = Preview {
            html: String::new(),
            stats,
            error,
            remote_images: options.images.held.hosts(),
            remote_image_count: options.images.held.count(),
        };
        let new: Vec<PieceView> = if sourcepos {
            self.preview.body.last_pieces().collect()
        } else {
            Vec::new()
        };
        let old = std::mem::take(&mut self.pieces);
        let followable = !new.is_empty();
        let same_page = shown != 0
            && shown == self.generation
            && head == self.head
            && tail == self.tail
            && !old.is_empty();
        self.generation += 1;
        let delta = if followable && same_page {
            delta(&old, &new)
        } else {
            None
        };
        // the pieces' first lines, for a whole answer the next one can follow
        let lines: Option<Vec<usize>> = match &delta {
            None if followable => new.iter().map(piece_line).collect(),
            _ => None,
        };
        if delta.is_some() || lines.is_some() {
            self.pieces = new.iter().map(|p| (p.id(), p.shift)).collect();
        }
        let answer = match delta {
            Some(delta) => PageAnswer::Delta { preview, delta },
            None => {
                let mut html = String::with_capacity(head.len() + tail.len());
                html.push_str(&head);
                self.preview.body.write(&mut html);
                html.push_str(&tail);
                preview.html = html;
                PageAnswer::Whole {
                    preview,
                    pieces: lines,
                }
            }
        };
        self.head = head;
        self.tail = tail;
        answer
    }

    /// Forgets what the page shows: the next answer is whole (another text was rendered
    /// in between, e.g. a revision checked).
    pub fn forget(&mut self) {
        self.generation += 1;
        self.pieces.clear();
    }
}

/// The delta from `old` to `new` pieces (each with the lines before it): the pieces both
/// begin and end with, reused, stay; the rest of `new` is sent. `None` when the page could
/// not find a piece sent ([`first_line`]).
fn delta(old: &[(PieceId, usize)], new: &[PieceView]) -> Option<BodyDelta> {
    let same = |o: &(PieceId, usize), n: &PieceView| n.is(&o.0);
    let most = old.len().min(new.len());
    let mut head = 0;
    while head < most && same(&old[head], &new[head]) && old[head].1 == new[head].shift {
        head += 1;
    }
    let mut tail = 0;
    while tail < most - head && same(&old[old.len() - 1 - tail], &new[new.len() - 1 - tail]) {
        tail += 1;
    }
    // the pieces after the change all moved by the same lines (each one's lines are its own)
    let shift = if tail > 0 {
        new[new.len() - tail].shift as i64 - old[old.len() - tail].1 as i64
    } else {
        0
    };
    let sent = &new[head..new.len() - tail];
    let mut html = String::new();
    let mut lines = Vec::with_capacity(sent.len());
    for piece in sent {
        lines.push(piece_line(piece)?);
        piece.push_html(&mut html);
    }
    Some(BodyDelta {
        start: head,
        removed: old.len() - tail - head,
        html,
        lines,
        shift,
    })
}

/// [`first_line`] of a piece's HTML as the body has it: its own HTML's, moved down by the
/// lines before it (0 stays 0: no HTML).
fn piece_line(piece: &PieceView) -> Option<usize> {
    first_line(piece.own_html()).map(|l| if l == 0 { 0 } else { l + piece.shift })
}

/// How the page finds a piece in its DOM: the line of its first element's
/// `data-sourcepos` (the body's lines, the piece's own: its blocks are on its lines),
/// `Some(0)` for a piece with no HTML (blank lines), `None` when the piece does not start
/// with such an element. (A piece but the first starts with a paragraph, a heading or a
/// table, see [`super::incremental`]; the first may start with blank lines.)
fn first_line(html: &str) -> Option<usize> {
    if html.is_empty() {
        return Some(0);
    }
    let b = html.as_bytes();
    if b[0] != b'<' || !b.get(1).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let tag = &html[..html.find('>')?];
    let at = tag.find(SOURCEPOS)?;
    let (line, _) = tag[at + SOURCEPOS.len()..].split_once(':')?;
    line.parse().ok().filter(|l| *l > 0)
}

const SOURCEPOS: &str = " data-sourcepos=\"";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::render_draft;

    fn whole_pieces(answer: &PageAnswer) -> Option<&Vec<usize>> {
        match answer {
            PageAnswer::Whole { pieces, .. } => pieces.as_ref(),
            PageAnswer::Delta { .. } => None,
        }
    }

    #[test]
    fn a_keystroke_sends_its_piece_and_the_shift_below() {
        let mut page = PagePreview::new();
        let text = "---\ntitle: T\n---\nOne.\n\nTwo.\n\nThree.\n";
        let first = page.render_draft("a.md", text, None, true, false, 0);
        assert_eq!(whole_pieces(&first), Some(&vec![1, 3, 5]));
        let g = page.generation();
        let typed = text.replace("Two.", "Two\n\nand a half.");
        match page.render_draft("a.md", &typed, None, true, false, g) {
            PageAnswer::Delta { preview, delta } => {
                assert_eq!((delta.start, delta.removed, delta.shift), (1, 1, 2));
                assert_eq!(delta.lines, [3, 5]);
                assert_eq!(
                    delta.html,
                    "<p data-sourcepos=\"3:1-3:3\">Two</p>\n<p data-sourcepos=\"5:1-5:11\">and a half.</p>\n"
                );
                assert!(preview.html.is_empty());
                assert_eq!(
                    preview.stats,
                    render_draft("a.md", &typed, None, true, false).stats
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_page_gets_the_whole_when_it_shows_another_answer_or_the_head_changed() {
        let mut page = PagePreview::new();
        let text = "---\ntitle: T\n---\nOne.\n\nTwo.\n";
        page.render_draft("a.md", text, None, true, false, 0);
        let stale = page.generation() - 1;
        let again = page.render_draft(
            "a.md",
            "---\ntitle: T\n---\nOne!\n\nTwo.\n",
            None,
            true,
            false,
            stale,
        );
        assert!(whole_pieces(&again).is_some());
        let g = page.generation();
        let retitled = "---\ntitle: U\n---\nOne!\n\nTwo.\n";
        match page.render_draft("a.md", retitled, None, true, false, g) {
            PageAnswer::Whole { preview, pieces } => {
                assert_eq!(
                    preview.html,
                    render_draft("a.md", retitled, None, true, false).html
                );
                assert_eq!(pieces, Some(vec![1, 3]));
            }
            other => panic!("{other:?}"),
        }
        page.forget();
        let g = page.generation();
        assert!(whole_pieces(&page.render_draft("a.md", retitled, None, true, false, g)).is_some());
    }

    #[test]
    fn a_body_rendered_whole_cannot_be_followed() {
        let mut page = PagePreview::new();
        let text = "One.[^1]\n\n[^1]: Note.\n";
        let answer = page.render_draft("a.md", text, None, true, false, 0);
        assert!(matches!(answer, PageAnswer::Whole { pieces: None, .. }));
        let g = page.generation();
        let answer = page.render_draft("a.md", "One.\n\nTwo.\n", None, true, false, g);
        // the page's DOM has no pieces to replace: whole again, now followable
        assert_eq!(whole_pieces(&answer), Some(&vec![1, 3]));
        // an empty body is rendered whole (it has no pieces); the first word typed into
        // it gives pieces the page can follow from then on
        let empty = page.render_draft("a.md", "", None, true, false, 0);
        assert!(matches!(empty, PageAnswer::Whole { .. }));
        let g = page.generation();
        let typed = page.render_draft("a.md", "a\n", None, true, false, g);
        assert_eq!(whole_pieces(&typed), Some(&vec![1]));
        let g = page.generation();
        let more = page.render_draft("a.md", "ab\n", None, true, false, g);
        assert!(matches!(more, PageAnswer::Delta { .. }));
    }

    #[test]
    fn a_piece_is_found_by_its_first_element_line() {
        assert_eq!(
            first_line("<p data-sourcepos=\"12:1-12:4\">x</p>"),
            Some(12)
        );
        assert_eq!(first_line(""), Some(0));
        assert_eq!(first_line("<p>x</p>"), None);
        assert_eq!(first_line("text <p data-sourcepos=\"1:1-1:1\">"), None);
        assert_eq!(first_line("<p data-sourcepos=\"0:1-1:1\">"), None);
    }
}
