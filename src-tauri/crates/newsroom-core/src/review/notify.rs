//! What the app says when a colleague moves a piece along: one sentence from a watcher
//! change and the draft's trail.

use crate::review::workflow::{self, Action, TrailEntry};
use crate::watch::{ChangeKind, DraftChange};

/// The sentence for a change another program made to a draft, or `None` when its
/// status did not change. `last` is the last entry of the draft's trail
/// ([`workflow::trail`]); it names who did it, when it describes this move.
///
/// "Ana Kovač (as the file says) submitted ‘Minsk talks’ for review", "Edith Moreau (as
/// the file says) requested changes on ‘Minsk talks’: “Needs a second source”",
/// "‘Minsk talks’ is now approved".
///
/// The name is the trail's, and the trail is what the file claims: anyone who can write
/// to the shared folder can write any name there, so the sentence says where it comes
/// from rather than vouching for it.
pub fn notification(change: &DraftChange, last: Option<&TrailEntry>) -> Option<String> {
    let summary = change.summary.as_ref()?;
    if change.kind == ChangeKind::Deleted {
        return None;
    }
    let to = summary.status;
    // A draft that arrived (copied in, synced) already moved: its trail says from where.
    let entry = last.filter(|e| e.to == to && change.previous_status.is_none_or(|p| p == e.from));
    let from = change.previous_status.or(entry.map(|e| e.from))?;
    if from == to {
        return None;
    }
    let title = format!("‘{}’", summary.title.trim());
    let Some(entry) = entry else {
        return Some(format!("{title} is now {}", to.label().to_lowercase()));
    };
    let by = format!("{} {}", entry.by.trim(), AS_THE_FILE_SAYS);
    let mut sentence = match workflow::transition(from, to).map(|t| t.action) {
        Some(Action::Submit) => format!("{by} submitted {title} for review"),
        Some(Action::Resubmit) => format!("{by} resubmitted {title} for review"),
        Some(Action::Withdraw) => format!("{by} withdrew {title} from review"),
        Some(Action::RequestChanges) => format!("{by} requested changes on {title}"),
        Some(Action::Approve) => format!("{by} approved {title}"),
        Some(Action::SendBack) => format!("{by} sent {title} back for changes"),
        Some(Action::Schedule) => match summary.publish_at.as_deref().and_then(display_time) {
            Some(when) => format!("{by} scheduled {title} for {when}"),
            None => format!("{by} scheduled {title}"),
        },
        Some(Action::Unschedule) => format!("{by} unscheduled {title}"),
        Some(Action::Publish) => format!("{by} published {title}"),
        Some(Action::Reopen) => format!("{by} reopened {title} for a correction"),
        Some(Action::SubmitCorrection) => {
            format!("{by} submitted a correction to {title} for review")
        }
        None => format!(
            "{by} moved {title} from {} to {}",
            from.label().to_lowercase(),
            to.label().to_lowercase()
        ),
    };
    if let Some(note) = entry
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        sentence.push_str(&format!(": “{note}”"));
    }
    Some(sentence)
}

/// Said after a name taken from the trail: it is the file's claim, not a verified fact.
pub const AS_THE_FILE_SAYS: &str = "(as the file says)";

/// The sentence for a draft's text as it is now, given its status before (for the app,
/// which has the new text at hand).
pub fn notification_for_text(change: &DraftChange, text: &str) -> Option<String> {
    let trail = workflow::trail_of_text(text);
    notification(change, trail.last())
}

