//! The git history as the core sees it, on real repositories in temporary folders.

#![allow(clippy::unwrap_used)]

use std::process::Command;

use super::*;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=T", "-c", "user.email=t@x"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn commit(dir: &Path, message: &str) -> CommitId {
    git(dir, &["add", "--all"]);
    git(dir, &["commit", "--quiet", "-m", message]);
    CommitId::parse(&git(dir, &["rev-parse", "HEAD"])).unwrap()
}

fn path(p: &str) -> WorkspacePath {
    WorkspacePath::new(p).unwrap()
}

const V1: &str = "---\ntitle: T\n---\nOne.\n";
const V2: &str = "---\ntitle: T\nreview:\n  - {by: Edith, at: 2026-11-26T10:00:00Z, from: in-review, to: approved}\n---\nOne.\n";
const V3: &str = "---\ntitle: T\nreview:\n  - {by: Edith, at: 2026-11-26T10:00:00Z, from: in-review, to: approved}\n---\nOne, and two.\n";

/// A repository whose drafts folder is `desk/` (inside a larger repository), with
/// `world/minsk.md` in three commits.
fn repo() -> (tempfile::TempDir, PathBuf, [CommitId; 3]) {
    let tmp = tempfile::tempdir().unwrap();
    let top = tmp.path().canonicalize().unwrap();
    git(&top, &["init", "--quiet", "--initial-branch=main"]);
    let folder = top.join("desk");
    std::fs::create_dir_all(folder.join("world")).unwrap();
    std::fs::write(top.join("secret.md"), "not a draft of the folder\n").unwrap();
    let write = |text: &str| std::fs::write(folder.join("world/minsk.md"), text).unwrap();
    write(V1);
    let c1 = commit(&top, "one");
    write(V2);
    let c2 = commit(&top, "two");
    write(V3);
    let c3 = commit(&top, "three");
    (tmp, folder, [c1, c2, c3])
}

#[test]
fn a_draft_s_versions_are_read_at_their_commits_from_inside_a_larger_repository() {
    let (_tmp, folder, [c1, c2, c3]) = repo();
    let h = GitHistory::new(&folder);
    let minsk = path("world/minsk.md");
    assert_eq!(h.text_at(&c1, &minsk).as_deref(), Some(V1));
    assert_eq!(h.text_at(&c2, &minsk).as_deref(), Some(V2));
    assert_eq!(h.text_at(&c3, &minsk).as_deref(), Some(V3));
    // Not in the folder (or not there at that commit): nothing.
    assert_eq!(h.text_at(&c3, &path("secret.md")), None);
    assert_eq!(h.text_at(&c3, &path("world/other.md")), None);
    let unknown = CommitId::parse(&"ab".repeat(20)).unwrap();
    assert_eq!(h.text_at(&unknown, &minsk), None);
}

#[test]
fn the_commit_holding_a_text_is_head_only_when_head_holds_exactly_it() {
    let (_tmp, folder, [_, _, c3]) = repo();
    let h = GitHistory::new(&folder);
    let minsk = path("world/minsk.md");
    assert_eq!(h.commit_holding(&minsk, V3), Some(c3));
    // Uncommitted edits: no commit holds what the person sees.
    assert_eq!(h.commit_holding(&minsk, V2), None);
    assert_eq!(h.commit_holding(&path("world/new.md"), V1), None);
}

#[test]
fn the_first_version_holding_a_text_is_found_in_the_draft_s_history() {
    let (_tmp, folder, [_, c2, _]) = repo();
    let h = GitHistory::new(&folder);
    let minsk = path("world/minsk.md");
    let found = h.first_version(&minsk, "2026-11-26T10:00:00Z", &|t| t.contains("Edith"));
    assert_eq!(found, Some((c2, V2.to_owned())));
    // `wanted` decides among the candidates.
    assert_eq!(
        h.first_version(&minsk, "2026-11-26T10:00:00Z", &|t| t.contains("nobody")),
        None
    );
    assert_eq!(
        h.first_version(&minsk, "2031-01-01T00:00:00Z", &|_| true),
        None
    );
    assert_eq!(h.first_version(&minsk, "", &|_| true), None);
}

#[test]
fn a_link_in_the_history_is_not_read_through() {
    let (_tmp, folder, _) = repo();
    let top = folder.parent().unwrap();
    std::os::unix::fs::symlink("../../secret.md", folder.join("world/link.md")).unwrap();
    let c = commit(top, "link");
    let h = GitHistory::new(&folder);
    assert_eq!(h.text_at(&c, &path("world/link.md")), None);
}

#[test]
fn a_folder_outside_git_has_no_history() {
    let tmp = tempfile::tempdir().unwrap();
    // (assuming no folder above the temporary folder is a git working copy)
    if tmp.path().ancestors().any(|d| d.join(".git").exists()) {
        return;
    }
    let h = GitHistory::new(tmp.path());
    let minsk = path("world/minsk.md");
    assert_eq!(h.commit_holding(&minsk, V1), None);
    assert_eq!(
        h.text_at(&CommitId::parse(&"ab".repeat(20)).unwrap(), &minsk),
        None
    );
    assert_eq!(h.first_version(&minsk, "x", &|_| true), None);
}
