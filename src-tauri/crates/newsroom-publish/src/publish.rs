//! Publishing one draft: the job, its attempts, and the steps of an attempt.
//!
//! Exactly once (see `docs/publishing.md`): the job and its idempotency key are written to
//! the publish database before any request. Every step is safe to repeat: tags are found
//! or created (`term_exists`), images are found by hash before being uploaded, and the
//! post carries the key as an invisible marker, so a retry that finds no post id first
//! searches the portal for the marker and adopts what an interrupted attempt created.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use newsroom_core::door::Folder;
use newsroom_core::front_matter::Status;
use newsroom_core::yaml::Value as Yaml;
use newsroom_core::{Draft, files, images, scan};
use serde_json::Value;

use crate::apply::{Sink, apply};
use crate::blocks::{self, MARKER_ATTR};
use crate::client::{ClientOptions, WpClient};
use crate::error::{PublishError, Result};
use crate::media::{ImageFile, Remembered};
use crate::observe::{LocalDraft, Query, observe};
use crate::outbox::backoff;
use crate::outgoing;
pub use crate::plan::PublishPlan;
use crate::plan::{self, Asked};
use crate::profile::Credentials;
use crate::store::{Job, JobRequest, Store};
use crate::write_back::WriteBack;

/// The WordPress status to give the post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PostStatus {
    Draft,
    Pending,
    Publish,
    Future,
}

impl PostStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PostStatus::Draft => "draft",
            PostStatus::Pending => "pending",
            PostStatus::Publish => "publish",
            PostStatus::Future => "future",
        }
    }
}

impl std::str::FromStr for PostStatus {
    type Err = PublishError;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "draft" => Ok(PostStatus::Draft),
            "pending" | "review" => Ok(PostStatus::Pending),
            "publish" | "published" => Ok(PostStatus::Publish),
            "future" | "scheduled" => Ok(PostStatus::Future),
            _ => Err(PublishError::InvalidArgument(format!(
                "unknown status `{s}`: use draft, pending, publish or future"
            ))),
        }
    }
}

/// What to publish, where, how.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PublishRequest {
    /// The drafts folder.
    pub root: PathBuf,
    /// The draft, relative to `root`.
    pub path: String,
    /// The portal profile; `None`: the default one.
    pub portal: Option<String>,
    /// `None`: from the draft (`publish_at` in the future → future; approved → publish;
    /// in review → pending; else draft).
    pub status: Option<PostStatus>,
    /// Replace changes made on the portal since our last publish.
    pub overwrite: bool,
    /// Create a new post whatever post the draft names (it was deleted on the portal, or
    /// the draft claims a post it cannot be shown to own).
    pub republish_new: bool,
}

/// A step of a publish, for the CLI's stderr and the app's progress bar.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Progress {
    Connecting {
        portal: String,
    },
    /// What the publish will do, said before anything is sent: "updates post N, «title»"
    /// or "creates a new post «title»".
    Plan {
        post_id: Option<u64>,
        summary: String,
    },
    Terms,
    Image {
        done: usize,
        total: usize,
        file: String,
    },
    Post {
        action: String,
    },
    FrontMatter,
    Retrying {
        attempt: u32,
        code: String,
        message: String,
        wait_ms: u64,
    },
    Done {
        link: String,
    },
}

impl std::fmt::Display for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Progress::Connecting { portal } => write!(f, "connecting to {portal}"),
            Progress::Plan { summary, .. } => write!(f, "plan: {summary}"),
            Progress::Terms => write!(f, "categories and tags"),
            Progress::Image { done, total, file } => write!(f, "images {done}/{total} ({file})"),
            Progress::Post { action } => write!(f, "post: {action}"),
            Progress::FrontMatter => write!(f, "writing the post id into the draft"),
            Progress::Retrying {
                attempt,
                message,
                wait_ms,
                ..
            } => {
                write!(
                    f,
                    "attempt {attempt} failed ({message}); retrying in {:.1} s",
                    *wait_ms as f64 / 1000.0
                )
            }
            Progress::Done { link } => write!(f, "done: {link}"),
        }
    }
}

pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// A post on the portal, as this publish left it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Published {
    pub job_key: String,
    pub portal: String,
    pub path: String,
    pub post_id: u64,
    pub link: String,
    pub status: String,
    pub modified_gmt: String,
    /// A new post (not an update, not an adopted one).
    pub created: bool,
    /// An interrupted attempt's post was found by its marker and completed.
    pub adopted: bool,
    pub images_uploaded: usize,
    pub images_reused: usize,
    /// Things the user should know (byline, dropped categories…).
    pub warnings: Vec<String>,
    /// Time spent waiting on the portal, and in all.
    pub http_ms: u64,
    pub total_ms: u64,
}

