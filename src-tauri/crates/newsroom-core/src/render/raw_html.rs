//! Raw HTML in a draft, made safe.
//!
//! comrak's safe mode would drop raw HTML entirely. Reporters do use a little of it
//! (`<sup>`, a `<figure>` with a caption), so instead:
//! - inline HTML: a handful of attribute-less formatting tags pass, and an `<img>` inside
//!   a paragraph's text is an image under the block rules below (sanitised, its `src` through
//!   the image policy, so it is checked and published like a Markdown image); anything
//!   else is shown as text (visible, never silently lost); comments vanish;
//! - block HTML: each block is run through `ammonia`'s allowlist sanitiser. Blocks are
//!   rare, so the sanitiser's cost is paid only where raw HTML actually is.

use std::fmt::Write;

use super::url_policy::{self, ImagePolicy};

/// Inline tags that may pass, without attributes.
const INLINE_TAGS: [&str; 17] = [
    "b", "i", "em", "strong", "u", "s", "del", "ins", "sup", "sub", "mark", "small", "abbr", "kbd",
    "cite", "q", "br",
];

/// Writes an inline HTML fragment (one tag or comment, as comrak splits them). An `<img>`
/// goes through the block sanitiser with `images`, the policy Markdown images use.
pub fn write_inline(out: &mut dyn Write, literal: &str, images: &ImagePolicy) -> std::fmt::Result {
    if literal.starts_with("<!--") || literal.starts_with("<?") || literal.starts_with("<!") {
        return Ok(());
    }
    if let Some(tag) = simple_tag(literal) {
        return write!(out, "{tag}");
    }
    if inline_image(literal).is_some() {
        return out.write_str(&sanitizer(images.clone()).clean(literal).to_string());
    }
    escape_into(out, literal)
}

/// The image of an inline HTML fragment that is one `<img src=…>` tag (as comrak hands
/// inline HTML over, a tag at a time), read as the sanitiser reads it; `line` is 1.
pub fn inline_image(literal: &str) -> Option<RawImage> {
    let head = literal.get(..5)?.to_ascii_lowercase();
    let opens = head.starts_with("<img")
        && head
            .chars()
            .nth(4)
            .is_some_and(|c| c.is_ascii_whitespace() || c == '/' || c == '>');
    if !opens {
        return None;
    }
    let mut found = images_in_block(literal);
    (found.len() == 1).then(|| found.remove(0))
}

/// `<sup>`, `</sup>`, `<br/>` → normalised tag; anything with attributes → `None`.
fn simple_tag(literal: &str) -> Option<String> {
    let inner = literal.strip_prefix('<')?.strip_suffix('>')?;
    let (closing, name) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name = name
        .trim_end()
        .trim_end_matches('/')
        .trim_end()
        .to_ascii_lowercase();
    INLINE_TAGS.contains(&name.as_str()).then(|| {
        if closing {
            format!("</{name}>")
        } else {
            format!("<{name}>")
        }
    })
}

fn escape_into(out: &mut dyn Write, s: &str) -> std::fmt::Result {
    for c in s.chars() {
        match c {
            '<' => out.write_str("&lt;")?,
            '>' => out.write_str("&gt;")?,
            '&' => out.write_str("&amp;")?,
            '"' => out.write_str("&quot;")?,
            c => out.write_char(c)?,
        }
    }
    Ok(())
}

/// Writes a block of raw HTML, sanitised.
pub fn write_block(out: &mut dyn Write, literal: &str, images: &ImagePolicy) -> std::fmt::Result {
    let trimmed = literal.trim();
    // A comment, or one never closed (HTML reads it to the end): nothing to show, and
    // no reason to hand a megabyte of `<!--` to the sanitiser.
    if trimmed.starts_with("<!--") && (trimmed.ends_with("-->") || !trimmed.contains("-->")) {
        return Ok(());
    }
    // Blocks are rare; a sanitiser per block lets the URL policy see this draft's folder.
    let clean = sanitizer(images.clone()).clean(literal).to_string();
    out.write_str(&clean)?;
    out.write_char('\n')
}

