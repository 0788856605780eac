//! The review workflow from the command line: separate processes acting as reporter,
//! editor and desk, each on its own computer (its own data directory), on one folder.

// Helpers outside #[test] fns unwrap too: a failure there is the test failing.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Folder {
    dir: tempfile::TempDir,
    drafts: PathBuf,
}

const MINSK: &str = "---\ntitle: Minsk talks stall\ncategories: [World]\ntags: [Belarus, Russia]\nstatus: draft\nauthor: Ana Kovač\n---\n\nDelegations met in Minsk on Tuesday.\n\nNo ceasefire was agreed.\n";

fn folder() -> Folder {
    let dir = tempfile::tempdir().unwrap();
    let drafts = dir.path().join("drafts");
    fs::create_dir_all(drafts.join("world")).unwrap();
    fs::write(drafts.join("world/minsk.md"), MINSK).unwrap();
    Folder { dir, drafts }
}

/// Runs `newsroom` as `who` (name, role) on their own computer.
fn run_as(f: &Folder, who: Option<(&str, &str)>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsroom"));
    cmd.args(args)
        .env("NEWSROOM_DRAFTS", &f.drafts)
        .env_remove("NEWSROOM_USER")
        .env_remove("NEWSROOM_AUTHOR")
        .env_remove("NEWSROOM_ROLE");
    match who {
        Some((name, role)) => {
            let data = f.dir.path().join(format!("data-{role}"));
            cmd.env("NEWSROOM_DATA_DIR", data)
                .env(
                    "NEWSROOM_CONFIG_DIR",
                    f.dir.path().join(format!("config-{role}")),
                )
                .env("NEWSROOM_USER", name)
                .env("NEWSROOM_ROLE", role);
        }
        None => {
            // no name anywhere: not in the environment, not in a settings file
            cmd.env("NEWSROOM_DATA_DIR", f.dir.path().join("data-anon"))
                .env("NEWSROOM_CONFIG_DIR", f.dir.path().join("config-anon"));
        }
    }
    cmd.output().unwrap()
}

