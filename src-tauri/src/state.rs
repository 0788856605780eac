//! What the app holds while it runs: the open drafts folder, its watcher, the settings.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, RwLock};

use newsroom_core::Workspace;
use newsroom_core::watch::Watcher;

use crate::error::{AppError, AppResult};
use newsroom_api::settings::{Settings, SettingsFile};

/// An open drafts folder. Dropping it stops its watcher.
pub struct OpenFolder {
    pub workspace: Workspace,
    /// `None` when the folder cannot be watched (the app still works, without live updates).
    pub watcher: Option<Watcher>,
    /// Opened with the index as it was, not yet compared with the files (see
    /// `commands::open_folder`); its watcher holds every change until then.
    pub reconcile_pending: bool,
    /// The first page of the list, made when the folder was opened (ahead of the page),
    /// taken by the first `open_workspace`.
    pub listing: Option<newsroom_api::drafts::WorkspaceInfo>,
}

impl OpenFolder {
    /// The page has its list: the watcher now compares the folder with the index on its
    /// own thread, and what differs reaches the page as `drafts-changed` (once).
    pub fn reconcile_after_listing(&mut self) {
        if std::mem::take(&mut self.reconcile_pending) {
            if let Some(w) = &self.watcher {
                w.reconcile();
            }
        }
    }
}

/// How the app was started, for choosing the folder when the UI does not name one.
#[derive(Debug, Clone)]
pub struct Launch {
    pub args: Vec<OsString>,
    pub env_drafts: Option<OsString>,
    pub cwd: PathBuf,
}

impl Launch {
    pub fn from_process() -> Self {
        Launch {
            args: std::env::args_os().skip(1).collect(),
            env_drafts: std::env::var_os("NEWSROOM_DRAFTS"),
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        }
    }
}

pub struct AppState {
    open: Mutex<Option<OpenFolder>>,
    /// The open folder's canonical root, read by the image protocol without waiting for
    /// the workspace lock.
    asset_root: RwLock<Option<PathBuf>>,
    settings: Mutex<Settings>,
    settings_file: SettingsFile,
    pub launch: Launch,
    /// The draft the command line named, relative to the folder opened for it (see
    /// `folder::argument_target`); the page takes it once (`launch_draft`).
    launch_draft: Mutex<Option<String>>,
    /// The first folder, opened and watched while the page loads (see prefetch).
    pub prefetch: crate::prefetch::Prefetch<AppResult<OpenFolder>>,
    /// The editor's spelling: the dictionary of the settings' language, the personal
    /// word list beside the settings file.
    pub spelling: newsroom_api::spelling::SpellService,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic in one command must not wedge every later one: the data is still usable.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl AppState {
    pub fn new(settings_file: SettingsFile, launch: Launch) -> Self {
        let settings = settings_file.load();
        let config_dir = settings_file
            .path()
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let launch_draft = crate::folder::argument_target(&launch.args, &launch.cwd, None)
            .and_then(|target| target.draft);
        AppState {
            launch_draft: Mutex::new(launch_draft),
            open: Mutex::new(None),
            asset_root: RwLock::new(None),
            settings: Mutex::new(settings),
            settings_file,
            launch,
            prefetch: crate::prefetch::Prefetch::default(),
            spelling: newsroom_api::spelling::SpellService::new(&config_dir),
        }
    }

    /// Runs `f` on the open workspace.
    pub fn with_workspace<T>(
        &self,
        f: impl FnOnce(&mut Workspace) -> AppResult<T>,
    ) -> AppResult<T> {
        let mut open = lock(&self.open);
        let folder = open.as_mut().ok_or(AppError::NoWorkspace)?;
        f(&mut folder.workspace)
    }

    /// Replaces the open folder (the old watcher stops first, so no stale events follow).
    pub fn set_open(&self, folder: OpenFolder) {
        let root = folder.workspace.root().to_path_buf();
        let mut open = lock(&self.open);
        *open = None;
        *open = Some(folder);
        *self
            .asset_root
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(root);
    }

    /// Whether a folder is open (the page has been started with one).
    pub fn has_open_folder(&self) -> bool {
        lock(&self.open).is_some()
    }

    /// The open folder, if it was listed from its index without comparing it with the
    /// files yet, is compared now (see `commands::launch_draft`).
    pub fn reconcile_open_folder(&self) {
        if let Some(folder) = lock(&self.open).as_mut() {
            folder.reconcile_after_listing();
        }
    }

    pub fn asset_root(&self) -> Option<PathBuf> {
        self.asset_root
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The command line's draft, the first time only: a page reloaded later does not open it again.
    pub fn take_launch_draft(&self) -> Option<String> {
        lock(&self.launch_draft).take()
    }

    pub fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }

    /// Changes the settings and writes them to disk; returns the new settings.
    pub fn update_settings(&self, f: impl FnOnce(&mut Settings)) -> AppResult<Settings> {
        let mut settings = lock(&self.settings);
        let mut next = settings.clone();
        f(&mut next);
        let next = newsroom_api::settings::save(&self.settings_file, next)?;
        *settings = next.clone();
        Ok(next)
    }

    /// Watches the open folder anew (the watch mode changed): the old watcher stops first.
    /// `start` is told whether the new one must be held: a folder whose first comparison the page has not asked for
    /// yet keeps holding its changes, whichever watcher records them.
    pub fn rewatch(&self, start: impl FnOnce(&Workspace, bool) -> Option<Watcher>) {
        if let Some(folder) = lock(&self.open).as_mut() {
            folder.watcher = None;
            folder.watcher = start(&folder.workspace, folder.reconcile_pending);
        }
    }

    /// The window regained focus: a folder that is polled is compared with the index now
    /// (at most every few seconds), so a colleague's change on a shared drive shows when
    /// the user looks rather than at the next poll.
    /// Runs on the window's thread: when a command holds the folder, it is skipped rather
    /// than waited for.
    pub fn window_focused(&self) {
        let Ok(open) = self.open.try_lock() else {
            return;
        };
        if let Some(w) = open.as_ref().and_then(|f| f.watcher.as_ref()) {
            if w.plan().poll.is_some() {
                w.refresh();
            }
        }
    }

    pub fn settings_path(&self) -> &Path {
        self.settings_file.path()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state_with_folder(dir: &Path, reconcile_pending: bool) -> AppState {
        let drafts = dir.join("drafts");
        std::fs::create_dir_all(&drafts).unwrap();
        let (workspace, _) =
            Workspace::open_with_index(&drafts, &dir.join("index.sqlite")).unwrap();
        let launch = Launch {
            args: Vec::new(),
            env_drafts: None,
            cwd: dir.to_path_buf(),
        };
        let state = AppState::new(SettingsFile::in_dir(&dir.join("config")), launch);
        state.set_open(OpenFolder {
            workspace,
            watcher: None,
            reconcile_pending,
            listing: None,
        });
        state
    }

    fn held_on_rewatch(state: &AppState) -> Option<bool> {
        let mut told = None;
        state.rewatch(|_, held| {
            told = Some(held);
            None
        });
        told
    }

    #[test]
    fn a_new_watch_mode_before_the_first_comparison_keeps_holding_changes() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_with_folder(dir.path(), true);
        assert_eq!(held_on_rewatch(&state), Some(true));
        // the page asked for its comparison: a later watcher reports at once
        state.reconcile_open_folder();
        assert_eq!(held_on_rewatch(&state), Some(false));
    }
}
