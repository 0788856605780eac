//! Subcommands on drafts: render, check, list, search, new, set, history, restore, reindex.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use newsroom_core::front_matter::Status;
use newsroom_core::index::{DraftSummary, Filter, MATCH_END, MATCH_START};
use newsroom_core::workspace::{self, NewDraft, SaveOutcome};
use newsroom_core::{CoreError, Draft, Result, files, images, scan};

use crate::context::Context;

/// Where the app serves the drafts folder's images; `render` uses it by default so its
/// output is byte for byte what the app shows.
pub const APP_ASSET_BASE: &str = "newsroom-asset://localhost/";

#[derive(Args)]
pub struct RenderArgs {
    pub file: PathBuf,
    /// Keep image paths as written and leave out source positions: HTML to save beside
    /// the draft or send by e-mail, rather than the app's preview.
    #[arg(long)]
    pub standalone: bool,
    /// Keep `http(s)` images. Without it they are held back (a framed placeholder with
    /// their alt text, hosts listed on stderr): a remote image tells its server who
    /// opened the draft, and can reach hosts on the reader's intranet.
    #[arg(long)]
    pub remote_images: bool,
}

pub fn render(ctx: &Context, a: RenderArgs) -> Result<ExitCode> {
    let text = files::read_draft_text(&a.file)?;
    let root = ctx.root_for(&a.file);
    let abs = a.file.canonicalize().unwrap_or(a.file.clone());
    let rel =
        scan::rel_path(&root, &abs).unwrap_or_else(|| scan::file_title(&a.file.to_string_lossy()));
    // The app's own render of a draft at `rel`: images from its folder, titled after its
    // file when it has no title.
    let preview = newsroom_core::render::render_draft(
        &rel,
        &text,
        (!a.standalone).then_some(APP_ASSET_BASE),
        !a.standalone,
        a.remote_images,
    );
    if let Some(err) = &preview.error {
        eprintln!("newsroom: warning: {}", err.clone().in_file(&a.file));
    }
    if !preview.remote_images.is_empty() {
        eprintln!(
            "newsroom: {}: remote images not loaded (from {}); --remote-images keeps them",
            a.file.display(),
            preview.remote_images.join(", ")
        );
    }
    print!("{}", preview.html);
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct CheckArgs {
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// Each problem as `FILE:LINE: message`; other drafts are still checked after one fails.
pub fn check(ctx: &Context, a: CheckArgs) -> Result<ExitCode> {
    let mut problems = 0;
    for file in &a.files {
        for line in check_one(ctx, file) {
            println!("{line}");
            problems += 1;
        }
    }
    Ok(if problems == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn check_one(ctx: &Context, file: &std::path::Path) -> Vec<String> {
    let text = match files::read_draft_text(file) {
        Ok(t) => t,
        Err(CoreError::NotFound(_)) => return vec![format!("{}: no such file", file.display())],
        Err(e) => return vec![e.to_string()],
    };
    let draft = match Draft::parse(&text) {
        Ok(d) => d,
        Err(e) => return vec![e.in_file(file).to_string()],
    };
    let root = ctx.root_for(file);
    let abs = file.canonicalize().unwrap_or(file.to_path_buf());
    let rel = scan::rel_path(&root, &abs).unwrap_or_default();
    let folder = match newsroom_core::door::Folder::open(&root) {
        Ok(f) => f,
        Err(e) => return vec![e.to_string()],
    };
    images::missing_images(
        &draft,
        &folder,
        newsroom_core::workspace_path::folder_of(&rel),
    )
    .into_iter()
    .map(|(line, msg)| format!("{}:{line}: {msg}", file.display()))
    .collect()
}

#[derive(Args)]
pub struct FilterArgs {
    #[arg(long, value_parser = parse_status)]
    pub status: Option<Status>,
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long)]
    pub tag: Option<String>,
    #[arg(long)]
    pub author: Option<String>,
}

impl FilterArgs {
    fn filter(&self) -> Filter {
        Filter {
            status: self.status,
            category: self.category.clone(),
            tag: self.tag.clone(),
            author: self.author.clone(),
        }
    }
}

fn parse_status(s: &str) -> std::result::Result<Status, String> {
    s.parse()
}

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// One JSON array, for scripts.
    #[arg(long)]
    pub json: bool,
}

pub fn list(ctx: &Context, a: ListArgs) -> Result<ExitCode> {
    let ws = ctx.open()?;
    let drafts = ws.list(&a.filter.filter())?;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&drafts).unwrap_or_default()
        );
        return Ok(ExitCode::SUCCESS);
    }
    for d in &drafts {
        println!("{}", summary_line(d));
    }
    if drafts.is_empty() {
        eprintln!("no drafts match");
    }
    Ok(ExitCode::SUCCESS)
}

