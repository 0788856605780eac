//! Who is editing a draft: a small lock file beside it, so colleagues see a name.
//!
//! `world/minsk.md` is being edited when `world/.minsk.md.lock` holds, as JSON, who
//! (`name`), on which computer (`host`) and process (`pid`), since when (`since`) and
//! when the editor last said it was still there (`at`, both RFC 3339). The editor
//! refreshes it every [`LOCK_REFRESH_EVERY`] while the draft is open and removes it on
//! close; a lock not refreshed for [`LOCK_STALE_AFTER`] (a crash, a laptop lid shut)
//! means nothing. Locks are advice, never enforcement: reading and saving ignore them,
//! and conflicts are still caught by [`crate::workspace::Workspace::save`]. Lock files
//! are hidden, so the scan and the watcher ignore them.
//!
//! Lock files are the folder's like any other: read and written through the door
//! ([`crate::door::Folder`]), so a lock name that is a symbolic link is neither read nor
//! written through, and one that is a FIFO is refused at once instead of hanging
//! `newsroom queue` (and every command waiting behind it).

use std::sync::OnceLock;
use std::time::Duration;

use crate::door::{FileKind, Folder};
use crate::error::Result;
use crate::review::workflow::format_time;
use crate::workspace_path::WorkspacePath;

/// A lock not refreshed for this long is ignored.
pub const LOCK_STALE_AFTER: Duration = Duration::from_secs(5 * 60);
/// How often an editor with the draft open should call [`hold`].
pub const LOCK_REFRESH_EVERY: Duration = Duration::from_secs(60);

/// The contents of a lock file.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LockInfo {
    pub name: String,
    pub host: String,
    pub pid: u32,
    /// When this person started editing (RFC 3339).
    pub since: String,
    /// When the lock was last refreshed (RFC 3339).
    pub at: String,
}

/// This process, editing under a person's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockOwner {
    pub name: String,
    pub host: String,
    pub pid: u32,
}

impl LockOwner {
    /// `name` on this computer, in this process.
    pub fn current(name: &str) -> LockOwner {
        LockOwner {
            name: name.trim().to_owned(),
            host: host_name().to_owned(),
            pid: std::process::id(),
        }
    }

    fn owns(&self, info: &LockInfo) -> bool {
        info.host == self.host && info.pid == self.pid
    }
}

/// `world/minsk.md` → `world/.minsk.md.lock`.
pub fn lock_path(draft: &WorkspacePath) -> WorkspacePath {
    draft
        .sibling(&format!(".{}.lock", draft.file_name()))
        .unwrap_or_else(|_| draft.clone())
}

