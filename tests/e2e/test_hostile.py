"""A hostile draft's preview runs no script, whatever the Markdown smuggles in."""

import time

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By

from conftest import wait_for

HOSTILE = """---
title: "Hostile <script>window.__pwned = 'title'</script>"
featured_image: "javascript:window.__pwned='image'"
---

# Innocent headline

<script>window.__pwned = 'script'; alert('script')</script>

<img src="x" onerror="window.__pwned = 'onerror'; alert('onerror')">

<svg onload="window.__pwned = 'svg'"><circle r="5"/></svg>

<iframe srcdoc="<script>parent.__pwned = 'iframe'</script>"></iframe>

<a href="javascript:window.__pwned='html-link'" id="html-link">html link</a>

[markdown link](javascript:window.__pwned='md-link')

[encoded](jav&#x09;ascript:window.__pwned='encoded')

<form action="javascript:window.__pwned='form'"><button id="form-button">go</button></form>

<div style="background:url(javascript:window.__pwned='css')">styled</div>

![img](javascript:window.__pwned='md-image')

Last paragraph.
"""

# Every element of the preview document that could run script: script/iframe/object/embed
# elements, on* attributes, javascript: in any attribute.
DANGEROUS_ELEMENTS = """
const doc = document.querySelector('[data-testid="preview"]').contentDocument;
const found = [];
for (const el of doc.querySelectorAll('*')) {
  const tag = el.tagName.toLowerCase();
  if (['script', 'iframe', 'object', 'embed', 'frame'].includes(tag)) found.push(tag);
  for (const a of el.attributes) {
    const v = a.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
    if (a.name.toLowerCase().startsWith('on') || v.includes('javascript:') || v.startsWith('data:text')) {
      found.push(tag + '[' + a.name + '=' + a.value + ']');
    }
  }
}
return found;
"""

PWNED = "return [window.__pwned, (document.querySelector('[data-testid=\"preview\"]').contentWindow || {}).__pwned]"


def assert_clean(app):
    assert app.driver.execute_script(PWNED) == [None, None]
    try:
        text = app.driver.switch_to.alert.text
        raise AssertionError(f"an alert opened: {text!r}")
    except NoAlertPresentException:
        pass


def test_hostile_draft_runs_no_script(sandbox, launch_app):
    sandbox.write("e2e/hostile.md", HOSTILE)
    app = launch_app()
    app.open_draft("e2e/hostile.md")
    wait_for(lambda: "Last paragraph." in app.preview_html(), what="the hostile draft's preview")
    # What the markup smuggled in is shown as text at most: no element carries it.
    dangerous = app.driver.execute_script(DANGEROUS_ELEMENTS)
    assert dangerous == [], dangerous
    assert_clean(app)

    # a keystroke's preview comes from the page's WebAssembly build of the same renderer
    # (loaded when the draft was opened): just as clean
    app.type_at_end("Quokkaz")
    wait_for(lambda: "Quokkaz" in app.preview_html(), what="the keystrokes in the preview")
    assert app.driver.execute_script("return document.querySelector('.preview').dataset.renderer") == "page"
    dangerous = app.driver.execute_script(DANGEROUS_ELEMENTS)
    assert dangerous == [], dangerous
    assert_clean(app)

    # clicking every link and button in the preview runs nothing either
    frame = app.by_testid("preview")
    app.driver.switch_to.frame(frame)
    try:
        for el in app.driver.find_elements(By.CSS_SELECTOR, "a, button"):
            try:
                el.click()
            except Exception:
                pass  # not clickable (hidden, inert): fine
    finally:
        app.driver.switch_to.default_content()
    assert_clean(app)
    # the app is still there, on the same draft, and the preview still shows it (a link
    # with an emptied href used to load the app's own page into the frame)
    assert "Last paragraph." in (app.editor_text() or "")
    assert "Last paragraph." in app.preview_html()


def test_the_window_cannot_be_navigated_away(sandbox, launch_app):
    sandbox.write("e2e/a.md", "# A\n")
    app = launch_app()
    app.wait_listed("e2e/a.md")
    for target in ["https://example.org/", "file:///etc/passwd", "data:text/html,<h1>x</h1>"]:
        # from a timer, so that WebDriver does not wait for a navigation that never happens
        app.driver.execute_script("const t = arguments[0]; setTimeout(() => { window.location.href = t; }, 0)", target)
        if target.startswith("https:"):  # WebKit itself refuses the others before asking the app
            wait_for(lambda: f"refused to navigate the window to {target}" in app.log(), what=f"{target} refused")
        else:
            time.sleep(1.0)
        assert app.driver.current_url.startswith("tauri://localhost"), target
        assert "e2e/a.md" in app.draft_paths(), target
