//! The window only ever shows the app's own page. A link, a form or a script that tries to
//! navigate it elsewhere is refused; links meant for the browser go through `open_external`.

use tauri::Url;

/// The app's own origins: the embedded UI (`tauri://localhost` on Linux and macOS,
/// `http(s)://tauri.localhost` on Windows), the dev server in `tauri dev`, and the
/// `about:` documents the preview iframe uses (`about:srcdoc`, `about:blank`).
pub fn is_app_url(url: &Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => match url.host_str() {
            Some("tauri.localhost") => true,
            Some("localhost") => cfg!(dev) && url.port() == Some(1420),
            _ => false,
        },
        "about" => matches!(url.path(), "srcdoc" | "blank"),
        _ => false,
    }
}

/// A plugin whose only job is to refuse navigation away from the app.
pub fn guard<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("newsroom-navigation")
        .on_navigation(|_webview, url| {
            let allowed = is_app_url(url);
            if !allowed {
                eprintln!("newsroom: refused to navigate the window to {url}");
            }
            allowed
        })
        .build()
}

/// A new-window request, which is how every link in the preview arrives (its frame runs no
/// script, so no page code can intercept the click; see `ui/src/preview.ts`). No window is
/// ever made: web and mail links go to the system browser or mail client, anything else
/// (a blocked link's empty href, a relative path) goes nowhere.
pub fn new_window_requested(url: &Url) {
    match crate::external::open(url.as_str()) {
        Ok(()) => {}
        Err(e) => eprintln!("newsroom: link not opened: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn only_the_app_itself_is_allowed() {
        for ok in [
            "tauri://localhost/",
            "tauri://localhost/index.html",
            "http://tauri.localhost/",
            "about:srcdoc",
            "about:blank",
        ] {
            assert!(is_app_url(&url(ok)), "{ok}");
        }
        for bad in [
            "https://example.org/",
            "http://localhost:8080/",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "tauri://evil.example/",
            "newsroom-asset://localhost/photo.png",
            "https://tauri.localhost.evil.example/",
        ] {
            assert!(!is_app_url(&url(bad)), "{bad}");
        }
    }
}
