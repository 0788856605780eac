//! The core's one error type.
//!
//! Every error that concerns a draft names the file and, where there is one, the line,
//! because the person reading it is a reporter on deadline, not a developer. The UI
//! branches on [`CoreError::code`] only where it must (a conflict, a missing file).

use std::path::{Path, PathBuf};

/// Where in a draft a problem is: the file, and the 1-based line when known.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    pub file: PathBuf,
    pub line: Option<usize>,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.file.display()),
            None => write!(f, "{}", self.file.display()),
        }
    }
}

/// A problem in the text of a draft, before we know which file it came from.
///
/// `Draft::parse` works on a string and knows nothing of files; the caller attaches the
/// path with [`DraftError::in_file`].
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("{message}")]
pub struct DraftError {
    /// 1-based line in the whole file (front matter included), when there is one.
    pub line: Option<usize>,
    pub message: String,
}

impl DraftError {
    pub fn at(line: usize, message: impl Into<String>) -> Self {
        Self {
            line: Some(line),
            message: message.into(),
        }
    }

    pub fn whole_file(message: impl Into<String>) -> Self {
        Self {
            line: None,
            message: message.into(),
        }
    }

    pub fn in_file(self, file: &Path) -> CoreError {
        CoreError::InvalidDraft {
            location: Location {
                file: file.to_path_buf(),
                line: self.line,
            },
            message: self.message,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The draft's text cannot be understood: `FILE:LINE: message`.
    #[error("{location}: {message}")]
    InvalidDraft { location: Location, message: String },

    /// A save found the file changed on disk since it was read. Ours was kept beside it.
    #[error(
        "{}: changed on disk by someone else since it was opened; your version was kept as {}",
        file.display(),
        kept_as.display()
    )]
    Conflict { file: PathBuf, kept_as: PathBuf },

    #[error("{}: no such draft", .0.display())]
    NotFound(PathBuf),

    /// A new file's name is taken: creating never replaces anything (an export asks
    /// before it does).
    #[error("{}: already exists", .0.display())]
    Exists(PathBuf),

    /// A path that would leave the drafts folder (`../`, an absolute path elsewhere).
    #[error("{}: outside the drafts folder {}", path.display(), root.display())]
    OutsideWorkspace { path: PathBuf, root: PathBuf },

    /// A name in the drafts folder that is not opened or written: a symbolic link, a
    /// FIFO, a socket, a device, a folder where a file was expected, or a file over the
    /// size cap for its kind. The reason says which.
    #[error("{}: {reason}", path.display())]
    Refused { path: PathBuf, reason: String },

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    #[cfg(feature = "storage")]
    #[error("index database {}: {source}", path.display())]
    Index {
        path: PathBuf,
        source: rusqlite::Error,
    },

    #[error(
        "index database {} was written by a newer Newsroom (schema {found}, this one knows {known}); update the app",
        path.display()
    )]
    IndexTooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    #[cfg(feature = "storage")]
    #[error("file watcher: {0}")]
    Watch(#[from] notify::Error),

    #[error("{0}")]
    InvalidArgument(String),

    #[error("no revision {id} of {}", file.display())]
    NoSuchRevision { file: PathBuf, id: i64 },
}

impl CoreError {
    /// A stable, machine-readable code for the UI and `--json` output.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::InvalidDraft { .. } => "invalid_draft",
            CoreError::Conflict { .. } => "conflict",
            CoreError::NotFound(_) => "not_found",
            CoreError::Exists(_) => "exists",
            CoreError::OutsideWorkspace { .. } => "outside_workspace",
            CoreError::Refused { .. } => "refused",
            CoreError::Io { .. } => "io",
            #[cfg(feature = "storage")]
            CoreError::Index { .. } => "index",
            CoreError::IndexTooNew { .. } => "index_too_new",
            #[cfg(feature = "storage")]
            CoreError::Watch(_) => "watch",
            CoreError::InvalidArgument(_) => "invalid_argument",
            CoreError::NoSuchRevision { .. } => "no_such_revision",
        }
    }

    #[cfg(feature = "storage")]
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        if source.kind() == std::io::ErrorKind::NotFound {
            return CoreError::NotFound(path.to_path_buf());
        }
        CoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;
