//! Review commands (docs/ipc.md, "Publishing and review"): workflow moves, CriticMarkup
//! marks, the desk's checklist and "who is editing" locks, over `newsroom_core::review`.

use newsroom_core::review::{critic, lock, queue, workflow};
use newsroom_core::{Draft, OpenedDraft, Status};
use serde::Serialize;
use tauri::AppHandle;

use crate::commands::blocking;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize)]
pub struct TransitionInfo {
    from: Status,
    to: Status,
    action: workflow::Action,
    label: &'static str,
}

/// The user as the review trail names them, from the settings.
fn actor(state: &AppState) -> AppResult<workflow::Actor> {
    let settings = state.settings();
    let name = settings.user_name.trim().to_owned();
    if name.is_empty() {
        return Err(AppError::InvalidArgument(
            "set your name in Settings first: the review trail records who did what".into(),
        ));
    }
    Ok(workflow::Actor {
        name,
        role: role(state)?,
    })
}

fn role(state: &AppState) -> AppResult<workflow::Role> {
    let json = serde_json::to_value(state.settings().role)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    json.as_str()
        .unwrap_or("reporter")
        .parse()
        .map_err(|e: String| AppError::InvalidArgument(e))
}

fn owner(state: &AppState) -> lock::LockOwner {
    let name = state.settings().user_name;
    lock::LockOwner::current(if name.trim().is_empty() {
        "Someone"
    } else {
        name.trim()
    })
}

#[tauri::command(rename_all = "snake_case")]
pub fn review_marks(text: String) -> Vec<critic::Mark> {
    critic::marks(&text)
}

/// The request for changes the reporter has to answer, if the piece is sent back (pure).
#[tauri::command(rename_all = "snake_case")]
pub fn review_change_request(text: String) -> Option<workflow::TrailEntry> {
    workflow::open_change_request(&text)
}

#[tauri::command(rename_all = "snake_case")]
pub fn review_resolve(text: String, id: Option<usize>, accept: bool) -> AppResult<String> {
    Ok(match (id, accept) {
        (None, true) => critic::accept_all(&text),
        (None, false) => critic::reject_all(&text),
        (Some(id), true) => critic::accept(&text, id)?,
        (Some(id), false) => critic::reject(&text, id)?,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub fn review_transitions(
    state: tauri::State<'_, AppState>,
    status: Status,
    path: Option<String>,
) -> AppResult<Vec<TransitionInfo>> {
    let role = role(&state)?;
    let moves = match path {
        Some(path) => workflow::moves_for_draft(role, status, &path),
        None => workflow::allowed_transitions(role, status),
    };
    Ok(moves
        .into_iter()
        .map(|t| TransitionInfo {
            from: t.from,
            to: t.to,
            action: t.action,
            label: t.action.label(),
        })
        .collect())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn review_transition(
    app: AppHandle,
    path: String,
    to: Status,
    note: Option<String>,
) -> AppResult<OpenedDraft> {
    blocking(app, move |state| {
        let actor = actor(state)?;
        state.with_workspace(|ws| {
            let outcome = workflow::apply_transition(
                ws,
                &path,
                &actor,
                to,
                note.as_deref().filter(|n| !n.trim().is_empty()),
                time::OffsetDateTime::now_utc(),
            )?;
            ws.read(&outcome.path)
        })
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn desk_checklist(
    app: AppHandle,
    path: String,
    text: String,
) -> AppResult<Vec<queue::Check>> {
    blocking(app, move |state| {
        let known = state.settings().categories;
        state.with_workspace(|ws| {
            let rel = ws.relative(&path)?;
            let draft = Draft::parse(&text)
                .map_err(|e| e.in_file(&ws.resolve(&rel).unwrap_or_default()))?;
            Ok(queue::checklist(&draft, ws.folder(), &rel, Some(&known)))
        })
    })
    .await
}

/// Editors: drafts in review, oldest first, each with what changed since this user last
/// reviewed it.
#[tauri::command(rename_all = "snake_case")]
pub async fn review_queue(app: AppHandle) -> AppResult<Vec<queue::ReviewItem>> {
    blocking(app, move |state| {
        let me = state.settings().user_name;
        state.with_workspace(|ws| {
            queue::review_queue(
                ws,
                Status::InReview,
                Some(me.trim()).filter(|m| !m.is_empty()),
            )
        })
    })
    .await
}

/// The desk: approved pieces with their pre-publish checklist.
#[tauri::command(rename_all = "snake_case")]
pub async fn desk_queue(app: AppHandle) -> AppResult<Vec<queue::DeskItem>> {
    blocking(app, move |state| {
        let known = state.settings().categories;
        state.with_workspace(|ws| queue::desk_queue(ws, Status::Approved, Some(&known)))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn lock_hold(app: AppHandle, path: String) -> AppResult<Option<lock::LockInfo>> {
    blocking(app, move |state| {
        let me = owner(state);
        state.with_workspace(|ws| {
            let draft = ws.draft_path(&path)?;
            lock::hold(ws.folder(), &draft, &me, time::OffsetDateTime::now_utc())
        })
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn lock_release(app: AppHandle, path: String) -> AppResult<()> {
    blocking(app, move |state| {
        let me = owner(state);
        state.with_workspace(|ws| {
            let draft = ws.draft_path(&path)?;
            lock::release(ws.folder(), &draft, &me)
        })
    })
    .await
}

pub const REVIEW_NOTIFICATION: &str = "review-notification";

#[derive(Debug, Clone, Serialize)]
struct Notification {
    path: String,
    message: String,
}

/// "Ana Kovač submitted ‘Minsk talks’ for review": one event per status a colleague changed.
pub fn notify_status_changes(
    app: &AppHandle,
    root: &std::path::Path,
    changes: &[newsroom_core::watch::DraftChange],
) {
    use tauri::Emitter;
    // The watcher took these in through the door; read them the same way.
    let Ok(folder) = newsroom_core::door::Folder::open(root) else {
        return;
    };
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
            let _ = app.emit(
                REVIEW_NOTIFICATION,
                Notification {
                    path: change.path.clone(),
                    message,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_listed_and_resolved_one_or_all() {
        let text = "Talks {++resumed++} on {~~Monday~>Tuesday~~}.{>>EM: source?<<}\n".to_owned();
        let marks = review_marks(text.clone());
        assert_eq!(marks.len(), 3);
        assert_eq!(
            review_resolve(text.clone(), Some(0), true).unwrap(),
            "Talks resumed on {~~Monday~>Tuesday~~}.{>>EM: source?<<}\n"
        );
        assert_eq!(
            review_resolve(text.clone(), None, false).unwrap(),
            "Talks  on Monday.\n"
        );
        assert!(review_resolve(text, Some(9), true).is_err());
    }
}
