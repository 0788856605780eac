//! Where a publish's result goes: the post id, link and `modified_gmt` are written into the
//! draft's front matter through the caller's open [`Workspace`], so that
//! - the folder is not opened (and rescanned) a second time for one front-matter edit;
//! - the write is the workspace's own ([`Workspace::record_publication`] records it in the
//!   workspace's `OwnWrites`), so the caller's watcher does not report the app's own
//!   publish as a colleague's change and the page does not re-read the file.
//!
//! A publish for a folder that is not open here (an outbox job of a folder opened last
//! week) still gets its write-back: the folder is opened for it, as before.
//!
//! A publish the person started learns its result from the command's answer. One that
//! ran in the background (the outbox) must be *told*: [`record_and_describe`] gives the
//! change as the watcher would have described it, for the app to send to the page itself
//! (without the watcher's re-read and re-index of the file).

use std::path::Path;
use std::sync::Mutex;

use newsroom_core::front_matter::Status;
use newsroom_core::front_matter_edit::Change;
use newsroom_core::watch::{ChangeKind, DraftChange};
use newsroom_core::{SaveOutcome, Workspace};

use crate::error::Result;
use crate::record::PortalRecord;

/// The caller's open drafts folder, as the publisher sees it.
pub trait WriteBack: Send + Sync {
    /// Applies `changes` to the draft `path` when `root` is the open folder, and says
    /// whether it did (`Ok(false)`: another folder, or none open; the publisher then
    /// opens `root` itself).
    fn record_publication(&self, root: &Path, path: &str, changes: &[Change]) -> Result<bool>;
}

/// The CLI's one workspace (and tests'): writes when `root` is its folder.
impl WriteBack for Mutex<Workspace> {
    fn record_publication(&self, root: &Path, path: &str, changes: &[Change]) -> Result<bool> {
        let mut ws = self
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        record_in(&mut ws, root, path, changes)
    }
}

/// Writes into `ws` when it is the folder `root`; the app's adapter over its managed
/// workspace calls this too.
pub fn record_in(ws: &mut Workspace, root: &Path, path: &str, changes: &[Change]) -> Result<bool> {
    if !same_folder(ws.root(), root) {
        return Ok(false);
    }
    ws.record_publication(path, changes)?;
    Ok(true)
}

/// [`record_in`], and the change the page should hear about (the draft's summary after
/// the write and its workflow status before it), for a publish that ran in the
/// background. `None`: not this folder, or nothing changed.
pub fn record_and_describe(
    ws: &mut Workspace,
    root: &Path,
    path: &str,
    changes: &[Change],
) -> Result<Option<DraftChange>> {
    if !same_folder(ws.root(), root) {
        return Ok(None);
    }
    let before = ws.index().summary(path)?.map(|s| s.status);
    if let SaveOutcome::Unchanged { .. } = ws.record_publication(path, changes)? {
        return Ok(None);
    }
    Ok(Some(DraftChange {
        kind: ChangeKind::Changed,
        path: path.to_owned(),
        from: None,
        summary: ws.index().summary(path)?,
        previous_status: before,
    }))
}

/// Whether `root` names the open folder `open` (canonical).
pub fn same_folder(open: &Path, root: &Path) -> bool {
    open == root
        || root
            .canonicalize()
            .is_ok_and(|r| r == open || open.canonicalize().is_ok_and(|o| o == r))
}

/// What a publish writes into the draft: the portal record, and the workflow status the
/// portal's status means (`publish` → published, `future` → scheduled, `pending` → in
/// review; a portal draft leaves the workflow alone).
pub fn changes(record: &PortalRecord) -> Vec<Change> {
    let mut changes = vec![Change::set("portal", record.to_yaml())];
    let workflow = match record.status.as_str() {
        "publish" => Some(Status::Published),
        "future" => Some(Status::Scheduled),
        "pending" => Some(Status::InReview),
        _ => None,
    };
    if let Some(st) = workflow {
        changes.push(Change::set_text("status", st.as_str()));
    }
    changes
}

pub(crate) fn open_workspace(
    root: &Path,
    index: Option<&Path>,
) -> Result<(newsroom_core::Workspace, newsroom_core::scan::ScanReport)> {
    Ok(match index {
        Some(i) => newsroom_core::Workspace::open_with_index(root, i)?,
        None => newsroom_core::Workspace::open(root)?,
    })
}

