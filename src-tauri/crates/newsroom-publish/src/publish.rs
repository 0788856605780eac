//! Publishing one draft: the job, its attempts, and the steps of an attempt.
//!
//! Exactly once (see `docs/publishing.md`): the job and its idempotency key are written to
//! the publish database before any request. Every step is safe to repeat: tags are found
//! or created (`term_exists`), images are found by hash before being uploaded, and the
//! post carries the key as an invisible marker, so a retry that finds no post id first
//! searches the portal for the marker and adopts what an interrupted attempt created.

use std::sync::Arc;
use std::time::Instant;

use crate::apply::{Sink, apply};
use crate::backoff::backoff;
use crate::client::WpClient;
use crate::error::{PublishError, Result};
use crate::local::read_local;
pub use crate::marker::{find_by_marker, marker_in_content};
use crate::observe::{Query, observe};
pub use crate::plan::PublishPlan;
pub use crate::plan::decide_status;
use crate::plan::{self, Asked};
use crate::profile::Credentials;
pub use crate::record::PortalRecord;
pub use crate::request::{
    PostStatus, Progress, ProgressFn, PublishOptions, PublishOutcome, PublishRequest, Published,
};
use crate::runtime::blocking;
use crate::store::{Job, JobRequest, Store};
use crate::write_back::WriteBack;

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
            uploads_at_once: self.options.concurrent_uploads,
        };
        let mut published = apply(&client, &sink, job, &observed, plan, progress).await?;
        published.total_ms = started.elapsed().as_millis() as u64;
        Ok(published)
    }
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
