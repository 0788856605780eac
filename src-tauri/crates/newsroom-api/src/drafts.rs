//! The drafts commands' bodies (docs/ipc.md, "Commands"): plain functions over an open
//! [`Workspace`], called by the app's `#[tauri::command]` wrappers and by the tests.

use std::collections::BTreeMap;

use newsroom_core::front_matter::FrontMatter;
use newsroom_core::index::{DraftPage, DraftSummary, Filter, Revision, SearchHit};
use newsroom_core::workspace::{self, NewDraft, Preview};
use newsroom_core::{DiffLine, Draft, Keep, OpenedDraft, SaveOutcome, Workspace};
use serde::{Deserialize, Serialize};

use crate::error::ApiResult;
use crate::settings::Settings;

/// How many hits `search_drafts` returns.
pub const SEARCH_LIMIT: usize = 50;
/// How many rows `open_workspace` sends (the newest); the list asks for the others by page.
pub const FIRST_PAGE: usize = 200;
/// `list_drafts`'s page size when none is given.
pub const DEFAULT_PAGE: usize = 200;
/// The most rows one `list_drafts` answer carries.
pub const MAX_PAGE: usize = 1000;

/// `open_workspace`'s answer: the folder and the first page of its list.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct WorkspaceInfo {
    /// Absolute path of the open folder.
    pub root: String,
    /// The first rows of the list (newest change first), not every draft.
    pub drafts: Vec<DraftSummary>,
    /// How many drafts the folder holds.
    pub total: usize,
    /// Used in the folder (the settings add the newsroom's list).
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
}

/// What the app hands the page before its script runs (the `newsroom-boot:` protocol,
/// `src-tauri/src/boot.rs`): `open_workspace`'s answer or its error, and `get_settings`'s.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct Boot {
    pub workspace: Option<WorkspaceInfo>,
    #[ts(as = "Option<crate::ErrorBody>")]
    pub error: Option<crate::ApiError>,
    pub settings: crate::settings::Settings,
}

pub fn workspace_info(ws: &Workspace) -> ApiResult<WorkspaceInfo> {
    let first = ws.list_page(&Filter::default(), 0, FIRST_PAGE)?;
    Ok(WorkspaceInfo {
        root: ws.root().to_string_lossy().into_owned(),
        drafts: first.drafts,
        total: first.total,
        categories: ws.categories()?,
        tags: ws.tags()?,
        authors: ws.authors()?,
    })
}

/// `list_drafts`: offset 0 and [`DEFAULT_PAGE`] rows when absent, at most [`MAX_PAGE`].
pub fn list_drafts(
    ws: &Workspace,
    filter: Option<Filter>,
    offset: Option<usize>,
    limit: Option<usize>,
) -> ApiResult<DraftPage> {
    let limit = limit.unwrap_or(DEFAULT_PAGE).min(MAX_PAGE);
    Ok(ws.list_page(&filter.unwrap_or_default(), offset.unwrap_or(0), limit)?)
}

pub fn search_drafts(
    ws: &Workspace,
    query: &str,
    filter: Option<Filter>,
) -> ApiResult<Vec<SearchHit>> {
    Ok(ws.search(query, &filter.unwrap_or_default(), SEARCH_LIMIT)?)
}

pub fn read_draft(ws: &Workspace, path: &str) -> ApiResult<OpenedDraft> {
    Ok(ws.read(path)?)
}

/// `render_preview`: remote images load only with `remote_images` (the user's choice for
/// this draft); absent means held back.
pub fn render_preview(
    ws: &Workspace,
    asset_base: &str,
    path: &str,
    text: &str,
    remote_images: Option<bool>,
) -> ApiResult<Preview> {
    Ok(ws.render(
        path,
        text,
        Some(asset_base),
        true,
        remote_images.unwrap_or(false),
    )?)
}

pub fn save_draft(
    ws: &mut Workspace,
    path: &str,
    text: &str,
    base_hash: Option<&str>,
) -> ApiResult<SaveOutcome> {
    Ok(ws.save(path, text, base_hash)?)
}

/// A front-matter value as the page sends it: text or a list (`null`, i.e. `None`,
/// removes the key).
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(untagged)]
pub enum FrontMatterValue {
    Text(String),
    List(Vec<String>),
}

