//! Review on a real folder: reporter, editor and desk, each with their own workspace
//! (their own computer's index) on one shared drafts folder.

// Helpers outside #[test] fns unwrap too: a failure there is the test failing.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::sync::mpsc;
use std::time::Duration;

use newsroom_core::Status;
use newsroom_core::critic;
use newsroom_core::review::notify::notification_for_text;
use newsroom_core::review::queue::{self, CheckId, DiffBasis};
use newsroom_core::review::workflow::{self, Actor, Role};
use newsroom_core::watch::DraftChange;
use newsroom_core::workspace::Workspace;
use time::OffsetDateTime;

const MINSK: &str = "---\ntitle: Minsk talks stall\ncategories: [World]\ntags: [Belarus, Russia]\nstatus: draft\nauthor: Ana Kovač\n---\n\nDelegations met in Minsk on Tuesday.\n\nNo ceasefire was agreed.\n";

struct Desk {
    dir: tempfile::TempDir,
    root: std::path::PathBuf,
}

fn desk() -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("drafts");
    fs::create_dir_all(root.join("world")).unwrap();
    fs::create_dir_all(root.join("images")).unwrap();
    fs::write(root.join("images/minsk.jpg"), b"jpg").unwrap();
    fs::write(root.join("world/minsk.md"), MINSK).unwrap();
    fs::write(
        root.join("derby.md"),
        "---\ntitle: Derby ends level\ncategories: [Sports]\nstatus: draft\n---\nOne all.\n",
    )
    .unwrap();
    Desk { dir, root }
}

/// Someone's computer: their own index over the shared folder.
fn computer(d: &Desk, who: &str) -> Workspace {
    let index = d.dir.path().join(format!("data-{who}/index.sqlite3"));
    Workspace::open_with_index(&d.root, &index).unwrap().0
}

fn actor(name: &str, role: Role) -> Actor {
    Actor {
        name: name.into(),
        role,
    }
}

fn at(minutes: i64) -> OffsetDateTime {
    OffsetDateTime::now_utc() - Duration::from_secs(3600) + time::Duration::minutes(minutes)
}

