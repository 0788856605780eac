//! Keeping the index in step with the folder.
//!
//! Plan, then apply: [`plan`] is a pure function from what is on disk and what is
//! indexed to the operations needed; [`apply`] reads only the files the plan names. A warm
//! reopen of ten thousand unchanged drafts is ten thousand `stat`s and nothing else.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::door::{EntryKind, FileKind, Folder};
use crate::draft::{self, Draft};
use crate::error::{CoreError, DraftError, Result};
use crate::files;
use crate::index::{DraftSummary, FileState, Index, IndexedDraft, RevisionSource};
use crate::text;
use crate::workspace_path::WorkspacePath;

/// Folders nested deeper than this are not scanned (a symlink loop, a mistaken mount);
/// the watcher watches the same folders.
pub(crate) const MAX_DEPTH: usize = 16;

/// A draft file as found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskFile {
    pub rel: String,
    pub size: u64,
    pub mtime_ns: i64,
}

/// What the index must do for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanOp {
    /// On disk, not in the index.
    Add(DiskFile),
    /// In both, but size or mtime differ: read it to see whether the content changed.
    Reread(DiskFile),
    /// In the index, gone from disk.
    Remove(String),
}

/// What a scan did, for the CLI and logs.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ScanReport {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Drafts that are indexed with an error (they still list, and open as text).
    pub invalid: usize,
    /// Names that were not looked into, each `PATH: why` (a symbolic link, a FIFO…).
    pub skipped: Vec<String>,
}

/// What [`walk`] found: the drafts, and what it stepped over with a reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Walk {
    pub files: Vec<DiskFile>,
    /// `PATH: why`, for symbolic links and special files (never followed or opened).
    pub skipped: Vec<String>,
}

/// Computes the operations that bring the index in line with the disk.
pub fn plan(disk: &[DiskFile], indexed: &HashMap<String, FileState>) -> (Vec<ScanOp>, usize) {
    let mut ops = Vec::new();
    let mut unchanged = 0;
    let on_disk: HashSet<&str> = disk.iter().map(|f| f.rel.as_str()).collect();
    for file in disk {
        match indexed.get(&file.rel) {
            None => ops.push(ScanOp::Add(file.clone())),
            Some(state) if state.size != file.size || state.mtime_ns != file.mtime_ns => {
                ops.push(ScanOp::Reread(file.clone()))
            }
            Some(_) => unchanged += 1,
        }
    }
    let mut gone: Vec<&String> = indexed
        .keys()
        .filter(|p| !on_disk.contains(p.as_str()))
        .collect();
    gone.sort();
    ops.extend(gone.into_iter().map(|p| ScanOp::Remove(p.clone())));
    (ops, unchanged)
}

/// Finds every draft in the folder, skipping hidden files and folders (`.git`, our temp
/// files). Symbolic links (to files or folders) are never followed and special files
/// (FIFOs, sockets, devices) never opened: they are listed in [`Walk::skipped`] with the
/// reason. Only names are looked at here, through the door (`lstat` relative to the
/// folder's open root), so a folder swapped for a link mid-walk is not entered either.
pub fn walk(folder: &Folder) -> Result<Walk> {
    let mut out = Walk::default();
    let mut stack: Vec<(Option<WorkspacePath>, usize)> = vec![(None, 0)];
    while let Some((dir, depth)) = stack.pop() {
        let listed = list_into(
            folder,
            dir.as_ref(),
            depth,
            &mut |path, entry| {
                out.files.push(DiskFile {
                    rel: path.as_str().to_owned(),
                    size: entry.size,
                    mtime_ns: entry.mtime_ns,
                })
            },
            &mut out.skipped,
            &mut stack,
        );
        match listed {
            Ok(()) => {}
            Err(e) if dir.is_none() => return Err(e),
            // A folder removed mid-scan, unreadable, or swapped for a link: skip it.
            Err(CoreError::NotFound(_)) => {}
            Err(e) => out.skipped.push(e.to_string()),
        }
    }
    out.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    out.skipped.sort();
    Ok(out)
}

