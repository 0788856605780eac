//! The one error of every command, serialised for the page as `{ code, message, file?, line? }`
//! (docs/ipc.md), and the one list of codes the page may branch on ([`ErrorCode`]).
//!
//! Why an enum and not the strings the core and publish crates return: the page's
//! `ErrorCode` type is generated from it, so a code the page branches on (`changed_on_portal`)
//! cannot be missing from its type again. The mapping from the crates' errors is an
//! exhaustive `match`: a new error variant does not compile until it has a code here.

use newsroom_core::{CoreError, DraftError};
use newsroom_publish::PublishError;
use newsroom_sync::SyncError;
use serde::ser::SerializeMap;

/// Declares [`ErrorCode`] and its list [`ErrorCode::ALL`] from one list of variants, so
/// the list cannot miss one.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident,)*) => {
        /// Every code a command may reject with.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
        }

        impl ErrorCode {
            /// Every code, for the generated list and the tests.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];
        }
    };
}

error_codes! {
    // the drafts folder (newsroom-core)
    Conflict,
    NotFound,
    Exists,
    InvalidDraft,
    OutsideWorkspace,
    Refused,
    Io,
    Index,
    IndexTooNew,
    Watch,
    InvalidArgument,
    NoSuchRevision,
    // portals and publishing (newsroom-publish)
    NoSuchPortal,
    PortalExists,
    InvalidUrl,
    InsecureUrl,
    NoPassword,
    Unauthorized,
    AuthHeaderStripped,
    Forbidden,
    RestApiNotFound,
    Redirected,
    Tls,
    Timeout,
    Unreachable,
    ServerError,
    Rejected,
    UnexpectedResponse,
    UnknownCategory,
    ChangedOnPortal,
    DeletedOnPortal,
    Image,
    NotOurPost,
    OutsideFolder,
    ConflictCopy,
    TooDeep,
    Parked,
    UnresolvedMarks,
    Store,
    Keyring,
    Profiles,
    Cancelled,
    // syncing through git (newsroom-sync); `unreachable` is the portal's word too
    GitMissing,
    NotARepository,
    Authentication,
    NoUpstream,
    Detached,
    OperationInProgress,
    Git,
}

impl ErrorCode {
    /// The code as it goes over IPC (`changed_on_portal`).
    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    pub fn of_core(e: &CoreError) -> Self {
        match e {
            CoreError::InvalidDraft { .. } => ErrorCode::InvalidDraft,
            CoreError::Conflict { .. } => ErrorCode::Conflict,
            CoreError::NotFound(_) => ErrorCode::NotFound,
            CoreError::Exists(_) => ErrorCode::Exists,
            CoreError::OutsideWorkspace { .. } => ErrorCode::OutsideWorkspace,
            CoreError::Refused { .. } => ErrorCode::Refused,
            CoreError::Io { .. } => ErrorCode::Io,
            CoreError::Index { .. } => ErrorCode::Index,
            CoreError::IndexTooNew { .. } => ErrorCode::IndexTooNew,
            CoreError::Watch(_) => ErrorCode::Watch,
            CoreError::InvalidArgument(_) => ErrorCode::InvalidArgument,
            CoreError::NoSuchRevision { .. } => ErrorCode::NoSuchRevision,
        }
    }

