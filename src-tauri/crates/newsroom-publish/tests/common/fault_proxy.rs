//! A tiny HTTP proxy of the tests' own, on 127.0.0.1, between the client and WordPress,
//! that breaks connections at chosen points:
//! - `CutBeforeForward`: the request never reaches WordPress;
//! - `DropAnswer`: WordPress handles the request completely, the client never hears back;
//! - `CutMidBody(n)`: WordPress gets only the first `n` bytes of the body (mid upload);
//! - `Stall(d)`: the answer is held back `d` (longer than the client's timeout);
//! - `NotFound`: the proxy answers an HTML 404 itself (a site without pretty permalinks);
//!
//! and `set_down(true)` refuses every connection (the portal is unreachable).
//!
//! It counts the requests in flight per method and path (`max_in_flight`): from the
//! request's head until WordPress's whole answer is in (answers are read whole, then
//! passed on), so a request the client starts after an answer is never counted with it.
//!
//! `php -S` closes the connection after each answer, so one connection is one request.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    CutBeforeForward,
    DropAnswer,
    CutMidBody(usize),
    Stall(Duration),
    NotFound,
}

#[derive(Debug, Clone)]
struct Rule {
    method: String,
    path_contains: String,
    fault: Fault,
    times: usize,
}

#[derive(Default)]
struct State {
    rules: Mutex<Vec<Rule>>,
    down: AtomicBool,
    requests: Mutex<Vec<String>>,
    /// Every byte a client sent through the proxy (heads and bodies).
    sent: Mutex<Vec<u8>>,
    faults_applied: AtomicUsize,
    /// `METHOD path` (no query) → (in flight now, most ever in flight at once).
    in_flight: Mutex<HashMap<String, (usize, usize)>>,
}

/// A request in flight, counted until dropped.
struct Flight {
    state: Arc<State>,
    key: String,
}

impl Flight {
    fn start(state: &Arc<State>, method: &str, path: &str) -> Flight {
        let key = format!("{method} {}", path.split('?').next().unwrap_or(path));
        let mut all = state.in_flight.lock().unwrap();
        let (now, most) = all.entry(key.clone()).or_default();
        *now += 1;
        *most = (*most).max(*now);
        Flight {
            state: state.clone(),
            key,
        }
    }
}

impl Drop for Flight {
    fn drop(&mut self) {
        if let Some((now, _)) = self.state.in_flight.lock().unwrap().get_mut(&self.key) {
            *now -= 1;
        }
    }
}

