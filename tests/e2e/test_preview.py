"""The preview's local images come through the newsroom-asset protocol, and only those
of the open folder; the page's CSP forbids inline script and eval."""

import struct
import zlib

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
