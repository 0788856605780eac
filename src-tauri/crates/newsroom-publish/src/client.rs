//! A small WordPress REST client: authentication, the two URL forms of the REST API, and
//! the mapping of every failure to a [`PublishError`] that says what to do.
//!
//! Only GETs are retried here. Writes are made safe to repeat one level up (see
//! `docs/publishing.md`), where a retry first looks for what an interrupted attempt did.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use reqwest::{Method, StatusCode, header};
use serde_json::Value;

use crate::error::{PublishError, Result};
use crate::profile::{Credentials, normalise_url};

/// How long to wait for a connection and for a whole answer.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub connect_timeout: Duration,
    pub timeout: Duration,
    /// Upload answers take longer (WordPress makes the image sizes).
    pub upload_timeout: Duration,
    pub get_retries: u32,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            upload_timeout: Duration::from_secs(180),
            get_retries: 2,
        }
    }
}

const STYLE_UNKNOWN: u8 = 0;
const STYLE_PRETTY: u8 = 1;
const STYLE_QUERY: u8 = 2;

/// One portal, one user.
pub struct WpClient {
    http: reqwest::Client,
    base: String,
    user: String,
    auth: String,
    style: AtomicU8,
    options: ClientOptions,
    /// The user's role once known, for messages.
    role: Mutex<Option<String>>,
    /// Time spent waiting on the portal, for the benchmark and `Published::http_ms`.
    waiting: Waiting,
}

impl std::fmt::Debug for WpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WpClient")
            .field("base", &self.base)
            .field("user", &self.user)
            .field("auth", &"<redacted>")
            .finish()
    }
}

/// A file to upload to the media library.
#[derive(Debug, Clone)]
pub struct Upload {
    /// Sent as the multipart body's file part as it is: no copy is made, here or when a
    /// request is sent again (`Bytes` is shared, and reqwest streams it).
    pub bytes: bytes::Bytes,
    pub file_name: String,
    pub mime: String,
    /// Extra form fields (title, alt_text, description…).
    pub fields: Vec<(String, String)>,
}

/// An answer: the JSON body and the headers we use.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub total: Option<u64>,
    pub total_pages: Option<u64>,
}

/// One HTTP client (connection pool, loaded root certificates) per process and connect
/// timeout: building one costs tens of milliseconds.
fn shared_http(connect_timeout: Duration) -> reqwest::Result<reqwest::Client> {
    static CLIENTS: std::sync::OnceLock<
        Mutex<std::collections::HashMap<Duration, reqwest::Client>>,
    > = std::sync::OnceLock::new();
    let map = CLIENTS.get_or_init(Default::default);
    if let Some(c) = map
        .lock()
        .ok()
        .and_then(|m| m.get(&connect_timeout).cloned())
    {
        return Ok(c);
    }
    let client = reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Newsroom/", env!("CARGO_PKG_VERSION")))
        .build()?;
    if let Ok(mut m) = map.lock() {
        m.insert(connect_timeout, client.clone());
    }
    Ok(client)
}

fn install_crypto() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

