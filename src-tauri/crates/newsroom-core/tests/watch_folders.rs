//! The app's way of opening a folder: the list from the index as it is, the watcher
//! started first, the folder compared with the index after (`Watcher::reconcile`); and
//! the watcher's one kernel watch per folder, found by a walk of folders only.
#![allow(clippy::unwrap_used)]
#![cfg(target_os = "linux")]

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use newsroom_core::Workspace;
use newsroom_core::files::content_hash;
use newsroom_core::index::Filter;
use newsroom_core::watch::{ChangeKind, DraftChange, Watcher};

struct Fixture {
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
    index: std::path::PathBuf,
}

fn draft(title: &str, status: &str) -> String {
    format!("---\ntitle: {title}\nstatus: {status}\n---\n\n{title}, the body.\n")
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("drafts");
    fs::create_dir_all(root.join("world/europe")).unwrap();
    fs::create_dir_all(root.join("sport")).unwrap();
    fs::write(root.join("world/minsk.md"), draft("Minsk talks", "draft")).unwrap();
    fs::write(
        root.join("world/europe/riga.md"),
        draft("Riga port", "draft"),
    )
    .unwrap();
    fs::write(root.join("sport/derby.md"), draft("Derby", "draft")).unwrap();
    fs::write(root.join("top.md"), draft("Top", "draft")).unwrap();
    let index = dir.path().join("data/index.sqlite3");
    Fixture {
        _dir: dir,
        root,
        index,
    }
}

/// Every change the watcher reported, in order.
struct Heard {
    rx: mpsc::Receiver<Vec<DraftChange>>,
    log: Vec<DraftChange>,
}

impl Heard {
    fn start(ws: &Workspace) -> (Watcher, Heard) {
        let (tx, rx) = mpsc::channel();
        let w = ws
            .watch(move |c| {
                let _ = tx.send(c);
            })
            .unwrap();
        (
            w,
            Heard {
                rx,
                log: Vec::new(),
            },
        )
    }

    /// Waits up to 10 s for a change matching `pred` among all heard so far.
    fn wait_for(&mut self, what: &str, pred: impl Fn(&DraftChange) -> bool) -> DraftChange {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(c) = self.log.iter().find(|c| pred(c)) {
                return c.clone();
            }
            let left = deadline
                .checked_duration_since(Instant::now())
                .unwrap_or_else(|| panic!("not heard within 10 s: {what}; heard {:?}", self.log));
            if let Ok(batch) = self.rx.recv_timeout(left) {
                self.log.extend(batch);
            }
        }
    }

    fn paths(&mut self) -> BTreeSet<String> {
        while let Ok(batch) = self.rx.try_recv() {
            self.log.extend(batch);
        }
        self.log.iter().map(|c| c.path.clone()).collect()
    }
}

