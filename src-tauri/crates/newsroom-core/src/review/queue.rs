//! The queues: what waits for an editor (with what changed since they last looked) and
//! what waits for the desk (with the pre-publish checklist).

use crate::critic;
use crate::door::Folder;
use crate::draft::{self, Draft};
use crate::earlier::CommitId;
use crate::error::Result;
use crate::front_matter::Status;
use crate::images;
use crate::index::{DraftSummary, Filter, RevisionSource};
use crate::review::lock::{self, LockInfo, LockOwner};
use crate::review::workflow::{self, TrailEntry};
use crate::workspace::Workspace;
use crate::workspace_path::{WorkspacePath, folder_of};

/// The desk's limit for a headline, in characters.
pub const MAX_HEADLINE_CHARS: usize = 70;
/// The portal's limit for an excerpt (standfirst), in characters.
pub const MAX_EXCERPT_CHARS: usize = 300;
/// How far the clocks of two colleagues' computers may disagree when a trail entry is
/// matched with the revision store (which records this computer's time).
const CLOCK_SLACK_MS: i64 = 60 * 60 * 1000;
/// Lines of context around each change in a queue item's diff.
const DIFF_CONTEXT: usize = 2;

/// A piece waiting for review.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReviewItem {
    pub draft: DraftSummary,
    /// The trail entry that put the piece in its status (the submission), if any.
    pub entered: Option<TrailEntry>,
    /// Milliseconds since the epoch: the submission, else the file's modification time.
    /// The queue is sorted by it, oldest first.
    pub waiting_since_ms: i64,
    /// Suggestions and comments still open in the text.
    pub open_marks: usize,
    /// What changed since the reviewer last looked.
    pub changes: Option<ChangesSince>,
    /// A colleague editing the draft right now.
    pub editing: Option<LockInfo>,
}

/// Since when a queue item's diff runs.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiffBasis {
    /// The reviewer's own last step in the trail.
    YourReview,
    /// The last submission for review (the reviewer has not reviewed it before).
    Submission,
}

/// The body's changes since a revision the reviewer saw.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChangesSince {
    pub basis: DiffBasis,
    /// The trail entry's time (RFC 3339).
    pub at: String,
    /// The revision compared with (see `newsroom history`), when this computer's
    /// revision store had the version the reviewer saw.
    pub revision: Option<i64>,
    /// Otherwise the commit compared with, from the folder's git history.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub commit: Option<String>,
    pub lines_added: usize,
    pub lines_removed: usize,
    /// A unified diff of the body; empty when nothing changed.
    pub diff: String,
    /// The same changes as lines with their changed words (what the app shows): every
    /// line of the body, the unchanged ones tagged `equal`; empty when nothing changed.
    pub lines: Vec<crate::diff::DiffLine>,
}

/// Drafts in `status` (normally `in-review`) across the folder, oldest submission
/// first, each with what changed since `reviewer` last reviewed it.
///
/// The version the reviewer saw comes from this computer's revision store (their own
/// moves store it, and so does every look at the queue), else, in a folder synced
/// through git, from the history ([`changes_since`]). With neither, `changes` is `None`.
pub fn review_queue(
    ws: &Workspace,
    status: Status,
    reviewer: Option<&str>,
) -> Result<Vec<ReviewItem>> {
    let me = LockOwner::current(reviewer.unwrap_or(""));
    let now = time::OffsetDateTime::now_utc();
    let mut items = Vec::new();
    for summary in queued(ws, status)? {
        let Ok((rel, draft)) = ws.parse(&summary.path) else {
            continue;
        };
        let trail = workflow::trail(&draft);
        let entered = entered(&trail, status);
        let changes = match reviewer {
            Some(name) => changes_since(ws, &rel, &draft, &trail, name)?,
            None => None,
        };
        // This computer has now seen this version: keep it, so that the next look can
        // say what changed since (a first scan of a folder stores no revisions).
        let hash = crate::files::content_hash(draft.text().as_bytes());
        ws.index().record_revision(
            &rel,
            &hash,
            draft.text(),
            RevisionSource::External,
            crate::scan::now_ms(),
        )?;
        items.push(ReviewItem {
            waiting_since_ms: waiting_since(&entered, &summary),
            open_marks: critic::marks(draft.text()).len(),
            editing: lock::who_is_editing(ws.folder(), &ws.draft_path(&rel)?, &me, now),
            draft: summary,
            entered,
            changes,
        });
    }
    items.sort_by(|a, b| {
        (a.waiting_since_ms, &a.draft.path).cmp(&(b.waiting_since_ms, &b.draft.path))
    });
    Ok(items)
}

