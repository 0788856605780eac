//! The one way a file's bytes leave the computer: [`read_image`] for images, and
//! [`read_inside`] (the same checks without the type) for the draft itself.
//!
//! The drafts folder is hostile input (a shared drive): whoever can write there can make
//! `images/team.png` a symbolic link to a key, a photo elsewhere or `/proc/self/environ`,
//! or a FIFO that blocks whoever opens it. So an image is published only when it is
//!
//! - **inside the folder**: its path, relative to the (canonical) drafts folder, has only
//!   plain names (no `..`, not absolute), and every directory on the way is opened with
//!   `O_NOFOLLOW | O_DIRECTORY` from the one before (`openat`), so no symbolic link is
//!   followed anywhere on the path and nothing can be swapped in between a check and the
//!   open;
//! - **a regular file**: opened `O_NOFOLLOW | O_NONBLOCK` (a FIFO does not block), then
//!   `fstat` on the open descriptor;
//! - **at most [`MAX_IMAGE_BYTES`]**;
//! - **an image type WordPress accepts**, by its first bytes (not its name): PNG, JPEG,
//!   GIF, WebP, AVIF.
//!
//! Anything else is refused with a reason that ends up as `FILE:LINE: image …: reason`.
//!
//! This is a small, local version of the workspace-wide door the core is getting
//! (`newsroom_core::files`); when that lands, [`read_image`] should call it for the
//! containment and file-type part and keep only the size cap and the type sniffing.

use std::io::Read;
use std::path::{Component, Path};

/// The largest image that is uploaded (WordPress's default upload limit is often lower).
pub const MAX_IMAGE_BYTES: u64 = 32 * 1024 * 1024;

/// All the images of one draft together: they are held in memory until uploaded, so a
/// draft naming a thousand 32 MB files is refused rather than exhausting memory.
pub const MAX_DRAFT_IMAGE_BYTES: u64 = 256 * 1024 * 1024;

/// An image file that may be sent to the portal, already read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingImage {
    pub bytes: Vec<u8>,
    pub kind: ImageKind,
}

/// The image types the portal takes, known by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Gif,
    Webp,
    Avif,
}

impl ImageKind {
    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Gif => "image/gif",
            ImageKind::Webp => "image/webp",
            ImageKind::Avif => "image/avif",
        }
    }

    /// The file name extension WordPress expects for the type (it checks name and bytes
    /// agree).
    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::Gif => "gif",
            ImageKind::Webp => "webp",
            ImageKind::Avif => "avif",
        }
    }

    /// Whether `ext` (any case) names this type.
    pub fn matches_extension(self, ext: &str) -> bool {
        let ext = ext.to_ascii_lowercase();
        match self {
            ImageKind::Jpeg => matches!(ext.as_str(), "jpg" | "jpeg" | "jpe"),
            other => ext == other.extension(),
        }
    }
}

/// The image type of `bytes` by their signature, or `None`.
pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(ImageKind::Png);
    }
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        return Some(ImageKind::Jpeg);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some(ImageKind::Gif);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some(ImageKind::Webp);
    }
    // ISO BMFF: a `ftyp` box first, with `avif`/`avis` as the major or a compatible brand.
    if bytes.len() >= 16 && &bytes[4..8] == b"ftyp" {
        let size = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
        let end = size.clamp(16, 4096).min(bytes.len());
        let brands = std::iter::once(&bytes[8..12])
            .chain(bytes[16..end].chunks_exact(4))
            .any(|b| b == b"avif" || b == b"avis");
        if brands {
            return Some(ImageKind::Avif);
        }
    }
    None
}

/// Reads the image at `rel` (relative to the drafts folder `root`, `/`-separated) for
/// upload, or says why it may not leave the computer. `root` must be canonical.
pub fn read_image(root: &Path, rel: &str) -> Result<OutgoingImage, String> {
    let bytes = read_inside(root, rel, MAX_IMAGE_BYTES)?;
    match sniff(&bytes) {
        Some(kind) => Ok(OutgoingImage { bytes, kind }),
        None => Err(
            "not an image the portal accepts (its bytes are not PNG, JPEG, GIF, WebP or AVIF); export it as one of those".into(),
        ),
    }
}

/// Reads the regular file at `rel` inside `root` (no symbolic link on the path, at most
/// `max` bytes), or says why not. A draft symlinked to `/etc/passwd` is not published.
pub fn read_inside(root: &Path, rel: &str, max: u64) -> Result<Vec<u8>, String> {
    let names = plain_names(rel)?;
    read_confined(root, &names, max)
}

