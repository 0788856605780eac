//! Publishing to the real WordPress of `tests/portal/` and reading back through its REST
//! API. Skips cleanly when the site is not running.

mod common;

use common::{
    Desk, finished_images, media_with, no_progress, post, posts_with, recording, site, unique,
};
use newsroom_publish::{PostStatus, Progress, PublishOutcome, PublishRequest, Published};
use serde_json::Value;

fn request(desk: &Desk, path: &str) -> PublishRequest {
    PublishRequest {
        root: desk.root.clone(),
        path: path.into(),
        ..Default::default()
    }
}

fn published(outcome: PublishOutcome) -> Published {
    match outcome {
        PublishOutcome::Published(p) => p,
        other => panic!("expected a published post, got {other:?}"),
    }
}

fn ids(v: &Value, key: &str) -> Vec<u64> {
    let mut out: Vec<u64> = v[key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_u64)
        .collect();
    out.sort_unstable();
    out
}

#[tokio::test]
async fn new_post_with_everything_then_republish_updates_it_without_uploading_again() {
    let Some(site) = site().await else { return };
    let desk = Desk::new();
    let word = unique();
    let sha_featured = desk.image("images/featured.png", 40, 30);
    let sha_a = desk.image("images/a.png", 20, 20);
    desk.image("images/b.png", 24, 16);
    desk.write(
        "story.md",
        &format!(
            "---\ntitle: Minsk talks stall {word}\ncategories: [world, Business]\ntags: [Belarus, {word}-tag]\nstatus: approved\nauthor: Ana Kovač\nexcerpt: Talks in Minsk stalled on Tuesday.\nfeatured_image: images/featured.png\nfeatured_image_alt: The hall in Minsk\nx-desk-note: keep me\n---\n\
             Talks in **Minsk** stalled {word}.\n\n![Map of the region](images/a.png)\n\n## What next\n\n- one\n- two\n\nSee ![the chart](images/b.png) inline.\n"
        ),
    );
    let body_before = desk
        .read("story.md")
        .split_once("\n---\n")
        .map(|(_, b)| b.to_owned())
        .unwrap();

    let publisher = desk.publisher(site.creds("author"));
    let (progress, seen) = recording();
    let p = published(
        publisher
            .publish(request(&desk, "story.md"), progress)
            .await
            .expect("publish"),
    );
    assert!(p.created && !p.adopted);
    assert_eq!(p.status, "publish");
    assert_eq!((p.images_uploaded, p.images_reused), (3, 0));
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let steps = seen.lock().unwrap().clone();
    let files = ["images/featured.png", "images/a.png", "images/b.png"];
    assert_eq!(finished_images(&steps, 3, &files).len(), 3, "{steps:?}");
    assert!(
        matches!(steps.last(), Some(Progress::Done { link }) if *link == p.link),
        "{steps:?}"
    );

    // Read back through the REST API.
    let wp = post(&site, p.post_id).await;
    assert_eq!(wp["title"]["raw"], format!("Minsk talks stall {word}"));
    assert_eq!(wp["status"], "publish");
    assert_eq!(wp["excerpt"]["raw"], "Talks in Minsk stalled on Tuesday.");
    assert_eq!(ids(&wp, "categories"), vec![2, 11], "Business and World");
    assert_eq!(wp["author"], site.users["author"].id);
    let content = wp["content"]["raw"].as_str().unwrap();
    assert!(
        content.contains(&format!(
            "<p>Talks in <strong>Minsk</strong> stalled {word}.</p>"
        )),
        "{content}"
    );
    assert!(content.contains("<!-- wp:image {\"id\":"), "{content}");
    assert!(
        content.contains("<!-- wp:heading -->\n<h2>What next</h2>"),
        "{content}"
    );
    assert!(
        content.contains("<!-- wp:list-item -->\n<li>one</li>"),
        "{content}"
    );
    assert!(
        !content.contains("images/a.png"),
        "local paths are rewritten: {content}"
    );
    let tag_names: Vec<String> = {
        let include = ids(&wp, "tags")
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let a = site
            .admin()
            .get("/wp/v2/tags", &[("include", include)])
            .await
            .unwrap();
        a.body
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(
        tag_names.contains(&"Belarus".to_owned()) && tag_names.contains(&format!("{word}-tag")),
        "{tag_names:?}"
    );
    let featured_id = wp["featured_media"].as_u64().unwrap();
    assert!(featured_id > 0);
    let featured = site
        .admin()
        .get(
            &format!("/wp/v2/media/{featured_id}"),
            &[("context", "edit".into())],
        )
        .await
        .unwrap()
        .body;
    assert_eq!(featured["alt_text"], "The hall in Minsk");
    assert_eq!(
        media_with(&site, &format!("nrimg{}", &sha_featured[..32]))
            .await
            .len(),
        1
    );
    let a_media = media_with(&site, &format!("nrimg{}", &sha_a[..32])).await;
    assert_eq!(a_media.len(), 1);
    assert!(
        content.contains(a_media[0]["source_url"].as_str().unwrap()),
        "{content}"
    );

    // The draft learnt where it is; its body and unknown keys are untouched.
    let text = desk.read("story.md");
    assert!(
        text.contains(&format!(
            "portal:\n  name: test-author\n  url: {}\n  post_id: {}\n",
            site.url, p.post_id
        )),
        "{text}"
    );
    assert!(
        text.contains("  modified_gmt: ")
            && text.contains("  media:\n    images/a.png:\n      id: "),
        "{text}"
    );
    assert!(
        text.contains("x-desk-note: keep me\n") && text.contains("status: published\n"),
        "{text}"
    );
    assert!(text.ends_with(&body_before));

    // Republish after an edit: the same post, nothing uploaded again.
    std::fs::write(
        desk.root.join("story.md"),
        text.replace(
            &format!("stalled {word}."),
            &format!("stalled again {word}."),
        ),
    )
    .unwrap();
    let p2 = published(
        publisher
            .publish(request(&desk, "story.md"), no_progress())
            .await
            .expect("republish"),
    );
    assert_eq!(p2.post_id, p.post_id);
    assert!(!p2.created);
    assert_eq!((p2.images_uploaded, p2.images_reused), (0, 3));
    assert_eq!(posts_with(&site, &word).await.len(), 1);
    let wp = post(&site, p.post_id).await;
    assert!(
        wp["content"]["raw"]
            .as_str()
            .unwrap()
            .contains("stalled again")
    );

    // A colleague on the shared folder (another computer: empty publish database) does not
    // upload the images again either: the draft remembers them.
    let colleague = Desk::new();
    std::fs::create_dir_all(colleague.root.join("images")).unwrap();
    for f in [
        "images/featured.png",
        "images/a.png",
        "images/b.png",
        "story.md",
    ] {
        std::fs::copy(desk.root.join(f), colleague.root.join(f)).unwrap();
    }
    let p3 = published(
        colleague
            .publisher(site.creds("author"))
            .publish(request(&colleague, "story.md"), no_progress())
            .await
            .unwrap(),
    );
    assert_eq!(
        (p3.post_id, p3.images_uploaded, p3.images_reused),
        (p.post_id, 0, 3)
    );
}

#[tokio::test]
async fn scheduled_post_goes_out_as_future_with_its_date() {
    let Some(site) = site().await else { return };
    let desk = Desk::new();
    let word = unique();
    let when = time::OffsetDateTime::now_utc() + time::Duration::days(3);
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let local = when.to_offset(time::UtcOffset::from_hms(1, 0, 0).unwrap());
    desk.write(
        "sched.md",
        &format!(
            "---\ntitle: Later {word}\nstatus: approved\npublish_at: {}+01:00\n---\nBody {word}.\n",
            local.format(&fmt).unwrap()
        ),
    );
    let p = published(
        desk.publisher(site.creds("editor"))
            .publish(request(&desk, "sched.md"), no_progress())
            .await
            .unwrap(),
    );
    assert_eq!(p.status, "future");
    let wp = post(&site, p.post_id).await;
    assert_eq!(wp["status"], "future");
    assert_eq!(wp["date_gmt"], when.format(&fmt).unwrap());
    assert!(desk.read("sched.md").contains("status: scheduled\n"));
}

#[tokio::test]
async fn contributor_cannot_publish_and_is_told_to_submit_for_review() {
    let Some(site) = site().await else { return };
    let desk = Desk::new();
    let word = unique();
    desk.write(
        "c.md",
        &format!("---\ntitle: From Carl {word}\n---\nText {word}.\n"),
    );
    let publisher = desk.publisher(site.creds("contributor"));
    let err = publisher
        .publish(
            PublishRequest {
                status: Some(PostStatus::Publish),
                ..request(&desk, "c.md")
            },
            no_progress(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let msg = err.to_string();
    assert!(
        msg.contains("contributor") && msg.contains("--status pending"),
        "{msg}"
    );
    assert!(
        posts_with(&site, &word).await.is_empty(),
        "nothing was created"
    );

    // What the message suggests works.
    let p = published(
        publisher
            .publish(
                PublishRequest {
                    status: Some(PostStatus::Pending),
                    ..request(&desk, "c.md")
                },
                no_progress(),
            )
            .await
            .unwrap(),
    );
    assert_eq!(p.status, "pending");
    assert_eq!(posts_with(&site, &word).await.len(), 1);

    // The portal's own 403 maps to the same advice.
    let client =
        newsroom_publish::client::WpClient::new(&site.creds("contributor"), Default::default())
            .unwrap();
    let err = client
        .post(
            "/wp/v2/posts",
            &serde_json::json!({"title": word, "status": "publish"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    assert!(err.to_string().contains("--status pending"), "{err}");
}

#[tokio::test]
async fn another_authors_byline_is_reported_or_set_by_an_editor() {
    let Some(site) = site().await else { return };
    let desk = Desk::new();
    let word = unique();
    let olga = &site.users["author2"];
    desk.write(
        "b.md",
        &format!(
            "---\ntitle: Byline {word}\nauthor: {}\n---\nText.\n",
            olga.display_name
        ),
    );
    let p = published(
        desk.publisher(site.creds("author"))
            .publish(request(&desk, "b.md"), no_progress())
            .await
            .unwrap(),
    );
    assert_eq!(p.status, "draft");
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("byline") && w.contains(&olga.display_name)),
        "{:?}",
        p.warnings
    );
    assert_eq!(
        post(&site, p.post_id).await["author"],
        site.users["author"].id
    );

    let desk2 = Desk::new();
    desk2.write(
        "b.md",
        &format!(
            "---\ntitle: Byline by editor {word}\nauthor: {}\n---\nText.\n",
            olga.display_name
        ),
    );
    let p = published(
        desk2
            .publisher(site.creds("editor"))
            .publish(request(&desk2, "b.md"), no_progress())
            .await
            .unwrap(),
    );
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    assert_eq!(post(&site, p.post_id).await["author"], olga.id);
}

#[tokio::test]
async fn changes_on_the_portal_are_not_overwritten_silently() {
    let Some(site) = site().await else { return };
    let desk = Desk::new();
    let word = unique();
    desk.write(
        "x.md",
        &format!("---\ntitle: Changed {word}\n---\nOurs {word}.\n"),
    );
    let publisher = desk.publisher(site.creds("editor"));
    let p = published(
        publisher
            .publish(request(&desk, "x.md"), no_progress())
            .await
            .unwrap(),
    );
    // modified_gmt has one-second resolution.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    site.admin()
        .post(
            &format!("/wp/v2/posts/{}", p.post_id),
            &serde_json::json!({"title": format!("Fixed on the portal {word}")}),
        )
        .await
        .unwrap();

    let err = publisher
        .publish(request(&desk, "x.md"), no_progress())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "changed_on_portal");
    assert!(err.to_string().contains("--overwrite"), "{err}");
    assert_eq!(
        post(&site, p.post_id).await["title"]["raw"],
        format!("Fixed on the portal {word}")
    );

    let p2 = published(
        publisher
            .publish(
                PublishRequest {
                    overwrite: true,
                    ..request(&desk, "x.md")
                },
                no_progress(),
            )
            .await
            .unwrap(),
    );
    assert_eq!(p2.post_id, p.post_id);
    assert_eq!(
        post(&site, p.post_id).await["title"]["raw"],
        format!("Changed {word}")
    );
}

#[tokio::test]
async fn deleted_or_trashed_on_the_portal_is_detected() {
    let Some(site) = site().await else { return };
    let desk = Desk::new();
    let word = unique();
    desk.write(
        "d.md",
        &format!("---\ntitle: Deleted {word}\n---\nText {word}.\n"),
    );
    let publisher = desk.publisher(site.creds("editor"));
    let p = published(
        publisher
            .publish(request(&desk, "d.md"), no_progress())
            .await
            .unwrap(),
    );

    site.admin()
        .delete(&format!("/wp/v2/posts/{}", p.post_id), &[])
        .await
        .unwrap();
    let err = publisher
        .publish(request(&desk, "d.md"), no_progress())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "deleted_on_portal");
    assert!(
        err.to_string().contains("trash") && err.to_string().contains("--republish-new"),
        "{err}"
    );

    site.admin()
        .delete(
            &format!("/wp/v2/posts/{}", p.post_id),
            &[("force", "true".into())],
        )
        .await
        .unwrap();
    let err = publisher
        .publish(request(&desk, "d.md"), no_progress())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "deleted_on_portal");

    let p2 = published(
        publisher
            .publish(
                PublishRequest {
                    republish_new: true,
                    ..request(&desk, "d.md")
                },
                no_progress(),
            )
            .await
            .unwrap(),
    );
    assert_ne!(p2.post_id, p.post_id);
    assert!(p2.created);
    assert!(
        desk.read("d.md")
            .contains(&format!("post_id: {}\n", p2.post_id))
    );
}

#[tokio::test]
async fn unknown_category_lists_the_portals() {
    let Some(site) = site().await else { return };
    let desk = Desk::new();
    desk.write(
        "u.md",
        "---\ntitle: Sports typo\ncategories: [Sprots]\n---\nText.\n",
    );
    let err = desk
        .publisher(site.creds("author"))
        .publish(request(&desk, "u.md"), no_progress())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "unknown_category");
    let msg = err.to_string();
    assert!(
        msg.contains("`Sprots`") && msg.contains("Sports") && msg.contains("Technology"),
        "{msg}"
    );
}