/// What [`reconcile_plan`] decided: the operations that bring the index in line with the
/// folder, and the index's states of the drafts they reread or remove (what [`apply`]
/// compares contents with).
#[derive(Debug, Default)]
pub struct Reconcile {
    pub ops: Vec<ScanOp>,
    pub unchanged: usize,
    pub known: HashMap<String, FileState>,
    /// As [`Walk::skipped`].
    pub skipped: Vec<String>,
}

/// The drafts found on disk, their paths back to back in one buffer: 100,000 drafts are a
/// few large allocations, not 100,000 small ones.
#[derive(Default)]
struct DiskNames {
    names: String,
    /// (start in `names`, length, size, mtime_ns)
    items: Vec<(usize, usize, u64, i64)>,
}

impl DiskNames {
    fn push(&mut self, rel: &str, size: u64, mtime_ns: i64) {
        self.items
            .push((self.names.len(), rel.len(), size, mtime_ns));
        self.names.push_str(rel);
    }

    fn name(&self, i: usize) -> &str {
        let (start, len, ..) = self.items[i];
        &self.names[start..start + len]
    }

    fn sort(&mut self) {
        let mut items = std::mem::take(&mut self.items);
        items.sort_unstable_by(|a, b| self.names[a.0..a.0 + a.1].cmp(&self.names[b.0..b.0 + b.1]));
        self.items = items;
    }

    fn find(&self, rel: &str) -> Option<usize> {
        self.items
            .binary_search_by(|&(start, len, ..)| self.names[start..start + len].cmp(rel))
            .ok()
    }

    fn file(&self, i: usize) -> DiskFile {
        let (.., size, mtime_ns) = self.items[i];
        DiskFile {
            rel: self.name(i).to_owned(),
            size,
            mtime_ns,
        }
    }
}

/// [`walk`] and [`plan`] with what the index holds, without holding the whole folder as
/// strings and maps: the walk's drafts go into one buffer, the index is read row by row in
/// its own order and each row looked up there, and only the states of what is reread or
/// removed are kept. At 100,000 drafts, the walk's list and the map of every indexed state
/// (a hash string each) were ≈ 27 MB of small allocations that the allocator kept after
/// they were freed. `entering` is called with each folder (`None`: the top) before it is
/// listed: the watcher watches a folder it did not know there, so a file that lands in it
/// after the listing is an event, and one that landed before is listed.
pub fn reconcile_plan(
    folder: &Folder,
    index: &Index,
    mut entering: impl FnMut(Option<&WorkspacePath>),
) -> Result<Reconcile> {
    let mut out = Reconcile::default();
    let mut disk = DiskNames::default();
    let mut stack: Vec<(Option<WorkspacePath>, usize)> = vec![(None, 0)];
    while let Some((dir, depth)) = stack.pop() {
        entering(dir.as_ref());
        let listed = list_into(
            folder,
            dir.as_ref(),
            depth,
            &mut |path, entry| disk.push(path.as_str(), entry.size, entry.mtime_ns),
            &mut out.skipped,
            &mut stack,
        );
        match listed {
            Ok(()) => {}
            Err(e) if dir.is_none() => return Err(e),
            Err(CoreError::NotFound(_)) => {}
            Err(e) => out.skipped.push(e.to_string()),
        }
    }
    disk.sort();
    let mut seen = vec![false; disk.items.len()];
    let mut gone = Vec::new();
    index.each_file_state(|path, size, mtime_ns, hash| {
        let state = || FileState {
            size,
            mtime_ns,
            hash: hash.to_owned(),
        };
        match disk.find(path) {
            Some(i) => {
                seen[i] = true;
                let (.., disk_size, disk_mtime) = disk.items[i];
                if disk_size == size && disk_mtime == mtime_ns {
                    out.unchanged += 1;
                } else {
                    out.ops.push(ScanOp::Reread(disk.file(i)));
                    out.known.insert(path.to_owned(), state());
                }
            }
            None => {
                gone.push(path.to_owned());
                out.known.insert(path.to_owned(), state());
            }
        }
    })?;
    for (i, _) in seen.iter().enumerate().filter(|(_, seen)| !**seen) {
        out.ops.push(ScanOp::Add(disk.file(i)));
    }
    gone.sort();
    out.ops.extend(gone.into_iter().map(ScanOp::Remove));
    out.skipped.sort();
    Ok(out)
}

