//! Newsroom's desktop window: Tauri glue over `newsroom-core`.
//!
//! Registrations only: the commands' bodies are plain functions in `newsroom-api`; this
//! crate holds the managed state (the open folder, the settings), runs those functions off
//! the IPC thread, forwards the watcher's changes as events, and serves the two protocols
//! (the folder's images, the boot script).

mod asset;
mod boot;
mod commands;
#[cfg(test)]
mod contract_check;
mod error;
mod events;
mod external;
mod folder;
mod navigation;
mod perf;
mod portals;
mod prefetch;
mod publishing;
mod review;
mod spellcheck;
mod spelling;
mod state;

use tauri::Manager;

use crate::state::{AppState, Launch};
use newsroom_api::settings::SettingsFile;

/// The label of the one window, as in tauri.conf.json.
pub(crate) const MAIN_WINDOW: &str = "main";

/// The window of tauri.conf.json (`"create": false` there), made here so that it can
/// answer new-window requests: the preview's links (see `navigation::new_window_requested`).
fn main_window(app: &tauri::App) -> Result<tauri::WebviewWindow, Box<dyn std::error::Error>> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN_WINDOW)
        .ok_or("tauri.conf.json has no window labelled \"main\"")?
        .clone();
    let window = tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
        .on_new_window(|url, _features| {
            navigation::new_window_requested(&url);
            tauri::webview::NewWindowResponse::Deny
        })
        .build()?;
    Ok(window)
}

/// A second launch (`newsroom-app PATH`, a draft opened from the file manager) ends at once
/// and hands its arguments here, to the running app: its window comes to the front and the
/// page opens the folder or draft they name, read as the first launch reads its own
/// (`folder::argument_target`). One window per index: two would fight over its locks.
fn second_launch(app: &tauri::AppHandle, argv: Vec<String>, cwd: String) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    let args: Vec<std::ffi::OsString> = argv.into_iter().skip(1).map(Into::into).collect();
    let open_root = app.state::<AppState>().asset_root();
    let Some(target) =
        folder::argument_target(&args, std::path::Path::new(&cwd), open_root.as_deref())
    else {
        return; // launched again without a path: the window to the front is all
    };
    eprintln!(
        "newsroom: another launch asks for {}{}",
        target.folder.display(),
        target
            .draft
            .as_deref()
            .map(|d| format!(" (draft {d})"))
            .unwrap_or_default()
    );
    events::emit(
        app,
        newsroom_api::events::Event::OpenRequested(newsroom_api::events::OpenRequested {
            folder: target.folder.to_string_lossy().into_owned(),
            draft: target.draft,
        }),
    );
}

pub fn run() {
    let mut builder = tauri::Builder::default()
        // first: a second launch must end before it builds anything of its own
        .plugin(tauri_plugin_single_instance::init(second_launch))
        // the main window's size, position and maximised state, saved on close
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(navigation::guard())
        // Open Folder, Export, Insert Image: the system's own choosers (see capabilities/default.json)
        .plugin(tauri_plugin_dialog::init())
        .register_asynchronous_uri_scheme_protocol(asset::SCHEME, |ctx, request, responder| {
            if ctx.webview_label() != MAIN_WINDOW {
                responder.respond(asset::respond(None, ""));
                return;
            }
            let root = ctx.app_handle().state::<AppState>().asset_root();
            let path = request.uri().path().to_owned();
            // File reads stay off the webview's thread.
            tauri::async_runtime::spawn_blocking(move || {
                responder.respond(asset::respond(root.as_deref(), &path))
            });
        })
        .register_asynchronous_uri_scheme_protocol(boot::SCHEME, |ctx, request, responder| {
            let app = ctx.app_handle().clone();
            let main = ctx.webview_label() == MAIN_WINDOW;
            let path = request.uri().path().to_owned();
            // it may wait for the folder opened ahead of time: not on the webview's thread
            tauri::async_runtime::spawn_blocking(move || {
                responder.respond(boot::respond(&app, if main { &path } else { "" }))
            });
        })
        .setup(|app| {
            perf::mark("setup");
            let config_dir = app.path().app_config_dir()?;
            let mut state =
                AppState::new(SettingsFile::in_dir(&config_dir), Launch::from_process());
            // open the first folder while the page loads (see prefetch)
            let (root, _) = commands::initial_root(&state);
            let events = app.handle().clone();
            state.prefetch =
                prefetch::Prefetch::start(root, move |root| commands::open_folder(events, root));
            app.manage(state);
            // the outbox runs from the start (jobs queued last time resume) to the exit
            app.manage(publishing::Publishing::start(app.handle()));
            main_window(app)?;
            spellcheck::enable_for_settings(app.handle());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::open_workspace,
            commands::list_drafts,
            commands::search_drafts,
            commands::read_draft,
            commands::render_preview,
            commands::save_draft,
            commands::update_front_matter,
            commands::read_front_matter,
            commands::new_draft,
            commands::list_revisions,
            commands::revision_diff,
            commands::restore_revision,
            commands::resolve_conflict,
            commands::import_image,
            commands::import_image_file,
            commands::export_html,
            commands::export_suggestion,
            commands::get_settings,
            commands::save_settings,
            commands::open_external,
            commands::launch_draft,
            commands::perf_mark,
            portals::portal_list,
            portals::portal_profiles,
            portals::portal_add,
            portals::portal_edit,
            portals::portal_remove,
            portals::portal_set_default,
            portals::byline_check,
            publishing::portal_test,
            publishing::publish_draft,
            publishing::outbox_list,
            publishing::outbox_retry_now,
            review::review_marks,
            review::review_change_request,
            review::review_resolve,
            review::review_transitions,
            review::review_transition,
            review::desk_checklist,
            review::review_queue,
            review::desk_queue,
            review::lock_hold,
            review::lock_release,
            spelling::spell_languages,
            spelling::spell_check,
            spelling::spell_suggest,
            spelling::spell_learn,
        ]);
    if perf::enabled() {
        builder = builder.plugin(perf::plugin());
    }
    builder
        .build(tauri::generate_context!())
        .expect("error while building Newsroom")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                // bounded: a publish in flight waits in the outbox for the next start
                if let Some(publishing) = app.try_state::<publishing::Publishing>() {
                    publishing.stop();
                }
            }
        });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    /// The `.deb`'s launcher (tauri.conf.json `bundle.linux.deb.desktopTemplate`) hands the
    /// files the file manager opens with it to the app (`%F`, read by
    /// `folder::argument_target`) and offers the app for Markdown.
    #[test]
    fn the_desktop_entry_passes_files_and_claims_markdown() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let config: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("tauri.conf.json")).unwrap())
                .unwrap();
        let template = config["bundle"]["linux"]["deb"]["desktopTemplate"]
            .as_str()
            .unwrap();
        let entry = std::fs::read_to_string(dir.join(template)).unwrap();
        let lines: Vec<&str> = entry.lines().collect();
        assert!(lines.contains(&"Exec={{exec}} %F"), "{entry}");
        assert!(lines.contains(&"MimeType=text/markdown;"), "{entry}");
    }
}
