//! The marker of a sync in progress (`.git/newsroom-sync`: our process id, and while a
//! merge runs, which merge: [`Journal`]), and what the next sync does when it finds one
//! whose process died.
//!
//! A sync killed at any point (`kill -9`, a power cut) leaves what its git processes
//! left: lock files (`index.lock`, `ORIG_HEAD.lock`, a ref's), perhaps a merge half done
//! and files git was rewriting. The local work was committed before the merge started,
//! so once no git process of that sync runs any more, its locks go and its merge is
//! undone file by file ([`crate::recover`]), keeping what the reporter saved since.
//! Another tool's operation (no marker of ours) is the user's to finish: refused, with
//! what to do.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::error::{Result, SyncError};
use crate::git::{Git, SYNC_PID_ENV};
use crate::recover::{self, Journal};

const MARKER: &str = "newsroom-sync";

/// Held while a sync runs; removes the marker when the sync ends (not when the process
/// is killed: the next sync sees it and recovers).
pub(crate) struct Marker(PathBuf);

impl Marker {
    /// Writes down the merge about to run, so that a sync killed inside it is undone
    /// ([`crate::recover`]). Atomic: a kill leaves the old marker or the new one.
    pub(crate) fn merging(&self, journal: &Journal) -> Result<()> {
        let text = format!("{}\n{}\n", std::process::id(), journal.line());
        let tmp = self.0.with_extension("tmp");
        std::fs::write(&tmp, text).map_err(|e| SyncError::io(&tmp, e))?;
        std::fs::rename(&tmp, &self.0).map_err(|e| SyncError::io(&self.0, e))
    }
}

impl Drop for Marker {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Claims the repository for this sync, after cleaning up after one that was killed.
pub(crate) fn claim(
    git: &Git,
    git_dir: &Path,
    folder: &Path,
    now: time::OffsetDateTime,
) -> Result<Marker> {
    let marker = git_dir.join(MARKER);
    if let Ok(text) = std::fs::read_to_string(&marker) {
        let mut lines = text.lines();
        let pid: u32 = lines.next().unwrap_or("").trim().parse().unwrap_or(0);
        if pid != std::process::id() && process_alive(pid, &marker) {
            return Err(SyncError::OperationInProgress {
                dir: folder.to_path_buf(),
                what: format!("another sync is running (process {pid})"),
            });
        }
        // Killed, the sync's git processes may live on (only the app was killed): their
        // locks are theirs until they end.
        if let Some(child) = git_of_sync_alive(pid).filter(|_| pid != std::process::id()) {
            return Err(SyncError::OperationInProgress {
                dir: folder.to_path_buf(),
                what: format!(
                    "git (process {child}) of a sync that stopped is still running; sync again when it has ended"
                ),
            });
        }
        let since = marker.metadata().and_then(|m| m.modified()).ok();
        for lock in stale_locks(git_dir, since) {
            std::fs::remove_file(&lock).map_err(|e| SyncError::io(&lock, e))?;
        }
        let journal = lines.next().and_then(Journal::parse);
        recover::after_dead_sync(git, git_dir, journal, now)?;
    }
    refuse_foreign_operation(git_dir, folder)?;
    std::fs::write(&marker, format!("{}\n", std::process::id()))
        .map_err(|e| SyncError::io(&marker, e))?;
    Ok(Marker(marker))
}

/// Another tool's operation in progress is the user's to finish.
fn refuse_foreign_operation(git_dir: &Path, folder: &Path) -> Result<()> {
    for (name, what) in [
        ("index.lock", "a git program holds the index (index.lock)"),
        ("MERGE_HEAD", "a merge"),
        ("rebase-merge", "a rebase"),
        ("rebase-apply", "a rebase or am"),
        ("CHERRY_PICK_HEAD", "a cherry-pick"),
        ("REVERT_HEAD", "a revert"),
    ] {
        if git_dir.join(name).exists() {
            return Err(SyncError::OperationInProgress {
                dir: folder.to_path_buf(),
                what: what.to_owned(),
            });
        }
    }
    Ok(())
}

/// Git's lock files (`*.lock`) in the git directory and under `refs/` made since our
/// dead sync began (its marker's time): those its git processes held when they were killed.
fn stale_locks(git_dir: &Path, since: Option<SystemTime>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![git_dir.to_path_buf(), git_dir.join("refs")];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let Ok(meta) = e.metadata() else { continue };
            if meta.is_dir() {
                if dir != git_dir {
                    dirs.push(p);
                }
                continue;
            }
            let recent = match (since, meta.modified()) {
                (Some(since), Ok(m)) => m >= since,
                _ => true,
            };
            if recent && p.extension().is_some_and(|x| x == "lock") {
                out.push(p);
            }
        }
    }
    out
}

/// Whether the process that wrote the marker still runs. On Linux, `/proc` says; elsewhere
/// a marker older than ten minutes is taken as left by a process that died.
fn process_alive(pid: u32, marker: &Path) -> bool {
    if pid == 0 {
        return false;
    }
    if Path::new("/proc/self").exists() {
        return Path::new(&format!("/proc/{pid}")).exists();
    }
    marker
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age < Duration::from_secs(600))
}

/// A git process (or merge driver) started by the sync of process `pid`, still running:
/// every one carries [`SYNC_PID_ENV`]. Seen through `/proc` (Linux); elsewhere none is
/// known, and the locks are taken as stale as before.
fn git_of_sync_alive(pid: u32) -> Option<u32> {
    if pid == 0 {
        return None;
    }
    let wanted = format!("{SYNC_PID_ENV}={pid}");
    let entries = std::fs::read_dir("/proc").ok()?;
    entries.flatten().find_map(|e| {
        let child: u32 = e.file_name().to_str()?.parse().ok()?;
        let environ = std::fs::read(e.path().join("environ")).ok()?;
        environ
            .split(|b| *b == 0)
            .any(|v| v == wanted.as_bytes())
            .then_some(child)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_locks_made_since_the_dead_sync_began_are_stale() {
        let tmp = tempfile::tempdir().unwrap();
        let git_dir = tmp.path();
        std::fs::create_dir_all(git_dir.join("refs/heads")).unwrap();
        std::fs::write(git_dir.join("old.lock"), "").unwrap();
        std::thread::sleep(Duration::from_millis(20));
        let since = SystemTime::now();
        std::thread::sleep(Duration::from_millis(20));
        for name in [
            "index.lock",
            "ORIG_HEAD.lock",
            "refs/heads/main.lock",
            "HEAD",
        ] {
            std::fs::write(git_dir.join(name), "").unwrap();
        }
        let mut found: Vec<String> = stale_locks(git_dir, Some(since))
            .iter()
            .map(|p| {
                p.strip_prefix(git_dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        found.sort();
        assert_eq!(
            found,
            ["ORIG_HEAD.lock", "index.lock", "refs/heads/main.lock"]
        );
    }

    #[test]
    fn a_marker_of_a_running_process_is_alive_and_of_none_is_not() {
        let tmp = tempfile::tempdir().unwrap();
        let marker = tmp.path().join(MARKER);
        std::fs::write(&marker, "1").unwrap();
        assert!(process_alive(std::process::id(), &marker));
        assert!(!process_alive(0, &marker));
    }
}
