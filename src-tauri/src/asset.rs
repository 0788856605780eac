//! The `newsroom-asset:` protocol: local images of the open drafts folder, for the preview.
//!
//! The core's renderer writes local images as `newsroom-asset://localhost/<path in the
//! folder>` (WebKitGTK's form of a custom scheme URL; Windows' WebView2 would use
//! `http://newsroom-asset.localhost/`, the path part is the same). Only image files
//! inside the folder are served, through the core's door (`newsroom_core::door`): a
//! regular file reached from the folder's canonical root without following any symbolic
//! link, opened without blocking (a FIFO named `photo.png` is refused, not waited on),
//! at most `door::MAX_IMAGE_BYTES`.

use std::borrow::Cow;
use std::path::Path;
#[cfg(test)]
use std::path::PathBuf;

use newsroom_core::WorkspacePath;
use newsroom_core::door::{EntryKind, FileKind, Folder};
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
    /// A link, a FIFO, a socket, a file over the size cap: never opened or read.
    NotServed,
}

impl Refusal {
    fn status(self) -> StatusCode {
        match self {
            Refusal::NoFolderOpen | Refusal::NotFound => StatusCode::NOT_FOUND,
            Refusal::OutsideFolder | Refusal::NotAnImage | Refusal::NotServed => {
                StatusCode::FORBIDDEN
            }
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

/// Maps the URL path of a request to a file inside `root` (which must be canonical):
/// what [`respond`] would serve, for the tests.
#[cfg(test)]
pub fn resolve(root: &Path, url_path: &str) -> Result<(PathBuf, &'static str), Refusal> {
    let folder = Folder::open(root).map_err(|_| Refusal::NoFolderOpen)?;
    let (path, content_type) = locate(&folder, url_path)?;
    Ok((folder.abs(&path), content_type))
}

/// The image a request names, checked by the door without opening it.
fn locate(folder: &Folder, url_path: &str) -> Result<(WorkspacePath, &'static str), Refusal> {
    let decoded = percent_encoding::percent_decode_str(url_path)
        .decode_utf8()
        .map_err(|_| Refusal::NotFound)?;
    let relative = decoded.trim_start_matches('/');
    if relative.is_empty() || relative.contains('\0') {
        return Err(Refusal::NotFound);
    }
    let content_type = image_content_type(Path::new(relative)).ok_or(Refusal::NotAnImage)?;
    let path = WorkspacePath::normalised(relative).map_err(|_| Refusal::OutsideFolder)?;
    match folder.entry(&path) {
        Ok(Some(e)) if e.kind == EntryKind::File => Ok((path, content_type)),
        Ok(None) => Err(Refusal::NotFound),
        Ok(Some(e)) if e.kind == EntryKind::Folder => Err(Refusal::NotFound),
        // A link (here or on the way) is never followed; say why it would not do anyway.
        _ => Err(why_not_a_link(folder, &path)),
    }
}

/// The refusal for a name that is (or goes through) a link: where it leads decides the
/// word, never whether it is served.
fn why_not_a_link(folder: &Folder, path: &WorkspacePath) -> Refusal {
    match folder.abs(path).canonicalize() {
        Ok(target) if !target.starts_with(folder.root()) => Refusal::OutsideFolder,
        Ok(target) if image_content_type(&target).is_none() => Refusal::NotAnImage,
        _ => Refusal::NotServed,
    }
}

/// Builds the whole response for a request; `root` is the open folder's canonical path.
pub fn respond(root: Option<&Path>, url_path: &str) -> Response<Cow<'static, [u8]>> {
    let served = root
        .ok_or(Refusal::NoFolderOpen)
        .and_then(|root| Folder::open(root).map_err(|_| Refusal::NoFolderOpen))
        .and_then(|folder| {
            let (path, content_type) = locate(&folder, url_path)?;
            folder
                .read(&path, FileKind::Image)
                .map(|bytes| (bytes, content_type))
                .map_err(|e| match e {
                    newsroom_core::CoreError::NotFound(_) => Refusal::NotFound,
                    _ => Refusal::NotServed,
                })
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
            ..Default::default()
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

    #[cfg(unix)]
    #[test]
    fn links_inside_fifos_and_huge_files_are_not_served() {
        let (dir, root) = folder();
        // A link that stays inside still is not followed.
        std::os::unix::fs::symlink(root.join("world/images/map.png"), root.join("same.png"))
            .unwrap();
        assert_eq!(resolve(&root, "/same.png"), Err(Refusal::NotServed));
        // A folder link on the way out.
        std::os::unix::fs::symlink(dir.path(), root.join("up")).unwrap();
        assert_eq!(
            resolve(&root, "/up/secret.png"),
            Err(Refusal::OutsideFolder)
        );
        assert_eq!(
            respond(Some(&root), "/up/secret.png").status(),
            StatusCode::FORBIDDEN
        );
        let fifo = root.join("pipe.png");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let (tx, rx) = std::sync::mpsc::channel();
        let r = root.clone();
        std::thread::spawn(move || {
            let _ = tx.send(respond(Some(&r), "/pipe.png").status());
        });
        let status = rx
            .recv_timeout(std::time::Duration::from_secs(5))
            .expect("a FIFO hung the asset protocol");
        assert_eq!(status, StatusCode::FORBIDDEN);
        let big = std::fs::File::create(root.join("big.png")).unwrap();
        big.set_len(newsroom_core::door::MAX_IMAGE_BYTES + 1)
            .unwrap();
        assert_eq!(
            respond(Some(&root), "/big.png").status(),
            StatusCode::FORBIDDEN
        );
    }
}
