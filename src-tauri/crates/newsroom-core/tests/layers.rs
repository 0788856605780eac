//! No circles between files, and the core's layers in order.
//!
//! Reads the sources of every crate of the workspace (`src-tauri/crates/*/src` and the
//! app's `src-tauri/src`), builds the file-level graph of `crate::…`, `super::…` and
//! `self::…` paths (in `use` items and in code; comments, strings and `#[cfg(test)]`
//! items left out), and fails naming the chain when files import each other, directly or
//! through others. A file's edges to its own `mod` children do not count: a module split
//! over a `mod.rs` and its submodules is one unit to its users, and the children may use
//! their parent's items. Edges the other way (a child using `super::…`) do count, so a
//! parent that uses a child that uses it back through a third file is still a circle.
//!
//! The core's layers, bottom up (each may use those below it, never those above):
//! `markdown.rs` (comrak's options) → `critic/` (CriticMarkup grammar and code map) →
//! `render/` (safe HTML, tracked changes) → `review/` (workflow, queue, locks,
//! notifications) → `settings.rs` (the user's settings, which hold their workflow role).
//! Checked on everything a layer reaches, not only its direct imports.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

// ───────────────────────────── tokens ─────────────────────────────

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    /// A string literal's contents (for `#[path = "…"]`).
    Str(String),
    PathSep,
    Punct(char),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: usize,
}

/// Rust tokens, enough for paths: comments dropped, literals opaque.
fn tokenize(src: &str) -> Vec<Token> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let n = chars.len();
    let count_lines =
        |from: usize, to: usize| chars[from..to].iter().filter(|c| **c == '\n').count();
    while i < n {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < n && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            let start = i;
            let mut depth = 0;
            while i < n {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            line += count_lines(start, i.min(n));
        } else if c == '"' {
            let start = i;
            i += 1;
            let mut text = String::new();
            while i < n && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                if i < n {
                    text.push(chars[i]);
                }
                i += 1;
            }
            i += 1;
            line += count_lines(start, i.min(n));
            out.push(Token {
                tok: Tok::Str(text),
                line,
            });
        } else if (c == 'r' || c == 'b') && raw_string_start(&chars, i).is_some() {
            let (hashes, body) = raw_string_start(&chars, i).unwrap_or((0, i));
            let start = i;
            i = body;
            let closing: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let closing: Vec<char> = closing.chars().collect();
            let mut text = String::new();
            while i < n && chars[i..].iter().take(closing.len()).ne(closing.iter()) {
                text.push(chars[i]);
                i += 1;
            }
            i += closing.len();
            line += count_lines(start, i.min(n));
            out.push(Token {
                tok: Tok::Str(text),
                line,
            });
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}') or a lifetime ('a).
            if chars.get(i + 1) == Some(&'\\') {
                i += 2;
                while i < n && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < n && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < n && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Ident(chars[start..i].iter().collect()),
                line,
            });
        } else if c.is_ascii_digit() {
            while i < n && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.') {
                i += 1;
            }
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push(Token {
                tok: Tok::PathSep,
                line,
            });
            i += 2;
        } else {
            out.push(Token {
                tok: Tok::Punct(c),
                line,
            });
            i += 1;
        }
    }
    out
}

/// `r"`, `r#"`, `br"`, `br#"` at `i`: the number of `#` and where the text starts.
fn raw_string_start(chars: &[char], i: usize) -> Option<(usize, usize)> {
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return None;
    }
    let mut j = i;
    if chars.get(j) == Some(&'b') {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        // b"…" is an ordinary string with a prefix.
        return (j > i && chars.get(j) == Some(&'"')).then_some((0, j + 1));
    }
    j += 1;
    let mut hashes = 0;
    while chars.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    (chars.get(j) == Some(&'"')).then_some((hashes, j + 1))
}

// ───────────────────────────── items ─────────────────────────────

/// What one file says: its `mod` children and the paths it uses.
#[derive(Debug, Default)]
struct FileFacts {
    /// `mod name;` (not under `#[cfg(test)]`): the child's name and its `#[path]`, if any.
    children: Vec<(String, Option<String>)>,
    /// Every `crate::`/`super::`/`self::` path, expanded from `use` groups: the inline
    /// module it was written in (relative to the file's module), the path, its line.
    paths: Vec<(Vec<String>, Vec<String>, usize)>,
}