/// `2026-12-01T08:00:00+01:00` → `1 December 2026, 08:00`, in the offset written.
fn display_time(iso: &str) -> Option<String> {
    let t = crate::front_matter::parse_rfc3339(iso).ok()?;
    let format = time::macros::format_description!(
        "[day padding:none] [month repr:long] [year], [hour]:[minute]"
    );
    t.format(&format).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front_matter::Status;
    use crate::index::DraftSummary;

    fn change(previous: Option<Status>, status: Status) -> DraftChange {
        DraftChange {
            kind: if previous.is_some() {
                ChangeKind::Changed
            } else {
                ChangeKind::Created
            },
            path: "world/minsk.md".into(),
            from: None,
            summary: Some(DraftSummary {
                path: "world/minsk.md".into(),
                title: "Minsk talks".into(),
                status,
                categories: vec![],
                tags: vec![],
                author: None,
                excerpt: None,
                publish_at: Some("2026-12-01T08:00:00+01:00".into()),
                modified_ms: 0,
                words: 0,
                error: None,
                portal_post_id: None,
                portal_link: None,
            }),
            previous_status: previous,
        }
    }

    fn entry(by: &str, from: Status, to: Status, note: Option<&str>) -> TrailEntry {
        TrailEntry {
            by: by.into(),
            at: "2026-11-26T09:30:00Z".into(),
            from,
            to,
            note: note.map(Into::into),
            commit: None,
        }
    }

    #[test]
    fn sentences() {
        use Status::*;
        // (status before, status now, the trail's last entry, the sentence)
        type Case = (
            Option<Status>,
            Status,
            Option<TrailEntry>,
            Option<&'static str>,
        );
        let cases: &[Case] = &[
            (
                Some(Draft),
                InReview,
                Some(entry("Ana Kovač", Draft, InReview, None)),
                Some("Ana Kovač (as the file says) submitted ‘Minsk talks’ for review"),
            ),
            (
                Some(InReview),
                Approved,
                Some(entry("Edith Moreau", InReview, Approved, None)),
                Some("Edith Moreau (as the file says) approved ‘Minsk talks’"),
            ),
            (
                Some(InReview),
                ChangesRequested,
                Some(entry(
                    "Edith Moreau",
                    InReview,
                    ChangesRequested,
                    Some("Second source?"),
                )),
                Some(
                    "Edith Moreau (as the file says) requested changes on ‘Minsk talks’: “Second source?”",
                ),
            ),
            (
                Some(ChangesRequested),
                InReview,
                Some(entry("Ana Kovač", ChangesRequested, InReview, None)),
                Some("Ana Kovač (as the file says) resubmitted ‘Minsk talks’ for review"),
            ),
            (
                Some(Approved),
                Scheduled,
                Some(entry("Desk", Approved, Scheduled, None)),
                Some("Desk (as the file says) scheduled ‘Minsk talks’ for 1 December 2026, 08:00"),
            ),
            (
                Some(Published),
                Draft,
                Some(entry("Ana Kovač", Published, Draft, None)),
                Some("Ana Kovač (as the file says) reopened ‘Minsk talks’ for a correction"),
            ),
            // Status set by hand: no matching trail entry.
            (
                Some(Draft),
                Approved,
                Some(entry("Ana Kovač", Draft, InReview, None)),
                Some("‘Minsk talks’ is now approved"),
            ),
            (
                Some(Draft),
                Approved,
                None,
                Some("‘Minsk talks’ is now approved"),
            ),
            // Copied in already submitted.
            (
                None,
                InReview,
                Some(entry("Ana Kovač", Draft, InReview, None)),
                Some("Ana Kovač (as the file says) submitted ‘Minsk talks’ for review"),
            ),
            (None, Draft, None, None),
            // Text edits without a status change say nothing.
            (Some(InReview), InReview, None, None),
        ];
        for (previous, status, last, expected) in cases {
            assert_eq!(
                notification(&change(*previous, *status), last.as_ref()).as_deref(),
                *expected,
                "{previous:?} → {status}"
            );
        }
    }

    #[test]
    fn deleted_drafts_are_not_announced() {
        let mut c = change(Some(Status::InReview), Status::InReview);
        c.kind = ChangeKind::Deleted;
        c.summary = None;
        assert_eq!(notification(&c, None), None);
    }
}
