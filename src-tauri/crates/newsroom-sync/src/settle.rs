//! What git could not merge, settled without a marker in any file: both sides changed
//! it → ours stays, theirs becomes a conflict copy beside it (the core's name for one,
//! `story.conflict-20261126-093000.md`); one side deleted what the other changed → the
//! changed one stays (a deletion never takes words with it).
//!
//! Files are written through the core's door to the folder (`door::Folder`), as every
//! write of the app is: no symbolic link followed, a special file refused.

use newsroom_core::WorkspacePath;
use newsroom_core::door::Folder;

use crate::error::Result;
use crate::git::{Git, classify};

/// A path git could not merge and its stages: (1 base, 2 ours, 3 theirs; the blob).
pub(crate) type Unmerged = (String, Vec<(u8, String)>);

/// Paths git could not merge, with the stages it has of each.
pub(crate) fn unmerged(git: &Git) -> Result<Vec<Unmerged>> {
    let listing = git.run(&["ls-files", "--unmerged", "-z"])?;
    let mut out: Vec<Unmerged> = Vec::new();
    for entry in listing.split('\0').filter(|e| !e.is_empty()) {
        // `<mode> <object> <stage>\t<path>`
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut parts = meta.split(' ');
        let (_, Some(object), Some(stage)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let stage: u8 = stage.parse().unwrap_or(0);
        match out.iter_mut().find(|(p, _)| p == path) {
            Some((_, stages)) => stages.push((stage, object.to_owned())),
            None => out.push((path.to_owned(), vec![(stage, object.to_owned())])),
        }
    }
    Ok(out)
}

/// Settles each unmerged path in the working tree of `git` (its top); returns the
/// (draft, copy) repository paths of the conflict copies made.
pub(crate) fn settle(
    git: &Git,
    unmerged: &[Unmerged],
    now: time::OffsetDateTime,
) -> Result<Vec<(String, String)>> {
    if unmerged.is_empty() {
        return Ok(Vec::new());
    }
    let folder = Folder::open(git.dir())?;
    let mut copies = Vec::new();
    for (path, stages) in unmerged {
        let blob = |n: u8| {
            stages
                .iter()
                .find(|(s, _)| *s == n)
                .map(|(_, o)| o.as_str())
        };
        let target = workspace_path(path)?;
        match (blob(2), blob(3)) {
            (Some(ours), Some(theirs)) => {
                write_blob(git, &folder, ours, &target)?;
                let copy =
                    newsroom_core::files::conflict_copy_name(&target, now, |c| folder.taken(c))?;
                write_blob(git, &folder, theirs, &copy)?;
                copies.push((path.clone(), copy.as_str().to_owned()));
            }
            (Some(kept), None) | (None, Some(kept)) => write_blob(git, &folder, kept, &target)?,
            (None, None) => {}
        }
    }
    Ok(copies)
}

fn workspace_path(path: &str) -> Result<WorkspacePath> {
    WorkspacePath::new(path)
        .map_err(|e| newsroom_core::CoreError::InvalidArgument(e.to_string()).into())
}

fn write_blob(git: &Git, folder: &Folder, object: &str, target: &WorkspacePath) -> Result<()> {
    let out = git.output(&["cat-file", "blob", object])?;
    if !out.status.success() {
        return Err(classify(
            "cat-file",
            &String::from_utf8_lossy(&out.stderr),
            "",
        ));
    }
    if let Some(parent) = target.parent() {
        folder.create_dir_all(&parent)?;
    }
    folder.write_atomic(target, &out.stdout)?;
    Ok(())
}
