//! The index's schema, as add-only migrations embedded in the binary.
//!
//! `PRAGMA user_version` counts the migrations applied; each runs in its own
//! transaction. An older binary meeting a newer database refuses it instead of
//! guessing.

use rusqlite::Connection;

/// Each entry is one migration. Never edit or reorder one that has shipped: append.
pub const MIGRATIONS: &[&str] = &[
    // 1: drafts, their categories and tags, full text, revisions.
    r#"
    CREATE TABLE drafts (
        id            INTEGER PRIMARY KEY,
        path          TEXT NOT NULL UNIQUE,
        size          INTEGER NOT NULL,
        mtime_ns      INTEGER NOT NULL,
        hash          TEXT NOT NULL,
        title         TEXT NOT NULL,
        status        TEXT NOT NULL,
        author        TEXT,
        slug          TEXT,
        excerpt       TEXT,
        publish_at    TEXT,
        categories    TEXT NOT NULL,
        tags          TEXT NOT NULL,
        words         INTEGER NOT NULL,
        error_line    INTEGER,
        error_message TEXT
    );
    CREATE INDEX drafts_by_status ON drafts(status);
    CREATE INDEX drafts_by_mtime ON drafts(mtime_ns);
    CREATE TABLE draft_terms (
        draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
        kind     TEXT NOT NULL CHECK (kind IN ('category', 'tag')),
        name     TEXT NOT NULL COLLATE NOCASE
    );
    CREATE INDEX draft_terms_by_name ON draft_terms(kind, name);
    CREATE INDEX draft_terms_by_draft ON draft_terms(draft_id);
    CREATE VIRTUAL TABLE drafts_fts USING fts5(
        title, tags, body,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TABLE revisions (
        id         INTEGER PRIMARY KEY,
        path       TEXT NOT NULL,
        hash       TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        source     TEXT NOT NULL,
        bytes      INTEGER NOT NULL,
        words      INTEGER NOT NULL,
        content    TEXT NOT NULL,
        UNIQUE (path, hash)
    );
    CREATE INDEX revisions_by_path ON revisions(path, created_ms);
    "#,
    // 2: the portal post a draft was published as, for the drafts list. Every draft is
    // reread on the next scan (size -1 never matches) so the new columns fill in.
    r#"
    ALTER TABLE drafts ADD COLUMN portal_post_id INTEGER;
    ALTER TABLE drafts ADD COLUMN portal_link TEXT;
    UPDATE drafts SET size = -1;
    "#,
    // 3: a filter by category or tag tests one index entry per draft: (kind, name,
    // draft_id) answers "does draft d have this term" with one seek and no table row, and
    // its (kind, name) prefix serves what the old index did.
    r#"
    CREATE INDEX draft_terms_by_term_draft ON draft_terms(kind, name, draft_id);
    DROP INDEX draft_terms_by_name;
    "#,
    // 4: the folder's authors (offered when a folder opens) are found by seeking from one
    // to the next in this index (`Index::authors`): 8 seeks for 7 authors, where reading
    // every draft's row took 150–270 ms at 100,000 drafts, on the way to the first list.
    r#"
    CREATE INDEX drafts_by_author ON drafts(author);
    "#,
];

/// Brings a connection's schema up to date.
pub fn migrate(conn: &mut Connection) -> Result<(), MigrateError> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if found > known {
        return Err(MigrateError::TooNew { found, known });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("schema {found} is newer than this binary's {known}")]
    TooNew { found: i64, known: i64 },
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_once_and_refuses_newer() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, MIGRATIONS.len() as i64);
        conn.pragma_update(None, "user_version", 99).unwrap();
        assert!(matches!(
            migrate(&mut conn),
            Err(MigrateError::TooNew { found: 99, .. })
        ));
    }
}
