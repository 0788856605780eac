//! `newsroom sync` against a real remote on loopback: a bare repository served by
//! `git daemon` (started here, on a free port), and clones driven as separate `newsroom`
//! processes, each its own computer (own data directory, own name, no global git config).

// Helpers outside #[test] fns unwrap too: a failure there is the test failing.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A bare repository and the `git daemon` serving it.
struct Remote {
    root: tempfile::TempDir,
    port: u16,
    daemon: Option<Child>,
}

impl Remote {
    fn new() -> Remote {
        let root = tempfile::tempdir().unwrap();
        let bare = root.path().join("srv/desk.git");
        fs::create_dir_all(&bare).unwrap();
        git(
            &bare,
            &["init", "--quiet", "--bare", "--initial-branch=main"],
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut remote = Remote {
            root,
            port,
            daemon: None,
        };
        remote.start();
        remote
    }

    fn url(&self) -> String {
        format!("git://127.0.0.1:{}/desk.git", self.port)
    }

    fn start(&mut self) {
        let srv = self.root.path().join("srv");
        // `git-daemon` itself: `git daemon` would run it as a child, which killing
        // `git` leaves serving.
        let exec_path = git(Path::new("."), &["--exec-path"]);
        let child = Command::new(Path::new(exec_path.trim()).join("git-daemon"))
            .args(["--export-all", "--enable=receive-pack", "--reuseaddr"])
            .arg(format!("--base-path={}", srv.display()))
            .arg("--listen=127.0.0.1")
            .arg(format!("--port={}", self.port))
            .arg(&srv)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("git daemon (install git-daemon)");
        self.daemon = Some(child);
        let until = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < until, "git daemon did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.daemon.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// One computer: a clone made with `newsroom sync clone`.
    fn machine(&self, name: &str) -> Machine {
        let m = Machine {
            home: self.root.path().join(format!("home-{name}")),
            drafts: self.root.path().join(format!("{name}/drafts")),
            name: name.to_owned(),
        };
        fs::create_dir_all(&m.home).unwrap();
        let out = m.newsroom(&["sync", "clone", &self.url(), m.drafts.to_str().unwrap()]);
        ok(&out);
        m
    }
}

impl Drop for Remote {
    fn drop(&mut self) {
        self.stop();
    }
}

struct Machine {
    home: PathBuf,
    drafts: PathBuf,
    name: String,
}

impl Machine {
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsroom"));
        cmd.args(args)
            .current_dir(&self.home)
            .env("HOME", &self.home)
            .env("GIT_CONFIG_GLOBAL", self.home.join("gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NEWSROOM_DATA_DIR", self.home.join("data"))
            .env("NEWSROOM_CONFIG_DIR", self.home.join("config"))
            .env("NEWSROOM_DRAFTS", &self.drafts)
            .env("NEWSROOM_USER", &self.name)
            .env(
                "NEWSROOM_EMAIL",
                format!("{}@desk.example", self.name.to_lowercase()),
            )
            .env_remove("NEWSROOM_AUTHOR")
            .env_remove("NEWSROOM_ROLE");
        cmd
    }

    fn newsroom(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// `newsroom sync --json`: the exit code and the document.
    fn sync(&self) -> (i32, serde_json::Value) {
        let out = self.newsroom(&["sync", "--json"]);
        let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{}: not JSON ({e}): {}\n{}",
                self.name,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code().unwrap_or(-1), doc)
    }

    fn synced(&self) -> serde_json::Value {
        let (code, doc) = self.sync();
        assert_eq!(code, 0, "{}: {doc}", self.name);
        doc
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.drafts.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.drafts.join(rel)).unwrap()
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(
            text.contains(from),
            "{}: {rel} lacks {from:?}:\n{text}",
            self.name
        );
        self.write(rel, &text.replacen(from, to, 1));
    }

    fn git(&self, args: &[&str]) -> String {
        git(&self.drafts, args)
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
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

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&o.stderr),
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every file of the folder (git's own aside), with its text.
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            if e.file_name() == ".git" {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, fs::read_to_string(&p).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

fn no_markers(m: &Machine) {
    for (path, text) in files(&m.drafts) {
        for marker in ["<<<<<<<", ">>>>>>>", "|||||||"] {
            assert!(
                !text.contains(marker),
                "{}: {path} has {marker}:\n{text}",
                m.name
            );
        }
    }
}

const STORY: &str = "---\ntitle: Minsk talks\nexcerpt: Talks resume\ntags: [Belarus, Talks]\nstatus: draft\n---\nDelegations met in Minsk on Tuesday.\n\nNo ceasefire was agreed.\n\nTalks resume next week.\n";

/// Three computers with `world/minsk.md` on all of them.
fn desk() -> (Remote, Machine, Machine, Machine) {
    let remote = Remote::new();
    let ana = remote.machine("Ana");
    ana.write("world/minsk.md", STORY);
    let doc = ana.synced();
    assert_eq!(doc["pushed"], true, "{doc}");
    let ben = remote.machine("Ben");
    let cleo = remote.machine("Cleo");
    assert_eq!(ben.read("world/minsk.md"), STORY);
    assert_eq!(cleo.read("world/minsk.md"), STORY);
    (remote, ana, ben, cleo)
}

#[test]
fn edits_to_different_keys_and_to_the_same_list_merge() {
    let (_remote, ana, ben, cleo) = desk();
    ana.edit(
        "world/minsk.md",
        "No ceasefire was agreed.",
        "No ceasefire was agreed, again.",
    );
    ben.edit(
        "world/minsk.md",
        "title: Minsk talks",
        "title: Minsk talks stall",
    );
    ben.edit(
        "world/minsk.md",
        "tags: [Belarus, Talks]",
        "tags: [Belarus, Talks, Russia]",
    );
    cleo.edit(
        "world/minsk.md",
        "excerpt: Talks resume",
        "excerpt: No ceasefire yet",
    );
    cleo.edit(
        "world/minsk.md",
        "tags: [Belarus, Talks]",
        "tags: [Talks, Ceasefire]",
    );

    ben.synced();
    let doc = cleo.synced();
    assert_eq!(doc["conflicts"], serde_json::json!([]), "{doc}");
    assert_eq!(doc["received"], 1, "{doc}");
    ana.synced();
    ben.synced();
    cleo.synced();

    let text = ana.read("world/minsk.md");
    assert_eq!(ben.read("world/minsk.md"), text);
    assert_eq!(cleo.read("world/minsk.md"), text);
    assert!(text.contains("title: Minsk talks stall\n"), "{text}");
    assert!(text.contains("excerpt: No ceasefire yet\n"), "{text}");
    assert!(text.contains("No ceasefire was agreed, again."), "{text}");
    let check = ana.newsroom(&["list", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&ok(&check)).unwrap();
    let tags = &list[0]["tags"];
    // Cleo's list, less what Ben removed, plus what Ben added: Ben synced first, so Cleo
    // merged his into hers.
    assert_eq!(
        tags,
        &serde_json::json!(["Talks", "Ceasefire", "Russia"]),
        "{list}"
    );
    for m in [&ana, &ben, &cleo] {
        no_markers(m);
        assert_eq!(m.git(&["status", "--porcelain"]), "", "{}", m.name);
    }
    // Each commit carries its writer's name and email from the environment.
    let authors = ana.git(&["log", "--format=%an <%ae>"]);
    assert!(authors.contains("Ben <ben@desk.example>"), "{authors}");
    assert!(authors.contains("Cleo <cleo@desk.example>"), "{authors}");
}

#[test]
fn review_moves_on_two_machines_merge_into_one_trail() {
    let (_remote, ana, ben, _cleo) = desk();
    let minsk = ana.drafts.join("world/minsk.md");
    let minsk = minsk.to_str().unwrap();
    ok(&ana.newsroom(&["submit", minsk, "--as", "Ana"]));
    ana.synced();
    ben.synced();
    // Ana withdraws it; a second later, on another computer, Ben approves it.
    ok(&ana.newsroom(&["transition", minsk, "--as", "Ana", "--to", "draft"]));
    std::thread::sleep(Duration::from_millis(1100));
    let minsk_ben = ben.drafts.join("world/minsk.md");
    ok(&ben.newsroom(&[
        "approve",
        minsk_ben.to_str().unwrap(),
        "--as",
        "Ben",
        "--role",
        "editor",
    ]));
    ben.synced();
    let doc = ana.synced();
    assert_eq!(doc["conflicts"], serde_json::json!([]), "{doc}");
    let text = ana.read("world/minsk.md");
    let trail: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("to: ") || l.contains(", to: "))
        .collect();
    assert_eq!(trail.len(), 3, "{text}");
    // The latest move, Ben's approval, decides the status.
    assert!(text.contains("status: approved\n"), "{text}");
    let withdraw = text
        .find("from: in-review\n    to: draft")
        .or_else(|| text.find("from: in-review, to: draft"));
    let approve = text.find("to: approved");
    assert!(
        withdraw.is_some() && approve.is_some() && withdraw < approve,
        "{text}"
    );
}

#[test]
fn a_body_conflict_leaves_no_markers_and_both_texts() {
    let (_remote, ana, ben, _cleo) = desk();
    ana.edit(
        "world/minsk.md",
        "No ceasefire was agreed.",
        "Ana: no ceasefire, says Kyiv.",
    );
    ben.edit(
        "world/minsk.md",
        "No ceasefire was agreed.",
        "Ben: no ceasefire, says Moscow.",
    );
    ana.synced();
    let doc = ben.synced();
    let conflicts = doc["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{doc}");
    assert_eq!(conflicts[0]["draft"], "world/minsk.md");
    let copy = conflicts[0]["copy"].as_str().unwrap().to_owned();
    assert!(
        copy.starts_with("world/minsk.conflict-") && copy.ends_with(".md"),
        "{copy}"
    );
    // Ben's text stays in the draft; Ana's is the copy beside it.
    assert!(ben.read("world/minsk.md").contains("Ben: no ceasefire"));
    assert!(ben.read(&copy).contains("Ana: no ceasefire"));
    no_markers(&ben);
    // Committed and pushed: Ana sees both.
    ana.synced();
    assert!(ana.read("world/minsk.md").contains("Ben: no ceasefire"));
    assert!(ana.read(&copy).contains("Ana: no ceasefire"));
    no_markers(&ana);
}

#[test]
fn offline_work_exits_75_and_goes_out_when_the_remote_is_back() {
    let (mut remote, ana, ben, _cleo) = desk();
    remote.stop();
    ana.edit(
        "world/minsk.md",
        "Talks resume next week.",
        "Talks resume on Monday.",
    );
    ana.write(
        "sport/derby.md",
        "---\ntitle: Derby ends level\n---\nOne all.\n",
    );
    let (code, doc) = ana.sync();
    assert_eq!(code, 75, "{doc}");
    assert!(doc["offline"].is_string(), "{doc}");
    assert_eq!(doc["committed"], 2, "{doc}");
    assert_eq!(doc["ahead"], 1, "{doc}");
    assert_eq!(ana.git(&["status", "--porcelain"]), "");
    // Offline again, more work: still committed locally.
    ana.edit("sport/derby.md", "One all.", "One all after extra time.");
    assert_eq!(ana.sync().0, 75);

    remote.start();
    let doc = ana.synced();
    assert_eq!(doc["pushed"], true, "{doc}");
    assert_eq!(doc["ahead"], 0, "{doc}");
    ben.synced();
    assert!(
        ben.read("world/minsk.md")
            .contains("Talks resume on Monday.")
    );
    assert!(
        ben.read("sport/derby.md")
            .contains("One all after extra time.")
    );
}

#[test]
fn a_sync_touching_one_draft_in_a_large_folder() {
    // 2,000 here; `NEWSROOM_SYNC_DRAFTS=10000 cargo test -p newsroom-cli --test sync
    // large_folder -- --nocapture` for the issue's 10,000 (and the times it took).
    let drafts: usize = std::env::var("NEWSROOM_SYNC_DRAFTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000);
    let remote = Remote::new();
    let ana = remote.machine("Ana");
    for i in 0..drafts {
        ana.write(
            &format!("archive/{:02}/story-{i:05}.md", i % 50),
            &format!("---\ntitle: Story {i}\ntags: [Archive]\n---\nParagraph one of story {i}.\n\nParagraph two.\n"),
        );
    }
    assert_eq!(ana.synced()["committed"], drafts + 1); // and the .gitignore
    let ben = remote.machine("Ben");
    ben.edit(
        "archive/07/story-00007.md",
        "Paragraph two.",
        "Paragraph two, corrected.",
    );
    let started = Instant::now();
    let doc = ben.synced();
    let ben_took = started.elapsed();
    assert_eq!(doc["committed"], 1, "{doc}");
    let started = Instant::now();
    let doc = ana.synced();
    let ana_took = started.elapsed();
    assert_eq!(doc["received"], 1, "{doc}");
    assert!(ana.read("archive/07/story-00007.md").contains("corrected"));
    eprintln!("one draft in {drafts}: sent in {ben_took:?}, received in {ana_took:?}");
}

#[test]
fn errors_say_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("plain");
    fs::create_dir_all(&plain).unwrap();
    let m = Machine {
        home: tmp.path().to_path_buf(),
        drafts: plain.clone(),
        name: "Ana".into(),
    };
    let out = m.newsroom(&["sync", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["error"]["code"], "not-a-repository", "{doc}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("newsroom sync clone"));

    git(&plain, &["init", "--quiet", "--initial-branch=main"]);
    let out = m.newsroom(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("git remote add origin URL"), "{err}");
}

#[test]
fn newsroom_sync_keeps_the_record_the_app_s_status_bar_reads() {
    use newsroom_api::settings::Settings;
    use newsroom_api::sync::{SyncOutcome, sync_status};
    let (mut remote, ana, _ben, _cleo) = desk();
    let last = || {
        sync_status(&ana.drafts, &Settings::default(), false)
            .last
            .expect("no record of the last sync")
    };
    let now_ms = || (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;

    ana.edit(
        "world/minsk.md",
        "Talks resume next week.",
        "Talks resume on Monday.",
    );
    let before = now_ms();
    let doc = ana.synced();
    let record = last();
    assert_eq!(record.outcome, SyncOutcome::Synced, "{record:?}");
    assert_eq!((record.committed, record.pushed), (1, true), "{doc}");
    assert!((before..=now_ms()).contains(&record.at_ms), "{record:?}");

    remote.stop();
    ana.edit("world/minsk.md", "on Monday.", "on Tuesday.");
    let before = now_ms();
    assert_eq!(ana.sync().0, 75);
    let record = last();
    assert_eq!(record.outcome, SyncOutcome::Offline, "{record:?}");
    assert!(record.offline.is_some(), "{record:?}");
    assert!(record.at_ms >= before, "{record:?}");
    // Where the app reads it: this computer's git directory, never the folder.
    assert!(ana.drafts.join(".git/newsroom-last-sync.json").is_file());
}

#[test]
fn a_folder_given_a_remote_by_hand_syncs_and_keeps_the_upstream() {
    let remote = Remote::new();
    let ana = Machine {
        home: remote.root.path().join("home-Ana"),
        drafts: remote.root.path().join("Ana/drafts"),
        name: "Ana".into(),
    };
    fs::create_dir_all(&ana.home).unwrap();
    ana.write("world/minsk.md", STORY);
    git(&ana.drafts, &["init", "--quiet", "--initial-branch=main"]);
    git(&ana.drafts, &["remote", "add", "origin", &remote.url()]);
    let doc = ana.synced();
    assert_eq!(doc["pushed"], true, "{doc}");
    assert_eq!(
        ana.git(&["rev-parse", "--abbrev-ref", "main@{upstream}"])
            .trim(),
        "origin/main"
    );
    let ben = remote.machine("Ben");
    assert_eq!(ben.read("world/minsk.md"), STORY);
}

/// `kill -9` of a sync (its whole process group: newsroom and the git it runs) at
/// different moments, again and again, each time with both machines' new words in every
/// draft to merge: the repository stays one git can use, the next sync finishes the
/// job, and every word written on either machine is there.
#[cfg(unix)]
#[test]
fn kill_9_during_sync_never_breaks_the_repository_or_loses_a_word() {
    use std::os::unix::process::CommandExt;
    const DRAFTS: usize = 120;
    const DELAYS_MS: [u64; 7] = [20, 90, 200, 400, 700, 1100, 1600];
    let remote = Remote::new();
    let ana = remote.machine("Ana");
    for i in 0..DRAFTS {
        ana.write(
            &format!("s/{i:03}.md"),
            &format!("---\ntitle: Story {i}\n---\nTop of {i}.\n\nMiddle of {i}.\n\nEnd of {i}.\n"),
        );
    }
    ana.synced();
    let ben = remote.machine("Ben");

    let mut interrupted = 0;
    for (round, delay_ms) in DELAYS_MS.into_iter().enumerate() {
        // Both change every draft, in different places: each needs the merge driver.
        for i in 0..DRAFTS {
            let rel = format!("s/{i:03}.md");
            ana.edit(
                &rel,
                &format!("Top of {i}."),
                &format!("Top of {i}.\nAna {round} on {i}."),
            );
            ben.edit(
                &rel,
                &format!("End of {i}."),
                &format!("End of {i}.\nBen {round} on {i}."),
            );
        }
        ana.write(
            &format!("notes/{round}.md"),
            &format!("---\ntitle: Note {round}\n---\nNote {round} words.\n"),
        );
        ben.synced();
        let mut child = ana
            .command(&["sync"])
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let group = format!("-{}", child.id());
        let _ = Command::new("kill").args(["-9", "--", &group]).status();
        let _ = child.wait();
        let git_dir = ana.drafts.join(".git");
        let left: Vec<&str> = ["newsroom-sync", "MERGE_HEAD", "index.lock"]
            .into_iter()
            .filter(|f| git_dir.join(f).exists())
            .collect();
        eprintln!("round {round}: killed after {delay_ms} ms, left {left:?}");
        interrupted += usize::from(left.contains(&"newsroom-sync"));
        // Git can read it: the objects and refs are whole.
        let fsck = Command::new("git")
            .arg("-C")
            .arg(&ana.drafts)
            .args(["fsck", "--no-progress", "--no-dangling"])
            .output()
            .unwrap();
        assert!(
            fsck.status.success(),
            "round {round}: {}",
            String::from_utf8_lossy(&fsck.stderr)
        );
    }
    // The kills did land inside syncs (their marker stayed), not only before or after.
    assert!(
        interrupted >= 3,
        "only {interrupted} syncs were interrupted"
    );
    ana.synced();
    ben.synced();
    for m in [&ana, &ben] {
        no_markers(m);
        for i in 0..DRAFTS {
            let text = m.read(&format!("s/{i:03}.md"));
            for round in 0..DELAYS_MS.len() {
                for who in ["Ana", "Ben"] {
                    let line = format!("{who} {round} on {i}.");
                    assert!(text.contains(&line), "{}: lost {line:?}:\n{text}", m.name);
                }
            }
        }
        for round in 0..DELAYS_MS.len() {
            assert!(
                m.read(&format!("notes/{round}.md"))
                    .contains(&format!("Note {round} words."))
            );
        }
    }
}

/// The kill of the CI failure ("Ana: lost \"Ana 0 on 26.\"", only our marker and
/// `index.lock` left), landed on purpose: git's checkout runs a file's smudge filter after
/// removing the old file and before writing the new one, so a filter that kills the
/// sync's process group (once) stops the merge with a draft gone, the ones before it the
/// merge's result, the index still ours. The next sync must put that back, not commit it.
#[test]
fn a_kill_inside_git_s_checkout_of_the_merge_loses_no_word() {
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    const DRAFTS: usize = 40;
    const HIT: &str = "s/025.md";
    let remote = Remote::new();
    let ana = remote.machine("Ana");
    for i in 0..DRAFTS {
        ana.write(
            &format!("s/{i:03}.md"),
            &format!("---\ntitle: Story {i}\n---\nTop of {i}.\n\nMiddle of {i}.\n\nEnd of {i}.\n"),
        );
    }
    ana.synced();
    let ben = remote.machine("Ben");
    for i in 0..DRAFTS {
        let rel = format!("s/{i:03}.md");
        ana.edit(
            &rel,
            &format!("Top of {i}."),
            &format!("Top of {i}.\nAna on {i}."),
        );
        ben.edit(
            &rel,
            &format!("End of {i}."),
            &format!("End of {i}.\nBen on {i}."),
        );
    }
    ben.synced();

    let flag = ana.home.join("kill-once");
    let script = ana.home.join("kill-in-checkout.sh");
    fs::write(&flag, "").unwrap();
    fs::write(
        &script,
        format!(
            "#!/bin/sh\nif [ -e '{f}' ]; then rm -f '{f}'; kill -9 0; fi\nexec cat\n",
            f = flag.display()
        ),
    )
    .unwrap();
    ana.git(&[
        "config",
        "filter.killer.smudge",
        &format!("sh '{}'", script.display()),
    ]);
    let attributes = ana.drafts.join(".git/info/attributes");
    let mut text = fs::read_to_string(&attributes).unwrap_or_default();
    text.push_str(&format!("{HIT} filter=killer\n"));
    fs::write(&attributes, text).unwrap();

    let status = ana
        .command(&["sync"])
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(
        status.signal(),
        Some(9),
        "not killed in the checkout: {status}"
    );
    assert!(!flag.exists());
    let git_dir = ana.drafts.join(".git");
    assert!(git_dir.join("newsroom-sync").exists());
    assert!(git_dir.join("index.lock").exists());
    assert!(!git_dir.join("MERGE_HEAD").exists());
    let hit = fs::read_to_string(ana.drafts.join(HIT)).unwrap_or_default();
    assert!(hit.is_empty(), "git had not started {HIT}: {hit}");
    assert!(
        ana.read("s/000.md").contains("Ben on 0."),
        "the merge had not begun writing"
    );

    ana.synced();
    ben.synced();
    for m in [&ana, &ben] {
        no_markers(m);
        for i in 0..DRAFTS {
            let text = m.read(&format!("s/{i:03}.md"));
            for line in [format!("Ana on {i}."), format!("Ben on {i}.")] {
                assert!(text.contains(&line), "{}: lost {line:?}:\n{text}", m.name);
            }
        }
    }
}

#[test]
fn a_merge_left_by_a_dead_sync_is_finished_and_another_tools_is_refused() {
    let (_remote, ana, ben, _cleo) = desk();
    ana.edit(
        "world/minsk.md",
        "Delegations met",
        "Delegations from both sides met",
    );
    ana.synced();
    ben.edit(
        "world/minsk.md",
        "Talks resume next week.",
        "Talks resume on Monday.",
    );
    // Another tool's merge in progress (git's own, no marker of ours): refused, untouched.
    ben.git(&["add", "-A"]);
    ben.git(&[
        "-c",
        "user.name=Ben",
        "-c",
        "user.email=b@x",
        "commit",
        "-qm",
        "by hand",
    ]);
    ben.git(&["fetch", "-q", "origin"]);
    ben.git(&[
        "-c",
        "user.name=Ben",
        "-c",
        "user.email=b@x",
        "merge",
        "--no-commit",
        "--no-ff",
        "origin/main",
    ]);
    let out = ben.newsroom(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("another git operation is in progress") && err.contains("git merge --abort"),
        "{err}"
    );
    assert!(ben.drafts.join(".git/MERGE_HEAD").exists());

    // The same merge left by a sync of ours that died (its marker names a process that
    // is gone): aborted and done again, to the end.
    fs::write(ben.drafts.join(".git/newsroom-sync"), "4194304").unwrap();
    let doc = ben.synced();
    assert_eq!(doc["pushed"], true, "{doc}");
    let text = ben.read("world/minsk.md");
    assert!(
        text.contains("Delegations from both sides met")
            && text.contains("Talks resume on Monday."),
        "{text}"
    );
    assert!(!ben.drafts.join(".git/MERGE_HEAD").exists());
    assert!(!ben.drafts.join(".git/newsroom-sync").exists());
}

#[test]
fn a_drafts_folder_inside_a_larger_repository_syncs_only_itself() {
    let remote = Remote::new();
    let root = remote.root.path();
    let ana = Machine {
        home: root.join("home-Ana"),
        drafts: root.join("Ana/site/content/posts"),
        name: "Ana".into(),
    };
    fs::create_dir_all(&ana.home).unwrap();
    let site = root.join("Ana/site");
    ana.write("minsk.md", STORY);
    fs::write(site.join("config.toml"), "title = 'Desk'\n").unwrap();
    git(&site, &["init", "--quiet", "--initial-branch=main"]);
    git(&site, &["remote", "add", "origin", &remote.url()]);
    ana.synced();
    // The site's own file was not the sync's to commit.
    assert_eq!(
        git(&site, &["status", "--porcelain"]).trim(),
        "?? config.toml"
    );
    // Staged by hand outside the folder: still not the sync's to commit, still staged.
    git(&site, &["add", "config.toml"]);
    ana.edit(
        "minsk.md",
        "Talks resume next week.",
        "Talks resume on Monday.",
    );
    assert_eq!(ana.synced()["committed"], 1);
    assert_eq!(
        git(&site, &["status", "--porcelain"]).trim(),
        "A  config.toml"
    );
    assert_eq!(
        git(&site, &["show", "--name-only", "--format=", "HEAD"]).trim(),
        "content/posts/minsk.md"
    );
    git(&site, &["reset", "--quiet", "config.toml"]);

    let ben_site = root.join("Ben/site");
    let ben = Machine {
        home: root.join("home-Ben"),
        drafts: ben_site.join("content/posts"),
        name: "Ben".into(),
    };
    fs::create_dir_all(&ben.home).unwrap();
    ok(&ben.newsroom(&["sync", "clone", &remote.url(), ben_site.to_str().unwrap()]));
    ana.edit("minsk.md", "No ceasefire was agreed.", "Ana's line.");
    ben.edit("minsk.md", "No ceasefire was agreed.", "Ben's line.");
    ana.synced();
    let doc = ben.synced();
    // Paths are the drafts folder's, not the repository's.
    assert_eq!(doc["conflicts"][0]["draft"], "minsk.md", "{doc}");
    let copy = doc["conflicts"][0]["copy"].as_str().unwrap();
    assert!(ben.read(copy).contains("Ana's line."));
    assert!(ben.read("minsk.md").contains("Ben's line."));
}

#[test]
fn a_draft_named_with_spaces_and_accents_goes_through_the_merge_driver() {
    let (_remote, ana, ben, _cleo) = desk();
    let name = "world/Café talks — day 2.md";
    ana.write(name, STORY);
    ana.synced();
    ben.synced();
    // Both add a tag on the same line: git's text merge would conflict; the driver merges.
    ana.edit(
        name,
        "tags: [Belarus, Talks]",
        "tags: [Belarus, Talks, Minsk]",
    );
    ben.edit(
        name,
        "tags: [Belarus, Talks]",
        "tags: [Belarus, Talks, Kyiv]",
    );
    ana.synced();
    let doc = ben.synced();
    assert_eq!(doc["conflicts"], serde_json::json!([]), "{doc}");
    let text = ben.read(name);
    assert!(
        text.contains("  - Kyiv\n") && text.contains("  - Minsk\n"),
        "{text}"
    );
    // And a true conflict there: the copy keeps the name's stem.
    ana.synced();
    ana.edit(name, "Talks resume next week.", "Ana: Tuesday.");
    ben.edit(name, "Talks resume next week.", "Ben: Wednesday.");
    ana.synced();
    let doc = ben.synced();
    let copy = doc["conflicts"][0]["copy"].as_str().unwrap();
    assert!(
        copy.starts_with("world/Café talks — day 2.conflict-"),
        "{doc}"
    );
    assert!(ben.read(copy).contains("Ana: Tuesday."));
    no_markers(&ben);
}

#[test]
fn three_machines_syncing_at_once_all_get_through() {
    let (_remote, ana, ben, cleo) = desk();
    for (i, m) in [&ana, &ben, &cleo].into_iter().enumerate() {
        for n in 0..20 {
            m.write(
                &format!("{}/{n}.md", m.name),
                &format!("---\ntitle: {} {n}\n---\nWords {i}.{n}.\n", m.name),
            );
        }
    }
    // All three at the same moment: pushes refused because the remote moved are merged
    // and pushed again.
    let children: Vec<_> = [&ana, &ben, &cleo]
        .into_iter()
        .map(|m| {
            (
                m,
                m.command(&["sync", "--json"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap(),
            )
        })
        .collect();
    for (m, child) in children {
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            m.name,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for m in [&ana, &ben, &cleo] {
        m.synced();
    }
    for m in [&ana, &ben, &cleo] {
        for who in ["Ana", "Ben", "Cleo"] {
            for n in 0..20 {
                assert!(
                    m.drafts.join(format!("{who}/{n}.md")).is_file(),
                    "{}: {who}/{n}.md",
                    m.name
                );
            }
        }
    }
}

#[test]
fn commits_carry_the_name_and_email_set_in_the_app_s_settings() {
    let mut remote = Remote::new();
    remote.start();
    let ana = remote.machine("Ana");
    // what the app's Settings write (the shared settings.json), and no NEWSROOM_USER/EMAIL
    fs::create_dir_all(ana.home.join("config")).unwrap();
    fs::write(
        ana.home.join("config/settings.json"),
        r#"{"user_name":"Ana Kovač","user_email":"ana@desk.example","role":"reporter"}"#,
    )
    .unwrap();
    ana.write("brief.md", "---\ntitle: Brief\n---\nShort.\n");
    let out = ana
        .command(&["sync", "--json"])
        .env_remove("NEWSROOM_USER")
        .env_remove("NEWSROOM_EMAIL")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        ana.git(&["log", "-1", "--format=%an <%ae>"]).trim(),
        "Ana Kovač <ana@desk.example>"
    );
}

/// `newsroom queue --json --as NAME` on a machine: the review queue as that person.
fn queue_as(m: &Machine, name: &str) -> serde_json::Value {
    let out = m.newsroom(&["queue", "--json", "--as", name]);
    serde_json::from_str(&ok(&out)).unwrap()
}

/// The lines a queue item's diff adds and removes (headers aside).
fn changed_lines(item: &serde_json::Value) -> Vec<String> {
    let diff = item["changes"]["diff"].as_str().unwrap_or_default();
    diff.lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++")
                && !l.starts_with("---")
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn changes_since_your_last_review_on_a_computer_that_never_saw_it() {
    let remote = Remote::new();
    // The reporter's computer: the piece is written and submitted.
    let ana = remote.machine("Ana");
    ana.write("world/minsk.md", STORY);
    let minsk = ana.drafts.join("world/minsk.md");
    ok(&ana.newsroom(&["submit", minsk.to_str().unwrap()]));
    ana.synced();
    // The editor's computer: changes requested, over the version committed there.
    let edith = remote.machine("Edith");
    let seen = edith.git(&["rev-parse", "HEAD"]).trim().to_owned();
    let minsk_e = edith.drafts.join("world/minsk.md");
    ok(&edith.newsroom(&[
        "request-changes",
        minsk_e.to_str().unwrap(),
        "--role",
        "editor",
        "--note",
        "Who says so?",
    ]));
    let text = edith.read("world/minsk.md");
    assert!(text.contains(&format!("commit: {seen}")), "{text}");
    edith.synced();
    // The reporter answers: one sentence changed, resubmitted.
    ana.synced();
    ana.edit(
        "world/minsk.md",
        "No ceasefire was agreed.",
        "No ceasefire was agreed, both delegations said.",
    );
    ok(&ana.newsroom(&["submit", minsk.to_str().unwrap()]));
    ana.synced();

    // A computer that never saw any earlier version: the editor's new laptop.
    let laptop = remote.machine("Laptop");
    for look in [
        "first look",
        "second look (this version is now stored here)",
    ] {
        let queue = queue_as(&laptop, "Edith");
        let items = queue.as_array().unwrap();
        assert_eq!(items.len(), 1, "{look}: {queue}");
        let changes = &items[0]["changes"];
        assert_eq!(changes["basis"], "your-review", "{look}: {changes}");
        assert_eq!(changes["commit"], seen.as_str(), "{look}: {changes}");
        assert_eq!(changes["revision"], serde_json::Value::Null, "{look}");
        assert_eq!(
            changed_lines(&items[0]),
            [
                "-No ceasefire was agreed.",
                "+No ceasefire was agreed, both delegations said."
            ],
            "{look}: {changes}"
        );
    }
    // The editor's own computer says the same, from its own revision store.
    edith.synced();
    let queue = queue_as(&edith, "Edith");
    assert_eq!(
        changed_lines(&queue[0]),
        [
            "-No ceasefire was agreed.",
            "+No ceasefire was agreed, both delegations said."
        ],
        "{queue}"
    );
}

#[test]
fn a_trail_entry_s_commit_value_never_chooses_what_is_read() {
    let remote = Remote::new();
    let ana = remote.machine("Ana");
    // Something a hostile draft might want shown: outside the drafts, or another file.
    ana.write("secret.md", "---\ntitle: Secret\n---\nTHE SECRET\n");
    let hostile = [
        "HEAD",
        "main:secret.md",
        "HEAD:secret.md",
        "--output=/tmp/newsroom-pwned",
        "../../secret.md",
        "/etc/passwd",
        "0123456",
        // the right shape, but no such commit
        "abababababababababababababababababababab",
    ];
    for (i, value) in hostile.iter().enumerate() {
        let text = STORY
            .replace("status: draft\n", "status: in-review\n")
            .replace(
                "---\nDelegations",
                &format!(
                    "review:\n  - by: Edith\n    at: 2026-11-26T10:00:0{i}Z\n    from: in-review\n    to: changes-requested\n    commit: \"{value}\"\n  - by: Ana\n    at: 2026-11-26T11:00:00Z\n    from: changes-requested\n    to: in-review\n---\nDelegations"
                ),
            );
        ana.write(&format!("world/story-{i}.md"), &text);
    }
    ana.synced();
    let first = ana.git(&["rev-parse", "HEAD"]).trim().to_owned();
    for i in 0..hostile.len() {
        ana.edit(
            &format!("world/story-{i}.md"),
            "Talks resume next week.",
            "Talks resume on Monday.",
        );
    }
    ana.synced();

    let laptop = remote.machine("Laptop");
    let queue = queue_as(&laptop, "Edith");
    let items = queue.as_array().unwrap();
    assert_eq!(items.len(), hostile.len(), "{queue}");
    for item in items {
        // Read as an entry without a commit: the first commit holding it, so exactly
        // the reporter's change, and nothing from anywhere else.
        assert_eq!(
            changed_lines(item),
            ["-Talks resume next week.", "+Talks resume on Monday."],
            "{item}"
        );
        assert!(!item.to_string().contains("THE SECRET"), "{item}");
        assert_eq!(item["changes"]["commit"], first.as_str(), "{item}");
    }
    assert!(!Path::new("/tmp/newsroom-pwned").exists());
}