#[tokio::test]
async fn wrong_password_says_what_to_check() {
    let Some(site) = site().await else { return };
    let desk = Desk::new();
    desk.write("w.md", "---\ntitle: Nope\n---\nText.\n");
    let mut creds = site.creds("author");
    creds.password = newsroom_publish::Secret::new("wrong wrong wrong wrong");
    let err = desk
        .publisher(creds)
        .publish(request(&desk, "w.md"), no_progress())
        .await
        .unwrap_err();
    assert!(
        matches!(err.code(), "unauthorized" | "auth_header_stripped"),
        "{err:?}"
    );
    assert!(err.to_string().contains("application password"), "{err}");
}

#[tokio::test]
async fn portal_test_reports_user_statuses_and_categories() {
    let Some(site) = site().await else { return };
    let desk = Desk::new();
    let r = newsroom_publish::portal::test(
        &site.creds("contributor"),
        Some(&desk.store()),
        Default::default(),
    )
    .await
    .unwrap();
    assert_eq!(r.user.name, "Carl Brandt");
    assert_eq!(r.allowed_statuses, vec!["draft", "pending"]);
    assert!(!r.can_upload && !r.query_routes);
    assert!(r.categories.iter().any(|c| c.name == "World" && c.id == 11));
    let r = newsroom_publish::portal::test(&site.creds("editor"), None, Default::default())
        .await
        .unwrap();
    assert_eq!(
        r.allowed_statuses,
        vec!["draft", "pending", "publish", "future"]
    );
    assert!(r.can_set_author && r.can_upload);
}