#[test]
fn a_piece_goes_from_reporter_to_editor_to_desk() {
    let d = desk();
    let mut ana_ws = computer(&d, "ana");
    let mut edith_ws = computer(&d, "edith");
    let mut desk_ws = computer(&d, "desk");
    let ana = actor("Ana Kovač", Role::Reporter);
    let edith = actor("Edith Moreau", Role::Editor);
    let desk = actor("Desk", Role::Desk);

    // The reporter submits; the body stays byte for byte.
    let out = workflow::apply_transition(
        &mut ana_ws,
        "world/minsk.md",
        &ana,
        Status::InReview,
        Some("Ready"),
        at(0),
    )
    .unwrap();
    assert_eq!(out.entry.from, Status::Draft);
    let text = fs::read_to_string(d.root.join("world/minsk.md")).unwrap();
    assert!(
        text.ends_with("---\n\nDelegations met in Minsk on Tuesday.\n\nNo ceasefire was agreed.\n")
    );
    assert!(text.contains("status: in-review\n"), "{text}");

    // A reporter cannot approve, and the error names the file.
    let err = workflow::apply_transition(
        &mut ana_ws,
        "world/minsk.md",
        &ana,
        Status::Approved,
        None,
        at(1),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("world/minsk.md") && err.contains("a reporter cannot approve"),
        "{err}"
    );

    // The editor's queue: submitted by Ana, nothing changed since the submission.
    edith_ws.rescan().unwrap();
    let q = queue::review_queue(&edith_ws, Status::InReview, Some("Edith Moreau")).unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].entered.as_ref().unwrap().by, "Ana Kovač");
    assert_eq!(
        q[0].entered.as_ref().unwrap().note.as_deref(),
        Some("Ready")
    );
    let changes = q[0].changes.as_ref().unwrap();
    assert_eq!(changes.basis, DiffBasis::Submission);
    assert_eq!((changes.lines_added, changes.lines_removed), (0, 0));

    // She suggests an edit in the text and requests changes.
    let opened = edith_ws.read("world/minsk.md").unwrap();
    let suggested = opened.text.replace(
        "on Tuesday",
        "on {~~Tuesday~>Wednesday~~}{>>EM: check the date<<}",
    );
    edith_ws
        .save("world/minsk.md", &suggested, Some(&opened.hash))
        .unwrap();
    workflow::apply_transition(
        &mut edith_ws,
        "world/minsk.md",
        &edith,
        Status::ChangesRequested,
        Some("Date?"),
        at(10),
    )
    .unwrap();

    // The reporter accepts the suggestion, adds a line and resubmits.
    let opened = ana_ws.read("world/minsk.md").unwrap();
    let marks = critic::marks(&opened.text);
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0].author.as_deref(), Some("EM"));
    let accepted = critic::accept(&opened.text, &marks[0].id).unwrap();
    let edited = accepted.replace(
        "No ceasefire was agreed.\n",
        "No ceasefire was agreed.\n\nTalks resume in January.\n",
    );
    ana_ws
        .save("world/minsk.md", &edited, Some(&opened.hash))
        .unwrap();
    workflow::apply_transition(
        &mut ana_ws,
        "world/minsk.md",
        &ana,
        Status::InReview,
        None,
        at(20),
    )
    .unwrap();

    // The editor sees what changed since her own review, on her own computer.
    edith_ws.rescan().unwrap();
    let q = queue::review_queue(&edith_ws, Status::InReview, Some("edith moreau")).unwrap();
    let changes = q[0].changes.as_ref().unwrap();
    assert_eq!(changes.basis, DiffBasis::YourReview);
    assert!(
        changes.diff.contains("+Talks resume in January."),
        "{}",
        changes.diff
    );
    assert!(
        changes
            .diff
            .contains("+Delegations met in Minsk on Wednesday.")
    );
    assert!(
        changes
            .diff
            .contains("-Delegations met in Minsk on {~~Tuesday")
    );
    // The app's view of the same change marks the words, not the paragraph.
    let inserted = changes
        .lines
        .iter()
        .find(|l| l.tag == "insert" && l.text.starts_with("Delegations met"))
        .expect("the changed paragraph");
    let marked: Vec<&str> = inserted
        .words
        .iter()
        .filter(|w| w.changed)
        .map(|w| w.text.as_str())
        .collect();
    assert!(
        !marked.is_empty() && !marked.iter().any(|w| w.contains("Delegations")),
        "{inserted:?}"
    );
    assert_eq!(q[0].open_marks, 0);

    workflow::apply_transition(
        &mut edith_ws,
        "world/minsk.md",
        &edith,
        Status::Approved,
        None,
        at(30),
    )
    .unwrap();

    // The desk's queue and checklist.
    desk_ws.rescan().unwrap();
    let q = queue::desk_queue(&desk_ws, Status::Approved, Some(&["World".to_owned()])).unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].entered.as_ref().unwrap().by, "Edith Moreau");
    assert!(!q[0].ready);
    let failed: Vec<CheckId> = q[0]
        .checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.id)
        .collect();
    assert_eq!(failed, vec![CheckId::Excerpt, CheckId::FeaturedImage]);

    // Scheduling needs a time; then the desk schedules and publishes.
    let err = workflow::apply_transition(
        &mut desk_ws,
        "world/minsk.md",
        &desk,
        Status::Scheduled,
        None,
        at(40),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("publish_at"), "{err}");
    desk_ws
        .set_metadata(
            "world/minsk.md",
            &[newsroom_core::front_matter_edit::Change::set_text(
                "publish_at",
                "2026-12-01T08:00:00+01:00",
            )],
        )
        .unwrap();
    workflow::apply_transition(
        &mut desk_ws,
        "world/minsk.md",
        &desk,
        Status::Scheduled,
        None,
        at(41),
    )
    .unwrap();
    workflow::apply_transition(
        &mut desk_ws,
        "world/minsk.md",
        &desk,
        Status::Published,
        None,
        at(42),
    )
    .unwrap();

    // The whole story is in the file.
    let (_, draft) = desk_ws.parse("world/minsk.md").unwrap();
    let trail: Vec<(String, Status, Status)> = workflow::trail(&draft)
        .into_iter()
        .map(|e| (e.by, e.from, e.to))
        .collect();
    assert_eq!(
        trail,
        vec![
            ("Ana Kovač".into(), Status::Draft, Status::InReview),
            (
                "Edith Moreau".into(),
                Status::InReview,
                Status::ChangesRequested
            ),
            (
                "Ana Kovač".into(),
                Status::ChangesRequested,
                Status::InReview
            ),
            ("Edith Moreau".into(), Status::InReview, Status::Approved),
            ("Desk".into(), Status::Approved, Status::Scheduled),
            ("Desk".into(), Status::Scheduled, Status::Published),
        ]
    );
    assert_eq!(draft.front_matter.status, Status::Published);
    assert!(draft.body().contains("Talks resume in January."));
}

