"""Tracked changes in the editor, in the real window: marks coloured where they are written,
signatures as initials badges, suggest mode signing what it writes, review cards that
select their mark, and comments resolved rather than accepted (issue 17)."""

import json

from selenium.webdriver.common.by import By

from conftest import wait_for

PIECE = (
    "---\n"
    "title: Ferries run late\n"
    "status: in-review\n"
    "---\n"
    "\n"
    "The ferries ran {++very ++}{>>EM:<<}late {--again--} on {~~Tuesday~>Wednesday~~}.\n"
    "\n"
    "{--A whole paragraph\n"
    "\n"
    "over two paragraphs.--}\n"
    "\n"
    "The {==harbour master==}{>>EM: name her?<<} said so. `{++not a mark++}`\n"
)

COLOURS = """
const content = document.querySelector('[data-testid="editor"] .cm-content');
const pick = (cls) => Array.from(content.querySelectorAll('.' + cls)).map((e) => {
  const s = getComputedStyle(e);
  return { text: e.textContent, color: s.color, line: s.textDecorationLine, bg: s.backgroundColor };
});
const plain = getComputedStyle(content).color;
return { plain, ins: pick('cm-nr-ins'), del: pick('cm-nr-del'), hl: pick('cm-nr-hl'),
         comment: pick('cm-nr-comment'), badges: pick('cm-nr-initials'),
         notes: pick('cm-nr-note-text'), noteBadges: pick('cm-nr-note-initials') };
"""

SELECTION = """
const c = document.querySelector('[data-testid="editor"] .cm-content');
const t = c.cmTile || c.cmView; const v = t && (t.root ? t.root.view : t.view);
const s = v.state.selection.main;
return v.state.sliceDoc(s.from, s.to);
"""


def settings(sandbox, name: str, role: str) -> None:
    app_config = sandbox.home / ".config" / "org.newsroom.desktop"
    app_config.mkdir(parents=True, exist_ok=True)
    (app_config / "settings.json").write_text(json.dumps({"user_name": name, "role": role}))


def test_marks_are_coloured_in_the_editor_and_cards_select_them(sandbox, launch_app):
    settings(sandbox, "Ana Kovač", "reporter")
    sandbox.write("world/ferries.md", PIECE)
    app = launch_app()
    app.open_draft("world/ferries.md")

    seen = wait_for(lambda: (lambda c: c if c["ins"] and c["badges"] else None)(app.driver.execute_script(COLOURS)), what="tracked changes in the editor")
    ins = {e["text"]: e for e in seen["ins"]}
    dels = {e["text"]: e for e in seen["del"]}
    assert set(ins) >= {"very ", "Wednesday"}, seen["ins"]
    assert "not a mark" not in " ".join(ins), "code is left alone"
    assert {"again", "Tuesday", "A whole paragraph", "over two paragraphs."} <= set(dels), seen["del"]
    # coloured: not the text's own colour; deletions struck, insertions underlined
    assert ins["very "]["color"] != seen["plain"] and "underline" in ins["very "]["line"], ins
    assert dels["again"]["color"] != seen["plain"] and "line-through" in dels["again"]["line"], dels
    assert dels["again"]["color"] != ins["very "]["color"]
    assert [h["text"] for h in seen["hl"]] == ["harbour master"]
    # a comment, the cursor elsewhere: a note with its author's initials
    assert [n["text"] for n in seen["notes"]] == ["name her?"], seen["notes"]
    assert [b["text"] for b in seen["noteBadges"]] == ["EM"]
    assert seen["comment"] == []
    # a signature alone shows as its initials
    assert [b["text"] for b in seen["badges"]] == ["EM"]
    content_text = app.driver.find_element(By.CSS_SELECTOR, '[data-testid="editor"] .cm-content').text
    assert "{>>EM:<<}" not in content_text

    # the cards: initials, no file line numbers; a click selects the mark in the text
    # (a signature and a highlight's comment belong to their marks; code holds none)
    items = wait_for(lambda: len(app.all_by_testid("mark-item")) == 5 and app.all_by_testid("mark-item"), what="five cards")
    assert not any("line " in i.text for i in items), [i.text for i in items]
    assert [i.get_attribute("data-kind") for i in items] == ["insertion", "deletion", "substitution", "deletion", "highlight"]
    spanning = next(i for i in items if "A whole paragraph" in i.text)
    spanning.find_element(By.CSS_SELECTOR, '[data-testid="mark-goto"]').click()
    wait_for(lambda: app.driver.execute_script(SELECTION).startswith("{--A whole paragraph"), what="the card's mark selected in the editor")
    assert app.driver.execute_script(SELECTION).endswith("over two paragraphs.--}")

    # a note clicked shows the comment's own text, to be edited
    app.driver.find_element(By.CSS_SELECTOR, '[data-testid="editor"] .cm-nr-note').click()
    wait_for(lambda: [c["text"] for c in app.driver.execute_script(COLOURS)["comment"]] == ["EM: name her?"], what="the comment's text shown to edit")

    # a comment is resolved: its card has Resolve, not Accept/Reject; the note goes, the text stays
    highlight = next(i for i in app.all_by_testid("mark-item") if i.get_attribute("data-kind") == "highlight")
    assert not highlight.find_elements(By.CSS_SELECTOR, '[data-testid="mark-accept"]')
    highlight.find_element(By.CSS_SELECTOR, '[data-testid="mark-resolve"]').click()
    text = app.wait_file("world/ferries.md", lambda t: "name her" not in t, "the comment resolved and saved")
    assert "The harbour master said so." in text
    # the other marks are still there, with the ids they were listed with
    assert "{++very ++}{>>EM:<<}" in text and "{--A whole paragraph" in text


def test_suggest_mode_signs_what_it_writes(sandbox, launch_app):
    settings(sandbox, "Edith Moreau", "editor")
    sandbox.write("world/ferries.md", PIECE)
    app = launch_app()
    app.open_draft("world/ferries.md")
    app.wait_testid("suggest-toggle").click()
    app.type_at_end(" Late again")
    text = app.wait_file("world/ferries.md", lambda t: "again++}" in t, "the suggestion saved")
    assert text.rstrip("\n").endswith("{++ Late again++}{>>EM:<<}"), text[-80:]
    badges = wait_for(lambda: app.driver.execute_script(COLOURS)["badges"], what="badges")
    assert [b["text"] for b in badges] == ["EM", "EM"]
