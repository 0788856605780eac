//! A realistic newsroom archive, deterministic from a seed: drafts of a few hundred to a
//! few thousand words (some long), drawn from a ≈ 30,000-word vocabulary with a Zipf-like
//! distribution, with people's names, places, the portal's ten categories, statuses, tags
//! and dates spread over ten years (front matter and file mtimes).
//!
//! Shared by the archive benchmark (`benches/archive/main.rs`, 100,000 drafts) and the
//! tests (a few dozen drafts), so what is measured is what is tested.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

/// The portal's categories (`tests/portal/wp-setup.php`).
pub const CATEGORIES: &[&str] = &[
    "Business",
    "Entertainment",
    "Environment",
    "Health",
    "News Analysis",
    "Opinion",
    "Science",
    "Sports",
    "Technology",
    "World",
];
pub const STATUSES: &[&str] = &[
    "published",
    "published",
    "published",
    "published",
    "published",
    "published",
    "draft",
    "in-review",
    "changes-requested",
    "approved",
    "scheduled",
];
const FIRST: &[&str] = &[
    "Ana", "Carl", "Edith", "Olga", "Samir", "Lena", "Tomás", "Ingrid", "Yusuf", "Mei", "Pavel",
    "Amara", "Jonas", "Sofia", "Kwame", "Elena", "Rahul", "Marta", "Hugo", "Aiko", "Dmitri",
    "Fatima", "Lars", "Nadia", "Oscar", "Priya", "Quentin", "Rosa", "Stefan", "Tariq", "Ursula",
    "Viktor", "Wen", "Ximena", "Yara", "Zoltan", "Bjorn", "Chiara", "Diego", "Esther",
];
const LAST: &[&str] = &[
    "Kovač",
    "Brandt",
    "Moreau",
    "Petrenko",
    "Haddad",
    "Fischer",
    "Ruiz",
    "Lindqvist",
    "Okafor",
    "Tanaka",
    "Novak",
    "Mensah",
    "Rossi",
    "Schmidt",
    "Dubois",
    "Kowalski",
    "Ivanova",
    "Nakamura",
    "Andersen",
    "Costa",
    "Horvat",
    "Jansen",
    "Khan",
    "Lopez",
    "Murphy",
    "Nielsen",
    "Oliveira",
    "Popescu",
    "Quinn",
    "Romero",
    "Sato",
    "Thorsen",
    "Umarov",
    "Varga",
    "Wagner",
    "Yilmaz",
    "Zielinski",
    "Lukashenko",
    "Adeyemi",
    "Bergstrom",
    "Castellano",
    "Delacroix",
    "Eriksen",
    "Fontaine",
    "Gallagher",
    "Hoffmann",
    "Iglesias",
    "Jovanovic",
    "Karlsson",
    "Lefebvre",
];
const PLACES: &[&str] = &[
    "Minsk",
    "Kyiv",
    "Warsaw",
    "Berlin",
    "Paris",
    "Lisbon",
    "Madrid",
    "Rome",
    "Vienna",
    "Prague",
    "Budapest",
    "Zagreb",
    "Belgrade",
    "Athens",
    "Istanbul",
    "Ankara",
    "Cairo",
    "Lagos",
    "Nairobi",
    "Accra",
    "Johannesburg",
    "Delhi",
    "Mumbai",
    "Dhaka",
    "Karachi",
    "Beijing",
    "Shanghai",
    "Tokyo",
    "Seoul",
    "Manila",
    "Jakarta",
    "Sydney",
    "Auckland",
    "Lima",
    "Bogotá",
    "Caracas",
    "Santiago",
    "Brasília",
    "Montevideo",
    "Havana",
    "Mexico",
    "Toronto",
    "Chicago",
    "Boston",
    "Denver",
    "Seattle",
    "Oslo",
    "Stockholm",
    "Helsinki",
    "Tallinn",
    "Riga",
    "Vilnius",
    "Dublin",
    "Glasgow",
    "Brussels",
    "Rotterdam",
    "Hamburg",
    "Munich",
    "Geneva",
    "Marseille",
];
/// The most frequent words of English news copy, in rough frequency order: the head of
/// the Zipf curve. The rest of the vocabulary is made of syllables.
const HEAD: &str = "the of to and a in that for on is said was with he it as at by from his be \
have has an are but not they who were its had been this which their after more would will \
one about up also year there or new two than when other people out into last over first \
government minister we years could she some time all if can her no police told what our \
president state so officials million because before city country week where while three \
since during percent against between public under court health being many those council \
only most them party report market prices company workers school local national election \
budget talks officials vote plan deal crisis water energy power bank trade talks hospital \
staff rail freight border army ceasefire negotiations tariffs inflation minister mayor \
judge ruling protest strike union farmers students teachers doctors nurses patients drivers \
season match goal coach league final museum festival film album novel storm flood drought \
heat wind emissions carbon climate research study data scientists vaccine virus outbreak \
court trial verdict appeal sentence prison investigation fraud bribery corruption scandal";
const SYLLABLES: &[&str] = &[
    "ba", "ri", "to", "ne", "sa", "lo", "mi", "ka", "de", "vu", "po", "ster", "gra", "len", "cor",
    "tis", "mon", "qua", "fel", "dri", "ple", "sun", "hav", "wen", "zor", "bel", "cat", "ion",
    "ment", "ous", "ive", "ar", "en", "ul", "ost", "pra", "tro", "gen", "lim", "nar",
];

