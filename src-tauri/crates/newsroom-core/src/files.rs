//! Reading and writing draft files safely.
//!
//! Reads refuse what is not a text draft (binary, invalid UTF-8, absurdly large) with an
//! error that names the file and line. Writes are atomic: a temp file in the same folder,
//! fsync, rename over the target, fsync the folder — a crash leaves the old file or the
//! new one, never half of each.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{CoreError, DraftError, Result};

/// Largest draft we read. A 20 MB article is fine; a 200 MB log file dropped in the
/// folder by mistake is not a draft.
pub const MAX_DRAFT_BYTES: u64 = 64 * 1024 * 1024;

/// Prefix of our own temporary files; the watcher ignores them.
pub const TEMP_PREFIX: &str = ".newsroom-tmp-";

/// Is this file name a draft? Markdown files, not hidden, not our temp files, not
/// conflict copies' temp files.
pub fn is_draft_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !name.starts_with('.') && (lower.ends_with(".md") || lower.ends_with(".markdown"))
}

/// Hex SHA-256 of some bytes: the identity of a version of a draft.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// Reads a draft as text, or says precisely why it is not one.
pub fn read_draft_text(path: &Path) -> Result<String> {
    let meta = fs::metadata(path).map_err(|e| CoreError::io(path, e))?;
    if meta.len() > MAX_DRAFT_BYTES {
        return Err(DraftError::whole_file(format!(
            "the file is {} MB; drafts larger than {} MB are not opened",
            meta.len() / (1024 * 1024),
            MAX_DRAFT_BYTES / (1024 * 1024)
        ))
        .in_file(path));
    }
    let bytes = fs::read(path).map_err(|e| CoreError::io(path, e))?;
    decode_draft(bytes).map_err(|e| e.in_file(path))
}

/// Bytes to text: binary and invalid UTF-8 are errors with a line number.
pub fn decode_draft(bytes: Vec<u8>) -> Result<String, DraftError> {
    if let Some(pos) = bytes.iter().take(8192).position(|b| *b == 0) {
        return Err(DraftError::at(
            line_of(&bytes, pos),
            "this is a binary file, not a Markdown draft",
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let pos = e.utf8_error().valid_up_to();
        let line = line_of(e.as_bytes(), pos);
        DraftError::at(
            line,
            "the file is not valid UTF-8 text (saved in another encoding?); re-save it as UTF-8",
        )
    })
}

fn line_of(bytes: &[u8], pos: usize) -> usize {
    bytes[..pos].iter().filter(|b| **b == b'\n').count() + 1
}

/// Writes `contents` to a synced temp file in `path`'s folder, ready to be moved over it.
fn synced_temp(path: &Path, contents: &[u8]) -> Result<(tempfile::NamedTempFile, PathBuf)> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("draft");
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| CoreError::io(dir, e))?;
    tmp.write_all(contents)
        .map_err(|e| CoreError::io(tmp.path(), e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| CoreError::io(tmp.path(), e))?;
    Ok((tmp, dir.to_path_buf()))
}

/// Makes a rename into `dir` durable.
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Writes `contents` to `path` atomically.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let (tmp, dir) = synced_temp(path, contents)?;
    // Keep the draft's permissions (a shared folder may rely on group write).
    if let Ok(meta) = fs::metadata(path) {
        let _ = fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path)
        .map_err(|e| CoreError::io(path, e.error))?;
    sync_dir(&dir);
    Ok(())
}

/// Creates a new file atomically, failing if it already exists (even if it appeared a
/// moment ago: the final link refuses to replace anything).
pub fn create_new_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let (tmp, dir) = synced_temp(path, contents)?;
    tmp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            CoreError::InvalidArgument(format!("{} already exists", path.display()))
        } else {
            CoreError::io(path, e.error)
        }
    })?;
    sync_dir(&dir);
    Ok(())
}

/// A free name beside `path` for a conflict copy: `story.conflict-20261126-093000.md`.
pub fn conflict_copy_path(path: &Path, now: time::OffsetDateTime) -> PathBuf {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("draft");
    let ext = path.extension().and_then(|s| s.to_str()).unwrap_or("md");
    let stamp = format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut candidate = dir.join(format!("{stem}.conflict-{stamp}.{ext}"));
    let mut n = 2;
    while candidate.exists() {
        candidate = dir.join(format!("{stem}.conflict-{stamp}-{n}.{ext}"));
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_bad_utf8_are_errors_with_lines() {
        let err = decode_draft(b"line one\nline two \x00\x01".to_vec()).unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("binary"));
        let err = decode_draft(b"ok\nok\nbad \xff here\n".to_vec()).unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("UTF-8"));
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "two");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn create_new_never_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        create_new_atomic(&p, b"first").unwrap();
        assert!(create_new_atomic(&p, b"second").is_err());
        assert_eq!(fs::read_to_string(&p).unwrap(), "first");
    }

    #[test]
    fn conflict_copies_get_free_names() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("story.md");
        let now = time::macros::datetime!(2026-11-26 09:30:00 UTC);
        let first = conflict_copy_path(&p, now);
        assert!(first.ends_with("story.conflict-20261126-093000.md"));
        fs::write(&first, "x").unwrap();
        assert!(conflict_copy_path(&p, now).ends_with("story.conflict-20261126-093000-2.md"));
    }

    #[test]
    fn draft_names() {
        assert!(is_draft_name("minsk.md"));
        assert!(!is_draft_name(".newsroom-tmp-minsk.md.x.tmp"));
        assert!(!is_draft_name("photo.jpg"));
        assert!(!is_draft_name(".hidden.md"));
        assert!(is_draft_name("STORY.MD"));
    }
}
