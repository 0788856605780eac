//! The archive at small scale: a generated folder (the same generator as the 100,000-draft
//! benchmark, `benches/archive/archive_gen.rs`), reopened, changed one file at a time, searched.
#![allow(clippy::unwrap_used)] // test helpers fail loudly

#[path = "../benches/archive/archive_gen.rs"]
#[allow(dead_code)]
mod archive_gen;

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use newsroom_core::Workspace;
use newsroom_core::index::Filter;

fn open(root: &Path, data: &Path) -> (Workspace, newsroom_core::scan::ScanReport) {
    Workspace::open_with_index(root, &data.join("index.sqlite3")).unwrap()
}

fn md_files(root: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else if e.path().extension().is_some_and(|x| x == "md") {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_generator_is_deterministic_and_looks_like_copy() {
    let vocab = archive_gen::Vocabulary::new(30_000);
    assert_eq!(vocab.words.len(), 30_000);
    assert_eq!(
        vocab.words.iter().collect::<HashSet<_>>().len(),
        30_000,
        "distinct words"
    );
    let tags = archive_gen::tag_list(&vocab);
    let a = archive_gen::draft(&vocab, &tags, 7, 42);
    assert_eq!(
        a,
        archive_gen::draft(&vocab, &tags, 7, 42),
        "same seed, same draft"
    );
    assert_ne!(
        a.1,
        archive_gen::draft(&vocab, &tags, 8, 42).1,
        "another seed"
    );

    let mut words = HashSet::new();
    let mut lengths = Vec::new();
    for i in 0..300 {
        let (rel, text, when) = archive_gen::draft(&vocab, &tags, 7, i);
        let d = newsroom_core::Draft::parse(&text).unwrap();
        let fm = &d.front_matter;
        assert_eq!(fm.categories.len(), 1);
        assert!(
            archive_gen::CATEGORIES.contains(&fm.categories[0].as_str()),
            "{rel}"
        );
        assert!(!fm.tags.is_empty());
        let year = fm.publish_at.as_deref().unwrap()[..4]
            .parse::<u32>()
            .unwrap();
        assert!((2016..=2025).contains(&year), "{year}");
        assert!(when > 1_451_000_000);
        let body: Vec<&str> = d.body().split_whitespace().collect();
        lengths.push(body.len());
        words.extend(body.iter().map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        }));
    }
    // A real vocabulary (not a 70-word list), and sizes from a few hundred words up.
    assert!(words.len() > 10_000, "{} distinct words", words.len());
    assert!(lengths.iter().all(|&n| n >= 300), "{lengths:?}");
    assert!(lengths.iter().any(|&n| n > 1_500), "some long drafts");
}

/// Changes a file's content but keeps its size and mtime: only a reader would notice.
fn swap_content_keeping_stat(path: &Path, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let meta = std::fs::metadata(path).unwrap();
    let text = std::fs::read_to_string(path).unwrap().replacen(from, to, 1);
    std::fs::write(path, text).unwrap();
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(meta.modified().unwrap()).unwrap();
}

#[test]
fn a_generated_archive_indexes_reopens_without_reading_and_reindexes_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let (root, data) = (dir.path().join("drafts"), dir.path().join("data"));
    archive_gen::write_archive(&root, 80, 11).unwrap();
    let files = md_files(&root);
    assert_eq!(files.len(), 80);

    let (ws, cold) = open(&root, &data);
    assert_eq!((cold.added, cold.invalid), (80, 0));
    let listed = ws.list(&Filter::default()).unwrap();
    assert_eq!(listed.len(), 80);
    drop(ws);

    // Reopen with nothing changed: nothing is read. A content swap that keeps size and
    // mtime goes unseen, which shows the file was not opened.
    let victim = &files[3];
    let title_line = std::fs::read_to_string(victim)
        .unwrap()
        .lines()
        .find(|l| l.starts_with("title: \""))
        .unwrap()
        .to_owned();
    let marked = format!("title: \"Zqx{}", &title_line[11..]);
    swap_content_keeping_stat(victim, &title_line, &marked);
    let (mut ws, warm) = open(&root, &data);
    assert_eq!(
        (warm.added, warm.updated, warm.removed, warm.unchanged),
        (0, 0, 0, 80)
    );
    assert!(ws.search("zqx", &Filter::default(), 20).unwrap().is_empty());

    // One file reindexed on its own: read, replaced, found by its new words.
    let rel = victim
        .strip_prefix(&root)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let text = std::fs::read_to_string(victim).unwrap();
    std::fs::write(victim, format!("{text}\nThe quokkaswarm arrived.\n")).unwrap();
    let report = ws.reindex_file(&rel).unwrap();
    assert_eq!((report.updated, report.added, report.removed), (1, 0, 0));
    let hits = ws.search("quokkaswarm", &Filter::default(), 20).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].draft.path, rel);
    assert!(
        hits[0].draft.title.starts_with("Zqx"),
        "{}",
        hits[0].draft.title
    );
    assert_eq!(
        ws.history(&rel).unwrap().len(),
        1,
        "an outside change is a revision"
    );
    // Nothing changed: nothing to do. Gone: forgotten.
    assert_eq!(ws.reindex_file(&rel).unwrap().unchanged, 1);
    std::fs::remove_file(victim).unwrap();
    assert_eq!(ws.reindex_file(&rel).unwrap().removed, 1);
    assert!(
        ws.search("quokkaswarm", &Filter::default(), 20)
            .unwrap()
            .is_empty()
    );
    assert_eq!(ws.list(&Filter::default()).unwrap().len(), 79);
}

