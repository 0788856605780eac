//! The IPC commands of docs/ipc.md, each a thin adapter: parse, call the core, map the
//! error. Blocking work (SQLite, files, rendering) runs on the blocking pool so the UI
//! thread never waits on it. Arguments are `snake_case` in JSON, as the UI sends them
//! (Tauri's default would be camelCase), hence `rename_all` on every command.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use newsroom_core::index::{DraftPage, DraftSummary, Filter, Revision, SearchHit};
use newsroom_core::watch::DraftChange;
use newsroom_core::workspace::{self, NewDraft, Preview};
use newsroom_core::{CoreError, DiffLine, Keep, OpenedDraft, SaveOutcome, Workspace};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager};

use crate::asset::ASSET_BASE;
use crate::error::{AppError, AppResult};
use crate::settings::Settings;
use crate::state::{AppState, OpenFolder};

/// How many hits `search_drafts` returns.
const SEARCH_LIMIT: usize = 50;
/// How many rows `open_workspace` sends (the newest); the list asks for the others by page.
const FIRST_PAGE: usize = 200;
/// `list_drafts`'s page size when none is given, and the most one answer carries.
const DEFAULT_PAGE: usize = 200;
const MAX_PAGE: usize = 1000;
pub const DRAFTS_CHANGED: &str = "drafts-changed";

#[derive(Debug, Serialize)]
pub struct WorkspaceInfo {
    root: String,
    /// The first rows of the list (newest change first), not every draft.
    drafts: Vec<DraftSummary>,
    /// How many drafts the folder holds.
    total: usize,
    categories: Vec<String>,
    tags: Vec<String>,
    authors: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DraftsChanged {
    changes: Vec<DraftChange>,
}

/// Runs `f` with the app state on the blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&AppState) -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>()))
        .await
        .map_err(|e| AppError::Internal(format!("background task failed: {e}")))?
}

/// Runs `f` on the open workspace, on the blocking pool.
async fn on_workspace<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&mut Workspace) -> Result<T, CoreError> + Send + 'static,
) -> AppResult<T> {
    blocking(app, move |state| state.with_workspace(f)).await
}

