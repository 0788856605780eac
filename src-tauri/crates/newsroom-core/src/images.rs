//! The local images a draft uses: for `newsroom check` (a missing image is a problem),
//! for the desk's checklist, and for publishing (each is uploaded once). Markdown images
//! and `<img src>` tags in raw HTML (blocks, or inside a paragraph's text) alike: the
//! preview shows them all, so all are checked and published.
//!
//! "Found" means what the door (`crate::door`) would open: a regular file inside the
//! drafts folder, reached without a symbolic link. An image that is a link (to a photo
//! elsewhere, a key, `/proc/self/environ`) is not found, and is never read:
//! [`crate::workspace::Workspace::read_image`] is how bytes of an image leave the folder.

use comrak::nodes::NodeValue;
use comrak::{Arena, parse_document};

use crate::door::{EntryKind, FileKind, Folder};
use crate::draft::Draft;
use crate::error::{CoreError, Result};
use crate::markdown::comrak_options;
use crate::render::{raw_html, url_policy};
use crate::workspace::Workspace;
use crate::workspace_path::WorkspacePath;

/// An image in a draft that lives in the drafts folder, not on the web.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LocalImage {
    /// As written in the draft (a raw `<img>`'s `src` with character references decoded,
    /// as the sanitiser reads it): the key the published post's URLs are rewritten by.
    pub url: String,
    /// The file's line where it is written.
    pub line: usize,
    /// The path relative to the draft's folder, normalised; `None` when it would leave the
    /// drafts folder.
    pub resolved: Option<String>,
    pub alt: String,
    /// The featured image (from the front matter) rather than one in the body.
    pub featured: bool,
}

/// Every local image of a draft, featured image first, then in body order.
/// `draft_dir` is the draft's folder relative to the drafts folder.
pub fn local_images(draft: &Draft, draft_dir: &str) -> Vec<LocalImage> {
    let mut out = Vec::new();
    if let Some(url) = draft
        .front_matter
        .featured_image
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        if is_local(url) {
            let line = draft.key_line("featured_image").unwrap_or(1);
            out.push(LocalImage {
                url: url.to_owned(),
                line,
                resolved: url_policy::resolve_inside(draft_dir, &percent_decode(url)),
                alt: draft
                    .front_matter
                    .featured_image_alt
                    .clone()
                    .unwrap_or_default(),
                featured: true,
            });
        }
    }
    let arena = Arena::new();
    let root = parse_document(&arena, draft.body(), &comrak_options(true));
    let offset = draft.layout().body_line_offset;
    for node in root.descendants() {
        // An `<img src>` inside a paragraph's text: shown by the preview and published
        // like a Markdown image.
        if let NodeValue::HtmlInline(literal) = &node.data().value {
            if let Some(img) = raw_html::inline_image(literal) {
                let url = img.src.trim();
                if !url.is_empty() && is_local(url) {
                    out.push(LocalImage {
                        url: url.to_owned(),
                        line: node.data().sourcepos.start.line + offset,
                        resolved: url_policy::resolve_inside(draft_dir, &percent_decode(url)),
                        alt: img.alt,
                        featured: false,
                    });
                }
            }
            continue;
        }
        // A block of raw HTML: its `<img src>` tags are shown by the preview and
        // published like Markdown images.
        if let NodeValue::HtmlBlock(block) = &node.data().value {
            let first = node.data().sourcepos.start.line + offset;
            for img in raw_html::images_in_block(&block.literal) {
                let url = img.src.trim();
                if url.is_empty() || !is_local(url) {
                    continue;
                }
                out.push(LocalImage {
                    url: url.to_owned(),
                    line: first + img.line - 1,
                    resolved: url_policy::resolve_inside(draft_dir, &percent_decode(url)),
                    alt: img.alt,
                    featured: false,
                });
            }
            continue;
        }
        if let NodeValue::Image(link) = &node.data().value {
            let url = link.url.trim();
            if url.is_empty() || !is_local(url) {
                continue;
            }
            let alt: String = node
                .descendants()
                .filter_map(|n| match &n.data().value {
                    NodeValue::Text(t) => Some(t.to_string()),
                    _ => None,
                })
                .collect();
            out.push(LocalImage {
                url: url.to_owned(),
                line: node.data().sourcepos.start.line + offset,
                resolved: url_policy::resolve_inside(draft_dir, &percent_decode(url)),
                alt,
                featured: false,
            });
        }
    }
    out
}

