//! Counting words the way a desk does, and the plain text the search index keeps.

/// Words per minute used for "reading time"; the usual figure for news copy.
pub const READING_WORDS_PER_MINUTE: usize = 230;

/// Counts words in Markdown: runs of letters or digits, ignoring markup characters.
pub fn word_count(markdown: &str) -> usize {
    markdown
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .filter(|w| !w.starts_with("](") && !w.starts_with("http"))
        .count()
}

/// Whole minutes to read, at least one for any text.
pub fn reading_minutes(words: usize) -> usize {
    if words == 0 {
        0
    } else {
        words.div_ceil(READING_WORDS_PER_MINUTE)
    }
}

/// How far after a `<` its `>` may be for the two to be taken as a tag and dropped.
const MAX_TAG_BYTES: usize = 200;

/// Markdown reduced to the words a reader sees, for the full-text index and its
/// snippets: link targets, image paths, HTML tags and emphasis marks are dropped.
/// Cheap on purpose (a single pass, no parse): indexing ten thousand drafts must not
/// render ten thousand drafts.
///
/// Linear in the input whatever it holds: a draft is hostile input, and a search for a
/// closing `)` or `>` from every `](` or `<` would make one of `](` repeated a megabyte
/// long cost hours. The next `)` and the next `>` are each remembered until passed, so
/// every byte is read at most three times in all.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let bytes = markdown.as_bytes();
    let mut next_paren = NextByte::new(b')');
    let mut next_gt = NextByte::new(b'>');
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            // `](target)` → drop the target.
            b']' if bytes.get(i + 1) == Some(&b'(') => {
                match next_paren.at_or_after(bytes, i) {
                    Some(end) => i = end + 1,
                    None => i += 1,
                }
                continue;
            }
            // `<tag ...>` and `<https://…>` are dropped; a lone `<` is kept.
            b'<' => {
                let close = next_gt.at_or_after(bytes, i).map(|at| at - i);
                if let Some(end) = close.filter(|end| *end < MAX_TAG_BYTES) {
                    let inner = &markdown[i + 1..i + end];
                    if inner.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!')
                    {
                        i += end + 1;
                        out.push(' ');
                        continue;
                    }
                }
                out.push('<');
            }
            b'*' | b'_' | b'#' | b'`' | b'[' | b']' | b'|' | b'~' | b'>' | b'!' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            b'\n' | b'\r' | b'\t' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            _ => {
                // Copy a run of ordinary characters at once.
                let start = i;
                while i < bytes.len()
                    && !matches!(
                        bytes[i],
                        b']' | b'<'
                            | b'*'
                            | b'_'
                            | b'#'
                            | b'`'
                            | b'['
                            | b'|'
                            | b'~'
                            | b'>'
                            | b'!'
                            | b'\n'
                            | b'\r'
                            | b'\t'
                    )
                {
                    i += 1;
                }
                out.push_str(&markdown[start..i]);
                continue;
            }
        }
        i += 1;
    }
    out.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The next occurrence of one byte, remembered: asked from positions that only grow,
/// it reads each byte of the text at most once in all.
struct NextByte {
    byte: u8,
    /// Searched from `from` on, the answer was `found` (`None`: not in the rest).
    last: Option<(usize, Option<usize>)>,
    /// Bytes read by all searches, for the test that holds it to one pass.
    #[cfg(test)]
    read: usize,
}

impl NextByte {
    fn new(byte: u8) -> Self {
        NextByte {
            byte,
            last: None,
            #[cfg(test)]
            read: 0,
        }
    }

    fn at_or_after(&mut self, bytes: &[u8], from: usize) -> Option<usize> {
        if let Some((searched_from, found)) = self.last {
            if searched_from <= from && found.is_none_or(|f| f >= from) {
                return found;
            }
        }
        let found = bytes
            .get(from..)
            .and_then(|rest| rest.iter().position(|c| *c == self.byte))
            .map(|off| from + off);
        #[cfg(test)]
        {
            self.read += found.map_or(bytes.len(), |f| f + 1).saturating_sub(from);
        }
        self.last = Some((from, found));
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_not_markup() {
        assert_eq!(
            word_count("# Minsk talks\n\n**Three** sides met - and [left](https://x.org).\n"),
            7
        );
        assert_eq!(word_count(""), 0);
    }

    #[test]
    fn reading_time_rounds_up() {
        assert_eq!(reading_minutes(0), 0);
        assert_eq!(reading_minutes(1), 1);
        assert_eq!(reading_minutes(231), 2);
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text(
                "## Heading\n\nSome **bold** and a [link](https://example.org) <span class=x>here</span>. ![alt](images/a.jpg)"
            ),
            "Heading Some bold and a link here . alt"
        );
        assert_eq!(plain_text("a < b"), "a < b");
    }

    /// Inputs that made a scan per opener quadratic, or could: each repeated to a size.
    pub(crate) const PATHOLOGICAL: [&str; 14] = [
        "](", "<a", "[[", "{++", "`", "``a`", "<!--", "*", "_", "**a", "[a](", "![", "<", "\\",
    ];

    pub(crate) fn repeated(pattern: &str, bytes: usize) -> String {
        pattern.repeat(bytes / pattern.len())
    }

    #[test]
    fn a_paren_is_looked_for_once_whatever_the_number_of_link_openers() {
        let text = repeated("](", 100_000);
        let mut next = NextByte::new(b')');
        let mut asked = 0;
        for i in (0..text.len()).step_by(2) {
            assert_eq!(next.at_or_after(text.as_bytes(), i), None);
            asked += 1;
        }
        assert_eq!(asked, 50_000);
        assert_eq!(next.read, text.len());
        // Found ones are remembered until passed.
        let text = "](a)](b)](c)";
        let mut next = NextByte::new(b')');
        let found: Vec<_> = [0, 1, 4, 8, 11]
            .iter()
            .map(|i| next.at_or_after(text.as_bytes(), *i))
            .collect();
        assert_eq!(found, vec![Some(3), Some(3), Some(7), Some(11), Some(11)]);
        assert_eq!(next.read, text.len());
    }

    /// 4 MB of each pattern through what indexing runs on a body. Linear, that is well
    /// under a second each even unoptimised (20 MB in release is measured by the
    /// `pathological` benchmark, docs/performance.md); the scan per opener this replaces
    /// took 34 s at 2 MB and about four times that here, so a regression shows as a test
    /// that runs for minutes per pattern rather than as a flaky time limit.
    #[test]
    fn megabytes_of_pathological_markup_are_read_in_one_pass() {
        for pattern in PATHOLOGICAL {
            let text = repeated(pattern, 4 << 20);
            let plain = plain_text(&text);
            assert!(plain.len() <= text.len(), "{pattern}");
            let words = word_count(&text);
            assert!(words <= text.len(), "{pattern}");
        }
        assert_eq!(plain_text(&repeated("<a", 1000)), repeated("<a", 1000));
        assert_eq!(plain_text(&repeated("](", 1000)), repeated("(", 500));
        assert_eq!(plain_text(&"<b>x".repeat(1000)), "x ".repeat(999) + "x");
    }

    #[test]
    fn a_tag_is_only_dropped_when_it_closes_nearby() {
        let far = format!("<b{}> after", "x".repeat(MAX_TAG_BYTES));
        assert!(plain_text(&far).starts_with("<b"));
        let near = format!("<b{}> after", "x".repeat(MAX_TAG_BYTES - 3));
        assert_eq!(plain_text(&near), "after");
    }
}
