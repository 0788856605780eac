"""The window at the three sizes issue 17 names: a 1024×700 netbook, a 1366×768 newsroom
laptop and a 1920×1080 desk screen. At each: no sideways page scroll, the editor the widest
pane on screen with a reading measure, the toolbar within the window; at 1024×700 the
document panel and the preview open as drawers. Screenshots of each size are kept in
tests/e2e/artifacts/ (git-ignored) to look at.
"""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from conftest import wait_for

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DRAFT = "world/brest-freight-crossings.md"
SIZES = [(1024, 700), (1366, 768), (1920, 1080)]

# Where things are on screen: the page's scroll widths, the panes shown (inline or drawer) and
# the toolbar's fit.
GEOMETRY = """
const de = document.documentElement;
const panes = Array.from(document.querySelectorAll('.pane')).filter((p) => !p.hidden).map((p) => {
  const r = p.getBoundingClientRect();
  return { id: p.dataset.pane, left: r.left, right: r.right, width: r.width, drawer: p.classList.contains('drawer') };
}).filter((p) => p.width > 0);
const bar = document.querySelector('.toolbar');
const outside = Array.from(bar.querySelectorAll('button')).filter((b) => b.offsetParent !== null && !b.closest('.toolbar-menu'))
  .map((b) => ({ id: b.dataset.testid || b.textContent, right: b.getBoundingClientRect().right }))
  .filter((b) => b.right > window.innerWidth + 0.5);
return {
  scrollWidth: de.scrollWidth, clientWidth: de.clientWidth, bodyScrollWidth: document.body.scrollWidth,
  innerWidth: window.innerWidth, innerHeight: window.innerHeight,
  panes, barScroll: bar.scrollWidth, barClient: bar.clientWidth, outside,
  more: !document.querySelector('[data-testid="toolbar-more"]').closest('[hidden]'),
};
"""

# Characters on each visual line of the editor's longest line (a paragraph), read from where
# each character is drawn: the measure a reader sees, whatever the font.
MEASURE = """
const lines = Array.from(document.querySelectorAll('[data-testid="editor"] .cm-line'));
const line = lines.sort((a, b) => b.textContent.length - a.textContent.length)[0];
if (!line) return null;
const rows = [];
let top = null, count = 0;
const range = document.createRange();
const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode;
  for (let i = 0; i < node.length; i++) {
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    const r = range.getBoundingClientRect();
    if (!r.height) continue;
    if (top === null || r.top - top > r.height / 2) {
      if (top !== null) rows.push(count);
      top = r.top;
      count = 0;
    }
    count++;
  }
}
rows.push(count);
return { chars: line.textContent.length, rows };
"""


def set_size(app, width: int, height: int) -> None:
    app.driver.set_window_size(width, height)
    wait_for(
        lambda: app.driver.execute_script("return [window.innerWidth, window.innerHeight]") == [width, height],
        what=f"the window at {width}x{height} (is {app.driver.execute_script('return [window.innerWidth, window.innerHeight]')})",
    )
    # the layout and the toolbar follow a resize in the next frames: the window is filled,
    # down to the status bar at its bottom edge
    app.driver.execute_async_script("const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));")
    fill = (
        "const s = document.querySelector('.status-bar').getBoundingClientRect();"
        "const a = document.querySelector('.app').getBoundingClientRect();"
        "const p = document.querySelector('.panes').getBoundingClientRect();"
        "return { ok: Math.abs(s.bottom - window.innerHeight) < 1, status: [s.top, s.bottom], app: [a.top, a.bottom], panes: [p.top, p.bottom],"
        " inner: window.innerHeight, scrollHeight: document.documentElement.scrollHeight };"
    )
    try:
        wait_for(lambda: app.driver.execute_script(fill)["ok"], what=f"the layout to fill the window at {width}x{height}")
    except AssertionError as e:
        raise AssertionError(f"{e}: {app.driver.execute_script(fill)}") from None


