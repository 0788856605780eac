//! The text the reader sees, against the real WordPress of `tests/portal/`: the preview's
//! typography equals what the portal shows after `wptexturize`, and a post pulled into a
//! fresh folder and published again is unchanged on the portal. Skips cleanly when the
//! site is not running (fails under `NEWSROOM_WP_REQUIRED=1`).

mod common;

use common::{Desk, no_progress, post, site, unique};
use newsroom_core::render::{RenderOptions, render_body};
use newsroom_publish::{PostStatus, PublishOutcome, PublishRequest, Published};

fn published(outcome: PublishOutcome) -> Published {
    match outcome {
        PublishOutcome::Published(p) => p,
        other => panic!("expected a published post, got {other:?}"),
    }
}

fn request(desk: &Desk, path: &str) -> PublishRequest {
    PublishRequest {
        root: desk.root.clone(),
        path: path.into(),
        status: Some(PostStatus::Publish),
        ..Default::default()
    }
}

/// The text of the first `<p>…</p>` of `html` that contains `word`, as a reader sees it:
/// tags dropped, entities decoded (the portal writes `&#8220;`, the preview `“`).
fn paragraph_text(html: &str, word: &str) -> String {
    let start = html
        .match_indices("<p")
        .map(|(i, _)| i)
        .find(|&i| {
            html[i..]
                .find("</p>")
                .is_some_and(|end| html[i..i + end].contains(word))
        })
        .unwrap_or_else(|| panic!("no paragraph with {word} in {html}"));
    let end = start + html[start..].find("</p>").unwrap_or(html.len() - start);
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    htmlize::unescape(&text).into_owned()
}

/// Every rule the two could disagree on, in one paragraph: double and single quotes,
/// apostrophes (`it's`, `'90s`, `rock 'n' roll`), `--`, `---`, ` - `, ` -- `, an
/// ellipsis, a trade mark, a multiplication, primes, and code that must stay as typed.
const TYPOGRAPHY: &str = "\"Quoted,\" she said -- it's the '90s... A - B, 10---12, a -- b, \
    rock 'n' roll, 'single' and \"double\" quotes, 2x4 boards, Brand (tm), 5'10\" tall, \
    `\"code\" -- stays...` and **\"bold\"** - done.";

#[tokio::test]
async fn the_preview_shows_the_typography_the_portal_shows() {
    let Some(site) = site().await else { return };
    let desk = Desk::new();
    let word = unique();
    let body = format!("{word} {TYPOGRAPHY}\n");
    desk.write(
        "typography.md",
        &format!("---\ntitle: Typography {word}\nstatus: approved\n---\n{body}"),
    );
    let p = published(
        desk.publisher(site.creds("editor"))
            .publish(request(&desk, "typography.md"), no_progress())
            .await
            .expect("publish"),
    );
    let wp = post(&site, p.post_id).await;
    let portal = paragraph_text(wp["content"]["rendered"].as_str().unwrap(), &word);
    let preview = paragraph_text(&render_body(&body, &RenderOptions::default()), &word);
    assert_eq!(preview, portal, "the preview and the portal differ");
    // And it is the typography, not two straight copies that happen to agree.
    for typographic in [
        "“Quoted,”",
        "it’s",
        "’90s",
        "…",
        "A – B",
        "10—12",
        "a – b",
        "×",
        "™",
    ] {
        assert!(preview.contains(typographic), "{typographic} in {preview}");
    }
    assert!(preview.contains("\"code\" -- stays..."), "{preview}");
}

