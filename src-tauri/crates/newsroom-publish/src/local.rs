//! The draft and its images as they leave the computer: read through the door, checked
//! (conflict copies, open suggestions, nesting depth, image containment and caps) before
//! any request. What `observe` starts from.

use std::path::Path;

use newsroom_core::door::Folder;
use newsroom_core::{Draft, files, images, scan};

use crate::blocks;
use crate::error::{PublishError, Result};
use crate::media::ImageFile;
use crate::observe::LocalDraft;
use crate::outgoing;
use crate::runtime::{abs_path, blocking};

/// The draft and its images, read and checked through the door before any request.
pub(crate) async fn read_local(root: &Path, path: &str) -> Result<LocalDraft> {
    let (root, path) = (root.to_path_buf(), path.to_owned());
    blocking(move || {
        let (draft, title) = read_draft(&root, &path)?;
        let images = local_image_files(&draft, &root, &path)?;
        Ok(LocalDraft {
            file: abs_path(&root, &path).display().to_string(),
            draft,
            title,
            images,
        })
    })
    .await
}

pub(crate) fn read_draft(root: &Path, path: &str) -> Result<(Draft, String)> {
    let abs = abs_path(root, path);
    if newsroom_core::conflict::is_conflict_copy(path) {
        return Err(PublishError::ConflictCopy {
            file: abs.display().to_string(),
        });
    }
    // The draft's text goes to the portal: read it through the same door as images (a
    // draft that is a symbolic link to a file elsewhere is not published).
    let outside = |reason: String| PublishError::OutsideFolder {
        file: abs.display().to_string(),
        reason,
    };
    let folder = Folder::open(root).map_err(|e| outside(e.to_string()))?;
    let bytes = outgoing::read_inside(&folder, path, newsroom_core::door::FileKind::Draft)
        .map_err(outside)?;
    let text = files::decode_draft(bytes).map_err(|e| e.in_file(&abs))?;
    let draft = Draft::parse(&text).map_err(|e| e.in_file(&abs))?;
    // Before the first request, and the cheap scan before any parser sees the body (the
    // image scan parses it too).
    if let Err(e) = blocks::check_depth(draft.body()) {
        return Err(PublishError::TooDeep {
            file: abs.display().to_string(),
            line: e.line + draft.layout().body_line_offset,
            depth: e.depth,
            max: blocks::MAX_NESTING,
        });
    }
    let open = newsroom_core::review::critic::unresolved(&text);
    if let Some(first) = open.first() {
        return Err(PublishError::UnresolvedMarks {
            file: abs.display().to_string(),
            line: first.line,
            count: open.len(),
        });
    }
    let title = draft.display_title(&scan::file_title(path));
    Ok((draft, title))
}

