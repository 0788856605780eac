//! Drafts in the index: what is stored for each, and the queries the app and CLI need.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::Index;
use crate::error::{DraftError, Result};
use crate::front_matter::Status;

/// What the drafts list shows of a draft.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DraftSummary {
    /// Relative to the drafts folder, `/`-separated.
    pub path: String,
    pub title: String,
    pub status: Status,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub author: Option<String>,
    pub excerpt: Option<String>,
    pub publish_at: Option<String>,
    pub modified_ms: i64,
    pub words: usize,
    /// Set when the file cannot be parsed; the draft still lists and opens as text.
    pub error: Option<DraftError>,
    /// The portal post this draft was published as (from its `portal:` record).
    pub portal_post_id: Option<i64>,
    pub portal_link: Option<String>,
}

/// A draft ready to be stored: its summary, file identity and searchable text.
#[derive(Debug, Clone)]
pub struct IndexedDraft {
    pub summary: DraftSummary,
    pub state: FileState,
    pub slug: Option<String>,
    pub plain_body: String,
}

/// What tells us a file changed without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileState {
    pub size: u64,
    pub mtime_ns: i64,
    pub hash: String,
}

/// Narrows a list or a search.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Filter {
    pub status: Option<Status>,
    pub category: Option<String>,
    pub tag: Option<String>,
    pub author: Option<String>,
    /// Leave out conflict copies (`story.conflict-20261126-093000.md`): a queue such as
    /// "Needs my action" shows the drafts, and a copy waits to be settled, not moved along.
    pub without_conflict_copies: Option<bool>,
}

/// One page of a listing: `drafts` are the rows `offset..offset + drafts.len()` of the
/// drafts matching the filter, in the order of [`Index::list`]; `total` counts them all.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DraftPage {
    pub total: usize,
    pub offset: usize,
    pub drafts: Vec<DraftSummary>,
}

/// A search result: the draft and a snippet with matches between `\u{2}` and `\u{3}`.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct SearchHit {
    pub draft: DraftSummary,
    pub snippet: String,
}

/// Marks the start of a match in a snippet (STX); the UI turns it into `<mark>`.
pub const MATCH_START: char = '\u{2}';
/// Marks the end of a match in a snippet (ETX).
pub const MATCH_END: char = '\u{3}';

/// How many of the newest matching drafts a search scores (see [`Index::search`]).
pub const SEARCH_CANDIDATES: usize = 1_000;

/// How many words a search hit's snippet shows.
const SNIPPET_WORDS: usize = 16;

