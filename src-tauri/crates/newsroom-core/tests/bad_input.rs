//! Bad input never panics, hangs or changes a file, and never hides the other drafts.

#![allow(clippy::unwrap_used)] // test helpers fail loudly

use std::fs;

use newsroom_core::index::Filter;
use newsroom_core::render::RenderOptions;
use newsroom_core::workspace::{Workspace, render_text};
use newsroom_core::{Draft, files};

/// (file name, contents, expected line of the error or None when it must parse)
fn bad_files() -> Vec<(&'static str, Vec<u8>, Option<usize>)> {
    vec![
        // The YAML parser notices the unclosed `[` on the next line, and says so there.
        (
            "malformed-yaml.md",
            b"---\ntitle: ok\ntags: [a, b\nstatus: draft\n---\nBody\n".to_vec(),
            Some(4),
        ),
        (
            "unterminated.md",
            b"---\ntitle: never closed\n\nBody text\n".to_vec(),
            Some(1),
        ),
        (
            "wrong-type.md",
            b"---\ntitle: x\ntags: 5\n---\nBody\n".to_vec(),
            Some(3),
        ),
        (
            "duplicate-key.md",
            b"---\ntitle: a\nslug: s\ntitle: b\n---\nBody\n".to_vec(),
            Some(4),
        ),
        ("empty.md", Vec::new(), None),
        (
            "binary.md",
            vec![0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xfe],
            Some(1),
        ),
        (
            "latin1.md",
            b"---\ntitle: ok\n---\nCaf\xe9 cr\xe8me\n".to_vec(),
            Some(4),
        ),
        (
            "yaml-tag.md",
            b"---\ntitle: !!python/object:os.system x\n---\n".to_vec(),
            Some(2),
        ),
        (
            "bad-date.md",
            b"---\npublish_at: next tuesday\n---\n".to_vec(),
            Some(2),
        ),
        (
            "bad-status.md",
            b"---\nstatus: finished\n---\n".to_vec(),
            Some(2),
        ),
        (
            "laughs.md",
            {
                let mut y = String::from("---\na: &a [x,x,x,x,x,x,x,x,x,x]\n");
                for (p, n) in ["a", "b", "c", "d", "e", "f"]
                    .iter()
                    .zip(["b", "c", "d", "e", "f", "g"])
                {
                    y.push_str(&format!(
                        "{n}: &{n} [{}]\n",
                        vec![format!("*{p}"); 10].join(",")
                    ));
                }
                y.push_str("---\nBody\n");
                y.into_bytes()
            },
            // a: 10, b: 100, c: 1,000, d: 10,000 values — the cap trips on d's line.
            Some(5),
        ),
    ]
}

#[test]
fn each_bad_file_gets_a_clear_error_naming_file_and_line() {
    for (name, bytes, line) in bad_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        fs::write(&path, &bytes).unwrap();
        let err = match files::read_draft_text(&path) {
            Err(e) => e,
            Ok(text) => Draft::parse(&text)
                .map(|_| ())
                .map_err(|e| e.in_file(&path))
                .unwrap_err(),
        };
        let msg = err.to_string();
        assert!(
            msg.starts_with(&path.display().to_string()),
            "{name}: {msg}"
        );
        if let Some(line) = line {
            assert!(
                msg.contains(&format!("{name}:{line}: ")),
                "{name}: expected line {line}: {msg}"
            );
        }
    }
}

#[test]
fn bad_files_list_with_their_errors_and_stay_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("drafts");
    fs::create_dir_all(&root).unwrap();
    for (name, bytes, _) in bad_files() {
        fs::write(root.join(name), bytes).unwrap();
    }
    fs::write(
        root.join("good.md"),
        "---\ntitle: Good piece\ntags: [Belarus]\n---\nA ceasefire was agreed.\n",
    )
    .unwrap();
    let before: Vec<(String, Vec<u8>)> = bad_files()
        .into_iter()
        .map(|(n, _, _)| (n.to_owned(), fs::read(root.join(n)).unwrap()))
        .collect();

    let (ws, report) = Workspace::open_with_index(&root, &dir.path().join("idx.sqlite3")).unwrap();
    assert_eq!(report.invalid, bad_files().len());
    let listed = ws.list(&Filter::default()).unwrap();
    assert_eq!(listed.len(), bad_files().len() + 1);
    assert!(
        listed
            .iter()
            .filter(|d| d.path != "good.md")
            .all(|d| d.error.is_some())
    );
    assert_eq!(
        ws.search("ceasefire", &Filter::default(), 10)
            .unwrap()
            .len(),
        1
    );
    // Opening a bad draft for editing works (as text) where it is text at all.
    assert!(ws.read("wrong-type.md").unwrap().summary.error.is_some());
    assert!(ws.read("binary.md").is_err());
    drop(ws);
    for (name, bytes) in before {
        assert_eq!(
            fs::read(root.join(&name)).unwrap(),
            bytes,
            "{name} was changed"
        );
    }
}

fn render(md: &str) -> String {
    render_text(md, "t", &RenderOptions::default()).html
}

#[test]
fn pathological_nesting_renders() {
    let quotes = format!("{}deep\n", "> ".repeat(50_000));
    let html = render(&quotes);
    assert!(html.contains("deep"));
    let brackets = format!("{}x{}\n", "[".repeat(50_000), "]".repeat(50_000));
    assert!(render(&brackets).contains('x'));
    let parens = format!("[a]({}x{})\n", "(".repeat(50_000), ")".repeat(50_000));
    assert!(render(&parens).contains("a"));
    let emphasis = format!("{}x{}\n", "*".repeat(50_000), "*".repeat(50_000));
    assert!(render(&emphasis).contains('x'));
    let lists = format!("{}x\n", "- ".repeat(10_000));
    assert!(render(&lists).contains('x'));
}

#[test]
fn a_twenty_megabyte_article_renders() {
    let para =
        "The delegations met again in Minsk on Tuesday, and the talks ran late into the night. ";
    let mut body = String::from("---\ntitle: Long read\n---\n");
    while body.len() < 20 * 1024 * 1024 {
        body.push_str(&para.repeat(8));
        body.push_str("\n\n");
    }
    let html = render(&body);
    assert!(html.len() > 20 * 1024 * 1024);
    assert!(html.contains("<h1 class=\"nr-headline\">Long read</h1>"));
}
