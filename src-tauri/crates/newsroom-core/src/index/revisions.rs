//! The revision store: every version of a draft that was saved or seen, once per content.

use rusqlite::{OptionalExtension, params};

use super::Index;
use crate::error::Result;

/// Why a revision was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevisionSource {
    /// Saved by this app or the CLI.
    Save,
    /// The version on disk just before our first save over it.
    BeforeSave,
    /// Written by another program (an editor, a sync tool, a colleague).
    External,
    /// Written back by restoring an older revision.
    Restore,
    /// Created by `new` or imported from the portal.
    Import,
}

impl RevisionSource {
    pub fn as_str(self) -> &'static str {
        match self {
            RevisionSource::Save => "save",
            RevisionSource::BeforeSave => "before-save",
            RevisionSource::External => "external",
            RevisionSource::Restore => "restore",
            RevisionSource::Import => "import",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "before-save" => RevisionSource::BeforeSave,
            "external" => RevisionSource::External,
            "restore" => RevisionSource::Restore,
            "import" => RevisionSource::Import,
            _ => RevisionSource::Save,
        }
    }
}

/// One stored version (without its text, which [`Index::revision_text`] fetches).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Revision {
    pub id: i64,
    pub hash: String,
    pub created_ms: i64,
    pub source: RevisionSource,
    pub bytes: usize,
    pub words: usize,
}

impl Index {
    /// Stores a version of `path` unless that exact content is already stored for it.
    /// Returns whether a new revision was added.
    pub fn record_revision(
        &self,
        path: &str,
        hash: &str,
        content: &str,
        source: RevisionSource,
        now_ms: i64,
    ) -> Result<bool> {
        let words = crate::text::word_count(content) as i64;
        let added = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO revisions (path, hash, created_ms, source, bytes, words, content) VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .and_then(|mut st| st.execute(params![path, hash, now_ms, source.as_str(), content.len() as i64, words, content]))
            .map_err(|e| self.err(e))?;
        Ok(added > 0)
    }

    pub fn has_revision(&self, path: &str, hash: &str) -> Result<bool> {
        self.conn
            .prepare_cached("SELECT 1 FROM revisions WHERE path = ? AND hash = ?")
            .and_then(|mut st| st.query_row([path, hash], |_| Ok(())).optional())
            .map(|r| r.is_some())
            .map_err(|e| self.err(e))
    }

    /// A draft's revisions, newest first.
    pub fn revisions(&self, path: &str) -> Result<Vec<Revision>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, hash, created_ms, source, bytes, words FROM revisions WHERE path = ? ORDER BY created_ms DESC, id DESC")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([path], |r| {
                Ok(Revision {
                    id: r.get(0)?,
                    hash: r.get(1)?,
                    created_ms: r.get(2)?,
                    source: RevisionSource::parse(&r.get::<_, String>(3)?),
                    bytes: r.get::<_, i64>(4)? as usize,
                    words: r.get::<_, i64>(5)? as usize,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// The text of one revision of `path`.
    pub fn revision_text(&self, path: &str, id: i64) -> Result<Option<String>> {
        self.conn
            .prepare_cached("SELECT content FROM revisions WHERE path = ? AND id = ?")
            .and_then(|mut st| st.query_row(params![path, id], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_are_deduplicated_by_content() {
        let idx = Index::open_in_memory().unwrap();
        assert!(
            idx.record_revision("a.md", "h1", "one", RevisionSource::Save, 1)
                .unwrap()
        );
        assert!(
            idx.record_revision("a.md", "h2", "two words", RevisionSource::Save, 2)
                .unwrap()
        );
        assert!(
            !idx.record_revision("a.md", "h1", "one", RevisionSource::Save, 3)
                .unwrap()
        );
        assert!(
            idx.record_revision("b.md", "h1", "one", RevisionSource::External, 4)
                .unwrap()
        );
        let revs = idx.revisions("a.md").unwrap();
        assert_eq!(
            revs.iter().map(|r| r.hash.as_str()).collect::<Vec<_>>(),
            vec!["h2", "h1"]
        );
        assert_eq!(revs[0].words, 2);
        assert_eq!(
            idx.revision_text("a.md", revs[1].id).unwrap().as_deref(),
            Some("one")
        );
        assert_eq!(idx.revision_text("b.md", revs[1].id).unwrap(), None);
    }
}
