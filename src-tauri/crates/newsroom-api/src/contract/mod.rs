//! The page's contract, generated: TypeScript declarations of every type that crosses IPC,
//! the list of commands with their arguments and answers, the event names, the error codes
//! and the settings' defaults. `make contract` writes them to `ui/src/generated/`; the test
//! `generated_files_are_current` fails when the committed files differ from what the Rust
//! types say now.
//!
//! Why generated: the page's types were written by hand from the serde structs and had
//! started to drift (a code the page branched on missing from its `ErrorCode`, fields marked
//! "older backends omit", three `Role`s). Now Rust is the one source.

mod commands;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::Path;

use newsroom_core::Status;
use ts_rs::{Config, TS, TypeVisitor};

pub use commands::{Arg, Command, commands};

use crate::drafts::FrontMatterValue;
use crate::error::{ErrorBody, ErrorCode};
use crate::events::Event;
use crate::settings::{DEFAULT_CATEGORIES, MAX_RECENT_FOLDERS, Role, Settings};

/// The folder, relative to the repository, the generated files are committed in.
pub const GENERATED_DIR: &str = "ui/src/generated";

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

const HEADER: &str = "// Generated from the Rust types by `make contract` (newsroom-api, src/contract/).\n// Do not edit: change the Rust type and run `make contract`.\n";

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
