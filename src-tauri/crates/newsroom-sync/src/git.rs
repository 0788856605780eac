//! The one way this crate runs git: the system's `git` binary, with `-C DIR`.
//!
//! Why the system's git and not a library (gix, git2): a newsroom's remotes are set up by
//! its IT for `git` itself — credential helpers (Git Credential Manager, libsecret,
//! osxkeychain), ssh-agent and `~/.ssh/config`, `http.proxy`, custom CA bundles, hooks,
//! `url.<base>.insteadOf` — and only the real binary honours all of them. `git2` would
//! add libgit2 and OpenSSL/libssh2 to the build and needs our own credential callbacks;
//! gix's push and merge are not complete. Git's own `merge-file` is the line-merge
//! engine, and our merge runs inside `git merge` as a merge driver.
//!
//! Every run has `GIT_TERMINAL_PROMPT=0` (a missing password is an error, never a prompt
//! that hangs a sync with no terminal), stdin closed, stderr captured and classified
//! ([`classify`]), and `LC_ALL=C` so the messages classified are git's English ones.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::error::{Result, SyncError};

/// Set on every git process we start (and so on the merge drivers it runs) to the id of
/// our process: the next sync tells by it whether git processes of a killed sync still
/// run and hold their locks ([`crate::marker`]).
pub(crate) const SYNC_PID_ENV: &str = "NEWSROOM_SYNC_PID";

/// Git run in one working copy.
#[derive(Debug, Clone)]
pub struct Git {
    dir: PathBuf,
    /// `-c key=value` given to every run (the author, the merge driver).
    config: Vec<(String, String)>,
}