/// How a publish ended when it did not fail.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PublishOutcome {
    Published(Published),
    /// The portal could not be reached: the publish waits in the outbox.
    Queued {
        job_key: String,
        portal: String,
        path: String,
        code: String,
        message: String,
        next_attempt_ms: i64,
    },
}

/// Tuning, mostly for tests.
#[derive(Debug, Clone)]
pub struct PublishOptions {
    pub client: ClientOptions,
    /// Attempts within one call before leaving the job to the outbox.
    pub attempts: u32,
    pub retry_base: Duration,
    pub retry_max: Duration,
    /// First wait of a job left in the outbox.
    pub outbox_base: Duration,
    pub outbox_max: Duration,
    /// Where the drafts folder's index is (`None`: the core's default in the data folder).
    pub index_path: Option<PathBuf>,
}

impl Default for PublishOptions {
    fn default() -> Self {
        PublishOptions {
            client: ClientOptions::default(),
            attempts: 3,
            retry_base: Duration::from_millis(500),
            retry_max: Duration::from_secs(4),
            outbox_base: Duration::from_secs(15),
            outbox_max: Duration::from_secs(15 * 60),
            index_path: None,
        }
    }
}

/// Finds a portal's credentials by profile name (`None`: the default portal).
pub type Resolver = Arc<dyn Fn(Option<&str>) -> Result<Credentials> + Send + Sync>;

/// Publishes drafts; cheap to clone, shared by the CLI, the app and the outbox.
#[derive(Clone)]
pub struct Publisher {
    store: Store,
    resolve: Resolver,
    pub options: PublishOptions,
    /// The caller's open drafts folder, which takes the write-back (see `write_back.rs`).
    write_back: Option<Arc<dyn WriteBack>>,
}

impl Publisher {
    pub fn new(store: Store, resolve: Resolver, options: PublishOptions) -> Publisher {
        Publisher {
            store,
            resolve,
            options,
            write_back: None,
        }
    }

    /// Writes each publish's result through the caller's open drafts folder (the app's
    /// workspace, the CLI's one workspace) instead of opening the folder again.
    pub fn with_write_back(mut self, target: Arc<dyn WriteBack>) -> Publisher {
        self.write_back = Some(target);
        self
    }