/// The `n`-word window of `text` (matches marked between [`MATCH_START`] and
/// [`MATCH_END`] by FTS5's highlight()) holding the most distinct matched words, then the
/// most matches, the earliest winning ties; with `…` where text was cut. `None` when
/// nothing is marked. Linear in the text: a sliding window over its words.
fn snippet_window(text: &str, n: usize) -> Option<String> {
    if !text.contains(MATCH_START) {
        return None;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    // The matched term a word holds, lowercased, if any.
    let term = |w: &str| -> Option<String> {
        let start = w.find(MATCH_START)?;
        let rest = &w[start + MATCH_START.len_utf8()..];
        let end = rest.find(MATCH_END).unwrap_or(rest.len());
        Some(rest[..end].to_lowercase())
    };
    let terms: Vec<Option<String>> = words.iter().map(|w| term(w)).collect();
    let n = n.max(1);
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let (mut distinct, mut hits) = (0usize, 0usize);
    let mut best = (0usize, 0usize, 0usize); // (distinct, hits, start)
    for i in 0..words.len() {
        if let Some(t) = &terms[i] {
            let c = counts.entry(t.as_str()).or_insert(0);
            if *c == 0 {
                distinct += 1;
            }
            *c += 1;
            hits += 1;
        }
        if i >= n {
            if let Some(t) = &terms[i - n] {
                if let Some(c) = counts.get_mut(t.as_str()) {
                    *c -= 1;
                    if *c == 0 {
                        distinct -= 1;
                    }
                }
                hits -= 1;
            }
        }
        let start = (i + 1).saturating_sub(n);
        if (distinct, hits) > (best.0, best.1) {
            best = (distinct, hits, start);
        }
    }
    // Centre the window's matches: as much context before the first as after the last.
    let start = best.2;
    let end = (start + n).min(words.len());
    let first = (start..end).find(|&i| terms[i].is_some()).unwrap_or(start);
    let last = (start..end).rfind(|&i| terms[i].is_some()).unwrap_or(first);
    let slack = n.saturating_sub(last - first + 1);
    let centred = first
        .saturating_sub(slack / 2)
        .min(words.len().saturating_sub(n));
    Some(cut(&words, centred, n))
}

/// What a snippet looks for: the FTS5 query's words, lowercased and without diacritics
/// (as the `unicode61 remove_diacritics 2` tokenizer folds them), the last one a prefix
/// when the query says so.
fn query_terms(fts: &str) -> Vec<(String, bool)> {
    let words: Vec<&str> = fts.split('"').skip(1).step_by(2).collect();
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .filter(|(_, w)| !w.is_empty())
        .map(|(i, w)| (fold(w), i == last && fts.ends_with('*')))
        .collect()
}

fn fold(token: &str) -> String {
    if token.is_ascii() {
        token.to_ascii_lowercase()
    } else {
        deunicode::deunicode(token).to_lowercase()
    }
}

/// The snippet for `text` (a column's plain text) and the query's `terms`, found by our
/// own pass over the text: the `n`-word window with the most distinct terms, matches
/// marked. The pass stops once a window holds every term and the words after it are
/// read, so a long draft full of a common word costs a few words, not the draft. `None`
/// when no token matches (the tokenizer saw something ours folds differently): the
/// caller then asks FTS5's highlight().
fn snippet_of_text(text: &str, terms: &[(String, bool)], n: usize) -> Option<String> {
    let n = n.max(1);
    let want: usize = {
        let mut t: Vec<&String> = terms.iter().map(|(w, _)| w).collect();
        t.sort();
        t.dedup();
        t.len()
    };
    // The term index a token matches.
    let matches = |token: &str| -> Option<usize> {
        let folded = fold(token);
        terms.iter().position(|(w, prefix)| {
            if *prefix {
                folded.starts_with(w.as_str())
            } else {
                folded == *w
            }
        })
    };
    let mut words: Vec<&str> = Vec::new();
    let mut hit: Vec<Option<usize>> = Vec::new();
    let mut counts = vec![0usize; terms.len()];
    let (mut distinct, mut hits) = (0usize, 0usize);
    let mut best: Option<(usize, usize, usize)> = None; // (distinct, hits, start)
    for (i, word) in text.split_whitespace().enumerate() {
        if let Some((d, _, start)) = best {
            if d == want && i >= start + n + n {
                break;
            }
        }
        let m = word
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .find_map(matches);
        words.push(word);
        hit.push(m);
        if let Some(t) = m {
            if counts[t] == 0 {
                distinct += 1;
            }
            counts[t] += 1;
            hits += 1;
        }
        if i >= n {
            if let Some(t) = hit[i - n] {
                counts[t] -= 1;
                if counts[t] == 0 {
                    distinct -= 1;
                }
                hits -= 1;
            }
        }
        if hits > 0 && best.is_none_or(|(d, h, _)| (distinct, hits) > (d, h)) {
            best = Some((distinct, hits, (i + 1).saturating_sub(n)));
        }
    }
    let (_, _, start) = best?;
    let end = (start + n).min(words.len());
    let first = (start..end).find(|&i| hit[i].is_some()).unwrap_or(start);
    let last = (start..end).rfind(|&i| hit[i].is_some()).unwrap_or(first);
    let slack = n.saturating_sub(last - first + 1);
    let centred = first
        .saturating_sub(slack / 2)
        .min(words.len().saturating_sub(n));
    let marked: Vec<String> = words
        .iter()
        .zip(&hit)
        .skip(centred)
        .take(n)
        .map(|(w, h)| {
            if h.is_some() {
                mark_tokens(w, &matches)
            } else {
                (*w).to_owned()
            }
        })
        .collect();
    let marked: Vec<&str> = marked.iter().map(String::as_str).collect();
    let mut out = cut(&marked, 0, n);
    if centred > 0 {
        out.insert(0, '…');
    }
    if centred + n < words.len() && !out.ends_with('…') {
        out.push('…');
    }
    Some(out)
}

/// `word` with each matching token between [`MATCH_START`] and [`MATCH_END`].
fn mark_tokens(word: &str, matches: &dyn Fn(&str) -> Option<usize>) -> String {
    let mut out = String::with_capacity(word.len() + 4);
    let mut token_start: Option<usize> = None;
    let flush = |out: &mut String, token: &str| {
        if matches(token).is_some() {
            out.push(MATCH_START);
            out.push_str(token);
            out.push(MATCH_END);
        } else {
            out.push_str(token);
        }
    };
    for (i, c) in word.char_indices() {
        if c.is_alphanumeric() {
            token_start.get_or_insert(i);
        } else {
            if let Some(s) = token_start.take() {
                flush(&mut out, &word[s..i]);
            }
            out.push(c);
        }
    }
    if let Some(s) = token_start {
        flush(&mut out, &word[s..]);
    }
    out
}

/// The first `n` words of `text`, for a hit whose match FTS5 did not mark in any column.
fn snippet_window_or_start(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    cut(&words, 0, n)
}

fn cut(words: &[&str], start: usize, n: usize) -> String {
    let end = (start + n).min(words.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&words[start..end].join(" "));
    if end < words.len() {
        out.push('…');
    }
    out
}

/// The drafts list's order: newest change first, the path deciding ties (pages rely on it).
const LIST_ORDER: &str = "ORDER BY d.mtime_ns DESC, d.path";

const SUMMARY_COLUMNS: &str = "d.path, d.title, d.status, d.categories, d.tags, d.author, d.excerpt, d.publish_at, d.mtime_ns, d.words, d.error_line, d.error_message, d.portal_post_id, d.portal_link";

fn summary_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<DraftSummary> {
    let status: String = row.get(2)?;
    let categories: String = row.get(3)?;
    let tags: String = row.get(4)?;
    let mtime_ns: i64 = row.get(8)?;
    let error_message: Option<String> = row.get(11)?;
    Ok(DraftSummary {
        path: row.get(0)?,
        title: row.get(1)?,
        status: status.parse().unwrap_or_default(),
        categories: serde_json::from_str(&categories).unwrap_or_default(),
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        author: row.get(5)?,
        excerpt: row.get(6)?,
        publish_at: row.get(7)?,
        modified_ms: mtime_ns / 1_000_000,
        words: row.get::<_, i64>(9)? as usize,
        error: error_message.map(|message| DraftError {
            line: row
                .get::<_, Option<i64>>(10)
                .ok()
                .flatten()
                .map(|l| l as usize),
            message,
        }),
        portal_post_id: row.get(12)?,
        portal_link: row.get(13)?,
    })
}

/// `WHERE` clauses and parameters for a filter, over the alias `d`. A category or tag is
/// one seek per row in `draft_terms`' (kind, name, draft_id) index: a search for a common
/// word tests thousands of rows, one for a rare word a few (an `IN` list built per query
/// cost a fixed 10 ms for a category of 10,000 drafts).
fn filter_sql(filter: &Filter) -> (String, Vec<String>) {
    filter_sql_on(filter, "d.id")
}

/// [`filter_sql`] with the draft's id as `id` in the category and tag tests, so a search
/// filtered only by those can test FTS5's rowid without reading a `drafts` row.
fn filter_sql_on(filter: &Filter, id: &str) -> (String, Vec<String>) {
    let mut sql = String::new();
    let mut params = Vec::new();
    if let Some(status) = filter.status {
        sql.push_str(" AND d.status = ?");
        params.push(status.as_str().to_owned());
    }
    if let Some(category) = filter.category.as_deref().filter(|c| !c.is_empty()) {
        sql.push_str(&format!(" AND EXISTS (SELECT 1 FROM draft_terms t WHERE t.kind = 'category' AND t.name = ? AND t.draft_id = {id})"));
        params.push(category.to_owned());
    }
    if let Some(tag) = filter.tag.as_deref().filter(|c| !c.is_empty()) {
        sql.push_str(&format!(" AND EXISTS (SELECT 1 FROM draft_terms t WHERE t.kind = 'tag' AND t.name = ? AND t.draft_id = {id})"));
        params.push(tag.to_owned());
    }
    if let Some(author) = filter.author.as_deref().filter(|c| !c.is_empty()) {
        sql.push_str(" AND d.author = ? COLLATE NOCASE");
        params.push(author.to_owned());
    }
    if filter.without_conflict_copies == Some(true) {
        // the shape `files::is_conflict_copy` reads: `.conflict-` + 8 digits + `-` + 6 digits
        sql.push_str(" AND d.path NOT GLOB ?");
        params.push(format!(
            "*.conflict-{0}{0}{0}{0}{0}{0}{0}{0}-{0}{0}{0}{0}{0}{0}*",
            "[0-9]"
        ));
    }
    (sql, params)
}

/// Turns what a person types into a safe FTS5 query: every word must match, the last as
/// a prefix (search as you type), and FTS5 syntax characters are never interpreted.
pub fn fts_query(input: &str) -> Option<String> {
    let words: Vec<String> = input
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .map(|w| w.trim_matches(['\'', '-']))
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.replace('"', "")))
        .collect();
    if words.is_empty() {
        return None;
    }
    let mut q = words.join(" ");
    q.push('*');
    Some(q)
}

