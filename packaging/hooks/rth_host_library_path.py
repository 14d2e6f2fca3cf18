"""PyInstaller run-time hook: programs the frozen app starts get the user's library path.

On Linux the bootloader points LD_LIBRARY_PATH at the bundle before Python starts. The app's
own process no longer needs it (the dynamic loader reads it once, at start-up), the bundle's
helpers find their libraries without it (QtWebEngineProcess by its RUNPATH; the sandbox child is
the bootloader again, which sets it anew), but an outside program the app starts inherits it: a
browser opened by xdg-open or kde-open would load the bundle's Qt instead of the system's.
"""

from __future__ import annotations

import os
import sys

if sys.platform.startswith("linux"):
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is None:
        os.environ.pop("LD_LIBRARY_PATH", None)
    else:
        os.environ["LD_LIBRARY_PATH"] = original