fn queued(ws: &Workspace, status: Status) -> Result<Vec<DraftSummary>> {
    ws.list(&Filter {
        status: Some(status),
        ..Default::default()
    })
    .map(|all| {
        all.into_iter()
            // A conflict copy waits for someone to settle it, not for review or the desk.
            .filter(|d| d.error.is_none() && !crate::files::is_conflict_copy(&d.path))
            .collect()
    })
}

/// The last trail entry that moved the piece into `status`.
fn entered(trail: &[TrailEntry], status: Status) -> Option<TrailEntry> {
    trail.iter().rev().find(|e| e.to == status).cloned()
}

fn waiting_since(entered: &Option<TrailEntry>, summary: &DraftSummary) -> i64 {
    entered
        .as_ref()
        .and_then(TrailEntry::at_ms)
        .unwrap_or(summary.modified_ms)
}

fn same_person(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The body's diff between the revision `reviewer` saw at their last trail entry (or,
/// if they have none, the last submission) and now.
pub fn changes_since(
    ws: &Workspace,
    rel: &str,
    draft: &Draft,
    trail: &[TrailEntry],
    reviewer: &str,
) -> Result<Option<ChangesSince>> {
    let (entry, basis) = match trail.iter().rev().find(|e| same_person(&e.by, reviewer)) {
        Some(e) => (e, DiffBasis::YourReview),
        None => match trail.iter().rev().find(|e| e.to == Status::InReview) {
            Some(e) => (e, DiffBasis::Submission),
            None => return Ok(None),
        },
    };
    let Some((seen, old)) = version_seen(ws, rel, entry)? else {
        return Ok(None);
    };
    let old_body = draft::split(&old).map_or(old.as_str(), |l| &old[l.body_start..]);
    let diff = similar::TextDiff::from_lines(old_body, draft.body());
    let (mut lines_added, mut lines_removed) = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Insert => lines_added += 1,
            similar::ChangeTag::Delete => lines_removed += 1,
            similar::ChangeTag::Equal => {}
        }
    }
    let (revision, commit, was) = match &seen {
        Seen::Revision(id) => (Some(*id), None, format!("revision {id}")),
        Seen::Commit(c) => (
            None,
            Some(c.as_str().to_owned()),
            format!("commit {}", c.short()),
        ),
    };
    let (unified, lines) = if lines_added + lines_removed == 0 {
        (String::new(), Vec::new())
    } else {
        (
            diff.unified_diff()
                .context_radius(DIFF_CONTEXT)
                .header(&format!("{rel} ({was})"), &format!("{rel} (now)"))
                .to_string(),
            crate::diff::diff_lines(old_body, draft.body()),
        )
    };
    Ok(Some(ChangesSince {
        basis,
        at: entry.at.clone(),
        revision,
        commit,
        lines_added,
        lines_removed,
        diff: unified,
        lines,
    }))
}

/// Where the version a reviewer saw was found.
enum Seen {
    Revision(i64),
    Commit(CommitId),
}

/// Whether `text` holds the trail entry (its author wrote this version or a later one).
fn holds(text: &str, entry: &TrailEntry) -> bool {
    text.contains(&entry.at) && workflow::trail_of_text(text).contains(entry)
}

