//! comrak's options for drafts, in one place: the bottom of the Markdown layers.
//!
//! Everything that parses a draft's body (the preview's safe render, the CriticMarkup
//! code map, the image finder, the publisher's block serialiser) parses it with these
//! options, so all of them see the same document: the same tables, footnotes and code
//! blocks. This module imports nothing of the crate; the layers above it are
//! `critic` (marks), `render` (HTML) and `review` (workflow), in that order.
//!
//! ## Typography: the preview shows what the portal shows
//!
//! WordPress runs `wptexturize` on every post it displays: straight quotes and
//! apostrophes become curly, `--` and `---` dashes, `...` an ellipsis, a hyphen between
//! spaces an en dash, ` (tm)` a ™, `x` between numbers a ×. It leaves alone characters
//! that are typographic already, code (`<code>`, `<pre>`), attributes and entities. So
//! drafts are parsed with comrak's smart punctuation, plus [`parse`]'s pass for the three
//! rules comrak does not have: the preview shows the typographic characters, and the
//! publish (which serialises the same tree) sends them, so the portal has nothing left
//! to change. See docs/draft-format.md, "Typography".

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options};

/// How a draft's punctuation is rendered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Punctuation {
    /// As the portal shows it (curly quotes, dashes, ellipses): drafts, preview, publish.
    #[default]
    Typographic,
    /// As typed, as the CommonMark spec renders it: the conformance test.
    AsTyped,
}

/// GitHub-flavoured Markdown (tables, strikethrough, autolinks, task lists, footnotes),
/// safe mode on, typographic punctuation; `sourcepos` adds `data-sourcepos` to block
/// elements.
pub fn comrak_options(sourcepos: bool) -> Options<'static> {
    comrak_options_with(sourcepos, Punctuation::Typographic)
}

/// [`comrak_options`] with the punctuation chosen.
pub fn comrak_options_with(sourcepos: bool, punctuation: Punctuation) -> Options<'static> {
    let mut o = Options::default();
    o.extension.strikethrough = true;
    o.extension.table = true;
    o.extension.autolink = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    o.parse.smart = punctuation == Punctuation::Typographic;
    o.render.r#unsafe = false;
    o.render.sourcepos = sourcepos;
    o
}

/// Parses `markdown` with `options`; with smart punctuation on, also applies the
/// portal's remaining typography ([`portal_typography`]). Renderers that show or send
/// text parse through here, so the preview and the publish agree.
pub fn parse<'a>(arena: &'a Arena<'a>, markdown: &str, options: &Options) -> &'a AstNode<'a> {
    let root = comrak::parse_document(arena, markdown, options);
    if options.parse.smart {
        portal_typography(root);
    }
    root
}

/// `wptexturize`'s rules that comrak's smart punctuation lacks, applied to the text nodes
/// (never code, HTML or URLs): a hyphen with whitespace (or the edge of the text between
/// two tags) on both sides becomes an en dash, ` (tm)` becomes ` ™`, and `x` between two
/// numbers (`2x4`, not `0x1F`) becomes `×`. WordPress sees the text between tags as one
/// piece, so a node's neighbours (text, a line break) count as its surroundings.
pub fn portal_typography<'a>(root: &'a AstNode<'a>) {
    for node in root.descendants() {
        if !matches!(node.data().value, NodeValue::Text(_)) {
            continue;
        }
        let before = edge_char(node.previous_sibling(), true);
        let after = edge_char(node.next_sibling(), false);
        let mut data = node.data_mut();
        if let NodeValue::Text(t) = &mut data.value {
            if let Some(new) = texturize(t, before, after) {
                *t = new.into();
            }
        }
    }
}

/// The character next to a text node: a neighbouring text's last (`last`) or first
/// character, a soft break's newline; `None` where a tag is (the edge of WordPress's
/// piece of text).
fn edge_char<'a>(node: Option<&'a AstNode<'a>>, last: bool) -> Option<char> {
    let node = node?;
    match &node.data().value {
        NodeValue::Text(t) => {
            if last {
                t.chars().next_back()
            } else {
                t.chars().next()
            }
        }
        NodeValue::SoftBreak => Some('\n'),
        NodeValue::Escaped => edge_char(node.first_child(), last),
        _ => None,
    }
}

