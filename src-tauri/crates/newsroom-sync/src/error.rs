//! What can go wrong in a sync, classified so that callers can act: the CLI exits 75
//! when the remote cannot be reached (the work stays committed locally), the app shows
//! "offline" rather than an error.

use std::path::PathBuf;

use newsroom_core::CoreError;

/// One error enum for the crate; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(
        "git was not found ({0}): install git; the sync uses the system's git and its credentials"
    )]
    GitMissing(std::io::Error),

    #[error(
        "{}: not a git working copy; clone one with `newsroom sync clone URL DIR`, or run `git init` there and add a remote",
        dir.display()
    )]
    NotARepository { dir: PathBuf },

    #[error(
        "the remote {remote} cannot be reached ({detail}); check the network and the remote's address, then try again"
    )]
    Unreachable { remote: String, detail: String },

    #[error(
        "the remote {remote} refused the credentials ({detail}); set up git's credential helper or ssh-agent so that `git fetch` works in this folder, then sync again"
    )]
    Authentication { remote: String, detail: String },

    #[error(
        "branch {branch} has no upstream to sync with: add the remote (`git remote add origin URL`), or with several remotes choose one (`git push -u origin {branch}`), in {}",
        dir.display()
    )]
    NoUpstream { branch: String, dir: PathBuf },

    #[error(
        "{}: not on a branch (detached HEAD); run `git switch BRANCH` there, then sync again",
        dir.display()
    )]
    Detached { dir: PathBuf },

    #[error(
        "{}: another git operation is in progress ({what}); finish or abort it (for example `git merge --abort`, or remove .git/index.lock if no git program is running), then sync again",
        dir.display()
    )]
    OperationInProgress { dir: PathBuf, what: String },

    #[error("git {command} failed: {stderr}")]
    Git { command: String, stderr: String },

    #[error(transparent)]
    Core(#[from] CoreError),

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl SyncError {
    /// A stable name for scripts (`--json`) and the page: `unreachable`,
    /// `authentication`, `no-upstream`, …
    pub fn code(&self) -> &'static str {
        match self {
            SyncError::GitMissing(_) => "git-missing",
            SyncError::NotARepository { .. } => "not-a-repository",
            SyncError::Unreachable { .. } => "unreachable",
            SyncError::Authentication { .. } => "authentication",
            SyncError::NoUpstream { .. } => "no-upstream",
            SyncError::Detached { .. } => "detached",
            SyncError::OperationInProgress { .. } => "operation-in-progress",
            SyncError::Git { .. } => "git",
            SyncError::Core(_) => "core",
            SyncError::Io { .. } => "io",
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> SyncError {
        SyncError::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = SyncError> = std::result::Result<T, E>;
