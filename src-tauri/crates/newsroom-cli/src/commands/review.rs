//! Subcommands of the review workflow: submit, approve, request-changes, transition,
//! queue, marks, accept, reject.
//!
//! Who is acting comes from `--as NAME` (else `$NEWSROOM_USER`, else `$NEWSROOM_AUTHOR`,
//! else the name set in the app's Settings) and `--role` (else `$NEWSROOM_ROLE`, else the
//! Settings' role, reporter unless set). Each move is written to the draft's `review:` trail.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgGroup, Args};
use newsroom_core::critic::{self, Mark, MarkKind};
use newsroom_core::front_matter::Status;
use newsroom_core::review::queue::{self, ChangesSince, DiffBasis};
use newsroom_core::review::workflow::{self, Actor, Role, TrailEntry};
use newsroom_core::settings::SettingsFile;
use newsroom_core::{CoreError, Result};

use crate::commands::drafts::column;
use crate::context::Context;
use crate::values::{CoreValue, RoleArg, StatusArg};

/// Who is acting, for the trail.
#[derive(Args, Clone)]
pub struct Who {
    /// Your name in the review trail (default: $NEWSROOM_USER, else $NEWSROOM_AUTHOR,
    /// else the name in the app's Settings).
    #[arg(long = "as", value_name = "NAME")]
    pub name: Option<String>,
    /// Your role (default: $NEWSROOM_ROLE, else the app's Settings, else reporter).
    #[arg(long, value_parser = CoreValue::<RoleArg>::new())]
    pub role: Option<RoleArg>,
}

