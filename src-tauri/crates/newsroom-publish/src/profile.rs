//! Portal profiles: a name, the site's address and a user, in `portals.json` in the config
//! folder. Passwords are never in that file, in the drafts folder, the index or a log:
//! they live in the system keyring (Secret Service), else in a file only the user can
//! read (0600), and `NEWSROOM_PORTAL_PASSWORD` overrides both for automation — for one
//! profile only: the one `NEWSROOM_PORTAL` names, or the only profile there is (so a
//! password meant for a test site is never sent to another portal).

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use reqwest::Url;

use crate::error::{PublishError, Result};

/// Keyring service name for portal passwords.
const KEYRING_SERVICE: &str = "newsroom-portal";

/// The config folder: one decision for the app and the CLI ([`newsroom_core::user_dirs`]):
/// `NEWSROOM_CONFIG_DIR`, else `$XDG_CONFIG_HOME/newsroom` (`~/.config/newsroom`).
pub fn config_dir() -> PathBuf {
    newsroom_core::user_dirs::config_dir()
}

/// A portal as the profiles file keeps it: no password.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Portal {
    pub name: String,
    /// The site's home address, normalised (no trailing slash).
    pub url: String,
    pub user: String,
}

/// A password that never prints.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        // Application passwords are shown with spaces; WordPress accepts both forms.
        Secret(s.into().trim().to_owned())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// What a connection to a portal needs.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub portal: Portal,
    pub password: Secret,
}

/// Checks and normalises a portal address; plain http only to this computer.
pub fn normalise_url(raw: &str) -> Result<String> {
    let bad = |reason: &str| PublishError::InvalidUrl {
        url: raw.to_owned(),
        reason: reason.to_owned(),
    };
    let mut url = Url::parse(raw.trim())
        .map_err(|e| bad(&format!("{e}; write it like https://news.example.org")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("it must start with https://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("it has no host name"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "put the user in --user and the password in the keyring, not in the address",
        ));
    }
    url.set_query(None);
    url.set_fragment(None);
    let mut path = url.path().trim_end_matches('/').to_owned();
    for suffix in ["/wp-json", "/wp-admin", "/index.php"] {
        if let Some(p) = path.strip_suffix(suffix) {
            path = p.to_owned();
        }
    }
    url.set_path(&path);
    let s = url.as_str().trim_end_matches('/').to_owned();
    if url.scheme() == "http" && !is_loopback(&url) {
        return Err(PublishError::InsecureUrl { url: s });
    }
    Ok(s)
}

/// Loopback addresses, and the name `localhost` itself. Not every `*.localhost` name:
/// whether those resolve to this computer depends on the resolver, and a password sent
/// in clear to a name that resolves elsewhere is gone.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost") || d.eq_ignore_ascii_case("localhost.")
        }
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// The profiles file.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Profiles {
    #[serde(skip)]
    path: PathBuf,
    pub portals: Vec<Portal>,
    /// The portal used when none is named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

impl Profiles {
    pub fn default_path() -> PathBuf {
        newsroom_core::user_dirs::UserDirs::from_env().portals_file()
    }

    /// Loads the profiles (an absent file is no portals).
    pub fn load() -> Result<Profiles> {
        Self::load_from(&Self::default_path())
    }