#[test]
fn the_review_queue_is_oldest_submission_first() {
    let d = desk();
    let mut ws = computer(&d, "ana");
    let ana = actor("Ana Kovač", Role::Reporter);
    workflow::apply_transition(&mut ws, "derby.md", &ana, Status::InReview, None, at(5)).unwrap();
    workflow::apply_transition(
        &mut ws,
        "world/minsk.md",
        &ana,
        Status::InReview,
        None,
        at(1),
    )
    .unwrap();
    let q = queue::review_queue(&ws, Status::InReview, None).unwrap();
    let paths: Vec<&str> = q.iter().map(|i| i.draft.path.as_str()).collect();
    assert_eq!(paths, vec!["world/minsk.md", "derby.md"]);
    assert!(q.iter().all(|i| i.changes.is_none()));
    // Without a trail entry the file's time counts.
    fs::write(
        d.root.join("old.md"),
        "---\ntitle: Old\nstatus: in-review\n---\nx\n",
    )
    .unwrap();
    ws.rescan().unwrap();
    let q = queue::review_queue(&ws, Status::InReview, None).unwrap();
    assert_eq!(q.len(), 3);
    assert!(
        q.iter()
            .any(|i| i.draft.path == "old.md" && i.entered.is_none())
    );
}

#[test]
fn the_checklist_names_each_problem() {
    let d = desk();
    let ws = computer(&d, "desk");
    let long = "A".repeat(71);
    let text = format!(
        "---\ntitle: {long}\ncategories: [Culture]\nexcerpt: {}\nfeatured_image: ../images/minsk.jpg\n---\n{{>>AK: source?<<}} ![x](gone.png)\n",
        "e".repeat(301)
    );
    fs::write(d.root.join("world/bad.md"), &text).unwrap();
    let draft = newsroom_core::Draft::parse(&text).unwrap();
    let checks = queue::checklist(
        &draft,
        ws.folder(),
        "world/bad.md",
        Some(&["World".into(), "Sports".into()]),
    );
    let by_id = |id: CheckId| checks.iter().find(|c| c.id == id).unwrap();
    assert!(by_id(CheckId::Title).passed);
    assert!(!by_id(CheckId::HeadlineLength).passed);
    assert!(
        by_id(CheckId::HeadlineLength)
            .message
            .contains("71 characters")
    );
    assert!(!by_id(CheckId::Categories).passed);
    assert!(by_id(CheckId::Categories).message.contains("Culture"));
    assert!(!by_id(CheckId::Tags).passed);
    assert!(by_id(CheckId::Excerpt).message.contains("301 characters"));
    assert!(by_id(CheckId::FeaturedImage).message.contains("alt text"));
    assert!(by_id(CheckId::OpenMarks).message.contains("line 7"));
    assert!(by_id(CheckId::Images).message.contains("gone.png"));
    assert!(checks.iter().filter(|c| c.passed).count() == 1);
}

#[test]
fn a_colleague_s_move_becomes_a_sentence() {
    let d = desk();
    let edith_ws = computer(&d, "edith");
    let (tx, rx) = mpsc::channel::<Vec<DraftChange>>();
    let watcher = edith_ws
        .watch(move |changes| {
            let _ = tx.send(changes);
        })
        .unwrap();
    // The reporter, on another computer.
    let mut ana_ws = computer(&d, "ana");
    workflow::apply_transition(
        &mut ana_ws,
        "world/minsk.md",
        &actor("Ana Kovač", Role::Reporter),
        Status::InReview,
        None,
        at(0),
    )
    .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let change = loop {
        watcher.flush();
        if let Ok(batch) = rx.recv_timeout(Duration::from_millis(200)) {
            if let Some(c) = batch.into_iter().find(|c| c.path == "world/minsk.md") {
                break c;
            }
        }
        assert!(std::time::Instant::now() < deadline, "no change seen");
    };
    let text = fs::read_to_string(d.root.join("world/minsk.md")).unwrap();
    assert_eq!(
        notification_for_text(&change, &text).as_deref(),
        Some("Ana Kovač (as the file says) submitted ‘Minsk talks stall’ for review")
    );
}

