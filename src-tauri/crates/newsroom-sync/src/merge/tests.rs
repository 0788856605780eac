//! The merge as a table: (what, base, ours, theirs, expected). `None` expected: a true
//! conflict (ours stays, theirs becomes a conflict copy).

use super::*;
use crate::git::merge_lines;

const BASE: &str = "---\ntitle: Minsk talks\nexcerpt: Talks resume\ntags: [Belarus, Talks]\nstatus: in-review\nreview:\n  - {by: Ana, at: 2026-11-26T09:00:00Z, from: draft, to: in-review}\n---\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n";

const SHA_A: &str = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
const SHA_E: &str = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";

fn with(from: &str, to: &str) -> String {
    BASE.replacen(from, to, 1)
}

fn merge(base: Option<&str>, ours: &str, theirs: &str) -> Option<String> {
    match merge_draft(base, ours, theirs, merge_lines).unwrap() {
        Merged::Clean(text) => {
            assert!(
                !text.contains("<<<<<<<") && !text.contains(">>>>>>>"),
                "{text}"
            );
            Some(text)
        }
        Merged::Conflict { .. } => None,
    }
}

/// (what, base, ours, theirs, expected)
type Case = (&'static str, Option<String>, String, String, Option<String>);

#[test]
fn drafts_merge_the_way_a_desk_would() {
    let approve = "  - {by: Ana, at: 2026-11-26T09:00:00Z, from: draft, to: in-review}\n  - {by: Edith, at: 2026-11-26T10:00:00Z, from: in-review, to: approved}\n";
    let withdraw = "  - {by: Ana, at: 2026-11-26T09:00:00Z, from: draft, to: in-review}\n  - {by: Ana, at: 2026-11-26T09:30:00Z, from: in-review, to: draft}\n";
    let submit = "  - {by: Ana, at: 2026-11-26T09:00:00Z, from: draft, to: in-review}\n";
    let cases: Vec<Case> = vec![
        (
            "different keys: each side's change",
            Some(BASE.into()),
            with("title: Minsk talks", "title: Minsk talks stall"),
            with("excerpt: Talks resume", "excerpt: No ceasefire yet"),
            Some(
                BASE.replacen("title: Minsk talks", "title: Minsk talks stall", 1)
                    .replacen("excerpt: Talks resume", "excerpt: No ceasefire yet", 1),
            ),
        ),
        (
            "the same list: both sides' additions and removals",
            Some(BASE.into()),
            with("tags: [Belarus, Talks]", "tags: [Belarus, Talks, Russia]"),
            with("tags: [Belarus, Talks]", "tags: [Talks, Ceasefire]"),
            // The core's edit writes a changed list in block style.
            Some(with(
                "tags: [Belarus, Talks]",
                "tags:\n  - Talks\n  - Russia\n  - Ceasefire",
            )),
        ),
        (
            "the trail: union in time order; status follows the latest move",
            Some(BASE.into()),
            with(submit, approve).replacen("status: in-review", "status: approved", 1),
            with(submit, withdraw).replacen("status: in-review", "status: draft", 1),
            Some(
                with(
                    submit,
                    "  - by: Ana\n    at: 2026-11-26T09:00:00Z\n    from: draft\n    to: in-review\n  - by: Ana\n    at: 2026-11-26T09:30:00Z\n    from: in-review\n    to: draft\n  - by: Edith\n    at: 2026-11-26T10:00:00Z\n    from: in-review\n    to: approved\n",
                )
                .replacen("status: in-review", "status: approved", 1),
            ),
        ),
        (
            "the trail keeps each entry's commit (the version its author saw)",
            Some(BASE.into()),
            with(
                submit,
                &format!("{submit}  - {{by: Edith, at: 2026-11-26T10:00:00Z, from: in-review, to: approved, commit: {SHA_E}}}\n"),
            )
            .replacen("status: in-review", "status: approved", 1),
            with(
                submit,
                &format!("{submit}  - {{by: Ana, at: 2026-11-26T09:30:00Z, from: in-review, to: draft, commit: {SHA_A}}}\n"),
            )
            .replacen("status: in-review", "status: draft", 1),
            Some(
                with(
                    submit,
                    &format!("  - by: Ana\n    at: 2026-11-26T09:00:00Z\n    from: draft\n    to: in-review\n  - by: Ana\n    at: 2026-11-26T09:30:00Z\n    from: in-review\n    to: draft\n    commit: {SHA_A}\n  - by: Edith\n    at: 2026-11-26T10:00:00Z\n    from: in-review\n    to: approved\n    commit: {SHA_E}\n"),
                )
                .replacen("status: in-review", "status: approved", 1),
            ),
        ),
        (
            "the body: different paragraphs merge line-wise",
            Some(BASE.into()),
            with("First paragraph.", "First paragraph, edited."),
            with("Third paragraph.", "Third paragraph, cut."),
            Some(
                with("First paragraph.", "First paragraph, edited.")
                    .replacen("Third paragraph.", "Third paragraph, cut.", 1),
            ),
        ),
        (
            "the body and the front matter on different sides",
            Some(BASE.into()),
            with("Second paragraph.", "Second, rewritten."),
            with("tags: [Belarus, Talks]", "tags: [Belarus]"),
            Some(
                with("Second paragraph.", "Second, rewritten.")
                    .replacen("tags: [Belarus, Talks]", "tags: [Belarus]", 1),
            ),
        ),
        (
            "the same line of the body: a true conflict",
            Some(BASE.into()),
            with("Second paragraph.", "Second, ours."),
            with("Second paragraph.", "Second, theirs."),
            None,
        ),
        (
            "the same scalar changed differently: a true conflict",
            Some(BASE.into()),
            with("title: Minsk talks", "title: Ours"),
            with("title: Minsk talks", "title: Theirs"),
            None,
        ),
        (
            "a key removed on one side is removed",
            Some(BASE.into()),
            with("excerpt: Talks resume\n", ""),
            with("Third paragraph.", "Third."),
            Some(with("excerpt: Talks resume\n", "").replacen("Third paragraph.", "Third.", 1)),
        ),
        (
            "a key added on each side",
            Some(BASE.into()),
            with("status: in-review\n", "status: in-review\nauthor: Ana\n"),
            with("status: in-review\n", "status: in-review\npublish_at: 2026-12-01T09:00:00Z\n"),
            // Theirs's new key goes to the end of the front matter.
            Some(
                with("status: in-review\n", "status: in-review\nauthor: Ana\n").replacen(
                    "---\nFirst",
                    "publish_at: 2026-12-01T09:00:00Z\n---\nFirst",
                    1,
                ),
            ),
        ),
        (
            "the portal record with the later modified_gmt",
            Some(with("status: in-review\n", "status: in-review\nportal:\n  name: main\n  post_id: 7\n  modified_gmt: 2026-11-26T10:00:00\n")),
            with("status: in-review\n", "status: in-review\nportal:\n  name: main\n  post_id: 7\n  modified_gmt: 2026-11-26T12:00:00\n"),
            with("status: in-review\n", "status: in-review\nportal:\n  name: main\n  post_id: 7\n  modified_gmt: 2026-11-26T11:00:00\n  link: https://x.example/7\n"),
            Some(with("status: in-review\n", "status: in-review\nportal:\n  name: main\n  post_id: 7\n  modified_gmt: 2026-11-26T12:00:00\n")),
        ),
        (
            "both added the same file alike",
            None,
            BASE.into(),
            BASE.into(),
            Some(BASE.into()),
        ),
        (
            "both added the file, differently",
            None,
            with("Second paragraph.", "Second, ours."),
            with("Second paragraph.", "Second, theirs."),
            None,
        ),
        (
            "TOML front matter keeps its format",
            Some("+++\ntitle = \"T\"\ntags = [\"a\", \"b\"]\n+++\nBody\n".into()),
            "+++\ntitle = \"T\"\ntags = [\"a\", \"b\", \"c\"]\n+++\nBody\n".into(),
            "+++\ntitle = \"T\"\ntags = [\"b\", \"d\"]\n+++\nBody\n".into(),
            Some("+++\ntitle = \"T\"\ntags = [\"b\", \"c\", \"d\"]\n+++\nBody\n".into()),
        ),
        (
            "CRLF stays CRLF",
            Some(BASE.replace('\n', "\r\n")),
            with("title: Minsk talks", "title: Stall").replace('\n', "\r\n"),
            with("tags: [Belarus, Talks]", "tags: [Belarus, Talks, Russia]").replace('\n', "\r\n"),
            Some(
                with("title: Minsk talks", "title: Stall")
                    .replacen("tags: [Belarus, Talks]", "tags: [Belarus, Talks, Russia]", 1)
                    .replace('\n', "\r\n"),
            ),
        ),
    ];
    for (what, base, ours, theirs, expected) in cases {
        assert_eq!(merge(base.as_deref(), &ours, &theirs), expected, "{what}");
    }
}

#[test]
fn status_changed_on_both_sides_without_a_trail_is_a_conflict() {
    let base = "---\ntitle: T\nstatus: draft\n---\nB\n";
    let ours = "---\ntitle: T\nstatus: in-review\n---\nB\n";
    let theirs = "---\ntitle: T\nstatus: approved\n---\nB\n";
    assert_eq!(merge(Some(base), ours, theirs), None);
}
