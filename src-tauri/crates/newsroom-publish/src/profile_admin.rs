//! Adding, editing and removing portals: the same profiles file and password store for the
//! `newsroom portal` subcommands and the app's Settings, so a portal added in one is the
//! portal the other sees.
//!
//! Each operation loads the profiles, changes them, puts the password where
//! [`profile::store_password`] does (keyring, else a 0600 file) and saves. The password
//! store is a parameter so the order of those steps is tested without a keyring.

use serde::Serialize;

use crate::error::{PublishError, Result};
use crate::profile::{self, PasswordLocation, Portal, Profiles, Secret};

/// Where portal passwords live. [`SystemPasswords`] is the real one.
pub trait PasswordStore {
    fn store(&self, portal: &Portal, password: &Secret) -> Result<PasswordLocation>;
    /// `sole_profile`: `portal` is the only profile (`NEWSROOM_PORTAL_PASSWORD` then
    /// applies to it without `NEWSROOM_PORTAL`, see [`profile::env_password_for`]).
    fn load(&self, portal: &Portal, sole_profile: bool) -> Result<Secret>;
    fn delete(&self, portal: &Portal);
}

/// The keyring (else the 0600 file) of [`profile`], with `NEWSROOM_PORTAL_PASSWORD` first.
pub struct SystemPasswords;

impl PasswordStore for SystemPasswords {
    fn store(&self, portal: &Portal, password: &Secret) -> Result<PasswordLocation> {
        profile::store_password(portal, password)
    }
    fn load(&self, portal: &Portal, sole_profile: bool) -> Result<Secret> {
        profile::load_password(portal, sole_profile)
    }
    fn delete(&self, portal: &Portal) {
        profile::delete_password(portal)
    }
}

/// A portal as Settings shows it: never the password, only whether one is there.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortalEntry {
    pub name: String,
    pub url: String,
    pub user: String,
    /// The portal used when none is named.
    pub default: bool,
    /// A password is available for it (stored, or `NEWSROOM_PORTAL_PASSWORD`).
    pub password_stored: bool,
}

/// What an add or an edit did with the password.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortalSaved {
    pub portal: PortalEntry,
    /// Where the password went; `None` when an edit left it alone.
    pub password_location: Option<PasswordLocation>,
}

/// What an edit may change: the name stays (outbox jobs and records are filed under it).
#[derive(Debug, Clone)]
pub struct PortalEdit {
    pub url: String,
    pub user: String,
    /// A new password; `None` keeps the stored one (moved if the address changed).
    pub password: Option<Secret>,
}

fn entry(profiles: &Profiles, portal: &Portal, password_stored: bool) -> PortalEntry {
    PortalEntry {
        name: portal.name.clone(),
        url: portal.url.clone(),
        user: portal.user.clone(),
        default: profiles.default.as_deref() == Some(portal.name.as_str()),
        password_stored,
    }
}

/// Whether the folder of profiles holds just one (see [`PasswordStore::load`]).
fn sole(profiles: &Profiles) -> bool {
    profiles.portals.len() == 1
}

/// Every portal, the default marked, and whether each has a password.
pub fn list(profiles: &Profiles, passwords: &dyn PasswordStore) -> Vec<PortalEntry> {
    profiles
        .portals
        .iter()
        .map(|p| entry(profiles, p, passwords.load(p, sole(profiles)).is_ok()))
        .collect()
}

/// Adds a portal and stores its password, as `newsroom portal add` does. The first portal
/// becomes the default. Nothing is saved when the portal or the password is refused.
pub fn add(
    profiles: &mut Profiles,
    passwords: &dyn PasswordStore,
    portal: Portal,
    password: &Secret,
) -> Result<PortalSaved> {
    if password.expose().is_empty() {
        return Err(PublishError::InvalidArgument(
            "enter the application password (WordPress: Users → Profile → Application Passwords)"
                .into(),
        ));
    }
    let name = portal.name.trim().to_owned();
    profiles.add(portal)?;
    let portal = profiles.get(&name)?.clone();
    let location = passwords.store(&portal, password)?;
    profiles.save()?;
    Ok(PortalSaved {
        portal: entry(profiles, &portal, true),
        password_location: Some(location),
    })
}

