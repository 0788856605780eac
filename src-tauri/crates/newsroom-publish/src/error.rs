//! The publish crate's one error type.
//!
//! Each variant says what happened *and what to do*, because the person reading it is a
//! reporter on deadline. The app branches on [`PublishError::code`] (stable strings) only
//! where it must: `changed_on_portal` offers "overwrite", `deleted_on_portal` offers
//! "publish as new", `unreachable` shows the outbox.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("no portal named `{name}`; {}", known_list(known))]
    NoSuchPortal { name: String, known: Vec<String> },

    #[error("a portal named `{0}` already exists; remove it first (`newsroom portal remove {0}`)")]
    PortalExists(String),

    #[error("`{url}` is not a usable portal address: {reason}")]
    InvalidUrl { url: String, reason: String },

    #[error(
        "refusing to send the password for `{url}` over plain http: use https:// (plain http is allowed only for a portal on this computer: a loopback address such as 127.0.0.1 or ::1, or the name localhost itself)"
    )]
    InsecureUrl { url: String },

    #[error(
        "no password for portal `{portal}`: run `newsroom portal add {portal} --url … --user …` again, or set NEWSROOM_PORTAL_PASSWORD (with NEWSROOM_PORTAL={portal} when there is more than one portal)"
    )]
    NoPassword { portal: String },

    #[error(
        "the portal refused user `{user}` ({detail}): check the user name and that the password is an application password (WordPress: Users → Profile → Application Passwords), not the login password"
    )]
    Unauthorized { user: String, detail: String },

    #[error(
        "the portal answered as if nobody were logged in, although user `{user}` sent a password. Either the user name or application password is wrong (WordPress: Users → Profile → Application Passwords; the login password does not work here), or the web server strips the Authorization header before WordPress sees it (Apache with PHP-FPM/CGI: add `SetEnvIf Authorization \"(.*)\" HTTP_AUTHORIZATION=$1` to .htaccess, or ask the host)"
    )]
    AuthHeaderStripped { user: String },

    #[error("user `{user}` ({role}) may not {action} on this portal: {hint}")]
    Forbidden {
        user: String,
        role: String,
        action: String,
        hint: String,
    },

    #[error(
        "no WordPress REST API at {url}: check the address (it is the site's home page address, without /wp-json or /wp-admin) and that the REST API is not disabled by a plugin"
    )]
    RestApiNotFound { url: String },

    #[error(
        "the portal redirects {from} to {to}: use that address for the portal (`newsroom portal add` with --url {to_base})"
    )]
    Redirected {
        from: String,
        to: String,
        to_base: String,
    },

    #[error(
        "secure connection to {url} failed ({detail}): check the address and the site's certificate (an expired or self-signed certificate is refused)"
    )]
    Tls { url: String, detail: String },

    #[error("the portal at {url} did not answer within {seconds} s; it will be retried")]
    Timeout { url: String, seconds: u64 },

    #[error(
        "cannot reach the portal at {url} ({detail}); check the network — the publish waits in the outbox and will be retried"
    )]
    Unreachable { url: String, detail: String },

    #[error("the portal had an internal error ({status} {code}: {message}); it will be retried")]
    Server {
        status: u16,
        code: String,
        message: String,
    },

    #[error("the portal refused the request ({status} {code}): {message}")]
    Rejected {
        status: u16,
        code: String,
        message: String,
        /// `term_exists`: the id of the existing term (WordPress's `data.term_id`).
        term_id: Option<u64>,
    },

    #[error("the portal's answer to {what} was not understood: {detail}")]
    UnexpectedResponse { what: String, detail: String },

    #[error("{}", unknown_categories(names, available))]
    UnknownCategory {
        names: Vec<String>,
        available: Vec<String>,
    },

    #[error(
        "post {post_id} was changed on the portal since it was last published from here (portal: {theirs}, ours: {ours}); publish again with --overwrite to replace those changes, or `newsroom pull` it to see them"
    )]
    ChangedOnPortal {
        post_id: u64,
        link: String,
        ours: String,
        theirs: String,
    },

    #[error(
        "post {post_id} no longer exists on the portal ({how}); publish with --republish-new to create it again as a new post"
    )]
    DeletedOnPortal { post_id: u64, how: String },

    #[error("{}: {message}", path.display())]
    Image { path: PathBuf, message: String },

    /// An image the draft uses that may not leave the computer (outside the folder, a
    /// symbolic link, not a regular file, not an image type the portal takes, too big).
    #[error("{file}:{line}: image `{image}`: {reason}")]
    ImageRefused {
        file: String,
        line: usize,
        image: String,
        reason: String,
    },

    /// A file that may not be read for the portal (a draft that is a symbolic link, a path
    /// leaving the folder, not a regular file, too big).
    #[error("{file}: {reason}")]
    OutsideFolder { file: String, reason: String },

    /// A conflict copy (the other side of a save) looks like its draft but is never
    /// published: publishing it would make a second post of the same piece.
    #[error(
        "{file}: this is a conflict copy, never published; compare it with its draft and keep one version, then publish the draft"
    )]
    ConflictCopy { file: String },

    /// The draft's `portal.post_id` names a post this draft cannot be shown to own.
    #[error(
        "{file}: the draft claims post {post_id} «{title}» on portal `{portal}`, but {reason}; that post will not be touched. To publish this draft as a new post, publish with --republish-new (the app: \"Publish as new\")"
    )]
    NotOurPost {
        file: String,
        portal: String,
        post_id: u64,
        title: String,
        reason: String,
    },

    /// Block quotes and lists nested deeper than the serialiser takes.
    #[error(
        "{file}:{line}: block quotes or lists nested {depth} deep; at most {max} levels can be published: flatten the nesting"
    )]
    TooDeep {
        file: String,
        line: usize,
        depth: usize,
        max: usize,
    },

    /// A job whose attempts ended the process again and again, waiting for a person.
    #[error("{message} (job {key})")]
    Parked { key: String, message: String },

    #[error("{0}")]
    Draft(#[from] newsroom_core::CoreError),

    #[error("{0}")]
    InvalidArgument(String),

    /// Suggestions and comments still in the text: CriticMarkup must never reach readers.
    #[error(
        "{file}:{line}: {count} open suggestion(s) or comment(s) in the text; accept or reject them first (`newsroom marks`, `newsroom accept`, `newsroom reject`)"
    )]
    UnresolvedMarks {
        file: String,
        line: usize,
        count: usize,
    },

    #[error("publish database {}: {source}", path.display())]
    Store {
        path: PathBuf,
        source: rusqlite::Error,
    },

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("system keyring: {0}")]
    Keyring(String),

    #[error("portal profiles file {}: {detail}", path.display())]
    Profiles { path: PathBuf, detail: String },

    #[error("the publish was cancelled")]
    Cancelled,
}

fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        "no portal is set up yet: add one with `newsroom portal add NAME --url URL --user USER`"
            .to_owned()
    } else {
        format!("the portals set up are: {}", known.join(", "))
    }
}

fn unknown_categories(names: &[String], available: &[String]) -> String {
    let what = if names.len() == 1 {
        format!("category `{}` does not exist on the portal", names[0])
    } else {
        format!(
            "categories {} do not exist on the portal",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    format!(
        "{what}; the portal's categories are: {} (an editor creates new ones on the portal)",
        available.join(", ")
    )
}

impl PublishError {
    /// A stable, machine-readable code for the UI and `--json` output.
    pub fn code(&self) -> &'static str {
        match self {
            PublishError::NoSuchPortal { .. } => "no_such_portal",
            PublishError::PortalExists(_) => "portal_exists",
            PublishError::InvalidUrl { .. } => "invalid_url",
            PublishError::InsecureUrl { .. } => "insecure_url",
            PublishError::NoPassword { .. } => "no_password",
            PublishError::Unauthorized { .. } => "unauthorized",
            PublishError::AuthHeaderStripped { .. } => "auth_header_stripped",
            PublishError::Forbidden { .. } => "forbidden",
            PublishError::RestApiNotFound { .. } => "rest_api_not_found",
            PublishError::Redirected { .. } => "redirected",
            PublishError::Tls { .. } => "tls",
            PublishError::Timeout { .. } => "timeout",
            PublishError::Unreachable { .. } => "unreachable",
            PublishError::Server { .. } => "server_error",
            PublishError::Rejected { .. } => "rejected",
            PublishError::UnexpectedResponse { .. } => "unexpected_response",
            PublishError::UnknownCategory { .. } => "unknown_category",
            PublishError::ChangedOnPortal { .. } => "changed_on_portal",
            PublishError::DeletedOnPortal { .. } => "deleted_on_portal",
            PublishError::Image { .. } | PublishError::ImageRefused { .. } => "image",
            PublishError::NotOurPost { .. } => "not_our_post",
            PublishError::OutsideFolder { .. } => "outside_folder",
            PublishError::ConflictCopy { .. } => "conflict_copy",
            PublishError::TooDeep { .. } => "too_deep",
            PublishError::Parked { .. } => "parked",
            PublishError::Draft(e) => e.code(),
            PublishError::InvalidArgument(_) => "invalid_argument",
            PublishError::UnresolvedMarks { .. } => "unresolved_marks",
            PublishError::Store { .. } => "store",
            PublishError::Io { .. } => "io",
            PublishError::Keyring(_) => "keyring",
            PublishError::Profiles { .. } => "profiles",
            PublishError::Cancelled => "cancelled",
        }
    }

    /// Worth trying again later without changing anything: the network, a timeout, a 5xx.
    /// Such a publish stays in the outbox.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            PublishError::Timeout { .. }
                | PublishError::Unreachable { .. }
                | PublishError::Server { .. }
        )
    }

    pub(crate) fn store(path: &std::path::Path, source: rusqlite::Error) -> Self {
        PublishError::Store {
            path: path.to_path_buf(),
            source,
        }
    }

    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        PublishError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The error as the app receives it: `{code, message}`.
impl serde::Serialize for PublishError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("PublishError", 2)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}

pub type Result<T, E = PublishError> = std::result::Result<T, E>;