def shot(app, name: str) -> Path | None:
    """A screenshot kept as an artefact to look at; the assertions are the DOM's. Under a
    loaded Xvfb, WebKitWebDriver's snapshot can time out: that loses the picture, not the
    test."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    try:
        app.driver.save_screenshot(str(path))
    except Exception as e:  # noqa: BLE001 - any failure to take the picture is reported, not fatal
        print(f"screenshot {name} not taken: {e}")
        return None
    return path


def geometry(app) -> dict:
    return app.driver.execute_script(GEOMETRY)


def assert_fits(g: dict, size: tuple[int, int]) -> None:
    assert g["scrollWidth"] <= g["clientWidth"], (size, g)
    assert g["bodyScrollWidth"] <= g["clientWidth"], (size, g)
    assert g["barScroll"] <= g["barClient"], (size, g)
    assert not g["outside"], (size, g)
    for p in g["panes"]:
        assert p["left"] >= -0.5 and p["right"] <= g["innerWidth"] + 0.5, (size, p)


def assert_editor_widest(g: dict, size: tuple[int, int]) -> None:
    inline = {p["id"]: p["width"] for p in g["panes"] if not p["drawer"]}
    assert "editor" in inline, (size, g)
    assert inline["editor"] == max(inline.values()), (size, inline)


def measure(app) -> int:
    m = app.driver.execute_script(MEASURE)
    assert m and len(m["rows"]) >= 3, m  # a paragraph long enough to wrap
    return max(m["rows"][:-1])  # full lines only


def test_window_fits_at_three_sizes(app):
    # no draft: the document panel is a hint, and nothing in its form can be focused
    set_size(app, 1920, 1080)
    wait_for(lambda: app.by_testid("metadata-hint").is_displayed(), what="the no-draft hint")
    focused = app.driver.execute_script(
        "const i = document.querySelector('[data-testid=\"meta-title\"]'); i.focus(); return document.activeElement === i;"
    )
    assert not focused, "the document panel's fields take focus with no draft open"

    app.open_draft(DRAFT)
    wait_for(lambda: "nr-headline" in app.preview_html(), what="the preview")

    for width, height in SIZES:
        size = (width, height)
        set_size(app, width, height)
        g = geometry(app)
        shot(app, f"layout-{width}x{height}")
        assert_fits(g, size)
        assert_editor_widest(g, size)
        if width >= 1366:
            chars = measure(app)
            assert 55 <= chars <= 85, (size, chars)

    # 1024×700: the document panel and the preview are drawers that open over the editor
    set_size(app, 1024, 700)
    g = geometry(app)
    ids = {p["id"] for p in g["panes"]}
    assert "metadata" not in ids and "preview" not in ids, g

    app.by_testid("toggle-metadata").click()
    wait_for(lambda: app.by_testid("pane-metadata").is_displayed(), what="the document drawer")
    title = app.by_testid("meta-title")
    assert title.is_enabled() and title.get_attribute("value"), "the drawer shows the draft's title"
    g = geometry(app)
    assert_fits(g, (1024, 700))
    drawer = next(p for p in g["panes"] if p["id"] == "metadata")
    assert drawer["drawer"] and drawer["width"] >= 250, drawer
    shot(app, "layout-1024x700-document")
    # Escape in the drawer closes it
    ActionChains(app.driver).send_keys(Keys.ESCAPE).perform()
    wait_for(lambda: not app.by_testid("pane-metadata").is_displayed(), what="the document drawer closed")

    # the shortcut opens the preview drawer, the More menu holds the commands that did not fit
    app.driver.find_element("css selector", '[data-testid="editor"] .cm-content').click()
    ActionChains(app.driver).key_down(Keys.ALT).send_keys("3").key_up(Keys.ALT).perform()
    wait_for(lambda: app.by_testid("pane-preview").is_displayed(), what="the preview drawer (Alt+3)")
    g = geometry(app)
    assert_fits(g, (1024, 700))
    assert "nr-headline" in app.preview_html()
    shot(app, "layout-1024x700-preview")
    app.by_testid("toggle-preview").click()
    wait_for(lambda: not app.by_testid("pane-preview").is_displayed(), what="the preview drawer closed")

    # narrower still (the window's least, 800, is near): the toolbar's least used buttons
    # go into More, and the drafts become a drawer too
    set_size(app, 860, 700)
    g = geometry(app)
    assert_fits(g, (860, 700))
    assert g["more"], g
    assert_editor_widest(g, (860, 700))
    assert app.by_testid("pane-drafts").get_attribute("data-placement") == "drawer"
    app.by_testid("toolbar-more").click()
    menu = app.wait_testid("toolbar-menu")
    wait_for(menu.is_displayed, what="the More menu")
    assert menu.find_elements("css selector", '[data-testid="toolbar-palette"]'), "Commands in the More menu"
    shot(app, "layout-860x700-more")
    ActionChains(app.driver).send_keys(Keys.ESCAPE).perform()
    wait_for(lambda: not menu.is_displayed(), what="the More menu closed")
