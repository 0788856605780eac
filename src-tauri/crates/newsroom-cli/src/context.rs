//! Which drafts folder a command works on, and how files named on the command line map
//! into it.

use std::path::{Path, PathBuf};

use newsroom_core::{CoreError, Result, Workspace};

pub struct Context {
    dir: PathBuf,
}

impl Context {
    /// `--dir`, else `NEWSROOM_DRAFTS`, else `drafts/` in the working directory.
    pub fn new(dir: Option<PathBuf>) -> Context {
        let dir = dir
            .or_else(|| {
                std::env::var_os("NEWSROOM_DRAFTS")
                    .filter(|d| !d.is_empty())
                    .map(PathBuf::from)
            })
            .unwrap_or_else(|| PathBuf::from("drafts"));
        Context { dir }
    }

    pub fn open(&self) -> Result<Workspace> {
        if !self.dir.is_dir() {
            return Err(CoreError::InvalidArgument(format!(
                "drafts folder {} not found; pass --dir DIR or set NEWSROOM_DRAFTS",
                self.dir.display()
            )));
        }
        Ok(Workspace::open(&self.dir)?.0)
    }

    /// The folder a file belongs to: the drafts folder when the file is inside it,
    /// otherwise the file's own folder (for `render` and `check` of any Markdown file).
    pub fn root_for(&self, file: &Path) -> PathBuf {
        let abs = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
        if let Ok(root) = self.dir.canonicalize() {
            if abs.starts_with(&root) {
                return root;
            }
        }
        abs.parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    }

    /// Opens the drafts folder and names `file` inside it, refusing files elsewhere
    /// (they have no index, no history and no colleagues).
    pub fn open_for(&self, file: &Path) -> Result<(Workspace, String)> {
        let ws = self.open()?;
        let abs = std::path::absolute(file).map_err(|e| CoreError::Io {
            path: file.to_path_buf(),
            source: e,
        })?;
        let rel = ws.relative(abs.to_str().unwrap_or_default()).map_err(|_| {
            CoreError::InvalidArgument(format!(
                "{} is not inside the drafts folder {}; pass --dir DIR",
                file.display(),
                ws.root().display()
            ))
        })?;
        Ok((ws, rel))
    }
}
