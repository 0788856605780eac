// Hide the console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // git runs the app itself as the merge driver of a sync's merge (newsroom_api::sync)
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(code) = newsroom_api::sync::merge_driver_from_args(&args) {
        std::process::exit(code);
    }
    newsroom_app::run();
}
