//! The Sync control's bodies (docs/sync.md, "In the app"): where a drafts folder that is a
//! git working copy stands with its remote ([`sync_status`], read without the network) and
//! one sync ([`run_sync`], `newsroom_sync::sync` with the Settings' name and email, as
//! `newsroom sync` does). The app runs them off the main thread, one sync at a time; the
//! schedule (after saves settle, every few minutes) is the app's.
//!
//! A sync that cannot reach the remote is not a failure: the work is committed here and
//! goes out at the next sync (`SyncOutcome::Offline`). Every other error is carried in the
//! answer with its code and what to do, never thrown: the status bar shows it and the next
//! sync tries again.

use std::path::{Path, PathBuf};

use newsroom_sync::{Author, SyncError, SyncOptions, SyncReport};
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorBody};
use crate::settings::Settings;

/// Where the last sync's result is kept: in the repository's git directory, which is this
/// computer's and never committed (a record in the folder would travel to colleagues).
pub const LAST_SYNC_FILE: &str = "newsroom-last-sync.json";

/// How a sync ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum SyncOutcome {
    /// Committed, fetched, merged and pushed (conflicts included: each kept as a copy).
    Synced,
    /// The remote could not be reached; the work is committed here and goes out next time.
    Offline,
    /// Anything else (authentication, no upstream…): `error` says what to do.
    Failed,
}

/// A draft changed here and on the remote in the same place: ours stays in `draft`, theirs
/// is `copy` beside it (paths relative to the drafts folder).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct SyncConflict {
    pub draft: String,
    pub copy: String,
}

/// What the last sync did, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct LastSync {
    /// When it finished, in milliseconds since 1970.
    pub at_ms: i64,
    pub outcome: SyncOutcome,
    /// Files committed here by it.
    pub committed: usize,
    /// Files changed here by what came from the remote.
    pub received: usize,
    pub pushed: bool,
    pub conflicts: Vec<SyncConflict>,
    /// Why the remote could not be reached (git's words), when `offline`.
    pub offline: Option<String>,
    /// What went wrong, when `failed`.
    pub error: Option<ErrorBody>,
}

/// The folder's sync, as the status bar shows it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct SyncStatus {
    /// The folder is a git working copy: the Sync control is shown.
    pub repository: bool,
    /// The app syncs it on its own: Settings → Sync is on and the folder is the top of its
    /// working copy (one inside a larger repository syncs only when asked).
    pub automatic: bool,
    /// Minutes between automatic syncs.
    pub interval_minutes: u32,
    pub branch: Option<String>,
    pub remote: Option<String>,
    /// Commits here not yet on the remote, and there not yet here, as last fetched.
    pub ahead: usize,
    pub behind: usize,
    /// A sync is running now.
    pub running: bool,
    pub last: Option<LastSync>,
    /// Why the folder cannot sync as it is (no upstream, not on a branch, git missing),
    /// with what to do.
    pub problem: Option<ErrorBody>,
}

/// Where the folder `root` stands, without the network; `running` is the caller's.
pub fn sync_status(root: &Path, settings: &Settings, running: bool) -> SyncStatus {
    let mut status = SyncStatus {
        repository: false,
        automatic: false,
        interval_minutes: settings.sync_interval_minutes,
        branch: None,
        remote: None,
        ahead: 0,
        behind: 0,
        running,
        last: None,
        problem: None,
    };
    match newsroom_sync::standing(root) {
        Ok(s) => {
            status.repository = true;
            status.automatic = settings.sync_auto && s.top;
            status.last = read_last(&s.git_dir);
            status.branch = Some(s.branch);
            status.remote = Some(s.remote);
            status.ahead = s.ahead;
            status.behind = s.behind;
        }
        Err(SyncError::NotARepository { .. }) => {}
        Err(e) => {
            // a working copy that cannot sync as it is: the control shows what to do
            status.repository = matches!(
                e,
                SyncError::NoUpstream { .. }
                    | SyncError::Detached { .. }
                    | SyncError::OperationInProgress { .. }
                    | SyncError::Git { .. }
            );
            status.problem = Some(ApiError::from(e).body());
        }
    }
    status
}

