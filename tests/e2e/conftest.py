"""Real-window tests: the debug app under Xvfb, driven over WebDriver by tauri-driver.

Each test gets its own app: a fresh tauri-driver on its own port pair, whose environment
holds a temp HOME/XDG folders, a temp NEWSROOM_DATA_DIR (the SQLite index) and a temp copy
of the sample `drafts/` folder as NEWSROOM_DRAFTS. Run through tests/e2e/run.sh, which
builds the app and provides the display and session bus.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.webelement import WebElement

ROOT = Path(__file__).resolve().parents[2]
APP = Path(os.environ.get("NEWSROOM_APP", ROOT / "target" / "debug" / "newsroom-app")).resolve()
SAMPLE_DRAFTS = ROOT / "drafts"
SHOTS = Path(__file__).resolve().parent / "shots"

LAUNCH_TIMEOUT_S = 20
UI_TIMEOUT_S = 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate: Callable[[], object], timeout: float = UI_TIMEOUT_S, what: str = "condition", interval: float = 0.05):
    """Polls until `predicate` returns something truthy (returned); fails the test after `timeout`."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except WebDriverException as e:  # element went stale while the UI re-rendered
            last_error = e
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}" + (f" (last error: {last_error})" if last_error else ""))
        time.sleep(interval)


class TauriOptions(ArgOptions):
    """Capabilities tauri-driver understands: which binary to launch."""

    def __init__(self, application: Path, args: list[str] | None = None):
        super().__init__()
        self.set_capability("browserName", "wry")
        self.set_capability("tauri:options", {"application": str(application), "args": list(args or [])})

    @property
    def default_capabilities(self) -> dict:
        return {}


class Sandbox:
    """The temp folders one app launch lives in."""

    def __init__(self, base: Path, drafts: Path | None = None):
        """`drafts`: use that folder as it is; by default a copy of the sample drafts."""
        self.base = base
        self.home = base / "home"
        self.data_dir = base / "data"
        self.runtime = base / "run"
        for d in (self.home / ".config", self.home / ".local/share", self.home / ".cache", self.home / ".local/state", self.data_dir, self.runtime):
            d.mkdir(parents=True, exist_ok=True)
        self.runtime.chmod(0o700)
        if drafts is not None:
            self.drafts = drafts
        else:
            self.drafts = base / "drafts"
            if SAMPLE_DRAFTS.is_dir():
                shutil.copytree(SAMPLE_DRAFTS, self.drafts)
            else:
                self.drafts.mkdir()

    def env(self) -> dict[str, str]:
        real_home = Path(os.environ.get("HOME", "/root"))
        env = dict(os.environ)
        env.update(
            HOME=str(self.home),
            XDG_CONFIG_HOME=str(self.home / ".config"),
            XDG_DATA_HOME=str(self.home / ".local/share"),
            XDG_CACHE_HOME=str(self.home / ".cache"),
            XDG_STATE_HOME=str(self.home / ".local/state"),
            XDG_RUNTIME_DIR=str(self.runtime),
            RUSTUP_HOME=os.environ.get("RUSTUP_HOME", str(real_home / ".rustup")),
            CARGO_HOME=os.environ.get("CARGO_HOME", str(real_home / ".cargo")),
            NEWSROOM_DATA_DIR=str(self.data_dir),
            NEWSROOM_DRAFTS=str(self.drafts),
        )
        return env

    def write(self, rel: str, text: str) -> Path:
        path = self.drafts / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode())
        return path

    def read(self, rel: str) -> str:
        return (self.drafts / rel).read_bytes().decode()


