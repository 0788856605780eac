//! The outbox as the app runs it: started once, stopped once within a bound, no globals.
//! Needs no WordPress: the "portal" is a local socket that accepts and never answers, so a
//! publish is in flight when the stop comes.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use newsroom_publish::client::ClientOptions;
use newsroom_publish::profile::{Credentials, Portal, Secret};
use newsroom_publish::store::JobRequest;
use newsroom_publish::{
    OutboxConfig, OutboxEvent, OutboxService, PublishOptions, Publisher, Store,
};

/// A "portal" that takes connections and never says a word.
async fn silent_portal() -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    (url, task)
}

fn service(dir: &std::path::Path, url: &str) -> (OutboxService, Store) {
    let store = Store::open(&dir.join("publish.sqlite3")).unwrap();
    let creds = Credentials {
        portal: Portal {
            name: "local".into(),
            url: url.into(),
            user: "desk".into(),
        },
        password: Secret::new(String::from("x")),
    };
    let options = PublishOptions {
        client: ClientOptions {
            timeout: Duration::from_secs(60),
            get_retries: 0,
            ..Default::default()
        },
        index_path: Some(dir.join("index.sqlite3")),
        ..Default::default()
    };
    let publisher = Publisher::new(store.clone(), Arc::new(move |_| Ok(creds.clone())), options);
    (
        OutboxService::new(publisher, OutboxConfig::default()),
        store,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_waits_at_most_its_bound_and_the_job_stays_queued_for_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("drafts");
    std::fs::create_dir_all(&root).unwrap();
    let root = root.canonicalize().unwrap();
    std::fs::write(root.join("a.md"), "---\ntitle: A\n---\nBody\n").unwrap();
    let (url, portal) = silent_portal().await;
    let (outbox, store) = service(dir.path(), &url);
    let job = store
        .job_for("local", &root, "a.md", &JobRequest::default())
        .unwrap();

    assert!(!outbox.is_running());
    assert!(
        !outbox.retry_now().await,
        "nothing to wake before the start"
    );
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    outbox.start(
        &tokio::runtime::Handle::current(),
        Arc::new(move |e: OutboxEvent| seen.lock().unwrap().push(e)),
    );
    assert!(outbox.is_running());
    // the job is due: the task takes it, and its first request hangs on the silent portal
    let deadline = Instant::now() + Duration::from_secs(10);
    while !events
        .lock()
        .unwrap()
        .iter()
        .any(|e| matches!(e, OutboxEvent::Attempt { job_key, .. } if *job_key == job.key))
    {
        assert!(Instant::now() < deadline, "the outbox never took the job");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;

    let asked = Instant::now();
    outbox.stop(Duration::from_millis(300)).await;
    let took = asked.elapsed();
    assert!(took < Duration::from_secs(2), "the stop took {took:?}");
    assert!(!outbox.is_running());
    assert!(
        !events.lock().unwrap().iter().any(|e| matches!(
            e,
            OutboxEvent::Published { .. } | OutboxEvent::Failed { .. }
        )),
        "the publish in flight was cut off, not finished"
    );
    let left = store.job(&job.key).unwrap().unwrap();
    assert_eq!(left.state, "queued", "the job waits for the next start");
    assert_eq!(
        left.starts_unfinished, 0,
        "a stop is not a crash: never parked for it"
    );
    assert_eq!(left.last_error_code.as_deref(), Some("interrupted"));
    assert!(store.outbox().unwrap().iter().any(|j| j.key == job.key));

    // a second stop is harmless; a new start runs again
    outbox.stop(Duration::from_millis(10)).await;
    outbox.start(&tokio::runtime::Handle::current(), Arc::new(|_| {}));
    assert!(outbox.is_running());
    assert!(outbox.retry_now().await);
    outbox.stop(Duration::from_millis(100)).await;
    portal.abort();
}