    /// The publisher the CLI and the app use: store in the data folder, profiles from the
    /// config folder, passwords from the keyring / file / `NEWSROOM_PORTAL_PASSWORD`.
    pub fn from_env() -> Result<Publisher> {
        let store = Store::open(&Store::default_path())?;
        Ok(Publisher::new(
            store,
            Arc::new(crate::profile::credentials),
            PublishOptions::default(),
        ))
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn credentials(&self, portal: Option<&str>) -> Result<Credentials> {
        (self.resolve)(portal)
    }

    /// Publishes a draft. A portal that cannot be reached is not an error: the publish
    /// goes to the outbox ([`PublishOutcome::Queued`]).
    pub async fn publish(
        &self,
        req: PublishRequest,
        progress: ProgressFn,
    ) -> Result<PublishOutcome> {
        let creds = self.credentials(req.portal.as_deref())?;
        let root = req
            .root
            .canonicalize()
            .map_err(|e| PublishError::io(&req.root, e))?;
        let request = JobRequest {
            status: req.status.map(|s| s.as_str().to_owned()),
            overwrite: req.overwrite,
            republish_new: req.republish_new,
        };
        let (store, portal, path) = (
            self.store.clone(),
            creds.portal.name.clone(),
            req.path.clone(),
        );
        let job = blocking(move || store.job_for(&portal, &root, &path, &request)).await?;
        self.run_job(job, creds, progress).await
    }

    /// Runs a job already in the store (the outbox's way in).
    pub async fn run_key(&self, key: &str, progress: ProgressFn) -> Result<PublishOutcome> {
        let (store, k) = (self.store.clone(), key.to_owned());
        let job = blocking(move || store.job(&k)).await?.ok_or_else(|| {
            PublishError::InvalidArgument(format!("no publish job {key} in the outbox"))
        })?;
        let creds = self.credentials(Some(&job.portal))?;
        self.run_job(job, creds, progress).await
    }

    async fn run_job(
        &self,
        job: Job,
        creds: Credentials,
        progress: ProgressFn,
    ) -> Result<PublishOutcome> {
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            // Counted before anything that could bring the process down (a crash in the
            // serialiser aborts it): a job that does so twice is parked, not retried.
            {
                let (store, key) = (self.store.clone(), job.key.clone());
                blocking(move || store.start_attempt(&key)).await?;
            }
            let result = self.attempt(&job, &creds, &progress).await;
            let store = self.store.clone();
            let key = job.key.clone();
            match result {
                Ok(p) => {
                    blocking(move || store.finish(&key)).await?;
                    progress(&Progress::Done {
                        link: p.link.clone(),
                    });
                    return Ok(PublishOutcome::Published(p));
                }
                Err(e) if e.is_transient() && attempt < self.options.attempts => {
                    let wait = backoff(attempt, self.options.retry_base, self.options.retry_max);
                    progress(&Progress::Retrying {
                        attempt,
                        code: e.code().into(),
                        message: e.to_string(),
                        wait_ms: wait.as_millis() as u64,
                    });
                    let (code, msg) = (e.code(), e.to_string());
                    blocking(move || store.record_failure(&key, code, &msg, Some(wait))).await?;
                    tokio::time::sleep(wait).await;
                }
                Err(e) if e.is_transient() => {
                    let n = job.attempts + attempt;
                    let wait = backoff(n, self.options.outbox_base, self.options.outbox_max);
                    let (code, msg) = (e.code(), e.to_string());
                    blocking(move || store.record_failure(&key, code, &msg, Some(wait))).await?;
                    return Ok(PublishOutcome::Queued {
                        job_key: job.key.clone(),
                        portal: job.portal.clone(),
                        path: job.path.clone(),
                        code: e.code().into(),
                        message: e.to_string(),
                        next_attempt_ms: crate::store::now_ms() + wait.as_millis() as i64,
                    });
                }
                Err(e) => {
                    let (code, msg) = (e.code(), e.to_string());
                    blocking(move || store.record_failure(&key, code, &msg, None)).await?;
                    return Err(e);
                }
            }
        }
    }

    /// One attempt: observe (reads only), plan (pure), apply (every write safe to repeat).
    async fn attempt(
        &self,
        job: &Job,
        creds: &Credentials,
        progress: &ProgressFn,
    ) -> Result<Published> {
        let started = Instant::now();
        let client = WpClient::new(creds, self.options.client.clone())?;
        progress(&Progress::Connecting {
            portal: format!("{} ({})", creds.portal.name, client.base()),
        });
        let local = read_local(&job.root, &job.path).await?;
        let requested = job
            .request
            .status
            .as_deref()
            .map(str::parse::<PostStatus>)
            .transpose()?;
        let query = Query {
            portal: &job.portal,
            root: &job.root,
            path: &job.path,
            republish_new: job.request.republish_new,
            job_marker: Some(format!("nr{}", job.key)),
        };
        let observed = observe(&client, &self.store, query, local).await?;
        let plan = plan::plan(
            &observed,
            &Asked {
                status: requested,
                overwrite: job.request.overwrite,
                republish_new: job.request.republish_new,
                now: time::OffsetDateTime::now_utc(),
            },
        )
        .ready()?;
        progress(&Progress::Plan {
            post_id: plan.post_id,
            summary: plan.summary.clone(),
        });
        let sink = Sink {
            store: self.store.clone(),
            write_back: self.write_back.clone(),
            index: self.options.index_path.clone(),
        };
        let mut published = apply(&client, &sink, job, &observed, plan, progress).await?;
        published.total_ms = started.elapsed().as_millis() as u64;
        Ok(published)
    }
}

/// The draft and its images, read and checked through the door before any request.
async fn read_local(root: &Path, path: &str) -> Result<LocalDraft> {
    let (root, path) = (root.to_path_buf(), path.to_owned());
    blocking(move || {
        let (draft, title) = read_draft(&root, &path)?;
        let images = local_image_files(&draft, &root, &path)?;
        Ok(LocalDraft {
            file: abs_path(&root, &path).display().to_string(),
            draft,
            title,
            images,
        })
    })
    .await
}

pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| PublishError::InvalidArgument(format!("background task failed: {e}")))?
}

pub(crate) fn open_workspace(
    root: &Path,
    index: Option<&Path>,
) -> Result<(newsroom_core::Workspace, newsroom_core::scan::ScanReport)> {
    Ok(match index {
        Some(i) => newsroom_core::Workspace::open_with_index(root, i)?,
        None => newsroom_core::Workspace::open(root)?,
    })
}