    pub fn load_from(path: &Path) -> Result<Profiles> {
        let mut profiles = match std::fs::read(path) {
            Ok(bytes) => {
                serde_json::from_slice::<Profiles>(&bytes).map_err(|e| PublishError::Profiles {
                    path: path.to_path_buf(),
                    detail: e.to_string(),
                })?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Profiles::default(),
            Err(e) => return Err(PublishError::io(path, e)),
        };
        profiles.path = path.to_path_buf();
        Ok(profiles)
    }

    pub fn save(&self) -> Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| PublishError::io(dir, e))?;
        let json = serde_json::to_vec_pretty(self).unwrap_or_default();
        newsroom_core::files::write_atomic(&self.path, &json)?;
        Ok(())
    }

    pub fn names(&self) -> Vec<String> {
        self.portals.iter().map(|p| p.name.clone()).collect()
    }

    pub fn get(&self, name: &str) -> Result<&Portal> {
        self.portals
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| PublishError::NoSuchPortal {
                name: name.to_owned(),
                known: self.names(),
            })
    }

    /// The named portal, else the default one, else the only one.
    pub fn pick(&self, name: Option<&str>) -> Result<&Portal> {
        match name.or(self.default.as_deref()) {
            Some(n) => self.get(n),
            None if self.portals.len() == 1 => Ok(&self.portals[0]),
            None => Err(PublishError::InvalidArgument(if self.portals.is_empty() {
                "no portal is set up yet: add one with `newsroom portal add NAME --url URL --user USER`".into()
            } else {
                format!(
                    "several portals are set up ({}); name one with --portal NAME",
                    self.names().join(", ")
                )
            })),
        }
    }

    pub fn add(&mut self, portal: Portal) -> Result<()> {
        let name = portal.name.trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || "-_.".contains(c))
        {
            return Err(PublishError::InvalidArgument(format!(
                "`{name}` is not a usable portal name: use letters, digits, `-`, `_` or `.`"
            )));
        }
        if self.portals.iter().any(|p| p.name == name) {
            return Err(PublishError::PortalExists(name.to_owned()));
        }
        if portal.user.trim().is_empty() {
            return Err(PublishError::InvalidArgument(
                "a portal needs a user name (--user)".into(),
            ));
        }
        let url = normalise_url(&portal.url)?;
        self.portals.push(Portal {
            name: name.to_owned(),
            url,
            user: portal.user.trim().to_owned(),
        });
        if self.default.is_none() {
            self.default = Some(name.to_owned());
        }
        Ok(())
    }

    pub fn remove(&mut self, name: &str) -> Result<Portal> {
        let i = self
            .portals
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| PublishError::NoSuchPortal {
                name: name.to_owned(),
                known: self.names(),
            })?;
        let removed = self.portals.remove(i);
        if self.default.as_deref() == Some(name) {
            self.default = self.portals.first().map(|p| p.name.clone());
        }
        Ok(removed)
    }
}

/// Where a password was stored.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PasswordLocation {
    Keyring,
    /// A file readable only by the user (no keyring on this computer).
    File {
        path: PathBuf,
    },
}

fn keyring_disabled() -> bool {
    std::env::var("NEWSROOM_KEYRING")
        .is_ok_and(|v| matches!(v.as_str(), "0" | "off" | "no" | "false"))
}

fn password_file(portal: &str) -> PathBuf {
    config_dir()
        .join("secrets")
        .join(format!("{portal}.password"))
}

/// The system's credential store for `keyring-core`, set up once per process: the
/// Secret Service over D-Bus on Linux (GNOME Keyring, KWallet, KeePassXC), spoken by
/// zbus in pure Rust so that building needs no C D-Bus library; the Keychain on macOS;
/// the Credential Manager on Windows. `Err` when there is none (a server without a
/// Secret Service, a container): the callers then use the 0600 file.
fn system_store() -> std::result::Result<(), String> {
    static READY: std::sync::OnceLock<std::result::Result<(), String>> = std::sync::OnceLock::new();
    READY
        .get_or_init(|| {
            let store = platform_store().map_err(|e| e.to_string())?;
            keyring_core::set_default_store(store);
            Ok(())
        })
        .clone()
}

#[cfg(target_os = "linux")]
fn platform_store() -> keyring_core::Result<std::sync::Arc<keyring_core::CredentialStore>> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(target_os = "macos")]
fn platform_store() -> keyring_core::Result<std::sync::Arc<keyring_core::CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(target_os = "windows")]
fn platform_store() -> keyring_core::Result<std::sync::Arc<keyring_core::CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn platform_store() -> keyring_core::Result<std::sync::Arc<keyring_core::CredentialStore>> {
    Err(keyring_core::Error::NotSupportedByStore(
        "no system keyring on this platform".into(),
    ))
}

