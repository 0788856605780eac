//! The incremental preview gives the full render's answer, byte for byte, after every
//! edit: thousands of random edits (typing, deleting, pasting across blocks; fences,
//! lists, tables, setext headings, HTML blocks and comments, footnotes, link reference
//! definitions, CriticMarkup marks, remote images, line endings, the front matter) on the
//! sample drafts and generated articles, each compared with `render_draft` on the same
//! text: HTML, figures, front matter error and held-back images.
//!
//! A seeded generator rather than proptest: each case is a long chain of edits on one
//! document (the state carried between renders is what is under test), and a failure
//! prints the seed, the step and the text, which is all it takes to replay it.

#![allow(clippy::unwrap_used)] // a test that cannot set up should stop loudly

use newsroom_core::render::{IncrementalPreview, Preview, render_draft};

#[path = "support/lcg.rs"]
mod lcg;
use lcg::Lcg;

const SAMPLES: [&str; 5] = [
    include_str!("../../../../drafts/world/brest-freight-crossings.md"),
    include_str!("../../../../drafts/science/lake-sediment-microplastics.md"),
    include_str!("../../../../drafts/port-container-volumes.md"),
    include_str!("../../../../drafts/cooling-centres-need-nurses.md"),
    include_str!("../../../../drafts/sports/riverside-handball-promotion.md"),
];

const WORDS: &[&str] = &[
    "the",
    "delegations",
    "met",
    "in",
    "Minsk",
    "on",
    "Tuesday",
    "talks",
    "ceasefire",
    "border",
    "officials",
    "said",
    "'90s",
    "2x4",
    "\"quoted\"",
    "don't",
    "--",
    "-",
    "...",
    "Émile",
];

/// An article like the benchmark's (`benches/core.rs`): paragraphs with emphasis and
/// links, subheadings, quotes, lists and tables; `tricky` adds the blocks that reach
/// past their paragraph.
fn article(words: usize, seed: u64, tricky: bool) -> String {
    article_with(words, seed, tricky, Reach::default())
}

/// What reaches across the body, in [`article_with`].
#[derive(Debug, Clone, Copy, Default)]
struct Reach {
    refs: bool,
    notes: bool,
    marks: bool,
}

