//! The one door to the drafts folder: every read and write of a file in it goes here.
//!
//! The folder is hostile input (a shared drive, a sync tool, a git checkout): whoever can
//! write there chooses names, symlinks and special files. So a [`Folder`] holds the
//! folder's canonical root open and reaches a [`WorkspacePath`] from it:
//!
//! - no symbolic link is followed in any component (on Linux `openat2` with
//!   `RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS`; elsewhere, or on an older kernel, one
//!   `openat(O_NOFOLLOW | O_DIRECTORY)` per folder), so nothing outside the root is read
//!   or written, whatever the links say;
//! - only regular files are opened, and with `O_NONBLOCK`, so a FIFO or a socket named
//!   like a draft or a lock file is refused at once instead of hanging the caller (and
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
    /// A Markdown draft (see [`crate::files::MAX_DRAFT_BYTES`]).
    Draft,
    /// An image of a draft: preview, desk checklist, publishing, import.
    Image,
    /// A "who is editing" lock file: a few hundred bytes of JSON.
    Lock,
}

/// Largest image read or imported (a press photo is a few MB; a 100 MB TIFF is a mistake).
pub const MAX_IMAGE_BYTES: u64 = 32 * 1024 * 1024;
/// A lock file is a few hundred bytes; anything larger is not ours.
pub const MAX_LOCK_BYTES: u64 = 4096;

impl FileKind {
    pub fn max_bytes(self) -> u64 {
        match self {
            FileKind::Draft => crate::files::MAX_DRAFT_BYTES,
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
        let (file, entry) = self
            .open_file_at(path.as_str(), &comps)
            .map_err(|f| self.error(path, f))?;
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
        self.list_at(&comps).map_err(|f| match dir {
            Some(d) => self.error(d, f),
            None => CoreError::io(
                &self.root,
                match f {
                    Fail::Io(_, e) => e,
                    _ => std::io::Error::other("cannot list the drafts folder"),
                },
            ),
        })
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
                    CoreError::InvalidArgument(format!(
                        "{} already exists",
                        self.abs(path).display()
                    ))
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
        crate::files::TEMP_PREFIX,
        std::process::id()
    )
}

#[cfg(unix)]
mod sys {
    //! The door on Unix: everything relative to the root's descriptor.

    use std::fs::File;
    use std::io::Write;
    use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
    use std::path::Path;

    use rustix::fs::{self as rfs, AtFlags, FileType, Mode, OFlags};
    use rustix::io::Errno;

    use super::{EXISTS, Entry, EntryKind, Fail, Folder, temp_name};

    pub fn open_root(root: &Path) -> std::io::Result<OwnedFd> {
        Ok(rfs::open(
            root,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )?)
    }

    const DIR_FLAGS: OFlags = OFlags::RDONLY
        .union(OFlags::DIRECTORY)
        .union(OFlags::NOFOLLOW)
        .union(OFlags::CLOEXEC);
    const FILE_FLAGS: OFlags = OFlags::RDONLY
        .union(OFlags::NOFOLLOW)
        .union(OFlags::NONBLOCK)
        .union(OFlags::NOCTTY)
        .union(OFlags::CLOEXEC);

    /// `lstat` as the door reports it.
    #[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
    pub fn entry_of_stat(st: &rfs::Stat) -> Entry {
        let kind = match FileType::from_raw_mode(st.st_mode as _) {
            FileType::RegularFile => EntryKind::File,
            FileType::Directory => EntryKind::Folder,
            FileType::Symlink => EntryKind::Symlink,
            FileType::Fifo => EntryKind::Fifo,
            FileType::Socket => EntryKind::Socket,
            FileType::CharacterDevice | FileType::BlockDevice => EntryKind::Device,
            _ => EntryKind::Other,
        };
        let secs = st.st_mtime as i64;
        let nanos = st.st_mtime_nsec as i64;
        let mtime_ns = if secs < 0 {
            0
        } else {
            secs.saturating_mul(1_000_000_000).saturating_add(nanos)
        };
        Entry {
            kind,
            size: (st.st_size as i64).max(0) as u64,
            mtime_ns,
            mode: (st.st_mode as u32) & 0o7777,
        }
    }

