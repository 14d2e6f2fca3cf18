"""What a page gets when a profile connects: the connection, task owner, change hub, log."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from desktop.connection.connector import Connection
from desktop.ui.tasks import TaskOwner

if TYPE_CHECKING:
    from desktop.action_log import ActionContext, ActionLog
    from desktop.secrets import SecretStore
    from desktop.settings import Settings
    from desktop.ui.notifier import Notifier


@asynccontextmanager
async def _unrecorded(target_uri: str | None, target_label: str) -> AsyncIterator[Any]:
    yield SimpleNamespace(target_uri=target_uri, target_label=target_label, status=None, message="")


class Changes(QObject):
    """Data one page changed that others may show: ``changed(kind, uri)``.

    Kinds: "scheduled_event", "invitee", "membership", "invitation", "event_type",
    "scheduling_link", "webhook". Pages refresh or patch the rows they hold for that URI.
    """

    changed = Signal(str, str)


@dataclass
class PageContext:
    connection: Connection
    tasks: TaskOwner  # failures of these tasks become messages naming what failed
    changes: Changes
    window: QWidget  # the parent for the page's dialogs
    action_log: ActionLog | None = None
    report: Callable[[str, BaseException], None] | None = None
    secrets: SecretStore | None = None  # the keyring: webhook signing keys live there
    data_dir: Path | None = None  # where pages keep local files (the webhook inbox)
    notifier: Notifier | None = None  # desktop notifications (tray, else the message bar)
    settings: Callable[[], Settings] | None = None  # the app's settings now
    update_settings: Callable[[Settings], None] | None = None  # save changed settings

    def recording(
        self,
        action: str,
        target_uri: str | None,
        target_label: str,
        details: dict[str, Any] | None = None,
    ) -> AbstractAsyncContextManager[Any]:
        """``async with context.recording(...) as pending:`` around one write: logged in the
        action log (when there is one) as ok, failed or unknown."""
        if self.action_log is None:
            return _unrecorded(target_uri, target_label)
        return self.action_log.recording(
            self.action_context(), action, target_uri, target_label, details
        )

    def action_context(self) -> ActionContext:
        """Who acts, for the action log: the profile, organization and signed-in user."""
        from desktop.action_log import ActionContext

        profile = self.connection.profile
        identity = self.connection.identity
        return ActionContext(
            profile_id=profile.id,
            profile_name=profile.name,
            environment=self.connection.environment,
            organization_uri=identity.organization_uri,
            organization_name=identity.organization_name,
            actor_uri=identity.user_uri,
            actor_name=identity.user_name,
        )
