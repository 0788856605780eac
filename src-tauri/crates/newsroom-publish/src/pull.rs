//! `newsroom pull PORTAL POST_ID`: a portal post becomes a new draft (HTML → Markdown with
//! `htmd`), with its categories, tags, excerpt, slug and `portal:` record, so that a
//! published piece can be corrected and published again as an update of the same post.

use std::path::{Path, PathBuf};

use newsroom_core::front_matter::Status;
use newsroom_core::front_matter_edit::Change;
use newsroom_core::workspace::NewDraft;
use serde_json::Value;

use crate::client::{ClientOptions, WpClient};
use crate::error::{PublishError, Result};
use crate::marker::marker_in_content;
use crate::profile::Credentials;
use crate::record::PortalRecord;
use crate::runtime::blocking;
use crate::store::Store;
use crate::terms;

/// The draft a pull made.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Pulled {
    /// Relative to the drafts folder.
    pub path: String,
    pub post_id: u64,
    pub title: String,
    pub link: String,
}

/// Block-editor HTML → Markdown.
pub fn html_to_markdown(html: &str) -> String {
    let options = htmd::options::Options {
        bullet_list_marker: htmd::options::BulletListMarker::Dash,
        ul_bullet_spacing: 1,
        ol_number_spacing: 1,
        hr_style: htmd::options::HrStyle::Dashes,
        ..Default::default()
    };
    let converter = htmd::HtmlToMarkdown::builder()
        .options(options)
        .skip_tags(vec!["script", "style"])
        .build();
    let md = converter.convert(html).unwrap_or_else(|_| html.to_owned());
    let mut out = md.trim().replace("\u{a0}", " ");
    out.push('\n');
    out
}

