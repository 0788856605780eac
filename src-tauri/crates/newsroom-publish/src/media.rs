//! Local images → the portal's media library, each exactly once.
//!
//! An image is known by the SHA-256 of its bytes. Before uploading, we look for it (1) in
//! the draft's `portal.media` (a colleague's publish from the shared folder), (2) in this
//! computer's store, both verified on the portal in one request, then (3) on the portal
//! itself by the marker every upload carries in its description (`nrimg` + hash), which
//! also finds an upload whose answer never arrived. Only then is it uploaded.
//!
//! The draft's `portal.media` is only a hint: anyone who can write the folder can put any
//! attachment id there. An id is reused only when that attachment's description carries
//! the marker of the same content hash (which only our uploads write), so a draft can
//! neither borrow a stranger's attachment nor, through the featured image, rewrite its
//! alt text. The bytes come from [`crate::outgoing::read_image`], never from a path
//! opened here.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{Value, json};

use crate::client::{Upload, WpClient};
use crate::error::{PublishError, Result};
use crate::outgoing::ImageKind;
use crate::store::Store;

/// A local image the draft uses.
#[derive(Debug, Clone)]
pub struct ImageFile {
    /// As written in the draft (the key of `portal.media`).
    pub written: String,
    /// Where it is (for its file name on the portal).
    pub abs: PathBuf,
    pub alt: String,
    pub featured: bool,
    /// The bytes, read once through [`crate::outgoing::read_image`].
    pub bytes: Arc<Vec<u8>>,
    /// The type its bytes say it is.
    pub kind: ImageKind,
}

/// An image in the portal's media library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaItem {
    pub id: u64,
    pub url: String,
    pub sha256: String,
}

/// What the draft remembers of an earlier upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remembered {
    pub id: u64,
    pub sha256: String,
}

/// The marker an upload carries, found again with `?search=`.
pub fn media_marker(sha256: &str) -> String {
    format!("nrimg{}", &sha256[..32.min(sha256.len())])
}

/// Totals for the result.
#[derive(Debug, Default, Clone, Copy)]
pub struct MediaCounts {
    pub uploaded: usize,
    pub reused: usize,
}

/// Makes sure every image is in the media library; returns them by `written`.
pub async fn ensure(
    client: &WpClient,
    store: &Store,
    images: &[ImageFile],
    remembered: &HashMap<String, Remembered>,
    mut on_image: impl FnMut(usize, usize, &str),
) -> Result<(HashMap<String, MediaItem>, MediaCounts)> {
    let site = client.base().to_owned();
    let mut counts = MediaCounts::default();
    // Hash (blocking work off the runtime).
    let files = images.to_vec();
    let hashed: Vec<(ImageFile, String)> = tokio::task::spawn_blocking(move || {
        files
            .into_iter()
            .map(|f| {
                let sha = newsroom_core::files::content_hash(&f.bytes);
                (f, sha)
            })
            .collect()
    })
    .await
    .map_err(|e| PublishError::InvalidArgument(format!("background task failed: {e}")))?;

    // Candidates from the draft and the store, by hash.
    let mut candidates: HashMap<String, u64> = HashMap::new();
    for (f, sha) in &hashed {
        if let Some(r) = remembered.get(&f.written).filter(|r| &r.sha256 == sha) {
            candidates.insert(sha.clone(), r.id);
        } else {
            let (s, site2, sha2) = (store.clone(), site.clone(), sha.clone());
            let cached = tokio::task::spawn_blocking(move || s.media(&site2, &sha2))
                .await
                .ok()
                .and_then(Result::ok)
                .flatten();
            if let Some((id, _)) = cached {
                candidates.insert(sha.clone(), id);
            }
        }
    }
    // id → (url, alt text, the hash whose marker its description carries).
    let mut verified: HashMap<u64, (String, String, Option<String>)> = HashMap::new();
    if !candidates.is_empty() {
        let mut ids: Vec<u64> = candidates.values().copied().collect();
        ids.sort_unstable();
        ids.dedup();
        let include = ids.iter().map(u64::to_string).collect::<Vec<_>>().join(",");
        let answer = client
            .get(
                "/wp/v2/media",
                &[
                    ("include", include),
                    ("per_page", "100".into()),
                    ("context", "edit".into()),
                    ("_fields", "id,source_url,alt_text,description".into()),
                ],
            )
            .await?;
        let hashes: Vec<&String> = hashed.iter().map(|(_, sha)| sha).collect();
        for item in answer.body.as_array().into_iter().flatten() {
            if let (Some(id), Some(url)) = (
                item.get("id").and_then(Value::as_u64),
                item.get("source_url").and_then(Value::as_str),
            ) {
                let alt = item
                    .get("alt_text")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                let description = item
                    .pointer("/description/raw")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let marked = hashes
                    .iter()
                    .find(|sha| description.contains(&media_marker(sha)))
                    .map(|sha| (*sha).clone());
                verified.insert(id, (url.to_owned(), alt, marked));
            }
        }
    }

    let total = hashed.len();
    let mut by_sha: HashMap<String, MediaItem> = HashMap::new();
    let mut out = HashMap::new();
    for (i, (file, sha)) in hashed.into_iter().enumerate() {
        on_image(i + 1, total, &file.written);
        let item = if let Some(item) = by_sha.get(&sha) {
            item.clone()
        } else {
            // Only an attachment marked with this very hash: ours, with these bytes.
            let known = candidates.get(&sha).and_then(|id| {
                verified
                    .get(id)
                    .filter(|(_, _, marked)| marked.as_deref() == Some(sha.as_str()))
                    .map(|(url, alt, _)| (*id, url.clone(), alt.clone()))
            });
            let (item, alt_now, fresh) = match known {
                Some((id, url, alt)) => (
                    MediaItem {
                        id,
                        url,
                        sha256: sha.clone(),
                    },
                    Some(alt),
                    false,
                ),
                None => match find_by_marker(client, &sha).await? {
                    Some((item, alt)) => (item, Some(alt), false),
                    None => (upload(client, &file, &sha).await?, None, true),
                },
            };
            if fresh {
                counts.uploaded += 1;
            } else {
                counts.reused += 1;
            }
            // The featured image's alt text lives on the attachment, which is ours: it
            // carries our marker for these bytes (checked above).
            if file.featured
                && !file.alt.is_empty()
                && alt_now.as_deref().is_some_and(|a| a != file.alt)
            {
                client
                    .post(
                        &format!("/wp/v2/media/{}", item.id),
                        &json!({ "alt_text": file.alt }),
                    )
                    .await?;
            }
            let (s, site2, it) = (store.clone(), site.clone(), item.clone());
            tokio::task::spawn_blocking(move || s.put_media(&site2, &it.sha256, it.id, &it.url))
                .await
                .map_err(|e| {
                    PublishError::InvalidArgument(format!("background task failed: {e}"))
                })??;
            by_sha.insert(sha.clone(), item.clone());
            item
        };
        out.insert(file.written.clone(), item);
    }
    Ok((out, counts))
}

