//! Sending the page an event: the name and the payload come from one `newsroom_api::events::Event`.

use newsroom_api::events::Event;
use tauri::{AppHandle, Emitter};

/// Emits `event` to the page; a failure is logged (the page will catch up on its next read).
pub fn emit(app: &AppHandle, event: Event) {
    if let Err(e) = app.emit(event.name(), event.payload()) {
        eprintln!("newsroom: could not send {}: {e}", event.name());
    }
}