/// Imports a post into `folder` (relative to the drafts folder; `""` for the top). With a
/// `store`, this computer remembers that the new draft owns the post, so publishing it
/// updates that post (see `docs/publishing.md`, "The draft does not choose the post").
pub async fn pull(
    creds: &Credentials,
    store: Option<&Store>,
    root: &Path,
    index: Option<&Path>,
    folder: &str,
    post_id: u64,
    options: ClientOptions,
) -> Result<Pulled> {
    let client = WpClient::new(creds, options)?;
    let post = match client
        .get(
            &format!("/wp/v2/posts/{post_id}"),
            &[("context", "edit".into())],
        )
        .await
    {
        Ok(a) => a.body,
        Err(PublishError::Rejected { status: 404, .. }) => {
            return Err(PublishError::InvalidArgument(format!(
                "there is no post {post_id} on portal `{}`",
                creds.portal.name
            )));
        }
        Err(e) => return Err(e),
    };
    let raw = |p: &str| {
        post.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let title = html_unescape(&raw("/title/raw"));
    let content = raw("/content/raw");
    let excerpt = raw("/excerpt/raw");
    let slug = raw("/slug");
    let status = raw("/status");
    let link = raw("/link");
    let ids = |k: &str| -> Vec<u64> {
        post.get(k)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_u64)
            .collect()
    };

    let all_categories = terms::fetch_all(&client, "categories").await?;
    let categories: Vec<String> = ids("categories")
        .iter()
        .filter_map(|id| all_categories.iter().find(|t| t.id == *id))
        .map(|t| t.name.clone())
        .filter(|n| n != "Uncategorized")
        .collect();
    let tag_ids = ids("tags");
    let tags: Vec<String> = if tag_ids.is_empty() {
        Vec::new()
    } else {
        let include = tag_ids
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let a = client
            .get(
                "/wp/v2/tags",
                &[
                    ("include", include),
                    ("per_page", "100".into()),
                    ("_fields", "id,name,slug".into()),
                ],
            )
            .await?;
        let found: Vec<_> = a
            .body
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(terms::term_from_json)
            .collect();
        tag_ids
            .iter()
            .filter_map(|id| found.iter().find(|t| t.id == *id))
            .map(|t| t.name.clone())
            .collect()
    };
    let author = match post.get("author").and_then(Value::as_u64) {
        Some(id) => client
            .get(&format!("/wp/v2/users/{id}"), &[("_fields", "name".into())])
            .await
            .ok()
            .and_then(|a| a.body.get("name")?.as_str().map(str::to_owned)),
        None => None,
    };
    let featured = match post
        .get("featured_media")
        .and_then(Value::as_u64)
        .filter(|id| *id > 0)
    {
        Some(id) => client
            .get(
                &format!("/wp/v2/media/{id}"),
                &[("_fields", "source_url,alt_text".into())],
            )
            .await
            .ok()
            .map(|a| {
                (
                    a.body
                        .get("source_url")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned(),
                    a.body
                        .get("alt_text")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned(),
                )
            }),
        None => None,
    };

    let body = neutralise(&html_to_markdown(&paragraphs_of_classic(&content)));
    let modified_gmt = Some(raw("/modified_gmt")).filter(|s| !s.is_empty());
    let record = PortalRecord {
        name: creds.portal.name.clone(),
        url: client.base().to_owned(),
        post_id: Some(post_id),
        link: link.clone(),
        status: status.clone(),
        modified_gmt: modified_gmt.clone(),
        marker: marker_in_content(&content),
        ..Default::default()
    };
    let mut changes = vec![];
    if !excerpt.trim().is_empty() {
        changes.push(Change::set_text("excerpt", html_unescape(excerpt.trim())));
    }
    if !slug.is_empty() {
        changes.push(Change::set_text("slug", slug));
    }
    let workflow = match status.as_str() {
        "publish" => Status::Published,
        "future" => Status::Scheduled,
        "pending" => Status::InReview,
        _ => Status::Draft,
    };
    changes.push(Change::set_text("status", workflow.as_str()));
    if status == "future" {
        let date = raw("/date_gmt");
        if !date.is_empty() {
            changes.push(Change::set_text("publish_at", format!("{date}Z")));
        }
    }
    if let Some((url, alt)) = featured.filter(|(u, _)| !u.is_empty()) {
        changes.push(Change::set_text("featured_image", url));
        if !alt.is_empty() {
            changes.push(Change::set_text("featured_image_alt", alt));
        }
    }
    changes.push(Change::set("portal", record.to_yaml()));

    let root_c = root.canonicalize().map_err(|e| PublishError::io(root, e))?;
    let (root, folder, t2, index) = (
        root_c.clone(),
        folder.to_owned(),
        title.clone(),
        index.map(Path::to_path_buf),
    );
    let path = blocking(move || {
        create_draft(
            &root,
            index.as_deref(),
            &folder,
            &t2,
            categories,
            tags,
            author,
            &body,
            &changes,
        )
    })
    .await?;
    if let Some(store) = store {
        let (s, portal, p) = (store.clone(), creds.portal.name.clone(), path.clone());
        blocking(move || s.record_pull(&portal, &root_c, &p, post_id, modified_gmt.as_deref()))
            .await?;
    }
    Ok(Pulled {
        path,
        post_id,
        title,
        link,
    })
}

#[allow(clippy::too_many_arguments)]
fn create_draft(
    root: &Path,
    index: Option<&Path>,
    folder: &str,
    title: &str,
    categories: Vec<String>,
    tags: Vec<String>,
    author: Option<String>,
    body: &str,
    changes: &[Change],
) -> Result<String> {
    let (mut ws, _) = crate::write_back::open_workspace(root, index)?;
    let title = if title.trim().is_empty() {
        "Untitled"
    } else {
        title
    };
    let opened = ws.create(&NewDraft {
        title: title.to_owned(),
        categories,
        tags,
        author,
        folder: folder.to_owned(),
    })?;
    let mut text = opened.text.clone();
    text.push_str(body);
    // The portal's status comes with the post (a pulled published post is published):
    // written as the record of what the portal says, not as a hand edit of `status`,
    // which `update_front_matter` refuses.
    let text = newsroom_core::Draft::parse(&text)
        .and_then(|d| newsroom_core::front_matter_edit::apply(&d, changes))
        .map_err(|e| e.in_file(&PathBuf::from(&opened.path)))?;
    ws.save(&opened.path, &text, Some(&opened.hash))?
        .into_result(ws.root())?;
    Ok(opened.path)
}

