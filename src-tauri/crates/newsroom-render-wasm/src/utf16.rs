//! UTF-16 offsets (what the page's editor counts) to byte offsets (what Rust's strings
//! count) in the text the module keeps, without scanning from the text's start.
//!
//! Why: a keystroke names its place in UTF-16 code units; converting it by walking the
//! text from its start cost a scan of the draft up to the cursor on every keystroke, and
//! checking the page's length after the edit a scan of the rest: a cost that grows with
//! the draft when the rest of a keystroke's work does not. [`Utf16Index`] keeps, every few
//! kilobytes, a byte offset and its UTF-16 offset; a conversion walks from the nearest
//! one before it, and an edit moves the ones after it (a few dozen at 50,000 words) and
//! walks only the stretch it changed.

/// Bytes between two of the index's marks, at least (a mark is on a character boundary).
const STEP: usize = 4096;

/// The UTF-16 offsets of a text, kept as it is edited ([`Utf16Index::splice`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Utf16Index {
    /// `(byte offset, UTF-16 offset)` of character boundaries, ascending, the first
    /// `(0, 0)`; at most `2 * STEP` bytes apart (and from the text's end).
    marks: Vec<(usize, usize)>,
    /// The text's length in UTF-16 code units.
    units: usize,
}

impl Default for Utf16Index {
    fn default() -> Self {
        Utf16Index {
            marks: vec![(0, 0)],
            units: 0,
        }
    }
}

impl Utf16Index {
    /// The index of `text`, walking all of it once.
    pub fn of(text: &str) -> Self {
        let mut index = Utf16Index::default();
        let end = index.mark_from(text, 0, text.len());
        index.units = end;
        index
    }

    /// The text's length in UTF-16 code units.
    pub fn units(&self) -> usize {
        self.units
    }

    /// The byte offset of UTF-16 offset `units` in `text` (the text indexed), or `None`
    /// past its end or inside a surrogate pair.
    pub fn byte_of(&self, text: &str, units: usize) -> Option<usize> {
        let i = self.marks.partition_point(|m| m.1 <= units) - 1;
        let (byte, unit) = self.marks[i];
        utf16_to_byte(text, byte, units - unit)
    }

    /// Follows an edit of the text: bytes `start..end` (`removed_units` UTF-16 units) were
    /// replaced by `inserted`, giving `text`. The marks before the edit stay, those in it
    /// go, those after it move by what it added; then the stretch around it is marked
    /// again if it grew past twice the step.
    pub fn splice(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        removed_units: usize,
        inserted: &str,
    ) {
        let inserted_units = utf16_len(inserted);
        let (bytes_after, units_after) = (
            |b: usize| b - end + start + inserted.len(),
            |u: usize| u - removed_units + inserted_units,
        );
        let kept = self.marks.partition_point(|m| m.0 <= start);
        let moved = self.marks.partition_point(|m| m.0 < end).max(kept);
        let after: Vec<(usize, usize)> = self.marks[moved..]
            .iter()
            .map(|&(b, u)| (bytes_after(b), units_after(u)))
            .collect();
        self.marks.truncate(kept);
        let (from, _) = self.marks[kept - 1];
        let to = after.first().map_or(text.len(), |m| m.0);
        if to - from > 2 * STEP {
            self.mark_from(text, kept - 1, to);
        }
        self.marks.extend(after);
        self.units = units_after(self.units);
    }

    /// Adds marks every `STEP` bytes after mark `last` (the last one kept) up to byte `to`
    /// of `text`; returns the UTF-16 offset of `to`.
    fn mark_from(&mut self, text: &str, last: usize, to: usize) -> usize {
        let (mut byte, mut unit) = self.marks[last];
        loop {
            let mut next = (byte + STEP).min(to);
            while !text.is_char_boundary(next) {
                next += 1;
            }
            unit += utf16_len(&text[byte..next]);
            byte = next;
            if to - byte < STEP {
                return unit + utf16_len(&text[byte..to]);
            }
            self.marks.push((byte, unit));
        }
    }
}

/// The length of `text` in UTF-16 code units, eight ASCII bytes at a time.
pub fn utf16_len(text: &str) -> usize {
    let b = text.as_bytes();
    let (mut n, mut i) = (0, 0);
    while i < b.len() {
        if let Some(word) = b.get(i..i + 8)
            && word.is_ascii()
        {
            n += 8;
            i += 8;
            continue;
        }
        // a character's first byte counts one unit (two for four bytes), the rest none
        n += match b[i] {
            0x80..=0xBF => 0,
            0xF0..=0xFF => 2,
            _ => 1,
        };
        i += 1;
    }
    n
}

