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
mod sync;

use tauri::Manager;

use crate::state::{AppState, Launch};
use newsroom_api::settings::SettingsFile;
use newsroom_core::user_dirs::UserDirs;

/// The label of the one window, as in tauri.conf.json.
pub(crate) const MAIN_WINDOW: &str = "main";

/// The window of tauri.conf.json (`"create": false` there), made here so that it can
/// answer new-window requests: the preview's links (see `navigation::new_window_requested`).
fn main_window(
    app: &tauri::App,
    dirs: &UserDirs,
) -> Result<tauri::WebviewWindow, Box<dyn std::error::Error>> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN_WINDOW)
        .ok_or("tauri.conf.json has no window labelled \"main\"")?
        .clone();
    let window = tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
        // WebKit's storage (the page's localStorage) in our data folder, not in the one
        // Tauri derives from the bundle identifier
        .data_directory(dirs.webview_dir())
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

/// Removes the folders Tauri derives from the bundle identifier when they are empty: the
/// window-state plugin creates its config folder even though it writes into ours.
fn remove_empty_tauri_dirs(app: &tauri::AppHandle) {
    let paths = app.path();
    for dir in [paths.app_config_dir(), paths.app_local_data_dir()]
        .into_iter()
        .flatten()
    {
        let _ = std::fs::remove_dir(dir); // only when empty
    }
}

pub fn run() {
    // One decision for where settings and indexes live, shared with the CLI
    // (newsroom_core::user_dirs); what older versions left elsewhere is moved there
    // before anything reads it.
    let dirs = UserDirs::from_env();
    for note in dirs.migrate_legacy() {
        eprintln!("newsroom: {note}");
    }
    let mut builder = tauri::Builder::default()
        // first: a second launch must end before it builds anything of its own
        .plugin(tauri_plugin_single_instance::init(second_launch))
        // the main window's size, position and maximised state, saved on close, in our
        // config folder (an absolute name: the plugin joins it to Tauri's folder)
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_filename(dirs.window_state_file().to_string_lossy())
                .build(),
        )
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
        .setup(move |app| {
            perf::mark("setup");
            let mut state =
                AppState::new(SettingsFile::in_dir(&dirs.config), Launch::from_process());
            // open the first folder while the page loads (see prefetch)
            let (root, _) = commands::initial_root(&state);
            let events = app.handle().clone();
            let mode = state.settings().watch;
            state.prefetch = prefetch::Prefetch::start(root, move |root| {
                commands::open_folder(events, root, mode)
            });
            app.manage(state);
            // the outbox runs from the start (jobs queued last time resume) to the exit
            app.manage(publishing::Publishing::start(app.handle()));
            perf::mark("outbox-started");
            // a folder that is a git working copy syncs after saves settle and every few minutes
            app.manage(sync::SyncService::start(app.handle()));
            main_window(app, &dirs)?;
            perf::mark("window-built");
            Ok(())
        })
        // a polled folder (a shared drive) is compared again when the user comes back
        .on_window_event(|window, event| {
            if matches!(event, tauri::WindowEvent::Focused(true)) {
                window.state::<AppState>().window_focused();
            }
        })
        // WebKit's spell checking (the small fields) is turned on once the page has loaded,
        // not while the window is made: loading its dictionaries holds the main thread
        // ≈ 25–40 ms, which is the thread that serves the page its files, so it delayed the
        // first drafts list.
        .on_page_load(|webview, payload| {
            if webview.label() == MAIN_WINDOW
                && payload.event() == tauri::webview::PageLoadEvent::Finished
            {
                spellcheck::enable_for_settings(webview.app_handle());
                perf::mark("spellcheck-on");
            }
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
            commands::diff_text,
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
            sync::sync_status,
            sync::sync_now,
        ]);
    if perf::enabled() {
        builder = builder.plugin(perf::plugin());
    }
    builder
        .build(tauri::generate_context!())
        .expect("error while building Newsroom")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                // after the plugins' own exit handlers (the window state is saved by then)
                remove_empty_tauri_dirs(app);
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

    /// One app id everywhere: the bundle identifier (Tauri), the one the core's folder
    /// decision and migration know, the AppStream component, the desktop entry and the
    /// icons the package installs. Not ending in `.desktop`, which AppStream and Flatpak
    /// read as a file name.
    #[test]
    fn the_app_id_is_one_reverse_dns_name_everywhere() {
        let id = newsroom_core::user_dirs::APP_ID;
        assert!(!id.ends_with(".desktop"));
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let config: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("tauri.conf.json")).unwrap())
                .unwrap();
        assert_eq!(config["identifier"], id);
        let deb = &config["bundle"]["linux"]["deb"];
        assert_eq!(
            deb["desktopTemplate"].as_str().unwrap(),
            format!("linux/{id}.desktop")
        );
        let files = deb["files"].as_object().unwrap();
        let metainfo = files[&format!("/usr/share/metainfo/{id}.metainfo.xml")]
            .as_str()
            .unwrap();
        let xml = std::fs::read_to_string(dir.join(metainfo)).unwrap();
        assert!(xml.contains(&format!("<id>{id}</id>")), "{xml}");
        assert!(
            xml.contains(&format!(
                "<launchable type=\"desktop-id\">{id}.desktop</launchable>"
            )),
            "{xml}"
        );
        assert!(files.contains_key(&format!("/usr/share/icons/hicolor/128x128/apps/{id}.png")));
        let entry = std::fs::read_to_string(dir.join(format!("linux/{id}.desktop"))).unwrap();
        assert!(entry.lines().any(|l| l == format!("Icon={id}")), "{entry}");
        let finish = std::fs::read_to_string(dir.join("linux/finish-deb.sh")).unwrap();
        assert!(finish.contains(&format!("app_id={id}\n")), "{finish}");
    }
}
