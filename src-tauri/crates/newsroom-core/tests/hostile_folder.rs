//! A drafts folder prepared by someone hostile, built at run time: symbolic links to a
//! canary file outside the folder (as a draft, as an image, as folders up to `/`), FIFOs
//! and sockets named like drafts and like lock files, beside ordinary drafts.
//!
//! Whatever the core is asked to do with it (open, list, search, read, save, create,
//! history, import an image, the desk's checklist and queues, locks, export, watch), the
//! canary's marker never comes back, nothing outside the folder is written, every call
//! returns in bounded time (a hang fails the test instead of hanging it), and the
//! ordinary drafts beside the traps work as usual.

#![cfg(unix)]
#![allow(clippy::unwrap_used)] // test helpers fail loudly

use std::fs;
use std::os::unix::fs::symlink;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use newsroom_core::index::Filter;
use newsroom_core::review::{lock, queue};
use newsroom_core::watch::{ChangeKind, DraftChange};
use newsroom_core::workspace::{NewDraft, Workspace};
use newsroom_core::{Draft, Status};

/// In the canary files only: seeing it anywhere means a file outside was read.
const MARKER: &str = "CANARY-b41d-outside-the-folder";
/// Longest any one call may take; a FIFO opened blocking would wait forever.
const BOUND: Duration = Duration::from_secs(5);

struct Hostile {
    dir: tempfile::TempDir,
    root: PathBuf,
    outside: PathBuf,
    /// Kept open so the socket files stay sockets.
    _sockets: Vec<UnixListener>,
}

impl Hostile {
    fn index(&self) -> PathBuf {
        self.dir.path().join("data/index.sqlite3")
    }

    fn canary(&self) -> PathBuf {
        self.outside.join("canary.md")
    }
}

/// Everything outside the folder: each file's bytes and mtime.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
    let mut out: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let meta = fs::symlink_metadata(&p).unwrap();
            (p.clone(), fs::read(&p).unwrap(), meta.modified().unwrap())
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

fn hostile() -> Hostile {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside");
    let root = dir.path().join("drafts");
    fs::create_dir_all(&outside).unwrap();
    for d in ["world", "images", "fifo", "sock"] {
        fs::create_dir_all(root.join(d)).unwrap();
    }
    // The canaries: a draft and an image, outside.
    fs::write(
        outside.join("canary.md"),
        format!("---\ntitle: {MARKER}\nstatus: approved\n---\n\n{MARKER} secret text\n"),
    )
    .unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(MARKER.as_bytes());
    fs::write(outside.join("canary.png"), &png).unwrap();

    // Ordinary drafts.
    fs::write(
        root.join("good.md"),
        "---\ntitle: Harbour reopens\ncategories: [World]\ntags: [Port]\nstatus: approved\nexcerpt: Ships are back.\n---\n\nThe harbour reopened on Monday.\n\n![Team](images/team.png)\n",
    )
    .unwrap();
    fs::write(
        root.join("world/minsk.md"),
        "---\ntitle: Minsk talks stall\nstatus: in-review\n---\n\nDelegations met in Minsk.\n",
    )
    .unwrap();
    fs::write(root.join("fifo/normal.md"), "# Beside a FIFO\n").unwrap();
    fs::write(root.join("sock/normal.md"), "# Beside a socket\n").unwrap();

    // The traps.
    symlink(outside.join("canary.md"), root.join("story.md")).unwrap();
    symlink(outside.join("canary.png"), root.join("images/team.png")).unwrap();
    symlink("/", root.join("everything")).unwrap();
    symlink(&outside, root.join("outside-dir")).unwrap();
    mkfifo(&root.join("fifo/story.md"));
    mkfifo(&root.join("fifo/.story.md.lock"));
    mkfifo(&root.join(".good.md.lock"));
    let sockets = vec![
        UnixListener::bind(root.join("sock/story.md")).unwrap(),
        UnixListener::bind(root.join("sock/.story.md.lock")).unwrap(),
        UnixListener::bind(root.join("world/.minsk.md.lock")).unwrap(),
    ];
    Hostile {
        dir,
        root,
        outside,
        _sockets: sockets,
    }
}

/// Runs `f` on its own thread and fails if it does not return within [`BOUND`].
fn bounded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(BOUND) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what} did not return within {BOUND:?} (blocked on a FIFO? looping?)")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what} panicked (see above)"),
    }
}

fn open(h: &Hostile) -> Workspace {
    let (root, index) = (h.root.clone(), h.index());
    bounded("opening the folder", move || {
        Workspace::open_with_index(&root, &index).unwrap()
    })
    .0
}

