//! Settling a conflict between the editor's text ("mine") and the file on disk ("theirs").
//!
//! Whichever version is not kept in the file is written beside it as a conflict copy,
//! so nothing anyone typed is lost.

use serde::Deserialize;

use crate::error::{CoreError, Result};
use crate::files;
use crate::workspace::{SaveOutcome, Workspace};

/// Recognising a conflict copy by its name is pure and used by the review workflow and
/// the publisher, below and beside the workspace: it lives with the names, in `files`.
pub use crate::files::is_conflict_copy;

/// Which version stays under the draft's name.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Keep {
    Mine,
    Theirs,
}

impl Workspace {
    /// Settles a conflict on `path`: keeps `mine` (the editor's text) or the file on disk,
    /// and writes the other one beside it as a conflict copy when they differ.
    ///
    /// Keeping mine is guarded by their hash: if the file changed yet again, the outcome
    /// is a new [`SaveOutcome::Conflict`]. A file deleted on disk counts as "theirs":
    /// keeping mine recreates it, taking theirs is [`CoreError::NotFound`].
    pub fn resolve_conflict(&mut self, path: &str, keep: Keep, mine: &str) -> Result<SaveOutcome> {
        let theirs = match self.read(path) {
            Ok(t) => Some(t),
            Err(CoreError::NotFound(_)) => None,
            Err(e) => return Err(e),
        };
        match (keep, theirs) {
            (Keep::Mine, None) => self.save(path, mine, None),
            (Keep::Mine, Some(theirs)) => {
                if theirs.text != mine {
                    self.keep_conflict_copy(path, &theirs.text)?;
                }
                self.save(path, mine, Some(&theirs.hash))
            }
            (Keep::Theirs, None) => Err(CoreError::NotFound(self.resolve(path)?)),
            (Keep::Theirs, Some(theirs)) => {
                if theirs.text != mine {
                    self.keep_conflict_copy(path, mine)?;
                }
                Ok(SaveOutcome::Unchanged {
                    path: theirs.path,
                    hash: theirs.hash,
                })
            }
        }
    }

    /// Writes the losing version as a conflict copy of `path` and returns the copy's path.
    fn keep_conflict_copy(&mut self, path: &str, text: &str) -> Result<String> {
        let draft = self.draft_path(path)?;
        let copy = files::conflict_copy_name(&draft, time::OffsetDateTime::now_utc(), |c| {
            self.folder().taken(c)
        })?;
        match self.save(copy.as_str(), text, None)? {
            SaveOutcome::Saved { path, .. } | SaveOutcome::Unchanged { path, .. } => Ok(path),
            SaveOutcome::Conflict { kept_as, .. } => Ok(kept_as),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflict_copies_are_recognised_by_the_names_we_give_them() {
        let now = time::macros::datetime!(2026-11-26 09:30:00 UTC);
        let draft = crate::workspace_path::WorkspacePath::new("world/minsk.md").unwrap();
        for taken in [false, true] {
            // the first free name, and the `-2` one when that is taken
            let calls = std::cell::Cell::new(0);
            let made = files::conflict_copy_name(&draft, now, |_| {
                calls.set(calls.get() + 1);
                Ok(taken && calls.get() == 1)
            })
            .unwrap();
            assert!(is_conflict_copy(made.as_str()), "{}", made.as_str());
        }
        for name in [
            "minsk.conflict-20261126-093000.md",
            "world/minsk.conflict-20261126-093000-2.md",
            "world/minsk.conflict-20261126-093000-17.markdown",
        ] {
            assert!(is_conflict_copy(name), "{name}");
        }
        for name in [
            "minsk.md",
            "conflict-resolution-talks.md",
            "world/minsk.conflict-2026-11-26.md",
            "minsk.conflict-20261126-0930.md",
            "minsk.conflict-20261126-093000-.md",
            "minsk.conflict-20261126-093000-2-3.md",
            "minsk.conflict-20261126-093000",
        ] {
            assert!(!is_conflict_copy(name), "{name}");
        }
    }

    fn workspace(dir: &tempfile::TempDir) -> Workspace {
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("a.md"), "theirs\n").unwrap();
        Workspace::open_with_index(&root, &dir.path().join("idx.sqlite3"))
            .unwrap()
            .0
    }

    /// The text of every file in the drafts folder (the draft and its conflict copies), sorted.
    fn folder_texts(ws: &Workspace) -> Vec<String> {
        let mut texts: Vec<String> = std::fs::read_dir(ws.root())
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        texts.sort();
        texts
    }

    #[test]
    fn keep_is_lowercase_in_json() {
        assert_eq!(
            serde_json::from_str::<Keep>("\"mine\"").unwrap(),
            Keep::Mine
        );
        assert_eq!(
            serde_json::from_str::<Keep>("\"theirs\"").unwrap(),
            Keep::Theirs
        );
        assert!(serde_json::from_str::<Keep>("\"Mine\"").is_err());
    }

    #[test]
    fn keeping_mine_writes_it_and_keeps_theirs_as_a_copy() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = workspace(&dir);
        let out = ws.resolve_conflict("a.md", Keep::Mine, "mine\n").unwrap();
        assert!(matches!(out, SaveOutcome::Saved { ref path, .. } if path == "a.md"));
        assert_eq!(
            std::fs::read_to_string(ws.root().join("a.md")).unwrap(),
            "mine\n"
        );
        assert_eq!(folder_texts(&ws), ["mine\n", "theirs\n"]);
    }

    #[test]
    fn taking_theirs_leaves_the_file_and_keeps_mine_as_a_copy() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = workspace(&dir);
        let out = ws.resolve_conflict("a.md", Keep::Theirs, "mine\n").unwrap();
        assert!(matches!(out, SaveOutcome::Unchanged { ref path, .. } if path == "a.md"));
        assert_eq!(
            std::fs::read_to_string(ws.root().join("a.md")).unwrap(),
            "theirs\n"
        );
        assert_eq!(folder_texts(&ws), ["mine\n", "theirs\n"]);
    }

    #[test]
    fn a_deleted_file_is_recreated_by_mine_and_missing_for_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = workspace(&dir);
        std::fs::remove_file(ws.root().join("a.md")).unwrap();
        assert!(matches!(
            ws.resolve_conflict("a.md", Keep::Theirs, "mine\n"),
            Err(CoreError::NotFound(_))
        ));
        ws.resolve_conflict("a.md", Keep::Mine, "mine\n").unwrap();
        assert_eq!(folder_texts(&ws), ["mine\n"]);
    }

    #[test]
    fn identical_versions_leave_no_copy() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = workspace(&dir);
        ws.resolve_conflict("a.md", Keep::Mine, "theirs\n").unwrap();
        ws.resolve_conflict("a.md", Keep::Theirs, "theirs\n")
            .unwrap();
        assert_eq!(folder_texts(&ws), ["theirs\n"]);
    }
}
