"""The sign-in dialogs: a personal access token, or OAuth in the system browser."""

from __future__ import annotations

from desktop.ui.signin.oauth_dialog import OAuthDialog
from desktop.ui.signin.results import OAuthSignIn, TokenSignIn
from desktop.ui.signin.token_dialog import TokenDialog

__all__ = ["OAuthDialog", "OAuthSignIn", "TokenDialog", "TokenSignIn"]
