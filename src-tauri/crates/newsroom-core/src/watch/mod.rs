//! Watching the drafts folder for other programs' changes.
//!
//! Raw file-system events (which differ by platform, editor and sync tool: a save may
//! be a write, a rename over the file, or a delete and create) are collected for a short
//! quiet period, then turned into domain changes by looking at the files themselves:
//! created, changed, renamed, deleted draft. The index is updated, and subscribers hear
//! only about changes that did not come from this process's own saves.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher as _};

mod folders;
mod mode;
mod own_writes;
use folders::FolderWatches;
pub use mode::{FileSystem, WatchMode, WatchPlan, file_system, poll_interval};
pub use own_writes::OwnWrites;

use crate::door::{EntryKind, Folder};
use crate::error::Result;
use crate::files;
use crate::front_matter::Status;
use crate::index::{DraftSummary, FileState, Index, IndexedDraft, RevisionSource};
use crate::scan;
use crate::workspace_path::WorkspacePath;

/// Wait this long after the last event before acting: editors and sync tools write a
/// file in several steps.
pub const DEBOUNCE: Duration = Duration::from_millis(100);
/// Act at the latest this long after the first event of a burst, even if events keep coming.
pub const MAX_LATENCY: Duration = Duration::from_millis(500);

/// What happened to a draft.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Created,
    Changed,
    Renamed,
    Deleted,
}

/// One change to a draft made by another program.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DraftChange {
    pub kind: ChangeKind,
    pub path: String,
    /// The old path, for a rename.
    pub from: Option<String>,
    /// The draft as it is now (absent when deleted).
    pub summary: Option<DraftSummary>,
    /// The status before the change, when it was known, so the app can say
    /// "Ana submitted 'Minsk talks' for review".
    pub previous_status: Option<Status>,
}

/// A rescan asked for by [`Watcher::refresh`] is skipped when one ran this recently: the
/// app asks each time its window regains focus, which can be many times a minute.
pub const REFRESH_MIN_GAP: Duration = Duration::from_secs(5);

enum Command {
    Fs(notify::Result<notify::Event>),
    Flush(Sender<()>),
    Refresh,
    Reconcile,
    Stop,
}

/// A running watcher. Dropping it stops it.
pub struct Watcher {
    commands: Sender<Command>,
    thread: Option<JoinHandle<()>>,
    _poll: Option<notify::PollWatcher>,
    plan: WatchPlan,
    /// How many folders have a kernel watch (0 when the folder is polled only).
    watched: Arc<AtomicUsize>,
}

impl Watcher {
    /// Starts watching `root` as [`WatchMode::Auto`] decides (see [`Watcher::start_with`]).
    pub fn start(
        root: &Path,
        index_path: &Path,
        own_writes: OwnWrites,
        on_change: impl FnMut(Vec<DraftChange>) + Send + 'static,
    ) -> Result<Watcher> {
        Watcher::start_with(root, index_path, own_writes, WatchMode::Auto, on_change)
    }

    /// Starts watching `root` by events, polling or both, as `mode` and the folder's file
    /// system decide ([`WatchPlan::decide`]). The watcher keeps its own connection to the
    /// index at `index_path`; `on_change` is called from the watcher's thread with each batch.
    ///
    /// Symbolic links are not followed (notify's default would walk a link to `/` and
    /// watch the whole disk), and every file is read through the door, so a link or a
    /// FIFO that appears later is never indexed. Polling compares sizes and times only: it
    /// reads no file (the door does, for the paths it reports).
    pub fn start_with(
        root: &Path,
        index_path: &Path,
        own_writes: OwnWrites,
        mode: WatchMode,
        on_change: impl FnMut(Vec<DraftChange>) + Send + 'static,
    ) -> Result<Watcher> {
        Watcher::start_mode(root, index_path, own_writes, mode, false, on_change)
    }

    /// [`Watcher::start_with`], holding every change until the first [`Watcher::reconcile`]:
    /// events are collected from the start, but the index is not touched and `on_change`
    /// not called before it. The reconcile then takes them in with its comparison.
    ///
    /// Why: the app lists the folder from the index as it is (on the way to its first
    /// screen, ahead of the page), and its page hears `drafts-changed` only once its
    /// script has subscribed, which is when it asks for the reconcile. A change handled in
    /// between would be in the index but neither in the list nor in an event the page
    /// heard, and the reconcile would then find folder and index agreeing: the page would
    /// miss it. Held, it is in the list (made before it) or in the reconcile's changes.
    pub fn start_held(
        root: &Path,
        index_path: &Path,
        own_writes: OwnWrites,
        mode: WatchMode,
        on_change: impl FnMut(Vec<DraftChange>) + Send + 'static,
    ) -> Result<Watcher> {
        Watcher::start_mode(root, index_path, own_writes, mode, true, on_change)
    }

