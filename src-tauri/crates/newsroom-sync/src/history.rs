//! The drafts folder's git history as a source of earlier versions for the core
//! ([`newsroom_core::earlier::EarlierVersions`]): review moves record the commit the
//! reviewer saw, and "changes since your last review" reads that version back on a
//! computer that never stored it (a fresh clone).
//!
//! What git is asked is fixed here: a commit only as a full object name
//! ([`CommitId`]), a path only as the draft's own place in the repository (the folder's
//! prefix and the draft's [`WorkspacePath`]), with literal pathspecs; a version is read
//! only when it is a regular file (not a link, not a submodule) no larger than a draft
//! may be. Git is found lazily, at the first question, so opening a workspace costs no
//! process.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use newsroom_core::WorkspacePath;
use newsroom_core::earlier::{CommitId, EarlierVersions};
use newsroom_core::files::MAX_DRAFT_BYTES;

use crate::git::Git;

/// How many commits touching the searched text are read before the search gives up.
const MAX_CANDIDATES: usize = 32;

/// The git history of a drafts folder; see the module's note.
#[derive(Debug)]
pub struct GitHistory {
    folder: PathBuf,
    /// The repository's top and the folder's place in it (`drafts/`, or empty), once
    /// asked; `None` when the folder is not in a git working copy.
    place: OnceLock<Option<(Git, String)>>,
}

impl GitHistory {
    /// The history of the drafts folder `folder` (nothing is run yet).
    pub fn new(folder: impl Into<PathBuf>) -> GitHistory {
        GitHistory {
            folder: folder.into(),
            place: OnceLock::new(),
        }
    }

    fn place(&self) -> Option<&(Git, String)> {
        self.place.get_or_init(|| locate(&self.folder)).as_ref()
    }

    /// The draft's path in the repository.
    fn repo_path(&self, path: &WorkspacePath) -> Option<(&Git, String)> {
        let (git, prefix) = self.place()?;
        Some((git, format!("{prefix}{}", path.as_str())))
    }

    /// The blob of `repo_path` at `commit` when it is a regular file of a draft's size.
    fn blob(git: &Git, commit: &str, repo_path: &str) -> Option<String> {
        let listing = git
            .try_run(&[
                "--literal-pathspecs",
                "ls-tree",
                "-l",
                "-z",
                commit,
                "--",
                repo_path,
            ])
            .ok()??;
        // `100644 blob <id> <size>\t<path>`
        let (meta, name) = listing.trim_end_matches('\0').split_once('\t')?;
        if name != repo_path {
            return None;
        }
        let mut fields = meta.split_whitespace();
        let (mode, kind, id, size) = (
            fields.next()?,
            fields.next()?,
            fields.next()?,
            fields.next()?,
        );
        let size: u64 = size.parse().ok()?;
        let regular = mode == "100644" || mode == "100755";
        // The blob's id has a commit's shape: a full hexadecimal object name.
        (regular && kind == "blob" && size <= MAX_DRAFT_BYTES)
            .then(|| CommitId::parse(id))
            .flatten()
            .map(|id| id.as_str().to_owned())
    }

    fn text_of_blob(git: &Git, blob: &str) -> Option<String> {
        let out = git.output(&["cat-file", "blob", blob]).ok()?;
        if !out.status.success() {
            return None;
        }
        String::from_utf8(out.stdout).ok()
    }

    fn read(&self, commit: &CommitId, path: &WorkspacePath) -> Option<String> {
        let (git, repo_path) = self.repo_path(path)?;
        let blob = Self::blob(git, commit.as_str(), &repo_path)?;
        Self::text_of_blob(git, &blob)
    }
}

/// The top of the working copy holding `folder`, and the folder's prefix in it.
fn locate(folder: &Path) -> Option<(Git, String)> {
    let probe = Git::new(folder);
    let out = probe
        .try_run(&["rev-parse", "--show-toplevel", "--show-prefix"])
        .ok()??;
    let mut lines = out.lines();
    let top = lines.next()?.to_owned();
    let prefix = lines.next().unwrap_or("").to_owned();
    if top.is_empty() {
        return None;
    }
    Some((Git::new(top), prefix))
}

impl EarlierVersions for GitHistory {
    fn commit_holding(&self, path: &WorkspacePath, text: &str) -> Option<CommitId> {
        let (git, _) = self.place()?;
        let head = git
            .try_run(&["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])
            .ok()??;
        let head = CommitId::parse(&head)?;
        (self.read(&head, path)? == text).then_some(head)
    }

    fn text_at(&self, commit: &CommitId, path: &WorkspacePath) -> Option<String> {
        self.read(commit, path)
    }

    fn first_version(
        &self,
        path: &WorkspacePath,
        needle: &str,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Option<(CommitId, String)> {
        if needle.is_empty() || needle.contains(['\n', '\r', '\0']) {
            return None;
        }
        let (git, repo_path) = self.repo_path(path)?;
        // The commits that changed how often `needle` occurs in the draft, oldest first
        // (git's pickaxe, on this one path): the first that added it holds the entry.
        let log = git
            .try_run(&[
                "--literal-pathspecs",
                "log",
                "--format=%H",
                "--reverse",
                "--no-textconv",
                &format!("-S{needle}"),
                "HEAD",
                "--",
                &repo_path,
            ])
            .ok()??;
        log.lines()
            .filter_map(CommitId::parse)
            .take(MAX_CANDIDATES)
            .find_map(|commit| {
                let text = self.read(&commit, path)?;
                wanted(&text).then_some((commit, text))
            })
    }
}

#[cfg(test)]
mod tests;