fn titles(ws: &Workspace) -> BTreeSet<String> {
    ws.list(&Filter::default())
        .unwrap()
        .into_iter()
        .map(|s| s.title)
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Polls `cond` for up to 10 s (the watcher works on its own thread).
fn eventually(what: &str, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !cond() {
        assert!(Instant::now() < deadline, "not within 10 s: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn drafts_changed_while_the_app_was_closed_show_up_after_the_list() {
    let f = fixture();
    drop(Workspace::open_with_index(&f.root, &f.index).unwrap());

    // While no Newsroom runs: one draft edited in place (a status move), one added, one
    // deleted, one folder of drafts moved in.
    fs::write(
        f.root.join("world/minsk.md"),
        draft("Minsk talks resume", "in-review"),
    )
    .unwrap();
    fs::write(f.root.join("sport/final.md"), draft("Cup final", "draft")).unwrap();
    fs::remove_file(f.root.join("top.md")).unwrap();
    fs::create_dir_all(f.root.join("wire/agency")).unwrap();
    fs::write(f.root.join("wire/agency/flash.md"), draft("Flash", "draft")).unwrap();

    let ws = Workspace::open_unreconciled_with_index(&f.root, &f.index).unwrap();
    assert!(!ws.index().is_empty().unwrap());
    // The list as the index had it: nothing compared yet.
    assert_eq!(
        titles(&ws),
        set(&["Derby", "Minsk talks", "Riga port", "Top"])
    );

    let (watcher, mut heard) = Heard::start(&ws);
    watcher.reconcile();
    let minsk = heard.wait_for("minsk changed", |c| c.path == "world/minsk.md");
    assert_eq!(minsk.kind, ChangeKind::Changed);
    let summary = minsk.summary.unwrap();
    assert_eq!(summary.title, "Minsk talks resume");
    assert_eq!(summary.status, newsroom_core::Status::InReview);
    assert_eq!(
        minsk.previous_status,
        Some(newsroom_core::Status::Draft),
        "the status move is said as any colleague's"
    );
    assert_eq!(
        heard.wait_for("final", |c| c.path == "sport/final.md").kind,
        ChangeKind::Created
    );
    assert_eq!(
        heard.wait_for("top", |c| c.path == "top.md").kind,
        ChangeKind::Deleted
    );
    assert_eq!(
        heard
            .wait_for("flash", |c| c.path == "wire/agency/flash.md")
            .kind,
        ChangeKind::Created
    );
    watcher.flush();
    assert_eq!(
        titles(&ws),
        set(&[
            "Cup final",
            "Derby",
            "Flash",
            "Minsk talks resume",
            "Riga port"
        ])
    );
    // Every folder is watched, those that came while closed too: a file written there
    // is an event (a `.md` in an unwatched folder would make none at all).
    eventually("wire/ and wire/agency/ watched", || {
        watcher.watched_folders() == 6
    });
    fs::write(f.root.join("wire/agency/later.md"), draft("Later", "draft")).unwrap();
    heard.wait_for("later", |c| c.path == "wire/agency/later.md");

    // Compared once: a second open finds nothing to report.
    drop(watcher);
    let ws = Workspace::open_unreconciled_with_index(&f.root, &f.index).unwrap();
    let (watcher, mut heard) = Heard::start(&ws);
    watcher.reconcile();
    watcher.flush();
    assert_eq!(heard.paths(), BTreeSet::new());
}

#[test]
fn a_change_during_the_reconcile_is_not_lost() {
    let f = fixture();
    // Enough drafts that the comparison takes a while, in several folders.
    for i in 0..3000 {
        let dir = f.root.join(format!("section{}", i % 6));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join(format!("d{i}.md")),
            draft(&format!("D{i}"), "draft"),
        )
        .unwrap();
    }
    drop(Workspace::open_with_index(&f.root, &f.index).unwrap());

    let ws = Workspace::open_unreconciled_with_index(&f.root, &f.index).unwrap();
    let (watcher, mut heard) = Heard::start(&ws);
    // A colleague writes while the watcher compares: each file several times, the last
    // text is what must end up indexed and reported.
    let root = f.root.clone();
    let writer = std::thread::spawn(move || {
        let mut last = Vec::new();
        for round in 0..3 {
            for i in (0..3000).step_by(97) {
                let rel = format!("section{}/d{i}.md", i % 6);
                let text = draft(&format!("D{i} round {round}"), "draft");
                fs::write(root.join(&rel), &text).unwrap();
                if round == 2 {
                    last.push((rel, text));
                }
            }
        }
        last
    });
    watcher.reconcile();
    let last = writer.join().unwrap();
    for (rel, text) in &last {
        let hash = content_hash(text.as_bytes());
        eventually(&format!("{rel} indexed as last written"), || {
            ws.index()
                .file_state(rel)
                .unwrap()
                .is_some_and(|s| s.hash == hash)
        });
    }
    watcher.flush();
    let reported = heard.paths();
    for (rel, _) in &last {
        assert!(reported.contains(rel), "{rel} never reported");
    }
    let listed: BTreeSet<String> = ws
        .list(&Filter::default())
        .unwrap()
        .into_iter()
        .filter(|s| s.title.ends_with("round 2"))
        .map(|s| s.path)
        .collect();
    assert_eq!(listed.len(), last.len());
}

/// The app's start: the folder opened with the index as it is, the watcher started held,
/// the list made; a colleague writes before the page listens. Nothing of it may reach the
/// index or anyone before the reconcile (the list was made without it, and an event then
/// would be heard by nobody), and all of it must come with the reconcile.
#[test]
fn changes_while_the_app_starts_wait_for_the_reconcile_and_are_not_lost() {
    let f = fixture();
    drop(Workspace::open_with_index(&f.root, &f.index).unwrap());

    let ws = Workspace::open_unreconciled_with_index(&f.root, &f.index).unwrap();
    let (tx, rx) = mpsc::channel();
    let watcher = ws
        .watch_held(newsroom_core::watch::WatchMode::Auto, move |c| {
            let _ = tx.send(c);
        })
        .unwrap();
    let listed = titles(&ws);
    assert_eq!(listed, set(&["Derby", "Minsk talks", "Riga port", "Top"]));

    // Written after the watcher started, before the page asks for the reconcile.
    fs::write(f.root.join("sport/final.md"), draft("Cup final", "draft")).unwrap();
    fs::write(
        f.root.join("world/minsk.md"),
        draft("Minsk talks resume", "in-review"),
    )
    .unwrap();
    fs::remove_file(f.root.join("top.md")).unwrap();
    // Longer than the watcher's quiet period and its longest wait: a watcher that does not
    // hold would have taken these in by now.
    std::thread::sleep(watch_wait());
    watcher.flush();
    assert!(
        rx.try_recv().is_err(),
        "a change reported before the reconcile"
    );
    assert_eq!(titles(&ws), listed, "the index changed under the list");

    watcher.reconcile();
    let mut heard = Heard {
        rx,
        log: Vec::new(),
    };
    assert_eq!(
        heard.wait_for("final", |c| c.path == "sport/final.md").kind,
        ChangeKind::Created
    );
    let minsk = heard.wait_for("minsk", |c| c.path == "world/minsk.md");
    assert_eq!(minsk.kind, ChangeKind::Changed);
    assert_eq!(minsk.previous_status, Some(newsroom_core::Status::Draft));
    assert_eq!(
        heard.wait_for("top", |c| c.path == "top.md").kind,
        ChangeKind::Deleted
    );
    watcher.flush();
    assert_eq!(
        titles(&ws),
        set(&["Cup final", "Derby", "Minsk talks resume", "Riga port"])
    );
    // Held no longer: a later write is an event as always.
    fs::write(f.root.join("world/later.md"), draft("Later", "draft")).unwrap();
    heard.wait_for("later", |c| c.path == "world/later.md");
}

/// The watcher's quiet period and its longest wait, with room.
fn watch_wait() -> Duration {
    newsroom_core::watch::MAX_LATENCY + newsroom_core::watch::DEBOUNCE * 3
}

/// The index's write-ahead log does not stay the size of the index: a cold index is one
/// transaction, and a log left that size was read again at every start (the app never
/// closes its connection cleanly). After the cold index it is cut back, and a log left
/// behind (an older version, a crash) is cut back once the watcher has compared.
#[test]
fn the_index_log_does_not_stay_the_size_of_the_index() {
    let f = fixture();
    let body = "word ".repeat(800);
    for i in 0..1500 {
        let dir = f.root.join(format!("section{}", i % 5));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join(format!("d{i}.md")),
            format!("---\ntitle: D{i}\n---\n\n{body} {i}\n"),
        )
        .unwrap();
    }
    let keep = u64::try_from(newsroom_core::index::WAL_KEEP_BYTES).unwrap();
    let wal = f.index.with_file_name("index.sqlite3-wal");
    let size = |p: &Path| fs::metadata(p).map(|m| m.len()).unwrap_or(0);

    let (ws, report) = Workspace::open_with_index(&f.root, &f.index).unwrap();
    assert_eq!(report.added, 1504);
    // the transaction went through the log: more than `keep` of it
    assert!(size(&f.index) > keep, "index {} bytes", size(&f.index));
    assert!(
        size(&wal) <= keep,
        "log {} bytes after the cold index",
        size(&wal)
    );

    // A log left behind by a connection that never closed, as an older version left it.
    let raw = rusqlite::Connection::open(&f.index).unwrap();
    raw.pragma_update(None, "journal_size_limit", -1).unwrap();
    raw.execute_batch(
        "CREATE TABLE scratch (b BLOB); INSERT INTO scratch VALUES (zeroblob(12000000));",
    )
    .unwrap();
    assert!(size(&wal) > 2 * keep, "log {} bytes", size(&wal));
    std::mem::forget(raw); // not closed: closing would checkpoint and remove the log

    let (watcher, _heard) = Heard::start(&ws);
    watcher.reconcile();
    watcher.flush();
    assert!(
        size(&wal) <= keep,
        "log {} bytes after the reconcile",
        size(&wal)
    );
}

/// The inotify watches the kernel holds for the watcher of `root`: from
/// `/proc/self/fdinfo`, the inotify descriptor one of whose watches is `root`'s inode
/// (each test has its own folder, so other tests' watchers do not count).
fn kernel_watches(root: &Path) -> usize {
    let ino = format!("ino:{:x} ", fs::metadata(root).unwrap().ino());
    for fd in fs::read_dir("/proc/self/fd").unwrap().flatten() {
        let Ok(target) = fs::read_link(fd.path()) else {
            continue;
        };
        if target.to_string_lossy() != "anon_inode:inotify" {
            continue;
        }
        let Ok(info) = fs::read_to_string(Path::new("/proc/self/fdinfo").join(fd.file_name()))
        else {
            continue;
        };
        let watches: Vec<&str> = info
            .lines()
            .filter(|l| l.starts_with("inotify wd:"))
            .collect();
        if watches.iter().any(|l| l.contains(&ino)) {
            return watches.len();
        }
    }
    0
}

#[test]
fn one_kernel_watch_per_folder_and_new_folders_are_watched() {
    let f = fixture();
    // Not folders of drafts: a hidden folder with folders in it (as `.git`), a link to a
    // folder outside (never followed), a FIFO and many files (no watch of their own).
    fs::create_dir_all(f.root.join(".git/objects/ab")).unwrap();
    let outside = f.root.parent().unwrap().join("outside/deep");
    fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink(outside.parent().unwrap(), f.root.join("linked")).unwrap();
    assert!(
        std::process::Command::new("mkfifo")
            .arg(f.root.join("world/pipe.md"))
            .status()
            .unwrap()
            .success()
    );
    for i in 0..200 {
        fs::write(f.root.join(format!("world/w{i}.md")), draft("W", "draft")).unwrap();
    }
    let ws = Workspace::open_with_index(&f.root, &f.index).unwrap().0;
    let (watcher, mut heard) = Heard::start(&ws);
    assert!(watcher.plan().events, "{}", watcher.plan().reason);
    // the top, world, world/europe, sport
    assert_eq!(watcher.watched_folders(), 4);
    assert_eq!(kernel_watches(&f.root), 4);

    // A folder of folders created after the start: watched once the watcher has seen it,
    // and a file written there afterwards arrives as an event.
    fs::create_dir_all(f.root.join("culture/arts")).unwrap();
    fs::write(
        f.root.join("culture/arts/first.md"),
        draft("First", "draft"),
    )
    .unwrap();
    assert_eq!(
        heard
            .wait_for("first", |c| c.path == "culture/arts/first.md")
            .kind,
        ChangeKind::Created
    );
    eventually("culture/ and culture/arts/ watched", || {
        watcher.watched_folders() == 6
    });
    assert_eq!(kernel_watches(&f.root), 6);
    fs::write(
        f.root.join("culture/arts/second.md"),
        draft("Second", "draft"),
    )
    .unwrap();
    heard.wait_for("second", |c| c.path == "culture/arts/second.md");

    // Renamed: the same number of watches, and the new name is watched.
    fs::rename(f.root.join("world/europe"), f.root.join("world/eu")).unwrap();
    heard.wait_for("riga renamed", |c| c.path == "world/eu/riga.md");
    watcher.flush();
    eventually("still six folders", || watcher.watched_folders() == 6);
    fs::write(
        f.root.join("world/eu/tallinn.md"),
        draft("Tallinn", "draft"),
    )
    .unwrap();
    heard.wait_for("tallinn", |c| c.path == "world/eu/tallinn.md");
    assert_eq!(kernel_watches(&f.root), 6);

    // Deleted: their watches go with them.
    fs::remove_dir_all(f.root.join("culture")).unwrap();
    heard.wait_for("second deleted", |c| {
        c.path == "culture/arts/second.md" && c.kind == ChangeKind::Deleted
    });
    watcher.flush();
    eventually("four folders again", || watcher.watched_folders() == 4);
    assert_eq!(kernel_watches(&f.root), 4);
}