    fn start_mode(
        root: &Path,
        index_path: &Path,
        own_writes: OwnWrites,
        mode: WatchMode,
        held: bool,
        on_change: impl FnMut(Vec<DraftChange>) + Send + 'static,
    ) -> Result<Watcher> {
        let folder = Folder::open(root)?;
        let index = Index::open(index_path)?;
        let fs = file_system(folder.root());
        // the count only sets how often a polled folder is polled
        let polled = matches!(
            (mode, fs),
            (WatchMode::Poll, _) | (WatchMode::Auto, FileSystem::Shared(_))
        );
        let files = if polled {
            index
                .list_page(&crate::index::Filter::default(), 0, 1)
                .map(|p| p.total)
                .unwrap_or(0)
        } else {
            0
        };
        let plan = WatchPlan::decide(mode, fs, files);
        Watcher::run_plan(
            folder,
            index,
            own_writes,
            plan,
            mode == WatchMode::Auto,
            held,
            on_change,
        )
    }

    /// Starts watching `root` exactly as `plan` says (tests; a plan with neither events
    /// nor polling still answers [`Watcher::refresh`] and [`Watcher::flush`]).
    pub fn start_planned(
        root: &Path,
        index_path: &Path,
        own_writes: OwnWrites,
        plan: WatchPlan,
        on_change: impl FnMut(Vec<DraftChange>) + Send + 'static,
    ) -> Result<Watcher> {
        let folder = Folder::open(root)?;
        let index = Index::open(index_path)?;
        Watcher::run_plan(folder, index, own_writes, plan, false, false, on_change)
    }

    /// `fall_back`: when the events cannot start, poll instead of failing (Auto mode).
    /// `held`: see [`Watcher::start_held`].
    #[allow(clippy::too_many_arguments)]
    fn run_plan(
        folder: Folder,
        index: Index,
        own_writes: OwnWrites,
        mut plan: WatchPlan,
        fall_back: bool,
        held: bool,
        on_change: impl FnMut(Vec<DraftChange>) + Send + 'static,
    ) -> Result<Watcher> {
        let root = folder.root().to_path_buf();
        let files = || {
            index
                .list_page(&crate::index::Filter::default(), 0, 1)
                .map(|p| p.total)
                .unwrap_or(0)
        };
        let (tx, rx) = mpsc::channel();
        let config = notify::Config::default().with_follow_symlinks(false);
        let watched = Arc::new(AtomicUsize::new(0));
        let mut events = None;
        if plan.events {
            let fs_tx = tx.clone();
            // One watch per folder, found by a walk of folders only (see `folders`).
            let started = notify::RecommendedWatcher::new(
                move |event| {
                    let _ = fs_tx.send(Command::Fs(event));
                },
                config,
            )
            .and_then(|w| FolderWatches::start(w, &folder, watched.clone()));
            match started {
                Ok(w) => events = Some(w),
                // The kernel's watch limit (or no inotify at all): polling keeps the folder
                // live. Only in Auto: a forced mode that cannot run is an error.
                Err(e) if fall_back => plan = plan.events_failed(files(), &e.to_string()),
                Err(e) => return Err(e.into()),
            }
        }
        let mut poll = None;
        if let Some(every) = plan.poll {
            let fs_tx = tx.clone();
            let mut w = notify::PollWatcher::new(
                move |event| {
                    let _ = fs_tx.send(Command::Fs(event));
                },
                config.with_poll_interval(every),
            )?;
            w.watch(&root, RecursiveMode::Recursive)?;
            poll = Some(w);
        }
        if events.is_none() {
            watched.store(0, Ordering::Relaxed);
        }
        let thread = std::thread::Builder::new()
            .name("newsroom-watch".into())
            .spawn(move || run(folder, index, own_writes, events, rx, held, on_change))
            .map_err(|e| crate::error::CoreError::io(Path::new("watcher thread"), e))?;
        Ok(Watcher {
            commands: tx,
            thread: Some(thread),
            _poll: poll,
            plan,
            watched,
        })
    }

