//! Newsroom's core: everything the app and the `newsroom` CLI do, without a window.
//!
//! The files in the drafts folder are the truth. This crate reads and writes them
//! (atomically, never over a colleague's change), renders them safely, and keeps a SQLite
//! index, revision store and change feed that can always be rebuilt from the files.

pub mod conflict;
pub mod diff;
pub mod draft;
pub mod error;
pub mod export;
pub mod front_matter;
pub mod front_matter_edit;
pub mod render;
pub mod review;
pub mod slug;
pub mod text;
pub mod yaml;

pub use conflict::Keep;
pub use diff::DiffLine;
pub use draft::Draft;
pub use error::{CoreError, DraftError, Result};
pub use front_matter::{FrontMatter, Status};
pub mod files;
pub mod image_import;
pub mod images;
pub mod index;
pub mod scan;
pub mod watch;
pub mod workspace;

pub use workspace::{OpenedDraft, SaveOutcome, Workspace};
