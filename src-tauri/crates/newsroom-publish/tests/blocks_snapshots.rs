//! Snapshots (insta) of the Gutenberg serialisation: the sample drafts of `drafts/` and
//! the kitchen-sink article, as the block content and footnotes meta a publish sends.
//! A change in any block shows up as a diff to review (`cargo insta review`), not as a
//! substring that still happens to match. No portal needed.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

use newsroom_core::Draft;
use newsroom_publish::blocks::{BlockContext, PortalImage, to_post};

const MARKER: &str = "nr0123456789abcdef0123";

/// The body as a publish serialises it, local images standing for uploads 101, 102, …
fn serialise(text: &str, rel: &str, native_footnotes: bool) -> String {
    let draft = Draft::parse(text).unwrap();
    let dir = newsroom_core::workspace_path::folder_of(rel);
    let mut images = std::collections::HashMap::new();
    for img in newsroom_core::images::local_images(&draft, dir) {
        let n = images.len() as u64 + 101;
        images
            .entry(img.url.clone())
            .or_insert_with(|| PortalImage {
                id: n,
                url: format!("https://portal.example/wp-content/uploads/2026/12/image-{n}.png"),
            });
    }
    let ctx = BlockContext {
        images,
        marker: Some(MARKER.into()),
        native_footnotes,
    };
    let post = to_post(draft.body(), &ctx).unwrap();
    match post.footnotes {
        Some(meta) => format!("{}\n\n-- footnotes meta --\n{meta}\n", post.content),
        None => post.content,
    }
}

fn drafts(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            drafts(&p, root, out);
        } else if p.extension().is_some_and(|e| e == "md") {
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, p));
        }
    }
}

#[test]
fn sample_drafts() {
    let root = common::repo_root().join("drafts");
    let mut found = Vec::new();
    drafts(&root, &root, &mut found);
    assert!(found.len() >= 5, "the sample drafts: {found:?}");
    for (rel, path) in found {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = rel.trim_end_matches(".md").replace('/', "__");
        insta::assert_snapshot!(name, serialise(&text, &rel, false));
    }
}

#[test]
fn kitchen_sink_on_an_older_wordpress() {
    let text = common::kitchen_sink::kitchen_sink("snapshot");
    insta::assert_snapshot!(serialise(&text, "sink.md", false));
}

#[test]
fn kitchen_sink_with_native_footnotes() {
    let text = common::kitchen_sink::kitchen_sink("snapshot");
    insta::assert_snapshot!(serialise(&text, "sink.md", true));
}