/// [`article`], with `global` adding what reaches across the body: link references and
/// their definitions (some in the middle, most at the end), footnotes, and CriticMarkup
/// marks (some nested, some across paragraphs).
fn article_with(words: usize, seed: u64, tricky: bool, reach: Reach) -> String {
    let mut rng = Lcg(seed);
    let mut out = String::from(
        "---\ntitle: Minsk talks stall\ncategories: [World]\nauthor: Ana Kovač\n---\n\n",
    );
    let mut written = 0;
    let mut para = 0;
    while written < words {
        para += 1;
        if para % 6 == 0 {
            out.push_str(&format!("## {} {}\n\n", rng.pick(WORDS), rng.pick(WORDS)));
        }
        if para % 7 == 0 {
            out.push_str("> “We will return next week,” a delegate said.\n\n");
        }
        if para % 9 == 0 {
            out.push_str("| Crossing | Trucks |\n|---|---:|\n| Brest | 1200 |\n\n");
        }
        if para % 8 == 0 {
            out.push_str("- first point\n- second point\n\n  still the second\n\n");
        }
        if tricky {
            match para % 11 {
                1 => out.push_str("```rust\nfn main() {}\n\nlet x = 1;\n```\n\n"),
                3 => out.push_str("Setext heading\n---\n\n"),
                5 => out.push_str("<div>\n*raw*\n</div>\n\n"),
                7 => out.push_str("<!-- a comment\n\nover lines -->\n\n"),
                9 => out.push_str("    indented code\n\n1. one\n2. two\n\n"),
                10 => out
                    .push_str("![Map](https://maps.example/m.png) and ![Local](images/a.png)\n\n"),
                _ => {}
            }
        }
        if reach.refs && para % 13 == 2 {
            out.push_str(&format!(
                "[r{para}]: https://refs.example/{para} \"Ref {para}\"\n\n"
            ));
        }
        if reach.marks {
            match para % 13 {
                4 => out.push_str("{--\n\nA paragraph struck whole.\n\n--}\n\n"),
                6 => out.push_str("A mark {++across\n\nparagraphs++} here.\n\n"),
                _ => {}
            }
        }
        let n = 10 + rng.below(40);
        for i in 0..n {
            let w = rng.pick(WORDS);
            let r = rng.next() % 30;
            let reaching = match r {
                24 | 25 => reach.refs,
                26 => reach.notes,
                27..=29 => reach.marks,
                _ => false,
            };
            if reaching {
                let label = 2 + 13 * rng.below(para / 13 + 2);
                match r {
                    24 => out.push_str(&format!("[{w}][r{label}]")),
                    25 => out.push_str(&format!("[R{label}]")),
                    26 => out.push_str(&format!("{w}[^n{}]", rng.below(12))),
                    27 => out.push_str(&format!("{{++{w}++}}")),
                    28 => out.push_str(&format!("{{~~{w}~>{w} {w}~~}}{{>>AK: check<<}}")),
                    _ => out.push_str(&format!("{{=={w} {{--{w}--}}==}}")),
                }
                out.push(if i + 1 == n { '.' } else { ' ' });
                continue;
            }
            match r {
                0 => out.push_str(&format!("*{w}*")),
                1 => out.push_str(&format!("**{w}**")),
                2 => out.push_str(&format!("[{w}](https://example.org/{w})")),
                3 => out.push_str(&format!("`{w}`")),
                _ => out.push_str(w),
            }
            out.push(if i + 1 == n { '.' } else { ' ' });
        }
        out.push_str("\n\n");
        written += n;
    }
    if reach.notes {
        for i in 0..10 {
            out.push_str(&format!("[^n{i}]: Note {i}, with [a link][r2].\n\n"));
        }
    }
    if reach.refs {
        out.push_str("[r0]: https://refs.example/0\n[R1]: <https://refs.example/1> 'One'\n");
    }
    out
}

/// What a keystroke or a paste may put in.
const SNIPPETS: &[&str] = &[
    "\n",
    "\n\n",
    "```\n",
    "\n```\n",
    "~~~\n",
    "- ",
    "\n- item\n",
    "\n\n- item\n\n",
    "1. ",
    "\n\n2) x\n",
    "> ",
    "\n===\n",
    "\n---\n",
    "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "| 3 |",
    "<!-- ",
    " -->",
    "\n\n<!-- x\n",
    "<div>\n",
    "\n\n<div>\n",
    "</div>\n",
    "\n<pre>\n",
    "</pre>\n",
    "\n\n<script>\n",
    "    ",
    "  ",
    "\t",
    "[a]",
    "\r\n",
    "![img](https://r.example/i.png)",
    "<img src=\"http://h.example/a.png\">",
    "# ",
    "\n\nSetext\n",
    "*",
    "**",
    "_",
    "`",
    "2x4 ",
    " - ",
    "'90s ",
    "\"q\" ",
    "...",
    "é",
    "\u{FDD0}",
    "<",
    "&amp;",
    "\\",
    "title: New\n",
    "---\n",
];

/// What makes the body render whole (footnotes, link reference definitions, marks, a
/// lone `\r`): put in less often, so most edits exercise the pieces.
const GLOBAL: &[&str] = &[
    "[^1]",
    "[^n3]",
    "\n\n[^1]: A note.\n",
    "\n\n[^n2]: Another note.\n",
    "\n\n[a]: https://x.example/\n",
    "\n\n[A]: https://y.example/ \"T\"\n",
    "\n\n[r2]: https://z.example/\n",
    "[a]",
    "[x][a]",
    "[r15]",
    "]:",
    "]: /u",
    "{++x++}",
    "{++",
    "++}",
    "{--",
    "--}",
    "{~~a~>b~~}",
    "~>",
    "{==",
    "==}",
    "{>>AK: why<<}",
    "<<}",
    "\r",
];

