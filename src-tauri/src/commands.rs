//! The IPC commands of docs/ipc.md, as registrations: each wrapper finds the state its
//! body needs and runs `newsroom_api`'s function for it, blocking work (SQLite, files,
//! rendering) on the blocking pool so the UI thread never waits on it. Arguments are
//! `snake_case` in JSON, as the page sends them (Tauri's default would be camelCase),
//! hence `rename_all` on every command; their names are checked against
//! `newsroom_api::contract::commands()` by `contract_check`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use newsroom_api::drafts::{self, FrontMatterValue, WorkspaceInfo};
use newsroom_api::events::{DraftsChanged, Event};
use newsroom_api::settings::{Settings, WatchMode};
use newsroom_core::front_matter::FrontMatter;
use newsroom_core::index::{DraftPage, Filter, Revision, SearchHit};
use newsroom_core::workspace::Preview;
use newsroom_core::{DiffLine, Keep, OpenedDraft, SaveOutcome, Workspace};
use tauri::{AppHandle, Manager};

use crate::asset::ASSET_BASE;
use crate::error::{AppError, AppResult};
use crate::state::{AppState, OpenFolder};

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
    f: impl FnOnce(&mut Workspace) -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    blocking(app, move |state| state.with_workspace(f)).await
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

/// Opens `root` and starts watching it; changes go to the page as `drafts-changed`
/// events. Used by `open_workspace` and, ahead of the page, by the prefetch in `setup`.
///
/// The index is taken as it is and the watcher started before the list is made, so that
/// whatever changes from then on is an event; the watcher holds those until the folder is
/// compared with the index, after the page has its list and listens
/// ([`OpenFolder::reconcile_after_listing`]), since at 100,000 drafts that comparison is a
/// second of `stat`s the list need not wait for. The first page of the list is made here
/// too (on the prefetch's thread, ahead of the page): held, the index cannot change under
/// it. A folder never indexed (or one that cannot be watched) is compared first, as
/// before: there is no list to show without it (or nobody to compare later).
pub(crate) fn open_folder(
    events: AppHandle,
    root: &Path,
    mode: WatchMode,
) -> AppResult<OpenFolder> {
    crate::perf::mark("workspace-open-start");
    let started = std::time::Instant::now();
    let mut workspace = Workspace::open_unreconciled(root)?;
    // In a git working copy, review moves record the commit seen and the review queue
    // reads earlier versions from the history (git runs only when asked).
    let history = newsroom_sync::GitHistory::new(workspace.root());
    workspace.set_earlier_versions(std::sync::Arc::new(history));
    let cold = workspace.index().is_empty()?;
    let watcher = watch_folder(events, &workspace, mode, !cold);
    crate::perf::mark("workspace-watched");
    if !cold && watcher.is_some() {
        let listing = drafts::workspace_info(&workspace)?;
        crate::perf::mark("workspace-listed-ahead");
        return Ok(OpenFolder {
            workspace,
            watcher,
            reconcile_pending: true,
            listing: Some(listing),
        });
    }
    let report = workspace.rescan()?;
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
    Ok(OpenFolder {
        workspace,
        watcher,
        reconcile_pending: false,
        listing: None,
    })
}

