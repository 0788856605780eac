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

use bytes::Bytes;
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
    /// The bytes, read once through [`crate::outgoing::read_image`]: what is hashed is
    /// what is sent (the upload's body shares them; the file is not opened again).
    pub bytes: Bytes,
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

/// How many uploads a publish runs at once (the default of
/// [`crate::PublishOptions::concurrent_uploads`]). WordPress handles each upload in a PHP
/// worker of its own and spends most of it writing the image sizes, so on a portal with
/// free workers (PHP-FPM's pool) a few at once divide that wait; three leaves workers for
/// the site's readers and stays far below a shared host's limit on one account's
/// simultaneous requests (often 10–20). A single-process server (`php -S` without
/// workers) takes them one after the other: nothing is lost, nothing gained.
pub const CONCURRENT_UPLOADS: usize = 3;

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

/// An attachment as the portal showed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalMedia {
    pub id: u64,
    pub url: String,
    pub alt: String,
    /// The content hash whose marker its description carries (only our uploads have one).
    pub marked: Option<String>,
}

/// What the portal and this computer know of a draft's images, found with GETs only:
/// the input of the plan's image steps (`plan::image_steps`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaSeen {
    /// The content hash of each image, in the draft's order.
    pub hashes: Vec<String>,
    /// Hash → the attachment id the draft's `portal.media` or this computer's store names.
    pub candidates: HashMap<String, u64>,
    /// Those candidates as the portal shows them (one `include=` request).
    pub verified: HashMap<u64, PortalMedia>,
    /// Hash → an attachment found by its marker (for hashes without a verified candidate).
    pub by_marker: HashMap<String, PortalMedia>,
}

/// Looks for each image on the portal (see the module's doc): hashes, candidates from the
/// draft and the store verified in one request, then a marker search for the rest.
pub async fn observe(
    client: &WpClient,
    store: &Store,
    images: &[ImageFile],
    remembered: &HashMap<String, Remembered>,
) -> Result<MediaSeen> {
    let site = client.base().to_owned();
    // Hash (blocking work off the runtime).
    let bytes: Vec<Bytes> = images.iter().map(|f| f.bytes.clone()).collect();
    let hashes: Vec<String> = tokio::task::spawn_blocking(move || {
        bytes
            .iter()
            .map(|b| newsroom_core::files::content_hash(b))
            .collect()
    })
    .await
    .map_err(|e| PublishError::InvalidArgument(format!("background task failed: {e}")))?;
    let mut seen = MediaSeen {
        hashes,
        ..Default::default()
    };

    // Candidates from the draft and the store, by hash.
    for (f, sha) in images.iter().zip(&seen.hashes) {
        if let Some(r) = remembered.get(&f.written).filter(|r| &r.sha256 == sha) {
            seen.candidates.insert(sha.clone(), r.id);
        } else {
            let (s, site2, sha2) = (store.clone(), site.clone(), sha.clone());
            let cached = tokio::task::spawn_blocking(move || s.media(&site2, &sha2))
                .await
                .ok()
                .and_then(Result::ok)
                .flatten();
            if let Some((id, _)) = cached {
                seen.candidates.insert(sha.clone(), id);
            }
        }
    }
    if !seen.candidates.is_empty() {
        let mut ids: Vec<u64> = seen.candidates.values().copied().collect();
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
        for item in answer.body.as_array().into_iter().flatten() {
            if let (Some(id), Some(url)) = (
                item.get("id").and_then(Value::as_u64),
                item.get("source_url").and_then(Value::as_str),
            ) {
                let description = item
                    .pointer("/description/raw")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let marked = seen
                    .hashes
                    .iter()
                    .find(|sha| description.contains(&media_marker(sha)))
                    .cloned();
                seen.verified.insert(
                    id,
                    PortalMedia {
                        id,
                        url: url.to_owned(),
                        alt: item
                            .get("alt_text")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_owned(),
                        marked,
                    },
                );
            }
        }
    }
    // The rest: an upload of ours whose answer never arrived, or one made elsewhere.
    let mut searched: Vec<&String> = Vec::new();
    for sha in &seen.hashes {
        if searched.contains(&sha) || verified_for(&seen, sha).is_some() {
            continue;
        }
        searched.push(sha);
        if let Some(found) = find_by_marker(client, sha).await? {
            seen.by_marker.insert(sha.clone(), found);
        }
    }
    Ok(seen)
}

/// The verified candidate for `sha`: only an attachment marked with this very hash (ours,
/// with these bytes).
pub fn verified_for<'a>(seen: &'a MediaSeen, sha: &str) -> Option<&'a PortalMedia> {
    let id = seen.candidates.get(sha)?;
    seen.verified
        .get(id)
        .filter(|m| m.marked.as_deref() == Some(sha))
}

