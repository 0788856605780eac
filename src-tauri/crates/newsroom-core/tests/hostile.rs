//! Hostile drafts: whatever a draft on a shared drive contains, the preview runs nothing.
//!
//! Each case renders through the same path as the app (the article page) and the output
//! is checked by a small tag scanner: only allowlisted elements, no event-handler
//! attributes, and every URL attribute on an allowlisted scheme.

#![allow(clippy::unwrap_used)] // test helpers fail loudly

use newsroom_core::render::{ImagePolicy, RenderOptions};
use newsroom_core::workspace::render_text;

const ALLOWED_TAGS: &[&str] = &[
    "article",
    "header",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "span",
    "time",
    "figure",
    "figcaption",
    "img",
    "div",
    "ul",
    "ol",
    "li",
    "a",
    "em",
    "strong",
    "del",
    "ins",
    "s",
    "u",
    "sup",
    "sub",
    "mark",
    "small",
    "abbr",
    "kbd",
    "cite",
    "q",
    "b",
    "i",
    "br",
    "hr",
    "blockquote",
    "pre",
    "code",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "input",
    "section",
    "dl",
    "dt",
    "dd",
    "details",
    "summary",
    "caption",
    "colgroup",
    "col",
    "tfoot",
    "bdi",
    "bdo",
    "dfn",
    "rp",
    "rt",
    "ruby",
    "samp",
    "strike",
    "tt",
    "var",
    "wbr",
    "center",
    "font",
    "big",
    "acronym",
    "area",
    "map",
    "address",
    "aside",
    "footer",
    "hgroup",
    "nav",
    "data",
];
const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "newsroom-asset"];

fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|e| *e < 12);
        match end {
            Some(e) => {
                let ent = &tail[1..e];
                let c = if let Some(hex) = ent.strip_prefix("#x").or_else(|| ent.strip_prefix("#X"))
                {
                    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                } else if let Some(dec) = ent.strip_prefix('#') {
                    dec.parse().ok().and_then(char::from_u32)
                } else {
                    match ent {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "colon" => Some(':'),
                        "Tab" => Some('\t'),
                        "NewLine" => Some('\n'),
                        _ => None,
                    }
                };
                match c {
                    Some(c) => {
                        out.push(c);
                        rest = &tail[e + 1..];
                    }
                    None => {
                        out.push('&');
                        rest = &tail[1..];
                    }
                }
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The scheme a browser would see: WHATWG's URL parser takes one only when the text before
/// the first `:` is a letter followed by letters, digits, `+`, `-`, `.` (RFC 3986's syntax);
/// otherwise the URL is relative (`java%7B++%7Dscript:x` is a path). ASCII control and
/// whitespace characters are dropped first, more than browsers drop, so this errs towards
/// seeing schemes.
fn scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_control() && !c.is_ascii_whitespace())
        .collect();
    let end = cleaned.find([':', '/', '?', '#'])?;
    let name = &cleaned[..end];
    let mut bytes = name.bytes();
    let syntax = bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    (cleaned.as_bytes()[end] == b':' && syntax).then(|| name.to_ascii_lowercase())
}

/// Panics with the offending fragment when `html` could run anything.
fn assert_inert(html: &str, case: &str) {
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        let Some(len) = html[start..].find('>') else {
            break;
        };
        let tag = &html[start + 1..start + len];
        i = start + len + 1;
        if tag.starts_with('/') || tag.starts_with("!--") {
            assert!(
                !tag.starts_with("!--") || tag.ends_with("--"),
                "{case}: comment trick {tag:?}"
            );
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        assert!(
            ALLOWED_TAGS.contains(&name.as_str()),
            "{case}: element <{name}> in {html}"
        );
        for (attr, value) in attributes(&tag[name.len()..]) {
            let value = decode_entities(&value);
            assert!(!attr.starts_with("on"), "{case}: handler {attr} in {html}");
            assert!(
                attr != "style" && attr != "srcset" && attr != "formaction",
                "{case}: attribute {attr} in {html}"
            );
            if matches!(
                attr.as_str(),
                "href"
                    | "src"
                    | "action"
                    | "cite"
                    | "data"
                    | "poster"
                    | "background"
                    | "xlink:href"
            ) {
                if let Some(s) = scheme(&value) {
                    assert!(
                        SAFE_SCHEMES.contains(&s.as_str()),
                        "{case}: {attr}={value:?} in {html}"
                    );
                }
            }
        }
    }
}

