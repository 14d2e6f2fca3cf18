"""The frozen app's script: what the ``calendly-console`` command runs (``sandbox`` included)."""

from __future__ import annotations

import sys

from desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
