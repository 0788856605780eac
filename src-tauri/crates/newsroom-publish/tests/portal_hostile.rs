//! A hostile drafts folder against the real WordPress of `tests/portal/`, every request
//! going through the tests' proxy, which keeps every byte sent: drafts that claim other
//! people's posts and attachments, images that are symbolic links to canary files outside
//! the folder (or FIFOs), 20,000 nested quotes, and a job that took the process down
//! twice. Skips cleanly when the site is not running.

mod common;

use std::time::Duration;

use common::fault_proxy::FaultProxy;
use common::{Desk, media_with, no_progress, png, post, posts_with, recording, site, unique};
use newsroom_publish::client::Upload;
use newsroom_publish::store::JobRequest;
use newsroom_publish::{Outbox, OutboxConfig, Progress, PublishOutcome, PublishRequest, Published};
use serde_json::{Value, json};

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

fn only_reads(proxy: &FaultProxy) -> bool {
    proxy
        .requests()
        .iter()
        .all(|r| r.starts_with("GET ") || r.starts_with("HEAD "))
}

fn plans(seen: &std::sync::Mutex<Vec<Progress>>) -> Vec<String> {
    seen.lock()
        .expect("progress lock")
        .iter()
        .filter_map(|p| match p {
            Progress::Plan { summary, .. } => Some(summary.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_draft_claiming_an_unrelated_post_is_refused_and_the_post_is_unchanged() {
    let Some(site) = site().await else { return };
    let word = unique();
    // Somebody else's post, made on the portal.
    let theirs = site
        .admin()
        .post(
            "/wp/v2/posts",
            &json!({"title": format!("Front page {word}"), "content": "<p>Not yours.</p>", "status": "publish"}),
        )
        .await
        .unwrap()
        .body;
    let id = theirs["id"].as_u64().unwrap();
    let before = post(&site, id).await;

    let desk = Desk::new();
    // The claim copies everything a draft can know: the id, its modified_gmt, a marker.
    desk.write(
        "claim.md",
        &format!(
            "---\ntitle: Take-over {word}\nportal:\n  name: test-editor\n  post_id: {id}\n  modified_gmt: {}\n  marker: nr0000000000000000beef\n---\nReplaced {word}.\n",
            before["modified_gmt"].as_str().unwrap()
        ),
    );
    let proxy = FaultProxy::start(&site.url).await;
    let publisher = desk.publisher(site.creds_at("editor", &proxy.url()));

    // The pre-flight refuses with GETs only …
    let err = publisher
        .plan(&request(&desk, "claim.md"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_our_post", "{err}");
    // … and so does the publish, before anything is sent.
    let err = publisher
        .publish(request(&desk, "claim.md"), no_progress())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_our_post", "{err}");
    let msg = err.to_string();
    assert!(msg.contains("claim.md"), "{msg}");
    assert!(msg.contains(&format!("post {id}")), "{msg}");
    assert!(msg.contains(&format!("«Front page {word}»")), "{msg}");
    assert!(msg.contains("--republish-new"), "{msg}");
    assert!(only_reads(&proxy), "{:?}", proxy.requests());
    assert!(!proxy.sent_contains(format!("Replaced {word}").as_bytes()));
    let after = post(&site, id).await;
    assert_eq!(after["title"], before["title"]);
    assert_eq!(after["content"]["raw"], before["content"]["raw"]);
    assert_eq!(after["modified_gmt"], before["modified_gmt"]);

    // --republish-new makes a new post, and says so first; theirs stays as it was.
    let (progress, seen) = recording();
    let p = published(
        publisher
            .publish(
                PublishRequest {
                    republish_new: true,
                    ..request(&desk, "claim.md")
                },
                progress,
            )
            .await
            .unwrap(),
    );
    assert_ne!(p.post_id, id);
    assert!(p.created);
    assert_eq!(
        plans(&seen),
        vec![format!("creates a new post «Take-over {word}» as draft")]
    );
    assert_eq!(
        post(&site, id).await["modified_gmt"],
        before["modified_gmt"]
    );

    // The draft now owns its new post: publishing again updates it, and says which.
    let (progress, seen) = recording();
    let p2 = published(
        publisher
            .publish(request(&desk, "claim.md"), progress)
            .await
            .unwrap(),
    );
    assert_eq!(p2.post_id, p.post_id);
    let plan = &plans(&seen)[0];
    assert!(
        plan.starts_with(&format!("updates post {}, «Take-over {word}»", p.post_id)),
        "{plan}"
    );
    // Another computer (no store) trusts it through the marker the draft carries.
    let elsewhere = Desk {
        dir: tempfile::tempdir().unwrap(),
        root: desk.root.clone(),
    };
    let planned = elsewhere
        .publisher(site.creds_at("editor", &proxy.url()))
        .plan(&request(&desk, "claim.md"))
        .await
        .unwrap();
    assert_eq!(planned.post_id, Some(p.post_id));
    assert!(
        planned.summary.contains("carries this draft's marker"),
        "{}",
        planned.summary
    );
    site.admin()
        .delete(&format!("/wp/v2/posts/{id}"), &[("force", "true".into())])
        .await
        .unwrap();
}

#[tokio::test]
async fn a_draft_claiming_an_unrelated_attachment_reuses_nothing() {
    let Some(site) = site().await else { return };
    let word = unique();
    let desk = Desk::new();
    let ours = desk.image("images/ours.png", 6, 5);
    // Their attachment, uploaded on the portal by somebody else.
    let theirs = site
        .admin()
        .upload(Upload {
            bytes: png(5, 5, &format!("theirs{word}")).into(),
            file_name: format!("theirs-{word}.png"),
            mime: "image/png".into(),
            fields: vec![
                ("title".into(), format!("Theirs {word}")),
                ("alt_text".into(), "Their alt".into()),
            ],
        })
        .await
        .unwrap()
        .body;
    let their_id = theirs["id"].as_u64().unwrap();
    desk.write(
        "media.md",
        &format!(
            "---\ntitle: Media {word}\nfeatured_image: images/ours.png\nfeatured_image_alt: Our alt {word}\nportal:\n  name: test-editor\n  media:\n    images/ours.png:\n      id: {their_id}\n      sha256: {ours}\n---\nBody {word}.\n\n![Ours](images/ours.png)\n"
        ),
    );
    let p = published(
        desk.publisher(site.creds("editor"))
            .publish(request(&desk, "media.md"), no_progress())
            .await
            .unwrap(),
    );
    assert_eq!((p.images_uploaded, p.images_reused), (1, 0));
    let ours_on_portal = post(&site, p.post_id).await;
    let featured = ours_on_portal["featured_media"].as_u64().unwrap();
    assert!(featured > 0 && featured != their_id);
    assert!(
        !ours_on_portal["content"]["raw"]
            .as_str()
            .unwrap()
            .contains(&format!("wp-image-{their_id}"))
    );
    let their_now = site
        .admin()
        .get(
            &format!("/wp/v2/media/{their_id}"),
            &[("context", "edit".into())],
        )
        .await
        .unwrap()
        .body;
    assert_eq!(
        their_now["alt_text"], "Their alt",
        "their alt text untouched"
    );
    assert_eq!(their_now["modified_gmt"], theirs["modified_gmt"]);
    // The draft now remembers our attachment, not theirs.
    let text = desk.read("media.md");
    assert!(text.contains(&format!("id: {featured}")), "{text}");
    site.admin()
        .delete(
            &format!("/wp/v2/media/{their_id}"),
            &[("force", "true".into())],
        )
        .await
        .unwrap();
}

#[cfg(unix)]
#[tokio::test]
async fn images_linked_out_of_the_folder_never_reach_the_portal() {
    let Some(site) = site().await else { return };
    let word = unique();
    let desk = Desk::new();
    // Canaries outside the drafts folder: a real PNG (so only the link gives it away) and
    // a "key" file.
    let outside = desk.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let canary_png = png(7, 7, &format!("canary{word}"));
    std::fs::write(outside.join("photo.png"), &canary_png).unwrap();
    let secret = format!("CANARY-SECRET-{word}");
    std::fs::write(outside.join("id_rsa"), &secret).unwrap();
    std::os::unix::fs::symlink(
        outside.join("photo.png"),
        desk.root.join(format!("images/{word}.png")),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.join("id_rsa"), desk.root.join("images/key.png")).unwrap();
    std::os::unix::fs::symlink(&outside, desk.root.join("pics")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(desk.root.join("images/pipe.png"))
        .status()
        .unwrap();
    assert!(made.success());
    std::fs::write(desk.root.join("images/notes.png"), "just text").unwrap();

    let proxy = FaultProxy::start(&site.url).await;
    let publisher = desk.publisher(site.creds_at("editor", &proxy.url()));
    let cases = [
        (format!("![Team](images/{word}.png)"), "symbolic link"),
        ("![Key](images/key.png)".to_owned(), "symbolic link"),
        ("![Dir](pics/photo.png)".to_owned(), "symbolic link"),
        ("![Pipe](images/pipe.png)".to_owned(), "FIFO"),
        (
            "![Text](images/notes.png)".to_owned(),
            "not an image the portal accepts",
        ),
        (
            "![Up](../outside/photo.png)".to_owned(),
            "outside the drafts folder",
        ),
    ];
    for (i, (image, why)) in cases.iter().enumerate() {
        let name = format!("leak{i}.md");
        desk.write(
            &name,
            &format!("---\ntitle: Leak {word} {i}\n---\nText {word}.\n\n{image}\n"),
        );
        let started = std::time::Instant::now();
        let err = publisher
            .publish(request(&desk, &name), no_progress())
            .await
            .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(30), "bounded");
        assert_eq!(err.code(), "image", "{err}");
        let msg = err.to_string();
        let written = image[image.find('(').unwrap() + 1..image.len() - 1].to_owned();
        assert!(
            msg.contains(&format!("{name}:6: image `{written}`")),
            "{msg}"
        );
        assert!(msg.contains(why), "{msg}");
    }
    // A draft that is itself a link to a file outside the folder.
    let outside_draft = format!("---\ntitle: Outside {word}\n---\n{secret} in a draft.\n");
    std::fs::write(outside.join("story.md"), &outside_draft).unwrap();
    std::os::unix::fs::symlink(outside.join("story.md"), desk.root.join("linked.md")).unwrap();
    let err = publisher
        .publish(request(&desk, "linked.md"), no_progress())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "outside_folder", "{err}");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    let err = publisher
        .publish(request(&desk, "../outside/story.md"), no_progress())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "outside_folder", "{err}");

    // Not one canary byte went out: everything is checked before the first request.
    assert!(proxy.requests().is_empty(), "{:?}", proxy.requests());
    assert!(!proxy.sent_contains(&canary_png[16..]), "canary PNG sent");
    assert!(
        !proxy.sent_contains(secret.as_bytes()),
        "canary secret sent"
    );
    assert!(only_reads(&proxy), "{:?}", proxy.requests());
    assert!(media_with(&site, &word).await.is_empty());
    assert!(posts_with(&site, &word).await.is_empty());
    // The drafts were not rewritten with a URL or hash of the canary.
    assert!(!desk.read("leak0.md").contains("portal:"));
}

#[tokio::test]
async fn twenty_thousand_nested_quotes_give_a_clear_error() {
    let Some(site) = site().await else { return };
    let word = unique();
    let desk = Desk::new();
    let deep = |marker: &str| {
        format!(
            "---\ntitle: Deep {word}\n---\nIntro {word}.\n\n{}bottom\n",
            marker.repeat(20_000)
        )
    };
    desk.write("quotes.md", &deep("> "));
    desk.write("lists.md", &deep("- "));
    desk.write("tight.md", &deep(">"));
    let publisher = desk.publisher(site.creds("editor"));
    for name in ["quotes.md", "lists.md", "tight.md"] {
        let err = publisher
            .publish(request(&desk, name), no_progress())
            .await
            .unwrap_err();
        assert_eq!(err.code(), "too_deep", "{err}");
        let msg = err.to_string();
        assert!(msg.contains(&format!("{name}:6: ")), "{msg}");
        assert!(msg.contains("20000 deep"), "{msg}");
        assert!(msg.contains("at most 64"), "{msg}");
    }
    // Lists nested by indentation (one marker a line) are caught in the parsed tree, still
    // before the first request: the image is not uploaded.
    desk.image(&format!("images/{word}.png"), 3, 3);
    let mut indented = format!("---\ntitle: Indented {word}\n---\n![Map](images/{word}.png)\n\n");
    for level in 0..70 {
        indented.push_str(&format!("{}- level {level}\n", "  ".repeat(level)));
    }
    desk.write("indented.md", &indented);
    let err = publisher
        .publish(request(&desk, "indented.md"), no_progress())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "too_deep", "{err}");
    assert!(err.to_string().contains("indented.md:70: "), "{err}");
    assert!(media_with(&site, &word).await.is_empty());

    // Failed for a person to fix, not queued for a retry.
    assert!(desk.store().outbox().unwrap().is_empty());
    assert!(posts_with(&site, &word).await.is_empty());
}

#[tokio::test]
async fn a_job_that_took_the_process_down_twice_is_parked() {
    let Some(site) = site().await else { return };
    let word = unique();
    let desk = Desk::new();
    desk.write(
        "crash.md",
        &format!("---\ntitle: Crash {word}\n---\nBody {word}.\n"),
    );
    let store = desk.store();
    let job = store
        .job_for(
            "test-editor",
            &desk.root,
            "crash.md",
            &JobRequest::default(),
        )
        .unwrap();
    // Two attempts that started and never ended: what a process abort leaves behind.
    store.start_attempt(&job.key).unwrap();
    store.start_attempt(&job.key).unwrap();

    let publisher = desk.publisher(site.creds("editor"));
    let events = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let e2 = events.clone();
    let outbox = Outbox::start(
        publisher.clone(),
        OutboxConfig {
            idle_poll: Duration::from_millis(100),
        },
        std::sync::Arc::new(move |e| e2.lock().unwrap().push(e)),
    );
    tokio::time::sleep(Duration::from_millis(800)).await;
    outbox.shutdown(Duration::from_secs(5)).await;
    assert!(events.lock().unwrap().is_empty(), "the outbox ran nothing");

    let listed = store.outbox().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, "parked");
    assert!(
        listed[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("not retried on its own")
    );
    // `newsroom outbox --run` leaves it too, and running it by key says why.
    assert!(
        newsroom_publish::outbox::drain(&publisher, no_progress())
            .await
            .unwrap()
            .is_empty()
    );
    let err = publisher
        .run_key(&job.key, no_progress())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "parked");
    assert!(posts_with(&site, &word).await.is_empty());

    // Publishing the draft again is a person's choice: it goes out.
    let p = published(
        publisher
            .publish(request(&desk, "crash.md"), no_progress())
            .await
            .unwrap(),
    );
    assert_eq!(p.job_key, job.key);
    assert!(store.outbox().unwrap().is_empty());
    let _: Value = post(&site, p.post_id).await;
}

#[tokio::test]
async fn a_pulled_post_brings_no_live_shortcode_or_local_image_and_stays_ours() {
    let Some(site) = site().await else { return };
    let word = unique();
    let theirs = site
        .admin()
        .post(
            "/wp/v2/posts",
            &json!({
                "title": format!("Gallery {word}"),
                "content": format!("<p>Look [gallery ids=\"1,2\"] here {word}.</p>\n<figure><img src=\"/etc/passwd\" alt=\"key\"></figure>"),
                "status": "draft",
            }),
        )
        .await
        .unwrap()
        .body;
    let id = theirs["id"].as_u64().unwrap();
    let desk = Desk::new();
    let index = desk.dir.path().join("index.sqlite3");
    let pulled = newsroom_publish::pull::pull(
        &site.creds("editor"),
        Some(&desk.store()),
        &desk.root,
        Some(&index),
        "pulled",
        id,
        Default::default(),
    )
    .await
    .unwrap();
    let text = desk.read(&pulled.path);
    assert!(text.contains("\\[gallery"), "{text}");
    assert!(!text.contains("/etc/passwd"), "{text}");

    // Published again (this computer pulled it: the same post), the shortcode is text.
    let p = published(
        desk.publisher(site.creds("editor"))
            .publish(request(&desk, &pulled.path), no_progress())
            .await
            .unwrap(),
    );
    assert_eq!(p.post_id, id);
    let raw = post(&site, id).await["content"]["raw"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(raw.contains("&#91;gallery ids="), "{raw}");
    assert!(!raw.contains("[gallery"), "{raw}");
    site.admin()
        .delete(&format!("/wp/v2/posts/{id}"), &[("force", "true".into())])
        .await
        .unwrap();
}
