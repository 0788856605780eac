//! The kernel's events for the drafts folder: one inotify watch per folder, found by a
//! walk that looks at folders only.
//!
//! Why not notify's recursive watch: to find the folders it must watch, it walks every
//! entry of the tree and `stat`s each one, so starting it on 100,000 drafts in eleven
//! folders cost ≈ 0.4 s of `stat`s (docs/performance.md). Here the walk reads directory
//! entries and keeps the folders by the type the entry carries ([`Folder::list_folders`]):
//! no file is looked at. Hidden folders (`.git`, whose hundreds of object folders notify
//! watched too) are not watched: nothing in them is a draft.
//!
//! A folder that appears later (created, moved in, a folder of folders) is watched by the
//! watcher's next rescan, which every folder event asks for: the rescan's walk watches
//! each folder before listing it ([`crate::scan::reconcile_plan`]), so a file written into a
//! new folder is either in the walk or an event. A folder deleted or moved away loses its
//! watch in notify, which removes it (and those below it) on the event that says so; the
//! same event makes it leave [`FolderWatches`] here ([`FolderWatches::forget`]), so the
//! two records agree and the watch count is the folder count.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use notify::{RecursiveMode, Watcher as _};

use crate::door::Folder;
use crate::scan::MAX_DEPTH;
use crate::workspace_path::WorkspacePath;

/// The inotify watches of one drafts folder, one per folder in it.
pub(super) struct FolderWatches {
    events: notify::RecommendedWatcher,
    folder: Folder,
    /// Folders watched, `/`-separated relative paths; `""` is the top.
    watched: BTreeSet<String>,
    /// `watched.len()`, readable from the [`super::Watcher`] handle.
    count: Arc<AtomicUsize>,
}

impl FolderWatches {
    /// Watches every folder of `folder` with `events`, each before its folders are listed
    /// (a folder created meanwhile is then an event). Fails as notify fails for the top,
    /// or when the kernel refuses a watch (`fs.inotify.max_user_watches`); a subfolder
    /// gone meanwhile is skipped.
    pub(super) fn start(
        events: notify::RecommendedWatcher,
        folder: &Folder,
        count: Arc<AtomicUsize>,
    ) -> notify::Result<FolderWatches> {
        let mut watches = FolderWatches {
            events,
            folder: folder.clone(),
            watched: BTreeSet::new(),
            count,
        };
        let mut stack: Vec<(Option<WorkspacePath>, usize)> = vec![(None, 0)];
        while let Some((dir, depth)) = stack.pop() {
            match watches.watch(dir.as_ref()) {
                Ok(()) => {}
                Err(e) if dir.is_some() && gone(&e) => continue,
                Err(e) => return Err(e),
            }
            if depth + 1 >= MAX_DEPTH {
                continue;
            }
            // A folder that cannot be listed (removed meanwhile, unreadable, swapped for a
            // link) has no folders to watch; the scan says why it skipped it.
            let Ok(names) = folder.list_folders(dir.as_ref()) else {
                continue;
            };
            for name in names {
                let child = match &dir {
                    Some(d) => d.join(&name),
                    None => WorkspacePath::new(&name),
                };
                if let Ok(child) = child {
                    stack.push((Some(child), depth + 1));
                }
            }
        }
        Ok(watches)
    }

    /// Watches `dir` (`None`: the top) unless it is watched already.
    pub(super) fn watch(&mut self, dir: Option<&WorkspacePath>) -> notify::Result<()> {
        let rel = dir.map_or("", WorkspacePath::as_str);
        if self.watched.contains(rel) {
            return Ok(());
        }
        let path = match dir {
            Some(d) => self.folder.abs(d),
            None => self.folder.root().to_path_buf(),
        };
        self.events.watch(&path, RecursiveMode::NonRecursive)?;
        self.watched.insert(rel.to_owned());
        self.count.store(self.watched.len(), Ordering::Relaxed);
        Ok(())
    }

    /// `rel` was deleted or moved away (an event said so): notify has dropped its watch and
    /// those of the folders below it, and so does this record. A file's path is not in it.
    pub(super) fn forget(&mut self, rel: &str) {
        if !self.watched.contains(rel) {
            return;
        }
        let below = format!("{rel}/");
        self.watched
            .retain(|w| w != rel && (rel.is_empty() || !w.starts_with(&below)));
        self.count.store(self.watched.len(), Ordering::Relaxed);
    }

    /// After a rescan's walk entered exactly the folders `found`: any other watched folder
    /// is gone (an event notify could not tie to it, or one lost), its watch removed.
    pub(super) fn keep_only(&mut self, found: &BTreeSet<String>) {
        let stale: Vec<String> = self.watched.difference(found).cloned().collect();
        let mut removed_live = false;
        for rel in stale {
            // Not watched any more is what we want: an error says notify had dropped it.
            removed_live |= self.events.unwatch(&self.abs(&rel)).is_ok();
            self.watched.remove(&rel);
        }
        if removed_live {
            // A folder moved without an event notify saw keeps its kernel watch, which the
            // walk just met again under the new name: removing the old name removed that
            // watch too. Watch what was found again (the kernel merges a repeated watch).
            for rel in found {
                if let Err(e) = self
                    .events
                    .watch(&self.abs(rel), RecursiveMode::NonRecursive)
                {
                    eprintln!(
                        "newsroom: not watching {} for changes: {e}",
                        self.abs(rel).display()
                    );
                }
            }
        }
        self.count.store(self.watched.len(), Ordering::Relaxed);
    }

    fn abs(&self, rel: &str) -> PathBuf {
        match WorkspacePath::new(rel) {
            Ok(p) => self.folder.abs(&p),
            Err(_) => self.folder.root().to_path_buf(), // "": the top
        }
    }
}

/// The folder went away between the listing and the watch.
fn gone(e: &notify::Error) -> bool {
    match &e.kind {
        notify::ErrorKind::PathNotFound => true,
        notify::ErrorKind::Io(io) => matches!(
            io.kind(),
            std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
        ),
        _ => false,
    }
}