/// Starts watching an open folder as `mode` says; its changes go to the page as events.
/// `held`: none before the watcher's first reconcile (`Workspace::watch_held`).
pub(crate) fn watch_folder(
    events: AppHandle,
    workspace: &Workspace,
    mode: WatchMode,
    held: bool,
) -> Option<newsroom_core::watch::Watcher> {
    let watched_root = workspace.root().to_path_buf();
    let root = watched_root.clone();
    let on_change = move |changes: Vec<newsroom_core::watch::DraftChange>| {
        for note in newsroom_api::review::status_notifications(&watched_root, &changes) {
            crate::events::emit(&events, Event::ReviewNotification(note));
        }
        crate::events::emit(&events, Event::DraftsChanged(DraftsChanged { changes }));
    };
    let started = if held {
        workspace.watch_held(mode, on_change)
    } else {
        workspace.watch_with(mode, on_change)
    };
    let watcher = started
        .map_err(|e| eprintln!("newsroom: not watching {} for changes: {e}", root.display()))
        .ok()?;
    eprintln!(
        "newsroom: watching {}: {}",
        root.display(),
        watcher.plan().reason
    );
    Some(watcher)
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
    let mut folder = match state.prefetch.take(&root) {
        Some(opened) => opened?,
        None => open_folder(events.clone(), &root, state.settings().watch)?,
    };
    // the first page made with the folder (held watcher: the index is as it was then)
    let info = match folder.listing.take() {
        Some(info) => info,
        None => drafts::workspace_info(&folder.workspace)?,
    };
    crate::perf::mark("workspace-listed");
    // A folder opened later is compared at once: the page has long been listening. The
    // first one waits for the page's `launch_draft`, its first call once its subscriptions
    // are in place: the comparison's `drafts-changed` must not come before anyone hears it
    // (at a few drafts it takes a millisecond).
    if state.has_open_folder() {
        folder.reconcile_after_listing();
    }
    state.set_open(folder);
    // the next automatic sync counts from now, for this folder
    if let Some(sync) = events.try_state::<crate::sync::SyncService>() {
        sync.reset();
    }
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
    on_workspace(app, move |ws| {
        drafts::list_drafts(ws, filter, offset, limit)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn search_drafts(
    app: AppHandle,
    query: String,
    filter: Option<Filter>,
) -> AppResult<Vec<SearchHit>> {
    on_workspace(app, move |ws| drafts::search_drafts(ws, &query, filter)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn read_draft(app: AppHandle, path: String) -> AppResult<OpenedDraft> {
    on_workspace(app, move |ws| drafts::read_draft(ws, &path)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn render_preview(
    app: AppHandle,
    path: String,
    text: String,
    remote_images: Option<bool>,
) -> AppResult<Preview> {
    on_workspace(app, move |ws| {
        drafts::render_preview(ws, ASSET_BASE, &path, &text, remote_images)
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
    let events = app.clone();
    let written = on_workspace(app, move |ws| {
        drafts::save_draft(ws, &path, &text, base_hash.as_deref())
    })
    .await;
    if written.is_ok() {
        crate::sync::saved(&events);
    }
    written
}

#[tauri::command(rename_all = "snake_case")]
pub fn update_front_matter(
    text: String,
    changes: BTreeMap<String, Option<FrontMatterValue>>,
) -> AppResult<String> {
    drafts::update_front_matter(&text, changes)
}

#[tauri::command(rename_all = "snake_case")]
pub fn read_front_matter(text: String) -> AppResult<FrontMatter> {
    drafts::read_front_matter(&text)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn new_draft(
    app: AppHandle,
    title: String,
    categories: Option<Vec<String>>,
    tags: Option<Vec<String>>,
) -> AppResult<OpenedDraft> {
    let events = app.clone();
    let written = blocking(app, move |state| {
        let settings = state.settings();
        state.with_workspace(|ws| drafts::new_draft(ws, &settings, title, categories, tags))
    })
    .await;
    if written.is_ok() {
        crate::sync::saved(&events);
    }
    written
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_revisions(app: AppHandle, path: String) -> AppResult<Vec<Revision>> {
    on_workspace(app, move |ws| drafts::list_revisions(ws, &path)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn revision_diff(
    app: AppHandle,
    path: String,
    id: i64,
    text: String,
) -> AppResult<Vec<DiffLine>> {
    on_workspace(app, move |ws| drafts::revision_diff(ws, &path, id, &text)).await
}

/// Pure computation, no workspace: Compare works even while the folder is busy.
#[tauri::command(rename_all = "snake_case")]
pub async fn diff_text(old: String, new: String) -> Vec<DiffLine> {
    drafts::diff_text(&old, &new)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn restore_revision(
    app: AppHandle,
    path: String,
    id: i64,
    base_hash: Option<String>,
) -> AppResult<SaveOutcome> {
    let events = app.clone();
    let written = on_workspace(app, move |ws| {
        drafts::restore_revision(ws, &path, id, base_hash.as_deref())
    })
    .await;
    if written.is_ok() {
        crate::sync::saved(&events);
    }
    written
}

#[tauri::command(rename_all = "snake_case")]
pub async fn resolve_conflict(
    app: AppHandle,
    path: String,
    keep: Keep,
    mine: String,
) -> AppResult<SaveOutcome> {
    let events = app.clone();
    let written = on_workspace(app, move |ws| {
        drafts::resolve_conflict(ws, &path, keep, &mine)
    })
    .await;
    if written.is_ok() {
        crate::sync::saved(&events);
    }
    written
}

#[tauri::command(rename_all = "snake_case")]
pub async fn import_image(
    app: AppHandle,
    draft_path: String,
    file_name: String,
    bytes: Vec<u8>,
) -> AppResult<String> {
    let events = app.clone();
    let written = on_workspace(app, move |ws| {
        drafts::import_image(ws, &draft_path, &file_name, &bytes)
    })
    .await;
    if written.is_ok() {
        crate::sync::saved(&events);
    }
    written
}

#[tauri::command(rename_all = "snake_case")]
pub async fn import_image_file(
    app: AppHandle,
    draft_path: String,
    source: String,
) -> AppResult<String> {
    let events = app.clone();
    let written = on_workspace(app, move |ws| {
        drafts::import_image_file(ws, &draft_path, &source)
    })
    .await;
    if written.is_ok() {
        crate::sync::saved(&events);
    }
    written
}

#[tauri::command(rename_all = "snake_case")]
pub async fn export_html(
    app: AppHandle,
    path: String,
    text: String,
    dest: String,
    overwrite: Option<bool>,
    remote_images: Option<bool>,
) -> AppResult<String> {
    on_workspace(app, move |ws| {
        drafts::export_html(ws, &path, &text, &dest, overwrite, remote_images)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub fn export_suggestion(app: AppHandle, path: String) -> AppResult<String> {
    let base = app
        .path()
        .document_dir()
        .or_else(|_| app.path().home_dir())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(drafts::export_suggestion(&base, &path))
}

#[tauri::command(rename_all = "snake_case")]
pub fn get_settings(state: tauri::State<'_, AppState>) -> Settings {
    newsroom_api::settings::get(&state.settings())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_settings(app: AppHandle, settings: Settings) -> AppResult<Settings> {
    let events = app.clone();
    let handle = app.clone();
    let saved = blocking(app, move |state| {
        let before = state.settings().watch;
        let saved = state.update_settings(|s| *s = settings)?;
        if saved.watch != before {
            state.rewatch(|ws, held| watch_folder(events, ws, saved.watch, held));
        }
        Ok(saved)
    })
    .await?;
    // the spelling language may have changed: WebKit's checker of the small fields follows
    crate::spellcheck::enable_for_settings(&handle);
    // Settings → Sync may have changed: the schedule follows at once
    if let Some(sync) = handle.try_state::<crate::sync::SyncService>() {
        sync.reset();
    }
    Ok(saved)
}

/// The draft named on the command line, once (see `AppState::launch_draft`).
///
/// The page asks for it right after its event subscriptions are in place (`start` in
/// `ui/src/app.ts`), so this is also when the first folder, listed from its index as it
/// was, is compared with the files: what changed while the app was closed then reaches a
/// page that hears it (see `open_folder`).
#[tauri::command(rename_all = "snake_case")]
pub fn launch_draft(app: AppHandle) -> Option<String> {
    let state = app.state::<AppState>();
    let events = app.clone();
    // off the window's thread: a command may hold the folder for a while
    tauri::async_runtime::spawn_blocking(move || {
        events.state::<AppState>().reconcile_open_folder();
    });
    state.take_launch_draft()
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
