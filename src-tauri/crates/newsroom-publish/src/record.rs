//! The draft's `portal:` record: which post it is on which portal, with the media it
//! uploaded. Read from the front matter (only when it is about this portal) and written
//! back after a publish.

use std::collections::HashMap;

use newsroom_core::Draft;
use newsroom_core::yaml::Value as Yaml;

use crate::media::Remembered;

/// The draft's `portal:` mapping: which post it is on which portal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PortalRecord {
    pub name: String,
    pub url: String,
    pub post_id: Option<u64>,
    pub link: String,
    pub status: String,
    pub modified_gmt: Option<String>,
    /// The publish marker our last publish of this draft put in the post (`nr` + job
    /// key): the post carrying it is how a draft shows it owns `post_id`.
    pub marker: Option<String>,
    pub media: HashMap<String, Remembered>,
    pub media_urls: HashMap<String, String>,
}

impl PortalRecord {
    /// The record when it is about this portal (same address, or same profile name when
    /// the record has no address).
    pub fn from_draft(draft: &Draft, base_url: &str, profile: &str) -> Option<PortalRecord> {
        let v = draft.front_matter_value("portal")?;
        let text = |k: &str| v.get(k).and_then(Yaml::scalar_text).unwrap_or_default();
        let record_url = text("url").trim_end_matches('/').to_owned();
        let same = if record_url.is_empty() {
            text("name") == profile
        } else {
            record_url == base_url
        };
        if !same {
            return None;
        }
        let mut media = HashMap::new();
        let mut media_urls = HashMap::new();
        if let Some(Yaml::Map(entries)) = v.get("media") {
            for (k, m) in entries {
                let id = m
                    .get("id")
                    .and_then(Yaml::scalar_text)
                    .and_then(|s| s.parse().ok());
                let sha = m.get("sha256").and_then(Yaml::scalar_text);
                if let (Some(id), Some(sha256)) = (id, sha) {
                    media.insert(k.clone(), Remembered { id, sha256 });
                }
                if let Some(u) = m.get("url").and_then(Yaml::scalar_text) {
                    media_urls.insert(k.clone(), u);
                }
            }
        }
        Some(PortalRecord {
            name: text("name"),
            url: record_url,
            post_id: text("post_id").parse().ok(),
            link: text("link"),
            status: text("status"),
            modified_gmt: Some(text("modified_gmt")).filter(|s| !s.is_empty()),
            marker: Some(text("marker")).filter(|s| !s.is_empty()),
            media,
            media_urls,
        })
    }

    pub fn to_yaml(&self) -> Yaml {
        let s = |v: &str| Yaml::Str(v.to_owned());
        let mut entries = vec![
            ("name".to_owned(), s(&self.name)),
            ("url".to_owned(), s(&self.url)),
        ];
        if let Some(id) = self.post_id {
            entries.push(("post_id".into(), Yaml::Int(id as i64)));
        }
        entries.push(("link".into(), s(&self.link)));
        entries.push(("status".into(), s(&self.status)));
        if let Some(m) = &self.modified_gmt {
            entries.push(("modified_gmt".into(), s(m)));
        }
        if let Some(m) = &self.marker {
            entries.push(("marker".into(), s(m)));
        }
        if !self.media.is_empty() {
            let mut keys: Vec<&String> = self.media.keys().collect();
            keys.sort();
            let media = keys
                .into_iter()
                .map(|k| {
                    let m = &self.media[k];
                    let mut e = vec![
                        ("id".to_owned(), Yaml::Int(m.id as i64)),
                        ("sha256".to_owned(), s(&m.sha256)),
                    ];
                    if let Some(u) = self.media_urls.get(k) {
                        e.push(("url".to_owned(), s(u)));
                    }
                    (k.clone(), Yaml::Map(e))
                })
                .collect();
            entries.push(("media".into(), Yaml::Map(media)));
        }
        Yaml::Map(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsroom_core::front_matter_edit::Change;

    #[test]
    fn portal_record_round_trips_through_front_matter() {
        let mut r = PortalRecord {
            name: "local".into(),
            url: "http://127.0.0.1:8089".into(),
            post_id: Some(12),
            link: "http://127.0.0.1:8089/x/".into(),
            status: "publish".into(),
            modified_gmt: Some("2026-11-26T15:39:11".into()),
            marker: Some("nr0123456789abcdef0123".into()),
            ..Default::default()
        };
        r.media.insert(
            "images/a b.jpg".into(),
            Remembered {
                id: 5,
                sha256: "ab".repeat(32),
            },
        );
        r.media_urls.insert(
            "images/a b.jpg".into(),
            "http://127.0.0.1:8089/wp-content/uploads/a-b.jpg".into(),
        );
        let text = newsroom_core::workspace::update_front_matter(
            "---\ntitle: T\n---\nBody\n",
            &[Change::set("portal", r.to_yaml())],
        )
        .unwrap();
        assert!(text.ends_with("---\nBody\n"), "{text}");
        let d = Draft::parse(&text).unwrap();
        assert_eq!(
            PortalRecord::from_draft(&d, "http://127.0.0.1:8089", "other-name"),
            Some(r.clone())
        );
        assert_eq!(
            PortalRecord::from_draft(&d, "https://elsewhere.example", "local"),
            None
        );
    }
}
