//! The merge driver git runs for drafts during a sync's `git merge`:
//! `newsroom merge-driver %O %A %B %P` (base, ours, theirs, the draft's path).
//!
//! A clean merge ([`crate::merge`]) is written over `%A` and the driver succeeds; on a
//! true conflict `%A` is left as it is (ours, without a marker) and the driver fails,
//! so git records the draft as conflicted and the sync turns theirs into a conflict copy
//! ([`crate::sync`]). The driver is named only on the sync's own `git merge` command
//! line (`-c merge.newsroom.driver=…`), with `*.md merge=newsroom` in
//! `.git/info/attributes`; a plain `git merge` by hand, which does not define the
//! driver, falls back to git's own text merge.

use std::path::Path;

use crate::error::{Result, SyncError};
use crate::git::merge_lines;
use crate::merge::{Merged, merge_draft};

/// What the driver did; `Conflict` exits non-zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DriverOutcome {
    Merged,
    Conflict { why: String },
}

/// Merges the files git names, writing a clean result over `ours`.
pub fn run(base: &Path, ours: &Path, theirs: &Path) -> Result<DriverOutcome> {
    let read = |p: &Path| -> Result<Option<String>> {
        let bytes = std::fs::read(p).map_err(|e| SyncError::io(p, e))?;
        Ok(String::from_utf8(bytes).ok())
    };
    let (Some(b), Some(o), Some(t)) = (read(base)?, read(ours)?, read(theirs)?) else {
        return Ok(DriverOutcome::Conflict {
            why: "not UTF-8 text".into(),
        });
    };
    // Git passes an empty base when both sides added the file.
    let base = (!b.is_empty()).then_some(b.as_str());
    match merge_draft(base, &o, &t, merge_lines)? {
        Merged::Clean(text) => {
            if text != o {
                std::fs::write(ours, text).map_err(|e| SyncError::io(ours, e))?;
            }
            Ok(DriverOutcome::Merged)
        }
        Merged::Conflict { why } => Ok(DriverOutcome::Conflict { why }),
    }
}

/// The `merge.newsroom.driver` value that runs `exe merge-driver %O %A %B %P`, the
/// executable quoted for the shell git runs drivers with.
pub fn driver_command(exe: &Path) -> String {
    let quoted = exe.to_string_lossy().replace('\'', r"'\''");
    format!("'{quoted}' merge-driver %O %A %B %P")
}
