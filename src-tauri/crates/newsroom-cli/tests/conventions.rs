//! The conventions of a well-behaved command-line tool, each tested on the real binary:
//! a closed pipe, one JSON document with RFC 3339 times, folders given to `check`, a file
//! outside any configured folder, no colour when piped or with `NO_COLOR`.

#![allow(clippy::unwrap_used)] // test helpers fail loudly

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Env {
    dir: tempfile::TempDir,
    drafts: PathBuf,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let drafts = dir.path().join("drafts");
    fs::create_dir_all(drafts.join("world")).unwrap();
    fs::write(
        drafts.join("world/minsk.md"),
        "---\ntitle: Minsk talks stall after a long night of negotiations in the capital\ncategories: [World]\nstatus: approved\nauthor: Ana\n---\n\nDelegations met in Minsk but no ceasefire was agreed.\n\n{>>check the date<<}\n",
    )
    .unwrap();
    fs::write(
        drafts.join("derby.md"),
        "---\ntitle: Derby ends level\nstatus: in-review\n---\nOne all after a late penalty.\n",
    )
    .unwrap();
    Env { dir, drafts }
}

impl Env {
    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_newsroom"));
        c.args(args)
            .current_dir(self.dir.path())
            .env("NEWSROOM_DRAFTS", &self.drafts)
            .env("NEWSROOM_DATA_DIR", self.dir.path().join("data"))
            .env("NEWSROOM_CONFIG_DIR", self.dir.path().join("config"))
            .env("NEWSROOM_KEYRING", "off")
            .env("NEWSROOM_USER", "Ana")
            .env_remove("NO_COLOR")
            .env_remove("NEWSROOM_PORTAL_PASSWORD");
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Runs a command whose stdout is a pipe nobody reads any more (its reading end is
/// closed before the command starts, as `head` closes it after one line): the first
/// write fails with EPIPE, every time.
#[cfg(unix)]
fn run_into_closed_pipe(e: &Env, args: &[&str]) -> Output {
    let (reader, writer) = rustix::pipe::pipe().unwrap();
    drop(reader);
    e.command(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let e = env();
    let minsk = e.drafts.join("world/minsk.md");
    // one revision, so that `history` has something to print
    assert!(e.run(&["set", p(&minsk), "tags=Belarus"]).status.success());
    for args in [
        vec!["list"],
        vec!["list", "--json"],
        vec!["search", "ceasefire"],
        vec!["history", "--json", p(&minsk)],
        vec!["history", p(&minsk)],
        vec!["queue", "--desk"],
        vec!["queue", "--json"],
        vec!["marks", p(&minsk)],
        vec!["render", p(&minsk)],
        vec!["check", p(&e.drafts), "--json"],
        vec!["completions", "bash"],
        vec!["man"],
        vec!["--help"],
    ] {
        let o = run_into_closed_pipe(&e, &args);
        let err = text(&o.stderr);
        assert!(
            matches!(o.status.code(), Some(0) | Some(141)),
            "{args:?}: {:?}\n{err}",
            o.status
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
    }
}

#[test]
fn a_real_pipeline_into_head_exits_cleanly() {
    let e = env();
    // enough drafts that `list` outlives `head -1` and writes into the closed pipe
    for i in 0..400 {
        fs::write(
            e.drafts.join(format!("note-{i:03}.md")),
            format!("---\ntitle: Note {i}\n---\nText {i}.\n"),
        )
        .unwrap();
    }
    let bin = env!("CARGO_BIN_EXE_newsroom");
    let o = Command::new("bash")
        .arg("-c")
        .arg("set -o pipefail; \"$NEWSROOM_BIN\" list | head -1; \"$NEWSROOM_BIN\" list --json | head -c 10")
        .current_dir(e.dir.path())
        .env("NEWSROOM_BIN", bin)
        .env("NEWSROOM_DRAFTS", &e.drafts)
        .env("NEWSROOM_DATA_DIR", e.dir.path().join("data"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{:?} {}", o.status, text(&o.stderr));
    assert!(!text(&o.stderr).contains("panicked"), "{}", text(&o.stderr));
}

/// Every key of a JSON value, at any depth, with its value.
fn walk<'a>(v: &'a serde_json::Value, out: &mut Vec<(String, &'a serde_json::Value)>) {
    match v {
        serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                out.push((k.clone(), x));
                walk(x, out);
            }
        }
        _ => {}
    }
}

/// Parses stdout as exactly one JSON document, and checks that no time is left as
/// epoch milliseconds (keys ending `_ms` are durations only) and that what looks like
/// a time parses as RFC 3339.
fn one_document(args: &[&str], o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{args:?}: {}", text(&o.stderr));
    let mut docs = serde_json::Deserializer::from_slice(&o.stdout).into_iter::<serde_json::Value>();
    let first = docs
        .next()
        .unwrap_or_else(|| panic!("{args:?}: no JSON"))
        .unwrap();
    assert!(
        docs.next().is_none(),
        "{args:?}: more than one JSON document:\n{}",
        text(&o.stdout)
    );
    let mut keys = Vec::new();
    walk(&first, &mut keys);
    for (k, v) in keys {
        if k.ends_with("_ms") {
            assert!(
                ["http_ms", "total_ms"].contains(&k.as_str()),
                "{args:?}: epoch field {k} = {v}"
            );
        }
        let is_time = [
            "modified",
            "created",
            "updated",
            "at",
            "waiting_since",
            "next_attempt",
        ]
        .contains(&k.as_str())
            || k.ends_with("_gmt");
        if let (true, Some(s)) = (is_time, v.as_str()) {
            time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                .unwrap_or_else(|_| panic!("{args:?}: {k} = {s} is not RFC 3339"));
        }
    }
    first
}

#[test]
fn every_json_output_is_one_document_with_rfc3339_times() {
    let e = env();
    let minsk = e.drafts.join("world/minsk.md");
    let derby = e.drafts.join("derby.md");
    assert!(e.run(&["set", p(&minsk), "tags=Belarus"]).status.success());
    assert!(e.run(&["set", p(&derby), "tags=Sport"]).status.success());
    let commands: Vec<Vec<&str>> = vec![
        vec!["list", "--json"],
        vec!["search", "ceasefire", "--json"],
        vec!["history", "--json", p(&minsk)],
        vec!["queue", "--json"],
        vec!["queue", "--desk", "--json"],
        vec!["marks", "--json", p(&minsk)],
        vec!["check", "--json", p(&e.drafts)],
        vec!["portal", "list", "--json"],
        vec!["outbox", "--json"],
        vec!["outbox", "--run", "--json"],
    ];
    for args in &commands {
        let o = e.run(args);
        one_document(args, &o);
    }
    // the times that were epoch milliseconds are RFC 3339 now
    let list = one_document(&["list", "--json"], &e.run(&["list", "--json"]));
    assert!(list[0]["modified"].is_string(), "{list}");
    let history = one_document(&["history"], &e.run(&["history", "--json", p(&minsk)]));
    assert!(history[0]["created"].is_string(), "{history}");
}

#[test]
fn check_takes_folders_and_says_so_in_json() {
    let e = env();
    fs::write(
        e.drafts.join("world/broken.md"),
        "---\ntitle: [unclosed\n---\nBody.\n",
    )
    .unwrap();
    fs::write(
        e.drafts.join("world/pictures.md"),
        "---\ntitle: Pictures\n---\n\n![Map](images/nowhere.png)\n",
    )
    .unwrap();
    let o = e.run(&["check", p(&e.drafts)]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(!out.contains("Is a directory"), "{out}");
    assert!(out.contains("broken.md:3:"), "{out}");
    assert!(
        out.contains("pictures.md:5: image `images/nowhere.png` not found"),
        "{out}"
    );
    assert!(!out.contains("minsk.md"), "{out}");

    let o = e.run(&[
        "check",
        "--json",
        p(&e.drafts.join("world")),
        p(&e.drafts.join("derby.md")),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["checked"], 4, "{v}");
    let problems = v["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2, "{v}");
    assert!(
        problems
            .iter()
            .any(|p| p["file"].as_str().unwrap().ends_with("pictures.md") && p["line"] == 5)
    );

    // a clean folder: exit 0, nothing printed
    let clean = e.dir.path().join("clean");
    fs::create_dir_all(&clean).unwrap();
    fs::write(clean.join("a.md"), "---\ntitle: A\n---\nFine.\n").unwrap();
    let o = e.run(&["check", p(&clean)]);
    assert!(o.status.success(), "{}", text(&o.stdout));
    assert!(o.stdout.is_empty());
}

#[cfg(unix)]
#[test]
fn check_does_not_follow_links_or_open_fifos_in_a_folder() {
    let e = env();
    let secret = e.dir.path().join("secret.md");
    fs::write(&secret, "---\ntitle: [broken\n---\n").unwrap();
    std::os::unix::fs::symlink(&secret, e.drafts.join("link.md")).unwrap();
    let fifo = e.drafts.join("fifo.md");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let o = e.run(&["check", p(&e.drafts)]);
    assert!(
        o.status.success(),
        "{} {}",
        text(&o.stdout),
        text(&o.stderr)
    );
    assert!(
        text(&o.stderr).contains("not checked"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn a_file_outside_any_configured_folder_brings_its_own_workspace() {
    let e = env();
    let home = e.dir.path().join("home");
    fs::create_dir_all(&home).unwrap();
    let story = home.join("story.md");
    fs::write(&story, "---\ntitle: Old\n---\nA story.\n").unwrap();
    let elsewhere = e.dir.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();

    // no folder configured at all, run from another folder
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_newsroom"))
            .args(args)
            .current_dir(&elsewhere)
            .env_remove("NEWSROOM_DRAFTS")
            .env("NEWSROOM_DATA_DIR", e.dir.path().join("data"))
            .env("NEWSROOM_CONFIG_DIR", e.dir.path().join("config"))
            .env("NEWSROOM_KEYRING", "off")
            .output()
            .unwrap()
    };
    let o = run(&["set", p(&story), "title=New headline"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        fs::read_to_string(&story)
            .unwrap()
            .contains("title: New headline")
    );
    let o = run(&["history", "--json", p(&story)]);
    assert!(o.status.success(), "{}", text(&o.stderr));

    // configured, but the file is elsewhere: its own workspace too
    let o = e.run(&["set", p(&story), "tags=Local"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(fs::read_to_string(&story).unwrap().contains("Local"));

    // the nearest enclosing git working copy is the workspace (a Hugo site)
    let site = e.dir.path().join("site");
    fs::create_dir_all(site.join(".git")).unwrap();
    fs::create_dir_all(site.join("content/posts")).unwrap();
    fs::create_dir_all(site.join("static")).unwrap();
    fs::write(site.join("static/map.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    let post = site.join("content/posts/post.md");
    fs::write(
        &post,
        "---\ntitle: Post\n---\n![Map](../../static/map.png)\n",
    )
    .unwrap();
    let o = run(&["check", p(&post)]);
    assert!(o.status.success(), "{}", text(&o.stdout));
    let o = run(&["set", p(&post), "tags=Site"]);
    assert!(o.status.success(), "{}", text(&o.stderr));

    // a missing file is an error, not a new workspace
    let o = run(&["set", p(&home.join("nowhere.md")), "title=X"]);
    assert!(!o.status.success());

    // `publish` finds its workspace too, and gets as far as the portal (none set up)
    let o = run(&["publish", p(&story), "--dry-run"]);
    let err = text(&o.stderr);
    assert!(!err.contains("not inside the drafts folder"), "{err}");
    assert!(!err.contains("not found"), "{err}");
}

#[test]
fn search_highlights_only_on_a_terminal_and_never_with_no_color() {
    let e = env();
    for no_color in [false, true] {
        let mut c = e.command(&["search", "ceasefire"]);
        if no_color {
            c.env("NO_COLOR", "1");
        }
        let o = c.output().unwrap();
        let out = text(&o.stdout);
        assert!(out.contains("no ceasefire was agreed"), "{out}");
        assert!(!out.contains("**") && !out.contains('\x1b'), "{out}");
    }
}

#[test]
fn list_keeps_whole_titles_when_piped() {
    let e = env();
    let o = e.run(&["list"]);
    let out = text(&o.stdout);
    assert!(
        out.contains("Minsk talks stall after a long night of negotiations in the capital"),
        "{out}"
    );
    assert!(!out.contains('…'), "{out}");
    let o = e.run(&["queue", "--desk"]);
    assert!(
        text(&o.stdout).contains("negotiations in the capital"),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn render_standalone_is_the_styled_preview_page_sanitised() {
    let e = env();
    let file = e.drafts.join("world/hostile.md");
    fs::write(
        &file,
        "---\ntitle: A <b>bold</b> title\ncategories: [World]\nauthor: Ana\ntags: [Belarus]\n---\n\nText.<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n![Pixel](https://tracker.example/p.gif)\n",
    )
    .unwrap();
    let o = e.run(&["render", "--standalone", p(&file)]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let html = text(&o.stdout);
    assert!(html.starts_with("<!doctype html>"), "{html}");
    // the portal's stylesheet, inline (the page works as one file in a mail)
    assert!(html.contains(".nr-headline {"), "{html}");
    assert!(html.contains("<main id=\"nr-root\">"), "{html}");
    assert!(html.contains("default-src 'none'"), "{html}");
    // the preview's layout: kicker, headline, byline, tags
    assert!(html.contains("<p class=\"nr-kicker\">World</p>"), "{html}");
    assert!(
        html.contains("<title>A &lt;b&gt;bold&lt;/b&gt; title</title>"),
        "{html}"
    );
    assert!(html.contains("nr-author"), "{html}");
    assert!(html.contains("Belarus"), "{html}");
    // sanitised as the preview is
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("onerror"), "{html}");
    assert!(!html.contains("tracker.example/p.gif\""), "{html}");
}

#[test]
fn completions_and_man_page_are_generated_from_the_commands() {
    let e = env();
    for (shell, needle) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef newsroom"),
        ("fish", "complete -c newsroom"),
    ] {
        let o = e.run(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", text(&o.stderr));
        let script = text(&o.stdout);
        assert!(script.contains(needle), "{shell}: {script}");
        assert!(script.contains("request-changes"), "{shell}");
        assert!(
            script.contains("in-review"),
            "{shell}: statuses are completed"
        );
    }
    let o = e.run(&["man"]);
    assert!(o.status.success());
    let page = text(&o.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH newsroom 1"),
        "{page}"
    );
    assert!(
        page.contains("NEWSROOM_DRAFTS"),
        "the environment is in the page"
    );
    assert!(page.contains("request\\-changes"), "{page}");

    let out = e.dir.path().join("man1");
    let o = e.run(&["man", "--out-dir", p(&out)]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(out.join("newsroom.1").is_file());
    assert!(out.join("newsroom-publish.1").is_file());
    assert!(out.join("newsroom-portal-add.1").is_file());
}

#[test]
fn help_lists_the_statuses_and_stands_without_the_repository() {
    let e = env();
    let o = e.run(&["list", "--help"]);
    let help = text(&o.stdout);
    for status in ["in-review", "changes-requested", "scheduled"] {
        assert!(help.contains(status), "{help}");
    }
    assert!(help.contains("Examples:"), "{help}");
    for cmd in ["submit", "publish", "queue", "transition", "portal"] {
        let o = e.run(&[cmd, "--help"]);
        let help = text(&o.stdout);
        assert!(!help.contains("docs/"), "{cmd}: {help}");
        assert!(help.contains("Example"), "{cmd}: {help}");
    }
    let o = e.run(&["submit", "x.md", "--role", "boss"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("reporter"), "{}", text(&o.stderr));
}

#[test]
fn outbox_json_has_rfc3339_times_for_its_jobs_and_one_document_after_a_run() {
    use newsroom_publish::store::{JobRequest, Store};
    let e = env();
    let store = Store::open(&e.dir.path().join("data/publish.sqlite3")).unwrap();
    let job = store
        .job_for("local", &e.drafts, "derby.md", &JobRequest::default())
        .unwrap();
    let args = ["outbox", "--json"];
    let v = one_document(&args, &e.run(&args));
    let listed = &v[0];
    assert_eq!(listed["key"], job.key.as_str(), "{v}");
    for k in ["next_attempt", "created", "updated"] {
        assert!(listed[k].is_string(), "{k}: {v}");
    }
    for k in ["next_attempt_ms", "created_ms", "updated_ms"] {
        assert!(listed.get(k).is_none(), "{k}: {v}");
    }
    // a run: no portal is set up, so the job fails or waits; either way one array
    let o = e.run(&["outbox", "--run", "--json"]);
    let mut docs = serde_json::Deserializer::from_slice(&o.stdout).into_iter::<serde_json::Value>();
    let ran = docs.next().unwrap().unwrap();
    assert!(docs.next().is_none(), "{}", text(&o.stdout));
    assert_eq!(ran[0]["key"], job.key.as_str(), "{ran}");
    assert!(ran[0]["result"].is_object(), "{ran}");
}