fn paths(ws: &Workspace) -> Vec<String> {
    let mut p: Vec<String> = ws
        .list(&Filter::default())
        .unwrap()
        .into_iter()
        .map(|d| d.path)
        .collect();
    p.sort();
    p
}

const ORDINARY: [&str; 4] = [
    "fifo/normal.md",
    "good.md",
    "sock/normal.md",
    "world/minsk.md",
];

#[test]
fn opening_lists_the_ordinary_drafts_and_says_what_it_skipped() {
    let h = hostile();
    let before = snapshot(&h.outside);
    let (root, index) = (h.root.clone(), h.index());
    let (ws, report) = bounded("opening the folder", move || {
        Workspace::open_with_index(&root, &index).unwrap()
    });
    assert_eq!(paths(&ws), ORDINARY);
    assert_eq!(report.added, ORDINARY.len());
    for trap in [
        "story.md: is a symbolic link",
        "images/team.png: is a symbolic link",
        "everything: is a symbolic link",
        "outside-dir: is a symbolic link",
        "fifo/story.md: is a FIFO",
        "sock/story.md: is a socket",
    ] {
        assert!(
            report.skipped.iter().any(|s| s.contains(trap)),
            "{trap} not in {:?}",
            report.skipped
        );
    }
    let all = serde_json::to_string(&ws.list(&Filter::default()).unwrap()).unwrap();
    assert!(!all.contains(MARKER));
    assert!(
        ws.search(MARKER, &Filter::default(), 50)
            .unwrap()
            .is_empty()
    );
    assert!(
        ws.search("secret", &Filter::default(), 50)
            .unwrap()
            .is_empty()
    );
    let hits = ws.search("harbour", &Filter::default(), 50).unwrap();
    assert_eq!(hits.len(), 1);
    // A second open (warm index) and a rebuild see the same.
    drop(ws);
    let ws = open(&h);
    assert_eq!(paths(&ws), ORDINARY);
    assert_eq!(snapshot(&h.outside), before, "nothing outside was written");
}

