//! The publish plan: what a publish will do, decided from what was observed, with no I/O.
//!
//! A publish runs in three phases (see `docs/publishing.md`):
//! 1. **observe** (`observe.rs`): the draft read through the door, this computer's store,
//!    and what the portal says, found with GETs only;
//! 2. **plan** ([`plan`], here): a pure function of what was observed and what was asked
//!    → a [`PublishPlan`]: create or update which post (the draft never chooses its
//!    post), with which status and date, which images to reuse or upload, which tags to
//!    create, the byline, and the list of what stops the publish;
//! 3. **apply** (`apply.rs`): the plan's writes, each safe to repeat.
//!
//! Being pure, the decisions are tested here as a table of cases, without a portal.

use std::collections::HashMap;

use newsroom_core::{Draft, FrontMatter};
use serde_json::Value;

use crate::blocks::MARKER_ATTR;
use crate::byline::Byline;
use crate::client::map_wp_error;
use crate::error::PublishError;
use crate::error::Result;
use crate::media::{ImageFile, MediaSeen, verified_for};
use crate::portal::Me;
use crate::record::PortalRecord;
use crate::request::PostStatus;
use crate::store::{KnownPost, Term};
use crate::terms::{match_categories, match_tags};
use newsroom_core::front_matter::Status;

/// A post as the portal shows it (`GET /posts/ID?context=edit`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PortalPost {
    pub title: String,
    pub status: String,
    pub modified_gmt: String,
    pub link: String,
    /// The raw block content, where the publish markers are.
    pub content_raw: String,
}

