//! Spelling of the editor's whole text, checked here rather than by the webview.
//!
//! Why not WebKitGTK's own checker: it marks only the words typed or passed by the caret,
//! never what a draft already holds when it opens, and its "Learn Spelling" has nowhere to
//! keep a word. So the page sends the text (the whole body when a draft opens, then the
//! lines an edit touched) and draws the words answered here as squiggles.
//!
//! The dictionaries are the system's hunspell ones (`/usr/share/hunspell`, the Debian
//! packages `hunspell-en-gb`, `hunspell-en-us`, …), read by `spellbook`, a pure-Rust
//! hunspell reader. The personal word list is a plain file, one word a line, beside the
//! settings (`words.txt` in the app's config folder), shared by every language.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult};

/// Where hunspell dictionaries are installed on Linux (Debian's and other distributions').
pub const SYSTEM_DICTIONARY_DIRS: [&str; 3] = [
    "/usr/share/hunspell",
    "/usr/share/myspell/dicts",
    "/usr/share/myspell",
];

/// The language used when the settings name none and the locale's has no dictionary.
pub const FALLBACK_LANGUAGE: &str = "en_US";

/// One word the dictionary does not know, as UTF-16 offsets into the text that was sent
/// (the page's editor counts in UTF-16 code units).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Misspelling {
    pub from: u32,
    pub to: u32,
}

/// The languages the system has dictionaries for, and the one in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct SpellLanguages {
    /// Hunspell names (`en_GB`, `de_DE`, …), sorted.
    pub available: Vec<String>,
    /// The language checked now; `None` when the system has no dictionary at all.
    pub current: Option<String>,
}

/// The hunspell languages with both files (`NAME.aff` and `NAME.dic`) in `dirs`, sorted,
/// each once (the first directory holding it wins).
pub fn available_languages(dirs: &[PathBuf]) -> Vec<(String, PathBuf)> {
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("dic") {
                continue;
            }
            let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            // hyphenation and thesaurus files share the folder on some systems
            if name.starts_with("hyph_") || name.starts_with("th_") {
                continue;
            }
            if path.with_extension("aff").is_file() && !found.iter().any(|(n, _)| n == name) {
                found.push((name.to_owned(), dir.clone()));
            }
        }
    }
    found.sort();
    found
}

/// The system's dictionary folders.
pub fn system_dirs() -> Vec<PathBuf> {
    SYSTEM_DICTIONARY_DIRS.iter().map(PathBuf::from).collect()
}

/// The language to check: the one the settings chose if it is installed, else the
/// locale's (`LANG=en_GB.UTF-8` → `en_GB`), else en_US, else the first installed.
pub fn choose_language(
    wanted: Option<&str>,
    locale: Option<&str>,
    available: &[String],
) -> Option<String> {
    let has = |l: &str| available.iter().any(|a| a == l);
    if let Some(w) = wanted.filter(|w| has(w)) {
        return Some(w.to_owned());
    }
    if let Some(l) = locale
        .map(|l| l.split(['.', '@']).next().unwrap_or(""))
        .filter(|l| has(l))
    {
        return Some(l.to_owned());
    }
    if has(FALLBACK_LANGUAGE) {
        return Some(FALLBACK_LANGUAGE.to_owned());
    }
    available.first().cloned()
}

/// A dictionary file as text: UTF-8, or (older myspell files) Latin-1.
fn read_dictionary_text(path: &Path) -> ApiResult<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| ApiError::Spelling(format!("cannot read {}: {e}", path.display())))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    Ok(match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    })
}

/// The personal word list: `words.txt` in the config folder, one word a line.
#[derive(Debug, Clone)]
pub struct PersonalWords {
    path: PathBuf,
}

