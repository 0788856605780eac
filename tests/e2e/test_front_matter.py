"""No keystroke may break a draft's front matter: typed through the real input path.

WebDriver's send_keys hands key events to the page and bypasses GTK's input method, so it
cannot see what a reporter's keyboard does (Ctrl+Shift+U, for one, is GTK's Unicode entry).
Here every key goes through X with xdotool, to the app's focused window, on the display the
harness runs under (xvfb-run sets DISPLAY for pytest, tauri-driver and the app alike).
"""

from __future__ import annotations

import time

from selenium.webdriver.common.by import By

from conftest import SHOTS, wait_for
from xinput import focus_named, xdo

# a scheduled piece, as in the report: title, status, schedule, categories, a comment and
# keys the app does not know must all survive byte for byte
FRONT = (
    "---\n"
    "title: Where the boxes went\n"
    "status: scheduled\n"
    "publish_at: 2030-12-03T06:00:00+01:00\n"
    "categories:\n"
    "  - Business\n"
    "  - World\n"
    "tags: [ports, shipping]\n"
    "author: Ana Kovač\n"
    "# the desk's note stays\n"
    "desk_note: keep this exactly\n"
    "---\n"
)
BODY = "\nThe port moved fewer boxes this year.\n\nSecond paragraph.\n"


def draft(title: str) -> str:
    return FRONT.replace("Where the boxes went", title) + BODY


def split(text: str, title: str) -> tuple[str, str]:
    front = FRONT.replace("Where the boxes went", title)
    return text[: len(front)], text[len(front):]


def focus_window() -> None:
    focus_named("Newsroom")


def type_keys(text: str) -> None:
    """Types `text` as real key presses, through GTK's input method."""
    focus_window()
    xdo("type", "--delay", "40", text)


def press(*keys: str) -> None:
    focus_window()
    for k in keys:
        xdo("key", "--delay", "60", k)


def wait_editor_has(app, path: str, title: str):
    want = draft(title)
    wait_for(lambda: (app.editor_text() or "") == want, what=f"{path} in the editor")


def check_saved(app, path: str, title: str, typed: str) -> None:
    text = app.wait_file(path, lambda t: typed in t, f"‘{typed}’ saved to {path}")
    front, body = split(text, title)
    assert front == FRONT.replace("Where the boxes went", title), f"front matter changed:\n{text}"
    assert typed in body, body
    # the caret opened at the start of the body: the typing came first there
    assert body.lstrip(" \t").startswith(typed), body


def active_testid(app) -> str:
    return app.driver.execute_script("const a = document.activeElement; return a ? (a.dataset.testid || a.className || a.tagName) : ''")


def test_typing_after_each_way_of_opening_keeps_the_front_matter(sandbox, launch_app):
    routes = {"click": "Click route", "enter": "Enter route", "palette": "Palette route", "ctrl-e": "Focus route"}
    for slug, title in routes.items():
        sandbox.write(f"e2e/{slug}.md", draft(title))
    app = launch_app()
    for slug in routes:
        app.wait_listed(f"e2e/{slug}.md")

    # 1. a click in the list, then the keys a reporter might hit first: Backspace, Tab
    path, title = "e2e/click.md", routes["click"]
    item = app.draft_item(path)
    item.find_element(By.CSS_SELECTOR, "button").click()
    wait_editor_has(app, path, title)
    line = app.wait_testid("front-matter-line")
    assert "fields" in line.text and "sidebar" in line.text
    SHOTS.mkdir(exist_ok=True)
    app.driver.save_screenshot(str(SHOTS / "front-matter-folded.png"))
    press("BackSpace", "BackSpace", "ctrl+Home", "Up")
    type_keys("Clicked first. ")
    check_saved(app, path, title, "Clicked first. ")

    # select-all then typing replaces the body, never the front matter
    press("ctrl+a")
    type_keys("Whole new body.")
    text = app.wait_file(path, lambda t: t.endswith("Whole new body."), "select-all + typing saved")
    assert text == FRONT.replace("Where the boxes went", title) + "Whole new body."

    # 2. Enter on a row of the list
    path, title = "e2e/enter.md", routes["enter"]
    app.driver.execute_script("arguments[0].focus()", app.draft_item(path).find_element(By.CSS_SELECTOR, "button"))
    press("Return")
    wait_editor_has(app, path, title)
    press("Tab")
    type_keys("Entered here. ")
    text = app.wait_file(path, lambda t: "Entered here. " in t, "typing after Enter saved")
    front, body = split(text, title)
    assert front == FRONT.replace("Where the boxes went", title)
    assert body.strip().startswith("Entered here."), body

    # 3. Ctrl+P, the title, Enter
    path, title = "e2e/palette.md", routes["palette"]
    press("ctrl+p")
    app.wait_testid("quick-open")
    type_keys("Palette route")
    wait_for(lambda: "Palette route" in (app.driver.execute_script(
        "const o = document.querySelector('[data-testid=\"quick-open\"] [aria-selected=\"true\"], [data-testid=\"quick-open\"] li');"
        "return o ? o.textContent : ''") or ""), what="the draft offered first in the picker")
    press("Return")
    wait_editor_has(app, path, title)
    type_keys("Picked by title. ")
    check_saved(app, path, title, "Picked by title. ")

    # 4. open it, go elsewhere (the search box), come back with Ctrl+E
    path, title = "e2e/ctrl-e.md", routes["ctrl-e"]
    app.draft_item(path).find_element(By.CSS_SELECTOR, "button").click()
    wait_editor_has(app, path, title)
    app.by_testid("search").click()
    wait_for(lambda: active_testid(app) == "search", what="focus in the search box")
    press("ctrl+e")
    wait_for(lambda: "cm-content" in active_testid(app), what="focus in the editor after Ctrl+E")
    type_keys("Back with Ctrl+E. ")
    check_saved(app, path, title, "Back with Ctrl+E. ")

    # the drafts opened before are still as their front matter was
    for slug, t in routes.items():
        front, _ = split(sandbox.read(f"e2e/{slug}.md"), t)
        assert front == FRONT.replace("Where the boxes went", t), slug


