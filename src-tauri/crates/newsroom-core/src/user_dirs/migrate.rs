//! Moving what older versions (and Tauri's own per-identifier folders) left elsewhere into
//! our two folders, without losing anything.
//!
//! Each old folder is merged into its new place, file by file: a file the new place lacks
//! is moved there; the same file in both is dropped from the old place; when both differ,
//! the newer (by modification time) takes the name and the other is kept beside it as
//! `NAME.before-migration` — a newer file in the new place is never overwritten. Emptied
//! old folders are removed, so a second run finds nothing to do. The app and the CLI may
//! start at the same moment: the work runs under a lock file, and a file another process
//! moved first is simply gone.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{UserDirs, display};

/// What happened to one file or folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MigrationNoteKind {
    /// Moved to a place that had nothing by that name.
    Moved,
    /// The new place had the same content; the old copy was removed.
    SameAsNew,
    /// Both differed: the newer kept the name, the older was kept as `kept_as`.
    KeptOlder { kept_as: PathBuf },
    /// Could not be moved; left where it was.
    Failed { error: String },
}

/// One line of the migration's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationNote {
    pub from: PathBuf,
    pub to: PathBuf,
    pub kind: MigrationNoteKind,
}

impl std::fmt::Display for MigrationNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (from, to) = (display(&self.from), display(&self.to));
        match &self.kind {
            MigrationNoteKind::Moved => write!(f, "moved {from} to {to}"),
            MigrationNoteKind::SameAsNew => write!(f, "removed {from}: {to} has the same content"),
            MigrationNoteKind::KeptOlder { kept_as } => write!(
                f,
                "merged {from} into {to}: the newer of the two kept the name, the older is {}",
                display(kept_as)
            ),
            MigrationNoteKind::Failed { error } => {
                write!(
                    f,
                    "could not move {from} to {to} ({error}); left where it was"
                )
            }
        }
    }
}

/// The suffix of the older of two differing copies.
const KEPT_SUFFIX: &str = "before-migration";

impl UserDirs {
    /// Merges the old places into ours (see the module's note) and appends what it did to
    /// `migration.log` in the data folder. Cheap when there is nothing to move: only the
    /// old folders' existence is checked. The notes are returned for the caller to print.
    pub fn migrate_legacy(&self) -> Vec<MigrationNote> {
        let pending = |dirs: &UserDirs| {
            dirs.legacy
                .iter()
                .any(|p| fs::symlink_metadata(&p.from).is_ok_and(|m| m.is_dir()))
        };
        if !pending(self) {
            return Vec::new();
        }
        let lock = MigrationLock::take(&self.data);
        let mut notes = Vec::new();
        for place in &self.legacy {
            merge_dir(&place.from, &place.to, &mut notes);
        }
        if !notes.is_empty() {
            self.log(&notes);
        }
        drop(lock);
        notes
    }

    fn log(&self, notes: &[MigrationNote]) {
        use std::io::Write;
        let now = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let text: String = notes.iter().map(|n| format!("{now} {n}\n")).collect();
        let _ = fs::create_dir_all(&self.data);
        if let Ok(mut f) = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.data.join("migration.log"))
        {
            let _ = f.write_all(text.as_bytes());
        }
    }
}

/// An exclusive lock on `migration.lock` in the data folder, held while merging so that
/// the app and the CLI started together do not interleave. Best effort: without it the
/// merge is still safe, only its notes may be split between the two.
struct MigrationLock {
    _file: Option<fs::File>,
}

impl MigrationLock {
    fn take(data: &Path) -> MigrationLock {
        let _ = fs::create_dir_all(data);
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(data.join("migration.lock"))
            .ok();
        #[cfg(unix)]
        if let Some(f) = &file {
            let _ = rustix::fs::flock(f, rustix::fs::FlockOperation::LockExclusive);
        }
        MigrationLock { _file: file }
    }
}

