//! Review commands (docs/ipc.md, "Publishing and review"), as registrations over
//! `newsroom_api::review`: workflow moves, CriticMarkup marks, the desk's checklist and
//! "who is editing" locks.

use newsroom_api::review::{self, Transition};
use newsroom_core::review::{critic, lock, queue, workflow};
use newsroom_core::{OpenedDraft, Status};
use tauri::AppHandle;

use crate::commands::blocking;
use crate::error::AppResult;
use crate::state::AppState;

#[tauri::command(rename_all = "snake_case")]
pub fn review_marks(text: String) -> Vec<critic::Mark> {
    review::review_marks(&text)
}

#[tauri::command(rename_all = "snake_case")]
pub fn review_change_request(text: String) -> Option<workflow::TrailEntry> {
    review::review_change_request(&text)
}

#[tauri::command(rename_all = "snake_case")]
pub fn review_resolve(text: String, id: Option<String>, accept: bool) -> AppResult<String> {
    review::review_resolve(&text, id.as_deref(), accept)
}

#[tauri::command(rename_all = "snake_case")]
pub fn review_transitions(
    state: tauri::State<'_, AppState>,
    status: Status,
    path: Option<String>,
) -> Vec<Transition> {
    review::review_transitions(&state.settings(), status, path.as_deref())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn review_transition(
    app: AppHandle,
    path: String,
    to: Status,
    note: Option<String>,
) -> AppResult<OpenedDraft> {
    let events = app.clone();
    let moved = blocking(app, move |state| {
        let settings = state.settings();
        state.with_workspace(|ws| {
            review::review_transition(
                ws,
                &settings,
                &path,
                to,
                note.as_deref(),
                time::OffsetDateTime::now_utc(),
            )
        })
    })
    .await;
    if moved.is_ok() {
        // a status move is a change colleagues in other offices wait for
        crate::sync::saved(&events);
    }
    moved
}

#[tauri::command(rename_all = "snake_case")]
pub async fn desk_checklist(
    app: AppHandle,
    path: String,
    text: String,
) -> AppResult<Vec<queue::Check>> {
    blocking(app, move |state| {
        let settings = state.settings();
        state.with_workspace(|ws| review::desk_checklist(ws, &settings, &path, &text))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn review_queue(app: AppHandle) -> AppResult<Vec<queue::ReviewItem>> {
    blocking(app, move |state| {
        let settings = state.settings();
        state.with_workspace(|ws| review::review_queue(ws, &settings))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn desk_queue(app: AppHandle) -> AppResult<Vec<queue::DeskItem>> {
    blocking(app, move |state| {
        let settings = state.settings();
        state.with_workspace(|ws| review::desk_queue(ws, &settings))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn lock_hold(app: AppHandle, path: String) -> AppResult<Option<lock::LockInfo>> {
    blocking(app, move |state| {
        let settings = state.settings();
        state.with_workspace(|ws| {
            review::lock_hold(ws, &settings, &path, time::OffsetDateTime::now_utc())
        })
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn lock_release(app: AppHandle, path: String) -> AppResult<()> {
    blocking(app, move |state| {
        let settings = state.settings();
        state.with_workspace(|ws| review::lock_release(ws, &settings, &path))
    })
    .await
}
