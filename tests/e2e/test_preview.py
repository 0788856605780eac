"""The preview's local images come through the newsroom-asset protocol, and only those
of the open folder; the page's CSP forbids inline script and eval; links in the preview
open in the system browser, and scrolling it moves the editor."""

import os
import struct
import time
import zlib

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from conftest import wait_for


def png(width: int = 3, height: int = 2) -> bytes:
    """A tiny valid RGB PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + b"\xcc\x22\x22" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


# Loads `src` in an <img> (in the app's page: the preview iframe runs no script, not even
# event handlers) and reports its natural width (0: refused).
PROBE = """
const [src, done] = arguments;
const img = document.createElement('img');
img.onload = () => done(img.naturalWidth);
img.onerror = () => done(0);
img.src = src;
img.style.display = 'none';
document.body.appendChild(img);
"""


def test_local_images_show_and_nothing_else_is_served(sandbox, launch_app):
    (sandbox.drafts / "e2e/images").mkdir(parents=True)
    (sandbox.drafts / "e2e/images/dot.png").write_bytes(png(3, 2))
    (sandbox.base / "secret.png").write_bytes(png(5, 5))  # beside the drafts folder, not in it
    sandbox.write("e2e/photo.md", "---\ntitle: Photo story\n---\n\n![A red dot](images/dot.png)\n\nCaption text.\n")
    app = launch_app()
    app.open_draft("e2e/photo.md")
    wait_for(lambda: "Caption text." in app.preview_html(), what="the preview")
    width = wait_for(
        lambda: app.driver.execute_script(
            "const i = document.querySelector('[data-testid=\"preview\"]').contentDocument.querySelector('img[alt=\"A red dot\"]');"
            "return i && i.complete ? [i.naturalWidth, i.getAttribute('src')] : null;"
        ),
        what="the image to load",
    )
    assert width == [3, "newsroom-asset://localhost/e2e/images/dot.png"]

    probe = lambda src: app.driver.execute_async_script(PROBE, src)  # noqa: E731
    assert probe("newsroom-asset://localhost/e2e/images/dot.png") == 3
    assert probe("newsroom-asset://localhost/../secret.png") == 0
    assert probe("newsroom-asset://localhost/e2e/%2e%2e/%2e%2e/secret.png") == 0
    assert probe("newsroom-asset://localhost/" + str(sandbox.base / "secret.png")) == 0


def test_csp_forbids_inline_script_and_eval(sandbox, launch_app):
    sandbox.write("e2e/a.md", "# A\n")
    app = launch_app()
    app.wait_listed("e2e/a.md")
    result = app.driver.execute_script(
        """
        window.__inline = undefined;
        const s = document.createElement('script');
        s.textContent = 'window.__inline = 1';
        document.head.appendChild(s);
        let evalResult;
        try { evalResult = String(eval('2 + 2')); } catch (e) { evalResult = e.name; }
        return [window.__inline === undefined, evalResult];
        """
    )
    assert result == [True, "EvalError"]


LINKS = (
    "---\ntitle: Links\n---\n\n"
    "See [the report](https://example.org/report) and [a blocked one](javascript:alert(1)).[^1]\n\n"
    + "\n\n".join(f"Paragraph {i} of filler text to make the article scroll." for i in range(80))
    + "\n\n[^1]: The footnote.\n"
)

FRAME_STATE = """
const f = document.querySelector('[data-testid="preview"]');
return [f.contentDocument.location.href, !!f.contentDocument.getElementById('nr-root')];
"""


def fake_opener(tmp_path, monkeypatch):
    """An `xdg-open` first on PATH that records what the app asks it to open."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    opened = tmp_path / "opened.txt"
    script = bin_dir / "xdg-open"
    script.write_text(f'#!/bin/sh\necho "$1" >> "{opened}"\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    return opened


def click_in_preview(app, css: str) -> None:
    app.driver.switch_to.frame(app.by_testid("preview"))
    try:
        app.driver.find_element(By.CSS_SELECTOR, css).click()
    finally:
        app.driver.switch_to.default_content()


def test_preview_links_open_in_the_browser_and_the_preview_stays(sandbox, launch_app, tmp_path, monkeypatch):
    opened = fake_opener(tmp_path, monkeypatch)
    sandbox.write("e2e/links.md", LINKS)
    app = launch_app()
    app.open_draft("e2e/links.md")
    app.show_pane("preview")
    wait_for(lambda: "Paragraph 79" in app.preview_html(), what="the preview")

    click_in_preview(app, 'a[href="https://example.org/report"]')
    wait_for(lambda: opened.exists() and "https://example.org/report" in opened.read_text(), what="the link handed to the system browser")
    assert app.driver.execute_script(FRAME_STATE) == ["about:srcdoc", True]

    # a blocked link (its href emptied by the renderer) goes nowhere: nothing opened, the
    # preview is not replaced by another page
    click_in_preview(app, 'a[href=""]')
    time.sleep(0.5)
    assert opened.read_text().split() == ["https://example.org/report"]
    assert app.driver.execute_script(FRAME_STATE) == ["about:srcdoc", True]
    assert "Paragraph 79" in app.preview_html()

    # the footnote reference scrolls the preview to the footnote, inside the frame
    click_in_preview(app, 'a[href*="#fn-"]')
    wait_for(lambda: app.driver.execute_script("return document.querySelector('[data-testid=\"preview\"]').contentWindow.scrollY") > 200, what="the preview scrolled to the footnote")
    assert app.driver.execute_script(FRAME_STATE)[1] is True


def test_scrolling_the_preview_scrolls_the_editor(sandbox, launch_app):
    sandbox.write("e2e/links.md", LINKS)
    app = launch_app()
    app.open_draft("e2e/links.md")
    app.show_pane("preview")
    wait_for(lambda: "Paragraph 79" in app.preview_html(), what="the preview")
    editor_top = "return document.querySelector('[data-testid=\"editor\"] .cm-scroller').scrollTop"
    assert app.driver.execute_script(editor_top) == 0
    # the pointer over the preview, which then scrolls (as a wheel would)
    ActionChains(app.driver).move_to_element(app.by_testid("preview")).perform()
    app.driver.execute_script("document.querySelector('[data-testid=\"preview\"]').contentWindow.scrollTo(0, 1500)")
    wait_for(lambda: app.driver.execute_script(editor_top) > 300, what="the editor following the preview")
