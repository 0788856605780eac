"""The desk's day in the real window: a colleague's status change arrives as a
notification, open suggestions block publishing until resolved, and one click publishes
to the real WordPress of tests/portal (skipped when it is not running)."""

import base64
import json
import os
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, wait_for

CREDENTIALS = Path(os.environ.get("NEWSROOM_WP_STATE", ROOT / "tests" / "portal" / "state")) / "credentials.json"

PIECE = (
    "---\n"
    "title: Minsk talks resume after a week\n"
    "categories: [World]\n"
    "tags: [Belarus, Ukraine War updates]\n"
    "author: Ana Kovač\n"
    "excerpt: Delegations returned to the table on Monday.\n"
    "status: approved\n"
    "---\n"
    "\n"
    "Delegations met again in Minsk on {~~Tuesday~>Monday~~}.{>>EM: checked with the ministry<<}\n"
    "\n"
    "The talks {++will++} continue next week.\n"
)


def wp():
    if not CREDENTIALS.is_file():
        pytest.skip(f"no test WordPress ({CREDENTIALS} missing): run tests/portal/wordpress.sh start")
    creds = json.loads(CREDENTIALS.read_text())
    try:
        urllib.request.urlopen(creds["url"] + "/wp-json/", timeout=5).read()
    except OSError as e:
        pytest.skip(f"test WordPress not answering at {creds['url']}: {e}")
    return creds


def wp_get(creds, path):
    user = creds["users"]["editor"]
    token = base64.b64encode(f"{user['user']}:{user['password']}".encode()).decode()
    req = urllib.request.Request(creds["url"] + "/wp-json/wp/v2" + path, headers={"Authorization": "Basic " + token})
    return json.loads(urllib.request.urlopen(req, timeout=10).read())


def configure_desk(sandbox, monkeypatch, creds):
    """The desk's settings and portal profile, as the user would set them in the app."""
    config = sandbox.base / "newsroom-config"
    config.mkdir()
    (config / "portals.json").write_text(json.dumps({
        "portals": [{"name": "local", "url": creds["url"], "user": creds["users"]["editor"]["user"]}],
        "default": "local",
    }))
    monkeypatch.setenv("NEWSROOM_CONFIG_DIR", str(config))
    monkeypatch.setenv("NEWSROOM_PORTAL_PASSWORD", creds["users"]["editor"]["password"])
    # the settings beside the portal profiles: one config folder for the app and the CLI
    (config / "settings.json").write_text(json.dumps({"user_name": "Dana Desk", "role": "desk"}))


def test_a_colleagues_submission_arrives_as_a_notification(sandbox, launch_app):
    sandbox.write("world/minsk.md", PIECE.replace("status: approved", "status: draft"))
    app = launch_app()
    app.wait_listed("world/minsk.md")
    # Ana submits from her machine: the file changes on the shared folder.
    submitted = PIECE.replace("status: approved\n", "status: in-review\nreview:\n  - by: Ana Kovač\n    at: 2026-11-26T09:30:00Z\n    from: draft\n    to: in-review\n")
    sandbox.write("world/minsk.md", submitted)
    # The text, not the element: a toast may be gone by the time it is read again.
    toast = wait_for(lambda: next((t.text for t in app.all_by_testid("toast") if "submitted" in t.text), None), what="the notification toast")
    assert "Ana Kovač" in toast and "Minsk talks resume" in toast, toast


def test_one_click_publish_after_resolving_suggestions(sandbox, launch_app, monkeypatch):
    creds = wp()
    configure_desk(sandbox, monkeypatch, creds)
    sandbox.write("world/minsk.md", PIECE)
    app = launch_app()
    app.open_draft("world/minsk.md")
    wait_for(lambda: "Minsk talks resume" in app.preview_html(), what="the preview")
    # Tracked changes show in the preview, and block publishing.
    assert "nr-ins" in app.preview_html() and "nr-comment" in app.preview_html()
    app.by_testid("publish-open").click()
    go = app.wait_testid("publish-go")
    wait_for(lambda: any(c.get_attribute("data-id") == "open_marks" and c.get_attribute("data-passed") == "false" for c in app.all_by_testid("check-item")), what="the open-marks check failing")
    assert not go.is_enabled()
    app.driver.find_element("css selector", "dialog[open] .dialog-close").click()

    # The reporter's side of the day: resolve every suggestion at once.
    app.wait_testid("marks-accept-all").click()
    text = app.wait_file("world/minsk.md", lambda t: "{" not in t.split("---\n", 2)[2], "the accepted suggestions saved")
    assert "on Monday." in text and "will continue" in text

    app.by_testid("publish-open").click()
    wait_for(lambda: all(c.get_attribute("data-passed") == "true" for c in app.all_by_testid("check-item") if c.get_attribute("data-id") == "open_marks"), what="open-marks check passing")
    app.wait_testid("publish-status-publish").click()
    app.press_publish_when_ready()
    link = wait_for(lambda: app.by_testid("publish-link").text, timeout=60, what="the post's link")
    assert link.startswith(creds["url"]), link

    saved = app.wait_file("world/minsk.md", lambda t: "post_id:" in t, "the portal record written back")
    post_id = int(saved.split("post_id:")[1].split()[0])
    post = wp_get(creds, f"/posts/{post_id}?context=edit")
    assert post["title"]["raw"] == "Minsk talks resume after a week"
    assert post["status"] == "publish"
    content = post["content"]["raw"]
    assert "<!-- wp:paragraph" in content and "on Monday." in content
    assert "{++" not in content and "{~~" not in content and "{>>" not in content
    world = [c for c in wp_get(creds, "/categories?search=World") if c["name"] == "World"][0]
    assert post["categories"] == [world["id"]]
    # the post's own tags by id: a test site used many times has more than a page of tags
    tags = {t["id"]: t["name"] for t in wp_get(creds, "/tags?include=" + ",".join(map(str, post["tags"])))}
    assert {tags[t] for t in post["tags"]} == {"Belarus", "Ukraine War updates"}


def test_the_desk_queue_lists_approved_pieces_with_their_checklist(sandbox, launch_app):
    app_config = sandbox.home / ".config" / "newsroom"
    app_config.mkdir(parents=True, exist_ok=True)
    (app_config / "settings.json").write_text(json.dumps({"user_name": "Dana Desk", "role": "desk"}))
    sandbox.write("world/minsk.md", PIECE)
    app = launch_app()
    app.wait_listed("world/minsk.md")
    app.by_testid("queue-open").click()
    app.wait_testid("queue-dialog")
    item = wait_for(lambda: next((i for i in app.all_by_testid("queue-item") if i.get_attribute("data-path") == "world/minsk.md"), None), what="the approved piece in the desk queue")
    # Its open suggestions fail the checklist.
    assert "✗" in item.text or "suggestion" in item.text.lower(), item.text
    paths = [i.get_attribute("data-path") for i in app.all_by_testid("queue-item")]
    assert "science/lake-sediment-microplastics.md" in paths  # the approved sample piece
    assert "world/brest-freight-crossings.md" not in paths  # in review, not the desk's yet