/// Sets the alt text of an attachment of ours (the featured image's `featured_image_alt`).
pub async fn set_alt(client: &WpClient, id: u64, alt: &str) -> Result<()> {
    client
        .post(&format!("/wp/v2/media/{id}"), &json!({ "alt_text": alt }))
        .await?;
    Ok(())
}

/// Remembers an attachment of ours in this computer's store, for the next publish.
pub async fn remember(store: &Store, site: &str, item: &MediaItem) -> Result<()> {
    let (s, site2, it) = (store.clone(), site.to_owned(), item.clone());
    tokio::task::spawn_blocking(move || s.put_media(&site2, &it.sha256, it.id, &it.url))
        .await
        .map_err(|e| PublishError::InvalidArgument(format!("background task failed: {e}")))?
}

/// Remembers attachments of ours in one store call (reused images, known on the portal).
pub async fn remember_all(store: &Store, site: &str, items: &[MediaItem]) -> Result<()> {
    let rows: Vec<(String, u64, String)> = items
        .iter()
        .map(|m| (m.sha256.clone(), m.id, m.url.clone()))
        .collect();
    let (s, site2) = (store.clone(), site.to_owned());
    tokio::task::spawn_blocking(move || s.put_media_all(&site2, &rows))
        .await
        .map_err(|e| PublishError::InvalidArgument(format!("background task failed: {e}")))?
}

async fn find_by_marker(client: &WpClient, sha: &str) -> Result<Option<PortalMedia>> {
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
        Some(PortalMedia {
            id: m.get("id")?.as_u64()?,
            url: m.get("source_url")?.as_str()?.to_owned(),
            alt: m
                .get("alt_text")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            marked: Some(sha.to_owned()),
        })
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

/// Uploads whose keys are equal are never in flight together. WordPress picks a free file
/// name by looking at the uploads folder (`wp_unique_filename`), so two uploads of
/// `photo.png` at once can both take `photo.png` (or `photo-1.png`) and one file
/// overwrites the other. The key folds generously what WordPress could make the same
/// name: the stem in lowercase, without a trailing `-N`, `-WxH` or `-scaled` (the names of
/// numbered copies and image sizes) and without the extension (WordPress avoids a name
/// whose sizes another type's sizes would take), letters and digits only.
pub fn upload_name_key(file: &ImageFile) -> String {
    let (name, _) = upload_name(file);
    let mut stem = name
        .rsplit_once('.')
        .map_or(name.as_str(), |(s, _)| s)
        .to_lowercase();
    loop {
        let cut = stem.rsplit_once('-').and_then(|(head, tail)| {
            let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
            let size = tail
                .split_once('x')
                .is_some_and(|(w, h)| digits(w) && digits(h));
            (tail == "scaled" || digits(tail) || size).then_some(head.len())
        });
        match cut {
            Some(n) if n > 0 => stem.truncate(n),
            _ => break,
        }
    }
    stem.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Uploads one image with its marker (multipart, with title and alt text). The body is
/// the bytes that were hashed, shared, not copied.
pub async fn upload(client: &WpClient, file: &ImageFile, sha: &str) -> Result<MediaItem> {
    let (file_name, title) = upload_name(file);
    let answer = client
        .upload(Upload {
            bytes: file.bytes.clone(),
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
            bytes: Bytes::new(),
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
    fn names_wordpress_could_make_one_share_a_key() {
        let key = |name: &str| {
            upload_name_key(&ImageFile {
                written: name.into(),
                abs: PathBuf::from("/d/images").join(name),
                alt: String::new(),
                featured: false,
                bytes: Bytes::new(),
                kind: ImageKind::Png,
            })
        };
        for same in [
            "photo.png",
            "Photo.png",
            "photo.jpg",
            "photo-1.png",
            "photo-150x150.png",
            "photo-scaled.png",
            "photo-2-scaled.png",
            "pho to.png",
        ] {
            assert_eq!(key(same), "photo", "{same}");
        }
        for other in ["photo2.png", "photo-a.png", "map.png", "photo-1x.png"] {
            assert_ne!(key(other), "photo", "{other}");
        }
        assert_eq!(key("-1.png"), "1", "never cut to nothing");
    }

    #[test]
    fn the_marker_is_the_hash_prefix() {
        assert_eq!(
            media_marker(&"ab".repeat(32)),
            format!("nrimg{}", "ab".repeat(16))
        );
    }
}