class App:
    """One running app and the WebDriver session attached to it."""

    def __init__(self, driver: webdriver.Remote, sandbox: Sandbox, log: Callable[[], str] = lambda: ""):
        self.driver = driver
        self.sandbox = sandbox
        self.log = log  # what the app and tauri-driver printed so far

    # -- finding things by the UI's data-testid attributes --
    def by_testid(self, testid: str) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]')

    def all_by_testid(self, testid: str) -> list[WebElement]:
        return self.driver.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')

    def wait_testid(self, testid: str, timeout: float = UI_TIMEOUT_S) -> WebElement:
        return wait_for(lambda: self.by_testid(testid), timeout, f'[data-testid="{testid}"]')

    def draft_paths(self) -> list[str]:
        return self.driver.execute_script(
            "return Array.from(document.querySelectorAll('[data-testid=\"draft-item\"]')).map(e => e.dataset.path)"
        )

    def draft_item(self, path: str) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, f'[data-testid="draft-item"][data-path="{path}"]')

    def wait_listed(self, path: str, timeout: float = UI_TIMEOUT_S) -> WebElement:
        return wait_for(lambda: path in self.draft_paths() and self.draft_item(path), timeout, f"{path} in the drafts list")

    def editor_text(self) -> str | None:
        """The editor's whole text, from CodeMirror's state (its DOM holds only the visible lines)."""
        return self.driver.execute_script(
            "const c = document.querySelector('[data-testid=\"editor\"] .cm-content');"
            "if (!c) return null;"
            # CodeMirror's internals: `cmTile` (6.39+) or `cmView` (older) link the DOM to the view.
            "const t = c.cmTile || c.cmView; const v = t && (t.root ? t.root.view : t.view);"
            "if (v) return v.state.doc.toString();"
            "throw new Error('cannot reach the CodeMirror view from .cm-content');"
        )

    def preview_html(self) -> str:
        """The preview iframe's rendered article (its `#nr-root`), read from the parent page."""
        return self.driver.execute_script(
            "const f = document.querySelector('[data-testid=\"preview\"]');"
            "const d = f && (f.contentDocument || (f.contentWindow && f.contentWindow.document));"
            "const r = d && (d.getElementById('nr-root') || d.body);"
            "return r ? r.innerHTML : '';"
        )

    def open_draft(self, path: str) -> None:
        """Clicks the draft in the list and waits for the editor to hold its text."""
        want = self.sandbox.read(path).replace("\r\n", "\n").rstrip("\n")
        self.wait_listed(path)

        def click() -> bool:
            # found again on each try: the list is redrawn when the watcher reports changes,
            # which makes an element found a moment ago stale
            item = self.draft_item(path)
            (item.find_elements(By.CSS_SELECTOR, "button") or [item])[0].click()
            return True

        wait_for(click, what=f"a click on {path} in the list")
        wait_for(lambda: (self.editor_text() or "").rstrip("\n") == want, what=f"{path} in the editor")

    def show_pane(self, pane: str) -> None:
        """Puts a pane on screen with its toolbar toggle. In the default 1400 px window the
        preview has no room beside the editor and is a drawer, closed until asked for
        (ui/src/layout.ts)."""
        toggle = self.by_testid(f"toggle-{pane}")
        if toggle.get_attribute("aria-pressed") != "true":
            toggle.click()
        wait_for(lambda: self.by_testid(f"pane-{pane}").is_displayed(), what=f"the {pane} pane on screen")

    def type_at_end(self, text: str) -> None:
        """Puts the cursor at the end of the editor's text and types `text` as key presses."""
        content = self.driver.find_element(By.CSS_SELECTOR, '[data-testid="editor"] .cm-content')
        content.click()
        ActionChains(self.driver).key_down(Keys.CONTROL).send_keys(Keys.END).key_up(Keys.CONTROL).perform()
        ActionChains(self.driver).send_keys(text).perform()

    def press_publish_when_ready(self) -> None:
        """Presses Publish in the open publish panel once its pre-flight (checklist, byline on
        the portal) is done. Until then the button is disabled, and a click on it does
        nothing, as it would for a reporter."""
        go = self.wait_testid("publish-go")
        wait_for(
            lambda: go.is_enabled() and self.by_testid("byline-check").get_attribute("data-state") not in ("checking", None),
            what="the pre-flight done",
        )
        go.click()

    def save_state(self) -> str:
        return self.by_testid("save-state").get_attribute("data-state") or ""

    def wait_file(self, rel: str, predicate: Callable[[str], bool], what: str, timeout: float = UI_TIMEOUT_S) -> str:
        """Waits until the file on disk satisfies `predicate`; returns its text."""
        def check():
            try:
                text = self.sandbox.read(rel)
            except FileNotFoundError:
                return None
            return text if predicate(text) else None
        return wait_for(check, timeout, what)

    def x_window_titles(self) -> list[str]:
        """Titles of the X windows on the display (what a window manager would show)."""
        out = subprocess.run(["xdotool", "search", "--name", "."], capture_output=True, text=True, check=False).stdout
        titles = []
        for wid in out.split():
            name = subprocess.run(["xdotool", "getwindowname", wid], capture_output=True, text=True, check=False).stdout.strip()
            if name:
                titles.append(name)
        return titles


