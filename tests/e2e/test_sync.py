"""Sync through git in the real window (docs/sync.md, "In the app"): a drafts folder cloned
from a bare repository, a colleague's clone pushing a status change, the status bar's Sync
button bringing it in (the list's badge, the review notification, the open editor), a local
edit going out, and an unreachable remote shown as offline with the work waiting."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from conftest import Sandbox, free_port, wait_for

STORY = "---\ntitle: Minsk talks resume\nauthor: Ana Kovač\nstatus: draft\n---\n\nDelegations met in Minsk on Tuesday.\n"
SUBMITTED = STORY.replace(
    "status: draft\n",
    "status: in-review\nreview:\n  - by: Ana Kovač\n    at: 2026-11-26T09:30:00Z\n    from: draft\n    to: in-review\n",
)
# git as the test runs it: no system or user configuration, a fixed identity
GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_TERMINAL_PROMPT": "0"}


def git(cwd: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", "-c", "user.name=Ana Kovač", "-c", "user.email=ana@desk.example", *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, f"git {args}: {out.stderr}"
    return out.stdout


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """A bare repository holding world/minsk.md, pushed by Ana's clone (`colleague`)."""
    bare = tmp_path / "desk.git"
    bare.mkdir()
    git(bare, "init", "--quiet", "--bare", "--initial-branch=main")
    git(tmp_path, "clone", "--quiet", str(bare), "colleague")
    colleague = tmp_path / "colleague"
    (colleague / "world").mkdir()
    (colleague / "world/minsk.md").write_text(STORY)
    git(colleague, "add", "--all")
    git(colleague, "commit", "--quiet", "-m", "Minsk talks")
    git(colleague, "push", "--quiet", "origin", "HEAD:main")
    return bare


@pytest.fixture
def sandbox(tmp_path: Path, remote: Path) -> Sandbox:
    """The app's drafts folder: a clone of the remote; the user is Boris, an editor, and
    automatic sync is off so that each sync here is the one the test presses."""
    git(tmp_path, "clone", "--quiet", str(remote), "drafts-clone")
    box = Sandbox(tmp_path, drafts=tmp_path / "drafts-clone")
    config = box.home / ".config/newsroom"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text(
        json.dumps({"user_name": "Boris Editor", "user_email": "boris@desk.example", "role": "editor", "sync_auto": False})
    )
    return box


def sync_button_text(app) -> str:
    """The Sync button's words; empty while it is hidden (not a git working copy)."""
    return app.driver.execute_script(
        "const b = document.querySelector('[data-testid=\"sync-button\"]');"
        "return b && !b.hidden ? b.textContent : '';"
    )


def test_the_sync_button_brings_a_colleagues_status_change_in_and_sends_a_local_edit_out(sandbox, launch_app, remote, tmp_path):
    app = launch_app()
    app.wait_listed("world/minsk.md")
    wait_for(lambda: sync_button_text(app).startswith("Not synced yet"), what="the Sync button, for a git working copy")
    app.open_draft("world/minsk.md")

    # Ana submits on her computer and pushes
    colleague = tmp_path / "colleague"
    (colleague / "world/minsk.md").write_text(SUBMITTED)
    git(colleague, "commit", "--quiet", "-am", "Submitted for review")
    git(colleague, "push", "--quiet", "origin", "HEAD:main")

    app.by_testid("sync-button").click()
    wait_for(lambda: sync_button_text(app).startswith("Synced just now"), what="the sync done")
    # what the sync brought in goes the way a shared drive's change goes: the watcher
    toast = wait_for(lambda: next((t.text for t in app.all_by_testid("toast") if "submitted" in t.text), None), what="the review notification")
    assert "Ana Kovač" in toast and "Minsk talks resume" in toast, toast
    wait_for(lambda: app.draft_item("world/minsk.md").get_attribute("innerHTML").count('data-status="in-review"'), what="the list's badge: In review")
    wait_for(lambda: "status: in-review" in (app.editor_text() or ""), what="the open draft reloaded from disk")

    # a local edit, saved, goes out with the shortcut
    app.type_at_end(" Boris adds a line.")
    wait_for(lambda: app.save_state() == "saved" and "Boris adds a line" in sandbox.read("world/minsk.md"), what="the edit saved")
    ActionChains(app.driver).key_down(Keys.CONTROL).key_down(Keys.ALT).send_keys("s").key_up(Keys.ALT).key_up(Keys.CONTROL).perform()
    wait_for(lambda: "Boris adds a line" in git(remote, "show", "main:world/minsk.md"), what="the edit on the remote")
    author = git(remote, "log", "-1", "--format=%an <%ae>", "main").strip()
    assert author == "Boris Editor <boris@desk.example>", author
    wait_for(lambda: sync_button_text(app).startswith("Synced just now"), what="the status bar after the second sync")


def test_an_unreachable_remote_is_offline_with_the_commits_waiting(sandbox, launch_app):
    # nobody listens on this port: the remote is out of reach, as on a train
    git(sandbox.drafts, "remote", "set-url", "origin", f"git://127.0.0.1:{free_port()}/desk.git")
    sandbox.write("world/late.md", "---\ntitle: Late news\n---\n\nFiled from the train.\n")
    app = launch_app()
    app.wait_listed("world/late.md")
    wait_for(lambda: sync_button_text(app), what="the Sync button")
    app.by_testid("sync-button").click()
    wait_for(lambda: sync_button_text(app) == "Offline, 1 commit waiting", what="offline, calmly")
    button = app.by_testid("sync-button")
    assert button.get_attribute("data-look") == "offline"
    assert "goes out at the next sync" in (button.get_attribute("title") or "")
    # committed here, nothing lost
    assert "world/late.md" in git(sandbox.drafts, "show", "--name-only", "--format=", "HEAD")


def test_automatic_sync_at_open_and_after_saves_settle(sandbox, launch_app, remote, tmp_path):
    # Settings → Sync on (the default)
    config = sandbox.home / ".config/newsroom/settings.json"
    config.write_text(json.dumps({**json.loads(config.read_text()), "sync_auto": True}))
    colleague = tmp_path / "colleague"
    (colleague / "world/minsk.md").write_text(SUBMITTED)
    git(colleague, "commit", "--quiet", "-am", "Submitted for review")
    git(colleague, "push", "--quiet", "origin", "HEAD:main")

    app = launch_app()
    app.wait_listed("world/minsk.md")
    # nothing pressed: the sync a few seconds after the folder opens brings Ana's move in
    wait_for(lambda: app.draft_item("world/minsk.md").get_attribute("innerHTML").count('data-status="in-review"'), 20, "the list's badge: In review, from the automatic sync")
    wait_for(lambda: sync_button_text(app).startswith("Synced"), what="the status bar after it")

    app.open_draft("world/minsk.md")
    app.type_at_end(" Saved, then synced on its own.")
    wait_for(lambda: app.save_state() == "saved", what="the edit saved")
    # once saves settle (10 s), the edit goes out without a press
    wait_for(lambda: "synced on its own" in git(remote, "show", "main:world/minsk.md"), 30, "the edit on the remote")
