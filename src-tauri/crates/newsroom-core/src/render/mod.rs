//! Markdown to safe HTML: the preview the app shows and `newsroom render` prints.
//!
//! Three layers, cheapest first, so safety costs little over comrak's own render:
//! 1. comrak's safe mode (raw HTML is not passed through as is, dangerous URLs dropped);
//! 2. an allowlist over every link and image URL ([`url_policy`]);
//! 3. raw HTML handled by [`raw_html`]: a tiny inline allowlist, `ammonia` for blocks.
//!
//! Inside, bottom up: `safe.rs` (the safe render), `tracked.rs` (CriticMarkup as tracked
//! changes), `body.rs` (a body within the render cap), `article.rs` (the article page),
//! `preview.rs` (a draft's preview: its options, its parts, the incremental one),
//! `incremental_delta.rs` (the page's answer by deltas), and this file (the entry points). No file here imports one that imports it back,
//! this one included: the others never use `super::` items of it.
//!
//! CriticMarkup shows as tracked changes (`tracked.rs`). The third layer of the core's
//! Markdown: it parses with [`crate::markdown`]'s options and reads marks with
//! [`crate::critic`]; it never uses `review`, which sits on top of it.

pub mod article;
mod body;
mod incremental;
mod incremental_delta;
pub mod page;
mod preview;
pub mod raw_html;
mod safe;
mod tracked;
pub mod url_policy;

/// comrak's options live in [`crate::markdown`], below this layer; re-exported for the
/// publisher's block serialiser and older callers.
pub use crate::markdown::{Punctuation, comrak_options};
pub use body::{MAX_RENDERED_BYTES, render_body};
pub use incremental::Reuse;
pub use incremental_delta::{BodyDelta, PageAnswer, PagePreview, TextEdit};
pub use preview::{IncrementalPreview, Preview};
pub use safe::{RenderOptions, SafeFormatter, render_plain_comrak};
pub use url_policy::ImagePolicy;

use article::{Article, render_article_parts};
use preview::{draft_options, with_parts};

/// The preview of the draft at `rel` (its normalised path inside the drafts folder, see
/// [`url_policy::draft_relative`]): images resolve from the draft's own folder, and a
/// draft without a title is called after its file. Pure, so the app's page can run the
/// same code (built for WebAssembly) as `Workspace::render`.
///
/// `remote_images` is the user's choice for this draft: off, `http(s)` images are held
/// back and listed in [`Preview::remote_images`].
pub fn render_draft(
    rel: &str,
    text: &str,
    asset_base: Option<&str>,
    sourcepos: bool,
    remote_images: bool,
) -> Preview {
    let options = draft_options(rel, asset_base, sourcepos, remote_images);
    render_text(text, &crate::draft::file_title(rel), &options)
}

/// Renders a draft's text as the article page; a draft whose front matter is broken
/// still shows its body, with the error alongside. The remote images held back are those
/// `options.images.held` lists afterwards (give each render a fresh list).
pub fn render_text(text: &str, fallback_title: &str, options: &RenderOptions) -> Preview {
    let mut preview = render_text_only(text, fallback_title, options);
    preview.remote_images = options.images.held.hosts();
    preview.remote_image_count = options.images.held.count();
    preview
}