class Launch:
    """Starts tauri-driver with the sandbox's environment and opens a session (one retry)."""

    def __init__(self, sandbox: Sandbox, log_path: Path, application: Path = APP, args: list[str] | None = None):
        self.application = application
        self.args = args  # the app's command line (a folder or a draft)
        self.sandbox = sandbox
        self.log_path = log_path
        self.driver_proc: subprocess.Popen | None = None
        self.driver: webdriver.Remote | None = None

    def start(self) -> App:
        if not self.application.exists():
            pytest.fail(f"{self.application} is missing: build it with `cargo build -p newsroom-app` (tests/e2e/run.sh does)")
        errors = []
        for attempt in (1, 2):
            try:
                return self._start_once()
            except Exception as e:  # a failed GTK init, a driver that did not come up
                errors.append(f"attempt {attempt}: {e!r}")
                self.stop()
        raise AssertionError("app did not launch:\n" + "\n".join(errors) + "\n--- tauri-driver log ---\n" + self.log())

    def _start_once(self) -> App:
        port, native_port = free_port(), free_port()
        log = open(self.log_path, "ab")
        self.driver_proc = subprocess.Popen(
            ["tauri-driver", "--port", str(port), "--native-port", str(native_port)],
            env=self.sandbox.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends it and the app it launched
        )
        log.close()
        # tauri-driver listens at once; WebKitWebDriver behind it takes a moment longer.
        wait_for(lambda: _port_open(port) and _port_open(native_port), 10, "tauri-driver and WebKitWebDriver to listen")
        # A WebDriver command that never answers (WebKit waiting on a refused navigation)
        # fails the test after a minute instead of hanging the run.
        config = ClientConfig(remote_server_addr=f"http://127.0.0.1:{port}", timeout=60)
        self.driver = webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=TauriOptions(self.application, self.args), client_config=config)
        self.driver.set_script_timeout(10)
        return App(self.driver, self.sandbox, self.log)

    def stop(self) -> None:
        if self.driver is not None:
            try:
                self.driver.quit()
            except Exception:
                pass
            self.driver = None
        proc, self.driver_proc = self.driver_proc, None
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=5)
            # the app is tauri-driver's grandchild: wait until it is gone too, so that the next
            # launch in this D-Bus session is not taken for a second instance of it
            # (tauri-plugin-single-instance) and handed over to a dying app
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                try:
                    os.killpg(proc.pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-6000:]
        except OSError:
            return ""


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path)


@pytest.fixture
def launch_app(sandbox: Sandbox, tmp_path: Path, request) -> Iterator[Callable[[], App]]:
    """Call it (after writing any extra drafts into `sandbox`) to start the app; `args`: its
    command line."""
    launches: list[Launch] = []

    def start(args: list[str] | None = None) -> App:
        launch = Launch(sandbox, tmp_path / f"tauri-driver-{len(launches)}.log", args=args)
        launches.append(launch)
        return launch.start()

    yield start

    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for launch in launches:
        if failed and launch.driver is not None:
            SHOTS.mkdir(exist_ok=True)
            try:
                launch.driver.save_screenshot(str(SHOTS / f"{request.node.name}.png"))
            except Exception:
                pass
        launch.stop()
        if failed:
            print(f"--- tauri-driver/app log ({launch.log_path}) ---\n{launch.log()}")


@pytest.fixture
def app(launch_app) -> App:
    """The app on a copy of the sample drafts, with the drafts list shown."""
    a = launch_app()
    wait_for(lambda: a.all_by_testid("draft-item"), UI_TIMEOUT_S, "the drafts list")
    return a
