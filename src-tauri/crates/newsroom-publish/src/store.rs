//! The publish database (`publish.sqlite3` in the data folder, never the drafts folder):
//! publish jobs — which are also the outbox —, the portal's categories and tags (a cache
//! with a time to live), and the media already uploaded (content hash → media id).
//!
//! Blocking: call it from `spawn_blocking` in async code.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{PublishError, Result};

const MIGRATIONS: &[&str] = &[
    r#"
    CREATE TABLE jobs (
        id              INTEGER PRIMARY KEY,
        key             TEXT NOT NULL UNIQUE,
        portal          TEXT NOT NULL,
        root            TEXT NOT NULL,
        path            TEXT NOT NULL,
        request         TEXT NOT NULL,
        state           TEXT NOT NULL CHECK (state IN ('queued', 'done', 'failed', 'cancelled')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_ms INTEGER NOT NULL,
        last_error_code TEXT,
        last_error      TEXT,
        post_id         INTEGER,
        link            TEXT,
        created_ms      INTEGER NOT NULL,
        updated_ms      INTEGER NOT NULL
    );
    CREATE INDEX jobs_by_state ON jobs(state, next_attempt_ms);
    CREATE INDEX jobs_by_draft ON jobs(portal, root, path);
    CREATE TABLE terms (
        site     TEXT NOT NULL,
        taxonomy TEXT NOT NULL,
        id       INTEGER NOT NULL,
        name     TEXT NOT NULL,
        slug     TEXT NOT NULL,
        PRIMARY KEY (site, taxonomy, id)
    );
    CREATE TABLE term_fetches (
        site       TEXT NOT NULL,
        taxonomy   TEXT NOT NULL,
        fetched_ms INTEGER NOT NULL,
        PRIMARY KEY (site, taxonomy)
    );
    CREATE TABLE media (
        site        TEXT NOT NULL,
        sha256      TEXT NOT NULL,
        media_id    INTEGER NOT NULL,
        url         TEXT NOT NULL,
        uploaded_ms INTEGER NOT NULL,
        PRIMARY KEY (site, sha256)
    );
"#,
    r#"
    -- 2: a `parked` state (a job that crashed the process twice waits for a person), the
    -- count of attempts started and not finished (written before serialising, so a crash
    -- that kills the process is still counted), the post's modified_gmt as we left it, and
    -- the posts this computer pulled into a draft (a pull makes the draft own the post).
    CREATE TABLE jobs_v2 (
        id                INTEGER PRIMARY KEY,
        key               TEXT NOT NULL UNIQUE,
        portal            TEXT NOT NULL,
        root              TEXT NOT NULL,
        path              TEXT NOT NULL,
        request           TEXT NOT NULL,
        state             TEXT NOT NULL CHECK (state IN ('queued', 'done', 'failed', 'cancelled', 'parked')),
        attempts          INTEGER NOT NULL DEFAULT 0,
        next_attempt_ms   INTEGER NOT NULL,
        last_error_code   TEXT,
        last_error        TEXT,
        post_id           INTEGER,
        link              TEXT,
        created_ms        INTEGER NOT NULL,
        updated_ms        INTEGER NOT NULL,
        starts_unfinished INTEGER NOT NULL DEFAULT 0,
        modified_gmt      TEXT
    );
    INSERT INTO jobs_v2 (id, key, portal, root, path, request, state, attempts, next_attempt_ms,
                         last_error_code, last_error, post_id, link, created_ms, updated_ms)
        SELECT id, key, portal, root, path, request, state, attempts, next_attempt_ms,
               last_error_code, last_error, post_id, link, created_ms, updated_ms FROM jobs;
    DROP TABLE jobs;
    ALTER TABLE jobs_v2 RENAME TO jobs;
    CREATE INDEX jobs_by_state ON jobs(state, next_attempt_ms);
    CREATE INDEX jobs_by_draft ON jobs(portal, root, path);
    CREATE TABLE pulls (
        portal       TEXT NOT NULL,
        root         TEXT NOT NULL,
        path         TEXT NOT NULL,
        post_id      INTEGER NOT NULL,
        modified_gmt TEXT,
        pulled_ms    INTEGER NOT NULL,
        PRIMARY KEY (portal, root, path, post_id)
    );
"#,
];

/// Attempts that may start and never finish (the process died: a crash, a kill, a power
/// cut) before a job is parked instead of being tried again. Two, so that one kill of the
/// app in the middle of a publish is not mistaken for a crash loop.
pub const MAX_UNFINISHED_STARTS: u32 = 2;

/// What was asked for: kept with the job, so a retry does the same.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct JobRequest {
    /// `draft`, `pending`, `publish`, `future`; `None`: from the draft.
    pub status: Option<String>,
    pub overwrite: bool,
    pub republish_new: bool,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Job {
    pub key: String,
    pub portal: String,
    /// The drafts folder (absolute).
    pub root: PathBuf,
    /// The draft, relative to `root`.
    pub path: String,
    pub request: JobRequest,
    /// `queued` (waiting or interrupted: in the outbox), `done`, `failed`, `cancelled`,
    /// `parked` (its attempts ended the process twice: in the outbox, never retried on its
    /// own; publishing the draft again or `--cancel` are the ways out).
    pub state: String,
    pub attempts: u32,
    pub next_attempt_ms: i64,
    pub last_error_code: Option<String>,
    pub last_error: Option<String>,
    pub post_id: Option<u64>,
    pub link: Option<String>,
    pub created_ms: i64,
    pub updated_ms: i64,
    /// Attempts started and not (yet) finished; see [`MAX_UNFINISHED_STARTS`].
    pub starts_unfinished: u32,
    /// The post's `modified_gmt` as our last write left it.
    pub modified_gmt: Option<String>,
}

/// How this computer knows that a post belongs to a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownPost {
    /// `published` (a job of this draft wrote it) or `pulled` (`newsroom pull` made the
    /// draft from it).
    pub origin: &'static str,
    /// The post's `modified_gmt` as we last saw it (`None`: not recorded).
    pub modified_gmt: Option<String>,
}

