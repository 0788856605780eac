//! One module per family of subcommands.

pub mod config;
pub mod drafts;
pub mod portal;
pub mod review;
pub mod sync;