/// The names of one folder: each draft to `draft`, what was skipped (and why) to
/// `skipped`, its folders onto `stack` (see [`walk`]).
fn list_into(
    folder: &Folder,
    dir: Option<&WorkspacePath>,
    depth: usize,
    draft: &mut dyn FnMut(&WorkspacePath, &crate::door::Entry),
    skipped: &mut Vec<String>,
    stack: &mut Vec<(Option<WorkspacePath>, usize)>,
) -> Result<()> {
    for (name, entry) in folder.list(dir)? {
        if name.starts_with('.') {
            continue;
        }
        let path = match dir {
            Some(d) => d.join(&name),
            None => WorkspacePath::new(&name),
        };
        let path = match path {
            Ok(p) => p,
            Err(e) => {
                skipped.push(e.to_string());
                continue;
            }
        };
        match entry.kind {
            EntryKind::Folder => {
                if depth + 1 < MAX_DEPTH {
                    stack.push((Some(path), depth + 1));
                }
            }
            EntryKind::File => {
                if files::is_draft_name(&name) {
                    draft(&path, &entry);
                }
            }
            kind => skipped.push(format!(
                "{}: {}",
                folder.abs(&path).display(),
                kind.refusal()
            )),
        }
    }
    Ok(())
}

/// `root/world/minsk.md` → `world/minsk.md`.
pub fn rel_path(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    let joined = parts?.join("/");
    (!joined.is_empty()).then_some(joined)
}

pub fn mtime_ns(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos().min(i64::MAX as u128) as i64)
}

/// Reads and parses one draft into what the index stores. Never fails for a bad draft:
/// the error is part of the entry, so the draft still lists (and says what is wrong).
/// Fails for what is not a draft file at all (a link, a FIFO, gone): the door refuses it.
pub fn read_entry(folder: &Folder, rel: &str) -> Result<(IndexedDraft, Option<String>)> {
    let path = WorkspacePath::new(rel).map_err(|e| CoreError::InvalidArgument(e.to_string()))?;
    let file = folder.open_file(&path)?;
    let found = file.entry;
    if found.size > files::MAX_DRAFT_BYTES {
        let err = DraftError::whole_file(format!(
            "the file is larger than {} MB",
            files::MAX_DRAFT_BYTES / (1024 * 1024)
        ));
        let state = FileState {
            size: found.size,
            mtime_ns: found.mtime_ns,
            hash: format!("size:{}", found.size),
        };
        return Ok((entry_for_error(rel, err, state, ""), None));
    }
    let bytes = file.read_capped(FileKind::Draft)?;
    let state = FileState {
        size: bytes.len() as u64,
        mtime_ns: found.mtime_ns,
        hash: files::content_hash(&bytes),
    };
    match files::decode_draft(bytes) {
        Ok(text) => Ok((entry_for_text(rel, &text, state), Some(text))),
        Err(err) => Ok((entry_for_error(rel, err, state, ""), None)),
    }
}

pub fn abs_path(root: &Path, rel: &str) -> PathBuf {
    rel.split('/')
        .fold(root.to_path_buf(), |p, part| p.join(part))
}

/// The index entry for a draft's text (parsed, or listed with its error).
pub fn entry_for_text(rel: &str, text: &str, state: FileState) -> IndexedDraft {
    match Draft::parse(text) {
        Ok(d) => {
            let fm = &d.front_matter;
            let body = d.body();
            IndexedDraft {
                summary: DraftSummary {
                    path: rel.to_owned(),
                    title: d.display_title(&file_title(rel)),
                    status: fm.status,
                    categories: fm.categories.clone(),
                    tags: fm.tags.clone(),
                    author: fm.author.clone(),
                    excerpt: fm.excerpt.clone(),
                    publish_at: fm.publish_at.clone(),
                    modified_ms: state.mtime_ns / 1_000_000,
                    words: crate::critic::word_count(body),
                    error: None,
                    portal_post_id: d
                        .front_matter_value("portal")
                        .and_then(|p| p.get("post_id"))
                        .and_then(|v| match v {
                            crate::yaml::Value::Int(i) => Some(*i),
                            _ => None,
                        }),
                    portal_link: d
                        .front_matter_value("portal")
                        .and_then(|p| p.get("link"))
                        .and_then(crate::yaml::Value::scalar_text),
                },
                slug: Some(fm.effective_slug(&d.display_title(&file_title(rel)))),
                plain_body: text::plain_text(body),
                state,
            }
        }
        Err(err) => {
            // Still searchable: index what follows the front matter, or everything.
            let body = draft::split(text).map_or(text, |l| &text[l.body_start..]);
            let plain = text::plain_text(body);
            entry_for_error(rel, err, state, &plain)
        }
    }
}