/// Attribute names and values of a tag's inside, the way a browser tokenises them
/// (quoted with " or ', or unquoted).
fn attributes(s: &str) -> Vec<(String, String)> {
    let c: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        while i < c.len() && (c[i].is_whitespace() || c[i] == '/') {
            i += 1;
        }
        let start = i;
        while i < c.len() && !c[i].is_whitespace() && c[i] != '=' && c[i] != '/' {
            i += 1;
        }
        let name: String = c[start..i].iter().collect::<String>().to_ascii_lowercase();
        while i < c.len() && c[i].is_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < c.len() && c[i] == '=' {
            i += 1;
            while i < c.len() && c[i].is_whitespace() {
                i += 1;
            }
            if i < c.len() && (c[i] == '"' || c[i] == '\'') {
                let q = c[i];
                i += 1;
                while i < c.len() && c[i] != q {
                    value.push(c[i]);
                    i += 1;
                }
                i += 1;
            } else {
                while i < c.len() && !c[i].is_whitespace() {
                    value.push(c[i]);
                    i += 1;
                }
            }
        }
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}

fn render(md: &str) -> String {
    render_with(md, newsroom_core::markdown::Punctuation::AsTyped)
}

fn render_with(md: &str, punctuation: newsroom_core::markdown::Punctuation) -> String {
    let opts = RenderOptions {
        images: ImagePolicy {
            asset_base: Some("newsroom-asset://localhost/".into()),
            draft_dir: "world".into(),
            ..Default::default()
        },
        sourcepos: true,
        // The snapshots use punctuation as typed: straight quotes are what an attack on
        // attributes needs, and typographic punctuation would curl them (harmless) and
        // leave the escaping untested. `no_hostile_draft_survives` checks both.
        punctuation,
    };
    render_text(md, "hostile", &opts).html
}

