"""Desktop benchmark: Newsroom against a bare Tauri 2 window of the same Tauri version.

Measures, under the current X display (run.sh provides Xvfb and a D-Bus session):
  - start → window mapped (xdotool) and start → usable (app: first drafts-list item
    rendered; bare: page loaded), both from a `newsroom-perf <mark> <unix ms>` line the
    page triggers (NEWSROOM_PERF_MARKS=1 for the app);
  - PSS of the process and all its descendants (WebKitWebProcess, WebKitNetworkProcess)
    from /proc/*/smaps_rollup, a few seconds after it is usable;
  - keystroke → preview updated (app) vs keystroke → echoed into the DOM (bare), measured
    in the page: keydown event time to the first animation frame whose text differs.

usage: bench.py --app BIN --bare BIN --drafts DIR --out results.json [--runs 5]

The result keys say `10k` for the large folder whatever its size (older results compare);
`drafts_count` says how many drafts it held, and the report's headings use it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from conftest import SAMPLE_DRAFTS, Launch, Sandbox, wait_for  # noqa: E402

SETTLE_S = 3.0
LAUNCH_TIMEOUT_S = 120.0


# ---------------------------------------------------------------- processes and memory

def children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # the command name is in parentheses and may contain spaces
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def tree(pid: int) -> list[int]:
    kids = children_map()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def other_webkit_processes(mine: list[int]) -> int:
    """WebKit processes running outside the measured tree. They share WebKit's library pages
    with it, and PSS divides shared pages among every process mapping them: another WebKit
    app running meanwhile makes both the bare window and Newsroom look ≈ 65 MB smaller
    (seen here), which inflates the ratio. The figure is recorded so such runs can be told."""
    n = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) not in mine:
            try:
                if Path(f"/proc/{entry}/comm").read_text().startswith("WebKit"):
                    n += 1
            except OSError:
                continue
    return n


def memory(pid: int) -> dict:
    """PSS and RSS (MB) of `pid` and its descendants, with PSS per process name."""
    pss = rss = 0
    by_name: dict[str, float] = {}
    mine = tree(pid)
    others = other_webkit_processes(mine)
    if others:
        print(f"bench: warning: {others} other WebKit processes running; PSS is lower than alone", file=sys.stderr, flush=True)
    for p in mine:
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
            name = Path(f"/proc/{p}/comm").read_text().strip()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                kb = int(line.split()[1])
                pss += kb
                by_name[name] = round(by_name.get(name, 0) + kb / 1024, 1)
            elif line.startswith("Rss:"):
                rss += int(line.split()[1])
    return {"pss_mb": round(pss / 1024, 1), "rss_mb": round(rss / 1024, 1), "pss_by_process_mb": by_name, "other_webkit_processes": others}


# ---------------------------------------------------------------- one launch, timed

def sandbox_env(base: Path, drafts: Path | None, data_dir: Path | None = None) -> dict[str, str]:
    sb = Sandbox(base, drafts=drafts if drafts is not None else Path("/nonexistent-drafts-not-used"))
    env = sb.env()
    if data_dir is not None:
        env["NEWSROOM_DATA_DIR"] = str(data_dir)
    env["NEWSROOM_PERF_MARKS"] = "1"
    return env


def window_visible(title: str) -> bool:
    r = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{title}$"], capture_output=True, text=True)
    return bool(r.stdout.strip())


def timed_launch(binary: Path, title: str, mark: str, env: dict[str, str], measure_memory: bool) -> dict:
    t0 = time.time()
    errlog = tempfile.TemporaryFile(mode="w+")  # shown if the launch fails
    proc = subprocess.Popen([str(binary)], env=env, stdout=subprocess.PIPE, stderr=errlog, text=True, start_new_session=True)
    marks: dict[str, float] = {}

    def read_marks() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            parts = line.split()
            if len(parts) == 3 and parts[0] == "newsroom-perf":
                marks.setdefault(parts[1], float(parts[2]) / 1000.0)

    reader = threading.Thread(target=read_marks, daemon=True)
    reader.start()
    mapped = None
    try:
        deadline = t0 + LAUNCH_TIMEOUT_S
        while time.time() < deadline and mark not in marks:
            if mapped is None and window_visible(title):
                mapped = time.time()
            if proc.poll() is not None:
                errlog.seek(0)
                raise RuntimeError(f"{binary.name} exited with {proc.returncode}; its stderr ended with:\n{errlog.read()[-3000:]}")
            time.sleep(0.005)
        if mark not in marks:
            raise RuntimeError(f"{binary.name}: no `{mark}` mark within {LAUNCH_TIMEOUT_S}s")
        if mapped is None:
            mapped = time.time() if window_visible(title) else float("nan")
        result = {"mapped_ms": round((mapped - t0) * 1000), "ready_ms": round((marks[mark] - t0) * 1000)}
        # the app's intermediate marks, for a breakdown (setup, workspace-open-start, workspace-listed)
        result.update({f"{name}_ms": round((t - t0) * 1000) for name, t in marks.items() if name != mark})
        if measure_memory:
            time.sleep(SETTLE_S)
            result.update(memory(proc.pid))
        return result
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()


def summarise(runs: list[dict]) -> dict:
    out: dict = {"runs": runs}
    keys = sorted({k for r in runs for k in r if isinstance(r[k], (int, float))})
    for key in keys:
        values = [r[key] for r in runs if key in r]
        if values:
            out[key] = statistics.median(values)
    names = sorted({n for r in runs for n in r.get("pss_by_process_mb", {})})
    if names:
        out["pss_by_process_mb"] = {
            n: statistics.median([r["pss_by_process_mb"].get(n, 0) for r in runs if "pss_by_process_mb" in r]) for n in names
        }
    return out


# ---------------------------------------------------------------- keystroke latency (WebDriver)
# Both probes: the element that changes (the preview's root, or the bare window's echo) and
# the keydown times every figure is measured from.
PROBE_START = """
const target = arguments[0] === 'preview'
  ? () => document.querySelector('[data-testid="preview"]').contentDocument.getElementById('nr-root')
  : () => document.getElementById('echo');
