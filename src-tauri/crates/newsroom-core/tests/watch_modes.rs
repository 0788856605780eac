//! Shared drives: a folder watched by polling (no kernel events at all) still sees what
//! another process writes, and a refresh (the app's window regaining focus) finds what
//! nothing reported. On NFS, SMB or FUSE the other process is on another machine and
//! inotify is silent; these tests take the kernel's events away to prove the other paths.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use newsroom_core::Workspace;
use newsroom_core::index::Filter;
use newsroom_core::watch::{ChangeKind, DraftChange, OwnWrites, WatchMode, WatchPlan, Watcher};

struct Fixture {
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
    index: std::path::PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("drafts");
    fs::create_dir_all(root.join("world")).unwrap();
    fs::write(
        root.join("world/minsk.md"),
        "---\ntitle: Minsk talks\nstatus: draft\n---\nTalks resumed.\n",
    )
    .unwrap();
    let index = dir.path().join("data/index.sqlite3");
    Fixture {
        _dir: dir,
        root,
        index,
    }
}

/// Writes `text` to `rel` from another process, as a colleague's machine would.
fn write_elsewhere(f: &Fixture, rel: &str, text: &str) {
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg("printf '%s' \"$2\" > \"$1.part\" && mv \"$1.part\" \"$1\"")
        .arg("sh")
        .arg(rel)
        .arg(text)
        .current_dir(&f.root)
        .status()
        .unwrap();
    assert!(status.success());
}

fn wait_for(
    rx: &mpsc::Receiver<Vec<DraftChange>>,
    within: Duration,
    pred: impl Fn(&DraftChange) -> bool,
) -> Option<DraftChange> {
    let deadline = Instant::now() + within;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        if let Ok(batch) = rx.recv_timeout(left) {
            if let Some(c) = batch.into_iter().find(|c| pred(c)) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn a_folder_forced_to_poll_sees_and_indexes_another_process_s_changes() {
    let f = fixture();
    let (ws, _) = Workspace::open_with_index(&f.root, &f.index).unwrap();
    let (tx, rx) = mpsc::channel();
    let watcher = ws
        .watch_with(WatchMode::Poll, move |c| {
            let _ = tx.send(c);
        })
        .unwrap();
    // polling only: no kernel events could have reported what follows
    assert!(!watcher.plan().events, "{:?}", watcher.plan());
    let every = watcher.plan().poll.unwrap();
    assert_eq!(every, Duration::from_secs(2));

    write_elsewhere(
        &f,
        "world/kyiv.md",
        "---\ntitle: Kyiv night\nstatus: in-review\n---\nSirens.\n",
    );
    let created = wait_for(&rx, every * 5, |c| c.path == "world/kyiv.md")
        .expect("the new draft was seen by polling");
    assert_eq!(created.kind, ChangeKind::Created);
    assert_eq!(created.summary.as_ref().unwrap().title, "Kyiv night");

    write_elsewhere(
        &f,
        "world/minsk.md",
        "---\ntitle: Minsk talks collapse\nstatus: in-review\n---\nTalks ended.\n",
    );
    let changed = wait_for(&rx, every * 5, |c| c.path == "world/minsk.md")
        .expect("the changed draft was seen by polling");
    assert_eq!(changed.kind, ChangeKind::Changed);

    // indexed: a fresh reader of the same index finds both
    let (again, _) = Workspace::open_with_index(&f.root, &f.index).unwrap();
    let titles: Vec<String> = again
        .list(&Filter::default())
        .unwrap()
        .into_iter()
        .map(|d| d.title)
        .collect();
    assert!(titles.contains(&"Kyiv night".to_owned()), "{titles:?}");
    assert!(
        titles.contains(&"Minsk talks collapse".to_owned()),
        "{titles:?}"
    );
}

#[test]
fn a_refresh_finds_what_nothing_reported_once_per_gap() {
    let f = fixture();
    let (_ws, _) = Workspace::open_with_index(&f.root, &f.index).unwrap();
    let (tx, rx) = mpsc::channel();
    // neither events nor polling: only a refresh can find a change
    let deaf = WatchPlan {
        events: false,
        poll: None,
        reason: "test".into(),
    };
    let watcher = Watcher::start_planned(&f.root, &f.index, OwnWrites::default(), deaf, move |c| {
        let _ = tx.send(c);
    })
    .unwrap();

    write_elsewhere(&f, "brief.md", "---\ntitle: Brief\n---\nShort.\n");
    watcher.flush();
    assert!(
        rx.try_recv().is_err(),
        "nothing watches: nothing reported yet"
    );

    watcher.refresh();
    watcher.flush();
    let found = wait_for(&rx, Duration::from_secs(5), |c| c.path == "brief.md")
        .expect("found by the refresh");
    assert_eq!(found.kind, ChangeKind::Created);

    // a second refresh at once is skipped (the window can gain focus many times a minute)
    write_elsewhere(&f, "second.md", "---\ntitle: Second\n---\nText.\n");
    watcher.refresh();
    watcher.flush();
    assert!(
        rx.try_recv().is_err(),
        "a refresh within the gap is skipped"
    );
}

#[test]
fn auto_on_a_local_disk_uses_events_only() {
    let f = fixture();
    let (ws, _) = Workspace::open_with_index(&f.root, &f.index).unwrap();
    let watcher = ws.watch_with(WatchMode::Auto, |_| {}).unwrap();
    assert!(watcher.plan().events);
    assert_eq!(watcher.plan().poll, None, "{:?}", watcher.plan());
}
