//! The figures of a body with CriticMarkup marks, from its pieces.

use std::sync::Arc;

use super::rendered::{Piece, Rendered, common_prefix, common_suffix};
use crate::render::tracked::{self, Marked};

/// Words and characters of a body with marks, as the full render counts them (in the
/// text with every suggestion accepted, comments gone): a piece no mark takes anything
/// out of counts as it was counted alone; the others are counted from the accepted text,
/// pieces joined where a mark takes out the line break between them (a word may then
/// span them).
///
/// A group's figures depend only on its pieces' texts as comrak was given them (the
/// tokens say which delimiters pair and how), so they are kept in `cache` by the
/// renders of its pieces and reused while those are.
pub(super) fn counts(
    body: &str,
    marked: &Marked,
    pieces: &[Piece],
    cache: &mut GroupCounts,
) -> (usize, usize) {
    let mut kept = GroupCounts::default();
    let mut cursor = 0;
    let dropped = marked.dropped();
    // each piece's start in the body: the tokens before it are longer than their delimiters
    let mut starts = Vec::with_capacity(pieces.len() + 1);
    let mut delimiters = marked.delimiters.iter().peekable();
    let mut extra = 0;
    for p in pieces {
        while let Some((d, i)) = delimiters.next_if(|(d, _)| d.at + extra < p.start) {
            extra += tracked::token_len(*i) - d.len;
        }
        starts.push(p.start - extra);
    }
    starts.push(body.len());
    let inside = |b: usize| {
        let k = dropped.partition_point(|r| r.end <= b);
        dropped.get(k).is_some_and(|r| r.start < b)
    };
    let touched = |from: usize, to: usize| {
        let k = dropped.partition_point(|r| r.end <= from);
        dropped.get(k).is_some_and(|r| r.start < to)
    };
    let (mut words, mut characters) = (0, 0);
    let mut i = 0;
    while i < pieces.len() {
        let mut j = i;
        while j + 1 < pieces.len() && inside(starts[j + 1]) {
            j += 1;
        }
        let (from, to) = (starts[i], starts[j + 1]);
        let group: Group = pieces[i..=j].iter().map(|p| p.render.clone()).collect();
        // the groups come in the body's order: looked for from the last one found
        let same = |(g, _): &(Group, _)| {
            g.len() == group.len() && g.iter().zip(&group).all(|(a, b)| Arc::ptr_eq(a, b))
        };
        let known = cache.0[cursor..].iter().position(same).map(|k| {
            cursor += k + 1;
            &cache.0[cursor - 1]
        });
        if i == j && !touched(from, to) {
            words += pieces[i].render.words;
            characters += pieces[i].render.characters;
        } else if let Some((_, (w, c))) = known {
            words += w;
            characters += c;
            kept.0.push((group, (*w, *c)));
        } else {
            let mut reading = String::with_capacity(to - from);
            let mut pos = from;
            let k = dropped.partition_point(|r| r.end <= from);
            for r in dropped[k..].iter().take_while(|r| r.start < to) {
                if r.start > pos {
                    reading.push_str(&body[pos..r.start]);
                }
                pos = pos.max(r.end);
            }
            if pos < to {
                reading.push_str(&body[pos..to]);
            }
            let stats = crate::render::article::stats_of(&reading);
            words += stats.words;
            characters += stats.characters;
            kept.0.push((group, (stats.words, stats.characters)));
        }
        i = j + 1;
    }
    *cache = kept;
    (words, characters)
}

/// The figures of the groups of pieces a mark takes text out of, by their pieces' renders.
#[derive(Debug, Default)]
pub(super) struct GroupCounts(Vec<(Group, (usize, usize))>);

/// The renders of a group's pieces, in order.
type Group = Vec<Arc<Rendered>>;

/// The last body's marks, as [`Marked::of`] found them.
#[derive(Debug, Default)]
pub(super) struct LastMarks {
    /// The last body, as written.
    body: String,
    marks: Vec<crate::critic::Mark>,
    delimiters: Vec<(crate::critic::Delimiter, usize)>,
}