pub(crate) use newsroom_core::scan::abs_path;

fn read_draft(root: &Path, path: &str) -> Result<(Draft, String)> {
    let abs = abs_path(root, path);
    if newsroom_core::conflict::is_conflict_copy(path) {
        return Err(PublishError::ConflictCopy {
            file: abs.display().to_string(),
        });
    }
    // The draft's text goes to the portal: read it through the same door as images (a
    // draft that is a symbolic link to a file elsewhere is not published).
    let outside = |reason: String| PublishError::OutsideFolder {
        file: abs.display().to_string(),
        reason,
    };
    let folder = Folder::open(root).map_err(|e| outside(e.to_string()))?;
    let bytes = outgoing::read_inside(&folder, path, newsroom_core::door::FileKind::Draft)
        .map_err(outside)?;
    let text = files::decode_draft(bytes).map_err(|e| e.in_file(&abs))?;
    let draft = Draft::parse(&text).map_err(|e| e.in_file(&abs))?;
    // Before the first request, and the cheap scan before any parser sees the body (the
    // image scan parses it too).
    if let Err(e) = blocks::check_depth(draft.body()) {
        return Err(PublishError::TooDeep {
            file: abs.display().to_string(),
            line: e.line + draft.layout().body_line_offset,
            depth: e.depth,
            max: blocks::MAX_NESTING,
        });
    }
    let open = newsroom_core::review::critic::unresolved(&text);
    if let Some(first) = open.first() {
        return Err(PublishError::UnresolvedMarks {
            file: abs.display().to_string(),
            line: first.line,
            count: open.len(),
        });
    }
    let title = draft.display_title(&scan::file_title(path));
    Ok((draft, title))
}

/// The status and date to send, from the request and the draft.
pub fn decide_status(
    requested: Option<PostStatus>,
    fm: &newsroom_core::FrontMatter,
    now: time::OffsetDateTime,
) -> Result<(PostStatus, Option<String>)> {
    let when = match fm.publish_at.as_deref() {
        Some(s) => Some(
            newsroom_core::front_matter::parse_rfc3339(s).map_err(PublishError::InvalidArgument)?,
        ),
        None => None,
    };
    // WordPress publishes at once anything less than a minute ahead.
    let future = when.filter(|w| *w > now + time::Duration::seconds(60));
    let status = match requested {
        Some(s) => s,
        None => match fm.status {
            Status::Approved | Status::Scheduled | Status::Published if future.is_some() => {
                PostStatus::Future
            }
            Status::Approved | Status::Scheduled | Status::Published => PostStatus::Publish,
            Status::InReview => PostStatus::Pending,
            Status::Draft | Status::ChangesRequested => PostStatus::Draft,
        },
    };
    let status = match (status, future) {
        (PostStatus::Publish, Some(_)) => PostStatus::Future,
        (PostStatus::Future, None) => {
            return Err(PublishError::InvalidArgument(
                "status future needs a `publish_at` in the future in the draft (like 2026-11-26T09:30:00+01:00)".into(),
            ));
        }
        (s, _) => s,
    };
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let date_gmt = future.and_then(|w| w.to_offset(time::UtcOffset::UTC).format(&fmt).ok());
    Ok((status, date_gmt))
}

/// The draft's local images, each checked and read through [`outgoing::read_image`]:
/// anything that may not leave the computer stops the publish with `FILE:LINE: image …`.
fn local_image_files(draft: &Draft, root: &Path, path: &str) -> Result<Vec<ImageFile>> {
    let draft_dir = newsroom_core::workspace_path::folder_of(path);
    let file = abs_path(root, path).display().to_string();
    if let Some((line, src)) = raw_local_img(draft) {
        return Err(PublishError::ImageRefused {
            file,
            line,
            image: src,
            reason: "a raw <img> with a local address is not published; write it as ![alt](path), so the file is checked and uploaded like every image".into(),
        });
    }
    let mut out: Vec<ImageFile> = Vec::new();
    let mut total = 0u64;
    let found = images::local_images(draft, draft_dir);
    if found.is_empty() {
        return Ok(out);
    }
    // one door for all of the draft's images
    let folder = Folder::open(root)?;
    for img in found {
        if let Some(existing) = out.iter_mut().find(|f| f.written == img.url) {
            existing.featured |= img.featured;
            continue;
        }
        let refused = |reason: String| PublishError::ImageRefused {
            file: file.clone(),
            line: img.line,
            image: img.url.clone(),
            reason,
        };
        let Some(rel) = img.resolved.as_deref() else {
            return Err(refused(
                "it is outside the drafts folder; move it inside".into(),
            ));
        };
        let read = outgoing::read_image(&folder, rel).map_err(refused)?;
        total += read.bytes.len() as u64;
        if total > outgoing::MAX_DRAFT_IMAGE_BYTES {
            return Err(refused(format!(
                "the draft's images add up to more than {} MB; publish fewer or smaller images",
                outgoing::MAX_DRAFT_IMAGE_BYTES / 1048576
            )));
        }
        out.push(ImageFile {
            written: img.url,
            abs: abs_path(root, rel),
            alt: img.alt,
            featured: img.featured,
            bytes: Arc::new(read.bytes),
            kind: read.kind,
        });
    }
    Ok(out)
}

