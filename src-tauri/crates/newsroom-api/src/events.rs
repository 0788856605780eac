//! Everything the app tells the page unasked (Rust → page events), as one enum: the event's
//! name and its payload's type live together, so the page's `listen` calls are generated
//! types, not strings spread over files.

use newsroom_core::watch::DraftChange;
use newsroom_publish::Progress;
use serde::Serialize;

/// Changes other programs made in the drafts folder (the app's own saves are filtered out).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct DraftsChanged {
    pub changes: Vec<DraftChange>,
}

/// "Ana Kovač submitted ‘Minsk talks’ for review".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ReviewNotification {
    pub path: String,
    pub message: String,
}

/// A step of a publish of the draft at `path`.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PublishProgress {
    pub path: String,
    pub progress: Progress,
}

/// Another launch of the app (a second `newsroom-app PATH`, a draft opened from the file
/// manager) asks the running window to show `folder` and, when given, the draft at `draft`
/// (relative to `folder`; opened through `read_draft` like any other path).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct OpenRequested {
    pub folder: String,
    pub draft: Option<String>,
}

/// The open folder's sync changed: one started, ended, or its standing moved (the page
/// shows it in the status bar). What a sync brought in reaches the page as
/// `drafts-changed` from the watcher, as a colleague's change on a shared drive does.
pub type SyncStatusChanged = crate::sync::SyncStatus;

/// An event: its name (`event`) and what it carries (`payload`), as the page receives them.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(tag = "event", content = "payload", rename_all = "kebab-case")]
pub enum Event {
    DraftsChanged(DraftsChanged),
    ReviewNotification(ReviewNotification),
    PublishProgress(PublishProgress),
    /// The outbox changed (a job queued, retried, done or failed): read `outbox_list` again.
    /// The payload says what happened, for logs; the page does not read it.
    OutboxEvent(#[ts(type = "unknown")] serde_json::Value),
    OpenRequested(OpenRequested),
    /// Boxed: the status is larger than the other events.
    SyncStatus(Box<SyncStatusChanged>),
}

impl Event {
    /// Every event name, in the order of the enum.
    pub const NAMES: [&'static str; 6] = [
        "drafts-changed",
        "review-notification",
        "publish-progress",
        "outbox-event",
        "open-requested",
        "sync-status",
    ];

    /// The name the page listens for.
    pub fn name(&self) -> &'static str {
        match self {
            Event::DraftsChanged(_) => Self::NAMES[0],
            Event::ReviewNotification(_) => Self::NAMES[1],
            Event::PublishProgress(_) => Self::NAMES[2],
            Event::OutboxEvent(_) => Self::NAMES[3],
            Event::OpenRequested(_) => Self::NAMES[4],
            Event::SyncStatus(_) => Self::NAMES[5],
        }
    }

    /// What the page's handler receives.
    pub fn payload(&self) -> serde_json::Value {
        let mut json = serde_json::to_value(self).unwrap_or_default();
        json.get_mut("payload")
            .map(serde_json::Value::take)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_is_the_serde_tag_and_the_payload_its_content() {
        let events = [
            Event::DraftsChanged(DraftsChanged { changes: vec![] }),
            Event::ReviewNotification(ReviewNotification {
                path: "a.md".into(),
                message: "m".into(),
            }),
            Event::PublishProgress(PublishProgress {
                path: "a.md".into(),
                progress: Progress::Terms,
            }),
            Event::OutboxEvent(serde_json::json!({"x": 1})),
            Event::OpenRequested(OpenRequested {
                folder: "/d".into(),
                draft: Some("a.md".into()),
            }),
            Event::SyncStatus(Box::new(crate::sync::sync_status(
                std::path::Path::new("/nonexistent-newsroom-folder"),
                &crate::settings::Settings::default(),
                false,
            ))),
        ];
        for (i, e) in events.iter().enumerate() {
            let json = serde_json::to_value(e).unwrap();
            assert_eq!(json["event"], e.name());
            assert_eq!(e.name(), Event::NAMES[i]);
            assert_eq!(json["payload"], e.payload());
        }
        assert_eq!(
            events[1].payload(),
            serde_json::json!({"path": "a.md", "message": "m"})
        );
    }
}
