//! One sync of a drafts folder that is a git working copy: commit local changes, fetch,
//! merge (drafts through our merge driver), settle what is left as conflict copies,
//! push. A remote that cannot be reached is not a failure of the sync: the work is
//! committed locally and goes out at the next one ([`SyncReport::offline`]).
//!
//! Killed at any point (`kill -9`, a laptop lid), a sync leaves a repository git can
//! use and every word committed or in the working tree: local work is committed before
//! anything else happens; each merge is written down in our marker before git starts
//! it, and the next sync removes the locks git processes of ours left and undoes an
//! unfinished merge file by file, keeping what the reporter saved since
//! ([`crate::marker`], [`crate::recover`]).

use std::path::{Path, PathBuf};

use crate::error::{Result, SyncError};
use crate::git::{Git, classify};
use crate::marker::{self, Marker};
use crate::recover::Journal;
use crate::{settle, setup};

/// Who commits: the user's name and email from the settings; `None` leaves it to git's
/// own configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub name: String,
    pub email: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SyncOptions {
    pub author: Option<Author>,
    /// The program that implements `merge-driver %O %A %B %P` (the `newsroom` CLI, the
    /// app). Without it drafts merge with git's text merge, conflicts still becoming copies.
    pub merge_driver: Option<PathBuf>,
    /// For conflict copies' names.
    pub now: time::OffsetDateTime,
}

/// A draft that two machines changed in the same place: ours stays in the draft,
/// theirs is the copy beside it. Paths are relative to the drafts folder.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConflictCopy {
    pub draft: String,
    pub copy: String,
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SyncReport {
    pub branch: String,
    pub remote: String,
    /// Files of this folder committed by this sync (local changes).
    pub committed: usize,
    /// Files changed here by what came from the remote.
    pub received: usize,
    /// Whether anything was pushed.
    pub pushed: bool,
    /// The remote could not be reached (why): the work is committed here and goes out
    /// at the next sync.
    pub offline: Option<String>,
    /// Commits here not yet on the remote, and there not yet here (as last fetched).
    pub ahead: usize,
    pub behind: usize,
    pub conflicts: Vec<ConflictCopy>,
    /// When the sync finished, in milliseconds since 1970.
    pub synced_ms: i64,
}

/// How many times a push refused because the remote moved on is retried (fetch, merge,
/// push again) before the sync gives up.
const PUSH_ATTEMPTS: usize = 5;

/// The pause before the next attempt: growing, with jitter from the clock and our pid so
/// that machines pushing together do not retry together.
fn retry_pause(attempt: usize) -> std::time::Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let jitter = u64::from((nanos ^ std::process::id()) % 200);
    std::time::Duration::from_millis(100 * attempt as u64 + jitter)
}

