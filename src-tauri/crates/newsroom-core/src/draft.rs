//! A draft: one Markdown file with YAML front matter.
//!
//! [`Draft::parse`] works on a string and knows nothing of files (reading is
//! [`crate::files::read_draft_text`]); rendering is a later phase ([`crate::render`]).
//! A draft remembers exactly where its front matter and body are, so that a metadata
//! change can rewrite the front matter while the body stays byte for byte.

use crate::error::DraftError;
use crate::front_matter::FrontMatter;
use crate::yaml;

/// How the file ends its lines. Kept on every rewrite: a CRLF file stays CRLF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum LineEnding {
    Lf,
    CrLf,
}

impl LineEnding {
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }

    fn detect(text: &str) -> Self {
        match text.find('\n') {
            Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => LineEnding::CrLf,
            _ => LineEnding::Lf,
        }
    }
}

/// Byte ranges of the parts of a draft's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The file starts with a UTF-8 byte order mark (kept on rewrite).
    pub bom: bool,
    pub line_ending: LineEnding,
    /// The YAML between the `---` lines, when the file has front matter.
    pub yaml: Option<std::ops::Range<usize>>,
    /// Where the body starts; everything from here on is Markdown.
    pub body_start: usize,
    /// Lines before the body (the front matter and its fences), to map body lines to file lines.
    pub body_line_offset: usize,
}

/// A parsed draft. Owns its text so that edits can be computed from it.
#[derive(Debug, Clone)]
pub struct Draft {
    text: String,
    layout: Layout,
    yaml: Option<yaml::Document>,
    pub front_matter: FrontMatter,
}

