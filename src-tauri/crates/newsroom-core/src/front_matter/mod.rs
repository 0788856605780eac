//! The typed front matter the app understands. Keys it does not know stay in the file
//! untouched (see [`crate::front_matter_edit`]); this struct is a view, not the truth.

pub mod conventions;

use self::conventions::Dialect;
use crate::error::DraftError;
use crate::yaml::{self, Value};

/// How the front matter is written. Edits keep it: a TOML file stays TOML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FrontMatterFormat {
    /// Between `---` lines (closed by `---` or `...`).
    #[default]
    Yaml,
    /// Between `+++` lines (Hugo).
    Toml,
    /// A JSON object that starts the file, `{` to its matching `}` (Hugo).
    Json,
}

/// Where a piece is in the newsroom's workflow.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Draft,
    InReview,
    ChangesRequested,
    Approved,
    Scheduled,
    Published,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Draft,
        Status::InReview,
        Status::ChangesRequested,
        Status::Approved,
        Status::Scheduled,
        Status::Published,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InReview => "in-review",
            Status::ChangesRequested => "changes-requested",
            Status::Approved => "approved",
            Status::Scheduled => "scheduled",
            Status::Published => "published",
        }
    }

    /// A label for people ("In review").
    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "Draft",
            Status::InReview => "In review",
            Status::ChangesRequested => "Changes requested",
            Status::Approved => "Approved",
            Status::Scheduled => "Scheduled",
            Status::Published => "Published",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == wanted)
            .ok_or_else(|| {
                let all: Vec<_> = Status::ALL.iter().map(|s| s.as_str()).collect();
                format!("unknown status `{s}`; use one of {}", all.join(", "))
            })
    }
}

/// The keys the app reads. Anything else in the YAML is kept as it is.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub status: Status,
    pub author: Option<String>,
    pub slug: Option<String>,
    pub excerpt: Option<String>,
    /// Path relative to the draft's file.
    pub featured_image: Option<String>,
    pub featured_image_alt: Option<String>,
    /// RFC 3339, checked on read; kept as written so a rewrite does not reformat it.
    pub publish_at: Option<String>,
}

/// Keys with a meaning to the app, in the order a new front matter is written.
pub const KNOWN_KEYS: [&str; 10] = [
    "title",
    "categories",
    "tags",
    "status",
    "author",
    "slug",
    "excerpt",
    "featured_image",
    "featured_image_alt",
    "publish_at",
];

/// Keys whose value is a list of strings.
pub const LIST_KEYS: [&str; 2] = ["categories", "tags"];

impl FrontMatter {
    /// Reads the typed view from a YAML document. `line_offset` is the number of file
    /// lines before the YAML's first line, so errors name file lines.
    pub fn from_yaml(doc: &yaml::Document, line_offset: usize) -> Result<FrontMatter, DraftError> {
        Self::from_document(doc, line_offset, FrontMatterFormat::Yaml)
    }

    /// Reads the typed view from a front matter in any format, with other tools'
    /// conventions ([`conventions`]): `date`, `draft: true`, `published: false`,
    /// `authors`, an `author` list or mapping, WordPress statuses, tags as a string.
    pub fn from_document(
        doc: &yaml::Document,
        line_offset: usize,
        format: FrontMatterFormat,
    ) -> Result<FrontMatter, DraftError> {
        let entries = match &doc.root {
            Value::Null => return Ok(FrontMatter::default()),
            Value::Map(entries) => entries,
            other => {
                return Err(DraftError::at(
                    line_offset + 1,
                    format!(
                        "front matter must be `key: value` lines, found {}",
                        other.kind()
                    ),
                ));
            }
        };
        let line_of = |key: &str| {
            doc.keys
                .iter()
                .find(|k| k.key == key)
                .map_or(line_offset + 1, |k| k.value_line + line_offset)
        };
        let dialect = Dialect::detect(entries, format);
        let mut fm = FrontMatter::default();
        let (mut authors, mut date, mut publish_date, mut summary) = (None, None, None, None);
        for (key, value) in entries {
            let line = line_of(key);
            match key.as_str() {
                "title" => fm.title = text(key, value, line)?,
                "author" => fm.author = conventions::byline(value),
                "authors" => authors = conventions::byline(value),
                "date" => date = conventions::publication_time(value),
                // Hugo's publication date and its aliases (`published` is Jekyll's flag
                // when it is true/false, Hugo's date when it is a date).
                "publishDate" | "publishdate" | "pubdate" | "published" => {
                    publish_date = conventions::publication_time(value).or(publish_date);
                }
                // Hugo's summary is our standfirst; any other shape is left alone.
                "summary" => {
                    summary = value
                        .scalar_text()
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty());
                }
                "slug" => fm.slug = text(key, value, line)?,
                "excerpt" => fm.excerpt = text(key, value, line)?,
                "featured_image" => fm.featured_image = text(key, value, line)?,
                "featured_image_alt" => fm.featured_image_alt = text(key, value, line)?,
                "categories" => fm.categories = list(key, value, line, dialect)?,
                "tags" => {
                    fm.tags = list(key, value, line, dialect)?
                        .into_iter()
                        .map(conventions::tag_name)
                        .collect();
                }
                "status" => {
                    if let Some(s) = text(key, value, line)? {
                        fm.status = s
                            .parse()
                            .or_else(|e| conventions::wordpress_status(&s).ok_or(e))
                            .map_err(|e: String| DraftError::at(line, e))?;
                    }
                }
                "publish_at" => {
                    fm.publish_at = text(key, value, line)?;
                    if let Some(when) = &fm.publish_at {
                        parse_rfc3339(when).map_err(|e| DraftError::at(line, e))?;
                    }
                }
                _ => {}
            }
        }
        if fm.author.is_none() {
            fm.author = authors;
        }
        if fm.publish_at.is_none() {
            fm.publish_at = publish_date.or(date);
        }
        if fm.excerpt.is_none() {
            fm.excerpt = summary;
        }
        // Hugo's `draft: true` and Jekyll's `published: false` need no rule: without a
        // `status` the status is `draft` already. Their `false`/`true` mean live on that
        // tool's site, not on the portal, so they do not make a draft `published`.
        Ok(fm)
    }

    /// The slug to use: the one set, or one derived from the title.
    pub fn effective_slug(&self, title: &str) -> String {
        match self
            .slug
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => crate::slug::slugify(s),
            None => crate::slug::slugify(title),
        }
    }
}

