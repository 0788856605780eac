"""Images pasted into the real window (issue 17): image files on the clipboard and a file
manager's copied files (`text/uri-list`), each copied beside the draft by the core, and a
refusal said in the status bar. The paste events are made in the page (WebDriver has no
clipboard of its own); what they carry is what WebKit hands the page for a real paste."""

import time

from conftest import wait_for
from xinput import focus_named, xdo

STORY = "---\ntitle: Pictures from the harbour\nstatus: draft\n---\n\nThe ferries.\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(32))

PASTE = """
const [kind, payload] = arguments;
const dt = new DataTransfer();
if (kind === "file") dt.items.add(new File([new Uint8Array(payload)], "", { type: "image/png" }));
else dt.setData("text/uri-list", payload);
const ev = new Event("paste", { bubbles: true, cancelable: true });
Object.defineProperty(ev, "clipboardData", { value: dt });
document.querySelector('[data-testid="editor"] .cm-content').dispatchEvent(ev);
return ev.defaultPrevented;
"""


def status_text(app) -> str:
    return app.driver.execute_script("return document.querySelector('.status-bar .status-message').textContent")


def test_pasted_images_are_copied_beside_the_draft(sandbox, launch_app, tmp_path):
    sandbox.write("e2e/harbour.md", STORY)
    outside = tmp_path / "Pictures"
    outside.mkdir()
    (outside / "Quay at dawn.png").write_bytes(PNG)
    (outside / "notes.pdf").write_bytes(b"%PDF-1.4")
    app = launch_app()
    app.open_draft("e2e/harbour.md")
    app.type_at_end("")

    # an image file on the clipboard (a screenshot tool's copy)
    assert app.driver.execute_script(PASTE, "file", list(PNG)) is True
    text = app.wait_file("e2e/harbour.md", lambda t: "![](images/pasted-" in t, "the pasted screenshot's Markdown saved")
    name = text.split("![](images/", 1)[1].split(")", 1)[0]
    assert (sandbox.drafts / "e2e/images" / name).read_bytes() == PNG

    # a file manager's copied file: read by the core from where it is, copied under a slugged name
    uri = (outside / "Quay at dawn.png").as_uri()
    assert app.driver.execute_script(PASTE, "uris", uri + "\r\n") is True
    app.wait_file("e2e/harbour.md", lambda t: "![](images/quay-at-dawn.png)" in t, "the copied file's Markdown saved")
    assert (sandbox.drafts / "e2e/images/quay-at-dawn.png").read_bytes() == PNG
    assert (outside / "Quay at dawn.png").read_bytes() == PNG  # copied, not moved

    # not an image: said, not silently dropped
    assert app.driver.execute_script(PASTE, "uris", (outside / "notes.pdf").as_uri()) is True
    wait_for(lambda: "only images can be inserted" in status_text(app), what="the refusal in the status bar")
    assert not (sandbox.drafts / "e2e/images/notes.pdf").exists()


def test_insert_image_through_the_system_file_chooser(sandbox, launch_app, tmp_path):
    """The command palette's Insert image… opens GTK's own file chooser (tauri-plugin-dialog);
    a path typed into it (Ctrl+L) is imported by the core and its Markdown inserted."""
    sandbox.write("e2e/harbour.md", STORY)
    picture = tmp_path / "Pier.png"
    picture.write_bytes(PNG)
    app = launch_app()
    app.open_draft("e2e/harbour.md")
    app.type_at_end("")
    focus_named("Newsroom")
    xdo("key", "--delay", "60", "ctrl+shift+p")
    app.wait_testid("command-palette")
    xdo("type", "--delay", "40", "Insert image")
    xdo("key", "--delay", "60", "Return")
    focus_named("Insert an image")
    xdo("key", "--delay", "100", "ctrl+l")
    xdo("type", "--delay", "40", str(picture))
    time.sleep(0.5)  # GTK's location completion settles
    xdo("key", "--delay", "100", "Return")
    wait_for(lambda: "![](images/pier.png)" in (app.editor_text() or ""), what="the chosen image's Markdown in the editor")
    app.wait_file("e2e/harbour.md", lambda t: "![](images/pier.png)" in t, "the chosen image's Markdown saved")
    assert (sandbox.drafts / "e2e/images/pier.png").read_bytes() == PNG
