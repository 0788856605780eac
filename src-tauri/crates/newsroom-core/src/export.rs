//! "Export HTML": the preview as a standalone page a colleague can open in a browser.
//! Local images keep their paths as written (they resolve when the page sits beside the
//! draft).

use std::path::{Path, PathBuf};

use crate::draft::Draft;
use crate::error::{CoreError, Result};
use crate::workspace::Workspace;
use crate::{files, scan};

const STYLE: &str = "body{max-width:42rem;margin:2rem auto;padding:0 1rem;font:18px/1.6 Georgia,serif;color:#222}\
img{max-width:100%}.nr-kicker{text-transform:uppercase;letter-spacing:.08em;font:600 13px sans-serif;color:#b00}\
.nr-byline,.nr-tags{font:14px sans-serif;color:#555}";

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Workspace {
    /// Writes `text` (the editor's content of `path`) as a standalone HTML page at `dest`,
    /// an absolute path ending in `.html` or `.htm`; returns the written file.
    pub fn export_html(&self, path: &str, text: &str, dest: &str) -> Result<PathBuf> {
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
        let preview = self.render(&rel, text, None, false)?;
        let title = Draft::parse(text)
            .map(|d| d.display_title(&scan::file_title(&rel)))
            .unwrap_or_else(|_| scan::file_title(&rel));
        let page = format!(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src * data:; style-src 'unsafe-inline'\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{}\n</body>\n</html>\n",
            escape(&title),
            preview.html
        );
        files::write_atomic(dest, page.as_bytes())?;
        Ok(dest.to_path_buf())
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
            .export_html("a.md", text, dir.path().join("a.html").to_str().unwrap())
            .unwrap();
        let html = std::fs::read_to_string(out).unwrap();
        assert!(
            html.contains("<title>A &lt;b&gt;bold&lt;/b&gt; headline</title>"),
            "{html}"
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(ws.export_html("a.md", text, "relative.html").is_err());
        assert!(
            ws.export_html("a.md", text, dir.path().join("a.md").to_str().unwrap())
                .is_err()
        );
    }
}
