"""The app starts on the drafts folder and lists it."""

import re

from conftest import UI_TIMEOUT_S, wait_for


def test_window_title_and_drafts_list(sandbox, launch_app):
    sandbox.write("e2e/first-light.md", "---\ntitle: First light over the harbour\nstatus: in-review\n---\n\nThe ferries ran late.\n")
    app = launch_app()

    app.wait_listed("e2e/first-light.md", UI_TIMEOUT_S)
    item = app.draft_item("e2e/first-light.md")
    assert "First light over the harbour" in item.text

    # the folder opened while the page loaded was handed over before the page's script ran
    # (src-tauri/src/boot.rs), not asked for afterwards
    assert app.driver.execute_script("return document.documentElement.dataset.boot") == "script"

    # every draft of the sample folder is listed too
    samples = {p.relative_to(sandbox.drafts).as_posix() for p in sandbox.drafts.rglob("*.md")}
    wait_for(lambda: samples <= set(app.draft_paths()), what=f"all of {sorted(samples)} listed")

    # the real window's title, as the desktop shows it
    assert "Newsroom" in wait_for(lambda: [t for t in app.x_window_titles() if t == "Newsroom"], what="an X window titled Newsroom")

    # the editor (CodeMirror, a chunk of its own) is loaded with the first draft opened, not before
    entry = app.driver.execute_async_script(ENTRY_SCRIPT)
    assert re.search(r"\./editor-[\w-]+\.js", entry), "the page's script names the editor's chunk"
    assert "cm-content" not in entry, "CodeMirror is not in the page's own script"
    assert app.driver.execute_script("return document.querySelector('.cm-editor')") is None
    app.open_draft("e2e/first-light.md")
    assert app.driver.execute_script("return document.querySelectorAll('.cm-editor').length") == 1


def test_spell_checking_is_on_in_english(sandbox, launch_app):
    app = launch_app()
    wait_for(lambda: app.all_by_testid("draft-item"), what="the drafts list")
    wait_for(lambda: "newsroom: spell checking en_US" in app.log(), what="the app to report spell checking with en_US")


# the text of the page's own module script, as the window loaded it
ENTRY_SCRIPT = """
const done = arguments[arguments.length - 1];
fetch(document.querySelector('script[type="module"]').src).then((r) => r.text()).then(done, (e) => done('failed: ' + e));
"""