/// An allowlist sanitiser whose URL attributes go through the same policy as Markdown's:
/// links keep web and mail schemes, local images resolve inside the drafts folder.
fn sanitizer(images: ImagePolicy) -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.url_schemes(
        url_policy::LINK_SCHEMES
            .into_iter()
            .chain(["newsroom-asset"])
            .collect(),
    )
    .link_rel(Some("noopener noreferrer"))
    .add_tags(["figure", "figcaption"])
    .add_tag_attributes("img", ["src", "alt", "title", "width", "height"])
    .attribute_filter(
        move |element, attribute, value| match (element, attribute) {
            (_, "href") => {
                let href = url_policy::link_href(value);
                (href != url_policy::BLOCKED_URL).then(|| value.into())
            }
            ("img", "src") => {
                let src = images.image_src(value);
                (src != url_policy::BLOCKED_URL).then(|| src.into())
            }
            (_, "src") => None,
            _ => Some(value.into()),
        },
    );
    b
}

/// An `<img>` in a block of raw HTML, as the sanitiser reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawImage {
    /// The `src` attribute with character references decoded: the value the sanitiser's
    /// URL policy ([`ImagePolicy::image_src`]) is asked about.
    pub src: String,
    pub alt: String,
    /// 1-based line within the block.
    pub line: usize,
}

