//! Portal commands for Settings and the publish panel's byline pre-flight (docs/ipc.md,
//! "Portals"): thin adapters over `newsroom_publish::profile_admin` and
//! `newsroom_publish::byline`, on the same profiles file and password store as the
//! `newsroom portal` subcommands.
//!
//! Passwords come in as command arguments and go straight into a [`Secret`]; no command
//! returns one, and none is put in an error message or a log.

use newsroom_publish::profile::{self, Portal, Profiles, Secret};
use newsroom_publish::profile_admin::{
    self, PortalEdit, PortalEntry, PortalSaved, SystemPasswords,
};
use serde::Serialize;

use crate::error::{AppError, AppResult};

/// A portal for the publish panel's menu (no password lookups: it opens often).
#[derive(Debug, Clone, Serialize)]
pub struct PortalInfo {
    name: String,
    url: String,
    user: String,
    default: bool,
}

/// Profiles and keyring calls block (D-Bus): run them off the IPC thread.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
}

/// A password as typed: trimmed; empty is "none given".
pub fn typed_password(password: Option<String>) -> Option<Secret> {
    password.map(Secret::new).filter(|p| !p.expose().is_empty())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn portal_list() -> AppResult<Vec<PortalInfo>> {
    blocking(|| {
        let profiles = Profiles::load()?;
        Ok(profiles
            .portals
            .iter()
            .map(|p| PortalInfo {
                name: p.name.clone(),
                url: p.url.clone(),
                user: p.user.clone(),
                default: profiles.default.as_deref() == Some(p.name.as_str()),
            })
            .collect())
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn portal_profiles() -> AppResult<Vec<PortalEntry>> {
    blocking(|| Ok(profile_admin::list(&Profiles::load()?, &SystemPasswords))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn portal_add(
    name: String,
    url: String,
    user: String,
    password: String,
) -> AppResult<PortalSaved> {
    let password = Secret::new(password);
    blocking(move || {
        let mut profiles = Profiles::load()?;
        let portal = Portal { name, url, user };
        Ok(profile_admin::add(
            &mut profiles,
            &SystemPasswords,
            portal,
            &password,
        )?)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn portal_edit(
    name: String,
    url: String,
    user: String,
    password: Option<String>,
) -> AppResult<PortalSaved> {
    let change = PortalEdit {
        url,
        user,
        password: typed_password(password),
    };
    blocking(move || {
        let mut profiles = Profiles::load()?;
        Ok(profile_admin::edit(
            &mut profiles,
            &SystemPasswords,
            &name,
            change,
        )?)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn portal_remove(name: String) -> AppResult<()> {
    blocking(move || {
        let mut profiles = Profiles::load()?;
        Ok(profile_admin::remove(
            &mut profiles,
            &SystemPasswords,
            &name,
        )?)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn portal_set_default(name: String) -> AppResult<()> {
    blocking(move || Ok(profile_admin::set_default(&mut Profiles::load()?, &name)?)).await
}

/// The draft's `author` (from the editor's text, as the publish will read it from the file).
pub fn draft_author(text: &str) -> AppResult<Option<String>> {
    let draft = newsroom_core::Draft::parse(text)?;
    Ok(draft.front_matter.author)
}

/// The publish panel's pre-flight: whose name the post will carry on `portal`.
#[tauri::command(rename_all = "snake_case")]
pub async fn byline_check(
    portal: Option<String>,
    text: String,
) -> AppResult<newsroom_publish::byline::BylineCheck> {
    let author = draft_author(&text)?;
    let creds = blocking(move || Ok(profile::credentials(portal.as_deref())?)).await?;
    Ok(newsroom_publish::byline::check(&creds, author.as_deref()).await?)
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
        assert_eq!(err.code(), "invalid_draft");
    }
}
