//! CommonMark and GFM conformance of the preview's renderer (`render::render_body`, what
//! the reader sees and what the publish's blocks are made of), over the specifications'
//! own examples.
//!
//! The spec files are not in this repository: they are read from `../shared/conformance/`
//! beside the project root (origins and licences in its `SOURCES.md`), or from
//! `NEWSROOM_CONFORMANCE_DIR`. When they are absent the test says so loudly (run with
//! `--nocapture` to see it) and passes, except under `CI`, where it fails.
//!
//! Every example must render exactly as the spec says (after the light normalisation of
//! [`normalise`]), except those listed in [`DIFFERENCES`], each with the deliberate reason
//! (documented in docs/draft-format.md, "Conformance"). A listed example that starts to
//! conform fails the test too, so the list stays true. Punctuation is rendered as typed
//! here (the spec's option), not typographically as drafts are: see
//! [`spec_render_options`].

use std::collections::BTreeMap;
use std::path::PathBuf;

use newsroom_core::markdown::{Punctuation, comrak_options_with};
use newsroom_core::render::{RenderOptions, render_body};

/// The spec's examples expect punctuation as typed: drafts render it typographically (as
/// the portal shows it, docs/draft-format.md "Typography"), which the spec's options do
/// not. That layer is tested on its own (`markdown.rs`, `portal_typography.rs`); here it
/// is off, so every other difference stays visible.
fn spec_render_options() -> RenderOptions {
    RenderOptions {
        punctuation: Punctuation::AsTyped,
        ..Default::default()
    }
}

/// One example of a spec file.
struct Example {
    number: usize,
    section: String,
    markdown: String,
    html: String,
    /// The extensions named on the example's line (`example tagfilter`).
    extensions: String,
}

/// Parses the spec's format: a line of 32 backticks and ` example`, the Markdown, a line
/// `.`, the HTML, 32 backticks; `→` stands for a tab.
fn examples(text: &str) -> Vec<Example> {
    const FENCE: &str = "````````````````````````````````";
    let mut out = Vec::new();
    let mut section = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(h) = line.strip_prefix('#') {
            if !h.starts_with('#') || h.starts_with("# ") {
                section = h.trim_start_matches('#').trim().to_owned();
            }
            continue;
        }
        let Some(extensions) = line
            .strip_prefix(FENCE)
            .and_then(|rest| rest.trim_start().strip_prefix("example"))
        else {
            continue;
        };
        let (mut md, mut html, mut in_html) = (String::new(), String::new(), false);
        for l in lines.by_ref() {
            if l.starts_with(FENCE) {
                break;
            }
            if l == "." && !in_html {
                in_html = true;
                continue;
            }
            let target = if in_html { &mut html } else { &mut md };
            target.push_str(&l.replace('→', "\t"));
            target.push('\n');
        }
        out.push(Example {
            number: out.len() + 1,
            section: section.clone(),
            markdown: md,
            html,
            extensions: extensions.trim().to_owned(),
        });
    }
    out
}

/// Newlines between tags and around the whole are not what a reader sees; everything
/// else (tags, attributes, text, entities) must match exactly.
fn normalise(html: &str) -> String {
    html.trim().replace(">\n<", "><").replace("\n</", "</")
}

/// Why an example renders differently on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Why {
    /// Raw HTML is sanitised (block HTML by ammonia, inline HTML: a few attribute-less
    /// tags; anything else shown as text). The spec passes raw HTML through.
    RawHtml,
    /// Only `http`, `https`, `mailto`, `tel`, `sms`, `irc`, `ircs` links (and `http`/`https`
    /// images) pass; other schemes become `#blocked-url`.
    UrlAllowlist,
    /// Drafts have GFM's autolink extension on: `www.x` and bare `https://…` become links
    /// in CommonMark examples, which do not expect them.
    GfmAutolinks,
    /// comrak writes footnotes its own way (`fn-NAME` ids, `data-footnote-ref`,
    /// `footnote-backref` with `aria-label`), not cmark-gfm's numbered ids.
    FootnoteMarkup,
    /// comrak serialises the same DOM differently (task list checkboxes:
    /// `<input type="checkbox" disabled="" />` for cmark-gfm's
    /// `<input disabled="" type="checkbox">`).
    SameDom,
    /// comrak's GFM autolinking, not ours: it does not link a URL whose host starts with a
    /// non-ASCII symbol (`http://🍄.ga/`); cmark-gfm does.
    ComrakAutolink,
    /// The GFM spec is 0.29; comrak follows CommonMark 0.31.2, whose HTML comment rules
    /// changed (`<!-->` and `--` inside are comments now), and raw HTML is sanitised too.
    SpecVersion,
}

const CM: &str = "commonmark-spec-0.31.2.txt";
const GFM: &str = "gfm-spec.txt";
const EXT: &str = "gfm-extensions.txt";

