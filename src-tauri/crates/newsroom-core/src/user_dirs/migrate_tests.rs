#![allow(clippy::unwrap_used)]

use super::*;
use std::collections::HashMap;
use std::ffi::OsString;
use std::time::{Duration, SystemTime};

/// A temporary home and the folders its environment gives.
struct Home {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Home {
    fn new() -> Home {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        Home { _tmp: tmp, root }
    }

    fn dirs(&self, extra: &[(&str, PathBuf)]) -> UserDirs {
        let mut vars: HashMap<String, OsString> = HashMap::new();
        vars.insert("HOME".into(), self.root.clone().into());
        for (k, v) in extra {
            vars.insert(k.to_string(), v.clone().into());
        }
        UserDirs::resolve(|k| vars.get(k).cloned())
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.root.join(rel)).unwrap()
    }

    fn exists(&self, rel: &str) -> bool {
        self.root.join(rel).exists()
    }
}

fn age(path: &Path, seconds_ago: u64) {
    let f = fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(seconds_ago))
        .unwrap();
}

#[test]
fn the_old_app_config_folder_moves_into_ours_once() {
    let home = Home::new();
    home.write(
        ".config/org.newsroom.desktop/settings.json",
        r#"{"user_name":"Ana","role":"editor"}"#,
    );
    home.write(".config/org.newsroom.desktop/.window-state.json", "{}");
    // what the CLI already kept in the new place stays
    home.write(".config/newsroom/portals.json", r#"{"portals":[]}"#);
    let dirs = home.dirs(&[]);

    let notes = dirs.migrate_legacy();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes.iter().all(|n| n.kind == MigrationNoteKind::Moved));
    assert_eq!(
        home.read(".config/newsroom/settings.json"),
        r#"{"user_name":"Ana","role":"editor"}"#
    );
    assert!(home.exists(".config/newsroom/.window-state.json"));
    assert!(home.exists(".config/newsroom/portals.json"));
    assert!(!home.exists(".config/org.newsroom.desktop"));
    let log = home.read(".local/share/newsroom/migration.log");
    assert!(log.contains("settings.json"), "{log}");

    // idempotent: nothing left to do, the log not written again
    assert!(dirs.migrate_legacy().is_empty());
    assert_eq!(home.read(".local/share/newsroom/migration.log"), log);
}

#[test]
fn a_folder_tauri_made_for_the_new_identifier_is_merged_too() {
    let home = Home::new();
    home.write(".config/org.newsroom.Newsroom/.window-state.json", "{}");
    fs::create_dir_all(home.root.join(".config/newsroom")).unwrap();
    let notes = home.dirs(&[]).migrate_legacy();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(home.exists(".config/newsroom/.window-state.json"));
    assert!(!home.exists(".config/org.newsroom.Newsroom"));

    // an empty folder (the window-state plugin creates it on exit) is simply removed
    fs::create_dir_all(home.root.join(".config/org.newsroom.Newsroom")).unwrap();
    assert!(home.dirs(&[]).migrate_legacy().is_empty());
    assert!(!home.exists(".config/org.newsroom.Newsroom"));
}

#[test]
fn the_old_web_storage_moves_under_the_data_folder_beside_the_indexes() {
    let home = Home::new();
    home.write(
        ".local/share/org.newsroom.desktop/localstorage/tauri_localhost_0.localstorage",
        "pane widths",
    );
    home.write(".local/share/org.newsroom.Newsroom/cookies", "c");
    let index = home.write(".local/share/newsroom/workspaces/ab12/index.sqlite3", "db");
    home.write(".local/share/newsroom/publish.sqlite3", "outbox");

    let notes = home.dirs(&[]).migrate_legacy();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(
        home.read(".local/share/newsroom/webview/localstorage/tauri_localhost_0.localstorage"),
        "pane widths"
    );
    assert_eq!(home.read(".local/share/newsroom/webview/cookies"), "c");
    assert_eq!(fs::read_to_string(index).unwrap(), "db");
    assert_eq!(home.read(".local/share/newsroom/publish.sqlite3"), "outbox");
    assert!(!home.exists(".local/share/org.newsroom.desktop"));
    assert!(!home.exists(".local/share/org.newsroom.Newsroom"));
}

#[test]
fn a_newer_file_in_the_new_place_is_never_overwritten() {
    let home = Home::new();
    let old = home.write(".config/org.newsroom.desktop/settings.json", "old");
    home.write(".config/newsroom/settings.json", "new");
    age(&old, 3600);

    let notes = home.dirs(&[]).migrate_legacy();
    assert_eq!(home.read(".config/newsroom/settings.json"), "new");
    assert_eq!(
        home.read(".config/newsroom/settings.json.before-migration"),
        "old"
    );
    assert!(matches!(notes[0].kind, MigrationNoteKind::KeptOlder { .. }));
    assert!(notes[0].to_string().contains("before-migration"));
    assert!(!home.exists(".config/org.newsroom.desktop"));
}

