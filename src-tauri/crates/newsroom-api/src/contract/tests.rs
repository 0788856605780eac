//! The generated files, the command list and docs/ipc.md agree with the Rust types.

use super::*;

/// The repository's top, from this crate's folder.
fn repo() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

#[test]
fn generated_files_are_current() {
    let dir = repo().join(GENERATED_DIR);
    let fresh = tempfile::tempdir().expect("temp dir");
    write(fresh.path()).expect("generate");
    let mut stale = Vec::new();
    for (name, _) in files() {
        let want = std::fs::read_to_string(fresh.path().join(name)).expect("generated");
        let got = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        if got != want {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "{GENERATED_DIR}/{{{}}} differ from the Rust types: run `make contract` and commit the result",
        stale.join(",")
    );
}

#[test]
fn every_type_a_command_names_is_declared() {
    let ts = contract_ts();
    for name in [
        "PostStatus",
        "Filter",
        "Keep",
        "Status",
        "ErrorCode",
        "Role",
        "Settings",
        "Event",
        "FrontMatter",
    ] {
        assert!(ts.contains(&format!("export type {name} =")), "{name}");
    }
    // the code the publish panel branches on is in the page's type
    assert!(ts.contains("\"changed_on_portal\""));
}

/// The cells of a Markdown table row (`\|` is a pipe inside a cell).
fn cells(row: &str) -> Vec<String> {
    row.replace("\\|", "\u{1}")
        .trim()
        .trim_matches('|')
        .split('|')
        .map(|c| c.trim().replace('\u{1}', "|"))
        .collect()
}

/// The argument names of a cell like `` `{ path, text, remote_images?: boolean }` (…) ``,
/// with `?` kept on those that may be left out.
fn doc_args(cell: &str) -> Vec<String> {
    let Some(start) = cell.find('{') else {
        return Vec::new();
    };
    let mut depth = 0;
    let mut parts = vec![String::new()];
    for c in cell[start + 1..].chars() {
        match c {
            '{' | '[' | '(' | '<' => depth += 1,
            '}' if depth == 0 => break,
            '}' | ']' | ')' | '>' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts
        .iter()
        .map(|p| {
            let p = p.trim();
            let name: String = p
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let optional = p[name.len()..].starts_with('?');
            format!("{name}{}", if optional { "?" } else { "" })
        })
        .filter(|n| !n.is_empty())
        .collect()
}

#[test]
fn docs_ipc_md_matches_the_contract() {
    let doc = std::fs::read_to_string(repo().join("docs/ipc.md")).expect("docs/ipc.md");
    let mut documented = BTreeMap::new();
    for row in doc.lines().filter(|l| l.starts_with("| `")) {
        let cells = cells(row);
        let name = cells[0].trim_matches('`').to_owned();
        documented.insert(name, doc_args(&cells[1]));
    }
    let commands = commands();
    let want: BTreeMap<String, Vec<String>> = commands
        .iter()
        .map(|c| {
            let args = c
                .args
                .iter()
                .map(|a| format!("{}{}", a.name, if a.optional { "?" } else { "" }))
                .collect();
            (c.name.to_owned(), args)
        })
        .collect();
    let missing: Vec<_> = want
        .keys()
        .filter(|k| !documented.contains_key(*k))
        .collect();
    let extra: Vec<_> = documented
        .keys()
        .filter(|k| !want.contains_key(*k))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "docs/ipc.md's tables miss {missing:?} and list commands that do not exist: {extra:?}"
    );
    for (name, args) in &want {
        assert_eq!(
            &documented[name], args,
            "docs/ipc.md's arguments of `{name}`"
        );
    }
    // the codes the Errors section names are real codes
    let errors = doc
        .split("## Errors")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("an Errors section");
    let codes: std::collections::HashSet<String> =
        ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    let not_codes: std::collections::HashSet<&str> = commands
        .iter()
        .flat_map(|c| std::iter::once(c.name).chain(c.args.iter().map(|a| a.name)))
        // the error's own fields
        .chain(["code", "message", "file", "line"])
        .collect();
    for word in errors.split('`').skip(1).step_by(2) {
        if word.chars().all(|c| c.is_ascii_lowercase() || c == '_') && !not_codes.contains(word) {
            assert!(
                codes.contains(word),
                "docs/ipc.md names the error code `{word}`, which no command returns"
            );
        }
    }
    for name in Event::NAMES {
        assert!(
            doc.contains(&format!("`{name}`")),
            "docs/ipc.md does not describe `{name}`"
        );
    }
}

#[test]
fn doc_arguments_are_read_with_their_types_and_marks() {
    assert_eq!(
        doc_args("`{ path, changes: { [key: string]: string }, remote_images?: boolean }` (x)"),
        ["path", "changes", "remote_images?"]
    );
    assert!(doc_args("—").is_empty());
}

#[test]
fn command_names_are_unique_and_snake_case() {
    let mut seen = std::collections::HashSet::new();
    for c in commands() {
        assert!(seen.insert(c.name), "{} twice", c.name);
        assert!(
            c.name
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch == '_')
        );
    }
}
