//! The workspace as the app and the CLI use it, on real folders.

#![allow(clippy::unwrap_used)] // test helpers fail loudly

use std::fs;
use std::sync::mpsc;
use std::time::Duration;

use newsroom_core::front_matter_edit::Change;
use newsroom_core::index::Filter;
use newsroom_core::watch::{ChangeKind, DraftChange};
use newsroom_core::workspace::{NewDraft, SaveOutcome, Workspace};
use newsroom_core::{CoreError, Status};

const MINSK: &str = "---\ntitle: Minsk talks stall\ncategories: [World]\ntags: [Belarus, Russia]\nstatus: draft\n---\n\nDelegations met in Minsk on Tuesday.\n";

struct Fixture {
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
    index: std::path::PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("drafts");
    fs::create_dir_all(root.join("world")).unwrap();
    fs::write(root.join("world/minsk.md"), MINSK).unwrap();
    fs::write(
        root.join("derby.md"),
        "---\ntitle: Derby ends level\ncategories: [Sports]\n---\nOne all.\n",
    )
    .unwrap();
    fs::write(
        root.join("broken.md"),
        "---\ntitle: ok\ntags: 5\n---\nStill searchable text.\n",
    )
    .unwrap();
    let index = dir.path().join("data/index.sqlite3");
    Fixture {
        _dir: dir,
        root,
        index,
    }
}

fn open(f: &Fixture) -> Workspace {
    Workspace::open_with_index(&f.root, &f.index).unwrap().0
}

#[test]
fn opening_indexes_and_reopening_reads_only_changes() {
    let f = fixture();
    let (ws, report) = Workspace::open_with_index(&f.root, &f.index).unwrap();
    assert_eq!((report.added, report.invalid), (3, 1));
    let broken = ws
        .list(&Filter::default())
        .unwrap()
        .into_iter()
        .find(|d| d.path == "broken.md")
        .unwrap();
    assert_eq!(broken.error.as_ref().unwrap().line, Some(3));
    assert_eq!(
        ws.search("searchable", &Filter::default(), 10)
            .unwrap()
            .len(),
        1
    );
    drop(ws);

    let (_, warm) = Workspace::open_with_index(&f.root, &f.index).unwrap();
    assert_eq!((warm.added, warm.updated, warm.unchanged), (0, 0, 3));

    fs::write(
        f.root.join("derby.md"),
        "---\ntitle: Derby ends in a draw\n---\nOne all.\n",
    )
    .unwrap();
    fs::remove_file(f.root.join("broken.md")).unwrap();
    let (ws, warm) = Workspace::open_with_index(&f.root, &f.index).unwrap();
    assert_eq!((warm.updated, warm.removed, warm.unchanged), (1, 1, 1));
    assert_eq!(
        ws.index().summary("derby.md").unwrap().unwrap().title,
        "Derby ends in a draw"
    );
}

