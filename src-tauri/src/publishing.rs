//! Publishing commands (docs/ipc.md, "Publishing and review"): thin adapters over
//! `newsroom-publish`. The publisher and its outbox live in managed state
//! ([`Publishing`]): started in the app's `setup`, stopped (bounded) when the app exits.
//! A publish's result goes back through the open workspace, as the app's own write.

use std::path::Path;
use std::sync::Arc;

use newsroom_api::events::{DraftsChanged, Event, PublishProgress};
use newsroom_core::front_matter_edit::Change;
use newsroom_publish::outbox_service::STOP_WITHIN;
use newsroom_publish::{
    OutboxConfig, OutboxService, PostStatus, Progress, PublishOutcome, PublishRequest, Publisher,
    WriteBack, write_back,
};
use tauri::{AppHandle, Manager};

use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The app's publisher and outbox (managed state). `Err` when the publish database could
/// not be opened: the app runs, and publishing commands say why.
pub struct Publishing(Result<Running, String>);

struct Running {
    outbox: OutboxService,
    /// The commands' publisher: same store, a quiet write-back (the command's answer tells
    /// the page, which then reads the draft again).
    commands: Publisher,
}

impl Publishing {
    /// Opens the publish database and starts the outbox on Tauri's runtime (from `setup`).
    pub fn start(app: &AppHandle) -> Publishing {
        let running = Publisher::from_env().map(|p| {
            let open = |announce| {
                Arc::new(OpenWorkspace {
                    app: app.clone(),
                    announce,
                })
            };
            Running {
                outbox: OutboxService::new(
                    p.clone().with_write_back(open(true)),
                    OutboxConfig::default(),
                ),
                commands: p.with_write_back(open(false)),
            }
        });
        if let Ok(running) = &running {
            let events = app.clone();
            running.outbox.start(
                tauri::async_runtime::handle().inner(),
                Arc::new(move |event| {
                    let payload = serde_json::to_value(event).unwrap_or_default();
                    crate::events::emit(&events, Event::OutboxEvent(payload));
                }),
            );
        }
        Publishing(running.map_err(|e| e.to_string()))
    }

    /// Stops the outbox when the app exits: a publish in flight gets [`STOP_WITHIN`], then
    /// its job is left queued for the next start.
    pub fn stop(&self) {
        if let Ok(running) = &self.0 {
            tauri::async_runtime::block_on(running.outbox.stop(STOP_WITHIN));
        }
    }

    fn running(&self) -> AppResult<&Running> {
        self.0
            .as_ref()
            .map_err(|e| AppError::Internal(format!("publishing is not available: {e}")))
    }

    fn publisher(&self) -> AppResult<Publisher> {
        Ok(self.running()?.commands.clone())
    }
}

/// The write-back target: the app's open workspace, so the publish's front-matter edit is
/// its own write (the watcher stays quiet) and nothing is rescanned. A background
/// (outbox) publish is then told to the page as the `drafts-changed` the watcher would
/// have sent, so an open draft takes in its new `portal:` record.
struct OpenWorkspace {
    app: AppHandle,
    announce: bool,
}

impl WriteBack for OpenWorkspace {
    fn record_publication(
        &self,
        root: &Path,
        path: &str,
        changes: &[Change],
    ) -> newsroom_publish::Result<bool> {
        let state = self.app.state::<AppState>();
        if !self.announce {
            // no folder open: the publisher opens the job's folder itself
            return state
                .with_workspace(|ws| Ok(write_back::record_in(ws, root, path, changes)))
                .unwrap_or(Ok(false));
        }
        let told = state
            .with_workspace(|ws| {
                let open = write_back::same_folder(ws.root(), root);
                Ok(open.then(|| write_back::record_and_describe(ws, root, path, changes)))
            })
            .unwrap_or(None);
        match told {
            None => Ok(false),
            Some(result) => {
                if let Some(change) = result? {
                    crate::events::emit(
                        &self.app,
                        Event::DraftsChanged(DraftsChanged {
                            changes: vec![change],
                        }),
                    );
                }
                Ok(true)
            }
        }
    }
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
    let publisher = app.state::<Publishing>().publisher()?;
    // the password comes from the keyring, over D-Bus: not on the runtime's threads
    let (publisher, creds) = tauri::async_runtime::spawn_blocking(move || {
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
    let publisher = app.state::<Publishing>().publisher()?;
    let events = app.clone();
    let for_events = path.clone();
    let progress = Arc::new(move |p: &Progress| {
        crate::events::emit(
            &events,
            Event::PublishProgress(PublishProgress {
                path: for_events.clone(),
                progress: p.clone(),
            }),
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
    let publisher = app.state::<Publishing>().publisher()?;
    tauri::async_runtime::spawn_blocking(move || Ok(publisher.store().outbox()?))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
}

#[tauri::command(rename_all = "snake_case")]
pub async fn outbox_retry_now(app: AppHandle) -> AppResult<()> {
    app.state::<Publishing>()
        .running()?
        .outbox
        .retry_now()
        .await;
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
