//! The door's rules on real folders: links, special files, caps, writes; the link and
//! special-file rules both with `openat2` and with the component walk.

use super::*;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::time::Duration;

fn p(s: &str) -> WorkspacePath {
    WorkspacePath::new(s).unwrap()
}

/// A folder `root` inside a temp dir, and a canary file beside it (outside).
fn setup() -> (tempfile::TempDir, Folder, PathBuf) {
    setup_with(true)
}

/// `fast`: with `openat2` where there is one; else the component walk.
fn setup_with(fast: bool) -> (tempfile::TempDir, Folder, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("drafts");
    std::fs::create_dir_all(root.join("world")).unwrap();
    std::fs::write(root.join("world/minsk.md"), "# Minsk\n").unwrap();
    let canary = dir.path().join("canary.txt");
    std::fs::write(&canary, "CANARY-door-7f3a").unwrap();
    let folder = Folder::open(&root).unwrap();
    let folder = if fast {
        folder
    } else {
        folder.without_openat2()
    };
    (dir, folder, canary)
}

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success());
}

/// Runs `f` on another thread; fails the test if it takes more than a few seconds.
fn bounded<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(5))
        .expect("the call hung (blocked on a FIFO?)")
}

#[test]
fn reads_regular_files_inside() {
    let (_d, folder, _) = setup();
    assert_eq!(
        folder.read(&p("world/minsk.md"), FileKind::Draft).unwrap(),
        b"# Minsk\n"
    );
    assert!(folder.is_file(&p("world/minsk.md")));
    assert!(matches!(
        folder.read(&p("world/gone.md"), FileKind::Draft),
        Err(CoreError::NotFound(_))
    ));
    assert!(matches!(
        folder.read(&p("nowhere/gone.md"), FileKind::Draft),
        Err(CoreError::NotFound(_))
    ));
}

#[test]
fn links_are_never_followed_anywhere_on_the_way() {
    links_are_never_followed(true);
    links_are_never_followed(false);
}

