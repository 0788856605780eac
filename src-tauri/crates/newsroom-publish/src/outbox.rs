//! The offline outbox: publishes that could not reach the portal wait in the publish
//! database and are retried with exponential backoff and jitter by a background task.
//!
//! [`Outbox::start`] spawns the task; [`Outbox::retry_now`] wakes it ("retry now");
//! [`Outbox::shutdown`] stops it within a bound, leaving unfinished jobs queued (their
//! idempotency keys make the next run safe). SQLite work runs in `spawn_blocking`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::error::Result;
use crate::publish::Publisher;
use crate::request::{Progress, ProgressFn, PublishOutcome};
use crate::runtime::blocking;
use crate::store::{Job, Store, now_ms};

/// The record of a publish cut off by a stop.
const INTERRUPTED: &str =
    "the app was closed while this was being published; it is tried again at the next start";

pub use crate::backoff::backoff;

/// What the outbox reports to the app.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum OutboxEvent {
    Attempt {
        job_key: String,
        path: String,
        portal: String,
    },
    Progress {
        job_key: String,
        progress: Progress,
    },
    Published {
        job_key: String,
        path: String,
        link: String,
        post_id: u64,
    },
    StillWaiting {
        job_key: String,
        path: String,
        code: String,
        message: String,
        next_attempt_ms: i64,
    },
    Failed {
        job_key: String,
        path: String,
        code: String,
        message: String,
    },
}

pub type OutboxListener = std::sync::Arc<dyn Fn(OutboxEvent) + Send + Sync>;

enum Command {
    RetryNow,
    Shutdown(oneshot::Sender<()>),
}

/// How the task behaves.
#[derive(Debug, Clone)]
pub struct OutboxConfig {
    /// Longest sleep between looks at the database (new jobs from the CLI appear).
    pub idle_poll: Duration,
}

impl Default for OutboxConfig {
    fn default() -> Self {
        OutboxConfig {
            idle_poll: Duration::from_secs(30),
        }
    }
}

/// The command channel of a running outbox (see [`Outbox::sender`]).
pub(crate) struct OutboxSender(mpsc::Sender<Command>);

pub(crate) async fn send_retry(tx: &OutboxSender) {
    let _ = tx.0.send(Command::RetryNow).await;
}

/// The running outbox task.
pub struct Outbox {
    tx: mpsc::Sender<Command>,
    handle: JoinHandle<()>,
    store: Store,
    /// The job being published now, if any: a stop that cuts it off says so in its record.
    in_flight: InFlight,
}

type InFlight = Arc<Mutex<Option<String>>>;

fn set_in_flight(slot: &InFlight, key: Option<String>) {
    *slot
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = key;
}

impl Outbox {
    /// Starts the task on the current tokio runtime.
    pub fn start(publisher: Publisher, config: OutboxConfig, listener: OutboxListener) -> Outbox {
        let (tx, rx) = mpsc::channel(16);
        let store = publisher.store().clone();
        let in_flight = InFlight::default();
        let handle = tokio::spawn(run(publisher, config, listener, rx, in_flight.clone()));
        Outbox {
            tx,
            handle,
            store,
            in_flight,
        }
    }

    /// Makes every waiting publish due and wakes the task.
    pub async fn retry_now(&self) {
        let _ = self.tx.send(Command::RetryNow).await;
    }

    /// A handle on the task's command channel, to wake it without holding the `Outbox`.
    pub(crate) fn sender(&self) -> OutboxSender {
        OutboxSender(self.tx.clone())
    }

    /// Stops the task, waiting at most `within` for the publish in flight; after that it is
    /// aborted: its job stays queued, safe to run again, and is not counted as an attempt
    /// that ended the process (a closed app is not a crash: it must not park the job).
    pub async fn shutdown(self, within: Duration) {
        let (done_tx, done_rx) = oneshot::channel();
        let _ = self.tx.send(Command::Shutdown(done_tx)).await;
        let mut handle = self.handle;
        if tokio::time::timeout(within, done_rx).await.is_err()
            || tokio::time::timeout(Duration::from_millis(200), &mut handle)
                .await
                .is_err()
        {
            handle.abort();
            let _ = handle.await;
            let cut = self
                .in_flight
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take();
            if let Some(key) = cut {
                let store = self.store.clone();
                let _ = blocking(move || {
                    store.record_failure(&key, "interrupted", INTERRUPTED, Some(Duration::ZERO))
                })
                .await;
            }
        }
    }
}

