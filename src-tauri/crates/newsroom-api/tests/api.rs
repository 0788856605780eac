//! The commands' bodies called directly, as the app's wrappers call them, on a temp
//! drafts folder: what the page gets back, and the codes it branches on.

#![allow(clippy::unwrap_used)] // test helpers fail loudly

use std::collections::BTreeMap;

use newsroom_api::drafts::{self, FrontMatterValue};
use newsroom_api::review;
use newsroom_api::settings::{self, DEFAULT_CATEGORIES, Role, Settings, SettingsFile, Theme};
use newsroom_api::{ErrorCode, events::Event};
use newsroom_core::{SaveOutcome, Status, Workspace};

struct Desk {
    _dir: tempfile::TempDir,
    ws: Workspace,
}

fn desk(files: &[(&str, &str)]) -> Desk {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("drafts");
    std::fs::create_dir_all(root.join("world")).unwrap();
    for (path, text) in files {
        std::fs::write(root.join(path), text).unwrap();
    }
    let (ws, _) =
        Workspace::open_with_index(&root, &dir.path().join("index/index.db")).expect("opens");
    Desk { _dir: dir, ws }
}

const MINSK: &str =
    "---\ntitle: Talks in Minsk\nstatus: draft\ncategories: [World]\n---\n\nDelegates met.\n";

fn named(role: Role) -> Settings {
    Settings {
        user_name: "Ana Kovač".into(),
        role,
        ..Settings::default()
    }
}

#[test]
fn open_list_and_read() {
    let d = desk(&[("world/minsk.md", MINSK), ("notes.md", "# Notes\n")]);
    let info = drafts::workspace_info(&d.ws).unwrap();
    assert_eq!(info.total, 2);
    assert_eq!(info.categories, ["World"]);
    let page = drafts::list_drafts(&d.ws, None, Some(1), Some(5)).unwrap();
    assert_eq!((page.total, page.offset, page.drafts.len()), (2, 1, 1));
    let opened = drafts::read_draft(&d.ws, "world/minsk.md").unwrap();
    assert_eq!(opened.text, MINSK);
    assert_eq!(opened.summary.title, "Talks in Minsk");
    let missing = drafts::read_draft(&d.ws, "world/nowhere.md").unwrap_err();
    assert_eq!(missing.code(), ErrorCode::NotFound);
    let outside = drafts::read_draft(&d.ws, "../secret.md").unwrap_err();
    assert_eq!(outside.code(), ErrorCode::OutsideWorkspace, "{outside}");
}

#[test]
fn a_page_is_capped() {
    let d = desk(&[("world/minsk.md", MINSK)]);
    let page = drafts::list_drafts(&d.ws, None, None, Some(1_000_000)).unwrap();
    assert_eq!(page.drafts.len(), 1);
    assert_eq!(drafts::MAX_PAGE, 1000);
}

#[test]
fn saving_over_a_colleague_s_change_is_a_conflict() {
    let mut d = desk(&[("world/minsk.md", MINSK)]);
    let opened = drafts::read_draft(&d.ws, "world/minsk.md").unwrap();
    let mine = MINSK.replace("met.", "met on Monday.");
    let saved = drafts::save_draft(&mut d.ws, "world/minsk.md", &mine, Some(&opened.hash)).unwrap();
    assert!(matches!(saved, SaveOutcome::Saved { .. }), "{saved:?}");
    // the editor still holds the first hash: the file changed since
    let again = MINSK.replace("met.", "met on Tuesday.");
    let outcome =
        drafts::save_draft(&mut d.ws, "world/minsk.md", &again, Some(&opened.hash)).unwrap();
    let SaveOutcome::Conflict { kept_as, .. } = outcome else {
        panic!("expected a conflict, got {outcome:?}");
    };
    assert!(kept_as.contains(".conflict-"), "{kept_as}");
    assert_eq!(
        drafts::read_draft(&d.ws, "world/minsk.md").unwrap().text,
        mine,
        "the file keeps what was saved first"
    );
    let json = serde_json::to_value(
        drafts::save_draft(&mut d.ws, "world/minsk.md", &again, Some(&opened.hash)).unwrap(),
    )
    .unwrap();
    assert_eq!(json["kind"], "conflict");
}

