//! Files other tools wrote (Hugo YAML/TOML/JSON, Jekyll and jekyll-import's WordPress
//! exports, Obsidian notes) open with their meaning, are not rewritten until something
//! changes, and keep their own format when it does. One test per shape, on the files in
//! `tests/fixtures/foreign/` (see `docs/draft-format.md`, "Other tools' files").

#![allow(clippy::unwrap_used)] // test helpers fail loudly

use std::fs;
use std::path::PathBuf;

use newsroom_core::draft::FrontMatterFormat;
use newsroom_core::front_matter_edit::{Change, apply};
use newsroom_core::index::Filter;
use newsroom_core::workspace::Workspace;
use newsroom_core::{Draft, Status};

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/foreign")
}

fn fixture(name: &str) -> String {
    fs::read_to_string(fixture_dir().join(name)).unwrap()
}

fn parse(name: &str) -> Draft {
    Draft::parse(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// `newsroom set FILE author="Dana Desk" tags=a,b` through the core: the result parses,
/// keeps the body byte for byte, and gives the new values.
fn set_author_and_tags(name: &str) -> (String, Draft) {
    let before = parse(name);
    let out = apply(
        &before,
        &[
            Change::set_text("author", "Dana Desk"),
            Change::set_list("tags", ["a", "b c"]),
        ],
    )
    .unwrap();
    let after = Draft::parse(&out).unwrap();
    assert_eq!(after.body(), before.body(), "{name}: body changed");
    assert_eq!(after.front_matter.author.as_deref(), Some("Dana Desk"));
    assert_eq!(after.front_matter.tags, ["a", "b c"]);
    assert_eq!(after.layout().format, before.layout().format);
    (out, after)
}

#[test]
fn hugo_yaml_with_an_author_list_and_draft() {
    let d = parse("hugo-yaml.md");
    let fm = &d.front_matter;
    assert_eq!(
        fm.title.as_deref(),
        Some("Turnout climbs in the second round")
    );
    assert_eq!(fm.author.as_deref(), Some("Dana Desk and Sam Field"));
    assert_eq!(fm.status, Status::Draft);
    assert_eq!(fm.publish_at.as_deref(), Some("2026-11-30T09:00:00+01:00"));
    assert_eq!(fm.tags, ["elections", "turnout"]);
    assert_eq!(fm.categories, ["World"]);
    assert_eq!(
        fm.excerpt.as_deref(),
        Some("Polling stations stayed open an hour longer.")
    );

    let (out, _) = set_author_and_tags("hugo-yaml.md");
    // Only the changed keys' lines are rewritten.
    assert!(
        out.contains("author: Dana Desk\n")
            && out.contains("date: 2026-11-30T09:00:00+01:00\ndraft: true\n"),
        "{out}"
    );
}

#[test]
fn hugo_toml_front_matter() {
    let d = parse("hugo-toml.md");
    assert_eq!(d.layout().format, FrontMatterFormat::Toml);
    let fm = &d.front_matter;
    assert_eq!(
        fm.title.as_deref(),
        Some("Harbour strike enters its third day")
    );
    assert_eq!(fm.author.as_deref(), Some("Dana Desk and Sam Field"));
    assert_eq!(fm.publish_at.as_deref(), Some("2026-11-29T07:30:00Z"));
    assert_eq!(
        (fm.status, fm.tags.as_slice()),
        (
            Status::Draft,
            &["strikes".to_owned(), "ports".to_owned()][..]
        )
    );
    assert_eq!(
        d.body(),
        "\nDockworkers in the northern harbour stayed away for a third day on Sunday.\n"
    );
    assert_eq!(d.key_line("draft"), Some(5));

    let (out, _) = set_author_and_tags("hugo-toml.md");
    assert!(out.starts_with("+++\n# Written by `hugo new posts/harbour-strike.md`\ntitle = \"Harbour strike enters its third day\"\n"), "{out}");
    assert!(out.contains("tags = [\"a\", \"b c\"]\n"), "{out}");
    assert!(out.contains("author = \"Dana Desk\""), "{out}");
    assert!(
        out.contains("  source = \"wire\"   # keep for the syndication feed\n"),
        "{out}"
    );
    assert!(out.contains("\n+++\n\nDockworkers"), "{out}");
}

#[test]
fn hugo_json_front_matter() {
    let d = parse("hugo-json.md");
    assert_eq!(d.layout().format, FrontMatterFormat::Json);
    let fm = &d.front_matter;
    assert_eq!(
        fm.title.as_deref(),
        Some("Council delays vote on tram line")
    );
    assert_eq!(fm.author.as_deref(), Some("Dana Desk"));
    assert_eq!(fm.publish_at.as_deref(), Some("2026-11-28T00:00:00Z"));
    assert_eq!(fm.categories, ["City"]);
    assert_eq!(
        d.body(),
        "\nThe city council postponed its vote on the eastern tram line until January.\n"
    );
    assert_eq!(d.key_line("categories"), Some(7));
    assert_eq!(d.layout().body_line_offset, 8);

    let (out, _) = set_author_and_tags("hugo-json.md");
    assert!(
        out.starts_with("{\n   \"title\": \"Council delays vote on tram line\",\n"),
        "{out}"
    );
    assert!(out.contains("   \"author\": \"Dana Desk\",\n"), "{out}");
}

#[test]
fn jekyll_import_wordpress_export() {
    let d = parse("jekyll-wordpress.md");
    let fm = &d.front_matter;
    assert_eq!(
        fm.title.as_deref(),
        Some("Ferry service resumes after storm")
    );
    assert_eq!(fm.author.as_deref(), Some("Dana Desk"));
    assert_eq!(fm.status, Status::Published);
    assert_eq!(
        fm.publish_at.as_deref(),
        Some("2011-02-12T03:35:40.000000000-08:00")
    );
    assert_eq!(fm.tags, ["weather", "ferries"]);
    assert_eq!(fm.categories, ["Local"]);

    let (out, after) = set_author_and_tags("jekyll-wordpress.md");
    // The author mapping is replaced whole; `meta:` and the rest stay as they were.
    assert!(
        out.contains(
            "meta:\n  _edit_last: '1'\n  _wpas_done_all: '1'\nauthor: Dana Desk\npermalink:"
        ),
        "{out}"
    );
    assert_eq!(after.front_matter.status, Status::Published);
}

#[test]
fn jekyll_post_with_space_separated_terms() {
    let d = parse("jekyll-post.md");
    let fm = &d.front_matter;
    assert_eq!(fm.title.as_deref(), Some("Library opens on Sundays"));
    assert_eq!(fm.categories, ["city", "culture"]);
    assert_eq!(fm.tags, ["libraries", "opening-hours"]);
    assert_eq!(fm.status, Status::Draft);
    assert_eq!(fm.publish_at.as_deref(), Some("2026-11-27T18:00:00+01:00"));
    set_author_and_tags("jekyll-post.md");
}

#[test]
fn obsidian_note_with_a_heading_for_title() {
    let d = parse("obsidian-note.md");
    let fm = &d.front_matter;
    assert_eq!(fm.title, None);
    assert_eq!(
        d.display_title("obsidian-note"),
        "Old bridge closes for repairs"
    );
    assert_eq!(fm.tags, ["roads", "bridges"]);
    // The heading is the headline, so the article does not repeat it.
    assert!(!d.article_body().contains("Old bridge closes"));
    let preview =
        newsroom_core::render::render_draft("obsidian-note.md", d.text(), None, true, false);
    assert_eq!(
        preview
            .html
            .matches("Old bridge closes for repairs")
            .count(),
        1,
        "{}",
        preview.html
    );
    // Lines still count from the body's first, for the editor's scroll sync.
    assert!(
        preview.html.contains("data-sourcepos=\"3:1-3:"),
        "{}",
        preview.html
    );
    set_author_and_tags("obsidian-note.md");
}

#[test]
fn obsidian_hash_tags_in_a_list() {
    let d = parse("obsidian-list.md");
    assert_eq!(d.front_matter.tags, ["traffic", "roads/closures"]);
    assert_eq!(d.display_title("obsidian-list"), "obsidian-list");
    set_author_and_tags("obsidian-list.md");
}

#[test]
fn reading_never_rewrites_and_the_index_sees_their_meaning() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("drafts");
    fs::create_dir_all(&root).unwrap();
    let mut originals = Vec::new();
    for entry in fs::read_dir(fixture_dir()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        let text = fs::read_to_string(entry.path()).unwrap();
        fs::write(root.join(&name), &text).unwrap();
        originals.push((name, text));
    }
    let (ws, report) =
        Workspace::open_with_index(&root, &dir.path().join("data/index.sqlite3")).unwrap();
    assert_eq!(report.invalid, 0, "{report:?}");
    let list = ws.list(&Filter::default()).unwrap();
    let find = |path: &str| list.iter().find(|d| d.path == path).unwrap();
    let toml = find("hugo-toml.md");
    assert_eq!(toml.title, "Harbour strike enters its third day");
    assert_eq!(toml.tags, ["strikes", "ports"]);
    assert_eq!(toml.author.as_deref(), Some("Dana Desk and Sam Field"));
    assert_eq!(find("hugo-json.md").categories, ["City"]);
    assert_eq!(find("jekyll-wordpress.md").status, Status::Published);
    assert_eq!(find("jekyll-post.md").tags, ["libraries", "opening-hours"]);
    assert_eq!(
        find("obsidian-note.md").title,
        "Old bridge closes for repairs"
    );
    // The TOML and JSON front matter is not body text: search finds the body only.
    let hits = ws.search("Dockworkers", &Filter::default(), 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert!(
        ws.search("syndication", &Filter::default(), 10)
            .unwrap()
            .is_empty()
    );
    assert!(
        ws.search("postponed", &Filter::default(), 10)
            .unwrap()
            .len()
            == 1
    );
    drop(ws);
    for (name, text) in originals {
        assert_eq!(
            fs::read_to_string(root.join(&name)).unwrap(),
            text,
            "{name} was rewritten"
        );
    }
}

#[test]
fn set_with_its_own_value_writes_nothing() {
    for name in ["hugo-toml.md", "hugo-json.md", "jekyll-wordpress.md"] {
        let d = parse(name);
        let title = d.front_matter.title.clone().unwrap();
        assert_eq!(
            apply(&d, &[Change::set_text("title", title)]).unwrap(),
            d.text(),
            "{name}"
        );
    }
}

#[test]
fn malformed_toml_and_json_name_the_file_line() {
    let err =
        Draft::parse("+++\ntitle = \"ok\"\ntags = [\"a\"\ndraft = true\n+++\nBody\n").unwrap_err();
    assert_eq!(err.line, Some(4), "{err:?}");
    assert!(err.message.contains("not valid TOML"), "{}", err.message);
    let err = Draft::parse("+++\ntitle = \"ok\"\n\nBody\n").unwrap_err();
    assert_eq!(err.line, Some(1));
    assert!(err.message.contains("`+++`"), "{}", err.message);
    let err = Draft::parse("{\n  \"title\": \"ok\",\n  \"draft\": tru\n}\nBody\n").unwrap_err();
    assert_eq!(err.line, Some(3), "{err:?}");
    assert!(err.message.contains("not valid JSON"), "{}", err.message);
    let err = Draft::parse("{\n  \"title\": \"ok\"\n} trailing\nBody\n").unwrap_err();
    assert_eq!(err.line, Some(3), "{err:?}");
    let err = Draft::parse("+++\ntitle = \"x\"\nstatus = \"done\"\n+++\n").unwrap_err();
    assert_eq!(err.line, Some(3), "{err:?}");
}

#[test]
fn crlf_toml_stays_crlf_when_edited() {
    let text = "+++\r\ntitle = \"a\"\r\n+++\r\nBody\r\n";
    let out = apply(
        &Draft::parse(text).unwrap(),
        &[Change::set_text("author", "B")],
    )
    .unwrap();
    assert_eq!(
        out,
        "+++\r\ntitle = \"a\"\r\nauthor = \"B\"\r\n+++\r\nBody\r\n"
    );
}

#[test]
fn hostile_toml_and_json_fail_fast_with_an_error() {
    let started = std::time::Instant::now();
    let deep_toml = format!(
        "+++\nx = {}1{}\n+++\nB\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(Draft::parse(&deep_toml).is_err());
    let deep_json = format!(
        "{{\"x\": {}1{}}}\nB\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(Draft::parse(&deep_json).is_err());
    let open_json = format!("{{\"x\": \"{}\nB\n", "a".repeat(10 * 1024 * 1024));
    assert!(
        Draft::parse(&open_json)
            .unwrap_err()
            .message
            .contains("larger than")
    );
    let many = format!(
        "+++\n{}+++\nB\n",
        (0..20_000)
            .map(|i| format!("k{i} = {i}\n"))
            .collect::<String>()
    );
    assert!(Draft::parse(&many).is_err());
    let unicode = "{\n  \"title\": \"\\u00e9 }{ \u{1F600}\",\n  \"date\": \"2026-12-01 08:00 +\u{fc}00\"\n}\nB\n";
    let d = Draft::parse(unicode).unwrap();
    assert_eq!(d.front_matter.title.as_deref(), Some("\u{e9} }{ \u{1F600}"));
    assert_eq!(d.front_matter.publish_at, None);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

/// The publishing record (`portal:`) and the review trail are mappings and lists of
/// mappings: written into TOML and JSON, they read back as they were.
#[test]
fn bookkeeping_mappings_round_trip_through_toml_and_json() {
    use newsroom_core::yaml::Value;
    let s = |v: &str| Value::Str(v.into());
    let portal = Value::Map(vec![
        ("url".into(), s("http://127.0.0.1:8089")),
        ("post_id".into(), Value::Int(42)),
        (
            "images".into(),
            Value::Map(vec![(
                "a.png".into(),
                Value::Map(vec![("id".into(), Value::Int(7))]),
            )]),
        ),
    ]);
    let trail = Value::List(vec![Value::Map(vec![
        ("by".into(), s("Dana")),
        ("to".into(), s("in-review")),
    ])]);
    for name in ["hugo-toml.md", "hugo-json.md"] {
        let d = parse(name);
        let changes = [
            Change::set("portal", portal.clone()),
            Change::set("review", trail.clone()),
        ];
        let out = apply(&d, &changes).unwrap();
        let again = Draft::parse(&out).unwrap();
        assert_eq!(
            again.front_matter_value("portal"),
            Some(&portal),
            "{name}: {out}"
        );
        assert_eq!(
            again.front_matter_value("review"),
            Some(&trail),
            "{name}: {out}"
        );
        assert_eq!(
            apply(&again, &changes).unwrap(),
            out,
            "{name}: a second write changes nothing"
        );
        assert_eq!(again.front_matter.title, d.front_matter.title);
    }
}

#[test]
fn hugo_publish_date_wins_over_date_and_publish_at_over_both() {
    let d =
        Draft::parse("+++\ndate = 2026-11-01\npublishDate = 2026-12-01T06:00:00+01:00\n+++\nB\n")
            .unwrap();
    assert_eq!(
        d.front_matter.publish_at.as_deref(),
        Some("2026-12-01T06:00:00+01:00")
    );
    let d = Draft::parse("---\npublish_at: 2026-12-02T06:00:00Z\npublishDate: 2026-12-01\ndate: 2026-11-01\n---\nB\n").unwrap();
    assert_eq!(
        d.front_matter.publish_at.as_deref(),
        Some("2026-12-02T06:00:00Z")
    );
    // Jekyll's `published: true` is a flag, not a date; Hugo's `published` alias is a date.
    let d = Draft::parse("---\npublished: 2026-12-03\ntags: a b\n---\nB\n").unwrap();
    assert_eq!(
        d.front_matter.publish_at.as_deref(),
        Some("2026-12-03T00:00:00Z")
    );
    assert_eq!(d.front_matter.tags, ["a b"]);
    let d = Draft::parse("---\npublished: true\ntags: a b\n---\nB\n").unwrap();
    assert_eq!(
        (d.front_matter.publish_at, d.front_matter.tags),
        (None, vec!["a".to_owned(), "b".to_owned()])
    );
}