fn render_text_only(text: &str, fallback_title: &str, options: &RenderOptions) -> Preview {
    let (Article { html, stats }, error) =
        with_parts(text, fallback_title, |fm, headline, body, _| {
            render_article_parts(fm, headline, body, options)
        });
    Preview {
        html,
        stats,
        error,
        remote_images: Vec::new(),
        remote_image_count: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::body::cut_at_line;
    use super::*;

    fn render(md: &str) -> String {
        render_body(md, &RenderOptions::default())
    }

    #[test]
    fn a_draft_renders_from_its_own_folder_and_is_called_after_its_file() {
        let p = render_draft(
            "world/minsk-talks.md",
            "Talks resumed.\n\n![Delegates](<images/a b.jpg>)\n",
            Some("asset://x/"),
            true,
            false,
        );
        assert!(p.html.contains("minsk-talks"), "{}", p.html);
        assert!(
            p.html.contains(r#"src="asset://x/world/images/a%20b.jpg""#),
            "{}",
            p.html
        );
        assert!(p.html.contains("data-sourcepos"), "{}", p.html);
        assert!(p.error.is_none());
        let broken = render_draft("a.md", "---\ntitle: [\n---\nBody.\n", None, false, false);
        assert!(broken.error.is_some() && broken.html.contains("Body."));
    }

    #[test]
    fn the_page_renderer_refuses_an_amplified_front_matter_and_still_shows_the_body() {
        // `render_draft` is what the page's WebAssembly runs: the YAML cap applies there too.
        let mut text = format!("---\ntitle: &t {}\nrefs:\n", "x".repeat(400_000));
        for _ in 0..5_000 {
            text.push_str("  - *t\n");
        }
        text.push_str("---\nThe body.\n");
        let p = render_draft("a.md", &text, None, false, false);
        let err = p.error.expect("refused");
        assert!(err.message.contains("aliases expanded"), "{err:?}");
        assert_eq!(err.line, Some(4));
        assert!(p.html.contains("The body."));
        assert!(p.html.len() < 10_000, "{}", p.html.len());
    }

    #[test]
    fn a_body_past_the_render_cap_is_rendered_to_a_line_end_and_the_rest_shown_as_text() {
        let line = "A paragraph of *copy*.\n\n";
        let body = line.repeat(2 * MAX_RENDERED_BYTES / line.len()) + "<script>x</script> tail";
        let html = render(&body);
        let (rendered, rest) = html.split_once("<pre class=\"nr-unrendered\">").unwrap();
        assert!(rendered.contains("<em>copy</em>"));
        assert!(
            rendered.contains("The preview renders the first 511 KiB"),
            "{}",
            &rendered[rendered.len() - 300..]
        );
        assert!(
            rest.starts_with("A paragraph of *copy*.") || rest.starts_with("\nA paragraph"),
            "{}",
            &rest[..40]
        );
        assert!(rest.ends_with("&lt;script&gt;x&lt;/script&gt; tail</pre>\n"));
        assert_eq!(
            rendered.matches("<em>copy</em>").count(),
            cut_at_line(&body, MAX_RENDERED_BYTES) / line.len()
        );
    }

    #[test]
    fn the_cut_is_at_a_line_end_or_a_character_boundary() {
        assert_eq!(cut_at_line("ab\ncd\nef", 7), 6);
        assert_eq!(cut_at_line("ab\ncd", 10), 5);
        assert_eq!(cut_at_line("ééé", 3), 2);
        assert_eq!(cut_at_line("ab\n", 3), 3);
    }

    #[test]
    fn ordinary_markdown_renders_as_expected() {
        let html = render(
            "## Talks\n\nSome *emphasis*, **strong** and ~~struck~~ text, see [the report](https://example.org/r \"Report\").\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\nA note.[^1]\n\n[^1]: The footnote.\n\n```rust\nfn main() {}\n```\n",
        );
        assert!(html.contains("<h2>Talks</h2>"), "{html}");
        assert!(html.contains("<em>emphasis</em>"));
        assert!(html.contains("<del>struck</del>"));
        assert!(html.contains("<a href=\"https://example.org/r\" title=\"Report\">the report</a>"));
        assert!(html.contains("<table>"));
        assert!(html.contains("type=\"checkbox\""));
        assert!(html.contains("class=\"footnotes\""));
        assert!(html.contains("<code class=\"language-rust\">"));
        // The whole of it, not only the parts above: a change anywhere is a diff to
        // review (`src/render/snapshots/`). The checks above stay, so a snapshot
        // accepted without reading still cannot lose them.
        insta::assert_snapshot!(html);
    }

    /// Every `src`/`srcset` value and CSS `url(` in the HTML.
    fn loaded_urls(html: &str) -> Vec<String> {
        let mut urls = Vec::new();
        for attr in ["src=\"", "srcset=\"", "url("] {
            for (at, _) in html.match_indices(attr) {
                let rest = &html[at + attr.len()..];
                let end = rest.find(['"', ')']).unwrap_or(rest.len());
                urls.push(rest[..end].to_owned());
            }
        }
        urls
    }

    const REMOTE_DRAFT: &str = "---\ntitle: T\nfeatured_image: https://feat.example/f.jpg\nfeatured_image_alt: Crowd\n---\nText ![Map](https://md.example/m.png \"t\") and ![x](<HTTP://Md.Example/n.png>).\n\n<figure><img src=\"http://raw.example/r.gif\" srcset=\"http://set.example/s.gif 2x\" style=\"background:url(http://css.example/c.png)\" alt=\"Raw\"><figcaption>c</figcaption></figure>\n\n<div style=\"background-image:url(https://css.example/d.png)\">d</div>\n\n![Local](images/a.png)\n";

    #[test]
    fn remote_images_are_held_back_everywhere_by_default_and_reported() {
        let p = render_draft("world/a.md", REMOTE_DRAFT, Some("asset://x/"), false, false);
        let urls = loaded_urls(&p.html);
        assert!(
            urls.iter()
                .all(|u| !u.to_ascii_lowercase().contains("http")),
            "{urls:?}\n{}",
            p.html
        );
        assert!(!p.html.to_ascii_lowercase().contains("http:"), "{}", p.html);
        assert_eq!(
            urls.iter()
                .filter(|u| *u == url_policy::REMOTE_IMAGE_HELD)
                .count(),
            4,
            "{}",
            p.html
        );
        assert!(urls.contains(&"asset://x/world/images/a.png".to_owned()));
        // The alt text stays visible.
        assert!(p.html.contains("alt=\"Map\"") && p.html.contains("alt=\"Raw\""));
        assert!(p.html.contains("alt=\"Crowd\""));
        assert_eq!(
            p.remote_images,
            ["feat.example", "md.example", "raw.example"]
        );
        assert_eq!(p.remote_image_count, 4);
    }

    #[test]
    fn remote_images_are_held_back_in_the_tracked_changes_preview_too() {
        let text = "Talks {++resumed++}.\n\n![Map](https://a.example/m.png)\n";
        let p = render_draft("a.md", text, None, false, false);
        assert!(p.html.contains("<ins"), "{}", p.html);
        assert!(!p.html.contains("a.example"), "{}", p.html);
        assert_eq!(p.remote_images, ["a.example"]);
    }

    #[test]
    fn remote_images_all_load_when_the_draft_allows_them() {
        let p = render_draft("world/a.md", REMOTE_DRAFT, Some("asset://x/"), false, true);
        let urls = loaded_urls(&p.html);
        for want in [
            "https://feat.example/f.jpg",
            "https://md.example/m.png",
            "HTTP://Md.Example/n.png",
            "http://raw.example/r.gif",
        ] {
            assert!(urls.contains(&want.to_owned()), "{want}: {urls:?}");
        }
        assert!(p.remote_images.is_empty());
        assert_eq!(p.remote_image_count, 0);
        // A broken front matter still reports what its body held back.
        let broken = render_draft(
            "a.md",
            "---\ntitle: [\n---\n![a](https://b.example/x)\n",
            None,
            false,
            false,
        );
        assert_eq!(broken.remote_images, ["b.example"]);
    }

    #[test]
    fn sourcepos_is_optional() {
        let html = render_body(
            "Para\n",
            &RenderOptions {
                sourcepos: true,
                ..Default::default()
            },
        );
        assert!(html.contains("data-sourcepos=\"1:1-1:4\""), "{html}");
    }

    #[test]
    fn inline_formatting_html_passes_and_the_rest_is_text() {
        assert_eq!(
            render("E = mc<sup>2</sup>\n"),
            "<p>E = mc<sup>2</sup></p>\n"
        );
        assert_eq!(
            render("x <span onclick=\"a()\">y</span>\n"),
            "<p>x &lt;span onclick=&quot;a()&quot;&gt;y&lt;/span&gt;</p>\n"
        );
    }
}
