//! "Export HTML": the preview as a standalone page a colleague can open in a browser.
//! Local images keep their paths as written (they resolve when the page sits beside the
//! draft).
//!
//! The destination is the user's choice, but the page goes through the same door as
//! everything else: a file inside the drafts folder is written by its path in the folder
//! (no link on the way followed), one outside by its name in its (canonical) folder; the
//! final name is never a link or a special file, and an existing file is replaced only
//! when the caller says so.

use std::path::{Path, PathBuf};

use crate::door::Folder;
use crate::draft::Draft;
use crate::error::{CoreError, Result};
use crate::scan;
use crate::workspace::Workspace;
use crate::workspace_path::WorkspacePath;

/// Where "Export HTML" suggests saving the page of the draft at `path` (relative to the
/// drafts folder): `<base>/<file stem>.html`, with `base` the user's documents folder.
/// Never beside the draft: the drafts folder is shared, and an export left there would be
/// read by everyone on the drive (and synced, and committed).
pub fn suggested_export_path(base: &Path, path: &str) -> PathBuf {
    let name = crate::workspace_path::file_name_of(path);
    let stem = name
        .rsplit_once('.')
        .map_or(name, |(stem, _)| stem)
        .trim_start_matches('.');
    let stem = if stem.is_empty() { "article" } else { stem };
    base.join(format!("{stem}.html"))
}

impl Workspace {
    /// Writes `text` (the editor's content of `path`) as a standalone HTML page at `dest`,
    /// an absolute path ending in `.html` or `.htm`; returns the written file. An existing
    /// file is replaced only with `overwrite`. Remote images are held back (the page would
    /// tell their servers who opened it); see [`Workspace::export_html_with`].
    pub fn export_html(
        &self,
        path: &str,
        text: &str,
        dest: &str,
        overwrite: bool,
    ) -> Result<PathBuf> {
        self.export_html_with(path, text, dest, overwrite, false)
    }

    /// [`Workspace::export_html`], with `http(s)` images kept when `remote_images` (the
    /// user chose to load remote images for this draft).
    pub fn export_html_with(
        &self,
        path: &str,
        text: &str,
        dest: &str,
        overwrite: bool,
        remote_images: bool,
    ) -> Result<PathBuf> {
        let dest = Path::new(dest.trim());
        if !dest.is_absolute() {
            return Err(CoreError::InvalidArgument(format!(
                "{}: choose a full path to export to",
                dest.display()
            )));
        }
        let is_html = dest
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
        if !is_html {
            return Err(CoreError::InvalidArgument(format!(
                "{}: the export file name must end in .html",
                dest.display()
            )));
        }
        let rel = self.relative(path)?;
        let preview = self.render(&rel, text, None, false, remote_images)?;
        let title = Draft::parse(text)
            .map(|d| d.display_title(&scan::file_title(&rel)))
            .unwrap_or_else(|_| scan::file_title(&rel));
        let page = crate::render::page::standalone_page(&title, &preview.html);
        let (folder, name) = self.export_target(dest)?;
        let written = if overwrite {
            folder.write_atomic(&name, page.as_bytes())
        } else {
            folder.create_new(&name, page.as_bytes())
        };
        // An existing file is `CoreError::Exists` (code `exists`): the UI asks, then
        // calls again with `overwrite`.
        written?;
        Ok(folder.abs(&name))
    }

    /// The folder to write the page into, and its name there. Inside the drafts folder
    /// (as written, or once the chosen folder's links are resolved), that is the
    /// workspace's own door with the path inside it, so a link on the way is refused.
    fn export_target(&self, dest: &Path) -> Result<(Folder, WorkspacePath)> {
        let bad = |why: &str| CoreError::InvalidArgument(format!("{}: {why}", dest.display()));
        let name = dest
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| bad("not a file name"))?;
        let dir = dest.parent().ok_or_else(|| bad("not a file name"))?;
        let inside = |rel: &Path| -> Result<(Folder, WorkspacePath)> {
            let parts: Option<Vec<&str>> =
                rel.components().map(|c| c.as_os_str().to_str()).collect();
            let rel = parts.ok_or_else(|| bad("not a valid path"))?.join("/");
            let path = WorkspacePath::new(&rel).map_err(|e| bad(e.reason))?;
            Ok((self.folder().clone(), path))
        };
        if let Ok(rel) = dest.strip_prefix(self.root()) {
            return inside(rel);
        }
        let canonical = dir.canonicalize().map_err(|e| CoreError::io(dir, e))?;
        if let Ok(rel) = canonical.join(name).strip_prefix(self.root()) {
            return inside(rel);
        }
        let folder = Folder::open(&canonical)?;
        let path = WorkspacePath::new(name).map_err(|e| bad(e.reason))?;
        Ok((folder, path))
    }
}