const ANA: Option<(&str, &str)> = Some(("Ana Kovač", "reporter"));
const EDITH: Option<(&str, &str)> = Some(("Edith Moreau", "editor"));
const DESK: Option<(&str, &str)> = Some(("Omar Haddad", "desk"));

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&o.stderr),
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn reporter_editor_and_desk_on_one_folder() {
    let f = folder();
    let minsk = f.drafts.join("world/minsk.md");
    let file = p(&minsk);

    // Reporter submits.
    let o = run_as(&f, ANA, &["submit", file, "--note", "Ready for a look"]);
    ok(&o);
    assert!(stderr(&o).contains("draft → in-review"), "{}", stderr(&o));

    // A reporter cannot approve; the error names the file.
    let o = run_as(&f, ANA, &["approve", file]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("world/minsk.md") && err.contains("a reporter cannot approve"),
        "{err}"
    );

    // The editor's queue.
    let v: serde_json::Value =
        serde_json::from_str(&ok(&run_as(&f, EDITH, &["queue", "--json"]))).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["draft"]["path"], "world/minsk.md");
    assert_eq!(v[0]["entered"]["by"], "Ana Kovač");
    assert_eq!(v[0]["entered"]["note"], "Ready for a look");
    // Her computer has never seen the piece: nothing to compare with yet.
    assert_eq!(v[0]["changes"], serde_json::Value::Null);
    let v: serde_json::Value =
        serde_json::from_str(&ok(&run_as(&f, EDITH, &["queue", "--json"]))).unwrap();
    assert_eq!(v[0]["changes"]["basis"], "submission");
    assert_eq!(v[0]["changes"]["lines_added"], 0);

    // The editor suggests a fix in the text (as her app would) and requests changes.
    let text = fs::read_to_string(&minsk).unwrap().replace(
        "on Tuesday.",
        "on {~~Tuesday~>Wednesday~~}{>>EM: the talks were on the 25th<<}. {++The talks lasted six hours.++}",
    );
    fs::write(&minsk, text).unwrap();
    let o = run_as(&f, EDITH, &["request-changes", file]);
    assert!(!o.status.success(), "a request for changes needs a note");
    ok(&run_as(
        &f,
        EDITH,
        &["request-changes", file, "--note", "Check the date"],
    ));

    // The reporter sees the marks, accepts the date, rejects the addition, edits, resubmits.
    let out = ok(&run_as(&f, ANA, &["marks", file]));
    assert!(
        out.contains("replace “Tuesday” with “Wednesday” — the talks were on the 25th"),
        "{out}"
    );
    assert!(out.contains("EM"));
    let v: serde_json::Value =
        serde_json::from_str(&ok(&run_as(&f, ANA, &["marks", file, "--json"]))).unwrap();
    assert_eq!(v[1]["kind"], "insertion");
    assert_eq!(v[0]["line"], 20);
    let date = v[0]["id"].as_str().unwrap().to_owned();
    let addition = v[1]["id"].as_str().unwrap().to_owned();
    assert!(out.contains(&date) && out.contains(&addition), "{out}");
    let o = run_as(&f, ANA, &["accept", file, "--id", &date]);
    ok(&o);
    assert!(
        stderr(&o).contains(&format!("accepted substitution {date} on line 20")),
        "{}",
        stderr(&o)
    );
    // the addition kept its id while the date was accepted
    let v: serde_json::Value =
        serde_json::from_str(&ok(&run_as(&f, ANA, &["marks", file, "--json"]))).unwrap();
    assert_eq!(v[0]["id"], addition.as_str());
    let o = run_as(&f, ANA, &["accept", file, "--id", &date]);
    assert!(!o.status.success(), "a mark resolved already");
    assert!(stderr(&o).contains(&addition), "{}", stderr(&o));
    let o = run_as(&f, ANA, &["reject", file, "--all"]);
    ok(&o);
    assert!(stderr(&o).contains("rejected 1 mark"));
    assert!(run_as(&f, ANA, &["accept", file]).status.code() == Some(2));
    let text = fs::read_to_string(&minsk).unwrap();
    assert!(
        text.contains("Delegations met in Minsk on Wednesday. \n"),
        "{text}"
    );
    fs::write(&minsk, format!("{text}\nTalks resume in January.\n")).unwrap();
    ok(&run_as(&f, ANA, &["submit", file]));

    // The editor sees what changed since her review.
    let out = ok(&run_as(&f, EDITH, &["queue", "--diff"]));
    assert!(out.contains("submitted by Ana Kovač"), "{out}");
    assert!(out.contains("since your last review"), "{out}");
    assert!(out.contains("| +Talks resume in January."), "{out}");
    assert!(
        out.contains("| -Delegations met in Minsk on {~~Tuesday~>Wednesday~~}"),
        "{out}"
    );
    ok(&run_as(&f, EDITH, &["approve", file, "--note", "Good"]));
    let out = ok(&run_as(&f, EDITH, &["queue"]));
    assert!(!out.contains("minsk"), "{out}");

    // The desk's queue and checklist.
    let v: serde_json::Value = serde_json::from_str(&ok(&run_as(
        &f,
        DESK,
        &["queue", "--desk", "--categories", "World,Sports", "--json"],
    )))
    .unwrap();
    assert_eq!(v[0]["entered"]["by"], "Edith Moreau");
    assert_eq!(v[0]["ready"], false);
    let failed: Vec<&str> = v[0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["passed"] == false)
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(failed, vec!["excerpt", "featured_image"]);
    let out = ok(&run_as(&f, DESK, &["queue", "--desk"]));
    assert!(
        out.contains("[2 problems]") && out.contains("FAIL no excerpt"),
        "{out}"
    );

    // The desk's moves, then publishing; a correction goes back through review.
    let out = ok(&run_as(&f, DESK, &["transition", file]));
    assert!(
        out.contains("--to scheduled") && out.contains("--to published"),
        "{out}"
    );
    ok(&run_as(
        &f,
        DESK,
        &["transition", file, "--to", "published"],
    ));
    let o = run_as(
        &f,
        ANA,
        &[
            "transition",
            file,
            "--to",
            "in-review",
            "--note",
            "Fix a name",
        ],
    );
    ok(&o);
    assert!(
        stderr(&o).contains("published → in-review"),
        "{}",
        stderr(&o)
    );

    // The trail tells the whole story, and the body is the reporter's.
    let text = fs::read_to_string(&minsk).unwrap();
    for expected in [
        "  - by: Ana Kovač\n",
        "    from: in-review\n    to: changes-requested\n    note: Check the date\n",
        "  - by: Omar Haddad\n",
        "    from: published\n    to: in-review\n    note: Fix a name\n",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(text.ends_with("No ceasefire was agreed.\n\nTalks resume in January.\n"));
}

#[test]
fn who_is_acting_must_be_known() {
    let f = folder();
    let file = f.drafts.join("world/minsk.md");
    let o = run_as(&f, None, &["submit", p(&file)]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--as NAME"), "{}", stderr(&o));
    // --as and --role on the command line work without the environment.
    let o = run_as(
        &f,
        None,
        &[
            "submit",
            p(&file),
            "--as",
            "Ana Kovač",
            "--role",
            "reporter",
        ],
    );
    ok(&o);
    let o = run_as(
        &f,
        None,
        &["approve", p(&file), "--as", "Edith", "--role", "chief"],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("reporter, editor or desk"));
    // Moves that make no sense say what is possible.
    let o = run_as(&f, EDITH, &["transition", p(&file), "--to", "published"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("an editor can"), "{}", stderr(&o));
}
