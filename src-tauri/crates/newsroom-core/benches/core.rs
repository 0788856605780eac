//! Core benchmarks. Figures are read as ratios against references measured in the same
//! run (plain comrak, pulldown-cmark), since this shared 2-core machine is noisy.
//!
//! `cargo bench -p newsroom-core --bench core`; `tests/bench/core-report.sh` turns the
//! results into the table in docs/performance.md.

#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use newsroom_core::index::Filter;
use newsroom_core::render::{self, ImagePolicy, RenderOptions};
use newsroom_core::workspace::Workspace;

/// A small deterministic generator, so every run measures the same text.
#[path = "../tests/support/lcg.rs"]
mod lcg;
use lcg::Lcg;

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
    "government",
    "ministers",
    "agreed",
    "to",
    "continue",
    "negotiations",
    "despite",
    "pressure",
    "from",
    "Moscow",
    "and",
    "Kyiv",
    "a",
    "spokesperson",
    "for",
    "the",
    "ministry",
    "told",
    "reporters",
    "that",
    "progress",
    "had",
    "been",
    "made",
    "energy",
    "prices",
    "rose",
    "sharply",
    "markets",
    "reacted",
    "with",
    "caution",
    "analysts",
    "expect",
    "further",
    "sanctions",
    "humanitarian",
    "corridors",
    "remain",
    "closed",
    "villagers",
    "described",
    "long",
    "queues",
    "at",
    "crossing",
    "points",
    "while",
    "trucks",
    "waited",
    "for",
    "days",
];

/// A news article of about `words` words: paragraphs with emphasis and links, a few
/// subheadings, a quote, a list and a table, like the copy the desk handles.
pub fn article(words: usize, seed: u64) -> String {
    let mut rng = Lcg(seed);
    let mut out = String::with_capacity(words * 8);
    out.push_str("---\ntitle: Minsk talks stall as border queues grow\ncategories: [World]\ntags: [Belarus, Russia, Ukraine War updates]\nauthor: Ana Kovač\nstatus: draft\nexcerpt: Delegations met again without a deal.\n---\n\n");
    let mut written = 0;
    let mut para = 0;
    while written < words {
        para += 1;
        if para % 12 == 0 {
            out.push_str(&format!("## {} {}\n\n", rng.pick(WORDS), rng.pick(WORDS)));
        }
        if para % 17 == 0 {
            out.push_str("> “We will return next week,” a delegate said.\n\n");
            written += 7;
        }
        if para % 23 == 0 {
            out.push_str("| Crossing | Trucks | Wait (h) |\n|---|---:|---:|\n| Brest | 1200 | 36 |\n| Grodno | 800 | 20 |\n\n");
            written += 12;
        }
        if para % 19 == 0 {
            out.push_str(
                "- first point of the agreement\n- second point, still disputed\n- third point\n\n",
            );
            written += 13;
        }
        let n = 40 + (rng.next() % 40) as usize;
        for i in 0..n {
            let w = rng.pick(WORDS);
            match rng.next() % 40 {
                0 => out.push_str(&format!("*{w}*")),
                1 => out.push_str(&format!("**{w}**")),
                2 => out.push_str(&format!("[{w}](https://example.org/{w})")),
                _ => out.push_str(w),
            }
            out.push(if i + 1 == n { '.' } else { ' ' });
        }
        out.push_str("\n\n");
        written += n;
    }
    out
}

/// [`article`] with what reaches across the body, as an edited long read has it: a
/// footnote reference in every fourth paragraph, a link reference in every fifth, a
/// suggestion or a comment in every sixth (one in sixty struck across two paragraphs),
/// the notes' and the references' definitions at the end.
pub fn article_reaching(words: usize, seed: u64) -> String {
    let text = article(words, seed);
    let mut out = String::with_capacity(text.len() * 11 / 10);
    let (mut notes, mut refs) = (0, 0);
    for (i, para) in text.split_inclusive("\n\n").enumerate() {
        let prose = para.starts_with(|c: char| c.is_alphabetic()) && i > 0;
        if !prose {
            out.push_str(para);
            continue;
        }
        let (line, rest) = para.split_at(para.len() - 3);
        out.push_str(line);
        if i % 4 == 0 {
            notes += 1;
            out.push_str(&format!("[^n{notes}]"));
        }
        if i % 5 == 0 {
            refs += 1;
            out.push_str(&format!(" See [the report][r{}].", refs % 40));
        }
        match i % 60 {
            6 | 18 | 30 | 42 | 54 => out.push_str(" {++More, said a delegate.++}"),
            12 | 36 => out.push_str(" {~~Tuesday~>Wednesday~~}{>>AK: check the date<<}"),
            24 | 48 => out.push_str(" {==Disputed.==}{>>EM: source?<<}"),
            0 => out.push_str(" {--Struck from here.\n\nTo here.--}"),
            _ => {}
        }
        out.push_str(rest);
    }
    for n in 1..=notes {
        out.push_str(&format!(
            "[^n{n}]: Source {n}, see [the archive][r{}].\n\n",
            n % 40
        ));
    }
    for r in 0..40 {
        out.push_str(&format!(
            "[r{r}]: https://example.org/reports/{r} \"Report {r}\"\n"
        ));
    }
    out
}

