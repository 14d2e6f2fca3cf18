"""Start-up: process start to the window showing sandbox data, against a bare Qt window.

Both run offscreen as fresh processes, interleaved, each printing ``ready`` once its window
is up: the bare one as soon as an empty QMainWindow is shown, the app once it has connected
to its built-in sandbox and shows the demo organization. The app runs twice per round: on a
first launch (the demo organization is seeded) and on a later launch (it is kept on disk).
Goal: a later launch within 3x the bare window.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 7
GOAL = 3.0
BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.show()
QTimer.singleShot(0, lambda: (print("shown", "ready", sep="\\n", flush=True), app.quit()))
app.exec()
"""


def _environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
    )
    return env


def _time_to_ready(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds until the window was shown, and until it showed data (``ready``)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    shown = ready = None
    for line in process.stdout:
        if line.strip() == "shown":
            shown = time.perf_counter() - started
        if line.strip() == "ready":
            ready = time.perf_counter() - started
            break
    process.wait(timeout=120)
    if ready is None:
        raise RuntimeError(f"{command[-1]} never became ready (exit {process.returncode})")
    return (shown if shown is not None else ready), ready


def _compile_like_an_install() -> None:
    """An installed app runs from compiled bytecode (pip and PyInstaller compile it); a
    checkout under PYTHONDONTWRITEBYTECODE would compile every module at every start."""
    import compileall

    import desktop

    compileall.compile_dir(Path(desktop.__file__).parent, quiet=1)


def main() -> None:
    _compile_like_an_install()
    app = [sys.executable, "-m", "desktop", "--sandbox", "--quit-when-ready"]
    bare = [sys.executable, "-c", BARE]
    times: dict[str, list[float]] = {"bare": [], "first": [], "later": [], "later_shown": []}
    for _ in range(ROUNDS):
        with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp:
            env = _environment(Path(tmp))
            times["bare"].append(_time_to_ready(bare, env)[1])
            times["first"].append(_time_to_ready(app, env)[1])  # seeds the demo organization
            shown, ready = _time_to_ready(app, env)  # finds it on disk
            times["later"].append(ready)
            times["later_shown"].append(shown)
    median = {name: statistics.median(values) for name, values in times.items()}
    ratio_first = median["first"] / median["bare"]
    ratio_later = median["later"] / median["bare"]
    ratio_shown = median["later_shown"] / median["bare"]
    print(f"start-up, median of {ROUNDS} interleaved runs (offscreen)")
    print(f"  bare QMainWindow shown               {median['bare']:6.2f} s   1.00x")
    print(
        f"  app window shown (connecting)        {median['later_shown']:6.2f} s"
        f"   {ratio_shown:4.2f}x"
    )
    print(f"  app shows data, later launch         {median['later']:6.2f} s   {ratio_later:4.2f}x")
    print(f"  app shows data, first launch (seed)  {median['first']:6.2f} s   {ratio_first:4.2f}x")
    verdict = "met" if ratio_later <= GOAL else "NOT met"
    print(f"  goal: later launch <= {GOAL:.0f}x the bare window: {verdict}")
    print(
        json.dumps(
            {
                "benchmark": "startup",
                "bare_s": round(median["bare"], 3),
                "later_s": round(median["later"], 3),
                "shown_s": round(median["later_shown"], 3),
                "shown_ratio": round(ratio_shown, 2),
                "first_s": round(median["first"], 3),
                "later_ratio": round(ratio_later, 2),
                "first_ratio": round(ratio_first, 2),
                "goal_ratio": GOAL,
            }
        )
    )


if __name__ == "__main__":
    main()
