"""axe-core in the real window: the main views (drafts list, editor and document sidebar,
preview frame, publish panel, queue, settings) have no serious or critical violation, and
the keyboard can skip past the toolbar.

axe.min.js comes from ui/node_modules/axe-core (a devDependency of the UI; `npm --prefix ui
ci`), or from AXE_CORE_JS. It is injected over WebDriver and run on the page as it is.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import ROOT, SHOTS, wait_for

AXE = Path(os.environ.get("AXE_CORE_JS") or ROOT / "ui" / "node_modules" / "axe-core" / "axe.min.js")

# what counts: the two worst of axe's four impacts
BLOCKING = ("serious", "critical")


def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `npm --prefix ui ci` installs axe-core (or set AXE_CORE_JS)")
    return AXE.read_text()


def run_axe(driver, context: str = "document") -> list[dict]:
    """Runs axe on `context` (a JS expression) of the current frame; the serious and critical
    violations, each with its nodes' targets and summaries."""
    if not driver.execute_script("return !!window.axe"):
        driver.execute_script(axe_source())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"axe.run({context}, {{ resultTypes: ['violations'] }})"
        ".then(r => done(JSON.stringify({ violations: r.violations, passes: r.passes.length })), e => done(JSON.stringify({ error: String(e) })));"
    )
    answer = json.loads(result)
    if "error" in answer:
        raise AssertionError(f"axe failed: {answer['error']}")
    # axe ran on something: rules passed there (an empty context passes nothing)
    assert answer["passes"] > 5, f"axe checked almost nothing ({answer['passes']} rules passed)"
    found = answer["violations"]
    # the lesser ones are printed (pytest -s) for whoever improves the window next
    for v in found:
        if v["impact"] not in BLOCKING:
            print(f"axe ({v['impact']}): {v['id']}: {v['help']} — {[n['target'] for n in v['nodes'][:3]]}")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [(n["target"], n.get("failureSummary", "")) for n in v["nodes"][:5]]}
        for v in found
        if v["impact"] in BLOCKING
    ]


def check(driver, view: str, context: str = "document") -> None:
    bad = run_axe(driver, context)
    if bad:
        SHOTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(SHOTS / f"axe-{view}.png"))
    assert not bad, f"{view}: " + json.dumps(bad, indent=1, ensure_ascii=False)


def close_dialog(app) -> None:
    ActionChains(app.driver).send_keys(Keys.ESCAPE).perform()
    wait_for(lambda: not app.driver.find_elements(By.CSS_SELECTOR, "dialog[open]"), what="the dialog closed")


def test_axe_finds_nothing_serious_in_the_main_views(sandbox, launch_app):
    driver = None
    app = launch_app()
    driver = app.driver
    driver.set_script_timeout(60)
    wait_for(lambda: app.all_by_testid("draft-item"), what="the drafts list")

    # the drafts list, no draft open (the document panel hidden and inert)
    check(driver, "list")

    # a draft open: the editor and the document sidebar (review, status, categories, tags)
    path = app.draft_paths()[0]
    app.open_draft(path)
    check(driver, "editor")

    # the preview: the pane, then its frame's document. The frame runs no script (sandboxed),
    # so axe runs in a copy of that document, same styles and size, in a frame that may
    app.show_pane("preview")
    check(driver, "preview-pane")
    wait_for(lambda: app.preview_html().strip(), what="the preview rendered")
    copy = driver.execute_script(
        "const f = document.querySelector('[data-testid=preview]');"
        "const c = document.createElement('iframe');"
        "c.title = 'axe: a copy of the preview'; c.dataset.testid = 'axe-preview-copy';"
        "const r = f.getBoundingClientRect();"
        "c.style.cssText = `position:fixed;left:${r.left}px;top:${r.top}px;width:${r.width}px;height:${r.height}px;border:0;z-index:9999`;"
        "c.srcdoc = '<!doctype html>' + f.contentDocument.documentElement.outerHTML;"
        "document.body.append(c); return c;"
    )
    wait_for(lambda: driver.execute_script("return arguments[0].contentDocument && arguments[0].contentDocument.readyState === 'complete' && !!arguments[0].contentDocument.body.textContent.trim()", copy), what="the copy loaded")
    driver.switch_to.frame(copy)
    try:
        check(driver, "preview-frame")
    finally:
        driver.switch_to.default_content()
        driver.execute_script("arguments[0].remove()", copy)

    # the publish panel
    driver.execute_script("document.querySelector('[data-testid=publish-open]').click()")
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "dialog[open]"), what="the publish panel")
    check(driver, "publish")
    close_dialog(app)

    # the review queue
    driver.execute_script("document.querySelector('[data-testid=queue-open]').click()")
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "dialog[open]"), what="the queue")
    check(driver, "queue")
    close_dialog(app)

    # settings (with its portals)
    driver.execute_script("document.querySelector('[data-testid=toolbar-settings]').click()")
    app.wait_testid("settings-dialog")
    check(driver, "settings")
    close_dialog(app)


def test_a_skip_link_goes_past_the_toolbar_to_the_text(sandbox, launch_app):
    app = launch_app()
    wait_for(lambda: app.all_by_testid("draft-item"), what="the drafts list")
    app.open_draft(app.draft_paths()[0])
    # from the top of the page, the first Tab reaches the skip link, before the toolbar
    app.driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    ActionChains(app.driver).send_keys(Keys.TAB).perform()
    skip = app.driver.switch_to.active_element
    assert skip.get_attribute("data-testid") == "skip-link", skip.get_attribute("outerHTML")
    assert skip.is_displayed(), "the skip link shows when it has the focus"
    skip.send_keys(Keys.ENTER)
    wait_for(
        lambda: app.driver.execute_script("return document.activeElement && document.activeElement.classList.contains('cm-content')"),
        what="the focus in the draft's text",
    )
    # Escape then Tab leaves the text (Tab alone indents), documented in the editor's help
    ActionChains(app.driver).send_keys(Keys.ESCAPE).send_keys(Keys.TAB).perform()
    assert not app.driver.execute_script("return document.activeElement.classList.contains('cm-content')")
