//! What other tools' front matter means to the app: Hugo, Jekyll (with jekyll-import's
//! WordPress exports) and Obsidian write the same ideas in other shapes. Each shape is
//! read here into the typed [`crate::FrontMatter`]; the file is never rewritten for it
//! (see `docs/draft-format.md`, "Other tools' files", for the table).

use super::FrontMatterFormat;
use super::Status;
use crate::yaml::Value;

/// The tool a front matter looks written by, as far as it matters here: how a string
/// of tags or categories is split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Ours, and YAML from tools without a rule of their own: commas separate.
    Newsroom,
    /// TOML or JSON front matter: Hugo keeps a string whole, as one term.
    Hugo,
    /// A `layout` key or a true/false `published`: Jekyll splits a string on whitespace.
    Jekyll,
    /// An `aliases`, `cssclasses` or `cssclass` key: Obsidian splits on commas and
    /// whitespace (its tags cannot hold a space).
    Obsidian,
}

impl Dialect {
    pub fn detect(entries: &[(String, Value)], format: FrontMatterFormat) -> Dialect {
        let has = |key: &str| entries.iter().any(|(k, _)| k == key);
        let flag = |key: &str| {
            entries
                .iter()
                .any(|(k, v)| k == key && matches!(v, Value::Bool(_)))
        };
        match format {
            FrontMatterFormat::Toml | FrontMatterFormat::Json => Dialect::Hugo,
            FrontMatterFormat::Yaml if has("layout") || flag("published") => Dialect::Jekyll,
            FrontMatterFormat::Yaml if has("aliases") || has("cssclasses") || has("cssclass") => {
                Dialect::Obsidian
            }
            FrontMatterFormat::Yaml => Dialect::Newsroom,
        }
    }
}

/// A string given for `tags` or `categories`, split the way its tool means it. Words
/// written as Obsidian's `#tag` split on commas and whitespace in any dialect.
pub fn split_terms(s: &str, dialect: Dialect) -> Vec<String> {
    let hash_words = s.split([',', ' ', '\t']).any(|w| w.starts_with('#'));
    let parts: Vec<&str> = match dialect {
        _ if hash_words => s.split([',', ' ', '\t', '\n']).collect(),
        Dialect::Jekyll => s.split_whitespace().collect(),
        Dialect::Obsidian => s.split([',', ' ', '\t', '\n']).collect(),
        Dialect::Hugo => vec![s],
        Dialect::Newsroom => s.split(',').collect(),
    };
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A tag as Obsidian writes it (`#election`) is the tag `election`: the page shows tags
/// as `#tag` already.
pub fn tag_name(tag: String) -> String {
    match tag.strip_prefix('#') {
        Some(rest) if !rest.trim().is_empty() => rest.trim().to_owned(),
        _ => tag,
    }
}

/// The byline from an `author`/`authors` value that is not plain text: a list (Hugo's
/// `author: [A, B]`, `authors:`) joins its names ("A and B", "A, B and C"); a mapping
/// (jekyll-import's `{login, email, display_name, first_name, last_name}`, or `{name}`)
/// gives its display name. `None` when no name can be found: never an error, so that
/// `newsroom set FILE author=…` can always replace it.
pub fn byline(value: &Value) -> Option<String> {
    match value {
        Value::List(items) => {
            let names: Vec<String> = items.iter().filter_map(byline).collect();
            match names.as_slice() {
                [] => None,
                [one] => Some(one.clone()),
                [rest @ .., last] => Some(format!("{} and {last}", rest.join(", "))),
            }
        }
        Value::Map(_) => {
            let field = |k: &str| {
                value
                    .get(k)
                    .and_then(Value::scalar_text)
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
            };
            field("display_name")
                .or_else(|| field("name"))
                .or_else(|| {
                    let full = [field("first_name"), field("last_name")]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    (!full.is_empty()).then_some(full)
                })
                .or_else(|| field("login"))
        }
        Value::Null => None,
        scalar => scalar
            .scalar_text()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty()),
    }
}

/// WordPress's post statuses, as jekyll-import writes them (`status: publish`), in ours.
/// Our own spellings are tried first, by the caller.
pub fn wordpress_status(s: &str) -> Option<Status> {
    match s.trim().to_ascii_lowercase().as_str() {
        "publish" | "private" => Some(Status::Published),
        "future" => Some(Status::Scheduled),
        "pending" => Some(Status::InReview),
        "auto-draft" => Some(Status::Draft),
        _ => None,
    }
}

