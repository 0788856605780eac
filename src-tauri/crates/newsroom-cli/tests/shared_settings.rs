//! One configuration: what the desktop app writes in its Settings (name, role, categories)
//! the `newsroom` command reads from the same file, found the same way (`HOME`,
//! `XDG_CONFIG_HOME`), and settings an older app left in its own folder are moved there
//! on the command's first run.

#![allow(clippy::unwrap_used)] // test helpers fail loudly

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use newsroom_api::settings::{Role, Settings, SettingsFile};
use newsroom_core::user_dirs::UserDirs;

struct Computer {
    dir: tempfile::TempDir,
    home: PathBuf,
    drafts: PathBuf,
}

fn computer() -> Computer {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let drafts = dir.path().join("drafts");
    fs::create_dir_all(drafts.join("world")).unwrap();
    fs::create_dir_all(&home).unwrap();
    fs::write(
        drafts.join("world/minsk.md"),
        "---\ntitle: Minsk talks stall\nstatus: draft\n---\n\nDelegations met.\n",
    )
    .unwrap();
    Computer { dir, home, drafts }
}

impl Computer {
    /// The folders the app computes for this home (and `xdg_config`, when set).
    fn dirs(&self, xdg_config: Option<&Path>) -> UserDirs {
        let home = self.home.clone();
        let xdg = xdg_config.map(Path::to_path_buf);
        UserDirs::resolve(move |k| match k {
            "HOME" => Some(home.clone().into()),
            "XDG_CONFIG_HOME" => xdg.clone().map(Into::into),
            _ => None,
        })
    }

    /// What the app's Settings dialog does on save (`save_settings`).
    fn app_saves(&self, dirs: &UserDirs, name: &str, role: Role) {
        let file = SettingsFile::in_dir(&dirs.config);
        let settings = Settings {
            user_name: name.into(),
            role,
            categories: vec!["World".into(), "Desk notes".into()],
            ..Settings::default()
        };
        newsroom_api::settings::save(&file, settings).unwrap();
    }

    fn newsroom(&self, xdg_config: Option<&Path>, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsroom"));
        cmd.args(args)
            .env("HOME", &self.home)
            .env("NEWSROOM_DRAFTS", &self.drafts)
            .env("NEWSROOM_KEYRING", "off")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_DATA_HOME")
            .env_remove("NEWSROOM_CONFIG_DIR")
            .env_remove("NEWSROOM_DATA_DIR")
            .env_remove("NEWSROOM_USER")
            .env_remove("NEWSROOM_AUTHOR")
            .env_remove("NEWSROOM_ROLE");
        if let Some(x) = xdg_config {
            cmd.env("XDG_CONFIG_HOME", x);
        }
        cmd.output().unwrap()
    }
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&o.stderr),
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn the_name_and_role_set_in_the_app_are_the_commands_defaults() {
    let c = computer();
    let dirs = c.dirs(None);
    assert_eq!(dirs.config, c.home.join(".config/newsroom"));
    c.app_saves(&dirs, "Edith Moreau", Role::Editor);

    let config: serde_json::Value =
        serde_json::from_str(&ok(&c.newsroom(None, &["config", "--json"]))).unwrap();
    assert_eq!(config["user_name"], "Edith Moreau");
    assert_eq!(config["role"], "editor");
    assert_eq!(config["categories"][1], "Desk notes");
    assert_eq!(
        config["settings_file"],
        c.home
            .join(".config/newsroom/settings.json")
            .to_str()
            .unwrap()
    );
    assert_eq!(
        config["data_dir"],
        c.home.join(".local/share/newsroom").to_str().unwrap()
    );

    // the review trail and the byline, without --as or the environment
    let minsk = c.drafts.join("world/minsk.md");
    ok(&c.newsroom(None, &["submit", minsk.to_str().unwrap()]));
    let text = fs::read_to_string(&minsk).unwrap();
    assert!(text.contains("by: Edith Moreau"), "{text}");
    // an editor may move a draft in review back to draft; a reporter may not
    let moves = ok(&c.newsroom(None, &["transition", minsk.to_str().unwrap()]));
    assert!(moves.contains("approved"), "{moves}");

    let new = ok(&c.newsroom(None, &["new", "--title", "Ferries resume"]));
    let text = fs::read_to_string(new.trim()).unwrap();
    assert!(text.contains("author: Edith Moreau"), "{text}");
    // the index went to the shared data folder, not into the drafts folder
    assert!(c.home.join(".local/share/newsroom/workspaces").is_dir());
}

#[test]
fn xdg_config_home_is_where_both_look() {
    let c = computer();
    let xdg = c.dir.path().join("xdg-config");
    let dirs = c.dirs(Some(&xdg));
    assert_eq!(dirs.config, xdg.join("newsroom"));
    c.app_saves(&dirs, "Omar Haddad", Role::Desk);
    let config: serde_json::Value =
        serde_json::from_str(&ok(&c.newsroom(Some(&xdg), &["config", "--json"]))).unwrap();
    assert_eq!(config["user_name"], "Omar Haddad");
    assert_eq!(config["role"], "desk");
    // not the default place
    let config: serde_json::Value =
        serde_json::from_str(&ok(&c.newsroom(None, &["config", "--json"]))).unwrap();
    assert_eq!(config["user_name"], serde_json::Value::Null);
}

#[test]
fn settings_an_older_app_left_in_its_own_folder_are_moved_on_the_first_run() {
    let c = computer();
    let old = c.home.join(".config/org.newsroom.desktop");
    fs::create_dir_all(&old).unwrap();
    fs::write(
        old.join("settings.json"),
        r#"{"user_name":"Ana Kovač","role":"reporter","theme":"dark"}"#,
    )
    .unwrap();

    let o = c.newsroom(None, &["config", "--json"]);
    let config: serde_json::Value = serde_json::from_str(&ok(&o)).unwrap();
    assert_eq!(config["user_name"], "Ana Kovač");
    let note = String::from_utf8_lossy(&o.stderr);
    assert!(
        note.contains("moved ~/.config/org.newsroom.desktop"),
        "{note}"
    );
    assert!(!old.exists());
    assert!(c.home.join(".config/newsroom/settings.json").is_file());
    assert!(
        fs::read_to_string(c.home.join(".local/share/newsroom/migration.log"))
            .unwrap()
            .contains("org.newsroom.desktop")
    );

    // once: the second run says nothing
    let o = c.newsroom(None, &["config"]);
    ok(&o);
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
