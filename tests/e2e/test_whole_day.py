"""A whole day on one shared folder, three people as separate processes: the reporter and
the editor with the `newsroom` CLI (each with their own index, as on their own machines),
the desk in the real app window, publishing with one click to the real WordPress."""

import json
import os
import subprocess

from conftest import ROOT, wait_for
from test_desk import configure_desk, wp, wp_get

CLI = os.environ.get("NEWSROOM_CLI", str(ROOT / "target" / "debug" / "newsroom"))

BODY = (
    "Delegations met again in Minsk on Tuesday and agreed to keep the border crossings open.\n"
    "\n"
    "Officials said the talks would continue next week.\n"
)


def person(sandbox, name, role):
    data = sandbox.base / f"data-{role}"
    data.mkdir(exist_ok=True)
    env = dict(os.environ, NEWSROOM_DRAFTS=str(sandbox.drafts), NEWSROOM_DATA_DIR=str(data), NEWSROOM_USER=name, NEWSROOM_ROLE=role)

    def run(*args):
        done = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"newsroom {' '.join(args)} ({name}): {done.stderr}"
        return done.stdout

    return run


def test_reporter_editor_and_desk_publish_one_piece(sandbox, launch_app, monkeypatch):
    creds = wp()
    configure_desk(sandbox, monkeypatch, creds)
    reporter = person(sandbox, "Ana Kovač", "reporter")
    editor = person(sandbox, "Edith Moreau", "editor")

    # Morning: the reporter writes and submits.
    path = reporter("new", "--title", "Minsk border stays open", "--category", "World", "--tag", "Belarus", "--tag", "Ukraine War updates", "--author", "Ana Kovač").strip()
    rel = os.path.relpath(path, sandbox.drafts)
    with open(path, "a", encoding="utf-8") as f:
        f.write(BODY)
    reporter("set", path, "excerpt=The crossings stay open while talks go on.")
    reporter("submit", path)

    # The editor sees it in the review queue at once (beside the sample piece in review).
    queue = json.loads(editor("queue", "--json"))
    assert rel in [item["draft"]["path"] for item in queue]

    # The desk has the app open on the same folder all day.
    app = launch_app()
    app.wait_listed(rel)

    # The editor suggests and comments, as their editor's suggest mode writes it.
    text = open(path, encoding="utf-8").read()
    text = text.replace("on Tuesday", "on {~~Tuesday~>Monday~~}")
    text = text.replace("keep the border crossings open.", "keep the border crossings open.{>>EM: which crossings?<<}")
    text = text.replace("would continue next week", "would {--probably --}continue {++early ++}next week")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    editor("request-changes", path, "--note", "Two suggestions and a question")

    # The reporter accepts some suggestions and rejects others.
    marks = json.loads(reporter("marks", path, "--json"))
    kinds = [m["kind"] for m in marks]
    assert kinds == ["substitution", "comment", "deletion", "insertion"], kinds
    # Ids stay the same while other marks are resolved: each by the id it was listed with,
    # in any order.
    sub, question, probably, early = (m["id"] for m in marks)
    reporter("reject", path, "--id", early)      # not "early"
    reporter("accept", path, "--id", sub)        # Monday
    reporter("accept", path, "--id", probably)   # drop "probably"
    reporter("reject", path, "--id", question)   # the question: answered, drop the comment
    assert json.loads(reporter("marks", path, "--json")) == []
    reporter("submit", path, "--note", "Done")
    editor("approve", path, "--note", "Good to go")

    # The desk is told, and publishes with one click.
    # The text, not the element: a toast may be gone by the time it is read again.
    toast = wait_for(lambda: next((t.text for t in app.all_by_testid("toast") if "approved" in t.text), None), what="the approval notification")
    assert "Edith Moreau" in toast, toast
    app.open_draft(rel)
    wait_for(lambda: "Minsk border stays open" in app.preview_html(), what="the preview")
    app.by_testid("publish-open").click()
    app.wait_testid("publish-status-publish").click()
    app.press_publish_when_ready()
    link = wait_for(lambda: app.by_testid("publish-link").text, timeout=60, what="the post's link")
    assert link.startswith(creds["url"]), link

    saved = app.wait_file(rel, lambda t: "post_id:" in t, "the portal record written back")
    post = wp_get(creds, f"/posts/{int(saved.split('post_id:')[1].split()[0])}?context=edit")
    content = post["content"]["raw"]
    assert post["title"]["raw"] == "Minsk border stays open"
    assert "in Minsk on Monday and agreed" in content
    assert "would continue next week" in content
    for token in ("{~~", "{++", "{--", "{>>", "{==", "which crossings"):
        assert token not in content, token
    world = [c for c in wp_get(creds, "/categories?search=World") if c["name"] == "World"][0]
    assert post["categories"] == [world["id"]]
    # the post's own tags by id: a test site used many times has more than a page of tags
    tags = {t["id"]: t["name"] for t in wp_get(creds, "/tags?include=" + ",".join(map(str, post["tags"])))}
    assert {tags[t] for t in post["tags"]} == {"Belarus", "Ukraine War updates"}
    # The trail travelled with the file.
    for line in ("by: Ana Kovač", "by: Edith Moreau", "to: approved"):
        assert line in saved, line