/// The first `<img src>` in the draft's raw HTML blocks whose address is not a web
/// address (`images/a.png`, `/etc/x`, `file:…`), with its line in the file.
fn raw_local_img(draft: &Draft) -> Option<(usize, String)> {
    use comrak::nodes::NodeValue;
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(
        &arena,
        draft.body(),
        &newsroom_core::render::comrak_options(true),
    );
    let offset = draft.layout().body_line_offset;
    for node in root.descendants() {
        let (html, line) = match &node.data().value {
            NodeValue::HtmlBlock(b) => (b.literal.clone(), node.data().sourcepos.start.line),
            NodeValue::HtmlInline(h) => (h.to_string(), node.data().sourcepos.start.line),
            _ => continue,
        };
        for (at, src) in img_sources(&html) {
            let l = src.trim().to_ascii_lowercase();
            let web = l.starts_with("https://") || l.starts_with("http://");
            if !web && !src.trim().is_empty() {
                let within = html[..at].matches('\n').count();
                return Some((line + offset + within, src));
            }
        }
    }
    None
}

/// `src` values of `<img …>` tags in an HTML fragment, with their byte offsets.
fn img_sources(html: &str) -> Vec<(usize, String)> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<img") {
        let start = from + i;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        let mut k = 0;
        while let Some(j) = tag[k..].find("src") {
            let pos = k + j;
            let before_ok = tag[..pos].ends_with(|c: char| c.is_whitespace() || c == '/');
            let rest = tag[pos + 3..].trim_start();
            if before_ok && rest.starts_with('=') {
                let v = rest[1..].trim_start();
                let vstart = end - v.len(); // `v` is a suffix of the tag
                let raw = &html[vstart..end];
                let value = match raw.chars().next() {
                    Some(q @ ('"' | '\'')) => raw[1..].split(q).next().unwrap_or(""),
                    _ => raw
                        .split(|c: char| c.is_whitespace() || c == '>')
                        .next()
                        .unwrap_or(""),
                };
                out.push((start, value.to_owned()));
                break;
            }
            k = pos + 3;
        }
        from = end.max(start + 4);
    }
    out
}

/// The publish marker in a post's raw content (`nr` + a job key), if any.
pub fn marker_in_content(raw: &str) -> Option<String> {
    let key = format!("\"{MARKER_ATTR}\":\"");
    let start = raw.find(&key)? + key.len();
    let rest = &raw[start..];
    let end = rest.find('"')?;
    let m = &rest[..end];
    (m.starts_with("nr") && m.len() > 2 && m.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| m.to_owned())
}

fn content_has_marker(post: &Value, marker: &str) -> bool {
    post.pointer("/content/raw")
        .and_then(Value::as_str)
        .is_some_and(|raw| raw.contains(&format!("\"{MARKER_ATTR}\":\"{marker}\"")))
}

/// Searches the portal for a post carrying `marker` (any status but trash).
pub async fn find_by_marker(client: &WpClient, marker: &str) -> Result<Option<u64>> {
    let answer = client
        .get(
            "/wp/v2/posts",
            &[
                ("search", marker.to_owned()),
                ("status", "any".into()),
                ("context", "edit".into()),
                ("per_page", "10".into()),
                ("_fields", "id,content".into()),
            ],
        )
        .await?;
    Ok(answer
        .body
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| content_has_marker(p, marker))
        .and_then(|p| p.get("id")?.as_u64()))
}