#[test]
fn a_conflict_copy_is_never_moved_queued_or_publishable() {
    let d = desk();
    let submitted = MINSK.replace("status: draft", "status: approved");
    fs::write(d.root.join("world/minsk.md"), &submitted).unwrap();
    // The losing side of a save: same title, same status as its draft.
    fs::write(
        d.root.join("world/minsk.conflict-20261126-093000.md"),
        &submitted,
    )
    .unwrap();
    let mut desk_ws = computer(&d, "desk");

    let paths = |items: Vec<queue::DeskItem>| -> Vec<String> {
        items.into_iter().map(|i| i.draft.path).collect()
    };
    assert_eq!(
        paths(queue::desk_queue(&desk_ws, Status::Approved, None).unwrap()),
        vec!["world/minsk.md".to_owned()],
        "the copy drops out of the desk queue"
    );

    let err = workflow::apply_transition(
        &mut desk_ws,
        "world/minsk.conflict-20261126-093000.md",
        &actor("Desk", Role::Desk),
        Status::Published,
        None,
        at(0),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("conflict copy"), "{err}");
    assert_eq!(
        fs::read_to_string(d.root.join("world/minsk.conflict-20261126-093000.md")).unwrap(),
        submitted,
        "a refused move writes nothing"
    );
    assert!(
        workflow::moves_for_draft(
            Role::Desk,
            Status::Approved,
            "world/minsk.conflict-20261126-093000.md"
        )
        .is_empty()
    );
    assert!(!workflow::moves_for_draft(Role::Desk, Status::Approved, "world/minsk.md").is_empty());

    let draft = newsroom_core::Draft::parse(&submitted).unwrap();
    let checks = queue::checklist(
        &draft,
        desk_ws.folder(),
        "world/minsk.conflict-20261126-093000.md",
        None,
    );
    assert!(
        checks
            .iter()
            .any(|c| c.id == CheckId::ConflictCopy && !c.passed)
    );
    let checks = queue::checklist(&draft, desk_ws.folder(), "world/minsk.md", None);
    assert!(!checks.iter().any(|c| c.id == CheckId::ConflictCopy));
}

#[test]
fn the_status_changes_only_through_the_workflow() {
    use newsroom_core::workspace::{change_from_pair, update_front_matter};
    let d = desk();
    let mut ws = computer(&d, "ana");
    let set = |ws: &mut Workspace, pairs: &[(&str, &str)]| {
        let changes: Vec<_> = pairs
            .iter()
            .map(|(k, v)| change_from_pair(k, v).unwrap())
            .collect();
        ws.set_metadata("world/minsk.md", &changes)
    };

    let err = set(&mut ws, &[("status", "approved"), ("tags", "Minsk")])
        .unwrap_err()
        .to_string();
    assert!(err.contains("newsroom transition"), "{err}");
    assert!(
        err.contains("minsk.md:5:"),
        "names the file and the status line: {err}"
    );
    assert_eq!(
        fs::read_to_string(d.root.join("world/minsk.md")).unwrap(),
        MINSK,
        "nothing written, the other keys included"
    );
    // Removing the status would make it a draft again without a trail entry.
    assert!(set(&mut ws, &[("status", "")]).is_err());
    // The status it already has, and other keys, are fine.
    set(&mut ws, &[("status", "draft"), ("tags", "Minsk")]).unwrap();
    assert!(
        fs::read_to_string(d.root.join("world/minsk.md"))
            .unwrap()
            .contains("  - Minsk\n")
    );

    // The app's editor buffer goes through the same rule.
    let text = fs::read_to_string(d.root.join("world/minsk.md")).unwrap();
    let err = update_front_matter(&text, &[change_from_pair("status", "published").unwrap()])
        .unwrap_err();
    let status_line = text.lines().position(|l| l.starts_with("status:")).unwrap() + 1;
    assert_eq!(err.line, Some(status_line));
    assert!(err.message.contains("workflow"), "{}", err.message);
}

