//! Exactly once, proven against the real WordPress through a proxy that breaks
//! connections at chosen points; and the outbox (portal unreachable → queued → restored →
//! drained, one post). Skips cleanly when the site is not running.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::fault_proxy::{Fault, FaultProxy};
use common::{Desk, finished_images, media_with, no_progress, posts_with, recording, site, unique};
use newsroom_publish::client::ClientOptions;
use newsroom_publish::{
    Outbox, OutboxConfig, OutboxEvent, PostStatus, Progress, PublishOutcome, PublishRequest,
    Published,
};

fn request(desk: &Desk, path: &str) -> PublishRequest {
    PublishRequest {
        root: desk.root.clone(),
        path: path.into(),
        status: Some(PostStatus::Publish),
        ..Default::default()
    }
}

fn published(outcome: PublishOutcome) -> Published {
    match outcome {
        PublishOutcome::Published(p) => p,
        other => panic!("expected a published post, got {other:?}"),
    }
}

async fn setup(images: usize) -> Option<(common::Site, FaultProxy, Desk, String, Vec<String>)> {
    let site = site().await?;
    let proxy = FaultProxy::start(&site.url).await;
    let desk = Desk::new();
    let word = unique();
    let mut shas = Vec::new();
    let mut body = format!("Body {word}.\n\n");
    for i in 0..images {
        shas.push(desk.image(&format!("images/i{i}.png"), 20 + i as u32, 20));
        body.push_str(&format!("![Image {i}](images/i{i}.png)\n\n"));
    }
    desk.write(
        "f.md",
        &format!("---\ntitle: Fault {word}\ntags: [{word}-t]\n---\n{body}"),
    );
    Some((site, proxy, desk, word, shas))
}

async fn assert_exactly_once(site: &common::Site, word: &str, shas: &[String]) {
    let posts = posts_with(site, word).await;
    assert_eq!(
        posts.len(),
        1,
        "exactly one post: {:?}",
        posts.iter().map(|p| &p["id"]).collect::<Vec<_>>()
    );
    for sha in shas {
        assert_eq!(
            media_with(site, &format!("nrimg{}", &sha[..32]))
                .await
                .len(),
            1,
            "each image once"
        );
    }
}

#[tokio::test]
async fn request_cut_before_it_reaches_wordpress_is_retried() {
    let Some((site, proxy, desk, word, shas)) = setup(1).await else {
        return;
    };
    proxy.add("POST", "/wp/v2/posts", Fault::CutBeforeForward, 1);
    let p = published(
        desk.publisher(site.creds_at("editor", &proxy.url()))
            .publish(request(&desk, "f.md"), no_progress())
            .await
            .unwrap(),
    );
    assert_eq!(proxy.faults_applied(), 1);
    assert!(p.created);
    assert_exactly_once(&site, &word, &shas).await;
}

#[tokio::test]
async fn answer_lost_after_wordpress_created_the_post_is_adopted() {
    let Some((site, proxy, desk, word, shas)) = setup(1).await else {
        return;
    };
    proxy.add("POST", "/wp/v2/posts", Fault::DropAnswer, 1);
    let p = published(
        desk.publisher(site.creds_at("editor", &proxy.url()))
            .publish(request(&desk, "f.md"), no_progress())
            .await
            .unwrap(),
    );
    assert_eq!(proxy.faults_applied(), 1);
    assert!(p.adopted, "the retry found the post by its marker");
    assert_exactly_once(&site, &word, &shas).await;
    assert!(
        desk.read("f.md")
            .contains(&format!("post_id: {}\n", p.post_id))
    );
}

#[tokio::test]
async fn process_killed_after_the_create_then_a_new_run_adopts() {
    let Some((site, proxy, desk, word, shas)) = setup(1).await else {
        return;
    };
    proxy.add("POST", "/wp/v2/posts", Fault::DropAnswer, 1);
    // One attempt only: the "process" gives up right after the lost answer.
    let once = newsroom_publish::PublishOptions {
        attempts: 1,
        ..desk.options()
    };
    let outcome = desk
        .publisher_with(site.creds_at("editor", &proxy.url()), once)
        .publish(request(&desk, "f.md"), no_progress())
        .await
        .unwrap();
    assert!(
        matches!(outcome, PublishOutcome::Queued { .. }),
        "{outcome:?}"
    );
    assert!(
        !desk.read("f.md").contains("post_id"),
        "the draft never heard of the post"
    );
    assert_eq!(
        posts_with(&site, &word).await.len(),
        1,
        "but WordPress has it"
    );
    // A new run (new publisher, same publish database), straight to the site.
    let p = published(
        desk.publisher(site.creds("editor"))
            .publish(request(&desk, "f.md"), no_progress())
            .await
            .unwrap(),
    );
    assert!(p.adopted);
    assert_eq!(p.images_uploaded, 0);
    assert_exactly_once(&site, &word, &shas).await;
}

