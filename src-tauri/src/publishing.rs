//! Publishing commands (docs/ipc.md, "Publishing and review"): thin adapters over
//! `newsroom-publish`. The publisher and its outbox task are started on first use and
//! live as long as the app.

use std::sync::{Arc, Mutex, OnceLock};

use newsroom_publish::{
    Outbox, OutboxConfig, PostStatus, Progress, PublishOutcome, PublishRequest, Publisher,
};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};

use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub const PUBLISH_PROGRESS: &str = "publish-progress";
pub const OUTBOX_EVENT: &str = "outbox-event";

#[derive(Debug, Clone, Serialize)]
struct ProgressEvent {
    path: String,
    progress: Progress,
}

static PUBLISHER: Mutex<Option<Publisher>> = Mutex::new(None);
static OUTBOX: OnceLock<Outbox> = OnceLock::new();

/// The process's publisher; its outbox task starts with it, on the Tauri runtime.
fn publisher(app: &AppHandle) -> AppResult<Publisher> {
    let mut slot = PUBLISHER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(p) = slot.as_ref() {
        return Ok(p.clone());
    }
    let p = Publisher::from_env()?;
    *slot = Some(p.clone());
    let events = app.clone();
    let outbox_publisher = p.clone();
    tauri::async_runtime::block_on(async move {
        let outbox = Outbox::start(
            outbox_publisher,
            OutboxConfig::default(),
            Arc::new(move |event| {
                let _ = events.emit(OUTBOX_EVENT, event);
            }),
        );
        let _ = OUTBOX.set(outbox);
    });
    Ok(p)
}

/// The draft path the UI sent, confined to the drafts folder: relative, `/`-separated,
/// no `..`, not hidden, a Markdown file (docs/ipc.md). Publishing then reads it (and its
/// images) through the core's door.
pub fn confine(path: &str) -> AppResult<String> {
    let checked = newsroom_core::WorkspacePath::new(path)
        .map_err(|e| AppError::InvalidArgument(e.to_string()))?;
    if checked.is_hidden() || !newsroom_core::files::is_draft_name(checked.file_name()) {
        return Err(AppError::InvalidArgument(format!(
            "`{path}` is not a draft of the drafts folder"
        )));
    }
    Ok(checked.as_str().to_owned())
}

fn root(app: &AppHandle) -> AppResult<std::path::PathBuf> {
    app.state::<AppState>()
        .asset_root()
        .ok_or(AppError::NoWorkspace)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn portal_test(
    app: AppHandle,
    name: String,
) -> AppResult<newsroom_publish::portal::PortalReport> {
    // the password comes from the keyring, over D-Bus: not on the runtime's threads
    let (publisher, creds) = tauri::async_runtime::spawn_blocking(move || {
        let publisher = publisher(&app)?;
        let creds = publisher.credentials(Some(&name))?;
        AppResult::Ok((publisher, creds))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    Ok(newsroom_publish::portal::test(&creds, Some(publisher.store()), Default::default()).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn publish_draft(
    app: AppHandle,
    path: String,
    portal: Option<String>,
    status: Option<PostStatus>,
    overwrite: bool,
    republish_new: bool,
) -> AppResult<PublishOutcome> {
    let path = confine(&path)?;
    let root = root(&app)?;
    let publisher = tauri::async_runtime::spawn_blocking({
        let app = app.clone();
        move || publisher(&app)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    let events = app.clone();
    let for_events = path.clone();
    let progress = Arc::new(move |p: &Progress| {
        let _ = events.emit(
            PUBLISH_PROGRESS,
            ProgressEvent {
                path: for_events.clone(),
                progress: p.clone(),
            },
        );
    });
    let request = PublishRequest {
        root,
        path,
        portal,
        status,
        overwrite,
        republish_new,
    };
    Ok(publisher.publish(request, progress).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn outbox_list(app: AppHandle) -> AppResult<Vec<newsroom_publish::Job>> {
    tauri::async_runtime::spawn_blocking(move || Ok(publisher(&app)?.store().outbox()?))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
}

#[tauri::command(rename_all = "snake_case")]
pub async fn outbox_retry_now(app: AppHandle) -> AppResult<()> {
    tauri::async_runtime::spawn_blocking(move || publisher(&app).map(|_| ()))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    if let Some(outbox) = OUTBOX.get() {
        outbox.retry_now().await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::confine;

    #[test]
    fn only_drafts_inside_the_folder_are_published() {
        assert_eq!(confine("world/minsk.md").unwrap(), "world/minsk.md");
        for bad in [
            "../outside/file.md",
            "/etc/passwd",
            "world/../../x.md",
            "./a.md",
            ".git/x.md",
            "world/.minsk.md.lock",
            "world/photo.png",
            "a\\b.md",
            "",
        ] {
            assert!(confine(bad).is_err(), "{bad}");
        }
    }
}
