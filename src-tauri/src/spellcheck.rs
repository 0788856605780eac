//! WebKit's own spell checking, for the small text fields (title, summary, the sidebar's):
//! the editor's body is checked whole by `spelling.rs` instead (WebKit only marks words
//! as they are typed) and turns WebKit's off on itself. WebKitGTK has it off by default;
//! it needs both the switch and a language list (enabled with no languages underlines
//! nothing). The language is the settings' (the same as the editor's).

use tauri::Manager;

/// Turns WebKit's checker on in the settings' language; again after a settings change.
pub fn enable_for_settings<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    let state = app.state::<crate::state::AppState>();
    let language = state
        .spelling
        .languages(state.settings().spell_language.as_deref())
        .current;
    if let (Some(window), Some(language)) = (app.get_webview_window(crate::MAIN_WINDOW), language) {
        enable(&window, &language);
    }
}

#[cfg(target_os = "linux")]
fn enable<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>, language: &str) {
    let language = language.to_owned();
    let result = window.with_webview(move |webview| {
        use webkit2gtk::{WebContextExt, WebViewExt};
        if let Some(context) = webview.inner().context() {
            context.set_spell_checking_enabled(true);
            context.set_spell_checking_languages(&[language.as_str()]);
            // WebKit drops languages without a dictionary silently: say which ones loaded.
            let loaded: Vec<String> = context
                .spell_checking_languages()
                .iter()
                .map(|l| l.to_string())
                .collect();
            eprintln!(
                "newsroom: spell checking {}",
                if loaded.is_empty() {
                    "on, but WebKit found no dictionary".to_owned()
                } else {
                    loaded.join(", ")
                }
            );
        }
    });
    if let Err(e) = result {
        eprintln!("newsroom: spell checking not enabled: {e}");
    }
}

/// Other platforms' webviews check spelling in editable text by default.
#[cfg(not(target_os = "linux"))]
fn enable<R: tauri::Runtime>(_window: &tauri::WebviewWindow<R>, _language: &str) {}
