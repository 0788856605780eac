//! The workflow: who may move a piece from which status to which, and the trail of every
//! move in the draft's front matter.
//!
//! ```yaml
//! status: changes-requested
//! review:
//!   - by: Ana Kovač
//!     at: 2026-11-26T09:30:00Z
//!     from: draft
//!     to: in-review
//!     note: Second source added
//!   - by: Edith Moreau
//!     at: 2026-11-26T10:05:12Z
//!     from: in-review
//!     to: changes-requested
//!     note: Needs the ministry's reply
//! ```
//!
//! Roles are what people say they are (`--role`, the app's settings): the folder is
//! shared by colleagues, and the trail says who did what.

use std::path::Path;

use crate::draft::Draft;
use crate::earlier::CommitId;
use crate::error::{CoreError, DraftError, Result};
use crate::files;
use crate::front_matter::Status;
use crate::front_matter_edit::{self, Change};
use crate::workspace::{SaveOutcome, Workspace};
use crate::workspace_path::WorkspacePath;
use crate::yaml::Value;

/// The front-matter key of the trail.
pub const TRAIL_KEY: &str = "review";

/// What someone does on the desk.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    #[default]
    Reporter,
    Editor,
    Desk,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Reporter, Role::Editor, Role::Desk];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reporter => "reporter",
            Role::Editor => "editor",
            Role::Desk => "desk",
        }
    }

    fn with_article(self) -> &'static str {
        match self {
            Role::Reporter => "a reporter",
            Role::Editor => "an editor",
            Role::Desk => "the desk",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == wanted)
            .ok_or_else(|| format!("unknown role `{s}`; use reporter, editor or desk"))
    }
}

/// A move in the workflow, named as the button and the CLI name it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Submit,
    Resubmit,
    Withdraw,
    RequestChanges,
    Approve,
    SendBack,
    Schedule,
    Unschedule,
    Publish,
    Reopen,
    SubmitCorrection,
}

impl Action {
    /// For buttons and menus.
    pub fn label(self) -> &'static str {
        match self {
            Action::Submit => "Submit for review",
            Action::Resubmit => "Resubmit for review",
            Action::Withdraw => "Withdraw from review",
            Action::RequestChanges => "Request changes",
            Action::Approve => "Approve",
            Action::SendBack => "Send back",
            Action::Schedule => "Schedule",
            Action::Unschedule => "Unschedule",
            Action::Publish => "Mark as published elsewhere",
            Action::Reopen => "Reopen for a correction",
            Action::SubmitCorrection => "Submit a correction for review",
        }
    }

    /// For sentences: "cannot approve: …".
    pub fn verb(self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::Resubmit => "resubmit",
            Action::Withdraw => "withdraw",
            Action::RequestChanges => "request changes on",
            Action::Approve => "approve",
            Action::SendBack => "send back",
            Action::Schedule => "schedule",
            Action::Unschedule => "unschedule",
            Action::Publish => "publish",
            Action::Reopen => "reopen",
            Action::SubmitCorrection => "submit a correction to",
        }
    }
}

impl Action {
    /// For reports: "in-review → approved (approved by Edith Moreau)".
    pub fn done(self) -> &'static str {
        match self {
            Action::Submit => "submitted",
            Action::Resubmit => "resubmitted",
            Action::Withdraw => "withdrawn",
            Action::RequestChanges => "changes requested",
            Action::Approve => "approved",
            Action::SendBack => "sent back",
            Action::Schedule => "scheduled",
            Action::Unschedule => "unscheduled",
            Action::Publish => "published",
            Action::Reopen => "reopened",
            Action::SubmitCorrection => "correction submitted",
        }
    }
}

/// One allowed move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Transition {
    pub from: Status,
    pub to: Status,
    pub action: Action,
    pub roles: &'static [Role],
}

const ANYONE: &[Role] = &[Role::Reporter, Role::Editor, Role::Desk];
const EDITORS: &[Role] = &[Role::Editor, Role::Desk];
const DESK: &[Role] = &[Role::Desk];