def test_publish_shortcut_goes_through_the_input_method(sandbox, launch_app):
    sandbox.write("e2e/publish.md", draft("Publish me"))
    app = launch_app()
    app.open_draft("e2e/publish.md")
    press("ctrl+alt+p")
    app.wait_testid("publish-panel")
    text = app.editor_text() or ""
    assert text == draft("Publish me"), "the shortcut must not type into the draft"


def test_a_draft_reopens_where_it_was_left_not_at_the_last_scroll(sandbox, launch_app):
    long_body = "".join(f"Paragraph {i} of a long story about the port.\n\n" for i in range(1, 200))
    sandbox.write("e2e/long.md", FRONT + long_body)
    sandbox.write("e2e/short.md", draft("Short one"))
    app = launch_app()
    app.open_draft("e2e/long.md")
    scroller = '[data-testid="editor"] .cm-scroller'
    app.driver.execute_script(f"document.querySelector('{scroller}').scrollTop = 3000")
    wait_for(lambda: app.driver.execute_script(f"return document.querySelector('{scroller}').scrollTop") > 2000, what="scrolled down")
    app.open_draft("e2e/short.md")
    time.sleep(0.3)  # a frame or two: CodeMirror measures and applies its scroll
    assert app.driver.execute_script(f"return document.querySelector('{scroller}').scrollTop") == 0, "the short draft opens at its top"
    app.open_draft("e2e/long.md")
    wait_for(lambda: app.driver.execute_script(f"return document.querySelector('{scroller}').scrollTop") > 2000, what="the long draft back where it was")


def test_front_matter_broken_outside_shows_the_banner_and_restores(sandbox, launch_app):
    path = "e2e/broken.md"
    sandbox.write(path, draft("Fine at first"))
    app = launch_app()
    app.open_draft(path)
    type_keys("Saved once. ")
    good = app.wait_file(path, lambda t: "Saved once. " in t, "a good version saved")
    time.sleep(1.5)  # the watcher settles on our own save
    broken = good.replace("tags: [ports, shipping]", "tags: [ports, shipping")
    (sandbox.drafts / path).write_bytes(broken.encode())
    banner = wait_for(lambda: (b := app.by_testid("draft-error-banner")).is_displayed() and b, timeout=15, what="the front matter banner")
    assert "e2e/broken.md:" in banner.text
    assert not app.all_by_testid("front-matter-line"), "the broken YAML is shown to be fixed"
    SHOTS.mkdir(exist_ok=True)
    app.driver.save_screenshot(str(SHOTS / "front-matter-broken.png"))
    app.by_testid("restore-good").click()
    wait_for(lambda: sandbox.read(path) == good, timeout=15, what="the last good version back on disk")
    wait_for(lambda: not app.by_testid("draft-error-banner").is_displayed(), what="the banner gone")
    app.wait_testid("front-matter-line")


def test_folded_line_at_laptop_sizes(sandbox, launch_app):
    """Screenshots kept as artefacts (tests/e2e/shots/): the folded line at 1024×700 and 1366×768."""
    sandbox.write("e2e/size.md", draft("Sizes"))
    app = launch_app()
    app.open_draft("e2e/size.md")
    SHOTS.mkdir(exist_ok=True)
    for w, h in ((1024, 700), (1366, 768)):
        app.driver.set_window_size(w, h)
        wait_for(lambda: app.driver.execute_script("return window.innerWidth") <= w, what=f"the window at {w}x{h}")
        time.sleep(0.5)  # a frame to lay out
        assert app.by_testid("front-matter-line").is_displayed()
        app.driver.save_screenshot(str(SHOTS / f"front-matter-{w}x{h}.png"))