impl WpClient {
    pub fn new(creds: &Credentials, options: ClientOptions) -> Result<WpClient> {
        install_crypto();
        let base = normalise_url(&creds.portal.url)?;
        let http = shared_http(options.connect_timeout).map_err(|e| PublishError::Tls {
            url: base.clone(),
            detail: e.to_string(),
        })?;
        let token = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            creds.portal.user,
            creds.password.expose().replace(' ', "")
        ));
        Ok(WpClient {
            http,
            base,
            user: creds.portal.user.clone(),
            auth: format!("Basic {token}"),
            style: AtomicU8::new(STYLE_UNKNOWN),
            options,
            role: Mutex::new(None),
            waiting: Waiting::default(),
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    pub fn set_role(&self, role: &str) {
        if let Ok(mut r) = self.role.lock() {
            *r = Some(role.to_owned());
        }
    }

    fn role(&self) -> String {
        self.role
            .lock()
            .ok()
            .and_then(|r| r.clone())
            .unwrap_or_else(|| "role unknown".into())
    }

    /// Wall time spent waiting for the portal's answers so far: the time during which at
    /// least one request was in flight (concurrent uploads overlap; their sum would count
    /// the same wait several times).
    pub fn waited(&self) -> Duration {
        self.waiting.total()
    }

    /// `true` once the client fell back to `?rest_route=` (pretty permalinks off).
    pub fn uses_query_routes(&self) -> bool {
        self.style.load(Ordering::Relaxed) == STYLE_QUERY
    }

    fn url(&self, style: u8, route: &str, query: &[(&str, String)]) -> String {
        let mut url = if style == STYLE_QUERY {
            format!("{}/?rest_route={}", self.base, encode_route(route))
        } else {
            format!("{}/wp-json{}", self.base, route)
        };
        let mut sep = if style == STYLE_QUERY { '&' } else { '?' };
        for (k, v) in query {
            url.push(sep);
            url.push_str(k);
            url.push('=');
            url.push_str(&encode_query(v));
            sep = '&';
        }
        url
    }

    pub async fn get(&self, route: &str, query: &[(&str, String)]) -> Result<Answer> {
        let mut attempt = 0;
        loop {
            match self.send(Method::GET, route, query, Body::None).await {
                Err(e) if e.is_transient() && attempt < self.options.get_retries => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(300 * u64::from(attempt))).await;
                }
                other => return other,
            }
        }
    }

    pub async fn post(&self, route: &str, body: &Value) -> Result<Answer> {
        // Serialised once: a second try (the other route form) sends the same bytes.
        let json = serde_json::to_vec(body).map_err(|e| {
            PublishError::InvalidArgument(format!("the request to {route} is not JSON: {e}"))
        })?;
        self.send(Method::POST, route, &[], Body::Json(json.into()))
            .await
    }

    pub async fn delete(&self, route: &str, query: &[(&str, String)]) -> Result<Answer> {
        self.send(Method::DELETE, route, query, Body::None).await
    }

    pub async fn upload(&self, upload: Upload) -> Result<Answer> {
        self.send(Method::POST, "/wp/v2/media", &[], Body::Upload(upload))
            .await
    }

    async fn send(
        &self,
        method: Method,
        route: &str,
        query: &[(&str, String)],
        body: Body,
    ) -> Result<Answer> {
        let style = self.style.load(Ordering::Relaxed);
        let first = if style == STYLE_UNKNOWN {
            STYLE_PRETTY
        } else {
            style
        };
        let answer = self.send_once(first, &method, route, query, &body).await;
        if style != STYLE_UNKNOWN {
            return answer;
        }
        match answer {
            // Pretty permalinks off: `/wp-json/…` is the site's 404 page (or its home page).
            Err(PublishError::RestApiNotFound { .. }) => {
                let again = self
                    .send_once(STYLE_QUERY, &method, route, query, &body)
                    .await;
                if !matches!(again, Err(PublishError::RestApiNotFound { .. })) {
                    self.style.store(STYLE_QUERY, Ordering::Relaxed);
                }
                again
            }
            other => {
                if !matches!(other, Err(ref e) if e.is_transient()) {
                    self.style.store(STYLE_PRETTY, Ordering::Relaxed);
                }
                other
            }
        }
    }

    async fn send_once(
        &self,
        style: u8,
        method: &Method,
        route: &str,
        query: &[(&str, String)],
        body: &Body,
    ) -> Result<Answer> {
        let url = self.url(style, route, query);
        let mut req = self
            .http
            .request(method.clone(), &url)
            .header(header::AUTHORIZATION, &self.auth);
        let timeout = match body {
            Body::None => {
                req = req.timeout(self.options.timeout);
                self.options.timeout
            }
            Body::Json(v) => {
                req = req
                    .timeout(self.options.timeout)
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(v.clone());
                self.options.timeout
            }
            Body::Upload(u) => {
                // `Bytes` → a body of known length (so the form has a Content-Length, which
                // `php -S` and some proxies need: no chunked request), no copy.
                let part = reqwest::multipart::Part::stream(u.bytes.clone())
                    .file_name(u.file_name.clone())
                    .mime_str(&u.mime)
                    .map_err(|e| PublishError::InvalidArgument(format!("{}: {e}", u.file_name)))?;
                let mut form = reqwest::multipart::Form::new().part("file", part);
                for (k, v) in &u.fields {
                    form = form.text(k.clone(), v.clone());
                }
                req = req.timeout(self.options.upload_timeout).multipart(form);
                self.options.upload_timeout
            }
        };
        let waiting = self.waiting.start();
        let result = async {
            let resp = req.send().await?;
            let status = resp.status();
            let headers = resp.headers().clone();
            let bytes = resp.bytes().await?;
            Ok::<_, reqwest::Error>((status, headers, bytes))
        }
        .await;
        drop(waiting);
        let (status, headers, bytes) =
            result.map_err(|e| self.transport_error(&url, e, timeout))?;
        self.interpret(&url, route, status, &headers, &bytes)
    }

    fn transport_error(&self, url: &str, e: reqwest::Error, timeout: Duration) -> PublishError {
        let shown = redact_query(url);
        if e.is_timeout() {
            return PublishError::Timeout {
                url: shown,
                seconds: timeout.as_secs(),
            };
        }
        let chain = error_chain(&e);
        let tls = std::iter::successors(std::error::Error::source(&e), |s| s.source())
            .any(|s| s.downcast_ref::<rustls::Error>().is_some())
            || chain.contains("certificate")
            || chain.contains("tls handshake");
        if tls {
            return PublishError::Tls {
                url: shown,
                detail: chain,
            };
        }
        // The innermost cause says it best ("Connection refused", "connection closed").
        let inner = std::iter::successors(std::error::Error::source(&e), |s| s.source())
            .last()
            .map(|s| s.to_string())
            .unwrap_or_else(|| e.to_string());
        let _ = shown;
        PublishError::Unreachable {
            url: self.base.clone(),
            detail: inner,
        }
    }

    fn interpret(
        &self,
        url: &str,
        route: &str,
        status: StatusCode,
        headers: &header::HeaderMap,
        bytes: &[u8],
    ) -> Result<Answer> {
        let json: Option<Value> = serde_json::from_slice(bytes).ok();
        let header_num = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse().ok())
        };
        if status.is_redirection() {
            let to = headers
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("?")
                .to_owned();
            let to_base = to
                .split("/wp-json")
                .next()
                .unwrap_or(&to)
                .split("/?rest_route")
                .next()
                .unwrap_or(&to)
                .to_owned();
            return Err(PublishError::Redirected {
                from: self.base.clone(),
                to,
                to_base,
            });
        }
        let Some(body) = json else {
            // The web server refused the body before WordPress saw it (its own HTML page).
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                return Err(PublishError::Rejected {
                    status: 413,
                    code: "too_large".into(),
                    message: "the portal's web server refused the request as too large; publish a smaller image, or raise the server's upload limit (LimitRequestBody, client_max_body_size, upload_max_filesize)".into(),
                    term_id: None,
                });
            }
            if status.is_server_error() {
                return Err(PublishError::Server {
                    status: status.as_u16(),
                    code: "no_json".into(),
                    message: snippet(bytes),
                });
            }
            // Not JSON at all: this is not the REST API answering.
            return Err(PublishError::RestApiNotFound {
                url: redact_query(url),
            });
        };
        if status.is_success() {
            return Ok(Answer {
                status: status.as_u16(),
                body,
                total: header_num("x-wp-total"),
                total_pages: header_num("x-wp-totalpages"),
            });
        }
        let code = body
            .get("code")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let mut message = body
            .get("message")
            .and_then(Value::as_str)
            .map(strip_tags)
            .unwrap_or_else(|| snippet(bytes));
        // `rest_invalid_param`: which parameter, and why, is in `data.params`.
        if let Some(params) = body.pointer("/data/params").and_then(Value::as_object) {
            let why: Vec<String> = params
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{k}: {}",
                        v.as_str().map_or_else(|| v.to_string(), strip_tags)
                    )
                })
                .collect();
            if !why.is_empty() {
                message = format!("{message} ({})", why.join("; "));
            }
        }
        let mut err = self.map_error(status.as_u16(), &code, &message, route);
        if let PublishError::Rejected { term_id, .. } = &mut err {
            *term_id = body.pointer("/data/term_id").and_then(Value::as_u64);
        }
        Err(err)
    }

    /// WordPress's error codes, turned into what the user should do.
    pub fn map_error(&self, status: u16, code: &str, message: &str, route: &str) -> PublishError {
        map_wp_error(
            &self.user,
            &self.role(),
            status,
            code,
            message,
            route,
            &self.base,
        )
    }
}

