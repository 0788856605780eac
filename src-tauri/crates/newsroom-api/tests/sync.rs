//! The Sync control's bodies against a real remote: a bare repository on disk, cloned by
//! `git` into drafts folders that stand for computers (the user's, a colleague's).

// Helpers outside #[test] fns unwrap too: a failure there is the test failing.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use newsroom_api::ErrorCode;
use newsroom_api::settings::Settings;
use newsroom_api::sync::{SyncOutcome, run_sync, sync_status};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Colleague",
            "-c",
            "user.email=c@desk.example",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A bare repository with one draft, and a clone of it: the user's drafts folder.
struct Desk {
    tmp: tempfile::TempDir,
    bare: PathBuf,
    mine: PathBuf,
}

const STORY: &str = "---\ntitle: Minsk talks\nstatus: draft\n---\nDelegations met in Minsk.\n";

impl Desk {
    fn new() -> Desk {
        let tmp = tempfile::tempdir().unwrap();
        let bare = tmp.path().join("desk.git");
        fs::create_dir_all(&bare).unwrap();
        git(
            &bare,
            &["init", "--quiet", "--bare", "--initial-branch=main"],
        );
        let seed = tmp.path().join("seed");
        git(
            tmp.path(),
            &["clone", "--quiet", bare.to_str().unwrap(), "seed"],
        );
        fs::create_dir_all(seed.join("world")).unwrap();
        fs::write(seed.join("world/minsk.md"), STORY).unwrap();
        git(&seed, &["add", "--all"]);
        git(&seed, &["commit", "--quiet", "-m", "first"]);
        git(&seed, &["push", "--quiet", "origin", "HEAD:main"]);
        let desk = Desk {
            mine: tmp.path().join("mine"),
            tmp,
            bare,
        };
        desk.clone_to("mine");
        desk
    }

    fn clone_to(&self, name: &str) -> PathBuf {
        git(
            self.tmp.path(),
            &["clone", "--quiet", self.bare.to_str().unwrap(), name],
        );
        self.tmp.path().join(name)
    }

    fn bare_file(&self, path: &str) -> String {
        git(&self.bare, &["show", &format!("main:{path}")])
    }
}

fn me() -> Settings {
    Settings {
        user_name: "Ana Kovač".into(),
        user_email: "ana@desk.example".into(),
        ..Settings::default()
    }
}

#[test]
fn a_folder_that_is_not_a_working_copy_has_no_sync() {
    let tmp = tempfile::tempdir().unwrap();
    let status = sync_status(tmp.path(), &me(), false);
    assert!(!status.repository, "{status:?}");
    assert!(!status.automatic);
    assert_eq!(status.problem, None);
}

#[test]
fn a_local_edit_is_committed_with_the_settings_name_and_reaches_the_remote() {
    let desk = Desk::new();
    let status = sync_status(&desk.mine, &me(), false);
    assert!(status.repository && status.automatic, "{status:?}");
    assert_eq!(status.branch.as_deref(), Some("main"));
    assert_eq!(status.remote.as_deref(), Some("origin"));
    assert_eq!((status.ahead, status.behind), (0, 0));
    assert_eq!(status.last, None);

    fs::write(
        desk.mine.join("world/minsk.md"),
        STORY.replace("Minsk.", "Minsk on Tuesday."),
    )
    .unwrap();
    let last = run_sync(&desk.mine, &me(), None);
    assert_eq!(last.outcome, SyncOutcome::Synced, "{last:?}");
    // the draft, and the `.gitignore` the first sync keeps (presence locks, temp files)
    assert_eq!((last.committed, last.pushed), (2, true));
    assert!(desk.bare_file("world/minsk.md").contains("on Tuesday"));
    let author = git(&desk.bare, &["log", "-1", "--format=%an <%ae>", "main"]);
    assert_eq!(author.trim(), "Ana Kovač <ana@desk.example>");

    // the result is remembered for the status bar, in git's own folder, not the drafts'
    let status = sync_status(&desk.mine, &me(), false);
    assert_eq!(status.last.as_ref(), Some(&last));
    assert_eq!((status.ahead, status.behind), (0, 0));
    assert!(!git(&desk.mine, &["status", "--porcelain", "--ignored"]).contains("last-sync"));
}