/// A portal term (category or tag).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Term {
    pub id: u64,
    pub name: String,
    pub slug: String,
}

/// The publish database: jobs (the outbox), the portal's terms and media we know.
///
/// One connection per process, shared by every clone (the outbox service, the app's
/// commands, the CLI): a publish makes about fifteen store calls, and opening a
/// connection for each (open, three pragmas, the schema check) was a measurable part of
/// our side of a publish. Calls are short and never nest, so a mutex serialises them;
/// other processes on the same file wait on SQLite's own lock (`busy_timeout`).
#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
    conn: Arc<Mutex<Connection>>,
}

pub fn now_ms() -> i64 {
    newsroom_core::scan::now_ms()
}

impl Store {
    /// The store in the data folder (`NEWSROOM_DATA_DIR` for tests).
    pub fn default_path() -> PathBuf {
        newsroom_core::workspace::data_dir().join("publish.sqlite3")
    }

    /// Opens (creating and migrating) the store.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = connect(path)?;
        Ok(Store {
            path: path.to_path_buf(),
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, e: rusqlite::Error) -> PublishError {
        PublishError::store(&self.path, e)
    }

    /// The process's connection (see [`Store`]); a panic in another call left it usable.
    fn conn(&self) -> Result<MutexGuard<'_, Connection>> {
        Ok(self
            .conn
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// The job for a draft on a portal: the unfinished one if there is one (so a retry,
    /// even from a new command, carries the same idempotency key), else a new one. Written
    /// before any request is made.
    pub fn job_for(
        &self,
        portal: &str,
        root: &Path,
        path: &str,
        request: &JobRequest,
    ) -> Result<Job> {
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        let root_s = root.to_string_lossy().to_string();
        let req = serde_json::to_string(request).unwrap_or_default();
        let now = now_ms();
        let existing: Option<String> = tx
            .query_row(
                "SELECT key FROM jobs WHERE portal = ?1 AND root = ?2 AND path = ?3 AND state IN ('queued', 'failed', 'parked') ORDER BY id DESC LIMIT 1",
                params![portal, root_s, path],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let key = match existing {
            Some(key) => {
                tx.execute(
                    "UPDATE jobs SET request = ?2, state = 'queued', starts_unfinished = 0, next_attempt_ms = ?3, updated_ms = ?3 WHERE key = ?1",
                    params![key, req, now],
                )
                .map_err(|e| self.err(e))?;
                key
            }
            None => {
                let key = new_key();
                tx.execute(
                    "INSERT INTO jobs (key, portal, root, path, request, state, next_attempt_ms, created_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, 'queued', ?6, ?6, ?6)",
                    params![key, portal, root_s, path, req, now],
                )
                .map_err(|e| self.err(e))?;
                key
            }
        };
        tx.commit().map_err(|e| self.err(e))?;
        drop(conn); // `job` takes the connection again
        self.job(&key)?
            .ok_or_else(|| PublishError::InvalidArgument("job vanished".into()))
    }

    /// The unfinished (queued, failed or parked) job of a draft, without touching it: what
    /// [`Store::job_for`] would reuse.
    pub fn unfinished_job(&self, portal: &str, root: &Path, path: &str) -> Result<Option<Job>> {
        let conn = self.conn()?;
        conn.query_row(
            &format!("SELECT {JOB_COLUMNS} FROM jobs WHERE portal = ?1 AND root = ?2 AND path = ?3 AND state IN ('queued', 'failed', 'parked') ORDER BY id DESC LIMIT 1"),
            params![portal, root.to_string_lossy(), path],
            job_from_row,
        )
        .optional()
        .map_err(|e| self.err(e))
    }

    pub fn job(&self, key: &str) -> Result<Option<Job>> {
        let conn = self.conn()?;
        conn.query_row(
            &format!("SELECT {JOB_COLUMNS} FROM jobs WHERE key = ?1"),
            params![key],
            job_from_row,
        )
        .optional()
        .map_err(|e| self.err(e))
    }

    /// Jobs in the outbox, soonest first: queued ones, and parked ones (shown with their
    /// error, never run by the outbox).
    pub fn outbox(&self) -> Result<Vec<Job>> {
        self.jobs_where(
            "state IN ('queued', 'parked') ORDER BY state = 'parked', next_attempt_ms, id",
        )
    }

    /// Recent jobs of any state, newest first.
    pub fn recent(&self, limit: usize) -> Result<Vec<Job>> {
        self.jobs_where(&format!(
            "1 ORDER BY updated_ms DESC, id DESC LIMIT {limit}"
        ))
    }

    fn jobs_where(&self, clause: &str) -> Result<Vec<Job>> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(&format!("SELECT {JOB_COLUMNS} FROM jobs WHERE {clause}"))
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([], job_from_row).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// The last post this draft became on this portal (when the front matter lost it).
    pub fn last_post(&self, portal: &str, root: &Path, path: &str) -> Result<Option<u64>> {
        let conn = self.conn()?;
        conn.query_row(
            "SELECT post_id FROM jobs WHERE portal = ?1 AND root = ?2 AND path = ?3 AND state = 'done' AND post_id IS NOT NULL ORDER BY updated_ms DESC, id DESC LIMIT 1",
            params![portal, root.to_string_lossy(), path],
            |r| r.get::<_, i64>(0),
        )
        .optional()
        .map(|o| o.map(|v| v as u64))
        .map_err(|e| self.err(e))
    }

    /// The post's `modified_gmt` as our last write of `post_id` for this draft left it, or
    /// as a pull saw it; `None` when this computer never published nor pulled that post
    /// for this draft. This is what makes a `portal.post_id` in a draft trustworthy
    /// without the post's marker (see `docs/publishing.md`).
    pub fn known_post(
        &self,
        portal: &str,
        root: &Path,
        path: &str,
        post_id: u64,
    ) -> Result<Option<KnownPost>> {
        let conn = self.conn()?;
        let root_s = root.to_string_lossy();
        let published: Option<Option<String>> = conn
            .query_row(
                "SELECT modified_gmt FROM jobs WHERE portal = ?1 AND root = ?2 AND path = ?3 AND post_id = ?4 ORDER BY updated_ms DESC, id DESC LIMIT 1",
                params![portal, root_s, path, post_id as i64],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        if let Some(modified_gmt) = published {
            return Ok(Some(KnownPost {
                origin: "published",
                modified_gmt,
            }));
        }
        let pulled: Option<Option<String>> = conn
            .query_row(
                "SELECT modified_gmt FROM pulls WHERE portal = ?1 AND root = ?2 AND path = ?3 AND post_id = ?4",
                params![portal, root_s, path, post_id as i64],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(pulled.map(|modified_gmt| KnownPost {
            origin: "pulled",
            modified_gmt,
        }))
    }

    /// Remembers that `newsroom pull` made the draft at `path` from `post_id`.
    pub fn record_pull(
        &self,
        portal: &str,
        root: &Path,
        path: &str,
        post_id: u64,
        modified_gmt: Option<&str>,
    ) -> Result<()> {
        let conn = self.conn()?;
        conn.execute(
            "INSERT OR REPLACE INTO pulls (portal, root, path, post_id, modified_gmt, pulled_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![portal, root.to_string_lossy(), path, post_id as i64, modified_gmt, now_ms()],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Counts an attempt as started, before anything of it can crash the process. A job
    /// whose earlier [`MAX_UNFINISHED_STARTS`] attempts never finished is parked instead,
    /// and the answer is [`PublishError::Parked`].
    pub fn start_attempt(&self, key: &str) -> Result<()> {
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        let started: Option<i64> = tx
            .query_row(
                "SELECT starts_unfinished FROM jobs WHERE key = ?1",
                params![key],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some(started) = started else {
            return Err(PublishError::InvalidArgument(format!(
                "no publish job {key} in the outbox"
            )));
        };
        if started >= i64::from(MAX_UNFINISHED_STARTS) {
            let message = crashed_message(started as u32);
            tx.execute(
                "UPDATE jobs SET state = 'parked', last_error_code = 'crashed', last_error = ?2, updated_ms = ?3 WHERE key = ?1",
                params![key, message, now_ms()],
            )
            .map_err(|e| self.err(e))?;
            tx.commit().map_err(|e| self.err(e))?;
            return Err(PublishError::Parked {
                key: key.to_owned(),
                message,
            });
        }
        tx.execute(
            "UPDATE jobs SET starts_unfinished = starts_unfinished + 1, updated_ms = ?2 WHERE key = ?1",
            params![key, now_ms()],
        )
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    /// Parks every queued job whose attempts ended the process [`MAX_UNFINISHED_STARTS`]
    /// times (called when an outbox starts); returns how many.
    pub fn park_crashed(&self) -> Result<usize> {
        let conn = self.conn()?;
        let n = conn
            .execute(
                "UPDATE jobs SET state = 'parked', last_error_code = 'crashed', last_error = ?1, updated_ms = ?2 WHERE state = 'queued' AND starts_unfinished >= ?3",
                params![
                    crashed_message(MAX_UNFINISHED_STARTS),
                    now_ms(),
                    i64::from(MAX_UNFINISHED_STARTS)
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(n)
    }

    /// Records a failed attempt; `retry_in` `None` means it needs a person (failed).
    pub fn record_failure(
        &self,
        key: &str,
        code: &str,
        message: &str,
        retry_in: Option<Duration>,
    ) -> Result<()> {
        let conn = self.conn()?;
        let now = now_ms();
        let (state, next) = match retry_in {
            Some(d) => ("queued", now + d.as_millis() as i64),
            None => ("failed", now),
        };
        conn.execute(
            "UPDATE jobs SET state = ?2, attempts = attempts + 1, starts_unfinished = 0, next_attempt_ms = ?3, last_error_code = ?4, last_error = ?5, updated_ms = ?6 WHERE key = ?1",
            params![key, state, next, code, message, now],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Records the post an attempt created or updated (and its `modified_gmt` as we left
    /// it), as soon as it is known.
    pub fn record_post(
        &self,
        key: &str,
        post_id: u64,
        link: &str,
        modified_gmt: Option<&str>,
    ) -> Result<()> {
        let conn = self.conn()?;
        conn.execute(
            "UPDATE jobs SET post_id = ?2, link = ?3, modified_gmt = ?4, updated_ms = ?5 WHERE key = ?1",
            params![key, post_id as i64, link, modified_gmt, now_ms()],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn finish(&self, key: &str) -> Result<()> {
        let conn = self.conn()?;
        conn.execute(
            "UPDATE jobs SET state = 'done', attempts = attempts + 1, starts_unfinished = 0, last_error_code = NULL, last_error = NULL, updated_ms = ?2 WHERE key = ?1",
            params![key, now_ms()],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn cancel(&self, key: &str) -> Result<bool> {
        let conn = self.conn()?;
        let n = conn
            .execute("UPDATE jobs SET state = 'cancelled', updated_ms = ?2 WHERE key = ?1 AND state IN ('queued', 'failed', 'parked')", params![key, now_ms()])
            .map_err(|e| self.err(e))?;
        Ok(n > 0)
    }

    /// Makes every queued job due now ("retry now").
    pub fn make_due(&self) -> Result<()> {
        let conn = self.conn()?;
        conn.execute(
            "UPDATE jobs SET next_attempt_ms = ?1 WHERE state = 'queued' AND next_attempt_ms > ?1",
            params![now_ms()],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The cached terms of a taxonomy when fetched less than `ttl` ago.
    pub fn cached_terms(
        &self,
        site: &str,
        taxonomy: &str,
        ttl: Duration,
    ) -> Result<Option<Vec<Term>>> {
        let conn = self.conn()?;
        let fetched: Option<i64> = conn
            .query_row(
                "SELECT fetched_ms FROM term_fetches WHERE site = ?1 AND taxonomy = ?2",
                params![site, taxonomy],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        match fetched {
            Some(ms) if now_ms() - ms <= ttl.as_millis() as i64 => {}
            _ => return Ok(None),
        }
        let mut stmt = conn
            .prepare(
                "SELECT id, name, slug FROM terms WHERE site = ?1 AND taxonomy = ?2 ORDER BY name",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![site, taxonomy], |r| {
                Ok(Term {
                    id: r.get::<_, i64>(0)? as u64,
                    name: r.get(1)?,
                    slug: r.get(2)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map(Some)
            .map_err(|e| self.err(e))
    }

    /// Replaces the cached terms of a taxonomy (a full fetch).
    pub fn put_terms(&self, site: &str, taxonomy: &str, terms: &[Term]) -> Result<()> {
        let mut conn = self.conn()?;
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        tx.execute(
            "DELETE FROM terms WHERE site = ?1 AND taxonomy = ?2",
            params![site, taxonomy],
        )
        .map_err(|e| self.err(e))?;
        for t in terms {
            tx.execute(
                "INSERT OR REPLACE INTO terms (site, taxonomy, id, name, slug) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![site, taxonomy, t.id as i64, t.name, t.slug],
            )
            .map_err(|e| self.err(e))?;
        }
        tx.execute(
            "INSERT OR REPLACE INTO term_fetches (site, taxonomy, fetched_ms) VALUES (?1, ?2, ?3)",
            params![site, taxonomy, now_ms()],
        )
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    /// Adds one term to the cache (a tag just created).
    pub fn add_term(&self, site: &str, taxonomy: &str, term: &Term) -> Result<()> {
        let conn = self.conn()?;
        conn.execute(
            "INSERT OR REPLACE INTO terms (site, taxonomy, id, name, slug) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![site, taxonomy, term.id as i64, term.name, term.slug],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn media(&self, site: &str, sha256: &str) -> Result<Option<(u64, String)>> {
        let conn = self.conn()?;
        conn.query_row(
            "SELECT media_id, url FROM media WHERE site = ?1 AND sha256 = ?2",
            params![site, sha256],
            |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)),
        )
        .optional()
        .map_err(|e| self.err(e))
    }

    pub fn put_media(&self, site: &str, sha256: &str, id: u64, url: &str) -> Result<()> {
        let conn = self.conn()?;
        conn.execute(
            "INSERT OR REPLACE INTO media (site, sha256, media_id, url, uploaded_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![site, sha256, id as i64, url, now_ms()],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Remembers several attachments in one transaction (a publish's reused images: one
    /// commit instead of one per image).
    pub fn put_media_all(&self, site: &str, items: &[(String, u64, String)]) -> Result<()> {
        let mut conn = self.conn()?;
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        {
            let mut put = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO media (site, sha256, media_id, url, uploaded_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(|e| self.err(e))?;
            let now = now_ms();
            for (sha, id, url) in items {
                put.execute(params![site, sha, *id as i64, url, now])
                    .map_err(|e| self.err(e))?;
            }
        }
        tx.commit().map_err(|e| self.err(e))
    }

    pub fn forget_media(&self, site: &str, sha256: &str) -> Result<()> {
        let conn = self.conn()?;
        conn.execute(
            "DELETE FROM media WHERE site = ?1 AND sha256 = ?2",
            params![site, sha256],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }
}

const JOB_COLUMNS: &str = "key, portal, root, path, request, state, attempts, next_attempt_ms, last_error_code, last_error, post_id, link, created_ms, updated_ms, starts_unfinished, modified_gmt";

fn crashed_message(starts: u32) -> String {
    format!(
        "parked: {starts} attempts of this publish ended without a result (the program stopped in the middle, perhaps crashed on this draft); it is not retried on its own. Check the draft, then publish it again, or give it up with `newsroom outbox --cancel KEY`"
    )
}

fn job_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Job> {
    let request: String = r.get(4)?;
    let root: String = r.get(2)?;
    Ok(Job {
        key: r.get(0)?,
        portal: r.get(1)?,
        root: PathBuf::from(root),
        path: r.get(3)?,
        request: serde_json::from_str(&request).unwrap_or_default(),
        state: r.get(5)?,
        attempts: r.get::<_, i64>(6)? as u32,
        next_attempt_ms: r.get(7)?,
        last_error_code: r.get(8)?,
        last_error: r.get(9)?,
        post_id: r.get::<_, Option<i64>>(10)?.map(|v| v as u64),
        link: r.get(11)?,
        created_ms: r.get(12)?,
        updated_ms: r.get(13)?,
        starts_unfinished: r.get::<_, i64>(14)? as u32,
        modified_gmt: r.get(15)?,
    })
}

/// A fresh idempotency key: 20 random hex digits (alphanumeric, so WordPress's search
/// finds it as one word).
/// Opens the database at `path`, creating and migrating it.
fn connect(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| PublishError::io(dir, e))?;
    }
    let mut conn = Connection::open(path).map_err(|e| PublishError::store(path, e))?;
    conn.busy_timeout(Duration::from_secs(5))
        .map_err(|e| PublishError::store(path, e))?;
    // SQLite answers "busy" at once, without its busy handler, where waiting could
    // deadlock: switching a new file to WAL, or upgrading a read to the write lock while
    // another process migrates. Processes opening a new database together (the app's
    // outbox and a CLI command) then try again after a short pause instead of failing.
    let mut pause = Duration::from_millis(5);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        match prepare(&mut conn, path) {
            Err(PublishError::Store { source, .. })
                if is_busy(&source) && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(200));
            }
            other => return other.map(|()| conn),
        }
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// The journal mode, the sync level and the schema migrations of a new connection.
fn prepare(conn: &mut Connection, path: &Path) -> Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(|e| PublishError::store(path, e))?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(|e| PublishError::store(path, e))?;
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| PublishError::store(path, e))?;
    let known = MIGRATIONS.len() as i64;
    if found > known {
        return Err(PublishError::InvalidArgument(format!(
            "{} was written by a newer Newsroom (schema {found}, this one knows {known}); update the app",
            path.display()
        )));
    }
    if found < known {
        // Under the write lock, and the version read again: two processes opening a
        // new database at once (the app's outbox and the CLI) must not both migrate.
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| PublishError::store(path, e))?;
        let found: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| PublishError::store(path, e))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            tx.execute_batch(sql)
                .map_err(|e| PublishError::store(path, e))?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .map_err(|e| PublishError::store(path, e))?;
        }
        tx.commit().map_err(|e| PublishError::store(path, e))?;
    }
    Ok(())
}

pub fn new_key() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..10)
        .map(|_| format!("{:02x}", rng.random::<u8>()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachments_remembered_together_are_found_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("p.sqlite3")).unwrap();
        store
            .put_media("https://a", "h1", 1, "https://a/old.png")
            .unwrap();
        store
            .put_media_all(
                "https://a",
                &[
                    ("h1".into(), 7, "https://a/one.png".into()),
                    ("h2".into(), 8, "https://a/two.png".into()),
                ],
            )
            .unwrap();
        assert_eq!(
            store.media("https://a", "h1").unwrap(),
            Some((7, "https://a/one.png".into()))
        );
        assert_eq!(
            store.media("https://a", "h2").unwrap(),
            Some((8, "https://a/two.png".into()))
        );
        assert_eq!(store.media("https://b", "h2").unwrap(), None);
        store.put_media_all("https://a", &[]).unwrap();
    }

    #[test]
    fn a_retry_reuses_the_unfinished_job() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("p.sqlite3")).unwrap();
        let root = Path::new("/drafts");
        let a = store
            .job_for("local", root, "a.md", &JobRequest::default())
            .unwrap();
        assert_eq!(a.state, "queued");
        store
            .record_failure(
                &a.key,
                "unreachable",
                "cannot reach",
                Some(Duration::from_secs(60)),
            )
            .unwrap();
        assert_eq!(
            store
                .unfinished_job("local", root, "a.md")
                .unwrap()
                .unwrap()
                .key,
            a.key
        );
        let again = store
            .job_for(
                "local",
                root,
                "a.md",
                &JobRequest {
                    overwrite: true,
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(again.key, a.key);
        assert!(again.request.overwrite);
        assert_eq!(again.attempts, 1);
        store
            .record_post(&a.key, 7, "http://x/?p=7", Some("2026-11-26T10:00:00"))
            .unwrap();
        store.finish(&a.key).unwrap();
        assert_eq!(store.last_post("local", root, "a.md").unwrap(), Some(7));
        let b = store
            .job_for("local", root, "a.md", &JobRequest::default())
            .unwrap();
        assert_ne!(b.key, a.key, "a finished job is not reused");
        assert_eq!(store.outbox().unwrap().len(), 1);
    }

    #[test]
    fn a_job_that_never_finishes_twice_is_parked_not_retried() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("p.sqlite3")).unwrap();
        let root = Path::new("/drafts");
        let job = store
            .job_for("local", root, "deep.md", &JobRequest::default())
            .unwrap();
        // An attempt that ends normally resets the count.
        store.start_attempt(&job.key).unwrap();
        store
            .record_failure(&job.key, "unreachable", "x", Some(Duration::ZERO))
            .unwrap();
        assert_eq!(store.job(&job.key).unwrap().unwrap().starts_unfinished, 0);
        // Two attempts that take the process down with them (nothing recorded after).
        store.start_attempt(&job.key).unwrap();
        store.start_attempt(&job.key).unwrap();
        assert_eq!(store.park_crashed().unwrap(), 1);
        let parked = store.job(&job.key).unwrap().unwrap();
        assert_eq!(parked.state, "parked");
        assert_eq!(parked.last_error_code.as_deref(), Some("crashed"));
        assert!(
            parked
                .last_error
                .unwrap()
                .contains("not retried on its own")
        );
        // Still listed in the outbox (with its error), after the queued ones.
        let other = store
            .job_for("local", root, "fine.md", &JobRequest::default())
            .unwrap();
        let listed: Vec<String> = store.outbox().unwrap().into_iter().map(|j| j.key).collect();
        assert_eq!(listed, vec![other.key.clone(), job.key.clone()]);
        // A third start refuses by itself as well (an outbox that did not park first).
        let err = store.start_attempt(&job.key).unwrap_err();
        assert_eq!(err.code(), "parked");
        // Publishing the draft again is a person's decision: it re-queues the same job.
        let again = store
            .job_for("local", root, "deep.md", &JobRequest::default())
            .unwrap();
        assert_eq!(
            (again.key.as_str(), again.state.as_str()),
            (job.key.as_str(), "queued")
        );
        assert_eq!(again.starts_unfinished, 0);
        assert!(store.cancel(&job.key).unwrap());
    }

    #[test]
    fn posts_are_known_for_the_draft_that_published_or_pulled_them() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("p.sqlite3")).unwrap();
        let root = Path::new("/drafts");
        let job = store
            .job_for("main", root, "a.md", &JobRequest::default())
            .unwrap();
        store
            .record_post(&job.key, 10, "http://x/?p=10", Some("2026-11-26T10:00:00"))
            .unwrap();
        store.finish(&job.key).unwrap();
        let known = store.known_post("main", root, "a.md", 10).unwrap().unwrap();
        assert_eq!(known.origin, "published");
        assert_eq!(known.modified_gmt.as_deref(), Some("2026-11-26T10:00:00"));
        assert_eq!(store.known_post("main", root, "b.md", 10).unwrap(), None);
        assert_eq!(store.known_post("other", root, "a.md", 10).unwrap(), None);
        assert_eq!(store.known_post("main", root, "a.md", 11).unwrap(), None);
        store
            .record_pull("main", root, "pulled/b.md", 11, Some("2026-11-27T08:00:00"))
            .unwrap();
        let pulled = store
            .known_post("main", root, "pulled/b.md", 11)
            .unwrap()
            .unwrap();
        assert_eq!(pulled.origin, "pulled");
    }

    #[test]
    fn a_version_1_database_is_migrated_with_its_jobs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.sqlite3");
        {
            let mut conn = Connection::open(&path).unwrap();
            let tx = conn.transaction().unwrap();
            tx.execute_batch(MIGRATIONS[0]).unwrap();
            tx.pragma_update(None, "user_version", 1).unwrap();
            tx.execute(
                "INSERT INTO jobs (key, portal, root, path, request, state, next_attempt_ms, created_ms, updated_ms, post_id) VALUES ('k1', 'main', '/d', 'a.md', '{}', 'done', 0, 0, 0, 5)",
                [],
            )
            .unwrap();
            tx.commit().unwrap();
        }
        let store = Store::open(&path).unwrap();
        let job = store.job("k1").unwrap().unwrap();
        assert_eq!((job.state.as_str(), job.post_id), ("done", Some(5)));
        assert_eq!(job.modified_gmt, None);
        let known = store
            .known_post("main", Path::new("/d"), "a.md", 5)
            .unwrap();
        assert_eq!(
            known.unwrap().modified_gmt,
            None,
            "missing: counts as changed"
        );
    }

    #[test]
    fn processes_opening_a_new_database_at_once_migrate_it_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.sqlite3");
        let start = std::sync::Arc::new(std::sync::Barrier::new(12));
        let handles: Vec<_> = (0..12)
            .map(|_| {
                let (p, start) = (path.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    Store::open(&p).map(|_| ())
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap().unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert!(store.outbox().unwrap().is_empty());
    }

    #[test]
    fn terms_expire() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("p.sqlite3")).unwrap();
        assert!(
            store
                .cached_terms("s", "categories", Duration::from_secs(60))
                .unwrap()
                .is_none()
        );
        store
            .put_terms(
                "s",
                "categories",
                &[Term {
                    id: 2,
                    name: "Business".into(),
                    slug: "business".into(),
                }],
            )
            .unwrap();
        assert_eq!(
            store
                .cached_terms("s", "categories", Duration::from_secs(60))
                .unwrap()
                .unwrap()
                .len(),
            1
        );
        std::thread::sleep(Duration::from_millis(5));
        assert!(
            store
                .cached_terms("s", "categories", Duration::from_millis(1))
                .unwrap()
                .is_none()
        );
    }
}
