//! A draft's body as WordPress block-editor (Gutenberg) content.
//!
//! Built from comrak's AST (with the core's [`comrak_options`]), so that an editor who opens
//! the post on the portal edits native blocks — paragraph, heading, list / list-item,
//! quote, image, table, code, separator — serialised as WordPress 6.1's block editor
//! saves them. The HTML inside each block comes from comrak's HTML renderer with the
//! core's safety layers (its `SafeFormatter`: URL allowlist, raw HTML sanitised), so
//! the text reads as the preview does. Local images point at their uploaded copies.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use comrak::nodes::{AstNode, ListType, NodeValue, TableAlignment};
use comrak::{Arena, Options, parse_document};
use newsroom_core::render::{ImagePolicy, SafeFormatter, comrak_options, url_policy};

/// A local image already in the portal's media library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalImage {
    pub id: u64,
    pub url: String,
}

/// What the serialiser needs besides the Markdown.
#[derive(Debug, Clone, Default)]
pub struct BlockContext {
    /// Uploaded images, keyed by the URL exactly as written in the Markdown.
    pub images: HashMap<String, PortalImage>,
    /// An invisible marker carried in the first block's comment attributes (see
    /// `docs/publishing.md`: it lets a retry find the post an interrupted attempt created).
    pub marker: Option<String>,
    /// The portal has WordPress's native footnotes block (`core/footnotes`, WordPress 6.3+):
    /// footnotes then go to the post's `footnotes` meta and a `wp:footnotes` block, as the
    /// block editor itself writes them. Without it they are one `html` block (valid on any
    /// version, but edited as HTML).
    pub native_footnotes: bool,
}

/// A post's content and, with native footnotes, the value of its `footnotes` meta (a JSON
/// array of `{"id","content"}` as a string, as WordPress stores it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostBody {
    pub content: String,
    pub footnotes: Option<String>,
}

/// Whether the portal has WordPress's native footnotes block (6.3+): its block type is
/// listed by the REST API (`/wp/v2/block-types/core/footnotes`, readable by anyone who may
/// edit posts). Any failure means no: the `html` block fallback is valid everywhere.
pub async fn portal_has_native_footnotes(client: &crate::client::WpClient) -> bool {
    client
        .get(
            "/wp/v2/block-types/core/footnotes",
            &[("_fields", "name".to_owned())],
        )
        .await
        .is_ok_and(|a| {
            a.body.get("name").and_then(serde_json::Value::as_str) == Some("core/footnotes")
        })
}

/// The attribute that carries the publish marker. The block editor ignores attributes it
/// does not know (and drops them when a person saves), WordPress keeps them as sent.
pub const MARKER_ATTR: &str = "newsroomPublish";

struct Serialiser<'c> {
    options: Options<'c>,
    ctx: &'c BlockContext,
    /// How image sources are written, uploaded ones included ([`published_images`]).
    policy: ImagePolicy,
}

/// The deepest nesting of block quotes and lists that is published. Far beyond what a
/// story needs; what matters is that a hostile draft (20,000 nested quotes) gets a clear
/// error instead of overflowing the stack of the parser or of this serialiser, which
/// recurses once per level.
pub const MAX_NESTING: usize = 64;

/// Block quotes and lists nested deeper than [`MAX_NESTING`]: where (1-based line of the
/// Markdown given) and how deep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    pub line: usize,
    pub depth: usize,
}

/// A cheap look at the text before any parser sees it: the container markers (`>`, `-`,
/// `*`, `+`, `1.`, `1)`) that open a line. A quote nested N deep needs a line with N `>`
/// (continuation needs a marker per level), so this catches deep quotes, and lists opened
/// on one line, in linear time. Lists nested by indentation need ~2 characters of indent
/// per level on each line, so the file's size cap bounds them; [`to_blocks`] checks the
/// parsed tree as well.
pub fn check_nesting(markdown: &str) -> Result<(), TooDeep> {
    for (i, line) in markdown.lines().enumerate() {
        let b = line.as_bytes();
        let (mut at, mut depth) = (0usize, 0usize);
        loop {
            while at < b.len() && (b[at] == b' ' || b[at] == b'\t') {
                at += 1;
            }
            let Some(&c) = b.get(at) else { break };
            let blank_after = |k: usize| b.get(k).is_none_or(|c| *c == b' ' || *c == b'\t');
            if c == b'>' || matches!(c, b'-' | b'*' | b'+') && blank_after(at + 1) {
                at += 1;
            } else if c.is_ascii_digit() {
                let digits = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
                let k = at + digits;
                if digits <= 9 && matches!(b.get(k), Some(b'.' | b')')) && blank_after(k + 1) {
                    at = k + 1;
                } else {
                    break;
                }
            } else {
                break;
            }
            depth += 1;
            if depth > MAX_NESTING {
                return Err(TooDeep {
                    line: i + 1,
                    depth: count_markers(b),
                });
            }
        }
    }
    Ok(())
}

/// [`check_nesting`], then the parsed tree: everything [`to_blocks`] refuses for depth,
/// without serialising (a publish calls it before the first request).
pub fn check_depth(markdown: &str) -> Result<(), TooDeep> {
    check_nesting(markdown)?;
    let arena = Arena::new();
    check_tree(parse_document(&arena, markdown, &comrak_options(false)))
}

