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

/// The first command-line argument, else `NEWSROOM_DRAFTS`, else the last folder used,
/// else `drafts/` under the current directory. Relative paths are taken from `cwd`.
///
/// Arguments starting with `-` are flags (WebDriver and desktop launchers add some), not
/// folders.
pub fn initial_folder(
    args: &[OsString],
    env_drafts: Option<OsString>,
    last_folder: Option<&str>,
    cwd: &Path,
) -> (PathBuf, FolderSource) {
    let arg = args
        .iter()
        .find(|a| !a.is_empty() && !a.to_string_lossy().starts_with('-'));
    let (chosen, source) = if let Some(arg) = arg {
        (PathBuf::from(arg), FolderSource::Argument)
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
}
