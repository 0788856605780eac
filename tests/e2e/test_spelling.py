"""Spelling in the real window: what a draft already holds is checked when it opens (not
only words typed, as WebKit's own checker does), in the language of the settings, with the
system's hunspell dictionaries; the byline's names are left alone; a right click offers the
suggestions and "Add to dictionary", which is kept in words.txt beside the settings.

Needs the hunspell-en-gb and hunspell-en-us dictionaries (tests/e2e/setup.sh installs them).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from conftest import SHOTS, wait_for

DICTS = Path("/usr/share/hunspell")

DRAFT = (
    "---\n"
    "title: Teh harbour story\n"
    "status: draft\n"
    "author: Ana Okonkwo\n"
    "---\n"
    "\n"
    "The colour of the organisation's centre changed; Okonkwo's color did not.\n"
    "\n"
    "Recieve it at https://exampel.org/nowhere or `kode` now.\n"
)


def flagged(app) -> list[str]:
    return app.driver.execute_script(
        "return [...document.querySelectorAll('[data-testid=editor] .cm-misspelled')].map(e => e.textContent)"
    )


def word_element(app, word: str):
    for el in app.driver.find_elements(By.CSS_SELECTOR, "[data-testid=editor] .cm-misspelled"):
        if el.text == word:
            return el
    raise AssertionError(f"{word} is not flagged: {flagged(app)}")


@pytest.mark.skipif(not (DICTS / "en_GB.dic").exists() or not (DICTS / "en_US.dic").exists(), reason="hunspell-en-gb and hunspell-en-us not installed")
def test_the_whole_draft_is_checked_in_the_chosen_language(sandbox, launch_app):
    config = sandbox.home / ".config" / "newsroom"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text(json.dumps({"user_name": "Rita Reporter", "role": "reporter", "spell_language": "en_GB"}))
    sandbox.write("e2e/spelling.md", DRAFT)
    app = launch_app()
    app.wait_listed("e2e/spelling.md")
    app.open_draft("e2e/spelling.md")

    # nothing typed: what the draft holds is checked at once; British spellings pass, the
    # byline's name (also with 's) and the front matter's title are not flagged, nor URLs or code
    wait_for(lambda: flagged(app) == ["color", "Recieve"], what=f"the en_GB squiggles (have {flagged(app)})")
    SHOTS.mkdir(exist_ok=True)
    app.driver.save_screenshot(str(SHOTS / "spelling-en-gb.png"))

    # a right click on a flagged word: suggestions first, replaced in the text and saved
    ActionChains(app.driver).context_click(word_element(app, "Recieve")).perform()
    menu = app.wait_testid("spell-menu")
    wait_for(lambda: menu.find_elements(By.CSS_SELECTOR, ".spell-suggestion"), what="suggestions")
    app.driver.save_screenshot(str(SHOTS / "spelling-menu.png"))
    receive = [b for b in menu.find_elements(By.CSS_SELECTOR, ".spell-suggestion") if b.text == "Receive"]
    assert receive, [b.text for b in menu.find_elements(By.CSS_SELECTOR, "button")]
    receive[0].click()
    app.wait_file("e2e/spelling.md", lambda t: "Receive it at" in t, "the suggestion saved")
    wait_for(lambda: flagged(app) == ["color"], what=f"Recieve no longer flagged (have {flagged(app)})")

    # Add to dictionary: kept in the config folder, the squiggle gone
    ActionChains(app.driver).context_click(word_element(app, "color")).perform()
    app.wait_testid("spell-learn").click()
    wait_for(lambda: (config / "words.txt").exists() and (config / "words.txt").read_text() == "color\n", what="words.txt")
    wait_for(lambda: flagged(app) == [], what=f"no squiggle left (have {flagged(app)})")

    # the language is a setting: en_US flags the British spellings (the learnt word stays known)
    # (the toolbar's Settings may sit in its More menu at this window size: clicked by script)
    app.driver.execute_script("document.querySelector('[data-testid=toolbar-settings]').click()")
    select = app.wait_testid("settings-spell-language")
    wait_for(lambda: "en_US" in [o.get_attribute("value") for o in select.find_elements(By.TAG_NAME, "option")], what="the installed dictionaries listed")
    options = [o.get_attribute("value") for o in select.find_elements(By.TAG_NAME, "option")]
    assert options[0] == "" and "en_GB" in options and "en_US" in options, options
    app.driver.execute_script("arguments[0].value = 'en_US'", select)
    app.by_testid("settings-dialog").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(lambda: flagged(app) == ["colour", "organisation's", "centre"], what=f"the en_US squiggles (have {flagged(app)})")
    saved = json.loads((config / "settings.json").read_text())
    assert saved["spell_language"] == "en_US", saved

