//! The article as a page of its own: what "Export HTML" writes and `newsroom render
//! --standalone` prints, styled like the preview (the same `portal.css` the app's preview
//! frame loads, one copy in `ui/public/`), so a preview can be sent to a colleague and
//! looks the same in their browser.
//!
//! The page carries its own Content-Security-Policy: no scripts, no fetches, styles only
//! from the page itself; images from anywhere the reader's browser may load them (local
//! ones resolve beside the draft; remote ones are only in the page when the user chose
//! to keep them).

/// The portal's stylesheet, as the app's preview uses it.
pub const PORTAL_CSS: &str = include_str!("../../../../../ui/public/portal.css");

/// A whole HTML page around an article rendered by [`super::render_text`]. `title` is
/// escaped here; `article_html` is the safe renderer's output, put in as is.
pub fn standalone_page(title: &str, article_html: &str) -> String {
    let mut page = String::with_capacity(article_html.len() + PORTAL_CSS.len() + 512);
    page.push_str(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src * data:; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n<title>",
    );
    page.push_str(&escape(title));
    page.push_str("</title>\n<style>\n");
    page.push_str(PORTAL_CSS);
    page.push_str("</style>\n</head>\n<body>\n<main id=\"nr-root\">\n");
    page.push_str(article_html);
    page.push_str("\n</main>\n</body>\n</html>\n");
    page
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_has_the_portal_styles_a_strict_policy_and_an_escaped_title() {
        let page = standalone_page("Tom & <Jerry>", "<article class=\"nr-article\"></article>");
        assert!(page.contains(PORTAL_CSS));
        assert!(page.contains(".nr-headline"), "the portal's article styles");
        assert!(page.contains("default-src 'none'"));
        assert!(page.contains("<title>Tom &amp; &lt;Jerry&gt;</title>"));
        assert!(page.contains("<main id=\"nr-root\">\n<article class=\"nr-article\">"));
        assert!(!PORTAL_CSS.contains("</style"));
    }
}
