//! Blocking work (SQLite, files) run off the async runtime's threads.

use crate::error::{PublishError, Result};

pub(crate) use newsroom_core::scan::abs_path;

/// Runs `f` on tokio's blocking pool: the store and the drafts folder are synchronous.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| PublishError::InvalidArgument(format!("background task failed: {e}")))?
}
