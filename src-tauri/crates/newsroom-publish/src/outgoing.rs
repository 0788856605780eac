//! The one way a file's bytes leave the computer: [`read_image`] for images, and
//! [`read_inside`] (the same checks without the type) for the draft itself.
//!
//! The drafts folder is hostile input (a shared drive): whoever can write there can make
//! `images/team.png` a symbolic link to a key, a photo elsewhere or `/proc/self/environ`,
//! or a FIFO that blocks whoever opens it. Both functions read through the core's one
//! door to the folder ([`newsroom_core::door::Folder`]): a relative path of plain names,
//! no symbolic link followed anywhere on it, a regular file only (a FIFO is never opened
//! blocking), under the cap of its kind. On top of that an image is published only when
//! its first bytes say it is one WordPress accepts (PNG, JPEG, GIF, WebP, AVIF:
//! [`newsroom_core::images::sniff_image`]), whatever its name.
//!
//! Anything else is refused with a reason that ends up as `FILE:LINE: image …: reason`.

use newsroom_core::CoreError;
use newsroom_core::door::{FileKind, Folder};
use newsroom_core::workspace_path::WorkspacePath;

/// The largest image that is uploaded (WordPress's default upload limit is often lower).
pub const MAX_IMAGE_BYTES: u64 = newsroom_core::door::MAX_IMAGE_BYTES;

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

/// The image type of `bytes` by their signature (the core's sniffer), or `None`.
pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
    Some(match newsroom_core::images::sniff_image(bytes)? {
        "image/png" => ImageKind::Png,
        "image/jpeg" => ImageKind::Jpeg,
        "image/gif" => ImageKind::Gif,
        "image/webp" => ImageKind::Webp,
        "image/avif" => ImageKind::Avif,
        _ => return None,
    })
}

/// Reads the image at `rel` (relative to the drafts folder, `/`-separated) through
/// `folder` for upload, or says why it may not leave the computer.
pub fn read_image(folder: &Folder, rel: &str) -> Result<OutgoingImage, String> {
    let bytes = read_inside(folder, rel, FileKind::Image)?;
    match sniff(&bytes) {
        Some(kind) => Ok(OutgoingImage { bytes, kind }),
        None => Err(
            "not an image the portal accepts (its bytes are not PNG, JPEG, GIF, WebP or AVIF); export it as one of those".into(),
        ),
    }
}

/// Reads the regular file at `rel` through the door of the drafts folder (no symbolic
/// link on the path, at most `kind`'s cap), or says why not. A draft symlinked to
/// `/etc/passwd` is not published.
pub fn read_inside(folder: &Folder, rel: &str, kind: FileKind) -> Result<Vec<u8>, String> {
    let path = WorkspacePath::normalised(rel).map_err(|e| {
        format!(
            "it is outside the drafts folder ({}); move it inside",
            e.reason
        )
    })?;
    folder.read(&path, kind).map_err(|e| match e {
        CoreError::NotFound(_) => "not found in the drafts folder".to_owned(),
        CoreError::Refused { reason, .. } => reason,
        other => other.to_string(),
    })
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
        let img = read_image(&Folder::open(&root).unwrap(), "images/a.png").unwrap();
        assert_eq!(img.kind, ImageKind::Png);
        assert_eq!(img.bytes, PNG);
        assert_eq!(
            read_image(&Folder::open(&root).unwrap(), "./images/a.png")
                .unwrap()
                .bytes,
            PNG
        );
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
            let err = read_image(&Folder::open(&root).unwrap(), rel).unwrap_err();
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
        let err = read_image(&Folder::open(&root).unwrap(), "images/key.png").unwrap_err();
        assert!(err.contains("not an image the portal accepts"), "{err}");
        let err = read_image(&Folder::open(&root).unwrap(), "images/none.png").unwrap_err();
        assert!(err.contains("not found"), "{err}");
        let err = read_image(&Folder::open(&root).unwrap(), "images").unwrap_err();
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
        let err = read_image(&Folder::open(&root).unwrap(), "images/team.png").unwrap_err();
        assert!(err.contains("symbolic link"), "{err}");
        // A link to a file inside the folder is refused too: links are never followed.
        std::fs::write(root.join("images/real.png"), PNG).unwrap();
        std::os::unix::fs::symlink("real.png", root.join("images/alias.png")).unwrap();
        assert!(
            read_image(&Folder::open(&root).unwrap(), "images/alias.png")
                .unwrap_err()
                .contains("symbolic link")
        );
        // A directory link on the way.
        std::fs::create_dir(d.path().join("elsewhere")).unwrap();
        std::fs::write(d.path().join("elsewhere/x.png"), PNG).unwrap();
        std::os::unix::fs::symlink(d.path().join("elsewhere"), root.join("pics")).unwrap();
        let err = read_image(&Folder::open(&root).unwrap(), "pics/x.png").unwrap_err();
        assert!(err.contains("symbolic link"), "{err}");
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
        let err = read_image(&Folder::open(&root).unwrap(), "images/pipe.png").unwrap_err();
        assert!(err.contains("FIFO"), "{err}");
    }

    #[test]
    fn too_big_is_refused() {
        let (_d, root) = folder();
        let f = std::fs::File::create(root.join("images/huge.png")).unwrap();
        f.set_len(MAX_IMAGE_BYTES + 1).unwrap();
        let err = read_image(&Folder::open(&root).unwrap(), "images/huge.png").unwrap_err();
        assert!(err.contains("images larger than 32"), "{err}");
        // each kind of file has its own cap: a lock file is a few hundred bytes
        std::fs::write(root.join("images/small.png"), vec![0u8; 5000]).unwrap();
        assert!(
            read_inside(
                &Folder::open(&root).unwrap(),
                "images/small.png",
                FileKind::Lock
            )
            .unwrap_err()
            .contains("larger than")
        );
    }
}