fn summary_line(d: &DraftSummary) -> String {
    let status = match &d.error {
        Some(_) => "ERROR".to_owned(),
        None => d.status.as_str().to_owned(),
    };
    let mut line = format!("{status:<18} {:<48} {}", truncate(&d.title, 48), d.path);
    if !d.categories.is_empty() {
        line.push_str(&format!("  [{}]", d.categories.join(", ")));
    }
    if !d.tags.is_empty() {
        line.push_str(&format!("  #{}", d.tags.join(" #")));
    }
    if let Some(e) = &d.error {
        line.push_str(&format!(
            "\n{:<18} {}",
            "",
            match e.line {
                Some(l) => format!("line {l}: {}", e.message),
                None => e.message.clone(),
            }
        ));
    }
    line
}

/// `s` cut to `n` characters with an ellipsis, for table columns.
pub(crate) fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

#[derive(Args)]
pub struct SearchArgs {
    pub query: String,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

pub fn search(ctx: &Context, a: SearchArgs) -> Result<ExitCode> {
    let ws = ctx.open()?;
    let hits = ws.search(&a.query, &a.filter.filter(), a.limit)?;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&hits).unwrap_or_default()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let (on, off) = if std::io::stdout().is_terminal() {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("**", "**")
    };
    for hit in &hits {
        println!("{}", summary_line(&hit.draft));
        println!(
            "    {}",
            hit.snippet.replace(MATCH_START, on).replace(MATCH_END, off)
        );
    }
    if hits.is_empty() {
        eprintln!("nothing found for “{}”", a.query);
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct NewArgs {
    #[arg(long)]
    pub title: String,
    #[arg(long = "category")]
    pub categories: Vec<String>,
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    #[arg(long)]
    pub author: Option<String>,
    /// A subfolder of the drafts folder.
    #[arg(long, default_value = "")]
    pub folder: String,
}

pub fn new(ctx: &Context, a: NewArgs) -> Result<ExitCode> {
    let mut ws = ctx.open()?;
    let author = a.author.or_else(|| std::env::var("NEWSROOM_AUTHOR").ok());
    let opened = ws.create(&NewDraft {
        title: a.title,
        categories: a.categories,
        tags: a.tags,
        author,
        folder: a.folder,
    })?;
    println!("{}", ws.resolve(&opened.path)?.display());
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct SetArgs {
    pub file: PathBuf,
    /// `key=value`; lists (categories, tags) are comma-separated; an empty value removes the key.
    #[arg(required = true, value_name = "KEY=VALUE")]
    pub pairs: Vec<String>,
}

pub fn set(ctx: &Context, a: SetArgs) -> Result<ExitCode> {
    let (mut ws, rel) = ctx.open_for(&a.file)?;
    let changes = a
        .pairs
        .iter()
        .map(|pair| {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| CoreError::InvalidArgument(format!("`{pair}` is not KEY=VALUE")))?;
            workspace::change_from_pair(k, v)
        })
        .collect::<Result<Vec<_>>>()?;
    match ws.set_metadata(&rel, &changes)?.into_result(ws.root())? {
        SaveOutcome::Unchanged { .. } => {
            eprintln!("{}: already so; nothing written", a.file.display())
        }
        _ => eprintln!("{}: updated", a.file.display()),
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct HistoryArgs {
    pub file: PathBuf,
    #[arg(long)]
    pub json: bool,
}

pub fn history(ctx: &Context, a: HistoryArgs) -> Result<ExitCode> {
    let (ws, rel) = ctx.open_for(&a.file)?;
    let revs = ws.history(&rel)?;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&revs).unwrap_or_default()
        );
        return Ok(ExitCode::SUCCESS);
    }
    for r in &revs {
        println!(
            "{:>6}  {}  {:<12} {:>6} words  {}",
            r.id,
            format_ms(r.created_ms),
            r.source.as_str(),
            r.words,
            &r.hash[..12]
        );
    }
    if revs.is_empty() {
        eprintln!(
            "{}: no revisions yet (they are recorded from the first save on)",
            a.file.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn format_ms(ms: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| ms.to_string())
}

#[derive(Args)]
pub struct RestoreArgs {
    pub file: PathBuf,
    /// The revision id, from `newsroom history`.
    pub rev: i64,
}

pub fn restore(ctx: &Context, a: RestoreArgs) -> Result<ExitCode> {
    let (mut ws, rel) = ctx.open_for(&a.file)?;
    let current = ws.read(&rel)?;
    ws.restore(&rel, a.rev, Some(&current.hash))?
        .into_result(ws.root())?;
    eprintln!("{}: restored revision {}", a.file.display(), a.rev);
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct ReindexArgs {
    /// Forget the index and rebuild it from the files (revisions are kept).
    #[arg(long)]
    pub rebuild: bool,
}

pub fn reindex(ctx: &Context, a: ReindexArgs) -> Result<ExitCode> {
    let mut ws = ctx.open()?;
    let report = if a.rebuild {
        ws.rebuild_index()?
    } else {
        ws.rescan()?
    };
    eprintln!(
        "{}: {} added, {} updated, {} removed, {} unchanged, {} with errors",
        ws.root().display(),
        report.added,
        report.updated,
        report.removed,
        report.unchanged,
        report.invalid
    );
    for skipped in &report.skipped {
        eprintln!("newsroom: not indexed: {skipped}");
    }
    Ok(ExitCode::SUCCESS)
}
