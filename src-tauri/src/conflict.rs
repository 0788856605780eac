//! Settling a conflict between the editor's text ("mine") and the file on disk ("theirs").
//!
//! Whichever version is not kept in the file is written beside it as a conflict copy,
//! so nothing anyone typed is lost. Built from the core's public `Workspace` calls until
//! the core has its own (see the report in docs: `Workspace::resolve_conflict`).

use newsroom_core::{CoreError, SaveOutcome, Workspace, files};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Keep {
    Mine,
    Theirs,
}

/// Writes the losing version as a conflict copy of `path` and returns the copy's path.
fn keep_copy(ws: &mut Workspace, path: &str, text: &str) -> Result<String, CoreError> {
    let abs = ws.resolve(path)?;
    let copy = files::conflict_copy_path(&abs, time_now());
    let copy_rel = ws.relative(&copy.to_string_lossy())?;
    match ws.save(&copy_rel, text, None)? {
        SaveOutcome::Saved { path, .. } | SaveOutcome::Unchanged { path, .. } => Ok(path),
        SaveOutcome::Conflict { kept_as, .. } => Ok(kept_as),
    }
}

fn time_now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

pub fn resolve(
    ws: &mut Workspace,
    path: &str,
    keep: Keep,
    mine: &str,
) -> Result<SaveOutcome, CoreError> {
    let theirs = match ws.read(path) {
        Ok(t) => Some(t),
        // Deleted on disk: "theirs" is the deletion; keeping mine recreates the file.
        Err(CoreError::NotFound(_)) => None,
        Err(e) => return Err(e),
    };
    match (keep, theirs) {
        (Keep::Mine, None) => ws.save(path, mine, None),
        (Keep::Mine, Some(theirs)) => {
            if theirs.text != mine {
                keep_copy(ws, path, &theirs.text)?;
            }
            // Guarded by their hash: if the file changed yet again, this is a new conflict.
            ws.save(path, mine, Some(&theirs.hash))
        }
        (Keep::Theirs, None) => Err(CoreError::NotFound(ws.resolve(path)?)),
        (Keep::Theirs, Some(theirs)) => {
            if theirs.text != mine {
                keep_copy(ws, path, mine)?;
            }
            Ok(SaveOutcome::Unchanged {
                path: theirs.path,
                hash: theirs.hash,
            })
        }
    }
}