/// The lock beside `draft` as written, stale or not; `None` when there is none or it
/// cannot be read as a lock (a link, a FIFO, too large, not JSON: not ours).
pub fn read_lock(folder: &Folder, draft: &WorkspacePath) -> Option<LockInfo> {
    let bytes = folder.read(&lock_path(draft), FileKind::Lock).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Has the lock gone without a refresh for too long (or does it come from a clock far
/// in the future)?
pub fn is_stale(info: &LockInfo, now: time::OffsetDateTime) -> bool {
    let Ok(at) = crate::front_matter::parse_rfc3339(&info.at) else {
        return true;
    };
    let age = now - at;
    age > LOCK_STALE_AFTER || -age > LOCK_STALE_AFTER
}

/// Someone else editing `draft` now: a fresh lock that is not this process's own.
pub fn who_is_editing(
    folder: &Folder,
    draft: &WorkspacePath,
    me: &LockOwner,
    now: time::OffsetDateTime,
) -> Option<LockInfo> {
    read_lock(folder, draft).filter(|info| !me.owns(info) && !is_stale(info, now))
}

/// Takes or refreshes the lock on `draft` for `me`. When a colleague holds a fresh
/// lock, it is left alone and returned (show "Edith is editing"); keep calling every
/// [`LOCK_REFRESH_EVERY`], and the lock becomes ours once theirs is released or stale.
pub fn hold(
    folder: &Folder,
    draft: &WorkspacePath,
    me: &LockOwner,
    now: time::OffsetDateTime,
) -> Result<Option<LockInfo>> {
    let existing = read_lock(folder, draft);
    if let Some(other) = existing
        .as_ref()
        .filter(|i| !me.owns(i) && !is_stale(i, now))
    {
        return Ok(Some(other.clone()));
    }
    let at = format_time(now);
    let since = existing
        .filter(|i| me.owns(i) && !is_stale(i, now))
        .map_or_else(|| at.clone(), |i| i.since);
    let info = LockInfo {
        name: me.name.clone(),
        host: me.host.clone(),
        pid: me.pid,
        since,
        at,
    };
    let json = serde_json::to_vec(&info).unwrap_or_default();
    // Atomic (a reader never sees half of one), and as readable as the draft.
    folder.write_atomic_like(&lock_path(draft), &json, draft)?;
    Ok(None)
}

/// Removes `me`'s lock on `draft` (a colleague's lock is left alone).
pub fn release(folder: &Folder, draft: &WorkspacePath, me: &LockOwner) -> Result<()> {
    if read_lock(folder, draft).is_some_and(|i| me.owns(&i)) {
        folder.remove_file(&lock_path(draft))?;
    }
    Ok(())
}

/// This computer's name, as colleagues would recognise it.
pub fn host_name() -> &'static str {
    static HOST: OnceLock<String> = OnceLock::new();
    HOST.get_or_init(|| {
        let from_env = ["HOSTNAME", "COMPUTERNAME"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .next();
        let from_file = || {
            ["/etc/hostname", "/proc/sys/kernel/hostname"]
                .iter()
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .next()
        };
        let from_command = || {
            std::process::Command::new("hostname")
                .output()
                .ok()
                .and_then(|o| String::from_utf8(o.stdout).ok())
        };
        from_env
            .or_else(from_file)
            .or_else(from_command)
            .map(|h| h.trim().to_owned())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "unknown computer".to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(name: &str, pid: u32) -> LockOwner {
        LockOwner {
            name: name.into(),
            host: "desk-1".into(),
            pid,
        }
    }

    fn folder(dir: &tempfile::TempDir) -> Folder {
        Folder::open(dir.path()).unwrap()
    }

    fn wp(s: &str) -> WorkspacePath {
        WorkspacePath::new(s).unwrap()
    }

    #[test]
    fn a_lock_shows_others_who_edits_until_released_or_stale() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("minsk.md"), "x").unwrap();
        let folder = folder(&dir);
        let draft = wp("minsk.md");
        let lock_file = dir.path().join(".minsk.md.lock");
        let ana = owner("Ana Kovač", 1);
        let edith = owner("Edith Moreau", 2);
        let t0 = time::macros::datetime!(2026-11-26 09:00:00 UTC);

        assert_eq!(hold(&folder, &draft, &ana, t0).unwrap(), None);
        assert_eq!(lock_path(&draft).as_str(), ".minsk.md.lock");
        assert_eq!(
            lock_path(&wp("world/minsk.md")).as_str(),
            "world/.minsk.md.lock"
        );
        assert_eq!(who_is_editing(&folder, &draft, &ana, t0), None, "own lock");
        let seen = who_is_editing(&folder, &draft, &edith, t0).unwrap();
        assert_eq!((seen.name.as_str(), seen.pid), ("Ana Kovač", 1));

        // Edith opening the draft does not take Ana's lock.
        assert_eq!(
            hold(&folder, &draft, &edith, t0).unwrap().unwrap().name,
            "Ana Kovač"
        );

        // Refreshing keeps `since`.
        let t1 = t0 + Duration::from_secs(60);
        hold(&folder, &draft, &ana, t1).unwrap();
        let info = read_lock(&folder, &draft).unwrap();
        assert_eq!(info.since, "2026-11-26T09:00:00Z");
        assert_eq!(info.at, "2026-11-26T09:01:00Z");

        // Five minutes without a refresh: stale, and Edith may take it.
        let late = t1 + LOCK_STALE_AFTER + Duration::from_secs(1);
        assert_eq!(who_is_editing(&folder, &draft, &edith, late), None);
        assert_eq!(hold(&folder, &draft, &edith, late).unwrap(), None);
        assert_eq!(read_lock(&folder, &draft).unwrap().name, "Edith Moreau");

        // Ana's release does not remove Edith's lock; Edith's does.
        release(&folder, &draft, &ana).unwrap();
        assert!(lock_file.exists());
        release(&folder, &draft, &edith).unwrap();
        assert!(!lock_file.exists());
        release(&folder, &draft, &edith).unwrap();
    }

    #[test]
    fn garbage_and_future_locks_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let folder = folder(&dir);
        let draft = wp("a.md");
        std::fs::write(dir.path().join(".a.md.lock"), "not json").unwrap();
        let now = time::OffsetDateTime::now_utc();
        assert_eq!(who_is_editing(&folder, &draft, &owner("x", 9), now), None);
        let future = LockInfo {
            name: "Clock".into(),
            host: "h".into(),
            pid: 1,
            since: "2099-01-01T00:00:00Z".into(),
            at: "2099-01-01T00:00:00Z".into(),
        };
        assert!(is_stale(&future, now));
        assert!(!host_name().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_link_as_lock_file_neither_hangs_nor_leaks() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("a.md"), "x").unwrap();
        std::fs::write(root.join("b.md"), "x").unwrap();
        let canary = dir.path().join("canary.json");
        let theirs = r#"{"name":"Canary","host":"h","pid":1,"since":"2099-01-01T00:00:00Z","at":"2099-01-01T00:00:00Z"}"#;
        std::fs::write(&canary, theirs).unwrap();
        let fifo = root.join(".a.md.lock");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        std::os::unix::fs::symlink(&canary, root.join(".b.md.lock")).unwrap();
        let folder = Folder::open(&root).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let me = owner("Ana", 1);
            let now = time::OffsetDateTime::now_utc();
            let seen = (
                read_lock(&folder, &wp("a.md")),
                read_lock(&folder, &wp("b.md")),
                hold(&folder, &wp("a.md"), &me, now).map_err(|e| e.to_string()),
                hold(&folder, &wp("b.md"), &me, now).map_err(|e| e.to_string()),
            );
            let _ = tx.send(seen);
        });
        let (a, b, hold_a, hold_b) = rx
            .recv_timeout(Duration::from_secs(5))
            .expect("a FIFO lock file hung the reader");
        assert_eq!((a, b), (None, None));
        assert!(hold_a.unwrap_err().contains("FIFO"));
        assert!(hold_b.unwrap_err().contains("symbolic link"));
        assert_eq!(std::fs::read_to_string(&canary).unwrap(), theirs);
    }
}