/// The workflow, as data. Anything not here is refused.
pub const TRANSITIONS: &[Transition] = &[
    t(Status::Draft, Status::InReview, Action::Submit, ANYONE),
    t(
        Status::ChangesRequested,
        Status::InReview,
        Action::Resubmit,
        ANYONE,
    ),
    t(Status::InReview, Status::Draft, Action::Withdraw, ANYONE),
    t(
        Status::InReview,
        Status::ChangesRequested,
        Action::RequestChanges,
        EDITORS,
    ),
    t(Status::InReview, Status::Approved, Action::Approve, EDITORS),
    t(
        Status::Approved,
        Status::ChangesRequested,
        Action::SendBack,
        EDITORS,
    ),
    t(
        Status::Scheduled,
        Status::ChangesRequested,
        Action::SendBack,
        EDITORS,
    ),
    t(Status::Approved, Status::Scheduled, Action::Schedule, DESK),
    t(
        Status::Scheduled,
        Status::Approved,
        Action::Unschedule,
        DESK,
    ),
    t(Status::Approved, Status::Published, Action::Publish, DESK),
    t(Status::Scheduled, Status::Published, Action::Publish, DESK),
    t(Status::Published, Status::Draft, Action::Reopen, ANYONE),
    t(
        Status::Published,
        Status::InReview,
        Action::SubmitCorrection,
        ANYONE,
    ),
];

const fn t(from: Status, to: Status, action: Action, roles: &'static [Role]) -> Transition {
    Transition {
        from,
        to,
        action,
        roles,
    }
}

/// The moves `role` is offered for a piece in `status`.
pub fn allowed_transitions(role: Role, status: Status) -> Vec<Transition> {
    TRANSITIONS
        .iter()
        .filter(|t| t.from == status && t.roles.contains(&role))
        .copied()
        .collect()
}

/// The moves `role` is offered for the draft at `path` in `status`: none for a conflict
/// copy, which is settled (kept or discarded against its draft), never moved along.
pub fn moves_for_draft(role: Role, status: Status, path: &str) -> Vec<Transition> {
    if crate::files::is_conflict_copy(path) {
        return Vec::new();
    }
    allowed_transitions(role, status)
}

/// Why no move is offered for a conflict copy, for the person who tried one.
pub fn conflict_copy_refusal(path: &str) -> String {
    format!(
        "{path} is a conflict copy (the other side of a save that met a colleague's change); \
         compare it with its draft and keep one version before moving it in the workflow"
    )
}

/// What the reporter is asked to change: the trail entry that sent the piece back, while
/// it is still in `changes-requested` (none once resubmitted). The app shows its note at
/// the top of the document, where the reporter starts typing.
pub fn open_change_request(text: &str) -> Option<TrailEntry> {
    let draft = Draft::parse(text).ok()?;
    if draft.front_matter.status != Status::ChangesRequested {
        return None;
    }
    trail(&draft)
        .into_iter()
        .rev()
        .find(|e| e.to == Status::ChangesRequested)
}

/// Lives with the edits it checks, below the workspace that applies them.
pub use crate::front_matter_edit::refuse_status_edit;

/// Whose turn it is when a piece is in `status`: the reporter's after changes were
/// requested, an editor's while in review, the desk's once approved or scheduled.
pub fn waits_for(status: Status) -> Option<Role> {
    match status {
        Status::ChangesRequested => Some(Role::Reporter),
        Status::InReview => Some(Role::Editor),
        Status::Approved | Status::Scheduled => Some(Role::Desk),
        Status::Draft | Status::Published => None,
    }
}

/// The move from `from` to `to`, whoever may make it.
pub fn transition(from: Status, to: Status) -> Option<Transition> {
    TRANSITIONS
        .iter()
        .find(|t| t.from == from && t.to == to)
        .copied()
}

