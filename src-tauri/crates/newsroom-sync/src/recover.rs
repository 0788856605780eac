//! Putting the working copy back after a sync that died inside its merge.
//!
//! Git rewrites a file in the working tree by removing it and writing a new one
//! (`unlink`, `open(O_CREAT|O_EXCL)`, `write`), one file after another, while it holds
//! `index.lock` and before it writes `MERGE_HEAD` or moves the branch. A sync killed in
//! that window leaves drafts that are the merge's result, ours still, empty, cut short or
//! missing — and an index that still says ours. Taken as the reporter's changes, a missing
//! or cut-short draft would be committed at the next sync and its words gone from the
//! draft (the CI failure "Ana: lost \"Ana 0 on 26.\"" was this).
//!
//! So the sync writes, before each merge, which merge it is ([`Journal`], in the marker),
//! and the next sync, finding the branch still where that merge started, sorts every file
//! the merge could have written by what its bytes are:
//!
//! - ours, missing, empty, the merge's result or a beginning of it (git's own writing,
//!   finished or cut short), or written before git recorded `MERGE_HEAD`: put back to
//!   ours (committed, so nothing is lost; the merge is done again);
//! - anything else is the reporter's, saved after the sync died: kept as it is, and
//!   committed by the sync that follows;
//! - a file both sides changed whose merge cannot be told (not text, or text git would
//!   have merged with conflict markers): ours goes back in the file, the bytes found
//!   there become a conflict copy beside it. Either way no word is lost.
//!
//! The index goes back to ours and the merge's state files go last, each step written
//! so that a sync killed during this recovery finds the same journal and does it again.

use std::collections::HashMap;
use std::path::Path;

use newsroom_core::WorkspacePath;
use newsroom_core::door::{EntryKind, FileKind, Folder};

use crate::error::Result;
use crate::git::{Git, classify, merge_lines};
use crate::merge::{Merged, merge_draft};

/// The merge a sync was about to run, kept in its marker until the sync ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Journal {
    /// The branch's commit when the merge began (`None`: no commit yet).
    pub ours: Option<String>,
    /// The commit merged in.
    pub theirs: String,
    /// Whether drafts merged through our driver (otherwise git's text merge).
    pub driver: bool,
}

impl Journal {
    /// `merge OURS THEIRS DRIVER` (`-` for no commit yet; driver `1` or `0`).
    pub(crate) fn line(&self) -> String {
        format!(
            "merge {} {} {}",
            self.ours.as_deref().unwrap_or("-"),
            self.theirs,
            u8::from(self.driver)
        )
    }

    pub(crate) fn parse(line: &str) -> Option<Journal> {
        let mut words = line.split_whitespace();
        if words.next()? != "merge" {
            return None;
        }
        let ours = match words.next()? {
            "-" => None,
            o => Some(o.to_owned()),
        };
        let theirs = words.next()?.to_owned();
        let driver = words.next() == Some("1");
        Some(Journal {
            ours,
            theirs,
            driver,
        })
    }
}

/// Cleans up after a dead sync (its locks already removed): an unfinished merge is undone
/// without losing a byte the reporter saved since; a finished one's leftover state goes.
pub(crate) fn after_dead_sync(
    git: &Git,
    git_dir: &Path,
    journal: Option<Journal>,
    now: time::OffsetDateTime,
) -> Result<()> {
    let merge_head = std::fs::read_to_string(git_dir.join("MERGE_HEAD"))
        .ok()
        .and_then(|t| t.lines().next().map(str::to_owned));
    let head = rev(git, "HEAD")?;
    let unfinished = match (journal, &merge_head) {
        (Some(j), _) if j.ours == head => Some(j),
        // Left by a sync from before the journal: the merge it was in.
        (None, Some(theirs)) => Some(Journal {
            ours: head,
            theirs: theirs.clone(),
            driver: true,
        }),
        _ => None,
    };
    if let Some(journal) = unfinished {
        put_back(git, git_dir, &journal, now)?;
    }
    if merge_head.is_some() {
        // The merge is undone (or was committed before the sync died): forget it.
        git.run(&["merge", "--quit"])?;
    }
    Ok(())
}

