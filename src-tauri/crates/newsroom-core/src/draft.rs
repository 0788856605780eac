//! A draft: one Markdown file with front matter: YAML (`---`), or as Hugo also writes it,
//! TOML (`+++`) or a leading JSON object.
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

pub use crate::front_matter::FrontMatterFormat;

/// Byte ranges of the parts of a draft's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The file starts with a UTF-8 byte order mark (kept on rewrite).
    pub bom: bool,
    pub line_ending: LineEnding,
    /// The front matter's text, when the file has one: the YAML or TOML between the
    /// fences, or the JSON object with its braces.
    pub front_matter: Option<std::ops::Range<usize>>,
    pub format: FrontMatterFormat,
    /// Where the body starts; everything from here on is Markdown.
    pub body_start: usize,
    /// Lines before the body (the front matter and its fences), to map body lines to file lines.
    pub body_line_offset: usize,
}

impl Layout {
    /// File lines before the front matter's first line: 1 after a `---`/`+++` fence, 0
    /// for JSON, whose `{` is on the file's first line.
    pub fn front_matter_line_offset(&self) -> usize {
        match self.format {
            FrontMatterFormat::Json => 0,
            FrontMatterFormat::Yaml | FrontMatterFormat::Toml => 1,
        }
    }
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
        let (layout, yaml, front_matter) = read(text)?;
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

    /// The raw value of any front-matter key (YAML, TOML and JSON read alike), known to the app or not.
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
            .map(|k| k.key_line + self.layout.front_matter_line_offset())
    }

    /// The parsed front matter (keys in file order), for readers that merge or compare
    /// whole front matters (the git sync's merge driver).
    pub fn yaml_document(&self) -> Option<&yaml::Document> {
        self.yaml.as_ref()
    }

    /// The body as the article shows it and the portal receives it: without the heading
    /// that stands as the headline (see [`body_without_title_heading`]).
    pub fn article_body(&self) -> std::borrow::Cow<'_, str> {
        article_body_of(&self.front_matter, self.body())
    }

    /// The headline to show: the `title`, else the body's first heading, else `fallback`
    /// (the file name).
    pub fn display_title(&self, fallback: &str) -> String {
        display_title_of(&self.front_matter, self.body(), fallback)
    }
}

/// A draft's layout and front matter, read from `text` without copying it ([`Draft::parse`]
/// keeps the text too). Lines in errors are lines of the whole file.
fn read(text: &str) -> Result<(Layout, Option<yaml::Document>, FrontMatter), DraftError> {
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(DraftError::whole_file(
            "the file is empty: a draft needs at least a title or some text",
        ));
    }
    let layout = split(text)?;
    let line_offset = layout.front_matter_line_offset();
    let yaml = match &layout.front_matter {
        Some(range) => {
            let fm_text = &text[range.clone()];
            let parsed = match layout.format {
                FrontMatterFormat::Yaml => yaml::parse(fm_text),
                FrontMatterFormat::Toml => crate::front_matter_toml::parse(fm_text),
                FrontMatterFormat::Json => crate::front_matter_json::parse(fm_text),
            };
            Some(parsed.map_err(|e| DraftError {
                line: e.line.map(|l| l + line_offset),
                message: e.message,
            })?)
        }
        None => None,
    };
    let front_matter = match &yaml {
        Some(doc) => FrontMatter::from_document(doc, line_offset, layout.format)?,
        None => FrontMatter::default(),
    };
    Ok((layout, yaml, front_matter))
}

/// The front matter of the draft `text` and where its body starts, as [`Draft::parse`]
/// reads them, without copying the text: the preview reads them on every keystroke.
pub(crate) fn read_front_matter(text: &str) -> Result<(FrontMatter, usize), DraftError> {
    let (layout, _, front_matter) = read(text)?;
    Ok((front_matter, layout.body_start))
}

/// [`Draft::article_body`] of a draft with this front matter and body.
pub(crate) fn article_body_of<'a>(
    front_matter: &FrontMatter,
    body: &'a str,
) -> std::borrow::Cow<'a, str> {
    let has_title = front_matter
        .title
        .as_deref()
        .is_some_and(|t| !t.trim().is_empty());
    body_without_title_heading(body, has_title)
}

/// [`Draft::display_title`] of a draft with this front matter and body.
pub(crate) fn display_title_of(front_matter: &FrontMatter, body: &str, fallback: &str) -> String {
    if let Some(title) = front_matter
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        return title.trim().to_owned();
    }
    first_heading(body).unwrap_or_else(|| fallback.to_owned())
}

/// The ATX heading text of `line` (`# Head`, `## Head #`), any level. Indented four
/// columns or more (or by a tab), the line is code, not a heading.
fn heading_text(line: &str) -> Option<String> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let rest = trimmed.strip_prefix('#')?;
    let rest = rest.trim_start_matches('#');
    (rest.starts_with(' ') && !rest.trim().is_empty())
        .then(|| rest.trim().trim_end_matches('#').trim().to_owned())
}