impl PersonalWords {
    pub fn in_dir(config_dir: &Path) -> Self {
        PersonalWords {
            path: config_dir.join("words.txt"),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The words learnt so far (none when the file does not exist yet).
    pub fn load(&self) -> Vec<String> {
        std::fs::read_to_string(&self.path)
            .map(|t| {
                t.lines()
                    .map(str::trim)
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Adds `word` to the file (once), creating the folder and file when needed.
    pub fn learn(&self, word: &str) -> ApiResult<()> {
        let word = word.trim();
        if word.is_empty() || word.chars().any(char::is_whitespace) {
            return Err(ApiError::InvalidArgument(format!(
                "‘{word}’ is not one word"
            )));
        }
        let mut words = self.load();
        if words.iter().any(|w| w == word) {
            return Ok(());
        }
        words.push(word.to_owned());
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| ApiError::Spelling(format!("cannot create {}: {e}", dir.display())))?;
        }
        let tmp = self.path.with_extension("txt.tmp");
        let mut text = words.join("\n");
        text.push('\n');
        std::fs::write(&tmp, text)
            .and_then(|()| std::fs::rename(&tmp, &self.path))
            .map_err(|e| ApiError::Spelling(format!("cannot write {}: {e}", self.path.display())))
    }
}

/// A loaded dictionary with the personal words added.
pub struct Speller {
    language: String,
    dict: spellbook::Dictionary,
}

impl std::fmt::Debug for Speller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Speller")
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

impl Speller {
    /// Reads `DIR/LANGUAGE.aff` and `.dic` and adds the personal `words`.
    pub fn load(dir: &Path, language: &str, words: &[String]) -> ApiResult<Self> {
        let aff = read_dictionary_text(&dir.join(format!("{language}.aff")))?;
        let dic = read_dictionary_text(&dir.join(format!("{language}.dic")))?;
        let mut dict = spellbook::Dictionary::new(&aff, &dic)
            .map_err(|e| ApiError::Spelling(format!("the {language} dictionary: {e}")))?;
        for w in words {
            // a word the dictionary cannot take (a flag syntax in it) is skipped, not fatal
            let _ = dict.add(w);
        }
        Ok(Speller {
            language: language.to_owned(),
            dict,
        })
    }

    pub fn language(&self) -> &str {
        &self.language
    }

    /// Teaches the loaded dictionary one more word (the file is [`PersonalWords`]'s job).
    pub fn learn(&mut self, word: &str) {
        let _ = self.dict.add(word);
    }

    pub fn is_known(&self, word: &str) -> bool {
        self.dict.check(word)
    }

    /// Up to `max` replacements for `word`, best first.
    pub fn suggest(&self, word: &str, max: usize) -> Vec<String> {
        let mut out = Vec::new();
        self.dict.suggest(word, &mut out);
        out.truncate(max);
        out
    }

    /// The words of `text` the dictionary does not know. Code, URLs, e-mail addresses,
    /// HTML tags, link targets, words with digits and all-capitals words (acronyms) are
    /// not checked, nor any word of `names` (the byline's), also with a possessive `'s`.
    pub fn check(&self, text: &str, names: &[String]) -> Vec<Misspelling> {
        let names: HashSet<&str> = names
            .iter()
            .flat_map(|n| n.split(|c: char| !(c.is_alphabetic() || c == '\'' || c == '’')))
            .filter(|w| !w.is_empty())
            .collect();
        words(text)
            .into_iter()
            .filter(|w| {
                let plain = w.word.replace('’', "'");
                let stem = plain
                    .strip_suffix("'s")
                    .or_else(|| plain.strip_suffix('\''))
                    .unwrap_or(&plain);
                !(names.contains(w.word.as_str())
                    || names.contains(stem)
                    || self.dict.check(&plain)
                    || (stem != plain && self.dict.check(stem)))
            })
            .map(|w| Misspelling {
                from: w.from,
                to: w.to,
            })
            .collect()
    }
}

/// The checker the app keeps: the dictionary loaded once for the chosen language (again
/// when the setting changes), and the personal word list's file. Safe to share.
#[derive(Debug)]
pub struct SpellService {
    dirs: Vec<PathBuf>,
    personal: PersonalWords,
    loaded: std::sync::Mutex<Option<Speller>>,
}

impl SpellService {
    /// The system's dictionaries, the word list in `config_dir`.
    pub fn new(config_dir: &Path) -> Self {
        Self::with_dirs(system_dirs(), config_dir)
    }

    pub fn with_dirs(dirs: Vec<PathBuf>, config_dir: &Path) -> Self {
        SpellService {
            dirs,
            personal: PersonalWords::in_dir(config_dir),
            loaded: std::sync::Mutex::new(None),
        }
    }

    /// What is installed, and which language `wanted` (the setting) comes to.
    pub fn languages(&self, wanted: Option<&str>) -> SpellLanguages {
        let available: Vec<String> = available_languages(&self.dirs)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        let locale = std::env::var("LC_ALL")
            .ok()
            .filter(|v| !v.is_empty())
            .or_else(|| std::env::var("LC_MESSAGES").ok().filter(|v| !v.is_empty()))
            .or_else(|| std::env::var("LANG").ok());
        let current = choose_language(wanted, locale.as_deref(), &available);
        SpellLanguages { available, current }
    }

    /// Runs `f` with the speller for `wanted`, loading it first when the language changed.
    /// `None` when the system has no dictionary (nothing is then flagged).
    fn with<T>(
        &self,
        wanted: Option<&str>,
        f: impl FnOnce(&mut Speller) -> T,
    ) -> ApiResult<Option<T>> {
        let Some(language) = self.languages(wanted).current else {
            return Ok(None);
        };
        let mut loaded = self
            .loaded
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if loaded.as_ref().map(Speller::language) != Some(language.as_str()) {
            let dir = available_languages(&self.dirs)
                .into_iter()
                .find(|(n, _)| *n == language)
                .map(|(_, d)| d)
                .ok_or_else(|| ApiError::Spelling(format!("no {language} dictionary")))?;
            *loaded = Some(Speller::load(&dir, &language, &self.personal.load())?);
        }
        Ok(loaded.as_mut().map(f))
    }

    pub fn check(
        &self,
        wanted: Option<&str>,
        text: &str,
        names: &[String],
    ) -> ApiResult<Vec<Misspelling>> {
        Ok(self
            .with(wanted, |s| s.check(text, names))?
            .unwrap_or_default())
    }

    pub fn suggest(&self, wanted: Option<&str>, word: &str) -> ApiResult<Vec<String>> {
        Ok(self
            .with(wanted, |s| s.suggest(word, 8))?
            .unwrap_or_default())
    }

    /// Keeps `word` in the personal list and teaches the loaded dictionary at once.
    pub fn learn(&self, wanted: Option<&str>, word: &str) -> ApiResult<()> {
        self.personal.learn(word)?;
        self.with(wanted, |s| s.learn(word.trim()))?;
        Ok(())
    }
}

/// One word to check, with its UTF-16 offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub word: String,
    pub from: u32,
    pub to: u32,
}

/// The checkable words of a Markdown text (see [`Speller::check`] for what is skipped).
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut utf16: u32 = 0;
    let mut in_fence: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        let start = utf16;
        utf16 += line.encode_utf16().count() as u32;
        let trimmed = line.trim_start();
        if let Some(fence) = in_fence {
            if trimmed.starts_with(fence) {
                in_fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") {
            in_fence = Some("```");
            continue;
        }
        if trimmed.starts_with("~~~") {
            in_fence = Some("~~~");
            continue;
        }
        // an indented code block line, or a link reference definition
        if line.starts_with("    ") || line.starts_with('\t') || is_reference_definition(trimmed) {
            continue;
        }
        words_of_line(line, start, &mut out);
    }
    out
}

fn is_reference_definition(line: &str) -> bool {
    line.starts_with('[') && line.find("]:").is_some_and(|i| !line[..i].contains(']'))
}

fn words_of_line(line: &str, base: u32, out: &mut Vec<Word>) {
    let chars: Vec<(u32, char)> = {
        let mut at = base;
        line.chars()
            .map(|c| {
                let here = at;
                at += c.len_utf16() as u32;
                (here, c)
            })
            .collect()
    };
    let end_of = |i: usize| -> u32 {
        chars
            .get(i)
            .map(|&(p, _)| p)
            .unwrap_or_else(|| base + line.encode_utf16().count() as u32)
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        // inline code: to the closing run of the same length
        if c == '`' {
            let run = chars[i..].iter().take_while(|&&(_, c)| c == '`').count();
            let mut j = i + run;
            let mut closed = None;
            while j < chars.len() {
                if chars[j].1 == '`' {
                    let r = chars[j..].iter().take_while(|&&(_, c)| c == '`').count();
                    if r == run {
                        closed = Some(j + r);
                        break;
                    }
                    j += r;
                } else {
                    j += 1;
                }
            }
            i = closed.unwrap_or(i + run);
            continue;
        }
        // an HTML tag or autolink: to its `>`
        if c == '<'
            && chars
                .get(i + 1)
                .is_some_and(|&(_, n)| n.is_ascii_alphabetic() || n == '/' || n == '!')
        {
            if let Some(k) = chars[i..].iter().position(|&(_, c)| c == '>') {
                i += k + 1;
                continue;
            }
        }
        // a link or image target: `](…)`
        if c == ']' && chars.get(i + 1).is_some_and(|&(_, n)| n == '(') {
            if let Some(k) = chars[i..].iter().position(|&(_, c)| c == ')') {
                i += k + 1;
                continue;
            }
        }
        // a token between spaces that is a URL, an address or a path: skipped whole
        if !c.is_whitespace()
            && (i == 0 || chars[i - 1].1.is_whitespace() || "([\"'“‘".contains(chars[i - 1].1))
        {
            let len = chars[i..]
                .iter()
                .take_while(|&&(_, c)| !c.is_whitespace())
                .count();
            let token: String = chars[i..i + len].iter().map(|&(_, c)| c).collect();
            if token.contains("://")
                || token.starts_with("www.")
                || token.starts_with("mailto:")
                || (token.contains('@') && token.contains('.'))
                || (token.matches('/').count() > 1 && !token.contains("]("))
            {
                i += len;
                continue;
            }
        }
        if c.is_alphabetic() {
            let mut j = i;
            // letters, with apostrophes inside a word (don't, reporter’s)
            while j < chars.len() {
                let cj = chars[j].1;
                let apostrophe = (cj == '\'' || cj == '’')
                    && chars.get(j + 1).is_some_and(|&(_, n)| n.is_alphabetic());
                if cj.is_alphabetic() || cj == '\u{00AD}' || apostrophe {
                    j += 1;
                } else {
                    break;
                }
            }
            let before_digit = i > 0 && (chars[i - 1].1.is_ascii_digit() || chars[i - 1].1 == '_');
            let after_digit = chars
                .get(j)
                .is_some_and(|&(_, n)| n.is_ascii_digit() || n == '_');
            let word: String = chars[i..j]
                .iter()
                .map(|&(_, c)| c)
                .filter(|&c| c != '\u{00AD}')
                .collect();
            let letters = word.chars().filter(|c| c.is_alphabetic()).count();
            let all_caps = word
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase);
            if !before_digit && !after_digit && letters > 1 && !all_caps {
                out.push(Word {
                    word,
                    from: chars[i].0,
                    to: end_of(j),
                });
            }
            i = j;
            continue;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn ws(text: &str) -> Vec<String> {
        words(text).into_iter().map(|w| w.word).collect()
    }

    #[test]
    fn words_skip_code_urls_tags_and_targets() {
        let text = "Hello `codez here` wrold.\n```\nfenced stuf\n```\n    indented kode\n\
                    See https://exampel.org/x and <span class=\"foo\">bar</span> [text](pth/to/imgg.png).\n\
                    Mail a@exampel.org, NATO, 10th, x, don't stop.\n[ref]: http://refff\n";
        assert_eq!(
            ws(text),
            [
                "Hello", "wrold", "See", "and", "bar", "text", "Mail", "don't", "stop"
            ]
        );
    }

    #[test]
    fn offsets_are_utf16() {
        let text = "😀 café naïve";
        let w = words(text);
        assert_eq!(w[0].word, "café");
        assert_eq!((w[0].from, w[0].to), (3, 7));
        let units: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(
            String::from_utf16(&units[w[1].from as usize..w[1].to as usize]).unwrap(),
            "naïve"
        );
    }

    #[test]
    fn languages_and_choice() {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "en_GB.aff",
            "en_GB.dic",
            "de_DE.dic",
            "hyph_en_GB.dic",
            "hyph_en_GB.aff",
            "fr.aff",
            "fr.dic",
        ] {
            std::fs::write(dir.path().join(f), "").unwrap();
        }
        let found: Vec<String> = available_languages(&[dir.path().to_path_buf()])
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(found, ["en_GB", "fr"]);
        assert_eq!(
            choose_language(Some("fr"), Some("en_GB.UTF-8"), &found).as_deref(),
            Some("fr")
        );
        assert_eq!(
            choose_language(Some("de_DE"), Some("en_GB.UTF-8"), &found).as_deref(),
            Some("en_GB")
        );
        assert_eq!(
            choose_language(None, Some("C"), &found).as_deref(),
            Some("en_GB")
        );
        assert_eq!(choose_language(None, None, &[]), None);
    }

    /// A tiny hunspell dictionary, so the check is tested without the system's.
    fn tiny(words: &[String]) -> Speller {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("xx.aff"),
            "SET UTF-8\nTRY esiarntolcdugmphbyfvkwz'\nSFX S Y 1\nSFX S 0 s .\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("xx.dic"),
            "6\nthe\nreporter/S\nwrote\nstory/S\ncolour\ndon't\n",
        )
        .unwrap();
        Speller::load(dir.path(), "xx", words).unwrap()
    }

