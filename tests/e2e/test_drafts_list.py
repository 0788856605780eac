"""The drafts list of a long folder in the real window: rows that do not scroll themselves,
placed from a thin native scroller beside them, which the wheel, the keys and a drag move."""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import wait_for

ROW_HEIGHT = 60  # ui/src/draftsPane.ts
EXTRA_DRAFTS = 400

GEOMETRY = """
const list = document.querySelector('[data-testid="draft-list"]');
const scroller = document.querySelector('[data-testid="draft-scroller"]');
const l = list.getBoundingClientRect(), s = scroller.getBoundingClientRect();
return {
  listRight: l.right, listHeight: list.clientHeight, listScrollHeight: list.scrollHeight,
  listScrollTop: list.scrollTop, listOverflow: getComputedStyle(list).overflowY,
  scrollerLeft: s.left, scrollerWidth: s.width, scrollerHeight: scroller.clientHeight,
  scrollerTop: scroller.scrollTop, spacerHeight: scroller.scrollHeight,
};
"""

# Where row `index` is, relative to the rows area's top (null: not in the DOM).
ROW_TOP = """
const li = document.querySelector(`[data-testid="draft-item"][data-index="${arguments[0]}"]`);
const list = document.querySelector('[data-testid="draft-list"]');
return li ? li.getBoundingClientRect().top - list.getBoundingClientRect().top : null;
"""


# Every row in the DOM is where the scroller's position puts it, and rows reach the view's bottom.
PLACED_AND_FILLED = """
const list = document.querySelector('[data-testid="draft-list"]');
const top = document.querySelector('[data-testid="draft-scroller"]').scrollTop;
const rows = [...list.querySelectorAll('li')];
const at = (li) => li.getBoundingClientRect().top - list.getBoundingClientRect().top;
return rows.length > 0 && rows.every((li) => at(li) === li.dataset.index * 60 - top)
  && at(rows[rows.length - 1]) + 60 >= list.clientHeight;
"""


def geometry(app) -> dict:
    return app.driver.execute_script(GEOMETRY)


def test_a_long_list_scrolls_by_a_thin_scroller_beside_rows_that_do_not_scroll(sandbox, launch_app):
    for i in range(EXTRA_DRAFTS):
        sandbox.write(f"long/story-{i:04}.md", f"---\ntitle: Long story {i:04}\nstatus: draft\n---\n\nParagraph {i}.\n")
    total = len(list(sandbox.drafts.rglob("*.md")))
    app = launch_app()
    count = app.wait_testid("draft-list") and app.driver.find_element(By.CSS_SELECTOR, ".drafts-pane .draft-count")
    wait_for(lambda: count.text == f"{total} drafts", what=f"{total} drafts counted")

    g = geometry(app)
    # the rows area is the pane's height and does not scroll; the scroller is thin, on its right, as tall
    assert g["listOverflow"] == "hidden"
    assert g["listScrollHeight"] < 2 * g["listHeight"], g
    assert g["scrollerWidth"] <= 16, g
    assert abs(g["scrollerLeft"] - g["listRight"]) <= 1, g
    assert g["scrollerHeight"] == g["listHeight"], g
    assert g["spacerHeight"] == total * ROW_HEIGHT, g

    # the scroller's own scrolling (as a drag of its thumb does) places the rows to the pixel
    app.driver.execute_script("document.querySelector('[data-testid=\"draft-scroller\"]').scrollTop = arguments[0]", 200 * ROW_HEIGHT + 25)
    wait_for(lambda: app.driver.execute_script(ROW_TOP, 200) == -25, what="row 200 placed 25 px above the rows area's top")
    assert app.driver.execute_script(ROW_TOP, 201) == ROW_HEIGHT - 25

    # a wheel over the rows moves the scroller, not the rows area
    before = geometry(app)["scrollerTop"]
    rows = app.by_testid("draft-list")
    ActionChains(app.driver).scroll_from_origin(ScrollOrigin.from_element(rows), 0, 300).perform()
    wait_for(lambda: geometry(app)["scrollerTop"] > before, what="the wheel to scroll the list")
    g = geometry(app)
    assert g["listScrollTop"] == 0, g
    first = (g["scrollerTop"] + ROW_HEIGHT - 1) // ROW_HEIGHT  # the first row whole in view
    wait_for(lambda: app.driver.execute_script(ROW_TOP, first) == first * ROW_HEIGHT - g["scrollerTop"], what=f"row {first} placed from the scroller")

    # collapsing the pane and showing it again keeps the place and fills the view
    # (a resized pane is the unit tests': WebDriver's window sizing under Xvfb has no window manager)
    def placed_and_filled() -> bool:
        return app.driver.execute_script(PLACED_AND_FILLED)

    top = geometry(app)["scrollerTop"]
    app.by_testid("toggle-drafts").click()
    wait_for(lambda: geometry(app)["listHeight"] == 0, what="the drafts pane collapsed")
    app.by_testid("toggle-drafts").click()
    wait_for(lambda: geometry(app)["scrollerTop"] == top and placed_and_filled(), what="the list back at its place")

    # End goes to the last row, scrolled to the bottom
    app.driver.execute_script(f"document.querySelector('[data-testid=\"draft-item\"][data-index=\"{first}\"] button').focus()")
    ActionChains(app.driver).send_keys(Keys.END).perform()
    last = total - 1
    focused = "return document.activeElement.closest('[data-testid=\"draft-item\"]')?.dataset.index ?? null"
    wait_for(lambda: app.driver.execute_script(focused) == str(last), what="the last row focused")
    g = geometry(app)
    assert g["scrollerTop"] == total * ROW_HEIGHT - g["listHeight"], g
    assert app.driver.execute_script(ROW_TOP, last) == g["listHeight"] - ROW_HEIGHT
    assert g["listScrollTop"] == 0, g

    # search results scroll natively in the rows area; the thin scroller is hidden meanwhile
    search = app.by_testid("search")
    search.send_keys("Long story 012" + Keys.ENTER)
    wait_for(lambda: count.text.endswith("matches") or count.text.endswith("match"), what="search results")
    assert app.driver.execute_script(
        "const s = document.querySelector('[data-testid=\"draft-scroller\"]'); return s.hidden && s.getBoundingClientRect().width === 0"
    )
    assert geometry(app)["listOverflow"] == "auto"
