//! Publishing an article with five images to the real test WordPress, timed: how much of
//! a publish is our own work (reading, hashing, serialising blocks, SQLite, the front
//! matter write-back) versus waiting on the portal. Prints a table for
//! `docs/performance.md` ("Publishing"), with our side as a share of WordPress's time in
//! the same run. The result is written back through the caller's open `Workspace`, as the
//! app and the CLI do. Skips when the test site is not running.
//!
//! `NEWSROOM_BENCH_RUNS` (default 5) sets the number of runs; `NEWSROOM_BENCH_UPLOADS`
//! how many uploads run at once (default `media::CONCURRENT_UPLOADS`; 1 is one after the
//! other, as before they ran concurrently).
//!
//! Then the write-back in a folder of 1,000 drafts: our side of a publish whose result is
//! written through the caller's open `Workspace` against one that opens the folder again
//! (the rescan the app and the CLI used to pay), each as a ratio to a reference taken in
//! the same run: one `Workspace::open` of that folder (its index warm).
//!
//!     cargo bench -p newsroom-publish --bench publish
//!     cargo test -p newsroom-publish --bench publish   # the same, unoptimised

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use newsroom_publish::blocks::{BlockContext, to_blocks};
use newsroom_publish::{PostStatus, PublishOutcome, PublishRequest};

const RUNS: usize = 5;

fn env_number(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

fn runs() -> usize {
    env_number("NEWSROOM_BENCH_RUNS").unwrap_or(RUNS).max(1)
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run());
}

async fn run() {
    // Serialisation alone, on a long article (no network).
    let mut md = String::new();
    for i in 0..200 {
        md.push_str(&format!("## Section {i}\n\nA paragraph with *emphasis*, **strong** text and [a link](https://example.org/{i}).\n\n- one\n- two\n\n> A quote {i}.\n\n"));
    }
    let started = Instant::now();
    let n = 50;
    for _ in 0..n {
        std::hint::black_box(to_blocks(&md, &BlockContext::default()).ok());
    }
    let per = started.elapsed() / n;
    println!(
        "blocks: {} KB of Markdown → block content in {:.2} ms",
        md.len() / 1024,
        per.as_secs_f64() * 1e3
    );

    let Some(site) = common::site().await else {
        return;
    };
    let uploads_at_once =
        env_number("NEWSROOM_BENCH_UPLOADS").unwrap_or(newsroom_publish::media::CONCURRENT_UPLOADS);
    println!(
        "\nuploads at once: {uploads_at_once}; write-back through the open workspace\n\n| run | images uploaded | total | waiting on WordPress | our side |"
    );
    println!("|---|---|---|---|---|");
    let (mut ours_first, mut ours_again) = (Vec::new(), Vec::new());
    let (mut wp_first, mut wp_again) = (Vec::new(), Vec::new());
    for run in 0..runs() {
        let desk = common::Desk::new();
        let word = common::unique();
        let mut body = format!("Benchmark {word}.\n\n");
        for i in 0..5 {
            // ≈ 25 KB each, like a web-sized photo.
            desk.image(&format!("images/p{i}.png"), 96, 88);
            body.push_str(&format!("Paragraph {i} of the article, long enough to read like one.\n\n![Photo {i}](images/p{i}.png)\n\n"));
        }
        desk.write("bench.md", &format!("---\ntitle: Bench {word}\ncategories: [Business]\ntags: [bench]\nfeatured_image: images/p0.png\n---\n{body}"));
        let index = desk.dir.path().join("index.sqlite3");
        let (ws, _) = newsroom_core::Workspace::open_with_index(&desk.root, &index).expect("open");
        let options = newsroom_publish::PublishOptions {
            concurrent_uploads: uploads_at_once,
            ..desk.options()
        };
        let publisher = desk
            .publisher_with(site.creds("editor"), options)
            .with_write_back(Arc::new(Mutex::new(ws)));
        for pass in ["first", "again"] {
            let req = PublishRequest {
                root: desk.root.clone(),
                path: "bench.md".into(),
                status: Some(PostStatus::Publish),
                ..Default::default()
            };
            let started = Instant::now();
            let outcome = publisher
                .publish(req, common::no_progress())
                .await
                .expect("publish");
            let total = started.elapsed();
            let PublishOutcome::Published(p) = outcome else {
                panic!("queued: {outcome:?}")
            };
            let http = Duration::from_millis(p.http_ms);
            let ours = total.saturating_sub(http);
            if pass == "first" {
                ours_first.push(ours);
                wp_first.push(http);
            } else {
                ours_again.push(ours);
                wp_again.push(http);
            }
            println!(
                "| {} ({pass}) | {} | {:.0} ms | {:.0} ms | {:.1} ms |",
                run + 1,
                p.images_uploaded,
                total.as_secs_f64() * 1e3,
                http.as_secs_f64() * 1e3,
                ours.as_secs_f64() * 1e3
            );
        }
    }
    for (pass, ours, wp) in [
        ("first publish (5 uploads)", &mut ours_first, &mut wp_first),
        ("republish (none)", &mut ours_again, &mut wp_again),
    ] {
        let (o, w) = (median_ms(ours), median_ms(wp));
        println!(
            "\nmedian of {}: {pass}: our side {o:.1} ms, WordPress {w:.0} ms: {:.1} %",
            ours.len(),
            100.0 * o / w
        );
    }
    write_back_in_a_big_folder(&site).await;
}

