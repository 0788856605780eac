//! The page's preview followed by deltas is the full render, byte for byte: a page kept
//! here as the app's page keeps it (its body as pieces found by their first line, the
//! pieces replaced as a delta says and the ones below moved by its line shift) after every
//! one of thousands of random edits, compared with `render_draft` of the same text.
//! (`tests/incremental_preview.rs` checks the incremental render itself,
//! `ui/test/previewDelta.test.ts` the page's DOM through the WebAssembly module.)

#![allow(clippy::unwrap_used)] // a test that cannot set up should stop loudly

use newsroom_core::render::{BodyDelta, PageAnswer, PagePreview, TextEdit, render_draft};

#[path = "support/lcg.rs"]
mod lcg;
use lcg::Lcg;

const SAMPLES: [&str; 3] = [
    include_str!("../../../../drafts/world/brest-freight-crossings.md"),
    include_str!("../../../../drafts/science/lake-sediment-microplastics.md"),
    include_str!("../../../../drafts/sports/riverside-handball-promotion.md"),
];

/// What a keystroke or a paste puts in: mostly typing, some blocks that reach further,
/// and the front matter's title.
#[rustfmt::skip]
const INSERTS: &[&str] = &[
    "a", "b", " ", " ", "e", ".", "\n", "\n", "\n\n", "\n\nNew paragraph.\n\n", "# ", "## Sub\n\n",
    "- ", "\n- item\n", "1. ", "> ", "```\n", "\n```\n", "\n===\n", "\n\n| a | b |\n|---|---|\n",
    "<!-- ", " -->", "<div>\n", "*", "`", "é", "“", "🙂", "title: New\n",
];

/// What reaches across pieces (a footnote, a mark, a link reference and its definition):
/// the page gets the whole when a piece's HTML is not its own (marks, a footnote
/// section), pieces when references are answered from elsewhere. Put in now and then,
/// and gone again when the text goes back to the original.
const GLOBAL: &[&str] = &[
    "[^1]",
    "\n\n[^1]: Note.\n",
    "{++x++}",
    "{--",
    "--}",
    "[ref]",
    "\n\n[ref]: /there \"T\"\n",
    "\n\n[ref]: /elsewhere\n",
];

fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The page: the article around the body, and the body's pieces (HTML, first line).
#[derive(Default)]
struct Page {
    head: String,
    tail: String,
    pieces: Vec<(String, usize)>,
    shown: u64,
}

impl Page {
    fn html(&self) -> String {
        let mut out = self.head.clone();
        for (html, _) in &self.pieces {
            out.push_str(html);
        }
        out + &self.tail
    }

    fn apply(&mut self, answer: PageAnswer, generation: u64) {
        match answer {
            PageAnswer::Whole { preview, pieces } => {
                let open = "<div class=\"nr-body\">\n";
                let body_at = preview.html.find(open).unwrap() + open.len();
                // the tail: `</div>`, the tags' list if any, `</article>`
                let end = preview.html.len() - "</article>\n".len();
                let tags = preview.html.rfind("<ul class=\"nr-tags\">").unwrap_or(end);
                let body_end = tags - "</div>\n".len();
                assert_eq!(&preview.html[body_end..tags], "</div>\n");
                self.head = preview.html[..body_at].to_owned();
                self.tail = preview.html[body_end..].to_owned();
                match pieces {
                    Some(lines) => {
                        self.pieces = split(&preview.html[body_at..body_end], &lines);
                        self.shown = generation;
                    }
                    None => {
                        // the page patches the whole HTML and cannot follow a delta
                        self.pieces = vec![(preview.html[body_at..body_end].to_owned(), 0)];
                        self.shown = 0;
                    }
                }
            }
            PageAnswer::Delta { preview, delta } => {
                assert!(preview.html.is_empty());
                let BodyDelta {
                    start,
                    removed,
                    html,
                    lines,
                    shift,
                } = delta;
                for piece in &mut self.pieces[start + removed..] {
                    piece.0 = shifted(&piece.0, shift);
                    if piece.1 > 0 {
                        piece.1 = (piece.1 as i64 + shift) as usize;
                    }
                }
                self.pieces
                    .splice(start..start + removed, split(&html, &lines));
                self.shown = generation;
            }
        }
    }
}