    fn lstat_at(dir: BorrowedFd<'_>, name: &str) -> Result<Entry, Errno> {
        rfs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW).map(|st| entry_of_stat(&st))
    }

    /// Why opening component `i` (`name` in `dir`) failed, in words.
    fn classify(dir: BorrowedFd<'_>, name: &str, i: usize, err: Errno, want_dir: bool) -> Fail {
        match lstat_at(dir, name) {
            Err(Errno::NOENT) => Fail::NotFound,
            Ok(e) if e.kind == EntryKind::Folder && want_dir => Fail::Io(i, err.into()),
            Ok(e) if e.kind == EntryKind::File && want_dir => {
                Fail::Refused(i, "is a file, not a folder".into())
            }
            Ok(e) if e.kind == EntryKind::File => Fail::Io(i, err.into()),
            Ok(e) => Fail::Refused(i, e.kind.refusal().into()),
            Err(e) => Fail::Io(i, e.into()),
        }
    }

    #[cfg(target_os = "linux")]
    mod fast {
        use std::sync::atomic::{AtomicBool, Ordering};

        /// Cleared when the kernel says it has no `openat2` (before 5.6) or a sandbox
        /// forbids it; the walk does the same work then.
        static OPENAT2: AtomicBool = AtomicBool::new(true);

        pub fn available() -> bool {
            OPENAT2.load(Ordering::Relaxed)
        }

        pub fn unavailable() {
            OPENAT2.store(false, Ordering::Relaxed);
        }
    }

    impl Folder {
        fn root_fd(&self) -> BorrowedFd<'_> {
            self.fd.as_fd()
        }

        /// `openat2` beneath the root with no link followed, where the kernel has it.
        /// `None`: not available, or failed (the walk then says why in words).
        #[cfg(target_os = "linux")]
        fn open_fast(&self, rel: &str, flags: OFlags) -> Option<OwnedFd> {
            use rustix::fs::ResolveFlags;
            if !self.fast || !fast::available() {
                return None;
            }
            let how =
                ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS;
            match rfs::openat2(self.root_fd(), rel, flags, Mode::empty(), how) {
                Ok(fd) => Some(fd),
                Err(Errno::NOSYS | Errno::PERM) => {
                    fast::unavailable();
                    None
                }
                Err(_) => None,
            }
        }

        #[cfg(not(target_os = "linux"))]
        fn open_fast(&self, _rel: &str, _flags: OFlags) -> Option<OwnedFd> {
            None
        }

        /// The folder `comps`, one `openat(O_NOFOLLOW | O_DIRECTORY)` per component;
        /// missing folders are made when `create`.
        pub(super) fn dir_at(&self, comps: &[&str], create: bool) -> Result<OwnedFd, Fail> {
            if !create && !comps.is_empty() {
                if let Some(fd) = self.open_fast(&comps.join("/"), DIR_FLAGS) {
                    return Ok(fd);
                }
            }
            let mut cur = rfs::openat(self.root_fd(), ".", DIR_FLAGS, Mode::empty())
                .map_err(|e| Fail::Io(0, e.into()))?;
            for (i, name) in comps.iter().enumerate() {
                let next = match rfs::openat(&cur, *name, DIR_FLAGS, Mode::empty()) {
                    Err(Errno::NOENT) if create => {
                        match rfs::mkdirat(&cur, *name, Mode::from_raw_mode(0o777)) {
                            Ok(()) | Err(Errno::EXIST) => {}
                            Err(e) => return Err(Fail::Io(i, e.into())),
                        }
                        rfs::openat(&cur, *name, DIR_FLAGS, Mode::empty())
                    }
                    other => other,
                };
                cur = next.map_err(|e| classify(cur.as_fd(), name, i, e, true))?;
            }
            Ok(cur)
        }

