"""Typing in a long draft through the real input path (xdotool → X → GTK → WebKit): the
preview follows keystroke by keystroke as the page renderer's deltas (only the changed
pieces of the body replaced, the blocks below kept and given their new lines), ends up as
the fresh render of the same text, and the scroll sync still lands on the right paragraph
after lines were added above it."""

from __future__ import annotations

import time

from test_front_matter import press, type_keys
from conftest import wait_for

PARAGRAPHS = 1200
LONG = "---\ntitle: A long file\n---\n\n" + "\n\n".join(
    f"Paragraph {i}: delegates met in Brest on *Tuesday*, and talks went on late into the night. " * 2
    for i in range(PARAGRAPHS)
) + "\n"

# The preview's blocks with the line numbers scroll sync reads (a kept block's current
# numbers are a property, see ui/src/previewPatch.ts).
SHOWN = """
const d = document.querySelector('[data-testid="preview"]').contentDocument;
return Array.from(d.querySelectorAll('.nr-body [data-sourcepos]')).map(
  (el) => `${el.tagName} ${el.nrSourcepos ?? el.getAttribute('data-sourcepos')} ${el.children.length ? '' : el.textContent}`);
"""

MARK_BELOW = """
const d = document.querySelector('[data-testid="preview"]').contentDocument;
const p = Array.from(d.querySelectorAll('.nr-body > p')).find((p) => p.textContent.startsWith(arguments[0]));
p.__kept = true;
return true;
"""

STILL_THERE = """
const d = document.querySelector('[data-testid="preview"]').contentDocument;
const p = Array.from(d.querySelectorAll('.nr-body > p')).find((p) => p.textContent.startsWith(arguments[0]));
return !!(p && p.__kept);
"""

CARET_AFTER = """
const c = document.querySelector('[data-testid="editor"] .cm-content');
const t = c.cmTile || c.cmView; const v = t && (t.root ? t.root.view : t.view);
const at = v.state.doc.toString().indexOf(arguments[0]) + arguments[0].length;
v.dispatch({selection: {anchor: at}, scrollIntoView: true});
v.focus();
return at;
"""


def shown(app) -> list[str]:
    return app.driver.execute_script(SHOWN)


def test_typing_in_a_long_draft_keeps_the_preview_the_full_render_and_in_sync(sandbox, launch_app):
    sandbox.write("e2e/long.md", LONG)
    app = launch_app()
    app.open_draft("e2e/long.md")
    app.show_pane("preview")
    wait_for(lambda: f"Paragraph {PARAGRAPHS - 1}:" in app.preview_html(), timeout=30, what="the preview")
    time.sleep(1.0)  # the page's renderer loads meanwhile (the first preview came from Rust)
    app.driver.execute_script(MARK_BELOW, "Paragraph 900:")

    # type into paragraph 10, then add lines there: every block below moves
    app.driver.execute_script(CARET_AFTER, "Paragraph 10: delegates")
    time.sleep(0.3)
    type_keys(" quickly")
    press("Return", "Return")
    type_keys("A new paragraph")
    wait_for(lambda: "A new paragraph" in app.preview_html(), what="the typed paragraph in the preview")
    # the render after the last key, and the moved blocks' lines, given once typing has
    # paused for previewPatch's SETTLE_MS (250 ms) when scroll sync did not ask for them
    time.sleep(1.0)
    text = app.editor_text() or ""
    assert "Paragraph 10: delegates quickly\n\nA new paragraphmet in Brest" in text
    typed = shown(app)
    # drawn by the page's renderer, the last keystroke as a delta
    pane = "const p = document.querySelector('.preview'); return [p.dataset.renderer, p.dataset.update];"
    assert app.driver.execute_script(pane) == ["page", "delta"]
    # the block far below was kept, not rebuilt: the keystrokes replaced a few pieces only
    assert app.driver.execute_script(STILL_THERE, "Paragraph 900:"), "a block far below the edit was replaced"

    # the same text rendered afresh: open another draft and this one again
    sandbox.write("e2e/other.md", "---\ntitle: Other\n---\n\nOther.\n")
    app.wait_file("e2e/long.md", lambda t: "A new paragraph" in t, "the typing saved")
    app.open_draft("e2e/other.md")
    wait_for(lambda: "Other." in app.preview_html(), what="the other draft's preview")
    app.open_draft("e2e/long.md")
    wait_for(lambda: "A new paragraph" in app.preview_html(), timeout=30, what="the draft's preview again")
    time.sleep(0.5)
    fresh = shown(app)
    assert len(typed) == len(fresh) > PARAGRAPHS
    diff = [(a, b) for a, b in zip(typed, fresh) if a != b]
    assert not diff, f"{len(diff)} blocks differ from the fresh render, first: {diff[:3]}"

    # scroll sync after lines were added above: the editor at paragraph 900 shows it in the preview
    app.open_draft("e2e/other.md")
    app.open_draft("e2e/long.md")
    app.driver.execute_script(CARET_AFTER, "Paragraph 10: delegates quickly")
    type_keys("x")
    press("Return", "Return")
    wait_for(lambda: "quicklyx" in app.preview_html(), what="the keystroke in the preview")
    app.show_pane("preview")
    time.sleep(0.5)
    after_deltas = synced_at_900(app)

    # the same editor scroll on the same text rendered afresh lands on the same place (to a
    # line's height: the editor's heights of lines it has not drawn are its estimates)
    app.open_draft("e2e/other.md")
    app.open_draft("e2e/long.md")
    app.show_pane("preview")
    wait_for(lambda: "quicklyx" in app.preview_html(), timeout=30, what="the draft's preview again")
    time.sleep(0.5)
    fresh_sync = synced_at_900(app)
    assert abs(after_deltas - fresh_sync) < 30, (after_deltas, fresh_sync)
    assert after_deltas > 0


SCROLL_EDITOR_TO_900 = """
const c = document.querySelector('[data-testid="editor"] .cm-content');
const t = c.cmTile || c.cmView; const v = t && (t.root ? t.root.view : t.view);
const line = v.state.doc.lineAt(v.state.doc.toString().indexOf('Paragraph 900:'));
v.scrollDOM.scrollTop = v.lineBlockAt(line.from).top;
"""

PREVIEW_Y = "return document.querySelector('[data-testid=\"preview\"]').contentWindow.scrollY"


def synced_at_900(app) -> float:
    """Scrolls the editor to paragraph 900 and returns where scroll sync puts the preview."""
    app.driver.execute_script(SCROLL_EDITOR_TO_900)
    wait_for(lambda: app.driver.execute_script(PREVIEW_Y) > 1000, what="the preview following the editor")
    time.sleep(0.5)
    return app.driver.execute_script(PREVIEW_Y)