const FOLDER_DRAFTS: usize = 1000;

fn median_ms(v: &mut [Duration]) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1e3
}

/// Our side of a publish in a folder of 1,000 drafts, the write-back through the open
/// workspace or through a second one, against one `Workspace::open` of the folder.
async fn write_back_in_a_big_folder(site: &common::Site) {
    let desk = common::Desk::new();
    for i in 0..FOLDER_DRAFTS {
        std::fs::create_dir_all(desk.root.join(format!("desk{}", i % 10))).expect("dir");
        desk.write(
            &format!("desk{}/story-{i}.md", i % 10),
            &format!(
                "---\ntitle: Story {i}\nstatus: draft\ntags: [t{}]\n---\n{}",
                i % 7,
                "A sentence of the story, long enough to index. ".repeat(40)
            ),
        );
    }
    let index = desk.dir.path().join("index.sqlite3");
    let open = |root: &std::path::Path| newsroom_core::Workspace::open_with_index(root, &index);
    // cold index first, then the reference: opening the folder with its index warm
    let (ws, report) = open(&desk.root).expect("open");
    drop(ws);
    let mut reference = Vec::new();
    for _ in 0..runs() {
        let started = Instant::now();
        let (ws, _) = open(&desk.root).expect("open");
        reference.push(started.elapsed());
        drop(ws);
    }
    let (ws, _) = open(&desk.root).expect("open");
    let workspace = Arc::new(Mutex::new(ws));
    let reference_ms = median_ms(&mut reference);
    println!(
        "\nwrite-back in a folder of {} drafts; reference: Workspace::open (warm index) {reference_ms:.1} ms",
        report.added + report.unchanged
    );

    // The write-back alone, as `publish.rs` does it, alternating the two ways.
    let record = |n: usize| newsroom_publish::publish::PortalRecord {
        name: "bench".into(),
        url: site.url.clone(),
        post_id: Some(n as u64 + 1),
        link: format!("{}/?p={n}", site.url),
        status: "publish".into(),
        modified_gmt: Some(format!("2026-12-02T16:{:02}:{:02}", n / 60 % 60, n % 60)),
        marker: Some("nr0123456789abcdef0123".into()),
        ..Default::default()
    };
    let (mut reopened, mut through) = (Vec::new(), Vec::new());
    for n in 0..RUNS * 4 {
        let changes = newsroom_publish::write_back::changes(&record(n));
        let started = Instant::now();
        if n % 2 == 0 {
            let (mut ws, _) = open(&desk.root).expect("open");
            ws.record_publication("desk3/story-3.md", &changes)
                .expect("write");
            reopened.push(started.elapsed());
        } else {
            newsroom_publish::WriteBack::record_publication(
                workspace.as_ref(),
                &desk.root,
                "desk3/story-3.md",
                &changes,
            )
            .expect("write");
            through.push(started.elapsed());
        }
    }
    println!(
        "\n| the write-back alone (median of {}) | time | ÷ reference |",
        RUNS * 2
    );
    println!("|---|---|---|");
    for (how, v) in [
        ("opens the folder again, then writes", &mut reopened),
        ("through the open workspace", &mut through),
    ] {
        let ms = median_ms(v);
        println!("| {how} | {ms:.1} ms | {:.2}× |", ms / reference_ms);
    }
    println!("\n| write-back | pass | our side (median of {RUNS}) | ÷ reference |");
    println!("|---|---|---|---|");
    let mut article = 0;
    for through_open in [false, true] {
        let mut publisher = desk.publisher(site.creds("editor"));
        if through_open {
            publisher = publisher.with_write_back(workspace.clone());
        }
        let (mut first, mut again) = (Vec::new(), Vec::new());
        for _ in 0..RUNS {
            article += 1;
            let word = common::unique();
            let name = format!("bench-{article}.md");
            let mut body = format!("Benchmark {word}.\n\n");
            for i in 0..5 {
                desk.image(&format!("images/a{article}-{i}.png"), 96, 88);
                body.push_str(&format!(
                    "Paragraph {i}.\n\n![Photo {i}](images/a{article}-{i}.png)\n\n"
                ));
            }
            desk.write(
                &name,
                &format!(
                    "---\ntitle: Bench {word}\ncategories: [Business]\ntags: [bench]\n---\n{body}"
                ),
            );
            for pass in [&mut first, &mut again] {
                let req = PublishRequest {
                    root: desk.root.clone(),
                    path: name.clone(),
                    status: Some(PostStatus::Publish),
                    ..Default::default()
                };
                let started = Instant::now();
                let outcome = publisher
                    .publish(req, common::no_progress())
                    .await
                    .expect("publish");
                let total = started.elapsed();
                let PublishOutcome::Published(p) = outcome else {
                    panic!("queued: {outcome:?}")
                };
                assert!(p.warnings.is_empty(), "{:?}", p.warnings);
                pass.push(total.saturating_sub(Duration::from_millis(p.http_ms)));
            }
        }
        let how = if through_open {
            "through the open workspace"
        } else {
            "opens the folder again"
        };
        for (pass, v) in [("first (5 uploads)", &mut first), ("again", &mut again)] {
            let ms = median_ms(v);
            println!(
                "| {how} | {pass} | {ms:.1} ms | {:.2}× |",
                ms / reference_ms
            );
        }
    }
}