        pub(super) fn entry_of(&self, comps: &[&str]) -> Result<Entry, Fail> {
            let (name, dirs) = comps.split_last().ok_or(Fail::NotFound)?;
            let dir = self.dir_at(dirs, false)?;
            match lstat_at(dir.as_fd(), name) {
                Ok(e) => Ok(e),
                Err(Errno::NOENT | Errno::NOTDIR) => Err(Fail::NotFound),
                Err(e) => Err(Fail::Io(comps.len() - 1, e.into())),
            }
        }

        pub(super) fn open_file_at(
            &self,
            rel: &str,
            comps: &[&str],
        ) -> Result<(File, Entry), Fail> {
            let last = comps.len().saturating_sub(1);
            let fd = match self.open_fast(rel, FILE_FLAGS) {
                Some(fd) => fd,
                None => {
                    let (name, dirs) = comps.split_last().ok_or(Fail::NotFound)?;
                    let dir = self.dir_at(dirs, false)?;
                    // Look first, so a device is not even opened.
                    match lstat_at(dir.as_fd(), name) {
                        Ok(e) if e.kind == EntryKind::File => {}
                        Ok(e) => return Err(Fail::Refused(last, e.kind.refusal().into())),
                        Err(Errno::NOENT) => return Err(Fail::NotFound),
                        Err(e) => return Err(Fail::Io(last, e.into())),
                    }
                    rfs::openat(&dir, *name, FILE_FLAGS, Mode::empty())
                        .map_err(|e| classify(dir.as_fd(), name, last, e, false))?
                }
            };
            // The name may have changed between the look and the open: what counts is
            // what was opened.
            let st = rfs::fstat(&fd).map_err(|e| Fail::Io(last, e.into()))?;
            let entry = entry_of_stat(&st);
            if entry.kind != EntryKind::File {
                return Err(Fail::Refused(last, entry.kind.refusal().into()));
            }
            Ok((File::from(fd), entry))
        }

        pub(super) fn list_at(&self, comps: &[&str]) -> Result<Vec<(String, Entry)>, Fail> {
            let dir = self.dir_at(comps, false)?;
            let last = comps.len().saturating_sub(1);
            let reader = rfs::Dir::read_from(&dir).map_err(|e| Fail::Io(last, e.into()))?;
            let mut out = Vec::new();
            for item in reader {
                let Ok(item) = item else { break };
                let Ok(name) = item.file_name().to_str() else {
                    continue;
                };
                if name == "." || name == ".." {
                    continue;
                }
                // Gone since it was listed: skip it.
                if let Ok(e) = lstat_at(dir.as_fd(), name) {
                    out.push((name.to_owned(), e));
                }
            }
            Ok(out)
        }

        pub(super) fn remove_at(&self, comps: &[&str]) -> Result<bool, Fail> {
            let (name, dirs) = comps.split_last().ok_or(Fail::NotFound)?;
            let last = comps.len() - 1;
            let dir = match self.dir_at(dirs, false) {
                Ok(d) => d,
                Err(Fail::NotFound) => return Ok(false),
                Err(f) => return Err(f),
            };
            match rfs::unlinkat(&dir, *name, AtFlags::empty()) {
                Ok(()) => Ok(true),
                Err(Errno::NOENT) => Ok(false),
                Err(Errno::ISDIR) => Err(Fail::Refused(last, EntryKind::Folder.refusal().into())),
                Err(e) => Err(Fail::Io(last, e.into())),
            }
        }