#[test]
fn a_colleagues_status_change_is_brought_in() {
    let desk = Desk::new();
    let theirs = desk.clone_to("theirs");
    fs::write(
        theirs.join("world/minsk.md"),
        STORY.replace("status: draft", "status: in-review"),
    )
    .unwrap();
    git(&theirs, &["commit", "--quiet", "-am", "submitted"]);
    git(&theirs, &["push", "--quiet", "origin", "HEAD:main"]);

    let last = run_sync(&desk.mine, &me(), None);
    assert_eq!(last.outcome, SyncOutcome::Synced, "{last:?}");
    assert_eq!(last.received, 1);
    assert!(
        fs::read_to_string(desk.mine.join("world/minsk.md"))
            .unwrap()
            .contains("status: in-review")
    );
}

#[test]
fn an_unreachable_remote_is_offline_with_the_work_committed_and_waiting() {
    let desk = Desk::new();
    // a port nobody listens on
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    git(
        &desk.mine,
        &[
            "remote",
            "set-url",
            "origin",
            &format!("git://127.0.0.1:{port}/desk.git"),
        ],
    );
    fs::write(
        desk.mine.join("world/new.md"),
        "---\ntitle: New\n---\nText.\n",
    )
    .unwrap();
    let last = run_sync(&desk.mine, &me(), None);
    assert_eq!(last.outcome, SyncOutcome::Offline, "{last:?}");
    assert!(last.offline.is_some() && last.error.is_none(), "{last:?}");
    assert_eq!(last.committed, 2, "the draft and the sync's .gitignore");
    let status = sync_status(&desk.mine, &me(), false);
    assert_eq!(status.ahead, 1, "{status:?}");
    assert_eq!(status.last.unwrap().outcome, SyncOutcome::Offline);
    assert_eq!(status.problem, None);
}

#[test]
fn no_upstream_is_a_problem_that_says_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("drafts");
    fs::create_dir_all(&dir).unwrap();
    git(&dir, &["init", "--quiet", "--initial-branch=main"]);
    git(&dir, &["remote", "add", "one", "/nowhere/one.git"]);
    git(&dir, &["remote", "add", "two", "/nowhere/two.git"]);
    let status = sync_status(&dir, &me(), false);
    assert!(status.repository, "{status:?}");
    let problem = status.problem.unwrap();
    assert_eq!(problem.code, ErrorCode::NoUpstream);
    assert!(
        problem.message.contains("git push -u"),
        "{}",
        problem.message
    );

    let last = run_sync(&dir, &me(), None);
    assert_eq!(last.outcome, SyncOutcome::Failed);
    assert_eq!(last.error.unwrap().code, ErrorCode::NoUpstream);
}

#[test]
fn a_folder_inside_a_larger_repository_syncs_only_when_asked() {
    let desk = Desk::new();
    let status = sync_status(&desk.mine.join("world"), &me(), false);
    assert!(status.repository && !status.automatic, "{status:?}");
    let off = Settings {
        sync_auto: false,
        ..me()
    };
    assert!(!sync_status(&desk.mine, &off, false).automatic);
}

#[test]
fn the_app_answers_as_git_s_merge_driver() {
    let tmp = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = tmp.path().join(name);
        fs::write(&p, text).unwrap();
        p.into_os_string()
    };
    let base = write("base", STORY);
    let ours = write("ours", &STORY.replace("Minsk talks", "Minsk talks stall"));
    let theirs = write("theirs", &STORY.replace("Minsk.", "Minsk on Tuesday."));
    let args = |first: &str| {
        vec![
            "newsroom-app".into(),
            first.into(),
            base.clone(),
            ours.clone(),
            theirs.clone(),
            "world/minsk.md".into(),
        ]
    };
    assert_eq!(
        newsroom_api::sync::merge_driver_from_args(&args("--x")),
        None
    );
    assert_eq!(
        newsroom_api::sync::merge_driver_from_args(&args("merge-driver")),
        Some(0)
    );
    let merged = fs::read_to_string(tmp.path().join("ours")).unwrap();
    assert!(
        merged.contains("title: Minsk talks stall") && merged.contains("on Tuesday"),
        "{merged}"
    );
}
