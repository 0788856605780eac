//! Spell checking in the editor. WebKitGTK has it off by default; it needs both the
//! switch and a language list (enabled with no languages underlines nothing).

/// Languages to check; a language without an installed hunspell dictionary is dropped
/// silently by WebKit.
pub const LANGUAGES: [&str; 1] = ["en_US"];

/// Turns spell checking on for the webview's context, the first time it is called (the
/// context is the app's one: later page loads find it on).
pub fn enable_once<R: tauri::Runtime>(webview: &tauri::Webview<R>) {
    static DONE: std::sync::Once = std::sync::Once::new();
    DONE.call_once(|| enable(webview));
}

#[cfg(target_os = "linux")]
fn enable<R: tauri::Runtime>(webview: &tauri::Webview<R>) {
    let result = webview.with_webview(|webview| {
        use webkit2gtk::{WebContextExt, WebViewExt};
        if let Some(context) = webview.inner().context() {
            context.set_spell_checking_enabled(true);
            context.set_spell_checking_languages(&LANGUAGES);
            // WebKit drops languages without a dictionary silently: say which ones loaded.
            let loaded: Vec<String> = context
                .spell_checking_languages()
                .iter()
                .map(|l| l.to_string())
                .collect();
            eprintln!(
                "newsroom: spell checking {}",
                if loaded.is_empty() {
                    "on, but no dictionary found (install hunspell-en-us)".to_owned()
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
fn enable<R: tauri::Runtime>(_webview: &tauri::Webview<R>) {}
