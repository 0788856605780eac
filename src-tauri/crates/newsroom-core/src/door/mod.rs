//! The one door to the drafts folder: every read and write of a file in it goes here.
//!
//! The folder is hostile input (a shared drive, a sync tool, a git checkout): whoever can
//! write there chooses names, symlinks and special files. So a [`Folder`] holds the
//! folder's canonical root open and reaches a [`WorkspacePath`] from it:
//!
//! - no symbolic link is followed in any component: the file's folder is opened with
//!   `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)` on Linux (elsewhere, or on an older
//!   kernel, one `openat(O_NOFOLLOW | O_DIRECTORY)` per folder), the name is looked at
//!   with `lstat` in it and opened `O_NOFOLLOW`; nothing outside the root is read or
//!   written, whatever the links say;
//! - only regular files are opened: a FIFO, socket or device is refused from the look,
//!   and the open itself is `O_NONBLOCK` and checked again with `fstat` (a name swapped
//!   meanwhile), so nothing named like a draft or a lock file can hang the caller (and
//!   every command queued behind the workspace lock);
//! - each kind of file has a size cap ([`FileKind::max_bytes`]), read as a cap (a file
//!   growing while read does not get past it);
//! - writes go to a temp file created in the target's folder (reached the same way) and
//!   renamed over the name, which must not be a symlink or a special file; new files get
//!   the user's umask, like any other program's.
//!
//! Errors name the file and say why, so a reporter can tell a colleague what to fix.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{CoreError, Result};
use crate::workspace_path::WorkspacePath;

/// What a file is for, and so how large it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A Markdown draft (see [`MAX_DRAFT_BYTES`]).
    Draft,
    /// An image of a draft: preview, desk checklist, publishing, import.
    Image,
    /// A "who is editing" lock file: a few hundred bytes of JSON.
    Lock,
}

/// Largest draft we read. A 20 MB article is fine; a 200 MB log file dropped in the
/// folder by mistake is not a draft.
pub const MAX_DRAFT_BYTES: u64 = 64 * 1024 * 1024;
/// Largest image read or imported (a press photo is a few MB; a 100 MB TIFF is a mistake).
pub const MAX_IMAGE_BYTES: u64 = 32 * 1024 * 1024;
/// A lock file is a few hundred bytes; anything larger is not ours.
pub const MAX_LOCK_BYTES: u64 = 4096;

/// Prefix of our own temporary files; the watcher ignores them.
pub const TEMP_PREFIX: &str = ".newsroom-tmp-";

impl FileKind {
    pub fn max_bytes(self) -> u64 {
        match self {
            FileKind::Draft => MAX_DRAFT_BYTES,
            FileKind::Image => MAX_IMAGE_BYTES,
            FileKind::Lock => MAX_LOCK_BYTES,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            FileKind::Draft => "drafts",
            FileKind::Image => "images",
            FileKind::Lock => "lock files",
        }
    }
}

/// What a name in the folder is, looked at without following it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Folder,
    Symlink,
    Fifo,
    Socket,
    Device,
    Other,
}

impl EntryKind {
    /// Why a name of this kind is not opened as a file, for messages.
    pub fn refusal(self) -> &'static str {
        match self {
            EntryKind::File => "is a regular file",
            EntryKind::Folder => "is a folder, not a file",
            EntryKind::Symlink => {
                "is a symbolic link; links are not followed in the drafts folder (replace it with the file itself)"
            }
            EntryKind::Fifo => "is a FIFO (named pipe), not a file; it is not opened",
            EntryKind::Socket => "is a socket, not a file; it is not opened",
            EntryKind::Device => "is a device, not a file; it is not opened",
            EntryKind::Other => "is not a regular file; it is not opened",
        }
    }
}

/// A name in the folder as `lstat` sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntryKind,
    pub size: u64,
    /// Modification time, ns since the epoch (0 before it), as the index stores it.
    pub mtime_ns: i64,
    /// Permission bits (`0o644`); 0 where the platform has none.
    pub mode: u32,
}

/// A regular file of the folder, open for reading.
#[derive(Debug)]
pub struct OpenFile {
    pub file: File,
    pub entry: Entry,
    path: PathBuf,
}

impl OpenFile {
    /// The whole content, refused past `kind`'s cap (checked on the size and again while
    /// reading, for a file that grows meanwhile).
    pub fn read_capped(self, kind: FileKind) -> Result<Vec<u8>> {
        let cap = kind.max_bytes();
        if self.entry.size > cap {
            return Err(too_large(&self.path, self.entry.size, kind));
        }
        let mut bytes = Vec::with_capacity(self.entry.size as usize);
        (&self.file)
            .take(cap + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| CoreError::io(&self.path, e))?;
        if bytes.len() as u64 > cap {
            return Err(too_large(&self.path, bytes.len() as u64, kind));
        }
        Ok(bytes)
    }

