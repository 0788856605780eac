//! The local images a draft uses: for `newsroom check` (a missing image is a problem),
//! for the desk's checklist, and for publishing (each is uploaded once).

use std::path::Path;

use comrak::nodes::NodeValue;
use comrak::{Arena, parse_document};

use crate::draft::Draft;
use crate::render::{comrak_options, url_policy};

/// An image in a draft that lives in the drafts folder, not on the web.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LocalImage {
    /// As written in the draft.
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

/// Local images whose file is missing, with a message each.
pub fn missing_images(draft: &Draft, root: &Path, draft_dir: &str) -> Vec<(usize, String)> {
    local_images(draft, draft_dir)
        .into_iter()
        .filter_map(|img| match &img.resolved {
            None => Some((
                img.line,
                format!("image `{}` is outside the drafts folder", img.url),
            )),
            Some(rel) if !crate::scan::abs_path(root, rel).is_file() => Some((
                img.line,
                format!("image `{}` not found (looked for {rel})", img.url),
            )),
            Some(_) => None,
        })
        .collect()
}

/// Local means: no scheme at all (`javascript:x.png` and `C:\\x.jpg` are not files of ours;
/// the renderer blocks them), not protocol-relative, not an in-page anchor.
fn is_local(url: &str) -> bool {
    url_policy::scheme_of(url).is_none() && !url.starts_with("//") && !url.starts_with('#')
}

/// `my%20photo.jpg` → `my photo.jpg` (Markdown URLs are percent-encoded; files are not).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() && s.is_char_boundary(i + 3) {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

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
        let missing = missing_images(&d, dir.path(), "");
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
}