impl Git {
    pub fn new(dir: impl Into<PathBuf>) -> Git {
        Git {
            dir: dir.into(),
            config: Vec::new(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Adds `-c key=value` to every later run.
    pub fn with_config(mut self, key: &str, value: &str) -> Git {
        self.config.push((key.to_owned(), value.to_owned()));
        self
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("git");
        cmd.arg("-C").arg(&self.dir);
        for (k, v) in &self.config {
            cmd.arg("-c").arg(format!("{k}={v}"));
        }
        cmd.args(args)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("LC_ALL", "C")
            .env("GIT_MERGE_AUTOEDIT", "no")
            .env(SYNC_PID_ENV, std::process::id().to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    /// Runs git and returns what it did, whatever its exit status (for commands whose
    /// status means something: `merge`, `diff --quiet`, `merge-base --is-ancestor`).
    pub fn output(&self, args: &[&str]) -> Result<Output> {
        self.command(args).output().map_err(SyncError::GitMissing)
    }

    /// Runs git; its stdout on success, a classified error otherwise.
    pub fn run(&self, args: &[&str]) -> Result<String> {
        let out = self.output(args)?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(classify(
                &args.join(" "),
                &String::from_utf8_lossy(&out.stderr),
                "",
            ))
        }
    }

    /// Runs a git command that talks to `remote`: errors name it.
    pub fn run_remote(&self, remote: &str, args: &[&str]) -> Result<String> {
        let out = self.output(args)?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(classify(
                &args.join(" "),
                &String::from_utf8_lossy(&out.stderr),
                remote,
            ))
        }
    }

    /// Runs git; `Some(stdout)` on success, `None` when it exits non-zero (a missing ref,
    /// an unset config key).
    pub fn try_run(&self, args: &[&str]) -> Result<Option<String>> {
        let out = self.output(args)?;
        Ok(out
            .status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim_end().to_owned()))
    }
}

/// Three-way line merge with `git merge-file`: `Some(text)` when clean, `None` when the
/// two sides changed the same lines.
pub fn merge_lines(base: &str, ours: &str, theirs: &str) -> Result<Option<String>> {
    let tmp = tempfile::tempdir().map_err(|e| SyncError::io(std::env::temp_dir(), e))?;
    let write = |name: &str, text: &str| -> Result<PathBuf> {
        let p = tmp.path().join(name);
        std::fs::write(&p, text).map_err(|e| SyncError::io(&p, e))?;
        Ok(p)
    };
    let (o, b, t) = (
        write("ours", ours)?,
        write("base", base)?,
        write("theirs", theirs)?,
    );
    let out = Command::new("git")
        .args(["merge-file", "-p", "--"])
        .args([&o, &b, &t])
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .output()
        .map_err(SyncError::GitMissing)?;
    match out.status.code() {
        Some(0) => String::from_utf8(out.stdout)
            .map(Some)
            .map_err(|_| SyncError::Git {
                command: "merge-file".into(),
                stderr: "the merged text is not UTF-8".into(),
            }),
        // A positive status is the number of conflicts; negative (or >127) an error.
        Some(n) if (1..=127).contains(&n) => Ok(None),
        _ => Err(SyncError::Git {
            command: "merge-file".into(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        }),
    }
}

/// What git's stderr says went wrong. Authentication first: over ssh a refused key also
/// ends with "Could not read from remote repository", which otherwise means unreachable.
pub fn classify(command: &str, stderr: &str, remote: &str) -> SyncError {
    let detail = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("hint:"))
        .collect::<Vec<_>>()
        .join("; ");
    let has = |needles: &[&str]| {
        let lower = stderr.to_ascii_lowercase();
        needles.iter().any(|n| lower.contains(n))
    };
    let remote = if remote.is_empty() { "origin" } else { remote }.to_owned();
    if has(&[
        "authentication failed",
        "permission denied",
        "could not read username",
        "could not read password",
        "terminal prompts disabled",
        "access denied",
        "invalid username or password",
        "the requested url returned error: 401",
        "the requested url returned error: 403",
        "host key verification failed",
    ]) {
        return SyncError::Authentication { remote, detail };
    }
    if has(&[
        "could not resolve host",
        "could not resolve hostname",
        "connection refused",
        "connection timed out",
        "timed out",
        "unable to connect",
        "failed to connect",
        "network is unreachable",
        "no route to host",
        "connection reset",
        "temporary failure in name resolution",
        "could not read from remote repository",
        "the remote end hung up unexpectedly",
        "unable to access",
    ]) {
        return SyncError::Unreachable { remote, detail };
    }
    if has(&[
        "index.lock",
        "you have not concluded your merge",
        "merge_head exists",
    ]) {
        return SyncError::OperationInProgress {
            dir: PathBuf::new(),
            what: detail,
        };
    }
    SyncError::Git {
        command: command.to_owned(),
        stderr: detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stderr_is_classified_by_what_the_user_must_do() {
        let cases = [
            (
                "fatal: unable to connect to 127.0.0.1:\n127.0.0.1[0: 127.0.0.1]: errno=Connection refused\n",
                "unreachable",
            ),
            (
                "fatal: unable to access 'https://git.example.org/desk.git/': Could not resolve host: git.example.org\n",
                "unreachable",
            ),
            (
                "ssh: connect to host git.example.org port 22: Network is unreachable\nfatal: Could not read from remote repository.\n",
                "unreachable",
            ),
            (
                "git@git.example.org: Permission denied (publickey).\nfatal: Could not read from remote repository.\n",
                "authentication",
            ),
            (
                "fatal: could not read Username for 'https://git.example.org': terminal prompts disabled\n",
                "authentication",
            ),
            (
                "remote: HTTP Basic: Access denied\nfatal: Authentication failed for 'https://gitlab.example.org/desk.git/'\n",
                "authentication",
            ),
            (
                "fatal: Unable to create '/d/.git/index.lock': File exists.\n",
                "operation-in-progress",
            ),
            ("fatal: bad revision 'nope'\n", "git"),
        ];
        for (stderr, code) in cases {
            assert_eq!(classify("fetch", stderr, "origin").code(), code, "{stderr}");
        }
    }

    #[test]
    fn merge_file_merges_separate_lines_and_reports_overlaps() {
        let base = "one\ntwo\nthree\n";
        assert_eq!(
            merge_lines(base, "ONE\ntwo\nthree\n", "one\ntwo\nTHREE\n").unwrap(),
            Some("ONE\ntwo\nTHREE\n".to_owned())
        );
        assert_eq!(
            merge_lines(base, "one\nTWO\nthree\n", "one\nZWEI\nthree\n").unwrap(),
            None
        );
    }
}
