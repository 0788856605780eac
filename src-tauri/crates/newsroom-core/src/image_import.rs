//! Images dropped or pasted into the editor: copied into an `images/` folder beside the
//! draft, returned as the Markdown that shows them.

use crate::error::{CoreError, Result};
use crate::workspace::Workspace;
use crate::{files, slug};

/// Largest image accepted (a press photo is a few MB; a 100 MB TIFF is a mistake).
pub const MAX_IMAGE_BYTES: usize = 32 * 1024 * 1024;

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

impl Workspace {
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
        let draft_rel = self.relative(draft_path)?;
        let draft_dir = draft_rel.rsplit_once('/').map_or("", |(d, _)| d);
        let images_rel = if draft_dir.is_empty() {
            "images".to_owned()
        } else {
            format!("{draft_dir}/images")
        };
        let images_abs = self.resolve(&images_rel)?;
        std::fs::create_dir_all(&images_abs).map_err(|e| CoreError::Io {
            path: images_abs.clone(),
            source: e,
        })?;
        let mut name = format!("{stem}.{ext}");
        let mut n = 2;
        while images_abs.join(&name).exists() {
            // The same picture dropped twice is one file.
            if std::fs::read(images_abs.join(&name)).is_ok_and(|existing| existing == bytes) {
                break;
            }
            name = format!("{stem}-{n}.{ext}");
            n += 1;
        }
        let target = images_abs.join(&name);
        if !target.exists() {
            files::write_atomic(&target, bytes)?;
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
}