/// The path's names, or why it is not a path inside the folder.
fn plain_names(rel: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    for c in Path::new(rel).components() {
        match c {
            Component::Normal(n) => names.push(
                n.to_str()
                    .ok_or_else(|| "its name is not valid UTF-8".to_owned())?
                    .to_owned(),
            ),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err("it is outside the drafts folder; move it inside".into());
            }
        }
    }
    if names.is_empty() {
        return Err("it names no file".into());
    }
    Ok(names)
}

const SYMLINK: &str = "is a symbolic link; only real files inside the drafts folder are published (replace the link with a copy of the file)";
const NOT_FOUND: &str = "not found; fix the path in the draft";

fn too_big(size: u64, max: u64) -> String {
    format!(
        "{:.1} MB, more than the {} MB allowed; make it smaller",
        size as f64 / 1048576.0,
        max / 1048576
    )
}

#[cfg(unix)]
fn read_confined(root: &Path, names: &[String], max: u64) -> Result<Vec<u8>, String> {
    use rustix::fs::{AtFlags, FileType, Mode, OFlags, fstat, openat, statat};
    use rustix::io::Errno;

    let describe = |dir: &rustix::fd::OwnedFd, name: &str, e: Errno| -> String {
        match statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) if FileType::from_raw_mode(st.st_mode) == FileType::Symlink => {
                format!("`{name}` {SYMLINK}")
            }
            Ok(st) => format!(
                "`{name}`: {}",
                not_regular(FileType::from_raw_mode(st.st_mode))
            ),
            Err(Errno::NOENT) => NOT_FOUND.into(),
            Err(_) => format!("cannot open it ({e})"),
        }
    };
    let mut dir = rustix::fs::open(
        root,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| format!("cannot open the drafts folder ({e})"))?;
    let (last, dirs) = names.split_last().ok_or("it names no file")?;
    for name in dirs {
        dir = openat(
            &dir,
            name.as_str(),
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| describe(&dir, name, e))?;
    }
    // Look before opening so a device is never opened at all; fstat after, on what was
    // opened, is the check that counts.
    match statat(&dir, last.as_str(), AtFlags::SYMLINK_NOFOLLOW) {
        Ok(st) => {
            let t = FileType::from_raw_mode(st.st_mode);
            if t == FileType::Symlink {
                return Err(SYMLINK.into());
            }
            if t != FileType::RegularFile {
                return Err(not_regular(t));
            }
        }
        Err(Errno::NOENT) => return Err(NOT_FOUND.into()),
        Err(e) => return Err(format!("cannot open it ({e})")),
    }
    let fd = openat(
        &dir,
        last.as_str(),
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| describe(&dir, last, e))?;
    let st = fstat(&fd).map_err(|e| format!("cannot read it ({e})"))?;
    let t = FileType::from_raw_mode(st.st_mode);
    if t != FileType::RegularFile {
        return Err(not_regular(t));
    }
    let size = st.st_size.max(0) as u64;
    if size > max {
        return Err(too_big(size, max));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    std::fs::File::from(fd)
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read it ({e})"))?;
    if bytes.len() as u64 > max {
        return Err(too_big(bytes.len() as u64, max));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn not_regular(t: rustix::fs::FileType) -> String {
    use rustix::fs::FileType;
    let what = match t {
        FileType::Directory => "a folder",
        FileType::Fifo => "a FIFO (named pipe)",
        FileType::Socket => "a socket",
        FileType::CharacterDevice | FileType::BlockDevice => "a device",
        FileType::Symlink => return SYMLINK.into(),
        _ => "not a regular file",
    };
    format!("is {what}, not an image file")
}

/// Without `openat` (Windows): every step checked with `symlink_metadata`, then the
/// canonical path checked to be inside the canonical folder. Not race-free.
#[cfg(not(unix))]
fn read_confined(root: &Path, names: &[String], max: u64) -> Result<Vec<u8>, String> {
    let mut path = root.to_path_buf();
    for (i, name) in names.iter().enumerate() {
        path.push(name);
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(NOT_FOUND.into()),
            Err(e) => return Err(format!("cannot open it ({e})")),
        };
        if meta.file_type().is_symlink() {
            return Err(format!("`{name}` {SYMLINK}"));
        }
        let last = i + 1 == names.len();
        if !last && !meta.is_dir() || last && !meta.is_file() {
            return Err(format!("`{name}` is not a regular file"));
        }
    }
    let canonical = path
        .canonicalize()
        .map_err(|e| format!("cannot open it ({e})"))?;
    if !canonical.starts_with(root) {
        return Err("it is outside the drafts folder; move it inside".into());
    }
    let file = std::fs::File::open(&canonical).map_err(|e| format!("cannot open it ({e})"))?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read it ({e})"))?;
    if bytes.len() as u64 > max {
        return Err(too_big(bytes.len() as u64, max));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    fn folder() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(root.join("images")).unwrap();
        let root = root.canonicalize().unwrap();
        (dir, root)
    }

    #[test]
    fn image_types_are_known_by_their_bytes() {
        assert_eq!(sniff(PNG), Some(ImageKind::Png));
        assert_eq!(
            sniff(&[0xff, 0xd8, 0xff, 0xe0, 0, 0]),
            Some(ImageKind::Jpeg)
        );
        assert_eq!(sniff(b"GIF89a\x01\0"), Some(ImageKind::Gif));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some(ImageKind::Webp));
        assert_eq!(
            sniff(b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf"),
            Some(ImageKind::Avif)
        );
        assert_eq!(
            sniff(b"\0\0\0\x1cftypmif1\0\0\0\0mif1avifmiaf"),
            Some(ImageKind::Avif)
        );
        assert_eq!(sniff(b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom"), None);
        assert_eq!(sniff(b"SECRET_KEY=hunter2\n"), None);
        assert_eq!(sniff(b"<svg xmlns="), None);
        assert_eq!(sniff(b""), None);
        assert!(ImageKind::Jpeg.matches_extension("JPEG"));
        assert!(!ImageKind::Png.matches_extension("jpg"));
    }

    #[test]
    fn a_real_image_inside_the_folder_is_read() {
        let (_d, root) = folder();
        std::fs::write(root.join("images/a.png"), PNG).unwrap();
        let img = read_image(&root, "images/a.png").unwrap();
        assert_eq!(img.kind, ImageKind::Png);
        assert_eq!(img.bytes, PNG);
        assert_eq!(read_image(&root, "./images/a.png").unwrap().bytes, PNG);
    }

    #[test]
    fn paths_out_of_the_folder_are_refused() {
        let (d, root) = folder();
        std::fs::write(d.path().join("outside.png"), PNG).unwrap();
        for rel in [
            "../outside.png",
            "images/../../outside.png",
            "/etc/passwd",
            "",
        ] {
            let err = read_image(&root, rel).unwrap_err();
            assert!(
                err.contains("outside the drafts folder") || err.contains("names no file"),
                "{rel}: {err}"
            );
        }
    }

    #[test]
    fn not_an_image_or_missing_is_refused() {
        let (_d, root) = folder();
        std::fs::write(root.join("images/key.png"), b"-----BEGIN PRIVATE KEY-----").unwrap();
        let err = read_image(&root, "images/key.png").unwrap_err();
        assert!(err.contains("not an image the portal accepts"), "{err}");
        let err = read_image(&root, "images/none.png").unwrap_err();
        assert!(err.contains("not found"), "{err}");
        let err = read_image(&root, "images").unwrap_err();
        assert!(err.contains("a folder"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_anywhere_on_the_path_are_refused() {
        let (d, root) = folder();
        let canary = d.path().join("canary.png");
        // A valid PNG outside: only the link makes it refused.
        std::fs::write(&canary, PNG).unwrap();
        std::os::unix::fs::symlink(&canary, root.join("images/team.png")).unwrap();
        let err = read_image(&root, "images/team.png").unwrap_err();
        assert!(err.contains("symbolic link"), "{err}");
        // A link to a file inside the folder is refused too: links are never followed.
        std::fs::write(root.join("images/real.png"), PNG).unwrap();
        std::os::unix::fs::symlink("real.png", root.join("images/alias.png")).unwrap();
        assert!(
            read_image(&root, "images/alias.png")
                .unwrap_err()
                .contains("symbolic link")
        );
        // A directory link on the way.
        std::fs::create_dir(d.path().join("elsewhere")).unwrap();
        std::fs::write(d.path().join("elsewhere/x.png"), PNG).unwrap();
        std::os::unix::fs::symlink(d.path().join("elsewhere"), root.join("pics")).unwrap();
        let err = read_image(&root, "pics/x.png").unwrap_err();
        assert!(err.contains("`pics` is a symbolic link"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let (_d, root) = folder();
        let fifo = root.join("images/pipe.png");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let err = read_image(&root, "images/pipe.png").unwrap_err();
        assert!(err.contains("FIFO"), "{err}");
    }

    #[test]
    fn too_big_is_refused() {
        let (_d, root) = folder();
        let f = std::fs::File::create(root.join("images/huge.png")).unwrap();
        f.set_len(MAX_IMAGE_BYTES + 1).unwrap();
        let err = read_image(&root, "images/huge.png").unwrap_err();
        assert!(err.contains("more than the 32 MB"), "{err}");
        assert!(
            read_inside(&root, "images/huge.png", 1 << 20)
                .unwrap_err()
                .contains("more than the 1 MB")
        );
    }
}
