"""Every documented shortcut, pressed through the real input path (xdotool → X → GTK's input
method → WebKit), not WebDriver's send_keys, which hands keys to the page directly and so
cannot see a key the input method takes (Ctrl+Shift+U, GTK's Unicode entry, once Publish).
"""

from __future__ import annotations

import time

from test_front_matter import FRONT, draft, press, type_keys
from conftest import wait_for
from xinput import focus, x_windows, xdo

TITLE = "Where the boxes went"


def js(app, script: str):
    return app.driver.execute_script(script)


def dialog_open(app, testid: str) -> bool:
    return bool(js(app, f"const d = document.querySelector('[data-testid=\"{testid}\"]'); return !!d && (d.open || d.hasAttribute('open') || d.offsetParent !== null)"))


def close_dialogs(app) -> None:
    for _ in range(3):
        if not js(app, "return !!document.querySelector('dialog[open]')"):
            return
        press("Escape")
        time.sleep(0.2)


def focus_editor(app) -> None:
    js(app, "document.querySelector('[data-testid=\"editor\"] .cm-content').focus()")


def body(app) -> str:
    return (app.editor_text() or "")[len(FRONT):]


def test_every_window_shortcut_through_the_input_method(sandbox, launch_app):
    sandbox.write("e2e/keys.md", draft(TITLE))
    app = launch_app()
    app.open_draft("e2e/keys.md")

    # shortcut → what must be on screen afterwards
    dialogs = {
        "ctrl+shift+p": "command-palette",
        "ctrl+p": "quick-open",
        "ctrl+n": "new-draft-dialog",
        "ctrl+shift+h": "history-dialog",
        "ctrl+alt+p": "publish-panel",
        "ctrl+shift+q": "queue-dialog",
        "ctrl+comma": "settings-dialog",
    }
    failed = []
    for keys, testid in dialogs.items():
        focus_editor(app)
        press(keys)
        try:
            wait_for(lambda: dialog_open(app, testid), timeout=5, what=testid)
        except AssertionError:
            failed.append(f"{keys} did not open {testid}")
        close_dialogs(app)
    # Export HTML: the system's save chooser (GTK's own window, tauri-plugin-dialog), cancelled
    focus_editor(app)
    press("ctrl+alt+e")
    try:
        chooser = wait_for(lambda: x_windows("Export HTML"), timeout=5, what="the Export HTML chooser")[-1]
        focus(chooser)
        xdo("key", "Escape")
        wait_for(lambda: not dialog_open(app, "export-dialog"), timeout=5, what="no typed-path dialog after a cancel")
    except AssertionError:
        failed.append("ctrl+alt+e did not open the Export HTML chooser")
    # nothing any of them did reached the text
    assert (app.editor_text() or "") == draft(TITLE), "a shortcut typed into the draft"

    # Suggest mode, the panes, search, focus
    press("ctrl+shift+e")
    if js(app, "return document.querySelector('[data-testid=\"suggest-toggle\"]').getAttribute('aria-pressed')") != "true":
        failed.append("ctrl+shift+e did not turn suggest mode on")
    press("ctrl+shift+e")
    for n, pane in ((1, "drafts"), (3, "preview"), (4, "metadata")):
        before = js(app, f"return document.querySelector('[data-testid=\"toggle-{pane}\"]').getAttribute('aria-pressed')")
        press(f"alt+{n}")
        after = js(app, f"return document.querySelector('[data-testid=\"toggle-{pane}\"]').getAttribute('aria-pressed')")
        if before == after:
            failed.append(f"alt+{n} did not toggle the {pane} pane")
        press(f"alt+{n}")
    press("ctrl+shift+f")
    if js(app, "return document.activeElement && document.activeElement.dataset.testid") != "search":
        failed.append("ctrl+shift+f did not focus the drafts search")
    press("ctrl+e")
    if not js(app, "return !!(document.activeElement && document.activeElement.classList.contains('cm-content'))"):
        failed.append("ctrl+e did not focus the editor")

    # the editor's own keys: type a word at the body's start, select it, format it
    focus_editor(app)
    type_keys("Zebra")
    press("ctrl+shift+Left", "ctrl+b")
    wait_for(lambda: body(app).startswith("**Zebra**"), timeout=5, what="Ctrl+B around the word")
    press("ctrl+z")
    wait_for(lambda: body(app).startswith("Zebra") and not body(app).startswith("**"), timeout=5, what="Ctrl+Z undoing it")
    press("ctrl+shift+z")
    wait_for(lambda: body(app).startswith("**Zebra**"), timeout=5, what="Ctrl+Shift+Z redoing it")
    press("ctrl+z", "ctrl+shift+Left", "ctrl+i")
    wait_for(lambda: body(app).startswith("_Zebra_"), timeout=5, what="Ctrl+I around the word")
    press("ctrl+z")
    for keys, prefix in (("ctrl+alt+1", "# "), ("ctrl+alt+2", "## "), ("ctrl+alt+3", "### "), ("ctrl+shift+period", "> "), ("ctrl+shift+8", "- ")):
        press(keys)
        try:
            wait_for(lambda: body(app).startswith(prefix + "Zebra"), timeout=5, what=f"{keys} → {prefix!r}")
        except AssertionError:
            failed.append(f"{keys} did not make the line start with {prefix!r}: {body(app)[:30]!r}")
        press("ctrl+z")
    # Comment on the selection, then Copy as rich text (says so in the status bar)
    press("ctrl+shift+Left", "ctrl+alt+m")
    try:
        wait_for(lambda: body(app).startswith("{==Zebra==}{>>"), timeout=5, what="Ctrl+Alt+M commenting")
    except AssertionError:
        failed.append(f"ctrl+alt+m did not comment: {body(app)[:30]!r}")
    press("ctrl+z")
    press("ctrl+alt+c")
    try:
        wait_for(lambda: "cop" in (js(app, "return document.querySelector('.status-message').textContent") or "").lower(), timeout=5, what="Ctrl+Alt+C")
    except AssertionError:
        failed.append("ctrl+alt+c said nothing")
    press("alt+2")
    if js(app, "return document.querySelector('[data-testid=\"toggle-editor\"]').getAttribute('aria-pressed')") != "false":
        failed.append("alt+2 did not hide the editor")
    press("alt+2")
    focus_editor(app)
    press("ctrl+f")
    if not js(app, "return !!document.querySelector('.cm-search')"):
        failed.append("ctrl+f did not open find and replace")
    press("Escape")
    press("ctrl+s")
    app.wait_file("e2e/keys.md", lambda t: "Zebra" in t, "Ctrl+S saving")
    assert sandbox.read("e2e/keys.md").startswith(FRONT), "the front matter changed"
    assert not failed, "\n".join(failed)