if (!target()) return false;
window.__bench = { keys: [], changes: [], updates: [], painted: [] };
document.addEventListener('keydown', (e) => window.__bench.keys.push(e.timeStamp), true);
"""

# How a page notes that the target changed, and the first frame after. Both windows are
# measured the same way, so the bare window stays a fair reference.
#
# "mutation" (the default): a MutationObserver on the target notes the first change after a
# keystroke (it is created by the app's own page, whose scripts run, so it sees the sandboxed
# preview's nodes change), then the first animation frame after it: `frame` is that frame's
# time stamp (its rendering update begins), `painted` a task posted from it, run once that
# update (style, layout, paint) is done. Nothing is read from the page per frame.
#
# "text": the former method, kept to compare: every animation frame, the target's whole
# textContent compared with the last frame's. It costs the page a read of the whole preview
# per frame, which grows with the draft and is counted in the figure it measures.
INSTALL_PROBE = {
    "mutation": PROBE_START + """let waiting = false;
const observer = new MutationObserver(() => {
  if (waiting) return;
  waiting = true;
  window.__bench.changes.push(performance.now());
  requestAnimationFrame((frame) => {
    waiting = false;
    window.__bench.updates.push(frame);
    const after = new MessageChannel();
    after.port1.onmessage = () => window.__bench.painted.push(performance.now());
    after.port2.postMessage(null);
  });
});
observer.observe(target(), { childList: true, subtree: true, characterData: true, attributes: true });
window.__benchObserver = observer;
return true;
""",
    "text": PROBE_START + """let last = target().textContent;