/// splitmix64: small, fast and the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64 * n as f64) as usize % n.max(1)
    }
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// The vocabulary and its Zipf distribution (exponent 1.0, as in natural text).
pub struct Vocabulary {
    pub words: Vec<String>,
    cdf: Vec<f64>,
}

impl Vocabulary {
    pub fn new(size: usize) -> Vocabulary {
        let mut words: Vec<String> = Vec::with_capacity(size);
        let mut seen = std::collections::HashSet::new();
        for w in HEAD.split_whitespace() {
            if seen.insert(w.to_owned()) {
                words.push(w.to_owned());
            }
        }
        // Syllable words of growing length: deterministic, pronounceable, all distinct.
        let mut rng = Rng::new(0x005E_ED0F_u64);
        while words.len() < size {
            let n = 2 + rng.below(3);
            let w: String = (0..n).map(|_| rng.pick(SYLLABLES)).collect();
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let mut cdf = Vec::with_capacity(size);
        let mut total = 0.0;
        for rank in 1..=size {
            total += 1.0 / rank as f64;
            cdf.push(total);
        }
        for c in &mut cdf {
            *c /= total;
        }
        Vocabulary { words, cdf }
    }

    /// A word drawn by frequency.
    pub fn draw(&self, rng: &mut Rng) -> &str {
        let u = rng.unit();
        let i = self
            .cdf
            .partition_point(|&c| c < u)
            .min(self.words.len() - 1);
        &self.words[i]
    }
}

/// Words in a draft's body: most 300–1,500, a tenth up to 4,000, one in a hundred up to 12,000.
fn body_words(rng: &mut Rng) -> usize {
    let u = rng.unit();
    if u < 0.01 {
        6_000 + rng.below(6_000)
    } else if u < 0.11 {
        1_500 + rng.below(2_500)
    } else {
        300 + rng.below(1_200)
    }
}

/// Ten years of copy: 2016-01-01 to 2025-12-31.
const START_S: u64 = 1_451_606_400;
const SPAN_S: u64 = 10 * 365 * 86_400;

/// One draft: its path relative to the folder, its text and its modification time.
pub fn draft(vocab: &Vocabulary, tags: &[String], seed: u64, i: usize) -> (String, String, u64) {
    let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    let category = rng.pick(CATEGORIES);
    let person = format!("{} {}", rng.pick(FIRST), rng.pick(LAST));
    let place = rng.pick(PLACES);
    // The story's own words: drawn from the vocabulary's middle and repeated, as a story
    // repeats its subject (what makes a rare word's best hits meaningful).
    let topic: Vec<&str> = (0..3)
        .map(|_| vocab.words[200 + rng.below(vocab.words.len() - 200)].as_str())
        .collect();
    let when = START_S + (rng.unit() * SPAN_S as f64) as u64;
    let (y, m, d) = civil(when / 86_400);
    let title = format!(
        "{} {} {} in {}",
        capital(topic[0]),
        vocab.draw(&mut rng),
        topic[1],
        place
    );
    let ntags = 1 + rng.below(4);
    let mut mine: Vec<&str> = Vec::new();
    while mine.len() < ntags {
        // Tags are Zipf-distributed too: a few are on thousands of drafts.
        let t = &tags[((tags.len() as f64).powf(rng.unit()) as usize).saturating_sub(1)];
        if !mine.contains(&t.as_str()) {
            mine.push(t);
        }
    }
    let mut text = String::with_capacity(8_192);
    text.push_str("---\n");
    text.push_str(&format!("title: \"{title}\"\n"));
    text.push_str(&format!("categories: [{category}]\n"));
    text.push_str(&format!("tags: [{}]\n", mine.join(", ")));
    text.push_str(&format!("status: {}\n", rng.pick(STATUSES)));
    text.push_str(&format!("author: {} {}\n", rng.pick(FIRST), rng.pick(LAST)));
    text.push_str(&format!("publish_at: {y:04}-{m:02}-{d:02}T09:30:00Z\n"));
    text.push_str("---\n\n");
    let total = body_words(&mut rng);
    let mut written = 0;
    let mut paragraph = 0;
    while written < total {
        paragraph += 1;
        if paragraph % 6 == 3 {
            text.push_str(&format!(
                "## {} {}\n\n",
                capital(vocab.draw(&mut rng)),
                topic[2]
            ));
        }
        let sentences = 2 + rng.below(4);
        for s in 0..sentences {
            let len = 8 + rng.below(18);
            for k in 0..len {
                let r = rng.below(100);
                let w: &str = if r < 4 {
                    topic[rng.below(3)]
                } else if r == 4 {
                    &person
                } else if r == 5 {
                    place
                } else {
                    vocab.draw(&mut rng)
                };
                if k == 0 {
                    text.push_str(&capital(w));
                } else {
                    text.push(' ');
                    text.push_str(w);
                }
            }
            text.push_str(if s + 1 == sentences { ".\n\n" } else { ". " });
            written += len;
        }
    }
    let rel = format!(
        "{}/{y:04}/{}-{i:06}.md",
        category.to_lowercase().replace(' ', "-"),
        slugify(&title)
    );
    (rel, text, when)
}

/// The tag list: the portal's categories' neighbours, places and topic words.
pub fn tag_list(vocab: &Vocabulary) -> Vec<String> {
    let mut tags: Vec<String> = PLACES.iter().map(|p| p.to_string()).collect();
    tags.extend(vocab.words[150..400].iter().cloned());
    tags
}

/// Writes `n` drafts under `out` (mtimes set to each draft's date). Returns the bytes written.
pub fn write_archive(out: &Path, n: usize, seed: u64) -> std::io::Result<u64> {
    let vocab = Vocabulary::new(30_000);
    let tags = tag_list(&vocab);
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    let bytes = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (vocab, tags, bytes) = (&vocab, &tags, &bytes);
                s.spawn(move || -> std::io::Result<()> {
                    for i in (t..n).step_by(threads) {
                        let (rel, text, when) = draft(vocab, tags, seed, i);
                        let path = out.join(&rel);
                        if let Some(dir) = path.parent() {
                            std::fs::create_dir_all(dir)?;
                        }
                        let mut f = std::fs::File::create(&path)?;
                        f.write_all(text.as_bytes())?;
                        f.set_modified(UNIX_EPOCH + Duration::from_secs(when))?;
                        bytes.fetch_add(text.len() as u64, std::sync::atomic::Ordering::Relaxed);
                    }
                    Ok(())
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .unwrap_or_else(|_| Err(std::io::Error::other("panic")))
        })
    })?;
    Ok(bytes.into_inner())
}

fn capital(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's algorithm).
fn civil(days: u64) -> (i64, u32, u32) {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}
