//! `newsroom`: list, search, check, render and edit drafts from a terminal, with the very
//! same core (and guarantees) as the desktop app.

mod commands;
mod context;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use commands::{drafts, portal, review};

#[derive(Parser)]
#[command(
    name = "newsroom",
    version,
    about = "Newsroom: drafts on disk, previewed and published from one place"
)]
struct Cli {
    /// The drafts folder (default: $NEWSROOM_DRAFTS, else ./drafts).
    #[arg(long, global = true, value_name = "DIR")]
    dir: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the preview HTML of a draft, exactly as the app shows it.
    Render(drafts::RenderArgs),
    /// Validate drafts: exit 0 when all are valid, 1 with one `FILE:LINE: message` per problem.
    Check(drafts::CheckArgs),
    /// List the drafts of the folder.
    List(drafts::ListArgs),
    /// Full-text search over titles, tags and bodies.
    Search(drafts::SearchArgs),
    /// Create a draft and print its path.
    New(drafts::NewArgs),
    /// Change front-matter keys: `newsroom set FILE tags=Belarus,Russia excerpt=…` (the status
    /// moves through the workflow: `newsroom transition`).
    Set(drafts::SetArgs),
    /// List a draft's saved revisions.
    History(drafts::HistoryArgs),
    /// Restore a revision of a draft (the current text stays in the history).
    Restore(drafts::RestoreArgs),
    /// Bring the index up to date with the folder (or rebuild it from scratch).
    Reindex(drafts::ReindexArgs),
    /// Portal profiles: add, list, remove, test.
    Portal(portal::PortalArgs),
    /// Publish a draft to the portal (again: update the same post). Exit 75: queued offline.
    Publish(portal::PublishArgs),
    /// What waits to be published, and why; `--run` retries now.
    Outbox(portal::OutboxArgs),
    /// Import a portal post into a new draft: `newsroom pull PORTAL POST_ID`.
    Pull(portal::PullArgs),
    /// Submit a draft for review (`--as NAME`, `--role`; see docs/review.md).
    Submit(review::MoveArgs),
    /// Approve a draft in review (editors and the desk).
    Approve(review::MoveArgs),
    /// Send a draft in review back to its reporter, saying what should change.
    RequestChanges(review::RequestChangesArgs),
    /// Move a draft to any status your role may (`--to S`), or list the moves offered.
    Transition(review::TransitionArgs),
    /// What waits for review (oldest first, with changes since your last review), or
    /// with `--desk` for the desk, with the pre-publish checklist.
    Queue(review::QueueArgs),
    /// List a draft's open suggestions and comments (CriticMarkup).
    Marks(review::MarksArgs),
    /// Accept suggestions: `--all` or `--id N`.
    Accept(review::ResolveArgs),
    /// Reject suggestions: `--all` or `--id N`.
    Reject(review::ResolveArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = context::Context::new(cli.dir);
    let result = match cli.command {
        Command::Render(a) => drafts::render(&ctx, a),
        Command::Check(a) => drafts::check(&ctx, a),
        Command::List(a) => drafts::list(&ctx, a),
        Command::Search(a) => drafts::search(&ctx, a),
        Command::New(a) => drafts::new(&ctx, a),
        Command::Set(a) => drafts::set(&ctx, a),
        Command::History(a) => drafts::history(&ctx, a),
        Command::Restore(a) => drafts::restore(&ctx, a),
        Command::Reindex(a) => drafts::reindex(&ctx, a),
        Command::Portal(a) => Ok(portal::portal(a)),
        Command::Publish(a) => Ok(portal::publish(&ctx, a)),
        Command::Outbox(a) => Ok(portal::outbox(a)),
        Command::Pull(a) => Ok(portal::pull(&ctx, a)),
        Command::Submit(a) => review::submit(&ctx, a),
        Command::Approve(a) => review::approve(&ctx, a),
        Command::RequestChanges(a) => review::request_changes(&ctx, a),
        Command::Transition(a) => review::transition(&ctx, a),
        Command::Queue(a) => review::queue(&ctx, a),
        Command::Marks(a) => review::marks(&ctx, a),
        Command::Accept(a) => review::accept(&ctx, a),
        Command::Reject(a) => review::reject(&ctx, a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("newsroom: {e}");
            ExitCode::FAILURE
        }
    }
}