/// The version a trail entry's author saw (its body: the entry's own version has the
/// same body, a move never touching it), best source first:
///
/// 1. this computer's revision store, when it saw the move happen: the oldest stored
///    version holding the entry, after a stored version without it;
/// 2. the commit recorded in the entry, from the folder's history;
/// 3. (entries without a commit: written outside git, or over uncommitted edits) the
///    first commit in the draft's history holding the entry;
/// 4. the store's oldest version holding the entry (this computer came later, so later
///    edits may be in it), else its newest version from before the entry's time.
fn version_seen(ws: &Workspace, rel: &str, entry: &TrailEntry) -> Result<Option<(Seen, String)>> {
    let Some(at_ms) = entry.at_ms() else {
        return Ok(None);
    };
    let revisions = ws.history(rel)?; // newest first
    let mut late = None;
    for (i, rev) in revisions
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, r)| r.created_ms >= at_ms - CLOCK_SLACK_MS)
    {
        let text = ws.revision_text(rel, rev.id)?;
        if holds(&text, entry) {
            // An older stored version exists, without the entry: the store saw the move.
            if i + 1 < revisions.len() {
                return Ok(Some((Seen::Revision(rev.id), text)));
            }
            late = Some((Seen::Revision(rev.id), text));
            break;
        }
    }
    if let (Some(earlier), Ok(path)) = (ws.earlier_versions(), WorkspacePath::new(rel)) {
        if let Some(commit) = entry.commit_id() {
            if let Some(text) = earlier.text_at(&commit, &path) {
                return Ok(Some((Seen::Commit(commit), text)));
            }
        }
        if let Some((commit, text)) =
            earlier.first_version(&path, &entry.at, &|text| holds(text, entry))
        {
            return Ok(Some((Seen::Commit(commit), text)));
        }
    }
    if late.is_some() {
        return Ok(late);
    }
    match revisions.iter().find(|r| r.created_ms <= at_ms + 999) {
        Some(rev) => Ok(Some((
            Seen::Revision(rev.id),
            ws.revision_text(rel, rev.id)?,
        ))),
        None => Ok(None),
    }
}

/// One item of the desk's pre-publish checklist.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckId {
    Title,
    HeadlineLength,
    Categories,
    Tags,
    Excerpt,
    FeaturedImage,
    OpenMarks,
    Images,
    /// Present (and failing) only for a conflict copy, which is never published.
    ConflictCopy,
}

/// A check and its outcome, said for the desk.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    pub id: CheckId,
    pub passed: bool,
    pub message: String,
}

fn check(id: CheckId, passed: bool, message: String) -> Check {
    Check {
        id,
        passed,
        message,
    }
}

/// The pre-publish checklist of a draft at `rel` in `folder`.
/// `known_categories` are the portal's (compared ignoring case); `None` checks only that
/// there is a category.
pub fn checklist(
    draft: &Draft,
    folder: &Folder,
    rel: &str,
    known_categories: Option<&[String]>,
) -> Vec<Check> {
    let fm = &draft.front_matter;
    let mut checks = Vec::new();
    if crate::files::is_conflict_copy(rel) {
        checks.push(check(
            CheckId::ConflictCopy,
            false,
            "this is a conflict copy: compare it with its draft and keep one version; \
             a copy is never published"
                .into(),
        ));
    }
    let title = fm.title.as_deref().map(str::trim).unwrap_or("");
    checks.push(if title.is_empty() {
        check(CheckId::Title, false, "no title: set `title`".into())
    } else {
        check(CheckId::Title, true, "title set".into())
    });
    let headline = draft.display_title(&crate::scan::file_title(rel));
    let len = headline.chars().count();
    checks.push(check(
        CheckId::HeadlineLength,
        len <= MAX_HEADLINE_CHARS,
        if len <= MAX_HEADLINE_CHARS {
            format!("headline is {len} characters (at most {MAX_HEADLINE_CHARS})")
        } else {
            format!("headline is {len} characters; shorten it to {MAX_HEADLINE_CHARS} at most")
        },
    ));
    checks.push(categories_check(&fm.categories, known_categories));
    checks.push(match fm.tags.len() {
        0 => check(CheckId::Tags, false, "no tags: add at least one".into()),
        1 => check(CheckId::Tags, true, "1 tag".into()),
        n => check(CheckId::Tags, true, format!("{n} tags")),
    });
    let excerpt = fm.excerpt.as_deref().map(str::trim).unwrap_or("");
    let len = excerpt.chars().count();
    checks.push(match len {
        0 => check(
            CheckId::Excerpt,
            false,
            format!("no excerpt: write a standfirst of at most {MAX_EXCERPT_CHARS} characters"),
        ),
        n if n > MAX_EXCERPT_CHARS => check(
            CheckId::Excerpt,
            false,
            format!("excerpt is {n} characters; shorten it to {MAX_EXCERPT_CHARS} at most"),
        ),
        n => check(
            CheckId::Excerpt,
            true,
            format!("excerpt is {n} characters (at most {MAX_EXCERPT_CHARS})"),
        ),
    });
    let image = fm.featured_image.as_deref().map(str::trim).unwrap_or("");
    let alt = fm
        .featured_image_alt
        .as_deref()
        .map(str::trim)
        .unwrap_or("");
    checks.push(match (image.is_empty(), alt.is_empty()) {
        (true, _) => check(
            CheckId::FeaturedImage,
            false,
            "no featured image: set `featured_image`".into(),
        ),
        (false, true) => check(
            CheckId::FeaturedImage,
            false,
            "the featured image has no alt text: set `featured_image_alt`".into(),
        ),
        (false, false) => check(
            CheckId::FeaturedImage,
            true,
            "featured image with alt text".into(),
        ),
    });
    let open = critic::unresolved(draft.text());
    checks.push(match open.len() {
        0 => check(
            CheckId::OpenMarks,
            true,
            "no open suggestions or comments".into(),
        ),
        n => check(
            CheckId::OpenMarks,
            false,
            format!(
                "{n} open suggestion{} or comment{} (first on line {}): accept or reject them",
                if n == 1 { "" } else { "s" },
                if n == 1 { "" } else { "s" },
                open[0].line
            ),
        ),
    });
    let missing = images::missing_images(draft, folder, folder_of(rel));
    checks.push(if missing.is_empty() {
        check(CheckId::Images, true, "all local images found".into())
    } else {
        check(
            CheckId::Images,
            false,
            missing
                .iter()
                .map(|(line, msg)| format!("line {line}: {msg}"))
                .collect::<Vec<_>>()
                .join("; "),
        )
    });
    checks
}