/// All the container markers at the start of a refused line, for the message.
fn count_markers(b: &[u8]) -> usize {
    b.iter()
        .take_while(|c| matches!(c, b'>' | b'-' | b'*' | b'+' | b' ' | b'\t'))
        .filter(|c| matches!(c, b'>' | b'-' | b'*' | b'+'))
        .count()
}

/// The deepest nesting of containers in the parsed tree, walked without recursion.
fn check_tree<'a>(root: &'a AstNode<'a>) -> Result<(), TooDeep> {
    let mut stack = vec![(root, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        let d = match node.data().value {
            NodeValue::BlockQuote
            | NodeValue::List(_)
            | NodeValue::MultilineBlockQuote(_)
            | NodeValue::Alert(_)
            | NodeValue::FootnoteDefinition(_) => depth + 1,
            _ => depth,
        };
        if d > MAX_NESTING {
            return Err(TooDeep {
                line: node.data().sourcepos.start.line,
                depth: d,
            });
        }
        if node.data().value.block() {
            stack.extend(node.children().map(|c| (c, d)));
        }
    }
    Ok(())
}

/// Serialises a draft body (no front matter) as block-editor content; refuses nesting
/// deeper than [`MAX_NESTING`]. The content only: see [`to_post`] for native footnotes.
pub fn to_blocks(markdown: &str, ctx: &BlockContext) -> Result<String, TooDeep> {
    to_post(markdown, ctx).map(|p| p.content)
}

/// [`to_blocks`], with the `footnotes` meta a portal with native footnotes needs.
pub fn to_post(markdown: &str, ctx: &BlockContext) -> Result<PostBody, TooDeep> {
    check_nesting(markdown)?;
    let mut options = comrak_options(false);
    options.extension.link_url_rewriter = Some(Arc::new(|url: &str| url_policy::link_href(url)));
    let policy = published_images(ctx);
    let rewrite = policy.clone();
    options.extension.image_url_rewriter = Some(Arc::new(move |url: &str| rewrite.image_src(url)));
    // Escaped characters stay visible in the tree (`\\[` is an `Escaped` node); the HTML
    // is unchanged, as only the render option would add spans.
    options.parse.escaped_char_spans = true;
    let ser = Serialiser {
        options,
        ctx,
        policy,
    };

    let arena = Arena::new();
    // Through the core's parse, so the text carries the typography the preview shows
    // (WordPress leaves characters that are typographic already as they are).
    let root = newsroom_core::markdown::parse(&arena, markdown, &ser.options);
    check_tree(root)?;
    mark_escaped_brackets(root);
    let native = ctx
        .native_footnotes
        .then(|| NativeFootnotes::prepare(root, markdown));
    let mut blocks: Vec<String> = Vec::new();
    let mut footnotes = String::new();
    let mut meta: Vec<serde_json::Value> = Vec::new();
    for node in root.children() {
        if let NodeValue::FootnoteDefinition(def) = &node.data().value {
            match &native {
                Some(n) => meta.push(serde_json::json!({
                    "content": n.put_references(
                        &ser.footnote_content(node).replace(ESCAPED_BRACKET, "&#91;")
                    ),
                    "id": n.id(&def.name),
                })),
                None => footnotes.push_str(&footnote_item(&ser.html(node))),
            }
            continue;
        }
        if let Some(b) = ser.block(node) {
            blocks.push(b);
        }
    }
    if !footnotes.is_empty() {
        blocks.push(ser.wrap(
            "html",
            &[],
            &format!("{FOOTNOTES_OPEN}{footnotes}{FOOTNOTES_CLOSE}"),
        ));
    }
    if !meta.is_empty() {
        blocks.push("<!-- wp:footnotes /-->".to_owned());
    }
    if let Some(marker) = &ctx.marker {
        let marked = match blocks.first() {
            Some(first) => add_marker(first, marker),
            None => block_comment(
                "paragraph",
                &[(MARKER_ATTR, serde_json::json!(marker))],
                "<p></p>",
            ),
        };
        if blocks.is_empty() {
            blocks.push(marked);
        } else {
            blocks[0] = marked;
        }
    }
    let mut content = blocks.join("\n\n").replace(ESCAPED_BRACKET, "&#91;");
    if let Some(n) = &native {
        content = n.put_references(&content);
    }
    Ok(PostBody {
        content,
        footnotes: (!meta.is_empty()).then(|| serde_json::Value::Array(meta).to_string()),
    })
}

/// Stand for a footnote reference (with its definition's number between them) until the
/// HTML is made: private-use characters, which no news text needs.
const REF_OPEN: char = '\u{E05C}';
const REF_CLOSE: char = '\u{E05D}';

/// WordPress 6.3+'s own footnotes: a reference in the text is
/// `<sup data-fn="ID" class="fn"><a href="#ID" id="ID-link">N</a></sup>`, the notes live
/// in the post's `footnotes` meta under the same ID, and a `wp:footnotes` block lists them.
struct NativeFootnotes {
    /// Definition names in document order (comrak numbers them in that order, from 1).
    names: Vec<String>,
    /// Hashed into the IDs, so two posts on one page do not share IDs, while a republished
    /// unchanged draft keeps them.
    seed: String,
}