/// The keyring entry of a portal's password: filed by service `newsroom-portal` and user
/// `NAME@URL`, as `keyring` 3 filed it (a password stored before the move is found).
fn keyring_entry(portal: &Portal) -> std::result::Result<keyring_core::Entry, String> {
    system_store()?;
    keyring_core::Entry::new(KEYRING_SERVICE, &format!("{}@{}", portal.name, portal.url))
        .map_err(|e| e.to_string())
}

/// Stores a portal's password: the keyring when it works, else a 0600 file (the caller
/// warns the user, see [`PasswordLocation::File`]).
pub fn store_password(portal: &Portal, password: &Secret) -> Result<PasswordLocation> {
    if password.expose().is_empty() {
        return Err(PublishError::InvalidArgument(
            "the password is empty".into(),
        ));
    }
    if !keyring_disabled() {
        if let Ok(entry) = keyring_entry(portal) {
            if entry.set_password(password.expose()).is_ok() && entry.get_password().is_ok() {
                let _ = std::fs::remove_file(password_file(&portal.name));
                return Ok(PasswordLocation::Keyring);
            }
        }
    }
    let path = password_file(&portal.name);
    write_private(&path, password.expose().as_bytes())?;
    Ok(PasswordLocation::File { path })
}

/// `NEWSROOM_PORTAL_PASSWORD` when it is meant for the profile `name`: the one
/// `NEWSROOM_PORTAL` names, or — without `NEWSROOM_PORTAL` — the only profile
/// (`sole_profile`). Pure, for tests; [`env_password`] reads the environment.
pub fn env_password_for(
    name: &str,
    sole_profile: bool,
    env_portal: Option<&str>,
    env_password: Option<&str>,
) -> Option<String> {
    let password = env_password.filter(|p| !p.trim().is_empty())?;
    let meant = match env_portal.map(str::trim).filter(|p| !p.is_empty()) {
        Some(named) => named == name,
        None => sole_profile,
    };
    meant.then(|| password.to_owned())
}

/// [`env_password_for`] with the process's environment.
pub fn env_password(name: &str, sole_profile: bool) -> Option<Secret> {
    env_password_for(
        name,
        sole_profile,
        std::env::var("NEWSROOM_PORTAL").ok().as_deref(),
        std::env::var("NEWSROOM_PORTAL_PASSWORD").ok().as_deref(),
    )
    .map(Secret::new)
}

/// The password for a portal: `NEWSROOM_PORTAL_PASSWORD` when meant for it (see
/// [`env_password_for`]; `sole_profile`: it is the only profile), else the keyring, else
/// the file.
pub fn load_password(portal: &Portal, sole_profile: bool) -> Result<Secret> {
    if let Some(p) = env_password(&portal.name, sole_profile) {
        return Ok(p);
    }
    if !keyring_disabled() {
        if let Ok(p) =
            keyring_entry(portal).and_then(|e| e.get_password().map_err(|e| e.to_string()))
        {
            return Ok(Secret::new(p));
        }
    }
    match std::fs::read_to_string(password_file(&portal.name)) {
        Ok(p) if !p.trim().is_empty() => Ok(Secret::new(p)),
        _ => Err(PublishError::NoPassword {
            portal: portal.name.clone(),
        }),
    }
}

/// Forgets a portal's password wherever it is.
pub fn delete_password(portal: &Portal) {
    if !keyring_disabled() {
        if let Ok(entry) = keyring_entry(portal) {
            let _ = entry.delete_credential();
        }
    }
    let _ = std::fs::remove_file(password_file(&portal.name));
}

