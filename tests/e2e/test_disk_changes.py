"""Other programs change the folder while the app is open: live updates and conflicts."""

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
