//! Where a draft's body is code, so that CriticMarkup inside it is left alone.
//!
//! Code blocks come from comrak itself (fenced and indented blocks, inside lists and
//! quotes too), so the marks agree with what the preview shows as code. Code spans are
//! found by a small scanner over the rest: backtick runs paired with a run of the same
//! length, within one paragraph, a backslash-escaped backtick not opening one.

use std::collections::HashMap;
use std::ops::Range;

use comrak::nodes::NodeValue;
use comrak::{Arena, parse_document};

use crate::markdown::comrak_options;

/// The code of a body, as sorted byte ranges.
#[derive(Debug, Default)]
pub(crate) struct CodeMap {
    /// Whole lines of fenced and indented code blocks.
    blocks: Vec<Range<usize>>,
    /// Inline code spans, backticks included.
    spans: Vec<Range<usize>>,
}

impl CodeMap {
    pub(crate) fn new(body: &str) -> CodeMap {
        let starts = line_starts(body);
        let blocks = code_blocks(body, &starts);
        let spans = code_spans(body, &blocks, &blank_lines(body, &starts));
        CodeMap { blocks, spans }
    }

    /// The code block or span that contains `pos`.
    pub(crate) fn code_at(&self, pos: usize) -> Option<Range<usize>> {
        containing(&self.blocks, pos).or_else(|| containing(&self.spans, pos))
    }
}

/// Where each blank line starts: a code span never crosses one.
fn blank_lines(body: &str, starts: &[usize]) -> Vec<usize> {
    starts
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            let end = starts.get(i + 1).copied().unwrap_or(body.len());
            **s < body.len() && body[**s..end].bytes().all(|b| b" \t\r\n".contains(&b))
        })
        .map(|(_, s)| *s)
        .collect()
}

fn containing(ranges: &[Range<usize>], pos: usize) -> Option<Range<usize>> {
    let i = ranges.partition_point(|r| r.end <= pos);
    ranges.get(i).filter(|r| r.start <= pos).cloned()
}

/// Byte offsets where lines start, as CommonMark counts lines (`\n`, `\r\n`, or a lone `\r`).
fn line_starts(body: &str) -> Vec<usize> {
    let b = body.as_bytes();
    let mut starts = vec![0];
    for (i, c) in b.iter().enumerate() {
        if *c == b'\n' || (*c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            starts.push(i + 1);
        }
    }
    starts
}

fn code_blocks(body: &str, starts: &[usize]) -> Vec<Range<usize>> {
    if !body.contains("```")
        && !body.contains("~~~")
        && !body.contains("    ")
        && !body.contains('\t')
    {
        return Vec::new();
    }
    let arena = Arena::new();
    let root = parse_document(&arena, body, &comrak_options(false));
    let mut blocks: Vec<Range<usize>> = root
        .descendants()
        .filter_map(|node| {
            let data = node.data();
            matches!(data.value, NodeValue::CodeBlock(_)).then(|| {
                let first = data.sourcepos.start.line.max(1) - 1;
                let last = data.sourcepos.end.line.max(1);
                let start = starts.get(first).copied().unwrap_or(body.len());
                let end = starts.get(last).copied().unwrap_or(body.len());
                start..end.max(start)
            })
        })
        .collect();
    blocks.sort_by_key(|r| r.start);
    blocks
}

fn code_spans(body: &str, blocks: &[Range<usize>], blank_lines: &[usize]) -> Vec<Range<usize>> {
    let b = body.as_bytes();
    let mut spans = Vec::new();
    // Once a search for a closer has read to its paragraph's end in vain: that end, and
    // where the last run of each length starts before it. A later opener in the same
    // paragraph then knows at once whether a closer follows (as cmark does), so a
    // paragraph of unmatched runs of many lengths costs one pass, not one per run.
    let mut read_to_end: Option<(usize, HashMap<usize, usize>)> = None;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'`' => {
                if let Some(block) = containing(blocks, i) {
                    i = block.end;
                    continue;
                }
                let run = b[i..].iter().take_while(|c| **c == b'`').count();
                let limit = {
                    let blank = blank_lines
                        .get(blank_lines.partition_point(|s| *s <= i))
                        .copied()
                        .unwrap_or(b.len());
                    let block = blocks
                        .get(blocks.partition_point(|r| r.start <= i))
                        .map_or(b.len(), |r| r.start);
                    blank.min(block)
                };
                let closer = match &read_to_end {
                    Some((end, last)) if *end == limit => {
                        match last.get(&run).filter(|at| **at >= i + run) {
                            Some(_) => closing_run(&b[..limit], i + run, run, None),
                            None => None,
                        }
                    }
                    _ => {
                        let mut last = HashMap::new();
                        let found = closing_run(&b[..limit], i + run, run, Some(&mut last));
                        if found.is_none() {
                            read_to_end = Some((limit, last));
                        }
                        found
                    }
                };
                match closer {
                    Some(end) => {
                        spans.push(i..end);
                        i = end;
                    }
                    None => i += run,
                }
            }
            _ => i += 1,
        }
    }
    spans
}

