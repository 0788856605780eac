//! Where earlier versions of a draft can come from besides this computer's revision
//! store: the history of a drafts folder that is a git working copy.
//!
//! The revision store keeps what *this* computer saw; a folder synced through git
//! (`docs/sync.md`) also carries every version anyone committed. "What changed since your
//! last review" (`review::queue`) needs the version a reviewer saw, which on a fresh clone
//! only the history has. The core stays free of git: whoever opens the workspace (the
//! CLI, the app) gives it an [`EarlierVersions`] (`newsroom-sync` implements it with the
//! system's git) through [`crate::Workspace::set_earlier_versions`].
//!
//! What may be read is decided here, never by a draft: the path asked for is always the
//! draft's own [`WorkspacePath`] (from the index, not from its front matter), and a
//! commit is a [`CommitId`], which only a full hexadecimal object name can become (no
//! `HEAD`, no `main:secret.md`, no `--option`).

use crate::workspace_path::WorkspacePath;

/// A commit as git names it in full: 40 (SHA-1) or 64 (SHA-256) lowercase hexadecimal
/// digits. Anything else (an abbreviation, a branch, `HEAD~1`, a path) is not one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CommitId(String);

impl CommitId {
    /// The id, when `text` is a full object name (surrounding blanks aside).
    pub fn parse(text: &str) -> Option<CommitId> {
        let t = text.trim();
        let hex = t
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        (hex && (t.len() == 40 || t.len() == 64)).then(|| CommitId(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 12 digits, for people.
    pub fn short(&self) -> &str {
        &self.0[..12]
    }
}

impl std::fmt::Display for CommitId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A history of the drafts folder kept outside this computer's store (git's).
///
/// Every method answers `None` rather than failing: a commit not fetched yet, a draft
/// not in the history, git missing. The callers use these versions for "what changed
/// since", where nothing found means no diff is shown, never a failed queue.
pub trait EarlierVersions: Send + Sync {
    /// The commit whose version of the draft at `path` is exactly `text` (what someone
    /// sees when they move it through review), when the folder's current commit holds
    /// that text. `None` when it does not: edits not committed yet, a new draft.
    fn commit_holding(&self, path: &WorkspacePath, text: &str) -> Option<CommitId>;

    /// The draft's text at `commit` (`None`: an unknown commit, no such file there, not
    /// UTF-8 text, larger than a draft may be, not a regular file).
    fn text_at(&self, commit: &CommitId, path: &WorkspacePath) -> Option<String>;

    /// The oldest version of the draft in the history that contains `needle` (a plain
    /// string the history can be searched for) and that `wanted` accepts.
    fn first_version(
        &self,
        path: &WorkspacePath,
        needle: &str,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Option<(CommitId, String)>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_full_object_name_is_a_commit() {
        let sha1 = "0123456789abcdef0123456789abcdef01234567";
        let sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        assert_eq!(CommitId::parse(sha1).unwrap().as_str(), sha1);
        assert_eq!(
            CommitId::parse(&format!(" {sha256}\n")).unwrap().as_str(),
            sha256
        );
        for bad in [
            "",
            "HEAD",
            "main",
            "0123456",
            "0123456789ABCDEF0123456789ABCDEF01234567",
            "0123456789abcdef0123456789abcdef0123456g",
            "0123456789abcdef0123456789abcdef01234567:secret.md",
            "0123456789abcdef0123456789abcdef01234567^",
            "--output=/tmp/x",
            "../../etc/passwd",
            "0123456789abcdef0123456789abcdef012345670",
        ] {
            assert!(CommitId::parse(bad).is_none(), "{bad}");
        }
    }
}
