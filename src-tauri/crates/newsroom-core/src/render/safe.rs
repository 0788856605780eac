//! The safe render itself: comrak with [`crate::markdown`]'s options, every link and
//! image URL through [`super::url_policy`], raw HTML through [`super::raw_html`]. The
//! bottom of `render/`: it uses no other file of it but those two, so the body, the
//! tracked changes and the article page can all build on it without circles.

use std::sync::Arc;

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options, create_formatter};

use super::raw_html;
use super::url_policy::{self, HeldImages, ImagePolicy};
use crate::markdown::{Punctuation, comrak_options, comrak_options_with};

/// How to render a body.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub images: ImagePolicy,
    /// Adds `data-sourcepos` to block elements, so the app can keep the editor and the
    /// preview scrolled to the same paragraph.
    pub sourcepos: bool,
    /// Typographic (as the portal shows the text) unless a caller needs the spec's
    /// rendering (the conformance test).
    pub punctuation: Punctuation,
}

create_formatter!(SafeFormatter<ImagePolicy>, {
    NodeValue::HtmlInline(ref literal) => |context, entering| {
        if entering {
            let policy = context.user.clone();
            raw_html::write_inline(context, literal, &policy)?;
        }
    },
    NodeValue::HtmlBlock(ref block) => |context, entering| {
        if entering {
            context.cr()?;
            let policy = context.user.clone();
            raw_html::write_block(context, &block.literal, &policy)?;
        }
    },
});

/// The safe render. `fix_url` maps each link and image URL before the URL policy sees
/// it (the review preview puts its marks' delimiters back).
pub(crate) fn render_safe(
    markdown: &str,
    options: &RenderOptions,
    fix_url: Option<fn(&str) -> String>,
) -> String {
    render_safe_then(markdown, options, fix_url, None, |_| ()).0
}

/// Resolves the references a piece of a body does not define itself, from the body's
/// other pieces (see [`super::incremental`]).
pub(crate) type References = Arc<dyn comrak::options::BrokenLinkCallback>;

/// A piece of a body rendered as the whole body's render renders it (see
/// [`super::incremental`]); `None` when it cannot be.
///
/// A piece that is not the body's last is followed by a line that starts a new top-level
/// block after a blank line, `follower` (the next piece's first line). That line closes
/// the piece's open blocks, and where they end (their `data-sourcepos`) depends on it: a
/// list item closed by a heading ends on the blank line before it, one closed by a
/// paragraph or by the end of the text on its last character. So the piece is parsed with
/// that line after it, and the line's block is taken out of the tree before the HTML is
/// written. The parser also says whether the piece ends as a fresh document begins: if the
/// line did not start a top-level block of its own, the piece ends inside a block that a
/// blank line does not close (a fenced code block without its closing fence, an HTML
/// block of CommonMark's kinds 1 to 5 without its end), and cannot be rendered alone.
///
/// `references` resolves the link references the piece does not define itself, as the
/// whole body's definitions resolve them.
pub(crate) fn render_safe_piece(
    markdown: &str,
    options: &RenderOptions,
    follower: Option<&str>,
    references: Option<References>,
    fix_url: Option<fn(&str) -> String>,
) -> Option<String> {
    let Some(follower) = follower else {
        return Some(render_safe_then(markdown, options, fix_url, references, |_| ()).0);
    };
    if !markdown.ends_with('\n') {
        return None;
    }
    let mut text = String::with_capacity(markdown.len() + follower.len());
    text.push_str(markdown);
    text.push_str(follower);
    let line = 1 + markdown.bytes().filter(|b| *b == b'\n').count();
    let (html, clean) = render_safe_then(&text, options, fix_url, references, |root| {
        let Some(last) = root.last_child() else {
            return false;
        };
        let start = last.data().sourcepos.start;
        let own_block = start.line == line && start.column == 1;
        if own_block {
            last.detach();
        }
        own_block
    });
    clean.then_some(html)
}

/// A piece of a body with footnotes, in the document of such pieces given to
/// [`render_safe_notes`]: its first line there (1-based), how many lines it has, and the
/// line after it that stands for the body's next piece, if any (see
/// [`render_safe_piece`]; it is followed by a blank line, so the next piece starts as in
/// a fresh document).
#[derive(Debug, Clone, Copy)]
pub(crate) struct NotesPiece {
    pub first_line: usize,
    pub lines: usize,
    pub follower_line: Option<usize>,
}

/// HTML and the remote images it held back.
pub(crate) type Written = (String, HeldImages);

