//! CriticMarkup in drafts: what counts as a mark, and what accepting or rejecting does.

// Helpers outside #[test] fns unwrap too: a failure there is the test failing.
#![allow(clippy::unwrap_used)]

use newsroom_core::critic::{
    self, Mark, MarkKind, accept, accept_all, marks, reject, reject_all, unresolved,
};

/// (case, text, marks as (kind, text, new, comment, author), accept_all, reject_all)
type Case = (
    &'static str,
    &'static str,
    &'static [(
        MarkKind,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
    )],
    &'static str,
    &'static str,
);

use MarkKind::{Comment, Deletion, Highlight, Insertion, Substitution};

const CASES: &[Case] = &[
    (
        "insertion",
        "a {++b++} c",
        &[(Insertion, "b", None, None, None)],
        "a b c",
        "a  c",
    ),
    (
        "deletion",
        "a {--b--} c",
        &[(Deletion, "b", None, None, None)],
        "a  c",
        "a b c",
    ),
    (
        "substitution",
        "a {~~b~>c~~} d",
        &[(Substitution, "b", Some("c"), None, None)],
        "a c d",
        "a b d",
    ),
    (
        "highlight with comment",
        "a {==b==}{>>EM: why?<<} c",
        &[(Highlight, "b", None, Some("why?"), Some("EM"))],
        "a b c",
        "a b c",
    ),
    (
        "highlight alone",
        "{==b==}",
        &[(Highlight, "b", None, None, None)],
        "b",
        "b",
    ),
    (
        "standalone comment",
        "a{>>AK: check the figure<<} b",
        &[(Comment, "check the figure", None, None, Some("AK"))],
        "a b",
        "a b",
    ),
    (
        "comment without initials",
        "{>>Note: fine<<}",
        &[(Comment, "Note: fine", None, None, None)],
        "",
        "",
    ),
    (
        "signed insertion",
        "x{++y++}{>>ČK:<<}",
        &[(Insertion, "y", None, Some(""), Some("ČK"))],
        "xy",
        "x",
    ),
    (
        "comment after a space is its own",
        "{++y++} {>>AK: hm<<}",
        &[
            (Insertion, "y", None, None, None),
            (Comment, "hm", None, None, Some("AK")),
        ],
        "y ",
        " ",
    ),
    (
        "empty insertion",
        "a{++++}b",
        &[(Insertion, "", None, None, None)],
        "ab",
        "ab",
    ),
    (
        "substitution without ~> is text",
        "a {~~b~~} c",
        &[],
        "a {~~b~~} c",
        "a {~~b~~} c",
    ),
    ("unclosed", "a {++b c", &[], "a {++b c", "a {++b c"),
    (
        "blank line ends the search",
        "a {++b\n\nc++} d",
        &[],
        "a {++b\n\nc++} d",
        "a {++b\n\nc++} d",
    ),
    (
        "blank line with spaces and CRLF",
        "a {++b\r\n  \r\nc++}",
        &[],
        "a {++b\r\n  \r\nc++}",
        "a {++b\r\n  \r\nc++}",
    ),
    (
        "across a single line break",
        "a {++b\nc++} d",
        &[(Insertion, "b\nc", None, None, None)],
        "a b\nc d",
        "a  d",
    ),
    (
        "CRLF inside",
        "a {--b\r\nc--}\r\nd\r\n",
        &[(Deletion, "b\r\nc", None, None, None)],
        "a \r\nd\r\n",
        "a b\r\nc\r\nd\r\n",
    ),
    ("mismatched closer", "{++a--}", &[], "{++a--}", "{++a--}"),
    (
        "no nesting: the first closer wins",
        "{++a {++b++} c++}",
        &[(Insertion, "a {++b", None, None, None)],
        "a {++b c++}",
        " c++}",
    ),
    (
        "braces in the text",
        "{\"k\": {1}} {++{x}++} {{--y--}}",
        &[
            (Insertion, "{x}", None, None, None),
            (Deletion, "y", None, None, None),
        ],
        "{\"k\": {1}} {x} {}",
        "{\"k\": {1}}  {y}",
    ),
    (
        "escaped brace",
        "\\{++a++} \\\\{++b++}",
        &[(Insertion, "b", None, None, None)],
        "\\{++a++} \\\\b",
        "\\{++a++} \\\\",
    ),
    (
        "code span",
        "`{++a++}` {++b++}",
        &[(Insertion, "b", None, None, None)],
        "`{++a++}` b",
        "`{++a++}` ",
    ),
    (
        "double backtick span",
        "``a ` {--b--}`` c",
        &[],
        "``a ` {--b--}`` c",
        "``a ` {--b--}`` c",
    ),
    (
        "code span inside a mark",
        "{++use `x++}` now++}",
        &[(Insertion, "use `x++}` now", None, None, None)],
        "use `x++}` now",
        "",
    ),
    (
        "fenced code",
        "```\n{++a++}\n```\n{--b--}\n",
        &[(Deletion, "b", None, None, None)],
        "```\n{++a++}\n```\n\n",
        "```\n{++a++}\n```\nb\n",
    ),
    (
        "tilde fence and unclosed fence",
        "~~~md\n{~~a~>b~~}\n~~~\n\n```\n{++x++}\n",
        &[],
        "~~~md\n{~~a~>b~~}\n~~~\n\n```\n{++x++}\n",
        "~~~md\n{~~a~>b~~}\n~~~\n\n```\n{++x++}\n",
    ),
    (
        "indented code",
        "Para\n\n    {++code++}\n\n{++text++}\n",
        &[(Insertion, "text", None, None, None)],
        "Para\n\n    {++code++}\n\ntext\n",
        "Para\n\n    {++code++}\n\n\n",
    ),
    (
        "mark cannot run into a code block",
        "{++a\n```\nb++}\n```\n",
        &[],
        "{++a\n```\nb++}\n```\n",
        "{++a\n```\nb++}\n```\n",
    ),
    (
        "code block in a quote",
        "> ```\n> {++a++}\n> ```\n",
        &[],
        "> ```\n> {++a++}\n> ```\n",
        "> ```\n> {++a++}\n> ```\n",
    ),
    (
        "multi-byte text",
        "Жовква {~~Kovač~>Ковач~~} 日本{++語++}🙂",
        &[
            (Substitution, "Kovač", Some("Ковач"), None, None),
            (Insertion, "語", None, None, None),
        ],
        "Жовква Ковач 日本語🙂",
        "Жовква Kovač 日本🙂",
    ),
    (
        "separator and arrows",
        "{~~a -> b~>c ~> d~~}",
        &[(Substitution, "a -> b", Some("c ~> d"), None, None)],
        "c ~> d",
        "a -> b",
    ),
    (
        "comment with closing-like text",
        "{>>AK: use <b> or <<}",
        &[(Comment, "use <b> or ", None, None, Some("AK"))],
        "",
        "",
    ),
];