/// The byte offset `units` UTF-16 code units after byte `from` of `text` (a character
/// boundary), or `None` past the end or inside a character. Eight bytes at a time while
/// they are ASCII (one unit each): a draft is mostly ASCII.
pub fn utf16_to_byte(text: &str, from: usize, units: usize) -> Option<usize> {
    let b = text.as_bytes();
    let (mut at, mut left) = (from, units);
    while left >= 8 && at + 8 <= b.len() {
        let word = u64::from_le_bytes(b[at..at + 8].try_into().ok()?);
        if word & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        at += 8;
        left -= 8;
    }
    let mut chars = text.get(at..)?.chars();
    while left > 0 {
        let c = chars.next()?;
        let n = c.len_utf16();
        if n > left {
            return None; // half a surrogate pair
        }
        left -= n;
        at += c.len_utf8();
        // back to the fast loop over a run of ASCII
        if left >= 64 && b.get(at..at + 8).is_some_and(|w| w.is_ascii()) {
            return utf16_to_byte(text, at, left);
        }
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_lengths_count_units_not_bytes() {
        for text in [
            "",
            "abc",
            &"x".repeat(100),
            "é🙂x",
            &format!("{}“q”{}🙂", "a".repeat(17), "b".repeat(9)),
        ] {
            assert_eq!(utf16_len(text), text.encode_utf16().count(), "{text}");
        }
    }

    #[test]
    fn utf16_offsets_become_byte_offsets() {
        let text = format!("{}é🙂{}x", "a".repeat(20), "b".repeat(70));
        assert_eq!(utf16_to_byte(&text, 0, 20), Some(20));
        assert_eq!(utf16_to_byte(&text, 0, 21), Some(22));
        assert_eq!(
            utf16_to_byte(&text, 0, 22),
            None,
            "inside the surrogate pair"
        );
        assert_eq!(utf16_to_byte(&text, 0, 23), Some(26));
        assert_eq!(utf16_to_byte(&text, 0, 94), Some(97));
        assert_eq!(utf16_to_byte(&text, 22, 73), Some(97));
        assert_eq!(utf16_to_byte(&text, 0, 95), None);
    }

    /// The index's answers are those of a walk from the text's start.
    fn check(index: &Utf16Index, text: &str, probes: impl Iterator<Item = usize>) {
        assert_eq!(index.units(), text.encode_utf16().count());
        for u in probes {
            assert_eq!(
                index.byte_of(text, u),
                utf16_to_byte(text, 0, u),
                "unit {u}"
            );
        }
    }

    #[test]
    fn the_index_follows_thousands_of_edits() {
        let mut seed = 5u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n.max(1)
        };
        let pieces = [
            "a",
            "é",
            "🙂",
            "“q”",
            "\n\n",
            &"word ".repeat(900),
            &"ü🙂".repeat(700),
        ];
        let mut text = "Some text. ".repeat(3000) + &"Ünïcödé 🙂 ".repeat(500);
        let mut index = Utf16Index::of(&text);
        for step in 0..1500 {
            let units = index.units();
            let from = next(units + 1);
            let to = (from + if next(4) == 0 { next(9000) } else { next(3) }).min(units);
            let (Some(start), Some(end)) = (index.byte_of(&text, from), index.byte_of(&text, to))
            else {
                continue; // inside a surrogate pair: the page never sends it
            };
            let inserted = if next(3) == 0 {
                ""
            } else {
                pieces[next(pieces.len())]
            };
            let removed_units = to - from;
            text.replace_range(start..end, inserted);
            index.splice(&text, start, end, removed_units, inserted);
            // every mark is at a character boundary and counts the units before it
            let mut counted = (0, 0);
            for &(b, u) in &index.marks {
                assert!(text.is_char_boundary(b), "step {step}");
                counted = (b, counted.1 + text[counted.0..b].encode_utf16().count());
                assert_eq!(counted.1, u, "step {step}");
            }
            assert!(
                index.marks.windows(2).all(|w| w[0].0 < w[1].0),
                "step {step}"
            );
            let probes = [
                0,
                from,
                to.min(index.units()),
                index.units(),
                index.units() + 1,
            ];
            check(
                &index,
                &text,
                probes.into_iter().chain((0..20).map(|_| next(units))),
            );
        }
        // a conversion walks two steps at most
        let ends = index.marks.iter().map(|m| m.0).chain([text.len()]);
        let longest = ends
            .clone()
            .zip(ends.skip(1))
            .map(|(a, b)| b - a)
            .max()
            .unwrap_or(0);
        assert!(longest <= 2 * STEP, "{longest}");
    }
}