#[tokio::test]
async fn upload_answer_lost_and_upload_cut_midway_leave_each_image_once() {
    let Some((site, proxy, desk, word, shas)) = setup(2).await else {
        return;
    };
    proxy.add("POST", "/wp/v2/media", Fault::DropAnswer, 1);
    proxy.add("POST", "/wp/v2/media", Fault::CutMidBody(700), 1);
    let p = published(
        desk.publisher(site.creds_at("editor", &proxy.url()))
            .publish(request(&desk, "f.md"), no_progress())
            .await
            .unwrap(),
    );
    assert_eq!(proxy.faults_applied(), 2);
    assert_eq!(p.images_uploaded + p.images_reused, 2);
    assert_exactly_once(&site, &word, &shas).await;
}

/// Uploads made by the proxy's client, by route (the media route, not its `?search=`).
fn uploads(proxy: &FaultProxy) -> usize {
    proxy
        .requests()
        .iter()
        .filter(|r| r.starts_with("POST ") && r.contains("/wp/v2/media"))
        .count()
}

#[tokio::test]
async fn one_of_several_concurrent_uploads_failing_stops_the_rest_and_the_retry_keeps_the_others() {
    let Some((site, proxy, desk, word, shas)) = setup(5).await else {
        return;
    };
    // The first upload to arrive is cut at once; the two started with it take WordPress
    // tens of milliseconds each, so they are still in flight when the error is known.
    proxy.add("POST", "/wp/v2/media", Fault::CutBeforeForward, 1);
    let once = newsroom_publish::PublishOptions {
        attempts: 1,
        ..desk.options()
    };
    assert_eq!(once.concurrent_uploads, 3);
    let (progress, seen) = recording();
    let outcome = desk
        .publisher_with(site.creds_at("editor", &proxy.url()), once)
        .publish(request(&desk, "f.md"), progress)
        .await
        .unwrap();
    let PublishOutcome::Queued { job_key, code, .. } = &outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(code, "unreachable");
    // Three started together; after the error nothing else started, and the two in
    // flight were let finish and remembered.
    assert_eq!(uploads(&proxy), 3, "{:?}", proxy.requests());
    // (the cut one ends at the proxy at once, maybe before the third's head is there)
    assert!((2..=3).contains(&proxy.max_in_flight("POST", "/wp/v2/media")));
    let dones: Vec<usize> = seen
        .lock()
        .unwrap()
        .iter()
        .filter_map(|p| match p {
            Progress::Image { done, total: 5, .. } => Some(*done),
            _ => None,
        })
        .collect();
    assert_eq!(dones, vec![0, 1, 2], "the two that finished");
    assert!(posts_with(&site, &word).await.is_empty());
    let on_portal = {
        let mut n = 0;
        for sha in &shas {
            n += media_with(&site, &format!("nrimg{}", &sha[..32]))
                .await
                .len();
        }
        n
    };
    assert_eq!(on_portal, 2);

    // The outbox's way in (the job by its key), a new publisher on the same store,
    // straight to the site: the two are reused, the other three uploaded.
    let (progress, seen) = recording();
    let p = published(
        desk.publisher(site.creds("editor"))
            .run_key(job_key, progress)
            .await
            .unwrap(),
    );
    assert_eq!((p.images_uploaded, p.images_reused), (3, 2));
    let files: Vec<String> = (0..5).map(|i| format!("images/i{i}.png")).collect();
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    finished_images(&seen.lock().unwrap(), 5, &files);
    assert_exactly_once(&site, &word, &shas).await;
}