#[tokio::test]
async fn pull_round_trip_corrects_and_republishes_the_same_post() {
    let Some(site) = site().await else { return };
    let desk = Desk::new();
    let word = unique();
    desk.write(
        "orig.md",
        &format!("---\ntitle: Pulled {word}\ncategories: [Science]\ntags: [{word}-pull]\nexcerpt: Short.\n---\nFirst *para* {word}.\n\n## Sub\n\n- a\n- b\n"),
    );
    let publisher = desk.publisher(site.creds("editor"));
    let p = published(
        publisher
            .publish(
                PublishRequest {
                    status: Some(PostStatus::Publish),
                    ..request(&desk, "orig.md")
                },
                no_progress(),
            )
            .await
            .unwrap(),
    );

    let index = desk.dir.path().join("index.sqlite3");
    let pulled = newsroom_publish::pull::pull(
        &site.creds("editor"),
        Some(&desk.store()),
        &desk.root,
        Some(&index),
        "pulled",
        p.post_id,
        Default::default(),
    )
    .await
    .unwrap();
    assert!(pulled.path.starts_with("pulled/"), "{}", pulled.path);
    let text = desk.read(&pulled.path);
    let d = newsroom_core::Draft::parse(&text).unwrap();
    assert_eq!(
        d.front_matter.title.as_deref(),
        Some(format!("Pulled {word}").as_str())
    );
    assert_eq!(d.front_matter.categories, vec!["Science"]);
    assert_eq!(d.front_matter.tags, vec![format!("{word}-pull")]);
    assert_eq!(d.front_matter.excerpt.as_deref(), Some("Short."));
    assert!(
        text.contains(&format!("post_id: {}\n", p.post_id)),
        "{text}"
    );
    assert!(
        d.body().contains(&format!("First *para* {word}."))
            && d.body().contains("## Sub")
            && d.body().contains("- a\n- b"),
        "{text}"
    );

    // Correct and republish: the same post is updated.
    std::fs::write(
        desk.root.join(&pulled.path),
        text.replace("First *para*", "Corrected *para*"),
    )
    .unwrap();
    let p2 = published(
        publisher
            .publish(request(&desk, &pulled.path), no_progress())
            .await
            .unwrap(),
    );
    assert_eq!(p2.post_id, p.post_id);
    assert!(
        post(&site, p.post_id).await["content"]["raw"]
            .as_str()
            .unwrap()
            .contains("Corrected <em>para</em>")
    );
    assert_eq!(posts_with(&site, &word).await.len(), 1);
}

