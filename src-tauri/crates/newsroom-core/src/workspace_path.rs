//! A path inside the drafts folder, checked once.
//!
//! Everything that names a file in the folder (a draft, its lock, an image, a conflict
//! copy) goes through [`WorkspacePath`]: relative, `/`-separated, no empty, `.` or `..`
//! component, no NUL or backslash. Holding one means the text cannot leave the folder;
//! the door (`door::Folder`, with the `storage` feature) then makes sure the disk does
//! not lead out of it either (symlinks, special files). Pure, so the renderer built for
//! WebAssembly uses the same "folder of a draft" as the app and the CLI.

use std::fmt;

/// Why a text is not a path inside the drafts folder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{path}` is not a path inside the drafts folder: {reason}")]
pub struct PathError {
    pub path: String,
    pub reason: &'static str,
}

/// A relative, normalised, `/`-separated path inside the drafts folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WorkspacePath(String);

impl WorkspacePath {
    /// Checks `path` as it is: no normalising, so what is checked is what is opened.
    pub fn new(path: &str) -> Result<WorkspacePath, PathError> {
        let bad = |reason| PathError {
            path: path.to_owned(),
            reason,
        };
        if path.is_empty() {
            return Err(bad("it is empty"));
        }
        if path.contains('\0') {
            return Err(bad("it contains a NUL character"));
        }
        if path.contains('\\') {
            return Err(bad("use `/` between folders, not `\\`"));
        }
        if path.starts_with('/') || is_drive_letter(path) {
            return Err(bad("it is an absolute path"));
        }
        for part in path.split('/') {
            match part {
                "" => return Err(bad("it has an empty folder name (`//` or a trailing `/`)")),
                "." | ".." => return Err(bad("`.` and `..` are not allowed")),
                _ => {}
            }
        }
        Ok(WorkspacePath(path.to_owned()))
    }