    /// How many folders the kernel's events watch: one per folder of the drafts folder
    /// (hidden ones left out), 0 when it is polled only. Bounded by the folder's shape,
    /// not by how many drafts it holds.
    pub fn watched_folders(&self) -> usize {
        self.watched.load(Ordering::Relaxed)
    }

    /// Compares the whole folder with the index now, on the watcher's thread, and reports
    /// what differs as changes (with the watcher's own connection to the index: the
    /// caller's workspace is free meanwhile). The app opens a folder with the index as it
    /// is, shows its list, then asks for this: a draft changed while no Newsroom was
    /// watching reaches the page as a `drafts-changed` like any other. Events that arrive
    /// meanwhile wait in the queue and are handled after it, so nothing that happens after
    /// the watcher started is lost: it is in the walk, or an event, or both.
    pub fn reconcile(&self) {
        let _ = self.commands.send(Command::Reconcile);
    }

    /// How this folder is watched, and why (for the log and the status bar).
    pub fn plan(&self) -> &WatchPlan {
        &self.plan
    }

    /// Compares the whole folder with the index now, unless that was done within
    /// [`REFRESH_MIN_GAP`]: the app asks when its window regains focus, so a change the
    /// events missed and the next poll has not reached yet shows when the user looks.
    pub fn refresh(&self) {
        let _ = self.commands.send(Command::Refresh);
    }