/// Syncs the drafts folder `dir` with its branch's upstream.
pub fn sync(dir: &Path, opts: &SyncOptions) -> Result<SyncReport> {
    let repo = Repo::open(dir, opts)?;
    let marker = marker::claim(&repo.git, &repo.git_dir, &repo.folder, opts.now)?;
    setup::ensure_gitignore(&repo.folder)?;
    setup::ensure_attributes(&repo.git)?;
    let committed = repo.commit_local()?;

    let mut report = SyncReport {
        branch: repo.branch.clone(),
        remote: repo.remote.clone(),
        committed,
        received: 0,
        pushed: false,
        offline: None,
        ahead: 0,
        behind: 0,
        conflicts: Vec::new(),
        synced_ms: 0,
    };
    for attempt in 1..=PUSH_ATTEMPTS {
        match repo.fetch() {
            Err(SyncError::Unreachable { detail, .. }) => {
                report.offline = Some(detail);
                break;
            }
            other => other?,
        }
        let (received, conflicts) = repo.merge(opts, &marker)?;
        report.received += received;
        report.conflicts.extend(conflicts);
        match repo.push() {
            Ok(pushed) => {
                report.pushed |= pushed;
                break;
            }
            Err(Push::Unreachable(detail)) => {
                report.offline = Some(detail);
                break;
            }
            Err(Push::Moved(_)) if attempt < PUSH_ATTEMPTS => {
                // Others are pushing now: let them finish, each waiting a different time.
                std::thread::sleep(retry_pause(attempt));
                continue;
            }
            Err(Push::Moved(detail)) => {
                return Err(SyncError::Git {
                    command: "push".into(),
                    stderr: format!("the remote kept moving; sync again ({detail})"),
                });
            }
            Err(Push::Other(e)) => return Err(e),
        }
    }
    (report.ahead, report.behind) = repo.ahead_behind()?;
    report.synced_ms = (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;
    Ok(report)
}

enum Push {
    Unreachable(String),
    /// The remote has commits we have not merged: fetch and merge again.
    Moved(String),
    Other(SyncError),
}

/// The working copy a sync works in (also read, without a sync, by [`crate::status`]).
pub(crate) struct Repo {
    git: Git,
    /// The drafts folder (canonical).
    pub(crate) folder: PathBuf,
    /// The folder inside the repository (`.` when it is the top).
    pub(crate) scope: String,
    pub(crate) git_dir: PathBuf,
    pub(crate) branch: String,
    pub(crate) remote: String,
    /// The branch on the remote (`refs/heads/main`).
    merge_ref: String,
    /// Where the fetched branch is kept here (`refs/remotes/origin/main`).
    upstream: String,
}

impl Repo {
    pub(crate) fn open(dir: &Path, opts: &SyncOptions) -> Result<Repo> {
        let folder = dir.canonicalize().map_err(|e| SyncError::io(dir, e))?;
        let top = Git::new(&folder)
            .try_run(&["rev-parse", "--show-toplevel"])?
            .ok_or_else(|| SyncError::NotARepository {
                dir: folder.clone(),
            })?;
        let top = PathBuf::from(top)
            .canonicalize()
            .map_err(|e| SyncError::io(&folder, e))?;
        let scope = match folder.strip_prefix(&top) {
            Ok(rel) if rel.as_os_str().is_empty() => ".".to_owned(),
            Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
            Err(_) => ".".to_owned(),
        };
        let mut git = Git::new(&top).with_config("core.quotePath", "false");
        if let Some(author) = &opts.author {
            let email = match &author.email {
                Some(e) => e.clone(),
                None => git.try_run(&["config", "user.email"])?.unwrap_or_default(),
            };
            git = git
                .with_config("user.name", &author.name)
                .with_config("user.email", &email);
        }
        if let Some(exe) = &opts.merge_driver {
            git = git
                .with_config(
                    "merge.newsroom.name",
                    "Newsroom: drafts merged the way a desk would",
                )
                .with_config("merge.newsroom.driver", &crate::driver::driver_command(exe));
        }
        let git_dir = PathBuf::from(git.run(&["rev-parse", "--absolute-git-dir"])?.trim());
        let branch = git
            .try_run(&["symbolic-ref", "--quiet", "--short", "HEAD"])?
            .ok_or_else(|| SyncError::Detached {
                dir: folder.clone(),
            })?;
        let config = |key: String| git.try_run(&["config", &key]);
        let (remote, merge_ref) = match (
            config(format!("branch.{branch}.remote"))?,
            config(format!("branch.{branch}.merge"))?,
        ) {
            (Some(remote), Some(merge_ref)) => (remote, merge_ref),
            // No upstream yet (a folder that was `git init`ed and given a remote): the
            // only remote's branch of the same name, which the first push makes the
            // upstream. With no remote or several, the user says which.
            _ => {
                let remotes = git.run(&["remote"])?;
                let remotes: Vec<&str> = remotes.lines().filter(|l| !l.is_empty()).collect();
                match remotes.as_slice() {
                    [only] => ((*only).to_owned(), format!("refs/heads/{branch}")),
                    _ => {
                        return Err(SyncError::NoUpstream {
                            branch,
                            dir: folder,
                        });
                    }
                }
            }
        };
        let upstream = if remote == "." {
            merge_ref.clone()
        } else {
            format!(
                "refs/remotes/{remote}/{}",
                merge_ref.strip_prefix("refs/heads/").unwrap_or(&merge_ref)
            )
        };
        Ok(Repo {
            git,
            folder,
            scope,
            git_dir,
            branch,
            remote,
            merge_ref,
            upstream,
        })
    }

    /// Commits every change in the folder; how many files it committed.
    fn commit_local(&self) -> Result<usize> {
        self.git.run(&["add", "--all", "--", &self.scope])?;
        // Everything staged, in the folder or not (both names of a move).
        let names = self
            .git
            .run(&["diff", "--cached", "--name-only", "--no-renames", "-z"])?;
        let staged: Vec<&str> = names.split('\0').filter(|n| !n.is_empty()).collect();
        let files: Vec<&str> = staged.iter().copied().filter(|n| self.holds(n)).collect();
        if files.is_empty() {
            return Ok(0);
        }
        let mut message = format!(
            "Newsroom sync: {} file{}\n\n",
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        );
        for f in files.iter().take(50) {
            message.push_str(f);
            message.push('\n');
        }
        if files.len() > 50 {
            message.push_str(&format!("… and {} more\n", files.len() - 50));
        }
        // `commit -- PATHS` builds a second index of every file the paths match (a third
        // of a second with 10,000 drafts, most of a one-draft sync's own cost): it is
        // needed only when something outside the folder is staged, which must stay so.
        if files.len() == staged.len() {
            self.git.run(&["commit", "--quiet", "-m", &message])?;
        } else {
            self.git
                .run(&["commit", "--quiet", "-m", &message, "--", &self.scope])?;
        }
        Ok(files.len())
    }

    /// Whether a repository path lies in the drafts folder.
    fn holds(&self, path: &str) -> bool {
        self.scope == "."
            || path
                .strip_prefix(self.scope.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }

    fn fetch(&self) -> Result<()> {
        if self.remote == "." {
            return Ok(());
        }
        self.git
            .run_remote(
                &self.remote,
                &["fetch", "--quiet", "--no-tags", &self.remote],
            )
            .map(drop)
    }

    fn rev(&self, name: &str) -> Result<Option<String>> {
        self.git.try_run(&[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{name}^{{commit}}"),
        ])
    }

    /// Merges the fetched branch; how many files it changed here, and the conflict copies.
    fn merge(&self, opts: &SyncOptions, marker: &Marker) -> Result<(usize, Vec<ConflictCopy>)> {
        let Some(theirs) = self.rev(&self.upstream)? else {
            return Ok((0, Vec::new())); // nothing on the remote yet
        };
        let head = self.rev("HEAD")?;
        if let Some(head) = &head {
            let contained = self
                .git
                .output(&["merge-base", "--is-ancestor", &theirs, head])?;
            if contained.status.success() {
                return Ok((0, Vec::new()));
            }
        }
        // Git rewrites files one by one, none atomically: a sync killed now is undone by
        // the next from this note ([`crate::recover`]).
        marker.merging(&Journal {
            ours: head.clone(),
            theirs: theirs.clone(),
            driver: opts.merge_driver.is_some(),
        })?;
        // `--ff` explicitly: a user's `merge.ff = only` must not stop a sync that diverged.
        // A clean merge commits itself (a separate `add` and `commit` cost a tenth of a
        // second more with 10,000 drafts); one that stopped on conflicts is settled, then
        // committed below.
        let out = match head {
            None => self
                .git
                .output(&["merge", "--ff-only", "--quiet", &theirs])?,
            Some(_) => self.git.output(&["merge", "--no-edit", "--ff", &theirs])?,
        };
        let unmerged = settle::unmerged(&self.git)?;
        let in_merge = self.git_dir.join("MERGE_HEAD").exists();
        if !out.status.success() && unmerged.is_empty() && !in_merge {
            return Err(classify(
                "merge",
                &String::from_utf8_lossy(&out.stderr),
                &self.remote,
            ));
        }
        let conflicts = settle::settle(&self.git, &unmerged, opts.now)?;
        if in_merge {
            let mut paths: Vec<&str> = vec!["--all", "--", &self.scope];
            for (path, _) in &unmerged {
                paths.push(path);
            }
            for c in &conflicts {
                paths.push(&c.1);
            }
            let mut args = vec!["add"];
            args.extend(paths);
            self.git.run(&args)?;
            self.git.run(&["commit", "--quiet", "--no-edit"])?;
        }
        let received = match &head {
            Some(h) => self.git.run(&["diff", "--name-only", "-z", h, "HEAD"])?,
            None => self.git.run(&["ls-files", "-z"])?,
        };
        let received = received.split('\0').filter(|n| !n.is_empty()).count();
        let conflicts = conflicts
            .into_iter()
            .map(|(draft, copy)| ConflictCopy {
                draft: self.in_folder(&draft),
                copy: self.in_folder(&copy),
            })
            .collect();
        Ok((received, conflicts))
    }

    /// A repository path as a path in the drafts folder.
    fn in_folder(&self, path: &str) -> String {
        if self.scope == "." {
            return path.to_owned();
        }
        path.strip_prefix(&format!("{}/", self.scope))
            .unwrap_or(path)
            .to_owned()
    }

    /// Pushes when there is something to push; `Ok(false)` when there was not.
    fn push(&self) -> Result<bool, Push> {
        if self.remote == "." {
            return Ok(false);
        }
        let head = self.rev("HEAD").map_err(Push::Other)?;
        let Some(head) = head else {
            return Ok(false);
        };
        if let Some(theirs) = self.rev(&self.upstream).map_err(Push::Other)? {
            if theirs == head {
                return Ok(false);
            }
        }
        let refspec = format!("HEAD:{}", self.merge_ref);
        let out = self
            .git
            .output(&["push", "--quiet", &self.remote, &refspec])
            .map_err(Push::Other)?;
        if out.status.success() {
            // Keep the remote-tracking branch in step for ahead/behind without a fetch.
            let _ = self.git.output(&["update-ref", &self.upstream, &head]);
            self.remember_upstream().map_err(Push::Other)?;
            return Ok(true);
        }
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        // Refused because the remote moved: before the push (non-fast-forward), or
        // during it, another push taking the branch first (the server's ref lock).
        if stderr.contains("[rejected]")
            || stderr.contains("non-fast-forward")
            || stderr.contains("fetch first")
            || stderr.contains("cannot lock ref")
            || stderr.contains("failed to update ref")
        {
            return Err(Push::Moved(stderr.trim().to_owned()));
        }
        match classify("push", &stderr, &self.remote) {
            SyncError::Unreachable { detail, .. } => Err(Push::Unreachable(detail)),
            e => Err(Push::Other(e)),
        }
    }

    /// Makes the branch we pushed to the upstream, when none was set (as `push -u`).
    fn remember_upstream(&self) -> Result<()> {
        let key = format!("branch.{}.merge", self.branch);
        if self.git.try_run(&["config", &key])?.is_none() {
            let remote_key = format!("branch.{}.remote", self.branch);
            self.git.run(&["config", &remote_key, &self.remote])?;
            self.git.run(&["config", &key, &self.merge_ref])?;
        }
        Ok(())
    }

    pub(crate) fn ahead_behind(&self) -> Result<(usize, usize)> {
        let Some(_) = self.rev("HEAD")? else {
            return Ok((0, 0));
        };
        let range = match self.rev(&self.upstream)? {
            Some(_) => format!("HEAD...{}", self.upstream),
            None => "HEAD".to_owned(),
        };
        let counts = self
            .git
            .run(&["rev-list", "--left-right", "--count", &range])?;
        let mut it = counts.split_whitespace().map(|n| n.parse().unwrap_or(0));
        Ok((it.next().unwrap_or(0), it.next().unwrap_or(0)))
    }
}
