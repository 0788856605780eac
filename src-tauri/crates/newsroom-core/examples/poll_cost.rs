//! What polling a shared drive costs (docs/performance.md, "Watching a shared drive").
//!
//! `cargo run --release -p newsroom-core --example poll_cost -- FOLDER [SECONDS]`
//!
//! Runs notify's `PollWatcher` over FOLDER at the interval the watcher would choose for
//! it (`watch::poll_interval`) for SECONDS (default 30), and reports the process's CPU time
//! per poll and as a share of one core, next to the floor measured in the same run: one
//! plain walk of the folder that `lstat`s every entry (what any poll must at least do).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use notify::Watcher as _;

/// User + system CPU time of this process so far (Linux: /proc/self/stat, in clock ticks).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // the fields after the command name, which is in parentheses and may hold spaces
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name
    let total = ticks(11) + ticks(12);
    Duration::from_millis(total * 10) // USER_HZ is 100 on Linux
}

fn walk_and_stat(dir: &Path, files: &mut usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if let Ok(meta) = std::fs::symlink_metadata(&path) {
            if meta.is_dir() {
                walk_and_stat(&path, files);
            } else if !entry.file_name().to_string_lossy().starts_with('.') {
                *files += 1; // hidden files are not drafts (the watcher counts drafts)
            }
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(folder) = args.next().map(PathBuf::from) else {
        eprintln!("usage: poll_cost FOLDER [SECONDS]");
        std::process::exit(2);
    };
    let seconds: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(30);

    // The floor: plain walks with an lstat per entry, warm cache (the first one warms it).
    let mut files = 0;
    walk_and_stat(&folder, &mut files);
    let walks = 5;
    let started = Instant::now();
    for _ in 0..walks {
        let mut n = 0;
        walk_and_stat(&folder, &mut n);
    }
    let walk = started.elapsed() / walks;

    let every = newsroom_core::watch::poll_interval(files);
    let config = notify::Config::default()
        .with_follow_symlinks(false)
        .with_poll_interval(every);
    let mut watcher =
        notify::PollWatcher::new(|_event| {}, config).unwrap_or_else(|e| panic!("{e}"));
    let setup_cpu = cpu_time();
    let setup = Instant::now();
    watcher
        .watch(&folder, notify::RecursiveMode::Recursive)
        .unwrap_or_else(|e| panic!("{e}"));
    let first_scan = setup.elapsed();
    let before = cpu_time();
    let first_scan_cpu = before.saturating_sub(setup_cpu);
    std::thread::sleep(Duration::from_secs(seconds));
    let used = cpu_time().saturating_sub(before);
    let polls = (seconds as f64 / every.as_secs_f64()).floor().max(1.0);
    let per_poll = used.as_secs_f64() * 1000.0 / polls;
    println!("folder: {} ({files} files)", folder.display());
    println!(
        "interval: {} s; watched {seconds} s, ≈ {polls:.0} polls",
        every.as_secs()
    );
    println!(
        "first scan (on watch): {:.1} ms wall, {:.0} ms CPU",
        first_scan.as_secs_f64() * 1000.0,
        first_scan_cpu.as_secs_f64() * 1000.0
    );
    println!(
        "polling: {:.0} ms CPU in {seconds} s = {:.2}% of one core; ≈ {per_poll:.1} ms CPU per poll",
        used.as_secs_f64() * 1000.0,
        used.as_secs_f64() * 100.0 / seconds as f64
    );
    println!(
        "floor: one walk + lstat of every entry: {:.1} ms; a poll ≈ {:.2}× the floor",
        walk.as_secs_f64() * 1000.0,
        per_poll / (walk.as_secs_f64() * 1000.0)
    );
}
