"""The PySide6 user interface: window shell, pages, dialogs, models (the only Qt room)."""
