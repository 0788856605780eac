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

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use crate::error::{CoreError, Result};
use crate::files;
use crate::review::workflow::format_time;

/// A lock not refreshed for this long is ignored.
pub const LOCK_STALE_AFTER: Duration = Duration::from_secs(5 * 60);
/// How often an editor with the draft open should call [`hold`].
pub const LOCK_REFRESH_EVERY: Duration = Duration::from_secs(60);
/// A lock file is a few hundred bytes; anything larger is not ours.
const MAX_LOCK_BYTES: u64 = 4096;

/// The contents of a lock file.
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
pub fn lock_path(draft: &Path) -> PathBuf {
    let name = draft
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    draft.with_file_name(format!(".{name}.lock"))
}

/// The lock beside `draft` as written, stale or not; `None` when there is none or it
/// cannot be read as a lock.
pub fn read_lock(draft: &Path) -> Option<LockInfo> {
    let file = std::fs::File::open(lock_path(draft)).ok()?;
    let mut text = String::new();
    file.take(MAX_LOCK_BYTES).read_to_string(&mut text).ok()?;
    serde_json::from_str(&text).ok()
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
pub fn who_is_editing(draft: &Path, me: &LockOwner, now: time::OffsetDateTime) -> Option<LockInfo> {
    read_lock(draft).filter(|info| !me.owns(info) && !is_stale(info, now))
}

/// Takes or refreshes the lock on `draft` for `me`. When a colleague holds a fresh
/// lock, it is left alone and returned (show "Edith is editing"); keep calling every
/// [`LOCK_REFRESH_EVERY`], and the lock becomes ours once theirs is released or stale.
pub fn hold(draft: &Path, me: &LockOwner, now: time::OffsetDateTime) -> Result<Option<LockInfo>> {
    let existing = read_lock(draft);
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
    write_lock(draft, &json)?;
    Ok(None)
}

/// Removes `me`'s lock on `draft` (a colleague's lock is left alone).
pub fn release(draft: &Path, me: &LockOwner) -> Result<()> {
    if read_lock(draft).is_some_and(|i| me.owns(&i)) {
        let path = lock_path(draft);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(CoreError::io(&path, e)),
        }
    }
    Ok(())
}

/// Writes the lock atomically (a reader never sees half of one), readable by whoever
/// can read the draft.
fn write_lock(draft: &Path, json: &[u8]) -> Result<()> {
    let path = lock_path(draft);
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(files::TEMP_PREFIX)
        .suffix(".lock.tmp")
        .tempfile_in(dir)
        .map_err(|e| CoreError::io(dir, e))?;
    tmp.write_all(json)
        .map_err(|e| CoreError::io(tmp.path(), e))?;
    if let Ok(meta) = std::fs::metadata(draft) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(&path)
        .map_err(|e| CoreError::io(&path, e.error))?;
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

    #[test]
    fn a_lock_shows_others_who_edits_until_released_or_stale() {
        let dir = tempfile::tempdir().unwrap();
        let draft = dir.path().join("minsk.md");
        std::fs::write(&draft, "x").unwrap();
        let ana = owner("Ana Kovač", 1);
        let edith = owner("Edith Moreau", 2);
        let t0 = time::macros::datetime!(2026-11-26 09:00:00 UTC);

        assert_eq!(hold(&draft, &ana, t0).unwrap(), None);
        assert!(lock_path(&draft).ends_with(".minsk.md.lock"));
        assert_eq!(who_is_editing(&draft, &ana, t0), None, "own lock");
        let seen = who_is_editing(&draft, &edith, t0).unwrap();
        assert_eq!((seen.name.as_str(), seen.pid), ("Ana Kovač", 1));

        // Edith opening the draft does not take Ana's lock.
        assert_eq!(hold(&draft, &edith, t0).unwrap().unwrap().name, "Ana Kovač");

        // Refreshing keeps `since`.
        let t1 = t0 + Duration::from_secs(60);
        hold(&draft, &ana, t1).unwrap();
        let info = read_lock(&draft).unwrap();
        assert_eq!(info.since, "2026-11-26T09:00:00Z");
        assert_eq!(info.at, "2026-11-26T09:01:00Z");

        // Five minutes without a refresh: stale, and Edith may take it.
        let late = t1 + LOCK_STALE_AFTER + Duration::from_secs(1);
        assert_eq!(who_is_editing(&draft, &edith, late), None);
        assert_eq!(hold(&draft, &edith, late).unwrap(), None);
        assert_eq!(read_lock(&draft).unwrap().name, "Edith Moreau");

        // Ana's release does not remove Edith's lock; Edith's does.
        release(&draft, &ana).unwrap();
        assert!(lock_path(&draft).exists());
        release(&draft, &edith).unwrap();
        assert!(!lock_path(&draft).exists());
        release(&draft, &edith).unwrap();
    }

    #[test]
    fn garbage_and_future_locks_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let draft = dir.path().join("a.md");
        std::fs::write(lock_path(&draft), "not json").unwrap();
        let now = time::OffsetDateTime::now_utc();
        assert_eq!(who_is_editing(&draft, &owner("x", 9), now), None);
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
}