/// What the merge could have written at a path.
enum Expected {
    /// These bytes (or a beginning of them): the merge's result, as git wrote it.
    Bytes(Vec<Vec<u8>>),
    /// Both sides changed it and the result cannot be told.
    Unknown,
}

fn put_back(git: &Git, git_dir: &Path, j: &Journal, now: time::OffsetDateTime) -> Result<()> {
    let folder = Folder::open(git.dir())?;
    let ours = tree(git, j.ours.as_deref())?;
    let theirs = tree(git, Some(&j.theirs))?;
    let base = match &j.ours {
        Some(o) => match git.try_run(&["merge-base", o, &j.theirs])? {
            Some(b) => tree(git, Some(b.trim()))?,
            None => HashMap::new(),
        },
        None => HashMap::new(),
    };
    // What git recorded of the merge's result: the index (once written) and, when the
    // merge stopped on conflicts, `AUTO_MERGE` (the result with git's conflict markers).
    let mut merged = vec![index_entries(git)?];
    if let Some(auto) = git.try_run(&["rev-parse", "--verify", "--quiet", "AUTO_MERGE^{tree}"])? {
        merged.push(tree(git, Some(auto.trim()))?);
    }
    let merge_head_ns = std::fs::symlink_metadata(git_dir.join("MERGE_HEAD"))
        .ok()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i64);

    let mut paths: Vec<&String> = ours
        .keys()
        .chain(theirs.keys())
        .filter(|p| ours.get(*p) != theirs.get(*p))
        .collect();
    paths.sort();
    paths.dedup();
    for path in paths {
        let Ok(target) = WorkspacePath::new(path) else {
            continue; // a name the door cannot write (git's own business)
        };
        let ours_bytes = match ours.get(path) {
            Some(oid) => Some(blob(git, oid)?),
            None => None,
        };
        let found = match folder.entry(&target) {
            Ok(Some(e)) if e.kind == EntryKind::File => match folder.read(&target, FileKind::Draft)
            {
                Ok(bytes) => Some((bytes, e.mtime_ns)),
                // Larger than any draft: no reporter's words; the committed file goes back.
                Err(_) => {
                    restore(&folder, &target, ours_bytes.as_deref())?;
                    continue;
                }
            },
            Ok(Some(_)) | Err(_) => continue, // a link or folder: not one of git's writes to a draft
            Ok(None) => None,
        };
        let Some((bytes, mtime_ns)) = found else {
            restore(&folder, &target, ours_bytes.as_deref())?;
            continue;
        };
        if Some(&bytes) == ours_bytes.as_ref() {
            continue;
        }
        // Strictly before: a clock's tick holds several writes, and one at the very tick
        // git wrote MERGE_HEAD could be the reporter's.
        let before_merge_head = merge_head_ns.is_some_and(|m| mtime_ns < m);
        let gits = bytes.is_empty()
            || before_merge_head
            || match expected(git, j, path, &ours, &theirs, &base, &merged)? {
                Expected::Bytes(all) => all.iter().any(|e| e.starts_with(&bytes)),
                Expected::Unknown => {
                    // Ours back in the draft, what was there kept beside it.
                    let copy = newsroom_core::files::conflict_copy_name(&target, now, |c| {
                        folder.taken(c)
                    })?;
                    folder.write_atomic(&copy, &bytes)?;
                    true
                }
            };
        if gits {
            restore(&folder, &target, ours_bytes.as_deref())?;
        }
    }
    // The index back to ours (the merge's entries, unmerged ones too, go).
    match &j.ours {
        Some(_) => git.run(&["reset", "--quiet"])?,
        None => git.run(&["read-tree", "--empty"])?,
    };
    Ok(())
}

/// The file as it is in ours, or no file when ours has none.
fn restore(folder: &Folder, target: &WorkspacePath, ours: Option<&[u8]>) -> Result<()> {
    match ours {
        Some(bytes) => folder.write_atomic(target, bytes)?,
        None => {
            folder.remove_file(target)?;
        }
    }
    Ok(())
}

