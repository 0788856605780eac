//! A real FUSE mount (bindfs, the Debian package) as the shared drive: a file written
//! to the folder behind the mount reaches the mount without passing through its kernel
//! side, exactly as a colleague's write on another machine reaches an NFS or SMB mount.
//! inotify on the mount stays silent (the control below proves it); `auto` recognises the
//! mount as shared and polls, so the change arrives anyway.
//!
//! Needs `bindfs` and `/dev/fuse` (`.ci/setup.sh` installs bindfs). Where FUSE cannot
//! mount (a container without the device) the test says so and skips, unless
//! `NEWSROOM_FUSE_REQUIRED=1`, which makes that a failure.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use newsroom_core::Workspace;
use newsroom_core::watch::{ChangeKind, DraftChange, FileSystem, WatchMode, file_system};

/// A bindfs mount of `behind` at `at`, unmounted when dropped.
struct Mount {
    at: PathBuf,
}

impl Mount {
    fn new(behind: &Path, at: &Path) -> Result<Mount, String> {
        fs::create_dir_all(at).unwrap();
        let out = Command::new("bindfs")
            .arg("--no-allow-other")
            .arg(behind)
            .arg(at)
            .output()
            .map_err(|e| format!("bindfs could not run ({e}): apt-get install bindfs"))?;
        if !out.status.success() {
            return Err(format!(
                "bindfs could not mount: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(Mount {
            at: at.to_path_buf(),
        })
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        for tool in ["fusermount3", "fusermount"] {
            if Command::new(tool)
                .arg("-u")
                .arg(&self.at)
                .status()
                .is_ok_and(|s| s.success())
            {
                return;
            }
        }
        let _ = Command::new("umount").arg(&self.at).status();
    }
}

fn mounted(dir: &Path) -> Option<Mount> {
    match Mount::new(&dir.join("behind"), &dir.join("mount")) {
        Ok(m) => Some(m),
        Err(why) if std::env::var_os("NEWSROOM_FUSE_REQUIRED").is_some_and(|v| v == "1") => {
            panic!("NEWSROOM_FUSE_REQUIRED=1 but {why}")
        }
        Err(why) => {
            eprintln!("SKIPPED: no FUSE mount here: {why}");
            None
        }
    }
}

fn wait_for(
    rx: &mpsc::Receiver<Vec<DraftChange>>,
    within: Duration,
    path: &str,
) -> Option<DraftChange> {
    let deadline = Instant::now() + within;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        if let Ok(batch) = rx.recv_timeout(left) {
            if let Some(c) = batch.into_iter().find(|c| c.path == path) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn a_write_behind_a_fuse_mount_is_missed_by_events_and_caught_by_auto() {
    let dir = tempfile::tempdir().unwrap();
    let behind = dir.path().join("behind");
    fs::create_dir_all(&behind).unwrap();
    fs::write(
        behind.join("minsk.md"),
        "---\ntitle: Minsk talks\n---\nTalks.\n",
    )
    .unwrap();
    let Some(mount) = mounted(dir.path()) else {
        return;
    };
    assert_eq!(file_system(&mount.at), FileSystem::Shared("fuse"));
    let (ws, _) = Workspace::open_with_index(&mount.at, &dir.path().join("index.sqlite3")).unwrap();

    // Control: the kernel's events alone never hear a write made behind the mount.
    let (tx, rx) = mpsc::channel();
    let events_only = ws
        .watch_with(WatchMode::Events, move |c| {
            let _ = tx.send(c);
        })
        .unwrap();
    fs::write(
        behind.join("unheard.md"),
        "---\ntitle: Unheard\n---\nText.\n",
    )
    .unwrap();
    assert!(
        wait_for(&rx, Duration::from_secs(4), "unheard.md").is_none(),
        "events alone saw a write behind the mount: this test would prove nothing"
    );
    drop(events_only);

    // Auto: the mount is shared, so it is polled as well, and the next write arrives.
    let (tx, rx) = mpsc::channel();
    let auto = ws
        .watch_with(WatchMode::Auto, move |c| {
            let _ = tx.send(c);
        })
        .unwrap();
    let plan = auto.plan().clone();
    assert!(plan.events && plan.poll.is_some(), "{plan:?}");
    assert!(plan.reason.contains("fuse"), "{}", plan.reason);
    // written in one go behind the mount, as a sync tool does (a plain write may be seen
    // half-done by one poll, then complete by the next)
    let part = behind.join(".kyiv.md.part");
    fs::write(&part, "---\ntitle: Kyiv night\n---\nSirens.\n").unwrap();
    fs::rename(&part, behind.join("kyiv.md")).unwrap();
    let seen =
        wait_for(&rx, plan.poll.unwrap() * 5, "kyiv.md").expect("auto polled the shared mount");
    assert_eq!(seen.kind, ChangeKind::Created);
    assert_eq!(seen.summary.unwrap().title, "Kyiv night");
    drop(auto);
    drop(ws);
}
