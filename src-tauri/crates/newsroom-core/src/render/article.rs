//! The portal's article page, as the preview shows it: kicker, headline, byline and date,
//! featured image with its alt text as caption, body, tags as hashtags.
//!
//! Every piece of metadata is escaped here; only the body comes from the safe renderer.

use super::body::render_body;
use super::safe::{RenderOptions, push_escaped};
use crate::draft::Draft;
use crate::front_matter::FrontMatter;
use crate::text;

/// Figures shown beside the preview.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ArticleStats {
    pub words: usize,
    pub characters: usize,
    pub reading_minutes: usize,
}

/// A rendered article: the HTML of the whole page and its figures.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Article {
    pub html: String,
    pub stats: ArticleStats,
}

/// Renders the whole article page for a draft. `fallback_title` is the file name, used
/// when the draft has neither a title nor a heading.
pub fn render_article(draft: &Draft, fallback_title: &str, options: &RenderOptions) -> Article {
    render_article_parts(
        &draft.front_matter,
        &draft.display_title(fallback_title),
        &draft.article_body(),
        options,
    )
}

/// Renders the page from its parts: used directly when the front matter cannot be
/// parsed, so the reporter still sees the body while fixing it.
pub fn render_article_parts(
    fm: &FrontMatter,
    headline: &str,
    body: &str,
    options: &RenderOptions,
) -> Article {
    // comments and deleted text are not the article's
    let stats = stats_of(&crate::critic::as_accepted(body));
    let mut html = String::with_capacity(body.len() * 5 / 4 + 1024);
    push_head(&mut html, fm, headline, options);
    html.push_str(&render_body(body, options));
    push_tail(&mut html, fm);
    Article { html, stats }
}

/// The figures of a body as a reader sees it (comments and deleted text taken out).
pub(super) fn stats_of(reading: &str) -> ArticleStats {
    stats_from(text::word_count(reading), reading.chars().count())
}

/// The figures from the counts of words and characters.
pub(super) fn stats_from(words: usize, characters: usize) -> ArticleStats {
    ArticleStats {
        words,
        characters,
        reading_minutes: text::reading_minutes(words),
    }
}

/// Everything of the page before the body's HTML, up to `<div class="nr-body">` and its
/// line break: shared with the incremental preview ([`super::incremental`]), so the two
/// cannot drift apart.
pub(super) fn push_head(
    html: &mut String,
    fm: &FrontMatter,
    headline: &str,
    options: &RenderOptions,
) {
    html.push_str("<article class=\"nr-article\">\n<header class=\"nr-header\">\n");
    if let Some(kicker) = fm.categories.first() {
        html.push_str("<p class=\"nr-kicker\">");
        push_escaped(html, kicker);
        html.push_str("</p>\n");
    }
    html.push_str("<h1 class=\"nr-headline\">");
    push_escaped(html, headline);
    html.push_str("</h1>\n");
    let byline = fm.author.as_deref().filter(|a| !a.trim().is_empty());
    let date = fm.publish_at.as_deref().and_then(display_date);
    if byline.is_some() || date.is_some() {
        html.push_str("<p class=\"nr-byline\">");
        if let Some(author) = byline {
            html.push_str("By <span class=\"nr-author\">");
            push_escaped(html, author.trim());
            html.push_str("</span>");
        }
        if let (Some(date), Some(iso)) = (date, fm.publish_at.as_deref()) {
            if byline.is_some() {
                html.push_str(" · ");
            }
            html.push_str("<time datetime=\"");
            push_escaped(html, iso.trim());
            html.push_str("\">");
            push_escaped(html, &date);
            html.push_str("</time>");
        }
        html.push_str("</p>\n");
    }
    if let Some(excerpt) = fm.excerpt.as_deref().filter(|e| !e.trim().is_empty()) {
        html.push_str("<p class=\"nr-excerpt\">");
        push_escaped(html, excerpt.trim());
        html.push_str("</p>\n");
    }
    html.push_str("</header>\n");
    if let Some(image) = fm
        .featured_image
        .as_deref()
        .filter(|i| !i.trim().is_empty())
    {
        let src = options.images.file_src(image.trim());
        let alt = fm.featured_image_alt.as_deref().unwrap_or("").trim();
        html.push_str("<figure class=\"nr-featured\"><img src=\"");
        push_escaped(html, &src);
        html.push_str("\" alt=\"");
        push_escaped(html, alt);
        html.push_str("\" />");
        if !alt.is_empty() {
            html.push_str("<figcaption>");
            push_escaped(html, alt);
            html.push_str("</figcaption>");
        }
        html.push_str("</figure>\n");
    }
    html.push_str("<div class=\"nr-body\">\n");
}