const TYPED: &[&str] = &[
    "a", "b", "e", "t", "A", " ", " ", " ", ".", ",", "\n", "1", "#", "-", "*", "`", ">", "|", "=",
    "'", "\"", "[", "]", "(", ")", "!", "<", "~", "é",
];

fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One random edit at or near `cursor`; returns the new cursor and what was done.
fn edit(rng: &mut Lcg, text: &mut String, cursor: &mut usize) -> String {
    let len = text.len();
    if rng.below(8) == 0 {
        *cursor = rng.below(len + 1);
    }
    let at = boundary(text, *cursor);
    let too_long = len > 24_000;
    match rng.below(if too_long { 3 } else { 10 }) {
        // delete: a few characters, or across blocks
        0..=2 => {
            let n = if rng.below(4) == 0 {
                rng.below(400)
            } else {
                1 + rng.below(3)
            };
            let n = if too_long {
                2_000 + rng.below(4_000)
            } else {
                n
            };
            let from = boundary(text, at.saturating_sub(n / 2));
            let to = boundary(text, at + (n - n / 2));
            text.replace_range(from..to, "");
            *cursor = from;
            format!("delete {from}..{to}")
        }
        // type a character where the cursor is
        3..=6 => {
            let s = rng.pick(TYPED);
            text.insert_str(at, s);
            *cursor = at + s.len();
            format!("type {s:?} at {at}")
        }
        // put in a snippet
        7 | 8 => {
            let s = if rng.below(6) == 0 {
                rng.pick(GLOBAL)
            } else {
                rng.pick(SNIPPETS)
            };
            text.insert_str(at, s);
            *cursor = at + s.len();
            format!("insert {s:?} at {at}")
        }
        // paste a piece of the text from elsewhere
        _ => {
            let from = boundary(text, rng.below(len + 1));
            let to = boundary(text, from + rng.below(600));
            let copied = text[from..to].to_owned();
            text.insert_str(at, &copied);
            *cursor = at + copied.len();
            format!("paste {from}..{to} at {at}")
        }
    }
}

fn same(a: &Preview, b: &Preview) -> bool {
    a.html == b.html
        && a.stats == b.stats
        && format!("{:?}", a.error) == format!("{:?}", b.error)
        && a.remote_images == b.remote_images
        && a.remote_image_count == b.remote_image_count
}

