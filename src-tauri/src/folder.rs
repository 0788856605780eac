//! Which drafts folder to open when the UI asks without naming one.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Where the choice came from, for the log line at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderSource {
    Argument,
    Environment,
    LastUsed,
    Default,
}

/// What a path given on the command line asks to open: a folder, or a draft and the folder
/// it is opened in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Absolute; not checked here (opening it does that).
    pub folder: PathBuf,
    /// The draft's path relative to `folder`, `/`-separated, when a file was given. The page
    /// opens it through `read_draft`, whose checks (inside the folder, a Markdown draft, no
    /// symlink out) apply as to any other path.
    pub draft: Option<String>,
}

/// The first argument that is not a flag, as a [`Target`]; `None` without one.
///
/// A file is opened in `open_root` (the folder open now) when it lies inside it, else in its
/// own folder. Used for the process's own arguments and for those a second launch forwards
/// (see `lib.rs`), so both read the command line the same way.
pub fn argument_target(args: &[OsString], cwd: &Path, open_root: Option<&Path>) -> Option<Target> {
    let arg = args
        .iter()
        .find(|a| !a.is_empty() && !a.to_string_lossy().starts_with('-'))?;
    let path = cwd.join(arg); // an absolute `arg` replaces `cwd`
    if !path.is_file() {
        return Some(Target {
            // canonical when it exists, as the open folder's root is: the page compares them
            folder: path.canonicalize().unwrap_or(path),
            draft: None,
        });
    }
    let file = path.canonicalize().unwrap_or(path);
    let inside = open_root
        .and_then(|root| root.canonicalize().ok())
        .and_then(|root| Some((file.strip_prefix(&root).ok()?.to_path_buf(), root)));
    let (relative, folder) = match inside {
        Some(found) => found,
        None => {
            let parent = file.parent().unwrap_or(Path::new("/")).to_path_buf();
            let name = PathBuf::from(file.file_name().unwrap_or_default());
            (name, parent)
        }
    };
    let draft = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    Some(Target {
        folder,
        draft: Some(draft),
    })
}

/// The first command-line argument, else `NEWSROOM_DRAFTS`, else the last folder used,
/// else `drafts/` under the current directory. Relative paths are taken from `cwd`.
///
/// Arguments starting with `-` are flags (WebDriver and desktop launchers add some), not
/// folders. A draft given as the argument opens its own folder.
pub fn initial_folder(
    args: &[OsString],
    env_drafts: Option<OsString>,
    last_folder: Option<&str>,
    cwd: &Path,
) -> (PathBuf, FolderSource) {
    let (chosen, source) = if let Some(target) = argument_target(args, cwd, None) {
        (target.folder, FolderSource::Argument)
    } else if let Some(env) = env_drafts.filter(|e| !e.is_empty()) {
        (PathBuf::from(env), FolderSource::Environment)
    } else if let Some(last) = last_folder.filter(|l| !l.is_empty() && Path::new(l).is_dir()) {
        (PathBuf::from(last), FolderSource::LastUsed)
    } else {
        (PathBuf::from("drafts"), FolderSource::Default)
    };
    let absolute = if chosen.is_absolute() {
        chosen
    } else {
        cwd.join(chosen)
    };
    (absolute, source)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(s: &str) -> OsString {
        OsString::from(s)
    }

    #[test]
    fn argument_wins_then_environment_then_last_then_default() {
        let dir = tempfile::tempdir().unwrap();
        let last = dir.path().to_str().unwrap();
        let cwd = Path::new("/home/desk");

        let (p, s) = initial_folder(&[os("stories")], Some(os("/env")), Some(last), cwd);
        assert_eq!(
            (p, s),
            (PathBuf::from("/home/desk/stories"), FolderSource::Argument)
        );

        let (p, s) = initial_folder(&[], Some(os("/env")), Some(last), cwd);
        assert_eq!((p, s), (PathBuf::from("/env"), FolderSource::Environment));

        let (p, s) = initial_folder(&[], None, Some(last), cwd);
        assert_eq!((p, s), (dir.path().to_path_buf(), FolderSource::LastUsed));

        let (p, s) = initial_folder(&[], Some(os("")), None, cwd);
        assert_eq!(
            (p, s),
            (PathBuf::from("/home/desk/drafts"), FolderSource::Default)
        );
    }

    #[test]
    fn flags_are_not_folders_and_a_vanished_last_folder_is_skipped() {
        let cwd = Path::new("/w");
        let (p, s) = initial_folder(
            &[os("--automation")],
            None,
            Some("/no/such/folder/anywhere"),
            cwd,
        );
        assert_eq!((p, s), (PathBuf::from("/w/drafts"), FolderSource::Default));
    }

    #[test]
    fn a_draft_opens_in_the_open_folder_when_inside_it_else_in_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir(root.join("world")).unwrap();
        std::fs::write(root.join("world/minsk.md"), "# Minsk\n").unwrap();

        // relative to the second launch's own directory, inside the open folder
        let t = argument_target(&[os("-x"), os("world/minsk.md")], &root, Some(&root)).unwrap();
        assert_eq!(t.folder, root);
        assert_eq!(t.draft.as_deref(), Some("world/minsk.md"));

        // no folder open (or another one): the file's own folder
        let elsewhere = tempfile::tempdir().unwrap();
        let t = argument_target(
            &[root.join("world/minsk.md").into_os_string()],
            Path::new("/"),
            Some(elsewhere.path()),
        )
        .unwrap();
        assert_eq!(t.folder, root.join("world"));
        assert_eq!(t.draft.as_deref(), Some("minsk.md"));
        let (p, s) = initial_folder(
            &[root.join("world/minsk.md").into_os_string()],
            None,
            None,
            Path::new("/"),
        );
        assert_eq!((p, s), (root.join("world"), FolderSource::Argument));

        // a folder stays a folder; no argument, no target
        let t = argument_target(&[os("world")], &root, Some(&root)).unwrap();
        assert_eq!((t.folder, t.draft), (root.join("world"), None));
        assert_eq!(argument_target(&[os("--flag")], &root, None), None);
    }
}