fn merge_dir(from: &Path, to: &Path, notes: &mut Vec<MigrationNote>) {
    match fs::symlink_metadata(from) {
        Ok(meta) if meta.is_dir() => {}
        _ => return, // gone (another process moved it) or not a folder we made
    }
    if fs::symlink_metadata(to).is_err() {
        // the new place is free: the whole folder in one rename
        if let Some(parent) = to.parent() {
            let _ = fs::create_dir_all(parent);
        }
        match fs::rename(from, to) {
            Ok(()) => {
                notes.push(note(from, to, MigrationNoteKind::Moved));
                return;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => return,
            // another file system, or a race: file by file below
            Err(_) => {
                if let Err(e) = fs::create_dir_all(to) {
                    notes.push(failed(from, to, &e));
                    return;
                }
            }
        }
    }
    let entries = match fs::read_dir(from) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return,
        Err(e) => {
            notes.push(failed(from, to, &e));
            return;
        }
    };
    for entry in entries.flatten() {
        let src = entry.path();
        let dst = to.join(entry.file_name());
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let dst_is_dir = fs::symlink_metadata(&dst).is_ok_and(|m| m.is_dir());
        if is_dir && (dst_is_dir || fs::symlink_metadata(&dst).is_err()) {
            merge_dir(&src, &dst, notes);
        } else {
            merge_file(&src, &dst, notes);
        }
    }
    // only when empty: anything that could not be moved stays where it was
    let _ = fs::remove_dir(from);
}

fn merge_file(src: &Path, dst: &Path, notes: &mut Vec<MigrationNote>) {
    let Ok(src_meta) = fs::symlink_metadata(src) else {
        return; // moved by another process meanwhile
    };
    let Ok(dst_meta) = fs::symlink_metadata(dst) else {
        match move_file(src, dst) {
            Ok(()) => notes.push(note(src, dst, MigrationNoteKind::Moved)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => notes.push(failed(src, dst, &e)),
        }
        return;
    };
    if src_meta.is_file() && dst_meta.is_file() && same_content(src, dst) {
        match fs::remove_file(src) {
            Ok(()) => notes.push(note(src, dst, MigrationNoteKind::SameAsNew)),
            Err(e) => notes.push(failed(src, dst, &e)),
        }
        return;
    }
    let kept_as = free_name(dst);
    let old_is_newer = match (src_meta.modified(), dst_meta.modified()) {
        (Ok(s), Ok(d)) => s > d,
        _ => false,
    };
    let result = if old_is_newer {
        // the new place's copy steps aside for the newer one
        fs::rename(dst, &kept_as).and_then(|()| move_file(src, dst))
    } else {
        move_file(src, &kept_as)
    };
    match result {
        Ok(()) => notes.push(note(src, dst, MigrationNoteKind::KeptOlder { kept_as })),
        Err(e) => notes.push(failed(src, dst, &e)),
    }
}

/// A rename, else (another file system) a copy and a removal.
fn move_file(src: &Path, dst: &Path) -> io::Result<()> {
    if let Some(parent) = dst.parent() {
        fs::create_dir_all(parent)?;
    }
    match fs::rename(src, dst) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(e),
        Err(_) => {
            fs::copy(src, dst)?;
            fs::remove_file(src)
        }
    }
}

fn same_content(a: &Path, b: &Path) -> bool {
    match (fs::read(a), fs::read(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// `NAME.before-migration`, else `NAME.before-migration.2`, … — never an existing file.
fn free_name(dst: &Path) -> PathBuf {
    let name = dst.file_name().unwrap_or_default().to_string_lossy();
    let candidate = |n: usize| {
        let suffix = if n == 1 {
            KEPT_SUFFIX.to_owned()
        } else {
            format!("{KEPT_SUFFIX}.{n}")
        };
        dst.with_file_name(format!("{name}.{suffix}"))
    };
    (1..)
        .map(candidate)
        .find(|p| fs::symlink_metadata(p).is_err())
        .unwrap_or_else(|| candidate(0))
}

fn note(from: &Path, to: &Path, kind: MigrationNoteKind) -> MigrationNote {
    MigrationNote {
        from: from.to_path_buf(),
        to: to.to_path_buf(),
        kind,
    }
}

fn failed(from: &Path, to: &Path, e: &io::Error) -> MigrationNote {
    note(
        from,
        to,
        MigrationNoteKind::Failed {
            error: e.to_string(),
        },
    )
}

#[cfg(all(test, unix, not(target_os = "macos")))]
#[path = "migrate_tests.rs"]
mod tests;