const tick = (now) => {
  const t = target();
  const text = t ? t.textContent : '';
  if (text !== last) {
    last = text;
    window.__bench.updates.push(performance.now());
  }
  requestAnimationFrame(tick);
};
requestAnimationFrame(tick);
return true;
""",
}

# Letters only: a typed space at the end of a paragraph does not change the rendered text.
TEXT = "councilmetagainatnoon"


def keystroke_latencies(app, focus_css: str, keys: int, breakdown: list[dict] | None = None) -> list[float]:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    app.driver.find_element(By.CSS_SELECTOR, focus_css).click()
    ActionChains(app.driver).key_down(Keys.CONTROL).send_keys(Keys.END).key_up(Keys.CONTROL).perform()
    time.sleep(0.5)
    latencies = []
    for i in range(keys + 1):  # the first keystroke warms up (focus, first layout) and is not counted
        app.driver.execute_script("const b = window.__bench; b.keys = []; b.changes = []; b.updates = []; b.painted = [];")
        ActionChains(app.driver).send_keys(TEXT[i % len(TEXT)]).perform()
        got = wait_for(
            lambda: app.driver.execute_script(
                "const b = window.__bench; if (!b.keys.length) return null;"
                "const k = b.keys[0]; const u = b.updates.find(u => u >= k);"
                "return u ? u - k : null;"
            ),
            5,
            "the update after a keystroke",
            interval=0.01,
        )
        if i:
            latencies.append(round(got, 1))
        time.sleep(0.15)  # let autosave and the render settle: one keystroke at a time
        if i and breakdown is not None:
            breakdown.append(keystroke_breakdown(app))
    return latencies


# One keystroke's timings, from keydown: the probe's (`change`, `frame`, `painted`) and the
# app's own (ui/src/perfLog.ts): its steps as times after keydown, the parts' costs (`…Ms`)
# as they are, `delta` as 1 or 0. The app's entry is the first change begun after keydown.
BREAKDOWN = """
const b = window.__bench; const k = b.keys[0];
const after = (list) => { const t = list.find((t) => t >= k); return t === undefined ? null : t - k; };
const out = { change: after(b.changes), frame: after(b.updates), painted: after(b.painted) };
const e = (window.__newsroomPerfLog || []).find((e) => e.input >= k);
if (e) for (const [name, v] of Object.entries(e)) out[name] = name === 'delta' || name.endsWith('Ms') ? v : v - k;
return out;
"""


def summarise_breakdown(breakdown: list[dict]) -> dict:
    """Each step's median time after keydown; each part's (`…Ms`) mean cost: WebKit's
    clock counts whole milliseconds, so the median of a part that takes a fraction of one
    is 0 or 1, where the mean over the keys says how much."""
    names = sorted({n for b in breakdown for n in b} - {"delta"})
    pick = lambda n: statistics.mean if n.endswith("Ms") else statistics.median  # noqa: E731
    return {n: round(pick(n)([b[n] for b in breakdown if n in b]), 2) for n in names}


def keystroke_breakdown(app) -> dict:
    return {name: v for name, v in (app.driver.execute_script(BREAKDOWN) or {}).items() if v is not None}


def memory_of_launched(launch: Launch, binary: Path) -> dict:
    """PSS of the app tauri-driver launched (the app and its WebKit processes), measured
    after a settle, while the window is open and has been typed in."""
    time.sleep(SETTLE_S)
    comm = binary.name[:15]  # /proc/PID/comm is cut at 15 characters
    for pid in tree(launch.driver_proc.pid):
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() == comm:
                return memory(pid)
        except OSError:
            continue
    return {}


def latency_stats(values: list[float]) -> dict:
    values = sorted(values)
    return {
        "median_ms": round(statistics.median(values), 1),
        "p95_ms": round(values[min(len(values) - 1, int(len(values) * 0.95))], 1),
        "max_ms": max(values),
        "samples": len(values),
    }


def long_draft(path: Path, words_wanted: int) -> None:
    source = (SAMPLE_DRAFTS / "world/brest-freight-crossings.md").read_text()
    fm, _, body = source.partition("\n---\n")
    parts, words = [], 0
    while words < words_wanted:
        parts.append(body.strip())
        words += len(body.split())
    path.write_text(fm + "\n---\n\n" + "\n\n".join(parts) + "\n")


def app_latency(binary: Path, draft: str, keys: int, words: int | None, probe: str) -> dict:
    os.environ["NEWSROOM_PERF_MARKS"] = "1"  # the page keeps its render timings (perfLog)
    breakdown: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-lat-") as tmp:
        sb = Sandbox(Path(tmp))
        if words:
            long_draft(sb.drafts / draft, words)
        launch = Launch(sb, Path(tmp) / "driver.log", application=binary)
        try:
            app = launch.start()
            app.open_draft(draft)
            wait_for(lambda: "nr-headline" in app.preview_html(), 10, "preview")
            time.sleep(1.0)
            assert app.driver.execute_script(INSTALL_PROBE[probe], "preview")
            values = keystroke_latencies(app, '[data-testid="editor"] .cm-content', keys, breakdown)
            words_in_draft = len(sb.read(draft).split())
            typing_memory = memory_of_launched(launch, binary)
        finally:
            launch.stop()
            os.environ.pop("NEWSROOM_PERF_MARKS", None)
    phases = summarise_breakdown(breakdown)
    # how many of the keystrokes the page renderer answered with the body's changed pieces
    phases["deltas"] = sum(1 for b in breakdown if b.get("delta"))
    return {**latency_stats(values), "draft_words": words_in_draft, "phases_ms": phases, "pss_typing_mb": typing_memory.get("pss_mb")}


def bare_latency(binary: Path, keys: int, probe: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-lat-") as tmp:
        sb = Sandbox(Path(tmp))
        launch = Launch(sb, Path(tmp) / "driver.log", application=binary)
        try:
            app = launch.start()
            wait_for(lambda: app.driver.execute_script("return document.readyState === 'complete' && !!document.getElementById('echo')"), 10, "bare page")
            assert app.driver.execute_script(INSTALL_PROBE[probe], "echo")
            breakdown: list[dict] = []
            values = keystroke_latencies(app, "#input", keys, breakdown)
            typing_memory = memory_of_launched(launch, binary)
        finally:
            launch.stop()
    return {**latency_stats(values), "phases_ms": summarise_breakdown(breakdown), "pss_typing_mb": typing_memory.get("pss_mb")}


# ---------------------------------------------------------------- main

def startup_and_memory(args, tmp: Path, results: dict) -> None:
    def fresh(name: str) -> Path:
        d = tmp / name
        if d.exists():
            shutil.rmtree(d)
        d.mkdir()
        return d

    def log(label: str, r: dict) -> None:
        print(f"bench: {label}: " + ", ".join(f"{k}={v}" for k, v in r.items()), flush=True)

    # Bare and app launches alternate, so that load from other work on the machine falls on
    # both alike; the first launch of each is a warm-up (disk cache, fontconfig) and not counted.
    n_large = f"{results['drafts_count']:,}"
    sample_data, warm_data = fresh("sample-data"), fresh("warm-data")
    timed_launch(args.app, "Newsroom", "drafts-listed", sandbox_env(fresh("w-index"), args.drafts, warm_data), False)
    bare, sample, warm = [], [], []
    for i in range(args.runs + 1):
        r = timed_launch(args.bare, "Bare", "page-loaded", sandbox_env(fresh(f"bare{i}"), None), True)
        log("bare" + (" (warm-up)" if i == 0 else ""), r)
        if i:
            bare.append(r)
        r = timed_launch(args.app, "Newsroom", "drafts-listed", sandbox_env(fresh(f"s{i}"), SAMPLE_DRAFTS, sample_data), True)
        log("app, sample drafts" + (" (warm-up)" if i == 0 else ""), r)
        if i:
            sample.append(r)
        r = timed_launch(args.app, "Newsroom", "drafts-listed", sandbox_env(fresh(f"w{i}"), args.drafts, warm_data), True)
        log(f"app, {n_large} drafts, warm index" + (" (warm-up)" if i == 0 else ""), r)
        if i:
            warm.append(r)
    results["bare"] = summarise(bare)
    results["app_sample"] = summarise(sample)
    results["app_10k_warm"] = summarise(warm)

    cold = []
    for i in range(max(1, args.runs // 2)):
        r = timed_launch(args.app, "Newsroom", "drafts-listed", sandbox_env(fresh(f"c{i}"), args.drafts, fresh(f"cold-data{i}")), False)
        log(f"app, {n_large} drafts, cold index", r)
        cold.append(r)
    results["app_10k_cold"] = summarise(cold)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--app", type=Path, required=True)
    ap.add_argument("--bare", type=Path, required=True)
    ap.add_argument("--drafts", "--drafts10k", dest="drafts", type=Path, required=True,
                    help="the large folder (10,000 drafts by default in run.sh, BENCH_DRAFTS for another size)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keys", type=int, default=40)
    ap.add_argument("--only-latency", action="store_true", help="skip the start-up and memory runs")
    ap.add_argument("--no-latency", action="store_true", help="skip the keystroke runs")
    ap.add_argument("--probe", choices=sorted(INSTALL_PROBE), default="mutation",
                    help="how a change is seen: a MutationObserver (default) or the former whole-text read per frame")
    ap.add_argument("--no-compositing-only", action="store_true", help="the keystroke runs without compositing only")
    args = ap.parse_args()

    results: dict = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "probe": args.probe,
        "load_average": os.getloadavg(),
        "runs": args.runs,
        "drafts_count": sum(1 for _ in args.drafts.rglob("*.md")),
    }
    with tempfile.TemporaryDirectory(prefix="bench-app-") as tmp:
        tmp = Path(tmp)
        if not args.only_latency:
            startup_and_memory(args, tmp, results)

    # Under Xvfb WebKit composites with software GL; the same keystrokes without compositing
    # show how much of the latency is the frame, not the app.
    modes = (("_no_compositing", False),) if args.no_compositing_only else (("", True), ("_no_compositing", False))
    for suffix, compositing in () if args.no_latency else modes:
        if compositing:
            os.environ.pop("WEBKIT_DISABLE_COMPOSITING_MODE", None)
        else:
            os.environ["WEBKIT_DISABLE_COMPOSITING_MODE"] = "1"
        results[f"latency_bare{suffix}"] = bare_latency(args.bare, args.keys, args.probe)
        print(f"bench: bare keystroke→DOM{suffix}: {results[f'latency_bare{suffix}']}", flush=True)
        results[f"latency_app{suffix}"] = app_latency(args.app, "world/brest-freight-crossings.md", args.keys, None, args.probe)
        print(f"bench: app keystroke→preview{suffix}: {results[f'latency_app{suffix}']}", flush=True)
        # the targets: a 5,000-word article (16 ms) and a 50,000-word one (50 ms)
        for key, words in (("latency_app_5k", 5000), ("latency_app_50k", 50000)):
            results[f"{key}{suffix}"] = app_latency(args.app, "world/brest-freight-crossings.md", args.keys, words, args.probe)
            print(f"bench: app keystroke→preview ({words}-word draft){suffix}: {results[f'{key}{suffix}']}", flush=True)
    os.environ.pop("WEBKIT_DISABLE_COMPOSITING_MODE", None)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    if not args.only_latency:
        print(report(results))
    if not args.no_latency:
        print(latency_report(results))


# The steps of a keystroke in the app, in order (median ms after keydown), as the page's
# perf log names them (ui/src/perfLog.ts) and the probe's.
PHASES = (
    ("input", "CodeMirror dispatches the change"),
    ("state", "new state computed"),
    ("viewUpdated", "editor view updated"),
    ("asked", "render asked"),
    ("answered", "render done"),
    ("changed", "change listener done"),
    ("updated", "dispatch done"),
    ("patched", "preview patched"),
    ("shown", "status shown"),
    ("change", "probe sees the change"),
    ("frame", "frame begins"),
    ("painted", "frame done"),
)


def latency_report(r: dict) -> str:
    """The keystroke runs: one table per compositing mode, a row per draft, the steps of
    PHASES and then the parts' own costs (medians)."""
    out = [f"load average at the start: {', '.join(f'{x:.1f}' for x in r.get('load_average', ()))}; probe: {r.get('probe')}"]
    for suffix, mode in (("", "compositing"), ("_no_compositing", "no compositing")):
        rows = [(key, r[key + suffix]) for key in ("latency_bare", "latency_app", "latency_app_5k", "latency_app_50k") if key + suffix in r]
        if not rows:
            continue
        parts = sorted({n for _, d in rows for n in d.get("phases_ms", {}) if n.endswith("Ms")})
        steps = [(n, label) for n, label in PHASES if any(n in d.get("phases_ms", {}) for _, d in rows)]
        out += ["", f"{mode}: median ms after keydown (parts: mean ms spent)", ""]
        out.append("| draft | " + " | ".join(label for _, label in steps) + " | " + " | ".join(parts) + " | deltas |")
        out.append("|---" * (len(steps) + len(parts) + 2) + "|")
        for key, d in rows:
            p = d.get("phases_ms", {})
            name = "bare window" if key == "latency_bare" else f"{d.get('draft_words', '?'):,} words"
            cell = lambda n: f"{p[n]:g}" if n in p else ""  # noqa: E731
            out.append(f"| {name} | " + " | ".join(cell(n) for n, _ in steps) + " | " + " | ".join(cell(n) for n in parts) + f" | {p.get('deltas', '')} |")
    return "\n".join(out)


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "n/a"


