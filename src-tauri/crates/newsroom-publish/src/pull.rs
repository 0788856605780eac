//! `newsroom pull PORTAL POST_ID`: a portal post becomes a new draft (HTML → Markdown with
//! `htmd`), with its categories, tags, excerpt, slug and `portal:` record, so that a
//! published piece can be corrected and published again as an update of the same post.

use std::path::{Path, PathBuf};

use newsroom_core::front_matter::Status;
use newsroom_core::front_matter_edit::Change;
use newsroom_core::workspace::{self, NewDraft};
use serde_json::Value;

use crate::client::{ClientOptions, WpClient};
use crate::error::{PublishError, Result};
use crate::profile::Credentials;
use crate::publish::{PortalRecord, blocking};
use crate::terms;

/// The draft a pull made.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Pulled {
    /// Relative to the drafts folder.
    pub path: String,
    pub post_id: u64,
    pub title: String,
    pub link: String,
}

/// Block-editor HTML → Markdown.
pub fn html_to_markdown(html: &str) -> String {
    let options = htmd::options::Options {
        bullet_list_marker: htmd::options::BulletListMarker::Dash,
        ul_bullet_spacing: 1,
        ol_number_spacing: 1,
        hr_style: htmd::options::HrStyle::Dashes,
        ..Default::default()
    };
    let converter = htmd::HtmlToMarkdown::builder()
        .options(options)
        .skip_tags(vec!["script", "style"])
        .build();
    let md = converter.convert(html).unwrap_or_else(|_| html.to_owned());
    let mut out = md.trim().replace("\u{a0}", " ");
    out.push('\n');
    out
}

/// Imports a post into `folder` (relative to the drafts folder; `""` for the top).
pub async fn pull(
    creds: &Credentials,
    root: &Path,
    index: Option<&Path>,
    folder: &str,
    post_id: u64,
    options: ClientOptions,
) -> Result<Pulled> {
    let client = WpClient::new(creds, options)?;
    let post = match client
        .get(
            &format!("/wp/v2/posts/{post_id}"),
            &[("context", "edit".into())],
        )
        .await
    {
        Ok(a) => a.body,
        Err(PublishError::Rejected { status: 404, .. }) => {
            return Err(PublishError::InvalidArgument(format!(
                "there is no post {post_id} on portal `{}`",
                creds.portal.name
            )));
        }
        Err(e) => return Err(e),
    };
    let raw = |p: &str| {
        post.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let title = html_unescape(&raw("/title/raw"));
    let content = raw("/content/raw");
    let excerpt = raw("/excerpt/raw");
    let slug = raw("/slug");
    let status = raw("/status");
    let link = raw("/link");
    let ids = |k: &str| -> Vec<u64> {
        post.get(k)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_u64)
            .collect()
    };

    let all_categories = terms::fetch_all(&client, "categories").await?;
    let categories: Vec<String> = ids("categories")
        .iter()
        .filter_map(|id| all_categories.iter().find(|t| t.id == *id))
        .map(|t| t.name.clone())
        .filter(|n| n != "Uncategorized")
        .collect();
    let tag_ids = ids("tags");
    let tags: Vec<String> = if tag_ids.is_empty() {
        Vec::new()
    } else {
        let include = tag_ids
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let a = client
            .get(
                "/wp/v2/tags",
                &[
                    ("include", include),
                    ("per_page", "100".into()),
                    ("_fields", "id,name,slug".into()),
                ],
            )
            .await?;
        let found: Vec<_> = a
            .body
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(terms::term_from_json)
            .collect();
        tag_ids
            .iter()
            .filter_map(|id| found.iter().find(|t| t.id == *id))
            .map(|t| t.name.clone())
            .collect()
    };
    let author = match post.get("author").and_then(Value::as_u64) {
        Some(id) => client
            .get(&format!("/wp/v2/users/{id}"), &[("_fields", "name".into())])
            .await
            .ok()
            .and_then(|a| a.body.get("name")?.as_str().map(str::to_owned)),
        None => None,
    };
    let featured = match post
        .get("featured_media")
        .and_then(Value::as_u64)
        .filter(|id| *id > 0)
    {
        Some(id) => client
            .get(
                &format!("/wp/v2/media/{id}"),
                &[("_fields", "source_url,alt_text".into())],
            )
            .await
            .ok()
            .map(|a| {
                (
                    a.body
                        .get("source_url")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned(),
                    a.body
                        .get("alt_text")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned(),
                )
            }),
        None => None,
    };

    let body = html_to_markdown(&content);
    let record = PortalRecord {
        name: creds.portal.name.clone(),
        url: client.base().to_owned(),
        post_id: Some(post_id),
        link: link.clone(),
        status: status.clone(),
        modified_gmt: Some(raw("/modified_gmt")).filter(|s| !s.is_empty()),
        ..Default::default()
    };
    let mut changes = vec![];
    if !excerpt.trim().is_empty() {
        changes.push(Change::set_text("excerpt", html_unescape(excerpt.trim())));
    }
    if !slug.is_empty() {
        changes.push(Change::set_text("slug", slug));
    }
    let workflow = match status.as_str() {
        "publish" => Status::Published,
        "future" => Status::Scheduled,
        "pending" => Status::InReview,
        _ => Status::Draft,
    };
    changes.push(Change::set_text("status", workflow.as_str()));
    if status == "future" {
        let date = raw("/date_gmt");
        if !date.is_empty() {
            changes.push(Change::set_text("publish_at", format!("{date}Z")));
        }
    }
    if let Some((url, alt)) = featured.filter(|(u, _)| !u.is_empty()) {
        changes.push(Change::set_text("featured_image", url));
        if !alt.is_empty() {
            changes.push(Change::set_text("featured_image_alt", alt));
        }
    }
    changes.push(Change::set("portal", record.to_yaml()));

    let (root, folder, t2, index) = (
        root.to_path_buf(),
        folder.to_owned(),
        title.clone(),
        index.map(Path::to_path_buf),
    );
    let path = blocking(move || {
        create_draft(
            &root,
            index.as_deref(),
            &folder,
            &t2,
            categories,
            tags,
            author,
            &body,
            &changes,
        )
    })
    .await?;
    Ok(Pulled {
        path,
        post_id,
        title,
        link,
    })
}

