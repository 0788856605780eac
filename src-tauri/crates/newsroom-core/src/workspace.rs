//! A drafts folder and its index: what the app and the CLI open.
//!
//! Every operation here is what a user can do: list, search, read, save (atomically,
//! never over someone else's change), change metadata, create, see history, restore.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::door::Folder;
use crate::draft::Draft;
use crate::earlier::EarlierVersions;
use crate::error::{CoreError, Result};
use crate::files;
use crate::front_matter_edit::{self, Change};
use crate::index::{DraftPage, DraftSummary, Filter, Index, Revision, RevisionSource, SearchHit};
use crate::scan::{self, ScanReport};
use crate::workspace_path::WorkspacePath;
use crate::yaml::Value;

pub use crate::render::{Preview, render_text};

/// Where the indexes live: the data folder of [`crate::user_dirs`] (`NEWSROOM_DATA_DIR`,
/// else `$XDG_DATA_HOME/newsroom`).
pub fn data_dir() -> PathBuf {
    crate::user_dirs::data_dir()
}

/// The index file for a drafts folder: one per folder, named by a hash of its path, in
/// the data directory (never inside the drafts folder, which may be shared).
pub fn index_path_for(root: &Path) -> PathBuf {
    let key = files::content_hash(root.to_string_lossy().as_bytes());
    crate::user_dirs::UserDirs::from_env()
        .workspaces_dir()
        .join(&key[..16])
        .join("index.sqlite3")
}

/// Kept with the watcher, which reads it; re-exported for older callers.
pub use crate::watch::OwnWrites;

/// A draft as opened for editing.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct OpenedDraft {
    pub path: String,
    pub text: String,
    /// Pass back to [`Workspace::save`] as `base_hash`.
    pub hash: String,
    pub summary: DraftSummary,
}

/// What a save did.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SaveOutcome {
    Saved {
        path: String,
        hash: String,
    },
    /// The file already had exactly this content; nothing was written.
    Unchanged {
        path: String,
        hash: String,
    },
    /// The file changed on disk since it was read. It was left as it is, and the text
    /// being saved was written beside it as `kept_as`.
    Conflict {
        path: String,
        kept_as: String,
        their_hash: String,
    },
}

impl SaveOutcome {
    /// The outcome as an error, for callers (the CLI) that treat a conflict as a failure.
    pub fn into_result(self, root: &Path) -> Result<SaveOutcome> {
        match self {
            SaveOutcome::Conflict { path, kept_as, .. } => Err(CoreError::Conflict {
                file: root.join(path),
                kept_as: root.join(kept_as),
            }),
            other => Ok(other),
        }
    }
}

/// What a new draft starts with.
#[derive(Debug, Clone, Default)]
pub struct NewDraft {
    pub title: String,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub author: Option<String>,
    /// Subfolder of the drafts folder, `/`-separated; empty for the top.
    pub folder: String,
}

pub struct Workspace {
    root: PathBuf,
    /// The one door every read and write of the folder's files goes through.
    folder: Folder,
    index: Index,
    own_writes: OwnWrites,
    /// The folder's history beyond this computer's revisions (git's), when whoever opened
    /// the workspace knows one; see [`crate::earlier`].
    earlier: Option<std::sync::Arc<dyn EarlierVersions>>,
}

impl Workspace {
    /// Opens a drafts folder with its index in the data directory, and brings the index
    /// up to date (only changed files are read).
    pub fn open(root: &Path) -> Result<(Workspace, ScanReport)> {
        let root = Folder::open(root)?.root().to_path_buf();
        let index_path = index_path_for(&root);
        Self::open_with_index(&root, &index_path)
    }

    /// Opens with an explicit index location (tests, benchmarks).
    pub fn open_with_index(root: &Path, index_path: &Path) -> Result<(Workspace, ScanReport)> {
        let mut ws = Self::open_unreconciled_with_index(root, index_path)?;
        let report = ws.rescan()?;
        Ok((ws, report))
    }