#[test]
fn the_checklist_sees_raw_html_images() {
    let d = desk();
    let ws = computer(&d, "desk");
    fs::create_dir_all(d.root.join("world/images")).unwrap();
    fs::write(d.root.join("world/images/here.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    let text = "---\ntitle: Raw\ncategories: [World]\n---\nText.\n\n<figure>\n<img src=\"images/here.png\">\n<img src=\"images/gone.png\" alt=\"Gone\">\n</figure>\n";
    let draft = newsroom_core::Draft::parse(text).unwrap();
    let checks = queue::checklist(&draft, ws.folder(), "world/raw.md", None);
    let images = checks.iter().find(|c| c.id == CheckId::Images).unwrap();
    assert!(!images.passed);
    assert!(
        images
            .message
            .contains("line 9: image `images/gone.png` not found"),
        "{}",
        images.message
    );
    assert!(!images.message.contains("here.png"), "{}", images.message);
}

/// A history the core is given (git's, in the app): versions by commit, a log in order,
/// and what it was asked.
#[derive(Default)]
struct FakeHistory {
    head: Option<(String, String)>,
    log: Vec<(String, String)>,
    /// Commits whose versions cannot be read (not fetched yet).
    missing: Vec<String>,
    asked: std::sync::Mutex<Vec<String>>,
}

impl newsroom_core::earlier::EarlierVersions for FakeHistory {
    fn commit_holding(
        &self,
        path: &newsroom_core::WorkspacePath,
        text: &str,
    ) -> Option<newsroom_core::earlier::CommitId> {
        self.asked.lock().unwrap().push(format!("holding {path}"));
        let (commit, head) = self.head.as_ref()?;
        (head == text).then(|| newsroom_core::earlier::CommitId::parse(commit).unwrap())
    }

    fn text_at(
        &self,
        commit: &newsroom_core::earlier::CommitId,
        path: &newsroom_core::WorkspacePath,
    ) -> Option<String> {
        self.asked
            .lock()
            .unwrap()
            .push(format!("text_at {commit} {path}"));
        if self.missing.iter().any(|m| m == commit.as_str()) {
            return None;
        }
        self.log
            .iter()
            .find(|(c, _)| c == commit.as_str())
            .map(|(_, t)| t.clone())
    }

    fn first_version(
        &self,
        path: &newsroom_core::WorkspacePath,
        needle: &str,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Option<(newsroom_core::earlier::CommitId, String)> {
        self.asked
            .lock()
            .unwrap()
            .push(format!("first_version {path}"));
        self.log
            .iter()
            .find(|(_, t)| t.contains(needle) && wanted(t))
            .map(|(c, t)| {
                (
                    newsroom_core::earlier::CommitId::parse(c).unwrap(),
                    t.clone(),
                )
            })
    }
}

#[test]
fn changes_since_come_from_the_history_on_a_computer_that_never_stored_the_version() {
    let d = desk();
    let c1 = "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1";
    let c2 = "c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2";
    let mut ana_ws = computer(&d, "ana");
    let ana = actor("Ana Kovač", Role::Reporter);
    workflow::apply_transition(
        &mut ana_ws,
        "world/minsk.md",
        &ana,
        Status::InReview,
        None,
        at(0),
    )
    .unwrap();
    let submitted = fs::read_to_string(d.root.join("world/minsk.md")).unwrap();

    // The editor's computer: HEAD holds the submitted text, so her move records it.
    let mut edith_ws = computer(&d, "edith");
    let edith_history = std::sync::Arc::new(FakeHistory {
        head: Some((c1.into(), submitted.clone())),
        ..Default::default()
    });
    edith_ws.set_earlier_versions(edith_history.clone());
    let out = workflow::apply_transition(
        &mut edith_ws,
        "world/minsk.md",
        &actor("Edith Moreau", Role::Editor),
        Status::ChangesRequested,
        Some("Source?"),
        at(10),
    )
    .unwrap();
    assert_eq!(out.entry.commit.as_deref(), Some(c1));
    assert_eq!(
        *edith_history.asked.lock().unwrap(),
        ["holding world/minsk.md"]
    );
    let requested = fs::read_to_string(d.root.join("world/minsk.md")).unwrap();
    assert!(requested.contains(&format!("commit: {c1}")), "{requested}");

    let opened = ana_ws.read("world/minsk.md").unwrap();
    let edited = opened
        .text
        .replace("No ceasefire was agreed.", "No ceasefire, both sides said.");
    ana_ws
        .save("world/minsk.md", &edited, Some(&opened.hash))
        .unwrap();
    workflow::apply_transition(
        &mut ana_ws,
        "world/minsk.md",
        &ana,
        Status::InReview,
        None,
        at(20),
    )
    .unwrap();
    let resubmitted = fs::read_to_string(d.root.join("world/minsk.md")).unwrap();

    let diff_of = |ws: &Workspace| {
        let q = queue::review_queue(ws, Status::InReview, Some("Edith Moreau")).unwrap();
        q[0].changes.clone().unwrap()
    };
    let only_the_edit = |c: &queue::ChangesSince| {
        assert_eq!((c.lines_added, c.lines_removed), (1, 1), "{}", c.diff);
        assert!(c.diff.contains("-No ceasefire was agreed."), "{}", c.diff);
        assert!(
            c.diff.contains("+No ceasefire, both sides said."),
            "{}",
            c.diff
        );
    };

    // Her own computer stored the move: the store answers, git is not asked.
    edith_ws.rescan().unwrap();
    let c = diff_of(&edith_ws);
    only_the_edit(&c);
    assert!(c.revision.is_some() && c.commit.is_none());
    assert_eq!(edith_history.asked.lock().unwrap().len(), 1);

    // A laptop that never saw it: the recorded commit, on the first look and the next.
    let history = FakeHistory {
        log: vec![
            (c1.into(), submitted.clone()),
            (c2.into(), requested.clone()),
            ("c3".repeat(20), resubmitted.clone()),
        ],
        ..Default::default()
    };
    let mut laptop = computer(&d, "laptop");
    let history = std::sync::Arc::new(history);
    laptop.set_earlier_versions(history.clone());
    for _ in 0..2 {
        let c = diff_of(&laptop);
        only_the_edit(&c);
        assert_eq!((c.revision, c.commit.as_deref()), (None, Some(c1)));
        assert!(
            c.diff.contains("world/minsk.md (commit c1c1c1c1c1c1)"),
            "{}",
            c.diff
        );
    }
    assert!(
        history
            .asked
            .lock()
            .unwrap()
            .iter()
            .all(|a| a == &format!("text_at {c1} world/minsk.md")),
        "{:?}",
        history.asked
    );

    // The commit not fetched there: the first commit holding the entry.
    let mut other = computer(&d, "other");
    other.set_earlier_versions(std::sync::Arc::new(FakeHistory {
        log: vec![
            (c1.into(), submitted.clone()),
            (c2.into(), requested.clone()),
            ("c3".repeat(20), resubmitted.clone()),
        ],
        missing: vec![c1.into()],
        ..Default::default()
    }));
    let c = diff_of(&other);
    only_the_edit(&c);
    assert_eq!(c.commit.as_deref(), Some(c2));

    // A hostile value in `commit:` is never asked for; the entry is found by its text.
    let hostile = resubmitted.replace(&format!("commit: {c1}"), "commit: \"main:secret.md\"");
    fs::write(d.root.join("world/minsk.md"), &hostile).unwrap();
    let mut late = computer(&d, "late");
    let history = std::sync::Arc::new(FakeHistory {
        log: vec![
            (c1.into(), submitted.clone()),
            (
                c2.into(),
                requested.replace(&format!("commit: {c1}"), "commit: \"main:secret.md\""),
            ),
        ],
        ..Default::default()
    });
    late.set_earlier_versions(history.clone());
    let c = diff_of(&late);
    only_the_edit(&c);
    assert_eq!(c.commit.as_deref(), Some(c2));
    assert_eq!(
        *history.asked.lock().unwrap(),
        ["first_version world/minsk.md"]
    );
}
