//! The hashes a mark's id is made of: stable across machines and versions.

/// How far before a mark its context reaches, on its own line.
const CONTEXT_BYTES: usize = 32;

/// Tells identical marks apart (`{++,++}` in two sentences): a hash of at most
/// [`CONTEXT_BYTES`] before the mark on its line, folded to 16 bits.
pub(super) fn context_hash(text: &str, start: usize) -> u32 {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut from = start.saturating_sub(CONTEXT_BYTES).max(line_start);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let h = fnv1a(&text.as_bytes()[from..start]);
    (h >> 16) ^ (h & 0xffff)
}

/// FNV-1a, 32 bits: a hash that is the same on every machine and in every version (the
/// standard library's is not promised to be), for ids a CLI user may type.
pub(super) fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}
