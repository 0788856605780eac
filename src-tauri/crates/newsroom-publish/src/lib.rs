//! Publishing drafts to the portal (WordPress REST API): portal profiles with passwords in
//! the keyring, drafts as native block-editor content, categories / tags / images mapped
//! and uploaded once, exactly-once publish jobs, and an offline outbox.
//!
//! The app calls [`Publisher::publish`] (with a progress callback), [`portal::test`],
//! [`Store::outbox`] and runs an [`Outbox`]; the `newsroom` CLI does the same. See
//! `docs/publishing.md` for the exactly-once design.

mod apply;
mod backoff;
pub mod blocks;
pub mod byline;
pub mod client;
pub mod error;
mod local;
mod marker;
pub mod media;
mod observe;
pub mod outbox;
pub mod outbox_service;
pub mod outgoing;
pub mod plan;
pub mod portal;
pub mod profile;
pub mod profile_admin;
pub mod publish;
pub mod pull;
pub mod record;
pub mod request;
mod runtime;
pub mod store;
pub mod terms;
#[doc(hidden)]
pub mod test_site;
pub mod write_back;

pub use error::{PublishError, Result};
pub use outbox::{Outbox, OutboxConfig, OutboxEvent};
pub use outbox_service::OutboxService;
pub use profile::{Credentials, Portal, Profiles, Secret};
pub use publish::{
    PostStatus, Progress, ProgressFn, PublishOptions, PublishOutcome, PublishPlan, PublishRequest,
    Published, Publisher,
};
pub use store::{Job, Store};
pub use write_back::WriteBack;
