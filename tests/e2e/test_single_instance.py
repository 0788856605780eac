"""One window per drafts folder: a second launch hands its path to the running app and ends."""

import subprocess
import time

from conftest import APP, wait_for


def test_second_launch_opens_the_draft_in_the_running_window(sandbox, launch_app):
    sandbox.write("e2e/harbour.md", "---\ntitle: Harbour reopens\n---\n\nThe ferries are back.\n")
    app = launch_app()
    wait_for(lambda: app.all_by_testid("draft-item"), what="the drafts list")
    wait_for(lambda: app.x_window_titles().count("Newsroom") == 1, what="one Newsroom window")

    # what the file manager runs for a draft: the binary, the file's path (%F), same session
    started = time.monotonic()
    second = subprocess.run(
        [str(APP), str(sandbox.drafts / "e2e/harbour.md")],
        env=sandbox.env(),
        cwd="/",
        capture_output=True,
        timeout=20,
    )
    took = time.monotonic() - started
    assert second.returncode == 0, second.stderr.decode(errors="replace")
    assert took < 10, f"the second launch took {took:.1f}s to hand over and end"

    # the running window shows the draft; no second window came up
    want = sandbox.read("e2e/harbour.md").rstrip("\n")
    wait_for(lambda: (app.editor_text() or "").rstrip("\n") == want, what="the draft in the first window's editor")
    assert "newsroom: another launch asks for" in app.log()
    assert app.x_window_titles().count("Newsroom") == 1


def test_second_launch_with_a_folder_opens_it(sandbox, launch_app, tmp_path):
    other = tmp_path / "other-desk"
    (other / "sport").mkdir(parents=True)
    (other / "sport/final.md").write_text("---\ntitle: Cup final tonight\n---\n\nKick-off at eight.\n")
    app = launch_app()
    wait_for(lambda: app.all_by_testid("draft-item"), what="the drafts list")

    second = subprocess.run([str(APP), str(other)], env=sandbox.env(), capture_output=True, timeout=20)
    assert second.returncode == 0, second.stderr.decode(errors="replace")
    wait_for(lambda: app.draft_paths() == ["sport/final.md"], what="the other folder's drafts listed")


def test_first_launch_with_a_draft_opens_it(sandbox, launch_app):
    sandbox.write("e2e/ferry.md", "---\ntitle: Ferry timetable\n---\n\nNew times from Monday.\n")
    app = launch_app([str(sandbox.drafts / "e2e/ferry.md")])
    # its folder is the workspace, and the draft is in the editor without a click
    want = sandbox.read("e2e/ferry.md").rstrip("\n")
    wait_for(lambda: (app.editor_text() or "").rstrip("\n") == want, what="the draft named on the command line in the editor")
    assert app.draft_paths() == ["ferry.md"]