/// WordPress's error codes, turned into what the user should do.
pub fn map_wp_error(
    user: &str,
    role: &str,
    status: u16,
    code: &str,
    message: &str,
    route: &str,
    base: &str,
) -> PublishError {
    let forbidden = |action: &str, hint: &str| PublishError::Forbidden {
        user: user.to_owned(),
        role: role.to_owned(),
        action: action.to_owned(),
        hint: hint.to_owned(),
    };
    match (status, code) {
        (
            401,
            "incorrect_password"
            | "invalid_username"
            | "invalid_email"
            | "application_passwords_disabled"
            | "application_passwords_disabled_for_user",
        ) => PublishError::Unauthorized {
            user: user.to_owned(),
            detail: message.to_owned(),
        },
        (401, "rest_not_logged_in") => PublishError::AuthHeaderStripped {
            user: user.to_owned(),
        },
        (401 | 403, "rest_cannot_publish") => forbidden(
            "publish or schedule posts",
            "submit it for review instead (publish with --status pending); an editor then publishes it",
        ),
        (401 | 403, "rest_cannot_edit" | "rest_cannot_edit_others") => forbidden(
            "edit this post (it belongs to someone else)",
            "ask an editor to publish the change, or publish it as a new post with --republish-new",
        ),
        (401 | 403, "rest_cannot_create") if route.starts_with("/wp/v2/media") => forbidden(
            "upload images",
            "remove the local images from the draft, or ask an editor to publish it",
        ),
        (401 | 403, "rest_cannot_create")
            if route.starts_with("/wp/v2/tags") || route.starts_with("/wp/v2/categories") =>
        {
            forbidden(
                "create tags or categories",
                "use the portal's existing ones, or ask an editor to create them",
            )
        }
        (401 | 403, "rest_cannot_assign_author" | "rest_invalid_author") => forbidden(
            "publish under another author's name",
            "leave `author` out, or ask an editor to publish it",
        ),
        (401, _) if code.starts_with("rest_cannot") => {
            forbidden("do this", &format!("the portal says: {message}"))
        }
        (401, _) => PublishError::Unauthorized {
            user: user.to_owned(),
            detail: format!("{code}: {message}"),
        },
        (403, _) => forbidden("do this", &format!("the portal says: {message} ({code})")),
        (404, "rest_no_route") => PublishError::RestApiNotFound {
            url: base.to_owned(),
        },
        (500..=599, _) => PublishError::Server {
            status,
            code: code.to_owned(),
            message: message.to_owned(),
        },
        _ => PublishError::Rejected {
            status,
            code: code.to_owned(),
            message: message.to_owned(),
            term_id: None,
        },
    }
}

