//! Where Newsroom keeps its own files: one decision for the desktop app, the `newsroom`
//! CLI and the publish crate, so that what one writes the other reads.
//!
//! | folder | holds | Linux | override |
//! |---|---|---|---|
//! | config | `settings.json` (name, role, categories), `portals.json`, the window's size | `$XDG_CONFIG_HOME/newsroom`, else `~/.config/newsroom` | `NEWSROOM_CONFIG_DIR` |
//! | data | indexes (`workspaces/`), the outbox, the window's web storage (`webview/`) | `$XDG_DATA_HOME/newsroom`, else `~/.local/share/newsroom` | `NEWSROOM_DATA_DIR` |
//!
//! Never inside a drafts folder, which may be shared. Tauri derives its own folders from
//! the bundle identifier ([`APP_ID`]); the app uses none of them, and whatever lands there
//! (or in the folders of the old identifier, [`LEGACY_APP_ID`]) is moved here at the next
//! start by [`UserDirs::migrate_legacy`].

mod migrate;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

pub use migrate::{MigrationNote, MigrationNoteKind};

/// The bundle identifier: reverse DNS, not ending in `.desktop` (AppStream and Flatpak
/// read that suffix as a file name). The desktop entry, the metainfo and the icons are
/// named after it.
pub const APP_ID: &str = "org.newsroom.Newsroom";

/// The identifier of the first releases, whose Tauri folders are migrated.
pub const LEGACY_APP_ID: &str = "org.newsroom.desktop";

/// Our folders' name under the platform's config and data folders.
const DIR_NAME: &str = "newsroom";

/// The two folders, and the old places that are merged into them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserDirs {
    /// Settings and portal profiles.
    pub config: PathBuf,
    /// Indexes, the outbox, the window's web storage.
    pub data: PathBuf,
    /// Old folders and where their contents belong, in the order they are merged.
    legacy: Vec<LegacyPlace>,
}

/// An old folder whose contents belong in one of ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyPlace {
    pub from: PathBuf,
    pub to: PathBuf,
}

impl UserDirs {
    /// The folders for this process's environment.
    pub fn from_env() -> UserDirs {
        UserDirs::resolve(|key| std::env::var_os(key))
    }

    /// The folders for the environment `var` reads (`HOME`, `XDG_CONFIG_HOME`,
    /// `XDG_DATA_HOME`, `NEWSROOM_CONFIG_DIR`, `NEWSROOM_DATA_DIR`): pure, for tests.
    ///
    /// A `NEWSROOM_*_DIR` override is used as it is and turns migration into it off: a
    /// test or a script pointing at a scratch folder must never pull the user's real
    /// settings into it.
    pub fn resolve(var: impl Fn(&str) -> Option<OsString>) -> UserDirs {
        let set = |key: &str| var(key).filter(|v| !v.is_empty()).map(PathBuf::from);
        let (config_home, data_home) = platform_homes(&var);
        let config_override = set("NEWSROOM_CONFIG_DIR");
        let data_override = set("NEWSROOM_DATA_DIR");
        let config = config_override
            .clone()
            .unwrap_or_else(|| config_home.join(DIR_NAME));
        let data = data_override
            .clone()
            .unwrap_or_else(|| data_home.join(DIR_NAME));
        let mut legacy = Vec::new();
        if config_override.is_none() {
            // the app's settings.json and .window-state.json (Tauri's app_config_dir)
            for id in [LEGACY_APP_ID, APP_ID] {
                legacy.push(LegacyPlace {
                    from: config_home.join(id),
                    to: config.clone(),
                });
            }
        }
        if data_override.is_none() {
            // WebKit's storage (the page's localStorage: pane widths, last draft), which
            // Tauri puts in app_local_data_dir unless told otherwise
            for id in [LEGACY_APP_ID, APP_ID] {
                legacy.push(LegacyPlace {
                    from: data_home.join(id),
                    to: data.join(WEBVIEW_DIR),
                });
            }
        }
        UserDirs {
            config,
            data,
            legacy,
        }
    }

    /// The user's settings, shared by the app and the CLI.
    pub fn settings_file(&self) -> PathBuf {
        self.config.join("settings.json")
    }

    /// Portal profiles (never passwords).
    pub fn portals_file(&self) -> PathBuf {
        self.config.join("portals.json")
    }

    /// The main window's size and position (tauri-plugin-window-state).
    pub fn window_state_file(&self) -> PathBuf {
        self.config.join(".window-state.json")
    }

    /// The window's web storage (WebKit's data and cache folder).
    pub fn webview_dir(&self) -> PathBuf {
        self.data.join(WEBVIEW_DIR)
    }

    /// One folder per drafts folder, each with its index.
    pub fn workspaces_dir(&self) -> PathBuf {
        self.data.join("workspaces")
    }

    /// The old places merged by [`UserDirs::migrate_legacy`].
    pub fn legacy_places(&self) -> &[LegacyPlace] {
        &self.legacy
    }
}

