//! Publishing one draft: the job, its attempts, and the steps of an attempt.
//!
//! Exactly once (see `docs/publishing.md`): the job and its idempotency key are written to
//! the publish database before any request. Every step is safe to repeat: tags are found
//! or created (`term_exists`), images are found by hash before being uploaded, and the
//! post carries the key as an invisible marker, so a retry that finds no post id first
//! searches the portal for the marker and adopts what an interrupted attempt created.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use newsroom_core::front_matter::Status;
use serde_json::Value;

use crate::apply::{Sink, apply};
use crate::blocks::MARKER_ATTR;
use crate::client::{ClientOptions, WpClient};
use crate::error::{PublishError, Result};
use crate::local::read_local;
use crate::observe::{Query, observe};
use crate::outbox::backoff;
pub use crate::plan::PublishPlan;
use crate::plan::{self, Asked};
use crate::profile::Credentials;
pub use crate::record::PortalRecord;
use crate::store::{Job, JobRequest, Store};
use crate::write_back::WriteBack;

/// The WordPress status to give the post.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    use super::*;
    use crate::plan::{Target, plan_summary};
    use newsroom_core::Draft;

    fn fm(text: &str) -> newsroom_core::FrontMatter {
        Draft::parse(text).unwrap().front_matter
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
}
