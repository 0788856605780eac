//! Categories and tags: the draft says names, WordPress wants ids.
//!
//! Categories must exist on the portal (an author may not create them): an unknown one is
//! an error that lists the portal's. Tags are created when missing; a tag that exists
//! under another case (`term_exists`) is used as it is.

use std::time::Duration;

use serde_json::{Value, json};

use crate::client::WpClient;
use crate::error::{PublishError, Result};
use crate::runtime::blocking;
use crate::store::{Store, Term};

/// How long the portal's categories are trusted before being fetched again.
pub const TERMS_TTL: Duration = Duration::from_secs(10 * 60);

/// Case-insensitive, blank-insensitive name comparison (also tolerates `&amp;`).
pub fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.replace("&amp;", "&")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

/// Maps category names to ids; unknown names are collected into one error.
pub fn match_categories(wanted: &[String], available: &[Term]) -> Result<Vec<u64>> {
    let mut ids = Vec::new();
    let mut unknown = Vec::new();
    for name in wanted {
        match available
            .iter()
            .find(|t| same_name(&t.name, name) || t.slug.eq_ignore_ascii_case(name.trim()))
        {
            Some(t) if !ids.contains(&t.id) => ids.push(t.id),
            Some(_) => {}
            None => unknown.push(name.clone()),
        }
    }
    if unknown.is_empty() {
        Ok(ids)
    } else {
        let mut names: Vec<String> = available
            .iter()
            .map(|t| t.name.replace("&amp;", "&"))
            .collect();
        names.sort_by_key(|n| n.to_lowercase());
        Err(PublishError::UnknownCategory {
            names: unknown,
            available: names,
        })
    }
}

/// Splits tag names into known ids and names to create.
pub fn match_tags(wanted: &[String], available: &[Term]) -> (Vec<u64>, Vec<String>) {
    let mut ids = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    for name in wanted {
        match available.iter().find(|t| same_name(&t.name, name)) {
            Some(t) if !ids.contains(&t.id) => ids.push(t.id),
            Some(_) => {}
            None if !missing.iter().any(|m| same_name(m, name)) => {
                missing.push(name.trim().to_owned())
            }
            None => {}
        }
    }
    (ids, missing)
}

/// Every term of a taxonomy, following pages.
pub async fn fetch_all(client: &WpClient, taxonomy: &str) -> Result<Vec<Term>> {
    let mut out = Vec::new();
    let mut page = 1u64;
    loop {
        let answer = client
            .get(
                &format!("/wp/v2/{taxonomy}"),
                &[
                    ("per_page", "100".into()),
                    ("page", page.to_string()),
                    ("_fields", "id,name,slug".into()),
                    ("hide_empty", "false".into()),
                ],
            )
            .await?;
        let items = answer.body.as_array().cloned().unwrap_or_default();
        out.extend(items.iter().filter_map(term_from_json));
        let pages = answer.total_pages.unwrap_or(1);
        if page >= pages || items.is_empty() {
            break;
        }
        page += 1;
    }
    Ok(out)
}

pub fn term_from_json(v: &Value) -> Option<Term> {
    Some(Term {
        id: v.get("id")?.as_u64()?,
        name: v.get("name")?.as_str()?.replace("&amp;", "&"),
        slug: v
            .get("slug")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
    })
}

/// The portal's categories, from the cache when fresh (or `refresh`).
pub async fn categories(client: &WpClient, store: &Store, refresh: bool) -> Result<Vec<Term>> {
    let site = client.base().to_owned();
    if !refresh {
        let (s, site2) = (store.clone(), site.clone());
        if let Some(terms) =
            blocking(move || s.cached_terms(&site2, "categories", TERMS_TTL)).await?
        {
            return Ok(terms);
        }
    }
    let terms = fetch_all(client, "categories").await?;
    let (s, t) = (store.clone(), terms.clone());
    blocking(move || s.put_terms(&site, "categories", &t)).await?;
    Ok(terms)
}

