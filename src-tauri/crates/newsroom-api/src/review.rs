//! The review commands' bodies (docs/ipc.md, "Publishing and review"): workflow moves,
//! CriticMarkup marks, the desk's checklist and "who is editing" locks, over
//! `newsroom_core::review`, as plain functions of the workspace and the user's settings.

use newsroom_core::review::{critic, lock, queue, workflow};
use newsroom_core::{Draft, OpenedDraft, Status, Workspace};
use serde::Serialize;

use crate::error::{ApiError, ApiResult};
use crate::settings::Settings;

/// A move offered to the user, with its button's label.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Transition {
    pub from: Status,
    pub to: Status,
    pub action: workflow::Action,
    pub label: String,
}

/// The user as the review trail names them, from the settings.
pub fn actor(settings: &Settings) -> ApiResult<workflow::Actor> {
    let name = settings.user_name.trim().to_owned();
    if name.is_empty() {
        return Err(ApiError::InvalidArgument(
            "set your name in Settings first: the review trail records who did what".into(),
        ));
    }
    Ok(workflow::Actor {
        name,
        role: settings.role,
    })
}

/// Who holds a lock file: the user's name, else "Someone".
pub fn lock_owner(settings: &Settings) -> lock::LockOwner {
    let name = settings.user_name.trim();
    lock::LockOwner::current(if name.is_empty() { "Someone" } else { name })
}

pub fn review_marks(text: &str) -> Vec<critic::Mark> {
    critic::marks(text)
}

/// The request for changes the reporter has to answer, if the piece is sent back (pure).
pub fn review_change_request(text: &str) -> Option<workflow::TrailEntry> {
    workflow::open_change_request(text)
}

/// Accepts or rejects one mark (`id`, as `review_marks` gave it: it stays the same
/// while other marks are resolved) or all of them (`None`); pure.
pub fn review_resolve(text: &str, id: Option<&str>, accept: bool) -> ApiResult<String> {
    Ok(match (id, accept) {
        (None, true) => critic::accept_all(text),
        (None, false) => critic::reject_all(text),
        (Some(id), true) => critic::accept(text, id)?,
        (Some(id), false) => critic::reject(text, id)?,
    })
}

/// The moves from `status` the user's role may make; none for a conflict copy (`path`).
pub fn review_transitions(
    settings: &Settings,
    status: Status,
    path: Option<&str>,
) -> Vec<Transition> {
    let moves = match path {
        Some(path) => workflow::moves_for_draft(settings.role, status, path),
        None => workflow::allowed_transitions(settings.role, status),
    };
    moves
        .into_iter()
        .map(|t| Transition {
            from: t.from,
            to: t.to,
            action: t.action,
            label: t.action.label().to_owned(),
        })
        .collect()
}

/// Moves the draft at `path` to `to` (status and `review:` trail written); the file after.
pub fn review_transition(
    ws: &mut Workspace,
    settings: &Settings,
    path: &str,
    to: Status,
    note: Option<&str>,
    now: time::OffsetDateTime,
) -> ApiResult<OpenedDraft> {
    let actor = actor(settings)?;
    let outcome = workflow::apply_transition(
        ws,
        path,
        &actor,
        to,
        note.filter(|n| !n.trim().is_empty()),
        now,
    )?;
    Ok(ws.read(&outcome.path)?)
}

/// The desk's checklist of the editor's `text` for the draft at `path`; categories are
/// checked against the newsroom's list in the settings.
pub fn desk_checklist(
    ws: &Workspace,
    settings: &Settings,
    path: &str,
    text: &str,
) -> ApiResult<Vec<queue::Check>> {
    let rel = ws.relative(path)?;
    let draft = Draft::parse(text).map_err(|e| e.in_file(&ws.resolve(&rel).unwrap_or_default()))?;
    Ok(queue::checklist(
        &draft,
        ws.folder(),
        &rel,
        Some(&settings.categories),
    ))
}

/// Editors: drafts in review, oldest first, each with what changed since this user last
/// reviewed it.
pub fn review_queue(ws: &Workspace, settings: &Settings) -> ApiResult<Vec<queue::ReviewItem>> {
    let me = settings.user_name.trim();
    Ok(queue::review_queue(
        ws,
        Status::InReview,
        Some(me).filter(|m| !m.is_empty()),
    )?)
}

/// The desk: approved pieces with their pre-publish checklist.
pub fn desk_queue(ws: &Workspace, settings: &Settings) -> ApiResult<Vec<queue::DeskItem>> {
    Ok(queue::desk_queue(
        ws,
        Status::Approved,
        Some(&settings.categories),
    )?)
}

/// Takes or refreshes the user's lock on `path`; the colleague editing it, if any.
pub fn lock_hold(
    ws: &Workspace,
    settings: &Settings,
    path: &str,
    now: time::OffsetDateTime,
) -> ApiResult<Option<lock::LockInfo>> {
    let draft = ws.draft_path(path)?;
    Ok(lock::hold(ws.folder(), &draft, &lock_owner(settings), now)?)
}

pub fn lock_release(ws: &Workspace, settings: &Settings, path: &str) -> ApiResult<()> {
    let draft = ws.draft_path(path)?;
    Ok(lock::release(ws.folder(), &draft, &lock_owner(settings))?)
}

/// "Ana Kovač submitted ‘Minsk talks’ for review": one notification per status a
/// colleague changed, read through the folder's door as the watcher took them in.
pub fn status_notifications(
    root: &std::path::Path,
    changes: &[newsroom_core::watch::DraftChange],
) -> Vec<crate::events::ReviewNotification> {
    let Ok(folder) = newsroom_core::door::Folder::open(root) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for change in changes {
        let Some(summary) = &change.summary else {
            continue;
        };
        if change.previous_status.is_none_or(|s| s == summary.status) {
            continue;
        }
        let Ok(path) = newsroom_core::WorkspacePath::new(&change.path) else {
            continue;
        };
        let Ok(text) = newsroom_core::files::read_draft_in(&folder, &path) else {
            continue;
        };
        if let Some(message) = newsroom_core::review::notify::notification_for_text(change, &text) {
            out.push(crate::events::ReviewNotification {
                path: change.path.clone(),
                message,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_listed_and_resolved_one_or_all() {
        let text = "Talks {++resumed++} on {~~Monday~>Tuesday~~}.{>>EM: source?<<}\n";
        let marks = review_marks(text);
        assert_eq!(marks.len(), 3);
        let after = review_resolve(text, Some(&marks[0].id), true).unwrap();
        assert_eq!(
            after,
            "Talks resumed on {~~Monday~>Tuesday~~}.{>>EM: source?<<}\n"
        );
        // the others keep their ids
        let left: Vec<String> = review_marks(&after).into_iter().map(|m| m.id).collect();
        assert_eq!(left, [marks[1].id.clone(), marks[2].id.clone()]);
        assert_eq!(
            review_resolve(&after, Some(&marks[2].id), true).unwrap(),
            "Talks resumed on {~~Monday~>Tuesday~~}.\n"
        );
        assert_eq!(
            review_resolve(text, None, false).unwrap(),
            "Talks  on Monday.\n"
        );
        assert!(review_resolve(text, Some("i00000000"), true).is_err());
        assert!(review_resolve(&after, Some(&marks[0].id), true).is_err());
    }
}