/// Local images whose file is missing (or is not a file the door opens: a link, a
/// FIFO, a folder), with a message each.
pub fn missing_images(draft: &Draft, folder: &Folder, draft_dir: &str) -> Vec<(usize, String)> {
    local_images(draft, draft_dir)
        .into_iter()
        .filter_map(|img| {
            let outside = || {
                Some((
                    img.line,
                    format!("image `{}` is outside the drafts folder", img.url),
                ))
            };
            let Some(rel) = &img.resolved else {
                return outside();
            };
            let Ok(path) = WorkspacePath::new(rel) else {
                return outside();
            };
            match folder.entry(&path) {
                Ok(Some(e)) if e.kind == EntryKind::File => None,
                Ok(Some(e)) => Some((
                    img.line,
                    format!("image `{}` {}", img.url, e.kind.refusal()),
                )),
                Ok(None) => Some((
                    img.line,
                    format!("image `{}` not found (looked for {rel})", img.url),
                )),
                Err(e) => Some((img.line, format!("image `{}`: {e}", img.url))),
            }
        })
        .collect()
}

/// Where the image `src` (as written in the draft at `draft`: relative to its folder,
/// percent-encoded) is in the drafts folder; `None` when it would leave it or is not a
/// local path at all (a URL, `data:`). Pure: the file may not exist.
pub fn image_path(draft: &WorkspacePath, src: &str) -> Option<WorkspacePath> {
    let src = src.trim();
    if src.is_empty() || !is_local(src) {
        return None;
    }
    let rel = url_policy::resolve_inside(draft.folder(), &percent_decode(src))?;
    WorkspacePath::new(&rel).ok()
}

/// The image types a portal (WordPress) accepts, told by their first bytes, never by
/// the name: `photo.png` holding HTML or a key is not an image.
pub fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if is_avif(bytes) {
        Some("image/avif")
    } else {
        None
    }
}

/// ISO BMFF: a `ftyp` box first, with `avif`/`avis` as the major brand or one of the
/// compatible brands (encoders often put `mif1` first).
fn is_avif(bytes: &[u8]) -> bool {
    if bytes.len() < 12 || &bytes[4..8] != b"ftyp" {
        return false;
    }
    if matches!(&bytes[8..12], b"avif" | b"avis") {
        return true;
    }
    if bytes.len() < 16 {
        return false;
    }
    let size = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    let end = size.clamp(16, 4096).min(bytes.len());
    std::iter::once(&bytes[8..12])
        .chain(bytes[16..end].chunks_exact(4))
        .any(|b| b == b"avif" || b == b"avis")
}

/// An image of a draft as read through the door, checked to be what it claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedImage {
    pub path: WorkspacePath,
    /// From the first bytes ([`sniff_image`]).
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// The bytes of the image `src` (as written in the draft `draft`), for publishing: a
/// regular file inside `folder` (no link followed, no FIFO opened), at most
/// [`crate::door::MAX_IMAGE_BYTES`], whose first bytes are a PNG, JPEG, GIF, WebP or AVIF
/// image. Anything else is an error naming the file.
pub fn read_checked(folder: &Folder, draft: &WorkspacePath, src: &str) -> Result<CheckedImage> {
    let path = image_path(draft, src).ok_or_else(|| CoreError::OutsideWorkspace {
        path: src.into(),
        root: folder.root().to_path_buf(),
    })?;
    let bytes = folder.read(&path, FileKind::Image)?;
    let mime = sniff_image(&bytes).ok_or_else(|| CoreError::Refused {
        path: folder.abs(&path),
        reason: "is not a PNG, JPEG, GIF, WebP or AVIF image (its first bytes say so, whatever its name)".into(),
    })?;
    Ok(CheckedImage { path, mime, bytes })
}

