//! Whose name a post goes out under: the draft's `author` matched to the portal account
//! (`users/me`), or to another portal user when the account may name one
//! (`edit_others_posts`, editors). The publish job and the app's pre-flight ask the same
//! question here, so the panel warns about exactly what the publish would do.

use serde::Serialize;

use crate::client::{ClientOptions, WpClient};
use crate::error::Result;
use crate::portal::{self, Me};
use crate::profile::Credentials;
use crate::terms;

/// What the draft's byline becomes on the portal.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BylineOutcome {
    /// The draft names no author: the post carries the account's name.
    NoAuthor,
    /// The draft's author is the account.
    Account,
    /// Another portal user of that name, whom the account may name as the author.
    Assigned,
    /// No portal user has that name: the post goes out under the account's name.
    NoSuchUser,
    /// The account may not publish under another name: the post goes out under its own.
    MayNotAssign,
}

impl BylineOutcome {
    /// The post will carry a name other than the draft's.
    pub fn differs(self) -> bool {
        matches!(
            self,
            BylineOutcome::NoSuchUser | BylineOutcome::MayNotAssign
        )
    }
}

/// The draft's byline against the account, before any request: `None` means the portal
/// must be asked whether a user of that name exists ([`decide`]).
pub fn compare(author: Option<&str>, me: &Me) -> Option<BylineOutcome> {
    match author.map(str::trim).filter(|a| !a.is_empty()) {
        None => Some(BylineOutcome::NoAuthor),
        Some(name) if terms::same_name(name, &me.name) => Some(BylineOutcome::Account),
        Some(_) if !me.can("edit_others_posts") => Some(BylineOutcome::MayNotAssign),
        Some(_) => None,
    }
}

/// The decision, the portal user to name as author (if any) and the warning to give.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Byline {
    pub outcome: BylineOutcome,
    /// The portal user id to send as `author`, for [`BylineOutcome::Assigned`].
    pub author_id: Option<u64>,
    /// What the user should be told when the post will not carry the draft's name.
    pub warning: Option<String>,
}

impl Byline {
    fn of(outcome: BylineOutcome, author: &str, me: &Me) -> Byline {
        let warning = match outcome {
            BylineOutcome::NoSuchUser => Some(format!(
                "byline: no portal user is called `{author}`; the post is under {} — fix the byline on the portal or the draft's `author`",
                me.name
            )),
            BylineOutcome::MayNotAssign => Some(format!(
                "byline: the draft says `{author}`, but {} ({}) may not publish under another author's name; the post is under {}",
                me.name,
                me.role(),
                me.name
            )),
            _ => None,
        };
        Byline {
            outcome,
            author_id: None,
            warning,
        }
    }
}

/// Decides the byline of a post by `me` for a draft whose `author` is `author`.
pub async fn decide(client: &WpClient, me: &Me, author: Option<&str>) -> Result<Byline> {
    let name = author.map(str::trim).unwrap_or("");
    if let Some(outcome) = compare(author, me) {
        return Ok(Byline::of(outcome, name, me));
    }
    Ok(match portal::find_author(client, name).await? {
        Some(id) => Byline {
            outcome: BylineOutcome::Assigned,
            author_id: Some(id),
            warning: None,
        },
        None => Byline::of(BylineOutcome::NoSuchUser, name, me),
    })
}

/// The pre-flight answer: the draft's byline, the account's, and what the post will carry.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct BylineCheck {
    pub portal: String,
    /// The draft's `author`, trimmed (`None`: no byline).
    pub author: Option<String>,
    /// The account's display name on the portal, and its login and roles.
    pub account: String,
    pub login: String,
    pub roles: Vec<String>,
    #[serde(flatten)]
    pub byline: Byline,
}

/// Logs in as the portal account and decides the byline, as a publish would.
pub async fn check(creds: &Credentials, author: Option<&str>) -> Result<BylineCheck> {
    let client = WpClient::new(creds, ClientOptions::default())?;
    let me = Me::fetch(&client).await?;
    let byline = decide(&client, &me, author).await?;
    Ok(BylineCheck {
        portal: creds.portal.name.clone(),
        author: author
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned),
        account: me.name.clone(),
        login: me.login.clone(),
        roles: me.roles.clone(),
        byline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me(name: &str, role: &str, others: bool) -> Me {
        Me {
            id: 3,
            login: "desk".into(),
            name: name.into(),
            roles: vec![role.into()],
            capabilities: [("edit_others_posts".to_owned(), others)].into(),
        }
    }

    #[test]
    fn the_byline_against_the_account() {
        let author = me("Ana Kovač", "author", false);
        assert_eq!(compare(None, &author), Some(BylineOutcome::NoAuthor));
        assert_eq!(compare(Some("  "), &author), Some(BylineOutcome::NoAuthor));
        assert_eq!(
            compare(Some(" ana  kovač "), &author),
            Some(BylineOutcome::Account)
        );
        let desk = me("desk", "author", false);
        assert_eq!(
            compare(Some("Ana Kovač"), &desk),
            Some(BylineOutcome::MayNotAssign)
        );
        let editor = me("Edith Moreau", "editor", true);
        assert_eq!(compare(Some("Ana Kovač"), &editor), None, "ask the portal");
        assert!(BylineOutcome::MayNotAssign.differs() && BylineOutcome::NoSuchUser.differs());
        assert!(!BylineOutcome::Assigned.differs() && !BylineOutcome::NoAuthor.differs());
    }

    #[test]
    fn the_warning_names_the_draft_and_the_account() {
        let desk = me("desk", "author", false);
        let b = Byline::of(BylineOutcome::MayNotAssign, "Ana Kovač", &desk);
        assert_eq!(
            b.warning.as_deref(),
            Some(
                "byline: the draft says `Ana Kovač`, but desk (author) may not publish under another author's name; the post is under desk"
            )
        );
        let b = Byline::of(BylineOutcome::NoSuchUser, "Ana Kovač", &desk);
        assert!(
            b.warning
                .unwrap()
                .contains("no portal user is called `Ana Kovač`")
        );
        assert_eq!(
            Byline::of(BylineOutcome::Account, "desk", &desk).warning,
            None
        );
    }

    #[test]
    fn the_check_serialises_flat_for_the_ui() {
        let c = BylineCheck {
            portal: "local".into(),
            author: Some("Ana Kovač".into()),
            account: "desk".into(),
            login: "desk".into(),
            roles: vec!["author".into()],
            byline: Byline::of(
                BylineOutcome::MayNotAssign,
                "Ana Kovač",
                &me("desk", "author", false),
            ),
        };
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["outcome"], "may_not_assign");
        assert_eq!(v["account"], "desk");
        assert!(v["warning"].as_str().unwrap().starts_with("byline:"));
    }
}
