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

/// Whether the folder open at `dir` certainly holds no folder: on the file systems that
/// count a folder's subfolders in its link count (2 + subfolders: ext2/3/4, XFS, tmpfs;
/// not btrfs, which says 1, nor network and FUSE file systems, whose counts are whatever
/// the server says), a count of 2 means none, so its entries need not be read. A section
/// folder of 10,000 drafts is then one `fstat`, not 10,000 directory entries.
fn has_no_subfolders(dir: BorrowedFd<'_>) -> bool {
    const EXT: i128 = 0xEF53;
    const XFS: i128 = 0x5846_5342;
    const TMPFS: i128 = 0x0102_1994;
    let counted =
        rfs::fstatfs(dir).is_ok_and(|fs| matches!(i128::from(fs.f_type), EXT | XFS | TMPFS));
    #[allow(clippy::useless_conversion)]
    let no_more_links = rfs::fstat(dir).is_ok_and(|st| u64::from(st.st_nlink) == 2);
    counted && no_more_links
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
        let how = ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS;
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

    /// The folder (by `openat2` where there is one, else the walk), then a look at the
    /// name without following it, then the open: a device, FIFO or socket is refused
    /// from the look and never opened (opening a device can have effects of its own).
    pub(super) fn open_file_at(&self, comps: &[&str]) -> Result<(File, Entry), Fail> {
        let last = comps.len().saturating_sub(1);
        let (name, dirs) = comps.split_last().ok_or(Fail::NotFound)?;
        let dir = self.dir_at(dirs, false)?;
        match lstat_at(dir.as_fd(), name) {
            Ok(e) if e.kind == EntryKind::File => {}
            Ok(e) => return Err(Fail::Refused(last, e.kind.refusal().into())),
            Err(Errno::NOENT) => return Err(Fail::NotFound),
            Err(e) => return Err(Fail::Io(last, e.into())),
        }
        let fd = rfs::openat(&dir, *name, FILE_FLAGS, Mode::empty())
            .map_err(|e| classify(dir.as_fd(), name, last, e, false))?;
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

    pub(super) fn list_folders_at(&self, comps: &[&str]) -> Result<Vec<String>, Fail> {
        let dir = self.dir_at(comps, false)?;
        let last = comps.len().saturating_sub(1);
        if has_no_subfolders(dir.as_fd()) {
            return Ok(Vec::new());
        }
        let reader = rfs::Dir::read_from(&dir).map_err(|e| Fail::Io(last, e.into()))?;
        let mut out = Vec::new();
        for item in reader {
            let Ok(item) = item else { break };
            let Ok(name) = item.file_name().to_str() else {
                continue;
            };
            if name.starts_with('.') {
                continue; // `.`, `..` and hidden folders (`.git`): never drafts
            }
            let folder = match item.file_type() {
                FileType::Directory => true,
                // the file system did not say (some do not fill in `d_type`): look
                FileType::Unknown => {
                    lstat_at(dir.as_fd(), name).is_ok_and(|e| e.kind == EntryKind::Folder)
                }
                _ => false,
            };
            if folder {
                out.push(name.to_owned());
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
    let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
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
