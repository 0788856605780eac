"""Opening, typing, metadata: what a reporter does all day, in the real window."""

import json
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import wait_for

STORY = (
    "---\n"
    "title: Harbour ferries run late\n"
    "categories: [World]\n"
    "tags: [transport]\n"
    "status: draft\n"
    "# a comment the app must keep\n"
    "custom_key: kept as is\n"
    "---\n"
    "\n"
    "The ferries ran **late** again.  \n"
    "Trailing spaces above, a tab\there, unicode: Kovač, «quotes», 🚢.\n"
    "\n"
    "Last line without a newline"
)


def body_of(text: str) -> str:
    """Everything after the closing `---` line of the front matter."""
    _, _, rest = text.partition("\n---\n")
    return rest


def test_open_a_draft_shows_its_text_and_preview(sandbox, launch_app):
    sandbox.write("e2e/ferries.md", STORY)
    app = launch_app()
    app.open_draft("e2e/ferries.md")
    html = wait_for(lambda: "Harbour ferries run late" in app.preview_html() and app.preview_html(), what="the preview headline")
    assert re.search(r"<strong[^>]*>late</strong>", html), html
    assert "World" in html  # the kicker
    assert app.save_state() == "saved"


def test_typing_changes_the_preview_and_autosaves(sandbox, launch_app):
    sandbox.write("e2e/ferries.md", STORY)
    app = launch_app()
    app.open_draft("e2e/ferries.md")
    wait_for(lambda: "Harbour ferries" in app.preview_html(), what="first preview")

    app.type_at_end(" Zanzibarq")
    wait_for(lambda: "Zanzibarq" in app.preview_html(), what="the typed word in the preview")
    text = app.wait_file("e2e/ferries.md", lambda t: "Zanzibarq" in t, "the autosave")
    assert text == STORY + " Zanzibarq"
    wait_for(lambda: app.save_state() == "saved", what="save state back to saved")

    # by now the core's renderer runs in the page (WebAssembly, allowed by the CSP's
    # 'wasm-unsafe-eval'): a keystroke is rendered there, not sent to Rust
    app.type_at_end(" Quokkaz")
    wait_for(lambda: "Quokkaz" in app.preview_html(), what="the second word in the preview")
    assert app.driver.execute_script("return document.querySelector('.preview').dataset.renderer") == "page"


def test_adding_a_tag_rewrites_only_the_front_matter(sandbox, launch_app):
    sandbox.write("e2e/ferries.md", STORY)
    app = launch_app()
    app.open_draft("e2e/ferries.md")

    tag_input = app.wait_testid("tag-input")
    tag_input.click()
    tag_input.send_keys("ports")
    tag_input.send_keys(Keys.ENTER)
    wait_for(lambda: "ports" in [c.get_attribute("data-tag") for c in app.all_by_testid("tag-chip")], what="the tag chip")

    text = app.wait_file("e2e/ferries.md", lambda t: "ports" in t, "the tag saved to disk")
    assert body_of(text) == body_of(STORY), "the body must stay byte for byte"
    front = text.split("\n---\n")[0]
    assert "# a comment the app must keep" in front and "custom_key: kept as is" in front
    assert "transport" in front and "ports" in front


def as_user(sandbox, name, role):
    """The user's name and role, as set in the app's Settings (the config folder it shares
    with the CLI, newsroom_core::user_dirs)."""
    config = sandbox.home / ".config" / "newsroom"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text(json.dumps({"user_name": name, "role": role}))


def status_options(app):
    select = app.wait_testid("status-select")
    return [o.get_attribute("value") for o in select.find_elements(By.CSS_SELECTOR, "option")]


def test_the_status_control_offers_only_the_roles_moves_and_records_them(sandbox, launch_app):
    sandbox.write("e2e/ferries.md", STORY)
    as_user(sandbox, "Ana Kovač", "reporter")
    app = launch_app()
    app.open_draft("e2e/ferries.md")
    # a reporter with a draft: submit, nothing else (no Approved, no Published)
    wait_for(lambda: status_options(app) == ["draft", "in-review"], what="the reporter's moves")
    app.wait_testid("status-select").find_element(By.CSS_SELECTOR, 'option[value="in-review"]').click()
    text = app.wait_file("e2e/ferries.md", lambda t: "status: in-review" in t, "the status saved")
    assert body_of(text) == body_of(STORY)
    assert "by: Ana Kovač" in text and "to: in-review" in text, "the move is in the trail"
    # in review, a reporter may only withdraw it
    wait_for(lambda: status_options(app) == ["in-review", "draft"], what="the moves after submitting")


def test_a_reporter_cannot_approve_or_publish_from_the_status_control(sandbox, launch_app):
    sandbox.write("e2e/ferries.md", STORY.replace("status: draft", "status: approved"))
    as_user(sandbox, "Ana Kovač", "reporter")
    app = launch_app()
    app.open_draft("e2e/ferries.md")
    wait_for(lambda: status_options(app) == ["approved"], what="no move for a reporter")
    assert not app.wait_testid("status-select").is_enabled()


def test_create_a_draft_then_find_it_by_search(sandbox, launch_app):
    sandbox.write("e2e/ferries.md", STORY)
    app = launch_app()
    app.wait_listed("e2e/ferries.md")

    app.wait_testid("new-draft").click()
    title = app.wait_testid("new-draft-title")
    title.send_keys("Quokka census results")
    title.send_keys(Keys.ENTER)
    app.wait_listed("quokka-census-results.md")
    assert "title: Quokka census results" in sandbox.read("quokka-census-results.md")
    wait_for(lambda: (app.editor_text() or "").startswith("---"), what="the new draft open in the editor")
    app.type_at_end("Marsupials counted on Rottnest.")
    app.wait_file("quokka-census-results.md", lambda t: "Rottnest" in t, "the new draft's text saved")

    search = app.by_testid("search")
    search.click()
    search.send_keys("Rottnest")
    wait_for(lambda: app.draft_paths() == ["quokka-census-results.md"], what="only the new draft found")
    search.clear()
    search.send_keys("Zanzibar ferries")  # words in no draft
    wait_for(lambda: app.draft_paths() == [], what="no hits")
    for _ in range(len("Zanzibar ferries")):
        search.send_keys(Keys.BACKSPACE)
    search.send_keys("ferries")
    wait_for(lambda: "e2e/ferries.md" in app.draft_paths(), what="the ferries draft found by its body")
