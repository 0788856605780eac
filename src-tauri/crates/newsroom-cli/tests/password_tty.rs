//! `newsroom portal add` asks for the application password at a terminal: typed there,
//! it must not appear on the screen. The command runs on a real pseudo-terminal (its
//! controlling terminal, as in a shell), and everything the terminal would show is read
//! back from the master side.

#![cfg(unix)]
#![allow(clippy::unwrap_used)] // test helpers fail loudly

use std::io::{Read, Write};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
use rustix::termios::{LocalModes, tcgetattr};

const PASSWORD: &str = "s3cret-Pa55-word";

fn wait_for(deadline: Duration, mut ok: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < deadline {
        if ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    ok()
}

#[test]
fn a_password_typed_at_a_terminal_is_not_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let slave = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(name.to_str().unwrap())
        .unwrap();

    // `setsid --ctty` (util-linux): a new session whose controlling terminal is stdin,
    // this pseudo-terminal, so /dev/tty (where the password is asked for) is it.
    let mut cmd = Command::new("setsid");
    cmd.args([
        "--ctty",
        env!("CARGO_BIN_EXE_newsroom"),
        "portal",
        "add",
        "main",
        "--url",
        "http://127.0.0.1:9",
        "--user",
        "ana",
    ])
    .env("NEWSROOM_CONFIG_DIR", dir.path())
    .env("NEWSROOM_KEYRING", "off")
    .env_remove("NEWSROOM_PORTAL_PASSWORD")
    .stdin(slave.try_clone().unwrap())
    .stdout(slave.try_clone().unwrap())
    .stderr(slave.try_clone().unwrap());
    let mut child = cmd.spawn().unwrap();
    // Only the child may hold the terminal's other side: once it exits, reading the
    // master ends (EIO).
    drop(cmd);
    drop(slave);

    // Everything the terminal shows, read as it comes.
    let shown = Arc::new(Mutex::new(Vec::<u8>::new()));
    let reader = {
        let shown = Arc::clone(&shown);
        let mut master = std::fs::File::from(master.try_clone().unwrap());
        std::thread::spawn(move || {
            let mut buf = [0u8; 1024];
            // EIO once the child has closed the terminal: the end.
            while let Ok(n) = master.read(&mut buf) {
                if n == 0 {
                    break;
                }
                shown.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        })
    };
    let text =
        |shown: &Arc<Mutex<Vec<u8>>>| String::from_utf8_lossy(&shown.lock().unwrap()).into_owned();
    assert!(
        wait_for(Duration::from_secs(20), || text(&shown)
            .contains("password")),
        "no prompt: {}",
        text(&shown)
    );
    // A person types once the prompt is there; echo is expected off by then (if it
    // never goes off, the password is typed anyway and the check below fails).
    wait_for(Duration::from_secs(5), || {
        tcgetattr(&master).is_ok_and(|t| !t.local_modes.contains(LocalModes::ECHO))
    });
    let mut typing = std::fs::File::from(master.try_clone().unwrap());
    typing
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();

    assert!(
        wait_for(Duration::from_secs(20), || child
            .try_wait()
            .unwrap()
            .is_some()),
        "newsroom did not finish: {}",
        text(&shown)
    );
    let status = child.wait().unwrap();
    drop(typing);
    drop(master);
    // The reader ends when the terminal closes; never wait on it forever.
    if wait_for(Duration::from_secs(5), || reader.is_finished()) {
        reader.join().unwrap();
    }
    let screen = text(&shown);
    assert!(status.success(), "{screen}");
    assert!(
        !screen.contains(PASSWORD),
        "the password was echoed:\n{screen}"
    );
    assert!(screen.contains("main\thttp://127.0.0.1:9\tana"), "{screen}");
    // and it was read: the password file (no keyring here) holds it
    let stored = std::fs::read_to_string(dir.path().join("secrets/main.password")).unwrap();
    assert_eq!(stored.trim(), PASSWORD);
}