/// `body` without the heading that stands as its headline: when the draft has no
/// `title` and the body's first non-blank line is a heading, that heading is the headline
/// ([`Draft::display_title`]) and the article must not repeat it. Its line is emptied,
/// not removed, so body lines keep their numbers (sourcepos, `FILE:LINE` messages).
pub fn body_without_title_heading<'a>(body: &'a str, has_title: bool) -> std::borrow::Cow<'a, str> {
    if has_title {
        return body.into();
    }
    let mut start = 0;
    for line in body.split_inclusive('\n') {
        if line.trim().is_empty() {
            start += line.len();
            continue;
        }
        if heading_text(line).is_none() {
            break;
        }
        let content = line.trim_end_matches(['\n', '\r']).len();
        let mut out = String::with_capacity(body.len());
        out.push_str(&body[..start]);
        out.push_str(&body[start + content..]);
        return out.into();
    }
    body.into()
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
        heading_text(line)
    })
}

/// Finds the front matter: `---` (YAML) or `+++` (TOML) fences, or a JSON object, on
/// the file's first line. A file that starts with anything else has none.
pub fn split(text: &str) -> Result<Layout, DraftError> {
    let bom = text.starts_with('\u{feff}');
    let start = if bom { '\u{feff}'.len_utf8() } else { 0 };
    let rest = &text[start..];
    let line_ending = LineEnding::detect(rest);
    let none = Layout {
        bom,
        line_ending,
        front_matter: None,
        format: FrontMatterFormat::Yaml,
        body_start: start,
        body_line_offset: 0,
    };

    let first_line = rest.lines().next().unwrap_or("");
    if crate::front_matter_json::opens(first_line) {
        let end = crate::front_matter_json::object_end(rest)?;
        let line_end = rest[end..].find('\n').map_or(rest.len(), |i| end + i);
        let trailing = rest[end..line_end].trim_end_matches(['\r', ' ', '\t']);
        let closing_line = crate::front_matter_toml::line_at(rest, end);
        if !trailing.is_empty() {
            return Err(DraftError::at(
                closing_line,
                "text after the JSON front matter's closing `}`: put the body on the next line",
            ));
        }
        return Ok(Layout {
            front_matter: Some(start..start + end),
            format: FrontMatterFormat::Json,
            body_start: start + (line_end + 1).min(rest.len()),
            body_line_offset: closing_line,
            ..none
        });
    }
    let (fence, format) = if fence_line_end(rest, 0, "+++").is_some() {
        ("+++", FrontMatterFormat::Toml)
    } else {
        ("---", FrontMatterFormat::Yaml)
    };
    let Some(after_open) = fence_line_end(rest, 0, fence) else {
        return Ok(none);
    };

    let fm_start = start + after_open;
    let mut pos = after_open;
    let mut line_no = 1;
    while pos < rest.len() {
        line_no += 1;
        let closing = match format {
            FrontMatterFormat::Toml => fence_line_end(rest, pos, "+++"),
            _ => fence_line_end(rest, pos, "---").or_else(|| fence_line_end(rest, pos, "...")),
        };
        if let Some(end) = closing {
            return Ok(Layout {
                front_matter: Some(fm_start..start + pos),
                format,
                body_start: start + end,
                body_line_offset: line_no,
                ..none
            });
        }
        pos = match rest[pos..].find('\n') {
            Some(i) => pos + i + 1,
            None => rest.len(),
        };
    }
    Err(DraftError::at(
        1,
        format!(
            "front matter opened with `{fence}` on line 1 is never closed: add a line `{fence}` after the last key"
        ),
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
    fn a_leading_heading_without_a_title_is_the_headline_and_not_repeated() {
        let d =
            Draft::parse("---\nstatus: draft\n---\n\n# Minsk talks stall\r\n\nText.\n").unwrap();
        assert_eq!(d.display_title("f"), "Minsk talks stall");
        assert_eq!(d.article_body(), "\n\r\n\nText.\n");
        let titled = Draft::parse("---\ntitle: Other\n---\n# Kept\nText.\n").unwrap();
        assert_eq!(titled.article_body(), "# Kept\nText.\n");
        let code = Draft::parse("    # indented code\n\nText.\n").unwrap();
        assert_eq!(code.article_body(), "    # indented code\n\nText.\n");
        assert_eq!(code.display_title("f"), "f");
        let later = Draft::parse("Intro.\n\n# Not first\n").unwrap();
        assert_eq!(later.article_body(), "Intro.\n\n# Not first\n");
        let bare = Draft::parse("## Only a heading").unwrap();
        assert_eq!(bare.article_body(), "");
    }

    #[test]
    fn dots_close_front_matter_too() {
        let d = Draft::parse("---\ntitle: x\n...\nBody\n").unwrap();
        assert_eq!(d.body(), "Body\n");
    }
}
