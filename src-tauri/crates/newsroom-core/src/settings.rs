//! The user's settings: `settings.json` in the config folder ([`crate::user_dirs`]), one
//! file the desktop app writes and the `newsroom` CLI reads (who the user is and their
//! role, for the review trail and the byline), and their defaults (which the page gets as
//! generated constants, never as a copy of its own).
//!
//! A missing or unreadable file means defaults (a broken file is kept beside as
//! `settings.json.broken` so nothing the user typed is lost). Writes are atomic.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

/// How many folders "Open recent" remembers.
pub const MAX_RECENT_FOLDERS: usize = 10;

/// The newsroom's sections until the settings say otherwise. The page's copy is generated
/// from this one (`ui/src/generated/defaults.ts`, `make contract`).
pub const DEFAULT_CATEGORIES: [&str; 10] = [
    "Business",
    "Entertainment",
    "Environment",
    "Health",
    "News Analysis",
    "Opinion",
    "Science",
    "Sports",
    "Technology",
    "World",
];

/// The one role type: the core's workflow role (`reporter`, `editor`, `desk`), which
/// decides the moves a user is offered.
pub use crate::review::workflow::Role;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub user_name: String,
    /// The address a commit made by a sync carries with the name (git's own configuration
    /// when empty); never sent to a portal.
    pub user_email: String,
    pub role: Role,
    /// The newsroom's sections, offered in the category picker beside those used in the folder.
    pub categories: Vec<String>,
    /// Absolute paths, most recent first.
    pub recent_folders: Vec<String>,
    pub last_folder: Option<String>,
    pub theme: Theme,
    /// How the open folder is watched for colleagues' changes: `auto` polls a shared drive
    /// (NFS, SMB, FUSE) as well as listening for events; `events` or `poll` force one.
    pub watch: crate::watch::WatchMode,
    /// The hunspell language the editor checks (`en_GB`); `None` follows the locale.
    /// Optional for the page too: settings written before it existed still read.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub spell_language: Option<String>,
    /// A drafts folder that is a git working copy syncs on its own: after saves settle and
    /// every [`Settings::sync_interval_minutes`] (the app's Settings → Sync).
    pub sync_auto: bool,
    /// Minutes between automatic syncs, at least 1 (an offline folder is tried again then).
    pub sync_interval_minutes: u32,
}

/// Minutes between automatic syncs until the settings say otherwise.
pub const DEFAULT_SYNC_INTERVAL_MINUTES: u32 = 5;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            user_name: String::new(),
            user_email: String::new(),
            role: Role::default(),
            categories: DEFAULT_CATEGORIES.map(String::from).to_vec(),
            recent_folders: Vec::new(),
            last_folder: None,
            theme: Theme::default(),
            watch: crate::watch::WatchMode::default(),
            spell_language: None,
            sync_auto: true,
            sync_interval_minutes: DEFAULT_SYNC_INTERVAL_MINUTES,
        }
    }
}

impl Settings {
    /// Puts `folder` first in the recent list and makes it the last folder used.
    pub fn remember_folder(&mut self, folder: &str) {
        self.recent_folders.retain(|f| f != folder);
        self.recent_folders.insert(0, folder.to_owned());
        self.recent_folders.truncate(MAX_RECENT_FOLDERS);
        self.last_folder = Some(folder.to_owned());
    }

    /// Tidies what the UI sends: trimmed names, no empty or duplicate entries.
    pub fn normalised(mut self) -> Self {
        self.user_name = self.user_name.trim().to_owned();
        self.user_email = self.user_email.trim().to_owned();
        let mut seen = std::collections::HashSet::new();
        self.categories = self
            .categories
            .into_iter()
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty() && seen.insert(c.to_lowercase()))
            .collect();
        let mut seen = std::collections::HashSet::new();
        self.recent_folders
            .retain(|f| !f.is_empty() && seen.insert(f.clone()));
        self.recent_folders.truncate(MAX_RECENT_FOLDERS);
        // a day at most: a longer pause is "off", which is its own setting
        self.sync_interval_minutes = self.sync_interval_minutes.clamp(1, 24 * 60);
        self
    }
}