        pub(super) fn write_at(
            &self,
            comps: &[&str],
            contents: &[u8],
            create_new: bool,
            mode: Option<u32>,
        ) -> Result<(), Fail> {
            let (name, dirs) = comps.split_last().ok_or(Fail::NotFound)?;
            let last = comps.len() - 1;
            let dir = self.dir_at(dirs, true)?;
            let keep_mode = match lstat_at(dir.as_fd(), name) {
                Ok(_) if create_new => return Err(Fail::Refused(last, EXISTS.into())),
                Ok(e) if e.kind == EntryKind::File => Some(e.mode),
                Ok(e) => {
                    return Err(Fail::Refused(
                        last,
                        format!("{}; nothing was written", e.kind.refusal()),
                    ));
                }
                Err(Errno::NOENT) => mode,
                Err(e) => return Err(Fail::Io(last, e.into())),
            };
            let (tmp_name, tmp) = create_temp(dir.as_fd(), name).map_err(|e| Fail::Io(last, e))?;
            let cleanup = |e: Fail| {
                let _ = rfs::unlinkat(&dir, tmp_name.as_str(), AtFlags::empty());
                e
            };
            let mut file = File::from(tmp);
            file.write_all(contents)
                .map_err(|e| cleanup(Fail::Io(last, e)))?;
            if let Some(mode) = keep_mode {
                // Read and write bits only: a set-id bit is not copied onto a new file.
                // (`mode_t` is 16 bits on some systems: the bits kept fit.)
                #[allow(clippy::unnecessary_cast)]
                let mode = Mode::from_raw_mode((mode & 0o777) as _);
                rfs::fchmod(&file, mode).map_err(|e| cleanup(Fail::Io(last, e.into())))?;
            }
            file.sync_all().map_err(|e| cleanup(Fail::Io(last, e)))?;
            drop(file);
            let moved = if create_new {
                rename_noreplace(dir.as_fd(), &tmp_name, name)
            } else {
                rfs::renameat(&dir, tmp_name.as_str(), &dir, *name)
            };
            match moved {
                Ok(()) => {}
                Err(Errno::EXIST) => return Err(cleanup(Fail::Refused(last, EXISTS.into()))),
                Err(e) => return Err(cleanup(Fail::Io(last, e.into()))),
            }
            // Make the rename durable.
            let _ = rfs::fsync(&dir);
            Ok(())
        }
    }

    /// A new temp file in `dir`, mode `0o666` less the umask (the kernel applies it).
    fn create_temp(dir: BorrowedFd<'_>, name: &str) -> std::io::Result<(String, OwnedFd)> {
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let mut attempt = 0;
        loop {
            let tmp = temp_name(name, attempt);
            match rfs::openat(dir, tmp.as_str(), flags, Mode::from_raw_mode(0o666)) {
                Ok(fd) => return Ok((tmp, fd)),
                Err(Errno::EXIST) if attempt < 16 => attempt += 1,
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Renames without replacing: `renameat2(RENAME_NOREPLACE)` where there is one, else
    /// a hard link (which never replaces) and the temp name removed.
    fn rename_noreplace(dir: BorrowedFd<'_>, from: &str, to: &str) -> Result<(), Errno> {
        #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
        match rfs::renameat_with(dir, from, dir, to, rfs::RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            Err(Errno::EXIST) => return Err(Errno::EXIST),
            Err(_) => {} // file system or kernel without it
        }
        rfs::linkat(dir, from, dir, to, AtFlags::empty())?;
        let _ = rfs::unlinkat(dir, from, AtFlags::empty());
        Ok(())
    }
}

#[cfg(not(unix))]
mod sys {
    //! The door elsewhere: path checks with `symlink_metadata` on every component.
    //! Weaker than the descriptor walk (a name can change between the check and the
    //! open), but no link is followed by a check that passed.

    use std::fs::File;
    use std::path::PathBuf;

    use super::{EXISTS, Entry, EntryKind, Fail, Folder, temp_name};

    fn entry_of_meta(meta: &std::fs::Metadata) -> Entry {
        let ft = meta.file_type();
        let kind = if ft.is_symlink() {
            EntryKind::Symlink
        } else if ft.is_dir() {
            EntryKind::Folder
        } else if ft.is_file() {
            EntryKind::File
        } else {
            EntryKind::Other
        };
        Entry {
            kind,
            size: meta.len(),
            mtime_ns: meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos().min(i64::MAX as u128) as i64),
            mode: 0,
        }
    }

    impl Folder {
        fn walk(&self, comps: &[&str], create: bool) -> Result<PathBuf, Fail> {
            let mut cur = self.root.clone();
            for (i, name) in comps.iter().enumerate() {
                cur.push(name);
                match std::fs::symlink_metadata(&cur) {
                    Ok(m) if m.file_type().is_dir() => {}
                    Ok(m) => {
                        let e = entry_of_meta(&m);
                        return Err(Fail::Refused(
                            i,
                            if e.kind == EntryKind::File {
                                "is a file, not a folder".into()
                            } else {
                                e.kind.refusal().into()
                            },
                        ));
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                        std::fs::create_dir(&cur).map_err(|e| Fail::Io(i, e))?;
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        return Err(Fail::NotFound);
                    }
                    Err(e) => return Err(Fail::Io(i, e)),
                }
            }
            Ok(cur)
        }

        pub(super) fn dir_at(&self, comps: &[&str], create: bool) -> Result<PathBuf, Fail> {
            self.walk(comps, create)
        }

        pub(super) fn entry_of(&self, comps: &[&str]) -> Result<Entry, Fail> {
            let (name, dirs) = comps.split_last().ok_or(Fail::NotFound)?;
            let p = self.walk(dirs, false)?.join(name);
            match std::fs::symlink_metadata(&p) {
                Ok(m) => Ok(entry_of_meta(&m)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Fail::NotFound),
                Err(e) => Err(Fail::Io(comps.len() - 1, e)),
            }
        }

        pub(super) fn open_file_at(
            &self,
            _rel: &str,
            comps: &[&str],
        ) -> Result<(File, Entry), Fail> {
            let last = comps.len().saturating_sub(1);
            let e = self.entry_of(comps)?;
            if e.kind != EntryKind::File {
                return Err(Fail::Refused(last, e.kind.refusal().into()));
            }
            let p = self.walk(&comps[..last], false)?.join(comps[last]);
            let file = File::open(&p).map_err(|e| Fail::Io(last, e))?;
            let meta = file.metadata().map_err(|e| Fail::Io(last, e))?;
            let entry = entry_of_meta(&meta);
            if entry.kind != EntryKind::File {
                return Err(Fail::Refused(last, entry.kind.refusal().into()));
            }
            Ok((file, entry))
        }

        pub(super) fn list_at(&self, comps: &[&str]) -> Result<Vec<(String, Entry)>, Fail> {
            let dir = self.walk(comps, false)?;
            let last = comps.len().saturating_sub(1);
            let mut out = Vec::new();
            for item in std::fs::read_dir(&dir)
                .map_err(|e| Fail::Io(last, e))?
                .flatten()
            {
                let Some(name) = item.file_name().to_str().map(str::to_owned) else {
                    continue;
                };
                if let Ok(m) = std::fs::symlink_metadata(item.path()) {
                    out.push((name, entry_of_meta(&m)));
                }
            }
            Ok(out)
        }

        pub(super) fn remove_at(&self, comps: &[&str]) -> Result<bool, Fail> {
            let last = comps.len().saturating_sub(1);
            let p = match self.walk(&comps[..last], false) {
                Ok(d) => d.join(comps[last]),
                Err(Fail::NotFound) => return Ok(false),
                Err(f) => return Err(f),
            };
            match std::fs::remove_file(&p) {
                Ok(()) => Ok(true),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
                Err(e) => Err(Fail::Io(last, e)),
            }
        }

        pub(super) fn write_at(
            &self,
            comps: &[&str],
            contents: &[u8],
            create_new: bool,
            _mode: Option<u32>,
        ) -> Result<(), Fail> {
            use std::io::Write;
            let last = comps.len().saturating_sub(1);
            let dir = self.walk(&comps[..last], true)?;
            let target = dir.join(comps[last]);
            match std::fs::symlink_metadata(&target) {
                Ok(_) if create_new => return Err(Fail::Refused(last, EXISTS.into())),
                Ok(m) if m.file_type().is_file() => {}
                Ok(m) => return Err(Fail::Refused(last, entry_of_meta(&m).kind.refusal().into())),
                Err(_) => {}
            }
            let tmp = dir.join(temp_name(comps[last], 0));
            let result = (|| -> std::io::Result<()> {
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&tmp)?;
                f.write_all(contents)?;
                f.sync_all()?;
                drop(f);
                if create_new {
                    std::fs::hard_link(&tmp, &target)?;
                    std::fs::remove_file(&tmp)
                } else {
                    std::fs::rename(&tmp, &target)
                }
            })();
            result.map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    Fail::Refused(last, EXISTS.into())
                } else {
                    Fail::Io(last, e)
                }
            })
        }
    }
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;
    use std::os::unix::fs::{PermissionsExt, symlink};
    use std::time::Duration;

    fn p(s: &str) -> WorkspacePath {
        WorkspacePath::new(s).unwrap()
    }

    /// A folder `root` inside a temp dir, and a canary file beside it (outside).
    fn setup() -> (tempfile::TempDir, Folder, PathBuf) {
        setup_with(true)
    }

    /// `fast`: with `openat2` where there is one; else the component walk.
    fn setup_with(fast: bool) -> (tempfile::TempDir, Folder, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(root.join("world")).unwrap();
        std::fs::write(root.join("world/minsk.md"), "# Minsk\n").unwrap();
        let canary = dir.path().join("canary.txt");
        std::fs::write(&canary, "CANARY-door-7f3a").unwrap();
        let folder = Folder::open(&root).unwrap();
        let folder = if fast {
            folder
        } else {
            folder.without_openat2()
        };
        (dir, folder, canary)
    }

    fn mkfifo(path: &Path) {
        let made = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap();
        assert!(made.success());
    }

    /// Runs `f` on another thread; fails the test if it takes more than a few seconds.
    fn bounded<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(f());
        });
        rx.recv_timeout(Duration::from_secs(5))
            .expect("the call hung (blocked on a FIFO?)")
    }

    #[test]
    fn reads_regular_files_inside() {
        let (_d, folder, _) = setup();
        assert_eq!(
            folder.read(&p("world/minsk.md"), FileKind::Draft).unwrap(),
            b"# Minsk\n"
        );
        assert!(folder.is_file(&p("world/minsk.md")));
        assert!(matches!(
            folder.read(&p("world/gone.md"), FileKind::Draft),
            Err(CoreError::NotFound(_))
        ));
        assert!(matches!(
            folder.read(&p("nowhere/gone.md"), FileKind::Draft),
            Err(CoreError::NotFound(_))
        ));
    }

    #[test]
    fn links_are_never_followed_anywhere_on_the_way() {
        links_are_never_followed(true);
        links_are_never_followed(false);
    }

    fn links_are_never_followed(fast: bool) {
        let (d, folder, canary) = setup_with(fast);
        let root = folder.root().to_path_buf();
        symlink(&canary, root.join("story.md")).unwrap();
        symlink(d.path(), root.join("up")).unwrap();
        symlink("/", root.join("slash")).unwrap();
        symlink(root.join("world"), root.join("inside")).unwrap();
        for path in [
            "story.md",
            "up/canary.txt",
            "slash/etc/hostname",
            "inside/minsk.md",
        ] {
            let err = folder.read(&p(path), FileKind::Draft).unwrap_err();
            assert_eq!(err.code(), "refused", "{path}: {err}");
            assert!(err.to_string().contains("symbolic link"), "{path}: {err}");
            assert!(!folder.is_file(&p(path)), "{path}");
        }
        // Writes neither follow nor replace a link.
        let err = folder.write_atomic(&p("story.md"), b"x").unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert!(folder.write_atomic(&p("up/canary.txt"), b"x").is_err());
        assert!(folder.create_new(&p("up/new.md"), b"x").is_err());
        assert!(folder.create_dir_all(&p("up/sub")).is_err());
        assert_eq!(
            std::fs::read_to_string(&canary).unwrap(),
            "CANARY-door-7f3a"
        );
        assert!(!d.path().join("new.md").exists() && !d.path().join("sub").exists());
        assert!(
            std::fs::symlink_metadata(root.join("story.md"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn special_files_are_refused_without_blocking() {
        special_files_are_refused(true);
        special_files_are_refused(false);
    }

    fn special_files_are_refused(fast: bool) {
        let (_d, folder, _) = setup_with(fast);
        let root = folder.root().to_path_buf();
        mkfifo(&root.join("fifo.md"));
        let _sock = std::os::unix::net::UnixListener::bind(root.join("sock.md")).unwrap();
        let f = folder.clone();
        let (fifo, sock, dir) = bounded(move || {
            (
                f.read(&p("fifo.md"), FileKind::Draft).unwrap_err(),
                f.read(&p("sock.md"), FileKind::Draft).unwrap_err(),
                f.read(&p("world"), FileKind::Draft).unwrap_err(),
            )
        });
        assert!(fifo.to_string().contains("FIFO"), "{fifo}");
        assert!(fifo.to_string().contains("fifo.md"), "{fifo}");
        assert!(sock.to_string().contains("socket"), "{sock}");
        assert!(dir.to_string().contains("folder"), "{dir}");
        // Nor are they written over.
        let f = folder.clone();
        let err = bounded(move || f.write_atomic(&p("fifo.md"), b"x").unwrap_err());
        assert!(err.to_string().contains("FIFO"), "{err}");
    }

    #[test]
    fn long_names_get_short_temp_files() {
        let (_d, folder, _) = setup();
        // 60 four-byte characters: 240 bytes, a legal name whose temp name must stay legal.
        let name = format!("{}.md", "𝔸".repeat(60));
        folder.write_atomic(&p(&name), b"x").unwrap();
        assert_eq!(folder.read(&p(&name), FileKind::Draft).unwrap(), b"x");
        assert!(temp_name(&name, 0).len() < 200);
    }

    #[test]
    fn the_size_cap_is_per_kind() {
        let (_d, folder, _) = setup();
        std::fs::write(folder.root().join("big.lock"), vec![b'x'; 5000]).unwrap();
        let err = folder.read(&p("big.lock"), FileKind::Lock).unwrap_err();
        assert!(
            err.to_string().contains("lock files larger than 4 kB"),
            "{err}"
        );
        assert_eq!(
            folder.read(&p("big.lock"), FileKind::Draft).unwrap().len(),
            5000
        );
    }

    #[test]
    fn writes_are_atomic_keep_permissions_and_honour_the_umask() {
        let (_d, folder, _) = setup();
        let root = folder.root().to_path_buf();
        folder.write_atomic(&p("new/deep/a.md"), b"one").unwrap();
        assert_eq!(std::fs::read(root.join("new/deep/a.md")).unwrap(), b"one");
        let mode = std::fs::metadata(root.join("new/deep/a.md"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        // Whatever the umask, a new file is not made private by us: 0o666 less the umask.
        let probe = root.join("probe");
        std::fs::write(&probe, "").unwrap();
        let expected = std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, expected);
        std::fs::set_permissions(
            root.join("new/deep/a.md"),
            std::fs::Permissions::from_mode(0o664),
        )
        .unwrap();
        folder.write_atomic(&p("new/deep/a.md"), b"two").unwrap();
        let meta = std::fs::metadata(root.join("new/deep/a.md")).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o664);
        folder.create_new(&p("new/deep/b.md"), b"b").unwrap();
        let err = folder.create_new(&p("new/deep/b.md"), b"c").unwrap_err();
        assert!(err.to_string().contains("already exists"), "{err}");
        assert_eq!(std::fs::read(root.join("new/deep/b.md")).unwrap(), b"b");
        let names: Vec<String> = folder
            .list(Some(&p("new/deep")))
            .unwrap()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names.len(), 2, "no temp file left: {names:?}");
        assert!(folder.remove_file(&p("new/deep/b.md")).unwrap());
        assert!(!folder.remove_file(&p("new/deep/b.md")).unwrap());
    }

    #[test]
    fn listing_reports_what_each_name_is() {
        let (_d, folder, canary) = setup();
        let root = folder.root().to_path_buf();
        symlink(&canary, root.join("link.md")).unwrap();
        mkfifo(&root.join("pipe.md"));
        let mut listed = folder.list(None).unwrap();
        listed.sort_by(|a, b| a.0.cmp(&b.0));
        let kinds: Vec<(&str, EntryKind)> =
            listed.iter().map(|(n, e)| (n.as_str(), e.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                ("link.md", EntryKind::Symlink),
                ("pipe.md", EntryKind::Fifo),
                ("world", EntryKind::Folder)
            ]
        );
    }
}