/// The `<img src>` tags of a block of raw HTML, in order. Read by html5ever's tokenizer,
/// the one `ammonia` parses with, so a `src` found here is exactly the value the
/// sanitiser later rewrites (entities such as `&amp;` decoded alike), and text that merely
/// looks like a tag (inside a comment, `<script>`, `<textarea>`, an attribute) is not one.
pub fn images_in_block(literal: &str) -> Vec<RawImage> {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{
        BufferQueue, TagKind, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer,
        TokenizerOpts, states::RawKind,
    };
    use std::cell::RefCell;

    struct Sink(RefCell<Vec<RawImage>>);
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
            let TagToken(tag) = token else {
                return TokenSinkResult::Continue;
            };
            if tag.kind != TagKind::StartTag {
                return TokenSinkResult::Continue;
            }
            let attr = |name: &str| {
                tag.attrs
                    .iter()
                    .find(|a| &*a.name.local == name)
                    .map(|a| a.value.to_string())
            };
            // The tree builder switches the tokenizer into these states; alone, it must
            // be told, or `<script>"<img src=x>"</script>` would yield an image.
            match &*tag.name {
                "img" => {
                    if let Some(src) = attr("src") {
                        self.0.borrow_mut().push(RawImage {
                            src,
                            alt: attr("alt").unwrap_or_default(),
                            line: usize::try_from(line).unwrap_or(usize::MAX),
                        });
                    }
                    TokenSinkResult::Continue
                }
                "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                    TokenSinkResult::RawData(RawKind::Rawtext)
                }
                "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                "plaintext" => TokenSinkResult::Plaintext,
                _ => TokenSinkResult::Continue,
            }
        }
    }

    let tokenizer = Tokenizer::new(Sink(RefCell::new(Vec::new())), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(literal));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inline(s: &str) -> String {
        let mut out = String::new();
        write_inline(
            &mut out,
            s,
            &ImagePolicy {
                asset_base: Some("asset://x/".into()),
                draft_dir: "world".into(),
                ..Default::default()
            },
        )
        .unwrap();
        out
    }

    fn block(s: &str) -> String {
        let mut out = String::new();
        write_block(
            &mut out,
            s,
            &ImagePolicy {
                asset_base: Some("asset://x/".into()),
                draft_dir: String::new(),
                ..Default::default()
            },
        )
        .unwrap();
        out
    }

    #[test]
    fn inline_allowlist() {
        assert_eq!(inline("<sup>"), "<sup>");
        assert_eq!(inline("</SUP >"), "</sup>");
        assert_eq!(inline("<br/>"), "<br>");
        assert_eq!(
            inline("<sup onclick=\"x()\">"),
            "&lt;sup onclick=&quot;x()&quot;&gt;"
        );
        assert_eq!(inline("<script>"), "&lt;script&gt;");
        assert_eq!(inline("<!-- note -->"), "");
    }

    #[test]
    fn an_inline_img_is_an_image_under_the_block_rules() {
        assert_eq!(
            inline("<IMG src=\"images/a.png\" alt=\"A &amp; B\" onerror=\"x()\" class=\"c\">"),
            "<img src=\"asset://x/world/images/a.png\" alt=\"A &amp; B\">"
        );
        assert_eq!(
            inline("<img src=\"../../../etc/x.png\">"),
            "<img>",
            "a path leaving the folder loses its src"
        );
        assert_eq!(
            inline("<img src=https://t.example/p.gif alt=P/>"),
            "<img src=\"#remote-image-not-loaded\" alt=\"P/\">"
        );
        // Not an image: shown as text, as before.
        assert_eq!(
            inline("<imgx src=\"a.png\">"),
            "&lt;imgx src=&quot;a.png&quot;&gt;"
        );
        assert_eq!(
            inline("<img alt=\"no src\">"),
            "&lt;img alt=&quot;no src&quot;&gt;"
        );
        assert_eq!(
            inline_image("<img src='images/a&amp;b.png' alt=x>").map(|i| (i.src, i.alt)),
            Some(("images/a&b.png".into(), "x".into()))
        );
        assert_eq!(inline_image("<b>"), None);
    }

    #[test]
    fn blocks_are_sanitised() {
        assert_eq!(block("<script>alert(1)</script>"), "\n");
        let fig = block(
            "<figure><img src=\"images/a.jpg\" onerror=\"x()\" alt=\"A\"><figcaption>Cap</figcaption></figure>",
        );
        assert_eq!(
            fig,
            "<figure><img src=\"asset://x/images/a.jpg\" alt=\"A\"><figcaption>Cap</figcaption></figure>\n"
        );
        assert!(!block("<a href=\"javascript:alert(1)\">x</a>").contains("javascript"));
        assert!(!block("<iframe src=\"https://x\"></iframe>").contains("iframe"));
        assert_eq!(block("<!-- never closed\n<p>x</p>"), "");
        assert!(block("<!-- c --><b>x</b>").contains("<b>x</b>"));
        assert!(!block("<div style=\"background:url(x)\">t</div>").contains("style"));
        assert!(!block("<img src=\"../../etc/x.png\">").contains("etc"));
        // Remote images are held back unless the draft allows them.
        assert_eq!(
            block(
                "<img src=\"https://t.example/p.gif\" srcset=\"https://t.example/2.gif 2x\" alt=\"P\">"
            ),
            "<img src=\"#remote-image-not-loaded\" alt=\"P\">\n"
        );
        // Text that merely looks like an attribute is left alone.
        assert_eq!(
            block("<p>written src=\"images/x.png\"</p>"),
            "<p>written src=\"images/x.png\"</p>\n"
        );
    }

    #[test]
    fn images_in_a_block_as_the_sanitiser_reads_them() {
        let found = images_in_block(
            "<figure>\n<IMG Alt=\"Map &amp; key\" SRC='images/a&amp;b.png'>\n<!-- <img src=\"c.png\"> -->\n<script>x='<img src=\"d.png\">'</script>\n<textarea><img src=e.png></textarea>\n<p data-src=\"f.png\">src=g.png</p><img alt=x><img src=\"https://x/h.png\"/>\n</figure>",
        );
        assert_eq!(
            found,
            vec![
                RawImage {
                    src: "images/a&b.png".into(),
                    alt: "Map & key".into(),
                    line: 2
                },
                RawImage {
                    src: "https://x/h.png".into(),
                    alt: String::new(),
                    line: 6
                },
            ]
        );
        assert!(images_in_block("<!-- never closed <img src=a.png>").is_empty());
        assert!(images_in_block("").is_empty());
    }

    #[test]
    fn uploaded_images_point_at_the_portal() {
        let policy = ImagePolicy {
            remote: true,
            uploaded: std::sync::Arc::new(
                [(
                    "images/a.png".to_owned(),
                    "https://p.example/a.png".to_owned(),
                )]
                .into(),
            ),
            ..Default::default()
        };
        let mut out = String::new();
        write_block(
            &mut out,
            "<figure><img src=\"images/a.png\" alt=\"A\"><img src=\"images/b.png\"></figure>",
            &policy,
        )
        .unwrap();
        assert_eq!(
            out,
            "<figure><img src=\"https://p.example/a.png\" alt=\"A\"><img src=\"images/b.png\"></figure>\n"
        );
    }
}
