//! What a synced drafts folder keeps in place: a `.gitignore` for the app's hidden files,
//! the merge attributes, and `newsroom sync clone`.

use std::path::Path;

use crate::error::{Result, SyncError};
use crate::git::Git;

/// The lines the folder's `.gitignore` must hold. Presence lock files
/// (`.story.md.lock`, see `review/lock.rs`) say who is editing on this shared drive right
/// now: shared through git they would be stale everywhere else. The app's atomic-save
/// temp files are never a draft. The index and the app's data live outside the folder.
pub const IGNORED: &[&str] = &[".*.lock", ".newsroom-tmp-*"];

const IGNORE_HEADER: &str =
    "# Kept by Newsroom: the app's hidden files stay out of git (presence locks, temp files).";

/// Lines of `.git/info/attributes` (never committed) that send drafts to our merge driver.
pub const ATTRIBUTES: &[&str] = &["*.md merge=newsroom", "*.markdown merge=newsroom"];

/// Adds what is missing of [`IGNORED`] to `dir/.gitignore`; true when it changed.
pub fn ensure_gitignore(dir: &Path) -> Result<bool> {
    let path = dir.join(".gitignore");
    let current = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(SyncError::io(&path, e)),
    };
    let missing: Vec<&str> = IGNORED
        .iter()
        .copied()
        .filter(|l| !current.lines().any(|c| c.trim() == *l))
        .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    let mut text = current;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.contains(IGNORE_HEADER) {
        text.push_str(IGNORE_HEADER);
        text.push('\n');
    }
    for l in missing {
        text.push_str(l);
        text.push('\n');
    }
    newsroom_core::files::write_atomic(&path, text.as_bytes())?;
    Ok(true)
}

/// Adds what is missing of [`ATTRIBUTES`] to the repository's `info/attributes`.
pub fn ensure_attributes(git: &Git) -> Result<()> {
    let rel = git.run(&["rev-parse", "--git-path", "info/attributes"])?;
    let path = git.dir().join(rel.trim());
    let current = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(SyncError::io(&path, e)),
    };
    let missing: Vec<&str> = ATTRIBUTES
        .iter()
        .copied()
        .filter(|l| !current.lines().any(|c| c.trim() == *l))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| SyncError::io(parent, e))?;
    }
    let mut text = current;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for l in missing {
        text.push_str(l);
        text.push('\n');
    }
    std::fs::write(&path, text).map_err(|e| SyncError::io(&path, e))
}

/// `git clone URL DIR`, then the attributes; the `.gitignore` comes with the first sync.
pub fn clone(url: &str, dir: &Path) -> Result<()> {
    // `git clone` makes the folder and any missing parent; the path is taken as given,
    // relative to where the command runs.
    let target = dir.to_string_lossy().into_owned();
    Git::new(".").run_remote(url, &["clone", "--quiet", "--", url, &target])?;
    ensure_attributes(&Git::new(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gitignore_gains_only_what_it_lacks_and_keeps_the_rest() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join(".gitignore"), "*.bak\n.*.lock").unwrap();
        assert!(ensure_gitignore(tmp.path()).unwrap());
        let text = std::fs::read_to_string(tmp.path().join(".gitignore")).unwrap();
        assert!(text.starts_with("*.bak\n.*.lock\n"), "{text}");
        assert_eq!(text.matches(".*.lock").count(), 1);
        assert!(text.contains(".newsroom-tmp-*"));
        assert!(!ensure_gitignore(tmp.path()).unwrap());
    }
}
