//! The one rule for tests that need the test WordPress of `tests/portal/` (this crate's
//! integration tests, `newsroom-cli`'s `publish_cli.rs`, `block_editor.rs`): when the site
//! is not there, a test **skips** on a developer's machine but **fails** where the site is
//! supposed to run — under `CI=true`, or with `NEWSROOM_WP_REQUIRED=1` (which `make test`
//! exports, since it starts the site). A publish test can then never go green in CI
//! without publishing.

use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Whether a missing test site is a failure here.
pub fn required() -> bool {
    required_by(
        std::env::var("CI").ok().as_deref(),
        std::env::var("NEWSROOM_WP_REQUIRED").ok().as_deref(),
    )
}

/// [`required`] from the two variables' values.
pub fn required_by(ci: Option<&str>, wp_required: Option<&str>) -> bool {
    let on = |v: Option<&str>| {
        v.map(str::trim)
            .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
    };
    on(ci) || on(wp_required)
}

/// The test site is not there: panics when it is [`required`], else prints `SKIP: why`
/// (the caller then returns and the test passes).
#[track_caller]
pub fn unavailable(why: &str) {
    if required() {
        panic!(
            "the test WordPress is required here (CI=true or NEWSROOM_WP_REQUIRED=1) but {why}; \
             start it with `bash tests/portal/wordpress.sh start`"
        );
    }
    eprintln!("SKIP: {why}; start the test site with `bash tests/portal/wordpress.sh start`");
}

/// `tests/portal/state` of the repository (or `$NEWSROOM_WP_STATE`), where the site's
/// `credentials.json` is.
pub fn state_dir(repo_root: &Path) -> PathBuf {
    std::env::var_os("NEWSROOM_WP_STATE")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root.join("tests/portal/state"))
}

/// Whether something listens at the address of `url` (`http://127.0.0.1:8089`): a cheap
/// check for tests that have no async runtime.
pub fn listening(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    let (Some(host), Some(port)) = (u.host_str(), u.port_or_known_default()) else {
        return false;
    };
    (host, port).to_socket_addrs().is_ok_and(|mut addrs| {
        addrs.any(|a| TcpStream::connect_timeout(&a, Duration::from_secs(3)).is_ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_or_the_make_flag_make_the_site_required() {
        assert!(!required_by(None, None));
        assert!(required_by(Some("true"), None));
        assert!(required_by(Some("1"), None));
        assert!(required_by(None, Some("1")));
        assert!(required_by(Some("false"), Some("1")));
        assert!(!required_by(Some("false"), None));
        assert!(!required_by(Some(""), Some("0")));
    }

    #[test]
    fn nothing_listens_on_a_closed_port() {
        let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", free.local_addr().unwrap());
        assert!(listening(&url));
        drop(free);
        assert!(!listening(&url));
        assert!(!listening("not a url"));
    }
}