    /// Like [`WorkspacePath::new`], after taking out `.` and `..` the way a link would
    /// (`./world/../world/minsk.md` is `world/minsk.md`); `..` past the top is refused.
    pub fn normalised(path: &str) -> Result<WorkspacePath, PathError> {
        let bad = |reason| PathError {
            path: path.to_owned(),
            reason,
        };
        if path.contains('\\') {
            return Err(bad("use `/` between folders, not `\\`"));
        }
        if path.starts_with('/') || is_drive_letter(path) {
            return Err(bad("it is an absolute path"));
        }
        let mut parts: Vec<&str> = Vec::new();
        for part in path.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    if parts.pop().is_none() {
                        return Err(bad("it goes above the drafts folder"));
                    }
                }
                p => parts.push(p),
            }
        }
        WorkspacePath::new(&parts.join("/")).map_err(|e| PathError {
            path: path.to_owned(),
            reason: e.reason,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The folder the file is in, `/`-separated, `""` at the top: where a draft's
    /// relative image paths start from.
    pub fn folder(&self) -> &str {
        folder_of(&self.0)
    }

    /// The folder as a path, `None` at the top.
    pub fn parent(&self) -> Option<WorkspacePath> {
        let dir = folder_of(&self.0);
        (!dir.is_empty()).then(|| WorkspacePath(dir.to_owned()))
    }

    /// The last component: `minsk.md` for `world/minsk.md`.
    pub fn file_name(&self) -> &str {
        file_name_of(&self.0)
    }

    /// The components, top first.
    pub fn components(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }

    /// A file named `name` in the same folder (`world/.minsk.md.lock` beside
    /// `world/minsk.md`). `name` must be one component.
    pub fn sibling(&self, name: &str) -> Result<WorkspacePath, PathError> {
        if name.contains('/') {
            return Err(PathError {
                path: name.to_owned(),
                reason: "a file name cannot contain `/`",
            });
        }
        match self.parent() {
            Some(dir) => dir.join(name),
            None => WorkspacePath::new(name),
        }
    }

    /// `rel` (itself checked) inside this path.
    pub fn join(&self, rel: &str) -> Result<WorkspacePath, PathError> {
        let child = WorkspacePath::new(rel)?;
        Ok(WorkspacePath(format!("{}/{}", self.0, child.0)))
    }

    /// Does a component start with `.` (`.git`, a lock file, our temp files)?
    pub fn is_hidden(&self) -> bool {
        is_hidden_path(&self.0)
    }

    /// The path under `root` on disk, for messages and for callers outside the door.
    pub fn under(&self, root: &std::path::Path) -> std::path::PathBuf {
        self.components()
            .fold(root.to_path_buf(), |p, part| p.join(part))
    }
}

/// `C:` or `c:/…`: absolute on Windows, and never a draft name anywhere.
fn is_drive_letter(path: &str) -> bool {
    let b = path.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

impl fmt::Display for WorkspacePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for WorkspacePath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

// The folder, the name and hiddenness of a path held as text (an index row, a watcher
// event, the page's argument to the WebAssembly renderer) are computed here and only
// here, for `WorkspacePath` and text alike: `tests/layers.rs` fails on a hand-made
// `rsplit('/')` anywhere else.

/// The folder and the file name of `rel`: (`world`, `minsk.md`) for `world/minsk.md`,
/// (`""`, `minsk.md`) at the top.
fn split_folder(rel: &str) -> (&str, &str) {
    rel.rsplit_once('/').unwrap_or(("", rel))
}

/// The folder of the draft at `rel` (`world` for `world/minsk.md`, `""` at the top) for
/// callers that hold the path as text.
pub fn folder_of(rel: &str) -> &str {
    split_folder(rel).0
}

/// The file name of the draft at `rel` (`minsk.md` for `world/minsk.md`) for callers that
/// hold the path as text.
pub fn file_name_of(rel: &str) -> &str {
    split_folder(rel).1
}

/// Does a component of `rel` start with `.` (`.git/…`, a lock file, our temp files)?
pub fn is_hidden_path(rel: &str) -> bool {
    rel.split('/').any(|part| part.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_paths_pass_as_they_are() {
        for p in ["a.md", "world/minsk.md", "world/.minsk.md.lock", "a b/ü.md"] {
            assert_eq!(WorkspacePath::new(p).unwrap().as_str(), p);
        }
    }

    #[test]
    fn bad_paths_are_refused_with_a_reason() {
        for (p, why) in [
            ("", "empty"),
            ("/etc/passwd", "absolute"),
            ("C:/x.md", "absolute"),
            ("c:x.md", "absolute"),
            ("../x.md", "`..`"),
            ("a/../../x.md", "`..`"),
            ("a/./x.md", "`..`"),
            ("a//x.md", "empty folder"),
            ("a/", "empty folder"),
            ("a\\x.md", "`/`"),
            ("a\0.md", "NUL"),
        ] {
            let err = WorkspacePath::new(p).unwrap_err();
            assert!(err.to_string().contains(why), "{p}: {err}");
        }
    }

    #[test]
    fn normalised_takes_out_dots_but_not_the_way_out() {
        assert_eq!(
            WorkspacePath::normalised("./world/../world//minsk.md")
                .unwrap()
                .as_str(),
            "world/minsk.md"
        );
        for bad in ["../x.md", "world/../../x.md", "/etc/x", "a\\b", ".", "a/.."] {
            assert!(WorkspacePath::normalised(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn folder_name_sibling_and_join() {
        let p = WorkspacePath::new("world/europe/minsk.md").unwrap();
        assert_eq!(p.folder(), "world/europe");
        assert_eq!(p.file_name(), "minsk.md");
        assert_eq!(p.parent().unwrap().as_str(), "world/europe");
        assert_eq!(
            p.sibling(".minsk.md.lock").unwrap().as_str(),
            "world/europe/.minsk.md.lock"
        );
        assert!(p.sibling("../x").is_err());
        let top = WorkspacePath::new("top.md").unwrap();
        assert_eq!((top.folder(), top.parent()), ("", None));
        assert_eq!(top.sibling("images").unwrap().as_str(), "images");
        assert_eq!(
            p.parent().unwrap().join("images/a.png").unwrap().as_str(),
            "world/europe/images/a.png"
        );
        assert!(p.join("../x").is_err());
        assert!(p.sibling(".x").unwrap().is_hidden());
        assert!(!p.is_hidden());
        assert_eq!(folder_of("world/minsk.md"), "world");
        assert_eq!(folder_of("minsk.md"), "");
        assert_eq!(file_name_of("world/europe/minsk.md"), "minsk.md");
        assert_eq!(file_name_of("minsk.md"), "minsk.md");
        assert!(is_hidden_path("world/.git/x.md") && is_hidden_path(".a.md"));
        assert!(!is_hidden_path("world/a.b.md"));
    }
}