impl NativeFootnotes {
    /// Records the definitions and replaces every reference node by a placeholder.
    fn prepare<'a>(root: &'a AstNode<'a>, markdown: &str) -> NativeFootnotes {
        use sha2::{Digest, Sha256};
        let names: Vec<String> = root
            .children()
            .filter_map(|n| match &n.data().value {
                NodeValue::FootnoteDefinition(d) => Some(d.name.clone()),
                _ => None,
            })
            .collect();
        for node in root.descendants() {
            let ix = match &node.data().value {
                NodeValue::FootnoteReference(r) => {
                    names.iter().position(|n| *n == r.name).map(|i| i + 1)
                }
                _ => continue,
            };
            let text = match ix {
                Some(ix) => format!("{REF_OPEN}{ix}{REF_CLOSE}"),
                None => String::new(),
            };
            node.data_mut().value = NodeValue::Text(text.into());
        }
        let seed = format!("{:x}", Sha256::digest(markdown.as_bytes()));
        NativeFootnotes { names, seed }
    }

    /// A UUID-shaped ID, like those the block editor makes.
    fn id(&self, name: &str) -> String {
        use sha2::{Digest, Sha256};
        let h = format!(
            "{:x}",
            Sha256::digest(format!("{}\0{name}", self.seed).as_bytes())
        );
        format!(
            "{}-{}-4{}-8{}-{}",
            &h[0..8],
            &h[8..12],
            &h[13..16],
            &h[17..20],
            &h[20..32]
        )
    }

    /// Puts the references in place of their placeholders. Only the exact form
    /// OPEN, a definition's number, CLOSE is replaced; anything else (a draft may hold
    /// these private-use characters itself) is kept as it is. A draft that writes the exact
    /// form gets a reference to one of its own notes, nothing more.
    fn put_references(&self, content: &str) -> String {
        let mut out = String::with_capacity(content.len());
        let mut rest = content;
        while let Some(start) = rest.find(REF_OPEN) {
            out.push_str(&rest[..start]);
            let after = &rest[start + REF_OPEN.len_utf8()..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let name = after[..digits]
                .parse::<usize>()
                .ok()
                .filter(|_| after[digits..].starts_with(REF_CLOSE))
                .and_then(|ix| Some((ix, self.names.get(ix.checked_sub(1)?)?)));
            match name {
                Some((ix, name)) => {
                    let id = self.id(name);
                    let _ = write!(
                        out,
                        "<sup data-fn=\"{id}\" class=\"fn\"><a href=\"#{id}\" id=\"{id}-link\">{ix}</a></sup>"
                    );
                    rest = &after[digits + REF_CLOSE.len_utf8()..];
                }
                None => {
                    out.push(REF_OPEN);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// Stands for an escaped `[` until the HTML is made (a private-use character).
const ESCAPED_BRACKET: char = '\u{E05B}';

/// `\\[gallery]` in a draft is text, and must reach the portal as text: WordPress runs
/// shortcodes found in a post's content, so an escaped `[` is sent as `&#91;`, which it
/// shows as `[` but never parses (`pull` escapes the portal's shortcodes this way).
fn mark_escaped_brackets<'a>(root: &'a AstNode<'a>) {
    for node in root.descendants() {
        if !matches!(node.data().value, NodeValue::Escaped) {
            continue;
        }
        for child in node.children() {
            if let NodeValue::Text(t) = &mut child.data_mut().value {
                if t.as_ref() == "[" {
                    *t = ESCAPED_BRACKET.to_string().into();
                }
            }
        }
    }
}

const FOOTNOTES_OPEN: &str = "<section class=\"footnotes\" data-footnotes>\n<ol>\n";
const FOOTNOTES_CLOSE: &str = "</ol>\n</section>";

/// One footnote definition as comrak renders it alone: its `<li>`, which comrak may wrap in
/// the section's opening and closing tags depending on the definition's place. The section
/// is written once around all of them: a stray `</ol></section>` in the middle makes the
/// block editor re-parse the HTML, differ from what was sent, and reject the block.
fn footnote_item(html: &str) -> String {
    let html = html.trim();
    let html = html.strip_prefix(FOOTNOTES_OPEN).unwrap_or(html).trim();
    let html = html.strip_suffix(FOOTNOTES_CLOSE).unwrap_or(html).trim();
    format!("{html}\n")
}

/// Adds the marker attribute to a serialised block's opening comment.
fn add_marker(block: &str, marker: &str) -> String {
    let Some(end) = block.find(" -->") else {
        return block.to_owned();
    };
    let head = &block[..end];
    let attr = format!(
        "\"{MARKER_ATTR}\":{}",
        json_attr_value(&serde_json::json!(marker))
    );
    let new_head = match head.find(" {") {
        Some(i) => format!("{} {{{attr},{}", &head[..i], &head[i + 2..]),
        None => format!("{head} {{{attr}}}"),
    };
    format!("{new_head}{}", &block[end..])
}

/// The image policy of a published post: remote `http(s)` images stay as written. The
/// preview holds them back (they would track whoever opens a shared draft), but a post's
/// readers load them from the portal's page, which is what the author asked for.
/// Local images already uploaded are pointed at the portal, in raw HTML too.
fn published_images(ctx: &BlockContext) -> ImagePolicy {
    ImagePolicy {
        remote: true,
        uploaded: Arc::new(
            ctx.images
                .iter()
                .map(|(k, v)| (k.clone(), v.url.clone()))
                .collect(),
        ),
        ..ImagePolicy::default()
    }
}

/// `<!-- wp:NAME {attrs} -->\nINNER\n<!-- /wp:NAME -->`, as Gutenberg's serialiser writes it.
pub fn block_comment(name: &str, attrs: &[(&str, serde_json::Value)], inner: &str) -> String {
    let mut s = String::with_capacity(inner.len() + 48);
    s.push_str("<!-- wp:");
    s.push_str(name);
    if !attrs.is_empty() {
        s.push_str(" {");
        for (i, (k, v)) in attrs.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            let _ = write!(s, "\"{k}\":{}", json_attr_value(v));
        }
        s.push('}');
    }
    s.push_str(" -->\n");
    s.push_str(inner);
    s.push_str("\n<!-- /wp:");
    s.push_str(name);
    s.push_str(" -->");
    s
}

/// JSON as Gutenberg's `serializeAttributes` escapes it inside an HTML comment.
fn json_attr_value(v: &serde_json::Value) -> String {
    v.to_string()
        .replace("--", "\\u002d\\u002d")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace("\\\"", "\\u0022")
}

impl Serialiser<'_> {
    /// comrak's HTML for one node (and its children), through the safe formatter.
    fn html<'a>(&self, node: &'a AstNode<'a>) -> String {
        let mut out = String::new();
        let _ = SafeFormatter::format_document(node, &self.options, &mut out, self.policy.clone());
        out
    }

    /// The inline HTML of a node's children (a paragraph's text without `<p>`).
    fn inline<'a>(&self, node: &'a AstNode<'a>) -> String {
        let mut out = String::new();
        for child in node.children() {
            out.push_str(&self.html(child));
        }
        // Soft breaks are spaces to a reader; a hard break is `<br>` as the editor writes it.
        out.replace("<br />\n", "<br>")
            .replace('\n', " ")
            .trim()
            .to_owned()
    }

    /// A footnote's text for the `footnotes` meta: rich text, as the block editor keeps it
    /// (paragraphs joined by line breaks; other blocks as their HTML).
    fn footnote_content<'a>(&self, def: &'a AstNode<'a>) -> String {
        def.children()
            .map(|child| match child.data().value {
                NodeValue::Paragraph => self.inline(child),
                _ => self.html(child).trim().replace('\n', ""),
            })
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("<br>")
    }

    fn wrap(&self, name: &str, attrs: &[(&str, serde_json::Value)], inner: &str) -> String {
        block_comment(name, attrs, inner)
    }

    fn block<'a>(&self, node: &'a AstNode<'a>) -> Option<String> {
        let value = node.data().value.clone();
        Some(match value {
            NodeValue::Paragraph => {
                if let Some(img) = self.lone_image(node) {
                    return Some(img);
                }
                let inner = self.inline(node);
                if inner.is_empty() {
                    return None;
                }
                self.wrap("paragraph", &[], &format!("<p>{inner}</p>"))
            }
            NodeValue::Heading(h) => {
                let level = h.level.clamp(1, 6);
                let attrs: Vec<(&str, serde_json::Value)> = if level == 2 {
                    Vec::new()
                } else {
                    vec![("level", serde_json::json!(level))]
                };
                self.wrap(
                    "heading",
                    &attrs,
                    &format!("<h{level}>{}</h{level}>", self.inline(node)),
                )
            }
            NodeValue::List(list) => {
                self.list(node, list.list_type == ListType::Ordered, list.start)
            }
            NodeValue::BlockQuote => {
                let inner: Vec<String> = node.children().filter_map(|c| self.block(c)).collect();
                self.wrap(
                    "quote",
                    &[],
                    &format!(
                        "<blockquote class=\"wp-block-quote\">{}</blockquote>",
                        inner.join("\n\n")
                    ),
                )
            }
            NodeValue::CodeBlock(code) => {
                let mut escaped = String::with_capacity(code.literal.len() + 16);
                for c in code.literal.trim_end_matches('\n').chars() {
                    match c {
                        '&' => escaped.push_str("&amp;"),
                        '<' => escaped.push_str("&lt;"),
                        '>' => escaped.push_str("&gt;"),
                        '[' => escaped.push_str("&#91;"),
                        c => escaped.push(c),
                    }
                }
                let escaped = escape_isolated_urls(&escaped);
                self.wrap(
                    "code",
                    &[],
                    &format!("<pre class=\"wp-block-code\"><code>{escaped}</code></pre>"),
                )
            }
            NodeValue::ThematicBreak => self.wrap(
                "separator",
                &[],
                "<hr class=\"wp-block-separator has-alpha-channel-opacity\"/>",
            ),
            NodeValue::Table(table) => self.table(node, &table.alignments),
            NodeValue::HtmlBlock(_) => {
                let html = self.html(node);
                let html = html.trim();
                if html.is_empty() {
                    return None;
                }
                self.wrap("html", &[], html)
            }
            _ => {
                let html = self.html(node);
                let html = html.trim();
                if html.is_empty() {
                    return None;
                }
                self.wrap("html", &[], html)
            }
        })
    }

    /// A paragraph that is just one image becomes an image block.
    fn lone_image<'a>(&self, node: &'a AstNode<'a>) -> Option<String> {
        let mut children = node.children().filter(|c| match &c.data().value {
            NodeValue::Text(t) => !t.trim().is_empty(),
            NodeValue::SoftBreak | NodeValue::LineBreak => false,
            _ => true,
        });
        let img = children.next()?;
        if children.next().is_some() {
            return None;
        }
        let NodeValue::Image(link) = &img.data().value else {
            return None;
        };
        let alt: String = img
            .descendants()
            .filter_map(|n| match &n.data().value {
                NodeValue::Text(t) => Some(t.to_string()),
                NodeValue::Code(c) => Some(c.literal.clone()),
                _ => None,
            })
            .collect();
        let written = link.url.trim();
        let uploaded = self.ctx.images.get(written);
        let src = match uploaded {
            Some(p) => p.url.clone(),
            None => self.policy.image_src(written),
        };
        let mut attrs: Vec<(&str, serde_json::Value)> = Vec::new();
        if let Some(p) = uploaded {
            attrs.push(("id", serde_json::json!(p.id)));
        }
        attrs.push(("sizeSlug", serde_json::json!("large")));
        attrs.push(("linkDestination", serde_json::json!("none")));
        let mut inner = String::from("<figure class=\"wp-block-image size-large\"><img src=\"");
        push_attr(&mut inner, &src);
        inner.push_str("\" alt=\"");
        push_attr(&mut inner, &alt);
        inner.push('"');
        if let Some(p) = uploaded {
            let _ = write!(inner, " class=\"wp-image-{}\"", p.id);
        }
        if !link.title.is_empty() {
            inner.push_str(" title=\"");
            push_attr(&mut inner, &link.title);
            inner.push('"');
        }
        inner.push_str("/></figure>");
        Some(self.wrap("image", &attrs, &inner))
    }

    fn list<'a>(&self, node: &'a AstNode<'a>, ordered: bool, start: usize) -> String {
        let mut attrs: Vec<(&str, serde_json::Value)> = Vec::new();
        if ordered {
            attrs.push(("ordered", serde_json::json!(true)));
        }
        if ordered && start != 1 {
            attrs.push(("start", serde_json::json!(start)));
        }
        let tag = if ordered { "ol" } else { "ul" };
        let items: Vec<String> = node.children().map(|item| self.list_item(item)).collect();
        let open = if ordered && start != 1 {
            format!("<ol start=\"{start}\">")
        } else {
            format!("<{tag}>")
        };
        self.wrap(
            "list",
            &attrs,
            &format!("{open}{}</{tag}>", items.join("\n\n")),
        )
    }

    fn list_item<'a>(&self, item: &'a AstNode<'a>) -> String {
        let mut content = String::new();
        let mut nested = Vec::new();
        if let NodeValue::TaskItem(task) = &item.data().value {
            content.push_str(if task.symbol.is_some() {
                "☑ "
            } else {
                "☐ "
            });
        }
        for child in item.children() {
            match &child.data().value {
                NodeValue::Paragraph => {
                    if !content.is_empty() && !content.ends_with(' ') {
                        content.push_str("<br>");
                    }
                    content.push_str(&self.inline(child));
                }
                NodeValue::List(list) => {
                    nested.push(self.list(child, list.list_type == ListType::Ordered, list.start))
                }
                _ => content.push_str(self.html(child).trim()),
            }
        }
        self.wrap(
            "list-item",
            &[],
            &format!("<li>{}{}</li>", content.trim_end(), nested.join("\n\n")),
        )
    }

    fn table<'a>(&self, node: &'a AstNode<'a>, alignments: &[TableAlignment]) -> String {
        let mut head = String::new();
        let mut body = String::new();
        for row in node.children() {
            let NodeValue::TableRow(is_head) = row.data().value else {
                continue;
            };
            let tag = if is_head { "th" } else { "td" };
            let out = if is_head { &mut head } else { &mut body };
            out.push_str("<tr>");
            for (i, cell) in row.children().enumerate() {
                let align = match alignments.get(i) {
                    Some(TableAlignment::Left) => Some("left"),
                    Some(TableAlignment::Center) => Some("center"),
                    Some(TableAlignment::Right) => Some("right"),
                    _ => None,
                };
                match align {
                    Some(a) => {
                        let _ = write!(
                            out,
                            "<{tag} class=\"has-text-align-{a}\" data-align=\"{a}\">"
                        );
                    }
                    None => {
                        let _ = write!(out, "<{tag}>");
                    }
                }
                out.push_str(&self.inline(cell));
                let _ = write!(out, "</{tag}>");
            }
            out.push_str("</tr>");
        }
        let mut inner = String::from("<figure class=\"wp-block-table\"><table>");
        if !head.is_empty() {
            let _ = write!(inner, "<thead>{head}</thead>");
        }
        if !body.is_empty() {
            let _ = write!(inner, "<tbody>{body}</tbody>");
        }
        inner.push_str("</table></figure>");
        self.wrap("table", &[], &inner)
    }
}

