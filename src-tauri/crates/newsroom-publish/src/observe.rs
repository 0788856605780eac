//! The first phase of a publish: what the plan is made from, gathered with reads only —
//! the draft (already read through the door), this computer's publish store, and what the
//! portal says (who we are, the post the draft may be, terms, media, footnotes support,
//! the byline). Nothing is written anywhere; see `plan.rs` for the decisions.

use std::path::Path;

use newsroom_core::Draft;

use crate::blocks;
use crate::byline;
use crate::client::WpClient;
use crate::error::{PublishError, Result};
use crate::marker::find_by_marker;
use crate::media::{self, ImageFile};
use crate::plan::{Observed, PortalPost, PostSeen};
use crate::portal::Me;
use crate::record::PortalRecord;
use crate::runtime::blocking;
use crate::store::Store;
use crate::terms;

/// The draft, read and checked before any request.
pub(crate) struct LocalDraft {
    pub file: String,
    pub draft: Draft,
    pub title: String,
    pub images: Vec<ImageFile>,
}

/// Which draft, on which portal, as which job.
pub(crate) struct Query<'a> {
    pub portal: &'a str,
    pub root: &'a Path,
    pub path: &'a str,
    pub republish_new: bool,
    /// The job's marker (`nr` + key): finds a post an interrupted attempt created.
    pub job_marker: Option<String>,
}

pub(crate) async fn observe(
    client: &WpClient,
    store: &Store,
    q: Query<'_>,
    local: LocalDraft,
) -> Result<Observed> {
    let record = PortalRecord::from_draft(&local.draft, client.base(), q.portal);
    let me = Me::fetch(client).await?;
    let post = post_seen(client, store, &q, record.as_ref()).await?;
    let fm = &local.draft.front_matter;
    let categories = terms::categories_for(client, store, &fm.categories).await?;
    let tags = terms::tags_for(client, store, &fm.tags).await?;
    // The same decision as the publish panel's pre-flight (`byline_check`).
    let byline = byline::decide(client, &me, fm.author.as_deref()).await?;
    let remembered = record.as_ref().map(|r| r.media.clone()).unwrap_or_default();
    let media = media::observe(client, store, &local.images, &remembered).await?;
    let native_footnotes =
        local.draft.body().contains("[^") && blocks::portal_has_native_footnotes(client).await;
    Ok(Observed {
        portal: q.portal.to_owned(),
        base_url: client.base().to_owned(),
        user: client.user().to_owned(),
        file: local.file,
        draft: local.draft,
        title: local.title,
        images: local.images,
        record,
        job_marker: q.job_marker,
        me,
        post,
        categories,
        tags,
        media,
        native_footnotes,
        byline,
    })
}

/// The post the draft claims (or this computer last published for it), as the portal
/// shows it, and what this computer knows of it; with nothing claimed, a post carrying
/// the job's marker.
async fn post_seen(
    client: &WpClient,
    store: &Store,
    q: &Query<'_>,
    record: Option<&PortalRecord>,
) -> Result<PostSeen> {
    let adoptable = || async {
        match &q.job_marker {
            Some(m) => find_by_marker(client, m).await,
            None => Ok(None),
        }
    };
    if q.republish_new {
        return Ok(PostSeen {
            adoptable: adoptable().await?,
            ..Default::default()
        });
    }
    let (s, p, r, d) = (
        store.clone(),
        q.portal.to_owned(),
        q.root.to_path_buf(),
        q.path.to_owned(),
    );
    let from_store = blocking(move || s.last_post(&p, &r, &d)).await?;
    let Some(id) = record.and_then(|r| r.post_id).or(from_store) else {
        return Ok(PostSeen {
            adoptable: adoptable().await?,
            ..Default::default()
        });
    };
    let on_portal = match client
        .get(&format!("/wp/v2/posts/{id}"), &[("context", "edit".into())])
        .await
    {
        Ok(a) => Some(PortalPost::from_json(&a.body)),
        Err(PublishError::Rejected {
            status: 404 | 410, ..
        }) => None,
        Err(e) => return Err(e),
    };
    let (s, p, r, d) = (
        store.clone(),
        q.portal.to_owned(),
        q.root.to_path_buf(),
        q.path.to_owned(),
    );
    let known = blocking(move || s.known_post(&p, &r, &d, id)).await?;
    Ok(PostSeen {
        claimed: Some(id),
        on_portal,
        known,
        adoptable: None,
    })
}
