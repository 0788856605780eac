//! Editorial review, headless: the workflow and its trail in the front matter,
//! CriticMarkup suggestions and comments, who is editing what, the review and desk
//! queues, and the sentences the app shows when a colleague moves a piece along.
//!
//! Every piece of review state lives in the drafts' files (or, for locks, beside them),
//! so it travels with the folder over a network share, a sync tool or git. See
//! `docs/review.md` for the formats.
//!
//! The top layer of the core: it may use everything below it (the workspace, `render`,
//! [`crate::critic`], [`crate::markdown`]); nothing below uses it.

/// CriticMarkup's grammar lives below rendering, in [`crate::critic`]; this keeps the
/// older path `review::critic` working.
pub use crate::critic;

#[cfg(feature = "storage")]
pub mod lock;
#[cfg(feature = "storage")]
pub mod notify;
#[cfg(feature = "storage")]
pub mod queue;
#[cfg(feature = "storage")]
pub mod workflow;