fn workspace_info(ws: &Workspace) -> Result<WorkspaceInfo, CoreError> {
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

/// The folder the app opens when the UI names none: the first argument, else
/// `NEWSROOM_DRAFTS`, else the last folder used, else `drafts/`.
pub(crate) fn initial_root(state: &AppState) -> (PathBuf, crate::folder::FolderSource) {
    let settings = state.settings();
    crate::folder::initial_folder(
        &state.launch.args,
        state.launch.env_drafts.clone(),
        settings.last_folder.as_deref(),
        &state.launch.cwd,
    )
}

/// Opens `root` (index reconciled with the files) and starts watching it; changes go to
/// the page as `drafts-changed` events. Used by `open_workspace` and, ahead of the page,
/// by the prefetch in `setup`.
pub(crate) fn open_folder(events: AppHandle, root: &Path) -> AppResult<OpenFolder> {
    crate::perf::mark("workspace-open-start");
    let started = std::time::Instant::now();
    let (workspace, report) = Workspace::open(root)?;
    eprintln!(
        "newsroom: {}: {} drafts indexed in {} ms ({} added, {} updated, {} removed, {} unchanged, {} with errors)",
        workspace.root().display(),
        report.added + report.updated + report.unchanged,
        started.elapsed().as_millis(),
        report.added,
        report.updated,
        report.removed,
        report.unchanged,
        report.invalid
    );
    for skipped in &report.skipped {
        eprintln!("newsroom: not indexed: {skipped}");
    }
    let watched_root = workspace.root().to_path_buf();
    let watcher = workspace
        .watch(move |changes| {
            crate::review::notify_status_changes(&events, &watched_root, &changes);
            if let Err(e) = events.emit(DRAFTS_CHANGED, DraftsChanged { changes }) {
                eprintln!("newsroom: could not send drafts-changed: {e}");
            }
        })
        .map_err(|e| eprintln!("newsroom: not watching {} for changes: {e}", root.display()))
        .ok();
    Ok(OpenFolder {
        workspace,
        _watcher: watcher,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn open_workspace(app: AppHandle, path: Option<String>) -> AppResult<WorkspaceInfo> {
    let events = app.clone();
    blocking(app, move |state| open_workspace_now(events, state, path)).await
}

/// `open_workspace`'s work, also done by the boot script (`boot.rs`) when the page loads.
pub(crate) fn open_workspace_now(
    events: AppHandle,
    state: &AppState,
    path: Option<String>,
) -> AppResult<WorkspaceInfo> {
    let root = match path.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => {
            let p = PathBuf::from(p);
            if p.is_absolute() {
                p
            } else {
                state.launch.cwd.join(p)
            }
        }
        None => {
            let (root, source) = initial_root(state);
            eprintln!("newsroom: opening {} ({source:?})", root.display());
            root
        }
    };
    let folder = match state.prefetch.take(&root) {
        Some(opened) => opened?,
        None => open_folder(events, &root)?,
    };
    let info = workspace_info(&folder.workspace)?;
    crate::perf::mark("workspace-listed");
    state.set_open(folder);
    if let Err(e) = state.update_settings(|s| s.remember_folder(&info.root)) {
        eprintln!(
            "newsroom: could not remember the folder in {}: {e}",
            state.settings_path().display()
        );
    }
    Ok(info)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_drafts(
    app: AppHandle,
    filter: Option<Filter>,
    offset: Option<usize>,
    limit: Option<usize>,
) -> AppResult<DraftPage> {
    let limit = limit.unwrap_or(DEFAULT_PAGE).min(MAX_PAGE);
    on_workspace(app, move |ws| {
        ws.list_page(&filter.unwrap_or_default(), offset.unwrap_or(0), limit)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn search_drafts(
    app: AppHandle,
    query: String,
    filter: Option<Filter>,
) -> AppResult<Vec<SearchHit>> {
    on_workspace(app, move |ws| {
        ws.search(&query, &filter.unwrap_or_default(), SEARCH_LIMIT)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn read_draft(app: AppHandle, path: String) -> AppResult<OpenedDraft> {
    on_workspace(app, move |ws| ws.read(&path)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn render_preview(
    app: AppHandle,
    path: String,
    text: String,
    remote_images: Option<bool>,
) -> AppResult<Preview> {
    // Absent means held back: only the user's per-draft choice loads remote images.
    let remote = remote_images.unwrap_or(false);
    on_workspace(app, move |ws| {
        ws.render(&path, &text, Some(ASSET_BASE), true, remote)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_draft(
    app: AppHandle,
    path: String,
    text: String,
    base_hash: Option<String>,
) -> AppResult<SaveOutcome> {
    on_workspace(app, move |ws| ws.save(&path, &text, base_hash.as_deref())).await
}

/// A front-matter value as the UI sends it: text or a list (`null`, i.e. `None`, removes the key).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum FrontMatterValue {
    Text(String),
    List(Vec<String>),
}

#[tauri::command(rename_all = "snake_case")]
pub fn update_front_matter(
    text: String,
    changes: BTreeMap<String, Option<FrontMatterValue>>,
) -> AppResult<String> {
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
    Ok(workspace::update_front_matter(&text, &changes)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn new_draft(
    app: AppHandle,
    title: String,
    categories: Option<Vec<String>>,
    tags: Option<Vec<String>>,
) -> AppResult<OpenedDraft> {
    blocking(app, move |state| {
        let author = Some(state.settings().user_name).filter(|n| !n.trim().is_empty());
        let new = NewDraft {
            title,
            categories: categories.unwrap_or_default(),
            tags: tags.unwrap_or_default(),
            author,
            folder: String::new(),
        };
        state.with_workspace(|ws| ws.create(&new))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_revisions(app: AppHandle, path: String) -> AppResult<Vec<Revision>> {
    on_workspace(app, move |ws| ws.history(&path)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn revision_diff(
    app: AppHandle,
    path: String,
    id: i64,
    text: String,
) -> AppResult<Vec<DiffLine>> {
    on_workspace(app, move |ws| ws.revision_diff(&path, id, &text)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn restore_revision(
    app: AppHandle,
    path: String,
    id: i64,
    base_hash: Option<String>,
) -> AppResult<SaveOutcome> {
    on_workspace(app, move |ws| ws.restore(&path, id, base_hash.as_deref())).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn resolve_conflict(
    app: AppHandle,
    path: String,
    keep: Keep,
    mine: String,
) -> AppResult<SaveOutcome> {
    on_workspace(app, move |ws| ws.resolve_conflict(&path, keep, &mine)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn import_image(
    app: AppHandle,
    draft_path: String,
    file_name: String,
    bytes: Vec<u8>,
) -> AppResult<String> {
    on_workspace(app, move |ws| {
        ws.import_image(&draft_path, &file_name, &bytes)
    })
    .await
}

/// `dest` is the file the user chose; an existing one is replaced only with `overwrite`
/// (the UI asks first), and never through a symbolic link.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_html(
    app: AppHandle,
    path: String,
    text: String,
    dest: String,
    overwrite: Option<bool>,
    remote_images: Option<bool>,
) -> AppResult<String> {
    let remote = remote_images.unwrap_or(false);
    on_workspace(app, move |ws| {
        ws.export_html_with(&path, &text, &dest, overwrite.unwrap_or(false), remote)
            .map(|p| p.to_string_lossy().into_owned())
    })
    .await
}

/// Where "Export HTML" suggests saving the draft at `path`: the user's documents folder
/// (else home), never the shared drafts folder.
#[tauri::command(rename_all = "snake_case")]
pub fn export_suggestion(app: AppHandle, path: String) -> AppResult<String> {
    use tauri::Manager;
    let base = app
        .path()
        .document_dir()
        .or_else(|_| app.path().home_dir())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(newsroom_core::export::suggested_export_path(&base, &path)
        .to_string_lossy()
        .into_owned())
}

#[tauri::command(rename_all = "snake_case")]
pub fn get_settings(state: tauri::State<'_, AppState>) -> Settings {
    state.settings()
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_settings(app: AppHandle, settings: Settings) -> AppResult<Settings> {
    blocking(app, move |state| state.update_settings(|s| *s = settings)).await
}

#[tauri::command(rename_all = "snake_case")]
pub fn open_external(url: String) -> AppResult<()> {
    crate::external::open(&url)
}

/// Benchmark marker (tests/bench-app): prints `newsroom-perf <name> <unix ms>` when the
/// app runs with `NEWSROOM_PERF_MARKS=1`; does nothing otherwise. `at_ms` is the page's
/// own clock (unix ms) for marks whose IPC round trip must not count.
#[tauri::command(rename_all = "snake_case")]
pub fn perf_mark(name: String, at_ms: Option<f64>) {
    match at_ms {
        Some(ms) => crate::perf::mark_at(&name, ms),
        None => crate::perf::mark(&name),
    }
}
