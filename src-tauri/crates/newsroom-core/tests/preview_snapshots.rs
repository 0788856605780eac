//! The preview of every sample draft in the repository's `drafts/`, as snapshots.
//!
//! Rendered the way the app's preview renders them (`render::render_draft`: images from
//! the asset protocol, `data-sourcepos` on, remote images held back), so a change to the
//! renderer shows up here as a reviewable diff of the whole page, not as a substring that
//! happens to survive. Review a change with `cargo insta review` (or
//! `INSTA_UPDATE=always` and `git diff`). The hostile corpus has its own snapshots, next
//! to its checker, in `tests/hostile.rs`.

#![allow(clippy::unwrap_used)] // test helpers fail loudly

use std::path::{Path, PathBuf};

use newsroom_core::render::{Preview, render_draft};

/// Where the app serves the folder's images (`newsroom render`'s default too).
const ASSET_BASE: &str = "newsroom-asset://localhost/";

fn samples_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../drafts")
}

/// Every `.md` under `dir`, as `/`-separated paths relative to `root`, sorted.
fn drafts_under(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            drafts_under(root, &p, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            let rel: Vec<String> = p
                .strip_prefix(root)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(rel.join("/"));
        }
    }
    out.sort();
}

/// What a snapshot holds: the figures the app shows beside the preview, then the HTML.
pub fn described(p: &Preview) -> String {
    format!(
        "words: {}, characters: {}, reading minutes: {}\nerror: {:?}\nremote images held back: {} {:?}\n\n{}",
        p.stats.words,
        p.stats.characters,
        p.stats.reading_minutes,
        p.error.as_ref().map(|e| (e.line, e.message.as_str())),
        p.remote_image_count,
        p.remote_images,
        p.html
    )
}

#[test]
fn every_sample_draft_renders_as_its_snapshot() {
    let root = samples_root();
    let mut drafts = Vec::new();
    drafts_under(&root, &root, &mut drafts);
    assert!(drafts.len() >= 5, "only {drafts:?} in {}", root.display());
    for rel in &drafts {
        let text = std::fs::read_to_string(root.join(rel)).unwrap();
        let preview = render_draft(rel, &text, Some(ASSET_BASE), true, false);
        assert!(preview.error.is_none(), "{rel}: {:?}", preview.error);
        // The samples are ordinary articles: nothing in them may turn into script.
        let lower = preview.html.to_ascii_lowercase();
        for bad in [
            "<script",
            "javascript:",
            " onerror=",
            " onload=",
            " onclick=",
        ] {
            assert!(!lower.contains(bad), "{rel}: {bad} in {}", preview.html);
        }
        let name = format!("draft__{}", rel.trim_end_matches(".md").replace('/', "__"));
        insta::assert_snapshot!(name, described(&preview));
    }
}