/// Writes the portal record (and the workflow status) into the draft; the body stays byte
/// for byte, and the index learns the change. Through the caller's open folder when it is
/// this one; otherwise the folder is opened for it.
pub(crate) fn write_back(
    target: Option<&dyn WriteBack>,
    root: &Path,
    index: Option<&Path>,
    path: &str,
    record: &PortalRecord,
) -> Result<()> {
    let changes = crate::write_back::changes(record);
    if let Some(open) = target {
        if open.record_publication(root, path, &changes)? {
            return Ok(());
        }
    }
    let (mut ws, _) = open_workspace(root, index)?;
    ws.record_publication(path, &changes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(status: &str) -> PortalRecord {
        PortalRecord {
            name: "main".into(),
            url: "https://news.example.org".into(),
            post_id: Some(7),
            link: "https://news.example.org/x/".into(),
            status: status.into(),
            modified_gmt: Some("2026-11-26T15:39:11".into()),
            marker: Some("nr0123456789abcdef0123".into()),
            ..Default::default()
        }
    }

    #[test]
    fn the_workflow_status_follows_the_portal_status() {
        let status_of = |s: &str| {
            changes(&record(s)).into_iter().find_map(|c| match c {
                Change::Set(k, v) if k == "status" => v.scalar_text(),
                _ => None,
            })
        };
        assert_eq!(status_of("publish").as_deref(), Some("published"));
        assert_eq!(status_of("future").as_deref(), Some("scheduled"));
        assert_eq!(status_of("pending").as_deref(), Some("in-review"));
        assert_eq!(status_of("draft"), None);
    }

    #[test]
    fn the_open_workspace_takes_the_write_and_calls_it_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(&root).unwrap();
        let root = root.canonicalize().unwrap();
        let text = "---\ntitle: T\nstatus: approved\n---\nBody stays.\n";
        std::fs::write(root.join("a.md"), text).unwrap();
        let (ws, _) = Workspace::open_with_index(&root, &dir.path().join("index.sqlite3")).unwrap();
        let own = ws.own_writes();
        let ws = Mutex::new(ws);

        let other = dir.path().join("elsewhere");
        std::fs::create_dir_all(&other).unwrap();
        assert!(
            !ws.record_publication(&other, "a.md", &changes(&record("publish")))
                .unwrap(),
            "another folder is not written through this workspace"
        );
        assert_eq!(std::fs::read_to_string(root.join("a.md")).unwrap(), text);

        assert!(
            ws.record_publication(&root, "a.md", &changes(&record("publish")))
                .unwrap()
        );
        let written = std::fs::read_to_string(root.join("a.md")).unwrap();
        assert!(written.contains("post_id: 7"), "{written}");
        assert!(written.contains("status: published"), "{written}");
        assert!(written.ends_with("---\nBody stays.\n"), "{written}");
        let hash = newsroom_core::files::content_hash(written.as_bytes());
        assert!(
            own.is_own("a.md", &hash),
            "the watcher will know it as ours"
        );
        let indexed = ws.lock().unwrap().index().file_states().unwrap();
        assert_eq!(
            indexed.get("a.md").map(|s| s.hash.as_str()),
            Some(hash.as_str())
        );
    }

    #[test]
    fn a_background_publish_is_described_for_the_page() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(&root).unwrap();
        let root = root.canonicalize().unwrap();
        std::fs::write(
            root.join("a.md"),
            "---\ntitle: Talks\nstatus: approved\n---\nBody.\n",
        )
        .unwrap();
        let (mut ws, _) =
            Workspace::open_with_index(&root, &dir.path().join("index.sqlite3")).unwrap();
        let change = record_and_describe(&mut ws, &root, "a.md", &changes(&record("publish")))
            .unwrap()
            .expect("a change to tell");
        assert_eq!(change.kind, ChangeKind::Changed);
        assert_eq!(change.path, "a.md");
        assert_eq!(change.previous_status, Some(Status::Approved));
        let summary = change.summary.expect("summary");
        assert_eq!(summary.status, Status::Published);
        assert_eq!(summary.title, "Talks");
        // the same result again changes nothing, and there is nothing to tell
        assert!(
            record_and_describe(&mut ws, &root, "a.md", &changes(&record("publish")))
                .unwrap()
                .is_none()
        );
        let elsewhere = dir.path().canonicalize().unwrap();
        assert!(
            record_and_describe(&mut ws, &elsewhere, "a.md", &changes(&record("draft")))
                .unwrap()
                .is_none()
        );
    }
}