/// `update_front_matter`: pure, nothing written; a change of `status` is refused (it moves
/// through `review_transition`).
pub fn update_front_matter(
    text: &str,
    changes: BTreeMap<String, Option<FrontMatterValue>>,
) -> ApiResult<String> {
    use newsroom_core::front_matter::LIST_KEYS;
    use newsroom_core::front_matter_edit::Change;
    let changes = changes
        .into_iter()
        .map(|(key, value)| match value {
            None => workspace::change_from_pair(&key, ""),
            Some(FrontMatterValue::Text(text)) => workspace::change_from_pair(&key, &text),
            // Items are taken as they are (a tag may contain a comma); the key is checked
            // by asking the core for its removal.
            Some(FrontMatterValue::List(items)) if LIST_KEYS.contains(&key.as_str()) => {
                workspace::change_from_pair(&key, "").map(|_| {
                    Change::set_list(
                        key,
                        items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()),
                    )
                })
            }
            Some(FrontMatterValue::List(items)) => {
                workspace::change_from_pair(&key, &items.join(", "))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(workspace::update_front_matter(text, &changes)?)
}

/// `read_front_matter`: the keys the app reads, as the core reads them (pure). The page
/// reads them with the same code compiled to WebAssembly and asks this only when that
/// module did not load.
pub fn read_front_matter(text: &str) -> ApiResult<FrontMatter> {
    Ok(Draft::parse(text)?.front_matter)
}

/// `new_draft`: the author is the user's name from the settings.
pub fn new_draft(
    ws: &mut Workspace,
    settings: &Settings,
    title: String,
    categories: Option<Vec<String>>,
    tags: Option<Vec<String>>,
) -> ApiResult<OpenedDraft> {
    let author = Some(settings.user_name.clone()).filter(|n| !n.trim().is_empty());
    let new = NewDraft {
        title,
        categories: categories.unwrap_or_default(),
        tags: tags.unwrap_or_default(),
        author,
        folder: String::new(),
    };
    Ok(ws.create(&new)?)
}

pub fn list_revisions(ws: &Workspace, path: &str) -> ApiResult<Vec<Revision>> {
    Ok(ws.history(path)?)
}

pub fn revision_diff(ws: &Workspace, path: &str, id: i64, text: &str) -> ApiResult<Vec<DiffLine>> {
    Ok(ws.revision_diff(path, id, text)?)
}

/// Two texts compared line by line and word by word (Compare's theirs → mine): the one
/// diff of the app, so the page does not diff on its own.
pub fn diff_text(old: &str, new: &str) -> Vec<DiffLine> {
    newsroom_core::diff::diff_lines(old, new)
}

pub fn restore_revision(
    ws: &mut Workspace,
    path: &str,
    id: i64,
    base_hash: Option<&str>,
) -> ApiResult<SaveOutcome> {
    Ok(ws.restore(path, id, base_hash)?)
}

pub fn resolve_conflict(
    ws: &mut Workspace,
    path: &str,
    keep: Keep,
    mine: &str,
) -> ApiResult<SaveOutcome> {
    Ok(ws.resolve_conflict(path, keep, mine)?)
}

pub fn import_image(
    ws: &mut Workspace,
    draft_path: &str,
    file_name: &str,
    bytes: &[u8],
) -> ApiResult<String> {
    Ok(ws.import_image(draft_path, file_name, bytes)?)
}

/// `import_image_file`: the image at `source`, a file the user chose on their computer
/// (Insert Image's chooser, the featured image's, a file list pasted from a file manager),
/// copied beside the draft like a pasted one. Only a regular image file is read.
pub fn import_image_file(ws: &mut Workspace, draft_path: &str, source: &str) -> ApiResult<String> {
    Ok(ws.import_image_file(draft_path, std::path::Path::new(source))?)
}

/// `export_html`: `dest` is the file the user chose; an existing one is replaced only with
/// `overwrite` (the page asks first), and never through a symbolic link.
pub fn export_html(
    ws: &mut Workspace,
    path: &str,
    text: &str,
    dest: &str,
    overwrite: Option<bool>,
    remote_images: Option<bool>,
) -> ApiResult<String> {
    Ok(ws
        .export_html_with(
            path,
            text,
            dest,
            overwrite.unwrap_or(false),
            remote_images.unwrap_or(false),
        )?
        .to_string_lossy()
        .into_owned())
}

/// `export_suggestion`: under `base` (the user's documents folder, else home), never the
/// shared drafts folder.
pub fn export_suggestion(base: &std::path::Path, path: &str) -> String {
    newsroom_core::export::suggested_export_path(base, path)
        .to_string_lossy()
        .into_owned()
}
