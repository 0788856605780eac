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

use crate::door::{Entry, FileKind, Folder};
use crate::error::{CoreError, DraftError, Result};
use crate::workspace_path::WorkspacePath;

/// The caps and the temp-file prefix belong to the door, which enforces them (and which
/// this module uses); they are re-exported here, where callers have always found them.
pub use crate::door::{MAX_DRAFT_BYTES, TEMP_PREFIX};

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

/// Reads a draft named by a path outside any workspace (the CLI's `newsroom check FILE`),
/// or says precisely why it is not one. The last component is not followed if it is a
/// symbolic link, and it must be a regular file: opened without blocking, so a FIFO
/// named like a draft is an error, not a hang. Files of a drafts folder are read through
/// [`read_draft_in`] instead.
pub fn read_draft_text(path: &Path) -> Result<String> {
    let file = open_regular(path)?;
    let meta = file.metadata().map_err(|e| CoreError::io(path, e))?;
    if meta.len() > MAX_DRAFT_BYTES {
        return Err(too_large(meta.len()).in_file(path));
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(&file, MAX_DRAFT_BYTES + 1),
        &mut bytes,
    )
    .map_err(|e| CoreError::io(path, e))?;
    if bytes.len() as u64 > MAX_DRAFT_BYTES {
        return Err(too_large(bytes.len() as u64).in_file(path));
    }
    decode_draft(bytes).map_err(|e| e.in_file(path))
}

/// A draft of the drafts folder as text, through the door (no link followed, regular
/// files only, the draft size cap).
pub fn read_draft_in(folder: &Folder, path: &WorkspacePath) -> Result<String> {
    read_draft_with_entry(folder, path).map(|(text, _)| text)
}

/// [`read_draft_in`], with what the file was when opened (size, mtime) for the index.
pub fn read_draft_with_entry(folder: &Folder, path: &WorkspacePath) -> Result<(String, Entry)> {
    let abs = folder.abs(path);
    let file = folder.open_file(path)?;
    let entry = file.entry;
    if entry.size > MAX_DRAFT_BYTES {
        return Err(too_large(entry.size).in_file(&abs));
    }
    let bytes = file.read_capped(FileKind::Draft)?;
    let text = decode_draft(bytes).map_err(|e| e.in_file(&abs))?;
    Ok((text, entry))
}

fn too_large(size: u64) -> DraftError {
    DraftError::whole_file(format!(
        "the file is {} MB; drafts larger than {} MB are not opened",
        size / (1024 * 1024),
        MAX_DRAFT_BYTES / (1024 * 1024)
    ))
}

/// Opens `path` for reading if it is a regular file, without following a link at its
/// last component and without blocking on a FIFO.
fn open_regular(path: &Path) -> Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
        options.custom_flags(flags.bits() as i32);
    }
    let refused = |reason: &str| CoreError::Refused {
        path: path.to_path_buf(),
        reason: reason.to_owned(),
    };
    let file = match options.open(path) {
        Ok(f) => f,
        Err(e) => {
            // Say what it is when it is not a file we open.
            if let Ok(meta) = fs::symlink_metadata(path) {
                if meta.file_type().is_symlink() {
                    return Err(refused(crate::door::EntryKind::Symlink.refusal()));
                }
                if !meta.is_file() && !meta.is_dir() {
                    return Err(refused(special_kind(&meta).refusal()));
                }
            }
            return Err(CoreError::io(path, e));
        }
    };
    let meta = file.metadata().map_err(|e| CoreError::io(path, e))?;
    if !meta.is_file() {
        let kind = if meta.is_dir() {
            crate::door::EntryKind::Folder
        } else {
            special_kind(&meta)
        };
        return Err(refused(kind.refusal()));
    }
    Ok(file)
}