#[allow(clippy::too_many_arguments)]
fn create_draft(
    root: &Path,
    index: Option<&Path>,
    folder: &str,
    title: &str,
    categories: Vec<String>,
    tags: Vec<String>,
    author: Option<String>,
    body: &str,
    changes: &[Change],
) -> Result<String> {
    let (mut ws, _) = crate::publish::open_workspace(root, index)?;
    let title = if title.trim().is_empty() {
        "Untitled"
    } else {
        title
    };
    let opened = ws.create(&NewDraft {
        title: title.to_owned(),
        categories,
        tags,
        author,
        folder: folder.to_owned(),
    })?;
    let mut text = opened.text.clone();
    text.push_str(body);
    let text = workspace::update_front_matter(&text, changes)
        .map_err(|e| e.in_file(&PathBuf::from(&opened.path)))?;
    ws.save(&opened.path, &text, Some(&opened.hash))?
        .into_result(ws.root())?;
    Ok(opened.path)
}

fn html_unescape(s: &str) -> String {
    s.replace("&#8217;", "’")
        .replace("&#8216;", "‘")
        .replace("&#8220;", "“")
        .replace("&#8221;", "”")
        .replace("&#8211;", "–")
        .replace("&#8212;", "—")
        .replace("&quot;", "\"")
        .replace("&#039;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::{BlockContext, to_blocks};

    #[test]
    fn blocks_come_back_as_markdown() {
        let md = "## Talks stall\n\nSome *emphasis* and **strong** text, [a link](https://example.org/).\n\n- one\n- two\n\n> A quote.\n\n```\ncode <here>\n```\n";
        let html = to_blocks(
            md,
            &BlockContext {
                marker: Some("nrx".into()),
                ..Default::default()
            },
        );
        let back = html_to_markdown(&html);
        assert!(back.contains("## Talks stall"), "{back}");
        assert!(
            back.contains("Some *emphasis* and **strong** text, [a link](https://example.org/)."),
            "{back}"
        );
        assert!(back.contains("- one\n- two"), "{back}");
        assert!(back.contains("> A quote."), "{back}");
        assert!(back.contains("code <here>"), "{back}");
        assert!(!back.contains("wp:"), "{back}");
    }
}
