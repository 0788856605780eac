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
        "an insertion across a blank line (a paragraph break suggested)",
        "a {++b\n\nc++} d",
        &[(Insertion, "b\n\nc", None, None, None)],
        "a b\n\nc d",
        "a  d",
    ),
    (
        "blank line with spaces and CRLF",
        "a {++b\r\n  \r\nc++}",
        &[(Insertion, "b\r\n  \r\nc", None, None, None)],
        "a b\r\n  \r\nc",
        "a ",
    ),
    (
        "the spec's paragraph break deleted",
        "One para.{--\n\n--}Two.",
        &[(Deletion, "\n\n", None, None, None)],
        "One para.Two.",
        "One para.\n\nTwo.",
    ),
    (
        "whole paragraphs deleted",
        "Keep.\n\n{--\n\nGone one.\n\n- and\n- a list\n\n--}\n\nKept.\n",
        &[(
            Deletion,
            "\n\nGone one.\n\n- and\n- a list\n\n",
            None,
            None,
            None,
        )],
        "Keep.\n\n\n\nKept.\n",
        "Keep.\n\n\n\nGone one.\n\n- and\n- a list\n\n\n\nKept.\n",
    ),
    (
        "paragraphs inserted with paragraph breaks",
        "A.{++\n\nNew one.\n\nNew two.++}\n\nB.\n",
        &[(Insertion, "\n\nNew one.\n\nNew two.", None, None, None)],
        "A.\n\nNew one.\n\nNew two.\n\nB.\n",
        "A.\n\nB.\n",
    ),
    (
        "a substitution across paragraphs",
        "{~~Old one.\n\nOld two.~>New.~~}",
        &[(
            Substitution,
            "Old one.\n\nOld two.",
            Some("New."),
            None,
            None,
        )],
        "New.",
        "Old one.\n\nOld two.",
    ),
    (
        "a mark spans a code block, whose delimiters do not count",
        "{--a\n\n```\n--}\n```\n\nb--}",
        &[(Deletion, "a\n\n```\n--}\n```\n\nb", None, None, None)],
        "",
        "a\n\n```\n--}\n```\n\nb",
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
        "nested insertions",
        "{++a {++b++} c++}",
        &[
            (Insertion, "a {++b++} c", None, None, None),
            (Insertion, "b", None, None, None),
        ],
        "a b c",
        "",
    ),
    (
        "a deletion in an insertion (MMD 6's own test)",
        "{++foo{--bat--}bar++}",
        &[
            (Insertion, "foo{--bat--}bar", None, None, None),
            (Deletion, "bat", None, None, None),
        ],
        "foobar",
        "",
    ),
    (
        "nested deletions (MMD 6's own test)",
        "{--foo{-- bat --}bar--}",
        &[
            (Deletion, "foo{-- bat --}bar", None, None, None),
            (Deletion, " bat ", None, None, None),
        ],
        "",
        "foo bat bar",
    ),
    (
        "an insertion in a deletion (MMD 6's own test)",
        "{--foo{++ bat ++}bar--}",
        &[
            (Deletion, "foo{++ bat ++}bar", None, None, None),
            (Insertion, " bat ", None, None, None),
        ],
        "",
        "foobar",
    ),
    (
        "marks in a substitution's two sides, and a signed one inside",
        "{~~a{--b--}~>c{++d++}{>>AK:<<}~~}",
        &[
            (
                Substitution,
                "a{--b--}",
                Some("c{++d++}{>>AK:<<}"),
                None,
                None,
            ),
            (Deletion, "b", None, None, None),
            (Insertion, "d", None, Some(""), Some("AK")),
        ],
        "cd",
        "ab",
    ),
    (
        "a comment in a highlight, and the highlight's own",
        "{==x {>>EM: inner<<} y==}{>>AK: outer<<}",
        &[
            (
                Highlight,
                "x {>>EM: inner<<} y",
                None,
                Some("outer"),
                Some("AK"),
            ),
            (Comment, "inner", None, None, Some("EM")),
        ],
        "x  y",
        "x  y",
    ),
    (
        "crossed marks: the first to close wins, the other opener is text",
        "{++a {--b++} c--}",
        &[(Insertion, "a {--b", None, None, None)],
        "a {--b c--}",
        " c--}",
    ),
    (
        "a closer without an opener is text",
        "a++} {++b++} c--}",
        &[(Insertion, "b", None, None, None)],
        "a++} b c--}",
        "a++}  c--}",
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
        "a closer inside a code block does not close",
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
        all.iter().map(|m| m.line).collect::<Vec<_>>(),
        vec![4, 6, 6]
    );
    for m in &all {
        let raw = &text[m.range.clone()];
        assert!(raw.starts_with('{') && raw.ends_with('}'), "{raw}");
        let prefix = &m.kind.label()[..1];
        assert!(
            m.id.starts_with(prefix) && m.id.len() == 9,
            "{} for {raw}",
            m.id
        );
    }
    assert_eq!(&text[all[2].range.clone()], "{>>AK: three<<}");
    assert_eq!(unresolved(text), all);
}