impl Draft {
    /// Parses a draft's text. Lines in errors are lines of the whole file.
    pub fn parse(text: &str) -> Result<Draft, DraftError> {
        if text.trim_start_matches('\u{feff}').trim().is_empty() {
            return Err(DraftError::whole_file(
                "the file is empty: a draft needs at least a title or some text",
            ));
        }
        let layout = split(text)?;
        let yaml = match &layout.yaml {
            Some(range) => Some(yaml::parse(&text[range.clone()]).map_err(|e| DraftError {
                // YAML line 1 is the file's line 2 (after the opening `---`).
                line: e.line.map(|l| l + 1),
                message: e.message,
            })?),
            None => None,
        };
        let front_matter = match &yaml {
            Some(doc) => FrontMatter::from_yaml(doc, 1)?,
            None => FrontMatter::default(),
        };
        Ok(Draft {
            text: text.to_owned(),
            layout,
            yaml,
            front_matter,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn into_text(self) -> String {
        self.text
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The Markdown after the front matter, exactly as in the file.
    pub fn body(&self) -> &str {
        &self.text[self.layout.body_start..]
    }

    /// The raw YAML value of any front-matter key, known to the app or not.
    pub fn front_matter_value(&self, key: &str) -> Option<&yaml::Value> {
        self.yaml.as_ref()?.root.get(key)
    }

    /// The file line of a top-level front-matter key, for messages.
    pub fn key_line(&self, key: &str) -> Option<usize> {
        self.yaml
            .as_ref()?
            .keys
            .iter()
            .find(|k| k.key == key)
            .map(|k| k.key_line + 1)
    }

    pub(crate) fn yaml_document(&self) -> Option<&yaml::Document> {
        self.yaml.as_ref()
    }

    /// The headline to show: the `title`, else the body's first heading, else `fallback`
    /// (the file name).
    pub fn display_title(&self, fallback: &str) -> String {
        if let Some(title) = self
            .front_matter
            .title
            .as_deref()
            .filter(|t| !t.trim().is_empty())
        {
            return title.trim().to_owned();
        }
        first_heading(self.body()).unwrap_or_else(|| fallback.to_owned())
    }
}

fn first_heading(body: &str) -> Option<String> {
    let mut in_fence = false;
    body.lines().take(50).find_map(|line| {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            return None;
        }
        if in_fence {
            return None;
        }
        let rest = t.strip_prefix('#')?;
        let rest = rest.trim_start_matches('#');
        (rest.starts_with(' ') && !rest.trim().is_empty())
            .then(|| rest.trim().trim_end_matches('#').trim().to_owned())
    })
}

/// Finds the front matter fences. A file that does not start with `---` has none.
pub fn split(text: &str) -> Result<Layout, DraftError> {
    let bom = text.starts_with('\u{feff}');
    let start = if bom { '\u{feff}'.len_utf8() } else { 0 };
    let rest = &text[start..];
    let line_ending = LineEnding::detect(rest);

    let Some(after_open) = fence_line_end(rest, 0, "---") else {
        return Ok(Layout {
            bom,
            line_ending,
            yaml: None,
            body_start: start,
            body_line_offset: 0,
        });
    };

    let yaml_start = start + after_open;
    let mut pos = after_open;
    let mut line_no = 1;
    while pos < rest.len() {
        line_no += 1;
        if let Some(end) =
            fence_line_end(rest, pos, "---").or_else(|| fence_line_end(rest, pos, "..."))
        {
            return Ok(Layout {
                bom,
                line_ending,
                yaml: Some(yaml_start..start + pos),
                body_start: start + end,
                body_line_offset: line_no,
            });
        }
        pos = match rest[pos..].find('\n') {
            Some(i) => pos + i + 1,
            None => rest.len(),
        };
    }
    Err(DraftError::at(
        1,
        "front matter opened with `---` on line 1 is never closed: add a line `---` after the last key",
    ))
}

/// If the line starting at `pos` is exactly `fence` (trailing blanks allowed), returns
/// the offset just after its line break.
fn fence_line_end(text: &str, pos: usize, fence: &str) -> Option<usize> {
    let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
    let line = text[pos..line_end].trim_end_matches(['\r', ' ', '\t']);
    (line == fence).then(|| (line_end + 1).min(text.len()))
}

/// `world/minsk-talks.md` → `minsk-talks`: the title of last resort.
pub fn file_title(rel: &str) -> String {
    let name = crate::workspace_path::file_name_of(rel);
    name.strip_suffix(".md")
        .or_else(|| name.strip_suffix(".markdown"))
        .unwrap_or(name)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front_matter::Status;

    const SAMPLE: &str = "---\ntitle: Minsk talks stall\ncategories: [World]\ntags:\n  - Belarus\n  - Russia\nstatus: in-review\n---\n\nBody *text*.\n";

    #[test]
    fn parses_front_matter_and_body() {
        let d = Draft::parse(SAMPLE).unwrap();
        assert_eq!(d.front_matter.title.as_deref(), Some("Minsk talks stall"));
        assert_eq!(d.front_matter.categories, vec!["World"]);
        assert_eq!(d.front_matter.tags, vec!["Belarus", "Russia"]);
        assert_eq!(d.front_matter.status, Status::InReview);
        assert_eq!(d.body(), "\nBody *text*.\n");
        assert_eq!(d.layout().body_line_offset, 8);
    }

    #[test]
    fn no_front_matter_means_defaults() {
        let d = Draft::parse("# A headline\n\nText.\n").unwrap();
        assert_eq!(d.front_matter.status, Status::Draft);
        assert_eq!(d.display_title("file"), "A headline");
        assert_eq!(d.body(), "# A headline\n\nText.\n");
        let code = Draft::parse("```sh\n# install deps\n```\n\n## Real heading\n").unwrap();
        assert_eq!(code.display_title("f"), "Real heading");
    }

    #[test]
    fn crlf_and_bom_are_detected() {
        let d = Draft::parse("\u{feff}---\r\ntitle: x\r\n---\r\nBody\r\n").unwrap();
        assert!(d.layout().bom);
        assert_eq!(d.layout().line_ending, LineEnding::CrLf);
        assert_eq!(d.body(), "Body\r\n");
        assert_eq!(d.front_matter.title.as_deref(), Some("x"));
    }

    #[test]
    fn unterminated_front_matter_is_an_error_on_line_1() {
        let err = Draft::parse("---\ntitle: x\n\nBody\n").unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(err.message.contains("never closed"));
    }

    #[test]
    fn yaml_errors_report_file_lines() {
        let err = Draft::parse("---\ntitle: ok\ntags: 5\n---\nBody\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err:?}");
        let err = Draft::parse("---\ntitle: a\ntitle: b\n---\n").unwrap_err();
        assert_eq!(err.line, Some(3));
    }

    #[test]
    fn empty_file_is_an_error() {
        assert!(Draft::parse("").is_err());
        assert!(Draft::parse("\u{feff}\n  \n").is_err());
    }

    #[test]
    fn front_matter_only_file_has_empty_body() {
        let d = Draft::parse("---\ntitle: x\n---").unwrap();
        assert_eq!(d.body(), "");
    }

    #[test]
    fn dots_close_front_matter_too() {
        let d = Draft::parse("---\ntitle: x\n...\nBody\n").unwrap();
        assert_eq!(d.body(), "Body\n");
    }
}