    /// The path on disk, for messages.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn too_large(path: &Path, size: u64, kind: FileKind) -> CoreError {
    CoreError::Refused {
        path: path.to_path_buf(),
        reason: format!(
            "the file is {}; {} larger than {} are not opened",
            human_size(size),
            kind.noun(),
            human_size(kind.max_bytes())
        ),
    }
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MB", bytes / (1024 * 1024))
    } else if bytes >= 1024 {
        format!("{} kB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// The drafts folder, held open at its canonical root. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Folder {
    root: PathBuf,
    #[cfg(unix)]
    fd: Arc<std::os::fd::OwnedFd>,
    #[cfg(not(unix))]
    _fd: Arc<()>,
    /// Use `openat2` where the kernel has it (Linux); off, the walk does the same work.
    fast: bool,
}

/// How a step of the way failed, and at which component (0-based, inclusive).
enum Fail {
    NotFound,
    Refused(usize, String),
    Io(usize, std::io::Error),
}

impl Folder {
    /// Opens `root` (canonicalised: the folder the user chose, links in its own path
    /// resolved once, here).
    pub fn open(root: &Path) -> Result<Folder> {
        let root = root.canonicalize().map_err(|e| CoreError::io(root, e))?;
        if !root.is_dir() {
            return Err(CoreError::InvalidArgument(format!(
                "{} is not a folder",
                root.display()
            )));
        }
        #[cfg(unix)]
        {
            let fd = sys::open_root(&root).map_err(|e| CoreError::io(&root, e))?;
            Ok(Folder {
                root,
                fd: Arc::new(fd),
                fast: true,
            })
        }
        #[cfg(not(unix))]
        Ok(Folder {
            root,
            _fd: Arc::new(()),
            fast: false,
        })
    }

    /// The same folder reached by the component walk only, never `openat2` (tests run
    /// both ways; a file system where `openat2` misbehaves could use it too).
    pub fn without_openat2(mut self) -> Folder {
        self.fast = false;
        self
    }

    /// The canonical root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `path` on disk, for messages and for handing to other programs.
    pub fn abs(&self, path: &WorkspacePath) -> PathBuf {
        path.under(&self.root)
    }

    fn error(&self, path: &WorkspacePath, fail: Fail) -> CoreError {
        let upto = |i: usize| {
            path.components()
                .take(i + 1)
                .fold(self.root.clone(), |p, c| p.join(c))
        };
        match fail {
            Fail::NotFound => CoreError::NotFound(self.abs(path)),
            Fail::Refused(i, reason) => CoreError::Refused {
                path: upto(i),
                reason,
            },
            Fail::Io(i, e) => CoreError::io(&upto(i), e),
        }
    }

    /// What `path` is, without following a link anywhere on the way; `None` when it
    /// does not exist (or a folder on the way is not one). A link on the way is an error.
    pub fn entry(&self, path: &WorkspacePath) -> Result<Option<Entry>> {
        let comps: Vec<&str> = path.components().collect();
        match self.entry_of(&comps) {
            Ok(e) => Ok(Some(e)),
            Err(Fail::NotFound) => Ok(None),
            Err(f) => Err(self.error(path, f)),
        }
    }

    /// Is there a regular file at `path`, reached without a link? (The desk checklist's
    /// "found".)
    pub fn is_file(&self, path: &WorkspacePath) -> bool {
        matches!(self.entry(path), Ok(Some(e)) if e.kind == EntryKind::File)
    }

    /// Does anything (file, link, FIFO…) have this name? Names taken by anything are
    /// not free for a new file. An error (a link or a file on the way) is an error, not
    /// "taken": a caller looking for a free name would otherwise look forever.
    pub fn taken(&self, path: &WorkspacePath) -> Result<bool> {
        self.entry(path).map(|e| e.is_some())
    }

    /// Opens a regular file for reading (see the module's rules).
    pub fn open_file(&self, path: &WorkspacePath) -> Result<OpenFile> {
        let comps: Vec<&str> = path.components().collect();
        let (file, entry) = self.open_file_at(&comps).map_err(|f| self.error(path, f))?;
        Ok(OpenFile {
            file,
            entry,
            path: self.abs(path),
        })
    }

    /// The whole content of a regular file, within `kind`'s cap.
    pub fn read(&self, path: &WorkspacePath, kind: FileKind) -> Result<Vec<u8>> {
        self.open_file(path)?.read_capped(kind)
    }

    /// The names in the folder `dir` (`None`: the top), each as `lstat` sees it; names
    /// that are not UTF-8 are left out (they cannot be drafts).
    pub fn list(&self, dir: Option<&WorkspacePath>) -> Result<Vec<(String, Entry)>> {
        let comps: Vec<&str> = dir.map(|d| d.components().collect()).unwrap_or_default();
        self.list_at(&comps).map_err(|f| self.listing_error(dir, f))
    }

    /// The names of the folders directly in `dir` (`None`: the top), not hidden (no
    /// leading `.`) and UTF-8. Only folders: a link to a folder is not one (never
    /// followed), and regular files are not looked at one by one, so listing a folder of
    /// 10,000 drafts costs its directory entries, not 10,000 `lstat`s (the type the
    /// directory entry carries is used; a name whose type it does not carry is looked at
    /// with `lstat`), and a folder whose link count says it holds no folder is not read at
    /// all, on the file systems whose counts say so (ext4, XFS, tmpfs). The watcher's
    /// walk: it needs every folder and no file.
    pub fn list_folders(&self, dir: Option<&WorkspacePath>) -> Result<Vec<String>> {
        let comps: Vec<&str> = dir.map(|d| d.components().collect()).unwrap_or_default();
        self.list_folders_at(&comps)
            .map_err(|f| self.listing_error(dir, f))
    }

    /// A failure to list `dir` (`None`: the top) as the core's error: named by the folder,
    /// or by the drafts folder itself at the top.
    fn listing_error(&self, dir: Option<&WorkspacePath>, f: Fail) -> CoreError {
        match dir {
            Some(d) => self.error(d, f),
            None => CoreError::io(
                &self.root,
                match f {
                    Fail::Io(_, e) => e,
                    _ => std::io::Error::other("cannot list the drafts folder"),
                },
            ),
        }
    }

    /// Makes the folder `dir` and those above it, refusing a link or a file in the way.
    pub fn create_dir_all(&self, dir: &WorkspacePath) -> Result<()> {
        let comps: Vec<&str> = dir.components().collect();
        self.dir_at(&comps, true)
            .map(|_| ())
            .map_err(|f| self.error(dir, f))
    }

    /// Replaces `path` with `contents` atomically (a temp file beside it, synced, renamed
    /// over it). The folder is created if needed. A file that exists keeps its
    /// permissions; a new one gets the user's umask. A link or a special file under that
    /// name is refused, never written through.
    pub fn write_atomic(&self, path: &WorkspacePath, contents: &[u8]) -> Result<()> {
        self.write(path, contents, false, None)
    }

    /// Like [`Folder::write_atomic`], with the permissions of `like` (a lock file is as
    /// readable as its draft) when `path` does not exist yet.
    pub fn write_atomic_like(
        &self,
        path: &WorkspacePath,
        contents: &[u8],
        like: &WorkspacePath,
    ) -> Result<()> {
        let mode = self
            .entry(like)
            .ok()
            .flatten()
            .filter(|e| e.kind == EntryKind::File)
            .map(|e| e.mode);
        self.write(path, contents, false, mode)
    }

    /// Creates `path` with `contents`, failing if the name is taken (even if it appeared
    /// a moment ago: the final step refuses to replace anything).
    pub fn create_new(&self, path: &WorkspacePath, contents: &[u8]) -> Result<()> {
        self.write(path, contents, true, None)
    }

    /// Removes the regular file `path`; `false` when there was none. A link under that
    /// name is removed as a link (never what it points to), a folder is refused.
    pub fn remove_file(&self, path: &WorkspacePath) -> Result<bool> {
        let comps: Vec<&str> = path.components().collect();
        self.remove_at(&comps).map_err(|f| self.error(path, f))
    }

    fn write(
        &self,
        path: &WorkspacePath,
        contents: &[u8],
        create_new: bool,
        mode: Option<u32>,
    ) -> Result<()> {
        let comps: Vec<&str> = path.components().collect();
        self.write_at(&comps, contents, create_new, mode)
            .map_err(|f| match f {
                Fail::Refused(i, reason)
                    if create_new && i + 1 == comps.len() && reason == EXISTS =>
                {
                    CoreError::Exists(self.abs(path))
                }
                f => self.error(path, f),
            })
    }
}

const EXISTS: &str = "already exists";

fn temp_name(name: &str, attempt: u32) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    // Keep the name short enough for any file system (255 bytes): at most 100 bytes of
    // the target's name, cut at a character boundary.
    let mut end = name.len().min(100);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    let mut short = name[..end].to_owned();
    short.retain(|c| c != '/');
    format!(
        "{}{short}.{}-{n}-{nanos:x}-{attempt}.tmp",
        TEMP_PREFIX,
        std::process::id()
    )
}

#[cfg(unix)]
#[path = "unix.rs"]
mod sys;

#[cfg(not(unix))]
#[path = "portable.rs"]
mod sys;

#[cfg(test)]
#[cfg(unix)]
mod tests;
