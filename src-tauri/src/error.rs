//! The app's one error type, serialised for the UI as `{ code, message, file?, line? }`
//! (docs/ipc.md). Core errors keep the core's code and message; the few the app adds
//! (a bad URL, no folder open) reuse the same codes.

use newsroom_core::{CoreError, DraftError};
use serde::ser::SerializeMap;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Core(#[from] CoreError),

    /// A problem in a text that is not (yet) a file, e.g. the editor's buffer: a line, no file.
    #[error("{}", draft_message(.0))]
    Draft(#[from] DraftError),

    /// No drafts folder is open yet: the UI called a command before `open_workspace`.
    #[error("no drafts folder is open")]
    NoWorkspace,

    /// Publishing failed; the publish crate's message says what to do.
    #[error(transparent)]
    Publish(#[from] newsroom_publish::PublishError),

    #[error("{0}")]
    InvalidArgument(String),

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

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Core(e) => e.code(),
            AppError::Draft(_) => "invalid_draft",
            AppError::Publish(e) => e.code(),
            AppError::NoWorkspace | AppError::InvalidArgument(_) => "invalid_argument",
            AppError::Internal(_) => "io",
        }
    }

    /// The file and line the error is about, when the core knows them.
    fn location(&self) -> (Option<String>, Option<usize>) {
        match self {
            AppError::Core(CoreError::InvalidDraft { location, .. }) => {
                (Some(location.file.display().to_string()), location.line)
            }
            AppError::Core(
                CoreError::NotFound(file)
                | CoreError::Exists(file)
                | CoreError::Conflict { file, .. }
                | CoreError::NoSuchRevision { file, .. }
                | CoreError::Io { path: file, .. }
                | CoreError::Refused { path: file, .. }
                | CoreError::OutsideWorkspace { path: file, .. },
            ) => (Some(file.display().to_string()), None),
            AppError::Draft(e) => (None, e.line),
            _ => (None, None),
        }
    }
}

impl serde::Serialize for AppError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (file, line) = self.location();
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", self.code())?;
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
    use newsroom_core::DraftError;
    use std::path::Path;

    #[test]
    fn core_errors_keep_code_message_file_and_line() {
        let err: AppError = DraftError::at(3, "tags must be a list")
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
        let json = serde_json::to_value(AppError::InvalidArgument(
            "only http, https and mailto links open".into(),
        ))
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "invalid_argument", "message": "only http, https and mailto links open"})
        );
    }
}