/// What a reader would see of a post's content: tags dropped, entities decoded, spaces
/// collapsed; for comparing two renderings of the same post.
fn content_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    htmlize::unescape(&text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn a_pulled_post_published_again_is_unchanged_on_the_portal() {
    let Some(site) = site().await else { return };
    let desk = Desk::new();
    let word = unique();
    desk.write(
        "orig.md",
        &format!(
            "---\ntitle: \"Round trip & more… {word}\"\nexcerpt: \"Fish & chips… “quoted”\"\nstatus: approved\n---\n\
             Round trip {word}: {TYPOGRAPHY}\n\n\
             ## A heading with *emphasis* & ampersands\n\n\
             Text with [a link](https://example.org/a?b=1&c=2), `code <b>` & a literal \\[gallery ids=\"1,2\"] shortcode.\\\n\
             After a hard break, 3 < 4 > 2 and an entity written out: \\&#8230;.\n\n\
             - one\n- two with **strong**\n  - nested\n\n\
             1. first\n2. second\n\n\
             > A quote -- with \"quotes\".\n\n\
             ```\nfn main() {{ println!(\"--- & <x> ...\"); }}\n```\n\n\
             ---\n\n\
             Last paragraph.\n"
        ),
    );
    let publisher = desk.publisher(site.creds("editor"));
    let p = published(
        publisher
            .publish(request(&desk, "orig.md"), no_progress())
            .await
            .expect("publish"),
    );
    let before = post(&site, p.post_id).await;

    // Pulled into a fresh folder (another computer), then published from there.
    let fresh = Desk::new();
    let pulled = newsroom_publish::pull::pull(
        &site.creds("editor"),
        Some(&fresh.store()),
        &fresh.root,
        Some(&fresh.dir.path().join("index.sqlite3")),
        "",
        p.post_id,
        Default::default(),
    )
    .await
    .expect("pull");
    let text = fresh.read(&pulled.path);
    for leftover in ["&#", "&amp;", "&nbsp;", "&quot;", "&lt;", "&gt;"] {
        let outside_code: String = text.split("```").step_by(2).collect::<Vec<_>>().join("");
        assert!(
            !outside_code.replace("\\&#8230;", "").contains(leftover),
            "entity leftover {leftover} in the pulled draft:\n{text}"
        );
    }
    let d = newsroom_core::Draft::parse(&text).unwrap();
    assert_eq!(
        d.front_matter.title.as_deref(),
        Some(format!("Round trip & more… {word}").as_str()),
        "{text}"
    );
    assert_eq!(
        d.front_matter.excerpt.as_deref(),
        Some("Fish & chips… “quoted”"),
        "{text}"
    );
    assert!(d.body().contains("gallery ids="), "{text}");

    let again = published(
        fresh
            .publisher(site.creds("editor"))
            .publish(request(&fresh, &pulled.path), no_progress())
            .await
            .expect("publish the pulled draft"),
    );
    assert_eq!(again.post_id, p.post_id, "the same post is updated");
    let after = post(&site, p.post_id).await;
    assert_eq!(after["title"]["raw"], before["title"]["raw"]);
    assert_eq!(after["excerpt"]["raw"], before["excerpt"]["raw"]);
    let rendered = |v: &serde_json::Value| content_text(v["content"]["rendered"].as_str().unwrap());
    assert_eq!(
        rendered(&after),
        rendered(&before),
        "what the reader sees changed\nraw before:\n{}\nraw after:\n{}",
        before["content"]["raw"],
        after["content"]["raw"]
    );
    // Every publish is a job of its own and marks the post with its key; all else is the
    // same, byte for byte.
    let blocks = |v: &serde_json::Value| {
        let raw = v["content"]["raw"].as_str().unwrap().to_owned();
        match newsroom_publish::publish::marker_in_content(&raw) {
            Some(m) => raw.replace(&m, "nrMARKER"),
            None => raw,
        }
    };
    assert_eq!(
        blocks(&after),
        blocks(&before),
        "the post's blocks changed\npulled draft:\n{text}"
    );
}

/// A post another tool wrote (classic editor, no blocks): entities in its title, excerpt
/// and text, shortcodes, paragraphs as blank lines. The pulled draft reads as the post
/// does, with the shortcodes as visible text (never run again) and no entity left over.
#[tokio::test]
async fn a_classic_post_with_shortcodes_and_entities_is_pulled_as_text() {
    let Some(site) = site().await else { return };
    let word = unique();
    let created = site
        .admin()
        .post(
            "/wp/v2/posts",
            &serde_json::json!({
                "title": format!("Fish &#038; chips&#8230; &nbsp;{word}"),
                "excerpt": "Short &amp; sweet&#8230;",
                "status": "draft",
                "content": format!(
                    "First paragraph {word} &#8220;quoted&#8221;&nbsp;here &#038; there&#8230;\n\n\
                     [gallery ids=\"1,2\"]\n\n\
                     [caption id=\"attachment_5\" width=\"300\"]<img src=\"https://cdn.example/a.png\" alt=\"A\" /> The caption[/caption]\n\n\
                     Line one\nline two."
                ),
            }),
        )
        .await
        .expect("create a classic post")
        .body;
    let id = created["id"].as_u64().unwrap();
    let desk = Desk::new();
    let pulled = newsroom_publish::pull::pull(
        &site.creds("admin"),
        None,
        &desk.root,
        Some(&desk.dir.path().join("index.sqlite3")),
        "",
        id,
        Default::default(),
    )
    .await
    .expect("pull");
    let text = desk.read(&pulled.path);
    let d = newsroom_core::Draft::parse(&text).unwrap();
    assert_eq!(
        d.front_matter.title.as_deref(),
        Some(format!("Fish & chips…  {word}").as_str()),
        "{text}"
    );
    assert_eq!(d.front_matter.excerpt.as_deref(), Some("Short & sweet…"));
    for leftover in ["&#", "&amp;", "&nbsp;", "&quot;"] {
        assert!(!d.body().contains(leftover), "{leftover} in\n{text}");
    }
    let paragraphs: Vec<&str> = d.body().trim().split("\n\n").collect();
    assert_eq!(paragraphs.len(), 4, "{text}");
    assert!(
        paragraphs[0].contains(&format!("First paragraph {word} “quoted” here & there…")),
        "{text}"
    );
    let preview = render_body(d.body(), &RenderOptions::default());
    assert!(preview.contains("[gallery ids="), "{preview}");
    assert!(
        preview.contains("[caption id=") && preview.contains("The caption[/caption]"),
        "{preview}"
    );
    assert!(preview.contains("Line one<br />"), "{preview}");
    let _ = site
        .admin()
        .delete(&format!("/wp/v2/posts/{id}"), &[("force", "true".into())])
        .await;
}
