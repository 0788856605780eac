//! Which drafts folder a command works on, and how files named on the command line map
//! into it.
//!
//! The folder is `--dir`, else `$NEWSROOM_DRAFTS`, else `./drafts`. A file named on the
//! command line that is not inside that folder (or when there is none) brings its own
//! workspace, as git finds its repository: the nearest enclosing folder that already has
//! an index or is a git working copy, else the file's own folder. Only an explicit
//! `--dir` holds a file to that folder (a file outside it is then an error, the user
//! having said which folder they meant).

use std::path::{Path, PathBuf};

use newsroom_core::{CoreError, Result, Workspace, workspace};

pub struct Context {
    dir: PathBuf,
    /// `--dir` was given: files must be inside it.
    explicit: bool,
}

impl Context {
    /// `--dir`, else `NEWSROOM_DRAFTS`, else `drafts/` in the working directory.
    pub fn new(dir: Option<PathBuf>) -> Context {
        let explicit = dir.is_some();
        let dir = dir
            .or_else(|| {
                std::env::var_os("NEWSROOM_DRAFTS")
                    .filter(|d| !d.is_empty())
                    .map(PathBuf::from)
            })
            .unwrap_or_else(|| PathBuf::from("drafts"));
        Context { dir, explicit }
    }

    /// The drafts folder as given (`--dir`, `$NEWSROOM_DRAFTS` or `./drafts`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn open(&self) -> Result<Workspace> {
        if !self.dir.is_dir() {
            return Err(CoreError::InvalidArgument(format!(
                "drafts folder {} not found; pass --dir DIR or set NEWSROOM_DRAFTS",
                self.dir.display()
            )));
        }
        Ok(with_history(Workspace::open(&self.dir)?.0))
    }

    /// The configured folder, canonical, when it exists and holds `abs`.
    fn configured_root_of(&self, abs: &Path) -> Option<PathBuf> {
        let root = self.dir.canonicalize().ok()?;
        abs.starts_with(&root).then_some(root)
    }

    /// The folder a file belongs to: the drafts folder when the file is inside it,
    /// otherwise the workspace the file brings (see the module's note).
    pub fn root_for(&self, file: &Path) -> PathBuf {
        let abs = file
            .canonicalize()
            .or_else(|_| std::path::absolute(file))
            .unwrap_or_else(|_| file.to_path_buf());
        if let Some(root) = self.configured_root_of(&abs) {
            return root;
        }
        enclosing_workspace(&abs)
    }

    /// Opens the workspace `file` belongs to (see [`Context::root_for`]) and names the
    /// file inside it.
    pub fn open_for(&self, file: &Path) -> Result<(Workspace, String)> {
        let abs = std::path::absolute(file).map_err(|e| CoreError::Io {
            path: file.to_path_buf(),
            source: e,
        })?;
        // The folder canonical, the file name as written: a draft that is a link stays a
        // link, which the workspace then refuses.
        let canonical = match (abs.parent(), abs.file_name()) {
            (Some(dir), Some(name)) => dir
                .canonicalize()
                .map(|d| d.join(name))
                .unwrap_or(abs.clone()),
            _ => abs.clone(),
        };
        let ws = match self.configured_root_of(&canonical) {
            Some(root) => Workspace::open(&root)?.0,
            None if self.explicit => {
                return Err(CoreError::InvalidArgument(format!(
                    "{} is not inside the drafts folder {} given with --dir",
                    file.display(),
                    self.dir.display()
                )));
            }
            None => {
                if !canonical.is_file() {
                    return Err(CoreError::NotFound(canonical));
                }
                Workspace::open(&enclosing_workspace(&canonical))?.0
            }
        };
        let rel = ws.relative(canonical.to_str().unwrap_or_default())?;
        Ok((with_history(ws), rel))
    }
}

/// The workspace with its folder's git history as a source of earlier versions (review
/// moves record the commit seen; "changes since your last review" reads it). Git runs
/// only when asked, and a folder outside git simply has none.
fn with_history(mut ws: Workspace) -> Workspace {
    let history = newsroom_sync::GitHistory::new(ws.root());
    ws.set_earlier_versions(std::sync::Arc::new(history));
    ws
}

/// The workspace a file outside the drafts folder brings: the nearest enclosing folder
/// that already has an index (the app or the CLI opened it before) or is a git working
/// copy (a Hugo or Jekyll site, a desk's repository), else the file's own folder.
pub fn enclosing_workspace(file: &Path) -> PathBuf {
    let own = file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    own.ancestors()
        .find(|dir| is_workspace(dir))
        .map(Path::to_path_buf)
        .unwrap_or(own)
}

fn is_workspace(dir: &Path) -> bool {
    // `.git` is a folder in a clone, a file in a linked worktree or a submodule.
    dir.join(".git").exists() || workspace::index_path_for(dir).is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_brings_the_nearest_git_working_copy_else_its_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().canonicalize().unwrap().join("site");
        std::fs::create_dir_all(site.join(".git")).unwrap();
        std::fs::create_dir_all(site.join("content/posts")).unwrap();
        let post = site.join("content/posts/x.md");
        assert_eq!(enclosing_workspace(&post), site);

        let loose = tmp.path().canonicalize().unwrap().join("loose");
        std::fs::create_dir_all(&loose).unwrap();
        // (assuming no folder above the temporary folder is a git working copy)
        if !tmp.path().ancestors().any(is_workspace) {
            assert_eq!(enclosing_workspace(&loose.join("story.md")), loose);
        }
    }
}