impl Workspace {
    /// [`read_checked`] for the draft at `draft_path` in this workspace.
    pub fn read_image(&self, draft_path: &str, src: &str) -> Result<CheckedImage> {
        read_checked(self.folder(), &self.draft_path(draft_path)?, src)
    }
}

/// Local means: no scheme at all (`javascript:x.png` and `C:\\x.jpg` are not files of ours;
/// the renderer blocks them), not protocol-relative, not an in-page anchor.
fn is_local(url: &str) -> bool {
    url_policy::scheme_of(url).is_none() && !url.starts_with("//") && !url.starts_with('#')
}

pub use crate::render::url_policy::percent_decode;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_featured_and_body_images_with_file_lines() {
        let d = Draft::parse("---\ntitle: x\nfeatured_image: images/a%20b.jpg\n---\nText\n\n![Map of Minsk](../images/map.png)\n\n![](https://cdn.example.org/x.jpg)\n").unwrap();
        let imgs = local_images(&d, "world");
        assert_eq!(imgs.len(), 2);
        assert_eq!(
            (imgs[0].line, imgs[0].resolved.as_deref(), imgs[0].featured),
            (3, Some("world/images/a b.jpg"), true)
        );
        assert_eq!(
            (
                imgs[1].line,
                imgs[1].resolved.as_deref(),
                imgs[1].alt.as_str()
            ),
            (7, Some("images/map.png"), "Map of Minsk")
        );
    }

    #[test]
    fn missing_and_escaping_images_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("images")).unwrap();
        std::fs::write(dir.path().join("images/here.png"), b"x").unwrap();
        let d =
            Draft::parse("![a](images/here.png)\n![b](images/gone.png)\n\n![c](../../etc/x.png)\n")
                .unwrap();
        let folder = Folder::open(dir.path()).unwrap();
        let missing = missing_images(&d, &folder, "");
        assert_eq!(missing.len(), 2);
        assert_eq!(missing[0].0, 2);
        assert!(missing[1].1.contains("outside"));
    }

    #[test]
    fn a_colon_in_a_file_name_is_still_a_local_image() {
        let d =
            Draft::parse("![](2026-11-26:chart.png)\n\n![](C:\\x.jpg)\n\n![](javascript:x.png)\n")
                .unwrap();
        let imgs = local_images(&d, "world");
        assert_eq!(imgs.len(), 1, "{imgs:?}");
        assert_eq!(
            imgs[0].resolved.as_deref(),
            Some("world/2026-11-26:chart.png")
        );
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b%2Fc"), "a b/c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }

    #[cfg(unix)]
    #[test]
    fn an_image_that_is_a_link_is_not_found_and_never_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(root.join("world/images")).unwrap();
        std::fs::write(dir.path().join("secret.png"), b"\x89PNG\r\n\x1a\nSECRET").unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("secret.png"),
            root.join("world/images/team.png"),
        )
        .unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("world/up")).unwrap();
        std::fs::write(root.join("world/images/ok.png"), b"\x89PNG\r\n\x1a\nfine").unwrap();
        std::fs::write(root.join("world/images/fake.png"), b"<html>").unwrap();
        std::fs::write(root.join("world/story.md"), "x").unwrap();
        let folder = Folder::open(&root).unwrap();
        let d = Draft::parse("![a](images/team.png)\n![b](up/secret.png)\n![c](images/ok.png)\n")
            .unwrap();
        let missing = missing_images(&d, &folder, "world");
        assert_eq!(missing.len(), 2, "{missing:?}");
        let raw = Draft::parse("<p><img src=\"images/ok.png\"><img src=\"images/team.png\"></p>\n")
            .unwrap();
        let raw_missing = missing_images(&raw, &folder, "world");
        assert_eq!(raw_missing.len(), 1, "{raw_missing:?}");
        assert!(
            raw_missing[0].1.contains("symbolic link"),
            "{raw_missing:?}"
        );
        // Inside a paragraph's text too (`newsroom check` and the desk's checklist).
        let inline = Draft::parse(
            "---\ntitle: x\n---\nSee <img src=\"images/ok.png\"> and <img src=\"images/team.png\"> and <img src=\"images/gone.png\">.\n",
        )
        .unwrap();
        let inline_missing = missing_images(&inline, &folder, "world");
        assert_eq!(inline_missing.len(), 2, "{inline_missing:?}");
        assert_eq!(inline_missing[0].0, 4);
        assert!(inline_missing[0].1.contains("symbolic link"));
        assert!(inline_missing[1].1.contains("`images/gone.png` not found"));
        assert!(missing[0].1.contains("symbolic link"), "{missing:?}");
        assert!(missing[1].1.contains("symbolic link"), "{missing:?}");

        let (ws, _) = Workspace::open_with_index(&root, &dir.path().join("idx.sqlite3")).unwrap();
        let ok = ws.read_image("world/story.md", "images/ok.png").unwrap();
        assert_eq!(
            (ok.path.as_str(), ok.mime),
            ("world/images/ok.png", "image/png")
        );
        for (src, why) in [
            ("images/team.png", "symbolic link"),
            ("up/secret.png", "symbolic link"),
            ("images/fake.png", "not a PNG"),
            ("../../secret.png", "outside"),
            ("https://example.org/x.png", "outside"),
        ] {
            let err = ws.read_image("world/story.md", src).unwrap_err();
            assert!(err.to_string().contains(why), "{src}: {err}");
        }
    }

    #[test]
    fn image_paths_and_types() {
        let draft = WorkspacePath::new("world/story.md").unwrap();
        assert_eq!(
            image_path(&draft, "images/a%20b.png").unwrap().as_str(),
            "world/images/a b.png"
        );
        assert_eq!(
            image_path(&draft, "../top.png").unwrap().as_str(),
            "top.png"
        );
        assert_eq!(image_path(&draft, "../../x.png"), None);
        assert_eq!(image_path(&draft, "https://x.org/a.png"), None);
        assert_eq!(image_path(&draft, "data:image/png;base64,xx"), None);
        assert_eq!(sniff_image(b"\xff\xd8\xff\xe0"), Some("image/jpeg"));
        assert_eq!(sniff_image(b"GIF89a.."), Some("image/gif"));
        assert_eq!(sniff_image(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff_image(b"\0\0\0\x1cftypavif"), Some("image/avif"));
        assert_eq!(sniff_image(b"<svg"), None);
        assert_eq!(sniff_image(b""), None);
    }

    #[test]
    fn raw_html_images_in_blocks_and_paragraphs_are_found_with_their_alt_and_line() {
        let d = Draft::parse(
            "---\ntitle: x\n---\nIntro ![md](images/a.png).\n\n<figure>\n<img alt=\"Team &amp; bus\" src=\"images/team%20bus.jpg\">\n<img src=\"https://cdn.example/r.png\"><img src=\"data:image/png;base64,xx\">\n<img src=\"../../../etc/x.png\">\n</figure>\n\n<img src=\"images/a.png\" alt=\"again\">\n\nInline <img src=\"images/inline.png\" alt=\"In &amp; line\"> and <img src=\"https://cdn.example/i.png\"> images.\n\n<!-- <img src=\"images/commented.png\"> -->\n",
        )
        .unwrap();
        let imgs = local_images(&d, "world");
        let got: Vec<_> = imgs
            .iter()
            .map(|i| {
                (
                    i.line,
                    i.url.as_str(),
                    i.resolved.as_deref(),
                    i.alt.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (4, "images/a.png", Some("world/images/a.png"), "md"),
                (
                    7,
                    "images/team%20bus.jpg",
                    Some("world/images/team bus.jpg"),
                    "Team & bus"
                ),
                (9, "../../../etc/x.png", None, ""),
                (12, "images/a.png", Some("world/images/a.png"), "again"),
                (
                    14,
                    "images/inline.png",
                    Some("world/images/inline.png"),
                    "In & line"
                ),
            ]
        );
    }
}