#[tokio::test]
async fn uploads_run_a_few_at_once_but_never_two_of_one_name() {
    let Some(site) = site().await else {
        return;
    };
    let desk = Desk::new();
    let word = unique();
    // Three photos called photo.png in three folders, then five of their own names.
    let mut same = format!("---\ntitle: Same {word}\n---\n");
    let mut shas = Vec::new();
    for d in ["a", "b", "c"] {
        std::fs::create_dir_all(desk.root.join(format!("images/{d}"))).unwrap();
        shas.push(desk.image(&format!("images/{d}/photo.png"), 30, 20));
        same.push_str(&format!("![{d}](images/{d}/photo.png)\n\n"));
    }
    desk.write("same.md", &same);
    let mut distinct = format!("---\ntitle: Distinct {word}\n---\n");
    for i in 0..5 {
        desk.image(&format!("images/d{i}.png"), 30, 20);
        distinct.push_str(&format!("![{i}](images/d{i}.png)\n\n"));
    }
    desk.write("distinct.md", &distinct);

    let proxy = FaultProxy::start(&site.url).await;
    let p = published(
        desk.publisher(site.creds_at("editor", &proxy.url()))
            .publish(request(&desk, "same.md"), no_progress())
            .await
            .unwrap(),
    );
    assert_eq!(p.images_uploaded, 3);
    assert_eq!(
        proxy.max_in_flight("POST", "/wp/v2/media"),
        1,
        "one after the other: WordPress picks a free name by looking"
    );
    let mut urls = Vec::new();
    for sha in &shas {
        let found = media_with(&site, &format!("nrimg{}", &sha[..32])).await;
        assert_eq!(found.len(), 1);
        urls.push(found[0]["source_url"].as_str().unwrap().to_owned());
    }
    urls.sort();
    urls.dedup();
    assert_eq!(urls.len(), 3, "three files: {urls:?}");

    let proxy = FaultProxy::start(&site.url).await;
    let (progress, seen) = recording();
    let p = published(
        desk.publisher(site.creds_at("editor", &proxy.url()))
            .publish(request(&desk, "distinct.md"), progress)
            .await
            .unwrap(),
    );
    assert_eq!(p.images_uploaded, 5);
    let most = proxy.max_in_flight("POST", "/wp/v2/media");
    assert!((2..=3).contains(&most), "{most} uploads at once");
    let files: Vec<String> = (0..5).map(|i| format!("images/d{i}.png")).collect();
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    finished_images(&seen.lock().unwrap(), 5, &files);
}

#[tokio::test]
async fn stalled_answer_times_out_and_the_retry_adopts() {
    let Some((site, proxy, desk, word, shas)) = setup(0).await else {
        return;
    };
    proxy.add(
        "POST",
        "/wp/v2/posts",
        Fault::Stall(Duration::from_secs(5)),
        1,
    );
    let options = newsroom_publish::PublishOptions {
        client: ClientOptions {
            timeout: Duration::from_secs(2),
            ..Default::default()
        },
        ..desk.options()
    };
    let p = published(
        desk.publisher_with(site.creds_at("editor", &proxy.url()), options)
            .publish(request(&desk, "f.md"), no_progress())
            .await
            .unwrap(),
    );
    assert!(p.adopted);
    assert_exactly_once(&site, &word, &shas).await;
}

#[tokio::test]
async fn unreachable_portal_queues_in_the_outbox_which_drains_when_it_is_back() {
    let Some((site, proxy, desk, word, shas)) = setup(1).await else {
        return;
    };
    proxy.set_down(true);
    let publisher = desk.publisher(site.creds_at("editor", &proxy.url()));
    let outcome = publisher
        .publish(request(&desk, "f.md"), no_progress())
        .await
        .unwrap();
    let PublishOutcome::Queued { code, message, .. } = &outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(code, "unreachable", "{message}");
    assert!(message.contains("outbox"), "{message}");
    let waiting = desk.store().outbox().unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].last_error_code.as_deref(), Some("unreachable"));
    assert!(posts_with(&site, &word).await.is_empty());

    // The outbox survives a restart: a new publisher on the same database finds the job.
    let events = Arc::new(Mutex::new(Vec::new()));
    let e2 = events.clone();
    let outbox = Outbox::start(
        desk.publisher(site.creds_at("editor", &proxy.url())),
        OutboxConfig {
            idle_poll: Duration::from_millis(200),
        },
        Arc::new(move |e: OutboxEvent| e2.lock().unwrap().push(e)),
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    proxy.set_down(false);
    outbox.retry_now().await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let link = loop {
        let found = events.lock().unwrap().iter().find_map(|e| match e {
            OutboxEvent::Published { link, .. } => Some(link.clone()),
            _ => None,
        });
        if let Some(l) = found {
            break l;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "outbox did not publish: {:?}",
            events.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let started = std::time::Instant::now();
    outbox.shutdown(Duration::from_secs(2)).await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "bounded shutdown"
    );
    assert!(!link.is_empty());
    assert!(desk.store().outbox().unwrap().is_empty());
    assert_exactly_once(&site, &word, &shas).await;
    assert!(desk.read("f.md").contains("post_id: "));
}

#[tokio::test]
async fn without_pretty_permalinks_the_rest_route_form_is_used() {
    let Some((site, proxy, desk, word, shas)) = setup(1).await else {
        return;
    };
    for m in ["GET", "POST"] {
        proxy.add(m, "/wp-json/", Fault::NotFound, 1000);
    }
    let creds = site.creds_at("editor", &proxy.url());
    let report = newsroom_publish::portal::test(&creds, None, Default::default())
        .await
        .unwrap();
    assert!(report.query_routes);
    published(
        desk.publisher(creds)
            .publish(request(&desk, "f.md"), no_progress())
            .await
            .unwrap(),
    );
    assert!(
        proxy
            .requests()
            .iter()
            .any(|r| r.starts_with("POST /?rest_route=/wp/v2/posts")),
        "{:?}",
        proxy.requests()
    );
    assert_exactly_once(&site, &word, &shas).await;
}