/// Cuts a body's HTML before each piece's first element (the first tag whose
/// `data-sourcepos` starts on the piece's line; line 0: a piece with no HTML), as the page
/// finds them in its DOM.
fn split(body: &str, lines: &[usize]) -> Vec<(String, usize)> {
    let mut cuts = Vec::new();
    let mut from = 0;
    for line in lines {
        if *line == 0 {
            cuts.push(None);
            continue;
        }
        let needle = format!("data-sourcepos=\"{line}:");
        let at = from
            + body[from..]
                .find(&needle)
                .expect("the piece's first element");
        let lt = body[..at].rfind('<').unwrap();
        assert!(lt >= from);
        cuts.push(Some(lt));
        from = at;
    }
    let found: Vec<usize> = cuts.iter().flatten().copied().collect();
    assert_eq!(
        found.first().copied().unwrap_or(0),
        0,
        "a body starts with a piece"
    );
    let mut next = found.iter().skip(1);
    cuts.iter()
        .zip(lines)
        .map(|(cut, line)| match cut {
            None => (String::new(), 0),
            Some(c) => {
                let end = next.next().copied().unwrap_or(body.len());
                (body[*c..end].to_owned(), *line)
            }
        })
        .collect()
}

/// `html` with every `data-sourcepos` line moved by `shift`.
fn shifted(html: &str, shift: i64) -> String {
    let key = "data-sourcepos=\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(key) {
        out.push_str(&rest[..at + key.len()]);
        rest = &rest[at + key.len()..];
        let end = rest.find('"').unwrap();
        let (a, b) = rest[..end].split_once('-').unwrap();
        let (al, ac) = a.split_once(':').unwrap();
        let (bl, bc) = b.split_once(':').unwrap();
        let line = |l: &str| l.parse::<i64>().unwrap() + shift;
        out.push_str(&format!("{}:{ac}-{}:{bc}", line(al), line(bl)));
        rest = &rest[end..];
    }
    out + rest
}

#[derive(Default)]
struct Tally {
    deltas: usize,
    whole: usize,
}

fn run(seed: u64, original: &str, steps: usize, tally: &mut Tally) {
    let mut rng = Lcg(seed);
    let mut preview = PagePreview::new();
    let mut page = Page::default();
    let mut text = original.to_owned();
    let mut cursor = text.len() / 2;
    let (rel, asset) = ("world/a.md", Some("newsroom-asset://localhost/"));
    for step in 0..=steps {
        // the edit as the page sends it (most of the time: else the whole text)
        let mut edit = None;
        let what = if step == 0 {
            "open".to_owned()
        } else if step % 60 == 0 {
            text = original.to_owned();
            "back to the original".to_owned()
        } else {
            if rng.below(6) == 0 {
                cursor = rng.below(text.len() + 1);
            }
            let at = boundary(&text, cursor);
            let (removed, inserted, what) = if rng.below(4) == 0 {
                let n = if rng.below(5) == 0 { rng.below(300) } else { 1 };
                let to = boundary(&text, at + n);
                text.replace_range(at..to, "");
                (to - at, 0, format!("delete {at}..{to}"))
            } else {
                let s = if rng.below(40) == 0 {
                    rng.pick(GLOBAL)
                } else {
                    rng.pick(INSERTS)
                };
                text.insert_str(at, s);
                cursor = at + s.len();
                (0, s.len(), format!("insert {s:?} at {at}"))
            };
            if rng.below(8) != 0 {
                edit = Some(TextEdit {
                    at,
                    removed,
                    inserted,
                });
            }
            what
        };
        // now and then the page misses an answer (another draft shown meanwhile)
        let shown = if rng.below(50) == 0 { 0 } else { page.shown };
        let answer = preview.render_edit(rel, &text, edit, asset, true, false, shown);
        match &answer {
            PageAnswer::Delta { .. } => tally.deltas += 1,
            PageAnswer::Whole { .. } => tally.whole += 1,
        }
        let want = render_draft(rel, &text, asset, true, false);
        if let PageAnswer::Delta { preview: p, .. } = &answer {
            assert_eq!(p.stats, want.stats, "seed {seed} step {step} ({what})");
            assert_eq!(p.remote_images, want.remote_images);
        }
        page.apply(answer, preview.generation());
        let got = page.html();
        if got != want.html {
            let at = got
                .bytes()
                .zip(want.html.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "seed {seed}, step {step} ({what}): the page differs from the full render at byte {at}\npage …{}…\nfull …{}…\n----- text -----\n{text}",
                &got[boundary(&got, at.saturating_sub(150))..boundary(&got, at + 150)],
                &want.html
                    [boundary(&want.html, at.saturating_sub(150))..boundary(&want.html, at + 150)],
            );
        }
    }
}