def report(r: dict) -> str:
    b, s, c, w = r["bare"], r["app_sample"], r["app_10k_cold"], r["app_10k_warm"]
    n = f"{r.get('drafts_count', 10000):,}"
    ms = lambda d, k: f"{d[k]:.0f} ms" if k in d else "–"  # noqa: E731
    rows = [
        f"| | bare window | Newsroom, 5 sample drafts | Newsroom, {n} drafts (warm index) | Newsroom, {n} drafts (cold index) |",
        "| --- | --- | --- | --- | --- |",
        f"| start → window mapped | {ms(b, 'mapped_ms')} | {ms(s, 'mapped_ms')} ({ratio(s['mapped_ms'], b['mapped_ms'])}) | {ms(w, 'mapped_ms')} ({ratio(w['mapped_ms'], b['mapped_ms'])}) | {ms(c, 'mapped_ms')} |",
        f"| start → page loaded | {ms(b, 'ready_ms')} | {ms(s, 'page-loaded_ms')} | {ms(w, 'page-loaded_ms')} | {ms(c, 'page-loaded_ms')} |",
        f"| start → `open_workspace` called by the UI | | {ms(s, 'workspace-open-start_ms')} | {ms(w, 'workspace-open-start_ms')} | {ms(c, 'workspace-open-start_ms')} |",
        f"| start → folder opened and listed (Rust) | | {ms(s, 'workspace-listed_ms')} | {ms(w, 'workspace-listed_ms')} | {ms(c, 'workspace-listed_ms')} |",
        f"| **start → usable** (bare: page loaded; app: drafts list shown) | **{ms(b, 'ready_ms')}** | **{ms(s, 'ready_ms')} ({ratio(s['ready_ms'], b['ready_ms'])})** | **{ms(w, 'ready_ms')} ({ratio(w['ready_ms'], b['ready_ms'])})** | {ms(c, 'ready_ms')} ({ratio(c['ready_ms'], b['ready_ms'])}) |",
        f"| **PSS**, all processes, idle {SETTLE_S:.0f} s after usable | **{b['pss_mb']} MB** | **{s['pss_mb']} MB ({ratio(s['pss_mb'], b['pss_mb'])})** | **{w['pss_mb']} MB ({ratio(w['pss_mb'], b['pss_mb'])})** | |",
    ]
    for name in sorted(set(b.get("pss_by_process_mb", {})) | set(w.get("pss_by_process_mb", {}))):
        cell = lambda d: f"{d.get('pss_by_process_mb', {}).get(name, 0)} MB"  # noqa: E731
        rows.append(f"| — of which {name} | {cell(b)} | {cell(s)} | {cell(w)} | |")
    rows.append(f"| RSS, all processes (for reference) | {b['rss_mb']} MB | {s['rss_mb']} MB | {w['rss_mb']} MB | |")
    if "latency_app" not in r:
        return "\n".join(rows)
    rows += [
        "",
        "| keystroke → first frame showing the change (median / p95) | compositing (default) | `WEBKIT_DISABLE_COMPOSITING_MODE=1` |",
        "| --- | --- | --- |",
    ]
    for label, key in (("bare window: textarea echoed into a div", "latency_bare"),
                       (f"Newsroom: editor → preview, {r['latency_app']['draft_words']}-word draft", "latency_app"),
                       (f"Newsroom: editor → preview, {r['latency_app_5k']['draft_words']}-word draft", "latency_app_5k"),
                       (f"Newsroom: editor → preview, {r['latency_app_50k']['draft_words']}-word draft", "latency_app_50k")):
        cells = []
        for suffix in ("", "_no_compositing"):
            d, base = r[key + suffix], r["latency_bare" + suffix]
            extra = "" if key == "latency_bare" else f" ({ratio(d['median_ms'], base['median_ms'])})"
            cells.append(f"{d['median_ms']:.0f} / {d['p95_ms']:.0f} ms{extra}")
        rows.append(f"| {label} | {cells[0]} | {cells[1]} |")
    rows += [
        "",
        "| where a keystroke's time goes (median ms after keydown) | text handed to the preview | request sent | answer back | preview patched | frame shown |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for key in ("latency_app", "latency_app_5k", "latency_app_50k"):
        for suffix, mode in (("", "compositing"), ("_no_compositing", "no compositing")):
            p = r.get(key + suffix, {}).get("phases_ms")
            if p:
                rows.append(f"| {r[key]['draft_words']} words, {mode} | {p['asked']} | {p['sent']} | {p['answered']} | {p['shown']} | {p['frame']} |")
    return "\n".join(rows)


if __name__ == "__main__":
    main()
