//! One window, one static page, one command: the page reports when it has loaded.

/// Prints `newsroom-perf <name> <unix ms>` for the benchmark harness (same line as the app's).
#[tauri::command]
fn perf_mark(name: String) {
    use std::io::Write;
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or_default();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "newsroom-perf {name} {ms:.1}");
    let _ = out.flush();
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![perf_mark])
        .run(tauri::generate_context!())
        .expect("error while running the bare window");
}