#[test]
fn front_matter_changes_are_pure_and_status_is_refused() {
    let mut changes = BTreeMap::new();
    changes.insert(
        "tags".to_owned(),
        Some(FrontMatterValue::List(vec![
            "talks, peace".into(),
            " ".into(),
        ])),
    );
    changes.insert(
        "title".to_owned(),
        Some(FrontMatterValue::Text("Minsk".into())),
    );
    changes.insert("categories".to_owned(), None);
    let text = drafts::update_front_matter(MINSK, changes).unwrap();
    assert!(text.contains("title: Minsk\n"), "{text}");
    assert!(text.contains("talks, peace"), "{text}");
    assert!(!text.contains("categories"), "{text}");
    assert!(text.ends_with("\nDelegates met.\n"));

    let mut status = BTreeMap::new();
    status.insert(
        "status".to_owned(),
        Some(FrontMatterValue::Text("published".into())),
    );
    let err = drafts::update_front_matter(MINSK, status).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidDraft, "{err}");
    assert!(err.to_string().contains("review workflow"), "{err}");
}

#[test]
fn front_matter_is_read_as_the_core_reads_it() {
    let fm = drafts::read_front_matter(
        "---\ntitle: ~\nauthor: null\nslug: 1.50\nbase: &b World\ncategories: [*b]\n---\nBody\n",
    )
    .unwrap();
    assert_eq!(fm.title, None);
    assert_eq!(fm.author, None);
    assert_eq!(fm.slug.as_deref(), Some("1.5"));
    assert_eq!(fm.categories, ["World"]);
    let err = drafts::read_front_matter("---\ntitle: [\n---\n").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidDraft);
}

#[test]
fn a_reporter_may_not_approve() {
    let mut d = desk(&[("world/minsk.md", MINSK)]);
    let now = time::OffsetDateTime::now_utc();
    let reporter = named(Role::Reporter);
    let moves = review::review_transitions(&reporter, Status::Draft, None);
    assert!(moves.iter().all(|m| m.to != Status::Approved));
    let submitted = review::review_transition(
        &mut d.ws,
        &reporter,
        "world/minsk.md",
        Status::InReview,
        None,
        now,
    )
    .unwrap();
    assert_eq!(submitted.summary.status, Status::InReview);
    let refused = review::review_transition(
        &mut d.ws,
        &reporter,
        "world/minsk.md",
        Status::Approved,
        None,
        now,
    )
    .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::InvalidArgument, "{refused}");
    let editor = named(Role::Editor);
    assert!(
        review::review_transitions(&editor, Status::InReview, None)
            .iter()
            .any(|m| m.to == Status::Approved && m.label == "Approve")
    );
    let approved = review::review_transition(
        &mut d.ws,
        &editor,
        "world/minsk.md",
        Status::Approved,
        Some("  "),
        now,
    )
    .unwrap();
    assert_eq!(approved.summary.status, Status::Approved);
    // no name, no trail entry
    let anonymous = Settings::default();
    let err = review::review_transition(
        &mut d.ws,
        &anonymous,
        "world/minsk.md",
        Status::InReview,
        None,
        now,
    )
    .unwrap_err();
    assert!(err.to_string().contains("set your name"), "{err}");
}

#[test]
fn settings_round_trip_with_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let file = SettingsFile::in_dir(&dir.path().join("config"));
    let first = file.load();
    assert_eq!(first, Settings::default());
    assert_eq!(first.categories, DEFAULT_CATEGORIES.map(String::from));
    assert_eq!(first.role, Role::Reporter);
    let sent = Settings {
        user_name: "  Bo  ".into(),
        role: Role::Desk,
        theme: Theme::Dark,
        categories: vec!["World".into(), "world".into(), " ".into(), "Sports".into()],
        ..Settings::default()
    };
    let kept = settings::save(&file, sent).unwrap();
    assert_eq!(kept.user_name, "Bo");
    assert_eq!(kept.categories, ["World", "Sports"]);
    assert_eq!(file.load(), kept);
    assert_eq!(settings::get(&kept), kept);
    let json = serde_json::to_value(&kept).unwrap();
    assert_eq!(json["role"], "desk");
}

#[test]
fn new_drafts_carry_the_user_s_name() {
    let mut d = desk(&[]);
    let opened = drafts::new_draft(
        &mut d.ws,
        &named(Role::Reporter),
        "Floods in the north".into(),
        Some(vec!["World".into()]),
        None,
    )
    .unwrap();
    assert!(opened.text.contains("author: Ana Kovač"), "{}", opened.text);
    assert_eq!(opened.summary.categories, ["World"]);
}

#[test]
fn locks_name_the_colleague_editing() {
    let d = desk(&[("world/minsk.md", MINSK)]);
    let now = time::OffsetDateTime::now_utc();
    assert_eq!(
        review::lock_hold(&d.ws, &named(Role::Editor), "world/minsk.md", now).unwrap(),
        None
    );
    review::lock_release(&d.ws, &named(Role::Editor), "world/minsk.md").unwrap();
}

#[test]
fn events_carry_their_names() {
    let e = Event::ReviewNotification(newsroom_api::events::ReviewNotification {
        path: "a.md".into(),
        message: "m".into(),
    });
    assert_eq!(e.name(), "review-notification");
}