async fn run(
    publisher: Publisher,
    config: OutboxConfig,
    listener: OutboxListener,
    mut rx: mpsc::Receiver<Command>,
    in_flight: InFlight,
) {
    // Jobs whose attempts ended the process twice (a crash on a hostile draft) are parked
    // before anything runs: a crash must not become a crash loop.
    {
        let store = publisher.store().clone();
        let _ = blocking(move || store.park_crashed()).await;
    }
    loop {
        // Run what is due, one job at a time.
        let due = {
            let store = publisher.store().clone();
            blocking(move || store.outbox()).await.unwrap_or_default()
        };
        let now = now_ms();
        let mut next_wake = config.idle_poll;
        for job in due {
            if job.state != "queued" {
                continue;
            }
            if job.next_attempt_ms > now {
                let wait = Duration::from_millis((job.next_attempt_ms - now) as u64);
                next_wake = next_wake.min(wait);
                continue;
            }
            // The publish in flight runs to its end; a shutdown asked meanwhile is answered
            // after it (the caller aborts us if that takes longer than it allows).
            let mut stopping: Option<oneshot::Sender<()>> = None;
            let mut closed = false;
            set_in_flight(&in_flight, Some(job.key.clone()));
            let fut = run_one(&publisher, &job, &listener);
            tokio::pin!(fut);
            loop {
                tokio::select! {
                    _ = &mut fut => break,
                    cmd = rx.recv(), if stopping.is_none() && !closed => match cmd {
                        Some(Command::RetryNow) => {}
                        Some(Command::Shutdown(done)) => stopping = Some(done),
                        None => closed = true,
                    },
                }
            }
            set_in_flight(&in_flight, None);
            if let Some(done) = stopping {
                let _ = done.send(());
                return;
            }
            if closed {
                return;
            }
            next_wake = Duration::ZERO;
            break;
        }
        if next_wake.is_zero() {
            continue;
        }
        tokio::select! {
            cmd = rx.recv() => match cmd {
                Some(Command::RetryNow) => {
                    let store = publisher.store().clone();
                    let _ = blocking(move || store.make_due()).await;
                }
                Some(Command::Shutdown(done)) => { let _ = done.send(()); return; }
                None => return,
            },
            _ = tokio::time::sleep(next_wake) => {}
        }
    }
}

async fn run_one(publisher: &Publisher, job: &Job, listener: &OutboxListener) {
    listener(OutboxEvent::Attempt {
        job_key: job.key.clone(),
        path: job.path.clone(),
        portal: job.portal.clone(),
    });
    let (l2, key) = (listener.clone(), job.key.clone());
    let progress: ProgressFn = std::sync::Arc::new(move |p: &Progress| {
        l2(OutboxEvent::Progress {
            job_key: key.clone(),
            progress: p.clone(),
        })
    });
    match publisher.run_key(&job.key, progress).await {
        Ok(PublishOutcome::Published(p)) => listener(OutboxEvent::Published {
            job_key: job.key.clone(),
            path: job.path.clone(),
            link: p.link,
            post_id: p.post_id,
        }),
        Ok(PublishOutcome::Queued {
            code,
            message,
            next_attempt_ms,
            ..
        }) => listener(OutboxEvent::StillWaiting {
            job_key: job.key.clone(),
            path: job.path.clone(),
            code,
            message,
            next_attempt_ms,
        }),
        Err(e) => listener(OutboxEvent::Failed {
            job_key: job.key.clone(),
            path: job.path.clone(),
            code: e.code().into(),
            message: e.to_string(),
        }),
    }
}

/// Runs every queued job once, now (`newsroom outbox --run`); returns each job's result.
/// Parked jobs are left alone (publishing their draft again re-queues them).
pub async fn drain(
    publisher: &Publisher,
    progress: ProgressFn,
) -> Result<Vec<(Job, Result<PublishOutcome>)>> {
    let store = publisher.store().clone();
    let jobs = blocking(move || {
        store.park_crashed()?;
        store.outbox()
    })
    .await?;
    let mut out = Vec::new();
    for job in jobs.into_iter().filter(|j| j.state == "queued") {
        let r = publisher.run_key(&job.key, progress.clone()).await;
        out.push((job, r));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let base = Duration::from_secs(1);
        let max = Duration::from_secs(60);
        for n in 1..=12 {
            let full = (base * (1 << (n - 1))).min(max);
            for _ in 0..50 {
                let d = backoff(n, base, max);
                assert!(
                    d >= full / 2 && d <= full,
                    "attempt {n}: {d:?} not in [{:?}, {full:?}]",
                    full / 2
                );
            }
        }
        let samples: std::collections::HashSet<_> =
            (0..50).map(|_| backoff(5, base, max)).collect();
        assert!(samples.len() > 5, "jitter spreads the waits");
        assert!(backoff(100, base, max) <= max);
    }
}
