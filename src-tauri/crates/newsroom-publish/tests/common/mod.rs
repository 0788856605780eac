//! Shared helpers for the tests against the real WordPress of `tests/portal/`.
//!
//! When `tests/portal/state/credentials.json` is absent or the site does not answer, every
//! test skips (prints why and passes) — or fails under `CI=true` / `NEWSROOM_WP_REQUIRED=1`
//! (`make test`, which starts the site): see `newsroom_publish::test_site`.
#![allow(dead_code, clippy::unwrap_used, clippy::same_item_push)]

pub mod fault_proxy;
pub mod kitchen_sink;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use newsroom_publish::client::{ClientOptions, WpClient};
use newsroom_publish::profile::{Credentials, Portal, Secret};
use newsroom_publish::test_site;
use newsroom_publish::{Progress, ProgressFn, PublishOptions, Publisher, Store};
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct User {
    pub id: u64,
    pub user: String,
    pub password: String,
    pub display_name: String,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub url: String,
    pub users: std::collections::HashMap<String, User>,
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../..")
        .canonicalize()
        .expect("repo root")
}

/// The test site, or `None` (with the reason printed) when it is not there and not
/// required (`test_site::unavailable` panics when it is).
pub async fn site() -> Option<Site> {
    let path = test_site::state_dir(&repo_root()).join("credentials.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        test_site::unavailable(&format!("{} is absent", path.display()));
        return None;
    };
    let json: Value = serde_json::from_str(&text).expect("credentials.json is JSON");
    let url = json["url"]
        .as_str()
        .expect("url")
        .trim_end_matches('/')
        .to_owned();
    let users = json["users"]
        .as_object()
        .expect("users")
        .iter()
        .map(|(role, u)| {
            (
                role.clone(),
                User {
                    id: u["id"].as_u64().unwrap_or(0),
                    user: u["user"].as_str().unwrap_or("").to_owned(),
                    password: u["password"].as_str().unwrap_or("").to_owned(),
                    display_name: u["display_name"].as_str().unwrap_or("").to_owned(),
                },
            )
        })
        .collect();
    let site = Site { url, users };
    let probe = WpClient::new(
        &site.creds("admin"),
        ClientOptions {
            timeout: Duration::from_secs(5),
            get_retries: 0,
            ..Default::default()
        },
    )
    .expect("client");
    if let Err(e) = probe.get("/", &[("_fields", "name".into())]).await {
        test_site::unavailable(&format!(
            "the test site at {} does not answer ({e})",
            site.url
        ));
        return None;
    }
    Some(site)
}

impl Site {
    pub fn creds(&self, role: &str) -> Credentials {
        self.creds_at(role, &self.url)
    }

    /// Credentials for `role` but at another address (a fault proxy in front of the site).
    pub fn creds_at(&self, role: &str, url: &str) -> Credentials {
        let u = &self.users[role];
        Credentials {
            portal: Portal {
                name: format!("test-{role}"),
                url: url.to_owned(),
                user: u.user.clone(),
            },
            password: Secret::new(u.password.clone()),
        }
    }

    pub fn admin(&self) -> WpClient {
        WpClient::new(&self.creds("admin"), ClientOptions::default()).expect("admin client")
    }
}

/// A drafts folder, a publish database and an index, all private to one test.
pub struct Desk {
    pub dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl Desk {
    pub fn new() -> Desk {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(root.join("images")).expect("drafts");
        let root = root.canonicalize().expect("canonical");
        Desk { dir, root }
    }

    pub fn options(&self) -> PublishOptions {
        PublishOptions {
            index_path: Some(self.dir.path().join("index.sqlite3")),
            retry_base: Duration::from_millis(200),
            retry_max: Duration::from_millis(800),
            outbox_base: Duration::from_millis(300),
            outbox_max: Duration::from_secs(2),
            ..Default::default()
        }
    }

    pub fn store(&self) -> Store {
        Store::open(&self.dir.path().join("publish.sqlite3")).expect("store")
    }

    pub fn publisher(&self, creds: Credentials) -> Publisher {
        self.publisher_with(creds, self.options())
    }

    pub fn publisher_with(&self, creds: Credentials, options: PublishOptions) -> Publisher {
        Publisher::new(self.store(), Arc::new(move |_| Ok(creds.clone())), options)
    }

    pub fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.root.join(rel), text).expect("write draft");
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).expect("read draft")
    }

    /// A small, valid, unique PNG.
    pub fn image(&self, rel: &str, w: u32, h: u32) -> String {
        let bytes = png(w, h, &unique());
        std::fs::write(self.root.join(rel), &bytes).expect("write image");
        newsroom_core::files::content_hash(&bytes)
    }
}

