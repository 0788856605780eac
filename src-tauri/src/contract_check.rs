//! The commands registered in `generate_handler!` (lib.rs) against the page's contract
//! (`newsroom_api::contract::commands()`, from which `ui/src/generated/contract.ts` is
//! written): same names, same order, and each wrapper's arguments named as the page sends
//! them. Read from the source, because Tauri keeps no list of a handler's commands.

use std::collections::BTreeMap;

const SOURCES: [(&str, &str); 6] = [
    ("commands", include_str!("commands.rs")),
    ("portals", include_str!("portals.rs")),
    ("publishing", include_str!("publishing.rs")),
    ("review", include_str!("review.rs")),
    ("spelling", include_str!("spelling.rs")),
    ("sync", include_str!("sync.rs")),
];

/// `module::command` entries of the `generate_handler![…]` in lib.rs.
fn registered() -> Vec<(String, String)> {
    let lib = include_str!("lib.rs");
    let start = lib
        .find("generate_handler![")
        .map(|i| i + "generate_handler![".len())
        .expect("lib.rs registers its commands with generate_handler!");
    let end = start + lib[start..].find(']').expect("generate_handler! ends");
    lib[start..end]
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| {
            let (module, name) = e.split_once("::").expect("module::command");
            (module.to_owned(), name.to_owned())
        })
        .collect()
}

/// `(name, type)` of each parameter of `fn name(…)` in `source`, the ones Tauri fills
/// itself (the app handle, managed state) left out.
fn parameters(source: &str, name: &str) -> Vec<(String, String)> {
    let at = [format!("pub fn {name}("), format!("pub async fn {name}(")]
        .iter()
        .find_map(|sig| source.find(sig.as_str()).map(|i| i + sig.len()))
        .unwrap_or_else(|| panic!("no `pub fn {name}(` in its module"));
    let mut depth = 0i32;
    let mut params = Vec::new();
    let mut current = String::new();
    for c in source[at..].chars() {
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' if depth == 0 => break,
            ')' | '>' | ']' => depth -= 1,
            ',' if depth == 0 => {
                params.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    params.push(current);
    params
        .iter()
        .filter_map(|p| p.split_once(':'))
        .map(|(n, t)| {
            (
                n.trim().to_owned(),
                t.split_whitespace().collect::<String>(),
            )
        })
        .filter(|(_, t)| !t.contains("AppHandle") && !t.starts_with("tauri::"))
        .collect()
}

#[test]
fn wrappers_match_the_contract() {
    let sources: BTreeMap<&str, &str> = SOURCES.into_iter().collect();
    let registered = registered();
    let contract = newsroom_api::contract::commands();
    let names: Vec<&str> = registered.iter().map(|(_, n)| n.as_str()).collect();
    let want: Vec<&str> = contract.iter().map(|c| c.name).collect();
    assert_eq!(
        names, want,
        "generate_handler! in lib.rs and newsroom_api::contract::commands() list different commands: \
         change both, then `make contract`"
    );
    for ((module, name), command) in registered.iter().zip(&contract) {
        let source = sources
            .get(module.as_str())
            .unwrap_or_else(|| panic!("module {module} is not read by this test"));
        let params = parameters(source, name);
        let got: Vec<&str> = params.iter().map(|(n, _)| n.as_str()).collect();
        let want: Vec<&str> = command.args.iter().map(|a| a.name).collect();
        assert_eq!(got, want, "the arguments of `{name}`");
        for ((param, ty), arg) in params.iter().zip(&command.args) {
            if arg.optional {
                assert!(
                    ty.starts_with("Option<"),
                    "`{name}`'s `{param}` may be left out by the page, so it must be an Option, not {ty}"
                );
            }
        }
    }
}

#[test]
fn parameters_are_read_with_their_generics() {
    let src = "pub async fn f(app: AppHandle, a: BTreeMap<String, Option<X>>, b: Option<Vec<u8>>) -> R {}";
    assert_eq!(
        parameters(src, "f"),
        [
            ("a".to_owned(), "BTreeMap<String,Option<X>>".to_owned()),
            ("b".to_owned(), "Option<Vec<u8>>".to_owned())
        ]
    );
}