/// The code block's escaping of a URL alone on a line (`https://x` → `https:&#47;&#47;x`),
/// so WordPress does not turn it into an embed.
fn escape_isolated_urls(code: &str) -> String {
    code.split('\n')
        .map(|line| {
            let t = line.trim();
            let is_url = (t.starts_with("http://") || t.starts_with("https://"))
                && !t.contains(char::is_whitespace);
            if is_url {
                line.replacen("://", ":&#47;&#47;", 1)
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn push_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(md: &str) -> String {
        to_blocks(md, &BlockContext::default()).unwrap()
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing_with_its_line() {
        let deep = format!("Intro.\n\n{}deep\n", "> ".repeat(20_000));
        assert_eq!(
            check_nesting(&deep),
            Err(TooDeep {
                line: 3,
                depth: 20_000
            })
        );
        let err = to_blocks(&deep, &BlockContext::default()).unwrap_err();
        assert_eq!(err.line, 3);
        let no_spaces = format!("{}x\n", ">".repeat(20_000));
        assert!(check_nesting(&no_spaces).is_err());
        let lists = format!("{}x\n", "- ".repeat(5_000));
        assert!(to_blocks(&lists, &BlockContext::default()).is_err());
        let mixed = format!("{}x\n", "> 1. ".repeat(1_000));
        assert!(check_nesting(&mixed).is_err());
        // Ordinary text, thematic breaks, numbers and nesting within the cap pass.
        let fine = format!(
            "- - -\n\n2026. A year.\n\n{}ok\n\n{}",
            "> ".repeat(MAX_NESTING),
            "* a\n".repeat(100)
        );
        assert_eq!(check_nesting(&fine), Ok(()));
        assert!(blocks(&fine).contains("ok"));
    }

    #[test]
    fn an_escaped_bracket_is_never_a_shortcode() {
        let out = blocks("Type \\[gallery] to see \\*this\\* and [a](https://x.example/).\n");
        assert!(
            out.contains(
                "<p>Type &#91;gallery] to see *this* and <a href=\"https://x.example/\">a</a>.</p>"
            ),
            "{out}"
        );
    }

    #[test]
    fn lists_nested_by_indentation_are_capped_in_the_tree() {
        let mut md = String::new();
        for level in 0..(MAX_NESTING + 5) {
            md.push_str(&" ".repeat(level * 2));
            md.push_str("- item\n");
        }
        assert_eq!(check_nesting(&md), Ok(()), "one marker per line");
        assert_eq!(check_depth(&md).unwrap_err().line, MAX_NESTING + 1);
        let err = to_blocks(&md, &BlockContext::default()).unwrap_err();
        assert_eq!(err.depth, MAX_NESTING + 1);
        assert_eq!(err.line, MAX_NESTING + 1);
    }

    #[test]
    fn paragraphs_and_headings() {
        assert_eq!(
            blocks("## Talks stall\n\nSome *emphasis* and\na soft break.\n\n### Smaller\n"),
            "<!-- wp:heading -->\n<h2>Talks stall</h2>\n<!-- /wp:heading -->\n\n\
             <!-- wp:paragraph -->\n<p>Some <em>emphasis</em> and a soft break.</p>\n<!-- /wp:paragraph -->\n\n\
             <!-- wp:heading {\"level\":3} -->\n<h3>Smaller</h3>\n<!-- /wp:heading -->"
        );
    }

    #[test]
    fn lists_with_items_and_nesting() {
        assert_eq!(
            blocks("- one\n- two\n  1. inner\n"),
            "<!-- wp:list -->\n<ul><!-- wp:list-item -->\n<li>one</li>\n<!-- /wp:list-item -->\n\n\
             <!-- wp:list-item -->\n<li>two<!-- wp:list {\"ordered\":true} -->\n<ol><!-- wp:list-item -->\n<li>inner</li>\n<!-- /wp:list-item --></ol>\n<!-- /wp:list --></li>\n<!-- /wp:list-item --></ul>\n<!-- /wp:list -->"
        );
        assert!(
            blocks("3. three\n4. four\n")
                .starts_with("<!-- wp:list {\"ordered\":true,\"start\":3} -->\n<ol start=\"3\">")
        );
    }

    #[test]
    fn quote_code_separator() {
        assert_eq!(
            blocks(
                "> Said *this*.\n\n---\n\n```rust\nlet a = v[0] < 1 && b;\nhttps://example.org/x\n```\n"
            ),
            "<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><!-- wp:paragraph -->\n<p>Said <em>this</em>.</p>\n<!-- /wp:paragraph --></blockquote>\n<!-- /wp:quote -->\n\n\
             <!-- wp:separator -->\n<hr class=\"wp-block-separator has-alpha-channel-opacity\"/>\n<!-- /wp:separator -->\n\n\
             <!-- wp:code -->\n<pre class=\"wp-block-code\"><code>let a = v&#91;0] &lt; 1 &amp;&amp; b;\nhttps:&#47;&#47;example.org/x</code></pre>\n<!-- /wp:code -->"
        );
    }

    #[test]
    fn images_use_uploaded_ids_and_urls() {
        let mut ctx = BlockContext::default();
        ctx.images.insert(
            "images/map.png".into(),
            PortalImage {
                id: 42,
                url: "https://p.example/wp-content/uploads/map.png".into(),
            },
        );
        let out = to_blocks(
            "![Map of \"Minsk\" `\"x\"`](images/map.png)\n\nText with ![inline](images/map.png) image.\n",
            &ctx,
        )
        .unwrap();
        assert_eq!(
            out,
            "<!-- wp:image {\"id\":42,\"sizeSlug\":\"large\",\"linkDestination\":\"none\"} -->\n\
             <figure class=\"wp-block-image size-large\"><img src=\"https://p.example/wp-content/uploads/map.png\" alt=\"Map of “Minsk” &quot;x&quot;\" class=\"wp-image-42\"/></figure>\n<!-- /wp:image -->\n\n\
             <!-- wp:paragraph -->\n<p>Text with <img src=\"https://p.example/wp-content/uploads/map.png\" alt=\"inline\" /> image.</p>\n<!-- /wp:paragraph -->"
        );
    }

    #[test]
    fn raw_html_images_use_uploaded_urls_and_keep_their_alt() {
        let mut ctx = BlockContext::default();
        ctx.images.insert(
            "images/a&b.png".into(),
            PortalImage {
                id: 7,
                url: "https://p.example/wp-content/uploads/a-b.png".into(),
            },
        );
        let out = to_blocks(
            "<figure>\n<img src=\"images/a&amp;b.png\" alt=\"Bus &amp; team\" onerror=\"x()\">\n<img src=\"https://cdn.example/r.png\">\n<figcaption>Cap</figcaption>\n</figure>\n",
            &ctx,
        )
        .unwrap();
        assert_eq!(
            out,
            "<!-- wp:html -->\n<figure>\n<img src=\"https://p.example/wp-content/uploads/a-b.png\" alt=\"Bus &amp; team\">\n<img src=\"https://cdn.example/r.png\">\n<figcaption>Cap</figcaption>\n</figure>\n<!-- /wp:html -->"
        );
        // Inside a paragraph's text: the same rules, in the paragraph.
        let out = to_blocks(
            "See <img src=\"images/a&amp;b.png\" alt=\"Bus\" onerror=\"x()\"> and <img src=\"https://cdn.example/r.png\" width=\"20\"> here.\n",
            &ctx,
        )
        .unwrap();
        assert_eq!(
            out,
            "<!-- wp:paragraph -->\n<p>See <img src=\"https://p.example/wp-content/uploads/a-b.png\" alt=\"Bus\"> and <img src=\"https://cdn.example/r.png\" width=\"20\"> here.</p>\n<!-- /wp:paragraph -->"
        );
    }

    #[test]
    fn tables_with_alignment() {
        assert_eq!(
            blocks("| A | B |\n|:-:|---|\n| 1 | *2* |\n"),
            "<!-- wp:table -->\n<figure class=\"wp-block-table\"><table><thead><tr><th class=\"has-text-align-center\" data-align=\"center\">A</th><th>B</th></tr></thead><tbody><tr><td class=\"has-text-align-center\" data-align=\"center\">1</td><td><em>2</em></td></tr></tbody></table></figure>\n<!-- /wp:table -->"
        );
    }

    #[test]
    fn unsafe_content_is_sanitised_like_the_preview() {
        let out = blocks(
            "[x](javascript:alert(1)) <span onclick=\"a()\">y</span>\n\n<script>alert(1)</script>\n\n<figure><img src=\"https://x/a.jpg\" onerror=\"x()\"></figure>\n",
        );
        assert!(!out.contains("javascript:"), "{out}");
        assert!(!out.contains("<span"), "{out}");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("onerror"), "{out}");
        assert!(out.contains("<!-- wp:html -->\n<figure><img src=\"https://x/a.jpg\"></figure>\n<!-- /wp:html -->"), "{out}");
    }

    #[test]
    fn remote_images_stay_in_the_post() {
        // The preview holds them back; the post keeps what the author wrote.
        let out = blocks(
            "![Chart](https://cdn.example/c.png)\n\nText ![i](http://cdn.example/i.gif) x.\n",
        );
        assert!(out.contains("src=\"https://cdn.example/c.png\""), "{out}");
        assert!(out.contains("src=\"http://cdn.example/i.gif\""), "{out}");
        assert!(!out.contains("remote-image-not-loaded"), "{out}");
    }

    #[test]
    fn marker_goes_into_the_first_block() {
        let ctx = BlockContext {
            marker: Some("nrp0123".into()),
            ..Default::default()
        };
        assert!(
            to_blocks("Hello\n", &ctx).unwrap().starts_with(
                "<!-- wp:paragraph {\"newsroomPublish\":\"nrp0123\"} -->\n<p>Hello</p>"
            )
        );
        assert!(
            to_blocks("### H\n", &ctx)
                .unwrap()
                .starts_with("<!-- wp:heading {\"newsroomPublish\":\"nrp0123\",\"level\":3} -->")
        );
        assert_eq!(
            to_blocks("", &ctx).unwrap(),
            "<!-- wp:paragraph {\"newsroomPublish\":\"nrp0123\"} -->\n<p></p>\n<!-- /wp:paragraph -->"
        );
    }

    #[test]
    fn attribute_json_is_escaped_like_gutenberg() {
        assert_eq!(
            json_attr_value(&serde_json::json!("a--b<c>&\"d")),
            "\"a\\u002d\\u002db\\u003cc\\u003e\\u0026\\u0022d\""
        );
    }

    #[test]
    fn footnotes_become_one_html_block() {
        let out = blocks("A note.[^1]\n\n[^1]: The footnote.\n");
        assert!(out.contains("<sup class=\"footnote-ref\">"), "{out}");
        assert!(out.contains("<!-- wp:html -->\n<section class=\"footnotes\" data-footnotes>\n<ol>\n<li id=\"fn-1\">"), "{out}");
        assert!(
            out.ends_with("</ol>\n</section>\n<!-- /wp:html -->"),
            "{out}"
        );
    }

    #[test]
    fn native_footnotes_go_to_the_meta_and_a_footnotes_block() {
        let ctx = BlockContext {
            native_footnotes: true,
            ..Default::default()
        };
        let md = "A claim.[^a] Another[^b] and again.[^a]\n\n[^a]: First, *emphasised*.\n\n    Second paragraph.\n[^b]: See \\[gallery] and [x](https://x.example/).\n";
        let post = to_post(md, &ctx).unwrap();
        let meta: serde_json::Value =
            serde_json::from_str(post.footnotes.as_deref().unwrap()).unwrap();
        let notes = meta.as_array().unwrap();
        assert_eq!(notes.len(), 2);
        let (a, b) = (
            notes[0]["id"].as_str().unwrap(),
            notes[1]["id"].as_str().unwrap(),
        );
        assert_ne!(a, b);
        assert_eq!(a.len(), 36, "UUID-shaped: {a}");
        assert_eq!(
            notes[0]["content"],
            "First, <em>emphasised</em>.<br>Second paragraph."
        );
        assert_eq!(
            notes[1]["content"],
            "See &#91;gallery] and <a href=\"https://x.example/\">x</a>."
        );
        let ref_a = format!(
            "<sup data-fn=\"{a}\" class=\"fn\"><a href=\"#{a}\" id=\"{a}-link\">1</a></sup>"
        );
        let ref_b = format!(
            "<sup data-fn=\"{b}\" class=\"fn\"><a href=\"#{b}\" id=\"{b}-link\">2</a></sup>"
        );
        assert_eq!(
            post.content,
            format!(
                "<!-- wp:paragraph -->\n<p>A claim.{ref_a} Another{ref_b} and again.{ref_a}</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:footnotes /-->"
            )
        );
        assert!(!post.content.contains('\u{E05C}') && !post.content.contains("footnote-ref"));
        // The same draft gives the same IDs (a republish changes nothing); another draft
        // other IDs (two posts on one page).
        assert_eq!(to_post(md, &ctx).unwrap(), post);
        let other = to_post("B.[^a]\n\n[^a]: x\n", &ctx).unwrap();
        assert!(!other.content.contains(a));
        // Without the portal's support: the html block, and no meta.
        let plain = to_post(md, &BlockContext::default()).unwrap();
        assert_eq!(plain.footnotes, None);
        assert!(plain.content.contains("<section class=\"footnotes\""));
        assert_eq!(to_post("No notes.\n", &ctx).unwrap().footnotes, None);
        // A note that refers to another note.
        let chained = to_post("A.[^a]\n\n[^a]: See also[^b].\n[^b]: B.\n", &ctx).unwrap();
        let notes: serde_json::Value =
            serde_json::from_str(chained.footnotes.as_deref().unwrap()).unwrap();
        let first = notes[0]["content"].as_str().unwrap();
        assert!(
            first.starts_with("See also<sup data-fn=\"") && !first.contains('\u{E05C}'),
            "{first}"
        );
        // The placeholder characters typed in a draft stay as they are.
        let odd = to_post(
            "A\u{E05C}x\u{E05C}9\u{E05D}\u{E05D}.[^a]\n\n[^a]: n\n",
            &ctx,
        )
        .unwrap();
        assert!(
            odd.content
                .contains("<p>A\u{E05C}x\u{E05C}9\u{E05D}\u{E05D}.<sup data-fn="),
            "{}",
            odd.content
        );
    }

    #[test]
    fn colon_paths_publish_as_relative_links() {
        let mut ctx = BlockContext::default();
        ctx.images.insert(
            "2026-11-26:chart.png".into(),
            PortalImage {
                id: 7,
                url: "https://p.example/chart.png".into(),
            },
        );
        let out = to_blocks(
            "See [notes](10:30-notes.md) and ![x](2026-11-26:other.png) and <q>q</q>.\n\n![](2026-11-26:chart.png)\n\n<p><a href=\"10:30-notes.md\">raw</a></p>\n",
            &ctx,
        )
        .unwrap();
        assert!(
            out.contains("<a href=\"10:30-notes.md\">notes</a>"),
            "{out}"
        );
        assert!(
            out.contains("<img src=\"2026-11-26:other.png\" alt=\"x\" />"),
            "{out}"
        );
        assert!(
            out.contains(
                "<img src=\"https://p.example/chart.png\" alt=\"\" class=\"wp-image-7\"/>"
            ),
            "{out}"
        );
        assert!(
            out.contains("<a href=\"10:30-notes.md\" rel=\"noopener noreferrer\">raw</a>"),
            "{out}"
        );
        assert!(!out.contains("blocked-url"), "{out}");
    }

    #[test]
    fn several_footnotes_share_one_well_formed_section() {
        let out = blocks(
            "A.[^1] B.[^b] C.[^c]\n\n[^1]: One.\n[^b]: Two\n    - with a list\n\n[^c]: Three.\n",
        );
        let html = out.rsplit_once("<!-- wp:html -->\n").unwrap().1;
        assert_eq!(html.matches("<section").count(), 1, "{html}");
        assert_eq!(html.matches("</section>").count(), 1, "{html}");
        assert_eq!(
            html.matches("<ol>").count(),
            html.matches("</ol>").count(),
            "{html}"
        );
        assert_eq!(html.matches("<li id=\"fn-").count(), 3, "{html}");
        let (one, two, three) = (
            html.find("fn-1\"").unwrap(),
            html.find("fn-b\"").unwrap(),
            html.find("fn-c\"").unwrap(),
        );
        assert!(one < two && two < three, "{html}");
        assert!(html.contains("<ul>\n<li>with a list</li>\n</ul>"), "{html}");
        assert!(
            html.ends_with("</li>\n</ol>\n</section>\n<!-- /wp:html -->"),
            "{html}"
        );
    }
}