fn body(text: &str) -> &str {
    let end = text[4..].find("\n---\n").map_or(0, |i| i + 4 + 5);
    &text[end..]
}

fn bench_render(c: &mut Criterion) {
    let options = RenderOptions {
        images: ImagePolicy {
            asset_base: Some("newsroom-asset://localhost/".into()),
            draft_dir: "world".into(),
            ..Default::default()
        },
        sourcepos: false,
        ..Default::default()
    };
    let with_sourcepos = RenderOptions {
        sourcepos: true,
        ..options.clone()
    };
    for words in [1_000usize, 5_000, 50_000] {
        let text = article(words, 7);
        let md = body(&text).to_owned();
        let mut g = c.benchmark_group(format!("render/{}k", words / 1000));
        g.sample_size(if words >= 50_000 { 30 } else { 60 });
        g.measurement_time(Duration::from_secs(if words >= 50_000 { 6 } else { 3 }));
        g.bench_function("comrak_plain", |b| {
            b.iter(|| render::render_plain_comrak(black_box(&md)))
        });
        g.bench_function("pulldown_cmark", |b| {
            b.iter(|| {
                let mut opts = pulldown_cmark::Options::empty();
                opts.insert(pulldown_cmark::Options::ENABLE_TABLES);
                opts.insert(pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
                opts.insert(pulldown_cmark::Options::ENABLE_TASKLISTS);
                opts.insert(pulldown_cmark::Options::ENABLE_FOOTNOTES);
                let parser = pulldown_cmark::Parser::new_ext(black_box(&md), opts);
                let mut html = String::with_capacity(md.len() * 5 / 4);
                pulldown_cmark::html::push_html(&mut html, parser);
                html
            })
        });
        g.bench_function("safe", |b| {
            b.iter(|| render::render_body(black_box(&md), &options))
        });
        g.bench_function("safe_sourcepos", |b| {
            b.iter(|| render::render_body(black_box(&md), &with_sourcepos))
        });
        g.bench_function("preview_page", |b| {
            b.iter(|| newsroom_core::workspace::render_text(black_box(&text), "t", &with_sourcepos))
        });
        // What the page's WebAssembly renderer does per keystroke: the whole draft's
        // preview, then the same after one character typed (or taken back) in the middle
        // paragraph, with the state kept from the previous call. Each iteration is one
        // keystroke; `preview_draft` is the full render of the same text for reference.
        let asset = Some("newsroom-asset://localhost/");
        g.bench_function("preview_draft", |b| {
            b.iter(|| render::render_draft("world/a.md", black_box(&text), asset, true, false))
        });
        let at = text.len() / 2;
        let at = at + text[at..].find(' ').unwrap();
        let mut typed = text.clone();
        typed.insert(at, 'x');
        let mut incremental = render::IncrementalPreview::new();
        incremental.render_draft("world/a.md", &text, asset, true, false);
        let mut flip = false;
        g.bench_function("preview_keystroke_incremental", |b| {
            b.iter(|| {
                flip = !flip;
                let next = if flip { &typed } else { &text };
                incremental.render_draft("world/a.md", black_box(next), asset, true, false)
            })
        });
        // Enter: a line break added (or taken back) in the middle paragraph, so every
        // block below it moves a line and its source positions are rewritten.
        let mut entered = text.clone();
        entered.insert(at, '\n');
        g.bench_function("preview_enter_incremental", |b| {
            b.iter(|| {
                flip = !flip;
                let next = if flip { &entered } else { &text };
                incremental.render_draft("world/a.md", black_box(next), asset, true, false)
            })
        });
        // What the page's preview does per keystroke (`render_edit` in the WebAssembly
        // module, but for the UTF-16 conversion): the edit sent with the text, the changed
        // pieces and the shift below as the answer, the body's whole HTML not written.
        let mut page = render::PagePreview::new();
        page.render_draft("world/a.md", &text, asset, true, false, 0);
        for (name, edited, len) in [
            ("page_keystroke_delta", &typed, 1),
            ("page_enter_delta", &entered, 1),
        ] {
            g.bench_function(name, |b| {
                b.iter(|| {
                    flip = !flip;
                    let (next, edit) = if flip {
                        (
                            edited,
                            render::TextEdit {
                                at,
                                removed: 0,
                                inserted: len,
                            },
                        )
                    } else {
                        (
                            &text,
                            render::TextEdit {
                                at,
                                removed: len,
                                inserted: 0,
                            },
                        )
                    };
                    let shown = page.generation();
                    let answer = page.render_edit(
                        "world/a.md",
                        black_box(next),
                        Some(edit),
                        asset,
                        true,
                        false,
                        shown,
                    );
                    assert!(matches!(answer, render::PageAnswer::Delta { .. }));
                    answer
                })
            });
        }
        g.finish();
    }

    // The same with footnotes, link references and marks throughout (50,000 words): a
    // keystroke and an Enter in a paragraph without any, and a keystroke in one with a
    // footnote reference (which renders the pieces with footnotes again).
    let text = article_reaching(50_000, 7);
    let md = body(&text).to_owned();
    let mut g = c.benchmark_group("render/50k-reaching");
    g.sample_size(30);
    g.measurement_time(Duration::from_secs(6));
    g.bench_function("comrak_plain", |b| {
        b.iter(|| render::render_plain_comrak(black_box(&md)))
    });
    let asset = Some("newsroom-asset://localhost/");
    g.bench_function("preview_draft", |b| {
        b.iter(|| render::render_draft("world/a.md", black_box(&text), asset, true, false))
    });
    // the first paragraph from the middle on that holds no footnote, reference or mark
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
    let mut incremental = render::IncrementalPreview::new();
    incremental.render_draft("world/a.md", &text, asset, true, false);
    let mut flip = false;
    for (name, at, what) in [
        ("preview_keystroke_incremental", plain, 'x'),
        ("preview_enter_incremental", plain, '\n'),
        ("preview_keystroke_in_note_incremental", noted, 'x'),
    ] {
        let mut next = text.clone();
        next.insert(at, what);
        g.bench_function(name, |b| {
            b.iter(|| {
                flip = !flip;
                let t = if flip { &next } else { &text };
                incremental.render_draft("world/a.md", black_box(t), asset, true, false)
            })
        });
    }
    g.finish();
}

/// Writes `n` drafts of ~1,000 words under `root`, in a few section folders.
fn write_corpus(root: &Path, n: usize) {
    let sections = ["world", "business", "science", "sports", "opinion"];
    for s in sections {
        std::fs::create_dir_all(root.join(s)).unwrap();
    }
    for i in 0..n {
        let mut text = article(1_000, i as u64 + 1);
        // A topical story in every 33rd draft: what a reporter searches for by name.
        if i % 33 == 0 {
            text.push_str("Lukashenko discussed pipeline tariffs with the delegation.\n");
        }
        text = text.replacen(
            "title: Minsk talks stall as border queues grow",
            &format!("title: Story number {i}"),
            1,
        );
        std::fs::write(
            root.join(sections[i % sections.len()])
                .join(format!("story-{i:05}.md")),
            text,
        )
        .unwrap();
    }
}

fn bench_index(c: &mut Criterion) {
    let n: usize = std::env::var("NEWSROOM_BENCH_DRAFTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("drafts");
    write_corpus(&root, n);
    let mut g = c.benchmark_group(format!("index/{n}"));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));

    g.bench_function("cold", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |data| {
                let (ws, report) =
                    Workspace::open_with_index(&root, &data.path().join("i.sqlite3")).unwrap();
                assert_eq!(report.added, n);
                drop(ws);
                data
            },
            BatchSize::PerIteration,
        )
    });

    let data = tempfile::tempdir().unwrap();
    let index = data.path().join("i.sqlite3");
    drop(Workspace::open_with_index(&root, &index).unwrap());
    g.bench_function("warm_reopen", |b| {
        b.iter(|| {
            let (ws, report) = Workspace::open_with_index(&root, &index).unwrap();
            assert_eq!(report.unchanged, n);
            ws
        })
    });

    let (mut ws, _) = Workspace::open_with_index(&root, &index).unwrap();
    g.sample_size(50);
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("search_top20_snippets", |b| {
        b.iter(|| {
            let hits = ws
                .search(black_box("ceasefire negotiations"), &Filter::default(), 20)
                .unwrap();
            assert_eq!(hits.len(), 20);
            hits
        })
    });
    g.bench_function("search_topical_snippets", |b| {
        b.iter(|| {
            let hits = ws
                .search(black_box("lukashenko tariffs"), &Filter::default(), 20)
                .unwrap();
            assert_eq!(hits.len(), 20.min(n.div_ceil(33)));
            hits
        })
    });
    g.bench_function("search_top20_filtered", |b| {
        b.iter(|| {
            ws.search(
                black_box("border queues"),
                &Filter {
                    category: Some("World".into()),
                    ..Default::default()
                },
                20,
            )
            .unwrap()
        })
    });

    // One file changed by another program, then the folder is reconciled.
    let victim = root.join("world/story-00000.md");
    let original = std::fs::read_to_string(&victim).unwrap();
    let mut flip = false;
    g.bench_function("one_file_reindex", |b| {
        b.iter(|| {
            flip = !flip;
            let text = if flip {
                original.replace("Story number 0", "Story number zero")
            } else {
                original.clone()
            };
            std::fs::write(&victim, text).unwrap();
            let report = ws.rescan().unwrap();
            assert_eq!(report.updated, 1);
        })
    });
    g.finish();
}

