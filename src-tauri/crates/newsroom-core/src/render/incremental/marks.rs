//! The figures of a body with CriticMarkup marks, from its pieces.

use super::Piece;
use crate::render::tracked::{self, Marked};

/// Words and characters of a body with marks, as the full render counts them (in the
/// text with every suggestion accepted, comments gone): a piece no mark takes anything
/// out of counts as it was counted alone; the others are counted from the accepted text,
/// pieces joined where a mark takes out the line break between them (a word may then
/// span them).
pub(super) fn counts(body: &str, marked: &Marked, pieces: &[Piece]) -> (usize, usize) {
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
        if i == j && !touched(from, to) {
            words += pieces[i].render.words;
            characters += pieces[i].render.characters;
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
        }
        i = j + 1;
    }
    (words, characters)
}
