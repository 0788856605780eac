//! Timing marks for the desktop benchmark (tests/bench-app), off unless
//! `NEWSROOM_PERF_MARKS=1`.
//!
//! When on, a script injected into the page reports when the page has loaded and when the
//! first drafts-list item is shown, through the `perf_mark` command, which prints
//! `newsroom-perf page-loaded|drafts-listed <unix ms>` to stdout, and when the navigation
//! started (`nav-start`) and the document was parsed (`dom-loaded`). The Rust side marks its
//! own phases (`setup`, `outbox-started`, `window-built`, `prefetch-*`, `workspace-open-start`,
//! `workspace-watched`, `workspace-listed-ahead`, `boot-requested`,
//! `workspace-listed`, `spellcheck-on`) and the page its own (`script-start`, `app-built`,
//! `workspace-received`, `workspace-shown`): `results.json` keeps them all. The bare
//! comparison window prints the same line when its page has loaded.

use std::io::Write;

pub const ENV: &str = "NEWSROOM_PERF_MARKS";

pub fn enabled() -> bool {
    std::env::var_os(ENV).is_some_and(|v| v == "1")
}

/// Runs before the page's own scripts (a WebKit user script: the page's CSP does not apply).
const WATCH_LIST_SCRIPT: &str = r#"
(function () {
  if (window.top !== window) return;
  var sent = false;
  function check() {
    if (sent || !document.querySelector('[data-testid="draft-item"]')) return false;
    sent = true;
    window.__TAURI_INTERNALS__.invoke('perf_mark', { name: 'drafts-listed' });
    return true;
  }
  function start() {
    window.__TAURI_INTERNALS__.invoke('perf_mark', { name: 'nav-start', at_ms: performance.timeOrigin });
    window.__TAURI_INTERNALS__.invoke('perf_mark', { name: 'dom-loaded', at_ms: performance.timeOrigin + performance.now() });
    if (check()) return;
    var observer = new MutationObserver(function () { if (check()) observer.disconnect(); });
    observer.observe(document.documentElement, { childList: true, subtree: true });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
  // the page reports its own phases (main.ts) with its own clock
  window.__newsroomPerfMark = function (name) {
    window.__TAURI_INTERNALS__.invoke('perf_mark', { name: name, at_ms: performance.timeOrigin + performance.now() });
  };
  window.addEventListener('load', function () {
    window.__TAURI_INTERNALS__.invoke('perf_mark', { name: 'page-loaded' });
  });
})();
"#;

/// The plugin that injects the watch script; registered only when marks are on.
pub fn plugin<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("newsroom-perf")
        .js_init_script(WATCH_LIST_SCRIPT.to_owned())
        .build()
}

pub fn mark(name: &str) {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or_default();
    mark_at(name, ms);
}

/// A mark taken elsewhere (the page's clock), printed now.
pub fn mark_at(name: &str, ms: f64) {
    if !enabled() {
        return;
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "newsroom-perf {name} {ms:.1}");
    let _ = out.flush();
}
