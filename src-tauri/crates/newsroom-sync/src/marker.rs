//! The marker of a sync in progress (`.git/newsroom-sync`, holding our process id), and
//! what the next sync does when it finds one whose process died.
//!
//! A sync killed at any point (`kill -9`, a power cut) leaves what its git processes
//! left: lock files (`index.lock`, `ORIG_HEAD.lock`, a ref's) and perhaps a merge half
//! done. The local work was committed before the merge started, so removing those locks
//! and aborting that merge loses nothing. Another tool's operation (no marker of ours) is
//! the user's to finish: refused, with what to do.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::error::{Result, SyncError};
use crate::git::Git;

const MARKER: &str = "newsroom-sync";

/// Held while a sync runs; removes the marker when the sync ends (not when the process
/// is killed: the next sync sees it and recovers).
pub(crate) struct Marker(PathBuf);

impl Drop for Marker {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Claims the repository for this sync, after cleaning up after one that was killed.
pub(crate) fn claim(git: &Git, git_dir: &Path, folder: &Path) -> Result<Marker> {
    let marker = git_dir.join(MARKER);
    if let Ok(text) = std::fs::read_to_string(&marker) {
        let pid: u32 = text.trim().parse().unwrap_or(0);
        if pid != std::process::id() && process_alive(pid, &marker) {
            return Err(SyncError::OperationInProgress {
                dir: folder.to_path_buf(),
                what: format!("another sync is running (process {pid})"),
            });
        }
        let since = marker.metadata().and_then(|m| m.modified()).ok();
        for lock in stale_locks(git_dir, since) {
            std::fs::remove_file(&lock).map_err(|e| SyncError::io(&lock, e))?;
        }
        if git_dir.join("MERGE_HEAD").exists() {
            git.run(&["merge", "--abort"])?;
        }
    }
    refuse_foreign_operation(git_dir, folder)?;
    std::fs::write(&marker, std::process::id().to_string())
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