const CASES: &[(&str, &str)] = &[
    ("script block", "<script>alert(1)</script>\n"),
    ("script inline", "Hello <script>alert(1)</script> world\n"),
    (
        "img onerror inline",
        "Text <img src=x onerror=alert(1)> more\n",
    ),
    ("img onerror block", "<img src=x onerror=alert(1)>\n"),
    ("javascript link", "[x](javascript:alert(1))\n"),
    ("uppercase scheme", "[x](JAVASCRIPT:alert(1))\n"),
    ("entity scheme", "[x](&#106;avascript:alert(1))\n"),
    ("hex entity scheme", "[x](&#x6A;avascript&#x3A;alert(1))\n"),
    ("named entity colon", "[x](javascript&colon;alert(1))\n"),
    ("tab in scheme", "[x](<java\tscript:alert(1)>)\n"),
    ("autolink", "<javascript:alert(1)>\n"),
    ("bare autolink", "javascript:alert(1) and www.example.org\n"),
    ("vbscript", "[x](vbscript:msgbox(1))\n"),
    ("file url", "[x](file:///etc/passwd)\n"),
    (
        "data html",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)\n",
    ),
    ("image javascript", "![x](javascript:alert(1))\n"),
    (
        "image data svg",
        "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)\n",
    ),
    (
        "image data png",
        "![x](data:image/png;base64,iVBORw0KGgo=)\n",
    ),
    (
        "reference link",
        "[x][evil]\n\n[evil]: javascript:alert(1)\n",
    ),
    (
        "reference image",
        "![x][evil]\n\n[evil]: javascript:alert(1) \"t\"\n",
    ),
    (
        "link title quote",
        "[x](https://example.org \"\\\" onmouseover=\\\"alert(1)\")\n",
    ),
    (
        "image alt quote",
        "![\" onerror=\"alert(1)](images/a.png)\n",
    ),
    ("info string", "```\" onmouseover=\"alert(1)\nx\n```\n"),
    ("info string 2", "~~~ js\" onclick=alert(1) x\ncode\n~~~\n"),
    (
        "footnote script",
        "Note[^1]\n\n[^1]: <script>alert(1)</script> and [x](javascript:alert(1))\n",
    ),
    (
        "footnote label",
        "Note[^a\"onclick=\"x]\n\n[^a\"onclick=\"x]: text\n",
    ),
    ("iframe", "<iframe src=\"https://evil.example\"></iframe>\n"),
    (
        "object embed",
        "<object data=\"x.swf\"></object>\n\n<embed src=\"x.swf\">\n",
    ),
    (
        "form",
        "<form action=\"javascript:alert(1)\"><button formaction=\"javascript:alert(1)\">go</button></form>\n",
    ),
    (
        "base meta link style",
        "<base href=\"https://evil.example/\">\n\n<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">\n\n<link rel=stylesheet href=x>\n\n<style>body{background:url(javascript:alert(1))}</style>\n",
    ),
    (
        "svg",
        "<svg><script>alert(1)</script><a xlink:href=\"javascript:alert(1)\">x</a></svg>\n",
    ),
    ("svg onload inline", "a <svg onload=alert(1)> b\n"),
    (
        "math",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>\n",
    ),
    (
        "block a javascript",
        "<a href=\"  javascript:alert(1)\">x</a>\n",
    ),
    (
        "block a entity",
        "<a href=\"&#106;avascript:alert(1)\">x</a>\n",
    ),
    (
        "srcset",
        "<img src=\"images/a.png\" srcset=\"javascript:alert(1)\">\n",
    ),
    (
        "noscript mxss",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">\n",
    ),
    ("comment trick", "<!--><script>alert(1)</script>-->\n"),
    (
        "details ontoggle",
        "<details open ontoggle=alert(1)><summary>x</summary></details>\n",
    ),
    (
        "div handlers",
        "<div onclick=\"alert(1)\" style=\"position:fixed\">\n\n*markdown* inside\n\n</div>\n",
    ),
    (
        "table cell html",
        "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |\n",
    ),
    ("html in heading", "# Title <script>alert(1)</script>\n"),
    ("nested list link", "- a\n  - [x](javascript:alert(1))\n"),
    (
        "blockquote html",
        "> <iframe src=x></iframe>\n> [x](javascript:alert(1))\n",
    ),
    ("unclosed tags", "<div><span onclick=x>\n\ntext\n"),
    ("processing instruction", "<?php echo 1; ?>\n"),
    ("cdata", "<![CDATA[<script>alert(1)</script>]]>\n"),
    (
        "escaped stays text",
        "&lt;script&gt;alert(1)&lt;/script&gt;\n",
    ),
    (
        "protocol relative image",
        "![x](//evil.example/track.png)\n",
    ),
    ("escaping image path", "![x](../../../../etc/passwd)\n"),
    (
        "front matter fields",
        "---\ntitle: \"<img src=x onerror=alert(1)>\"\ncategories: [\"<script>alert(1)</script>\"]\ntags: [\"\\\" onclick=\\\"x\"]\nauthor: \"<a href=javascript:alert(1)>me</a>\"\nfeatured_image: \"javascript:alert(1)\"\nfeatured_image_alt: \"\\\" onerror=\\\"alert(1)\"\nexcerpt: \"<iframe>\"\n---\nBody\n",
    ),
    (
        "broken front matter body",
        "---\ntitle: [unclosed\n---\n<script>alert(1)</script>\n",
    ),
    ("whitespace scheme", "[x](\u{000B}javascript:alert(1))\n"),
    // CriticMarkup (review marks) becomes <ins>/<del>/<mark>/<span class="nr-…">.
    ("mark script", "{++<script>alert(1)</script>++}\n"),
    ("mark inside a scheme", "[x](java{++++}script:alert(1))\n"),
    (
        "mark before a scheme",
        "[x]({--http://ok--}javascript:alert(1))\n",
    ),
    (
        "substitution to a scheme",
        "[x]({~~https://ok~>javascript:alert(1)~~})\n\n![y]({~~a.png~>javascript:alert(1)~~})\n",
    ),
    (
        "comment initials attribute",
        "{==x==}{>>\"onmouseover=alert(1): hi<<} {>>AK\" onclick=\"x: hi<<}\n",
    ),
    (
        "mark in raw html attribute",
        "<a href=\"{++javascript:alert(1)++}\">x</a>\n\n<a href=\"java{--x--}script:alert(1)\">y</a>\n",
    ),
    (
        "mark in inline html",
        "a <img src=x {++onerror=alert(1)++}> b\n",
    ),
    (
        "sentinel smuggling",
        "{\u{FDD0}0}<img src=x onerror=alert(1)>{\u{FDD1}0} {++x++} {\u{FDD9}1}\" onclick=\"x{\u{FDDA}1}\n",
    ),
    (
        "mark around html block",
        "{++<div onclick=alert(1)>++}\n\n<div>{--<img src=x onerror=alert(1)>--}</div>\n",
    ),
    (
        "mark in code",
        "`{++<script>++}` and\n\n```\n{--<script>--}\n```\n",
    ),
    (
        "mark across tags",
        "{++a <b>b++} c</b> [d {--e](javascript:alert(1)--})\n",
    ),
    (
        "mark in link title",
        "[x](https://a.example \"{++\\\" onmouseover=\\\"alert(1)++}\")\n",
    ),
    (
        "mark in autolink",
        "www.example.org/{++\"onclick=alert(1)++} <{--javascript:alert(1)--}>\n",
    ),
    (
        "mark in footnote",
        "a[^1]\n\n[^1]: {++<script>alert(1)</script>++} [x]({--javascript:alert(1)--})\n",
    ),
    (
        "mark across paragraphs around html",
        "{--<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) --}\n",
    ),
    (
        "paragraph-break marks around handlers",
        "a{++\n\n++}<b onclick=alert(1)>b</b>{--\n\n--}<iframe src=javascript:alert(1)>\n",
    ),
    (
        "nested marks around a script",
        "{++a {--<script>alert(1)</script> {~~<img src=x onerror=alert(1)>~>[y](javascript:x)~~}--} b++}\n",
    ),
    (
        "mark spanning into a footnote",
        "{++a[^1] <svg onload=alert(1)>\n\n[^1]: <script>x</script>++} {--\n\nb--}\n",
    ),
    (
        "delimiters alone as paragraphs",
        "{--\n\n<div onclick=alert(1)>x</div>\n\n--}\n\n{++\n\n```js\nalert(1)\n```\n\n++}\n",
    ),
    (
        "mark in table",
        "| {++a | <img src=x onerror=alert(1)>++} |\n|---|---|\n| {~~b~>[c](javascript:x)~~} | d |\n",
    ),
    (
        "mark in image alt",
        "![{++\" onerror=\"alert(1)++}](images/a.png)\n",
    ),
    // The whole draft the end-to-end test opens in the app (tests/e2e/test_hostile.py),
    // so its preview is pinned here too.
    (
        "e2e hostile draft",
        r#"---
title: "Hostile <script>window.__pwned = 'title'</script>"
featured_image: "javascript:window.__pwned='image'"
---

# Innocent headline

<script>window.__pwned = 'script'; alert('script')</script>

<img src="x" onerror="window.__pwned = 'onerror'; alert('onerror')">

<svg onload="window.__pwned = 'svg'"><circle r="5"/></svg>

<iframe srcdoc="<script>parent.__pwned = 'iframe'</script>"></iframe>

<a href="javascript:window.__pwned='html-link'" id="html-link">html link</a>

[markdown link](javascript:window.__pwned='md-link')

[encoded](jav&#x09;ascript:window.__pwned='encoded')

<form action="javascript:window.__pwned='form'"><button id="form-button">go</button></form>

<div style="background:url(javascript:window.__pwned='css')">styled</div>

![img](javascript:window.__pwned='md-image')

Last paragraph.
"#,
    ),
];