const WEBVIEW_DIR: &str = "webview";

/// The config folder for this process (see [`UserDirs`]).
pub fn config_dir() -> PathBuf {
    UserDirs::from_env().config
}

/// The data folder for this process (see [`UserDirs`]).
pub fn data_dir() -> PathBuf {
    UserDirs::from_env().data
}

/// The platform's config and data homes. On Linux and the BSDs the XDG base directories
/// (relative values are ignored, as the specification says); elsewhere the platform's
/// config and local data folders as the `directories` crate finds them.
#[cfg(all(unix, not(target_os = "macos")))]
fn platform_homes(var: &impl Fn(&str) -> Option<OsString>) -> (PathBuf, PathBuf) {
    let absolute = |key: &str| var(key).map(PathBuf::from).filter(|p| p.is_absolute());
    let home = absolute("HOME").unwrap_or_else(|| std::env::temp_dir().join(DIR_NAME));
    let config = absolute("XDG_CONFIG_HOME").unwrap_or_else(|| home.join(".config"));
    let data = absolute("XDG_DATA_HOME").unwrap_or_else(|| home.join(".local/share"));
    (config, data)
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn platform_homes(_var: &impl Fn(&str) -> Option<OsString>) -> (PathBuf, PathBuf) {
    match directories::BaseDirs::new() {
        Some(base) => (
            base.config_dir().to_path_buf(),
            base.data_local_dir().to_path_buf(),
        ),
        None => {
            let tmp = std::env::temp_dir().join(DIR_NAME);
            (tmp.clone(), tmp)
        }
    }
}

/// `path` shown with `~` for the home folder, for notes a person reads.
pub fn display(path: &Path) -> String {
    match std::env::var_os("HOME").map(PathBuf::from) {
        Some(home) if !home.as_os_str().is_empty() => match path.strip_prefix(&home) {
            Ok(rest) => format!("~/{}", rest.display()),
            Err(_) => path.display().to_string(),
        },
        _ => path.display().to_string(),
    }
}

#[cfg(all(test, unix, not(target_os = "macos")))]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn dirs(vars: &[(&str, &str)]) -> UserDirs {
        let vars: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        UserDirs::resolve(|k| vars.get(k).cloned())
    }

    #[test]
    fn home_alone_gives_the_xdg_defaults_and_the_four_old_places() {
        let d = dirs(&[("HOME", "/home/ana")]);
        assert_eq!(d.config, Path::new("/home/ana/.config/newsroom"));
        assert_eq!(d.data, Path::new("/home/ana/.local/share/newsroom"));
        assert_eq!(
            d.settings_file(),
            Path::new("/home/ana/.config/newsroom/settings.json")
        );
        assert_eq!(
            d.webview_dir(),
            Path::new("/home/ana/.local/share/newsroom/webview")
        );
        let from: Vec<_> = d.legacy_places().iter().map(|p| p.from.clone()).collect();
        assert_eq!(
            from,
            [
                "/home/ana/.config/org.newsroom.desktop",
                "/home/ana/.config/org.newsroom.Newsroom",
                "/home/ana/.local/share/org.newsroom.desktop",
                "/home/ana/.local/share/org.newsroom.Newsroom",
            ]
            .map(PathBuf::from)
        );
    }

    #[test]
    fn xdg_homes_are_respected_and_relative_ones_ignored() {
        let d = dirs(&[
            ("HOME", "/home/ana"),
            ("XDG_CONFIG_HOME", "/cfg"),
            ("XDG_DATA_HOME", "/share"),
        ]);
        assert_eq!(d.config, Path::new("/cfg/newsroom"));
        assert_eq!(d.data, Path::new("/share/newsroom"));
        assert_eq!(
            d.legacy_places()[0].from,
            Path::new("/cfg/org.newsroom.desktop")
        );
        assert_eq!(
            d.legacy_places()[2].to,
            Path::new("/share/newsroom/webview")
        );

        let d = dirs(&[("HOME", "/home/ana"), ("XDG_CONFIG_HOME", "rel/cfg")]);
        assert_eq!(d.config, Path::new("/home/ana/.config/newsroom"));
    }

    #[test]
    fn overrides_win_and_are_never_migrated_into() {
        let d = dirs(&[
            ("HOME", "/home/ana"),
            ("NEWSROOM_CONFIG_DIR", "/tmp/c"),
            ("NEWSROOM_DATA_DIR", ""),
        ]);
        assert_eq!(d.config, Path::new("/tmp/c"));
        // an empty value is no override
        assert_eq!(d.data, Path::new("/home/ana/.local/share/newsroom"));
        assert!(d.legacy_places().iter().all(|p| p.to != d.config));
        assert_eq!(d.legacy_places().len(), 2);

        let d = dirs(&[
            ("HOME", "/home/ana"),
            ("NEWSROOM_CONFIG_DIR", "/tmp/c"),
            ("NEWSROOM_DATA_DIR", "/tmp/d"),
        ]);
        assert!(d.legacy_places().is_empty());
    }
}