    /// Opens a drafts folder with its index as it is, without comparing the two: what the
    /// index lists is what the folder held when a Newsroom process last looked. The app
    /// opens this way, starts its watcher, shows the list, and then has the watcher compare
    /// folder and index ([`crate::watch::Watcher::reconcile`]), whose changes reach the
    /// page as any other: at 100,000 drafts the comparison (a `stat` per file) is ≈ 1 s the
    /// list need not wait for. With an empty index ([`Index::is_empty`]) there is nothing
    /// to show: [`Workspace::rescan`] first.
    pub fn open_unreconciled(root: &Path) -> Result<Workspace> {
        let root = Folder::open(root)?.root().to_path_buf();
        let index_path = index_path_for(&root);
        Self::open_unreconciled_with_index(&root, &index_path)
    }

    /// [`Workspace::open_unreconciled`] with an explicit index location (tests).
    pub fn open_unreconciled_with_index(root: &Path, index_path: &Path) -> Result<Workspace> {
        let folder = Folder::open(root)?;
        let root = folder.root().to_path_buf();
        let index = Index::open(index_path)?;
        if let Some(dir) = index_path.parent() {
            // A note for people browsing the data directory.
            let _ = std::fs::write(
                dir.join("drafts-folder.txt"),
                root.to_string_lossy().as_bytes(),
            );
        }
        Ok(Workspace {
            root,
            folder,
            index,
            own_writes: OwnWrites::default(),
            earlier: None,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The door to the folder's files (see [`crate::door`]).
    pub fn folder(&self) -> &Folder {
        &self.folder
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    pub fn own_writes(&self) -> OwnWrites {
        self.own_writes.clone()
    }

    /// Where earlier versions of the drafts can also come from (a git history): review
    /// moves record the commit the reviewer saw, and "changes since your last review"
    /// reads it on a computer that never stored that version.
    pub fn set_earlier_versions(&mut self, source: std::sync::Arc<dyn EarlierVersions>) {
        self.earlier = Some(source);
    }

    pub fn earlier_versions(&self) -> Option<&dyn EarlierVersions> {
        self.earlier.as_deref()
    }

    /// Reconciles the whole folder with the index.
    pub fn rescan(&mut self) -> Result<ScanReport> {
        let cold = self.index.is_empty()?;
        let planned = scan::reconcile_plan(&self.folder, &self.index, |_| {})?;
        let mut report = scan::apply(
            &mut self.index,
            &self.folder,
            &planned.known,
            planned.ops,
            planned.unchanged,
            !cold,
        )?;
        report.skipped = planned.skipped;
        Ok(report)
    }

    /// Brings one file's entry up to date, as the watcher does for one path: one `stat`,
    /// and a read only if its size or mtime changed (a changed content is recorded as an
    /// outside revision, as by [`Workspace::rescan`]). A file gone, or no longer a regular
    /// draft file (a link, a FIFO), leaves the index. [`Workspace::rescan`] stats every file.
    pub fn reindex_file(&mut self, path: &str) -> Result<ScanReport> {
        let wp = self.draft_path(path)?;
        let rel = wp.as_str().to_owned();
        let known: HashMap<String, crate::index::FileState> = self
            .index
            .file_state(&rel)?
            .map(|s| (rel.clone(), s))
            .into_iter()
            .collect();
        let name = wp.file_name();
        let disk: Vec<scan::DiskFile> = match self.folder.entry(&wp)? {
            Some(e) if e.kind == crate::door::EntryKind::File && files::is_draft_name(name) => {
                vec![scan::DiskFile {
                    rel: rel.clone(),
                    size: e.size,
                    mtime_ns: e.mtime_ns,
                }]
            }
            _ => Vec::new(),
        };
        let (ops, unchanged) = scan::plan(&disk, &known);
        scan::apply(&mut self.index, &self.folder, &known, ops, unchanged, true)
    }

    /// Forgets the index and rebuilds it from the files (revisions are kept).
    pub fn rebuild_index(&mut self) -> Result<ScanReport> {
        self.index.clear_drafts()?;
        self.rescan()
    }

    /// Turns a path relative to the drafts folder (or an absolute one inside it) into an
    /// absolute path, refusing anything that would leave the folder.
    pub fn resolve(&self, path: &str) -> Result<PathBuf> {
        Ok(self.folder.abs(&self.draft_path(path)?))
    }

    /// The `/`-separated path of `path` inside the folder.
    pub fn relative(&self, path: &str) -> Result<String> {
        Ok(self.draft_path(path)?.as_str().to_owned())
    }

    /// `path` (relative to the drafts folder, `./` and `..` inside it allowed, or an
    /// absolute path inside it) as a checked [`WorkspacePath`] that is not hidden. An
    /// absolute path's folder is canonicalised, its file name is not: a draft that is a
    /// link stays a link, which the door then refuses to open.
    pub fn draft_path(&self, path: &str) -> Result<WorkspacePath> {
        let outside = || CoreError::OutsideWorkspace {
            path: PathBuf::from(path),
            root: self.root.clone(),
        };
        let p = Path::new(path);
        let rel = if p.is_absolute() {
            let dir = p
                .parent()
                .and_then(|d| d.canonicalize().ok())
                .ok_or_else(outside)?;
            let name = p.file_name().ok_or_else(outside)?;
            let rel = scan::rel_path(&self.root, &dir.join(name)).ok_or_else(outside)?;
            WorkspacePath::new(&rel).map_err(|_| outside())?
        } else {
            WorkspacePath::normalised(path).map_err(|_| outside())?
        };
        if rel.is_hidden() {
            return Err(outside());
        }
        Ok(rel)
    }

    pub fn list(&self, filter: &Filter) -> Result<Vec<DraftSummary>> {
        self.index.list(filter)
    }

    /// One page of [`Workspace::list`]'s order, and the filter's total (see [`DraftPage`]).
    pub fn list_page(&self, filter: &Filter, offset: usize, limit: usize) -> Result<DraftPage> {
        self.index.list_page(filter, offset, limit)
    }

    pub fn search(&self, query: &str, filter: &Filter, limit: usize) -> Result<Vec<SearchHit>> {
        self.index.search(query, filter, limit)
    }

    /// Categories used in the folder, most used first.
    pub fn categories(&self) -> Result<Vec<String>> {
        self.index.terms("category")
    }

    /// Tags used in the folder, most used first (for autocomplete).
    pub fn tags(&self) -> Result<Vec<String>> {
        self.index.terms("tag")
    }

    pub fn authors(&self) -> Result<Vec<String>> {
        self.index.authors()
    }

    /// Reads a draft for editing. A draft with bad front matter still opens (its
    /// summary carries the error); only unreadable files (binary, not UTF-8) fail.
    pub fn read(&self, path: &str) -> Result<OpenedDraft> {
        let wp = self.draft_path(path)?;
        let (text, found) = files::read_draft_with_entry(&self.folder, &wp)?;
        let rel = wp.as_str().to_owned();
        let hash = files::content_hash(text.as_bytes());
        let summary = match self.index.summary(&rel)? {
            // Only this draft's identity: opening a draft must not load the whole folder's.
            Some(s)
                if self
                    .index
                    .file_state(&rel)?
                    .is_some_and(|st| st.hash == hash) =>
            {
                s
            }
            _ => {
                let state = crate::index::FileState {
                    size: found.size,
                    mtime_ns: found.mtime_ns,
                    hash: hash.clone(),
                };
                let entry = scan::entry_for_text(&rel, &text, state);
                self.index.upsert(&entry)?;
                entry.summary
            }
        };
        Ok(OpenedDraft {
            path: rel,
            text,
            hash,
            summary,
        })
    }

    /// Parses a draft, failing with `FILE:LINE: message` when it is not valid.
    pub fn parse(&self, path: &str) -> Result<(String, Draft)> {
        let wp = self.draft_path(path)?;
        let text = files::read_draft_in(&self.folder, &wp)?;
        let draft = Draft::parse(&text).map_err(|e| e.in_file(&self.folder.abs(&wp)))?;
        Ok((wp.as_str().to_owned(), draft))
    }

    /// The text of the draft at `path`, through the door.
    pub fn read_text(&self, path: &str) -> Result<String> {
        files::read_draft_in(&self.folder, &self.draft_path(path)?)
    }

    /// Saves `text` as the new content of `path`.
    ///
    /// `base_hash` is the hash of the content the editor started from. If the file on
    /// disk is no longer that content (a colleague saved meanwhile), nothing is
    /// overwritten: `text` is written beside it as a conflict copy and
    /// [`SaveOutcome::Conflict`] says where. `None` means "whatever is on disk" (use
    /// only for files the caller just created or read).
    pub fn save(&mut self, path: &str, text: &str, base_hash: Option<&str>) -> Result<SaveOutcome> {
        self.write_version(path, text, base_hash, RevisionSource::Save)
    }

    fn write_version(
        &mut self,
        path: &str,
        text: &str,
        base_hash: Option<&str>,
        source: RevisionSource,
    ) -> Result<SaveOutcome> {
        let wp = self.draft_path(path)?;
        let rel = wp.as_str().to_owned();
        if !files::is_draft_name(wp.file_name()) {
            return Err(CoreError::InvalidArgument(format!(
                "{rel}: drafts are Markdown files ending in .md or .markdown"
            )));
        }
        let new_hash = files::content_hash(text.as_bytes());
        let now = scan::now_ms();

        let on_disk = match self.folder.read(&wp, crate::door::FileKind::Draft) {
            Ok(bytes) => Some(bytes),
            Err(CoreError::NotFound(_)) => None,
            Err(e) => return Err(e),
        };
        if let Some(bytes) = &on_disk {
            let disk_hash = files::content_hash(bytes);
            if disk_hash == new_hash {
                return Ok(SaveOutcome::Unchanged {
                    path: rel,
                    hash: new_hash,
                });
            }
            if base_hash.is_some_and(|b| b != disk_hash) {
                let copy = files::conflict_copy_name(&wp, time::OffsetDateTime::now_utc(), |c| {
                    self.folder.taken(c)
                })?;
                self.folder.create_new(&copy, text.as_bytes())?;
                let kept_as = copy.as_str().to_owned();
                self.own_writes.record(&kept_as, &new_hash);
                self.reindex_written(&kept_as, text, &new_hash)?;
                self.index
                    .record_revision(&kept_as, &new_hash, text, RevisionSource::Save, now)?;
                return Ok(SaveOutcome::Conflict {
                    path: rel,
                    kept_as,
                    their_hash: disk_hash,
                });
            }
            // Keep what was there before our first save over it, so it can be restored.
            if !self.index.has_revision(&rel, &disk_hash)? {
                if let Ok(old) = String::from_utf8(bytes.clone()) {
                    self.index.record_revision(
                        &rel,
                        &disk_hash,
                        &old,
                        RevisionSource::BeforeSave,
                        now - 1,
                    )?;
                }
            }
        }

        self.own_writes.record(&rel, &new_hash);
        self.folder.write_atomic(&wp, text.as_bytes())?;
        self.index
            .record_revision(&rel, &new_hash, text, source, now)?;
        self.reindex_written(&rel, text, &new_hash)?;
        Ok(SaveOutcome::Saved {
            path: rel,
            hash: new_hash,
        })
    }

    fn reindex_written(&self, rel: &str, text: &str, hash: &str) -> Result<()> {
        let wp = WorkspacePath::new(rel).map_err(|e| CoreError::InvalidArgument(e.to_string()))?;
        let found = self
            .folder
            .entry(&wp)?
            .ok_or_else(|| CoreError::NotFound(self.folder.abs(&wp)))?;
        let state = crate::index::FileState {
            size: found.size,
            mtime_ns: found.mtime_ns,
            hash: hash.to_owned(),
        };
        self.index.upsert(&scan::entry_for_text(rel, text, state))
    }

    /// Changes front-matter keys of a draft on disk; the body stays byte for byte.
    pub fn set_metadata(&mut self, path: &str, changes: &[Change]) -> Result<SaveOutcome> {
        self.edit_front_matter(path, changes, StatusEdit::Refused)
    }

    /// The publisher's write-back after a real publish: the portal record and the status
    /// the publish reached (`published`, `scheduled`). That status is the workflow's own
    /// move, made by publishing, so it is not refused like a hand edit of `status`.
    pub fn record_publication(&mut self, path: &str, changes: &[Change]) -> Result<SaveOutcome> {
        self.edit_front_matter(path, changes, StatusEdit::ByPublishing)
    }

    fn edit_front_matter(
        &mut self,
        path: &str,
        changes: &[Change],
        status: StatusEdit,
    ) -> Result<SaveOutcome> {
        let wp = self.draft_path(path)?;
        let rel = wp.as_str().to_owned();
        let abs = self.folder.abs(&wp);
        let text = files::read_draft_in(&self.folder, &wp)?;
        let hash = files::content_hash(text.as_bytes());
        let draft = Draft::parse(&text).map_err(|e| e.in_file(&abs))?;
        if status == StatusEdit::Refused {
            front_matter_edit::refuse_status_edit(&draft, changes).map_err(|e| e.in_file(&abs))?;
        }
        let new_text = front_matter_edit::apply(&draft, changes).map_err(|e| e.in_file(&abs))?;
        if new_text == text {
            return Ok(SaveOutcome::Unchanged { path: rel, hash });
        }
        self.save(&rel, &new_text, Some(&hash))
    }

    /// Creates a draft with a file name from its title; returns it opened.
    pub fn create(&mut self, new: &NewDraft) -> Result<OpenedDraft> {
        let title = new.title.trim();
        if title.is_empty() {
            return Err(CoreError::InvalidArgument(
                "a new draft needs a title".into(),
            ));
        }
        let mut stem = crate::slug::slugify(title);
        if stem.is_empty() {
            stem = "untitled".into();
        }
        let folder = if new.folder.trim().is_empty() {
            String::new()
        } else {
            self.relative(new.folder.trim())? + "/"
        };
        let named = |name: String| {
            WorkspacePath::new(&name).map_err(|e| CoreError::InvalidArgument(e.to_string()))
        };
        let mut wp = named(format!("{folder}{stem}.md"))?;
        let mut n = 2;
        while self.folder.taken(&wp)? {
            wp = named(format!("{folder}{stem}-{n}.md"))?;
            n += 1;
        }
        let rel = wp.as_str().to_owned();
        let mut changes = vec![Change::set_text("title", title)];
        if !new.categories.is_empty() {
            changes.push(Change::set_list(
                "categories",
                new.categories
                    .iter()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty()),
            ));
        }
        if !new.tags.is_empty() {
            changes.push(Change::set_list(
                "tags",
                new.tags.iter().map(|s| s.trim()).filter(|s| !s.is_empty()),
            ));
        }
        changes.push(Change::set_text("status", "draft"));
        if let Some(author) = new
            .author
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            changes.push(Change::set_text("author", author));
        }
        let mut text = String::from("---\n");
        for change in &changes {
            if let Change::Set(key, value) = change {
                text.push_str(&crate::yaml::emit_entry(key, value, "\n"));
            }
        }
        text.push_str("---\n\n");
        let hash = files::content_hash(text.as_bytes());
        self.own_writes.record(&rel, &hash);
        self.folder.create_new(&wp, text.as_bytes())?;
        self.index
            .record_revision(&rel, &hash, &text, RevisionSource::Import, scan::now_ms())?;
        self.reindex_written(&rel, &text, &hash)?;
        self.read(&rel)
    }

    /// A draft's revisions, newest first.
    pub fn history(&self, path: &str) -> Result<Vec<Revision>> {
        let rel = self.relative(path)?;
        self.index.revisions(&rel)
    }

    pub fn revision_text(&self, path: &str, id: i64) -> Result<String> {
        let rel = self.relative(path)?;
        self.index
            .revision_text(&rel, id)?
            .ok_or_else(|| CoreError::NoSuchRevision {
                file: scan::abs_path(&self.root, &rel),
                id,
            })
    }

    /// Writes an earlier revision back as the current text (itself a new revision, so a
    /// restore can be undone). `base_hash` guards against a colleague's change as in
    /// [`Workspace::save`].
    pub fn restore(&mut self, path: &str, id: i64, base_hash: Option<&str>) -> Result<SaveOutcome> {
        let text = self.revision_text(path, id)?;
        self.write_version(path, &text, base_hash, RevisionSource::Restore)
    }

    /// Starts watching the folder; `on_change` hears other programs' changes (created,
    /// changed, renamed, deleted drafts) after the index has taken them in.
    pub fn watch(
        &self,
        on_change: impl FnMut(Vec<crate::watch::DraftChange>) + Send + 'static,
    ) -> Result<crate::watch::Watcher> {
        self.watch_with(crate::watch::WatchMode::Auto, on_change)
    }

    /// [`Workspace::watch`] with the user's choice of events, polling or both (a shared
    /// drive is polled in `Auto`; see `watch::mode`).
    pub fn watch_with(
        &self,
        mode: crate::watch::WatchMode,
        on_change: impl FnMut(Vec<crate::watch::DraftChange>) + Send + 'static,
    ) -> Result<crate::watch::Watcher> {
        crate::watch::Watcher::start_with(
            &self.root,
            self.index.path(),
            self.own_writes.clone(),
            mode,
            on_change,
        )
    }

    /// [`Workspace::watch_with`], holding every change until the watcher's first
    /// [`crate::watch::Watcher::reconcile`] (see [`crate::watch::Watcher::start_held`]):
    /// until then the index stays as the list made from it shows it.
    pub fn watch_held(
        &self,
        mode: crate::watch::WatchMode,
        on_change: impl FnMut(Vec<crate::watch::DraftChange>) + Send + 'static,
    ) -> Result<crate::watch::Watcher> {
        crate::watch::Watcher::start_held(
            &self.root,
            self.index.path(),
            self.own_writes.clone(),
            mode,
            on_change,
        )
    }

    /// Renders `text` (the editor's current content of `path`) as the preview.
    /// `asset_base` is where the app serves the folder's images; `None` keeps paths as
    /// written. `remote_images` is the user's choice for this draft (off: `http(s)`
    /// images are held back and listed in the preview).
    pub fn render(
        &self,
        path: &str,
        text: &str,
        asset_base: Option<&str>,
        sourcepos: bool,
        remote_images: bool,
    ) -> Result<Preview> {
        let rel = self.relative(path)?;
        Ok(crate::render::render_draft(
            &rel,
            text,
            asset_base,
            sourcepos,
            remote_images,
        ))
    }
}

/// Applies metadata changes to a text without touching the disk (the app's metadata
/// panel edits the editor's buffer, which is then saved like any edit).
pub fn update_front_matter(
    text: &str,
    changes: &[Change],
) -> Result<String, crate::error::DraftError> {
    let draft = Draft::parse(text)?;
    front_matter_edit::refuse_status_edit(&draft, changes)?;
    front_matter_edit::apply(&draft, changes)
}

/// Whether a front-matter edit may change `status` (see [`Workspace::record_publication`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StatusEdit {
    Refused,
    ByPublishing,
}

/// `KEY=VALUE` as the CLI and the app's metadata panel say it: list keys take
/// comma-separated values, an empty value removes the key.
pub fn change_from_pair(key: &str, value: &str) -> Result<Change> {
    let key = key.trim();
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        return Err(CoreError::InvalidArgument(format!(
            "`{key}` is not a front matter key"
        )));
    }
    let value = value.trim();
    if value.is_empty() {
        return Ok(Change::Remove(key.to_owned()));
    }
    if crate::front_matter::LIST_KEYS.contains(&key) {
        return Ok(Change::set_list(
            key,
            value.split(',').map(str::trim).filter(|s| !s.is_empty()),
        ));
    }
    if key == "status" {
        let status: crate::front_matter::Status =
            value.parse().map_err(CoreError::InvalidArgument)?;
        return Ok(Change::set_text(key, status.as_str()));
    }
    if key == "publish_at" {
        crate::front_matter::parse_rfc3339(value).map_err(CoreError::InvalidArgument)?;
    }
    Ok(Change::Set(key.to_owned(), Value::Str(value.to_owned())))
}