/// Why a move is refused, in words for the person who tried (without the file name,
/// which [`WorkflowError::in_file`] adds).
pub fn check_transition(role: Role, from: Status, to: Status) -> Result<Transition, String> {
    if from == to {
        return Err(format!(
            "the piece is already {}",
            from.label().to_lowercase()
        ));
    }
    match transition(from, to) {
        Some(t) if t.roles.contains(&role) => Ok(t),
        Some(t) => Err(format!(
            "{} cannot {} a piece; that is for {}",
            role.with_article(),
            t.action.verb(),
            t.roles
                .iter()
                .map(|r| r.with_article())
                .collect::<Vec<_>>()
                .join(" or ")
        )),
        None => {
            let offered = allowed_transitions(role, from);
            let what = if offered.is_empty() {
                format!("{} can do nothing with it now", role.with_article())
            } else {
                format!(
                    "{} can: {}",
                    role.with_article(),
                    offered
                        .iter()
                        .map(|t| format!("{} ({})", t.action.label().to_lowercase(), t.to))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            Err(format!(
                "cannot move a piece from {from} to {to}; the piece is {from}, and {what}"
            ))
        }
    }
}

/// Who is acting.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Actor {
    pub name: String,
    pub role: Role,
}

/// One move recorded in the trail.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TrailEntry {
    pub by: String,
    /// RFC 3339, UTC, whole seconds.
    pub at: String,
    pub from: Status,
    pub to: Status,
    pub note: Option<String>,
    /// The commit holding the version the person moved, in a folder synced through git
    /// (`docs/review.md`, "Across computers"): where "changes since your last review"
    /// starts on a computer that never saw that version. Only a full object name is
    /// read from a file; anything else there is ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub commit: Option<String>,
}

impl TrailEntry {
    /// When, in milliseconds since the epoch (`None` if `at` is not RFC 3339).
    pub fn at_ms(&self) -> Option<i64> {
        crate::front_matter::parse_rfc3339(&self.at)
            .ok()
            .map(|t| (t.unix_timestamp_nanos() / 1_000_000) as i64)
    }

    fn to_value(&self) -> Value {
        let mut entries = vec![
            ("by".to_owned(), Value::Str(self.by.clone())),
            ("at".to_owned(), Value::Str(self.at.clone())),
            ("from".to_owned(), Value::Str(self.from.as_str().to_owned())),
            ("to".to_owned(), Value::Str(self.to.as_str().to_owned())),
        ];
        if let Some(note) = &self.note {
            entries.push(("note".to_owned(), Value::Str(note.clone())));
        }
        if let Some(commit) = &self.commit {
            entries.push(("commit".to_owned(), Value::Str(commit.clone())));
        }
        Value::Map(entries)
    }

    fn from_value(value: &Value) -> Option<TrailEntry> {
        let text = |key: &str| value.get(key).and_then(Value::scalar_text);
        Some(TrailEntry {
            by: text("by")?,
            at: text("at")?,
            from: text("from")?.parse().ok()?,
            to: text("to")?.parse().ok()?,
            note: text("note").filter(|n| !n.trim().is_empty()),
            commit: text("commit")
                .and_then(|c| CommitId::parse(&c))
                .map(|c| c.as_str().to_owned()),
        })
    }

    /// The commit recorded with the entry, as git would be asked for it.
    pub fn commit_id(&self) -> Option<CommitId> {
        self.commit.as_deref().and_then(CommitId::parse)
    }
}

/// A time as the trail writes it: RFC 3339 in UTC, whole seconds.
pub fn format_time(at: time::OffsetDateTime) -> String {
    let at = at
        .to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(at);
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The draft's trail, oldest first. Entries that are not `{by, at, from, to}` mappings
/// with known statuses are skipped (they stay in the file).
pub fn trail(draft: &Draft) -> Vec<TrailEntry> {
    match draft.front_matter_value(TRAIL_KEY) {
        Some(Value::List(items)) => items.iter().filter_map(TrailEntry::from_value).collect(),
        _ => Vec::new(),
    }
}

/// The trail of a draft's text; empty when the text is not a valid draft.
pub fn trail_of_text(text: &str) -> Vec<TrailEntry> {
    Draft::parse(text).map(|d| trail(&d)).unwrap_or_default()
}

/// A refused move or a draft that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Draft(#[from] DraftError),
}

