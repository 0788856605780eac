//! The user's settings as the page reads and writes them. The file and its defaults are
//! the core's ([`newsroom_core::settings`]), shared with the `newsroom` CLI.

pub use newsroom_core::settings::{
    DEFAULT_CATEGORIES, MAX_RECENT_FOLDERS, Role, Settings, SettingsFile, Theme,
};
/// How a folder is watched (the core's type: see `newsroom_core::watch::WatchMode`).
pub use newsroom_core::watch::WatchMode;

use crate::error::ApiResult;

/// `get_settings`.
pub fn get(current: &Settings) -> Settings {
    current.clone()
}

/// `save_settings`: tidies what the page sent and writes it; the answer is what was kept.
pub fn save(file: &SettingsFile, settings: Settings) -> ApiResult<Settings> {
    let next = settings.normalised();
    file.save(&next)?;
    Ok(next)
}