async fn find_by_marker(client: &WpClient, sha: &str) -> Result<Option<(MediaItem, String)>> {
    let marker = media_marker(sha);
    let answer = client
        .get(
            "/wp/v2/media",
            &[
                ("search", marker.clone()),
                ("per_page", "10".into()),
                ("context", "edit".into()),
                ("_fields", "id,source_url,alt_text,description".into()),
            ],
        )
        .await?;
    let found = answer.body.as_array().into_iter().flatten().find(|m| {
        m.pointer("/description/raw")
            .and_then(Value::as_str)
            .is_some_and(|d| d.contains(&marker))
    });
    Ok(found.and_then(|m| {
        Some((
            MediaItem {
                id: m.get("id")?.as_u64()?,
                url: m.get("source_url")?.as_str()?.to_owned(),
                sha256: sha.to_owned(),
            },
            m.get("alt_text")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
        ))
    }))
}

/// The name an upload gets: the file's stem with the extension of what its bytes are
/// (WordPress refuses a name and content that disagree).
pub fn upload_name(file: &ImageFile) -> (String, String) {
    let stem = file
        .abs
        .file_stem()
        .and_then(|n| n.to_str())
        .filter(|s| !s.is_empty())
        .unwrap_or("image")
        .to_owned();
    let ext = file.abs.extension().and_then(|e| e.to_str()).unwrap_or("");
    let name = if file.kind.matches_extension(ext) {
        format!("{stem}.{ext}")
    } else {
        format!("{stem}.{}", file.kind.extension())
    };
    (name, stem)
}

async fn upload(client: &WpClient, file: &ImageFile, sha: &str) -> Result<MediaItem> {
    let (file_name, title) = upload_name(file);
    let answer = client
        .upload(Upload {
            bytes: file.bytes.as_ref().clone(),
            file_name,
            mime: file.kind.mime().into(),
            fields: vec![
                ("title".into(), title),
                ("alt_text".into(), file.alt.clone()),
                (
                    "description".into(),
                    format!("Uploaded by Newsroom. newsroom:{}", media_marker(sha)),
                ),
            ],
        })
        .await?;
    let id = answer.body.get("id").and_then(Value::as_u64);
    let url = answer.body.get("source_url").and_then(Value::as_str);
    match (id, url) {
        (Some(id), Some(url)) => Ok(MediaItem {
            id,
            url: url.to_owned(),
            sha256: sha.to_owned(),
        }),
        _ => Err(PublishError::UnexpectedResponse {
            what: format!("uploading {}", file.written),
            detail: "no id or source_url".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upload_name_follows_the_bytes() {
        let file = |name: &str, kind| ImageFile {
            written: name.into(),
            abs: PathBuf::from("/d/images").join(name),
            alt: String::new(),
            featured: false,
            bytes: Arc::new(Vec::new()),
            kind,
        };
        assert_eq!(
            upload_name(&file("map.JPEG", ImageKind::Jpeg)),
            ("map.JPEG".into(), "map".into())
        );
        assert_eq!(
            upload_name(&file("map.jpg", ImageKind::Png)),
            ("map.png".into(), "map".into())
        );
        assert_eq!(upload_name(&file("noext", ImageKind::Avif)).0, "noext.avif");
    }

    #[test]
    fn the_marker_is_the_hash_prefix() {
        assert_eq!(
            media_marker(&"ab".repeat(32)),
            format!("nrimg{}", "ab".repeat(16))
        );
    }
}