    pub fn of_publish(e: &PublishError) -> Self {
        use PublishError as P;
        match e {
            P::NoSuchPortal { .. } => ErrorCode::NoSuchPortal,
            P::PortalExists(_) => ErrorCode::PortalExists,
            P::InvalidUrl { .. } => ErrorCode::InvalidUrl,
            P::InsecureUrl { .. } => ErrorCode::InsecureUrl,
            P::NoPassword { .. } => ErrorCode::NoPassword,
            P::Unauthorized { .. } => ErrorCode::Unauthorized,
            P::AuthHeaderStripped { .. } => ErrorCode::AuthHeaderStripped,
            P::Forbidden { .. } => ErrorCode::Forbidden,
            P::RestApiNotFound { .. } => ErrorCode::RestApiNotFound,
            P::Redirected { .. } => ErrorCode::Redirected,
            P::Tls { .. } => ErrorCode::Tls,
            P::Timeout { .. } => ErrorCode::Timeout,
            P::Unreachable { .. } => ErrorCode::Unreachable,
            P::Server { .. } => ErrorCode::ServerError,
            P::Rejected { .. } => ErrorCode::Rejected,
            P::UnexpectedResponse { .. } => ErrorCode::UnexpectedResponse,
            P::UnknownCategory { .. } => ErrorCode::UnknownCategory,
            P::ChangedOnPortal { .. } => ErrorCode::ChangedOnPortal,
            P::DeletedOnPortal { .. } => ErrorCode::DeletedOnPortal,
            P::Image { .. } | P::ImageRefused { .. } => ErrorCode::Image,
            P::NotOurPost { .. } => ErrorCode::NotOurPost,
            P::OutsideFolder { .. } => ErrorCode::OutsideFolder,
            P::ConflictCopy { .. } => ErrorCode::ConflictCopy,
            P::TooDeep { .. } => ErrorCode::TooDeep,
            P::Parked { .. } => ErrorCode::Parked,
            P::Draft(e) => ErrorCode::of_core(e),
            P::InvalidArgument(_) => ErrorCode::InvalidArgument,
            P::UnresolvedMarks { .. } => ErrorCode::UnresolvedMarks,
            P::Store { .. } => ErrorCode::Store,
            P::Io { .. } => ErrorCode::Io,
            P::Keyring(_) => ErrorCode::Keyring,
            P::Profiles { .. } => ErrorCode::Profiles,
            P::Cancelled => ErrorCode::Cancelled,
        }
    }

    /// The sync crate's codes are the CLI's `--json` words (`no-upstream`), here in the
    /// page's spelling (`no_upstream`).
    pub fn of_sync(e: &SyncError) -> Self {
        match e {
            SyncError::GitMissing(_) => ErrorCode::GitMissing,
            SyncError::NotARepository { .. } => ErrorCode::NotARepository,
            SyncError::Unreachable { .. } => ErrorCode::Unreachable,
            SyncError::Authentication { .. } => ErrorCode::Authentication,
            SyncError::NoUpstream { .. } => ErrorCode::NoUpstream,
            SyncError::Detached { .. } => ErrorCode::Detached,
            SyncError::OperationInProgress { .. } => ErrorCode::OperationInProgress,
            SyncError::Git { .. } => ErrorCode::Git,
            SyncError::Core(e) => ErrorCode::of_core(e),
            SyncError::Io { .. } => ErrorCode::Io,
        }
    }
}