fn expected(
    git: &Git,
    j: &Journal,
    path: &str,
    ours: &HashMap<String, String>,
    theirs: &HashMap<String, String>,
    base: &HashMap<String, String>,
    merged: &[HashMap<String, String>],
) -> Result<Expected> {
    let mut recorded = Vec::new();
    for oid in merged
        .iter()
        .filter_map(|m| m.get(path))
        .filter(|o| ours.get(path) != Some(*o))
    {
        recorded.push(blob(git, oid)?);
    }
    if !recorded.is_empty() {
        if let Some(t) = theirs.get(path) {
            recorded.push(blob(git, t)?);
        }
        return Ok(Expected::Bytes(recorded));
    }
    let Some(t) = theirs.get(path) else {
        // Deleted by theirs: git's only write is removing it.
        return Ok(Expected::Bytes(Vec::new()));
    };
    let (Some(o), b) = (ours.get(path), base.get(path)) else {
        return Ok(Expected::Bytes(vec![blob(git, t)?])); // added by theirs
    };
    if b == Some(o) {
        return Ok(Expected::Bytes(vec![blob(git, t)?])); // changed by theirs only
    }
    // Both sides changed it: the merge the sync ran, done again.
    let text =
        |oid: &String| -> Result<Option<String>> { Ok(String::from_utf8(blob(git, oid)?).ok()) };
    let (Some(ours_text), Some(theirs_text)) = (text(o)?, text(t)?) else {
        return Ok(Expected::Unknown);
    };
    let base_text = match b {
        Some(b) => match text(b)? {
            Some(t) => Some(t),
            None => return Ok(Expected::Unknown),
        },
        None => None,
    };
    let result = if j.driver && path.ends_with(".md") {
        match merge_draft(base_text.as_deref(), &ours_text, &theirs_text, merge_lines)? {
            Merged::Clean(text) => Some(text),
            // The driver leaves ours, which is what is in the file (or was).
            Merged::Conflict { .. } => Some(ours_text),
        }
    } else {
        merge_lines(base_text.as_deref().unwrap_or(""), &ours_text, &theirs_text)?
    };
    match result {
        Some(text) => Ok(Expected::Bytes(vec![text.into_bytes()])),
        None => Ok(Expected::Unknown),
    }
}

fn rev(git: &Git, name: &str) -> Result<Option<String>> {
    git.try_run(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{name}^{{commit}}"),
    ])
}

/// Path → blob of a commit's files (empty for no commit).
fn tree(git: &Git, commit: Option<&str>) -> Result<HashMap<String, String>> {
    let Some(commit) = commit else {
        return Ok(HashMap::new());
    };
    let listing = git.run(&["ls-tree", "-r", "-z", "--full-tree", commit])?;
    Ok(listing
        .split('\0')
        .filter_map(|e| {
            // `<mode> blob <object>\t<path>`
            let (meta, path) = e.split_once('\t')?;
            let mut parts = meta.split(' ');
            let (_, kind, object) = (parts.next()?, parts.next()?, parts.next()?);
            (kind == "blob").then(|| (path.to_owned(), object.to_owned()))
        })
        .collect())
}

/// Path → blob of the index's merged (stage 0) entries.
fn index_entries(git: &Git) -> Result<HashMap<String, String>> {
    let listing = git.run(&["ls-files", "--stage", "-z"])?;
    Ok(listing
        .split('\0')
        .filter_map(|e| {
            // `<mode> <object> <stage>\t<path>`
            let (meta, path) = e.split_once('\t')?;
            let mut parts = meta.split(' ');
            let (_, object, stage) = (parts.next()?, parts.next()?, parts.next()?);
            (stage == "0").then(|| (path.to_owned(), object.to_owned()))
        })
        .collect())
}

fn blob(git: &Git, oid: &str) -> Result<Vec<u8>> {
    let out = git.output(&["cat-file", "blob", oid])?;
    if !out.status.success() {
        return Err(classify(
            "cat-file",
            &String::from_utf8_lossy(&out.stderr),
            "",
        ));
    }
    Ok(out.stdout)
}

#[cfg(test)]
mod tests;
