"""Opens the app on the sample drafts with a draft open and saves a screenshot of the screen.

Run by screenshot.sh under Xvfb; usage: screenshot.py OUT.png [DRAFT_PATH]
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from conftest import ROOT, SAMPLE_DRAFTS, Launch, Sandbox, wait_for

DEFAULT_DRAFT = "world/brest-freight-crossings.md"


def main() -> None:
    out = Path(sys.argv[1]).resolve()
    wanted = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_DRAFT
    with tempfile.TemporaryDirectory(prefix="newsroom-shot-") as tmp:
        # The real sample folder (the status bar shows a meaningful path); nothing is typed,
        # so nothing is written to it. HOME and the index live in the temp folder.
        sandbox = Sandbox(Path(tmp), drafts=SAMPLE_DRAFTS)
        launch = Launch(sandbox, Path(tmp) / "tauri-driver.log")
        # Opening a draft takes its "who is editing" lock beside it; the app is stopped, not
        # closed, so the locks it took are removed here (colleagues' would be left alone).
        locks_before = set(SAMPLE_DRAFTS.rglob(".*.lock"))
        try:
            app = launch.start()
            wait_for(lambda: app.draft_paths(), 15, "the drafts list")
            path = wanted if wanted in app.draft_paths() else app.draft_paths()[0]
            app.open_draft(path)
            wait_for(lambda: "nr-headline" in app.preview_html(), 10, "the preview")
            # let images decode and the layout settle
            wait_for(
                lambda: app.driver.execute_script(
                    "const d = document.querySelector('[data-testid=preview]').contentDocument;"
                    "return Array.from(d.images).every(i => i.complete);"
                ),
                10,
                "preview images",
            )
            time.sleep(1.0)
            out.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(["import", "-window", "root", str(out)], check=True)
            print(f"screenshot: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} ({path})")
        finally:
            launch.stop()
            for lock in set(SAMPLE_DRAFTS.rglob(".*.lock")) - locks_before:
                lock.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