impl Index {
    /// Every indexed file's identity, to decide what a scan must reread.
    pub fn file_states(&self) -> Result<HashMap<String, FileState>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT path, size, mtime_ns, hash FROM drafts")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    FileState {
                        size: r.get::<_, i64>(1)? as u64,
                        mtime_ns: r.get(2)?,
                        hash: r.get(3)?,
                    },
                ))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// Calls `each` with every indexed draft's path, size, mtime and hash, one row at a
    /// time in the table's own order (a sequential read; nothing is held but what `each`
    /// keeps): a reconcile compares the folder with the index without a map of it.
    pub fn each_file_state(&self, mut each: impl FnMut(&str, u64, i64, &str)) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT path, size, mtime_ns, hash FROM drafts")
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let text = |i: usize| {
                r.get_ref(i)
                    .and_then(|v| v.as_str().map_err(Into::into))
                    .map_err(|e| self.err(e))
            };
            let size = r.get::<_, i64>(1).map_err(|e| self.err(e))?;
            let mtime_ns = r.get::<_, i64>(2).map_err(|e| self.err(e))?;
            each(text(0)?, size as u64, mtime_ns, text(3)?);
        }
        Ok(())
    }

    /// Whether no draft is indexed (a folder opened for the first time, or rebuilt).
    pub fn is_empty(&self) -> Result<bool> {
        self.conn
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM drafts)", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// One indexed file's identity.
    pub fn file_state(&self, path: &str) -> Result<Option<FileState>> {
        self.conn
            .prepare_cached("SELECT size, mtime_ns, hash FROM drafts WHERE path = ?")
            .and_then(|mut st| {
                st.query_row([path], |r| {
                    Ok(FileState {
                        size: r.get::<_, i64>(0)? as u64,
                        mtime_ns: r.get(1)?,
                        hash: r.get(2)?,
                    })
                })
                .optional()
            })
            .map_err(|e| self.err(e))
    }

    /// Adds or replaces a draft.
    pub fn upsert(&self, d: &IndexedDraft) -> Result<()> {
        let s = &d.summary;
        let existing: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM drafts WHERE path = ?")
            .and_then(|mut st| st.query_row([&s.path], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))?;
        let categories = serde_json::to_string(&s.categories).unwrap_or_else(|_| "[]".into());
        let tags = serde_json::to_string(&s.tags).unwrap_or_else(|_| "[]".into());
        let values = params![
            s.path,
            d.state.size as i64,
            d.state.mtime_ns,
            d.state.hash,
            s.title,
            s.status.as_str(),
            s.author,
            d.slug,
            s.excerpt,
            s.publish_at,
            categories,
            tags,
            s.words as i64,
            s.error.as_ref().and_then(|e| e.line).map(|l| l as i64),
            s.error.as_ref().map(|e| e.message.clone()),
            s.portal_post_id,
            s.portal_link,
        ];
        // A changed draft is deleted and inserted again rather than updated in place, so
        // it takes the next rowid: rowid order is the order drafts were last written
        // (changed), which is what lets a search over a common word stop early (see
        // [`Index::search`]). `draft_terms` go with the row (ON DELETE CASCADE).
        if let Some(id) = existing {
            self.conn
                .prepare_cached("DELETE FROM drafts_fts WHERE rowid = ?")
                .and_then(|mut st| st.execute([id]))
                .map_err(|e| self.err(e))?;
            self.conn
                .prepare_cached("DELETE FROM drafts WHERE id = ?")
                .and_then(|mut st| st.execute([id]))
                .map_err(|e| self.err(e))?;
        }
        self.conn
            .prepare_cached(
                "INSERT INTO drafts (path, size, mtime_ns, hash, title, status, author, slug, excerpt, publish_at, categories, tags, words, error_line, error_message, portal_post_id, portal_link) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            )
            .and_then(|mut st| st.execute(values))
            .map_err(|e| self.err(e))?;
        let id = self.conn.last_insert_rowid();
        {
            let mut terms = self
                .conn
                .prepare_cached("INSERT INTO draft_terms (draft_id, kind, name) VALUES (?, ?, ?)")
                .map_err(|e| self.err(e))?;
            for c in &s.categories {
                terms
                    .execute(params![id, "category", c])
                    .map_err(|e| self.err(e))?;
            }
            for t in &s.tags {
                terms
                    .execute(params![id, "tag", t])
                    .map_err(|e| self.err(e))?;
            }
        }
        self.conn
            .prepare_cached("INSERT INTO drafts_fts (rowid, title, tags, body) VALUES (?, ?, ?, ?)")
            .and_then(|mut st| st.execute(params![id, s.title, s.tags.join(" "), d.plain_body]))
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Records a new mtime for a file whose content did not change (a `touch`, a sync tool).
    pub fn touch(&self, path: &str, state: &FileState) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE drafts SET size = ?, mtime_ns = ? WHERE path = ?")
            .and_then(|mut st| st.execute(params![state.size as i64, state.mtime_ns, path]))
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn remove(&self, path: &str) -> Result<()> {
        let id: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM drafts WHERE path = ?")
            .and_then(|mut st| st.query_row([path], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))?;
        if let Some(id) = id {
            self.conn
                .prepare_cached("DELETE FROM drafts_fts WHERE rowid = ?")
                .and_then(|mut st| st.execute([id]))
                .map_err(|e| self.err(e))?;
            self.conn
                .prepare_cached("DELETE FROM drafts WHERE id = ?")
                .and_then(|mut st| st.execute([id]))
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Moves a draft and its revisions to a new path.
    pub fn rename(&self, from: &str, to: &str) -> Result<()> {
        self.conn
            .execute(
                "UPDATE drafts SET path = ? WHERE path = ?",
                params![to, from],
            )
            .map_err(|e| self.err(e))?;
        self.conn
            .execute(
                "UPDATE OR IGNORE revisions SET path = ? WHERE path = ?",
                params![to, from],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn summary(&self, path: &str) -> Result<Option<DraftSummary>> {
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM drafts d WHERE d.path = ?");
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut st| st.query_row([path], summary_from_row).optional())
            .map_err(|e| self.err(e))
    }

    /// Drafts matching `filter`, most recently changed first.
    pub fn list(&self, filter: &Filter) -> Result<Vec<DraftSummary>> {
        let (where_sql, params) = filter_sql(filter);
        let sql =
            format!("SELECT {SUMMARY_COLUMNS} FROM drafts d WHERE 1=1{where_sql} {LIST_ORDER}");
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params), summary_from_row)
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// Up to `limit` drafts matching `filter` from row `offset` on, in the order of
    /// [`Index::list`], and how many match in all. A page past the end is empty.
    pub fn list_page(&self, filter: &Filter, offset: usize, limit: usize) -> Result<DraftPage> {
        let (where_sql, params) = filter_sql(filter);
        let total: i64 = self
            .conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM drafts d WHERE 1=1{where_sql}"
            ))
            .and_then(|mut st| st.query_row(rusqlite::params_from_iter(&params), |r| r.get(0)))
            .map_err(|e| self.err(e))?;
        let total = total as usize;
        if limit == 0 || offset >= total {
            return Ok(DraftPage {
                total,
                offset,
                drafts: Vec::new(),
            });
        }
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM drafts d WHERE 1=1{where_sql} {LIST_ORDER} LIMIT ? OFFSET ?"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let bounds = [limit.min(i64::MAX as usize) as i64, offset as i64];
        let values = params
            .iter()
            .map(|p| p as &dyn rusqlite::ToSql)
            .chain(bounds.iter().map(|b| b as &dyn rusqlite::ToSql));
        let rows = stmt
            .query_map(rusqlite::params_from_iter(values), summary_from_row)
            .map_err(|e| self.err(e))?;
        let drafts = rows
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))?;
        Ok(DraftPage {
            total,
            offset,
            drafts,
        })
    }

    /// Full-text search over title, tags and body, best first, with snippets.
    ///
    /// Best first is bm25 (title 10×, tags 5×, body 1×) among the [`SEARCH_CANDIDATES`]
    /// most recently changed drafts that match (and pass the filter): exactly bm25 over
    /// every match when fewer match, which is what a name or a rare word does. A word in
    /// most of the archive says little about which draft is meant, and scoring all of
    /// its matches grows with the archive (≈ 60 ms for FTS5 alone over 100,000); FTS5
    /// walks its matches in rowid order and stops at the bound, and rowid order is the
    /// order drafts last changed (see [`Index::upsert`]), so such a search ranks the
    /// newest copy that uses the word, in a time independent of the archive's size.
    pub fn search(&self, query: &str, filter: &Filter, limit: usize) -> Result<Vec<SearchHit>> {
        self.search_bounded(query, filter, limit, SEARCH_CANDIDATES)
    }

    /// The FTS5 query [`Index::search`] runs for what a person typed: [`fts_query`], but
    /// the last word is matched exactly, not as a prefix, when it is itself a word of at
    /// least [`SEARCH_CANDIDATES`] drafts. Typing "minis" finds "minister"; "the" finds
    /// "the" and not also every "then", "there" and "theatre": a prefix of a common word
    /// expands to dozens of terms whose matches FTS5 merges in full before it can rank or
    /// stop (25 ms for "the*" over 10,000 drafts, against 1.8 ms for "the"), and a word
    /// that common ranks only its newest matches anyway. Counting stops at the bound.
    pub fn search_query(&self, input: &str) -> Result<Option<String>> {
        self.search_query_bounded(input, SEARCH_CANDIDATES)
    }

    fn search_query_bounded(&self, input: &str, common: usize) -> Result<Option<String>> {
        let Some(prefixed) = fts_query(input) else {
            return Ok(None);
        };
        let exact = prefixed.trim_end_matches('*');
        let last = exact.rsplit(' ').next().unwrap_or(exact);
        let common = common.clamp(1, i64::MAX as usize) as i64;
        let count: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM (SELECT 1 FROM drafts_fts WHERE drafts_fts MATCH ? LIMIT ?)",
            )
            .and_then(|mut st| st.query_row(params![last, common], |r| r.get(0)))
            .map_err(|e| self.err(e))?;
        Ok(Some(if count >= common {
            exact.to_owned()
        } else {
            prefixed
        }))
    }

    /// [`Index::search`] with its bound on the drafts scored given (tests use a small one).
    pub fn search_bounded(
        &self,
        query: &str,
        filter: &Filter,
        limit: usize,
        candidates: usize,
    ) -> Result<Vec<SearchHit>> {
        let Some(fts) = self.search_query_bounded(query, candidates)? else {
            return Ok(Vec::new());
        };
        let (where_sql, mut params) = filter_sql_on(filter, "drafts_fts.rowid");
        // Without a status, author or path test the candidates need no row of `drafts`:
        // one lookup less for each match tested.
        let needs_row = filter.status.is_some()
            || filter.author.as_deref().is_some_and(|a| !a.is_empty())
            || filter.without_conflict_copies == Some(true);
        let join = if !needs_row {
            ""
        } else {
            " JOIN drafts d ON d.id = drafts_fts.rowid"
        };
        // Candidates first (FTS5 consumes the rowid order and stops at the LIMIT), then
        // the best of them.
        let sql = format!(
            "SELECT id FROM ( \
                 SELECT drafts_fts.rowid AS id, bm25(drafts_fts, 10.0, 5.0, 1.0) AS score \
                 FROM drafts_fts{join} \
                 WHERE drafts_fts MATCH ?1{where_sql} ORDER BY drafts_fts.rowid DESC LIMIT ?) \
             ORDER BY score, id DESC LIMIT ?"
        );
        params.insert(0, fts.clone());
        params.push(candidates.clamp(1, i64::MAX as usize).to_string());
        params.push(limit.min(i64::MAX as usize).to_string());
        let top: Vec<i64> = {
            let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
            let rows = stmt
                .query_map(rusqlite::params_from_iter(params), |r| r.get(0))
                .map_err(|e| self.err(e))?;
            rows.collect::<rusqlite::Result<_>>()
                .map_err(|e| self.err(e))?
        };
        // Then a snippet for each of the top hits only, one row at a time (joined back to
        // the ranking in one statement, FTS5 re-ran the whole match per hit). Not FTS5's
        // snippet(): it scores a window at every match against every other match, so a
        // long draft holding a common word hundreds of times took 2 ms each (45 ms for
        // twenty). highlight() marks the matches in one pass; [`snippet_window`] then
        // picks the window, also in one pass.
        let mut marked = self
            .conn
            .prepare_cached(
                "SELECT highlight(drafts_fts, 2, char(2), char(3)), \
                        highlight(drafts_fts, 0, char(2), char(3)), \
                        highlight(drafts_fts, 1, char(2), char(3)) \
                 FROM drafts_fts WHERE drafts_fts MATCH ?1 AND rowid = ?2",
            )
            .map_err(|e| self.err(e))?;
        let mut summary = self
            .conn
            .prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM drafts d WHERE d.id = ?"
            ))
            .map_err(|e| self.err(e))?;
        let terms = query_terms(&fts);
        let mut plain = self
            .conn
            .prepare_cached("SELECT body, title, tags FROM drafts_fts WHERE rowid = ?")
            .map_err(|e| self.err(e))?;
        let mut hits = Vec::with_capacity(top.len());
        for id in top {
            let columns: [String; 3] = plain
                .query_row([id], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?]))
                .map_err(|e| self.err(e))?;
            // The body's best window, else the title or tags where the match was; FTS5's
            // own marks when our folding missed the token it matched.
            let snippet = match columns
                .iter()
                .find_map(|c| snippet_of_text(c, &terms, SNIPPET_WORDS))
            {
                Some(s) => s,
                None => {
                    let columns: [String; 3] = marked
                        .query_row(params![fts, id], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?]))
                        .map_err(|e| self.err(e))?;
                    columns
                        .iter()
                        .find_map(|c| snippet_window(c, SNIPPET_WORDS))
                        .unwrap_or_else(|| snippet_window_or_start(&columns[0], SNIPPET_WORDS))
                }
            };
            let draft = summary
                .query_row([id], summary_from_row)
                .map_err(|e| self.err(e))?;
            hits.push(SearchHit { draft, snippet });
        }
        Ok(hits)
    }

    /// Distinct names used in the folder (`kind` is `category` or `tag`), most used first.
    pub fn terms(&self, kind: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name FROM draft_terms WHERE kind = ? GROUP BY name COLLATE NOCASE ORDER BY count(*) DESC, name")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([kind], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// Every author named in the folder, in order: one seek per author in
    /// `drafts_by_author` (each the smallest name after the last), not a read of every
    /// draft, so it costs the same with 100,000 drafts as with ten.
    pub fn authors(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "WITH RECURSIVE next(author) AS (
                     SELECT min(author) FROM drafts WHERE author > ''
                     UNION ALL
                     SELECT (SELECT min(author) FROM drafts WHERE author > next.author)
                     FROM next WHERE next.author IS NOT NULL
                 )
                 SELECT author FROM next WHERE author IS NOT NULL",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(
        path: &str,
        title: &str,
        status: Status,
        cats: &[&str],
        tags: &[&str],
        body: &str,
        mtime: i64,
    ) -> IndexedDraft {
        IndexedDraft {
            summary: DraftSummary {
                path: path.into(),
                title: title.into(),
                status,
                categories: cats.iter().map(|s| s.to_string()).collect(),
                tags: tags.iter().map(|s| s.to_string()).collect(),
                author: Some("Ana Kovač".into()),
                excerpt: None,
                publish_at: None,
                modified_ms: mtime / 1_000_000,
                words: body.split_whitespace().count(),
                error: None,
                portal_post_id: None,
                portal_link: None,
            },
            state: FileState {
                size: body.len() as u64,
                mtime_ns: mtime,
                hash: format!("h-{path}"),
            },
            slug: None,
            plain_body: body.into(),
        }
    }

    fn sample() -> Index {
        let idx = Index::open_in_memory().unwrap();
        idx.upsert(&draft(
            "world/minsk.md",
            "Minsk talks stall",
            Status::InReview,
            &["World"],
            &["Belarus", "Russia"],
            "Delegations met in Minsk on Tuesday but left without a ceasefire deal.",
            3_000_000,
        ))
        .unwrap();
        idx.upsert(&draft(
            "sport/derby.md",
            "Derby ends level",
            Status::Draft,
            &["Sports"],
            &["Football"],
            "The derby ended one all after a late penalty.",
            2_000_000,
        ))
        .unwrap();
        idx.upsert(&draft(
            "science/fusion.md",
            "Fusion milestone",
            Status::Approved,
            &["Science", "Technology"],
            &["Energy"],
            "Researchers kept a plasma stable for minutes, a step towards fusion power.",
            1_000_000,
        ))
        .unwrap();
        idx
    }

    #[test]
    fn a_queue_can_leave_out_conflict_copies_in_lists_and_searches() {
        let idx = sample();
        idx.upsert(&draft(
            "world/minsk.conflict-20261126-093000.md",
            "Minsk talks stall",
            Status::InReview,
            &["World"],
            &["Belarus"],
            "Delegations met in Minsk on Tuesday, said the colleague's version.",
            4_000_000,
        ))
        .unwrap();
        // a name that only looks like one (no stamp) stays
        idx.upsert(&draft(
            "world/minsk.conflict-notes.md",
            "Notes on the conflict",
            Status::InReview,
            &["World"],
            &[],
            "Minsk notes.",
            500_000,
        ))
        .unwrap();
        let in_review = |without| Filter {
            status: Some(Status::InReview),
            without_conflict_copies: without,
            ..Default::default()
        };
        let paths = |f: &Filter| -> Vec<String> {
            idx.list(f).unwrap().into_iter().map(|d| d.path).collect()
        };
        assert_eq!(
            paths(&in_review(None)),
            [
                "world/minsk.conflict-20261126-093000.md",
                "world/minsk.md",
                "world/minsk.conflict-notes.md"
            ]
        );
        assert_eq!(
            paths(&in_review(Some(true))),
            ["world/minsk.md", "world/minsk.conflict-notes.md"]
        );
        let page = idx.list_page(&in_review(Some(true)), 0, 10).unwrap();
        assert_eq!(page.total, 2);
        let found: Vec<String> = idx
            .search("Minsk", &in_review(Some(true)), 20)
            .unwrap()
            .into_iter()
            .map(|h| h.draft.path)
            .collect();
        assert!(!found.iter().any(|p| p.contains("093000")), "{found:?}");
        assert!(found.contains(&"world/minsk.md".to_owned()), "{found:?}");
        // every path the test lets through is one `is_conflict_copy` does not call a copy
        for p in paths(&in_review(Some(true))) {
            assert!(!crate::files::is_conflict_copy(&p), "{p}");
        }
    }

    #[test]
    fn lists_newest_first_with_filters() {
        let idx = sample();
        let all: Vec<_> = idx
            .list(&Filter::default())
            .unwrap()
            .into_iter()
            .map(|d| d.path)
            .collect();
        assert_eq!(
            all,
            vec!["world/minsk.md", "sport/derby.md", "science/fusion.md"]
        );
        let tech = idx
            .list(&Filter {
                category: Some("technology".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(tech.len(), 1);
        assert_eq!(tech[0].categories, vec!["Science", "Technology"]);
        let review = idx
            .list(&Filter {
                status: Some(Status::InReview),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(review[0].path, "world/minsk.md");
        assert_eq!(
            idx.list(&Filter {
                tag: Some("Belarus".into()),
                ..Default::default()
            })
            .unwrap()
            .len(),
            1
        );
        assert_eq!(
            idx.list(&Filter {
                author: Some("ana kovač".into()),
                ..Default::default()
            })
            .unwrap()
            .len(),
            3
        );
    }

    fn paths(page: &DraftPage) -> Vec<&str> {
        page.drafts.iter().map(|d| d.path.as_str()).collect()
    }

    /// `sample()` and `n` more drafts `bulk/NNN.md`, `World` for even numbers; several share
    /// one mtime so the path decides their order.
    fn many(n: usize) -> Index {
        let idx = sample();
        for i in 0..n {
            let cats: &[&str] = if i % 2 == 0 { &["World"] } else { &["Sports"] };
            idx.upsert(&draft(
                &format!("bulk/{i:03}.md"),
                &format!("Bulk {i}"),
                Status::Draft,
                cats,
                &[],
                "Body.",
                500_000 - (i as i64 / 3) * 1_000,
            ))
            .unwrap();
        }
        idx
    }

    #[test]
    fn pages_follow_the_list_order_and_count_the_filtered_total() {
        let idx = many(50);
        let all = idx.list(&Filter::default()).unwrap();
        assert_eq!(all.len(), 53);
        let mut joined = Vec::new();
        for offset in (0..60).step_by(20) {
            let page = idx.list_page(&Filter::default(), offset, 20).unwrap();
            assert_eq!(page.total, 53);
            assert_eq!(page.offset, offset);
            joined.extend(page.drafts);
        }
        assert_eq!(joined, all, "pages join into exactly the list");

        let world = Filter {
            category: Some("world".into()),
            ..Default::default()
        };
        let listed = idx.list(&world).unwrap();
        assert_eq!(listed.len(), 26); // minsk + the 25 even bulk drafts
        let page = idx.list_page(&world, 5, 10).unwrap();
        assert_eq!(page.total, 26);
        assert_eq!(page.drafts, listed[5..15].to_vec());
        let last = idx.list_page(&world, 20, 10).unwrap();
        assert_eq!(last.total, 26);
        assert_eq!(last.drafts, listed[20..].to_vec());

        let in_review = idx
            .list_page(
                &Filter {
                    status: Some(Status::InReview),
                    ..Default::default()
                },
                0,
                10,
            )
            .unwrap();
        assert_eq!(
            (in_review.total, paths(&in_review)),
            (1, vec!["world/minsk.md"])
        );
        let tagged = idx
            .list_page(
                &Filter {
                    tag: Some("Football".into()),
                    ..Default::default()
                },
                0,
                10,
            )
            .unwrap();
        assert_eq!((tagged.total, paths(&tagged)), (1, vec!["sport/derby.md"]));
    }

    #[test]
    fn a_page_past_the_end_or_of_nothing_is_empty_with_the_total() {
        let idx = many(10);
        let past = idx.list_page(&Filter::default(), 13, 20).unwrap();
        assert_eq!((past.total, past.offset, past.drafts.len()), (13, 13, 0));
        let far = idx.list_page(&Filter::default(), 10_000, 20).unwrap();
        assert_eq!((far.total, far.drafts.len()), (13, 0));
        let none = idx.list_page(&Filter::default(), 0, 0).unwrap();
        assert_eq!((none.total, none.drafts.len()), (13, 0));
        let huge = idx.list_page(&Filter::default(), 0, usize::MAX).unwrap();
        assert_eq!(huge.drafts.len(), 13);
        let nobody = idx
            .list_page(
                &Filter {
                    author: Some("Nobody".into()),
                    ..Default::default()
                },
                0,
                20,
            )
            .unwrap();
        assert_eq!((nobody.total, nobody.drafts.len()), (0, 0));
    }

    #[test]
    fn searches_title_tags_and_body_with_snippets() {
        let idx = sample();
        let hits = idx.search("ceasefire", &Filter::default(), 20).unwrap();
        assert_eq!(hits.len(), 1);
        assert!(
            hits[0].snippet.contains("\u{2}ceasefire\u{3}"),
            "{}",
            hits[0].snippet
        );
        assert_eq!(
            idx.search("belarus", &Filter::default(), 20).unwrap()[0]
                .draft
                .path,
            "world/minsk.md"
        );
        // Prefix match on the last word, as you type.
        assert_eq!(idx.search("plas", &Filter::default(), 20).unwrap().len(), 1);
        // FTS syntax is not interpreted.
        assert!(
            idx.search("\"unbalanced AND OR NEAR(", &Filter::default(), 20)
                .is_ok()
        );
        assert!(
            idx.search("   ", &Filter::default(), 20)
                .unwrap()
                .is_empty()
        );
        // Filters apply to search too: by author (a row of `drafts`), by tag (the terms
        // alone), both.
        let by = |author: &str, tag: &str| {
            idx.search(
                "derby",
                &Filter {
                    author: Some(author.into()),
                    tag: Some(tag.into()),
                    ..Default::default()
                },
                20,
            )
            .unwrap()
            .len()
        };
        assert_eq!(by("ana kovač", "football"), 1);
        assert_eq!(by("", "football"), 1);
        assert_eq!(by("nobody", ""), 0);
        assert_eq!(by("", "belarus"), 0);
        assert!(
            idx.search(
                "derby",
                &Filter {
                    status: Some(Status::Approved),
                    ..Default::default()
                },
                20
            )
            .unwrap()
            .is_empty()
        );
    }

    #[test]
    fn a_snippet_is_the_window_with_the_most_distinct_matches() {
        let m = |w: &str| format!("\u{2}{w}\u{3}");
        let text = format!(
            "{} a b c d e f g {} h i j {} k l m n o p q r s t u v w x y z",
            m("Harbour"),
            m("harbour"),
            m("dredging")
        );
        // No four words hold both: the earliest match, centred.
        assert_eq!(
            snippet_window(&text, 4).unwrap(),
            format!("{} a b c…", m("Harbour"))
        );
        assert_eq!(
            snippet_window(&format!("a b c d e {} f g h i j", m("x")), 5).unwrap(),
            format!("…d e {} f g…", m("x"))
        );
        // Two distinct words beat the first match; the window is cut with ellipses.
        assert_eq!(
            snippet_window(&text, 6).unwrap(),
            format!("…{} h i j {} k…", m("harbour"), m("dredging"))
        );
        assert_eq!(
            snippet_window(&format!("{} x", m("a")), 16).unwrap(),
            format!("{} x", m("a"))
        );
        assert_eq!(snippet_window("nothing marked here", 16), None);
        assert_eq!(snippet_window("", 16), None);
        assert_eq!(snippet_window_or_start("one two three", 2), "one two…");
        // A long text of matches: one pass, the first window.
        let long = format!("{} ", m("the")).repeat(200_000);
        let w = snippet_window(&long, 16).unwrap();
        assert!(w.starts_with('\u{2}') && w.ends_with('…'), "{}", &w[..40]);
    }

    #[test]
    fn our_snippet_pass_marks_words_prefixes_and_folded_diacritics() {
        let m = |w: &str| format!("\u{2}{w}\u{3}");
        let terms = query_terms("\"kovač\" \"minis\"*");
        assert_eq!(terms, vec![("kovac".into(), false), ("minis".into(), true)]);
        let text = "Talks began. The Minister, Ana Kovač's deputy, said nothing new today.";
        assert_eq!(
            snippet_of_text(text, &terms, 16).unwrap(),
            format!(
                "Talks began. The {}, Ana {}'s deputy, said nothing new today.",
                m("Minister"),
                m("Kovač")
            )
        );
        assert_eq!(snippet_of_text("no match here", &terms, 16), None);
        // A long text full of the word: the pass stops after the first window.
        let long = "the ".repeat(500_000);
        let w = snippet_of_text(&long, &query_terms("\"the\""), 4).unwrap();
        assert_eq!(
            w,
            format!("{} {} {} {}…", m("the"), m("the"), m("the"), m("the"))
        );
        // Searches use it: the hit's snippet marks what was searched.
        let idx = sample();
        let hit = &idx
            .search("delegations minsk", &Filter::default(), 20)
            .unwrap()[0];
        assert!(hit.snippet.contains(&m("Delegations")), "{}", hit.snippet);
        assert!(hit.snippet.contains(&m("Minsk")), "{}", hit.snippet);
    }

    #[test]
    fn the_last_word_is_a_prefix_unless_it_is_a_common_word_of_the_archive() {
        let idx = sample();
        let q = |s: &str, common: usize| idx.search_query_bounded(s, common).unwrap();
        // In one draft: common from a bound of one, a prefix by default.
        assert_eq!(q("ceasefire", 1).as_deref(), Some("\"ceasefire\""));
        assert_eq!(
            idx.search_query("ceasefire").unwrap().as_deref(),
            Some("\"ceasefire\"*")
        );
        assert_eq!(q("plas", 1).as_deref(), Some("\"plas\"*"));
        assert_eq!(
            q("delegations ceasef", 1).as_deref(),
            Some("\"delegations\" \"ceasef\"*")
        );
        assert_eq!(q("\"", 1).as_deref(), None);
        idx.upsert(&draft(
            "then.md",
            "Then",
            Status::Draft,
            &[],
            &[],
            "And then there was one.",
            5_000_000,
        ))
        .unwrap();
        let paths = |hits: Vec<SearchHit>| -> Vec<String> {
            hits.into_iter().map(|h| h.draft.path).collect()
        };
        // "the" as a common word no longer also finds "then" or "there"…
        let the = paths(
            idx.search_bounded("the", &Filter::default(), 20, 1)
                .unwrap(),
        );
        assert_eq!(the, vec!["sport/derby.md"]);
        // …as a rare one it is still typed on.
        let the = paths(idx.search("the", &Filter::default(), 20).unwrap());
        assert!(the.contains(&"then.md".to_owned()), "{the:?}");
        assert_eq!(
            idx.search("ther", &Filter::default(), 20).unwrap()[0]
                .draft
                .path,
            "then.md"
        );
    }

    /// The whole path a scan takes for a hostile draft (parse, plain text, word count,
    /// FTS5): it finishes, and what follows the hostile part is still found.
    #[test]
    fn a_draft_of_repeated_link_and_tag_openers_is_indexed_and_searchable() {
        let idx = Index::open_in_memory().unwrap();
        for (i, pattern) in ["](", "<a", "[[", "``a`"].into_iter().enumerate() {
            let text = format!(
                "---\ntitle: Hostile {i}\n---\n{}\n\nneedle{i} at the end\n",
                pattern.repeat((2 << 20) / pattern.len())
            );
            let state = FileState {
                size: text.len() as u64,
                mtime_ns: 0,
                hash: format!("h{i}"),
            };
            let entry = crate::scan::entry_for_text(&format!("h{i}.md"), &text, state);
            assert!(entry.summary.error.is_none(), "{pattern}");
            idx.upsert(&entry).unwrap();
            let hits = idx
                .search(&format!("needle{i}"), &Filter::default(), 20)
                .unwrap();
            assert_eq!(hits.len(), 1, "{pattern}");
        }
    }

    #[test]
    fn upsert_replaces_and_remove_forgets() {
        let idx = sample();
        idx.upsert(&draft(
            "world/minsk.md",
            "Minsk talks resume",
            Status::Approved,
            &["World"],
            &["Belarus"],
            "A deal after all.",
            4_000_000,
        ))
        .unwrap();
        assert!(
            idx.search("ceasefire", &Filter::default(), 20)
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            idx.summary("world/minsk.md").unwrap().unwrap().title,
            "Minsk talks resume"
        );
        assert_eq!(
            idx.list(&Filter {
                tag: Some("Russia".into()),
                ..Default::default()
            })
            .unwrap()
            .len(),
            0
        );
        idx.remove("world/minsk.md").unwrap();
        assert!(idx.summary("world/minsk.md").unwrap().is_none());
        assert!(
            idx.search("deal", &Filter::default(), 20)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn terms_are_counted() {
        let idx = sample();
        assert_eq!(idx.terms("category").unwrap().len(), 4);
        assert_eq!(idx.authors().unwrap(), vec!["Ana Kovač"]);
    }

    /// The seek from one author to the next gives what `SELECT DISTINCT` gave: each name
    /// once, in order, none for drafts without one (absent or empty).
    #[test]
    fn authors_are_each_named_once_in_order() {
        let idx = Index::open_in_memory().unwrap();
        for (i, author) in [
            Some("Zoe"),
            None,
            Some("Ana Kovač"),
            Some(""),
            Some("Zoe"),
            Some("Bo"),
            Some("ana"),
        ]
        .into_iter()
        .enumerate()
        {
            let mut d = draft(&format!("d{i}.md"), "T", Status::Draft, &[], &[], "x", 1);
            d.summary.author = author.map(str::to_owned);
            idx.upsert(&d).unwrap();
        }
        assert_eq!(
            idx.authors().unwrap(),
            vec!["Ana Kovač", "Bo", "Zoe", "ana"]
        );
    }
}