impl WorkflowError {
    /// The error naming the file: `FILE: cannot …`.
    pub fn in_file(self, file: &Path) -> CoreError {
        match self {
            WorkflowError::Refused(message) => {
                CoreError::InvalidArgument(format!("{}: {message}", file.display()))
            }
            WorkflowError::Draft(e) => e.in_file(file),
        }
    }
}

/// Moves a draft's text to `to`: checks the move, sets `status` and appends to the
/// trail. The body stays byte for byte. For the app's editor buffer; files go through
/// [`apply_transition`].
pub fn transition_text(
    text: &str,
    actor: &Actor,
    to: Status,
    note: Option<&str>,
    at: time::OffsetDateTime,
) -> Result<(String, TrailEntry), WorkflowError> {
    transition_text_seen(text, actor, to, note, at, None)
}

/// [`transition_text`], recording in the entry the commit that holds `text` (`seen`),
/// the version the person is moving.
pub fn transition_text_seen(
    text: &str,
    actor: &Actor,
    to: Status,
    note: Option<&str>,
    at: time::OffsetDateTime,
    seen: Option<&CommitId>,
) -> Result<(String, TrailEntry), WorkflowError> {
    let draft = Draft::parse(text)?;
    let from = draft.front_matter.status;
    check_transition(actor.role, from, to).map_err(WorkflowError::Refused)?;
    if to == Status::Scheduled
        && draft
            .front_matter
            .publish_at
            .as_deref()
            .is_none_or(|p| p.trim().is_empty())
    {
        return Err(WorkflowError::Refused(
            "cannot schedule a piece without a publication time: set publish_at first".into(),
        ));
    }
    let name = actor.name.trim();
    if name.is_empty() {
        return Err(WorkflowError::Refused(
            "who is making this change? a name is needed for the review trail".into(),
        ));
    }
    let mut items = match draft.front_matter_value(TRAIL_KEY) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::List(items)) => items.clone(),
        Some(other) => {
            return Err(WorkflowError::Draft(DraftError {
                line: draft.key_line(TRAIL_KEY),
                message: format!(
                    "`{TRAIL_KEY}` should be the list of review steps, found {}; rename that key",
                    other.kind()
                ),
            }));
        }
    };
    let entry = TrailEntry {
        by: name.to_owned(),
        at: format_time(at),
        from,
        to,
        note: note
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
        commit: seen.map(|c| c.as_str().to_owned()),
    };
    items.push(entry.to_value());
    let changes = [
        Change::set_text("status", to.as_str()),
        Change::set(TRAIL_KEY, Value::List(items)),
    ];
    Ok((front_matter_edit::apply(&draft, &changes)?, entry))
}

/// What [`apply_transition`] did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TransitionOutcome {
    pub path: String,
    pub entry: TrailEntry,
    pub save: SaveOutcome,
}

/// How often a move is recomputed when the file keeps changing under it.
const ATTEMPTS: usize = 3;

