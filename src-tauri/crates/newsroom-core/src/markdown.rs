//! comrak's options for drafts, in one place: the bottom of the Markdown layers.
//!
//! Everything that parses a draft's body (the preview's safe render, the CriticMarkup
//! code map, the image finder, the publisher's block serialiser) parses it with these
//! options, so all of them see the same document: the same tables, footnotes and code
//! blocks. This module imports nothing of the crate; the layers above it are
//! `critic` (marks), `render` (HTML) and `review` (workflow), in that order.

use comrak::Options;

/// GitHub-flavoured Markdown (tables, strikethrough, autolinks, task lists, footnotes),
/// safe mode on; `sourcepos` adds `data-sourcepos` to block elements.
pub fn comrak_options(sourcepos: bool) -> Options<'static> {
    let mut o = Options::default();
    o.extension.strikethrough = true;
    o.extension.table = true;
    o.extension.autolink = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    o.render.r#unsafe = false;
    o.render.sourcepos = sourcepos;
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_are_github_flavoured_and_safe() {
        let o = comrak_options(true);
        assert!(o.extension.table && o.extension.footnotes && o.extension.strikethrough);
        assert!(o.extension.autolink && o.extension.tasklist);
        assert!(!o.render.r#unsafe);
        assert!(o.render.sourcepos && !comrak_options(false).render.sourcepos);
        let html = comrak::markdown_to_html("<script>x</script>\n", &comrak_options(false));
        assert!(!html.contains("<script"), "{html}");
    }
}