fn entry_for_error(rel: &str, err: DraftError, state: FileState, plain_body: &str) -> IndexedDraft {
    IndexedDraft {
        summary: DraftSummary {
            path: rel.to_owned(),
            title: file_title(rel),
            status: Default::default(),
            categories: Vec::new(),
            tags: Vec::new(),
            author: None,
            excerpt: None,
            publish_at: None,
            modified_ms: state.mtime_ns / 1_000_000,
            words: text::word_count(plain_body),
            error: Some(err),
            portal_post_id: None,
            portal_link: None,
        },
        slug: None,
        plain_body: plain_body.to_owned(),
        state,
    }
}

pub use crate::draft::file_title;

/// Applies a plan. Files are read and parsed on all cores; the index is written in one
/// transaction. `known` is what the plan was made from (the index's file states);
/// `record_external` stores a revision for content that changed under us (not on a cold
/// index, where every file is "new").
pub fn apply(
    index: &mut Index,
    folder: &Folder,
    known: &HashMap<String, FileState>,
    ops: Vec<ScanOp>,
    unchanged: usize,
    record_external: bool,
) -> Result<ScanReport> {
    let mut report = ScanReport {
        unchanged,
        ..Default::default()
    };
    // Oldest change first: rows are inserted in this order, so the index's rowid order
    // follows the files' mtimes (the order a search over a common word walks).
    let mut ops = ops;
    ops.sort_by(|a, b| match (a, b) {
        (ScanOp::Add(x) | ScanOp::Reread(x), ScanOp::Add(y) | ScanOp::Reread(y)) => {
            (x.mtime_ns, &x.rel).cmp(&(y.mtime_ns, &y.rel))
        }
        (ScanOp::Remove(_), ScanOp::Remove(_)) => std::cmp::Ordering::Equal,
        (ScanOp::Remove(_), _) => std::cmp::Ordering::Greater,
        (_, ScanOp::Remove(_)) => std::cmp::Ordering::Less,
    });
    let to_read: Vec<(&str, bool)> = ops
        .iter()
        .filter_map(|op| match op {
            ScanOp::Add(f) => Some((f.rel.as_str(), true)),
            ScanOp::Reread(f) => Some((f.rel.as_str(), false)),
            ScanOp::Remove(_) => None,
        })
        .collect();
    let entries = read_parallel(folder, &to_read);
    let now = now_ms();
    index.in_transaction(|idx| {
        for ((rel, is_new), entry) in to_read.iter().zip(entries) {
            let Some((entry, text)) = entry else { continue }; // vanished since the walk
            if entry.summary.error.is_some() {
                report.invalid += 1;
            }
            match known.get(*rel) {
                Some(old) if old.hash == entry.state.hash => {
                    idx.touch(rel, &entry.state)?;
                    report.unchanged += 1;
                }
                _ => {
                    idx.upsert(&entry)?;
                    if *is_new {
                        report.added += 1;
                    } else {
                        report.updated += 1;
                    }
                    if record_external && !*is_new {
                        if let Some(text) = &text {
                            idx.record_revision(
                                rel,
                                &entry.state.hash,
                                text,
                                RevisionSource::External,
                                now,
                            )?;
                        }
                    }
                }
            }
        }
        for op in &ops {
            if let ScanOp::Remove(rel) = op {
                idx.remove(rel)?;
                report.removed += 1;
            }
        }
        Ok(())
    })?;
    Ok(report)
}

type Entry = Option<(IndexedDraft, Option<String>)>;