enum Body {
    None,
    /// Serialised JSON.
    Json(bytes::Bytes),
    Upload(Upload),
}

/// The wall time during which at least one request was in flight: the union of the
/// requests' intervals, kept with a count of requests in flight.
#[derive(Default)]
struct Waiting(Mutex<WaitingState>);

#[derive(Default)]
struct WaitingState {
    in_flight: usize,
    /// When the count last rose from zero.
    since: Option<Instant>,
    /// The closed intervals so far.
    total: Duration,
}

impl Waiting {
    /// A request starts; it ends when the guard drops (answered, failed or cancelled).
    fn start(&self) -> WaitingGuard<'_> {
        let mut w = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if w.in_flight == 0 {
            w.since = Some(Instant::now());
        }
        w.in_flight += 1;
        WaitingGuard(self)
    }

    fn total(&self) -> Duration {
        let w = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        w.total + w.since.map_or(Duration::ZERO, |s| s.elapsed())
    }
}

struct WaitingGuard<'a>(&'a Waiting);

impl Drop for WaitingGuard<'_> {
    fn drop(&mut self) {
        let mut w = (self.0)
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        w.in_flight -= 1;
        if w.in_flight == 0 {
            if let Some(since) = w.since.take() {
                w.total += since.elapsed();
            }
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = e.source();
    while let Some(s) = src {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        src = s.source();
    }
    parts.join(": ")
}

fn redact_query(url: &str) -> String {
    url.to_owned()
}

fn snippet(bytes: &[u8]) -> String {
    let text = strip_tags(&String::from_utf8_lossy(bytes));
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.chars().take(200).collect()
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn encode_route(route: &str) -> String {
    route
        .chars()
        .map(|c| {
            if c == '?' || c == '&' || c == '#' || c == ' ' {
                format!("%{:02X}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Percent-encodes a query value.
pub fn encode_query(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~,".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(status: u16, wp: &str, route: &str) -> &'static str {
        map_wp_error("carl", "contributor", status, wp, "msg", route, "https://x").code()
    }

    #[test]
    fn wordpress_errors_map_to_codes_with_advice() {
        assert_eq!(
            code(401, "incorrect_password", "/wp/v2/users/me"),
            "unauthorized"
        );
        assert_eq!(
            code(401, "rest_not_logged_in", "/wp/v2/users/me"),
            "auth_header_stripped"
        );
        assert_eq!(
            code(403, "rest_cannot_publish", "/wp/v2/posts"),
            "forbidden"
        );
        assert_eq!(code(401, "rest_cannot_create", "/wp/v2/posts"), "forbidden");
        assert_eq!(
            code(404, "rest_no_route", "/wp/v2/posts"),
            "rest_api_not_found"
        );
        assert_eq!(
            code(404, "rest_post_invalid_id", "/wp/v2/posts/9"),
            "rejected"
        );
        assert_eq!(code(502, "", "/wp/v2/posts"), "server_error");
        assert_eq!(code(400, "rest_invalid_param", "/wp/v2/posts"), "rejected");
        let e = map_wp_error(
            "carl",
            "contributor",
            403,
            "rest_cannot_publish",
            "m",
            "/wp/v2/posts",
            "b",
        );
        assert!(e.to_string().contains("--status pending"), "{e}");
        assert!(e.to_string().contains("contributor"), "{e}");
        let e = map_wp_error(
            "carl",
            "contributor",
            403,
            "rest_cannot_create",
            "m",
            "/wp/v2/media",
            "b",
        );
        assert!(e.to_string().contains("upload images"), "{e}");
        assert!(
            PublishError::Server {
                status: 503,
                code: String::new(),
                message: String::new()
            }
            .is_transient()
        );
        assert!(!e.is_transient());
    }

    #[test]
    fn waiting_counts_overlapping_requests_once() {
        let w = Waiting::default();
        let a = w.start();
        let b = w.start();
        drop(a);
        {
            let s = w.0.lock().unwrap();
            assert_eq!(
                (s.in_flight, s.total),
                (1, Duration::ZERO),
                "still waiting on b"
            );
            assert!(s.since.is_some());
        }
        drop(b);
        let closed = {
            let s = w.0.lock().unwrap();
            assert_eq!(s.in_flight, 0);
            assert!(s.since.is_none(), "one interval, closed");
            s.total
        };
        assert_eq!(w.total(), closed, "nothing in flight: the total stands");
        drop(w.start());
        assert!(w.total() >= closed);
    }

    #[test]
    fn both_route_forms() {
        let c = WpClient::new(
            &Credentials {
                portal: crate::profile::Portal {
                    name: "p".into(),
                    url: "http://127.0.0.1:1/".into(),
                    user: "u".into(),
                },
                password: crate::profile::Secret::new("x"),
            },
            ClientOptions::default(),
        )
        .unwrap();
        let q = [
            ("search", "nr a&b".to_owned()),
            ("status", "any".to_owned()),
        ];
        assert_eq!(
            c.url(STYLE_PRETTY, "/wp/v2/posts", &q),
            "http://127.0.0.1:1/wp-json/wp/v2/posts?search=nr%20a%26b&status=any"
        );
        assert_eq!(
            c.url(STYLE_QUERY, "/wp/v2/posts", &q),
            "http://127.0.0.1:1/?rest_route=/wp/v2/posts&search=nr%20a%26b&status=any"
        );
        assert!(!format!("{c:?}").contains("Basic"));
    }
}
