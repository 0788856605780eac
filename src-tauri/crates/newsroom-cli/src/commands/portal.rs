//! Subcommands that talk to the portal: `portal add|list|remove|test`, `publish`,
//! `outbox` and `pull`. All of them are thin: the work is in `newsroom-publish`.
//!
//! Exit codes: 0 done, 1 error (printed as `newsroom: error[CODE]: message`), 75 the
//! portal could not be reached and the publish waits in the outbox.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use newsroom_publish::profile::{self, PasswordLocation, Portal, Profiles, Secret};
use newsroom_publish::profile_admin::{self, SystemPasswords};
use newsroom_publish::{
    Progress, PublishError, PublishOutcome, PublishRequest, Publisher, outbox, portal, pull,
};

use crate::context::Context;
use crate::values::{CoreValue, PostStatusArg};

/// Exit code when the publish was queued in the outbox (EX_TEMPFAIL).
const QUEUED: u8 = 75;

#[derive(Args)]
pub struct PortalArgs {
    #[command(subcommand)]
    pub command: PortalCommand,
}

#[derive(Subcommand)]
pub enum PortalCommand {
    /// Add a portal; the application password is asked for without echo on a terminal, read
    /// from stdin when piped, or taken from NEWSROOM_PORTAL_PASSWORD (when NEWSROOM_PORTAL
    /// is unset or names this portal).
    #[command(after_help = "Examples:
  newsroom portal add main --url https://news.example.org --user ana
  pass show wp/main | newsroom portal add main --url https://news.example.org --user ana")]
    Add {
        /// A short name for the portal (`main`, `staging`).
        name: String,
        /// The site's address, like https://news.example.org
        #[arg(long)]
        url: String,
        /// The WordPress user name (or e-mail).
        #[arg(long)]
        user: String,
    },
    /// List the portals (never their passwords).
    #[command(after_help = "Example:\n  newsroom portal list --json")]
    List {
        /// One JSON array, for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Remove a portal and its stored password.
    #[command(after_help = "Example:\n  newsroom portal remove staging")]
    Remove {
        /// The portal's name.
        name: String,
    },
    /// Check a portal: reachable, logged in, what this user may publish, its categories.
    #[command(after_help = "Examples:\n  newsroom portal test\n  newsroom portal test main --json")]
    Test {
        /// The portal (default: the default one).
        name: Option<String>,
        /// One JSON document, for scripts.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct PublishArgs {
    /// The draft.
    pub file: PathBuf,
    /// The portal (default: the default one).
    #[arg(long)]
    pub portal: Option<String>,
    /// The post's status on the portal (default: from the draft's status and publish_at).
    #[arg(long, value_parser = CoreValue::<PostStatusArg>::new())]
    pub status: Option<PostStatusArg>,
    /// Replace changes made on the portal since the last publish.
    #[arg(long)]
    pub overwrite: bool,
    /// Publish as a new post, whatever post the draft names (it was deleted on the portal,
    /// or the draft claims a post it cannot be shown to own).
    #[arg(long)]
    pub republish_new: bool,
    /// Only say what the publish would do ("updates post N, «title»"), with reads only.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct OutboxArgs {
    /// Try every waiting publish now.
    #[arg(long)]
    pub run: bool,
    /// Give up a waiting publish (by its key).
    #[arg(long, value_name = "KEY")]
    pub cancel: Option<String>,
    /// One JSON array: the waiting publishes, or with --run what became of each.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct PullArgs {
    /// The portal.
    pub portal: String,
    /// The post's id on the portal.
    pub post_id: u64,
    /// Subfolder of the drafts folder for the new draft.
    #[arg(long, default_value = "")]
    pub folder: String,
}

fn fail(e: &PublishError) -> ExitCode {
    eprintln!("newsroom: error[{}]: {e}", e.code());
    ExitCode::FAILURE
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn progress_to_stderr() -> newsroom_publish::ProgressFn {
    Arc::new(|p: &Progress| {
        if !matches!(p, Progress::Done { .. }) {
            eprintln!("newsroom: {p}");
        }
    })
}

pub fn portal(a: PortalArgs) -> ExitCode {
    match run_portal(a) {
        Ok(code) => code,
        Err(e) => fail(&e),
    }
}

fn run_portal(a: PortalArgs) -> newsroom_publish::Result<ExitCode> {
    match a.command {
        PortalCommand::Add { name, url, user } => {
            let mut profiles = Profiles::load()?;
            let portal = Portal { name, url, user };
            // refuse a bad name or address before asking for the password
            profiles.clone().add(portal.clone())?;
            let password = read_password(&portal.name)?;
            let saved = profile_admin::add(&mut profiles, &SystemPasswords, portal, &password)?;
            let portal = saved.portal;
            let name = &portal.name;
            match saved.password_location {
                None | Some(PasswordLocation::Keyring) => {
                    eprintln!("newsroom: password stored in the system keyring")
                }
                Some(PasswordLocation::File { path }) => eprintln!(
                    "newsroom: warning: no system keyring here; the password is in {} (readable only by you)",
                    path.display()
                ),
            }
            outln!("{name}\t{}\t{}", portal.url, portal.user);
            eprintln!("newsroom: check it with `newsroom portal test {name}`");
            Ok(ExitCode::SUCCESS)
        }
        PortalCommand::List { json } => {
            let profiles = Profiles::load()?;
            if json {
                crate::output::json(&profiles.portals);
            } else {
                for p in &profiles.portals {
                    let mark = if profiles.default.as_deref() == Some(p.name.as_str()) {
                        " (default)"
                    } else {
                        ""
                    };
                    outln!("{}\t{}\t{}{mark}", p.name, p.url, p.user);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        PortalCommand::Remove { name } => {
            let mut profiles = Profiles::load()?;
            profile_admin::remove(&mut profiles, &SystemPasswords, &name)?;
            eprintln!("newsroom: removed portal {name}");
            Ok(ExitCode::SUCCESS)
        }
        PortalCommand::Test { name, json } => {
            let creds = profile::credentials(name.as_deref())?;
            let store = newsroom_publish::Store::open(&newsroom_publish::Store::default_path())?;
            let report =
                runtime().block_on(portal::test(&creds, Some(&store), Default::default()))?;
            if json {
                crate::output::json(&report);
                return Ok(ExitCode::SUCCESS);
            }
            outln!("portal:      {} ({})", report.portal, report.url);
            if let Some(site) = &report.site_name {
                outln!("site:        {site}");
            }
            outln!(
                "reachable:   yes{}",
                if report.query_routes {
                    " (REST API at ?rest_route=: pretty permalinks are off)"
                } else {
                    ""
                }
            );
            outln!(
                "logged in:   {} ({}, {})",
                report.user.name,
                report.user.login,
                report.user.role()
            );
            outln!("may set:     {}", report.allowed_statuses.join(", "));
            outln!(
                "images:      {}",
                if report.can_upload {
                    "may upload"
                } else {
                    "may NOT upload images"
                }
            );
            outln!(
                "bylines:     {}",
                if report.can_set_author {
                    "may publish under other authors' names"
                } else {
                    "own name only"
                }
            );
            let cats: Vec<&str> = report.categories.iter().map(|c| c.name.as_str()).collect();
            outln!("categories:  {}", cats.join(", "));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn read_password(name: &str) -> newsroom_publish::Result<Secret> {
    if let Some(p) = profile::env_password(name, true) {
        return Ok(p);
    }
    let stdin = std::io::stdin();
    let reading =
        |e: std::io::Error| PublishError::InvalidArgument(format!("reading the password: {e}"));
    let line = if stdin.is_terminal() {
        // Without echo: the password is not left on the screen or in a recording.
        rpassword::prompt_password(
            "application password (WordPress: Users → Profile → Application Passwords): ",
        )
        .map_err(reading)?
    } else {
        let mut all = String::new();
        stdin.lock().read_to_string(&mut all).map_err(reading)?;
        all
    };
    let password = Secret::new(line.lines().next().unwrap_or("").to_owned());
    if password.expose().is_empty() {
        return Err(PublishError::InvalidArgument(
            "no password given: type it when asked, pipe it on stdin, or set NEWSROOM_PORTAL_PASSWORD".into(),
        ));
    }
    Ok(password)
}

pub fn publish(ctx: &Context, a: PublishArgs) -> ExitCode {
    let (ws, rel) = match ctx.open_for(&a.file) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("newsroom: {e}");
            return ExitCode::FAILURE;
        }
    };
    let root = ws.root().to_path_buf();
    // The folder opened once: the publish's result is written through this workspace.
    let publisher = match Publisher::from_env() {
        Ok(p) => p.with_write_back(std::sync::Arc::new(std::sync::Mutex::new(ws))),
        Err(e) => return fail(&e),
    };
    let request = PublishRequest {
        root,
        path: rel,
        portal: a.portal,
        status: a.status.map(|s| s.0),
        overwrite: a.overwrite,
        republish_new: a.republish_new,
    };
    if a.dry_run {
        return match runtime().block_on(publisher.plan(&request)) {
            Ok(plan) => {
                if a.json {
                    crate::output::json(&plan);
                } else {
                    outln!("{}", plan.summary);
                }
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        };
    }
    let result = runtime().block_on(publisher.publish(request, progress_to_stderr()));
    report_outcome(result, a.json)
}

/// Prints a publish's result (the link on stdout unless `json`, the rest on stderr) and
/// gives its exit code and its JSON: the outcome, or `{"error": {code, message}}`.
fn settle(
    result: newsroom_publish::Result<PublishOutcome>,
    json: bool,
) -> (ExitCode, serde_json::Value) {
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(e) => {
            let doc = serde_json::json!({"error": {"code": e.code(), "message": e.to_string()}});
            return (fail(&e), doc);
        }
    };
    let doc = serde_json::to_value(&outcome).unwrap_or_default();
    let code = match outcome {
        PublishOutcome::Published(p) => {
            for w in &p.warnings {
                eprintln!("newsroom: warning: {w}");
            }
            let what = if p.created {
                "created"
            } else if p.adopted {
                "created (completed after an interruption)"
            } else {
                "updated"
            };
            eprintln!(
                "newsroom: post {} {what} as {} on {} ({} image(s) uploaded, {} already there)",
                p.post_id, p.status, p.portal, p.images_uploaded, p.images_reused
            );
            if !json {
                outln!("{}", p.link);
            }
            ExitCode::SUCCESS
        }
        PublishOutcome::Queued {
            job_key, message, ..
        } => {
            eprintln!("newsroom: {message}");
            eprintln!(
                "newsroom: queued in the outbox as {job_key}; `newsroom outbox --run` retries now"
            );
            ExitCode::from(QUEUED)
        }
    };
    (code, doc)
}

fn report_outcome(result: newsroom_publish::Result<PublishOutcome>, json: bool) -> ExitCode {
    let ok = result.is_ok();
    let (code, doc) = settle(result, json);
    if json && ok {
        crate::output::json(&doc);
    }
    code
}

pub fn outbox(a: OutboxArgs) -> ExitCode {
    let publisher = match Publisher::from_env() {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    if let Some(key) = a.cancel {
        return match publisher.store().cancel(&key) {
            Ok(true) => {
                eprintln!("newsroom: cancelled {key}");
                if a.json {
                    crate::output::json(&serde_json::json!({ "cancelled": key }));
                }
                ExitCode::SUCCESS
            }
            Ok(false) => fail(&PublishError::InvalidArgument(format!(
                "no waiting publish {key} in the outbox"
            ))),
            Err(e) => fail(&e),
        };
    }
    // A job whose attempts took the process down twice waits for a person, here too.
    if let Err(e) = publisher.store().park_crashed() {
        return fail(&e);
    }
    if a.run {
        let results = match runtime().block_on(outbox::drain(&publisher, progress_to_stderr())) {
            Ok(r) => r,
            Err(e) => return fail(&e),
        };
        if results.is_empty() {
            eprintln!("newsroom: the outbox is empty");
        }
        let mut code = ExitCode::SUCCESS;
        // With --json, one array: each job with what became of it.
        let mut docs = Vec::new();
        for (job, result) in results {
            eprintln!("newsroom: {} ({} → {}):", job.key, job.path, job.portal);
            let (c, doc) = settle(result, a.json);
            docs.push(serde_json::json!({
                "key": job.key,
                "path": job.path,
                "portal": job.portal,
                "result": doc,
            }));
            if c != ExitCode::SUCCESS {
                code = c;
            }
        }
        if a.json {
            crate::output::json(&docs);
        }
        return code;
    }
    let jobs = match publisher.store().outbox() {
        Ok(j) => j,
        Err(e) => return fail(&e),
    };
    if a.json {
        crate::output::json(&jobs);
        return ExitCode::SUCCESS;
    }
    if jobs.is_empty() {
        eprintln!("newsroom: the outbox is empty");
    }
    let now = newsroom_publish::store::now_ms();
    for j in jobs {
        let when = if j.next_attempt_ms <= now {
            "now".to_owned()
        } else {
            format!("in {} s", (j.next_attempt_ms - now) / 1000 + 1)
        };
        let why = j.last_error.as_deref().unwrap_or("not tried yet");
        if j.state == "parked" {
            outln!(
                "{}\t{}\t{}\tparked after {} attempt(s)\t{why}",
                j.key,
                j.portal,
                j.path,
                j.attempts
            );
            continue;
        }
        outln!(
            "{}\t{}\t{}\t{} attempt(s), next {when}\t{why}",
            j.key,
            j.portal,
            j.path,
            j.attempts
        );
    }
    ExitCode::SUCCESS
}

pub fn pull(ctx: &Context, a: PullArgs) -> ExitCode {
    let ws = match ctx.open() {
        Ok(ws) => ws,
        Err(e) => {
            eprintln!("newsroom: {e}");
            return ExitCode::FAILURE;
        }
    };
    let root = ws.root().to_path_buf();
    drop(ws);
    let creds = match profile::credentials(Some(&a.portal)) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let store = match newsroom_publish::Store::open(&newsroom_publish::Store::default_path()) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    match runtime().block_on(pull::pull(
        &creds,
        Some(&store),
        &root,
        None,
        &a.folder,
        a.post_id,
        Default::default(),
    )) {
        Ok(p) => {
            eprintln!(
                "newsroom: post {} ({}) is now the draft below; publishing it updates the same post",
                p.post_id, p.title
            );
            outln!("{}", p.path);
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}