impl LastMarks {
    /// Keeps what `marked` found in `body`, for the next edit.
    pub(super) fn keep(&mut self, body: &str, marked: Option<Marked>) {
        self.body.clear();
        // a body without marks is not copied: the next one is paired afresh if it has any
        let Some(m) = marked else {
            self.clear();
            return;
        };
        self.body.push_str(body);
        self.marks = m.marks;
        self.delimiters = m.delimiters;
    }

    pub(super) fn clear(&mut self) {
        self.body.clear();
        self.marks.clear();
        self.delimiters.clear();
    }

    /// `body`'s marks without pairing them again over the whole body, when the edit
    /// from the last body cannot have changed them: `last_text` is the last body's text
    /// as comrak was given it. `None` when it might have (then [`Marked::of`] finds them).
    ///
    /// The pairing depends on the delimiters and on where code is; the ids on the marks'
    /// own text and the line before them. An edit that only writes or deletes letters,
    /// digits, spaces and quiet punctuation (no newline, nothing of a delimiter, a code
    /// span, an HTML tag, a list or footnote marker), with no `{`, `}`, `<`, `>`, `` ` ``,
    /// `~` or `\` within three bytes of it, after a letter on a line that holds no `<` and
    /// no mark, changes none of them: its line keeps its kind (its start is untouched and
    /// neither blank before nor after), so every block, code block and code span keeps its
    /// extent, and no delimiter is made, unmade or moved into or out of code.
    pub(super) fn reuse(&mut self, body: &str, last_text: &str) -> Option<Marked<'static>> {
        if self.body.is_empty() || last_text.is_empty() {
            return None;
        }
        let (o, n) = (self.body.as_bytes(), body.as_bytes());
        let p = common_prefix(o, n);
        let s = common_suffix(o, n, o.len().min(n.len()) - p);
        let (oe, ne) = (o.len() - s, n.len() - s);
        let quiet = |b: &u8| {
            b.is_ascii_alphanumeric()
                || matches!(b, b' ' | b'.' | b',' | b';' | b'!' | b'?' | b'\'' | b'"')
                || (*b >= 0x80 && *b != 0xEF)
        };
        if !o[p..oe].iter().all(quiet) || !n[p..ne].iter().all(quiet) {
            return None;
        }
        let near = |t: &[u8], to: usize| {
            t[p.saturating_sub(3)..(to + 3).min(t.len())]
                .iter()
                .any(|b| matches!(b, b'{' | b'}' | b'<' | b'>' | b'`' | b'~' | b'\\' | b'\r'))
        };
        if near(o, oe) || near(n, ne) {
            return None;
        }
        let line_start = self.body[..p].rfind('\n').map_or(0, |i| i + 1);
        if !self.body[line_start..p].chars().any(char::is_alphabetic) {
            return None;
        }
        let old_end = self.body[oe..].find('\n').map_or(o.len(), |i| oe + i);
        let new_end = body[ne..].find('\n').map_or(n.len(), |i| ne + i);
        if o[line_start..old_end].contains(&b'<') || n[line_start..new_end].contains(&b'<') {
            return None;
        }
        if self
            .marks
            .iter()
            .any(|m| m.range.start <= old_end && m.range.end >= line_start)
        {
            return None;
        }
        // the same marks, those after the edit moved; the text comrak is given edited alike
        let mut extra = 0;
        for (d, i) in &self.delimiters {
            if d.at >= p {
                break;
            }
            extra += tracked::token_len(*i) - d.len;
        }
        let at = p + extra;
        let mut text = String::with_capacity(last_text.len() + ne - p);
        text.push_str(&last_text[..at]);
        text.push_str(&body[p..ne]);
        text.push_str(&last_text[at + oe - p..]);
        let moved = |x: usize| if x >= oe { x + ne - oe } else { x };
        let mut marks = std::mem::take(&mut self.marks);
        for m in &mut marks {
            m.range = moved(m.range.start)..moved(m.range.end);
        }
        let mut delimiters = std::mem::take(&mut self.delimiters);
        for (d, _) in &mut delimiters {
            d.at = moved(d.at);
        }
        Some(Marked {
            text: std::borrow::Cow::Owned(text),
            marks,
            delimiters,
        })
    }
}