fn categories_check(categories: &[String], known: Option<&[String]>) -> Check {
    if categories.is_empty() {
        return check(
            CheckId::Categories,
            false,
            "no category: choose at least one".into(),
        );
    }
    let Some(known) = known else {
        return check(
            CheckId::Categories,
            true,
            format!(
                "categories: {} (not checked against the portal's list)",
                categories.join(", ")
            ),
        );
    };
    let unknown: Vec<&str> = categories
        .iter()
        .filter(|c| {
            !known
                .iter()
                .any(|k| k.trim().eq_ignore_ascii_case(c.trim()))
        })
        .map(String::as_str)
        .collect();
    if unknown.is_empty() {
        check(
            CheckId::Categories,
            true,
            format!("categories: {}", categories.join(", ")),
        )
    } else {
        check(
            CheckId::Categories,
            false,
            format!(
                "not a category of the portal: {}; use one of {}",
                unknown.join(", "),
                known.join(", ")
            ),
        )
    }
}

/// A piece waiting for the desk.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct DeskItem {
    pub draft: DraftSummary,
    /// The trail entry that put the piece in its status (the approval), if any.
    pub entered: Option<TrailEntry>,
    pub waiting_since_ms: i64,
    pub checks: Vec<Check>,
    /// Every check passed.
    pub ready: bool,
    pub editing: Option<LockInfo>,
}

/// Drafts in `status` (normally `approved`), oldest approval first, each with its
/// pre-publish checklist.
pub fn desk_queue(
    ws: &Workspace,
    status: Status,
    known_categories: Option<&[String]>,
) -> Result<Vec<DeskItem>> {
    let me = LockOwner::current("");
    let now = time::OffsetDateTime::now_utc();
    let mut items = Vec::new();
    for summary in queued(ws, status)? {
        let Ok((rel, draft)) = ws.parse(&summary.path) else {
            continue;
        };
        let entered = entered(&workflow::trail(&draft), status);
        let checks = checklist(&draft, ws.folder(), &rel, known_categories);
        items.push(DeskItem {
            waiting_since_ms: waiting_since(&entered, &summary),
            ready: checks.iter().all(|c| c.passed),
            editing: lock::who_is_editing(ws.folder(), &ws.draft_path(&rel)?, &me, now),
            draft: summary,
            entered,
            checks,
        });
    }
    items.sort_by(|a, b| {
        (a.waiting_since_ms, &a.draft.path).cmp(&(b.waiting_since_ms, &b.draft.path))
    });
    Ok(items)
}