/// Where the settings live and how they are read and written.
#[derive(Debug, Clone)]
pub struct SettingsFile {
    path: PathBuf,
}

impl SettingsFile {
    /// The one settings file of this environment (see [`crate::user_dirs`]).
    pub fn shared() -> Self {
        SettingsFile {
            path: crate::user_dirs::UserDirs::from_env().settings_file(),
        }
    }

    pub fn in_dir(config_dir: &Path) -> Self {
        SettingsFile {
            path: config_dir.join("settings.json"),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn load(&self) -> Settings {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Settings::default(),
            Err(e) => {
                eprintln!(
                    "newsroom: cannot read {}: {e}; using default settings",
                    self.path.display()
                );
                return Settings::default();
            }
        };
        match serde_json::from_str::<Settings>(&text) {
            Ok(s) => s.normalised(),
            Err(e) => {
                let aside = self.path.with_extension("json.broken");
                eprintln!(
                    "newsroom: {} is not valid settings ({e}); kept as {} and using defaults",
                    self.path.display(),
                    aside.display()
                );
                let _ = std::fs::rename(&self.path, aside);
                Settings::default()
            }
        }
    }

    pub fn save(&self, settings: &Settings) -> Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| CoreError::Io {
                path: dir.to_path_buf(),
                source: e,
            })?;
        }
        let mut json = serde_json::to_vec_pretty(settings).unwrap_or_default();
        json.push(b'\n');
        crate::files::write_atomic(&self.path, &json)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_gives_defaults_and_saves_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(&dir.path().join("nested"));
        assert_eq!(file.load(), Settings::default());
        let mut s = Settings {
            user_name: "Ana".into(),
            role: Role::Editor,
            theme: Theme::Dark,
            ..Settings::default()
        };
        s.remember_folder("/desk/drafts");
        file.save(&s).unwrap();
        assert_eq!(file.load(), s);
    }

    #[test]
    fn ui_json_shape_and_partial_files_load() {
        let s: Settings =
            serde_json::from_str(r#"{"user_name":"Bo","role":"desk","theme":"light"}"#).unwrap();
        assert_eq!(s.role, Role::Desk);
        assert_eq!(s.theme, Theme::Light);
        assert!(s.last_folder.is_none());
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["role"], "desk");
        assert_eq!(json["last_folder"], serde_json::Value::Null);
    }

    #[test]
    fn sync_is_on_every_five_minutes_by_default_and_the_interval_stays_sensible() {
        let s: Settings = serde_json::from_str(r#"{"user_name":"Bo"}"#).unwrap();
        assert!(s.sync_auto);
        assert_eq!(s.sync_interval_minutes, DEFAULT_SYNC_INTERVAL_MINUTES);
        let zero = Settings {
            sync_interval_minutes: 0,
            ..Settings::default()
        };
        assert_eq!(zero.normalised().sync_interval_minutes, 1);
        let week = Settings {
            sync_interval_minutes: 7 * 24 * 60,
            ..Settings::default()
        };
        assert_eq!(week.normalised().sync_interval_minutes, 24 * 60);
    }

    #[test]
    fn broken_file_is_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(dir.path());
        std::fs::write(file.path(), "{not json").unwrap();
        assert_eq!(file.load(), Settings::default());
        assert!(dir.path().join("settings.json.broken").exists());
    }

    #[test]
    fn recent_folders_are_most_recent_first_without_duplicates() {
        let mut s = Settings::default();
        for i in 0..12 {
            s.remember_folder(&format!("/f{i}"));
        }
        s.remember_folder("/f5");
        assert_eq!(s.recent_folders.len(), MAX_RECENT_FOLDERS);
        assert_eq!(s.recent_folders[0], "/f5");
        assert_eq!(s.recent_folders.iter().filter(|f| *f == "/f5").count(), 1);
        assert_eq!(s.last_folder.as_deref(), Some("/f5"));
    }
}