impl Publisher {
    /// The pre-flight: what publishing this draft would do, found with GETs only (the
    /// draft and its images are checked as a publish checks them, the post it names is
    /// checked for ownership and changes). Nothing is sent and no job is written; the
    /// first thing that would stop the publish is the error.
    pub async fn plan(&self, req: &PublishRequest) -> Result<PublishPlan> {
        let creds = self.credentials(req.portal.as_deref())?;
        let root = req
            .root
            .canonicalize()
            .map_err(|e| PublishError::io(&req.root, e))?;
        let client = WpClient::new(&creds, self.options.client.clone())?;
        let local = read_local(&root, &req.path).await?;
        // The job a publish would reuse: its marker finds a post an interrupted attempt made.
        let unfinished = {
            let (s, p, r, d) = (
                self.store.clone(),
                creds.portal.name.clone(),
                root.clone(),
                req.path.clone(),
            );
            blocking(move || s.unfinished_job(&p, &r, &d)).await?
        };
        let query = Query {
            portal: &creds.portal.name,
            root: &root,
            path: &req.path,
            republish_new: req.republish_new,
            job_marker: unfinished.map(|j| format!("nr{}", j.key)),
        };
        let observed = observe(&client, &self.store, query, local).await?;
        plan::plan(
            &observed,
            &Asked {
                status: req.status,
                overwrite: req.overwrite,
                republish_new: req.republish_new,
                now: time::OffsetDateTime::now_utc(),
            },
        )
        .ready()
    }
}

/// The draft's `portal:` mapping: which post it is on which portal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PortalRecord {
    pub name: String,
    pub url: String,
    pub post_id: Option<u64>,
    pub link: String,
    pub status: String,
    pub modified_gmt: Option<String>,
    /// The publish marker our last publish of this draft put in the post (`nr` + job
    /// key): the post carrying it is how a draft shows it owns `post_id`.
    pub marker: Option<String>,
    pub media: HashMap<String, Remembered>,
    pub media_urls: HashMap<String, String>,
}

impl PortalRecord {
    /// The record when it is about this portal (same address, or same profile name when
    /// the record has no address).
    pub fn from_draft(draft: &Draft, base_url: &str, profile: &str) -> Option<PortalRecord> {
        let v = draft.front_matter_value("portal")?;
        let text = |k: &str| v.get(k).and_then(Yaml::scalar_text).unwrap_or_default();
        let record_url = text("url").trim_end_matches('/').to_owned();
        let same = if record_url.is_empty() {
            text("name") == profile
        } else {
            record_url == base_url
        };
        if !same {
            return None;
        }
        let mut media = HashMap::new();
        let mut media_urls = HashMap::new();
        if let Some(Yaml::Map(entries)) = v.get("media") {
            for (k, m) in entries {
                let id = m
                    .get("id")
                    .and_then(Yaml::scalar_text)
                    .and_then(|s| s.parse().ok());
                let sha = m.get("sha256").and_then(Yaml::scalar_text);
                if let (Some(id), Some(sha256)) = (id, sha) {
                    media.insert(k.clone(), Remembered { id, sha256 });
                }
                if let Some(u) = m.get("url").and_then(Yaml::scalar_text) {
                    media_urls.insert(k.clone(), u);
                }
            }
        }
        Some(PortalRecord {
            name: text("name"),
            url: record_url,
            post_id: text("post_id").parse().ok(),
            link: text("link"),
            status: text("status"),
            modified_gmt: Some(text("modified_gmt")).filter(|s| !s.is_empty()),
            marker: Some(text("marker")).filter(|s| !s.is_empty()),
            media,
            media_urls,
        })
    }

    pub fn to_yaml(&self) -> Yaml {
        let s = |v: &str| Yaml::Str(v.to_owned());
        let mut entries = vec![
            ("name".to_owned(), s(&self.name)),
            ("url".to_owned(), s(&self.url)),
        ];
        if let Some(id) = self.post_id {
            entries.push(("post_id".into(), Yaml::Int(id as i64)));
        }
        entries.push(("link".into(), s(&self.link)));
        entries.push(("status".into(), s(&self.status)));
        if let Some(m) = &self.modified_gmt {
            entries.push(("modified_gmt".into(), s(m)));
        }
        if let Some(m) = &self.marker {
            entries.push(("marker".into(), s(m)));
        }
        if !self.media.is_empty() {
            let mut keys: Vec<&String> = self.media.keys().collect();
            keys.sort();
            let media = keys
                .into_iter()
                .map(|k| {
                    let m = &self.media[k];
                    let mut e = vec![
                        ("id".to_owned(), Yaml::Int(m.id as i64)),
                        ("sha256".to_owned(), s(&m.sha256)),
                    ];
                    if let Some(u) = self.media_urls.get(k) {
                        e.push(("url".to_owned(), s(u)));
                    }
                    (k.clone(), Yaml::Map(e))
                })
                .collect();
            entries.push(("media".into(), Yaml::Map(media)));
        }
        Yaml::Map(entries)
    }
}

