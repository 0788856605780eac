//! The `newsroom-boot:` protocol: the first screen's data, before the page's own script runs.
//!
//! Why: the drafts list used to wait for an `open_workspace` round trip that the page could
//! only start once its script ran, and whose answer then queued behind the page's first
//! layout and paint (≈ 110–150 ms here, measured). `ui/index.html` loads
//! `newsroom-boot://localhost/boot.js` as a classic script ahead of the page's module: the
//! parser waits for it (the page is doing nothing else yet), so the folder opened ahead of
//! time (see `prefetch`) and the settings are in `window.__newsroomBoot` when `main.ts`
//! starts, and the list is in the first frame.
//!
//! It never holds the window blank for long: when the folder is not open within
//! [`BOOT_WAIT`] (a cold index of thousands of drafts) it answers `null`, and the page asks
//! over IPC as before while showing its shell. The answer is data only: JSON, which is a
//! JavaScript expression, assigned to one global. Allowed by the CSP's `script-src
//! newsroom-boot:`; served to the main window only, never cached.

use std::borrow::Cow;
use std::time::Duration;

use tauri::http::{Response, StatusCode, header};
use tauri::{AppHandle, Manager};

use crate::commands::open_workspace_now;
use crate::state::AppState;

pub const SCHEME: &str = "newsroom-boot";
/// The one path served.
pub const PATH: &str = "/boot.js";
/// How long the page may wait for the folder opened ahead of time.
pub const BOOT_WAIT: Duration = Duration::from_millis(250);

/// What the page finds in `window.__newsroomBoot` (the contract's `Boot`).
pub use newsroom_api::drafts::Boot;

/// The boot data when the first folder is ready within [`BOOT_WAIT`], else `None`.
pub fn boot(app: &AppHandle) -> Option<Boot> {
    crate::perf::mark("boot-requested");
    let state = app.state::<AppState>();
    if !state.prefetch.ready_within(BOOT_WAIT) {
        return None;
    }
    let (workspace, error) = match open_workspace_now(app.clone(), &state, None) {
        Ok(info) => (Some(info), None),
        Err(e) => (None, Some(e)),
    };
    Some(Boot {
        workspace,
        error,
        settings: state.settings(),
    })
}

/// The script's text: `window.__newsroomBoot = <JSON or null>;`.
pub fn script(boot: Option<&Boot>) -> String {
    let json = serde_json::to_string(&boot).unwrap_or_else(|e| {
        eprintln!("newsroom: boot data not written ({e}); the page asks over IPC");
        "null".to_owned()
    });
    format!("window.__newsroomBoot = {json};\n")
}

/// The response for a request of `path`: the boot script at [`PATH`], 404 elsewhere.
pub fn respond(app: &AppHandle, path: &str) -> Response<Cow<'static, [u8]>> {
    let builder = Response::builder()
        .header(header::CACHE_CONTROL, "no-store")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    let response = if path == PATH {
        builder
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, "text/javascript; charset=utf-8")
            .body(Cow::Owned(script(boot(app).as_ref()).into_bytes()))
    } else {
        builder
            .status(StatusCode::NOT_FOUND)
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Cow::Borrowed(&b""[..]))
    };
    response.unwrap_or_else(|_| Response::new(Cow::Borrowed(&b""[..])))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::error::AppError;
    use newsroom_api::settings::Settings;

    #[test]
    fn no_boot_data_is_null_for_the_page() {
        assert_eq!(script(None), "window.__newsroomBoot = null;\n");
    }

    #[test]
    fn the_data_is_json_assigned_to_one_global() {
        let boot = Boot {
            workspace: None,
            error: Some(AppError::InvalidArgument(
                "</script><script>alert(1)</script> \u{2028}".into(),
            )),
            settings: Settings::default(),
        };
        let js = script(Some(&boot));
        let json = js
            .strip_prefix("window.__newsroomBoot = ")
            .and_then(|r| r.strip_suffix(";\n"))
            .unwrap();
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(value["error"]["code"], "invalid_argument");
        assert!(value["workspace"].is_null());
        assert!(value["settings"].is_object());
        // one line, one statement: nothing in the data can end it early
        assert_eq!(js.lines().count(), 1);
    }
}
