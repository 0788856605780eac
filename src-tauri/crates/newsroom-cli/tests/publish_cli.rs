//! `newsroom publish` and `newsroom outbox` as real processes against a hostile drafts
//! folder. The publish tests use the real WordPress of `tests/portal/` and skip (print
//! `SKIP` and pass) when it is not running — or fail under `CI=true` /
//! `NEWSROOM_WP_REQUIRED=1` (`newsroom_publish::test_site`); the outbox test needs no portal.

#![allow(clippy::unwrap_used)] // test helpers fail loudly

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use newsroom_publish::client::{ClientOptions, WpClient};
use newsroom_publish::profile::{Credentials, Portal, Secret};
use newsroom_publish::store::{JobRequest, Store};
use newsroom_publish::test_site;
use serde_json::{Value, json};

struct Env {
    dir: tempfile::TempDir,
    drafts: PathBuf,
    data: PathBuf,
    config: PathBuf,
    password: String,
}

fn env(url: &str, user: &str, password: &str) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let drafts = dir.path().join("drafts");
    fs::create_dir_all(drafts.join("images")).unwrap();
    let drafts = drafts.canonicalize().unwrap();
    let config = dir.path().join("config");
    fs::create_dir_all(&config).unwrap();
    fs::write(
        config.join("portals.json"),
        json!({"portals": [{"name": "local", "url": url, "user": user}], "default": "local"})
            .to_string(),
    )
    .unwrap();
    Env {
        data: dir.path().join("data"),
        drafts,
        config,
        password: password.to_owned(),
        dir,
    }
}

fn run(e: &Env, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsroom"))
        .args(args)
        .current_dir(&e.drafts)
        .env("NEWSROOM_DRAFTS", &e.drafts)
        .env("NEWSROOM_DATA_DIR", &e.data)
        .env("NEWSROOM_CONFIG_DIR", &e.config)
        .env("NEWSROOM_KEYRING", "off")
        .env("NEWSROOM_PORTAL_PASSWORD", &e.password)
        .env_remove("NEWSROOM_PORTAL")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The test site's URL and the editor's and admin's credentials, or `None` (skip; a
/// failure where the site is required).
fn site() -> Option<(String, Value)> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..");
    let path = test_site::state_dir(&repo).join("credentials.json");
    let Ok(t) = fs::read_to_string(&path) else {
        test_site::unavailable(&format!("{} is absent", path.display()));
        return None;
    };
    let json: Value = serde_json::from_str(&t).unwrap();
    let url = json["url"]
        .as_str()
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    if !test_site::listening(&url) {
        test_site::unavailable(&format!("the test site at {url} does not answer"));
        return None;
    }
    Some((url, json["users"].clone()))
}