/// The draft's local images, each checked and read through [`outgoing::read_image`]:
/// anything that may not leave the computer stops the publish with `FILE:LINE: image …`.
pub(crate) fn local_image_files(draft: &Draft, root: &Path, path: &str) -> Result<Vec<ImageFile>> {
    let draft_dir = newsroom_core::workspace_path::folder_of(path);
    let file = abs_path(root, path).display().to_string();
    let mut out: Vec<ImageFile> = Vec::new();
    let mut total = 0u64;
    let found = images::local_images(draft, draft_dir);
    if found.is_empty() {
        return Ok(out);
    }
    // one door for all of the draft's images
    let folder = Folder::open(root)?;
    for img in found {
        if let Some(existing) = out.iter_mut().find(|f| f.written == img.url) {
            existing.featured |= img.featured;
            continue;
        }
        let refused = |reason: String| PublishError::ImageRefused {
            file: file.clone(),
            line: img.line,
            image: img.url.clone(),
            reason,
        };
        let Some(rel) = img.resolved.as_deref() else {
            return Err(refused(
                "it is outside the drafts folder; move it inside".into(),
            ));
        };
        let read = outgoing::read_image(&folder, rel).map_err(refused)?;
        total += read.bytes.len() as u64;
        if total > outgoing::MAX_DRAFT_IMAGE_BYTES {
            return Err(refused(format!(
                "the draft's images add up to more than {} MB; publish fewer or smaller images",
                outgoing::MAX_DRAFT_IMAGE_BYTES / 1048576
            )));
        }
        out.push(ImageFile {
            written: img.url,
            abs: abs_path(root, rel),
            alt: img.alt,
            featured: img.featured,
            bytes: read.bytes.into(),
            kind: read.kind,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_with_open_suggestions_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.md"),
            "---\ntitle: x\n---\nClean line.\n\nTalks {++resumed++} today{>>EM: source?<<}.\n",
        )
        .unwrap();
        let err = super::read_draft(dir.path(), "a.md").unwrap_err();
        assert_eq!(err.code(), "unresolved_marks");
        assert!(err.to_string().contains("a.md:6: 2 open"), "{err}");
        std::fs::write(
            dir.path().join("b.md"),
            "---\ntitle: x\n---\n`{++code++}` is fine\n",
        )
        .unwrap();
        assert!(super::read_draft(dir.path(), "b.md").is_ok());
    }

    #[test]
    fn a_conflict_copy_is_never_published() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let text = "---\ntitle: Minsk\nstatus: approved\n---\nBody\n";
        std::fs::write(root.join("minsk.md"), text).unwrap();
        std::fs::write(root.join("minsk.conflict-20261126-093000.md"), text).unwrap();
        assert!(read_draft(&root, "minsk.md").is_ok());
        let err = read_draft(&root, "minsk.conflict-20261126-093000.md").unwrap_err();
        assert_eq!(err.code(), "conflict_copy");
        assert!(err.to_string().contains("never published"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_draft_linked_out_of_the_folder_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(&root).unwrap();
        let root = root.canonicalize().unwrap();
        std::fs::write(dir.path().join("secret.md"), "---\ntitle: S\n---\nSECRET\n").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.md"), root.join("story.md")).unwrap();
        let err = read_draft(&root, "story.md").unwrap_err();
        assert_eq!(err.code(), "outside_folder");
        assert!(err.to_string().contains("symbolic link"), "{err}");
        let err = read_draft(&root, "../secret.md").unwrap_err();
        assert_eq!(err.code(), "outside_folder");
    }

    #[test]
    fn images_are_capped_per_draft_in_all() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("images")).unwrap();
        let mut body = String::from("---\ntitle: x\n---\n");
        for i in 0..9 {
            let f = std::fs::File::create(root.join(format!("images/{i}.png"))).unwrap();
            use std::io::Write;
            (&f).write_all(b"\x89PNG\r\n\x1a\n").unwrap();
            f.set_len(30 * 1024 * 1024).unwrap();
            body.push_str(&format!("![{i}](images/{i}.png)\n\n"));
        }
        std::fs::write(root.join("a.md"), &body).unwrap();
        let (draft, _) = read_draft(&root, "a.md").unwrap();
        let err = local_image_files(&draft, &root, "a.md").unwrap_err();
        assert_eq!(err.code(), "image");
        let msg = err.to_string();
        assert!(msg.contains("a.md:20: image `images/8.png`"), "{msg}");
        assert!(msg.contains("more than 256 MB"), "{msg}");
    }

    #[cfg(unix)]
    #[test]
    fn raw_html_images_in_blocks_and_paragraphs_are_checked_like_markdown_ones() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(root.join("images")).unwrap();
        let root = root.canonicalize().unwrap();
        std::fs::write(dir.path().join("secret.png"), b"\x89PNG\r\n\x1a\nSECRET").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.png"), root.join("images/l.png"))
            .unwrap();
        std::fs::write(root.join("images/ok.png"), b"\x89PNG\r\n\x1a\nok").unwrap();
        std::fs::write(root.join("images/fake.png"), b"<html>").unwrap();
        // In an HTML block (line 7) and inside a paragraph's text (line 6): the same rules.
        for inline in [false, true] {
            let read = |img: &str| {
                let text = if inline {
                    format!("---\ntitle: x\n---\nText.\n\nSee {img} here.\n")
                } else {
                    format!("---\ntitle: x\n---\nText.\n\n<figure>\n{img}\n</figure>\n")
                };
                std::fs::write(root.join("a.md"), text).unwrap();
                let (draft, _) = read_draft(&root, "a.md").unwrap();
                local_image_files(&draft, &root, "a.md")
            };
            let line = if inline { 6 } else { 7 };
            let ok = read("<img alt=\"Team\" src=\"images/ok.png\">").unwrap();
            assert_eq!(ok.len(), 1);
            assert_eq!(
                (ok[0].written.as_str(), ok[0].alt.as_str()),
                ("images/ok.png", "Team")
            );
            assert_eq!(ok[0].bytes.as_ref(), b"\x89PNG\r\n\x1a\nok");
            for (img, image, why) in [
                (
                    "<img src=\"../secret.png\">",
                    "../secret.png",
                    "outside the drafts folder",
                ),
                (
                    "<img src=\"images/l.png\">",
                    "images/l.png",
                    "symbolic link",
                ),
                (
                    "<img src=\"images/fake.png\">",
                    "images/fake.png",
                    "not an image the portal accepts",
                ),
                (
                    "<img src=\"images/gone.png\">",
                    "images/gone.png",
                    "gone.png",
                ),
            ] {
                let err = read(img).unwrap_err();
                assert_eq!(err.code(), "image", "{img}");
                let msg = err.to_string();
                assert!(
                    msg.contains(&format!("a.md:{line}: image `{image}`")),
                    "{msg}"
                );
                assert!(msg.contains(why), "{msg}");
            }
            // Remote and `data:` sources are not local images: nothing to read.
            assert!(
                read(
                    "<img src=\"https://cdn.example/x.png\"><img src=\"data:image/png;base64,xx\">"
                )
                .unwrap()
                .is_empty()
            );
        }
    }
}