#[test]
fn a_newer_file_in_the_old_place_takes_the_name_and_the_older_is_kept() {
    let home = Home::new();
    home.write(".config/org.newsroom.desktop/settings.json", "newer");
    let existing = home.write(".config/newsroom/settings.json", "older");
    home.write(
        ".config/newsroom/settings.json.before-migration",
        "earlier run",
    );
    age(&existing, 3600);

    home.dirs(&[]).migrate_legacy();
    assert_eq!(home.read(".config/newsroom/settings.json"), "newer");
    assert_eq!(
        home.read(".config/newsroom/settings.json.before-migration"),
        "earlier run"
    );
    assert_eq!(
        home.read(".config/newsroom/settings.json.before-migration.2"),
        "older"
    );
}

#[test]
fn the_same_file_in_both_places_is_dropped_from_the_old_one() {
    let home = Home::new();
    home.write(".config/org.newsroom.desktop/settings.json", "same");
    home.write(".config/newsroom/settings.json", "same");
    let notes = home.dirs(&[]).migrate_legacy();
    assert_eq!(notes[0].kind, MigrationNoteKind::SameAsNew);
    assert!(!home.exists(".config/newsroom/settings.json.before-migration"));
    assert!(!home.exists(".config/org.newsroom.desktop"));
}

#[test]
fn xdg_homes_are_migrated_within_themselves() {
    let home = Home::new();
    let (cfg, share) = (home.root.join("cfg"), home.root.join("share"));
    home.write("cfg/org.newsroom.desktop/settings.json", "s");
    home.write("share/org.newsroom.desktop/x", "w");
    // the default places under HOME are not looked at when XDG says otherwise
    home.write(".config/org.newsroom.desktop/settings.json", "other");
    let dirs = home.dirs(&[("XDG_CONFIG_HOME", cfg), ("XDG_DATA_HOME", share)]);
    assert_eq!(dirs.migrate_legacy().len(), 2);
    assert_eq!(home.read("cfg/newsroom/settings.json"), "s");
    assert_eq!(home.read("share/newsroom/webview/x"), "w");
    assert!(home.exists(".config/org.newsroom.desktop/settings.json"));
}

#[test]
fn overridden_folders_never_receive_the_users_real_settings() {
    let home = Home::new();
    home.write(".config/org.newsroom.desktop/settings.json", "real");
    home.write(".local/share/org.newsroom.desktop/x", "real");
    let dirs = home.dirs(&[
        ("NEWSROOM_CONFIG_DIR", home.root.join("scratch/c")),
        ("NEWSROOM_DATA_DIR", home.root.join("scratch/d")),
    ]);
    assert!(dirs.migrate_legacy().is_empty());
    assert!(home.exists(".config/org.newsroom.desktop/settings.json"));
    assert!(!home.exists("scratch"));
}

#[test]
fn two_processes_migrating_at_once_lose_nothing() {
    let home = Home::new();
    for i in 0..40 {
        home.write(
            &format!(".config/org.newsroom.desktop/f{i}"),
            &i.to_string(),
        );
        home.write(
            &format!(".local/share/org.newsroom.desktop/storage/s{i}"),
            &i.to_string(),
        );
    }
    // the new places exist, so the merge goes file by file
    fs::create_dir_all(home.root.join(".config/newsroom")).unwrap();
    fs::create_dir_all(home.root.join(".local/share/newsroom/webview/storage")).unwrap();
    let dirs = home.dirs(&[]);
    let notes: Vec<MigrationNote> = std::thread::scope(|s| {
        let a = s.spawn(|| dirs.migrate_legacy());
        let b = s.spawn(|| dirs.migrate_legacy());
        let mut notes = a.join().unwrap();
        notes.extend(b.join().unwrap());
        notes
    });
    assert!(
        notes.iter().all(|n| n.kind == MigrationNoteKind::Moved),
        "{notes:?}"
    );
    for i in 0..40 {
        assert_eq!(home.read(&format!(".config/newsroom/f{i}")), i.to_string());
        assert_eq!(
            home.read(&format!(".local/share/newsroom/webview/storage/s{i}")),
            i.to_string()
        );
    }
    assert!(!home.exists(".config/org.newsroom.desktop"));
    assert!(!home.exists(".local/share/org.newsroom.desktop"));
}
