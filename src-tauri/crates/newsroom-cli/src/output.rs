//! Everything the command prints on stdout goes through here, so that three conventions
//! hold for every subcommand at once:
//!
//! - a closed pipe (`newsroom list | head -1`) ends the command quietly with exit 0,
//!   instead of Rust's default panic ("failed printing to stdout") and exit 101;
//! - `--json` is exactly one JSON document, with times as RFC 3339 strings (the core and
//!   the outbox keep epoch milliseconds internally; scripts get one format);
//! - colour and highlighting only on a terminal, and never with `NO_COLOR`.

use std::io::{IsTerminal, Write};

/// Writes to stdout; a reader that went away ends the process quietly.
pub fn write(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args) {
        gone(&e);
    }
}

/// Flushes stdout (before an exit code is returned), with the same rule as [`write`].
pub fn flush() {
    if let Err(e) = std::io::stdout().lock().flush() {
        gone(&e);
    }
}

fn gone(e: &std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        // The reader has all it wanted (`head`, `grep -q`): nothing went wrong here.
        std::process::exit(0);
    }
    // Any other write error (disk full behind a redirect): say so, and fail.
    let _ = writeln!(std::io::stderr(), "newsroom: writing the output: {e}");
    std::process::exit(1);
}

/// `println!` through [`write`].
#[macro_export]
macro_rules! outln {
    () => { $crate::output::write(format_args!("\n")) };
    ($($arg:tt)*) => {{
        $crate::output::write(format_args!($($arg)*));
        $crate::output::write(format_args!("\n"));
    }};
}

/// `print!` through [`write`].
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::output::write(format_args!($($arg)*)) };
}

/// Prints `value` as the one JSON document of the command, times as RFC 3339.
pub fn json<T: serde::Serialize + ?Sized>(value: &T) {
    let mut v = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
    rfc3339_times(&mut v);
    let text = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "null".to_owned());
    write(format_args!("{text}\n"));
}

/// Fields ending in `_ms` that are durations, not points in time: kept as numbers.
const DURATIONS: &[&str] = &["http_ms", "total_ms"];

/// Rewrites the times of a JSON value for scripts: an integer `name_ms` (milliseconds
/// since 1970, as the index and the outbox store them) becomes `name` (or `name_at` when
/// `name` is taken) holding an RFC 3339 string in UTC; a WordPress `*_gmt` time (UTC
/// without an offset) gains its `Z`.
pub fn rfc3339_times(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Array(items) => items.iter_mut().for_each(rfc3339_times),
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                let Some(value) = map.get_mut(&key) else {
                    continue;
                };
                rfc3339_times(value);
                if key.ends_with("_gmt") {
                    if let Value::String(s) = value {
                        if let Some(t) = wordpress_gmt(s) {
                            *s = t;
                        }
                    }
                    continue;
                }
                let Some(stem) = key.strip_suffix("_ms") else {
                    continue;
                };
                if DURATIONS.contains(&key.as_str()) {
                    continue;
                }
                let Some(ms) = value.as_i64() else { continue };
                let Some(when) = format_ms(ms) else { continue };
                let name = if map.contains_key(stem) {
                    format!("{stem}_at")
                } else {
                    stem.to_owned()
                };
                map.remove(&key);
                map.insert(name, Value::String(when));
            }
        }
        _ => {}
    }
}

/// Milliseconds since 1970 as RFC 3339 in UTC (`2026-03-01T09:30:00.250Z`).
pub fn format_ms(ms: i64) -> Option<String> {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()?;
    t.format(&time::format_description::well_known::Rfc3339)
        .ok()
}

/// WordPress's `2026-03-01T09:30:00` (UTC, no offset) as `2026-03-01T09:30:00Z`.
fn wordpress_gmt(s: &str) -> Option<String> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let t = time::PrimitiveDateTime::parse(s, &format).ok()?;
    t.assume_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .ok()
}

/// Colour and highlighting: only when stdout is a terminal and `NO_COLOR` is unset or
/// empty (<https://no-color.org>).
pub fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Is stdout a terminal? Tables are cut to the screen only there; piped, every title is
/// whole.
pub fn terminal() -> bool {
    std::io::stdout().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn epoch_milliseconds_become_rfc3339_and_durations_stay_numbers() {
        let mut v = json!([{
            "modified_ms": 1_700_000_000_250_i64,
            "created": true,
            "created_ms": 0,
            "http_ms": 12,
            "modified_gmt": "2026-03-01T09:30:00",
            "nested": {"waiting_since_ms": 1_700_000_000_000_i64},
        }]);
        rfc3339_times(&mut v);
        assert_eq!(
            v,
            json!([{
                "modified": "2023-11-14T22:13:20.25Z",
                "created": true,
                "created_at": "1970-01-01T00:00:00Z",
                "http_ms": 12,
                "modified_gmt": "2026-03-01T09:30:00Z",
                "nested": {"waiting_since": "2023-11-14T22:13:20Z"},
            }])
        );
    }

    #[test]
    fn a_time_already_with_its_offset_is_left_alone() {
        let mut v = json!({"modified_gmt": "2026-03-01T09:30:00Z", "note_ms": "x"});
        rfc3339_times(&mut v);
        assert_eq!(
            v,
            json!({"modified_gmt": "2026-03-01T09:30:00Z", "note_ms": "x"})
        );
    }
}
