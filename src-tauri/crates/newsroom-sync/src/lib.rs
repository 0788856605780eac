//! The drafts folder synced through a git remote (GitLab, Gitea, GitHub, a bare
//! repository over ssh): commit local changes, fetch, merge, push.
//!
//! The engine is the system's `git` ([`git::Git`]), so credentials (helpers, ssh-agent),
//! proxies and hooks work as the newsroom's IT set them up; this crate never stores a
//! credential. Drafts are merged the way a desk would ([`merge`]): the body line-wise
//! against the common base, the front matter key by key, and a true conflict becomes a
//! conflict copy beside the draft, never conflict markers inside it. Git runs that merge
//! as a merge driver ([`driver`]) of the program that started the sync.
//!
//! Headless like the core: no Tauri, no window; the CLI's `newsroom sync` and the app's
//! Sync control (through `newsroom-api`) drive it.

pub mod driver;
pub mod error;
pub mod git;
pub mod history;
mod marker;
pub mod merge;
mod recover;
mod settle;
pub mod setup;
pub mod status;
pub mod sync;

pub use error::SyncError;
pub use history::GitHistory;
pub use status::{Standing, standing};
pub use sync::{Author, ConflictCopy, SyncOptions, SyncReport, sync};
