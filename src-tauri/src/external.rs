//! Opening links from the preview in the system browser or mail client.
//!
//! Only web and mail links leave the app: a `file:` URL would open local files, and
//! `javascript:`/custom schemes could launch other programs.

use crate::error::{AppError, AppResult};

const ALLOWED_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Parses and checks a URL the UI wants opened outside the app.
pub fn checked_url(raw: &str) -> AppResult<tauri::Url> {
    let url = tauri::Url::parse(raw.trim()).map_err(|e| {
        AppError::InvalidArgument(format!("{raw:?} is not a link that can be opened: {e}"))
    })?;
    if !ALLOWED_SCHEMES.contains(&url.scheme()) {
        return Err(AppError::InvalidArgument(format!(
            "only http, https and mailto links open outside Newsroom, not {}:",
            url.scheme()
        )));
    }
    if url.scheme() != "mailto" && url.host_str().is_none_or(str::is_empty) {
        return Err(AppError::InvalidArgument(format!("{raw:?} has no host")));
    }
    Ok(url)
}

/// Hands the URL to the desktop (xdg-open on Linux) without waiting for it.
pub fn open(raw: &str) -> AppResult<()> {
    let url = checked_url(raw)?;
    open::that_detached(url.as_str())
        .map_err(|e| AppError::InvalidArgument(format!("could not open {url}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_and_mail_links_pass() {
        for ok in [
            "https://example.org/a?b#c",
            "http://example.org",
            "mailto:desk@example.org",
            " https://example.org ",
        ] {
            assert!(checked_url(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn everything_else_is_refused() {
        for bad in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "smb://server/share",
            "newsroom-asset://localhost/x.png",
            "tauri://localhost",
            "https://",
            "/etc/passwd",
            "-e evil",
            "",
        ] {
            let err = checked_url(bad).unwrap_err();
            assert_eq!(err.code().as_str(), "invalid_argument", "{bad}");
        }
    }
}
