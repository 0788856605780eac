//! A draft from another tool whose only title is its first `# Heading` (an Obsidian note,
//! a Hugo post without `title`) goes out with that heading as the post's title and not a
//! second time at the top of its content. Against the real WordPress of `tests/portal/`;
//! skips cleanly when the site is not running.

mod common;

use common::{Desk, no_progress, post, site, unique};
use newsroom_publish::{PublishOutcome, PublishRequest};

#[tokio::test]
async fn a_leading_heading_is_the_title_and_is_not_repeated_in_the_post() {
    let Some(site) = site().await else { return };
    let desk = Desk::new();
    let word = unique();
    desk.write(
        "note.md",
        &format!(
            "---\naliases: [Bridge]\ntags: roads bridges\nstatus: approved\n---\n# Old bridge closes {word}\n\nThe old bridge closes on Monday {word}.\n"
        ),
    );
    let outcome = desk
        .publisher(site.creds("editor"))
        .publish(
            PublishRequest {
                root: desk.root.clone(),
                path: "note.md".into(),
                ..Default::default()
            },
            no_progress(),
        )
        .await
        .expect("publish");
    let PublishOutcome::Published(p) = outcome else {
        panic!("expected a published post, got {outcome:?}")
    };
    let wp = post(&site, p.post_id).await;
    assert_eq!(wp["title"]["raw"], format!("Old bridge closes {word}"));
    let content = wp["content"]["raw"].as_str().unwrap_or_default();
    assert!(!content.contains("Old bridge closes"), "{content}");
    assert!(
        content.contains(&format!("The old bridge closes on Monday {word}.")),
        "{content}"
    );
}
