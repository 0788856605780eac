//! The revision store: every version of a draft that was saved or seen, once per content,
//! thinned as it ages and held to a byte budget per draft (see [`super::retention`]).

use rusqlite::{OptionalExtension, params};

use super::{Index, retention};
use crate::error::Result;

/// Why a revision was recorded.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    /// Stores a version of `path` unless that exact content is already stored for it,
    /// then applies the retention policy and byte budget to the draft's revisions, in one
    /// savepoint (so inside the caller's transaction, or as its own). `now_ms` is the
    /// clock for both. Returns whether a new revision was added.
    pub fn record_revision(
        &self,
        path: &str,
        hash: &str,
        content: &str,
        source: RevisionSource,
        now_ms: i64,
    ) -> Result<bool> {
        self.record_revision_within(path, hash, content, source, now_ms, retention::BUDGET_BYTES)
    }

    pub(crate) fn record_revision_within(
        &self,
        path: &str,
        hash: &str,
        content: &str,
        source: RevisionSource,
        now_ms: i64,
        budget_bytes: usize,
    ) -> Result<bool> {
        self.conn
            .execute_batch("SAVEPOINT record_revision")
            .map_err(|e| self.err(e))?;
        let result = self
            .insert_revision(path, hash, content, source, now_ms)
            .and_then(|added| {
                if added {
                    self.prune_revisions(path, now_ms, budget_bytes)?;
                }
                Ok(added)
            });
        let end = match result {
            Ok(_) => "RELEASE record_revision",
            Err(_) => "ROLLBACK TO record_revision; RELEASE record_revision",
        };
        self.conn.execute_batch(end).map_err(|e| self.err(e))?;
        result
    }

    fn insert_revision(
        &self,
        path: &str,
        hash: &str,
        content: &str,
        source: RevisionSource,
        now_ms: i64,
    ) -> Result<bool> {
        let words = crate::critic::word_count(content) as i64;
        let added = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO revisions (path, hash, created_ms, source, bytes, words, content) VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .and_then(|mut st| st.execute(params![path, hash, now_ms, source.as_str(), content.len() as i64, words, content]))
            .map_err(|e| self.err(e))?;
        Ok(added > 0)
    }

    /// Deletes the revisions of `path` the policy no longer keeps.
    fn prune_revisions(&self, path: &str, now_ms: i64, budget_bytes: usize) -> Result<()> {
        let all = self.revisions(path)?;
        let doomed = retention::to_prune(&all, now_ms, budget_bytes);
        let mut delete = self
            .conn
            .prepare_cached("DELETE FROM revisions WHERE id = ?")
            .map_err(|e| self.err(e))?;
        for id in doomed {
            delete.execute([id]).map_err(|e| self.err(e))?;
        }
        Ok(())
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

    /// Twenty outside edits of one byte to a 5 MB draft: without a budget, 100 MB.
    #[test]
    fn twenty_edits_of_a_large_draft_stay_within_the_budget() {
        let idx = Index::open_in_memory().unwrap();
        let mut text = "Lorem ipsum dolor sit amet. ".repeat(5_000_000 / 28);
        let size = text.len();
        for i in 0..20 {
            text.replace_range(0..1, &((b'a' + i as u8) as char).to_string());
            let added = idx
                .record_revision(
                    "big.md",
                    &format!("h{i}"),
                    &text,
                    RevisionSource::External,
                    1_000 + i,
                )
                .unwrap();
            assert!(added);
            let revs = idx.revisions("big.md").unwrap();
            let held: usize = revs.iter().map(|r| r.bytes).sum();
            assert!(held <= retention::BUDGET_BYTES, "{held} after edit {i}");
            // The newest is always there, and its text with it.
            assert_eq!(revs[0].hash, format!("h{i}"));
        }
        let revs = idx.revisions("big.md").unwrap();
        assert_eq!(revs.len(), retention::BUDGET_BYTES / size);
        let stored: i64 = idx
            .conn
            .query_row(
                "SELECT sum(length(content)) FROM revisions WHERE path = 'big.md'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(stored as usize <= retention::BUDGET_BYTES);
    }

    #[test]
    fn old_revisions_are_thinned_when_one_is_added_and_other_drafts_are_untouched() {
        const DAY: i64 = 24 * 60 * 60 * 1000;
        let idx = Index::open_in_memory().unwrap();
        // Three versions on day 0, one on day 1.
        for (i, at) in [0, 1_000, 2_000, DAY + 5].into_iter().enumerate() {
            idx.record_revision("a.md", &format!("a{i}"), "x", RevisionSource::Save, at)
                .unwrap();
            idx.record_revision("b.md", &format!("b{i}"), "x", RevisionSource::Save, at)
                .unwrap();
        }
        // Ten days on, a new version of a.md: day 0 keeps its last only.
        idx.record_revision("a.md", "a-new", "y", RevisionSource::Save, 10 * DAY)
            .unwrap();
        let hashes = |p: &str| -> Vec<String> {
            idx.revisions(p)
                .unwrap()
                .into_iter()
                .map(|r| r.hash)
                .collect()
        };
        assert_eq!(hashes("a.md"), vec!["a-new", "a3", "a2"]);
        assert_eq!(hashes("b.md"), vec!["b3", "b2", "b1", "b0"]);
        // A version already stored adds nothing and prunes nothing.
        assert!(
            !idx.record_revision("b.md", "b0", "x", RevisionSource::Save, 10 * DAY)
                .unwrap()
        );
        assert_eq!(hashes("b.md").len(), 4);
    }

    #[test]
    fn a_failed_prune_leaves_no_half_added_revision() {
        let idx = Index::open_in_memory().unwrap();
        idx.conn
            .execute_batch(
                "CREATE TRIGGER no_delete BEFORE DELETE ON revisions BEGIN SELECT RAISE(ABORT, 'refused'); END;",
            )
            .unwrap();
        idx.record_revision_within("a.md", "h1", "one", RevisionSource::Save, 1, 10)
            .unwrap();
        // The second needs the first pruned to fit 10 bytes; the delete fails.
        assert!(
            idx.record_revision_within("a.md", "h2", "two words", RevisionSource::Save, 2, 10)
                .is_err()
        );
        let revs = idx.revisions("a.md").unwrap();
        assert_eq!(revs.len(), 1);
        assert_eq!(revs[0].hash, "h1");
    }
}