/// wptexturize's `$spaces`: whitespace, or the edge of the piece of text.
fn spacing(c: Option<char>) -> bool {
    c.is_none_or(|c| matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{a0}'))
}

/// PCRE's `\w` without the `u` flag, which wptexturize's patterns use: ASCII only.
fn word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn number_part(c: char) -> bool {
    c.is_ascii_digit() || c == '.' || c == ','
}

/// `text` with the three rules applied, or `None` when nothing changes.
fn texturize(text: &str, before: Option<char>, after: Option<char>) -> Option<String> {
    let times = text
        .as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_digit() && w[1] == b'x');
    if !times && !text.contains(['-', '‘']) && !text.contains(" (tm)") {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let at = |i: isize| -> Option<char> {
        if i < 0 {
            before
        } else {
            chars.get(i as usize).copied().or(after)
        }
    };
    let mut out: Vec<char> = chars.clone();
    let mut taken_until = 0usize;
    for (i, &c) in chars.iter().enumerate() {
        let ii = i as isize;
        match c {
            '-' if spacing(at(ii - 1)) && spacing(at(ii + 1)) => out[i] = '–',
            // An apostrophe for left-out digits: `'90s` (comrak opened a quote).
            '‘' if decade_at(&chars, i + 1, after) => out[i] = '’',
            'x' if i >= taken_until => {
                if let Some(end) = times_at(&chars, i, taken_until, before, after) {
                    out[i] = '×';
                    taken_until = end;
                }
            }
            _ => {}
        }
    }
    let mut out: String = out.into_iter().collect();
    for word in COCKNEY {
        let opened = format!("‘{word}");
        if out.contains(&opened) {
            out = out.replace(&opened, &format!("’{word}"));
        }
    }
    let out = out.replace(" (tm)", " ™");
    (out != text).then_some(out)
}

/// Words wptexturize starts with an apostrophe, not an opening quote (`'tis`): comrak
/// opens a quote there. (`'tain't` is `tain’t` once comrak has closed its second quote.)
const COCKNEY: [&str; 11] = [
    "tain’t", "twere", "twas", "tis", "twill", "til", "bout", "nuff", "round", "cause", "em",
];

/// wptexturize's `'(?=\d\d(?:\Z|(?![%\d]|[.,]\d)))`: two digits at `at`, then the end
/// or anything but a digit, `%`, or `.`/`,` before a digit.
fn decade_at(chars: &[char], at: usize, after: Option<char>) -> bool {
    let get = |i: usize| {
        chars
            .get(i)
            .copied()
            .or(if i == chars.len() { after } else { None })
    };
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    if !(digit(get(at)) && digit(get(at + 1))) {
        return false;
    }
    match get(at + 2) {
        None => true,
        Some(c) if c.is_ascii_digit() || c == '%' => false,
        Some('.' | ',') => !digit(get(at + 3)),
        Some(_) => true,
    }
}

/// wptexturize's `\b(\d(?(?<=0)[\d\.,]+|[\d\.,]*))x(\d[\d\.,]*)\b` with the `x` at `x`:
/// where the match ends (so matches do not overlap), or `None`.
fn times_at(
    chars: &[char],
    x: usize,
    from: usize,
    before: Option<char>,
    after: Option<char>,
) -> Option<usize> {
    let get = |i: usize| chars.get(i).copied().or(after);
    let prev = |i: usize| if i == 0 { before } else { Some(chars[i - 1]) };
    // The run of digits, dots and commas before the `x`.
    let mut run_start = x;
    while run_start > from && number_part(chars[run_start - 1]) {
        run_start -= 1;
    }
    let starts_ok = (run_start..x)
        .any(|p| chars[p].is_ascii_digit() && !word(prev(p)) && (chars[p] != '0' || x > p + 1));
    if !starts_ok {
        return None;
    }
    // A digit after, then digits, dots and commas, ending at a word boundary.
    if !get(x + 1).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut end = x + 2;
    while end < chars.len() && number_part(chars[end]) {
        end += 1;
    }
    (x + 2..=end)
        .rev()
        .find(|&k| word(Some(chars[k - 1])) != word(get(k)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_are_github_flavoured_safe_and_typographic() {
        let o = comrak_options(true);
        assert!(o.extension.table && o.extension.footnotes && o.extension.strikethrough);
        assert!(o.extension.autolink && o.extension.tasklist);
        assert!(!o.render.r#unsafe);
        assert!(o.parse.smart);
        assert!(!comrak_options_with(false, Punctuation::AsTyped).parse.smart);
        assert!(o.render.sourcepos && !comrak_options(false).render.sourcepos);
        let html = comrak::markdown_to_html("<script>x</script>\n", &comrak_options(false));
        assert!(!html.contains("<script"), "{html}");
    }

    fn texts(md: &str) -> String {
        let arena = Arena::new();
        let root = parse(&arena, md, &comrak_options(false));
        let mut out = String::new();
        for n in root.descendants() {
            match &n.data().value {
                NodeValue::Text(t) => out.push_str(t),
                NodeValue::Code(c) => out.push_str(&c.literal),
                NodeValue::SoftBreak => out.push('\n'),
                _ => {}
            }
        }
        out
    }

    /// Each case: what WordPress 6's wptexturize makes of the same text (checked against
    /// the test portal; `portal_typography.rs` in newsroom-publish checks it live).
    #[test]
    fn the_portals_rules_that_comrak_lacks() {
        assert_eq!(texts("a - b\n"), "a – b");
        assert_eq!(texts("- \\- x\n"), "– x");
        assert_eq!(texts("a-b, -5 degrees, a -b\n"), "a-b, -5 degrees, a -b");
        assert_eq!(texts("**Note** - then\n"), "Note – then");
        assert_eq!(texts("one -\ntwo\n"), "one –\ntwo");
        assert_eq!(texts("Brand (tm) and(tm)\n"), "Brand ™ and(tm)");
        assert_eq!(
            texts("a 2x4 and 1.5x3, 0x1F, 00x9, a2x4, 2x4b\n"),
            "a 2×4 and 1.5×3, 0x1F, 00×9, a2x4, 2x4b"
        );
        assert_eq!(texts("2x3x4 and 3x.\n"), "2x3x4 and 3x.");
        assert_eq!(texts("`a - b 2x4` a - b\n"), "a - b 2x4 a – b");
        assert_eq!(
            texts("it's the '90s, 'tis... rock 'n' roll, '100 '20% 'x'\n"),
            "it’s the ’90s, ’tis… rock ‘n’ roll, ’100 ’20% ‘x’"
        );
        // Where comrak opened a quote before a decade or a cockney word (it pairs quotes
        // across the paragraph), the apostrophe WordPress would write.
        assert_eq!(
            texturize("‘90s ‘99. ‘100 ‘20% ‘19.5 ‘tis ‘tain’t ‘x", None, None).as_deref(),
            Some("’90s ’99. ‘100 ‘20% ‘19.5 ’tis ’tain’t ‘x")
        );
    }

    #[test]
    fn comrak_does_quotes_dashes_and_ellipses() {
        assert_eq!(
            texts("\"Quoted\" and 'single', it's -- and --- wait...\n"),
            "“Quoted” and ‘single’, it’s – and — wait…"
        );
        let arena = Arena::new();
        let plain = parse(
            &arena,
            "\"a\" - b\n",
            &comrak_options_with(false, Punctuation::AsTyped),
        );
        let html = {
            let mut s = String::new();
            comrak::format_html(
                plain,
                &comrak_options_with(false, Punctuation::AsTyped),
                &mut s,
            )
            .unwrap();
            s
        };
        assert_eq!(html, "<p>&quot;a&quot; - b</p>\n");
    }
}