    #[test]
    fn check_finds_unknown_words_but_not_names_or_learnt_ones() {
        let sp = tiny(&[]);
        let text = "The reporters wrote the storey. Okonkwo's story, don't.";
        let bad: Vec<&str> = sp
            .check(text, &[])
            .iter()
            .map(|m| &text[m.from as usize..m.to as usize])
            .collect();
        assert_eq!(bad, ["storey", "Okonkwo's"]);
        let names = vec!["Ada Okonkwo".to_owned()];
        let bad: Vec<&str> = sp
            .check(text, &names)
            .iter()
            .map(|m| &text[m.from as usize..m.to as usize])
            .collect();
        assert_eq!(bad, ["storey"]);
        let mut learnt = tiny(&["storey".to_owned()]);
        assert!(learnt.check(text, &names).is_empty());
        learnt.learn("Okonkwo");
        assert!(learnt.check(text, &[]).is_empty());
        assert!(sp.suggest("stroy", 5).contains(&"story".to_owned()));
    }

    #[test]
    fn service_loads_learns_and_follows_the_setting() {
        let dicts = tempfile::tempdir().unwrap();
        let aff = "SET UTF-8\nTRY esiarntolcdugmphbyfvkwz'\n";
        for (lang, words) in [("aa", "2\nfoo\nbar\n"), ("bb", "2\nfoo\nbaz\n")] {
            std::fs::write(dicts.path().join(format!("{lang}.aff")), aff).unwrap();
            std::fs::write(dicts.path().join(format!("{lang}.dic")), words).unwrap();
        }
        let cfg = tempfile::tempdir().unwrap();
        let svc = SpellService::with_dirs(vec![dicts.path().to_path_buf()], cfg.path());
        assert_eq!(svc.languages(Some("bb")).available, ["aa", "bb"]);
        assert_eq!(
            svc.check(Some("aa"), "foo bar baz", &[]).unwrap(),
            [Misspelling { from: 8, to: 11 }]
        );
        assert_eq!(
            svc.check(Some("bb"), "foo bar baz", &[]).unwrap(),
            [Misspelling { from: 4, to: 7 }]
        );
        svc.learn(Some("bb"), "bar").unwrap();
        assert!(
            svc.check(Some("bb"), "foo bar baz", &[])
                .unwrap()
                .is_empty()
        );
        // the list is shared by the languages and read again on a switch
        assert_eq!(
            svc.check(Some("aa"), "foo bar baz", &[]).unwrap(),
            [Misspelling { from: 8, to: 11 }]
        );
        assert_eq!(
            std::fs::read_to_string(cfg.path().join("words.txt")).unwrap(),
            "bar\n"
        );
        let none = SpellService::with_dirs(vec![cfg.path().join("nothing")], cfg.path());
        assert!(none.check(None, "qqqq", &[]).unwrap().is_empty());
    }