#[test]
fn save_is_atomic_and_records_revisions() {
    let f = fixture();
    let mut ws = open(&f);
    let opened = ws.read("world/minsk.md").unwrap();
    let edited = opened.text.replace("Tuesday", "Wednesday");
    let SaveOutcome::Saved { hash, .. } = ws
        .save("world/minsk.md", &edited, Some(&opened.hash))
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(
        fs::read_to_string(f.root.join("world/minsk.md")).unwrap(),
        edited
    );
    assert!(matches!(
        ws.save("world/minsk.md", &edited, Some(&hash)).unwrap(),
        SaveOutcome::Unchanged { .. }
    ));

    let history = ws.history("world/minsk.md").unwrap();
    assert_eq!(history.len(), 2, "the original and the save");
    let original = history.iter().find(|r| r.hash == opened.hash).unwrap();
    assert_eq!(
        ws.revision_text("world/minsk.md", original.id).unwrap(),
        MINSK
    );
    ws.restore("world/minsk.md", original.id, Some(&hash))
        .unwrap();
    assert_eq!(
        fs::read_to_string(f.root.join("world/minsk.md")).unwrap(),
        MINSK
    );
    assert_eq!(
        ws.search("wednesday", &Filter::default(), 10)
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn a_colleagues_change_is_never_overwritten() {
    let f = fixture();
    let mut ws = open(&f);
    let opened = ws.read("world/minsk.md").unwrap();
    let theirs = MINSK.replace("Tuesday", "Monday (corrected by the desk)");
    fs::write(f.root.join("world/minsk.md"), &theirs).unwrap();

    let mine = MINSK.replace("Tuesday", "Tuesday evening");
    let outcome = ws
        .save("world/minsk.md", &mine, Some(&opened.hash))
        .unwrap();
    let SaveOutcome::Conflict { kept_as, .. } = outcome.clone() else {
        panic!("{outcome:?}")
    };
    assert_eq!(
        fs::read_to_string(f.root.join("world/minsk.md")).unwrap(),
        theirs
    );
    assert!(kept_as.starts_with("world/minsk.conflict-"), "{kept_as}");
    assert_eq!(fs::read_to_string(f.root.join(&kept_as)).unwrap(), mine);
    assert!(matches!(
        outcome.into_result(ws.root()),
        Err(CoreError::Conflict { .. })
    ));
}

#[test]
fn metadata_changes_keep_the_body_byte_for_byte() {
    let f = fixture();
    let mut ws = open(&f);
    let crlf = "\u{feff}---\r\ntitle: CRLF piece\r\nx-desk-note: keep me\r\n---\r\nBody line one\r\n\r\nBody *two*\r\n";
    fs::write(f.root.join("crlf.md"), crlf).unwrap();
    ws.rescan().unwrap();
    ws.set_metadata(
        "crlf.md",
        &[
            Change::set_list("tags", ["Belarus", "Ukraine War updates"]),
            Change::set_text("slug", "crlf-piece"),
        ],
    )
    .unwrap();
    let after = fs::read_to_string(f.root.join("crlf.md")).unwrap();
    assert_eq!(
        after,
        "\u{feff}---\r\ntitle: CRLF piece\r\nx-desk-note: keep me\r\ntags:\r\n  - Belarus\r\n  - Ukraine War updates\r\nslug: crlf-piece\r\n---\r\nBody line one\r\n\r\nBody *two*\r\n"
    );
    let s = ws.index().summary("crlf.md").unwrap().unwrap();
    assert_eq!(s.tags, ["Belarus", "Ukraine War updates"]);

    // A draft that cannot be parsed is refused, and its file is not touched.
    let before = fs::read(f.root.join("broken.md")).unwrap();
    let err = ws
        .set_metadata("broken.md", &[Change::set_text("slug", "approved")])
        .unwrap_err();
    assert!(err.to_string().contains("broken.md:3:"), "{err}");
    assert_eq!(fs::read(f.root.join("broken.md")).unwrap(), before);
}

#[test]
fn paths_cannot_leave_the_folder() {
    let f = fixture();
    let mut ws = open(&f);
    for bad in [
        "../outside.md",
        "/etc/passwd",
        "world/../../x.md",
        ".git/config.md",
    ] {
        assert!(
            matches!(ws.read(bad), Err(CoreError::OutsideWorkspace { .. })),
            "{bad}"
        );
        assert!(ws.save(bad, "x", None).is_err(), "{bad}");
    }
    let abs = f.root.join("world/minsk.md").canonicalize().unwrap();
    assert_eq!(
        ws.read(abs.to_str().unwrap()).unwrap().path,
        "world/minsk.md"
    );
}

#[test]
fn new_drafts_get_unique_names() {
    let f = fixture();
    let mut ws = open(&f);
    let a = ws
        .create(&NewDraft {
            title: "Minsk: talks resume".into(),
            categories: vec!["World".into()],
            tags: vec!["Belarus".into()],
            ..Default::default()
        })
        .unwrap();
    let b = ws
        .create(&NewDraft {
            title: "Minsk: talks resume".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(a.path, "minsk-talks-resume.md");
    assert_eq!(b.path, "minsk-talks-resume-2.md");
    assert_eq!(
        a.text,
        "---\ntitle: \"Minsk: talks resume\"\ncategories:\n  - World\ntags:\n  - Belarus\nstatus: draft\n---\n\n"
    );
    assert_eq!(
        ws.list(&Filter {
            tag: Some("belarus".into()),
            ..Default::default()
        })
        .unwrap()
        .len(),
        2
    );
}

/// Every batch the watcher delivers, kept: nothing is discarded while waiting, so a test
/// can assert on all of them, not only on the ones it was waiting for.
struct Recorder {
    rx: mpsc::Receiver<Vec<DraftChange>>,
    /// (batch number, change), in the order delivered.
    log: Vec<(usize, DraftChange)>,
    batches: usize,
    /// How much of `log` earlier waits have consumed.
    seen: usize,
}

impl Recorder {
    fn new(rx: mpsc::Receiver<Vec<DraftChange>>) -> Recorder {
        Recorder {
            rx,
            log: Vec::new(),
            batches: 0,
            seen: 0,
        }
    }

    fn keep(&mut self, batch: Vec<DraftChange>) {
        assert!(!batch.is_empty(), "the watcher delivered an empty batch");
        self.batches += 1;
        self.log
            .extend(batch.into_iter().map(|c| (self.batches, c)));
    }

    /// The first change after those already waited for that matches `pred`, within
    /// 10 s; every batch that arrives meanwhile is kept.
    fn wait_for(&mut self, pred: impl Fn(&DraftChange) -> bool) -> DraftChange {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(i) = self.log[self.seen..].iter().position(|(_, c)| pred(c)) {
                self.seen += i + 1;
                return self.log[self.seen - 1].1.clone();
            }
            let left = deadline
                .checked_duration_since(std::time::Instant::now())
                .unwrap_or_else(|| panic!("no matching change within 10 s; got {:?}", self.log));
            if let Ok(batch) = self.rx.recv_timeout(left) {
                self.keep(batch);
            }
        }
    }

    /// Keeps whatever has been delivered by now (call after `Watcher::flush`).
    fn drain(&mut self) {
        while let Ok(batch) = self.rx.try_recv() {
            self.keep(batch);
        }
    }

    /// (kind, path, from) of every change delivered, in order.
    fn all(&self) -> Vec<(ChangeKind, String, Option<String>)> {
        self.log
            .iter()
            .map(|(_, c)| (c.kind, c.path.clone(), c.from.clone()))
            .collect()
    }
}

/// Writes `text` to `rel` the way a sync tool does: a hidden temp file renamed over the
/// name, so the watcher sees the finished file in one step whatever the machine's load.
fn outside_write(root: &std::path::Path, rel: &str, text: &str) {
    let tmp = root.join(".sync-tmp");
    fs::write(&tmp, text).unwrap();
    fs::rename(&tmp, root.join(rel)).unwrap();
}

#[test]
fn the_watcher_sees_other_programs_but_not_our_own_saves() {
    let f = fixture();
    let mut ws = open(&f);
    let (tx, rx) = mpsc::channel();
    let watcher = ws
        .watch(move |changes| {
            let _ = tx.send(changes);
        })
        .unwrap();
    let mut rec = Recorder::new(rx);

    // Our own saves, before, between and after other programs' changes: indexed at once,
    // never reported.
    let opened = ws.read("derby.md").unwrap();
    let saved = ws
        .save(
            "derby.md",
            &opened.text.replace("One all", "Two all"),
            Some(&opened.hash),
        )
        .unwrap();
    let SaveOutcome::Saved { hash, .. } = saved else {
        panic!("{saved:?}")
    };

    // Another process changes the status of a draft, the way a sync tool does: a temp
    // file renamed over the draft.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg("sed 's/status: draft/status: in-review/' world/minsk.md > world/.minsk.md.sync && mv world/.minsk.md.sync world/minsk.md")
        .current_dir(&f.root)
        .status()
        .unwrap();
    assert!(status.success());
    let c = rec.wait_for(|c| c.path == "world/minsk.md");
    assert_eq!(c.kind, ChangeKind::Changed);
    assert_eq!(c.previous_status, Some(Status::Draft));
    assert_eq!(c.summary.as_ref().unwrap().status, Status::InReview);

    let opened = ws.read("derby.md").unwrap();
    assert_eq!(opened.hash, hash);
    let saved = ws
        .save(
            "derby.md",
            &opened.text.replace("Two all", "Three all"),
            Some(&hash),
        )
        .unwrap();
    let SaveOutcome::Saved { hash, .. } = saved else {
        panic!("{saved:?}")
    };

    // Created, renamed, deleted.
    outside_write(
        &f.root,
        "new-piece.md",
        "---\ntitle: Fresh copy\n---\nText.\n",
    );
    assert_eq!(
        rec.wait_for(|c| c.path == "new-piece.md").kind,
        ChangeKind::Created
    );
    fs::rename(f.root.join("new-piece.md"), f.root.join("world/fresh.md")).unwrap();
    let c = rec.wait_for(|c| c.path == "world/fresh.md");
    assert_eq!(
        (c.kind, c.from.as_deref()),
        (ChangeKind::Renamed, Some("new-piece.md"))
    );
    fs::remove_file(f.root.join("world/fresh.md")).unwrap();
    assert_eq!(
        rec.wait_for(|c| c.path == "world/fresh.md").kind,
        ChangeKind::Deleted
    );

    // Temp files and hidden files are noise.
    fs::write(f.root.join(".newsroom-tmp-x.md.1.tmp"), "x").unwrap();
    // A new draft of ours, and a last save just before the window closes.
    let created = ws
        .create(&NewDraft {
            title: "Our own piece".into(),
            ..Default::default()
        })
        .unwrap();
    let opened = ws.read("derby.md").unwrap();
    assert_eq!(opened.hash, hash);
    ws.save(
        "derby.md",
        &opened.text.replace("Three all", "Four all"),
        Some(&hash),
    )
    .unwrap();
    watcher.flush();
    rec.drain();

    // Every batch delivered over the window holds exactly the other programs' changes,
    // in order: not one of ours, no noise, nothing twice.
    assert_eq!(
        rec.all(),
        [
            (ChangeKind::Changed, "world/minsk.md".to_owned(), None),
            (ChangeKind::Created, "new-piece.md".to_owned(), None),
            (
                ChangeKind::Renamed,
                "world/fresh.md".to_owned(),
                Some("new-piece.md".to_owned())
            ),
            (ChangeKind::Deleted, "world/fresh.md".to_owned(), None),
        ],
        "batches: {:?}",
        rec.log
    );

    // The control, in the same setup: another program writing the very draft we saved
    // (and the one we created) is reported, so the silence above is the watcher telling
    // our writes apart, not a watcher that reports nothing.
    outside_write(
        &f.root,
        "derby.md",
        "---\ntitle: Derby ends level\ncategories: [Sports]\n---\nA colleague's score.\n",
    );
    assert_eq!(
        rec.wait_for(|c| c.path == "derby.md").kind,
        ChangeKind::Changed
    );
    outside_write(&f.root, &created.path, "---\ntitle: Theirs now\n---\n");
    assert_eq!(
        rec.wait_for(|c| c.path == created.path).kind,
        ChangeKind::Changed
    );
    watcher.flush();
    rec.drain();
    assert_eq!(rec.log.len(), 6, "batches: {:?}", rec.log);

    // The index followed every change.
    let titles: Vec<_> = ws
        .list(&Filter::default())
        .unwrap()
        .into_iter()
        .map(|d| d.path)
        .collect();
    assert!(!titles.contains(&"world/fresh.md".to_string()));
    assert_eq!(
        ws.index()
            .summary("world/minsk.md")
            .unwrap()
            .unwrap()
            .status,
        Status::InReview
    );
    assert!(
        ws.history("world/minsk.md")
            .unwrap()
            .iter()
            .any(|r| r.source == newsroom_core::index::RevisionSource::External)
    );
}

#[test]
fn a_folder_moved_in_is_picked_up() {
    let f = fixture();
    let ws = open(&f);
    let (tx, rx) = mpsc::channel();
    let _w = ws
        .watch(move |c| {
            let _ = tx.send(c);
        })
        .unwrap();
    let outside = f.root.parent().unwrap().join("incoming");
    fs::create_dir_all(&outside).unwrap();
    fs::write(
        outside.join("wire.md"),
        "---\ntitle: Wire copy\n---\nText.\n",
    )
    .unwrap();
    fs::rename(&outside, f.root.join("incoming")).unwrap();
    let mut rec = Recorder::new(rx);
    assert_eq!(
        rec.wait_for(|c| c.path == "incoming/wire.md").kind,
        ChangeKind::Created
    );
}
