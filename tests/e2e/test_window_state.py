"""The window comes back as it was left: size (tauri-plugin-window-state, saved when the app
exits) and the drafts pane's width (the page's own layout state, ui/src/layout.ts)."""

import json

from selenium.webdriver.common.keys import Keys

from conftest import wait_for

CLOSE = "return window.__TAURI_INTERNALS__.invoke('plugin:window|close', { label: 'main' }).then(() => true)"
DRAFTS_WIDTH = "return Math.round(document.querySelector('[data-testid=\"pane-drafts\"]').getBoundingClientRect().width)"


def test_size_and_pane_width_are_restored(sandbox, launch_app):
    app = launch_app()
    wait_for(lambda: app.all_by_testid("draft-item"), what="the drafts list")

    app.driver.set_window_size(1100, 700)
    wait_for(lambda: app.driver.execute_script("return [window.innerWidth, window.innerHeight]") == [1100, 700], what="the window at 1100x700")
    # the drafts pane made wider with the keyboard on its handle
    before = app.driver.execute_script(DRAFTS_WIDTH)
    handle = app.by_testid("resize-drafts")
    handle.click()
    for _ in range(3):
        handle.send_keys(Keys.ARROW_RIGHT)
    widened = wait_for(lambda: (w := app.driver.execute_script(DRAFTS_WIDTH)) > before and w, what="the drafts pane wider")

    # closed as the user closes it (the window's close button), so the app exits normally
    try:
        app.driver.execute_script(CLOSE)
    except Exception:
        pass  # the session may end with the window
    state_file = sandbox.home / ".config"
    saved = wait_for(lambda: list(state_file.rglob(".window-state.json")), what="the window state saved on exit")
    state = json.loads(saved[0].read_text())["main"]
    assert (state["width"], state["height"]) == (1100, 700), state

    again = launch_app()
    wait_for(lambda: again.all_by_testid("draft-item"), what="the drafts list after the restart")
    wait_for(lambda: again.driver.execute_script("return [window.innerWidth, window.innerHeight]") == [1100, 700], what="the window restored to 1100x700")
    assert again.driver.execute_script(DRAFTS_WIDTH) == widened
