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

/// Markdown reduced to the words a reader sees, for the full-text index and its
/// snippets: link targets, image paths, HTML tags and emphasis marks are dropped.
/// Cheap on purpose (a single pass, no parse): indexing ten thousand drafts must not
/// render ten thousand drafts.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let bytes = markdown.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            // `](target)` → drop the target.
            b']' if bytes.get(i + 1) == Some(&b'(') => {
                match markdown[i..].find(')') {
                    Some(end) => i += end + 1,
                    None => i += 1,
                }
                continue;
            }
            // `<tag ...>` and `<https://…>` are dropped; a lone `<` is kept.
            b'<' => {
                if let Some(end) = markdown[i..].find('>').filter(|e| *e < 200) {
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
}
