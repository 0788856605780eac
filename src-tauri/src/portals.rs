//! Portal commands for Settings and the publish panel's byline pre-flight (docs/ipc.md,
//! "Portals"), as registrations over `newsroom_api::portals`, on the same profiles file
//! and password store as the `newsroom portal` subcommands. Passwords go straight into a
//! `Secret` there; no command returns one.

use newsroom_api::portals::{self, PortalInfo};
use newsroom_publish::Profiles;
use newsroom_publish::profile_admin::{PortalEntry, PortalSaved, SystemPasswords};

use crate::error::{AppError, AppResult};

/// Profiles and keyring calls block (D-Bus): run them off the IPC thread.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
}

#[tauri::command(rename_all = "snake_case")]
pub async fn portal_list() -> AppResult<Vec<PortalInfo>> {
    blocking(|| Ok(portals::portal_list(&Profiles::load()?))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn portal_profiles() -> AppResult<Vec<PortalEntry>> {
    blocking(|| {
        Ok(portals::portal_profiles(
            &Profiles::load()?,
            &SystemPasswords,
        ))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn portal_add(
    name: String,
    url: String,
    user: String,
    password: String,
) -> AppResult<PortalSaved> {
    blocking(move || {
        let mut profiles = Profiles::load()?;
        portals::portal_add(&mut profiles, &SystemPasswords, name, url, user, password)
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
    blocking(move || {
        let mut profiles = Profiles::load()?;
        portals::portal_edit(&mut profiles, &SystemPasswords, &name, url, user, password)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn portal_remove(name: String) -> AppResult<()> {
    blocking(move || portals::portal_remove(&mut Profiles::load()?, &SystemPasswords, &name)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn portal_set_default(name: String) -> AppResult<()> {
    blocking(move || portals::portal_set_default(&mut Profiles::load()?, &name)).await
}

/// The publish panel's pre-flight: whose name the post will carry on `portal`.
#[tauri::command(rename_all = "snake_case")]
pub async fn byline_check(
    portal: Option<String>,
    text: String,
) -> AppResult<newsroom_publish::byline::BylineCheck> {
    // the author first: a draft that does not parse needs no keyring lookup
    portals::draft_author(&text)?;
    let creds = blocking(move || portals::byline_credentials(portal.as_deref())).await?;
    portals::byline_check(&creds, &text).await
}