    /// Processes every event received so far without waiting for the quiet period, and
    /// returns when the callback has run. Tests use it instead of sleeping. A held
    /// watcher ([`Watcher::start_held`]) before its reconcile only answers.
    pub fn flush(&self) {
        let (tx, rx) = mpsc::channel();
        if self.commands.send(Command::Flush(tx)).is_ok() {
            let _ = rx.recv_timeout(Duration::from_secs(10));
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Paths touched in a burst, and whether a whole rescan is needed (a folder moved, the
/// OS lost events).
#[derive(Default)]
struct Pending {
    paths: BTreeSet<String>,
    /// Of `paths`, those that only had their attributes changed (a chmod, a `touch`): such
    /// an event never means that somebody else wrote the draft.
    attributes_only: BTreeSet<String>,
    rescan: bool,
    since: Option<Instant>,
}

/// What this watcher last took in or let pass, per draft: the file's state when it did.
///
/// The index is shared with the other programs of this computer that use the same
/// folder (the `newsroom` CLI): when the CLI saves a draft it also updates the index, so
/// the watcher then finds the file exactly as the index says. That is not this process's
/// own write (`OwnWrites` would say so), and not an event this watcher already handled
/// (this record says so): it is a change the app has not heard of, and is reported.
#[derive(Default)]
struct Handled(HashMap<String, FileState>);

impl Handled {
    /// At most this many drafts are remembered (a few MB); past it the record starts
    /// again, and at worst an old event is reported once more (the page reads the draft
    /// again and finds nothing new).
    const MAX: usize = 50_000;

    fn note(&mut self, rel: &str, state: &FileState) {
        if self.0.len() >= Self::MAX {
            self.0.clear();
        }
        self.0.insert(rel.to_owned(), state.clone());
    }

    fn already(&self, rel: &str, state: &FileState) -> bool {
        self.0.get(rel) == Some(state)
    }
}

fn run(
    folder: Folder,
    mut index: Index,
    own: OwnWrites,
    mut watches: Option<FolderWatches>,
    rx: Receiver<Command>,
    mut held: bool,
    mut on_change: impl FnMut(Vec<DraftChange>),
) {
    let root = folder.root().to_path_buf();
    let mut pending = Pending::default();
    let mut handled = Handled::default();
    let mut last_event = Instant::now();
    let mut last_refresh: Option<Instant> = None;
    loop {
        let timeout = match pending.since {
            _ if held => Duration::from_secs(3600),
            None => Duration::from_secs(3600),
            Some(first) => {
                let quiet = DEBOUNCE.saturating_sub(last_event.elapsed());
                let latest = MAX_LATENCY.saturating_sub(first.elapsed());
                quiet.min(latest)
            }
        };
        let mut flushed = None;
        let mut reconciling = None;
        match rx.recv_timeout(timeout) {
            Ok(Command::Fs(event)) => {
                note_event(&root, event, &mut pending, watches.as_mut());
                last_event = Instant::now();
                if pending.since.is_none() && (pending.rescan || !pending.paths.is_empty()) {
                    pending.since = Some(last_event);
                }
                continue;
            }
            Ok(Command::Flush(done)) => {
                // Take whatever else is already queued first.
                while let Ok(cmd) = rx.try_recv() {
                    match cmd {
                        Command::Fs(event) => {
                            note_event(&root, event, &mut pending, watches.as_mut())
                        }
                        Command::Flush(other) => {
                            let _ = other.send(());
                        }
                        Command::Refresh => pending.rescan = true,
                        Command::Reconcile => {
                            held = false;
                            pending.rescan = true;
                        }
                        Command::Stop => return,
                    }
                }
                flushed = Some(done);
            }
            Ok(Command::Refresh) => {
                if last_refresh.is_some_and(|at| at.elapsed() < REFRESH_MIN_GAP) {
                    continue;
                }
                last_refresh = Some(Instant::now());
                pending.rescan = true;
            }
            Ok(Command::Reconcile) => {
                held = false;
                last_refresh = Some(Instant::now());
                pending.rescan = true;
                reconciling = Some(Instant::now());
            }
            Ok(Command::Stop) | Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) => {}
        }
        if held {
            // collected, kept for the first reconcile (a flush answers: nothing to do yet)
            if let Some(done) = flushed {
                let _ = done.send(());
            }
            continue;
        }
        let batch = std::mem::take(&mut pending);
        if batch.rescan || !batch.paths.is_empty() {
            match process(
                &folder,
                &mut index,
                &own,
                &mut handled,
                watches.as_mut(),
                batch,
            ) {
                Ok(changes) => {
                    if let Some(started) = reconciling {
                        eprintln!(
                            "newsroom: {}: folder and index compared in {} ms ({} changes)",
                            root.display(),
                            started.elapsed().as_millis(),
                            changes.len()
                        );
                    }
                    if !changes.is_empty() {
                        on_change(changes);
                    }
                }
                Err(e) => eprintln!("newsroom: watcher could not update the index: {e}"),
            }
        }
        if reconciling.is_some() {
            // a log an older version (or a crash) left behind is read at every start
            // until it is cut back; here it is off the way to the list (Index::trim_wal)
            index.trim_wal();
        }
        if let Some(done) = flushed {
            let _ = done.send(());
        }
    }
}

/// Files we never react to: hidden files (ours, editors' swap files, `.git`), backups,
/// partial downloads, sync tools' temp files.
pub fn is_noise(rel: &str) -> bool {
    crate::workspace_path::is_hidden_path(rel)
        || [".tmp", ".swp", ".swx", "~", ".part", ".crdownload", ".lock"]
            .iter()
            .any(|s| rel.ends_with(s))
}

fn note_event(
    root: &Path,
    event: notify::Result<notify::Event>,
    pending: &mut Pending,
    watches: Option<&mut FolderWatches>,
) {
    let Ok(event) = event else {
        pending.rescan = true;
        return;
    };
    if event.need_rescan() {
        pending.rescan = true;
    }
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return;
    }
    // Deleted or moved away: notify dropped the watch of a folder at this path (and
    // those below it) as it made this event; the record of watched folders follows.
    let gone = matches!(
        event.kind,
        notify::EventKind::Remove(_)
            | notify::EventKind::Modify(notify::event::ModifyKind::Name(
                notify::event::RenameMode::From
            ))
    );
    if let (true, Some(watches)) = (gone, watches) {
        for path in &event.paths {
            if let Some(rel) = scan::rel_path(root, path) {
                watches.forget(&rel);
            }
        }
    }
    let attributes = matches!(
        event.kind,
        notify::EventKind::Modify(notify::event::ModifyKind::Metadata(_))
    );
    for path in &event.paths {
        let Some(rel) = scan::rel_path(root, path) else {
            continue;
        };
        if is_noise(&rel) {
            continue;
        }
        let name = crate::workspace_path::file_name_of(&rel);
        if files::is_draft_name(name) {
            if attributes {
                if !pending.paths.contains(&rel) {
                    pending.attributes_only.insert(rel.clone());
                }
            } else {
                pending.attributes_only.remove(&rel);
            }
            pending.paths.insert(rel);
        } else if !name.contains('.') || std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
            // Probably a folder created, moved or deleted: its drafts came or went with it.
            pending.rescan = true;
        }
    }
}

/// What one path looks like now compared with the index.
enum Seen {
    New(IndexedDraft, Option<String>),
    Changed(IndexedDraft, Option<String>, Status),
    Gone(String, String, Status),
    Touched(IndexedDraft),
    /// Found exactly as the index has it, though neither we wrote it nor has this watcher
    /// handled it: another program saved it through the same index (see [`Handled`]).
    IndexedElsewhere(IndexedDraft),
}

fn process(
    folder: &Folder,
    index: &mut Index,
    own: &OwnWrites,
    handled: &mut Handled,
    mut watches: Option<&mut FolderWatches>,
    mut batch: Pending,
) -> Result<Vec<DraftChange>> {
    if batch.rescan {
        // Each folder is watched before it is listed: one that appeared since the last
        // walk has no watch yet (see `folders`).
        let mut found = BTreeSet::new();
        let planned = scan::reconcile_plan(folder, index, |dir| {
            let Some(watches) = watches.as_deref_mut() else {
                return;
            };
            if let Err(e) = watches.watch(dir) {
                let shown = dir.map_or_else(|| folder.root().to_path_buf(), |d| folder.abs(d));
                eprintln!(
                    "newsroom: not watching {} for changes: {e}; its changes show at the next rescan",
                    shown.display()
                );
            }
            found.insert(dir.map_or("", WorkspacePath::as_str).to_owned());
        })?;
        if let Some(watches) = watches {
            watches.keep_only(&found);
        }
        for skipped in &planned.skipped {
            eprintln!("newsroom: not indexed: {skipped}");
        }
        for op in planned.ops {
            batch.paths.insert(match op {
                scan::ScanOp::Add(f) | scan::ScanOp::Reread(f) => f.rel,
                scan::ScanOp::Remove(rel) => rel,
            });
        }
    }
    let mut seen = Vec::new();
    for rel in &batch.paths {
        let indexed = index.file_state(rel)?;
        let Ok(path) = WorkspacePath::new(rel) else {
            continue;
        };
        // What the name is now, without following a link anywhere on the way: only a
        // regular file is a draft; a link or a FIFO that took a draft's name makes it
        // gone from the index.
        let kind = match folder.entry(&path) {
            Ok(found) => found.map(|f| f.kind),
            Err(e) => {
                eprintln!("newsroom: not indexed: {e}");
                None
            }
        };
        if let Some(kind) = kind.filter(|k| *k != EntryKind::File) {
            eprintln!(
                "newsroom: not indexed: {}: {}",
                folder.abs(&path).display(),
                kind.refusal()
            );
        }
        if kind == Some(EntryKind::File) {
            let (entry, text) = match scan::read_entry(folder, rel) {
                Ok(read) => read,
                Err(e) => {
                    eprintln!("newsroom: not indexed: {e}");
                    continue;
                }
            };
            match indexed {
                None => seen.push(Seen::New(entry, text)),
                Some(old) if old.hash != entry.state.hash => {
                    let previous = index.summary(rel)?.map(|s| s.status).unwrap_or_default();
                    seen.push(Seen::Changed(entry, text, previous));
                }
                Some(old) if old != entry.state => seen.push(Seen::Touched(entry)),
                // Exactly as indexed: another program on this computer saved it through
                // the same index, unless it is our own write or an event already handled.
                Some(_)
                    if !batch.attributes_only.contains(rel)
                        && !own.is_own(rel, &entry.state.hash)
                        && !handled.already(rel, &entry.state) =>
                {
                    seen.push(Seen::IndexedElsewhere(entry))
                }
                Some(_) => handled.note(rel, &entry.state),
            }
        } else if let Some(old) = indexed {
            let previous = index.summary(rel)?.map(|s| s.status).unwrap_or_default();
            seen.push(Seen::Gone(rel.clone(), old.hash, previous));
        }
    }

    let now = scan::now_ms();
    let mut changes = Vec::new();
    index.in_transaction(|idx| {
        // A draft that vanished and one that appeared with the same content: a rename.
        let mut renamed_from: Vec<(usize, usize)> = Vec::new();
        for (gi, g) in seen.iter().enumerate() {
            if let Seen::Gone(_, hash, _) = g {
                if let Some(ni) = seen.iter().enumerate().position(|(ni, n)| {
                    matches!(n, Seen::New(e, _) if &e.state.hash == hash)
                        && !renamed_from.iter().any(|(_, x)| *x == ni)
                }) {
                    renamed_from.push((gi, ni));
                }
            }
        }
        for (i, s) in seen.iter().enumerate() {
            match s {
                Seen::New(entry, text) => {
                    if let Some((gi, _)) = renamed_from.iter().find(|(_, ni)| *ni == i) {
                        let Seen::Gone(from, _, previous) = &seen[*gi] else {
                            continue;
                        };
                        idx.rename(from, &entry.summary.path)?;
                        idx.upsert(entry)?;
                        changes.push(DraftChange {
                            kind: ChangeKind::Renamed,
                            path: entry.summary.path.clone(),
                            from: Some(from.clone()),
                            summary: Some(entry.summary.clone()),
                            previous_status: Some(*previous),
                        });
                        continue;
                    }
                    take_in(
                        idx,
                        own,
                        entry,
                        text,
                        ChangeKind::Created,
                        None,
                        now,
                        &mut changes,
                    )?;
                }
                Seen::Changed(entry, text, previous) => {
                    take_in(
                        idx,
                        own,
                        entry,
                        text,
                        ChangeKind::Changed,
                        Some(*previous),
                        now,
                        &mut changes,
                    )?;
                }
                Seen::Gone(rel, _, previous) => {
                    if renamed_from.iter().any(|(gi, _)| *gi == i) {
                        continue;
                    }
                    idx.remove(rel)?;
                    changes.push(DraftChange {
                        kind: ChangeKind::Deleted,
                        path: rel.clone(),
                        from: None,
                        summary: None,
                        previous_status: Some(*previous),
                    });
                }
                Seen::Touched(entry) => idx.touch(&entry.summary.path, &entry.state)?,
                Seen::IndexedElsewhere(entry) => {
                    // indexed and kept in the revision store by the program that saved it
                    changes.push(DraftChange {
                        kind: ChangeKind::Changed,
                        path: entry.summary.path.clone(),
                        from: None,
                        summary: Some(entry.summary.clone()),
                        previous_status: None,
                    });
                }
            }
            if let Seen::New(entry, _)
            | Seen::Changed(entry, _, _)
            | Seen::Touched(entry)
            | Seen::IndexedElsewhere(entry) = s
            {
                handled.note(&entry.summary.path, &entry.state);
            }
        }
        Ok(())
    })?;
    Ok(changes)
}

/// Indexes a draft another program created or changed, keeps that version in the revision
/// store, and reports it — unless the content is what this process itself just wrote
/// (the save already indexed and recorded it).
#[allow(clippy::too_many_arguments)]
fn take_in(
    idx: &Index,
    own: &OwnWrites,
    entry: &IndexedDraft,
    text: &Option<String>,
    kind: ChangeKind,
    previous_status: Option<Status>,
    now: i64,
    changes: &mut Vec<DraftChange>,
) -> Result<()> {
    idx.upsert(entry)?;
    let path = &entry.summary.path;
    if own.is_own(path, &entry.state.hash) {
        return Ok(());
    }
    if let Some(text) = text {
        idx.record_revision(path, &entry.state.hash, text, RevisionSource::External, now)?;
    }
    changes.push(DraftChange {
        kind,
        path: path.clone(),
        from: None,
        summary: Some(entry.summary.clone()),
        previous_status,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One batch of `paths`, processed as the watcher's thread would (its record of what
    /// it handled kept between batches, as the thread keeps it).
    fn batch(
        folder: &Folder,
        index: &mut Index,
        own: &OwnWrites,
        handled: &mut Handled,
        paths: &[&str],
    ) -> Vec<DraftChange> {
        let pending = Pending {
            paths: paths.iter().map(|p| (*p).to_owned()).collect(),
            ..Default::default()
        };
        process(folder, index, own, handled, None, pending).unwrap()
    }

    /// The race a save leaves open: the watcher reads the file after the save wrote it
    /// and before the save updated the index, so the index still has the old content.
    /// Only `OwnWrites` tells our write from a colleague's then; the end-to-end test in
    /// `tests/workspace.rs` cannot hit this window on purpose.
    #[test]
    fn our_write_seen_before_the_index_has_it_is_not_reported_and_a_colleagues_is() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(&root).unwrap();
        let folder = Folder::open(&root).unwrap();
        let mut index = Index::open(&dir.path().join("index.sqlite3")).unwrap();
        let own = OwnWrites::default();
        let mut handled = Handled::default();
        let write = |text: &str| {
            std::fs::write(root.join("a.md"), text).unwrap();
            files::content_hash(text.as_bytes())
        };

        write("---\ntitle: A\n---\nOne.\n");
        let first = batch(&folder, &mut index, &own, &mut handled, &["a.md"]);
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].kind, ChangeKind::Created);

        // Ours: written, recorded, not yet indexed.
        let ours = write("---\ntitle: A\n---\nTwo.\n");
        own.record("a.md", &ours);
        assert_eq!(
            batch(&folder, &mut index, &own, &mut handled, &["a.md"]),
            []
        );
        assert_eq!(index.file_state("a.md").unwrap().unwrap().hash, ours);

        // A colleague's, in exactly the same situation: reported.
        let theirs = write("---\ntitle: A\n---\nThree.\n");
        let changed = batch(&folder, &mut index, &own, &mut handled, &["a.md"]);
        assert_eq!(changed.len(), 1, "{changed:?}");
        assert_eq!(
            (changed[0].kind, changed[0].path.as_str()),
            (ChangeKind::Changed, "a.md")
        );
        assert_eq!(index.file_state("a.md").unwrap().unwrap().hash, theirs);
    }

