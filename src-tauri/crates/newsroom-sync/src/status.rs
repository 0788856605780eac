//! Where a synced folder stands, read from git without touching the network: for a status
//! bar that is asked often (the app's), where a sync (which fetches) would be too slow and
//! would commit.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::sync::{Repo, SyncOptions};

/// A drafts folder that is a git working copy with a branch and a remote to sync with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// The drafts folder (canonical).
    pub folder: PathBuf,
    /// The folder is the top of its working copy, not a folder inside a larger repository
    /// (a website's content folder, a source tree), where the app does not sync on its own.
    pub top: bool,
    /// The repository's git directory (`.git`): this computer's own, never committed.
    pub git_dir: PathBuf,
    pub branch: String,
    pub remote: String,
    /// Commits here not yet on the remote, and there not yet here, as last fetched.
    pub ahead: usize,
    pub behind: usize,
}

/// Where `dir` stands; the errors are those a sync would give before it fetches
/// (`NotARepository`, `NoUpstream`, `Detached`, `GitMissing`).
pub fn standing(dir: &Path) -> Result<Standing> {
    let opts = SyncOptions {
        author: None,
        merge_driver: None,
        now: time::OffsetDateTime::now_utc(),
    };
    let repo = Repo::open(dir, &opts)?;
    let (ahead, behind) = repo.ahead_behind()?;
    Ok(Standing {
        top: repo.scope == ".",
        folder: repo.folder.clone(),
        git_dir: repo.git_dir.clone(),
        branch: repo.branch.clone(),
        remote: repo.remote.clone(),
        ahead,
        behind,
    })
}