#[test]
fn reading_and_writing_the_traps_fails_at_once_and_leaks_nothing() {
    let h = hostile();
    let before = snapshot(&h.outside);
    let mut ws = open(&h);
    let errors: Vec<String> = bounded("reading the traps", move || {
        let mut errors = Vec::new();
        for path in [
            "story.md",
            "outside-dir/canary.md",
            "everything/etc/hostname",
            "fifo/story.md",
            "sock/story.md",
        ] {
            let read = ws.read(path).map(|d| d.text);
            assert!(read.is_err(), "{path} was read: {read:?}");
            errors.push(read.unwrap_err().to_string());
            errors.push(ws.parse(path).unwrap_err().to_string());
            errors.push(
                ws.save(path, "overwritten", None)
                    .map(|o| format!("{o:?}"))
                    .unwrap_err()
                    .to_string(),
            );
            // History of a trap: nothing (and nothing from outside).
            let history = ws.history(path).unwrap_or_default();
            assert!(history.is_empty(), "{path}: {history:?}");
        }
        // A new draft in a folder that is a link out: refused.
        let new = NewDraft {
            title: "Escape".into(),
            folder: "outside-dir".into(),
            ..Default::default()
        };
        errors.push(ws.create(&new).unwrap_err().to_string());
        // Saving an ordinary draft still works, beside the traps.
        let good = ws.read("good.md").unwrap();
        ws.save(
            "good.md",
            &good.text.replace("Monday", "Tuesday"),
            Some(&good.hash),
        )
        .unwrap();
        errors
    });
    for e in &errors {
        assert!(!e.contains(MARKER), "{e}");
    }
    assert!(errors.iter().any(|e| e.contains("symbolic link")));
    assert!(errors.iter().any(|e| e.contains("FIFO")));
    assert!(errors.iter().any(|e| e.contains("socket")));
    assert_eq!(snapshot(&h.outside), before, "nothing outside was written");
    assert!(
        fs::symlink_metadata(h.root.join("story.md"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link itself is left alone"
    );
}

#[test]
fn images_locks_queues_and_export_stay_inside_and_never_hang() {
    let h = hostile();
    let before = snapshot(&h.outside);
    let ws = open(&h);
    let export_to = h.root.join("outside-dir/page.html");
    let results = bounded("images, locks, queues, export", move || {
        let text = ws.read("good.md").unwrap().text;
        let draft = Draft::parse(&text).unwrap();
        // The desk checklist does not call a link "found".
        let checks = queue::checklist(&draft, ws.folder(), "good.md", None);
        let images = checks
            .iter()
            .find(|c| c.id == queue::CheckId::Images)
            .unwrap()
            .clone();
        // What publishing would send: refused.
        let image = ws.read_image("good.md", "images/team.png").map(|i| i.bytes);
        // Importing a picture called like the link writes beside it, not through it.
        let imported = ws.import_image("good.md", "team.png", b"\x89PNG\r\n\x1a\nnew");
        // Queues read lock files that are a FIFO and a socket.
        let desk = queue::desk_queue(&ws, Status::Approved, None).unwrap();
        let review = queue::review_queue(&ws, Status::InReview, Some("Edith")).unwrap();
        // Taking a lock whose file is a FIFO.
        let me = lock::LockOwner::current("Ana");
        let good = ws.draft_path("good.md").unwrap();
        let held = lock::hold(ws.folder(), &good, &me, time::OffsetDateTime::now_utc());
        let exported = ws.export_html("good.md", &text, export_to.to_str().unwrap(), true);
        (images, image, imported, desk, review, held, exported)
    });
    let (images, image, imported, desk, review, held, exported) = results;
    assert!(!images.passed, "{images:?}");
    assert!(images.message.contains("symbolic link"), "{images:?}");
    assert!(!image.unwrap_err().to_string().contains(MARKER));
    assert_eq!(imported.unwrap(), "![](images/team-2.png)");
    assert_eq!(
        desk.iter()
            .map(|d| d.draft.path.as_str())
            .collect::<Vec<_>>(),
        ["good.md"]
    );
    assert!(desk[0].editing.is_none());
    assert!(!desk[0].ready);
    assert_eq!(
        review
            .iter()
            .map(|d| d.draft.path.as_str())
            .collect::<Vec<_>>(),
        ["world/minsk.md"]
    );
    assert!(review[0].editing.is_none());
    assert!(held.unwrap_err().to_string().contains("FIFO"));
    assert!(exported.unwrap_err().to_string().contains("symbolic link"));
    assert_eq!(snapshot(&h.outside), before, "nothing outside was written");
}

/// Waits for a change to `path`; the watcher reports in order, so everything that
/// happened before it has been seen.
fn wait_for(rx: &mpsc::Receiver<Vec<DraftChange>>, path: &str) -> DraftChange {
    let deadline = Instant::now() + Duration::from_secs(10);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        if let Ok(batch) = rx.recv_timeout(left) {
            if let Some(c) = batch.into_iter().find(|c| c.path == path) {
                return c;
            }
        }
    }
    panic!("no change to {path} within 10 s");
}

#[test]
fn the_watcher_ignores_links_and_special_files_that_appear_later() {
    let h = hostile();
    let before = snapshot(&h.outside);
    let ws = open(&h);
    let (tx, rx) = mpsc::channel();
    // `everything` links to `/`: a watcher that followed links would walk (and try to
    // watch) the whole disk before returning.
    let (ws, watcher) = bounded("starting the watcher", move || {
        let watcher = ws
            .watch(move |changes| {
                let _ = tx.send(changes);
            })
            .unwrap();
        (ws, watcher)
    });

    // Links and a FIFO appear after the start, then an ordinary draft.
    symlink(h.canary(), h.root.join("late.md")).unwrap();
    symlink(&h.outside, h.root.join("late-dir")).unwrap();
    symlink("/", h.root.join("world/late-root")).unwrap();
    mkfifo(&h.root.join("late-pipe.md"));
    fs::write(h.root.join("after.md"), "# After the traps\n").unwrap();
    assert_eq!(wait_for(&rx, "after.md").kind, ChangeKind::Created);

    // A draft replaced by a link (renamed over it, as a sync tool would) is gone.
    symlink(h.canary(), h.root.join("world/.swap")).unwrap();
    fs::rename(h.root.join("world/.swap"), h.root.join("world/minsk.md")).unwrap();
    assert_eq!(wait_for(&rx, "world/minsk.md").kind, ChangeKind::Deleted);
    watcher.flush();

    let mut expected = vec!["after.md", "fifo/normal.md", "good.md", "sock/normal.md"];
    expected.sort();
    assert_eq!(paths(&ws), expected);
    assert!(
        ws.search(MARKER, &Filter::default(), 50)
            .unwrap()
            .is_empty()
    );
    let all = serde_json::to_string(&ws.list(&Filter::default()).unwrap()).unwrap();
    assert!(!all.contains(MARKER));
    for batch in rx.try_iter() {
        let json = serde_json::to_string(&batch).unwrap();
        assert!(!json.contains(MARKER), "{json}");
    }
    drop(watcher);
    assert_eq!(snapshot(&h.outside), before, "nothing outside was written");
}
