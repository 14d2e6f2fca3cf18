"""What the Qt-free layers report, worded for the user in their language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop.secrets import SecretStore
from desktop.settings import Loaded


def settings_notice(loaded: Loaded) -> str | None:
    """A damaged or unreadable settings file: what happened and where the old one is."""
    if loaded.problem is None:
        return None
    what = (
        QCoreApplication.translate(
            "Notices", "The settings file {path} could not be read ({detail})."
        )
        if loaded.problem == "unreadable"
        else QCoreApplication.translate(
            "Notices", "The settings file {path} is damaged ({detail})."
        )
    ).format(path=loaded.path, detail=loaded.detail)
    if loaded.corrupt_copy is not None:
        kept = QCoreApplication.translate(
            "Notices", "Default settings are in use; the old file was kept as {copy}."
        ).format(copy=loaded.corrupt_copy)
    else:
        kept = QCoreApplication.translate(
            "Notices",
            "Default settings are in use; the file could not be moved aside and will be "
            "replaced when settings are next saved.",
        )
    return f"{what} {kept}"


def keyring_notice(store: SecretStore) -> str | None:
    """No usable keyring: sign-ins last for this session only (never a plaintext file)."""
    problem = store.problem
    if problem is None:
        return None
    return QCoreApplication.translate(
        "Notices",
        "Sign-ins cannot be saved: {problem}. They are kept for this session only, and you "
        "will be asked to sign in again next time.",
    ).format(problem=problem)


def unsaved_tokens_notice() -> str:
    return QCoreApplication.translate(
        "Notices",
        "The renewed sign-in could not be saved in the keyring; it works until you quit, and "
        "you will be asked to sign in again next time.",
    )


def revocation_notice(reason: str) -> str:
    return QCoreApplication.translate(
        "Notices",
        "Signed out here, but Calendly could not be told to revoke the sign-in ({reason}). "
        "You can revoke it under Integrations & apps in Calendly.",
    ).format(reason=reason)