/// Changes a portal's address, user or password. The keyring files a password under the
/// portal's name and address, so a new address moves the stored password with it.
pub fn edit(
    profiles: &mut Profiles,
    passwords: &dyn PasswordStore,
    name: &str,
    change: PortalEdit,
) -> Result<PortalSaved> {
    let old = profiles.get(name)?.clone();
    let user = change.user.trim().to_owned();
    if user.is_empty() {
        return Err(PublishError::InvalidArgument(
            "a portal needs a user name".into(),
        ));
    }
    let new = Portal {
        name: old.name.clone(),
        url: profile::normalise_url(&change.url)?,
        user,
    };
    let password = match change.password.filter(|p| !p.expose().is_empty()) {
        Some(p) => Some(p),
        None if new.url != old.url => Some(passwords.load(&old, sole(profiles))?),
        None => None,
    };
    let location = match &password {
        Some(secret) => {
            if new.url != old.url {
                passwords.delete(&old);
            }
            match passwords.store(&new, secret) {
                Ok(location) => Some(location),
                Err(e) => {
                    // put the password back where the unchanged profile will look for it
                    if new.url != old.url {
                        let _ = passwords.store(&old, secret);
                    }
                    return Err(e);
                }
            }
        }
        None => None,
    };
    let slot = profiles
        .portals
        .iter_mut()
        .find(|p| p.name == old.name)
        .ok_or_else(|| PublishError::NoSuchPortal {
            name: name.to_owned(),
            known: Vec::new(),
        })?;
    *slot = new.clone();
    profiles.save()?;
    let stored = location.is_some() || passwords.load(&new, sole(profiles)).is_ok();
    Ok(PortalSaved {
        portal: entry(profiles, &new, stored),
        password_location: location,
    })
}

/// Removes a portal and forgets its password, as `newsroom portal remove` does.
pub fn remove(profiles: &mut Profiles, passwords: &dyn PasswordStore, name: &str) -> Result<()> {
    let removed = profiles.remove(name)?;
    passwords.delete(&removed);
    profiles.save()
}