/// Who commits: the Settings' name and email (else `$NEWSROOM_USER` and `$NEWSROOM_EMAIL`,
/// as the CLI reads them); no name anywhere, git's own `user.name` and `user.email`.
pub fn author(settings: &Settings) -> Option<Author> {
    let env = |k: &str| {
        std::env::var(k)
            .ok()
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let given = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    let name = given(&settings.user_name).or_else(|| env("NEWSROOM_USER"))?;
    Some(Author {
        name,
        email: given(&settings.user_email).or_else(|| env("NEWSROOM_EMAIL")),
    })
}

/// One sync of `root`; the result is also kept for [`sync_status`] (`LAST_SYNC_FILE`).
/// `merge_driver`: the program that answers `merge-driver %O %A %B %P` (the app itself,
/// see [`merge_driver_from_args`]).
pub fn run_sync(root: &Path, settings: &Settings, merge_driver: Option<PathBuf>) -> LastSync {
    let opts = SyncOptions {
        author: author(settings),
        merge_driver,
        // UTC, as the app names its conflict copies
        now: time::OffsetDateTime::now_utc(),
    };
    let mut result = newsroom_sync::sync(root, &opts);
    if result.as_ref().is_err_and(raced_by_a_save) {
        // the app saved between the sync's commit and its merge (it never waits for a
        // sync): once more, which commits that save first
        result = newsroom_sync::sync(root, &opts);
    }
    keep_last_sync(root, result)
}

/// Keeps a sync's result as the record [`sync_status`] reads (`LAST_SYNC_FILE`): the
/// app's Sync and `newsroom sync` both, so "synced 2 min ago" is true whichever ran.
pub fn keep_last_sync(root: &Path, result: Result<SyncReport, SyncError>) -> LastSync {
    let at_ms = (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;
    let last = match result {
        Ok(r) => LastSync {
            at_ms,
            outcome: if r.offline.is_some() {
                SyncOutcome::Offline
            } else {
                SyncOutcome::Synced
            },
            committed: r.committed,
            received: r.received,
            pushed: r.pushed,
            conflicts: r
                .conflicts
                .into_iter()
                .map(|c| SyncConflict {
                    draft: c.draft,
                    copy: c.copy,
                })
                .collect(),
            offline: r.offline,
            error: None,
        },
        Err(e) => LastSync {
            at_ms,
            outcome: if matches!(e, SyncError::Unreachable { .. }) {
                SyncOutcome::Offline
            } else {
                SyncOutcome::Failed
            },
            committed: 0,
            received: 0,
            pushed: false,
            conflicts: Vec::new(),
            offline: match &e {
                SyncError::Unreachable { detail, .. } => Some(detail.clone()),
                _ => None,
            },
            error: Some(ApiError::from(e).body()),
        },
    };
    if let Ok(s) = newsroom_sync::standing(root) {
        let path = s.git_dir.join(LAST_SYNC_FILE);
        let json = serde_json::to_vec_pretty(&last).unwrap_or_default();
        if let Err(e) = newsroom_core::files::write_atomic(&path, &json) {
            eprintln!("newsroom: could not keep the sync's result: {e}");
        }
    }
    last
}

/// Git refused the merge because a file changed after the sync committed the folder: an
/// autosave landing mid-sync, which the app allows rather than hold up typing.
fn raced_by_a_save(e: &SyncError) -> bool {
    matches!(e, SyncError::Git { stderr, .. } if stderr.contains("would be overwritten by merge"))
}

/// The last sync's record; none when there is none or it cannot be read (an older or
/// damaged record is not worth an error: the next sync writes it again). Only a regular
/// file of at most [`LAST_SYNC_MAX_BYTES`] is read: the git directory of a checkout on a
/// shared drive is writable by others, and a link to a device or a huge file there must not
/// hang or fill the app.
fn read_last(git_dir: &Path) -> Option<LastSync> {
    use std::io::Read;
    let path = git_dir.join(LAST_SYNC_FILE);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > LAST_SYNC_MAX_BYTES {
        return None;
    }
    let mut text = Vec::new();
    std::fs::File::open(&path)
        .ok()?
        .take(LAST_SYNC_MAX_BYTES + 1)
        .read_to_end(&mut text)
        .ok()?;
    serde_json::from_slice(&text).ok()
}

/// Far above what a record holds (its conflict list names a few drafts).
const LAST_SYNC_MAX_BYTES: u64 = 1 << 20;

/// The app is its own merge driver, as the `newsroom` CLI is: a sync's `git merge` runs
/// `<app> merge-driver %O %A %B %P` for each draft changed on both sides. `Some(exit
/// status)` when `args` (the process's, program name first) ask for it; the app then exits
/// with it before making any window.
pub fn merge_driver_from_args(args: &[std::ffi::OsString]) -> Option<i32> {
    if args.get(1).map(|a| a.as_os_str()) != Some("merge-driver".as_ref()) {
        return None;
    }
    let [base, ours, theirs] = [args.get(2)?, args.get(3)?, args.get(4)?].map(Path::new);
    let name = args
        .get(5)
        .map_or_else(|| "the draft".into(), |p| p.to_string_lossy());
    Some(match newsroom_sync::driver::run(base, ours, theirs) {
        Ok(newsroom_sync::driver::DriverOutcome::Merged) => 0,
        Ok(newsroom_sync::driver::DriverOutcome::Conflict { why }) => {
            eprintln!("newsroom: {name}: {why}");
            1
        }
        Err(e) => {
            eprintln!("newsroom: {name}: {e}");
            1
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merge_refused_over_a_file_saved_mid_sync_is_a_race_and_nothing_else_is() {
        let raced = newsroom_sync::git::classify(
            "merge",
            "error: Your local changes to the following files would be overwritten by merge:\n\tworld/minsk.md\nPlease commit your changes or stash them before you merge.\nAborting\n",
            "origin",
        );
        assert!(raced_by_a_save(&raced), "{raced:?}");
        let auth = newsroom_sync::git::classify(
            "fetch",
            "fatal: Authentication failed for 'https://git.example.org/desk.git/'\n",
            "origin",
        );
        assert!(!raced_by_a_save(&auth));
        let other = newsroom_sync::git::classify(
            "merge",
            "fatal: refusing to merge unrelated histories\n",
            "origin",
        );
        assert!(!raced_by_a_save(&other));
    }

    #[test]
    fn a_last_sync_record_that_links_to_a_device_is_not_read() {
        let git_dir = tempfile::tempdir().unwrap();
        let path = git_dir.path().join(LAST_SYNC_FILE);
        // a link to an endless device: reading it whole would never end
        std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
        assert!(read_last(git_dir.path()).is_none());
    }
}