#[test]
fn identical_marks_are_told_apart_by_what_comes_before() {
    let text = "One{++,++} two.\nTree{++,++} four, {++,++}{>>AK:<<}\nThree{++,++}\nThree{++,++}\n";
    let all = ids(text);
    assert_eq!(all.len(), 5);
    let base = &all[0][..9];
    assert!(
        all[0].starts_with(&format!("{base}-")) && all[0].len() == 14,
        "{all:?}"
    );
    assert!(all[1].starts_with(base) && all[1] != all[0]);
    assert_eq!(all[2].len(), 9, "a signed one is another text");
    // the same mark after the same words: numbered
    assert_eq!(all[4], format!("{}-1", all[3]));
    // once its twins are resolved, the last one's id is its text's alone, and the id it
    // was listed with still finds it
    let mut cur = text.to_owned();
    for id in [&all[0], &all[3], &all[4]] {
        cur = accept(&cur, id).unwrap();
    }
    assert_eq!(
        cur,
        "One, two.\nTree{++,++} four, {++,++}{>>AK:<<}\nThree,\nThree,\n"
    );
    assert_eq!(ids(&cur)[0], base);
    assert_eq!(
        reject(&cur, &all[1]).unwrap(),
        "One, two.\nTree four, {++,++}{>>AK:<<}\nThree,\nThree,\n"
    );
}

fn ids(text: &str) -> Vec<String> {
    marks(text).into_iter().map(|m| m.id).collect()
}

#[test]
fn one_mark_at_a_time() {
    let text = "a {++b++} c {--d--} e {~~f~>g~~}{>>AK: sure?<<}";
    let [b, d, fg] = <[String; 3]>::try_from(ids(text)).unwrap();
    assert_eq!(
        accept(text, &b).unwrap(),
        "a b c {--d--} e {~~f~>g~~}{>>AK: sure?<<}"
    );
    assert_eq!(
        reject(text, &d).unwrap(),
        "a {++b++} c d e {~~f~>g~~}{>>AK: sure?<<}"
    );
    assert_eq!(accept(text, &fg).unwrap(), "a {++b++} c {--d--} e g");
    assert_eq!(reject(text, &fg).unwrap(), "a {++b++} c {--d--} e f");
    let err = accept(text, "i00000000").unwrap_err().to_string();
    assert!(
        err.contains("no mark i00000000") && err.contains(&b) && err.contains(&fg),
        "{err}"
    );
    assert!(
        reject("plain", "i1")
            .unwrap_err()
            .to_string()
            .contains("no open")
    );
}

/// Every order of resolving the marks one by one: the ids of the marks still open never
/// change, and the end is the same text as accepting (or rejecting) all at once.
#[test]
fn ids_stay_while_other_marks_are_resolved_in_any_order() {
    let text = "Intro {++new++} then{--\n\nold paragraph.\n\n--}next {~~a~>b~~}{>>AK:<<}\n\n{==fig==}{>>EM: source?<<} {>>note<<} and, more than 32 bytes later, {++new++} end.\n";
    let start = ids(text);
    assert_eq!(start.len(), 6);
    let n = start.len();
    // all 720 orders, each mark accepted or rejected by its position's parity
    fn orders(n: usize) -> Vec<Vec<usize>> {
        if n == 0 {
            return vec![vec![]];
        }
        let mut out = Vec::new();
        for o in orders(n - 1) {
            for at in 0..=o.len() {
                let mut p = o.clone();
                p.insert(at, n - 1);
                out.push(p);
            }
        }
        out
    }
    for accept_them in [true, false] {
        for order in orders(n) {
            let mut cur = text.to_owned();
            let mut left: Vec<String> = start.clone();
            for k in &order {
                let id = &start[*k];
                cur = if accept_them {
                    accept(&cur, id)
                } else {
                    reject(&cur, id)
                }
                .unwrap_or_else(|e| panic!("{order:?}: {e}"));
                left.retain(|l| l != id);
                // a twin's id may shorten once the other twin is gone: compare the text part
                let short =
                    |v: Vec<String>| v.into_iter().map(|i| i[..9].to_owned()).collect::<Vec<_>>();
                assert_eq!(short(ids(&cur)), short(left.clone()), "{order:?}");
            }
            let all = if accept_them {
                accept_all(text)
            } else {
                reject_all(text)
            };
            assert_eq!(cur, all, "{order:?}");
        }
    }
}