/// The pieces of a body that hold footnotes, rendered together as the whole body renders
/// them: one document of them (`markdown`, laid out as `pieces` say), so the footnotes
/// are numbered and their section made as in the body; then each piece's blocks written
/// alone, their lines made relative to the piece, with the images each holds back, and
/// the footnotes' section (its lines the document's) with its own. `None` when a piece
/// does not end as a fresh document begins (see [`render_safe_piece`]).
pub(crate) fn render_safe_notes(
    markdown: &str,
    options: &RenderOptions,
    fix_url: Option<fn(&str) -> String>,
    references: Option<References>,
    pieces: &[NotesPiece],
) -> Option<(Vec<Written>, Written)> {
    let mut comrak = comrak_options_with(options.sourcepos, options.punctuation);
    comrak.parse.broken_link_callback = references;
    let arena = Arena::new();
    let root = crate::markdown::parse(&arena, markdown, &comrak);
    // A footnote defined twice: comrak moves the last definition to the section and
    // leaves the others where they are (unreferenced, in the flow), which opens the
    // section there. Only a full render writes that.
    let twice = root.descendants().any(
        |n| matches!(&n.data().value, NodeValue::FootnoteDefinition(d) if d.total_references == 0),
    );
    if twice {
        return None;
    }
    let mut groups: Vec<Vec<&AstNode>> = vec![Vec::new(); pieces.len()];
    let mut section = Vec::new();
    let mut followers = 0;
    for node in root.children() {
        let start = node.data().sourcepos.start;
        if matches!(node.data().value, NodeValue::FootnoteDefinition(_)) {
            section.push(node);
            continue;
        }
        if pieces
            .iter()
            .any(|p| p.follower_line == Some(start.line) && start.column == 1)
        {
            followers += 1;
            continue;
        }
        let i = pieces.partition_point(|p| p.first_line <= start.line);
        let piece = pieces.get(i.checked_sub(1)?)?;
        if start.line >= piece.first_line + piece.lines {
            return None;
        }
        groups[i - 1].push(node);
    }
    if followers != pieces.iter().filter(|p| p.follower_line.is_some()).count() {
        return None;
    }
    let mut c = comrak.clone();
    c.parse.broken_link_callback = None;
    let written = groups
        .iter()
        .zip(pieces)
        .map(|(nodes, p)| write_alone(&arena, nodes, p.first_line - 1, options, &c, fix_url))
        .collect();
    let section = write_alone(&arena, &section, 0, options, &c, fix_url);
    Some((written, section))
}

/// Writes `nodes` as a document of their own, their lines moved up by `shift`, with a
/// list of held-back images of their own.
fn write_alone<'a>(
    arena: &'a Arena<'a>,
    nodes: &[&'a AstNode<'a>],
    shift: usize,
    options: &RenderOptions,
    comrak: &Options,
    fix_url: Option<fn(&str) -> String>,
) -> Written {
    let held = HeldImages::default();
    let mut own = options.clone();
    own.images.held = held.clone();
    let mut c = comrak.clone();
    set_rewriters(&mut c, &own, fix_url);
    let doc = arena.alloc(AstNode::from(NodeValue::Document));
    for node in nodes {
        node.detach();
        if shift > 0 {
            for d in node.descendants() {
                let mut data = d.data_mut();
                let pos = &mut data.sourcepos;
                if pos.start.line > 0 {
                    pos.start.line -= shift;
                }
                if pos.end.line > 0 {
                    pos.end.line -= shift;
                }
            }
        }
        doc.append(node);
    }
    let mut html = String::new();
    // Writing into a String cannot fail.
    let _ = SafeFormatter::format_document(doc, &c, &mut html, own.images.clone());
    (html, held)
}

/// Sets the URL policy's rewriters on `comrak` (see [`render_safe`] for `fix_url`).
fn set_rewriters(
    comrak: &mut Options,
    options: &RenderOptions,
    fix_url: Option<fn(&str) -> String>,
) {
    let images = options.images.clone();
    match fix_url {
        None => {
            comrak.extension.link_url_rewriter =
                Some(Arc::new(|url: &str| url_policy::link_href(url)));
            comrak.extension.image_url_rewriter =
                Some(Arc::new(move |url: &str| images.image_src(url)));
        }
        Some(fix) => {
            comrak.extension.link_url_rewriter =
                Some(Arc::new(move |url: &str| url_policy::link_href(&fix(url))));
            comrak.extension.image_url_rewriter =
                Some(Arc::new(move |url: &str| images.image_src(&fix(url))));
        }
    }
}

fn render_safe_then<R>(
    markdown: &str,
    options: &RenderOptions,
    fix_url: Option<fn(&str) -> String>,
    references: Option<References>,
    inspect: impl for<'a> FnOnce(&'a comrak::nodes::AstNode<'a>) -> R,
) -> (String, R) {
    let mut comrak = comrak_options_with(options.sourcepos, options.punctuation);
    comrak.parse.broken_link_callback = references;
    set_rewriters(&mut comrak, options, fix_url);

    let arena = Arena::new();
    let root = crate::markdown::parse(&arena, markdown, &comrak);
    let seen = inspect(root);
    let mut html = String::with_capacity(markdown.len() * 5 / 4 + 64);
    // Writing into a String cannot fail.
    let _ = SafeFormatter::format_document(root, &comrak, &mut html, options.images.clone());
    (html, seen)
}

/// comrak's own render with the same extensions, nothing of ours: the reference the
/// benchmarks compare the safe render against.
pub fn render_plain_comrak(markdown: &str) -> String {
    comrak::markdown_to_html(markdown, &comrak_options(false))
}

/// Writes `s` into HTML text or a quoted attribute value, escaped.
pub fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}
