"""The Status control as an editor and as the desk, in the real window (the reporter's case
is in test_editing.py): only the role's moves (the CLI's table), each written to the trail,
and "published" by hand only as "published elsewhere", behind a confirmation, read
differently from a real publish."""

from __future__ import annotations

import json

from selenium.webdriver.common.by import By

from conftest import wait_for

PIECE = (
    "---\n"
    "title: Night buses return\n"
    "status: {status}\n"
    "author: Ana Kovač\n"
    "---\n"
    "\n"
    "The night buses run again from Monday.\n"
)


def as_user(sandbox, name: str, role: str) -> None:
    config = sandbox.home / ".config" / "newsroom"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text(json.dumps({"user_name": name, "role": role}))


def status_options(app) -> list[str]:
    app.wait_testid("status-select")
    # read in one go: the options are rebuilt when the moves arrive
    return app.driver.execute_script("return [...document.querySelector('[data-testid=status-select]').options].map(o => o.value)")


def choose(app, status: str) -> None:
    """Picks a status as a person does: the control has the focus first. (WebKit fires
    `change` against the value the menu had when it got the focus; a WebDriver click on an
    option alone never focuses it, so a second pick of the same option after Cancel would
    fire nothing.)"""
    select = app.wait_testid("status-select")
    app.driver.execute_script("arguments[0].focus()", select)
    select.find_element(By.CSS_SELECTOR, f'option[value="{status}"]').click()


def test_an_editor_approves_and_the_trail_says_so(sandbox, launch_app):
    sandbox.write("e2e/buses.md", PIECE.format(status="in-review"))
    as_user(sandbox, "Edith Moreau", "editor")
    app = launch_app()
    app.open_draft("e2e/buses.md")
    # in review: withdraw, request changes, approve; never publish
    wait_for(lambda: status_options(app) == ["in-review", "draft", "changes-requested", "approved"], what=f"the editor's moves (have {status_options(app)})")
    choose(app, "approved")
    text = app.wait_file("e2e/buses.md", lambda t: "status: approved" in t, "approved on disk")
    assert "by: Edith Moreau" in text and "to: approved" in text, text
    # approved: an editor may only send it back; scheduling and publishing are the desk's
    wait_for(lambda: status_options(app) == ["approved", "changes-requested"], what=f"the moves after approving (have {status_options(app)})")


def test_the_desk_marks_published_elsewhere_only_after_confirming(sandbox, launch_app):
    sandbox.write("e2e/buses.md", PIECE.format(status="approved"))
    as_user(sandbox, "Dana Desk", "desk")
    app = launch_app()
    app.open_draft("e2e/buses.md")
    wait_for(lambda: status_options(app) == ["approved", "changes-requested", "scheduled", "published"], what=f"the desk's moves (have {status_options(app)})")

    # Published by hand asks first; Cancel leaves the file alone
    choose(app, "published")
    app.wait_testid("confirm-published-elsewhere")
    app.by_testid("confirm-cancel").click()
    wait_for(lambda: not app.all_by_testid("confirm-published-elsewhere"), what="the question closed")
    assert "status: approved" in sandbox.read("e2e/buses.md")
    assert app.wait_testid("status-select").get_attribute("value") == "approved"

    # confirmed: published, in the trail, and read as "published elsewhere" (no portal post)
    choose(app, "published")
    app.wait_testid("confirm-published-elsewhere")
    app.by_testid("confirm-ok").click()
    text = app.wait_file("e2e/buses.md", lambda t: "status: published" in t, "published on disk")
    assert "by: Dana Desk" in text and "to: published" in text, text
    assert "portal:" not in text, "nothing was sent to a portal"
    badge = lambda: app.draft_item("e2e/buses.md").find_element(By.CSS_SELECTOR, ".badge").text  # noqa: E731
    wait_for(lambda: badge() == "Published elsewhere", what=f"the list's badge (have {badge()!r})")