fn links_are_never_followed(fast: bool) {
    let (d, folder, canary) = setup_with(fast);
    let root = folder.root().to_path_buf();
    symlink(&canary, root.join("story.md")).unwrap();
    symlink(d.path(), root.join("up")).unwrap();
    symlink("/", root.join("slash")).unwrap();
    symlink(root.join("world"), root.join("inside")).unwrap();
    for path in [
        "story.md",
        "up/canary.txt",
        "slash/etc/hostname",
        "inside/minsk.md",
    ] {
        let err = folder.read(&p(path), FileKind::Draft).unwrap_err();
        assert_eq!(err.code(), "refused", "{path}: {err}");
        assert!(err.to_string().contains("symbolic link"), "{path}: {err}");
        assert!(!folder.is_file(&p(path)), "{path}");
    }
    // Writes neither follow nor replace a link.
    let err = folder.write_atomic(&p("story.md"), b"x").unwrap_err();
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert!(folder.write_atomic(&p("up/canary.txt"), b"x").is_err());
    assert!(folder.create_new(&p("up/new.md"), b"x").is_err());
    assert!(folder.create_dir_all(&p("up/sub")).is_err());
    assert_eq!(
        std::fs::read_to_string(&canary).unwrap(),
        "CANARY-door-7f3a"
    );
    assert!(!d.path().join("new.md").exists() && !d.path().join("sub").exists());
    assert!(
        std::fs::symlink_metadata(root.join("story.md"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn special_files_are_refused_without_blocking() {
    special_files_are_refused(true);
    special_files_are_refused(false);
}

fn special_files_are_refused(fast: bool) {
    let (_d, folder, _) = setup_with(fast);
    let root = folder.root().to_path_buf();
    mkfifo(&root.join("fifo.md"));
    let _sock = std::os::unix::net::UnixListener::bind(root.join("sock.md")).unwrap();
    let f = folder.clone();
    let (fifo, sock, dir) = bounded(move || {
        (
            f.read(&p("fifo.md"), FileKind::Draft).unwrap_err(),
            f.read(&p("sock.md"), FileKind::Draft).unwrap_err(),
            f.read(&p("world"), FileKind::Draft).unwrap_err(),
        )
    });
    assert!(fifo.to_string().contains("FIFO"), "{fifo}");
    assert!(fifo.to_string().contains("fifo.md"), "{fifo}");
    assert!(sock.to_string().contains("socket"), "{sock}");
    assert!(dir.to_string().contains("folder"), "{dir}");
    // Nor are they written over.
    let f = folder.clone();
    let err = bounded(move || f.write_atomic(&p("fifo.md"), b"x").unwrap_err());
    assert!(err.to_string().contains("FIFO"), "{err}");
}

#[test]
fn long_names_get_short_temp_files() {
    let (_d, folder, _) = setup();
    // 60 four-byte characters: 240 bytes, a legal name whose temp name must stay legal.
    let name = format!("{}.md", "𝔸".repeat(60));
    folder.write_atomic(&p(&name), b"x").unwrap();
    assert_eq!(folder.read(&p(&name), FileKind::Draft).unwrap(), b"x");
    assert!(temp_name(&name, 0).len() < 200);
}

#[test]
fn the_size_cap_is_per_kind() {
    let (_d, folder, _) = setup();
    std::fs::write(folder.root().join("big.lock"), vec![b'x'; 5000]).unwrap();
    let err = folder.read(&p("big.lock"), FileKind::Lock).unwrap_err();
    assert!(
        err.to_string().contains("lock files larger than 4 kB"),
        "{err}"
    );
    assert_eq!(
        folder.read(&p("big.lock"), FileKind::Draft).unwrap().len(),
        5000
    );
}

#[test]
fn writes_are_atomic_keep_permissions_and_honour_the_umask() {
    let (_d, folder, _) = setup();
    let root = folder.root().to_path_buf();
    folder.write_atomic(&p("new/deep/a.md"), b"one").unwrap();
    assert_eq!(std::fs::read(root.join("new/deep/a.md")).unwrap(), b"one");
    let mode = std::fs::metadata(root.join("new/deep/a.md"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    // Whatever the umask, a new file is not made private by us: 0o666 less the umask.
    let probe = root.join("probe");
    std::fs::write(&probe, "").unwrap();
    let expected = std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, expected);
    std::fs::set_permissions(
        root.join("new/deep/a.md"),
        std::fs::Permissions::from_mode(0o664),
    )
    .unwrap();
    folder.write_atomic(&p("new/deep/a.md"), b"two").unwrap();
    let meta = std::fs::metadata(root.join("new/deep/a.md")).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o664);
    folder.create_new(&p("new/deep/b.md"), b"b").unwrap();
    let err = folder.create_new(&p("new/deep/b.md"), b"c").unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(std::fs::read(root.join("new/deep/b.md")).unwrap(), b"b");
    let names: Vec<String> = folder
        .list(Some(&p("new/deep")))
        .unwrap()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names.len(), 2, "no temp file left: {names:?}");
    assert!(folder.remove_file(&p("new/deep/b.md")).unwrap());
    assert!(!folder.remove_file(&p("new/deep/b.md")).unwrap());
}

#[test]
fn listing_reports_what_each_name_is() {
    let (_d, folder, canary) = setup();
    let root = folder.root().to_path_buf();
    symlink(&canary, root.join("link.md")).unwrap();
    mkfifo(&root.join("pipe.md"));
    let mut listed = folder.list(None).unwrap();
    listed.sort_by(|a, b| a.0.cmp(&b.0));
    let kinds: Vec<(&str, EntryKind)> = listed.iter().map(|(n, e)| (n.as_str(), e.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            ("link.md", EntryKind::Symlink),
            ("pipe.md", EntryKind::Fifo),
            ("world", EntryKind::Folder)
        ]
    );
}
