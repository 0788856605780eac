//! The page's contract, generated: TypeScript declarations of every type that crosses IPC,
//! the list of commands with their arguments and answers, the event names, the error codes
//! and the settings' defaults. `make contract` writes them to `ui/src/generated/`; the test
//! `generated_files_are_current` fails when the committed files differ from what the Rust
//! types say now.
//!
//! Why generated: the page's types were written by hand from the serde structs and had
//! started to drift (a code the page branched on missing from its `ErrorCode`, fields marked
//! "older backends omit", three `Role`s). Now Rust is the one source.

use std::collections::BTreeMap;
use std::path::Path;

use newsroom_core::front_matter::FrontMatter;
use newsroom_core::index::{DraftPage, Filter, Revision, SearchHit};
use newsroom_core::review::{critic, lock, queue, workflow};
use newsroom_core::workspace::Preview;
use newsroom_core::{DiffLine, Keep, OpenedDraft, SaveOutcome, Status};
use newsroom_publish::byline::BylineCheck;
use newsroom_publish::portal::PortalReport;
use newsroom_publish::profile_admin::{PortalEntry, PortalSaved};
use newsroom_publish::{Job, PostStatus, PublishOutcome};
use ts_rs::{Config, TS, TypeVisitor};

use crate::drafts::{FrontMatterValue, WorkspaceInfo};
use crate::error::{ErrorBody, ErrorCode};
use crate::events::Event;
use crate::portals::PortalInfo;
use crate::review::Transition;
use crate::settings::{DEFAULT_CATEGORIES, MAX_RECENT_FOLDERS, Role, Settings};

/// The folder, relative to the repository, the generated files are committed in.
pub const GENERATED_DIR: &str = "ui/src/generated";

/// One argument of a command: its JSON name, its type, and whether it may be left out
/// (an `Option` the command defaults).
pub struct Arg {
    pub name: &'static str,
    pub optional: bool,
    ts: fn(&Config) -> String,
    visit: fn(&mut Collector),
}

/// One IPC command as the app registers it (`src-tauri/src/lib.rs`).
pub struct Command {
    pub name: &'static str,
    pub args: Vec<Arg>,
    answer: fn(&Config) -> String,
    /// Types to declare beyond those the arguments and answer name.
    visit: fn(&mut Collector),
}

/// A required argument (`Option<T>` here means it must be sent, possibly `null`).
fn arg<T: TS + 'static>(name: &'static str) -> Arg {
    Arg {
        name,
        optional: false,
        ts: T::name,
        visit: |c| c.visit::<T>(),
    }
}

/// An argument the page may leave out (`Option<T>` in the command, `T` here).
fn opt<T: TS + 'static>(name: &'static str) -> Arg {
    Arg {
        name,
        optional: true,
        ts: T::name,
        visit: |c| c.visit::<T>(),
    }
}

fn cmd<A: TS + 'static>(name: &'static str, args: Vec<Arg>) -> Command {
    Command {
        name,
        args,
        answer: A::name,
        visit: |c| c.visit::<A>(),
    }
}

/// A command that answers nothing (`null`).
fn unit(name: &'static str, args: Vec<Arg>) -> Command {
    Command {
        name,
        args,
        answer: |_| "null".to_owned(),
        visit: |_| {},
    }
}