/// The end of the first run of exactly `run` backticks at or after `from` (which is not
/// inside a run). `seen` learns where the last run of each length it passes starts.
fn closing_run(
    b: &[u8],
    from: usize,
    run: usize,
    mut seen: Option<&mut HashMap<usize, usize>>,
) -> Option<usize> {
    let mut j = from;
    while j < b.len() {
        if b[j] == b'`' {
            let len = b[j..].iter().take_while(|c| **c == b'`').count();
            if len == run {
                return Some(j + len);
            }
            if let Some(seen) = seen.as_deref_mut() {
                seen.insert(len, j);
            }
            j += len;
        } else {
            j += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(body: &str) -> Vec<&str> {
        let map = CodeMap::new(body);
        let mut all: Vec<_> = map.blocks.iter().chain(&map.spans).cloned().collect();
        all.sort_by_key(|r| r.start);
        all.into_iter().map(|r| &body[r]).collect()
    }

    #[test]
    fn finds_blocks_and_spans() {
        assert_eq!(code("a `b` c ``d`e`` f\n"), vec!["`b`", "``d`e``"]);
        assert_eq!(code("a \\`b` c\n"), Vec::<&str>::new());
        assert_eq!(code("a `b\n\nc` d\n"), Vec::<&str>::new());
        assert_eq!(
            code("x\n\n```\n{++a++}\n```\ny `z`\n"),
            vec!["```\n{++a++}\n```\n", "`z`"]
        );
        assert_eq!(code("p\n\n    indented\n\nq\n"), vec!["    indented\n"]);
        assert_eq!(code("> ```\n> c\n> ```\n"), vec!["> ```\n> c\n> ```\n"]);
        assert_eq!(code("- item\n\n      code\n"), vec!["      code\n"]);
        assert_eq!(code("- item\n\n    more text\n"), Vec::<&str>::new());
    }

    #[test]
    fn unmatched_runs_of_many_lengths_cost_one_pass() {
        // Runs of 1, 2, …, 2,000 backticks in one paragraph, none with a closer: a search
        // per run would read about 2,000 × 2 MB.
        let body: String = (1..=2_000).map(|n| "`".repeat(n) + "a").collect();
        assert!(CodeMap::new(&body).spans.is_empty());
        assert_eq!(code("`a ``b`` ``` c `d` ```\n"), vec!["`a ``b`` ``` c `"]);
    }

    /// The spans as found before the closer search was remembered: one search per opener.
    fn spans_by_searching_from_every_opener(
        body: &str,
        blank_lines: &[usize],
    ) -> Vec<Range<usize>> {
        let b = body.as_bytes();
        let mut spans = Vec::new();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\\' => i += 2,
                b'`' => {
                    let run = b[i..].iter().take_while(|c| **c == b'`').count();
                    let limit = blank_lines
                        .get(blank_lines.partition_point(|s| *s <= i))
                        .copied()
                        .unwrap_or(b.len());
                    match closing_run(&b[..limit], i + run, run, None) {
                        Some(end) => {
                            spans.push(i..end);
                            i = end;
                        }
                        None => i += run,
                    }
                }
                _ => i += 1,
            }
        }
        spans
    }

    #[test]
    fn remembered_searches_pair_runs_as_searching_from_every_opener_does() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..2_000 {
            let len = (seed % 60) as usize;
            let body: String = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    ['`', '`', '`', 'a', ' ', '\\', '\n'][(seed % 7) as usize]
                })
                .collect();
            let map = CodeMap::new(&body);
            if !map.blocks.is_empty() {
                continue;
            }
            assert_eq!(
                map.spans,
                spans_by_searching_from_every_opener(
                    &body,
                    &blank_lines(&body, &line_starts(&body))
                ),
                "{body:?}"
            );
        }
    }
}
