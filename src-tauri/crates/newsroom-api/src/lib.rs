//! The app's commands without Tauri (as GitButler's `but-api`): each IPC command's body is a
//! plain function here, taking the state it needs (the open [`Workspace`], the [`Settings`],
//! the portal profiles) and its parsed arguments, and answering `Result<_, ApiError>` with
//! the one [`ErrorCode`]. `src-tauri` keeps only the `#[tauri::command]` wrappers that find
//! that state and run these off the IPC thread, plus the events and the two protocols.
//!
//! It also owns the page's contract: the events ([`events::Event`]), the error codes and
//! the TypeScript generated from all of it ([`contract`], `make contract`).
//!
//! [`Workspace`]: newsroom_core::Workspace
//! [`Settings`]: settings::Settings

pub mod contract;
pub mod drafts;
pub mod error;
pub mod events;
pub mod portals;
pub mod review;
pub mod settings;
pub mod spelling;
pub mod sync;

pub use error::{ApiError, ApiResult, ErrorBody, ErrorCode};