/// Every command of docs/ipc.md, in the order of `generate_handler!` in `src-tauri/src/lib.rs`
/// (a test there checks the names and the arguments of the registered wrappers against it).
pub fn commands() -> Vec<Command> {
    type S = String;
    type OS = Option<String>;
    vec![
        cmd::<WorkspaceInfo>("open_workspace", vec![opt::<S>("path")]),
        cmd::<DraftPage>(
            "list_drafts",
            vec![
                opt::<Filter>("filter"),
                opt::<usize>("offset"),
                opt::<usize>("limit"),
            ],
        ),
        cmd::<Vec<SearchHit>>(
            "search_drafts",
            vec![arg::<S>("query"), opt::<Filter>("filter")],
        ),
        cmd::<OpenedDraft>("read_draft", vec![arg::<S>("path")]),
        cmd::<Preview>(
            "render_preview",
            vec![
                arg::<S>("path"),
                arg::<S>("text"),
                opt::<bool>("remote_images"),
            ],
        ),
        cmd::<SaveOutcome>(
            "save_draft",
            vec![arg::<S>("path"), arg::<S>("text"), arg::<OS>("base_hash")],
        ),
        cmd::<String>(
            "update_front_matter",
            vec![
                arg::<S>("text"),
                arg::<BTreeMap<String, Option<FrontMatterValue>>>("changes"),
            ],
        ),
        cmd::<FrontMatter>("read_front_matter", vec![arg::<S>("text")]),
        cmd::<OpenedDraft>(
            "new_draft",
            vec![
                arg::<S>("title"),
                opt::<Vec<S>>("categories"),
                opt::<Vec<S>>("tags"),
            ],
        ),
        cmd::<Vec<Revision>>("list_revisions", vec![arg::<S>("path")]),
        cmd::<Vec<DiffLine>>(
            "revision_diff",
            vec![arg::<S>("path"), arg::<i64>("id"), arg::<S>("text")],
        ),
        cmd::<SaveOutcome>(
            "restore_revision",
            vec![arg::<S>("path"), arg::<i64>("id"), arg::<OS>("base_hash")],
        ),
        cmd::<SaveOutcome>(
            "resolve_conflict",
            vec![arg::<S>("path"), arg::<Keep>("keep"), arg::<S>("mine")],
        ),
        cmd::<String>(
            "import_image",
            vec![
                arg::<S>("draft_path"),
                arg::<S>("file_name"),
                arg::<Vec<u8>>("bytes"),
            ],
        ),
        cmd::<String>(
            "export_html",
            vec![
                arg::<S>("path"),
                arg::<S>("text"),
                arg::<S>("dest"),
                opt::<bool>("overwrite"),
                opt::<bool>("remote_images"),
            ],
        ),
        cmd::<String>("export_suggestion", vec![arg::<S>("path")]),
        cmd::<Settings>("get_settings", vec![]),
        cmd::<Settings>("save_settings", vec![arg::<Settings>("settings")]),
        unit("open_external", vec![arg::<S>("url")]),
        unit("perf_mark", vec![arg::<S>("name"), opt::<f64>("at_ms")]),
        cmd::<Vec<PortalInfo>>("portal_list", vec![]),
        cmd::<Vec<PortalEntry>>("portal_profiles", vec![]),
        cmd::<PortalSaved>(
            "portal_add",
            vec![
                arg::<S>("name"),
                arg::<S>("url"),
                arg::<S>("user"),
                arg::<S>("password"),
            ],
        ),
        cmd::<PortalSaved>(
            "portal_edit",
            vec![
                arg::<S>("name"),
                arg::<S>("url"),
                arg::<S>("user"),
                arg::<OS>("password"),
            ],
        ),
        unit("portal_remove", vec![arg::<S>("name")]),
        unit("portal_set_default", vec![arg::<S>("name")]),
        cmd::<BylineCheck>("byline_check", vec![arg::<OS>("portal"), arg::<S>("text")]),
        cmd::<PortalReport>("portal_test", vec![arg::<S>("name")]),
        cmd::<PublishOutcome>(
            "publish_draft",
            vec![
                arg::<S>("path"),
                arg::<OS>("portal"),
                arg::<Option<PostStatus>>("status"),
                arg::<bool>("overwrite"),
                arg::<bool>("republish_new"),
            ],
        ),
        cmd::<Vec<Job>>("outbox_list", vec![]),
        unit("outbox_retry_now", vec![]),
        cmd::<Vec<critic::Mark>>("review_marks", vec![arg::<S>("text")]),
        cmd::<Option<workflow::TrailEntry>>("review_change_request", vec![arg::<S>("text")]),
        cmd::<String>(
            "review_resolve",
            vec![
                arg::<S>("text"),
                arg::<Option<usize>>("id"),
                arg::<bool>("accept"),
            ],
        ),
        cmd::<Vec<Transition>>(
            "review_transitions",
            vec![arg::<Status>("status"), opt::<S>("path")],
        ),
        cmd::<OpenedDraft>(
            "review_transition",
            vec![arg::<S>("path"), arg::<Status>("to"), arg::<OS>("note")],
        ),
        cmd::<Vec<queue::Check>>("desk_checklist", vec![arg::<S>("path"), arg::<S>("text")]),
        cmd::<Vec<queue::ReviewItem>>("review_queue", vec![]),
        cmd::<Vec<queue::DeskItem>>("desk_queue", vec![]),
        cmd::<Option<lock::LockInfo>>("lock_hold", vec![arg::<S>("path")]),
        unit("lock_release", vec![arg::<S>("path")]),
    ]
}

