//! Subcommands on drafts: render, check, list, search, new, set, history, restore, reindex.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use newsroom_core::index::{DraftSummary, Filter, MATCH_END, MATCH_START};
use newsroom_core::workspace::{self, NewDraft, SaveOutcome};
use newsroom_core::{CoreError, Draft, Result, files, images, scan};

use crate::context::Context;
use crate::values::{CoreValue, StatusArg};

/// Where the app serves the drafts folder's images; `render` uses it by default so its
/// output is byte for byte what the app shows.
pub const APP_ASSET_BASE: &str = "newsroom-asset://localhost/";

#[derive(Args)]
pub struct RenderArgs {
    /// The draft (any Markdown file will do).
    pub file: PathBuf,
    /// A whole page to open in a browser or send by e-mail: the portal's styles inside,
    /// image paths as written (they resolve beside the draft), no source positions.
    /// Without it: the app's preview fragment, byte for byte.
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
    if a.standalone {
        // The preview's page of its own: the portal's styles inside, as Export HTML
        // writes it (sanitised as the preview is: the same render).
        let fallback = scan::file_title(&rel);
        let title = Draft::parse(&text)
            .map(|d| d.display_title(&fallback))
            .unwrap_or(fallback);
        out!(
            "{}",
            newsroom_core::render::page::standalone_page(&title, &preview.html)
        );
    } else {
        out!("{}", preview.html);
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct CheckArgs {
    /// Drafts to check, and folders whose drafts (`.md`, `.markdown`, in subfolders too,
    /// hidden ones, links and special files left out) are all checked.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub files: Vec<PathBuf>,
    /// One JSON document: `{"checked": N, "problems": [{"file", "line", "message"}]}`.
    #[arg(long)]
    pub json: bool,
}

/// One thing wrong with a draft, at a line when there is one.
#[derive(Debug, serde::Serialize)]
pub struct Problem {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// Each problem as `FILE:LINE: message`; other drafts are still checked after one fails.
pub fn check(ctx: &Context, a: CheckArgs) -> Result<ExitCode> {
    let mut problems = Vec::new();
    let mut checked = 0;
    for given in &a.files {
        for file in drafts_under(given, &mut problems) {
            checked += 1;
            problems.extend(check_one(ctx, &file));
        }
    }
    if a.json {
        crate::output::json(&serde_json::json!({"checked": checked, "problems": problems}));
    } else {
        for p in &problems {
            outln!("{p}");
        }
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The drafts a command-line argument names: the file itself, or every draft of a folder
/// (walked as the index walks it: no link followed, no special file opened; those are
/// reported on stderr and not checked).
fn drafts_under(given: &std::path::Path, problems: &mut Vec<Problem>) -> Vec<PathBuf> {
    // `symlink_metadata`: a link named on the command line is the user's own choice, but a
    // folder is walked only when it is one (not through a link to elsewhere).
    let is_dir = std::fs::symlink_metadata(given).is_ok_and(|m| m.is_dir());
    if !is_dir {
        return vec![given.to_path_buf()];
    }
    let walked = newsroom_core::door::Folder::open(given).and_then(|f| scan::walk(&f));
    match walked {
        Ok(walk) => {
            for skipped in &walk.skipped {
                eprintln!("newsroom: not checked: {skipped}");
            }
            walk.files.iter().map(|f| given.join(&f.rel)).collect()
        }
        Err(e) => {
            problems.push(Problem {
                file: given.to_path_buf(),
                line: None,
                message: e.to_string(),
            });
            Vec::new()
        }
    }
}

fn check_one(ctx: &Context, file: &std::path::Path) -> Vec<Problem> {
    let problem = |line: Option<usize>, message: String| Problem {
        file: file.to_path_buf(),
        line,
        message,
    };
    let text = match files::read_draft_text(file) {
        Ok(t) => t,
        Err(CoreError::NotFound(_)) => return vec![problem(None, "no such file".into())],
        Err(e) => return vec![problem(None, e.to_string())],
    };
    let draft = match Draft::parse(&text) {
        Ok(d) => d,
        Err(e) => return vec![problem(e.line, e.message)],
    };
    let root = ctx.root_for(file);
    let abs = file.canonicalize().unwrap_or(file.to_path_buf());
    let rel = scan::rel_path(&root, &abs).unwrap_or_default();
    let folder = match newsroom_core::door::Folder::open(&root) {
        Ok(f) => f,
        Err(e) => return vec![problem(None, e.to_string())],
    };
    images::missing_images(
        &draft,
        &folder,
        newsroom_core::workspace_path::folder_of(&rel),
    )
    .into_iter()
    .map(|(line, msg)| problem(Some(line), msg))
    .collect()
}

#[derive(Args)]
pub struct FilterArgs {
    /// Only drafts with this status.
    #[arg(long, value_parser = CoreValue::<StatusArg>::new())]
    pub status: Option<StatusArg>,
    /// Only drafts in this category (as written in their front matter).
    #[arg(long)]
    pub category: Option<String>,
    /// Only drafts with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// Only drafts by this author.
    #[arg(long)]
    pub author: Option<String>,
}

impl FilterArgs {
    fn filter(&self) -> Filter {
        Filter {
            status: self.status.map(|s| s.0),
            category: self.category.clone(),
            tag: self.tag.clone(),
            author: self.author.clone(),
            without_conflict_copies: None,
        }
    }
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
        crate::output::json(&drafts);
        return Ok(ExitCode::SUCCESS);
    }
    for d in &drafts {
        outln!("{}", summary_line(d));
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
    let mut line = format!("{status:<18} {:<48} {}", column(&d.title, 48), d.path);
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

/// A table column: cut to `n` characters on a terminal, whole when piped (a script or
/// `grep` gets every title as written).
pub(crate) fn column(s: &str, n: usize) -> String {
    if crate::output::terminal() {
        truncate(s, n)
    } else {
        s.to_owned()
    }
}

/// `s` cut to `n` characters with an ellipsis, for table columns.
fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

#[derive(Args)]
pub struct SearchArgs {
    /// Words to find (all of them), `"a phrase"`, or a prefix like `minsk*`.
    pub query: String,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// At most this many results, best first.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// One JSON array, for scripts (matches between U+0002 and U+0003 in `snippet`).
    #[arg(long)]
    pub json: bool,
}

pub fn search(ctx: &Context, a: SearchArgs) -> Result<ExitCode> {
    let ws = ctx.open()?;
    let hits = ws.search(&a.query, &a.filter.filter(), a.limit)?;
    if a.json {
        crate::output::json(&hits);
        return Ok(ExitCode::SUCCESS);
    }
    // Bold matches on a terminal; piped (or with NO_COLOR), the snippet as written.
    let (on, off) = if crate::output::colour() {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    for hit in &hits {
        outln!("{}", summary_line(&hit.draft));
        outln!(
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
    /// The headline; the file name is made from it.
    #[arg(long)]
    pub title: String,
    /// A category (repeat for more).
    #[arg(long = "category", value_name = "CATEGORY")]
    pub categories: Vec<String>,
    /// A tag (repeat for more).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// The byline (default: $NEWSROOM_AUTHOR, else the name in the app's Settings).
    #[arg(long)]
    pub author: Option<String>,
    /// A subfolder of the drafts folder.
    #[arg(long, default_value = "")]
    pub folder: String,
}

pub fn new(ctx: &Context, a: NewArgs) -> Result<ExitCode> {
    let mut ws = ctx.open()?;
    let author = a
        .author
        .or_else(|| {
            std::env::var("NEWSROOM_AUTHOR")
                .ok()
                .filter(|n| !n.trim().is_empty())
        })
        .or_else(crate::commands::config::settings_name);
    let opened = ws.create(&NewDraft {
        title: a.title,
        categories: a.categories,
        tags: a.tags,
        author,
        folder: a.folder,
    })?;
    outln!("{}", ws.resolve(&opened.path)?.display());
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct SetArgs {
    /// The draft.
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
    /// The draft.
    pub file: PathBuf,
    /// One JSON array, for scripts.
    #[arg(long)]
    pub json: bool,
}

pub fn history(ctx: &Context, a: HistoryArgs) -> Result<ExitCode> {
    let (ws, rel) = ctx.open_for(&a.file)?;
    let revs = ws.history(&rel)?;
    if a.json {
        crate::output::json(&revs);
        return Ok(ExitCode::SUCCESS);
    }
    for r in &revs {
        outln!(
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

/// A revision's time for people: `2026-03-01 09:30:00` (UTC; `--json` has RFC 3339).
fn format_ms(ms: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| ms.to_string())
}

#[derive(Args)]
pub struct RestoreArgs {
    /// The draft.
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
