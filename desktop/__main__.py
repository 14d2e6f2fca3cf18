"""``python -m desktop`` runs the app, as the ``calendly-console`` command does."""

from __future__ import annotations

import sys

from desktop.app import main

sys.exit(main())
