//! Each state a `kill -9` can leave a sync in, made by hand (git run to the point the
//! kill would have stopped it), then the next sync: nothing broken, no word lost, and
//! what the reporter saved after the kill kept.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;
use crate::marker;
use crate::sync::{Author, SyncOptions, sync};

/// A process id no process can have (Linux's largest `pid_max` is 2^22).
const DEAD_PID: u32 = 4_194_304;
const DRAFTS: usize = 6;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=t@example.org"])
        .args(args)
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn draft(i: usize) -> String {
    format!("s/{i}.md")
}

/// Ana's working copy with her edits committed (as the sync commits them before it
/// merges) and Ben's fetched: the moment the sync's merge starts.
struct Desk {
    _tmp: tempfile::TempDir,
    ana: PathBuf,
    ben: PathBuf,
}

impl Desk {
    fn new() -> Desk {
        let tmp = tempfile::tempdir().unwrap();
        let remote = tmp.path().join("remote.git");
        let ana = tmp.path().join("ana");
        let ben = tmp.path().join("ben");
        git(
            tmp.path(),
            &["init", "--quiet", "--bare", "-b", "main", "remote.git"],
        );
        git(tmp.path(), &["init", "--quiet", "-b", "main", "ana"]);
        for i in 0..DRAFTS {
            write(
                &ana,
                &draft(i),
                &format!("Top of {i}.\n\nMiddle of {i}.\n\nEnd of {i}.\n"),
            );
        }
        git(&ana, &["add", "-A"]);
        git(&ana, &["commit", "-qm", "start"]);
        git(&ana, &["remote", "add", "origin", remote.to_str().unwrap()]);
        git(&ana, &["push", "-q", "-u", "origin", "main"]);
        git(
            tmp.path(),
            &["clone", "-q", remote.to_str().unwrap(), "ben"],
        );
        for i in 0..DRAFTS {
            edit(
                &ben,
                &draft(i),
                &format!("End of {i}."),
                &format!("End of {i}.\nBen on {i}."),
            );
        }
        git(&ben, &["commit", "-qam", "ben"]);
        git(&ben, &["push", "-q"]);
        for i in 0..DRAFTS {
            edit(
                &ana,
                &draft(i),
                &format!("Top of {i}."),
                &format!("Top of {i}.\nAna on {i}."),
            );
        }
        Desk {
            _tmp: tmp,
            ana,
            ben,
        }
    }

    /// Ana's edits committed and Ben's fetched.
    fn committed(self) -> Desk {
        git(&self.ana, &["commit", "-qam", "ana"]);
        git(&self.ana, &["fetch", "-q", "origin"]);
        self
    }

    fn git_dir(&self) -> PathBuf {
        self.ana.join(".git")
    }

    fn rev(&self, name: &str) -> String {
        git(&self.ana, &["rev-parse", name]).trim().to_owned()
    }

    /// The marker a sync killed now leaves: its (dead) id and, inside a merge, which.
    fn dead_sync(&self, merging: bool) {
        self.dead_sync_of(DEAD_PID, merging);
    }

    fn dead_sync_of(&self, pid: u32, merging: bool) {
        let mut text = format!("{pid}\n");
        if merging {
            let j = Journal {
                ours: Some(self.rev("HEAD")),
                theirs: self.rev("origin/main"),
                driver: false,
            };
            text.push_str(&j.line());
            text.push('\n');
        }
        std::fs::write(self.git_dir().join("newsroom-sync"), text).unwrap();
    }

    /// The next sync's recovery, on its own.
    fn recover(&self) -> Result<()> {
        let now = time::OffsetDateTime::now_utc();
        marker::claim(&Git::new(&self.ana), &self.git_dir(), &self.ana, now).map(drop)
    }

    fn sync(&self) -> crate::SyncReport {
        let opts = SyncOptions {
            author: Some(Author {
                name: "Ana".into(),
                email: Some("ana@example.org".into()),
            }),
            merge_driver: None,
            now: time::OffsetDateTime::now_utc(),
        };
        sync(&self.ana, &opts).unwrap()
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.ana.join(rel)).unwrap()
    }

    /// Every word of both reporters in every draft (or its conflict copy), no merge
    /// left, git content with it.
    fn all_words_and_a_sound_repository(&self) {
        for i in 0..DRAFTS {
            let mut text = self.read(&draft(i));
            for e in std::fs::read_dir(self.ana.join("s")).unwrap() {
                let name = e.unwrap().file_name().into_string().unwrap();
                if name.starts_with(&format!("{i}.conflict-")) {
                    text.push_str(&self.read(&format!("s/{name}")));
                }
            }
            for line in [format!("Ana on {i}."), format!("Ben on {i}.")] {
                assert!(text.contains(&line), "lost {line:?}:\n{text}");
            }
            assert!(!text.contains("<<<<<<<"), "{text}");
        }
        for f in ["MERGE_HEAD", "index.lock", "newsroom-sync"] {
            assert!(!self.git_dir().join(f).exists(), "{f} left");
        }
        git(&self.ana, &["fsck", "--no-progress", "--no-dangling"]);
        assert_eq!(git(&self.ana, &["status", "--porcelain"]), "");
    }

    /// The index is ours again and nothing is merging.
    fn back_to_ours(&self) {
        assert!(!self.git_dir().join("MERGE_HEAD").exists());
        assert!(!self.git_dir().join("index.lock").exists());
        assert_eq!(git(&self.ana, &["diff", "--cached", "--name-only"]), "");
        assert_eq!(git(&self.ana, &["ls-files", "--unmerged"]), "");
    }

    fn ours(&self, rel: &str) -> String {
        git(&self.ana, &["show", &format!("HEAD:{rel}")])
    }
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(dir.join(rel)).unwrap();
    assert!(text.contains(from), "{rel}: {from:?} not in {text:?}");
    write(dir, rel, &text.replacen(from, to, 1));
}

