//! Publishing an article with five images to the real test WordPress, timed: how much of
//! a publish is our own work (reading, hashing, serialising blocks, SQLite, the front
//! matter write-back) versus waiting on the portal. Prints a table for
//! `docs/performance.md` ("Publishing"). Skips when the test site is not running.
//!
//!     cargo bench -p newsroom-publish --bench publish

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use newsroom_publish::blocks::{BlockContext, to_blocks};
use newsroom_publish::{PostStatus, PublishOutcome, PublishRequest};

const RUNS: usize = 5;

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
    println!("\n| run | images uploaded | total | waiting on WordPress | our side |");
    println!("|---|---|---|---|---|");
    let mut ours_first = Vec::new();
    let mut ours_again = Vec::new();
    for run in 0..RUNS {
        let desk = common::Desk::new();
        let word = common::unique();
        let mut body = format!("Benchmark {word}.\n\n");
        for i in 0..5 {
            // ≈ 25 KB each, like a web-sized photo.
            desk.image(&format!("images/p{i}.png"), 96, 88);
            body.push_str(&format!("Paragraph {i} of the article, long enough to read like one.\n\n![Photo {i}](images/p{i}.png)\n\n"));
        }
        desk.write("bench.md", &format!("---\ntitle: Bench {word}\ncategories: [Business]\ntags: [bench]\nfeatured_image: images/p0.png\n---\n{body}"));
        let publisher = desk.publisher(site.creds("editor"));
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
                ours_first.push(ours)
            } else {
                ours_again.push(ours)
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
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2].as_secs_f64() * 1e3
    };
    println!(
        "\nmedian our side: first publish {:.1} ms, republish {:.1} ms",
        median(&mut ours_first),
        median(&mut ours_again)
    );
}