/// The listed differences: file, reason, example numbers (as the spec numbers them).
const DIFFERENCES: &[(&str, Why, &[usize])] = &[
    (CM, Why::GfmAutolinks, &[602, 608, 611, 612]),
    (
        CM,
        Why::RawHtml,
        &[
            21, 31, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160, 162, 163, 164,
            165, 167, 169, 170, 171, 172, 173, 174, 175, 176, 177, 178, 179, 180, 181, 182, 183,
            184, 187, 188, 190, 191, 201, 308, 309, 344, 475, 476, 477, 491, 524, 536, 613, 614,
            615, 616, 617, 623, 625, 626, 627, 628, 629, 630, 631, 642, 643,
        ],
    ),
    (CM, Why::UrlAllowlist, &[598, 599, 601]),
    (EXT, Why::FootnoteMarkup, &[23]),
    (EXT, Why::ComrakAutolink, &[19]),
    (EXT, Why::RawHtml, &[22]),
    (GFM, Why::GfmAutolinks, &[610, 616, 619, 620]),
    (
        GFM,
        Why::RawHtml,
        &[
            118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 130, 132, 133, 134, 135,
            137, 139, 140, 141, 142, 143, 144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 156,
            157, 159, 160, 170, 288, 289, 317, 327, 354, 484, 485, 486, 500, 532, 544, 632, 633,
            634, 635, 636, 642, 644, 647, 648, 649, 650, 651, 653, 663, 664,
        ],
    ),
    (GFM, Why::SameDom, &[279, 280]),
    (GFM, Why::SpecVersion, &[645, 646]),
    (GFM, Why::UrlAllowlist, &[606, 607, 609, 628]),
];

/// What the example renders as with the deliberate layer turned off: the listed
/// difference must be that layer's doing alone, so with it off the spec's HTML comes back.
/// `None` where no switch exists (comrak's own markup).
fn without(why: Why, ex: &Example, file: &str) -> Option<String> {
    let mut o = comrak_options_with(false, Punctuation::AsTyped);
    match why {
        // GFM's tag filter (which these examples expect) is not in comrak 0.59; our
        // sanitiser removes those tags anyway.
        Why::RawHtml if file == EXT || ex.extensions.contains("tagfilter") => return None,
        Why::RawHtml => o.render.r#unsafe = true,
        Why::UrlAllowlist => {}
        Why::GfmAutolinks => o.extension.autolink = false,
        Why::FootnoteMarkup | Why::SameDom | Why::ComrakAutolink | Why::SpecVersion => return None,
    }
    Some(comrak::markdown_to_html(&ex.markdown, &o))
}

fn conformance_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("NEWSROOM_CONFORMANCE_DIR") {
        return PathBuf::from(d);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/conformance")
}

#[test]
fn spec_examples_render_as_the_specs_say_except_documented_differences() {
    let dir = conformance_dir();
    let files = [
        "commonmark-spec-0.31.2.txt",
        "gfm-spec.txt",
        "gfm-extensions.txt",
    ];
    if !files.iter().all(|f| dir.join(f).is_file()) {
        // In CI the suites are part of the checkout's surroundings: absent there is a fault.
        assert!(
            std::env::var_os("CI").is_none(),
            "CONFORMANCE SUITES ABSENT in CI: {} does not hold {files:?}",
            dir.display()
        );
        eprintln!(
            "\n*** CONFORMANCE SUITES ABSENT: {} does not hold {files:?}; the CommonMark/GFM \
             conformance test did NOT run. Put them there (see SOURCES.md) or set \
             NEWSROOM_CONFORMANCE_DIR. ***\n",
            dir.display()
        );
        return;
    }
    let listed: BTreeMap<(&str, usize), Why> = DIFFERENCES
        .iter()
        .flat_map(|(f, w, ns)| ns.iter().map(move |n| ((*f, *n), *w)))
        .collect();
    let mut unexplained = Vec::new();
    let mut unexpected = Vec::new();
    let mut now_conforming = Vec::new();
    let mut counts: BTreeMap<Why, usize> = BTreeMap::new();
    let mut total = 0;
    let mut passed = 0;
    for file in files {
        let text = std::fs::read_to_string(dir.join(file)).expect("read spec");
        let all = examples(&text);
        assert!(all.len() > 20, "{file}: only {} examples parsed", all.len());
        for ex in all {
            total += 1;
            let ours = render_body(&ex.markdown, &spec_render_options());
            // The spec's "<IGNORE>": only that it renders at all (it once crashed cmark-gfm).
            let same = ex.html.trim() == "<IGNORE>" || normalise(&ours) == normalise(&ex.html);
            match (same, listed.get(&(file, ex.number))) {
                (true, None) => passed += 1,
                (true, Some(why)) => now_conforming.push(format!(
                    "{file} example {} ({}) is listed as {why:?} but now conforms: remove it",
                    ex.number, ex.section
                )),
                (false, Some(why)) => {
                    *counts.entry(*why).or_default() += 1;
                    if let Some(off) = without(*why, &ex, file) {
                        if normalise(&off) != normalise(&ex.html) {
                            unexplained.push(format!(
                                "{file} example {} is listed as {why:?}, but without that layer it still differs:\n--- expected\n{}--- without {why:?}\n{off}",
                                ex.number, ex.html
                            ));
                        }
                    }
                }
                (false, None) => unexpected.push(format!(
                    "{file} example {} ({}):\n--- markdown\n{}--- expected\n{}--- ours\n{}",
                    ex.number, ex.section, ex.markdown, ex.html, ours
                )),
            }
        }
    }
    eprintln!(
        "conformance ({}): {passed} of {total} examples as the specs say; deliberate differences: {counts:?}",
        dir.display()
    );
    assert!(
        unexpected.is_empty() && now_conforming.is_empty() && unexplained.is_empty(),
        "{} unexpected differences, {} listed ones now conform, {} listed ones not explained by their reason:\n\n{}\n\n{}\n\n{}",
        unexpected.len(),
        now_conforming.len(),
        unexplained.len(),
        unexpected.join("\n"),
        now_conforming.join("\n"),
        unexplained.join("\n")
    );
}
