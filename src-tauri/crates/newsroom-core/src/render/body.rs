//! A draft's body to HTML, within the render cap: marks (if any) as tracked changes,
//! the rest through the safe render.

use super::safe::{RenderOptions, push_escaped, render_safe};
use super::tracked;

/// Renders a draft's body (no front matter) to HTML that is safe in the app's webview.
/// CriticMarkup shows as tracked changes ([`tracked`]); a body without
/// any `{++ {-- {~~ {== {>>` takes the plain path, unchanged.
///
/// Only the first [`MAX_RENDERED_BYTES`] (to a line's end) are rendered as Markdown; the
/// rest is shown as escaped text after a note.
pub fn render_body(markdown: &str, options: &RenderOptions) -> String {
    if markdown.len() <= MAX_RENDERED_BYTES {
        return render_markdown(markdown, options);
    }
    let cut = cut_at_line(markdown, MAX_RENDERED_BYTES);
    let rest = &markdown[cut..];
    let mut html = render_markdown(&markdown[..cut], options);
    html.reserve(rest.len() + rest.len() / 8 + 256);
    html.push_str(&format!(
        "<p class=\"nr-unrendered-note\">The preview renders the first {} KiB of this draft; the remaining {} KiB are shown as plain text.</p>\n<pre class=\"nr-unrendered\">",
        cut / 1024,
        rest.len().div_ceil(1024)
    ));
    push_escaped(&mut html, rest);
    html.push_str("</pre>\n");
    html
}

/// Most bytes of a body rendered as Markdown. comrak's parse is superlinear on some
/// hostile inputs (a body of `](`, `<a` or `[[` repeated: ≈ 0.15 s at 512 KiB, 1.6 s at
/// 2 MiB, minutes at the 64 MiB file cap; docs/performance.md), and the preview renders on
/// every keystroke, so halving the cap quarters the worst case. Real articles are a few
/// tens of kilobytes; 512 KiB is ≈ 75,000 words.
pub const MAX_RENDERED_BYTES: usize = 512 * 1024;

/// The end of the last line that ends within `max` bytes (or the last character
/// boundary within them, for a line longer than that).
pub(super) fn cut_at_line(text: &str, max: usize) -> usize {
    if text.len() <= max {
        return text.len();
    }
    if let Some(nl) = text.as_bytes()[..max].iter().rposition(|b| *b == b'\n') {
        return nl + 1;
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    cut
}

fn render_markdown(markdown: &str, options: &RenderOptions) -> String {
    if crate::critic::may_contain_marks(markdown) {
        return tracked::render_with_marks(markdown, options);
    }
    render_safe(markdown, options, None)
}