fn client(url: &str, users: &Value, role: &str) -> WpClient {
    WpClient::new(
        &Credentials {
            portal: Portal {
                name: role.into(),
                url: url.into(),
                user: users[role]["user"].as_str().unwrap().into(),
            },
            password: Secret::new(users[role]["password"].as_str().unwrap().to_owned()),
        },
        ClientOptions::default(),
    )
    .unwrap()
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

#[cfg(unix)]
#[test]
fn publish_refuses_claimed_posts_linked_images_and_deep_nesting_without_crashing() {
    let Some((url, users)) = site() else { return };
    let admin = client(&url, &users, "admin");
    let word = format!("cli{}", std::process::id());
    let theirs = block_on(admin.post(
        "/wp/v2/posts",
        &json!({"title": format!("Their page {word}"), "content": "<p>Theirs.</p>", "status": "publish"}),
    ))
    .unwrap()
    .body;
    let id = theirs["id"].as_u64().unwrap();
    let e = env(
        &url,
        users["editor"]["user"].as_str().unwrap(),
        users["editor"]["password"].as_str().unwrap(),
    );
    fs::write(
        e.drafts.join("claim.md"),
        format!(
            "---\ntitle: Claim {word}\nportal:\n  name: local\n  post_id: {id}\n---\nMine now.\n"
        ),
    )
    .unwrap();

    // The plan and the publish both refuse, naming the post; nothing changes there.
    for args in [
        vec!["publish", "--dry-run", "claim.md"],
        vec!["publish", "claim.md"],
    ] {
        let o = run(&e, &args);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
        let err = text(&o.stderr);
        assert!(err.contains("error[not_our_post]"), "{err}");
        assert!(
            err.contains(&format!("post {id} «Their page {word}»")),
            "{err}"
        );
    }
    let after = block_on(admin.get(&format!("/wp/v2/posts/{id}"), &[("context", "edit".into())]))
        .unwrap()
        .body;
    assert_eq!(after["modified_gmt"], theirs["modified_gmt"]);
    let o = run(&e, &["publish", "--dry-run", "--republish-new", "claim.md"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout).trim(),
        format!("creates a new post «Claim {word}» as draft")
    );

    // An image that is a link to a file outside the folder.
    let canary = e.dir.path().join("canary.txt");
    fs::write(&canary, format!("CANARY {word}")).unwrap();
    std::os::unix::fs::symlink(&canary, e.drafts.join("images/team.png")).unwrap();
    fs::write(
        e.drafts.join("leak.md"),
        "---\ntitle: Leak\n---\nText.\n\n![Team](images/team.png)\n",
    )
    .unwrap();
    let o = run(&e, &["publish", "leak.md"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("leak.md:6: image `images/team.png`: is a symbolic link"),
        "{err}"
    );

    // 20,000 nested quotes: an error with the line, not a dead process.
    fs::write(
        e.drafts.join("deep.md"),
        format!(
            "---\ntitle: Deep\n---\nIntro.\n\n{}x\n",
            "> ".repeat(20_000)
        ),
    )
    .unwrap();
    let o = run(&e, &["publish", "deep.md"]);
    assert_eq!(o.status.code(), Some(1), "exited, not killed by a signal");
    let err = text(&o.stderr);
    assert!(
        err.contains("error[too_deep]") && err.contains("deep.md:6:"),
        "{err}"
    );

    block_on(admin.delete(&format!("/wp/v2/posts/{id}"), &[("force", "true".into())])).unwrap();
}

#[test]
fn the_outbox_lists_a_job_that_crashed_twice_as_parked_and_does_not_run_it() {
    let e = env("http://127.0.0.1:9", "nobody", "x");
    fs::write(e.drafts.join("a.md"), "---\ntitle: A\n---\nText.\n").unwrap();
    let store = Store::open(&e.data.join("publish.sqlite3")).unwrap();
    let job = store
        .job_for("local", &e.drafts, "a.md", &JobRequest::default())
        .unwrap();
    store.start_attempt(&job.key).unwrap();
    store.start_attempt(&job.key).unwrap();

    let o = run(&e, &["outbox"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains(&job.key) && out.contains("parked after"),
        "{out}"
    );
    assert!(out.contains("not retried on its own"), "{out}");
    let o = run(&e, &["outbox", "--run"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("the outbox is empty") || !text(&o.stderr).contains(&job.key));
    assert_eq!(store.job(&job.key).unwrap().unwrap().state, "parked");
    let o = run(&e, &["outbox", "--cancel", &job.key]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(store.job(&job.key).unwrap().unwrap().state, "cancelled");
}

/// A portal that accepts connections and never answers: an attempt hangs there until the
/// process is killed, as a crash would end it.
fn silent_portal() -> (String, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming().take(8).flatten() {
            held.push(conn);
        }
    });
    (url, handle)
}

/// Starts `newsroom ARGS`, waits until its attempt is counted in the store, kills it.
fn kill_during_attempt(e: &Env, args: &[&str], store_path: &Path, starts: u32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsroom"))
        .args(args)
        .current_dir(&e.drafts)
        .env("NEWSROOM_DRAFTS", &e.drafts)
        .env("NEWSROOM_DATA_DIR", &e.data)
        .env("NEWSROOM_CONFIG_DIR", &e.config)
        .env("NEWSROOM_KEYRING", "off")
        .env("NEWSROOM_PORTAL_PASSWORD", &e.password)
        .env_remove("NEWSROOM_PORTAL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let counted = store_path.exists()
            && Store::open(store_path)
                .unwrap()
                .outbox()
                .unwrap()
                .iter()
                .any(|j| j.starts_unfinished == starts);
        if counted {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the attempt never started"
        );
        assert!(child.try_wait().unwrap().is_none(), "ended before the kill");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.kill().unwrap(); // SIGKILL: nothing of the process runs after it, as in an abort
    child.wait().unwrap();
}

#[cfg(unix)]
#[test]
fn a_publish_killed_twice_in_the_middle_is_parked_not_retried() {
    let (url, _portal) = silent_portal();
    let e = env(&url, "desk", "x");
    fs::write(e.drafts.join("story.md"), "---\ntitle: Story\n---\nText.\n").unwrap();
    let store_path = e.data.join("publish.sqlite3");
    kill_during_attempt(&e, &["publish", "story.md"], &store_path, 1);
    kill_during_attempt(&e, &["outbox", "--run"], &store_path, 2);

    let o = run(&e, &["outbox"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("story.md") && out.contains("parked after"),
        "{out}"
    );
    // `--run` leaves it alone now: it returns at once instead of hanging on the portal.
    let started = std::time::Instant::now();
    let o = run(&e, &["outbox", "--run"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    let jobs = Store::open(&store_path).unwrap().outbox().unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].state, "parked");
}
