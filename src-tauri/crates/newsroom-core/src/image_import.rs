//! Images dropped or pasted into the editor: copied into an `images/` folder beside the
//! draft, returned as the Markdown that shows them.

use std::io::Read;
use std::path::Path;

use crate::door::FileKind;
use crate::error::{CoreError, Result};
use crate::slug;
use crate::workspace::Workspace;

/// Largest image accepted (a press photo is a few MB; a 100 MB TIFF is a mistake).
pub const MAX_IMAGE_BYTES: usize = crate::door::MAX_IMAGE_BYTES as usize;

const IMAGE_EXTENSIONS: [&str; 7] = ["png", "jpg", "jpeg", "gif", "webp", "avif", "svg"];

/// `Photo of Minsk (1).JPG` → (`photo-of-minsk-1`, `jpg`).
fn safe_name(file_name: &str) -> Result<(String, String)> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or("");
    let (stem, ext) = base.rsplit_once('.').unwrap_or((base, ""));
    let ext = ext.to_ascii_lowercase();
    if !IMAGE_EXTENSIONS.contains(&ext.as_str()) {
        return Err(CoreError::InvalidArgument(format!(
            "{file_name}: only images can be inserted ({})",
            IMAGE_EXTENSIONS.join(", ")
        )));
    }
    let mut stem = slug::slugify(stem);
    if stem.is_empty() {
        stem = "image".into();
    }
    Ok((stem, ext))
}

/// Reads an image the user chose on their own computer (Insert Image's file chooser, a
/// file list pasted from a file manager): a path outside the drafts folder, so it does not
/// go through the folder's door, but it gets the door's care: only a regular file is read
/// (opened non-blocking and checked with `fstat`, so a FIFO named `photo.png` cannot hang
/// the workspace lock), with the image size cap, and only under an image's name.
pub fn read_chosen_image(source: &Path) -> Result<Vec<u8>> {
    let name = source.to_string_lossy();
    safe_name(&name)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(source).map_err(|e| CoreError::io(source, e))?;
    let meta = file.metadata().map_err(|e| CoreError::io(source, e))?;
    if !meta.is_file() {
        return Err(CoreError::Refused {
            path: source.to_path_buf(),
            reason: "is not a regular file; it is not opened".into(),
        });
    }
    let cap = MAX_IMAGE_BYTES as u64;
    let mut bytes = Vec::with_capacity(meta.len().min(cap) as usize);
    (&file)
        .take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CoreError::io(source, e))?;
    if bytes.len() as u64 > cap || bytes.is_empty() {
        return Err(CoreError::InvalidArgument(format!(
            "{name}: images must be between 1 byte and {} MB",
            MAX_IMAGE_BYTES / (1024 * 1024)
        )));
    }
    Ok(bytes)
}

impl Workspace {
    /// [`Workspace::import_image`] of a file the user chose on their computer
    /// ([`read_chosen_image`]), under its own name.
    pub fn import_image_file(&self, draft_path: &str, source: &Path) -> Result<String> {
        let bytes = read_chosen_image(source)?;
        let name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.import_image(draft_path, &name, &bytes)
    }

