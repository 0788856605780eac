//! The last phase of a publish: the plan's writes, in order, each safe to repeat (the
//! exactly-once rules of `docs/publishing.md`): tags created or taken (`term_exists`),
//! images uploaded with their content-hash marker (a few at once), the post created or
//! updated carrying
//! the job's marker, the result recorded in the job as soon as WordPress answers, then
//! written into the draft through the caller's open folder.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::Arc;

use futures_util::StreamExt as _;
use futures_util::stream::FuturesUnordered;
use serde_json::{Value, json};

use crate::blocks::{self, BlockContext, PortalImage};
use crate::client::WpClient;
use crate::error::{PublishError, Result};
use crate::media::{self, MediaCounts, MediaItem, Remembered};
use crate::plan::{ImageAction, ImageStep, Observed, PublishPlan};
use crate::record::PortalRecord;
use crate::request::{Progress, ProgressFn, Published};
use crate::runtime::{abs_path, blocking};
use crate::store::{Job, Store};
use crate::terms;
use crate::write_back::WriteBack;

/// Where the result goes.
pub(crate) struct Sink {
    pub store: Store,
    pub write_back: Option<Arc<dyn WriteBack>>,
    pub index: Option<PathBuf>,
    /// How many images are uploaded at once (`PublishOptions::concurrent_uploads`).
    pub uploads_at_once: usize,
}

pub(crate) async fn apply(
    client: &WpClient,
    sink: &Sink,
    job: &Job,
    o: &Observed,
    plan: PublishPlan,
    progress: &ProgressFn,
) -> Result<Published> {
    let store = &sink.store;
    let marker = format!("nr{}", job.key);
    let mut warnings = plan.warnings.clone();

    progress(&Progress::Terms);
    let mut tags = plan.tags.clone();
    for name in &plan.tags_to_create {
        let term = terms::create_tag(client, store, name).await?;
        if !tags.contains(&term.id) {
            tags.push(term.id);
        }
    }

    let (uploaded, counts) =
        images(client, store, o, &plan, sink.uploads_at_once, progress).await?;

    let ctx = BlockContext {
        images: uploaded
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    PortalImage {
                        id: v.id,
                        url: v.url.clone(),
                    },
                )
            })
            .collect(),
        marker: Some(marker.clone()),
        native_footnotes: plan.native_footnotes,
    };
    let body =
        blocks::to_post(&o.draft.article_body(), &ctx).map_err(|e| PublishError::TooDeep {
            file: abs_path(&job.root, &job.path).display().to_string(),
            line: e.line + o.draft.layout().body_line_offset,
            depth: e.depth,
            max: blocks::MAX_NESTING,
        })?;
    let fm = o.front_matter();
    let featured = o
        .images
        .iter()
        .find(|f| f.featured)
        .and_then(|f| uploaded.get(&f.written))
        .map_or(0, |m| m.id);
    let mut payload = json!({
        "title": o.title,
        "content": body.content,
        "excerpt": fm.excerpt.clone().unwrap_or_default(),
        "slug": fm.effective_slug(&o.title),
        "status": plan.post_status.as_str(),
        "categories": plan.categories,
        "tags": tags,
        "featured_media": featured,
    });
    if let Some(notes) = &body.footnotes {
        payload["meta"] = json!({ "footnotes": notes });
    }
    if let Some(id) = plan.author {
        payload["author"] = json!(id);
    }
    if let Some(d) = &plan.date_gmt {
        payload["date_gmt"] = json!(d);
    }

    let target = &plan.target;
    progress(&Progress::Post {
        action: if target.post_id.is_some() {
            "updating".into()
        } else {
            "creating".into()
        },
    });
    let route = match target.post_id {
        Some(id) => format!("/wp/v2/posts/{id}"),
        None => "/wp/v2/posts".into(),
    };
    let answer = client.post(&route, &payload).await?.body;
    let text = |k: &str| {
        answer
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let post_id = answer.get("id").and_then(Value::as_u64).ok_or_else(|| {
        PublishError::UnexpectedResponse {
            what: "the post".into(),
            detail: "no id in the answer".into(),
        }
    })?;
    let (link, modified_gmt) = (text("link"), text("modified_gmt"));
    let final_status = Some(text("status"))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| plan.post_status.as_str().to_owned());
    {
        let (s, k, l, m) = (
            store.clone(),
            job.key.clone(),
            link.clone(),
            Some(modified_gmt.clone()).filter(|m| !m.is_empty()),
        );
        blocking(move || s.record_post(&k, post_id, &l, m.as_deref())).await?;
    }
    let got: Vec<u64> = answer
        .get("categories")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_u64)
        .collect();
    if !plan.categories.is_empty() && plan.categories.iter().any(|c| !got.contains(c)) {
        warnings.push("the portal dropped some categories; check them on the portal".into());
    }

    progress(&Progress::FrontMatter);
    let record = PortalRecord {
        name: o.portal.clone(),
        url: client.base().to_owned(),
        post_id: Some(post_id),
        link: link.clone(),
        status: final_status.clone(),
        modified_gmt: Some(modified_gmt.clone()),
        marker: Some(marker),
        media: uploaded
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    Remembered {
                        id: v.id,
                        sha256: v.sha256.clone(),
                    },
                )
            })
            .collect(),
        media_urls: uploaded
            .iter()
            .map(|(k, v)| (k.clone(), v.url.clone()))
            .collect(),
    };
    let (root, path, index, open) = (
        job.root.clone(),
        job.path.clone(),
        sink.index.clone(),
        sink.write_back.clone(),
    );
    if let Err(e) = blocking(move || {
        crate::write_back::write_back(open.as_deref(), &root, index.as_deref(), &path, &record)
    })
    .await
    {
        warnings.push(format!(
            "post {post_id} is on the portal, but writing its id into the draft failed ({e}); publishing again from this computer still updates it"
        ));
    }

    Ok(Published {
        job_key: job.key.clone(),
        portal: o.portal.clone(),
        path: job.path.clone(),
        post_id,
        link,
        status: final_status,
        modified_gmt,
        created: target.post_id.is_none(),
        adopted: target.adopted,
        images_uploaded: counts.uploaded,
        images_reused: counts.reused,
        warnings,
        http_ms: client.waited().as_millis() as u64,
        total_ms: 0,
    })
}

