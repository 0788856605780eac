//! Who we are on a portal, and `portal test`: reachable, authenticated, what this user
//! may do, and the portal's categories.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::client::{ClientOptions, WpClient};
use crate::error::{PublishError, Result};
use crate::profile::Credentials;
use crate::store::{Store, Term};
use crate::terms;

/// The authenticated user, from `GET /wp/v2/users/me?context=edit`.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct Me {
    pub id: u64,
    pub login: String,
    pub name: String,
    pub roles: Vec<String>,
    #[serde(skip)]
    pub capabilities: BTreeMap<String, bool>,
}

impl Me {
    pub async fn fetch(client: &WpClient) -> Result<Me> {
        let answer = client
            .get("/wp/v2/users/me", &[("context", "edit".into())])
            .await?;
        let b = &answer.body;
        let id = b.get("id").and_then(Value::as_u64).ok_or_else(|| {
            PublishError::UnexpectedResponse {
                what: "users/me".into(),
                detail: "no user id (is this a WordPress site?)".into(),
            }
        })?;
        let capabilities = b
            .get("capabilities")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_bool().unwrap_or(false)))
                    .collect()
            })
            .unwrap_or_default();
        let me = Me {
            id,
            login: b
                .get("username")
                .and_then(Value::as_str)
                .unwrap_or(client.user())
                .to_owned(),
            name: b
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(client.user())
                .to_owned(),
            roles: b
                .get("roles")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            capabilities,
        };
        client.set_role(&me.role());
        Ok(me)
    }

    pub fn can(&self, capability: &str) -> bool {
        self.capabilities.get(capability).copied().unwrap_or(false)
    }

    pub fn role(&self) -> String {
        if self.roles.is_empty() {
            "no role".into()
        } else {
            self.roles.join(", ")
        }
    }

    /// The post statuses this user may set.
    pub fn allowed_statuses(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.can("edit_posts") {
            out.extend(["draft", "pending"]);
        }
        if self.can("publish_posts") {
            out.extend(["publish", "future"]);
        }
        out
    }
}

/// A portal user id for a display name, when this user may see and assign authors.
pub async fn find_author(client: &WpClient, name: &str) -> Result<Option<u64>> {
    let answer = client
        .get(
            "/wp/v2/users",
            &[
                ("who", "authors".into()),
                ("search", name.to_owned()),
                ("per_page", "100".into()),
                ("_fields", "id,name,slug".into()),
            ],
        )
        .await;
    let answer = match answer {
        Ok(a) => a,
        // Some sites refuse `who=authors` to non-admins: fall back to the public list.
        Err(PublishError::Rejected { .. } | PublishError::Forbidden { .. }) => {
            client
                .get(
                    "/wp/v2/users",
                    &[
                        ("per_page", "100".into()),
                        ("_fields", "id,name,slug".into()),
                    ],
                )
                .await?
        }
        Err(e) => return Err(e),
    };
    Ok(answer
        .body
        .as_array()
        .into_iter()
        .flatten()
        .find(|u| {
            u.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| terms::same_name(n, name))
        })
        .and_then(|u| u.get("id")?.as_u64()))
}

/// What `newsroom portal test` reports.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct PortalReport {
    pub portal: String,
    pub url: String,
    pub site_name: Option<String>,
    /// `true` when the REST API answers only at `?rest_route=` (pretty permalinks off).
    pub query_routes: bool,
    pub user: Me,
    pub allowed_statuses: Vec<&'static str>,
    pub can_upload: bool,
    pub can_set_author: bool,
    pub categories: Vec<Term>,
}

/// Reachable, authenticated, allowed statuses, categories.
pub async fn test(
    creds: &Credentials,
    store: Option<&Store>,
    options: ClientOptions,
) -> Result<PortalReport> {
    let client = WpClient::new(creds, options)?;
    let index = client
        .get("/", &[("_fields", "name,description,namespaces".into())])
        .await?;
    if !index
        .body
        .get("namespaces")
        .and_then(Value::as_array)
        .is_some_and(|n| n.iter().any(|v| v == "wp/v2"))
    {
        return Err(PublishError::RestApiNotFound {
            url: client.base().to_owned(),
        });
    }
    let me = Me::fetch(&client).await?;
    let categories = match store {
        Some(s) => terms::categories(&client, s, true).await?,
        None => terms::fetch_all(&client, "categories").await?,
    };
    Ok(PortalReport {
        portal: creds.portal.name.clone(),
        url: client.base().to_owned(),
        site_name: index
            .body
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_owned),
        query_routes: client.uses_query_routes(),
        allowed_statuses: me.allowed_statuses(),
        can_upload: me.can("upload_files"),
        can_set_author: me.can("edit_others_posts"),
        user: me,
        categories,
    })
}
