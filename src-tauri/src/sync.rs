//! The open folder's sync through git (docs/sync.md, "In the app"): a background task that
//! syncs after saves settle and every few minutes, and the `sync_status` / `sync_now`
//! commands. The bodies are `newsroom_api::sync`'s; here only the schedule and the events.
//!
//! Never on the main thread and never in the way of typing or saving: git runs on the
//! blocking pool, without the workspace lock (a save during a sync is a file written like
//! any other, committed by the next sync). One sync at a time: the background task and
//! "Sync now" take the same lock. What a sync brings in reaches the page through the
//! watcher (`drafts-changed`, `review-notification`), as a colleague's change on a shared
//! drive does, so an open draft it changed gets the usual "changed on disk" handling.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use newsroom_api::events::Event;
use newsroom_api::sync::{self as api, SyncStatus};
use tauri::{AppHandle, Manager};
use tokio::sync::{Mutex as AsyncMutex, mpsc};
use tokio::time::Instant;

use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// How long after the last save an automatic sync waits: a burst of autosaves (a reporter
/// typing) becomes one commit, not one per pause.
pub const SAVES_SETTLE: Duration = Duration::from_secs(10);

/// The first automatic sync after a folder opens: soon, so the morning's work from other
/// offices comes in, but after the first screen.
pub const AFTER_OPEN: Duration = Duration::from_secs(3);

/// What wakes the background task.
enum Nudge {
    /// The app wrote to the folder (a save, a new draft, a status move).
    Saved,
    /// Another folder is open, or the settings changed: the schedule starts again.
    Reset,
}

/// The app's managed sync: started in `setup`, ended with the process (a sync cut off
/// there is finished by the next one: see newsroom-sync's marker).
pub struct SyncService {
    nudges: mpsc::UnboundedSender<Nudge>,
    /// One sync at a time.
    one: Arc<AsyncMutex<()>>,
    running: Arc<AtomicBool>,
}

impl SyncService {
    pub fn start(app: &AppHandle) -> SyncService {
        let (nudges, rx) = mpsc::unbounded_channel();
        let service = SyncService {
            nudges,
            one: Arc::new(AsyncMutex::new(())),
            running: Arc::new(AtomicBool::new(false)),
        };
        let task = Task {
            app: app.clone(),
            one: service.one.clone(),
            running: service.running.clone(),
        };
        tauri::async_runtime::spawn(task.run(rx));
        service
    }

    /// The app wrote to the folder: an automatic sync follows once saves settle.
    pub fn saved(&self) {
        let _ = self.nudges.send(Nudge::Saved);
    }

    /// Another folder, or other settings: the next automatic sync is counted from now.
    pub fn reset(&self) {
        let _ = self.nudges.send(Nudge::Reset);
    }

    /// `sync_now`: syncs at once (after a sync already running), whatever the schedule.
    pub async fn now(&self, app: &AppHandle) -> AppResult<SyncStatus> {
        let task = Task {
            app: app.clone(),
            one: self.one.clone(),
            running: self.running.clone(),
        };
        task.sync_once(false).await
    }

    pub fn running(&self) -> bool {
        self.running.load(Ordering::SeqCst)
    }
}

/// Tells the sync that the app wrote to the folder (each writing command calls it).
pub fn saved(app: &AppHandle) {
    if let Some(service) = app.try_state::<SyncService>() {
        service.saved();
    }
}

/// The open folder and the settings, for a status or a sync.
fn folder_and_settings(app: &AppHandle) -> AppResult<(PathBuf, newsroom_api::settings::Settings)> {
    let state = app.state::<AppState>();
    let root = state.asset_root().ok_or(AppError::NoWorkspace)?;
    Ok((root, state.settings()))
}

struct Task {
    app: AppHandle,
    one: Arc<AsyncMutex<()>>,
    running: Arc<AtomicBool>,
}

impl Task {
    fn interval(&self) -> Duration {
        let minutes = self
            .app
            .state::<AppState>()
            .settings()
            .sync_interval_minutes;
        Duration::from_secs(60 * u64::from(minutes.max(1)))
    }

    async fn run(self, mut nudges: mpsc::UnboundedReceiver<Nudge>) {
        let mut settle: Option<Instant> = None;
        let mut next = Instant::now() + AFTER_OPEN;
        loop {
            let due = settle.map_or(next, |s| s.min(next));
            tokio::select! {
                nudge = nudges.recv() => match nudge {
                    None => return,
                    Some(Nudge::Saved) => settle = Some(Instant::now() + SAVES_SETTLE),
                    Some(Nudge::Reset) => {
                        settle = None;
                        next = Instant::now() + AFTER_OPEN.min(self.interval());
                    }
                },
                () = tokio::time::sleep_until(due) => {
                    settle = None;
                    if let Err(e) = self.sync_once(true).await {
                        // no folder open yet: nothing to sync
                        if !matches!(e, AppError::NoWorkspace) {
                            eprintln!("newsroom: automatic sync: {e}");
                        }
                    }
                    // the sync's own time does not count towards the next one
                    next = Instant::now() + self.interval();
                }
            }
        }
    }

    /// One sync of the open folder (`automatic`: only where the folder syncs on its own),
    /// its start and end sent to the page as `sync-status`.
    async fn sync_once(&self, automatic: bool) -> AppResult<SyncStatus> {
        let _one = self.one.lock().await;
        let (root, settings) = folder_and_settings(&self.app)?;
        let app = self.app.clone();
        let running = self.running.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let before = api::sync_status(&root, &settings, true);
            if !before.repository || (automatic && (!before.automatic || before.problem.is_some()))
            {
                return Ok(api::sync_status(&root, &settings, false));
            }
            running.store(true, Ordering::SeqCst);
            crate::events::emit(&app, Event::SyncStatus(Box::new(before)));
            // the app is its own merge driver (see main.rs)
            let last = api::run_sync(&root, &settings, std::env::current_exe().ok());
            running.store(false, Ordering::SeqCst);
            eprintln!(
                "newsroom: sync of {}: {:?}, {} sent, {} received{}",
                root.display(),
                last.outcome,
                last.committed,
                last.received,
                last.error
                    .as_ref()
                    .map(|e| format!(" ({})", e.message))
                    .unwrap_or_default()
            );
            let after = api::sync_status(&root, &settings, false);
            crate::events::emit(&app, Event::SyncStatus(Box::new(after.clone())));
            Ok(after)
        })
        .await
        .map_err(|e| AppError::Internal(format!("sync task failed: {e}")))?
    }
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_status(app: AppHandle) -> AppResult<SyncStatus> {
    let (root, settings) = folder_and_settings(&app)?;
    let running = app.state::<SyncService>().running();
    tauri::async_runtime::spawn_blocking(move || api::sync_status(&root, &settings, running))
        .await
        .map_err(|e| AppError::Internal(format!("sync status failed: {e}")))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_now(app: AppHandle) -> AppResult<SyncStatus> {
    app.state::<SyncService>().now(&app).await
}