/// What a failed command rejects with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Core(#[from] CoreError),

    /// A problem in a text that is not (yet) a file, e.g. the editor's buffer: a line, no file.
    #[error("{}", draft_message(.0))]
    Draft(#[from] DraftError),

    /// No drafts folder is open yet: the page called a command before `open_workspace`.
    #[error("no drafts folder is open")]
    NoWorkspace,

    /// Publishing failed; the publish crate's message says what to do.
    #[error(transparent)]
    Publish(#[from] PublishError),

    /// A sync through git failed; the sync crate's message says what to do.
    #[error(transparent)]
    Sync(#[from] SyncError),

    #[error("{0}")]
    InvalidArgument(String),

    /// A dictionary or the personal word list could not be read or written.
    #[error("{0}")]
    Spelling(String),

    /// A background task died (a panic in blocking work); the message says which.
    #[error("internal error: {0}")]
    Internal(String),
}

fn draft_message(e: &DraftError) -> String {
    match e.line {
        Some(line) => format!("line {line}: {}", e.message),
        None => e.message.clone(),
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::Core(e) => ErrorCode::of_core(e),
            ApiError::Draft(_) => ErrorCode::InvalidDraft,
            ApiError::Publish(e) => ErrorCode::of_publish(e),
            ApiError::Sync(e) => ErrorCode::of_sync(e),
            ApiError::NoWorkspace | ApiError::InvalidArgument(_) => ErrorCode::InvalidArgument,
            ApiError::Internal(_) | ApiError::Spelling(_) => ErrorCode::Io,
        }
    }

    /// The file and line the error is about, when the core knows them.
    fn location(&self) -> (Option<String>, Option<usize>) {
        match self {
            ApiError::Core(CoreError::InvalidDraft { location, .. }) => {
                (Some(location.file.display().to_string()), location.line)
            }
            ApiError::Core(
                CoreError::NotFound(file)
                | CoreError::Exists(file)
                | CoreError::Conflict { file, .. }
                | CoreError::NoSuchRevision { file, .. }
                | CoreError::Io { path: file, .. }
                | CoreError::Refused { path: file, .. }
                | CoreError::OutsideWorkspace { path: file, .. },
            ) => (Some(file.display().to_string()), None),
            ApiError::Draft(e) => (None, e.line),
            _ => (None, None),
        }
    }

    /// The error as the page receives it, for an answer that carries one rather than
    /// rejecting (a sync's result).
    pub fn body(&self) -> ErrorBody {
        let (file, line) = self.location();
        ErrorBody {
            code: self.code(),
            message: self.to_string(),
            file,
            line,
        }
    }
}

/// The shape of a rejected command, for the page (`ApiError` serialises as this).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(optional_fields)]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// For people: names the file and line.
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
}

impl serde::Serialize for ApiError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (file, line) = self.location();
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", &self.code())?;
        map.serialize_entry("message", &self.to_string())?;
        if let Some(file) = file {
            map.serialize_entry("file", &file)?;
        }
        if let Some(line) = line {
            map.serialize_entry("line", &line)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn core_errors_keep_code_message_file_and_line() {
        let err: ApiError = DraftError::at(3, "tags must be a list")
            .in_file(Path::new("world/minsk.md"))
            .into();
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "invalid_draft",
                "message": "world/minsk.md:3: tags must be a list",
                "file": "world/minsk.md",
                "line": 3
            })
        );
    }

    #[test]
    fn app_errors_have_no_location() {
        let json = serde_json::to_value(ApiError::InvalidArgument(
            "only http, https and mailto links open".into(),
        ))
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "invalid_argument", "message": "only http, https and mailto links open"})
        );
    }

    #[test]
    fn codes_are_the_crates_own_strings() {
        // the crates keep their `code()` for the CLI's --json: the same words
        let core = [
            CoreError::NotFound("a.md".into()),
            CoreError::Exists("a.md".into()),
            CoreError::InvalidArgument("x".into()),
            CoreError::NoSuchRevision {
                file: "a.md".into(),
                id: 1,
            },
        ];
        for e in &core {
            assert_eq!(ErrorCode::of_core(e).as_str(), e.code());
        }
        let publish = [
            PublishError::ChangedOnPortal {
                post_id: 1,
                link: String::new(),
                ours: String::new(),
                theirs: String::new(),
            },
            PublishError::Cancelled,
            PublishError::Keyring("x".into()),
        ];
        for e in &publish {
            assert_eq!(ErrorCode::of_publish(e).as_str(), e.code());
        }
        let sync = [
            SyncError::NoUpstream {
                branch: "main".into(),
                dir: "/d".into(),
            },
            SyncError::OperationInProgress {
                dir: "/d".into(),
                what: "merge".into(),
            },
            SyncError::Authentication {
                remote: "origin".into(),
                detail: String::new(),
            },
        ];
        for e in &sync {
            assert_eq!(ErrorCode::of_sync(e).as_str(), e.code().replace('-', "_"));
        }
        let all: std::collections::HashSet<String> =
            ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(all.len(), ErrorCode::ALL.len(), "distinct, non-empty");
        assert!(all.contains("changed_on_portal"));
    }
}