    #[test]
    fn personal_words_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = PersonalWords::in_dir(&dir.path().join("cfg"));
        assert!(p.load().is_empty());
        p.learn("Okonkwo").unwrap();
        p.learn("Okonkwo").unwrap();
        p.learn("colour").unwrap();
        assert_eq!(p.load(), ["Okonkwo", "colour"]);
        assert!(p.learn("two words").is_err());
        assert_eq!(
            std::fs::read_to_string(p.path()).unwrap(),
            "Okonkwo\ncolour\n"
        );
    }

    /// The system's en_GB dictionary (hunspell-en-gb), where installed: British spellings
    /// pass, American ones are flagged.
    #[test]
    fn system_en_gb_when_installed() {
        let Some((_, dir)) = available_languages(&system_dirs())
            .into_iter()
            .find(|(n, _)| n == "en_GB")
        else {
            eprintln!("no en_GB dictionary on this system: skipped");
            return;
        };
        let sp = Speller::load(&dir, "en_GB", &[]).unwrap();
        let text = "The colour of the organisation's centre; the color.";
        let bad: Vec<&str> = sp
            .check(text, &[])
            .iter()
            .map(|m| &text[m.from as usize..m.to as usize])
            .collect();
        assert_eq!(bad, ["color"]);
    }
}
