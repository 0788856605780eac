//! How a folder is watched: the kernel's file-system events, polling, or both.
//!
//! Why both exist: inotify reports what this computer's kernel does to a file. On a shared
//! drive (NFS, SMB/CIFS, most FUSE mounts such as sshfs or a cloud drive) another machine's
//! write never passes through this kernel, so inotify stays silent and a colleague's change
//! would only show at the next restart. Those folders are also polled: every file's size and
//! time are compared at an interval a 10,000-draft folder can afford. Events stay on beside
//! the polling, so this computer's own changes still show at once.

use std::path::Path;
use std::time::Duration;

/// The user's choice (a setting): `auto` decides from the folder's file system.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WatchMode {
    /// Events; polling as well on a network or FUSE file system, or when the kernel
    /// cannot take more watches (`fs.inotify.max_user_watches`).
    #[default]
    Auto,
    /// The kernel's events only (a local disk where polling would only cost).
    Events,
    /// Polling only, wherever the folder is (for file systems the detection does not know).
    Poll,
}

/// What a folder's file system is, as far as watching goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileSystem {
    /// Written only through this kernel: its events see every change.
    Local,
    /// Shared with other machines, or served by a user-space process: events miss changes.
    /// The name is for messages ("nfs", "smb", "fuse"...).
    Shared(&'static str),
}

/// The file system `path` is on. Unknown (or when `statfs` fails) counts as local: the
/// events then work as they always did, and `WatchMode::Poll` is there for the rest.
pub fn file_system(path: &Path) -> FileSystem {
    match rustix::fs::statfs(path) {
        Ok(stat) => {
            shared_by_magic(i128::from(stat.f_type)).map_or(FileSystem::Local, FileSystem::Shared)
        }
        Err(_) => FileSystem::Local,
    }
}

/// `statfs`'s `f_type` of the file systems whose changes may come from elsewhere
/// (magic numbers from Linux's `include/uapi/linux/magic.h` and the file systems' sources).
fn shared_by_magic(magic: i128) -> Option<&'static str> {
    Some(match magic {
        0x6969 => "nfs",
        0x517B => "smb",
        0xFF53_4D42 => "cifs",
        0xFE53_4D42 => "smb2",
        0x6573_5546 => "fuse",
        0x0102_1997 => "9p",
        0x7375_7245 => "coda",
        0x5346_414F | 0x6B41_4653 => "afs",
        0x00C3_6400 => "ceph",
        0x0116_1970 => "gfs2",
        0x7461_636F => "ocfs2",
        0x0BD0_0BD0 => "lustre",
        0x0110_9208 => "nfsd",
        _ => return None,
    })
}

/// How long between two polls of a folder with `files` files: 2 s up to 10,000, then 2 s
/// more per 10,000 (one pass stats every file; see docs/performance.md for its cost).
pub fn poll_interval(files: usize) -> Duration {
    const BASE: Duration = Duration::from_secs(2);
    let tens_of_thousands = u32::try_from(files.div_ceil(10_000))
        .unwrap_or(u32::MAX)
        .max(1);
    BASE.saturating_mul(tens_of_thousands)
}

/// What to run for a folder: the decision, kept for messages and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchPlan {
    pub events: bool,
    pub poll: Option<Duration>,
    /// Why, in words for the log and the status bar.
    pub reason: String,
}

impl WatchPlan {
    /// The plan for a folder on `fs` with `files` files under `mode`.
    pub fn decide(mode: WatchMode, fs: FileSystem, files: usize) -> WatchPlan {
        let every = poll_interval(files);
        match (mode, fs) {
            (WatchMode::Events, _) => WatchPlan {
                events: true,
                poll: None,
                reason: "file-system events (set in Settings)".into(),
            },
            (WatchMode::Poll, _) => WatchPlan {
                events: false,
                poll: Some(every),
                reason: format!("checked every {} s (set in Settings)", every.as_secs()),
            },
            (WatchMode::Auto, FileSystem::Shared(name)) => WatchPlan {
                events: true,
                poll: Some(every),
                reason: format!(
                    "a shared drive ({name}): checked every {} s as well as by events",
                    every.as_secs()
                ),
            },
            (WatchMode::Auto, FileSystem::Local) => WatchPlan {
                events: true,
                poll: None,
                reason: "file-system events".into(),
            },
        }
    }

    /// Auto mode when the kernel refused the events (too many watches): poll instead.
    pub fn events_failed(self, files: usize, why: &str) -> WatchPlan {
        let every = self.poll.unwrap_or_else(|| poll_interval(files));
        WatchPlan {
            events: false,
            poll: Some(every),
            reason: format!(
                "checked every {} s (file-system events failed: {why})",
                every.as_secs()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_and_fuse_file_systems_are_shared_local_ones_are_not() {
        assert_eq!(shared_by_magic(0x6969), Some("nfs"));
        assert_eq!(shared_by_magic(0xFF53_4D42), Some("cifs"));
        assert_eq!(shared_by_magic(0xFE53_4D42), Some("smb2"));
        assert_eq!(shared_by_magic(0x6573_5546), Some("fuse"));
        assert_eq!(shared_by_magic(0xEF53), None, "ext4");
        assert_eq!(shared_by_magic(0x0102_1994), None, "tmpfs");
        assert_eq!(shared_by_magic(0x9123_683E), None, "btrfs");
        assert_eq!(shared_by_magic(0x5846_5342), None, "xfs");
    }

    #[test]
    fn a_temporary_folder_is_local() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(file_system(dir.path()), FileSystem::Local);
        // a path that cannot be asked about counts as local: events as before
        assert_eq!(file_system(Path::new("/no/such/folder")), FileSystem::Local);
    }

    #[test]
    fn auto_polls_shared_drives_as_well_and_the_setting_forces_either_mode() {
        let local = WatchPlan::decide(WatchMode::Auto, FileSystem::Local, 5);
        assert!(local.events && local.poll.is_none());
        let shared = WatchPlan::decide(WatchMode::Auto, FileSystem::Shared("nfs"), 5);
        assert!(shared.events);
        assert_eq!(shared.poll, Some(Duration::from_secs(2)));
        assert!(shared.reason.contains("nfs"), "{}", shared.reason);
        let events = WatchPlan::decide(WatchMode::Events, FileSystem::Shared("nfs"), 5);
        assert!(events.events && events.poll.is_none());
        let poll = WatchPlan::decide(WatchMode::Poll, FileSystem::Local, 5);
        assert!(!poll.events && poll.poll.is_some());
        let fallback = local.events_failed(5, "too many watches");
        assert!(!fallback.events && fallback.poll.is_some());
        assert!(fallback.reason.contains("too many watches"));
    }

    #[test]
    fn larger_folders_are_polled_less_often() {
        assert_eq!(poll_interval(0), Duration::from_secs(2));
        assert_eq!(poll_interval(10_000), Duration::from_secs(2));
        assert_eq!(poll_interval(10_001), Duration::from_secs(4));
        assert_eq!(poll_interval(100_000), Duration::from_secs(20));
    }
}