/// A post written in the classic editor (or by an importer) keeps its paragraphs as blank
/// lines and its line breaks as newlines; WordPress adds `<p>` and `<br>` on display
/// (`wpautop`). HTML to Markdown would run them together, so such content (no blocks, no
/// `<p>`) gets them first: each blank-line-separated chunk that does not start with a
/// block-level tag becomes a paragraph, a newline inside it a line break.
pub fn paragraphs_of_classic(content: &str) -> String {
    let lower = content.to_ascii_lowercase();
    if lower.contains("<!-- wp:") || lower.contains("<p>") || lower.contains("<p ") {
        return content.to_owned();
    }
    const BLOCK: [&str; 14] = [
        "<h1",
        "<h2",
        "<h3",
        "<h4",
        "<h5",
        "<h6",
        "<ul",
        "<ol",
        "<blockquote",
        "<pre",
        "<table",
        "<div",
        "<figure",
        "<hr",
    ];
    let normalised = content.replace("\r\n", "\n");
    let mut out = String::with_capacity(content.len() + 64);
    for chunk in normalised.split("\n\n") {
        let chunk = chunk.trim_matches('\n');
        if chunk.trim().is_empty() {
            continue;
        }
        let head = chunk.trim_start().to_ascii_lowercase();
        if BLOCK.iter().any(|t| head.starts_with(t)) {
            out.push_str(chunk);
        } else {
            out.push_str("<p>");
            out.push_str(&chunk.replace('\n', "<br>"));
            out.push_str("</p>");
        }
        out.push_str("\n\n");
    }
    out
}

/// Makes what came from the portal inert in the draft: a WordPress shortcode (`[gallery]`,
/// `[embed]…`) gets its opening bracket escaped (`\[gallery]`), which the draft shows as
/// text and the next publish sends as `&#91;` (never run); an image whose address is not
/// a web address (`/etc/x.png`, `../x.jpg`, `file:…`) would make the next publish read a
/// local file, so its address becomes `#`. Code spans and fenced code are left alone
/// (Markdown keeps them literal, and the serialiser escapes `[` in code).
pub fn neutralise(md: &str) -> String {
    let mut out = String::with_capacity(md.len() + 16);
    let mut in_fence = false;
    for line in md.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            out.push_str(line);
            continue;
        }
        if in_fence {
            out.push_str(line);
            continue;
        }
        out.push_str(&neutralise_line(line));
    }
    out
}

