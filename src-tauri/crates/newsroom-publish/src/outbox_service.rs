//! The outbox as a component of a long-running program (the app): started once when the
//! program starts, stopped once when it ends, with a bound on how long the stop may wait.
//!
//! [`OutboxService`] owns a publisher and, while running, its [`Outbox`] task. It holds
//! no global state: the app keeps one in its managed state, tests make as many as they
//! like. Stopping waits at most the given bound for the publish in flight; a job cut off
//! there stays queued in the publish database (its idempotency key makes the next run
//! safe), and the next start picks it up.

use std::sync::Mutex;
use std::time::Duration;

use crate::outbox::{Outbox, OutboxConfig, OutboxListener};
use crate::publish::Publisher;

/// How long the app waits on exit for a publish in flight before leaving it to the next
/// start.
pub const STOP_WITHIN: Duration = Duration::from_secs(3);

/// A publisher and its outbox task, started and stopped as one.
pub struct OutboxService {
    publisher: Publisher,
    config: OutboxConfig,
    running: Mutex<Option<Outbox>>,
}

impl OutboxService {
    pub fn new(publisher: Publisher, config: OutboxConfig) -> OutboxService {
        OutboxService {
            publisher,
            config,
            running: Mutex::new(None),
        }
    }

    /// The publisher the program's publishes go through (the same store as the outbox).
    pub fn publisher(&self) -> &Publisher {
        &self.publisher
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Outbox>> {
        self.running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Starts the outbox task on `runtime` (a no-op when it runs already). Jobs parked
    /// after crashes stay parked; due jobs run one at a time.
    pub fn start(&self, runtime: &tokio::runtime::Handle, listener: OutboxListener) {
        let mut slot = self.slot();
        if slot.is_some() {
            return;
        }
        let _entered = runtime.enter();
        *slot = Some(Outbox::start(
            self.publisher.clone(),
            self.config.clone(),
            listener,
        ));
    }

    pub fn is_running(&self) -> bool {
        self.slot().is_some()
    }

    /// Wakes the task: every waiting publish is due now. `false` when it is not running.
    pub async fn retry_now(&self) -> bool {
        let tx = self.slot().as_ref().map(Outbox::sender);
        match tx {
            Some(tx) => {
                crate::outbox::send_retry(&tx).await;
                true
            }
            None => false,
        }
    }

    /// Stops the task, waiting at most `within` for the publish in flight (then it is
    /// aborted and its job stays queued). A no-op when it is not running.
    pub async fn stop(&self, within: Duration) {
        let outbox = self.slot().take();
        if let Some(outbox) = outbox {
            outbox.shutdown(within).await;
        }
    }
}
