"""Other programs change the folder while the app is open: live updates and conflicts."""

import threading
import time

from conftest import wait_for

STORY = "---\ntitle: Council votes on budget\nstatus: draft\n---\n\nThe council met at noon.\n"


def test_changes_on_disk_update_the_list_and_the_open_draft(sandbox, launch_app):
    sandbox.write("e2e/council.md", STORY)
    app = launch_app()
    app.open_draft("e2e/council.md")

    # a colleague's sync tool updates the open draft: the editor follows (no unsaved edits)
    sandbox.write("e2e/council.md", STORY.replace("at noon", "at noon and again at six"))
    wait_for(lambda: "again at six" in (app.editor_text() or ""), what="the editor to show the new text")
    wait_for(lambda: "again at six" in app.preview_html(), what="the preview to follow")

    # a new file and a deleted one show in the list
    sandbox.write("e2e/late-news.md", "---\ntitle: Late news from the port\n---\n\nShips.\n")
    item = app.wait_listed("e2e/late-news.md")
    wait_for(lambda: "Late news from the port" in item.text, what="the new draft's title")
    (sandbox.drafts / "e2e/late-news.md").unlink()
    wait_for(lambda: "e2e/late-news.md" not in app.draft_paths(), what="the deleted draft gone")

    # the app did not write anything itself
    assert sandbox.read("e2e/council.md") == STORY.replace("at noon", "at noon and again at six")


def test_conflict_banner_when_both_change_and_keep_mine(sandbox, launch_app):
    sandbox.write("e2e/council.md", STORY)
    app = launch_app()
    app.open_draft("e2e/council.md")

    app.type_at_end("Mine: the mayor abstained.")
    theirs = STORY.replace("at noon", "at noon (theirs)")
    sandbox.write("e2e/council.md", theirs)  # before the autosave pause ends

    banner = app.wait_testid("conflict-banner")
    wait_for(lambda: banner.is_displayed(), what="the conflict banner")
    assert sandbox.read("e2e/council.md") == theirs, "nothing is overwritten before the user decides"

    app.by_testid("keep-mine").click()
    text = app.wait_file("e2e/council.md", lambda t: "the mayor abstained" in t, "mine written")
    assert "(theirs)" not in text
    copies = [p for p in (sandbox.drafts / "e2e").glob("council.conflict-*.md")]
    assert any("(theirs)" in p.read_text() for p in copies), f"theirs kept as a copy: {copies}"
    wait_for(lambda: not app.by_testid("conflict-banner").is_displayed(), what="the banner gone")


CLOSE = "return window.__TAURI_INTERNALS__.invoke('plugin:window|close', { label: 'main' }).then(() => true)"


def test_drafts_changed_while_the_app_was_closed_show_after_the_start(sandbox, launch_app):
    """The list comes from the index as it was, before the folder is compared with it; what
    changed meanwhile arrives right after, as a colleague's change would."""
    sandbox.write("e2e/council.md", STORY)
    sandbox.write("e2e/port.md", "---\ntitle: Port strike ends\n---\n\nShips sail.\n")
    app = launch_app()
    item = app.wait_listed("e2e/council.md")
    wait_for(lambda: "Council votes on budget" in item.text, what="the first title")
    try:
        app.driver.execute_script(CLOSE)  # closed as the user closes it: the app exits
    except Exception:
        pass  # the session may end with the window
    wait_for(lambda: list((sandbox.home / ".config").rglob(".window-state.json")), what="the app to exit")

    # while no Newsroom runs: one draft edited, one added, one deleted
    sandbox.write("e2e/council.md", STORY.replace("Council votes on budget", "Council passes the budget"))
    sandbox.write("e2e/late.md", "---\ntitle: Written while closed\n---\n\nText.\n")
    (sandbox.drafts / "e2e/port.md").unlink()

    again = launch_app()
    again.wait_listed("e2e/council.md")
    # the list is rebuilt when the changes arrive: each look finds the row afresh
    wait_for(lambda: "Council passes the budget" in again.draft_item("e2e/council.md").text, what="the title changed while closed")
    again.wait_listed("e2e/late.md")
    wait_for(lambda: "Written while closed" in again.draft_item("e2e/late.md").text, what="the draft added while closed")
    wait_for(lambda: "e2e/port.md" not in again.draft_paths(), what="the draft deleted while closed gone")


def test_drafts_written_while_the_app_starts_reach_the_list(sandbox, launch_app):
    """A colleague writes while the window is coming up: before the watcher starts, while
    the list is made from the index, before the page listens. The watcher holds what it
    sees until the page asks for the comparison, so each draft shows, none is lost between
    the list and the page's subscription."""
    sandbox.write("e2e/council.md", STORY)
    first = launch_app()
    first.wait_listed("e2e/council.md")  # indexed: the next start lists from the index
    try:
        first.driver.execute_script(CLOSE)
    except Exception:
        pass
    wait_for(lambda: list((sandbox.home / ".config").rglob(".window-state.json")), what="the app to exit")

    written: list[str] = []

    def colleague() -> None:
        # every 250 ms over the first two seconds of the start (few enough that every row
        # is in the window: the list draws only the rows in view)
        for i in range(8):
            rel = f"e2e/start-{i:02d}.md"
            sandbox.write(rel, f"---\ntitle: Written at start {i}\n---\n\nText.\n")
            written.append(rel)
            time.sleep(0.25)

    writer = threading.Thread(target=colleague)
    writer.start()
    try:
        again = launch_app()
    finally:
        writer.join()
    again.wait_listed("e2e/council.md")
    for rel in written:
        again.wait_listed(rel)
    assert len(written) == 8
