//! `newsroom`: list, search, check, render and edit drafts from a terminal, with the very
//! same core (and guarantees) as the desktop app.

#[macro_use]
mod output;
mod commands;
mod context;
mod help;
mod values;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use commands::{config, drafts, portal, review, sync};

/// What `newsroom --help` and the man page say after the commands: the environment and
/// the exit codes, so that the help stands without the repository's docs.
const AFTER_HELP: &str = "\
Environment:
  NEWSROOM_DRAFTS           the drafts folder (else ./drafts); --dir overrides it
  NEWSROOM_DATA_DIR         where indexes and the outbox live
                            (else $XDG_DATA_HOME/newsroom, ~/.local/share/newsroom)
  NEWSROOM_CONFIG_DIR       where settings and portal profiles live, shared with the app
                            (else $XDG_CONFIG_HOME/newsroom, ~/.config/newsroom)
  NEWSROOM_USER, NEWSROOM_AUTHOR
                            your name in the review trail, on new drafts and on sync commits
                            (else the name set in the app's Settings)
  NEWSROOM_EMAIL            your email on sync commits (else the app's Settings, else
                            git's user.email)
  NEWSROOM_ROLE             reporter, editor or desk (else the app's Settings)
  NEWSROOM_PORTAL, NEWSROOM_PORTAL_PASSWORD
                            a password for automation, used for the portal NEWSROOM_PORTAL
                            names (or the only one)
  NEWSROOM_KEYRING=off      keep passwords in a file readable only by you, not the keyring
  NO_COLOR                  no colour or highlighting (none either when output is piped)

A file named on the command line that is outside the drafts folder (unless that folder
was given with --dir) brings its own: the nearest enclosing folder that has an index or
is a git working copy, else the file's own folder.

Exit status: 0 done; 1 error or problems found; 2 wrong usage; 75 queued in the outbox
(the portal could not be reached) or, for sync, the git remote could not be reached. A closed pipe (| head) ends a command quietly.
With --json, a command prints exactly one JSON document; times are RFC 3339.";

#[derive(Parser)]
#[command(
    name = "newsroom",
    version,
    about = "Newsroom: drafts on disk, previewed and published from one place",
    long_about = "Newsroom: drafts on disk, previewed and published from one place.\n\n\
        Drafts are Markdown files with YAML front matter in a drafts folder; newsroom lists, \
        searches, checks, renders and edits them with the same core as the desktop app, \
        moves them through review (reporter, editor, desk) and publishes them to a \
        WordPress portal.",
    after_help = AFTER_HELP
)]
pub struct Cli {
    /// The drafts folder (default: $NEWSROOM_DRAFTS, else ./drafts).
    #[arg(long, global = true, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    dir: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the preview HTML of a draft, exactly as the app shows it.
    #[command(after_help = "Examples:
  newsroom render world/minsk.md > preview.html
  newsroom render --standalone world/minsk.md > minsk.html   # a page to e-mail")]
    Render(drafts::RenderArgs),
    /// Validate drafts: exit 0 when all are valid, 1 with one `FILE:LINE: message` per problem.
    #[command(after_help = "Examples:
  newsroom check drafts/                      # every draft of the folder
  newsroom check world/minsk.md derby.md
  newsroom check --json drafts/ | jq '.problems[]'")]
    Check(drafts::CheckArgs),
    /// List the drafts of the folder.
    #[command(after_help = "Examples:
  newsroom list --status in-review
  newsroom list --category World --json | jq -r '.[].path'")]
    List(drafts::ListArgs),
    /// Full-text search over titles, tags and bodies.
    #[command(after_help = "Examples:
  newsroom search ceasefire
  newsroom search '\"peace talks\"' --status approved --limit 5")]
    Search(drafts::SearchArgs),
    /// Create a draft and print its path.
    #[command(after_help = "Examples:
  newsroom new --title 'Minsk talks stall' --category World --tag Belarus
  $EDITOR \"$(newsroom new --title 'Derby ends level' --folder sport)\"")]
    New(drafts::NewArgs),
    /// Change front-matter keys (the status moves through the workflow instead:
    /// `newsroom transition`).
    #[command(after_help = "Examples:
  newsroom set world/minsk.md tags=Belarus,Russia excerpt='No ceasefire yet'
  newsroom set ~/story.md title='A better headline'
  newsroom set world/minsk.md publish_at=               # an empty value removes the key")]
    Set(drafts::SetArgs),
    /// List a draft's saved revisions.
    #[command(after_help = "Examples:
  newsroom history world/minsk.md
  newsroom history --json world/minsk.md | jq '.[0].id'")]
    History(drafts::HistoryArgs),
    /// Restore a revision of a draft (the current text stays in the history).
    #[command(after_help = "Example:
  newsroom restore world/minsk.md 12      # 12: an id from `newsroom history`")]
    Restore(drafts::RestoreArgs),
    /// Bring the index up to date with the folder (or rebuild it from scratch).
    #[command(after_help = "Examples:
  newsroom reindex
  newsroom reindex --rebuild --dir /srv/desk/drafts")]
    Reindex(drafts::ReindexArgs),
    /// Portal profiles: add, list, remove, test.
    #[command(after_help = "Examples:
  newsroom portal add main --url https://news.example.org --user ana
  newsroom portal test main
  newsroom portal list --json")]
    Portal(portal::PortalArgs),
    /// Publish a draft to the portal (again: update the same post). Exit 75: queued offline.
    #[command(after_help = "Examples:
  newsroom publish --dry-run world/minsk.md     # what it would do, nothing written
  newsroom publish world/minsk.md --portal main --status pending
  newsroom publish --json world/minsk.md | jq -r .link")]
    Publish(portal::PublishArgs),
    /// What waits to be published, and why; `--run` retries now.
    #[command(after_help = "Examples:
  newsroom outbox
  newsroom outbox --run --json
  newsroom outbox --cancel 3f2a…")]
    Outbox(portal::OutboxArgs),
    /// Import a portal post into a new draft.
    #[command(after_help = "Example:
  newsroom pull main 4211 --folder world")]
    Pull(portal::PullArgs),
    /// Submit a draft for review. Who you are: --as NAME (else $NEWSROOM_USER) and
    /// --role (else $NEWSROOM_ROLE, else reporter); the move is recorded in the draft's
    /// `review:` trail.
    #[command(after_help = "Example:
  newsroom submit world/minsk.md --as Ana --note 'Ready; check the map'")]
    Submit(review::MoveArgs),
    /// Approve a draft in review (editors and the desk).
    #[command(after_help = "Example:
  newsroom approve world/minsk.md --as Ben --role editor")]
    Approve(review::MoveArgs),
    /// Send a draft in review back to its reporter, saying what should change.
    #[command(after_help = "Example:
  newsroom request-changes world/minsk.md --as Ben --role editor --note 'Source for the figure?'")]
    RequestChanges(review::RequestChangesArgs),
    /// Move a draft to any status your role may (`--to S`), or list the moves offered.
    #[command(after_help = "Examples:
  newsroom transition world/minsk.md --role desk            # the moves offered
  newsroom transition world/minsk.md --role desk --to scheduled")]
    Transition(review::TransitionArgs),
    /// What waits for review (oldest first, with changes since your last review), or
    /// with `--desk` for the desk, with the pre-publish checklist.
    #[command(after_help = "Examples:
  newsroom queue --as Ben --diff
  newsroom queue --desk --categories World,Sports --json")]
    Queue(review::QueueArgs),
    /// List a draft's open suggestions and comments (CriticMarkup).
    #[command(after_help = "Example:
  newsroom marks world/minsk.md")]
    Marks(review::MarksArgs),
    /// Accept suggestions: `--all` or `--id ID`.
    #[command(after_help = "Examples:
  newsroom accept world/minsk.md --id i3f2a9c1b   # an id from `newsroom marks`; it stays
                                                  # the same while other marks are resolved
  newsroom accept world/minsk.md --all")]
    Accept(review::ResolveArgs),
    /// Reject suggestions: `--all` or `--id ID`.
    #[command(after_help = "Example:
  newsroom reject world/minsk.md --id d5e0c2a14")]
    Reject(review::ResolveArgs),
    /// Show where settings and indexes live and who the settings say you are (the
    /// name and role set in the desktop app's Settings, shared with this command).
    #[command(after_help = "Examples:
  newsroom config
  newsroom config --json")]
    Config(config::ConfigArgs),
    /// Sync the drafts folder through its git remote: commit, fetch, merge, push.
    /// Exit 75: the remote cannot be reached (your work is committed and goes out next time).
    #[command(after_help = "Examples:
  newsroom sync clone git@git.example.org:desk/drafts.git ~/drafts
  newsroom sync --dir ~/drafts
  newsroom sync --json | jq '.conflicts[]'

