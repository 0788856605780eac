//! A small seeded generator shared by the random-edit tests and the core benchmark:
//! every run makes the same text and the same edits, and a failing seed replays exactly.
//! (Included by `#[path]`: a file under `tests/support/` is not a test of its own.)

pub struct Lcg(pub u64);

// not every user needs every method (the benchmark picks, the tests also draw numbers)
#[allow(dead_code)]
impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() as usize) % n.max(1)
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}
