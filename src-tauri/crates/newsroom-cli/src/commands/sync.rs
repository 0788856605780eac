//! `newsroom sync`: the drafts folder synced through its git remote, and
//! `newsroom sync clone URL DIR`. The engine is the system's git (`newsroom-sync`); this
//! module only reads the arguments and says what happened.
//!
//! Exit status: 0 synced (conflicts included: listed, each draft with its conflict copy),
//! 75 the remote could not be reached (the work is committed here and goes out at the
//! next sync), 1 any other error, with what to do.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use newsroom_sync::driver::{self, DriverOutcome};
use newsroom_sync::{Author, SyncError, SyncOptions, SyncReport};

use crate::context::Context;

/// `EX_TEMPFAIL`: try again later. The same code as a publish queued offline.
const OFFLINE: u8 = 75;

#[derive(Args)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub action: Option<SyncAction>,
    /// Print one JSON document: what was committed, received and pushed, the conflicts.
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum SyncAction {
    /// Clone a remote into a new drafts folder (with git itself; its credentials apply).
    #[command(after_help = "Examples:
  newsroom sync clone git@git.example.org:desk/drafts.git ~/drafts
  newsroom sync clone https://gitlab.example.org/desk/drafts.git drafts")]
    Clone {
        /// The remote: anything `git clone` takes (ssh, https, a path).
        url: String,
        /// The new drafts folder.
        #[arg(value_hint = clap::ValueHint::DirPath)]
        dir: PathBuf,
    },
}

/// `newsroom merge-driver %O %A %B %P`: what git runs for each draft changed on both
/// sides during a sync's merge. Not for people.
#[derive(Args)]
pub struct MergeDriverArgs {
    /// The common base (`%O`).
    pub base: PathBuf,
    /// Ours (`%A`): the merged text is written here.
    pub ours: PathBuf,
    /// Theirs (`%B`).
    pub theirs: PathBuf,
    /// The draft's path in the repository (`%P`), for messages.
    pub path: Option<String>,
}

pub fn sync(ctx: &Context, a: SyncArgs) -> ExitCode {
    match a.action {
        Some(SyncAction::Clone { url, dir }) => clone(&url, &dir, a.json),
        None => run(ctx.dir(), a.json),
    }
}

/// Who commits: `$NEWSROOM_USER` (else `$NEWSROOM_AUTHOR`, else the name set in the app's
/// Settings) and `$NEWSROOM_EMAIL` (else the Settings' email), the names the review trail
/// uses; no name anywhere, git's own `user.name`/`user.email`.
fn author() -> Option<Author> {
    let env = |k: &str| {
        std::env::var(k)
            .ok()
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let settings = newsroom_core::settings::SettingsFile::shared().load();
    let name = env("NEWSROOM_USER")
        .or_else(|| env("NEWSROOM_AUTHOR"))
        .or_else(|| Some(settings.user_name.trim().to_owned()).filter(|n| !n.is_empty()))?;
    Some(Author {
        name,
        email: env("NEWSROOM_EMAIL")
            .or_else(|| Some(settings.user_email.trim().to_owned()).filter(|e| !e.is_empty())),
    })
}

fn run(dir: &Path, json: bool) -> ExitCode {
    let opts = SyncOptions {
        author: author(),
        merge_driver: std::env::current_exe().ok(),
        // UTC, as the app names its conflict copies.
        now: time::OffsetDateTime::now_utc(),
    };
    let result = newsroom_sync::sync(dir, &opts);
    let code = match &result {
        Ok(report) => {
            say(report);
            if json {
                crate::output::json(report);
            }
            if report.offline.is_some() {
                ExitCode::from(OFFLINE)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => fail(e, json),
    };
    // The app's status bar reads it: "synced 2 min ago" after a sync from here too.
    newsroom_api::sync::keep_last_sync(dir, result);
    code
}

/// The human summary, on stderr (stdout is for `--json`), one line per conflict.
fn say(r: &SyncReport) {
    for c in &r.conflicts {
        eprintln!(
            "newsroom: conflict: {} was changed here and on the remote in the same place; yours stays in it, theirs is {}",
            c.draft, c.copy
        );
    }
    match &r.offline {
        Some(why) => eprintln!(
            "newsroom: {} cannot be reached ({why}); {} commit(s) wait here and go out at the next sync",
            r.remote, r.ahead
        ),
        None => eprintln!(
            "newsroom: synced {} with {}: {} file(s) sent, {} received{}",
            r.branch,
            r.remote,
            r.committed,
            r.received,
            match r.conflicts.len() {
                0 => String::new(),
                n => format!(", {n} conflict(s) kept as copies"),
            }
        ),
    }
}

fn clone(url: &str, dir: &Path, json: bool) -> ExitCode {
    match newsroom_sync::setup::clone(url, dir) {
        Ok(()) => {
            eprintln!("newsroom: cloned {url} into {}", dir.display());
            if json {
                crate::output::json(&serde_json::json!({"url": url, "dir": dir}));
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e, json),
    }
}

fn fail(e: &SyncError, json: bool) -> ExitCode {
    eprintln!("newsroom: {e}");
    if json {
        crate::output::json(
            &serde_json::json!({"error": {"code": e.code(), "message": e.to_string()}}),
        );
    }
    if matches!(e, SyncError::Unreachable { .. }) {
        ExitCode::from(OFFLINE)
    } else {
        ExitCode::FAILURE
    }
}

/// Git's merge driver: 0 merged (written over `%A`), 1 a true conflict (`%A` untouched).
pub fn merge_driver(a: MergeDriverArgs) -> ExitCode {
    let name = a.path.as_deref().unwrap_or("the draft");
    match driver::run(&a.base, &a.ours, &a.theirs) {
        Ok(DriverOutcome::Merged) => ExitCode::SUCCESS,
        Ok(DriverOutcome::Conflict { why }) => {
            eprintln!("newsroom: {name}: {why}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("newsroom: {name}: {e}");
            ExitCode::FAILURE
        }
    }
}