fn env(key: &str) -> Option<String> {
    std::env::var(key)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

impl Who {
    fn name(&self) -> Option<String> {
        self.name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .or_else(|| env("NEWSROOM_USER"))
            .or_else(|| env("NEWSROOM_AUTHOR"))
            .or_else(crate::commands::config::settings_name)
    }

    fn role(&self) -> Result<Role> {
        match (self.role, env("NEWSROOM_ROLE")) {
            (Some(role), _) => Ok(role.0),
            (None, Some(r)) => r
                .parse()
                .map_err(|e: String| CoreError::InvalidArgument(format!("NEWSROOM_ROLE: {e}"))),
            (None, None) => Ok(SettingsFile::shared().load().role),
        }
    }

    fn actor(&self) -> Result<Actor> {
        let name = self.name().ok_or_else(|| {
            CoreError::InvalidArgument(
                "who is this? pass --as NAME, set NEWSROOM_USER, or set your name in the app's Settings (the name goes into the review trail)"
                    .into(),
            )
        })?;
        Ok(Actor {
            name,
            role: self.role()?,
        })
    }
}

#[derive(Args)]
pub struct MoveArgs {
    /// The draft.
    pub file: PathBuf,
    /// A note for the trail (and for whoever is next).
    #[arg(long)]
    pub note: Option<String>,
    #[command(flatten)]
    pub who: Who,
}

#[derive(Args)]
pub struct RequestChangesArgs {
    /// The draft.
    pub file: PathBuf,
    /// What should change.
    #[arg(long, required = true)]
    pub note: String,
    #[command(flatten)]
    pub who: Who,
}

#[derive(Args)]
pub struct TransitionArgs {
    /// The draft.
    pub file: PathBuf,
    /// The status to move to; without it, list the moves your role is offered.
    #[arg(long, value_parser = CoreValue::<StatusArg>::new())]
    pub to: Option<StatusArg>,
    /// A note for the trail (and for whoever is next).
    #[arg(long)]
    pub note: Option<String>,
    #[command(flatten)]
    pub who: Who,
}

pub fn submit(ctx: &Context, a: MoveArgs) -> Result<ExitCode> {
    move_to(ctx, &a.file, &a.who, Status::InReview, a.note.as_deref())
}

pub fn approve(ctx: &Context, a: MoveArgs) -> Result<ExitCode> {
    move_to(ctx, &a.file, &a.who, Status::Approved, a.note.as_deref())
}

pub fn request_changes(ctx: &Context, a: RequestChangesArgs) -> Result<ExitCode> {
    if a.note.trim().is_empty() {
        return Err(CoreError::InvalidArgument(
            "--note must say what should change".into(),
        ));
    }
    move_to(
        ctx,
        &a.file,
        &a.who,
        Status::ChangesRequested,
        Some(&a.note),
    )
}

pub fn transition(ctx: &Context, a: TransitionArgs) -> Result<ExitCode> {
    match a.to {
        Some(to) => move_to(ctx, &a.file, &a.who, to.0, a.note.as_deref()),
        None => {
            let (ws, rel) = ctx.open_for(&a.file)?;
            let (_, draft) = ws.parse(&rel)?;
            let role = a.who.role()?;
            let status = draft.front_matter.status;
            let offered = workflow::moves_for_draft(role, status, &rel);
            outln!("{}: {status}", a.file.display());
            for t in &offered {
                outln!("  --to {:<18} {}", t.to.as_str(), t.action.label());
            }
            if newsroom_core::conflict::is_conflict_copy(&rel) {
                eprintln!("{}", workflow::conflict_copy_refusal(&rel));
            } else if offered.is_empty() {
                eprintln!("nothing a {role} can do with a piece that is {status}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn move_to(
    ctx: &Context,
    file: &std::path::Path,
    who: &Who,
    to: Status,
    note: Option<&str>,
) -> Result<ExitCode> {
    let actor = who.actor()?;
    let (mut ws, rel) = ctx.open_for(file)?;
    let out = workflow::apply_transition(
        &mut ws,
        &rel,
        &actor,
        to,
        note,
        time::OffsetDateTime::now_utc(),
    )?;
    eprintln!(
        "{}: {} → {} ({} by {})",
        file.display(),
        out.entry.from,
        out.entry.to,
        workflow::transition(out.entry.from, out.entry.to).map_or("moved", |t| t.action.done()),
        out.entry.by
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct QueueArgs {
    /// Which status to list (default: in-review; approved with --desk).
    #[arg(long, value_parser = CoreValue::<StatusArg>::new())]
    pub status: Option<StatusArg>,
    /// The desk's queue: approved pieces with the pre-publish checklist.
    #[arg(long)]
    pub desk: bool,
    /// The portal's categories, comma-separated, for the checklist.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub categories: Option<Vec<String>>,
    /// Print what changed since your last review as a diff.
    #[arg(long)]
    pub diff: bool,
    /// One JSON array, for scripts.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub who: Who,
}

pub fn queue(ctx: &Context, a: QueueArgs) -> Result<ExitCode> {
    let ws = ctx.open()?;
    if a.desk {
        let status = a.status.map_or(Status::Approved, |s| s.0);
        let items = queue::desk_queue(&ws, status, a.categories.as_deref())?;
        if a.json {
            crate::output::json(&items);
            return Ok(ExitCode::SUCCESS);
        }
        for item in &items {
            let failed = item.checks.iter().filter(|c| !c.passed).count();
            let verdict = match failed {
                0 => "ready".to_owned(),
                1 => "1 problem".to_owned(),
                n => format!("{n} problems"),
            };
            outln!(
                "{:<10} {:<48} {}  [{verdict}]",
                status.as_str(),
                column(&item.draft.title, 48),
                item.draft.path
            );
            if let Some(e) = &item.entered {
                outln!("           {}", entered_line(e));
            }
            if let Some(lock) = &item.editing {
                outln!("           being edited by {} on {}", lock.name, lock.host);
            }
            for c in &item.checks {
                outln!(
                    "           {} {}",
                    if c.passed { "ok  " } else { "FAIL" },
                    c.message
                );
            }
        }
        if items.is_empty() {
            eprintln!("nothing {status} waits for the desk");
        }
        return Ok(ExitCode::SUCCESS);
    }

    let status = a.status.map_or(Status::InReview, |s| s.0);
    let reviewer = a.who.name();
    let items = queue::review_queue(&ws, status, reviewer.as_deref())?;
    if a.json {
        crate::output::json(&items);
        return Ok(ExitCode::SUCCESS);
    }
    for item in &items {
        outln!(
            "{:<10} {:<48} {}",
            status.as_str(),
            column(&item.draft.title, 48),
            item.draft.path
        );
        let mut details = Vec::new();
        if let Some(e) = &item.entered {
            details.push(entered_line(e));
        }
        if item.open_marks > 0 {
            details.push(format!(
                "{} open suggestion{}/comment{}",
                item.open_marks,
                plural(item.open_marks),
                plural(item.open_marks)
            ));
        }
        if let Some(lock) = &item.editing {
            details.push(format!("being edited by {} on {}", lock.name, lock.host));
        }
        for d in details {
            outln!("           {d}");
        }
        if let Some(changes) = &item.changes {
            outln!("           {}", changes_line(changes));
            if a.diff && !changes.diff.is_empty() {
                for line in changes.diff.lines() {
                    outln!("           | {line}");
                }
            }
        }
    }
    if items.is_empty() {
        eprintln!("no drafts are {status}");
    }
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn entered_line(e: &TrailEntry) -> String {
    let what = workflow::transition(e.from, e.to).map_or("moved", |t| t.action.done());
    let mut line = format!("{what} by {} at {}", e.by, e.at);
    if let Some(note) = &e.note {
        line.push_str(&format!(": “{note}”"));
    }
    line
}

fn changes_line(c: &ChangesSince) -> String {
    let since = match c.basis {
        DiffBasis::YourReview => "your last review",
        DiffBasis::Submission => "the submission",
    };
    if c.lines_added + c.lines_removed == 0 {
        format!("unchanged since {since} ({})", c.at)
    } else {
        format!(
            "since {since} ({}): +{} −{} lines",
            c.at, c.lines_added, c.lines_removed
        )
    }
}

#[derive(Args)]
pub struct MarksArgs {
    /// The draft (any Markdown file will do).
    pub file: PathBuf,
    /// One JSON array, for scripts.
    #[arg(long)]
    pub json: bool,
}

/// Lists the open suggestions and comments of a draft (any Markdown file will do).
pub fn marks(_ctx: &Context, a: MarksArgs) -> Result<ExitCode> {
    let text = newsroom_core::files::read_draft_text(&a.file)?;
    let marks = critic::marks(&text);
    if a.json {
        crate::output::json(&marks);
        return Ok(ExitCode::SUCCESS);
    }
    for m in &marks {
        outln!("{}", mark_line(m));
    }
    if marks.is_empty() {
        eprintln!("{}: no open suggestions or comments", a.file.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn mark_line(m: &Mark) -> String {
    let what = match m.kind {
        MarkKind::Insertion => format!("insert “{}”", one_line(&m.text)),
        MarkKind::Deletion => format!("delete “{}”", one_line(&m.text)),
        MarkKind::Substitution => format!(
            "replace “{}” with “{}”",
            one_line(&m.text),
            one_line(m.new_text.as_deref().unwrap_or(""))
        ),
        MarkKind::Highlight => format!("highlight “{}”", one_line(&m.text)),
        MarkKind::Comment => format!("comment “{}”", one_line(&m.text)),
    };
    let mut line = format!(
        "{:<16} line {:<5} {:<4} {what}",
        m.id,
        m.line,
        m.author.as_deref().unwrap_or("")
    );
    if let Some(c) = m.comment.as_deref().filter(|c| !c.is_empty()) {
        line.push_str(&format!(" — {}", one_line(c)));
    }
    line
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Args)]
#[command(group(ArgGroup::new("which").required(true).args(["all", "id"])))]
pub struct ResolveArgs {
    /// The draft.
    pub file: PathBuf,
    /// Every mark of the draft.
    #[arg(long)]
    pub all: bool,
    /// One mark, by the id `newsroom marks` shows (it stays the same while other marks
    /// are resolved).
    #[arg(long)]
    pub id: Option<String>,
}

pub fn accept(ctx: &Context, a: ResolveArgs) -> Result<ExitCode> {
    resolve(ctx, a, true)
}

pub fn reject(ctx: &Context, a: ResolveArgs) -> Result<ExitCode> {
    resolve(ctx, a, false)
}

fn resolve(ctx: &Context, a: ResolveArgs, accept: bool) -> Result<ExitCode> {
    let (mut ws, rel) = ctx.open_for(&a.file)?;
    let opened = ws.read(&rel)?;
    let all = critic::marks(&opened.text);
    let verb = if accept { "accepted" } else { "rejected" };
    if a.id.is_none() && all.is_empty() {
        eprintln!("{}: no open suggestions or comments", a.file.display());
        return Ok(ExitCode::SUCCESS);
    }
    let (new_text, what) = match a.id.as_deref() {
        Some(id) => {
            let m = critic::mark(&opened.text, id)?;
            let text = if accept {
                critic::accept(&opened.text, id)?
            } else {
                critic::reject(&opened.text, id)?
            };
            (
                text,
                format!("{verb} {} {} on line {}", m.kind.label(), m.id, m.line),
            )
        }
        None => {
            let text = if accept {
                critic::accept_all(&opened.text)
            } else {
                critic::reject_all(&opened.text)
            };
            (
                text,
                format!("{verb} {} mark{}", all.len(), plural(all.len())),
            )
        }
    };
    ws.save(&rel, &new_text, Some(&opened.hash))?
        .into_result(ws.root())?;
    eprintln!("{}: {what}", a.file.display());
    Ok(ExitCode::SUCCESS)
}
