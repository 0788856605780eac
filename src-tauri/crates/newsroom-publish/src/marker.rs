//! The invisible marker a published post carries (`nr` + the job's key): how a retry that
//! lost an answer finds the post an earlier attempt created, instead of making a second.

use serde_json::Value;

use crate::blocks::MARKER_ATTR;
use crate::client::WpClient;
use crate::error::Result;

/// The publish marker in a post's raw content (`nr` + a job key), if any.
pub fn marker_in_content(raw: &str) -> Option<String> {
    let key = format!("\"{MARKER_ATTR}\":\"");
    let start = raw.find(&key)? + key.len();
    let rest = &raw[start..];
    let end = rest.find('"')?;
    let m = &rest[..end];
    (m.starts_with("nr") && m.len() > 2 && m.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| m.to_owned())
}

fn content_has_marker(post: &Value, marker: &str) -> bool {
    post.pointer("/content/raw")
        .and_then(Value::as_str)
        .is_some_and(|raw| raw.contains(&format!("\"{MARKER_ATTR}\":\"{marker}\"")))
}

/// Searches the portal for a post carrying `marker` (any status but trash).
pub async fn find_by_marker(client: &WpClient, marker: &str) -> Result<Option<u64>> {
    let answer = client
        .get(
            "/wp/v2/posts",
            &[
                ("search", marker.to_owned()),
                ("status", "any".into()),
                ("context", "edit".into()),
                ("per_page", "10".into()),
                ("_fields", "id,content".into()),
            ],
        )
        .await?;
    Ok(answer
        .body
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| content_has_marker(p, marker))
        .and_then(|p| p.get("id")?.as_u64()))
}