#[test]
fn killed_before_its_commit_inside_git_add() {
    let desk = Desk::new();
    desk.dead_sync(false);
    // `git add` killed: its lock stays, the index and the drafts are as they were.
    std::fs::write(desk.git_dir().join("index.lock"), "").unwrap();
    let report = desk.sync();
    // The drafts and the `.gitignore` the sync keeps.
    assert_eq!(report.committed, DRAFTS + 1);
    desk.all_words_and_a_sound_repository();
}

#[test]
fn killed_after_its_commit_before_the_fetch() {
    let desk = Desk::new();
    git(&desk.ana, &["commit", "-qam", "ana"]);
    desk.dead_sync(false);
    let report = desk.sync();
    assert_eq!((report.committed, report.received), (1, DRAFTS)); // 1: `.gitignore`
    desk.all_words_and_a_sound_repository();
}

#[test]
fn killed_while_git_rewrote_the_drafts_of_a_clean_merge() {
    let desk = Desk::new().committed();
    let ours: Vec<String> = (0..DRAFTS).map(|i| desk.ours(&draft(i))).collect();
    // Git's checkout got to draft 3: 0–2 are the merge's result, 3 was removed and
    // written half, 4 removed only, 5 not reached. The index is ours; the lock stays.
    git(
        &desk.ana,
        &["merge", "-q", "--no-commit", "--no-ff", "origin/main"],
    );
    let merged: Vec<String> = (0..DRAFTS).map(|i| desk.read(&draft(i))).collect();
    git(&desk.ana, &["merge", "--abort"]);
    desk.dead_sync(true);
    for (i, text) in merged.iter().enumerate().take(3) {
        write(&desk.ana, &draft(i), text);
    }
    write(&desk.ana, &draft(3), &merged[3][..merged[3].len() / 2]);
    std::fs::remove_file(desk.ana.join(draft(4))).unwrap();
    std::fs::write(desk.git_dir().join("index.lock"), "").unwrap();
    // Draft 5 emptied: the kill came between git's `open` and its `write`.
    std::fs::write(desk.ana.join(draft(5)), "").unwrap();

    desk.recover().unwrap();
    desk.back_to_ours();
    for (i, text) in ours.iter().enumerate() {
        assert_eq!(&desk.read(&draft(i)), text, "{}", draft(i));
    }
    desk.sync();
    desk.all_words_and_a_sound_repository();
}

#[test]
fn killed_after_a_clean_merge_was_in_the_index_before_its_commit() {
    for merge_head in [false, true] {
        let desk = Desk::new().committed();
        git(
            &desk.ana,
            &["merge", "-q", "--no-commit", "--no-ff", "origin/main"],
        );
        if !merge_head {
            // `git merge` committing itself writes no MERGE_HEAD.
            git(&desk.ana, &["merge", "--quit"]);
        }
        desk.dead_sync(true);
        desk.recover().unwrap();
        desk.back_to_ours();
        for i in 0..DRAFTS {
            assert_eq!(desk.read(&draft(i)), desk.ours(&draft(i)));
        }
        desk.sync();
        desk.all_words_and_a_sound_repository();
    }
}