#[test]
fn ids_stay_when_a_colleague_edits_elsewhere() {
    let text = "Para one {++x++}.\n\nPara two {--y--}.\n";
    let before = ids(text);
    let edited = text
        .replace("Para one", "The first paragraph, rewritten,")
        .replace("two", "2");
    assert_eq!(ids(&edited), before);
    let added = format!("A new lead {{~~p~>q~~}}.\n\n{edited}");
    assert_eq!(ids(&added)[1..], before[..]);
}

#[test]
fn nested_marks_one_at_a_time() {
    let text = "{++foo{--bat--}bar++} and {--keep{++ this ++}--}";
    let all = marks(text);
    let [outer_ins, inner_del, outer_del, inner_ins] = <[Mark; 4]>::try_from(all.clone()).unwrap();
    assert_eq!(inner_del.inside.as_deref(), Some(outer_ins.id.as_str()));
    assert_eq!(inner_ins.inside.as_deref(), Some(outer_del.id.as_str()));
    assert_eq!(outer_ins.inside, None);
    // the outer one alone: what it keeps still holds the inner mark, open
    assert_eq!(
        accept(text, &outer_ins.id).unwrap(),
        "foo{--bat--}bar and {--keep{++ this ++}--}"
    );
    assert_eq!(
        reject(text, &outer_ins.id).unwrap(),
        " and {--keep{++ this ++}--}"
    );
    assert_eq!(
        reject(text, &outer_del.id).unwrap(),
        "{++foo{--bat--}bar++} and keep{++ this ++}"
    );
    assert_eq!(
        accept(text, &outer_del.id).unwrap(),
        "{++foo{--bat--}bar++} and "
    );
    // the inner one alone; then the outer (its id changed: its text did)
    let step = accept(text, &inner_del.id).unwrap();
    assert_eq!(step, "{++foobar++} and {--keep{++ this ++}--}");
    let step_ids = ids(&step);
    assert_ne!(step_ids[0], outer_ins.id);
    assert_eq!(step_ids[1..], [outer_del.id.clone(), inner_ins.id.clone()]);
    let step = reject(&step, &inner_ins.id).unwrap();
    assert_eq!(ids(&step)[0], step_ids[0]);
    assert_eq!(
        accept(&step, &step_ids[0]).unwrap(),
        "foobar and {--keep--}"
    );
    assert_eq!(accept_all(text), "foobar and ");
    assert_eq!(reject_all(text), " and keep");
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
    // nesting as deep as a hostile draft likes: marks only MAX_DEPTH deep, the rest text
    let deep = format!("{}{}", "{--{++".repeat(20_000), "--}".repeat(20_000));
    assert_eq!(marks(&deep).len(), critic::MAX_DEPTH / 2);
    let deep = format!("{}{}", "{--".repeat(40_000), "--}".repeat(40_000));
    assert_eq!(marks(&deep).len(), critic::MAX_DEPTH);
    let comments = "{>> ".repeat(40_000);
    assert!(marks(&comments).is_empty());
}

#[test]
fn marks_serialise_for_the_ui() {
    let m: Vec<Mark> = marks("x {++y++}{>>AK: ok<<}");
    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{
            "id": m[0].id, "kind": "insertion", "range": {"start": 2, "end": 21}, "line": 1,
            "text": "y", "new_text": null, "comment": "ok", "author": "AK", "inside": null
        }])
    );
    assert_eq!(critic::resolution(&m[0], true), "y");
}