fn neutralise_line(line: &str) -> String {
    let b = line.as_bytes();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    let mut in_code = false;
    while i < line.len() {
        let c = b[i];
        // An escaped backtick (`\``, as the converter writes a literal one) opens no code.
        if c == b'`' && (i == 0 || b[i - 1] != b'\\') {
            in_code = !in_code;
        }
        if !in_code
            && c == b'['
            && (i == 0 || !matches!(b[i - 1], b'\\' | b'['))
            && is_shortcode_at(&line[i + 1..])
        {
            out.push_str("\\[");
            i += 1;
            continue;
        }
        // The portal's text is decoded already: an `&#8230;` still here was written out
        // as such, and Markdown would decode it again; `\&` keeps it text.
        if !in_code && c == b'&' && (i == 0 || b[i - 1] != b'\\') && is_entity_at(&line[i..]) {
            out.push_str("\\&");
            i += 1;
            continue;
        }
        if !in_code && c == b'!' && line[i..].starts_with("![") {
            if let Some((len, url_start, url_end)) = image_at(&line[i..]) {
                let url = &line[i + url_start..i + url_end];
                if is_web_url(url) {
                    out.push_str(&line[i..i + len]);
                } else {
                    out.push_str(&line[i..i + url_start]);
                    out.push('#');
                    out.push_str(&line[i + url_end..i + len]);
                }
                i += len;
                continue;
            }
        }
        let ch = line[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// `[name` followed by `]`, a space or `/` : a shortcode's opening (`[gallery ids="1"]`,
/// `[/caption]`), not a Markdown link (`[text](url)`) nor a footnote (`[^1]`).
fn is_shortcode_at(rest: &str) -> bool {
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
        .count();
    if name_len == 0 || !rest.as_bytes()[0].is_ascii_alphabetic() {
        return false;
    }
    let after = &rest[name_len..];
    let Some(close) = after.find(']') else {
        return false;
    };
    let head_ok = after.starts_with(']') || after.starts_with(' ');
    // A link `[text](…)`, `[text][ref]` or a definition `[ref]: url` is Markdown, not a
    // shortcode.
    let next = after[close + 1..].chars().next();
    head_ok && !matches!(next, Some('(' | '[' | ':'))
}

/// An HTML entity (as CommonMark reads one) at the start of `s`: `&name;`, `&#123;`,
/// `&#x1F;`.
fn is_entity_at(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('&') else {
        return false;
    };
    let Some(end) = rest.find(';') else {
        return false;
    };
    let name = &rest[..end];
    if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        (1..=6).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit())
    } else if let Some(dec) = name.strip_prefix('#') {
        (1..=7).contains(&dec.len()) && dec.bytes().all(|b| b.is_ascii_digit())
    } else {
        (2..=32).contains(&name.len())
            && name.as_bytes()[0].is_ascii_alphabetic()
            && name.bytes().all(|b| b.is_ascii_alphanumeric())
    }
}

/// `![alt](url …)` at the start of `s`: (length, url start, url end).
fn image_at(s: &str) -> Option<(usize, usize, usize)> {
    let close = s.find("](")?;
    let url_start = close + 2;
    let rest = &s[url_start..];
    let (url_len, end) = if let Some(r) = rest.strip_prefix('<') {
        let e = r.find('>')?;
        (e, 1 + e + 1 + r[e + 1..].find(')')? + 1)
    } else {
        let e = rest.find(|c: char| c == ')' || c.is_whitespace())?;
        (e, rest.find(')')? + 1)
    };
    let (us, ue) = if rest.starts_with('<') {
        (url_start + 1, url_start + 1 + url_len)
    } else {
        (url_start, url_start + url_len)
    };
    Some((url_start + end, us, ue))
}

fn is_web_url(url: &str) -> bool {
    let l = url.trim().to_ascii_lowercase();
    l.starts_with("https://") || l.starts_with("http://")
}

/// The portal's plain-text fields (title, excerpt) carry HTML entities (`&#8230;`,
/// `&#038;`, `&nbsp;`): decoded with the full HTML5 table; a no-break space becomes a
/// space, as in the body.
fn html_unescape(s: &str) -> String {
    htmlize::unescape(s).replace('\u{a0}', " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::{BlockContext, to_blocks};

    #[test]
    fn blocks_come_back_as_markdown() {
        let md = "## Talks stall\n\nSome *emphasis* and **strong** text, [a link](https://example.org/).\n\n- one\n- two\n\n> A quote.\n\n```\ncode <here>\n```\n";
        let html = to_blocks(
            md,
            &BlockContext {
                marker: Some("nrx".into()),
                ..Default::default()
            },
        )
        .unwrap();
        let back = html_to_markdown(&html);
        assert!(back.contains("## Talks stall"), "{back}");
        assert!(
            back.contains("Some *emphasis* and **strong** text, [a link](https://example.org/)."),
            "{back}"
        );
        assert!(back.contains("- one\n- two"), "{back}");
        assert!(back.contains("> A quote."), "{back}");
        assert!(back.contains("code <here>"), "{back}");
        assert!(!back.contains("wp:"), "{back}");
    }

    #[test]
    fn shortcodes_and_local_images_from_the_portal_are_made_inert() {
        let md = "Intro [gallery ids=\"1,2\"] and [embed]https://x[/embed].\n\n\
                  A [link](https://example.org/) and [ref][1], a note[^1].\n\n\
                  [ref]: https://example.org/r\n\n\
                  ![team](/etc/passwd) ![up](../secret.png) ![ok](https://p.example/a.png)\n\n\
                  `[code]` stays\n\n```\n[gallery]\n```\n";
        let out = neutralise(md);
        assert!(out.contains("Intro \\[gallery ids=\"1,2\"]"), "{out}");
        assert!(out.contains("\\[embed]https://x\\[/embed]"), "{out}");
        assert!(
            out.contains("A [link](https://example.org/) and [ref][1], a note[^1]."),
            "{out}"
        );
        assert!(
            out.contains("![team](#) ![up](#) ![ok](https://p.example/a.png)"),
            "{out}"
        );
        assert!(out.contains("`[code]` stays"), "{out}");
        assert!(out.contains("\n[ref]: https://example.org/r\n"), "{out}");
        assert!(out.contains("```\n[gallery]\n```"), "{out}");
        // Published again, the escaped shortcode is text, not a gallery.
        let html = to_blocks(&out, &BlockContext::default()).unwrap();
        assert!(html.contains("&#91;gallery ids="), "{html}");
        assert!(!html.contains("[gallery"), "{html}");
        assert!(!html.contains("/etc/passwd"), "{html}");
    }

    #[test]
    fn classic_content_keeps_its_paragraphs_shortcodes_and_entities() {
        let classic = "[gallery ids=\"1,2\"]\n\n[caption id=\"attachment_5\" width=\"300\"]<img src=\"https://p.example/a.png\" alt=\"x\" /> A caption[/caption]\n\nFish &amp; chips&#8230; &#038; more&nbsp;here,\nnext line.\n\n<ul>\n<li>one</li>\n</ul>\n\nWritten out: &amp;#8230; and `&amp;amp;`";
        let md = neutralise(&html_to_markdown(&paragraphs_of_classic(classic)));
        let paragraphs: Vec<&str> = md.split("\n\n").collect();
        assert_eq!(paragraphs.len(), 5, "{md}");
        assert!(paragraphs[0].starts_with("\\[gallery ids=\"1,2\""), "{md}");
        assert!(
            paragraphs[1].contains("caption id=") && paragraphs[1].contains("[/caption"),
            "{md}"
        );
        assert!(
            paragraphs[2].starts_with("Fish & chips… & more here,"),
            "{md}"
        );
        assert!(
            paragraphs[2].contains("here,  \nnext line."),
            "a line break: {md}"
        );
        assert_eq!(paragraphs[3], "- one");
        assert_eq!(
            paragraphs[4], "Written out: \\&#8230; and \\`\\&amp;\\`\n",
            "{md}"
        );
        // What the preview shows: the shortcodes and the written-out entity as text.
        let html = newsroom_core::render::render_body(&md, &Default::default());
        assert!(
            html.contains("[gallery ids=") && html.contains("[/caption]"),
            "{html}"
        );
        assert!(
            html.contains("Written out: &amp;#8230; and `&amp;amp;`"),
            "{html}"
        );
        // A shortcode block of the block editor: text between two comments.
        let block = "<!-- wp:shortcode -->\n[gallery ids=\"3,4\"]\n<!-- /wp:shortcode -->\n\n<!-- wp:paragraph -->\n<p>After &#8230;</p>\n<!-- /wp:paragraph -->";
        let md = neutralise(&html_to_markdown(&paragraphs_of_classic(block)));
        assert!(md.starts_with("\\[gallery ids=\"3,4\""), "{md}");
        assert!(md.contains("After …"), "{md}");
        // Block content is left to the HTML converter.
        assert_eq!(
            paragraphs_of_classic("<!-- wp:paragraph -->\n<p>a</p>"),
            "<!-- wp:paragraph -->\n<p>a</p>"
        );
    }

    #[test]
    fn the_marker_is_read_back_from_content() {
        let html = to_blocks(
            "Hi\n",
            &BlockContext {
                marker: Some("nrab12".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(marker_in_content(&html).as_deref(), Some("nrab12"));
        assert_eq!(marker_in_content("<p>no marker</p>"), None);
        assert_eq!(
            marker_in_content("<!-- wp:paragraph {\"newsroomPublish\":\"evil\\\" x\"} -->"),
            None
        );
    }
}
