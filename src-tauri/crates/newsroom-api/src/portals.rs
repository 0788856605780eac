//! Portal commands' bodies for Settings and the publish panel's byline pre-flight
//! (docs/ipc.md, "Portals"), over `newsroom_publish::profile_admin` and
//! `newsroom_publish::byline`, on the same profiles file and password store as the
//! `newsroom portal` subcommands. They block (the keyring is D-Bus): callers run them off
//! the IPC thread.
//!
//! Passwords come in as arguments and go straight into a [`Secret`]; nothing returns one,
//! and none is put in an error message or a log.

use newsroom_publish::profile::{self, Credentials, Portal, Profiles, Secret};
use newsroom_publish::profile_admin::{self, PasswordStore, PortalEdit, PortalEntry, PortalSaved};
use serde::Serialize;

use crate::error::ApiResult;

/// A portal for the publish panel's menu (no password lookups: it opens often).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct PortalInfo {
    pub name: String,
    pub url: String,
    pub user: String,
    /// The portal used when none is named.
    pub default: bool,
}

/// A password as typed: trimmed; empty is "none given".
pub fn typed_password(password: Option<String>) -> Option<Secret> {
    password.map(Secret::new).filter(|p| !p.expose().is_empty())
}

pub fn portal_list(profiles: &Profiles) -> Vec<PortalInfo> {
    profiles
        .portals
        .iter()
        .map(|p| PortalInfo {
            name: p.name.clone(),
            url: p.url.clone(),
            user: p.user.clone(),
            default: profiles.default.as_deref() == Some(p.name.as_str()),
        })
        .collect()
}

pub fn portal_profiles(profiles: &Profiles, passwords: &dyn PasswordStore) -> Vec<PortalEntry> {
    profile_admin::list(profiles, passwords)
}

pub fn portal_add(
    profiles: &mut Profiles,
    passwords: &dyn PasswordStore,
    name: String,
    url: String,
    user: String,
    password: String,
) -> ApiResult<PortalSaved> {
    let password = Secret::new(password);
    let portal = Portal { name, url, user };
    Ok(profile_admin::add(profiles, passwords, portal, &password)?)
}

/// `password: None` (or empty) keeps the stored password.
pub fn portal_edit(
    profiles: &mut Profiles,
    passwords: &dyn PasswordStore,
    name: &str,
    url: String,
    user: String,
    password: Option<String>,
) -> ApiResult<PortalSaved> {
    let change = PortalEdit {
        url,
        user,
        password: typed_password(password),
    };
    Ok(profile_admin::edit(profiles, passwords, name, change)?)
}

pub fn portal_remove(
    profiles: &mut Profiles,
    passwords: &dyn PasswordStore,
    name: &str,
) -> ApiResult<()> {
    Ok(profile_admin::remove(profiles, passwords, name)?)
}

pub fn portal_set_default(profiles: &mut Profiles, name: &str) -> ApiResult<()> {
    Ok(profile_admin::set_default(profiles, name)?)
}

/// The draft's `author` (from the editor's text, as the publish will read it from the file).
pub fn draft_author(text: &str) -> ApiResult<Option<String>> {
    let draft = newsroom_core::Draft::parse(text)?;
    Ok(draft.front_matter.author)
}

/// The credentials `byline_check` logs in with (blocking: the keyring).
pub fn byline_credentials(portal: Option<&str>) -> ApiResult<Credentials> {
    Ok(profile::credentials(portal)?)
}

/// The publish panel's pre-flight: whose name the post will carry on the portal.
pub async fn byline_check(
    creds: &Credentials,
    text: &str,
) -> ApiResult<newsroom_publish::byline::BylineCheck> {
    let author = draft_author(text)?;
    Ok(newsroom_publish::byline::check(creds, author.as_deref()).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_password_is_none_given() {
        assert!(typed_password(None).is_none());
        assert!(typed_password(Some("  \n".into())).is_none());
        let p = typed_password(Some(" abcd efgh ".into())).unwrap();
        assert_eq!(p.expose(), "abcd efgh");
        assert!(!format!("{p:?}").contains("abcd"));
    }

    #[test]
    fn the_author_comes_from_the_front_matter() {
        let text = "---\ntitle: T\nauthor: Ana Kovač\n---\n\nBody.\n";
        assert_eq!(draft_author(text).unwrap().as_deref(), Some("Ana Kovač"));
        assert_eq!(draft_author("---\ntitle: T\n---\n\nBody.\n").unwrap(), None);
        let err = draft_author("---\ntitle: [\n---\n").unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::InvalidDraft);
    }
}