Drafts changed on both sides merge the way a desk would (docs/sync.md); a true conflict
keeps yours in the draft and theirs as a conflict copy beside it. Commits carry
$NEWSROOM_USER (else $NEWSROOM_AUTHOR) and $NEWSROOM_EMAIL, else git's own user.name
and user.email.")]
    Sync(sync::SyncArgs),
    /// Git's merge driver for drafts, run by `newsroom sync`'s merge.
    #[command(
        hide = true,
        after_help = "Example (what `newsroom sync` gives git for drafts, one merge at a time):
  git -c merge.newsroom.driver=\"newsroom merge-driver %O %A %B %P\" merge origin/main"
    )]
    MergeDriver(sync::MergeDriverArgs),
    /// Print a shell completion script.
    #[command(after_help = "Examples:
  newsroom completions bash > ~/.local/share/bash-completion/completions/newsroom
  newsroom completions zsh > ~/.zfunc/_newsroom        # with fpath+=(~/.zfunc)
  newsroom completions fish > ~/.config/fish/completions/newsroom.fish")]
    Completions(help::CompletionsArgs),
    /// Print the manual page (roff), or write one page per command into a folder.
    #[command(after_help = "Examples:
  newsroom man | man -l -
  newsroom man --out-dir /usr/share/man/man1    # newsroom.1, newsroom-list.1, …")]
    Man(help::ManArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // settings and indexes an older version left elsewhere, moved once (not when only
    // printing generated text: packaging runs those on a build machine)
    if !matches!(cli.command, Command::Completions(_) | Command::Man(_)) {
        for note in newsroom_core::user_dirs::UserDirs::from_env().migrate_legacy() {
            eprintln!("newsroom: {note}");
        }
    }
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
        Command::Config(a) => config::config(a),
        Command::Sync(a) => Ok(sync::sync(&ctx, a)),
        Command::MergeDriver(a) => Ok(sync::merge_driver(a)),
        Command::Completions(a) => help::completions(a),
        Command::Man(a) => help::man(a),
    };
    output::flush();
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("newsroom: {e}");
            ExitCode::FAILURE
        }
    }
}
