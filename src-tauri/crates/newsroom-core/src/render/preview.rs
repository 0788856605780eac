//! A draft's preview: the options a draft renders with, the parts of its page (front
//! matter, headline, body) read once for the full and the incremental render, and
//! [`IncrementalPreview`]. Below `mod.rs` and `incremental_delta.rs`, which both use it, so
//! neither depends on the other's parent.

use super::article::{self, Article};
use super::incremental::{self, Reuse};
use super::safe::RenderOptions;
use super::url_policy::ImagePolicy;

/// The options `render_draft` renders the draft at `rel` with.
pub(super) fn draft_options(
    rel: &str,
    asset_base: Option<&str>,
    sourcepos: bool,
    remote_images: bool,
) -> RenderOptions {
    RenderOptions {
        images: ImagePolicy {
            asset_base: asset_base.map(str::to_owned),
            draft_dir: crate::workspace_path::folder_of(rel).to_owned(),
            remote: remote_images,
            held: Default::default(),
            uploaded: Default::default(),
        },
        sourcepos,
        ..Default::default()
    }
}

/// The previews of one draft as it is edited, keystroke after keystroke: each answer is
/// `render_draft`'s, byte for byte, but only the pieces of the body an edit changed are
/// rendered again (`incremental.rs` says how, and when it renders the body whole). The
/// page's WebAssembly renderer keeps one between keystrokes.
#[derive(Debug, Default)]
pub struct IncrementalPreview {
    pub(super) body: incremental::IncrementalBody,
}

impl IncrementalPreview {
    pub fn new() -> Self {
        Self::default()
    }

    /// `render_draft`'s preview of `text`, reusing what the last call rendered.
    pub fn render_draft(
        &mut self,
        rel: &str,
        text: &str,
        asset_base: Option<&str>,
        sourcepos: bool,
        remote_images: bool,
    ) -> Preview {
        let options = draft_options(rel, asset_base, sourcepos, remote_images);
        let body_state = &mut self.body;
        let (Article { html, stats }, error) = with_parts(
            text,
            &crate::draft::file_title(rel),
            |fm, headline, body, _| {
                let mut html = String::with_capacity(body.len() * 5 / 4 + 1024);
                article::push_head(&mut html, fm, headline, &options);
                let stats = body_state.render(body, &options, None);
                body_state.write(&mut html);
                article::push_tail(&mut html, fm);
                Article { html, stats }
            },
        );
        Preview {
            html,
            stats,
            error,
            remote_images: options.images.held.hosts(),
            remote_image_count: options.images.held.count(),
        }
    }

    /// What the last render reused: how many pieces the body had and how many were
    /// rendered; `None` when it rendered the body whole.
    pub fn last_reuse(&self) -> Option<Reuse> {
        self.body.last_reuse()
    }
}

/// A rendered preview, with the front matter problem if there is one.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct Preview {
    pub html: String,
    pub stats: article::ArticleStats,
    pub error: Option<crate::error::DraftError>,
    /// The distinct hosts of the remote images held back (empty when remote images
    /// load, or there are none): the page offers to load them for this draft.
    pub remote_images: Vec<String>,
    /// How many remote images were held back (from those hosts).
    pub remote_image_count: usize,
}

/// Calls `page` with the parts of a draft's page (front matter, headline, the body as
/// the article shows it, and where that body is in `text` when it is a part of it as it
/// is) and returns what it made with the front matter's problem, if any: a draft whose
/// front matter is broken still shows its body. One reading for the full render and the
/// incremental one (`incremental.rs`), which copies nothing of the text (a keystroke at
/// 50,000 words must not cost a copy of them).
pub(super) fn with_parts<R>(
    text: &str,
    fallback_title: &str,
    page: impl FnOnce(&crate::front_matter::FrontMatter, &str, &str, Option<usize>) -> R,
) -> (R, Option<crate::error::DraftError>) {
    use crate::draft::{article_body_of, display_title_of, read_front_matter};
    match read_front_matter(text) {
        Ok((fm, body_start)) => {
            let body = &text[body_start..];
            let article = article_body_of(&fm, body);
            let at = matches!(article, std::borrow::Cow::Borrowed(_)).then_some(body_start);
            (
                page(
                    &fm,
                    &display_title_of(&fm, body, fallback_title),
                    &article,
                    at,
                ),
                None,
            )
        }
        Err(err) => {
            let at = crate::draft::split(text).map_or(0, |l| l.body_start);
            (
                page(
                    &crate::front_matter::FrontMatter::default(),
                    fallback_title,
                    &text[at..],
                    Some(at),
                ),
                Some(err),
            )
        }
    }
}