/// Gathers the declarations of every type reached from the roots, once each.
pub struct Collector {
    cfg: Config,
    decls: BTreeMap<String, String>,
}

impl TypeVisitor for Collector {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        T::visit_generics(self);
        if T::output_path().is_none() {
            // a primitive or a container: its parts are visited through the generics
            T::visit_dependencies(self);
            return;
        }
        let name = T::ident(&self.cfg);
        let decl = T::decl(&self.cfg);
        let docs = T::docs()
            .map(|d| format!("{}\n", d.trim_end()))
            .unwrap_or_default();
        let text = format!("{docs}export {decl}");
        if let Some(seen) = self.decls.get(&name) {
            assert_eq!(
                seen, &text,
                "two different Rust types are both `{name}` in TypeScript"
            );
            return;
        }
        self.decls.insert(name, text);
        T::visit_dependencies(self);
    }
}

impl Collector {
    fn new() -> Self {
        Collector {
            // i64/u64 ids and milliseconds fit a JavaScript number
            cfg: Config::new().with_large_int("number"),
            decls: BTreeMap::new(),
        }
    }
}

const HEADER: &str = "// Generated from the Rust types by `make contract` (newsroom-api, src/contract.rs).\n// Do not edit: change the Rust type and run `make contract`.\n";

fn ts_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// `contract.ts`: every type, the commands, the events and the error codes.
pub fn contract_ts() -> String {
    let mut c = Collector::new();
    let commands = commands();
    for command in &commands {
        (command.visit)(&mut c);
        for a in &command.args {
            (a.visit)(&mut c);
        }
    }
    c.visit::<Settings>();
    c.visit::<crate::drafts::Boot>();
    c.visit::<Event>();
    c.visit::<ErrorBody>();
    c.visit::<ErrorCode>();
    c.visit::<FrontMatterValue>();
    c.visit::<newsroom_core::DraftError>();
    let cfg = &c.cfg;
    let mut out = String::from(HEADER);
    for decl in c.decls.values() {
        out.push('\n');
        out.push_str(decl);
        out.push('\n');
    }
    out.push_str("\n/** Every code a command may reject with. */\nexport const ERROR_CODES: readonly ErrorCode[] = [");
    out.push_str(
        &ErrorCode::ALL
            .iter()
            .map(|c| ts_string(&c.as_str()))
            .collect::<Vec<_>>()
            .join(", "),
    );
    out.push_str("];\n");
    out.push_str(
        "\n/** The events' names, in the order of the Rust enum. */\nexport const EVENT_NAMES = [",
    );
    out.push_str(
        &Event::NAMES
            .iter()
            .map(|n| ts_string(n))
            .collect::<Vec<_>>()
            .join(", "),
    );
    out.push_str("] as const;\nexport type EventName = Event[\"event\"];\n/** The payload of each event, by name. */\nexport type EventPayloads = { [E in Event as E[\"event\"]]: E[\"payload\"] };\n");
    out.push_str("\n/** Each command's arguments, as `invoke` sends them (snake_case). */\nexport interface CommandArgs {\n");
    for command in &commands {
        let args = command
            .args
            .iter()
            .map(|a| {
                // an argument that may be left out is an `Option`: `null` is as good
                if a.optional {
                    format!("{}?: {} | null", a.name, (a.ts)(cfg))
                } else {
                    format!("{}: {}", a.name, (a.ts)(cfg))
                }
            })
            .collect::<Vec<_>>();
        out.push_str(&format!(
            "  {}: {{ {} }};\n",
            command.name,
            if args.is_empty() {
                "[key: string]: never".to_owned()
            } else {
                args.join("; ")
            }
        ));
    }
    out.push_str("}\n\n/** Each command's answer. */\nexport interface CommandAnswers {\n");
    for command in &commands {
        out.push_str(&format!("  {}: {};\n", command.name, (command.answer)(cfg)));
    }
    out.push_str("}\n\nexport type CommandName = keyof CommandArgs;\n\n/** Every command the app registers, with its arguments' names (`?`: may be left out). */\nexport const COMMANDS: { readonly [K in CommandName]: readonly string[] } = {\n");
    for command in &commands {
        let args = command
            .args
            .iter()
            .map(|a| ts_string(&format!("{}{}", a.name, if a.optional { "?" } else { "" })))
            .collect::<Vec<_>>();
        out.push_str(&format!("  {}: [{}],\n", command.name, args.join(", ")));
    }
    out.push_str("};\n");
    out
}

