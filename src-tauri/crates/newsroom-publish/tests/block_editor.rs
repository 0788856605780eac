//! The block editor is the judge of our block markup: a kitchen-sink article is published
//! to the real WordPress of `tests/portal/`, then opened in wp-admin's block editor in
//! headless Chromium (Debian's `chromium` + `chromium-driver`, driven over the W3C WebDriver
//! protocol), and every block, nested ones included, must be valid and none Classic
//! (`core/freeform`).
//!
//! Skips (prints why, passes) only when the test site is not running. With the site up, a
//! missing Chromium or chromedriver is a failure: `make test` installs both
//! (tests/e2e/setup.sh).

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::kitchen_sink::kitchen_sink;
use common::{Desk, post, site, unique};
use newsroom_publish::{PublishOutcome, PublishRequest};
use serde_json::{Value, json};

/// One block as the editor sees it (flattened, depth-first).
#[derive(Debug)]
struct SeenBlock {
    name: String,
    valid: bool,
    original: String,
    expected: String,
}

fn flatten(v: &Value, out: &mut Vec<SeenBlock>) {
    for b in v.as_array().into_iter().flatten() {
        out.push(SeenBlock {
            name: b["name"].as_str().unwrap_or("").to_owned(),
            valid: b["isValid"].as_bool().unwrap_or(false),
            original: b["original"].as_str().unwrap_or("").to_owned(),
            expected: b["expected"].as_str().unwrap_or("").to_owned(),
        });
        flatten(&b["inner"], out);
    }
}

/// How many top-level blocks serialised content holds (block comments, by depth).
fn top_level_blocks(content: &str) -> usize {
    let (mut depth, mut top) = (0usize, 0usize);
    let mut rest = content;
    while let Some(i) = rest.find("<!-- ") {
        rest = &rest[i + 5..];
        let end = rest.find("-->").unwrap_or(rest.len());
        let comment = &rest[..end];
        if comment.starts_with("/wp:") {
            depth = depth.saturating_sub(1);
        } else if comment.starts_with("wp:") {
            if depth == 0 {
                top += 1;
            }
            if !comment.trim_end().ends_with('/') {
                depth += 1;
            }
        }
        rest = &rest[end..];
    }
    top
}

/// chromedriver, stopped (by its own pid) when dropped.
struct Driver {
    child: Child,
    base: String,
    http: reqwest::Client,
    session: Option<String>,
}

impl Drop for Driver {
    /// Ends the session first (chromedriver then quits the browser: killing chromedriver
    /// alone would leave Chromium running), also when the test failed. Drop cannot await,
    /// so the `DELETE /session/ID` is a blocking request of its own.
    fn drop(&mut self) {
        if let Some(id) = &self.session {
            use std::io::{Read, Write};
            let addr = self.base.trim_start_matches("http://").to_owned();
            if let Ok(mut tcp) = std::net::TcpStream::connect(&addr) {
                let _ = tcp.set_read_timeout(Some(Duration::from_secs(20)));
                let _ = write!(
                    tcp,
                    "DELETE /session/{id} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
                );
                let _ = tcp.read_to_end(&mut Vec::new());
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn which(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|f| f.is_file())
    })
}

impl Driver {
    async fn start() -> Driver {
        let exe = which("chromedriver").unwrap_or_else(|| {
            panic!(
                "chromedriver is not installed (Debian: `apt-get install chromium chromium-driver`, \
                 which `make test` does through tests/e2e/setup.sh)"
            )
        });
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
            l.local_addr().expect("addr").port()
        };
        let child = Command::new(exe)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let d = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(90))
                .build()
                .expect("http client"),
            session: None,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = d.http.get(format!("{}/status", d.base)).send().await {
                if let Ok(v) = r.json::<Value>().await {
                    if v["value"]["ready"] == true {
                        break;
                    }
                }
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        d
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let url = format!("{}{path}", self.base);
        let r = self
            .http
            .request(method, &url)
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("WebDriver {path}: {e}"));
        let status = r.status();
        let v: Value = r.json().await.expect("WebDriver answers JSON");
        assert!(status.is_success(), "WebDriver {path}: {status} {v}");
        v["value"].clone()
    }

    async fn new_session(&mut self, profile: &std::path::Path) {
        let browser = ["chromium", "chromium-browser"]
            .iter()
            .find_map(|n| which(n))
            .expect("chromium is not installed (Debian: `apt-get install chromium`)");
        let args = json!([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,1000",
            format!("--user-data-dir={}", profile.display()),
        ]);
        let v = self
            .call(
                reqwest::Method::POST,
                "/session",
                json!({"capabilities": {"alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {"binary": browser, "args": args}
                }}}),
            )
            .await;
        self.session = Some(v["sessionId"].as_str().expect("session id").to_owned());
    }

    fn s(&self) -> String {
        format!("/session/{}", self.session.as_deref().expect("session"))
    }

    async fn go(&self, url: &str) {
        self.call(
            reqwest::Method::POST,
            &format!("{}/url", self.s()),
            json!({ "url": url }),
        )
        .await;
    }

    async fn script(&self, script: &str, args: Value) -> Value {
        self.call(
            reqwest::Method::POST,
            &format!("{}/execute/sync", self.s()),
            json!({"script": script, "args": args}),
        )
        .await
    }
}

/// Walks the editor's blocks; `null` until the editor has loaded the post.
const READ_BLOCKS: &str = r#"
const ed = window.wp && wp.data && wp.data.select('core/editor');
if (!ed || !ed.getCurrentPostId()) return null;
const top = wp.data.select('core/block-editor').getBlocks();
if (!top.length) return null;
const walk = (bs) => bs.map((b) => ({
  name: b.name,
  isValid: b.isValid,
  original: b.isValid ? '' : String(b.originalContent || ''),
  expected: b.isValid ? '' : (() => {
    try { return wp.blocks.getSaveContent(b.name, b.attributes, b.innerBlocks); }
    catch (e) { return 'save() threw: ' + e; }
  })(),
  inner: walk(b.innerBlocks || []),
}));
return JSON.stringify(walk(top));
"#;

