//! `newsroom portal add|list|remove` on a config folder of its own, without a keyring
//! (`NEWSROOM_KEYRING=off`: the 0600 file the app's Settings also falls back to).

#![allow(clippy::unwrap_used)] // test helpers fail loudly

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn portal(config: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsroom"))
        .arg("portal")
        .args(args)
        .env("NEWSROOM_CONFIG_DIR", config)
        .env("NEWSROOM_KEYRING", "off")
        .env_remove("NEWSROOM_PORTAL_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that refuses its arguments exits without reading stdin: writing to it
    // then fails with a broken pipe, which is not the test's concern (its output is).
    let written = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn add_list_remove_share_the_profiles_and_the_password_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path();

    // a bad address is refused before the password is asked for (stdin is empty here)
    let o = portal(
        config,
        &[
            "add",
            "main",
            "--url",
            "http://news.example.org",
            "--user",
            "ana",
        ],
        "",
    );
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).contains("error[insecure_url]"),
        "{}",
        text(&o.stderr)
    );
    assert!(!config.join("portals.json").exists());

    let o = portal(
        config,
        &[
            "add",
            "main",
            "--url",
            "https://news.example.org/",
            "--user",
            "ana",
        ],
        "abcd efgh\n",
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("no system keyring here"));
    let secret = config.join("secrets/main.password");
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "abcd efgh");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(
        !std::fs::read_to_string(config.join("portals.json"))
            .unwrap()
            .contains("abcd")
    );

    let o = portal(
        config,
        &["add", "main", "--url", "https://x.org", "--user", "b"],
        "pw\n",
    );
    assert!(text(&o.stderr).contains("error[portal_exists]"));

    let o = portal(config, &["list"], "");
    assert_eq!(
        text(&o.stdout),
        "main\thttps://news.example.org\tana (default)\n"
    );

    let o = portal(config, &["remove", "main"], "");
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!secret.exists(), "the password goes with the portal");
    assert_eq!(text(&portal(config, &["list"], "").stdout), "");
}