#[cfg(unix)]
fn special_kind(meta: &fs::Metadata) -> crate::door::EntryKind {
    use crate::door::EntryKind;
    use std::os::unix::fs::FileTypeExt;
    let ft = meta.file_type();
    if ft.is_fifo() {
        EntryKind::Fifo
    } else if ft.is_socket() {
        EntryKind::Socket
    } else if ft.is_char_device() || ft.is_block_device() {
        EntryKind::Device
    } else {
        EntryKind::Other
    }
}

#[cfg(not(unix))]
fn special_kind(_meta: &fs::Metadata) -> crate::door::EntryKind {
    crate::door::EntryKind::Other
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
            CoreError::Exists(path.to_path_buf())
        } else {
            CoreError::io(path, e.error)
        }
    })?;
    sync_dir(&dir);
    Ok(())
}

/// Whether `path` names a conflict copy (`story.conflict-20261126-093000.md`, or with a
/// `-2`, `-3`… suffix when several were made in one second), as
/// [`conflict_copy_name`] makes them.
///
/// A conflict copy is the losing side of a save, kept so nothing typed is lost. It looks
/// like its draft (same title, same status), so the workflow must not treat it as a
/// second piece: it is never moved, queued or published until someone settles it.
pub fn is_conflict_copy(path: &str) -> bool {
    let name = crate::workspace_path::file_name_of(path);
    let Some((stem, _ext)) = name.rsplit_once('.') else {
        return false;
    };
    let Some((_, stamp)) = stem.rsplit_once(".conflict-") else {
        return false;
    };
    let mut parts = stamp.split('-');
    let digits = |s: Option<&str>, n: usize| {
        s.is_some_and(|s| s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
    };
    if !digits(parts.next(), 8) || !digits(parts.next(), 6) {
        return false;
    }
    match (parts.next(), parts.next()) {
        (None, _) => true,
        (Some(n), None) => !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()),
        _ => false,
    }
}

/// A free name beside `path` for a conflict copy: `story.conflict-20261126-093000.md`.
/// `taken` says whether a name is in use (anything under it, a link included).
pub fn conflict_copy_name(
    path: &WorkspacePath,
    now: time::OffsetDateTime,
    taken: impl Fn(&WorkspacePath) -> Result<bool>,
) -> Result<WorkspacePath> {
    let name = path.file_name();
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, ext),
        _ => (name, "md"),
    };
    let stamp = format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let named = |n: &str| {
        path.sibling(&format!("{stem}.conflict-{stamp}{n}.{ext}"))
            .map_err(|e| CoreError::InvalidArgument(e.to_string()))
    };
    let mut candidate = named("")?;
    let mut n = 2;
    while taken(&candidate)? {
        candidate = named(&format!("-{n}"))?;
        n += 1;
    }
    Ok(candidate)
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
        let folder = Folder::open(dir.path()).unwrap();
        let p = WorkspacePath::new("world/story.md").unwrap();
        let now = time::macros::datetime!(2026-11-26 09:30:00 UTC);
        let first = conflict_copy_name(&p, now, |c| folder.taken(c)).unwrap();
        assert!(
            first
                .as_str()
                .ends_with("story.conflict-20261126-093000.md")
        );
        assert_eq!(first.folder(), "world");
        folder.write_atomic(&first, b"x").unwrap();
        let second = conflict_copy_name(&p, now, |c| folder.taken(c)).unwrap();
        assert!(
            second
                .as_str()
                .ends_with("story.conflict-20261126-093000-2.md")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_link_given_by_path_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("story.md");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let (tx, rx) = std::sync::mpsc::channel();
        let f = fifo.clone();
        std::thread::spawn(move || {
            tx.send(read_draft_text(&f).map(|_| ()).unwrap_err().to_string())
        });
        let err = rx
            .recv_timeout(std::time::Duration::from_secs(5))
            .expect("hung on a FIFO");
        assert!(err.contains("FIFO"), "{err}");
        fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), dir.path().join("l.md")).unwrap();
        let err = read_draft_text(&dir.path().join("l.md")).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
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