/// Hostile drafts: one pattern repeated to 2 MB (by default). Each step of what indexing and the
/// preview run on a body, against comrak's plain parse and render of the same text, so
/// the figures read as ratios (a linear scan is a small fraction of comrak; a quadratic
/// one is hundreds of times it).
fn bench_pathological(c: &mut Criterion) {
    const PATTERNS: [(&str, &str); 10] = [
        ("link_target", "]("),
        ("tag_open", "<a"),
        ("wiki_link", "[["),
        ("critic_insert", "{++"),
        ("backticks", "``a`"),
        ("comment_open", "<!--"),
        ("stars", "*"),
        ("underscores", "_"),
        ("backslashes", "\\\\{++"),
        ("bracket_link", "[a]("),
    ];
    // `NEWSROOM_BENCH_PATHOLOGICAL_KB` changes the size, to see how each step scales.
    let size = std::env::var("NEWSROOM_BENCH_PATHOLOGICAL_KB")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(2048)
        * 1024;
    let options = RenderOptions::default();
    let mut g = c.benchmark_group("pathological");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(3));
    g.warm_up_time(Duration::from_millis(500));
    for (name, pattern) in PATTERNS {
        let body = pattern.repeat(size / pattern.len());
        g.bench_function(format!("{name}/comrak_plain"), |b| {
            b.iter(|| render::render_plain_comrak(black_box(&body)))
        });
        g.bench_function(format!("{name}/plain_text"), |b| {
            b.iter(|| newsroom_core::text::plain_text(black_box(&body)))
        });
        g.bench_function(format!("{name}/word_count"), |b| {
            b.iter(|| newsroom_core::text::word_count(black_box(&body)))
        });
        let draft = format!("---\ntitle: Hostile\n---\n{body}");
        g.bench_function(format!("{name}/index_entry"), |b| {
            b.iter(|| {
                newsroom_core::scan::entry_for_text(
                    "hostile.md",
                    black_box(&draft),
                    newsroom_core::index::FileState {
                        size: draft.len() as u64,
                        mtime_ns: 0,
                        hash: String::new(),
                    },
                )
            })
        });
        g.bench_function(format!("{name}/marks"), |b| {
            b.iter(|| newsroom_core::critic::marks(black_box(&draft)))
        });
        g.bench_function(format!("{name}/safe_render"), |b| {
            b.iter(|| render::render_body(black_box(&body), &options))
        });
    }

    // Alias amplification: a 900 kB anchored string referenced 5,000 times (4.5 GB if
    // expanded), and 2 million list items past the node cap. Refused, so the cost is
    // reading the front matter; comrak's render of the same text is the reference.
    let mut amplified = format!("---\ntitle: &t {}\nrefs:\n", "x".repeat(900_000));
    amplified.push_str(&"  - *t\n".repeat(5_000));
    amplified.push_str("---\nBody.\n");
    let mut long_list = String::from("---\ntags:\n");
    for i in 0..2_000_000 {
        long_list.push_str(&format!("  - tag{i}\n"));
    }
    long_list.push_str("---\nBody.\n");
    for (name, text) in [
        ("yaml_amplified", &amplified),
        ("yaml_past_node_cap", &long_list),
    ] {
        g.bench_function(format!("{name}/comrak_plain"), |b| {
            b.iter(|| render::render_plain_comrak(black_box(text)))
        });
        g.bench_function(format!("{name}/draft_parse"), |b| {
            b.iter(|| newsroom_core::Draft::parse(black_box(text)).unwrap_err())
        });
    }
    g.finish();
}

criterion_group!(benches, bench_render, bench_index, bench_pathological);
criterion_main!(benches);