fn first_difference(a: &str, b: &str) -> String {
    let at = a
        .bytes()
        .zip(b.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let from = boundary(a, at.saturating_sub(200));
    format!(
        "at byte {at}:\nincremental …{}…\nfull        …{}…",
        &a[from..boundary(a, at + 200)],
        &b[boundary(b, from)..boundary(b, at + 200)]
    )
}

#[derive(Default)]
struct Tally {
    renders: usize,
    reused: usize,
    whole: usize,
}

impl Tally {
    /// A run must exercise both paths: pieces reused (most renders), and the body
    /// rendered whole (at least once).
    fn assert_both_paths_taken(&self) {
        assert!(
            self.reused * 2 > self.renders,
            "{} of {} reused",
            self.reused,
            self.renders
        );
        eprintln!(
            "{} renders, {} reused pieces, {} whole",
            self.renders, self.reused, self.whole
        );
        assert!(self.whole > 0);
    }
}

/// Runs `steps` random edits on `original`, comparing after each; every 40 edits the
/// text is the original again (a revision restored, as it were), with the same preview.
fn run(
    seed: u64,
    original: String,
    steps: usize,
    sourcepos: bool,
    remote: bool,
    tally: &mut Tally,
) {
    let mut rng = Lcg(seed);
    let mut preview = IncrementalPreview::new();
    let mut text = original.clone();
    let mut cursor = text.len() / 2;
    let rel = "world/a.md";
    let asset = Some("newsroom-asset://localhost/");
    for step in 0..=steps {
        let what = if step == 0 {
            "open".to_owned()
        } else if step % 40 == 0 {
            text = original.clone();
            "back to the original".to_owned()
        } else {
            edit(&mut rng, &mut text, &mut cursor)
        };
        let got = preview.render_draft(rel, &text, asset, sourcepos, remote);
        let want = render_draft(rel, &text, asset, sourcepos, remote);
        if !same(&got, &want) {
            panic!(
                "seed {seed}, step {step} ({what}), sourcepos {sourcepos}, remote {remote}: the incremental preview differs from the full render\n{}\nstats {:?} / {:?}, images {:?} {} / {:?} {}\n----- text -----\n{text}\n----- end -----",
                first_difference(&got.html, &want.html),
                got.stats,
                want.stats,
                got.remote_images,
                got.remote_image_count,
                want.remote_images,
                want.remote_image_count,
            );
        }
        tally.renders += 1;
        match preview.last_reuse() {
            Some(r) if r.rendered < r.pieces => tally.reused += 1,
            Some(_) => {}
            None => tally.whole += 1,
        }
    }
}

#[test]
fn incremental_equals_full_on_the_sample_drafts() {
    let mut tally = Tally::default();
    for (i, sample) in SAMPLES.iter().enumerate() {
        let seed = 1 + i as u64;
        run(seed, sample.to_string(), 320, true, false, &mut tally);
        run(seed + 100, sample.to_string(), 120, false, true, &mut tally);
    }
    tally.assert_both_paths_taken();
}

/// Articles full of what reaches across the body: link references, footnotes, marks,
/// each alone and all together.
fn reaching_articles(reach: Reach, seed: u64) {
    let mut tally = Tally::default();
    for i in 0..4u64 {
        let text = article_with(700, seed + i, i % 3 == 0, reach);
        run(seed + i + 2_000, text, 400, i % 2 == 0, i == 1, &mut tally);
    }
    tally.assert_both_paths_taken();
}

#[test]
fn incremental_equals_full_with_link_references() {
    reaching_articles(
        Reach {
            refs: true,
            ..Reach::default()
        },
        40,
    );
}

#[test]
fn incremental_equals_full_with_marks() {
    reaching_articles(
        Reach {
            marks: true,
            ..Reach::default()
        },
        60,
    );
}

#[test]
fn incremental_equals_full_with_footnotes() {
    reaching_articles(
        Reach {
            notes: true,
            ..Reach::default()
        },
        80,
    );
}

#[test]
fn incremental_equals_full_with_all_of_them() {
    reaching_articles(
        Reach {
            refs: true,
            notes: true,
            marks: true,
        },
        100,
    );
}

#[test]
fn incremental_equals_full_on_generated_articles() {
    let mut tally = Tally::default();
    for seed in 0..4u64 {
        let text = article(900, seed + 7, seed % 2 == 0);
        run(seed + 1_000, text, 320, seed != 3, seed == 1, &mut tally);
    }
    tally.assert_both_paths_taken();
}

/// The cases that reach beyond the edited block, each checked on purpose (the random
/// edits find them too, but not every run).
#[test]
fn edits_that_reach_further_are_rendered_as_the_full_render_does() {
    let base = "---\ntitle: T\n---\nFirst paragraph.\n\nSecond one.\n\n- a\n- b\n\nThird.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nFourth.\n\nLast.\n";
    let edits: &[(&str, &str)] = &[
        // a fence opened runs to the end, and closed again
        ("Second one.\n", "Second one.\n\n```\n"),
        ("Second one.\n", "Second one.\n\n```\n\nx\n```\n"),
        // a list continued by a new item after a blank line
        ("Third.\n", "- c\n\nThird.\n"),
        // a table row added, a setext underline under a paragraph
        ("| 1 | 2 |\n", "| 1 | 2 |\n| 3 | 4 |\n"),
        ("Fourth.\n", "Fourth.\n===\n"),
        // a link reference definition and a footnote far from their uses
        ("First paragraph.", "First [x] paragraph.[^n]"),
        (
            "Last.\n",
            "Last.\n\n[x]: https://x.example/\n\n[^n]: The note.\n",
        ),
        // a mark across paragraphs, and an HTML block that a blank line does not end
        ("Second one.", "Second {++one.\n\nThird++}"),
        ("Second one.\n", "Second one.\n\n<pre>\n\nx\n"),
        ("Second one.\n", "Second one.\n\n<!--\n\nFourth -->\n"),
        // the heading that stands as the title when there is none
        ("title: T\n", ""),
        ("First paragraph.", "# First paragraph."),
    ];
    for sourcepos in [true, false] {
        let mut preview = IncrementalPreview::new();
        let mut text = base.to_owned();
        for (i, (from, to)) in edits.iter().enumerate() {
            for (step, next) in [
                base.to_owned(),
                base.replacen(from, to, 1),
                text.replacen(from, to, 1),
            ]
            .into_iter()
            .enumerate()
            {
                let got = preview.render_draft("a.md", &next, None, sourcepos, false);
                let want = render_draft("a.md", &next, None, sourcepos, false);
                assert!(
                    same(&got, &want),
                    "edit {i} step {step}: {}\n{next}",
                    first_difference(&got.html, &want.html)
                );
                text = next;
            }
        }
    }
}

#[test]
fn a_keystroke_renders_one_piece_of_many() {
    let text = article(5_000, 3, false);
    let mut preview = IncrementalPreview::new();
    preview.render_draft("a.md", &text, None, true, false);
    let opened = preview.last_reuse().unwrap();
    assert_eq!(opened.rendered, opened.pieces);
    assert!(opened.pieces > 100, "{opened:?}");
    let at = text.len() / 2;
    let at = text[at..].find(' ').unwrap() + at;
    let mut typed = text.clone();
    typed.insert(at, 'x');
    let got = preview.render_draft("a.md", &typed, None, true, false);
    assert_eq!(preview.last_reuse().unwrap().rendered, 1);
    assert_eq!(
        got.html,
        render_draft("a.md", &typed, None, true, false).html
    );
}

/// With footnotes, link references and marks throughout, a keystroke in a paragraph that
/// holds none of them renders that piece alone; one in a paragraph with a footnote
/// renders the pieces with footnotes again, not the body.
#[test]
fn a_keystroke_outside_notes_references_and_marks_renders_one_piece() {
    let all = Reach {
        refs: true,
        notes: true,
        marks: true,
    };
    let text = article_with(5_000, 5, false, all);
    let mut preview = IncrementalPreview::new();
    preview.render_draft("a.md", &text, None, true, false);
    let opened = preview.last_reuse().expect("rendered in pieces");
    assert_eq!(opened.rendered, opened.pieces);
    let mut from = text.len() / 2;
    let plain = loop {
        let start = from + text[from..].find("\n\n").unwrap() + 2;
        let end = start + text[start..].find("\n\n").unwrap();
        let para = &text[start..end];
        if !para.contains(['[', '{']) && para.starts_with(|c: char| c.is_alphabetic()) {
            break start + para.find(' ').unwrap();
        }
        from = end;
    };
    let noted = text[text.len() / 2..].find("[^").unwrap() + text.len() / 2 - 1;
    for (at, most) in [(plain, 1), (noted, opened.pieces / 2)] {
        let mut typed = text.clone();
        typed.insert(at, 'x');
        let got = preview.render_draft("a.md", &typed, None, true, false);
        let reuse = preview.last_reuse().expect("rendered in pieces");
        assert!(reuse.rendered <= most, "{reuse:?}");
        assert_eq!(
            got.html,
            render_draft("a.md", &typed, None, true, false).html
        );
        preview.render_draft("a.md", &text, None, true, false);
    }
}
