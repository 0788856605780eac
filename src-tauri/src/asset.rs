//! The `newsroom-asset:` protocol: local images of the open drafts folder, for the preview.
//!
//! The core's renderer writes local images as `newsroom-asset://localhost/<path in the
//! folder>` (WebKitGTK's form of a custom scheme URL; Windows' WebView2 would use
//! `http://newsroom-asset.localhost/`, the path part is the same). Only image files
//! inside the folder are served: the path is canonicalised (symlinks followed) and must
//! stay under the folder's canonical root.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use tauri::http::{Response, StatusCode, header};

pub const SCHEME: &str = "newsroom-asset";
/// What the core's `ImagePolicy::asset_base` must be for URLs this protocol serves.
pub const ASSET_BASE: &str = "newsroom-asset://localhost/";

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NoFolderOpen,
    NotFound,
    OutsideFolder,
    NotAnImage,
}

impl Refusal {
    fn status(self) -> StatusCode {
        match self {
            Refusal::NoFolderOpen | Refusal::NotFound => StatusCode::NOT_FOUND,
            Refusal::OutsideFolder | Refusal::NotAnImage => StatusCode::FORBIDDEN,
        }
    }
}

/// The content type for an image file name; `None` for anything that is not an image.
pub fn image_content_type(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "svg" => "image/svg+xml",
        "bmp" => "image/bmp",
        "ico" => "image/x-icon",
        _ => return None,
    })
}

/// Maps the URL path of a request to a file inside `root` (which must be canonical).
pub fn resolve(root: &Path, url_path: &str) -> Result<(PathBuf, &'static str), Refusal> {
    let decoded = percent_encoding::percent_decode_str(url_path)
        .decode_utf8()
        .map_err(|_| Refusal::NotFound)?;
    let relative = decoded.trim_start_matches('/');
    if relative.is_empty() || relative.contains('\0') {
        return Err(Refusal::NotFound);
    }
    let content_type = image_content_type(Path::new(relative)).ok_or(Refusal::NotAnImage)?;
    let file = root
        .join(relative)
        .canonicalize()
        .map_err(|_| Refusal::NotFound)?;
    if !file.starts_with(root) {
        return Err(Refusal::OutsideFolder);
    }
    // The canonical target must be an image too (a `photo.png` symlink to a text file is not).
    if image_content_type(&file).is_none() {
        return Err(Refusal::NotAnImage);
    }
    if !file.is_file() {
        return Err(Refusal::NotFound);
    }
    Ok((file, content_type))
}

/// Builds the whole response for a request; `root` is the open folder's canonical path.
pub fn respond(root: Option<&Path>, url_path: &str) -> Response<Cow<'static, [u8]>> {
    let served = root
        .ok_or(Refusal::NoFolderOpen)
        .and_then(|root| resolve(root, url_path))
        .and_then(|(file, content_type)| {
            std::fs::read(&file)
                .map(|bytes| (bytes, content_type))
                .map_err(|_| Refusal::NotFound)
        });
    let builder = Response::builder()
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::CACHE_CONTROL, "no-cache")
        // An SVG opened on its own must not run script in this origin.
        .header(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
        );
    let response = match served {
        Ok((bytes, content_type)) => builder
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, content_type)
            .body(Cow::Owned(bytes)),
        Err(refusal) => builder
            .status(refusal.status())
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Cow::Borrowed(&b""[..])),
    };
    response.unwrap_or_else(|_| Response::new(Cow::Borrowed(&b""[..])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(root.join("world/images")).unwrap();
        std::fs::write(root.join("world/images/map.png"), b"\x89PNG").unwrap();
        std::fs::write(root.join("world/images/my photo.jpg"), b"jpg").unwrap();
        std::fs::write(root.join("world/story.md"), b"# x").unwrap();
        std::fs::write(dir.path().join("secret.png"), b"outside").unwrap();
        let root = root.canonicalize().unwrap();
        (dir, root)
    }

    #[test]
    fn images_inside_the_folder_are_served() {
        let (_dir, root) = folder();
        let (file, ct) = resolve(&root, "/world/images/map.png").unwrap();
        assert_eq!((file, ct), (root.join("world/images/map.png"), "image/png"));
        assert_eq!(
            resolve(&root, "/world/images/my%20photo.jpg").unwrap().1,
            "image/jpeg"
        );
        let response = respond(Some(&root), "/world/images/map.png");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "image/png");
        assert_eq!(&response.body()[..], b"\x89PNG");
    }

    #[test]
    fn a_featured_image_named_with_url_characters_is_found() {
        let (_dir, root) = folder();
        std::fs::write(root.join("world/images/100% #1.png"), b"\x89PNG").unwrap();
        let policy = newsroom_core::render::url_policy::ImagePolicy {
            asset_base: Some(ASSET_BASE.into()),
            draft_dir: "world".into(),
        };
        let src = policy.file_src("images/100% #1.png");
        let path = src.strip_prefix("newsroom-asset://localhost").unwrap();
        let (file, _) = resolve(&root, path).unwrap();
        assert_eq!(file, root.join("world/images/100% #1.png"));
    }

    #[test]
    fn everything_else_is_refused() {
        let (dir, root) = folder();
        assert_eq!(resolve(&root, "/world/story.md"), Err(Refusal::NotAnImage));
        assert_eq!(
            resolve(&root, "/../secret.png"),
            Err(Refusal::OutsideFolder)
        );
        assert_eq!(
            resolve(&root, "/world/%2e%2e/%2e%2e/secret.png"),
            Err(Refusal::OutsideFolder)
        );
        // An absolute path is taken inside the folder, where it does not exist.
        let abs = format!("/{}", dir.path().join("secret.png").display());
        assert_eq!(resolve(&root, &abs), Err(Refusal::NotFound));
        assert_eq!(
            resolve(&root, "/world/images/missing.png"),
            Err(Refusal::NotFound)
        );
        assert_eq!(resolve(&root, "/"), Err(Refusal::NotFound));
        assert_eq!(
            respond(None, "/world/images/map.png").status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            respond(Some(&root), "/world/story.md").status(),
            StatusCode::FORBIDDEN
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_folder_are_refused() {
        let (dir, root) = folder();
        std::os::unix::fs::symlink(dir.path().join("secret.png"), root.join("link.png")).unwrap();
        assert_eq!(resolve(&root, "/link.png"), Err(Refusal::OutsideFolder));
        std::os::unix::fs::symlink(root.join("world/story.md"), root.join("story.png")).unwrap();
        assert_eq!(resolve(&root, "/story.png"), Err(Refusal::NotAnImage));
    }
}