/// Loads a portal's credentials from the profiles and password stores.
pub fn credentials(name: Option<&str>) -> Result<Credentials> {
    let profiles = Profiles::load()?;
    let portal = profiles.pick(name)?.clone();
    let password = load_password(&portal, profiles.portals.len() == 1)?;
    Ok(Credentials { portal, password })
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| PublishError::io(dir, e))?;
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
        let tmp = path.with_extension("tmp");
        let _ = std::fs::remove_file(&tmp);
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(|e| PublishError::io(&tmp, e))?;
        f.write_all(bytes)
            .and_then(|_| f.sync_all())
            .map_err(|e| PublishError::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| PublishError::io(path, e))?;
    }
    #[cfg(not(unix))]
    std::fs::write(path, bytes).map_err(|e| PublishError::io(path, e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_env_password_is_for_the_profile_it_names_only() {
        let pw = Some("s3cret");
        assert_eq!(
            env_password_for("main", false, Some("main"), pw).as_deref(),
            Some("s3cret")
        );
        assert_eq!(env_password_for("other", false, Some("main"), pw), None);
        assert_eq!(env_password_for("other", true, Some("main"), pw), None);
        assert_eq!(
            env_password_for("main", true, None, pw).as_deref(),
            Some("s3cret"),
            "one profile: it can only be meant for that one"
        );
        assert_eq!(env_password_for("main", false, None, pw), None);
        assert_eq!(
            env_password_for("main", true, Some("main"), Some("  ")),
            None
        );
        assert_eq!(env_password_for("main", true, None, None), None);
    }

    #[test]
    fn urls_are_normalised_and_http_is_loopback_only() {
        assert_eq!(
            normalise_url("https://news.example.org/").unwrap(),
            "https://news.example.org"
        );
        assert_eq!(
            normalise_url("https://news.example.org/blog/wp-json/").unwrap(),
            "https://news.example.org/blog"
        );
        assert_eq!(
            normalise_url("http://127.0.0.1:8089").unwrap(),
            "http://127.0.0.1:8089"
        );
        assert_eq!(
            normalise_url("http://localhost:8080/wp/").unwrap(),
            "http://localhost:8080/wp"
        );
        assert_eq!(
            normalise_url("http://[::1]:8080").unwrap(),
            "http://[::1]:8080"
        );
        assert_eq!(
            normalise_url("http://news.example.org").unwrap_err().code(),
            "insecure_url"
        );
        assert_eq!(
            normalise_url("http://news.localhost").unwrap_err().code(),
            "insecure_url"
        );
        assert_eq!(
            normalise_url("http://127.0.0.1.nip.io").unwrap_err().code(),
            "insecure_url"
        );
        assert_eq!(
            normalise_url("http://10.0.0.5").unwrap_err().code(),
            "insecure_url"
        );
        assert_eq!(
            normalise_url("ftp://x.org").unwrap_err().code(),
            "invalid_url"
        );
        assert_eq!(
            normalise_url("news.example.org").unwrap_err().code(),
            "invalid_url"
        );
        assert_eq!(
            normalise_url("https://u:p@x.org").unwrap_err().code(),
            "invalid_url"
        );
    }

    #[test]
    fn secrets_do_not_print() {
        let c = Credentials {
            portal: Portal {
                name: "p".into(),
                url: "https://x".into(),
                user: "ana".into(),
            },
            password: Secret::new("abcd efgh"),
        };
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("abcd"), "{dbg}");
        assert!(dbg.contains("redacted"));
    }

    #[test]
    fn profiles_add_pick_remove() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("portals.json");
        let mut p = Profiles::load_from(&path).unwrap();
        assert!(p.pick(None).is_err());
        p.add(Portal {
            name: "main".into(),
            url: "https://news.example.org/".into(),
            user: "ana".into(),
        })
        .unwrap();
        p.add(Portal {
            name: "local".into(),
            url: "http://127.0.0.1:8089".into(),
            user: "ana".into(),
        })
        .unwrap();
        assert_eq!(
            p.add(Portal {
                name: "main".into(),
                url: "https://x.org".into(),
                user: "a".into()
            })
            .unwrap_err()
            .code(),
            "portal_exists"
        );
        p.save().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("password"), "{text}");
        let p = Profiles::load_from(&path).unwrap();
        assert_eq!(p.pick(None).unwrap().name, "main");
        assert_eq!(p.pick(Some("local")).unwrap().url, "http://127.0.0.1:8089");
        let err = p.pick(Some("nope")).unwrap_err();
        assert_eq!(err.code(), "no_such_portal");
        assert!(err.to_string().contains("main, local"), "{err}");
        let mut p = p;
        p.remove("main").unwrap();
        assert_eq!(p.default.as_deref(), Some("local"));
    }
}
