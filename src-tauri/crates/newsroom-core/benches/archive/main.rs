//! The archive benchmark: a generated 100,000-draft folder, every path the index takes,
//! each figure printed next to SQLite FTS5's own floor measured in the same run on the
//! same texts (a plain FTS5 table filled and queried with no Newsroom code in between).
//!
//!   make bench-archive          # 100,000 drafts in target/archive-100000 (kept between runs)
//!   NEWSROOM_ARCHIVE_DRAFTS=5000 cargo bench -p newsroom-core --bench archive
//!
//! Not a criterion benchmark: a cold index of 100,000 drafts takes tens of seconds, so
//! each step runs a few times and the median is printed.

#[path = "archive_gen.rs"]
mod archive_gen;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use newsroom_core::Workspace;
use newsroom_core::index::{Filter, SEARCH_CANDIDATES};
use rusqlite::Connection;

fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn ms(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else {
        format!("{:.2} ms", s * 1e3)
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let t = Instant::now();
    let out = f();
    (t.elapsed(), out)
}

fn repeat(n: usize, mut f: impl FnMut()) -> Duration {
    f(); // warm the page cache and SQLite's statement cache
    median((0..n).map(|_| time(&mut f).0).collect())
}

/// Every `.md` file under `root` (the generator writes no links or hidden files).
fn files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("read_dir").flatten() {
            let p = e.path();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The floor: FTS5 alone, the same three columns and tokenizer as the index, every file
/// read and inserted in one transaction (title and tags taken from their front matter
/// lines, the rest as the body).
fn raw_fts5(paths: &[PathBuf], db: &Path) -> Connection {
    let conn = Connection::open(db).expect("open raw");
    conn.pragma_update(None, "journal_mode", "WAL")
        .expect("wal");
    conn.pragma_update(None, "synchronous", "NORMAL")
        .expect("sync");
    conn.execute_batch(
        "CREATE VIRTUAL TABLE raw USING fts5(title, tags, body, tokenize = 'unicode61 remove_diacritics 2');
         BEGIN;",
    )
    .expect("create");
    {
        let mut ins = conn
            .prepare("INSERT INTO raw (rowid, title, tags, body) VALUES (?, ?, ?, ?)")
            .expect("prepare");
        for (i, p) in paths.iter().enumerate() {
            let text = std::fs::read_to_string(p).expect("read");
            let line = |key: &str| {
                text.lines()
                    .find_map(|l| l.strip_prefix(key))
                    .unwrap_or("")
                    .to_owned()
            };
            let body = text.splitn(3, "---\n").nth(2).unwrap_or(&text);
            ins.execute(rusqlite::params![
                i as i64 + 1,
                line("title: "),
                line("tags: "),
                body
            ])
            .expect("insert");
        }
    }
    conn.execute_batch("COMMIT").expect("commit");
    conn
}

/// Words of the archive by how many drafts hold them: one in every draft, one in about a
/// third, and the rarest, read from FTS5's own vocabulary.
fn pick_words(raw: &Connection, n: usize) -> (String, String, String) {
    raw.execute_batch("CREATE VIRTUAL TABLE temp.raw_vocab USING fts5vocab(main, raw, 'row')")
        .expect("vocab");
    let q = |sql: &str| -> String {
        raw.query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    let every = q(&format!(
        "SELECT term FROM raw_vocab WHERE doc = {n} AND length(term) > 2 ORDER BY cnt LIMIT 1"
    ));
    let common = q(&format!(
        "SELECT term FROM raw_vocab WHERE length(term) > 3 ORDER BY abs(doc - {}) LIMIT 1",
        n / 3
    ));
    let rare = q("SELECT term FROM raw_vocab WHERE length(term) > 3 ORDER BY doc, term LIMIT 1");
    (every, common, rare)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` and the test harness's probes
    }
    let n: usize = env_or("NEWSROOM_ARCHIVE_DRAFTS", 100_000);
    let seed: u64 = env_or("NEWSROOM_ARCHIVE_SEED", 20_261_202);
    let runs: usize = env_or("NEWSROOM_ARCHIVE_RUNS", 15);
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../target");
    let root: PathBuf = std::env::var_os("NEWSROOM_ARCHIVE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| target.join(format!("archive-{n}")));
    let marker = root.join(format!(".generated-{n}-{seed}"));
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).expect("mkdir");
        let (t, bytes) = time(|| archive_gen::write_archive(&root, n, seed).expect("generate"));
        std::fs::write(&marker, b"").expect("marker");
        println!(
            "generated {n} drafts ({:.0} MB) in {} (seed {seed})",
            bytes as f64 / 1e6,
            ms(t)
        );
    }
    let work = tempfile::tempdir().expect("tempdir");
    let paths = files(&root);
    assert_eq!(paths.len(), n, "{} holds other files", root.display());

    let (raw_cold, raw) = time(|| raw_fts5(&paths, &work.path().join("raw.sqlite3")));
    let index = work.path().join("index.sqlite3");
    let (cold, _) = time(|| Workspace::open_with_index(&root, &index).expect("cold"));
    let (every, common, rare) = pick_words(&raw, n);
    let distinct: i64 = raw
        .query_row("SELECT count(*) FROM temp.raw_vocab", [], |r| r.get(0))
        .expect("count");

    let warm = median(
        (0..3)
            .map(|_| time(|| Workspace::open_with_index(&root, &index).expect("warm")).0)
            .collect(),
    );
    let (mut ws, _) = Workspace::open_with_index(&root, &index).expect("open");
    let folder = newsroom_core::door::Folder::open(&root).expect("folder");
    let walk = repeat(3, || {
        newsroom_core::scan::walk(&folder).expect("walk");
    });

    // One file changed by another program: the full reconcile a command or reopen does,
    // and the watcher's path (that file alone).
    let victim = paths[n / 2].clone();
    let original = std::fs::read_to_string(&victim).expect("victim");
    let rel = victim
        .strip_prefix(&root)
        .expect("rel")
        .to_string_lossy()
        .into_owned();
    let mut flip = false;
    let mut edit = || {
        flip = !flip;
        let text = if flip {
            format!("{original}\nOne more line.\n")
        } else {
            original.clone()
        };
        std::fs::write(&victim, text).expect("write");
    };
    let reconcile = median(
        (0..3)
            .map(|_| {
                edit();
                time(|| assert_eq!(ws.rescan().expect("rescan").updated, 1)).0
            })
            .collect(),
    );
    let one_file = median(
        (0..5)
            .map(|_| {
                edit();
                time(|| ws.reindex_file(&rel).expect("reindex")).0
            })
            .collect(),
    );

    println!();
    println!("## The archive: {n} drafts ({distinct} distinct words)");
    println!();
    println!("| step | Newsroom | FTS5 alone (same run) | ratio |");
    println!("|---|---|---|---|");
    println!(
        "| cold index (walk, read, parse, index) | {} | {} (read + insert) | **{:.2}×** |",
        ms(cold),
        ms(raw_cold),
        cold.as_secs_f64() / raw_cold.as_secs_f64()
    );
    println!("| warm reopen, nothing changed | {} | | |", ms(warm));
    println!("| `stat` walk of the folder alone | {} | | |", ms(walk));
    println!(
        "| one file changed, full reconcile | {} | | |",
        ms(reconcile)
    );
    println!(
        "| one file changed, that file reindexed (the watcher's path) | {} | | |",
        ms(one_file)
    );

    let doc_count = |w: &str| -> i64 {
        raw.query_row("SELECT doc FROM temp.raw_vocab WHERE term = ?", [w], |r| {
            r.get(0)
        })
        .unwrap_or(0)
    };
    let top = ws.tags().expect("tags");
    let filters: Vec<(String, Filter)> = vec![
        ("".into(), Filter::default()),
        (
            ", category World".into(),
            Filter {
                category: Some("World".into()),
                ..Default::default()
            },
        ),
        (
            ", status in-review".into(),
            Filter {
                status: Some(newsroom_core::Status::InReview),
                ..Default::default()
            },
        ),
        (
            format!(", tag {}", top[0]),
            Filter {
                tag: Some(top[0].clone()),
                ..Default::default()
            },
        ),
    ];
    println!();
    println!(
        "| top-20 search with snippets | drafts holding the word | Newsroom | FTS5 alone: bm25 top-20 of all matches, ranking only | FTS5 alone: bm25 top-20 of the newest {SEARCH_CANDIDATES}, ranking only |"
    );
    println!("|---|---|---|---|---|");
    for (label, word) in [
        ("rare", &rare),
        ("common", &common),
        ("in every draft", &every),
    ] {
        // The same FTS5 query the index runs (see `Index::search_query`).
        let fts = ws
            .index()
            .search_query(word)
            .expect("query")
            .expect("words");
        // FTS5's own floor for ranking alone (no snippets: selected with ORDER BY ... LIMIT
        // in one statement, SQLite would make a snippet for every match before sorting).
        let mut full = raw
            .prepare("SELECT rowid FROM raw WHERE raw MATCH ?1 ORDER BY bm25(raw, 10.0, 5.0, 1.0) LIMIT 20")
            .expect("raw");
        let raw_full = repeat(runs, || {
            let _: Vec<i64> = full
                .query_map([&fts], |r| r.get(0))
                .expect("q")
                .collect::<rusqlite::Result<_>>()
                .expect("rows");
        });
        let mut bounded = raw
            .prepare(&format!("SELECT id FROM (SELECT rowid AS id, bm25(raw, 10.0, 5.0, 1.0) AS s FROM raw WHERE raw MATCH ?1 ORDER BY rowid DESC LIMIT {SEARCH_CANDIDATES}) ORDER BY s LIMIT 20"))
            .expect("raw bounded");
        let raw_bounded = repeat(runs, || {
            let _: Vec<i64> = bounded
                .query_map([&fts], |r| r.get(0))
                .expect("q")
                .collect::<rusqlite::Result<_>>()
                .expect("rows");
        });
        for (i, (flabel, filter)) in filters.iter().enumerate() {
            let mut hits = 0;
            let ours = repeat(runs, || {
                hits = ws.search(word, filter, 20).expect("search").len();
            });
            let (r1, r2) = if i == 0 {
                (ms(raw_full), ms(raw_bounded))
            } else {
                (String::new(), String::new())
            };
            println!(
                "| {label} \"{word}\"{flabel} ({hits} hits) | {} | **{}** | {r1} | {r2} |",
                doc_count(word),
                ms(ours),
            );
        }
    }
}