/// `date` as Hugo, Jekyll and jekyll-import write it, as an RFC 3339 publication time:
/// `2026-12-01T08:00:00+01:00` stays as written; `2026-12-01`, `2026-12-01 08:00`,
/// `2026-12-01 08:00:00 +0100` and `2011-02-12 03:35:40.000000000 -08:00` are spelled
/// out in RFC 3339. No offset means UTC (Hugo's default time zone). `None` for anything
/// else: an unreadable `date` stays an ordinary key rather than an error.
pub fn publication_time(value: &Value) -> Option<String> {
    let s = value.scalar_text()?;
    let s = s.trim();
    if super::parse_rfc3339(s).is_ok() {
        return Some(s.to_owned());
    }
    let date = s.get(..10)?;
    let ymd = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(date, &ymd).ok()?;
    let rest = s[10..].trim_start_matches(['T', 't', ' ']);
    if rest.is_empty() {
        return Some(format!("{date}T00:00:00Z"));
    }
    let split = rest.find(['+', '-', 'Z', 'z', ' ']).unwrap_or(rest.len());
    let (clock, zone) = (rest[..split].trim(), rest[split..].trim());
    let clock = match clock.len() {
        5 => format!("{clock}:00"),
        _ => clock.to_owned(),
    };
    if !zone.is_ascii() || !clock.is_ascii() {
        return None;
    }
    let zone = match zone {
        "" | "Z" | "z" | "UTC" => "Z".to_owned(),
        z if z.len() == 5 && !z.contains(':') => format!("{}:{}", &z[..3], &z[3..]),
        z if z.len() == 3 => format!("{z}:00"),
        z => z.to_owned(),
    };
    let out = format!("{date}T{clock}{zone}");
    super::parse_rfc3339(&out).is_ok().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::Str(v.into())
    }

    #[test]
    fn each_dialect_splits_a_string_its_own_way() {
        assert_eq!(
            split_terms("news politics", Dialect::Jekyll),
            ["news", "politics"]
        );
        assert_eq!(
            split_terms("Ukraine War updates", Dialect::Hugo),
            ["Ukraine War updates"]
        );
        assert_eq!(
            split_terms("Belarus, Russia", Dialect::Newsroom),
            ["Belarus", "Russia"]
        );
        assert_eq!(
            split_terms("Ukraine War updates", Dialect::Newsroom),
            ["Ukraine War updates"]
        );
        assert_eq!(
            split_terms("draft, idea note", Dialect::Obsidian),
            ["draft", "idea", "note"]
        );
        assert_eq!(split_terms("#a #b", Dialect::Newsroom), ["#a", "#b"]);
        assert_eq!(tag_name("#a".into()), "a");
        assert_eq!(tag_name("#".into()), "#");
    }

    #[test]
    fn bylines_from_lists_and_mappings() {
        assert_eq!(
            byline(&Value::List(vec![s("A"), s("B")])).as_deref(),
            Some("A and B")
        );
        assert_eq!(
            byline(&Value::List(vec![s("A"), s("B"), s("C")])).as_deref(),
            Some("A, B and C")
        );
        let jekyll = Value::Map(vec![
            ("login".into(), s("ddesk")),
            ("email".into(), s("d@example.org")),
            ("display_name".into(), s("Dana Desk")),
        ]);
        assert_eq!(byline(&jekyll).as_deref(), Some("Dana Desk"));
        let names = Value::Map(vec![
            ("first_name".into(), s("Sam")),
            ("last_name".into(), s("Field")),
        ]);
        assert_eq!(byline(&names).as_deref(), Some("Sam Field"));
        assert_eq!(byline(&Value::Map(vec![("email".into(), s("x@y"))])), None);
    }

    #[test]
    fn dates_become_rfc3339() {
        let t = |v: &str| publication_time(&s(v));
        assert_eq!(
            t("2026-12-01T08:00:00+01:00").as_deref(),
            Some("2026-12-01T08:00:00+01:00")
        );
        assert_eq!(t("2026-12-01").as_deref(), Some("2026-12-01T00:00:00Z"));
        assert_eq!(
            t("2026-12-01 08:00").as_deref(),
            Some("2026-12-01T08:00:00Z")
        );
        assert_eq!(
            t("2026-12-01 08:00:00 +0100").as_deref(),
            Some("2026-12-01T08:00:00+01:00")
        );
        assert_eq!(
            t("2011-02-12 03:35:40.000000000 -08:00").as_deref(),
            Some("2011-02-12T03:35:40.000000000-08:00")
        );
        assert_eq!(t("last week"), None);
        assert_eq!(t("2026-12-01 08:00 +ü00"), None);
        assert_eq!(t("2026-12-01 0ü:00"), None);
        assert_eq!(t("2026-12-01T"), Some("2026-12-01T00:00:00Z".into()));
        assert_eq!(t("2026-13-01"), None);
    }

    #[test]
    fn wordpress_statuses() {
        assert_eq!(wordpress_status("publish"), Some(Status::Published));
        assert_eq!(wordpress_status("future"), Some(Status::Scheduled));
        assert_eq!(wordpress_status("pending"), Some(Status::InReview));
        assert_eq!(wordpress_status("trash"), None);
    }
}