#[test]
fn no_hostile_draft_survives() {
    for (case, md) in CASES {
        let html = render(md);
        assert_inert(&html, case);
        let typographic = render_with(md, newsroom_core::markdown::Punctuation::Typographic);
        assert_inert(&typographic, case);
    }
}

/// The whole page each hostile draft becomes, as a snapshot per case (in
/// `tests/snapshots/hostile__*.snap`): what the checker above lets through is reviewable
/// as it is, and any change to it is a diff someone has to accept. Each is checked by
/// the tag scanner too, so no snapshot can hold a script, a handler or a `javascript:` URL.
#[test]
fn every_hostile_draft_renders_as_its_snapshot() {
    let mut names = std::collections::BTreeSet::new();
    for (case, md) in CASES {
        let html = render(md);
        assert_inert(&html, case);
        let name: String = case
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        assert!(names.insert(name.clone()), "two cases named {name}");
        insta::with_settings!({ description => format!("{case}: {md:?}"), omit_expression => true }, {
            insta::assert_snapshot!(name, html);
        });
    }
}

#[test]
fn hostile_text_stays_visible_as_text() {
    // A reporter pasting markup sees it, escaped, rather than losing it.
    let html = render("Use <span onclick=\"x\">this</span> carefully\n");
    assert!(
        html.contains("&lt;span onclick=&quot;x&quot;&gt;this&lt;/span&gt;"),
        "{html}"
    );
}