/// The portal's categories to match the draft's names against: the cached list, fetched
/// again once before a name is called unknown. GETs only.
pub async fn categories_for(
    client: &WpClient,
    store: &Store,
    wanted: &[String],
) -> Result<Vec<Term>> {
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let cached = categories(client, store, false).await?;
    if match_categories(wanted, &cached).is_ok() {
        return Ok(cached);
    }
    categories(client, store, true).await
}

/// The portal's tags that may match the draft's names: the cache, and a search for each
/// name the cache lacks (a colleague may have created it). GETs only; what is still
/// missing is created by the publish (`create_tag`).
pub async fn tags_for(client: &WpClient, store: &Store, wanted: &[String]) -> Result<Vec<Term>> {
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let (s, site) = (store.clone(), client.base().to_owned());
    let mut known = blocking(move || s.cached_terms(&site, "tags", TERMS_TTL))
        .await?
        .unwrap_or_default();
    let (_, missing) = match_tags(wanted, &known);
    for name in &missing {
        let found = client
            .get(
                "/wp/v2/tags",
                &[
                    ("search", name.clone()),
                    ("per_page", "100".into()),
                    ("_fields", "id,name,slug".into()),
                ],
            )
            .await?;
        known.extend(
            found
                .body
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(term_from_json),
        );
    }
    Ok(known)
}

/// Creates a tag the portal lacks; one created meanwhile (or differing only in case) is
/// taken as WordPress names it (`term_exists` with its `term_id`). Cached for the next
/// publish.
pub async fn create_tag(client: &WpClient, store: &Store, name: &str) -> Result<Term> {
    let term = match client.post("/wp/v2/tags", &json!({ "name": name })).await {
        Ok(a) => term_from_json(&a.body).ok_or_else(|| PublishError::UnexpectedResponse {
            what: format!("creating tag `{name}`"),
            detail: "no id in the answer".into(),
        })?,
        Err(PublishError::Rejected {
            code,
            term_id: Some(id),
            ..
        }) if code == "term_exists" => Term {
            id,
            name: name.to_owned(),
            slug: String::new(),
        },
        Err(e) => return Err(e),
    };
    let (s, site, t) = (store.clone(), client.base().to_owned(), term.clone());
    blocking(move || s.add_term(&site, "tags", &t)).await?;
    Ok(term)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms() -> Vec<Term> {
        ["World", "Business", "News Analysis", "Science & Tech"]
            .iter()
            .enumerate()
            .map(|(i, n)| Term {
                id: i as u64 + 2,
                name: (*n).into(),
                slug: n.to_lowercase().replace(' ', "-"),
            })
            .collect()
    }

    #[test]
    fn categories_match_ignoring_case_and_spacing() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            match_categories(&names(&["world", "NEWS  analysis"]), &terms()).unwrap(),
            vec![2, 4]
        );
        assert_eq!(
            match_categories(&names(&["Science &amp; Tech", "business"]), &terms()).unwrap(),
            vec![5, 3]
        );
        assert_eq!(
            match_categories(&names(&["news-analysis"]), &terms()).unwrap(),
            vec![4],
            "slugs work too"
        );
        let err = match_categories(&names(&["World", "Sprots"]), &terms()).unwrap_err();
        assert_eq!(err.code(), "unknown_category");
        let msg = err.to_string();
        assert!(
            msg.contains("`Sprots`")
                && msg.contains("Business, News Analysis, Science & Tech, World"),
            "{msg}"
        );
    }

    #[test]
    fn tags_split_into_known_and_missing() {
        let known = vec![Term {
            id: 9,
            name: "Belarus".into(),
            slug: "belarus".into(),
        }];
        let wanted = vec![
            "belarus".to_string(),
            "Ukraine war".into(),
            "ukraine WAR".into(),
        ];
        assert_eq!(
            match_tags(&wanted, &known),
            (vec![9], vec!["Ukraine war".to_string()])
        );
    }
}