fn read_parallel(folder: &Folder, files: &[(&str, bool)]) -> Vec<Entry> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if files.len() < 64 || threads == 1 {
        return files
            .iter()
            .map(|(rel, _)| read_entry(folder, rel).ok())
            .collect();
    }
    let chunk = files.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|(rel, _)| read_entry(folder, rel).ok())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(rel: &str, size: u64, mtime: i64) -> DiskFile {
        DiskFile {
            rel: rel.into(),
            size,
            mtime_ns: mtime,
        }
    }

    fn st(size: u64, mtime: i64) -> FileState {
        FileState {
            size,
            mtime_ns: mtime,
            hash: "h".into(),
        }
    }

    /// (on disk, indexed, expected ops, unchanged)
    type PlanCase = (
        Vec<DiskFile>,
        Vec<(&'static str, FileState)>,
        Vec<ScanOp>,
        usize,
    );

    #[test]
    fn plan_table() {
        let cases: Vec<PlanCase> = vec![
            (
                vec![f("a.md", 1, 1)],
                vec![],
                vec![ScanOp::Add(f("a.md", 1, 1))],
                0,
            ),
            (vec![f("a.md", 1, 1)], vec![("a.md", st(1, 1))], vec![], 1),
            (
                vec![f("a.md", 2, 1)],
                vec![("a.md", st(1, 1))],
                vec![ScanOp::Reread(f("a.md", 2, 1))],
                0,
            ),
            (
                vec![f("a.md", 1, 5)],
                vec![("a.md", st(1, 1))],
                vec![ScanOp::Reread(f("a.md", 1, 5))],
                0,
            ),
            (
                vec![],
                vec![("a.md", st(1, 1))],
                vec![ScanOp::Remove("a.md".into())],
                0,
            ),
            (
                vec![f("b.md", 1, 1)],
                vec![("a.md", st(1, 1)), ("b.md", st(1, 1))],
                vec![ScanOp::Remove("a.md".into())],
                1,
            ),
        ];
        for (disk, indexed, expected, unchanged) in cases {
            let indexed: HashMap<String, FileState> = indexed
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect();
            assert_eq!(plan(&disk, &indexed), (expected, unchanged));
        }
    }

    #[test]
    fn walk_skips_hidden_and_non_drafts() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("world")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join("world/minsk.md"), "x").unwrap();
        std::fs::write(root.join("top.md"), "x").unwrap();
        std::fs::write(root.join(".git/HEAD.md"), "x").unwrap();
        std::fs::write(root.join(".newsroom-tmp-a.md.1.tmp"), "x").unwrap();
        std::fs::write(root.join("photo.jpg"), "x").unwrap();
        let rels: Vec<_> = walk(&Folder::open(root).unwrap())
            .unwrap()
            .files
            .into_iter()
            .map(|f| f.rel)
            .collect();
        assert_eq!(rels, vec!["top.md", "world/minsk.md"]);
    }

    #[cfg(unix)]
    #[test]
    fn walk_steps_over_links_and_special_files_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(root.join("world")).unwrap();
        std::fs::write(root.join("world/minsk.md"), "x").unwrap();
        std::fs::write(dir.path().join("outside.md"), "secret").unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside.md"), root.join("story.md")).unwrap();
        std::os::unix::fs::symlink("/", root.join("everything")).unwrap();
        let fifo = root.join("world/pipe.md");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let walked = walk(&Folder::open(&root).unwrap()).unwrap();
        let rels: Vec<_> = walked.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, vec!["world/minsk.md"]);
        assert_eq!(walked.skipped.len(), 3, "{:?}", walked.skipped);
        assert!(
            walked
                .skipped
                .iter()
                .any(|s| s.contains("story.md: is a symbolic link"))
        );
        assert!(
            walked
                .skipped
                .iter()
                .any(|s| s.contains("everything: is a symbolic link"))
        );
        assert!(
            walked
                .skipped
                .iter()
                .any(|s| s.contains("pipe.md: is a FIFO"))
        );
    }

    /// The comparison row by row decides what walking everything and comparing it with a
    /// map of every indexed state decides: drafts added, changed, removed, in folders
    /// deleted, hidden, turned into a link or nested too deep, at the top and below.
    #[cfg(unix)]
    #[test]
    fn reconcile_plan_decides_what_the_whole_walk_and_plan_decide() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        let deep: String = (0..MAX_DEPTH).map(|i| format!("d{i}/")).collect();
        for sub in [
            "world/europe",
            "sport",
            "gone",
            "hidden",
            "linked",
            deep.as_str(),
        ] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        for rel in [
            "top.md",
            "top-gone.md",
            "world/minsk.md",
            "world/europe/riga.md",
            "world/europe/changed.md",
            "sport/derby.md",
            "gone/a.md",
            "hidden/b.md",
            "linked/c.md",
            "d0/shallow.md",
        ] {
            std::fs::write(root.join(rel), rel).unwrap();
        }
        let folder = Folder::open(&root).unwrap();
        let mut index = Index::open(&dir.path().join("index.sqlite3")).unwrap();
        let all = walk(&folder).unwrap();
        let (ops, unchanged) = plan(&all.files, &HashMap::new());
        apply(&mut index, &folder, &HashMap::new(), ops, unchanged, false).unwrap();
        // an entry deeper than the walk goes (indexed by an older version, say)
        let (too_deep, _) = read_entry(&folder, "d0/shallow.md").unwrap();
        let mut too_deep = too_deep;
        too_deep.summary.path = format!("{deep}x.md");
        index.upsert(&too_deep).unwrap();

        std::fs::remove_file(root.join("top-gone.md")).unwrap();
        std::fs::write(root.join("new-top.md"), "new").unwrap();
        std::fs::write(root.join("world/europe/changed.md"), "longer text").unwrap();
        std::fs::write(root.join("sport/new.md"), "new").unwrap();
        std::fs::remove_dir_all(root.join("gone")).unwrap();
        std::fs::rename(root.join("hidden"), root.join(".hidden")).unwrap();
        std::fs::rename(root.join("linked"), dir.path().join("elsewhere")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), root.join("linked")).unwrap();

        let mut entered = Vec::new();
        let got = reconcile_plan(&folder, &index, |d| {
            entered.push(d.map_or(String::new(), |d| d.as_str().to_owned()))
        })
        .unwrap();
        let whole = walk(&folder).unwrap();
        let states = index.file_states().unwrap();
        let (mut want, want_unchanged) = plan(&whole.files, &states);
        let key = |op: &ScanOp| match op {
            ScanOp::Add(f) | ScanOp::Reread(f) => f.rel.clone(),
            ScanOp::Remove(r) => r.clone(),
        };
        let mut ops = got.ops.clone();
        ops.sort_by_key(key);
        want.sort_by_key(key);
        assert_eq!(ops, want);
        assert_eq!(got.unchanged, want_unchanged);
        assert_eq!(got.skipped, whole.skipped);
        assert!(
            ops.contains(&ScanOp::Remove(format!("{deep}x.md"))),
            "{ops:?}"
        );
        assert_eq!(ops.len(), 8, "{ops:?}");
        // the states of what is reread or removed, nothing else
        let mut known: Vec<&String> = got.known.keys().collect();
        known.sort();
        let mut expected: Vec<String> = ops
            .iter()
            .filter(|op| !matches!(op, ScanOp::Add(_)))
            .map(key)
            .collect();
        expected.sort();
        assert_eq!(known, expected.iter().collect::<Vec<_>>());
        // every folder listed was announced first; the link and the hidden folder never
        entered.sort();
        assert!(entered.contains(&String::new()) && entered.contains(&"world/europe".to_owned()));
        assert!(!entered.iter().any(|d| d == "linked" || d.starts_with('.')));
    }

    #[test]
    fn the_portal_record_is_indexed() {
        let e = entry_for_text(
            "a.md",
            "---\ntitle: x\nportal:\n  name: main\n  post_id: 42\n  link: https://portal.example/a/\n---\n",
            st(1, 1),
        );
        assert_eq!(e.summary.portal_post_id, Some(42));
        assert_eq!(
            e.summary.portal_link.as_deref(),
            Some("https://portal.example/a/")
        );
    }

    #[test]
    fn bad_drafts_are_entries_with_errors() {
        let e = entry_for_text(
            "x/bad.md",
            "---\ntags: 5\n---\nsearchable words\n",
            st(1, 1),
        );
        assert_eq!(e.summary.title, "bad");
        assert_eq!(e.summary.error.as_ref().unwrap().line, Some(2));
        assert_eq!(e.plain_body, "searchable words");
    }
}