/// `defaults.ts`: the settings' defaults and the list's page size, as constants.
pub fn defaults_ts() -> String {
    let defaults = serde_json::to_string_pretty(&Settings::default()).unwrap_or_default();
    let categories = DEFAULT_CATEGORIES
        .iter()
        .map(|c| format!("  {},\n", ts_string(c)))
        .collect::<String>();
    let statuses = Status::ALL
        .iter()
        .map(|s| ts_string(s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let roles = Role::ALL
        .iter()
        .map(|r| ts_string(r.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "{HEADER}import type {{ Role, Settings, Status }} from \"./contract\";\n\n\
         /** The newsroom's sections until the settings say otherwise. */\n\
         export const DEFAULT_CATEGORIES: readonly string[] = [\n{categories}];\n\n\
         /** What `get_settings` answers before the user changed anything. */\n\
         export const DEFAULT_SETTINGS: Settings = {defaults};\n\n\
         /** How many folders \"Open recent\" remembers. */\n\
         export const MAX_RECENT_FOLDERS = {MAX_RECENT_FOLDERS};\n\n\
         /** `list_drafts`'s page size when none is given, and the most one page carries. */\n\
         export const DRAFTS_PAGE = {};\nexport const MAX_DRAFTS_PAGE = {};\n\n\
         /** The workflow's statuses, in order. */\n\
         export const STATUSES: readonly Status[] = [{statuses}];\n\n\
         /** The roles, as Settings offers them. */\n\
         export const ROLES: readonly Role[] = [{roles}];\n",
        crate::drafts::DEFAULT_PAGE,
        crate::drafts::MAX_PAGE,
    )
}

/// The generated files: name → content.
pub fn files() -> Vec<(&'static str, String)> {
    vec![
        ("contract.ts", contract_ts()),
        ("defaults.ts", defaults_ts()),
    ]
}

/// Writes the generated files into `dir`.
pub fn write(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, text) in files() {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The repository's top, from this crate's folder.
    fn repo() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
    }

    #[test]
    fn generated_files_are_current() {
        let dir = repo().join(GENERATED_DIR);
        let fresh = tempfile::tempdir().expect("temp dir");
        write(fresh.path()).expect("generate");
        let mut stale = Vec::new();
        for (name, _) in files() {
            let want = std::fs::read_to_string(fresh.path().join(name)).expect("generated");
            let got = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
            if got != want {
                stale.push(name);
            }
        }
        assert!(
            stale.is_empty(),
            "{GENERATED_DIR}/{{{}}} differ from the Rust types: run `make contract` and commit the result",
            stale.join(",")
        );
    }

    #[test]
    fn every_type_a_command_names_is_declared() {
        let ts = contract_ts();
        for name in [
            "PostStatus",
            "Filter",
            "Keep",
            "Status",
            "ErrorCode",
            "Role",
            "Settings",
            "Event",
            "FrontMatter",
        ] {
            assert!(ts.contains(&format!("export type {name} =")), "{name}");
        }
        // the code the publish panel branches on is in the page's type
        assert!(ts.contains("\"changed_on_portal\""));
    }

    /// The cells of a Markdown table row (`\|` is a pipe inside a cell).
    fn cells(row: &str) -> Vec<String> {
        row.replace("\\|", "\u{1}")
            .trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().replace('\u{1}', "|"))
            .collect()
    }

    /// The argument names of a cell like `` `{ path, text, remote_images?: boolean }` (…) ``,
    /// with `?` kept on those that may be left out.
    fn doc_args(cell: &str) -> Vec<String> {
        let Some(start) = cell.find('{') else {
            return Vec::new();
        };
        let mut depth = 0;
        let mut parts = vec![String::new()];
        for c in cell[start + 1..].chars() {
            match c {
                '{' | '[' | '(' | '<' => depth += 1,
                '}' if depth == 0 => break,
                '}' | ']' | ')' | '>' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(String::new());
                    continue;
                }
                _ => {}
            }
            if let Some(last) = parts.last_mut() {
                last.push(c);
            }
        }
        parts
            .iter()
            .map(|p| {
                let p = p.trim();
                let name: String = p
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let optional = p[name.len()..].starts_with('?');
                format!("{name}{}", if optional { "?" } else { "" })
            })
            .filter(|n| !n.is_empty())
            .collect()
    }

    #[test]
    fn docs_ipc_md_matches_the_contract() {
        let doc = std::fs::read_to_string(repo().join("docs/ipc.md")).expect("docs/ipc.md");
        let mut documented = BTreeMap::new();
        for row in doc.lines().filter(|l| l.starts_with("| `")) {
            let cells = cells(row);
            let name = cells[0].trim_matches('`').to_owned();
            documented.insert(name, doc_args(&cells[1]));
        }
        let commands = commands();
        let want: BTreeMap<String, Vec<String>> = commands
            .iter()
            .map(|c| {
                let args = c
                    .args
                    .iter()
                    .map(|a| format!("{}{}", a.name, if a.optional { "?" } else { "" }))
                    .collect();
                (c.name.to_owned(), args)
            })
            .collect();
        let missing: Vec<_> = want
            .keys()
            .filter(|k| !documented.contains_key(*k))
            .collect();
        let extra: Vec<_> = documented
            .keys()
            .filter(|k| !want.contains_key(*k))
            .collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "docs/ipc.md's tables miss {missing:?} and list commands that do not exist: {extra:?}"
        );
        for (name, args) in &want {
            assert_eq!(
                &documented[name], args,
                "docs/ipc.md's arguments of `{name}`"
            );
        }
        // the codes the Errors section names are real codes
        let errors = doc
            .split("## Errors")
            .nth(1)
            .and_then(|s| s.split("\n## ").next())
            .expect("an Errors section");
        let codes: std::collections::HashSet<String> =
            ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        let not_codes: std::collections::HashSet<&str> = commands
            .iter()
            .flat_map(|c| std::iter::once(c.name).chain(c.args.iter().map(|a| a.name)))
            // the error's own fields
            .chain(["code", "message", "file", "line"])
            .collect();
        for word in errors.split('`').skip(1).step_by(2) {
            if word.chars().all(|c| c.is_ascii_lowercase() || c == '_') && !not_codes.contains(word)
            {
                assert!(
                    codes.contains(word),
                    "docs/ipc.md names the error code `{word}`, which no command returns"
                );
            }
        }
        for name in Event::NAMES {
            assert!(
                doc.contains(&format!("`{name}`")),
                "docs/ipc.md does not describe `{name}`"
            );
        }
    }

    #[test]
    fn doc_arguments_are_read_with_their_types_and_marks() {
        assert_eq!(
            doc_args("`{ path, changes: { [key: string]: string }, remote_images?: boolean }` (x)"),
            ["path", "changes", "remote_images?"]
        );
        assert!(doc_args("—").is_empty());
    }

    #[test]
    fn command_names_are_unique_and_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for c in commands() {
            assert!(seen.insert(c.name), "{} twice", c.name);
            assert!(
                c.name
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '_')
            );
        }
    }
}
