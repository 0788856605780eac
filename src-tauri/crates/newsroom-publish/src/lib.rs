//! Publishing drafts to the portal (WordPress REST API).

pub mod blocks;
pub mod error;

pub use error::{PublishError, Result};
