"""The app starts on the drafts folder and lists it."""

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


def test_spell_checking_is_on_in_english(sandbox, launch_app):
    app = launch_app()
    wait_for(lambda: app.all_by_testid("draft-item"), what="the drafts list")
    wait_for(lambda: "newsroom: spell checking en_US" in app.log(), what="the app to report spell checking with en_US")
