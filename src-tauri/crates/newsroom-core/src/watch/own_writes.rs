//! Writes carry their source: the content hashes this process wrote last, per draft.
//!
//! The workspace records every file it writes (a save, a conflict copy, a new draft)
//! here before the watcher can see the change; the watcher then reports a change only
//! when the file's content is not the one we wrote, so the app never hears the echo of
//! its own save as a colleague's edit. It lives with the watcher, its reader; the
//! workspace only holds one and records into it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The content hashes this process wrote last, per draft, so that the watcher can tell
/// the echo of our own saves from other programs' changes. Cloning shares the record.
#[derive(Debug, Clone, Default)]
pub struct OwnWrites(Arc<Mutex<HashMap<String, String>>>);

impl OwnWrites {
    /// Notes that the content hashed `hash` was just written to `rel` by this process.
    pub(crate) fn record(&self, rel: &str, hash: &str) {
        if let Ok(mut m) = self.0.lock() {
            m.insert(rel.to_owned(), hash.to_owned());
        }
    }

    /// Was this exact content of `rel` written by us?
    pub fn is_own(&self, rel: &str, hash: &str) -> bool {
        self.0
            .lock()
            .map(|m| m.get(rel).is_some_and(|h| h == hash))
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_last_content_we_wrote_is_ours() {
        let own = OwnWrites::default();
        let shared = own.clone();
        assert!(!own.is_own("a.md", "h1"));
        shared.record("a.md", "h1");
        assert!(own.is_own("a.md", "h1"));
        assert!(!own.is_own("b.md", "h1"));
        own.record("a.md", "h2");
        assert!(
            !own.is_own("a.md", "h1"),
            "an older content of ours is a colleague's now"
        );
        assert!(own.is_own("a.md", "h2"));
    }
}