#[test]
fn killed_in_a_merge_that_stopped_on_a_conflict() {
    let desk = Desk::new();
    // Both changed the same line of draft 0 as well: git's text merge stops on it.
    edit(&desk.ben, &draft(0), "Middle of 0.", "Ben's middle of 0.");
    git(&desk.ben, &["commit", "-qam", "ben again"]);
    git(&desk.ben, &["push", "-q"]);
    edit(&desk.ana, &draft(0), "Middle of 0.", "Ana's middle of 0.");
    let desk = desk.committed();
    let out = Command::new("git")
        .arg("-C")
        .arg(&desk.ana)
        .args(["merge", "-q", "--no-edit", "origin/main"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(desk.read(&draft(0)).contains("<<<<<<<"));
    desk.dead_sync(true);

    desk.recover().unwrap();
    desk.back_to_ours();
    assert_eq!(desk.read(&draft(0)), desk.ours(&draft(0)));
    let report = desk.sync();
    assert_eq!(report.conflicts.len(), 1, "{report:?}");
    assert!(
        desk.read(&report.conflicts[0].copy)
            .contains("Ben's middle of 0.")
    );
    assert!(desk.read(&draft(0)).contains("Ana's middle of 0."));
    desk.all_words_and_a_sound_repository();
}

#[test]
fn what_the_reporter_saved_after_the_kill_is_kept() {
    // Inside a merge stopped with MERGE_HEAD (git's `merge --abort` would have put the
    // merged draft back to ours, or refused), and inside a checkout cut short.
    for merge_head in [true, false] {
        let desk = Desk::new().committed();
        git(
            &desk.ana,
            &["merge", "-q", "--no-commit", "--no-ff", "origin/main"],
        );
        desk.dead_sync(true);
        if !merge_head {
            git(&desk.ana, &["merge", "--quit"]);
            std::fs::write(desk.git_dir().join("index.lock"), "").unwrap();
        }
        // After the kill: the reporter adds to a merged draft, and shortens another.
        edit(
            &desk.ana,
            &draft(1),
            "Middle of 1.",
            "Middle of 1.\nSaved later on 1.",
        );
        edit(&desk.ana, &draft(2), "Middle of 2.\n", "");
        let saved: Vec<String> = [1, 2].map(|i| desk.read(&draft(i))).to_vec();

        desk.recover().unwrap();
        desk.back_to_ours();
        assert_eq!(desk.read(&draft(1)), saved[0], "merge_head {merge_head}");
        assert_eq!(desk.read(&draft(2)), saved[1], "merge_head {merge_head}");
        desk.sync();
        desk.all_words_and_a_sound_repository();
        assert!(desk.read(&draft(1)).contains("Saved later on 1."));
        assert!(!desk.read(&draft(2)).contains("Middle of 2."));
    }
}

#[test]
fn a_file_whose_merge_cannot_be_told_keeps_both_versions() {
    let desk = Desk::new();
    // A text file both sides changed on the same line: git's merge would put conflict
    // markers in it, so what is found there cannot be told from the reporter's.
    write(&desk.ben, "notes.txt", "Ben's note.\n");
    write(&desk.ana, "notes.txt", "Ana's note.\n");
    git(&desk.ben, &["add", "notes.txt"]);
    git(&desk.ben, &["commit", "-qm", "ben's note"]);
    git(&desk.ben, &["push", "-q"]);
    git(&desk.ana, &["add", "notes.txt"]);
    let desk = desk.committed();
    desk.dead_sync(true);
    write(&desk.ana, "notes.txt", "Ana's note.\nAnd more.\n");

    desk.recover().unwrap();
    assert_eq!(desk.read("notes.txt"), "Ana's note.\n");
    let copies: Vec<String> = std::fs::read_dir(&desk.ana)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("notes.conflict-"))
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert_eq!(desk.read(&copies[0]), "Ana's note.\nAnd more.\n");
}

#[cfg(target_os = "linux")]
#[test]
fn a_lock_is_left_alone_while_a_git_of_the_dead_sync_still_runs() {
    // An id of its own: the tests running beside this one must not see its git.
    const PID: u32 = DEAD_PID + 7;
    let desk = Desk::new().committed();
    desk.dead_sync_of(PID, true);
    std::fs::write(desk.git_dir().join("index.lock"), "").unwrap();
    // The app was killed, its git was not (it carries the dead sync's id).
    let mut child = Command::new("sleep")
        .arg("60")
        .env(crate::git::SYNC_PID_ENV, PID.to_string())
        .spawn()
        .unwrap();
    // Spawning returns as the exec begins; `/proc` shows the environment a moment later.
    let wanted = format!("{}={PID}", crate::git::SYNC_PID_ENV);
    let environ = format!("/proc/{}/environ", child.id());
    for _ in 0..1000 {
        let env = std::fs::read(&environ).unwrap_or_default();
        if env.split(|b| *b == 0).any(|v| v == wanted.as_bytes()) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let err = desk.recover();
    let _ = child.kill();
    let _ = child.wait();
    let err = err.unwrap_err();
    assert_eq!(err.code(), "operation-in-progress", "{err}");
    assert!(err.to_string().contains("still running"), "{err}");
    assert!(desk.git_dir().join("index.lock").exists());

    desk.recover().unwrap();
    desk.back_to_ours();
    desk.sync();
    desk.all_words_and_a_sound_repository();
}

#[test]
fn a_journal_reads_back_as_written() {
    for j in [
        Journal {
            ours: Some("a".repeat(40)),
            theirs: "b".repeat(40),
            driver: true,
        },
        Journal {
            ours: None,
            theirs: "c".repeat(40),
            driver: false,
        },
    ] {
        assert_eq!(Journal::parse(&j.line()), Some(j));
    }
    assert_eq!(Journal::parse("4242"), None);
}