/// Makes a portal the one used when none is named.
pub fn set_default(profiles: &mut Profiles, name: &str) -> Result<()> {
    let name = profiles.get(name)?.name.clone();
    profiles.default = Some(name);
    profiles.save()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    /// Passwords in memory, filed like the keyring: by name and address.
    #[derive(Default)]
    struct Memory {
        by_key: Mutex<BTreeMap<String, String>>,
        refuse: bool,
    }

    impl Memory {
        fn key(p: &Portal) -> String {
            format!("{}@{}", p.name, p.url)
        }
        fn keys(&self) -> Vec<String> {
            self.by_key.lock().unwrap().keys().cloned().collect()
        }
    }

    impl PasswordStore for Memory {
        fn store(&self, portal: &Portal, password: &Secret) -> Result<PasswordLocation> {
            if self.refuse {
                return Err(PublishError::InvalidArgument("keyring locked".into()));
            }
            self.by_key
                .lock()
                .unwrap()
                .insert(Memory::key(portal), password.expose().to_owned());
            Ok(PasswordLocation::Keyring)
        }
        fn load(&self, portal: &Portal, _sole_profile: bool) -> Result<Secret> {
            self.by_key
                .lock()
                .unwrap()
                .get(&Memory::key(portal))
                .map(Secret::new)
                .ok_or_else(|| PublishError::NoPassword {
                    portal: portal.name.clone(),
                })
        }
        fn delete(&self, portal: &Portal) {
            self.by_key.lock().unwrap().remove(&Memory::key(portal));
        }
    }

    fn portal(name: &str, url: &str, user: &str) -> Portal {
        Portal {
            name: name.into(),
            url: url.into(),
            user: user.into(),
        }
    }

    fn profiles(dir: &tempfile::TempDir) -> Profiles {
        Profiles::load_from(&dir.path().join("portals.json")).unwrap()
    }

    #[test]
    fn add_saves_the_profile_without_the_password_and_stores_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Memory::default();
        let mut p = profiles(&dir);
        let saved = add(
            &mut p,
            &store,
            portal("local", "http://127.0.0.1:8089/", "edith"),
            &Secret::new(" abcd efgh "),
        )
        .unwrap();
        assert_eq!(saved.portal.url, "http://127.0.0.1:8089");
        assert!(saved.portal.default, "the first portal is the default");
        assert!(saved.portal.password_stored);
        assert_eq!(saved.password_location, Some(PasswordLocation::Keyring));
        let text = std::fs::read_to_string(dir.path().join("portals.json")).unwrap();
        assert!(!text.contains("abcd"), "{text}");
        let again = profiles(&dir);
        assert_eq!(again.get("local").unwrap().user, "edith");
        assert_eq!(
            store
                .load(again.get("local").unwrap(), true)
                .unwrap()
                .expose(),
            "abcd efgh"
        );
    }

    #[test]
    fn add_refuses_before_storing_anything() {
        let dir = tempfile::tempdir().unwrap();
        let store = Memory::default();
        let mut p = profiles(&dir);
        let err = add(
            &mut p,
            &store,
            portal("main", "http://news.example.org", "ana"),
            &Secret::new("pw"),
        )
        .unwrap_err();
        assert_eq!(err.code(), "insecure_url");
        let err = add(
            &mut p,
            &store,
            portal("main", "https://news.example.org", "ana"),
            &Secret::new("  "),
        )
        .unwrap_err();
        assert_eq!(err.code(), "invalid_argument");
        let err = add(
            &mut p,
            &store,
            portal("bad name", "https://news.example.org", "ana"),
            &Secret::new("pw"),
        )
        .unwrap_err();
        assert_eq!(err.code(), "invalid_argument");
        assert!(store.keys().is_empty());
        assert!(!dir.path().join("portals.json").exists());
        // a refused password store leaves no profile behind either
        let locked = Memory {
            refuse: true,
            ..Memory::default()
        };
        let mut p = profiles(&dir);
        assert!(
            add(
                &mut p,
                &locked,
                portal("main", "https://news.example.org", "ana"),
                &Secret::new("pw"),
            )
            .is_err()
        );
        assert!(profiles(&dir).portals.is_empty());
    }

    #[test]
    fn a_new_address_moves_the_stored_password() {
        let dir = tempfile::tempdir().unwrap();
        let store = Memory::default();
        let mut p = profiles(&dir);
        add(
            &mut p,
            &store,
            portal("main", "http://localhost:8080", "ana"),
            &Secret::new("secret-1"),
        )
        .unwrap();
        let saved = edit(
            &mut p,
            &store,
            "main",
            PortalEdit {
                url: "https://news.example.org/".into(),
                user: " edith ".into(),
                password: None,
            },
        )
        .unwrap();
        assert_eq!(saved.portal.url, "https://news.example.org");
        assert_eq!(saved.portal.user, "edith");
        assert!(saved.portal.password_stored);
        assert_eq!(store.keys(), vec!["main@https://news.example.org"]);
        let on_disk = profiles(&dir);
        assert_eq!(on_disk.get("main").unwrap().url, "https://news.example.org");
        assert_eq!(on_disk.get("main").unwrap().user, "edith");
    }

    #[test]
    fn an_edit_replaces_the_password_or_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Memory::default();
        let mut p = profiles(&dir);
        add(
            &mut p,
            &store,
            portal("main", "https://news.example.org", "ana"),
            &Secret::new("old"),
        )
        .unwrap();
        let kept = edit(
            &mut p,
            &store,
            "main",
            PortalEdit {
                url: "https://news.example.org".into(),
                user: "ana".into(),
                password: Some(Secret::new("")),
            },
        )
        .unwrap();
        assert_eq!(kept.password_location, None);
        assert!(kept.portal.password_stored);
        let replaced = edit(
            &mut p,
            &store,
            "main",
            PortalEdit {
                url: "https://news.example.org".into(),
                user: "ana".into(),
                password: Some(Secret::new("new")),
            },
        )
        .unwrap();
        assert_eq!(replaced.password_location, Some(PasswordLocation::Keyring));
        assert_eq!(
            store.load(p.get("main").unwrap(), true).unwrap().expose(),
            "new"
        );
        for (url, user, code) in [
            ("http://news.example.org", "ana", "insecure_url"),
            ("https://news.example.org", " ", "invalid_argument"),
        ] {
            let change = PortalEdit {
                url: url.into(),
                user: user.into(),
                password: None,
            };
            assert_eq!(
                edit(&mut p, &store, "main", change).unwrap_err().code(),
                code
            );
        }
        let change = PortalEdit {
            url: "https://x.org".into(),
            user: "a".into(),
            password: None,
        };
        assert_eq!(
            edit(&mut p, &store, "nope", change).unwrap_err().code(),
            "no_such_portal"
        );
        assert_eq!(profiles(&dir).get("main").unwrap().user, "ana");
    }

    #[test]
    fn a_new_address_without_a_stored_password_asks_for_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = Memory::default();
        let mut p = profiles(&dir);
        p.add(portal("main", "https://news.example.org", "ana"))
            .unwrap();
        p.save().unwrap();
        let change = PortalEdit {
            url: "https://other.example.org".into(),
            user: "ana".into(),
            password: None,
        };
        assert_eq!(
            edit(&mut p, &store, "main", change).unwrap_err().code(),
            "no_password"
        );
        assert_eq!(
            profiles(&dir).get("main").unwrap().url,
            "https://news.example.org"
        );
    }

    #[test]
    fn list_remove_and_default() {
        let dir = tempfile::tempdir().unwrap();
        let store = Memory::default();
        let mut p = profiles(&dir);
        add(
            &mut p,
            &store,
            portal("main", "https://news.example.org", "ana"),
            &Secret::new("pw"),
        )
        .unwrap();
        p.add(portal("local", "http://127.0.0.1:8089", "edith"))
            .unwrap();
        p.save().unwrap();
        let listed = list(&profiles(&dir), &store);
        assert_eq!(
            listed
                .iter()
                .map(|e| (e.name.as_str(), e.default, e.password_stored))
                .collect::<Vec<_>>(),
            vec![("main", true, true), ("local", false, false)]
        );
        set_default(&mut p, "local").unwrap();
        assert_eq!(profiles(&dir).default.as_deref(), Some("local"));
        assert_eq!(
            set_default(&mut p, "nope").unwrap_err().code(),
            "no_such_portal"
        );
        remove(&mut p, &store, "main").unwrap();
        assert!(store.keys().is_empty(), "the password went with the portal");
        let after = profiles(&dir);
        assert_eq!(after.names(), vec!["local"]);
        assert_eq!(
            remove(&mut p, &store, "main").unwrap_err().code(),
            "no_such_portal"
        );
    }
}