#[test]
fn marks_accept_and_reject_as_the_table_says() {
    for (case, text, expected, accepted, rejected) in CASES {
        let found: Vec<_> = marks(text)
            .into_iter()
            .map(|m| {
                (
                    m.kind,
                    m.text.clone(),
                    m.new_text.clone(),
                    m.comment.clone(),
                    m.author.clone(),
                )
            })
            .collect();
        let expected: Vec<_> = expected
            .iter()
            .map(|(k, t, n, c, a)| {
                (
                    *k,
                    t.to_string(),
                    n.map(str::to_owned),
                    c.map(str::to_owned),
                    a.map(str::to_owned),
                )
            })
            .collect();
        assert_eq!(found, expected, "{case}: marks");
        assert_eq!(accept_all(text), *accepted, "{case}: accept_all");
        assert_eq!(reject_all(text), *rejected, "{case}: reject_all");
        assert!(
            marks(&accept_all(text)).len() <= marks(text).len(),
            "{case}"
        );
    }
}

#[test]
fn ids_ranges_and_lines() {
    let text = "---\ntitle: \"{++not a mark in front matter++}\"\n---\nLine {++one++}\n\n{--two--} and {>>AK: three<<}\n";
    let all = marks(text);
    assert_eq!(all.len(), 3);
    assert_eq!(
        all.iter().map(|m| (m.id, m.line)).collect::<Vec<_>>(),
        vec![(0, 4), (1, 6), (2, 6)]
    );
    for m in &all {
        let raw = &text[m.range.clone()];
        assert!(raw.starts_with('{') && raw.ends_with('}'), "{raw}");
    }
    assert_eq!(&text[all[2].range.clone()], "{>>AK: three<<}");
    assert_eq!(unresolved(text), all);
}

#[test]
fn one_mark_at_a_time() {
    let text = "a {++b++} c {--d--} e {~~f~>g~~}{>>AK: sure?<<}";
    assert_eq!(
        accept(text, 0).unwrap(),
        "a b c {--d--} e {~~f~>g~~}{>>AK: sure?<<}"
    );
    assert_eq!(
        reject(text, 1).unwrap(),
        "a {++b++} c d e {~~f~>g~~}{>>AK: sure?<<}"
    );
    assert_eq!(accept(text, 2).unwrap(), "a {++b++} c {--d--} e g");
    assert_eq!(reject(text, 2).unwrap(), "a {++b++} c {--d--} e f");
    let err = accept(text, 3).unwrap_err().to_string();
    assert!(err.contains("no mark 3") && err.contains("0 to 2"), "{err}");
    assert!(
        reject("plain", 0)
            .unwrap_err()
            .to_string()
            .contains("no open")
    );
}

#[test]
fn a_paragraph_of_unclosed_openers_is_fast() {
    let text = "{++{--{~~{=={>> ".repeat(20_000);
    let start = std::time::Instant::now();
    assert!(marks(&text).is_empty());
    assert_eq!(accept_all(&text), text);
    assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
    let subs = format!("{}~~}}", "{~~a ".repeat(20_000));
    assert!(marks(&subs).is_empty());
}

#[test]
fn marks_serialise_for_the_ui() {
    let m: Vec<Mark> = marks("x {++y++}{>>AK: ok<<}");
    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{
            "id": 0, "kind": "insertion", "range": {"start": 2, "end": 21}, "line": 1,
            "text": "y", "new_text": null, "comment": "ok", "author": "AK"
        }])
    );
    assert_eq!(critic::resolution(&m[0], true), "y");
}