/// Moves the draft at `path` to `to` on disk, recording who, when and why.
///
/// The move is checked against the file as it is now, and written only over that
/// content: if a colleague saves in between, the move is checked and computed again on
/// their version (their trail entries are kept); a save that still races ends as a
/// conflict copy, never as a lost change.
pub fn apply_transition(
    ws: &mut Workspace,
    path: &str,
    actor: &Actor,
    to: Status,
    note: Option<&str>,
    at: time::OffsetDateTime,
) -> Result<TransitionOutcome> {
    let rel = ws.relative(path)?;
    let abs = ws.resolve(&rel)?;
    if crate::files::is_conflict_copy(&rel) {
        return Err(CoreError::InvalidArgument(conflict_copy_refusal(&rel)));
    }
    let mut attempt = 0;
    loop {
        attempt += 1;
        let text = ws.read_text(&rel)?;
        let hash = files::content_hash(text.as_bytes());
        // In a git working copy, the commit holding exactly this text: what the person
        // saw. Edits not committed yet record none; the first commit holding the entry
        // stands for it then (`review::queue`).
        let seen = match (ws.earlier_versions(), WorkspacePath::new(&rel)) {
            (Some(earlier), Ok(path)) => earlier.commit_holding(&path, &text),
            _ => None,
        };
        let (new_text, entry) = transition_text_seen(&text, actor, to, note, at, seen.as_ref())
            .map_err(|e| e.in_file(&abs))?;
        let still = ws.read_text(&rel)?;
        if still != text && attempt < ATTEMPTS {
            continue;
        }
        let save = ws
            .save(&rel, &new_text, Some(&hash))?
            .into_result(ws.root())?;
        return Ok(TransitionOutcome {
            path: rel,
            entry,
            save,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::{Desk, Editor, Reporter};
    use Status::*;

    #[test]
    fn the_table_decides_who_may_do_what() {
        // (from, to, reporter, editor, desk)
        let cases = [
            (Draft, InReview, true, true, true),
            (Draft, Approved, false, false, false),
            (Draft, Published, false, false, false),
            (InReview, Approved, false, true, true),
            (InReview, ChangesRequested, false, true, true),
            (InReview, Draft, true, true, true),
            (InReview, Published, false, false, false),
            (ChangesRequested, InReview, true, true, true),
            (ChangesRequested, Approved, false, false, false),
            (Approved, Scheduled, false, false, true),
            (Approved, Published, false, false, true),
            (Approved, ChangesRequested, false, true, true),
            (Approved, InReview, false, false, false),
            (Scheduled, Published, false, false, true),
            (Scheduled, Approved, false, false, true),
            (Scheduled, ChangesRequested, false, true, true),
            (Published, Draft, true, true, true),
            (Published, InReview, true, true, true),
            (Published, Approved, false, false, false),
            (Approved, Approved, false, false, false),
        ];
        for (from, to, reporter, editor, desk) in cases {
            for (role, expected) in [(Reporter, reporter), (Editor, editor), (Desk, desk)] {
                assert_eq!(
                    check_transition(role, from, to).is_ok(),
                    expected,
                    "{role}: {from} → {to}"
                );
                assert_eq!(
                    allowed_transitions(role, from).iter().any(|t| t.to == to),
                    expected,
                    "{role}: {from} → {to} offered"
                );
            }
        }
    }

    #[test]
    fn the_open_change_request_is_the_last_send_back_while_it_stands() {
        let text = "---\ntitle: T\nstatus: changes-requested\nreview:\n  - {by: Ana, at: 2026-11-26T09:00:00Z, from: draft, to: in-review}\n  - {by: Edith, at: 2026-11-26T10:00:00Z, from: in-review, to: changes-requested, note: First note}\n  - {by: Ana, at: 2026-11-26T11:00:00Z, from: changes-requested, to: in-review}\n  - {by: Edith, at: 2026-11-26T12:00:00Z, from: in-review, to: changes-requested, note: Needs the ministry's reply}\n---\nBody\n";
        let req = open_change_request(text).unwrap();
        assert_eq!(req.by, "Edith");
        assert_eq!(req.note.as_deref(), Some("Needs the ministry's reply"));
        // resubmitted: nothing is asked any more
        let resubmitted = text.replace("status: changes-requested", "status: in-review");
        assert!(open_change_request(&resubmitted).is_none());
        assert!(open_change_request("no front matter").is_none());
    }

    #[test]
    fn every_status_can_be_left() {
        for status in Status::ALL {
            assert!(
                !allowed_transitions(Desk, status).is_empty(),
                "{status} is a dead end"
            );
        }
        assert!(allowed_transitions(Reporter, Approved).is_empty());
    }

    #[test]
    fn refusals_say_why() {
        let e = check_transition(Reporter, InReview, Approved).unwrap_err();
        assert_eq!(
            e,
            "a reporter cannot approve a piece; that is for an editor or the desk"
        );
        let e = check_transition(Reporter, Draft, Approved).unwrap_err();
        assert!(e.contains("submit for review (in-review)"), "{e}");
        let e = check_transition(Editor, Approved, Approved).unwrap_err();
        assert_eq!(e, "the piece is already approved");
    }

    #[test]
    fn a_move_appends_to_the_trail_and_keeps_the_body() {
        let at = time::macros::datetime!(2026-11-26 10:30:00.25 +01:00);
        let text = "---\r\ntitle: Minsk talks\r\nstatus: draft\r\n---\r\nBody {++x++}\r\n";
        let ana = Actor {
            name: "Ana Kovač".into(),
            role: Reporter,
        };
        let (text, entry) = transition_text(text, &ana, InReview, Some(" Ready "), at).unwrap();
        assert_eq!(entry.at, "2026-11-26T09:30:00Z");
        assert_eq!(
            text,
            "---\r\ntitle: Minsk talks\r\nstatus: in-review\r\nreview:\r\n  - by: Ana Kovač\r\n    at: 2026-11-26T09:30:00Z\r\n    from: draft\r\n    to: in-review\r\n    note: Ready\r\n---\r\nBody {++x++}\r\n"
        );
        let edith = Actor {
            name: "Edith Moreau".into(),
            role: Editor,
        };
        let (text, _) =
            transition_text(&text, &edith, ChangesRequested, Some("Source: who?"), at).unwrap();
        let d = crate::Draft::parse(&text).unwrap();
        let trail = trail(&d);
        assert_eq!(trail.len(), 2);
        assert_eq!(trail[1].by, "Edith Moreau");
        assert_eq!(trail[1].note.as_deref(), Some("Source: who?"));
        assert_eq!(d.front_matter.status, ChangesRequested);
        assert_eq!(d.body(), "Body {++x++}\r\n");
    }

    #[test]
    fn a_move_records_the_commit_seen_and_only_a_full_object_name_reads_back() {
        let at = time::OffsetDateTime::UNIX_EPOCH;
        let edith = Actor {
            name: "Edith".into(),
            role: Editor,
        };
        // All digits: YAML would read it as a number unless it is quoted.
        let sha = "1111111111111111111111111111111111111111";
        let seen = CommitId::parse(sha).unwrap();
        let (text, entry) = transition_text_seen(
            "---\nstatus: in-review\n---\nB\n",
            &edith,
            Approved,
            None,
            at,
            Some(&seen),
        )
        .unwrap();
        assert_eq!(entry.commit.as_deref(), Some(sha));
        assert!(text.contains(&format!("    commit: \"{sha}\"\n")), "{text}");
        let d = crate::Draft::parse(&text).unwrap();
        assert_eq!(trail(&d)[0].commit_id(), Some(seen));
        // Written by hand or by a hostile file: anything but a full name is ignored.
        for bad in [
            "HEAD",
            "main:secret.md",
            "--output=x",
            "../x.md",
            "1111111",
            "1e5",
        ] {
            let t = text.replace(&format!("\"{sha}\""), &format!("\"{bad}\""));
            let d = crate::Draft::parse(&t).unwrap();
            let entry = &trail(&d)[0];
            assert_eq!(entry.commit, None, "{bad}");
            assert_eq!(entry.by, "Edith", "{bad}: the entry itself still counts");
        }
    }

    #[test]
    fn scheduling_needs_a_time_and_a_foreign_review_key_is_not_overwritten() {
        let at = time::OffsetDateTime::UNIX_EPOCH;
        let desk = Actor {
            name: "Desk".into(),
            role: Desk,
        };
        let e = transition_text(
            "---\nstatus: approved\n---\nB\n",
            &desk,
            Scheduled,
            None,
            at,
        )
        .unwrap_err();
        assert!(e.to_string().contains("publish_at"), "{e}");
        let e = transition_text(
            "---\nstatus: draft\nreview: legal says fine\n---\nB\n",
            &desk,
            InReview,
            None,
            at,
        )
        .unwrap_err();
        let WorkflowError::Draft(e) = e else {
            panic!("{e:?}")
        };
        assert_eq!(e.line, Some(3));
    }
}
