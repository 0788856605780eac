"""Real key presses through X (xdotool → X → GTK's input method → WebKit), shared by the
tests that must not bypass the input method the way WebDriver's send_keys does.

There is no window manager under Xvfb, so a window gets the X input focus directly. X refuses
focus (BadMatch) to a window that exists but is not yet mapped, which is what a GTK chooser
is for a moment after its title appears; so windows are looked up among the visible ones and
focusing is retried until X accepts it.
"""

from __future__ import annotations

import subprocess

from conftest import wait_for


def xdo(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, timeout=20)


def x_windows(name: str) -> list[str]:
    """Mapped X windows titled exactly `name` (a system chooser is a window of its own)."""
    out = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{name}$"], capture_output=True, text=True, check=False)
    return out.stdout.split()


def x_window(name: str, timeout: float | None = None) -> str:
    """The newest mapped X window titled `name`, waited for."""
    kwargs = {"timeout": timeout} if timeout is not None else {}
    return wait_for(lambda: (x_windows(name) or [None])[-1], what=f"the X window {name!r}", **kwargs)


def focus(window: str) -> None:
    """Gives `window` the X input focus, retrying while X refuses it (not mapped yet)."""
    def accepted() -> bool:
        try:
            done = subprocess.run(["xdotool", "windowfocus", "--sync", window], capture_output=True, text=True, timeout=10, check=False)
        except subprocess.TimeoutExpired:
            return False
        return done.returncode == 0
    wait_for(accepted, what=f"X to give window {window} the input focus", interval=0.1)


def focus_named(name: str) -> None:
    focus(x_window(name))
