"""'Needs my action' in the drafts list, in the real window: a reporter sees the drafts sent
back to them with changes requested, an editor the drafts in review, and the list follows a
role change in Settings at once."""

from __future__ import annotations

import json

from selenium.webdriver.common.by import By

from conftest import wait_for


def front(title: str, status: str, author: str) -> str:
    return f"---\ntitle: {title}\nstatus: {status}\nauthor: {author}\n---\n\nText.\n"


def listed_titles(app) -> list[str]:
    return app.driver.execute_script(
        "return [...document.querySelectorAll('[data-testid=draft-item] .draft-title')].map(e => e.textContent)"
    )


def test_needs_my_action_follows_the_role(sandbox, launch_app):
    config = sandbox.home / ".config" / "newsroom"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text(json.dumps({"user_name": "Rita Reporter", "role": "reporter"}))
    sandbox.write("e2e/mine-back.md", front("Sent back to Rita", "changes-requested", "Rita Reporter"))
    sandbox.write("e2e/theirs-back.md", front("Sent back to Sam", "changes-requested", "Sam Other"))
    sandbox.write("e2e/in-review.md", front("Waiting for an editor", "in-review", "Rita Reporter"))
    # a conflict copy of a draft in review waits to be settled, not reviewed: never in the view
    sandbox.write("e2e/in-review.conflict-20261126-093000.md", front("Waiting for an editor (their copy)", "in-review", "Rita Reporter"))
    app = launch_app()
    app.wait_listed("e2e/in-review.md")

    mine = app.by_testid("filter-mine")
    assert mine.get_attribute("aria-pressed") == "false"
    mine.click()
    wait_for(lambda: listed_titles(app) == ["Sent back to Rita"], what=f"only Rita's sent-back draft (have {listed_titles(app)})")
    assert mine.get_attribute("aria-pressed") == "true"
    assert not app.by_testid("filter-status").is_enabled()

    # Settings → Role: editor; the pressed view lists what waits for an editor, without a click
    app.driver.execute_script("document.querySelector('[data-testid=toolbar-settings]').click()")
    role = app.wait_testid("settings-role")
    app.driver.execute_script("arguments[0].value = 'editor'", role)
    app.by_testid("settings-dialog").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(
        lambda: "Waiting for an editor" in listed_titles(app)
        and not {"Sent back to Rita", "Sent back to Sam", "Waiting for an editor (their copy)"} & set(listed_titles(app)),
        what=f"the drafts in review, without the conflict copy (have {listed_titles(app)})",
    )
    assert all(b == "In review" for b in app.driver.execute_script(
        "return [...document.querySelectorAll('[data-testid=draft-item] .badge')].map(e => e.textContent)"
    ))

    # released: every draft again
    mine.click()
    wait_for(
        lambda: {"Sent back to Rita", "Sent back to Sam", "Waiting for an editor", "Waiting for an editor (their copy)"} <= set(listed_titles(app)),
        what="the whole list again, the copy included",
    )