/// The plan's image steps, up to `at_once` in flight: reuse (writing the featured alt
/// text when asked) or upload, each attachment remembered in the store as soon as it is
/// there. Uploads whose names WordPress could make one (`media::upload_name_key`) run one
/// after the other. A reuse with nothing to write is no request: those are remembered
/// together first, in one store call. Returns the attachments by the path written in the
/// draft.
///
/// Progress: `done` is the number of the draft's images finished, from 0 (said as the
/// first steps start) to `total`, rising as steps finish, in the order they finish.
///
/// The first error starts nothing more; the steps in flight are let finish and remembered
/// (an upload dropped mid-way may still land on the portal, found again only by a marker
/// search), then the error is returned. A retry finds every finished upload in the store
/// or by its marker.
async fn images(
    client: &WpClient,
    store: &Store,
    o: &Observed,
    plan: &PublishPlan,
    at_once: usize,
    progress: &ProgressFn,
) -> Result<(HashMap<String, MediaItem>, MediaCounts)> {
    let steps = &plan.image_steps;
    let mut tally = Tally {
        total: o.images.len(),
        ..Default::default()
    };
    let Some(first) = steps.first() else {
        return Ok((tally.out, tally.counts));
    };
    progress(&Progress::Image {
        done: 0,
        total: tally.total,
        file: first.paths[0].clone(),
    });
    let (mut known, mut sent) = (Vec::new(), Vec::new());
    for step in steps {
        match &step.action {
            ImageAction::Reuse {
                id,
                url,
                set_alt: None,
            } => known.push((step, reused(step, *id, url))),
            _ => sent.push(step),
        }
    }
    if !known.is_empty() {
        let items: Vec<MediaItem> = known.iter().map(|(_, item)| item.clone()).collect();
        media::remember_all(store, client.base(), &items).await?;
        for (step, item) in known {
            tally.finished(step, item, progress);
        }
    }
    let keys: Vec<Option<String>> = sent
        .iter()
        .map(|s| {
            matches!(s.action, ImageAction::Upload)
                .then(|| media::upload_name_key(&o.images[s.file]))
        })
        .collect();
    let mut waiting: VecDeque<usize> = (0..sent.len()).collect();
    let mut running = FuturesUnordered::new();
    let mut busy: Vec<&str> = Vec::new();
    let mut failed: Option<PublishError> = None;
    loop {
        while failed.is_none() && running.len() < at_once.max(1) {
            let free = waiting
                .iter()
                .position(|&i| keys[i].as_deref().is_none_or(|k| !busy.contains(&k)));
            let Some(i) = free.and_then(|at| waiting.remove(at)) else {
                break;
            };
            busy.extend(keys[i].as_deref());
            let step = sent[i];
            running.push(async move { (i, image_step(client, store, o, step).await) });
        }
        let Some((i, result)) = running.next().await else {
            break;
        };
        if let Some(k) = keys[i].as_deref() {
            busy.retain(|b| *b != k);
        }
        match result {
            Ok(item) => tally.finished(sent[i], item, progress),
            Err(e) => {
                failed.get_or_insert(e);
            }
        }
    }
    match failed {
        Some(e) => Err(e),
        None => Ok((tally.out, tally.counts)),
    }
}

/// What the image steps finished so far.
#[derive(Default)]
struct Tally {
    out: HashMap<String, MediaItem>,
    counts: MediaCounts,
    done: usize,
    total: usize,
}

impl Tally {
    fn finished(&mut self, step: &ImageStep, item: MediaItem, progress: &ProgressFn) {
        match step.action {
            ImageAction::Reuse { .. } => self.counts.reused += 1,
            ImageAction::Upload => self.counts.uploaded += 1,
        }
        self.done += step.paths.len();
        progress(&Progress::Image {
            done: self.done,
            total: self.total,
            file: step.paths[0].clone(),
        });
        for path in &step.paths {
            self.out.insert(path.clone(), item.clone());
        }
    }
}

/// The attachment a reuse step names (ours: it carries our marker for these bytes,
/// checked by the plan).
fn reused(step: &ImageStep, id: u64, url: &str) -> MediaItem {
    MediaItem {
        id,
        url: url.to_owned(),
        sha256: step.sha256.clone(),
    }
}

/// One image step: the attachment, on the portal and remembered here.
async fn image_step(
    client: &WpClient,
    store: &Store,
    o: &Observed,
    step: &ImageStep,
) -> Result<MediaItem> {
    let item = match &step.action {
        ImageAction::Reuse { id, url, set_alt } => {
            if let Some(alt) = set_alt {
                media::set_alt(client, *id, alt).await?;
            }
            reused(step, *id, url)
        }
        ImageAction::Upload => media::upload(client, &o.images[step.file], &step.sha256).await?,
    };
    media::remember(store, client.base(), &item).await?;
    Ok(item)
}
