//! Every IPC command with its arguments and answer, as Rust types: the list the page's
//! `CommandArgs`, `CommandAnswers` and `COMMANDS` are generated from.

use std::collections::BTreeMap;

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

use super::Collector;
use crate::drafts::{FrontMatterValue, WorkspaceInfo};
use crate::portals::PortalInfo;
use crate::review::Transition;
use crate::settings::Settings;
use crate::spelling::{Misspelling, SpellLanguages};
use crate::sync::SyncStatus;

/// One argument of a command: its JSON name, its type, and whether it may be left out
/// (an `Option` the command defaults).
pub struct Arg {
    pub name: &'static str,
    pub optional: bool,
    pub(super) ts: fn(&Config) -> String,
    pub(super) visit: fn(&mut Collector),
}

/// One IPC command as the app registers it (`src-tauri/src/lib.rs`).
pub struct Command {
    pub name: &'static str,
    pub args: Vec<Arg>,
    pub(super) answer: fn(&Config) -> String,
    /// Types to declare beyond those the arguments and answer name.
    pub(super) visit: fn(&mut Collector),
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
        cmd::<Vec<DiffLine>>("diff_text", vec![arg::<S>("old"), arg::<S>("new")]),
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
            "import_image_file",
            vec![arg::<S>("draft_path"), arg::<S>("source")],
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
        cmd::<OS>("launch_draft", vec![]),
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
                arg::<Option<S>>("id"),
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
        cmd::<SpellLanguages>("spell_languages", vec![]),
        cmd::<Vec<Misspelling>>(
            "spell_check",
            vec![arg::<S>("text"), arg::<Vec<String>>("names")],
        ),
        cmd::<Vec<String>>("spell_suggest", vec![arg::<S>("word")]),
        unit("spell_learn", vec![arg::<S>("word")]),
        cmd::<SyncStatus>("sync_status", vec![]),
        cmd::<SyncStatus>("sync_now", vec![]),
    ]
}
