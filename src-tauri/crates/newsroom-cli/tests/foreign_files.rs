//! Files other tools wrote, through the `newsroom` command: `list` and `search` see their
//! meaning, and `newsroom set` fixes any of their shapes while keeping the file's own
//! format. The files are the core's fixtures (`newsroom-core/tests/fixtures/foreign/`).

#![allow(clippy::unwrap_used)] // test helpers fail loudly

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURES: [&str; 7] = [
    "hugo-yaml.md",
    "hugo-toml.md",
    "hugo-json.md",
    "jekyll-wordpress.md",
    "jekyll-post.md",
    "obsidian-note.md",
    "obsidian-list.md",
];

struct Env {
    _dir: tempfile::TempDir,
    drafts: PathBuf,
    data: PathBuf,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let drafts = dir.path().join("drafts");
    fs::create_dir_all(&drafts).unwrap();
    let fixtures =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../newsroom-core/tests/fixtures/foreign");
    for name in FIXTURES {
        fs::copy(fixtures.join(name), drafts.join(name)).unwrap();
    }
    let data = dir.path().join("data");
    Env {
        _dir: dir,
        drafts,
        data,
    }
}

fn run(e: &Env, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsroom"))
        .args(args)
        .env("NEWSROOM_DRAFTS", &e.drafts)
        .env("NEWSROOM_DATA_DIR", &e.data)
        // never the settings of whoever runs the tests
        .env("NEWSROOM_CONFIG_DIR", e.data.with_file_name("config"))
        .output()
        .unwrap()
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn list_and_search_see_their_title_status_and_tags() {
    let e = env();
    let v: serde_json::Value = serde_json::from_str(&ok(&run(&e, &["list", "--json"]))).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), FIXTURES.len());
    let row = |path: &str| rows.iter().find(|r| r["path"] == path).unwrap();
    for r in rows {
        assert!(r["error"].is_null(), "{r}");
    }
    assert_eq!(
        row("hugo-toml.md")["title"],
        "Harbour strike enters its third day"
    );
    assert_eq!(
        row("hugo-toml.md")["tags"],
        serde_json::json!(["strikes", "ports"])
    );
    assert_eq!(
        row("hugo-json.md")["title"],
        "Council delays vote on tram line"
    );
    assert_eq!(row("hugo-yaml.md")["author"], "Dana Desk and Sam Field");
    assert_eq!(row("jekyll-wordpress.md")["status"], "published");
    assert_eq!(row("jekyll-wordpress.md")["author"], "Dana Desk");
    assert_eq!(
        row("jekyll-post.md")["tags"],
        serde_json::json!(["libraries", "opening-hours"])
    );
    assert_eq!(
        row("obsidian-note.md")["title"],
        "Old bridge closes for repairs"
    );

    let published = ok(&run(&e, &["list", "--status", "published", "--json"]));
    let published: serde_json::Value = serde_json::from_str(&published).unwrap();
    assert_eq!(published.as_array().unwrap().len(), 1);

    let hits = ok(&run(&e, &["search", "Dockworkers", "--json"]));
    assert!(hits.contains("hugo-toml.md"), "{hits}");
    let files: Vec<String> = FIXTURES
        .iter()
        .map(|n| e.drafts.join(n).to_str().unwrap().to_owned())
        .collect();
    let mut args = vec!["check"];
    args.extend(files.iter().map(String::as_str));
    ok(&run(&e, &args));
}

#[test]
fn set_fixes_each_shape_and_keeps_the_format() {
    let e = env();
    for name in FIXTURES {
        let path = e.drafts.join(name);
        let before = fs::read_to_string(&path).unwrap();
        ok(&run(
            &e,
            &[
                "set",
                path.to_str().unwrap(),
                "author=Pat Reporter",
                "tags=one,two words",
            ],
        ));
        let after = fs::read_to_string(&path).unwrap();
        assert_ne!(after, before, "{name}");
        // The file keeps its own front matter format.
        assert_eq!(
            after.lines().next(),
            before.lines().next(),
            "{name}: {after}"
        );
        let v: serde_json::Value =
            serde_json::from_str(&ok(&run(&e, &["list", "--json"]))).unwrap();
        let row = v
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["path"] == name)
            .unwrap()
            .clone();
        assert_eq!(row["author"], "Pat Reporter", "{name}: {after}");
        assert_eq!(
            row["tags"],
            serde_json::json!(["one", "two words"]),
            "{name}: {after}"
        );
        assert!(row["error"].is_null(), "{name}: {row}");
    }
    let toml = fs::read_to_string(e.drafts.join("hugo-toml.md")).unwrap();
    assert!(toml.starts_with("+++\n# Written by"), "{toml}");
    assert!(toml.contains("author = \"Pat Reporter\""), "{toml}");
    let jekyll = fs::read_to_string(e.drafts.join("jekyll-wordpress.md")).unwrap();
    assert!(
        jekyll.contains("\nauthor: Pat Reporter\n") && !jekyll.contains("login:"),
        "{jekyll}"
    );
    let json = fs::read_to_string(e.drafts.join("hugo-json.md")).unwrap();
    assert!(json.contains("   \"author\": \"Pat Reporter\""), "{json}");
}
