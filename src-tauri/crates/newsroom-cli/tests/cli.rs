//! The `newsroom` command as a script would use it: real processes, real folders.

#![allow(clippy::unwrap_used)] // test helpers fail loudly

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Env {
    _dir: tempfile::TempDir,
    drafts: PathBuf,
    data: PathBuf,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let drafts = dir.path().join("drafts");
    fs::create_dir_all(drafts.join("world")).unwrap();
    fs::create_dir_all(drafts.join("images")).unwrap();
    fs::write(drafts.join("images/map.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    fs::write(
        drafts.join("world/minsk.md"),
        "---\ntitle: Minsk talks stall\ncategories: [World]\ntags: [Belarus, Russia]\nstatus: in-review\nauthor: Ana Kovač\n---\n\nDelegations met in Minsk but no ceasefire was agreed.\n\n![Map](../images/map.png)\n",
    )
    .unwrap();
    fs::write(
        drafts.join("derby.md"),
        "---\ntitle: Derby ends level\ncategories: [Sports]\n---\nOne all after a late penalty.\n",
    )
    .unwrap();
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

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn list_and_filters() {
    let e = env();
    let o = run(&e, &["list"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(
        out.contains("Minsk talks stall") && out.contains("Derby ends level"),
        "{out}"
    );

    let o = run(&e, &["list", "--status", "in-review", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["path"], "world/minsk.md");
    assert_eq!(v[0]["tags"], serde_json::json!(["Belarus", "Russia"]));

    let o = run(&e, &["list", "--category", "sports", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["title"], "Derby ends level");

    let bad = run(&e, &["list", "--status", "done"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("in-review"));
}

#[test]
fn search_with_snippets() {
    let e = env();
    let o = run(&e, &["search", "ceasefire", "--json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["draft"]["path"], "world/minsk.md");
    assert!(
        v[0]["snippet"]
            .as_str()
            .unwrap()
            .contains("\u{2}ceasefire\u{3}")
    );
    // Piped: the snippet as written, no `**` or escape codes around the match.
    let o = run(&e, &["search", "ceasefire"]);
    assert!(
        stdout(&o).contains("no ceasefire was agreed"),
        "{}",
        stdout(&o)
    );
    assert!(!stdout(&o).contains("**"), "{}", stdout(&o));
    assert!(!stdout(&o).contains('\x1b'), "{}", stdout(&o));
}

#[test]
fn new_set_history_restore() {
    let e = env();
    let o = run(
        &e,
        &[
            "new",
            "--title",
            "Minsk talks resume",
            "--category",
            "World",
            "--tag",
            "Belarus",
            "--tag",
            "Ukraine War updates",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let path = PathBuf::from(stdout(&o).trim());
    assert_eq!(
        path,
        e.drafts
            .canonicalize()
            .unwrap()
            .join("minsk-talks-resume.md")
    );
    let created = fs::read_to_string(&path).unwrap();
    assert!(created.contains("  - Ukraine War updates\n"));

    let body_before = fs::read_to_string(e.drafts.join("world/minsk.md")).unwrap();
    // The status moves only through the workflow (`newsroom transition`), never by `set`.
    let o = run(
        &e,
        &[
            "set",
            p(&e.drafts.join("world/minsk.md")),
            "status=approved",
            "tags=Belarus,Russia,Minsk",
        ],
    );
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("newsroom transition"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        fs::read_to_string(e.drafts.join("world/minsk.md")).unwrap(),
        body_before
    );
    let o = run(
        &e,
        &[
            "set",
            p(&e.drafts.join("world/minsk.md")),
            "tags=Belarus,Russia,Minsk",
            "excerpt=",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let after = fs::read_to_string(e.drafts.join("world/minsk.md")).unwrap();
    assert!(after.contains("  - Minsk\n"));
    let body = |t: &str| t.split_once("\n---\n").unwrap().1.to_owned();
    assert_eq!(body(&after), body(&body_before));

    let o = run(
        &e,
        &["history", p(&e.drafts.join("world/minsk.md")), "--json"],
    );
    let revs: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let revs = revs.as_array().unwrap();
    assert_eq!(revs.len(), 2);
    let original = revs.iter().find(|r| r["source"] == "before-save").unwrap()["id"]
        .as_i64()
        .unwrap();
    let o = run(
        &e,
        &[
            "restore",
            p(&e.drafts.join("world/minsk.md")),
            &original.to_string(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        fs::read_to_string(e.drafts.join("world/minsk.md")).unwrap(),
        body_before
    );

    // Outside the drafts folder named with --dir: refused, nothing written. (Without
    // --dir, such a file brings its own workspace: see conventions.rs.)
    let outside = e.drafts.parent().unwrap().join("elsewhere.md");
    fs::write(&outside, "---\ntitle: x\n---\n").unwrap();
    let o = run(
        &e,
        &["--dir", p(&e.drafts), "set", p(&outside), "status=approved"],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("not inside the drafts folder"));
    assert_eq!(
        fs::read_to_string(&outside).unwrap(),
        "---\ntitle: x\n---\n"
    );
}

#[test]
fn check_reports_file_and_line() {
    let e = env();
    let good = e.drafts.join("world/minsk.md");
    let o = run(&e, &["check", p(&good), p(&e.drafts.join("derby.md"))]);
    assert!(o.status.success());
    assert!(o.stdout.is_empty());

    let bad = e.drafts.join("bad.md");
    fs::write(
        &bad,
        "---\ntitle: ok\ntags: 5\n---\n![x](images/missing.png)\n",
    )
    .unwrap();
    let missing = e.drafts.join("missing-image.md");
    fs::write(
        &missing,
        "---\ntitle: ok\n---\n\nText\n\n![x](images/nowhere.png)\n",
    )
    .unwrap();
    let o = run(
        &e,
        &[
            "check",
            p(&good),
            p(&bad),
            p(&missing),
            p(&e.drafts.join("nope.md")),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with(&format!("{}:3: ", bad.display())),
        "{out}"
    );
    assert!(
        lines[1].starts_with(&format!(
            "{}:7: image `images/nowhere.png` not found",
            missing.display()
        )),
        "{out}"
    );
    assert!(lines[2].contains("nope.md: no such file"), "{out}");
}

#[test]
fn render_prints_the_apps_preview_and_a_standalone_variant() {
    let e = env();
    let file = e.drafts.join("world/minsk.md");
    let o = run(&e, &["render", p(&file)]);
    assert!(o.status.success());
    let html = stdout(&o);
    assert!(html.contains("<p class=\"nr-kicker\">World</p>"));
    assert!(
        html.contains("src=\"newsroom-asset://localhost/images/map.png\""),
        "{html}"
    );
    assert!(html.contains("data-sourcepos"));
    let o = run(&e, &["render", "--standalone", p(&file)]);
    let html = stdout(&o);
    assert!(html.contains("src=\"../images/map.png\""), "{html}");
    assert!(!html.contains("data-sourcepos"));
}

#[test]
fn render_holds_remote_images_back_unless_asked() {
    let e = env();
    let file = e.drafts.join("world/remote.md");
    std::fs::write(
        &file,
        "---\ntitle: R\n---\n![Pixel](https://tracker.example/p.gif)\n",
    )
    .unwrap();
    let o = run(&e, &["render", p(&file)]);
    assert!(o.status.success());
    let html = stdout(&o);
    assert!(!html.contains("tracker.example"), "{html}");
    assert!(
        html.contains("src=\"#remote-image-not-loaded\" alt=\"Pixel\""),
        "{html}"
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("remote images not loaded (from tracker.example)"),
        "{err}"
    );
    let o = run(&e, &["render", "--remote-images", p(&file)]);
    assert!(stdout(&o).contains("src=\"https://tracker.example/p.gif\""));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("not loaded"));
}

#[test]
fn index_lives_outside_the_drafts_folder() {
    let e = env();
    assert!(run(&e, &["reindex"]).status.success());
    assert!(run(&e, &["reindex", "--rebuild"]).status.success());
    let names: Vec<String> = walk(&e.drafts);
    assert!(
        names
            .iter()
            .all(|n| n.ends_with(".md") || n.ends_with(".png")),
        "{names:?}"
    );
    assert!(walk(&e.data).iter().any(|n| n.ends_with("index.sqlite3")));
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path.display().to_string());
        }
    }
    out
}