#[tokio::test]
async fn raw_html_images_are_uploaded_once_and_point_at_the_portal() {
    let Some(site) = site().await else { return };
    let desk = Desk::new();
    let word = unique();
    let sha_a = desk.image("images/a.png", 20, 20);
    let sha_raw = desk.image("images/raw only.png", 16, 12);
    desk.write(
        "story.md",
        &format!(
            "---\ntitle: Raw images {word}\nstatus: approved\n---\n\
             Text {word}.\n\n![Map](images/a.png)\n\n<figure>\n<img src=\"images/a.png\" alt=\"Map &amp; key\">\n<img alt=\"Only here\" src=\"images/raw%20only.png\">\n<img src=\"https://cdn.example/remote.png\" alt=\"Remote\">\n<figcaption>Maps</figcaption>\n</figure>\n"
        ),
    );
    let publisher = desk.publisher(site.creds("author"));
    let p = published(
        publisher
            .publish(request(&desk, "story.md"), no_progress())
            .await
            .expect("publish"),
    );
    // `images/a.png` once for its Markdown and raw uses, the raw-only file once.
    assert_eq!((p.images_uploaded, p.images_reused), (2, 0));
    let url_of = async |sha: &str| {
        let found = media_with(&site, &format!("nrimg{}", &sha[..32])).await;
        assert_eq!(found.len(), 1, "{found:?}");
        found[0]["source_url"].as_str().unwrap().to_owned()
    };
    let (a, raw) = (url_of(&sha_a).await, url_of(&sha_raw).await);
    let wp = post(&site, p.post_id).await;
    let content = wp["content"]["raw"].as_str().unwrap();
    assert!(!content.contains("images/"), "{content}");
    assert!(
        content.contains(&format!(
            "<figure>\n<img src=\"{a}\" alt=\"Map &amp; key\">\n<img alt=\"Only here\" src=\"{raw}\">\n<img src=\"https://cdn.example/remote.png\" alt=\"Remote\">"
        )),
        "{content}"
    );
    // What a reader gets: the page's HTML shows both uploads with their alt text.
    let rendered = wp["content"]["rendered"].as_str().unwrap();
    assert!(
        rendered.contains(&raw) && rendered.contains("alt=\"Only here\""),
        "{rendered}"
    );

    // Republished: both reused, nothing uploaded again.
    let p2 = published(
        publisher
            .publish(request(&desk, "story.md"), no_progress())
            .await
            .expect("republish"),
    );
    assert_eq!(
        (p2.post_id, p2.images_uploaded, p2.images_reused),
        (p.post_id, 0, 2)
    );
}