#[test]
fn a_word_in_every_generated_draft_ranks_the_newest_and_honours_filters() {
    let dir = tempfile::tempdir().unwrap();
    let (root, data) = (dir.path().join("drafts"), dir.path().join("data"));
    archive_gen::write_archive(&root, 60, 5).unwrap();
    let (ws, _) = open(&root, &data);
    let all = ws.list(&Filter::default()).unwrap(); // newest first
    let newest: HashSet<&str> = all[..10].iter().map(|d| d.path.as_str()).collect();
    // "the" is in every draft: with ten candidates, the ten hits are the ten newest.
    let hits = ws
        .index()
        .search_bounded("the", &Filter::default(), 20, 10)
        .unwrap();
    assert_eq!(hits.len(), 10);
    for h in &hits {
        assert!(newest.contains(h.draft.path.as_str()), "{}", h.draft.path);
        assert!(h.snippet.contains('\u{2}'), "{}", h.snippet);
    }
    // Filters apply before the bound: every draft of a category is found, old or new.
    let cat = all[all.len() - 1].categories[0].clone();
    let in_cat: HashSet<&str> = all
        .iter()
        .filter(|d| d.categories.contains(&cat))
        .map(|d| d.path.as_str())
        .collect();
    let filter = Filter {
        category: Some(cat.clone()),
        ..Default::default()
    };
    let found: HashSet<String> = ws
        .index()
        .search_bounded("the", &filter, 100, 100)
        .unwrap()
        .into_iter()
        .map(|h| h.draft.path)
        .collect();
    assert_eq!(found.len(), in_cat.len(), "{cat}");
    assert!(found.iter().all(|p| in_cat.contains(p.as_str())));
    let status = all[0].status;
    let by_status = ws
        .search(
            "the",
            &Filter {
                status: Some(status),
                ..Default::default()
            },
            100,
        )
        .unwrap();
    assert!(!by_status.is_empty());
    assert!(by_status.iter().all(|h| h.draft.status == status));
    let tag = all[0].tags[0].clone();
    let by_tag = ws
        .search(
            "the",
            &Filter {
                tag: Some(tag.clone()),
                ..Default::default()
            },
            100,
        )
        .unwrap();
    assert!(!by_tag.is_empty());
    assert!(by_tag.iter().all(|h| h.draft.tags.contains(&tag)));
}

/// Sets a file's mtime to `secs` after the epoch.
fn at(path: &Path, text: &str, secs: u64) {
    std::fs::write(path, text).unwrap();
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(UNIX_EPOCH + Duration::from_secs(secs))
        .unwrap();
}

/// The expected top hits for given queries on a small hand-written desk.
#[test]
fn ranking_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let (root, data) = (dir.path().join("drafts"), dir.path().join("data"));
    std::fs::create_dir_all(&root).unwrap();
    let filler = "The council said the plan would be discussed again next week. ";
    let docs = [
        // (name, title, tags, body, mtime)
        (
            "harbour.md",
            "Harbour dredging resumes",
            "[ports]",
            "Dredgers returned to the harbour.",
            1_000,
        ),
        (
            "budget.md",
            "Budget vote delayed",
            "[budget]",
            "The harbour fund was cut once.",
            5_000,
        ),
        (
            "dredge.md",
            "Council meets",
            "[council]",
            "Dredging, dredging and more dredging of the harbour channel; dredging costs rose.",
            2_000,
        ),
        (
            "ports.md",
            "Council meets again",
            "[harbour]",
            "Freight volumes fell.",
            3_000,
        ),
        (
            "long.md",
            "Weather",
            "[weather]",
            "Dredging mentioned once in a long text.",
            4_000,
        ),
    ];
    for (name, title, tags, body, t) in docs {
        let text = format!(
            "---\ntitle: {title}\ntags: {tags}\ncategories: [World]\n---\n{body} {}\n",
            if name == "long.md" {
                filler.repeat(40)
            } else {
                filler.to_owned()
            }
        );
        at(&root.join(name), &text, t);
    }
    let (ws, _) = open(&root, &data);
    let top = |q: &str| -> Vec<String> {
        ws.search(q, &Filter::default(), 20)
            .unwrap()
            .into_iter()
            .map(|h| h.draft.path)
            .collect()
    };
    // A word in the title beats the same word in the body; tags count; many occurrences
    // in a short body beat one in a long body.
    assert_eq!(top("harbour")[..2], ["harbour.md", "ports.md"]);
    assert_eq!(top("harbour").len(), 4);
    let dredging = top("dredging");
    assert_eq!(dredging.len(), 3);
    assert!(
        dredging[..2].contains(&"dredge.md".to_owned()),
        "{dredging:?}"
    );
    assert_eq!(dredging[2], "long.md", "once in a long text is the weakest");
    // Every word must match; the last is a prefix.
    assert_eq!(top("harbour fund"), ["budget.md"]);
    assert!(
        top("dredg").contains(&"harbour.md".to_owned()),
        "dredgers, by prefix"
    );
    // A word in every draft with a bound of two: the two newest, ranked by bm25.
    let bounded: Vec<String> = ws
        .index()
        .search_bounded("council", &Filter::default(), 20, 2)
        .unwrap()
        .into_iter()
        .map(|h| h.draft.path)
        .collect();
    let full: Vec<String> = top("council")
        .into_iter()
        .filter(|p| p == "budget.md" || p == "long.md")
        .collect();
    assert_eq!(top("council").len(), 5);
    assert_eq!(bounded, full, "the two newest, in bm25's order");
}