    /// Copies an image (`file_name` as the user's system named it, `bytes` its content)
    /// into the `images/` folder beside `draft_path` and returns the Markdown that shows
    /// it, e.g. `![](images/photo.jpg)`. The name is slugged; a different image under a
    /// taken name gets `-2`, `-3`…; the same image dropped twice is one file.
    pub fn import_image(&self, draft_path: &str, file_name: &str, bytes: &[u8]) -> Result<String> {
        if bytes.is_empty() || bytes.len() > MAX_IMAGE_BYTES {
            return Err(CoreError::InvalidArgument(format!(
                "{file_name}: images must be between 1 byte and {} MB",
                MAX_IMAGE_BYTES / (1024 * 1024)
            )));
        }
        let (stem, ext) = safe_name(file_name)?;
        let draft = self.draft_path(draft_path)?;
        let bad_name =
            |e: crate::workspace_path::PathError| CoreError::InvalidArgument(e.to_string());
        let images = draft.sibling("images").map_err(bad_name)?;
        let folder = self.folder();
        folder.create_dir_all(&images)?;
        let mut name = format!("{stem}.{ext}");
        let mut n = 2;
        loop {
            let target = images.join(&name).map_err(bad_name)?;
            if !folder.taken(&target)? {
                match folder.create_new(&target, bytes) {
                    Ok(()) => break,
                    // Taken a moment ago: try the next name.
                    Err(CoreError::Exists(_)) => {}
                    Err(e) => return Err(e),
                }
            } else if folder
                .read(&target, FileKind::Image)
                .is_ok_and(|existing| existing == bytes)
            {
                // The same picture dropped twice is one file (read through the door: a
                // link or a FIFO under that name is never the same picture).
                break;
            }
            name = format!("{stem}-{n}.{ext}");
            n += 1;
        }
        Ok(format!("![](images/{name})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_slugged_and_only_images_pass() {
        assert_eq!(
            safe_name("Photo of Minsk (1).JPG").unwrap(),
            ("photo-of-minsk-1".into(), "jpg".into())
        );
        assert_eq!(
            safe_name("../../etc/x.png").unwrap(),
            ("x".into(), "png".into())
        );
        assert_eq!(safe_name("Ωμέγα.webp").unwrap().1, "webp");
        assert!(safe_name("notes.md").is_err());
        assert!(safe_name("script.html").is_err());
        assert!(safe_name("noext").is_err());
    }

    #[test]
    fn import_writes_beside_the_draft_and_reuses_identical_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("world")).unwrap();
        std::fs::write(dir.path().join("world/story.md"), "# Story\n").unwrap();
        let (ws, _) =
            Workspace::open_with_index(dir.path(), &dir.path().join("../idx-import.sqlite3"))
                .unwrap();
        assert_eq!(
            ws.import_image("world/story.md", "Map.PNG", b"png1")
                .unwrap(),
            "![](images/map.png)"
        );
        assert_eq!(
            ws.import_image("world/story.md", "map.png", b"png1")
                .unwrap(),
            "![](images/map.png)"
        );
        assert_eq!(
            ws.import_image("world/story.md", "map.png", b"png2")
                .unwrap(),
            "![](images/map-2.png)"
        );
        assert_eq!(
            std::fs::read(dir.path().join("world/images/map-2.png")).unwrap(),
            b"png2"
        );
        assert!(ws.import_image("../outside.md", "a.png", b"x").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn import_never_writes_through_or_reads_a_link_or_a_fifo() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(root.join("world/images")).unwrap();
        std::fs::create_dir_all(root.join("sports")).unwrap();
        std::fs::write(root.join("world/story.md"), "# Story\n").unwrap();
        std::fs::write(root.join("sports/match.md"), "# Match\n").unwrap();
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("map.png"), b"png1").unwrap();
        std::os::unix::fs::symlink(outside.join("map.png"), root.join("world/images/map.png"))
            .unwrap();
        let fifo = root.join("world/images/pipe.png");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        // `sports/images` is a link to a folder outside.
        std::os::unix::fs::symlink(&outside, root.join("sports/images")).unwrap();
        let (ws, _) =
            Workspace::open_with_index(&root, &dir.path().join("idx-import.sqlite3")).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send((
                ws.import_image("world/story.md", "map.png", b"png1")
                    .map_err(|e| e.to_string()),
                ws.import_image("world/story.md", "pipe.png", b"png2")
                    .map_err(|e| e.to_string()),
                ws.import_image("sports/match.md", "new.png", b"png3")
                    .map_err(|e| e.to_string()),
            ));
        });
        let (map, pipe, sports) = rx
            .recv_timeout(std::time::Duration::from_secs(5))
            .expect("import hung on a FIFO");
        assert_eq!(map.unwrap(), "![](images/map-2.png)");
        assert_eq!(pipe.unwrap(), "![](images/pipe-2.png)");
        assert!(sports.unwrap_err().contains("symbolic link"));
        assert!(!outside.join("new.png").exists());
        assert_eq!(std::fs::read(outside.join("map.png")).unwrap(), b"png1");
    }

    #[test]
    fn a_chosen_file_is_read_only_if_it_is_a_regular_image() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(root.join("world")).unwrap();
        std::fs::write(root.join("world/story.md"), "---\ntitle: S\n---\n").unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::write(home.join("Screen Shot.PNG"), b"png!").unwrap();
        std::fs::write(home.join("notes.txt"), b"text").unwrap();
        std::fs::write(home.join("empty.png"), b"").unwrap();
        let fifo = home.join("pipe.png");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let (ws, _) =
            Workspace::open_with_index(&root, &dir.path().join("idx-chosen.sqlite3")).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let r = |p: &str| {
                ws.import_image_file("world/story.md", &home.join(p))
                    .map_err(|e| e.to_string())
            };
            let _ = tx.send((
                r("Screen Shot.PNG"),
                r("notes.txt"),
                r("empty.png"),
                r("pipe.png"),
                r("missing.png"),
            ));
        });
        let (shot, txt, empty, pipe, missing) = rx
            .recv_timeout(std::time::Duration::from_secs(5))
            .expect("reading a chosen FIFO hung");
        assert_eq!(shot.unwrap(), "![](images/screen-shot.png)");
        assert_eq!(
            std::fs::read(root.join("world/images/screen-shot.png")).unwrap(),
            b"png!"
        );
        assert!(txt.unwrap_err().contains("only images"));
        assert!(empty.unwrap_err().contains("between 1 byte"));
        assert!(pipe.unwrap_err().contains("not a regular file"));
        assert!(missing.is_err());
    }
}