pub struct FaultProxy {
    pub addr: SocketAddr,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultProxy {
    pub async fn start(upstream: &str) -> FaultProxy {
        let upstream: SocketAddr = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .expect("upstream must be http://127.0.0.1:PORT");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("addr");
        let state = Arc::new(State::default());
        let s2 = state.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((conn, _)) = listener.accept().await else {
                    continue;
                };
                let s3 = s2.clone();
                tokio::spawn(async move {
                    let _ = handle(conn, upstream, s3).await;
                });
            }
        });
        FaultProxy { addr, state, task }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Applies `fault` to the next `times` requests with this method whose path contains `path`.
    pub fn add(&self, method: &str, path: &str, fault: Fault, times: usize) {
        self.state.rules.lock().unwrap().push(Rule {
            method: method.into(),
            path_contains: path.into(),
            fault,
            times,
        });
    }

    pub fn clear(&self) {
        self.state.rules.lock().unwrap().clear();
    }

    pub fn set_down(&self, down: bool) {
        self.state.down.store(down, Ordering::SeqCst);
    }

    pub fn faults_applied(&self) -> usize {
        self.state.faults_applied.load(Ordering::SeqCst)
    }

    /// `METHOD path` of every request seen.
    pub fn requests(&self) -> Vec<String> {
        self.state.requests.lock().unwrap().clone()
    }

    /// Whether `needle` is anywhere in what clients sent (heads and bodies).
    pub fn sent_contains(&self, needle: &[u8]) -> bool {
        let sent = self.state.sent.lock().unwrap();
        !needle.is_empty() && sent.windows(needle.len()).any(|w| w == needle)
    }

    /// The most requests with this method whose path contains `path` that WordPress had
    /// at once (per path).
    pub fn max_in_flight(&self, method: &str, path: &str) -> usize {
        let prefix = format!("{method} ");
        self.state
            .in_flight
            .lock()
            .unwrap()
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix) && k.contains(path))
            .map(|(_, (_, most))| *most)
            .max()
            .unwrap_or(0)
    }

    /// How many bytes clients sent in all.
    pub fn sent_len(&self) -> usize {
        self.state.sent.lock().unwrap().len()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn take_fault(state: &State, method: &str, path: &str) -> Option<Fault> {
    let mut rules = state.rules.lock().unwrap();
    let i = rules
        .iter()
        .position(|r| r.times > 0 && r.method == method && path.contains(&r.path_contains))?;
    rules[i].times -= 1;
    state.faults_applied.fetch_add(1, Ordering::SeqCst);
    Some(rules[i].fault.clone())
}

async fn handle(
    mut client: TcpStream,
    upstream: SocketAddr,
    state: Arc<State>,
) -> std::io::Result<()> {
    if state.down.load(Ordering::SeqCst) {
        return Ok(()); // accepted and closed at once: the client sees the connection fail
    }
    // Read the request head.
    let mut head = Vec::new();
    let mut buf = [0u8; 8192];
    let header_end = loop {
        let n = client.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
        if let Some(i) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    state.sent.lock().unwrap().extend_from_slice(&head);
    let head_text = String::from_utf8_lossy(&head[..header_end]).to_string();
    let mut first = head_text.lines().next().unwrap_or("").split_whitespace();
    let method = first.next().unwrap_or("").to_owned();
    let path = percent_decode(first.next().unwrap_or(""));
    state
        .requests
        .lock()
        .unwrap()
        .push(format!("{method} {path}"));
    let fault = take_fault(&state, &method, &path);
    let flight = Flight::start(&state, &method, &path);

    match fault {
        Some(Fault::CutBeforeForward) => return Ok(()),
        Some(Fault::NotFound) => {
            let body = "<html><body><h1>Not Found</h1></body></html>";
            let answer = format!(
                "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            client.write_all(answer.as_bytes()).await?;
            return client.shutdown().await;
        }
        _ => {}
    }

    let mut server = TcpStream::connect(upstream).await?;
    if let Some(Fault::CutMidBody(n)) = fault {
        let keep = (header_end + n).min(head.len());
        server.write_all(&head[..keep]).await?;
        let mut sent = keep - header_end;
        while sent < n {
            let k = client.read(&mut buf).await?;
            if k == 0 {
                break;
            }
            let take = k.min(n - sent);
            server.write_all(&buf[..take]).await?;
            sent += take;
        }
        // Both sides are cut mid-upload.
        return Ok(());
    }
    server.write_all(&head).await?;
    let (mut cr, mut cw) = client.into_split();
    let (mut sr, mut sw) = server.into_split();
    let s2 = state.clone();
    let upload = tokio::spawn(async move {
        // A copy that also keeps what went upstream.
        let mut chunk = [0u8; 16384];
        loop {
            let n = match cr.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            s2.sent.lock().unwrap().extend_from_slice(&chunk[..n]);
            if sw.write_all(&chunk[..n]).await.is_err() {
                break;
            }
        }
    });
    // WordPress closes after answering: its whole answer, then the request is done there.
    let mut answer = Vec::new();
    let _ = sr.read_to_end(&mut answer).await;
    drop(flight);
    match fault {
        Some(Fault::DropAnswer) => {
            // WordPress finished; hang up on the client.
            upload.abort();
            drop(cw);
        }
        Some(Fault::Stall(d)) => {
            tokio::time::sleep(d).await;
            let _ = cw.write_all(&answer).await;
            upload.abort();
        }
        _ => {
            let _ = cw.write_all(&answer).await;
            let _ = cw.shutdown().await;
            upload.abort();
        }
    }
    Ok(())
}

fn percent_decode(s: &str) -> String {
    newsroom_core::images::percent_decode(s)
}