fn is_ident(t: &Token, s: &str) -> bool {
    matches!(&t.tok, Tok::Ident(x) if x == s)
}

fn is_punct(t: &Token, c: char) -> bool {
    t.tok == Tok::Punct(c)
}

/// The index just past the bracketed group opening at `i` (`(`, `[` or `{`).
fn skip_group(toks: &[Token], i: usize) -> usize {
    let mut depth = 0i32;
    let mut j = i;
    while j < toks.len() {
        match toks[j].tok {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
        j += 1;
    }
    toks.len()
}

/// The index just past the item starting at `i`: to its `;` or its outermost `{…}`.
fn skip_item(toks: &[Token], mut i: usize) -> usize {
    while i < toks.len() {
        match toks[i].tok {
            Tok::Punct(';') => return i + 1,
            Tok::Punct('{') => {
                let end = skip_group(toks, i);
                // `struct X { … }` and `fn f() { … }` end here; `T { … };` is an
                // expression, not an item at this level.
                return if toks.get(end).is_some_and(|t| is_punct(t, ';')) {
                    end + 1
                } else {
                    end
                };
            }
            Tok::Punct('(' | '[') => i = skip_group(toks, i),
            _ => i += 1,
        }
    }
    toks.len()
}

/// Is the attribute `#[…]` spanning `toks[start..end]` a `cfg` that holds only in tests
/// (`cfg(test)`, `cfg(all(test, …))`)?
fn is_test_cfg(attr: &[Token]) -> bool {
    let idents: Vec<&str> = attr
        .iter()
        .filter_map(|t| match &t.tok {
            Tok::Ident(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    matches!(
        idents.as_slice(),
        ["cfg", "test", ..] | ["cfg", "all", "test", ..]
    )
}

/// The `path = "…"` of an attribute, if that is what it is.
fn path_attr(attr: &[Token]) -> Option<String> {
    match attr {
        [t, eq, s] if is_ident(t, "path") && is_punct(eq, '=') => match &s.tok {
            Tok::Str(p) => Some(p.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Expands a path tree at `i` (`a::b::{c, d::{self, e}}`) into full paths; returns
/// where it ends.
fn path_tree(
    toks: &[Token],
    mut i: usize,
    prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    let mut path = prefix;
    loop {
        match toks.get(i).map(|t| &t.tok) {
            Some(Tok::Ident(s)) => {
                path.push(s.clone());
                i += 1;
            }
            Some(Tok::Punct('{')) => {
                i += 1;
                loop {
                    match toks.get(i).map(|t| &t.tok) {
                        Some(Tok::Punct('}')) => return i + 1,
                        Some(Tok::Punct(',')) => i += 1,
                        None => return i,
                        Some(Tok::Ident(s))
                            if s == "self"
                                && !toks.get(i + 1).is_some_and(|t| t.tok == Tok::PathSep) =>
                        {
                            out.push(path.clone());
                            i += 1;
                        }
                        Some(_) => i = path_tree(toks, i, path.clone(), out),
                    }
                }
            }
            Some(Tok::Punct('*')) => {
                i += 1;
                break;
            }
            _ => break,
        }
        if toks.get(i).is_some_and(|t| t.tok == Tok::PathSep) {
            i += 1;
        } else {
            break;
        }
    }
    if !path.is_empty() {
        out.push(path);
    }
    i
}

fn facts(src: &str) -> FileFacts {
    let toks = tokenize(src);
    let mut facts = FileFacts::default();
    // Inline modules open at this point: (name, brace depth inside it).
    let mut inline: Vec<(String, i32)> = Vec::new();
    let mut depth = 0i32;
    let mut pending_path: Option<String> = None;
    // The file's `mod name;` children: a path starting with one (`article::render`)
    // reaches that child's file.
    let child_names: BTreeSet<String> = toks
        .windows(3)
        .filter(|w| is_ident(&w[0], "mod") && is_punct(&w[2], ';'))
        .filter_map(|w| match &w[1].tok {
            Tok::Ident(n) => Some(n.clone()),
            _ => None,
        })
        .collect();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        match &t.tok {
            Tok::Punct('#') => {
                let bang = toks.get(i + 1).is_some_and(|t| is_punct(t, '!'));
                let open = i + 1 + usize::from(bang);
                if toks.get(open).is_some_and(|t| is_punct(t, '[')) {
                    let end = skip_group(&toks, open);
                    let attr = &toks[open + 1..end.saturating_sub(1)];
                    if !bang && is_test_cfg(attr) {
                        // Skip the attribute, any further attributes, and the item.
                        let mut j = end;
                        while toks.get(j).is_some_and(|t| is_punct(t, '#')) {
                            j = skip_group(&toks, j + 1);
                        }
                        i = skip_item(&toks, j);
                        pending_path = None;
                        continue;
                    }
                    if let Some(p) = path_attr(attr) {
                        pending_path = Some(p);
                    }
                    i = end;
                    continue;
                }
                i += 1;
            }
            Tok::Ident(kw) if kw == "mod" => {
                if let (Some(Tok::Ident(name)), Some(next)) =
                    (toks.get(i + 1).map(|t| &t.tok), toks.get(i + 2))
                {
                    if is_punct(next, ';') {
                        if inline.is_empty() {
                            facts.children.push((name.clone(), pending_path.take()));
                        }
                        i += 3;
                        continue;
                    }
                    if is_punct(next, '{') {
                        depth += 1;
                        inline.push((name.clone(), depth));
                        i += 3;
                        pending_path = None;
                        continue;
                    }
                }
                i += 1;
            }
            Tok::Ident(head)
                if (head == "crate" || head == "super" || head == "self"
                    || (inline.is_empty() && child_names.contains(head)))
                && toks.get(i + 1).is_some_and(|t| t.tok == Tok::PathSep)
                // `$crate::…` in a macro is the crate's root as seen from outside.
                && !(i > 0 && is_punct(&toks[i - 1], '$'))
                // `a::self::b` never occurs; `x::crate` neither: only path starts.
                && !(i > 0 && toks[i - 1].tok == Tok::PathSep) =>
            {
                let mut paths = Vec::new();
                let start = if child_names.contains(head) {
                    vec!["self".to_owned()]
                } else {
                    Vec::new()
                };
                let end = path_tree(&toks, i, start, &mut paths);
                let here: Vec<String> = inline.iter().map(|(n, _)| n.clone()).collect();
                for p in paths {
                    facts.paths.push((here.clone(), p, t.line));
                }
                i = end.max(i + 1);
            }
            Tok::Punct('{') => {
                depth += 1;
                i += 1;
            }
            Tok::Punct('}') => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth -= 1;
                i += 1;
            }
            _ => {
                if is_punct(t, ';') {
                    pending_path = None;
                }
                i += 1;
            }
        }
    }
    facts
}

// ───────────────────────────── the graph ─────────────────────────────

/// One crate's files: module path → files (two with `#[path]` per platform), and per file
/// its module path and its paths.
#[derive(Debug, Default)]
struct CrateGraph {
    modules: BTreeMap<Vec<String>, Vec<String>>,
    /// file → (module path, facts)
    files: BTreeMap<String, (Vec<String>, FileFacts)>,
}

/// Walks the module tree from the crate root `root` (a file name in `sources`, which maps
/// `/`-separated file paths relative to the crate's `src` to their text).
fn crate_graph(sources: &BTreeMap<String, String>, root: &str) -> CrateGraph {
    let mut g = CrateGraph::default();
    let mut todo = vec![(root.to_owned(), Vec::<String>::new())];
    while let Some((file, module)) = todo.pop() {
        let Some(src) = sources.get(&file) else {
            continue;
        };
        let f = facts(src);
        // Where this file's children live: beside a crate root or mod.rs, else in a
        // folder named after the file.
        let name = file.rsplit('/').next().unwrap_or(&file);
        let dir = match file.rsplit_once('/') {
            Some((d, _)) => format!("{d}/"),
            None => String::new(),
        };
        let child_dir = if file == root || name == "mod.rs" {
            dir.clone()
        } else {
            format!("{dir}{}/", name.trim_end_matches(".rs"))
        };
        for (child, path) in &f.children {
            let mut m = module.clone();
            m.push(child.clone());
            let candidates = match path {
                Some(p) => vec![format!("{dir}{p}")],
                None => vec![
                    format!("{child_dir}{child}.rs"),
                    format!("{child_dir}{child}/mod.rs"),
                ],
            };
            for c in candidates {
                if sources.contains_key(&c) {
                    todo.push((c, m.clone()));
                }
            }
        }
        g.modules
            .entry(module.clone())
            .or_default()
            .push(file.clone());
        g.files.insert(file, (module, f));
    }
    g
}

/// The files a path written in `file` (inside its inline modules `inline`) reaches: those
/// of the longest module prefix of the path.
fn resolve(g: &CrateGraph, module: &[String], inline: &[String], path: &[String]) -> Vec<String> {
    let mut here: Vec<String> = module.iter().chain(inline).cloned().collect();
    let mut rest = path;
    let mut absolute: Vec<String> = match rest.first().map(String::as_str) {
        Some("crate") => {
            rest = &rest[1..];
            Vec::new()
        }
        _ => {
            while let Some(head) = rest.first().map(String::as_str) {
                match head {
                    "super" => {
                        here.pop();
                    }
                    "self" => {}
                    _ => break,
                }
                rest = &rest[1..];
            }
            here
        }
    };
    absolute.extend(rest.iter().cloned());
    // Inline modules are not files: their paths belong to the file that holds them.
    for len in (0..=absolute.len()).rev() {
        if let Some(files) = g.modules.get(&absolute[..len]) {
            return files.clone();
        }
    }
    Vec::new()
}

/// file → (file it imports → first line that does), within one crate, without self
/// edges or edges to the file's own `mod` children.
fn edges(g: &CrateGraph) -> BTreeMap<String, BTreeMap<String, usize>> {
    edges_with(g, false)
}

/// [`edges`], with a file's edges to its own submodules too when `own_children`.
fn edges_with(g: &CrateGraph, own_children: bool) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut out: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for (file, (module, f)) in &g.files {
        let entry = out.entry(file.clone()).or_default();
        for (inline, path, line) in &f.paths {
            for to in resolve(g, module, inline, path) {
                if &to == file {
                    continue;
                }
                let (to_module, _) = &g.files[&to];
                let own_child =
                    to_module.len() > module.len() && to_module[..module.len()] == module[..];
                if own_child && !own_children {
                    continue;
                }
                entry.entry(to).or_insert(*line);
            }
        }
    }
    out
}

/// Every circle, each as the chain of files `a → b → … → a` with the line of each step;
/// one chain per strongly connected group of files.
fn cycles(edges: &BTreeMap<String, BTreeMap<String, usize>>) -> Vec<String> {
    // Tarjan's strongly connected components.
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeMap<String, usize>>,
        index: HashMap<&'a str, usize>,
        low: HashMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        groups: Vec<Vec<&'a str>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(next) = s.edges.get(v) {
            for w in next.keys() {
                let w = w.as_str();
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let lw = s.low[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(lw));
                } else if s.on_stack.contains(w) {
                    let iw = s.index[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(iw));
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                group.push(w);
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                s.groups.push(group);
            }
        }
    }
    let mut s = State {
        edges,
        index: HashMap::new(),
        low: HashMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        groups: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    let mut out = Vec::new();
    for group in &s.groups {
        let members: BTreeSet<&str> = group.iter().copied().collect();
        let start = *members.iter().next().unwrap_or(&"");
        // The shortest way back to `start` inside the group.
        let mut prev: HashMap<&str, &str> = HashMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut last = None;
        'bfs: while let Some(v) = queue.pop_front() {
            for w in edges[v].keys() {
                let w = w.as_str();
                if !members.contains(w) {
                    continue;
                }
                if w == start {
                    last = Some(v);
                    break 'bfs;
                }
                if !prev.contains_key(w) {
                    prev.insert(w, v);
                    queue.push_back(w);
                }
            }
        }
        let mut chain = vec![start];
        let mut v = last.unwrap_or(start);
        while v != start {
            chain.push(v);
            v = prev[v];
        }
        chain.push(start);
        let end = chain.len() - 1;
        chain[1..end].reverse();
        let mut text = String::from(chain[0]);
        for pair in chain.windows(2) {
            let line = edges[pair[0]][pair[1]];
            text.push_str(&format!(" →(line {line}) {}", pair[1]));
        }
        out.push(text);
    }
    out
}

/// Every file `from` reaches.
fn reach(edges: &BTreeMap<String, BTreeMap<String, usize>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_owned()];
    while let Some(v) = todo.pop() {
        for w in edges.get(&v).into_iter().flat_map(|e| e.keys()) {
            if seen.insert(w.clone()) {
                todo.push(w.clone());
            }
        }
    }
    seen
}

// ───────────────────────────── the real tree ─────────────────────────────

fn read_sources(src: &Path) -> BTreeMap<String, String> {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<String, String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, base, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(base).unwrap_or(&p);
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.insert(rel.join("/"), fs::read_to_string(&p).unwrap_or_default());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(src, src, &mut out);
    out
}

/// (crate name, its `src`) for every crate of the workspace.
fn workspace_crates() -> Vec<(String, PathBuf)> {
    let core = Path::new(env!("CARGO_MANIFEST_DIR"));
    let crates = core.parent().expect("crates/");
    let app = crates.parent().expect("src-tauri/");
    let mut out = vec![("newsroom-app".to_owned(), app.join("src"))];
    let mut names: Vec<PathBuf> = fs::read_dir(crates)
        .expect("crates/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("src").is_dir())
        .collect();
    names.sort();
    for p in names {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push((name, p.join("src")));
    }
    out
}

/// The files of the crate at `src` (its library and its binary, each a crate of its own
/// for `crate::`) and the edges between them.
fn graph_of(src: &Path) -> (BTreeSet<String>, BTreeMap<String, BTreeMap<String, usize>>) {
    let sources = read_sources(src);
    let mut files = BTreeSet::new();
    let mut all = BTreeMap::new();
    for root in ["lib.rs", "main.rs"] {
        if sources.contains_key(root) {
            let g = crate_graph(&sources, root);
            files.extend(g.files.keys().cloned());
            all.extend(edges(&g));
        }
    }
    (files, all)
}

/// Circles in files this branch may not touch, each fixed by the branch that reworks
/// them (issue 15): (crate, the files of the circle). The test fails on any other circle,
/// and on an entry here that no longer matches one (so the list only shrinks).
const KNOWN_ELSEWHERE: &[(&str, &[&str])] = &[];

/// The files of a chain as `cycles` writes it.
fn chain_files(chain: &str) -> BTreeSet<String> {
    chain
        .split(" →(line ")
        .map(|step| step.split_once(") ").map_or(step, |(_, f)| f).to_owned())
        .collect()
}

#[test]
fn no_file_of_any_crate_imports_one_that_imports_it_back() {
    let mut found = Vec::new();
    let mut known_seen = BTreeSet::new();
    let mut crates = 0;
    for (name, src) in workspace_crates() {
        let (files, e) = graph_of(&src);
        assert!(
            files.len() > 1 || name == "newsroom-render-wasm",
            "{name}: read no module tree from {}",
            src.display()
        );
        crates += 1;
        for c in cycles(&e) {
            let members = chain_files(&c);
            let known = KNOWN_ELSEWHERE.iter().position(|(krate, files)| {
                *krate == name && members == files.iter().map(|f| (*f).to_owned()).collect()
            });
            match known {
                Some(i) => {
                    known_seen.insert(i);
                }
                None => found.push(format!("{name}: {c}")),
            }
        }
    }
    assert!(crates >= 5, "only {crates} crates found");
    assert!(
        found.is_empty(),
        "files that import each other (directly or through a chain):\n{}",
        found.join("\n")
    );
    for (i, (krate, files)) in KNOWN_ELSEWHERE.iter().enumerate() {
        assert!(
            known_seen.contains(&i),
            "{krate}: the circle {files:?} is gone: take it out of KNOWN_ELSEWHERE"
        );
    }
}

#[test]
fn chains_name_their_files() {
    assert_eq!(
        chain_files("a.rs →(line 1) b/c.rs →(line 20) a.rs"),
        ["a.rs".to_owned(), "b/c.rs".to_owned()].into()
    );
}

/// The core's layer of a file, bottom up; `None` for files outside the layers.
fn layer(file: &str) -> Option<usize> {
    if file == "markdown.rs" {
        Some(0)
    } else if file.starts_with("critic/") || file == "critic.rs" {
        Some(1)
    } else if file.starts_with("render/") {
        Some(2)
    } else if file.starts_with("review/") {
        Some(3)
    } else if file == "settings.rs" {
        // the user's settings hold their workflow role; nothing in the core uses them
        Some(4)
    } else {
        None
    }
}

const LAYERS: [&str; 5] = [
    "markdown.rs",
    "critic/",
    "render/",
    "review/",
    "settings.rs",
];

#[test]
fn the_cores_layers_use_only_the_layers_below_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let (files, e) = graph_of(&src);
    for (l, name) in LAYERS.iter().enumerate() {
        assert!(
            files.iter().any(|f| layer(f) == Some(l)),
            "no file in the layer {name}"
        );
    }
    let mut wrong = Vec::new();
    for file in &files {
        let Some(mine) = layer(file) else { continue };
        for reached in reach(&e, file) {
            if let Some(theirs) = layer(&reached)
                && theirs > mine
            {
                wrong.push(format!(
                    "{file} ({}) reaches {reached} ({})",
                    LAYERS[mine], LAYERS[theirs]
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "layers used upwards:\n{}",
        wrong.join("\n")
    );

    // Beside markdown.rs at the bottom: the draft's own parts use none of the four layers.
    for base in [
        "draft.rs",
        "front_matter/mod.rs",
        "front_matter/conventions.rs",
        "front_matter_toml.rs",
        "front_matter_json.rs",
        "front_matter_change.rs",
        "front_matter_edit.rs",
        "yaml.rs",
        "workspace_path.rs",
        "text.rs",
        "slug.rs",
        "error.rs",
    ] {
        assert!(files.contains(base), "{base} is gone: update this list");
        let up: Vec<String> = reach(&e, base)
            .into_iter()
            .filter(|f| layer(f).is_some())
            .collect();
        assert!(up.is_empty(), "{base} reaches {up:?}");
    }
    // review/ is the top of the draft's layers: nothing outside them reaches it (only the
    // user's settings, above it).
    for file in files.iter().filter(|f| layer(f).is_none_or(|l| l < 3)) {
        let up: Vec<String> = reach(&e, file)
            .into_iter()
            .filter(|f| layer(f) == Some(3))
            .collect();
        assert!(up.is_empty(), "{file} reaches review/: {up:?}");
    }
}

/// Inside the four layers even a `mod.rs` and its own submodules do not use each other
/// both ways: `render/mod.rs` renders a draft's preview from `article.rs`, `body.rs`,
/// `tracked.rs` and `safe.rs`, none of which uses an item of `mod.rs`.
#[test]
fn the_layers_have_no_circle_even_between_a_module_and_its_submodules() {
    let sources = read_sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let strict = edges_with(&crate_graph(&sources, "lib.rs"), true);
    let layered: BTreeMap<String, BTreeMap<String, usize>> = strict
        .into_iter()
        .filter(|(f, _)| layer(f).is_some())
        .map(|(f, to)| {
            (
                f,
                to.into_iter().filter(|(t, _)| layer(t).is_some()).collect(),
            )
        })
        .collect();
    assert!(
        layered.contains_key("render/mod.rs")
            && layered["render/mod.rs"].contains_key("render/article.rs")
    );
    let found = cycles(&layered);
    assert!(
        found.is_empty(),
        "circles inside the layers:\n{}",
        found.join("\n")
    );
}

/// The folder and the file name of a path in the drafts folder are computed in one place
/// (`workspace_path.rs`: `WorkspacePath::folder`/`file_name`, `folder_of`/`file_name_of`
/// for paths held as text), not by hand wherever a caller needs them.
#[test]
fn the_folder_and_name_of_a_draft_path_are_computed_in_workspace_path_only() {
    const HAND_MADE: [&str; 4] = [
        "rsplit('/')",
        "rsplit_once('/')",
        "rsplit(['/'",
        "rfind('/')",
    ];
    let mut found = Vec::new();
    for (name, src) in workspace_crates() {
        for (file, text) in read_sources(&src) {
            // workspace_path.rs is the one place; image_import.rs takes apart the name
            // of a file dropped from the user's disk (either separator), not a path in
            // the drafts folder.
            if name == "newsroom-core"
                && ["workspace_path.rs", "image_import.rs"].contains(&file.as_str())
            {
                continue;
            }
            // Unit tests sit at the end of a file; they may take paths apart as they like.
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
            for (n, line) in code.lines().enumerate() {
                if HAND_MADE.iter().any(|h| line.contains(h))
                    && !line.trim_start().starts_with("//")
                {
                    found.push(format!("{name}/src/{file}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "use WorkspacePath::folder/file_name or workspace_path::folder_of/file_name_of:\n{}",
        found.join("\n")
    );
}

/// comrak's options are built in `markdown.rs` alone; everyone else starts from
/// `comrak_options` (and may add render-time hooks such as URL rewriters on top).
#[test]
fn comraks_options_are_built_in_markdown_rs_only() {
    let mut found = Vec::new();
    for (name, src) in workspace_crates() {
        for (file, text) in read_sources(&src) {
            if name == "newsroom-core" && file == "markdown.rs" {
                continue;
            }
            for (n, line) in text.lines().enumerate() {
                let bare = |pat: &str| {
                    line.match_indices(pat).any(|(at, _)| {
                        !line[..at]
                            .chars()
                            .next_back()
                            .is_some_and(|c| c.is_alphanumeric() || c == '_')
                    })
                };
                if bare("Options::default()") || line.contains("comrak::Options") {
                    found.push(format!("{name}/src/{file}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "use newsroom_core::markdown::comrak_options:\n{}",
        found.join("\n")
    );
}

// ───────────────────────────── the checker itself ─────────────────────────────

fn synthetic(files: &[(&str, &str)]) -> BTreeMap<String, BTreeMap<String, usize>> {
    let sources: BTreeMap<String, String> = files
        .iter()
        .map(|(p, s)| ((*p).to_owned(), (*s).to_owned()))
        .collect();
    edges(&crate_graph(&sources, "lib.rs"))
}

#[test]
fn two_files_that_import_each_other_are_a_circle() {
    let e = synthetic(&[
        ("lib.rs", "pub mod a;\npub mod b;\n"),
        ("a.rs", "use crate::b::B;\npub struct A;\n"),
        (
            "b.rs",
            "pub struct B;\nfn f() -> crate::a::A { crate::a::A }\n",
        ),
    ]);
    assert_eq!(cycles(&e), ["a.rs →(line 1) b.rs →(line 2) a.rs"]);
}

#[test]
fn a_circle_through_a_chain_and_nested_groups_is_found() {
    let e = synthetic(&[
        ("lib.rs", "mod a;\nmod render;\n"),
        ("a.rs", "use crate::render::{self, body::{Body}};\n"),
        ("render/mod.rs", "mod body;\nmod tracked;\n"),
        (
            "render/body.rs",
            "use super::tracked::*;\npub struct Body;\n",
        ),
        ("render/tracked.rs", "fn f() { crate::a::g() }\n"),
    ]);
    assert_eq!(
        cycles(&e),
        ["a.rs →(line 1) render/body.rs →(line 1) render/tracked.rs →(line 1) a.rs"]
    );
    // Without the last step, no circle.
    let e = synthetic(&[
        ("lib.rs", "mod a;\nmod render;\n"),
        ("a.rs", "use crate::render::{self, body::{Body}};\n"),
        ("render/mod.rs", "mod body;\nmod tracked;\n"),
        (
            "render/body.rs",
            "use super::tracked::*;\npub struct Body;\n",
        ),
        ("render/tracked.rs", "fn f() {}\n"),
    ]);
    assert!(cycles(&e).is_empty(), "{:?}", cycles(&e));
    assert!(reach(&e, "a.rs").contains("render/tracked.rs"));
    assert!(reach(&e, "a.rs").contains("render/mod.rs"));
}

#[test]
fn a_parent_using_its_own_children_is_not_a_circle_but_a_detour_is() {
    let files = [
        ("lib.rs", "mod door;\nmod files;\n"),
        (
            "door/mod.rs",
            "mod sys;\npub struct Folder;\nfn f() { sys::open() }\n",
        ),
        ("door/sys.rs", "use super::Folder;\npub fn open() {}\n"),
        ("files.rs", "pub const MAX: u64 = 1;\n"),
    ];
    assert!(cycles(&synthetic(&files)).is_empty());
    let mut detour = files;
    detour[1].1 = "mod sys;\npub struct Folder;\nconst M: u64 = crate::files::MAX;\n";
    detour[3].1 = "use crate::door::Folder;\npub const MAX: u64 = 1;\n";
    assert_eq!(
        cycles(&synthetic(&detour)),
        ["door/mod.rs →(line 3) files.rs →(line 1) door/mod.rs"]
    );
}

#[test]
fn comments_strings_and_test_code_are_not_imports() {
    let e = synthetic(&[
        ("lib.rs", "mod a;\nmod b;\n"),
        (
            "a.rs",
            "//! See [`crate::b::B`].\n/* crate::b::B */\nconst S: &str = \"crate::b::B\";\nconst R: &str = r#\"crate::b\"#;\nconst C: char = '\"';\n#[cfg(test)]\nmod tests {\n    use crate::b::B;\n}\n#[cfg(test)]\nfn helper() { crate::b::f() }\n#[cfg(all(test, unix))]\nuse crate::b::B;\n",
        ),
        ("b.rs", "use crate::a;\n"),
    ]);
    assert!(e["a.rs"].is_empty(), "{e:?}");
    assert!(cycles(&e).is_empty());
}

#[test]
fn path_attributes_and_inline_modules_resolve_to_their_files() {
    let e = synthetic(&[
        ("lib.rs", "mod door;\nmod files;\n"),
        (
            "door/mod.rs",
            "#[cfg(unix)]\n#[path = \"unix.rs\"]\nmod sys;\n#[cfg(not(unix))]\n#[path = \"portable.rs\"]\nmod sys;\n",
        ),
        (
            "door/unix.rs",
            "mod fast {\n    use super::super::Folder;\n}\n",
        ),
        ("door/portable.rs", "use crate::files::X;\n"),
        ("files.rs", "fn f() { crate::door::sys::g() }\n"),
    ]);
    assert!(e["door/unix.rs"].contains_key("door/mod.rs"), "{e:?}");
    assert!(e["files.rs"].contains_key("door/unix.rs"), "{e:?}");
    assert_eq!(
        cycles(&e),
        ["door/portable.rs →(line 1) files.rs →(line 1) door/portable.rs"]
    );
}

#[test]
fn a_parents_relative_paths_reach_its_children_and_count_when_asked() {
    let sources: BTreeMap<String, String> = [
        ("lib.rs", "mod render;\n"),
        (
            "render/mod.rs",
            "mod article;\npub struct Options;\npub fn page() { article::render() }\n",
        ),
        (
            "render/article.rs",
            "use super::Options;\npub fn render() {}\n",
        ),
    ]
    .iter()
    .map(|(p, s)| ((*p).to_owned(), (*s).to_owned()))
    .collect();
    let g = crate_graph(&sources, "lib.rs");
    assert!(cycles(&edges(&g)).is_empty());
    assert_eq!(
        cycles(&edges_with(&g, true)),
        ["render/article.rs →(line 1) render/mod.rs →(line 3) render/article.rs"]
    );
}

#[test]
fn a_layer_reaching_upwards_is_reported() {
    let e = synthetic(&[
        (
            "lib.rs",
            "mod markdown;\nmod render;\nmod review;\nmod draft;\n",
        ),
        ("markdown.rs", "use crate::draft::split;\n"),
        ("draft.rs", "fn f() { crate::review::g() }\n"),
        ("render/mod.rs", ""),
        ("review/mod.rs", ""),
    ]);
    let up: Vec<String> = reach(&e, "markdown.rs")
        .into_iter()
        .filter(|f| layer(f) > layer("markdown.rs"))
        .collect();
    assert_eq!(up, ["review/mod.rs"]);
}
