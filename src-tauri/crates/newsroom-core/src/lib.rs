//! Newsroom's core: everything the app and the `newsroom` CLI do, without a window.
//!
//! The files in the drafts folder are the truth. This crate reads and writes them
//! (atomically, never over a colleague's change), renders them safely, and keeps a SQLite
//! index, revision store and change feed that can always be rebuilt from the files.

pub mod critic;
pub mod draft;
pub mod error;
pub mod front_matter;
pub mod front_matter_change;
pub mod front_matter_edit;
pub mod front_matter_json;
pub mod front_matter_toml;
pub mod markdown;
pub mod render;
pub mod review;
pub mod slug;
pub mod text;
pub mod workspace_path;
pub mod yaml;

pub use draft::Draft;
pub use error::{CoreError, DraftError, Result};
pub use front_matter::{FrontMatter, Status};
pub use render::Preview;
pub use workspace_path::WorkspacePath;

// The drafts folder on disk, the index and the watcher: everything but the pure part,
// which also builds for WebAssembly (see the `storage` feature in Cargo.toml).
#[cfg(feature = "storage")]
pub mod conflict;
#[cfg(feature = "storage")]
pub mod diff;
#[cfg(feature = "storage")]
pub mod door;
#[cfg(feature = "storage")]
pub mod earlier;
#[cfg(feature = "storage")]
pub mod export;
#[cfg(feature = "storage")]
pub mod files;
#[cfg(feature = "storage")]
pub mod image_import;
#[cfg(feature = "storage")]
pub mod images;
#[cfg(feature = "storage")]
pub mod index;
#[cfg(feature = "storage")]
pub mod scan;
#[cfg(feature = "storage")]
pub mod settings;
#[cfg(feature = "storage")]
pub mod user_dirs;
#[cfg(feature = "storage")]
pub mod watch;
#[cfg(feature = "storage")]
pub mod workspace;

#[cfg(feature = "storage")]
pub use conflict::Keep;
#[cfg(feature = "storage")]
pub use diff::{DiffLine, DiffWords};
#[cfg(feature = "storage")]
pub use workspace::{OpenedDraft, SaveOutcome, Workspace};