impl PortalPost {
    pub fn from_json(post: &Value) -> PortalPost {
        let text = |p: &str| {
            post.pointer(p)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        let title = post
            .pointer("/title/raw")
            .or_else(|| post.pointer("/title/rendered"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        PortalPost {
            title,
            status: text("/status"),
            modified_gmt: text("/modified_gmt"),
            link: text("/link"),
            content_raw: text("/content/raw"),
        }
    }

    /// Whether the post's content carries the publish marker `marker` (`nr` + key).
    pub fn carries(&self, marker: &str) -> bool {
        marker.len() > 2
            && self
                .content_raw
                .contains(&format!("\"{MARKER_ATTR}\":\"{marker}\""))
    }
}

/// What was found about the post this draft may already be.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostSeen {
    /// The post the draft's `portal.post_id` claims, else the one this computer last
    /// published for it (`None` with `--republish-new`).
    pub claimed: Option<u64>,
    /// That post on the portal; `None`: it is gone (404/410).
    pub on_portal: Option<PortalPost>,
    /// This computer's record that the post belongs to this draft.
    pub known: Option<KnownPost>,
    /// With nothing claimed: a post carrying this job's marker (an interrupted attempt).
    pub adoptable: Option<u64>,
}

/// Everything a plan is made from.
#[derive(Debug, Clone)]
pub struct Observed {
    /// The portal profile's name, its address and user (for messages).
    pub portal: String,
    pub base_url: String,
    pub user: String,
    /// The draft as a path for messages, as parsed, and its title.
    pub file: String,
    pub draft: Draft,
    pub title: String,
    /// Its local images, read through the door.
    pub images: Vec<ImageFile>,
    /// Its `portal:` record for this portal.
    pub record: Option<PortalRecord>,
    /// The marker of the job this publish runs as (`nr` + key), if any.
    pub job_marker: Option<String>,
    pub me: Me,
    pub post: PostSeen,
    /// The portal's categories and the tags that may match the draft's.
    pub categories: Vec<Term>,
    pub tags: Vec<Term>,
    pub media: MediaSeen,
    /// The draft has footnotes and the portal has the native footnotes block.
    pub native_footnotes: bool,
    pub byline: Byline,
}

impl Observed {
    pub fn front_matter(&self) -> &FrontMatter {
        &self.draft.front_matter
    }
}

/// What the person asked for.
#[derive(Debug, Clone, Copy)]
pub struct Asked {
    pub status: Option<PostStatus>,
    pub overwrite: bool,
    pub republish_new: bool,
    pub now: time::OffsetDateTime,
}

/// The post a publish will update (or none: it creates one).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Target {
    pub post_id: Option<u64>,
    /// An interrupted attempt of this job created it (found by the job's marker).
    pub adopted: bool,
    /// The post's title on the portal now.
    pub portal_title: String,
    /// Why the post may be touched: `marker`, `this job`, `published`, `pulled`.
    pub trusted_by: &'static str,
}

/// What happens to one image (all of the draft's paths with the same bytes).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImageStep {
    pub sha256: String,
    /// The paths written in the draft with these bytes.
    pub paths: Vec<String>,
    /// Index of the first of them in [`Observed::images`] (its bytes and name are sent).
    #[serde(skip)]
    pub file: usize,
    pub action: ImageAction,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ImageAction {
    /// An attachment of ours with these bytes is there; `set_alt`: the featured image's
    /// alt text to write on it.
    Reuse {
        id: u64,
        url: String,
        set_alt: Option<String>,
    },
    Upload,
}

/// What a publish will do (the dry run's answer, and what `apply` executes).
#[derive(Debug, serde::Serialize)]
pub struct PublishPlan {
    pub portal: String,
    /// The post it updates; `None`: it creates a new post.
    pub post_id: Option<u64>,
    /// That post's title on the portal now.
    pub portal_title: String,
    /// The draft's title (what the post will be called).
    pub title: String,
    pub status: String,
    pub images: usize,
    /// "updates post N, «title»" or "creates a new post «title»", with the status.
    pub summary: String,
    /// Which post, and why it may be touched.
    pub target: Target,
    #[serde(skip)]
    pub post_status: PostStatus,
    /// For a scheduled post: when (UTC).
    pub date_gmt: Option<String>,
    pub categories: Vec<u64>,
    /// Tags the portal has, and the names to create.
    pub tags: Vec<u64>,
    pub tags_to_create: Vec<String>,
    pub image_steps: Vec<ImageStep>,
    /// The portal user to send as `author` (an editor publishing for a colleague).
    pub author: Option<u64>,
    pub native_footnotes: bool,
    /// Things the person should know that do not stop the publish (the byline).
    pub warnings: Vec<String>,
    /// What stops the publish, in the order it is told (the first is the error).
    pub stops: Vec<PublishError>,
}

impl PublishPlan {
    /// The plan when nothing stops it, else the first stop as the error.
    pub fn ready(mut self) -> Result<PublishPlan, PublishError> {
        if self.stops.is_empty() {
            Ok(self)
        } else {
            Err(self.stops.remove(0))
        }
    }
}

/// The plan: pure, from what was observed and what was asked.
pub fn plan(o: &Observed, asked: &Asked) -> PublishPlan {
    let mut stops = Vec::new();
    let fm = o.front_matter();
    let (status, date_gmt) = match decide_status(asked.status, fm, asked.now) {
        Ok(d) => d,
        Err(e) => {
            stops.push(e);
            (PostStatus::Draft, None)
        }
    };
    let refused = |code: &str, route: &str| {
        map_wp_error(&o.user, &o.me.role(), 403, code, "", route, &o.base_url)
    };
    if matches!(status, PostStatus::Publish | PostStatus::Future) && !o.me.can("publish_posts") {
        stops.push(refused("rest_cannot_publish", "/wp/v2/posts"));
    }
    if !o.images.is_empty() && !o.me.can("upload_files") {
        stops.push(refused("rest_cannot_create", "/wp/v2/media"));
    }
    let target = match decide_target(o, asked) {
        Ok(t) => t,
        Err(e) => {
            stops.push(e);
            Target::default()
        }
    };
    let categories = match match_categories(&fm.categories, &o.categories) {
        Ok(ids) => ids,
        Err(e) => {
            stops.push(e);
            Vec::new()
        }
    };
    let (tags, tags_to_create) = match_tags(&fm.tags, &o.tags);
    PublishPlan {
        portal: o.portal.clone(),
        post_id: target.post_id,
        portal_title: target.portal_title.clone(),
        title: o.title.clone(),
        status: status.as_str().to_owned(),
        images: o.images.len(),
        summary: plan_summary(&target, &o.title, status, o.images.len()),
        target,
        post_status: status,
        date_gmt,
        categories,
        tags,
        tags_to_create,
        image_steps: image_steps(&o.images, &o.media),
        author: o.byline.author_id,
        native_footnotes: o.native_footnotes,
        warnings: o.byline.warning.iter().cloned().collect(),
        stops,
    }
}

/// Which post: the draft does not choose it. A claimed post is trusted only when it
/// carries this job's marker (our own interrupted update) or the draft's own marker, or
/// when this computer published or pulled it for this very draft; it must not be gone or
/// in the trash, and its `modified_gmt` must be the one we recorded (none recorded counts
/// as changed) unless the person said `--overwrite`.
pub fn decide_target(o: &Observed, asked: &Asked) -> Result<Target, PublishError> {
    let seen = &o.post;
    let adopt = || match seen.adoptable {
        Some(id) => Target {
            post_id: Some(id),
            adopted: true,
            trusted_by: "this job",
            ..Default::default()
        },
        None => Target::default(),
    };
    if asked.republish_new {
        return Ok(adopt());
    }
    let Some(id) = seen.claimed else {
        return Ok(adopt());
    };
    let Some(post) = &seen.on_portal else {
        return Err(PublishError::DeletedOnPortal {
            post_id: id,
            how: "it was deleted".into(),
        });
    };
    let ours_now = o.job_marker.as_deref().is_some_and(|m| post.carries(m));
    let record = o.record.as_ref().filter(|r| r.post_id == Some(id));
    let drafts_marker = record
        .and_then(|r| r.marker.as_deref())
        .is_some_and(|m| post.carries(m));
    let trusted_by = if ours_now {
        "this job"
    } else if drafts_marker {
        "marker"
    } else if let Some(k) = &seen.known {
        k.origin
    } else {
        return Err(PublishError::NotOurPost {
            file: o.file.clone(),
            portal: o.portal.clone(),
            post_id: id,
            title: post.title.clone(),
            reason: "that post does not carry this draft's publish marker, and this computer never published or pulled it for this draft (the post id in a shared draft is only a claim)".into(),
        });
    };
    if post.status == "trash" {
        return Err(PublishError::DeletedOnPortal {
            post_id: id,
            how: "it is in the portal's trash".into(),
        });
    }
    let theirs = &post.modified_gmt;
    let ours = record
        .and_then(|r| r.modified_gmt.clone())
        .or_else(|| seen.known.as_ref().and_then(|k| k.modified_gmt.clone()));
    let unchanged = ours
        .as_deref()
        .is_some_and(|o| !theirs.is_empty() && o == theirs);
    if !asked.overwrite && !ours_now && !unchanged {
        return Err(PublishError::ChangedOnPortal {
            post_id: id,
            link: post.link.clone(),
            ours: ours.unwrap_or_else(|| "not recorded".into()),
            theirs: if theirs.is_empty() {
                "not given".into()
            } else {
                theirs.clone()
            },
        });
    }
    Ok(Target {
        post_id: Some(id),
        adopted: false,
        portal_title: post.title.clone(),
        trusted_by,
    })
}

/// One step per distinct image (by content hash): reuse an attachment of ours with these
/// bytes (verified candidate first, then one found by its marker), else upload. The
/// featured image's alt text is written on a reused attachment when it differs.
pub fn image_steps(images: &[ImageFile], seen: &MediaSeen) -> Vec<ImageStep> {
    let mut steps: Vec<ImageStep> = Vec::new();
    let mut by_sha: HashMap<&str, usize> = HashMap::new();
    for (i, (file, sha)) in images.iter().zip(&seen.hashes).enumerate() {
        if let Some(&at) = by_sha.get(sha.as_str()) {
            steps[at].paths.push(file.written.clone());
            continue;
        }
        let found = verified_for(seen, sha).or_else(|| seen.by_marker.get(sha));
        let action = match found {
            Some(m) => {
                let featured_alt = images
                    .iter()
                    .zip(&seen.hashes)
                    .find(|(f, s)| *s == sha && f.featured && !f.alt.is_empty())
                    .map(|(f, _)| f.alt.clone());
                ImageAction::Reuse {
                    id: m.id,
                    url: m.url.clone(),
                    set_alt: featured_alt.filter(|a| *a != m.alt),
                }
            }
            None => ImageAction::Upload,
        };
        by_sha.insert(sha, steps.len());
        steps.push(ImageStep {
            sha256: sha.clone(),
            paths: vec![file.written.clone()],
            file: i,
            action,
        });
    }
    steps
}

/// "updates post N, «title»" / "creates a new post «title»", with the status, the number
/// of local images and why the post may be touched.
pub fn plan_summary(t: &Target, title: &str, status: PostStatus, images: usize) -> String {
    let mut s = match t.post_id {
        Some(id) if t.adopted => {
            format!("completes post {id}, «{title}» (created by an interrupted attempt)")
        }
        Some(id) => {
            let now = if t.portal_title.is_empty() {
                title
            } else {
                &t.portal_title
            };
            let mut s = format!("updates post {id}, «{now}»");
            if !t.portal_title.is_empty() && t.portal_title != title {
                s.push_str(&format!(" (retitled «{title}»)"));
            }
            s
        }
        None => format!("creates a new post «{title}»"),
    };
    s.push_str(&format!(" as {}", status.as_str()));
    if images > 0 {
        s.push_str(&format!(", with {images} local image(s)"));
    }
    if t.post_id.is_some() && !t.adopted {
        s.push_str(match t.trusted_by {
            "marker" => " (the post carries this draft's marker)",
            "published" => " (published from this draft on this computer)",
            "pulled" => " (pulled into this draft on this computer)",
            _ => "",
        });
    }
    s
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

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
