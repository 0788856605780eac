"""Settings → Portals in the real window: with no portal the publish panel says so and
leads to Settings; a portal added there (its password typed once, never shown again) is
tested against the real WordPress of tests/portal and is the portal `newsroom portal list`
and `newsroom portal test` see; and the byline pre-flight asks before a post goes out
under the account's name (skipped when that WordPress is not running)."""

import json
import os
import stat
import subprocess

from conftest import ROOT, wait_for
from test_desk import wp

CLI = ROOT / "target" / "debug" / "newsroom"

PIECE = (
    "---\n"
    "title: Where the boxes went\n"
    "categories: [World]\n"
    "author: Zoran Nobody\n"
    "status: approved\n"
    "---\n"
    "\n"
    "The boxes went to the depot.\n"
)


def type_into(app, testid, text):
    field = app.wait_testid(testid)
    field.clear()
    field.send_keys(text)


def test_a_portal_added_in_settings_is_the_clis_portal(sandbox, launch_app, monkeypatch):
    creds = wp()
    editor = creds["users"]["editor"]
    config = sandbox.base / "newsroom-config"
    config.mkdir()
    monkeypatch.setenv("NEWSROOM_CONFIG_DIR", str(config))
    monkeypatch.delenv("NEWSROOM_PORTAL_PASSWORD", raising=False)
    sandbox.write("world/boxes.md", PIECE)
    app = launch_app()
    app.open_draft("world/boxes.md")

    # No portal: no phantom "Default portal", but the way to set one up.
    app.wait_testid("publish-open").click()
    wait_for(lambda: app.by_testid("publish-no-portal").is_displayed(), what="the no-portal notice")
    assert "Default portal" not in app.by_testid("publish-panel").text
    assert not app.by_testid("publish-go").is_enabled()
    app.by_testid("publish-setup-portal").click()
    app.wait_testid("settings-portals")

    # Add the portal as the desk would: the password typed into a password field.
    app.wait_testid("portal-add").click()
    assert app.by_testid("portal-password").get_attribute("type") == "password"
    type_into(app, "portal-name", "local")
    type_into(app, "portal-url", creds["url"] + "/")
    type_into(app, "portal-user", editor["user"])
    type_into(app, "portal-password", editor["password"])
    app.by_testid("portal-save").click()
    # saving runs the connection test against the real WordPress
    result = wait_for(
        lambda: next((r for r in app.all_by_testid("portal-test-result") if r.get_attribute("data-ok") in ("true", "false")), None),
        timeout=60,
        what="the connection test",
    )
    assert result.get_attribute("data-ok") == "true", result.text
    assert editor["display_name"] in result.text and "editor" in result.text, result.text
    row = app.by_testid("portal-row")
    assert row.get_attribute("data-default") == "true"
    assert app.by_testid("portal-password-state").get_attribute("data-stored") == "true"
    assert editor["password"] not in app.driver.page_source
    assert app.by_testid("portal-password").get_attribute("value") == ""

    # The CLI sees the same portal, and its password.
    env = {**os.environ, "NEWSROOM_CONFIG_DIR": str(config)}
    env.pop("NEWSROOM_PORTAL_PASSWORD", None)
    listed = subprocess.run([str(CLI), "portal", "list"], env=env, capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split("\n")[0].split("\t") == ["local", creds["url"], editor["user"] + " (default)"], listed.stdout
    tested = subprocess.run([str(CLI), "portal", "test", "local", "--json"], env=env, capture_output=True, text=True, timeout=120)
    assert tested.returncode == 0, tested.stderr
    assert json.loads(tested.stdout)["user"]["name"] == editor["display_name"]
    # the profiles file has no password; without a keyring (this harness has no Secret
    # Service) the password is in a file only the user can read
    assert editor["password"] not in (config / "portals.json").read_text()
    secret = config / "secrets" / "local.password"
    if secret.exists():
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600

    # The byline pre-flight: nobody on the portal is called "Zoran Nobody".
    app.driver.find_element("css selector", "dialog[open] .dialog-close").click()
    app.wait_testid("publish-open").click()
    wait_for(lambda: app.by_testid("publish-portal").get_attribute("value") == "local", what="the portal chosen")
    check = wait_for(
        lambda: (el := app.by_testid("byline-check")).get_attribute("data-state") in ("differs", "ok", "unchecked") and el,
        timeout=60,
        what="the byline check",
    )
    assert check.get_attribute("data-state") == "differs", check.text
    text = app.by_testid("byline-text").text
    assert "Byline «Zoran Nobody»" in text and f"«{editor['display_name']}» (the portal account)" in text, text
    assert not app.by_testid("publish-go").is_enabled()
    app.by_testid("byline-accept").click()
    wait_for(lambda: app.by_testid("publish-go").is_enabled(), what="Publish enabled after choosing the account")