    /// The `newsroom` CLI on this computer saves a draft through the same index the app
    /// watches: the file then is exactly as indexed. The app must still hear of it — once,
    /// and not for a chmod or a `touch` of an unchanged file.
    #[test]
    fn a_save_through_the_same_index_by_another_program_is_reported_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(&root).unwrap();
        let folder = Folder::open(&root).unwrap();
        let mut index = Index::open(&dir.path().join("index.sqlite3")).unwrap();
        let own = OwnWrites::default();
        let mut handled = Handled::default();
        std::fs::write(
            root.join("a.md"),
            "---\ntitle: A\nstatus: draft\n---\nOne.\n",
        )
        .unwrap();
        assert_eq!(
            batch(&folder, &mut index, &own, &mut handled, &["a.md"]).len(),
            1
        );

        // The CLI: writes the file, then indexes it itself.
        let cli = |text: &str, index: &Index| {
            std::fs::write(root.join("a.md"), text).unwrap();
            let (entry, _) = scan::read_entry(&folder, "a.md").unwrap();
            index.upsert(&entry).unwrap();
        };
        cli("---\ntitle: A\nstatus: in-review\n---\nOne.\n", &index);
        let heard = batch(&folder, &mut index, &own, &mut handled, &["a.md"]);
        assert_eq!(heard.len(), 1, "{heard:?}");
        assert_eq!(heard[0].kind, ChangeKind::Changed);
        let summary = heard[0].summary.as_ref().unwrap();
        assert_eq!(summary.status, Status::InReview);
        // the rest of the same write's events: already handled
        assert_eq!(
            batch(&folder, &mut index, &own, &mut handled, &["a.md"]),
            []
        );

        // Our own save through the same index is not reported.
        let ours = "---\ntitle: A\nstatus: in-review\n---\nTwo.\n";
        own.record("a.md", &files::content_hash(ours.as_bytes()));
        cli(ours, &index);
        assert_eq!(
            batch(&folder, &mut index, &own, &mut handled, &["a.md"]),
            []
        );

        // Attributes only (a chmod), on a file the watcher never handled: nothing.
        let mut fresh = Handled::default();
        let attributes = Pending {
            paths: ["a.md".to_owned()].into(),
            attributes_only: ["a.md".to_owned()].into(),
            ..Default::default()
        };
        assert_eq!(
            process(&folder, &mut index, &own, &mut fresh, None, attributes).unwrap(),
            []
        );
    }

    #[test]
    fn noise_is_ignored() {
        for (path, noise) in [
            ("world/minsk.md", false),
            (".git/index", true),
            ("world/.newsroom-tmp-minsk.md.abc.tmp", true),
            ("world/.minsk.md.swp", true),
            ("minsk.md~", true),
            ("minsk.md.part", true),
            (".stfolder/x", true),
            ("world/.minsk.md.lock", true),
        ] {
            assert_eq!(is_noise(path), noise, "{path}");
        }
    }
}
