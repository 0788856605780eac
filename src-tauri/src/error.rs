//! The app's one error type is `newsroom_api::ApiError`, serialised for the page as
//! `{ code, message, file?, line? }` with the one `ErrorCode` (docs/ipc.md). The names the
//! app's modules use for it:

pub use newsroom_api::{ApiError as AppError, ApiResult as AppResult};
