"""``calendly-console --self-test``: the installers' smoke test passes on a working install."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _keyring_available() -> bool:
    """Asked the way the app asks, in a fresh process (this one's keyring may be a test's)."""
    probe = "import keyring, desktop.secrets as s; print(s.backend_problem(keyring.get_keyring()))"
    answer = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    return answer.stdout.strip() == "None"


def test_self_test_starts_the_window_on_a_sandbox_and_exits_0(tmp_path: Path) -> None:
    env = dict(
        os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data")
    )
    env.pop("QT_QPA_PLATFORM", None)  # the self-test goes offscreen on its own
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--self-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=110,
    )
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    checks = {line.split(":")[0] for line in lines if not line.startswith("self-test")}
    # Under CI's Secret Service the keyring check passes; in a shell without one it warns.
    keyring_line = "ok   keyring" if _keyring_available() else "warn keyring"
    assert checks == {"ok   window", "ok   data", keyring_line, "ok   QtWebEngine"}
    assert lines[-1] == "self-test passed"
    # It leaves the user's settings and demo organization alone.
    assert not (tmp_path / "config" / "calendly-console" / "settings.json").exists()
    assert not (tmp_path / "data" / "calendly-console" / "sandbox.sqlite3").exists()
