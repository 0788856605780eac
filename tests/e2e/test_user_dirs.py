"""One configuration: settings an older version left in the folder of its app id
(`~/.config/org.newsroom.desktop`) are moved into `~/.config/newsroom` before the app reads
them, and the window's web storage goes to our data folder, never to the folders Tauri
derives from the bundle identifier (newsroom_core::user_dirs)."""

import json

from conftest import wait_for

GET_SETTINGS = "return window.__TAURI_INTERNALS__.invoke('get_settings')"


def test_old_settings_are_moved_and_tauris_own_folders_stay_unused(sandbox, launch_app):
    old = sandbox.home / ".config" / "org.newsroom.desktop"
    old.mkdir(parents=True)
    (old / "settings.json").write_text(json.dumps({"user_name": "Ana Kovač", "role": "desk", "categories": ["World", "Local desk"]}))

    app = launch_app()
    wait_for(lambda: app.all_by_testid("draft-item"), what="the drafts list")
    settings = app.driver.execute_script(GET_SETTINGS)
    assert (settings["user_name"], settings["role"]) == ("Ana Kovač", "desk"), settings
    assert settings["categories"] == ["World", "Local desk"]

    moved = sandbox.home / ".config" / "newsroom" / "settings.json"
    assert json.loads(moved.read_text())["user_name"] == "Ana Kovač"
    assert not old.exists()
    # the page's localStorage (pane widths, last draft) lives beside the indexes
    wait_for(lambda: (sandbox.data_dir / "webview").is_dir(), what="the web storage in the data folder")
    for tauri_dir in (sandbox.home / ".local/share/org.newsroom.Newsroom", sandbox.home / ".local/share/org.newsroom.desktop"):
        assert not tauri_dir.exists(), tauri_dir