#[test]
fn a_page_followed_by_deltas_is_the_full_render() {
    let mut tally = Tally::default();
    for (i, sample) in SAMPLES.iter().enumerate() {
        run(11 + i as u64, sample, 300, &mut tally);
        let long =
            sample.to_string() + &"\n\nAnother paragraph of copy, *with* emphasis.\n".repeat(30);
        run(21 + i as u64, &long, 300, &mut tally);
    }
    eprintln!("{} deltas, {} whole", tally.deltas, tally.whole);
    // most renders are deltas (a fence left open, a footnote, the sample with reference
    // links render whole until the text is the original again)
    let renders = tally.deltas + tally.whole;
    assert!(
        tally.deltas * 3 > renders,
        "{} deltas of {renders}",
        tally.deltas
    );
    assert!(tally.whole > 0);
}

/// Enters and deleted lines answered as deltas move every piece below without its HTML
/// being written; a whole answer after many of them (the page shows another answer) is
/// put together from the pieces, each moved by the lines before it now, and is the full
/// render; so is a delta after it, and a whole answer again.
#[test]
fn many_moves_then_a_whole_answer_is_the_full_render() {
    let (rel, asset) = ("world/a.md", None);
    let mut text = "---\ntitle: T\n---\n".to_owned();
    for i in 0..400 {
        text.push_str(&format!("Paragraph {i} with *some* words.\n\n"));
        if i % 37 == 0 {
            text.push_str("## Heading\n\n- a\n- b\n\n");
        }
    }
    let mut preview = PagePreview::new();
    let mut page = Page::default();
    let answer = preview.render_edit(rel, &text, None, asset, true, false, 0);
    page.apply(answer, preview.generation());
    let mut rng = Lcg(3);
    let mut deltas = 0;
    for round in 0..12 {
        for _ in 0..25 {
            // an Enter (two line breaks) at a paragraph's start, or a line taken away
            let body = "---\ntitle: T\n---\n".len();
            let before = boundary(&text, body + rng.below(text.len() - body));
            let at = text[..before]
                .rfind("\n\n")
                .map_or(body, |i| (i + 2).max(body));
            let edit = if rng.below(3) == 0 && text[at..].starts_with("\n") {
                text.replace_range(at..at + 1, "");
                TextEdit {
                    at,
                    removed: 1,
                    inserted: 0,
                }
            } else {
                text.insert_str(at, "\n\n");
                TextEdit {
                    at,
                    removed: 0,
                    inserted: 2,
                }
            };
            let answer =
                preview.render_edit(rel, &text, Some(edit), asset, true, false, page.shown);
            if matches!(answer, PageAnswer::Delta { .. }) {
                deltas += 1;
            }
            page.apply(answer, preview.generation());
            assert_eq!(
                page.html(),
                render_draft(rel, &text, asset, true, false).html
            );
        }
        // the page shows another answer: this one is whole, from the pieces moved lazily
        let answer = preview.render_edit(rel, &text, None, asset, true, false, 0);
        let PageAnswer::Whole { preview: p, pieces } = &answer else {
            panic!("round {round}: a page that shows no answer of ours gets the whole");
        };
        assert!(pieces.is_some());
        assert_eq!(
            p.html,
            render_draft(rel, &text, asset, true, false).html,
            "round {round}"
        );
        page.apply(answer, preview.generation());
    }
    assert!(deltas > 250, "{deltas} deltas");
}