#[tokio::test]
async fn an_img_inside_a_paragraph_is_uploaded_and_shown_on_the_portal() {
    let Some(site) = site().await else { return };
    let desk = Desk::new();
    let word = unique();
    let sha = desk.image("images/inline.png", 18, 12);
    desk.write(
        "story.md",
        &format!(
            "---\ntitle: Inline raw image {word}\nstatus: approved\n---\n\
             The map {word} <img src=\"images/inline.png\" alt=\"Border map\" onerror=\"x()\"> shows the crossing.\n"
        ),
    );
    let p = published(
        desk.publisher(site.creds("author"))
            .publish(request(&desk, "story.md"), no_progress())
            .await
            .expect("publish"),
    );
    assert_eq!((p.images_uploaded, p.images_reused), (1, 0));
    let found = media_with(&site, &format!("nrimg{}", &sha[..32])).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["alt_text"], "Border map");
    let url = found[0]["source_url"].as_str().unwrap();
    let wp = post(&site, p.post_id).await;
    let raw = wp["content"]["raw"].as_str().unwrap();
    assert!(
        raw.contains(&format!(
            "<p>The map {word} <img src=\"{url}\" alt=\"Border map\"> shows the crossing.</p>"
        )),
        "{raw}"
    );
    let rendered = wp["content"]["rendered"].as_str().unwrap();
    assert!(rendered.contains(&format!("src=\"{url}\"")), "{rendered}");
    assert!(
        !raw.contains("images/inline.png") && !raw.contains("onerror"),
        "{raw}"
    );
}