/// Parses `publish_at`. A date without a time or zone is refused: a scheduled piece
/// going out at the wrong hour is worse than an error.
pub fn parse_rfc3339(when: &str) -> Result<time::OffsetDateTime, String> {
    time::OffsetDateTime::parse(when.trim(), &time::format_description::well_known::Rfc3339).map_err(|_| {
        format!("publish_at `{when}` is not an RFC 3339 date and time; write it like 2026-11-26T09:30:00+01:00")
    })
}

fn text(key: &str, value: &Value, line: usize) -> Result<Option<String>, DraftError> {
    match value {
        Value::Null => Ok(None),
        Value::List(_) | Value::Map(_) => Err(DraftError::at(
            line,
            format!("`{key}` should be text, found {}", value.kind()),
        )),
        scalar => Ok(scalar.scalar_text()),
    }
}

fn list(
    key: &str,
    value: &Value,
    line: usize,
    dialect: Dialect,
) -> Result<Vec<String>, DraftError> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Str(s) => Ok(conventions::split_terms(s, dialect)),
        Value::List(items) => items
            .iter()
            .filter(|v| !matches!(v, Value::Null))
            .map(|item| match item {
                Value::List(_) | Value::Map(_) => Err(DraftError::at(
                    line,
                    format!(
                        "`{key}` should be a list of names, but one item is {}",
                        item.kind()
                    ),
                )),
                scalar => Ok(scalar.scalar_text().unwrap_or_default().trim().to_owned()),
            })
            .filter(|r| !matches!(r, Ok(s) if s.is_empty()))
            .collect(),
        other => Err(DraftError::at(
            line,
            format!(
                "`{key}` should be a list like `[World, Europe]`, found {}",
                other.kind()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use crate::draft::Draft;
    use crate::front_matter::Status;

    fn err(text: &str) -> (Option<usize>, String) {
        let e = Draft::parse(text).unwrap_err();
        (e.line, e.message)
    }

    #[test]
    fn wrong_types_name_the_key_and_line() {
        let (line, msg) = err("---\ntitle: x\ntags: 5\n---\n");
        assert_eq!(line, Some(3));
        assert!(msg.contains("`tags`"), "{msg}");
        let (line, msg) = err("---\ntitle:\n  nested: map\n---\n");
        assert_eq!(line, Some(3));
        assert!(msg.contains("`title` should be text"), "{msg}");
    }

    #[test]
    fn unknown_status_lists_the_allowed_ones() {
        let (line, msg) = err("---\nstatus: done\n---\n");
        assert_eq!(line, Some(2));
        assert!(msg.contains("in-review"), "{msg}");
    }

    #[test]
    fn publish_at_must_be_rfc3339() {
        let (line, msg) = err("---\ntitle: x\npublish_at: tomorrow\n---\n");
        assert_eq!(line, Some(3));
        assert!(msg.contains("RFC 3339"));
        let d = Draft::parse("---\npublish_at: 2026-12-01T08:00:00+01:00\n---\n").unwrap();
        assert_eq!(
            d.front_matter.publish_at.as_deref(),
            Some("2026-12-01T08:00:00+01:00")
        );
    }

    #[test]
    fn single_string_is_a_one_item_list_and_scalars_are_text() {
        let d = Draft::parse("---\ntitle: 1984\ntags: Belarus\ncategories: [World, 2026]\n---\n")
            .unwrap();
        assert_eq!(d.front_matter.title.as_deref(), Some("1984"));
        assert_eq!(d.front_matter.tags, vec!["Belarus"]);
        assert_eq!(d.front_matter.categories, vec!["World", "2026"]);
    }

    #[test]
    fn status_parses_loosely() {
        assert_eq!("In Review".parse::<Status>(), Ok(Status::InReview));
        assert_eq!(
            "changes_requested".parse::<Status>(),
            Ok(Status::ChangesRequested)
        );
    }

    #[test]
    fn front_matter_must_be_a_mapping() {
        let (line, _) = err("---\n- a\n- b\n---\n");
        assert_eq!(line, Some(2));
    }
}