/// Everything of the page after the body's HTML.
pub(super) fn push_tail(html: &mut String, fm: &FrontMatter) {
    html.push_str("</div>\n");
    if !fm.tags.is_empty() {
        html.push_str("<ul class=\"nr-tags\">");
        for tag in &fm.tags {
            html.push_str("<li>#");
            push_escaped(html, tag);
            html.push_str("</li>");
        }
        html.push_str("</ul>\n");
    }
    html.push_str("</article>\n");
}

/// `2026-11-26T09:30:00+01:00` → `26 November 2026`, as the portal's date line reads.
fn display_date(iso: &str) -> Option<String> {
    let dt = crate::front_matter::parse_rfc3339(iso).ok()?;
    let format = time::macros::format_description!("[day padding:none] [month repr:long] [year]");
    dt.format(&format).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_portal_layout() {
        let d = Draft::parse("---\ntitle: Minsk talks stall\ncategories: [World]\ntags: [Belarus, Ukraine War updates]\nauthor: Ana Kovač\npublish_at: 2026-11-26T09:30:00+01:00\nfeatured_image: images/minsk.jpg\nfeatured_image_alt: The hall in Minsk\n---\nFirst paragraph.\n").unwrap();
        let a = render_article(&d, "file", &RenderOptions::default());
        let h = &a.html;
        assert!(h.contains("<p class=\"nr-kicker\">World</p>"), "{h}");
        assert!(h.contains("<h1 class=\"nr-headline\">Minsk talks stall</h1>"));
        assert!(h.contains("By <span class=\"nr-author\">Ana Kovač</span> · <time datetime=\"2026-11-26T09:30:00+01:00\">26 November 2026</time>"));
        assert!(h.contains("<img src=\"images/minsk.jpg\" alt=\"The hall in Minsk\" /><figcaption>The hall in Minsk</figcaption>"));
        assert!(h.contains("<li>#Ukraine War updates</li>"));
        assert_eq!(a.stats.words, 2);
        assert_eq!(a.stats.reading_minutes, 1);
    }

    #[test]
    fn counts_leave_out_comments_and_deleted_text() {
        let d = Draft::parse("---\ntitle: T\n---\nOne {++two three++} {--four five six--} {~~seven~>eight~~} nine{>>AK: not counted at all<<}.\n").unwrap();
        let a = render_article(&d, "f", &RenderOptions::default());
        assert_eq!(a.stats.words, 5, "one two three eight nine");
        assert_eq!(
            a.stats.characters,
            "One two three  eight nine.\n".chars().count()
        );
    }

    #[test]
    fn metadata_is_escaped() {
        let d = Draft::parse("---\ntitle: \"<script>alert(1)</script>\"\ncategories: [\"<b onmouseover=x>\"]\nfeatured_image: \"javascript:alert(1)\"\nfeatured_image_alt: '\" onerror=\"alert(1)'\n---\n").unwrap();
        let h = render_article(&d, "f", &RenderOptions::default()).html;
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("<b "));
        assert!(!h.contains("javascript:"));
        assert!(!h.contains("\" onerror"));
    }
}
