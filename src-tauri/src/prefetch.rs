//! Opening the first folder starts with the process, not when the page asks for it.
//!
//! The page needs ≈ 0.5–1 s to load its scripts; opening a folder (its index, the watcher,
//! the first page of the list) takes ≈ 0.1–0.3 s even at 100,000 drafts, and seconds for a
//! folder never indexed (every draft read). Started in `setup`, on its own thread, that work
//! overlaps the page load, and the UI's first `open_workspace` for that folder takes the
//! result. The folder is watched from the moment it is opened, before anything is listed,
//! so nothing that lands on disk while the page loads is missed; the comparison of the
//! folder with the index runs after the list is handed over (`commands::open_folder`). A
//! result nobody takes is dropped.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::thread::JoinHandle;

/// At most one folder being opened ahead of time; `T` is what opening gives.
pub struct Prefetch<T> {
    slot: Mutex<Option<(PathBuf, JoinHandle<T>)>>,
}

impl<T> Default for Prefetch<T> {
    fn default() -> Self {
        Prefetch {
            slot: Mutex::new(None),
        }
    }
}

impl<T: Send + 'static> Prefetch<T> {
    /// Starts `open(root)` on a background thread.
    pub fn start(root: PathBuf, open: impl FnOnce(&Path) -> T + Send + 'static) -> Self {
        let for_thread = root.clone();
        let spawned = std::thread::Builder::new()
            .name("newsroom-prefetch".into())
            .spawn(move || {
                crate::perf::mark("prefetch-start");
                let opened = open(&for_thread);
                crate::perf::mark("prefetch-done");
                opened
            });
        match spawned {
            Ok(handle) => Prefetch {
                slot: Mutex::new(Some((root, handle))),
            },
            Err(e) => {
                eprintln!(
                    "newsroom: not opening {} ahead of time: {e}",
                    root.display()
                );
                Prefetch::default()
            }
        }
    }

    /// Whether the folder opened ahead of time is ready to take, waiting at most `wait`
    /// for it; `false` when there is nothing to wait for.
    pub fn ready_within(&self, wait: std::time::Duration) -> bool {
        let until = std::time::Instant::now() + wait;
        loop {
            let finished = match &*self
                .slot
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
            {
                Some((_, handle)) => handle.is_finished(),
                None => return false,
            };
            if finished {
                return true;
            }
            if std::time::Instant::now() >= until {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }

    /// What opening `root` ahead of time gave (waiting for it to finish); `None` if nothing
    /// was prefetched, it was taken already, it is another folder, or it panicked. Either
    /// way the prefetch is used up.
    pub fn take(&self, root: &Path) -> Option<T> {
        let (prefetched, handle) = self
            .slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()?;
        if prefetched != root {
            return None; // dropped: the thread finishes on its own and its result is freed
        }
        handle.join().ok()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use newsroom_core::Workspace;

    #[test]
    fn ready_within_waits_only_as_long_as_asked() {
        let slow = Prefetch::start(PathBuf::from("/x"), |_| {
            std::thread::sleep(std::time::Duration::from_millis(300));
            1
        });
        assert!(!slow.ready_within(std::time::Duration::from_millis(20)));
        assert!(slow.ready_within(std::time::Duration::from_secs(5)));
        assert_eq!(slow.take(Path::new("/x")), Some(1));
        // taken: nothing left to wait for
        assert!(!slow.ready_within(std::time::Duration::from_millis(20)));
        assert!(!Prefetch::<u8>::default().ready_within(std::time::Duration::from_millis(5)));
    }

    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "---\ntitle: A\n---\nBody.\n").unwrap();
        dir
    }

    fn start(root: &Path, data: &Path) -> Prefetch<newsroom_core::Result<Workspace>> {
        let index = data.join("index.sqlite");
        Prefetch::start(root.to_path_buf(), move |root| {
            Workspace::open_with_index(root, &index).map(|(ws, _)| ws)
        })
    }

    #[test]
    fn hands_over_the_folder_it_opened_once() {
        let (dir, data) = (folder(), tempfile::tempdir().unwrap());
        let p = start(dir.path(), data.path());
        let ws = p.take(dir.path()).unwrap().unwrap();
        assert_eq!(ws.root(), dir.path().canonicalize().unwrap());
        assert_eq!(ws.list(&Default::default()).unwrap().len(), 1);
        assert!(p.take(dir.path()).is_none(), "used up");
    }

    #[test]
    fn another_folder_is_not_served_from_the_prefetch() {
        let (dir, other, data) = (folder(), folder(), tempfile::tempdir().unwrap());
        let p = start(dir.path(), data.path());
        assert!(p.take(other.path()).is_none());
        assert!(
            p.take(dir.path()).is_none(),
            "the prefetch is used up by the first ask"
        );
        assert!(Prefetch::<()>::default().take(dir.path()).is_none());
    }

    #[test]
    fn a_folder_that_cannot_be_opened_hands_over_the_error() {
        let data = tempfile::tempdir().unwrap();
        let missing = data.path().join("no-such-folder");
        let p = start(&missing, data.path());
        assert!(p.take(&missing).unwrap().is_err());
    }
}