#[test]
fn review_marks_render_as_tracked_changes() {
    let md = "a {++b++} {--c--} {~~d~>e~~} {==f==}{>>AK: g<<}\n";
    let html = render(md);
    let ids: Vec<String> = newsroom_core::critic::marks(md)
        .into_iter()
        .map(|m| m.id)
        .collect();
    for expected in [
        format!("<ins class=\"nr-ins\" data-mark=\"{}\">b</ins>", ids[0]),
        format!("<del class=\"nr-del\" data-mark=\"{}\">c</del>", ids[1]),
        format!(
            "<del class=\"nr-del\" data-mark=\"{0}\">d</del><ins class=\"nr-ins\" data-mark=\"{0}\">e</ins>",
            ids[2]
        ),
        format!(
            "<mark class=\"nr-hl\" data-mark=\"{0}\">f</mark><span class=\"nr-comment\" data-mark=\"{0}\" data-author=\"AK\">AK: g</span>",
            ids[3]
        ),
    ] {
        assert!(html.contains(&expected), "{expected} in {html}");
    }
    // The whole page too: the marks' elements and everything around them.
    insta::assert_snapshot!("review_marks", html);
    // Hostile text inside a mark stays visible, escaped.
    let html = render("{++<script>alert(1)</script>++}\n");
    assert!(html.contains("&lt;script&gt;"), "{html}");
}

#[test]
fn the_checker_itself_catches_what_it_must() {
    for bad in [
        "<script>x</script>",
        "<img src=\"x\" onerror=\"y\">",
        "<a href=\"javascript:x\">",
        "<a href=\"&#106;avascript:x\">",
        "<iframe src=\"x\">",
        "<div style=\"x\">",
        "<img src=x onerror=alert(1)>",
        "<a title='x' href='javascript:x'>",
    ] {
        let caught = std::panic::catch_unwind(|| assert_inert(bad, "self-test")).is_err();
        assert!(caught, "checker missed {bad}");
    }
}
