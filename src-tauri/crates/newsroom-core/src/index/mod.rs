//! The SQLite index: each draft's metadata and full text, the revision store.
//!
//! It lives in the app's data directory, never in the drafts folder, and everything in
//! it but the revisions can be rebuilt from the files at any time.

mod drafts;
pub mod migrations;
pub mod retention;
mod revisions;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

pub use drafts::{
    DraftPage, DraftSummary, FileState, Filter, IndexedDraft, MATCH_END, MATCH_START,
    SEARCH_CANDIDATES, SearchHit, fts_query,
};
pub use revisions::{Revision, RevisionSource};

use crate::error::{CoreError, Result};

/// How long a connection waits for another (the watcher's, the CLI's) to finish writing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The write-ahead log is cut back to nothing after a transaction leaves it larger than
/// this, and SQLite keeps it at most this large when it starts it over
/// (`journal_size_limit`).
///
/// Why: a cold index of 100,000 drafts is one transaction, so its log grows to the size
/// of the whole index (592 MB measured), and SQLite only deletes the log when the last
/// connection closes cleanly, which the app's process never does (it exits, or is
/// killed). Every later start then opened the index by reading that whole log again to
/// rebuild its shared-memory index (0.4–0.9 s at 100,000 drafts, on the way to the first
/// list; docs/performance.md). A log this size is read in a few milliseconds.
pub const WAL_KEEP_BYTES: i64 = 4 * 1024 * 1024;

/// One connection to a workspace's index.
pub struct Index {
    conn: Connection,
    path: PathBuf,
}

impl Index {
    /// Opens (creating and migrating) the index at `path`.
    pub fn open(path: &Path) -> Result<Index> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| CoreError::io(dir, e))?;
        }
        let conn = Connection::open(path).map_err(|source| CoreError::Index {
            path: path.to_path_buf(),
            source,
        })?;
        Self::setup(conn, path.to_path_buf())
    }

    /// A private in-memory index, for tests.
    pub fn open_in_memory() -> Result<Index> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|source| CoreError::Index {
            path: path.clone(),
            source,
        })?;
        Self::setup(conn, path)
    }

    fn setup(mut conn: Connection, path: PathBuf) -> Result<Index> {
        let sql_err = |source| CoreError::Index {
            path: path.clone(),
            source,
        };
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql_err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql_err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sql_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(sql_err)?;
        conn.pragma_update(None, "journal_size_limit", WAL_KEEP_BYTES)
            .map_err(sql_err)?;
        migrations::migrate(&mut conn).map_err(|e| match e {
            migrations::MigrateError::TooNew { found, known } => CoreError::IndexTooNew {
                path: path.clone(),
                found,
                known,
            },
            migrations::MigrateError::Sql(source) => CoreError::Index {
                path: path.clone(),
                source,
            },
        })?;
        Ok(Index { conn, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn err(&self, source: rusqlite::Error) -> CoreError {
        CoreError::Index {
            path: self.path.clone(),
            source,
        }
    }

    /// Runs `f` in one transaction (a cold index of thousands of drafts is one commit).
    pub fn in_transaction<T>(&mut self, f: impl FnOnce(&Index) -> Result<T>) -> Result<T> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.err(e))?;
        match f(self) {
            Ok(v) => {
                self.conn.execute_batch("COMMIT").map_err(|e| self.err(e))?;
                self.trim_wal();
                Ok(v)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Cuts the write-ahead log back to nothing when it is larger than [`WAL_KEEP_BYTES`]
    /// (see there for why). Called after each transaction, and by the watcher once it
    /// has compared the folder with the index, for a log an older version left behind.
    ///
    /// Never waits: with another connection reading or writing at that moment the
    /// checkpoint gives up, and the next transaction tries again. The log's pages were
    /// copied into the index by SQLite's own checkpoint at the commit, so this is mostly
    /// the truncation. Failing changes nothing but the log's size, hence no error.
    pub fn trim_wal(&self) {
        let wal = {
            let mut name = self.path.clone().into_os_string();
            name.push("-wal");
            PathBuf::from(name)
        };
        let big = std::fs::metadata(&wal)
            .is_ok_and(|m| i64::try_from(m.len()).unwrap_or(i64::MAX) > WAL_KEEP_BYTES);
        if !big {
            return;
        }
        let _ = self.conn.busy_timeout(Duration::ZERO);
        let result = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                r.get::<_, i64>(0)
            });
        let _ = self.conn.busy_timeout(BUSY_TIMEOUT);
        if let Err(e) = result {
            eprintln!(
                "newsroom: the index's log {} stays as it is for now: {e}",
                wal.display()
            );
        }
    }

    /// Forgets every draft (revisions stay): the next scan rebuilds from the files.
    pub fn clear_drafts(&self) -> Result<()> {
        self.conn
            .execute_batch("DELETE FROM draft_terms; DELETE FROM drafts; DELETE FROM drafts_fts;")
            .map_err(|e| self.err(e))
    }
}