#[cfg(test)]
mod suggestion_tests {
    use super::*;

    #[test]
    fn the_suggestion_is_in_the_base_folder_never_beside_the_draft() {
        let base = Path::new("/home/ana/Documents");
        assert_eq!(
            suggested_export_path(base, "world/minsk-talks.md"),
            base.join("minsk-talks.html")
        );
        assert_eq!(
            suggested_export_path(base, ".hidden.md"),
            base.join("hidden.html")
        );
        assert_eq!(
            suggested_export_path(base, ".md"),
            base.join("article.html")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_standalone_page_and_refuses_odd_destinations() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("a.md"), "x").unwrap();
        let (ws, _) = Workspace::open_with_index(&root, &dir.path().join("idx.sqlite3")).unwrap();
        let text = "---\ntitle: A <b>bold</b> headline\n---\n\nHello <script>alert(1)</script>\n";
        let out = ws
            .export_html(
                "a.md",
                text,
                dir.path().join("a.html").to_str().unwrap(),
                false,
            )
            .unwrap();
        let html = std::fs::read_to_string(out).unwrap();
        assert!(
            html.contains("<title>A &lt;b&gt;bold&lt;/b&gt; headline</title>"),
            "{html}"
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            ws.export_html("a.md", text, "relative.html", false)
                .is_err()
        );
        assert!(
            ws.export_html(
                "a.md",
                text,
                dir.path().join("a.md").to_str().unwrap(),
                false
            )
            .is_err()
        );
    }

    #[test]
    fn an_existing_page_is_replaced_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("a.md"), "x").unwrap();
        let (ws, _) = Workspace::open_with_index(&root, &dir.path().join("idx.sqlite3")).unwrap();
        let dest = dir.path().join("a.html");
        std::fs::write(&dest, "mine").unwrap();
        let err = ws
            .export_html("a.md", "# A", dest.to_str().unwrap(), false)
            .unwrap_err();
        assert!(err.to_string().contains("already exists"), "{err}");
        assert_eq!(err.code(), "exists");
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "mine");
        ws.export_html("a.md", "# A", dest.to_str().unwrap(), true)
            .unwrap();
        assert!(std::fs::read_to_string(&dest).unwrap().contains("<h1"));
        // Beside the draft, inside the folder: fine.
        let beside = ws
            .export_html("a.md", "# A", root.join("a.html").to_str().unwrap(), false)
            .unwrap();
        assert_eq!(beside, root.join("a.html"));
    }

    #[cfg(unix)]
    #[test]
    fn no_page_is_written_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(root.join("a.md"), "x").unwrap();
        std::fs::write(outside.join("victim.html"), "victim").unwrap();
        // A folder in the drafts folder that is a link out of it, and a page name that is
        // a link to a file elsewhere.
        std::os::unix::fs::symlink(&outside, root.join("out")).unwrap();
        std::os::unix::fs::symlink(outside.join("victim.html"), root.join("page.html")).unwrap();
        std::os::unix::fs::symlink(outside.join("victim.html"), dir.path().join("link.html"))
            .unwrap();
        let (ws, _) = Workspace::open_with_index(&root, &dir.path().join("idx.sqlite3")).unwrap();
        for dest in [
            root.join("out/new.html"),
            root.join("page.html"),
            dir.path().join("link.html"),
        ] {
            let err = ws
                .export_html("a.md", "# A", dest.to_str().unwrap(), true)
                .unwrap_err();
            assert!(
                err.to_string().contains("symbolic link"),
                "{}: {err}",
                dest.display()
            );
        }
        assert_eq!(
            std::fs::read_to_string(outside.join("victim.html")).unwrap(),
            "victim"
        );
        assert!(!outside.join("new.html").exists());
    }
}