/// Writes the portal record (and the workflow status) into the draft; the body stays byte
/// for byte, and the index learns the change. Through the caller's open folder when it is
/// this one; otherwise the folder is opened for it.
pub(crate) fn write_back(
    target: Option<&dyn WriteBack>,
    root: &Path,
    index: Option<&Path>,
    path: &str,
    record: &PortalRecord,
) -> Result<()> {
    let changes = crate::write_back::changes(record);
    if let Some(open) = target {
        if open.record_publication(root, path, &changes)? {
            return Ok(());
        }
    }
    let (mut ws, _) = open_workspace(root, index)?;
    ws.record_publication(path, &changes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn drafts_with_open_suggestions_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.md"),
            "---\ntitle: x\n---\nClean line.\n\nTalks {++resumed++} today{>>EM: source?<<}.\n",
        )
        .unwrap();
        let err = super::read_draft(dir.path(), "a.md").unwrap_err();
        assert_eq!(err.code(), "unresolved_marks");
        assert!(err.to_string().contains("a.md:6: 2 open"), "{err}");
        std::fs::write(
            dir.path().join("b.md"),
            "---\ntitle: x\n---\n`{++code++}` is fine\n",
        )
        .unwrap();
        assert!(super::read_draft(dir.path(), "b.md").is_ok());
    }

    use super::*;
    use crate::plan::{Target, plan_summary};
    use newsroom_core::front_matter_edit::Change;

    fn fm(text: &str) -> newsroom_core::FrontMatter {
        Draft::parse(text).unwrap().front_matter
    }

    #[test]
    fn a_conflict_copy_is_never_published() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let text = "---\ntitle: Minsk\nstatus: approved\n---\nBody\n";
        std::fs::write(root.join("minsk.md"), text).unwrap();
        std::fs::write(root.join("minsk.conflict-20261126-093000.md"), text).unwrap();
        assert!(read_draft(&root, "minsk.md").is_ok());
        let err = read_draft(&root, "minsk.conflict-20261126-093000.md").unwrap_err();
        assert_eq!(err.code(), "conflict_copy");
        assert!(err.to_string().contains("never published"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_draft_linked_out_of_the_folder_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(&root).unwrap();
        let root = root.canonicalize().unwrap();
        std::fs::write(dir.path().join("secret.md"), "---\ntitle: S\n---\nSECRET\n").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.md"), root.join("story.md")).unwrap();
        let err = read_draft(&root, "story.md").unwrap_err();
        assert_eq!(err.code(), "outside_folder");
        assert!(err.to_string().contains("symbolic link"), "{err}");
        let err = read_draft(&root, "../secret.md").unwrap_err();
        assert_eq!(err.code(), "outside_folder");
    }

    #[test]
    fn raw_img_tags_with_local_addresses_are_found_with_their_line() {
        let d = Draft::parse(
            "---\ntitle: x\n---\nIntro.\n\n<figure>\n<IMG alt=\"a\" SRC='https://p.example/a.png'>\n<img src=\"../../etc/passwd\">\n</figure>\n",
        )
        .unwrap();
        assert_eq!(raw_local_img(&d), Some((8, "../../etc/passwd".into())));
        let ok =
            Draft::parse("---\ntitle: x\n---\n<p><img src=\"https://x/a.png\"></p>\n").unwrap();
        assert_eq!(raw_local_img(&ok), None);
        assert_eq!(
            img_sources("<img alt=x src=/a.png><img data-src=\"y\" src=\"b\">")
                .into_iter()
                .map(|(_, s)| s)
                .collect::<Vec<_>>(),
            vec!["/a.png", "b"]
        );
    }

    #[test]
    fn images_are_capped_per_draft_in_all() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("images")).unwrap();
        let mut body = String::from("---\ntitle: x\n---\n");
        for i in 0..9 {
            let f = std::fs::File::create(root.join(format!("images/{i}.png"))).unwrap();
            use std::io::Write;
            (&f).write_all(b"\x89PNG\r\n\x1a\n").unwrap();
            f.set_len(30 * 1024 * 1024).unwrap();
            body.push_str(&format!("![{i}](images/{i}.png)\n\n"));
        }
        std::fs::write(root.join("a.md"), &body).unwrap();
        let (draft, _) = read_draft(&root, "a.md").unwrap();
        let err = local_image_files(&draft, &root, "a.md").unwrap_err();
        assert_eq!(err.code(), "image");
        let msg = err.to_string();
        assert!(msg.contains("a.md:20: image `images/8.png`"), "{msg}");
        assert!(msg.contains("more than 256 MB"), "{msg}");
    }

    #[test]
    fn the_plan_says_which_post_and_why() {
        let update = Target {
            post_id: Some(1234),
            portal_title: "Talks stall".into(),
            trusted_by: "marker",
            ..Default::default()
        };
        assert_eq!(
            plan_summary(&update, "Talks stall", PostStatus::Publish, 0),
            "updates post 1234, «Talks stall» as publish (the post carries this draft's marker)"
        );
        assert_eq!(
            plan_summary(&update, "Talks resume", PostStatus::Draft, 2),
            "updates post 1234, «Talks stall» (retitled «Talks resume») as draft, with 2 local image(s) (the post carries this draft's marker)"
        );
        assert_eq!(
            plan_summary(&Target::default(), "New", PostStatus::Pending, 0),
            "creates a new post «New» as pending"
        );
        let adopted = Target {
            post_id: Some(7),
            adopted: true,
            ..Default::default()
        };
        assert!(plan_summary(&adopted, "X", PostStatus::Draft, 0).starts_with("completes post 7"));
    }

    #[test]
    fn status_from_request_and_draft() {
        let now = time::macros::datetime!(2026-11-26 10:00 UTC);
        let future = fm("---\nstatus: approved\npublish_at: 2026-11-27T09:30:00+01:00\n---\n");
        assert_eq!(
            decide_status(None, &future, now).unwrap(),
            (PostStatus::Future, Some("2026-11-27T08:30:00".into()))
        );
        assert_eq!(
            decide_status(Some(PostStatus::Publish), &future, now)
                .unwrap()
                .0,
            PostStatus::Future
        );
        assert_eq!(
            decide_status(Some(PostStatus::Draft), &future, now)
                .unwrap()
                .0,
            PostStatus::Draft
        );
        let past = fm("---\nstatus: approved\npublish_at: 2026-11-20T09:30:00+01:00\n---\n");
        assert_eq!(
            decide_status(None, &past, now).unwrap(),
            (PostStatus::Publish, None)
        );
        assert_eq!(
            decide_status(Some(PostStatus::Future), &past, now)
                .unwrap_err()
                .code(),
            "invalid_argument"
        );
        assert_eq!(
            decide_status(None, &fm("---\nstatus: in-review\n---\n"), now)
                .unwrap()
                .0,
            PostStatus::Pending
        );
        assert_eq!(
            decide_status(None, &fm("---\ntitle: x\n---\n"), now)
                .unwrap()
                .0,
            PostStatus::Draft
        );
    }

    #[test]
    fn portal_record_round_trips_through_front_matter() {
        let mut r = PortalRecord {
            name: "local".into(),
            url: "http://127.0.0.1:8089".into(),
            post_id: Some(12),
            link: "http://127.0.0.1:8089/x/".into(),
            status: "publish".into(),
            modified_gmt: Some("2026-11-26T15:39:11".into()),
            marker: Some("nr0123456789abcdef0123".into()),
            ..Default::default()
        };
        r.media.insert(
            "images/a b.jpg".into(),
            Remembered {
                id: 5,
                sha256: "ab".repeat(32),
            },
        );
        r.media_urls.insert(
            "images/a b.jpg".into(),
            "http://127.0.0.1:8089/wp-content/uploads/a-b.jpg".into(),
        );
        let text = newsroom_core::workspace::update_front_matter(
            "---\ntitle: T\n---\nBody\n",
            &[Change::set("portal", r.to_yaml())],
        )
        .unwrap();
        assert!(text.ends_with("---\nBody\n"), "{text}");
        let d = Draft::parse(&text).unwrap();
        assert_eq!(
            PortalRecord::from_draft(&d, "http://127.0.0.1:8089", "other-name"),
            Some(r.clone())
        );
        assert_eq!(
            PortalRecord::from_draft(&d, "https://elsewhere.example", "local"),
            None
        );
    }
}
