//! What a publish is asked (`PublishRequest`, `PostStatus`, `PublishOptions`) and what it
//! reports (`Progress`, `Published`, `PublishOutcome`): the vocabulary shared by the plan,
//! its application, the outbox and the callers, below all of them.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::client::ClientOptions;
use crate::error::{PublishError, Result};

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
    /// How many images are uploaded at once (at least 1; see
    /// [`crate::media::CONCURRENT_UPLOADS`]).
    pub concurrent_uploads: usize,
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
            concurrent_uploads: crate::media::CONCURRENT_UPLOADS,
        }
    }
}