pub fn no_progress() -> ProgressFn {
    Arc::new(|_: &Progress| {})
}

pub fn recording() -> (ProgressFn, Arc<std::sync::Mutex<Vec<Progress>>>) {
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let s2 = seen.clone();
    (
        Arc::new(move |p: &Progress| s2.lock().unwrap().push(p.clone())),
        seen,
    )
}

/// Checks the image steps of a recorded progress: the count starts at 0 (said as the
/// first steps start), rises with each image finished and ends at `total`, every step of
/// one total; the files said as finished are among `files`, each once. Returns them in
/// the order they finished (uploads run a few at once, so any order).
pub fn finished_images(steps: &[Progress], total: usize, files: &[&str]) -> Vec<String> {
    let images: Vec<(usize, usize, String)> = steps
        .iter()
        .filter_map(|p| match p {
            Progress::Image { done, total, file } => Some((*done, *total, file.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(images.first().map(|i| i.0), Some(0), "{steps:?}");
    assert!(images.iter().all(|i| i.1 == total), "{steps:?}");
    assert!(images.windows(2).all(|w| w[0].0 < w[1].0), "{steps:?}");
    assert_eq!(images.last().map(|i| i.0), Some(total), "{steps:?}");
    let finished: Vec<String> = images[1..].iter().map(|i| i.2.clone()).collect();
    for f in &finished {
        assert!(files.contains(&f.as_str()), "{f} in {steps:?}");
        assert_eq!(finished.iter().filter(|g| *g == f).count(), 1, "{steps:?}");
    }
    finished
}

/// A word nobody else uses, to find our posts on the shared test site.
pub fn unique() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "t{:x}{:x}{}",
        nanos,
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Posts (any status but trash) whose text contains `word`, as the admin sees them.
pub async fn posts_with(site: &Site, word: &str) -> Vec<Value> {
    let a = site
        .admin()
        .get(
            "/wp/v2/posts",
            &[
                ("search", word.to_owned()),
                ("status", "any".into()),
                ("context", "edit".into()),
                ("per_page", "100".into()),
            ],
        )
        .await
        .expect("search posts");
    a.body.as_array().cloned().unwrap_or_default()
}

/// Media items whose title/description contains `word`.
pub async fn media_with(site: &Site, word: &str) -> Vec<Value> {
    let a = site
        .admin()
        .get(
            "/wp/v2/media",
            &[
                ("search", word.to_owned()),
                ("context", "edit".into()),
                ("per_page", "100".into()),
            ],
        )
        .await
        .expect("search media");
    a.body.as_array().cloned().unwrap_or_default()
}

pub async fn post(site: &Site, id: u64) -> Value {
    site.admin()
        .get(&format!("/wp/v2/posts/{id}"), &[("context", "edit".into())])
        .await
        .expect("get post")
        .body
}

/// Minimal PNG encoder (RGB, stored deflate blocks): real images WordPress accepts.
pub fn png(w: u32, h: u32, seed: &str) -> Vec<u8> {
    let mut state: u32 = seed.bytes().fold(2166136261u32, |a, b| {
        (a ^ u32::from(b)).wrapping_mul(16777619)
    });
    let mut raw = Vec::with_capacity(((w * 3 + 1) * h) as usize);
    for _ in 0..h {
        raw.push(0);
        for _ in 0..w * 3 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            raw.push((state & 0xff) as u8);
        }
    }
    let mut z = vec![0x78, 0x01];
    let chunks: Vec<&[u8]> = raw.chunks(65535).collect();
    for (i, c) in chunks.iter().enumerate() {
        z.push(u8::from(i == chunks.len() - 1));
        let len = c.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(c);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &x in &raw {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