#[tokio::test]
async fn kitchen_sink_opens_in_the_block_editor_with_every_block_valid() {
    let Some(site) = site().await else { return };
    let creds_json: Value = serde_json::from_str(
        &std::fs::read_to_string(
            newsroom_publish::test_site::state_dir(&common::repo_root()).join("credentials.json"),
        )
        .expect("credentials.json"),
    )
    .expect("credentials JSON");
    let admin_login = creds_json["users"]["admin"]["user"]
        .as_str()
        .expect("admin user")
        .to_owned();
    let admin_password = creds_json["users"]["admin"]["login_password"]
        .as_str()
        .expect("admin login_password in credentials.json")
        .to_owned();

    let desk = Desk::new();
    let word = unique();
    desk.image("images/map.png", 32, 24);
    desk.image("2026-11-26:chart.png", 24, 16);
    desk.write("sink.md", &kitchen_sink(&word));
    let publisher = desk.publisher(site.creds("admin"));
    let outcome = publisher
        .publish(
            PublishRequest {
                root: desk.root.clone(),
                path: "sink.md".into(),
                ..Default::default()
            },
            common::no_progress(),
        )
        .await
        .expect("publish");
    let PublishOutcome::Published(p) = outcome else {
        panic!("expected a published post, got {outcome:?}")
    };
    let content = post(&site, p.post_id).await["content"]["raw"]
        .as_str()
        .unwrap_or("")
        .to_owned();

    // A colon in a relative path is no scheme: the link stays, the image is uploaded.
    assert!(
        content.contains("<a href=\"10:30-notes.md\">the 10:30 notes</a>"),
        "{content}"
    );
    assert!(!content.contains("2026-11-26:chart.png"), "{content}");
    assert!(!content.contains("blocked-url"), "{content}");
    assert_eq!(p.images_uploaded, 2, "{:?}", p.warnings);

    // Footnotes: WordPress's own block where the portal has it (6.3+), else one html block.
    let native = newsroom_publish::blocks::portal_has_native_footnotes(&site.admin()).await;
    if native {
        assert!(content.contains("<!-- wp:footnotes /-->"), "{content}");
        assert!(content.contains("class=\"fn\""), "{content}");
    } else {
        assert!(
            content.contains("<!-- wp:html -->\n<section class=\"footnotes\" data-footnotes>"),
            "{content}"
        );
    }
    eprintln!("native footnotes on this portal: {native}");

    let mut driver = Driver::start().await;
    driver
        .new_session(&desk.dir.path().join("chromium-profile"))
        .await;
    driver.go(&format!("{}/wp-login.php", site.url)).await;
    driver
        .script(
            "document.getElementById('user_login').value = arguments[0];\
             document.getElementById('user_pass').value = arguments[1];\
             document.getElementById('loginform').submit(); return true;",
            json!([admin_login, admin_password]),
        )
        .await;
    // The form posts and redirects to the dashboard: wait for the login cookie to stick.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let here = driver
            .script(
                "return document.readyState === 'complete' ? location.href : '';",
                json!([]),
            )
            .await;
        if here.as_str().is_some_and(|u| u.contains("/wp-admin")) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "could not log in to wp-admin (still at {here})"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    driver
        .go(&format!(
            "{}/wp-admin/post.php?post={}&action=edit",
            site.url, p.post_id
        ))
        .await;
    let deadline = Instant::now() + Duration::from_secs(90);
    let tree = loop {
        let v = driver.script(READ_BLOCKS, json!([])).await;
        if let Some(s) = v.as_str() {
            break serde_json::from_str::<Value>(s).expect("blocks JSON");
        }
        assert!(
            Instant::now() < deadline,
            "the block editor did not load post {}",
            p.post_id
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    let mut seen = Vec::new();
    flatten(&tree, &mut seen);
    let names: Vec<&str> = seen.iter().map(|b| b.name.as_str()).collect();
    eprintln!("{} blocks: {names:?}", seen.len());
    let bad: Vec<String> = seen
        .iter()
        .filter(|b| !b.valid || b.name == "core/freeform" || b.name == "core/missing")
        .map(|b| {
            format!(
                "{} (valid: {})\n  sent:     {}\n  expected: {}",
                b.name, b.valid, b.original, b.expected
            )
        })
        .collect();
    assert!(
        bad.is_empty(),
        "{} of {} blocks are invalid or Classic:\n{}\n\ncontent sent:\n{content}",
        bad.len(),
        seen.len(),
        bad.join("\n")
    );
    for expected in [
        "core/paragraph",
        "core/heading",
        "core/list",
        "core/list-item",
        "core/quote",
        "core/table",
        "core/image",
        "core/code",
        "core/separator",
    ] {
        assert!(names.contains(&expected), "no {expected} in {names:?}");
    }
    assert!(
        seen.len() >= 60,
        "the kitchen sink should give many blocks: {names:?}"
    );
    // Every top-level block we sent is one the editor shows (nothing merged or dropped).
    let sent_top = top_level_blocks(&content);
    assert_eq!(tree.as_array().map_or(0, Vec::len), sent_top, "{names:?}");
    // Passed: the post is not needed any more (a failing run keeps it to look at).
    let _ = site
        .admin()
        .delete(
            &format!("/wp/v2/posts/{}", p.post_id),
            &[("force", "true".into())],
        )
        .await;
}
