"""The navigation's pages and their honest empty states until each page is built."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from desktop.ui.page_context import PageContext


@dataclass(frozen=True)
class PageSpec:
    key: str  # stable: saved in settings as the last page
    title: str
    summary: str  # what the page is for, shown in its empty state
    needs_admin: bool = False
    member_note: str = ""  # what a member without admin rights sees instead of everything


def page_specs() -> tuple[PageSpec, ...]:
    """Built at run time so the titles are translated in the user's language."""
    return (
        PageSpec(
            "overview",
            QCoreApplication.translate("Pages", "Overview"),
            QCoreApplication.translate(
                "Pages", "The organization at a glance: members, meetings, outcomes and webhooks."
            ),
            member_note=QCoreApplication.translate(
                "Pages",
                "Without admin rights in {organization} the figures count your own meetings "
                "and webhook subscriptions only.",
            ),
        ),
        PageSpec(
            "members",
            QCoreApplication.translate("Pages", "Members"),
            QCoreApplication.translate(
                "Pages", "Organization members, their roles and groups, and pending invitations."
            ),
        ),
        PageSpec(
            "event_types",
            QCoreApplication.translate("Pages", "Event types"),
            QCoreApplication.translate(
                "Pages", "Every member's event types, with links and single-use links."
            ),
        ),
        PageSpec(
            "scheduled_events",
            QCoreApplication.translate("Pages", "Scheduled events"),
            QCoreApplication.translate(
                "Pages",
                "Meetings across the organization, their invitees, cancellations and no-shows.",
            ),
            member_note=QCoreApplication.translate(
                "Pages",
                "Without admin rights in {organization} you will see your own meetings only.",
            ),
        ),
        PageSpec(
            "routing_forms",
            QCoreApplication.translate("Pages", "Routing forms"),
            QCoreApplication.translate(
                "Pages", "Routing forms, their questions, and the submissions with where they led."
            ),
        ),
        PageSpec(
            "webhooks",
            QCoreApplication.translate("Pages", "Webhooks"),
            QCoreApplication.translate(
                "Pages",
                "Webhook subscriptions of every scope: create, watch, test and revive them.",
            ),
            member_note=QCoreApplication.translate(
                "Pages",
                "Without admin rights in {organization} you see and manage your own webhook "
                "subscriptions only.",
            ),
        ),
        PageSpec(
            "booking",
            QCoreApplication.translate("Pages", "Booking"),
            QCoreApplication.translate(
                "Pages",
                "Book meetings on behalf of members through the Scheduling API and the embed.",
            ),
        ),
        PageSpec(
            "action_log",
            QCoreApplication.translate("Pages", "Action log"),
            QCoreApplication.translate(
                "Pages",
                "Every change this app made in Calendly: who, where, what, when and the answer.",
            ),
        ),
    )


class ShellPage(QWidget):
    """What the shell asks of every page: show a connection's data, refresh, let go."""

    def __init__(self, spec: PageSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"page-{spec.key}")
        self.setAccessibleName(spec.title)

    def bind(self, context: PageContext) -> None:
        """A profile signed in (or switched): show its data."""

    def unbind(self) -> None:
        """The connection is going away: cancel work and forget its data."""

    def refresh(self) -> None:
        """Reload from Calendly (F5)."""

    def apply_hint(self, hint: Mapping[str, Any]) -> None:
        """Show what another page pointed at (the Overview's cards): a tab, filters, a range.
        Keys a page does not know are ignored."""


class EmptyStatePage(ShellPage):
    """A page not built yet: says what it will hold, and whether this user may use it."""

    def __init__(self, spec: PageSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.heading = QLabel(f"<h2>{spec.title}</h2>")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rights = QLabel()
        self.rights.setWordWrap(True)
        self.rights.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.rights.setVisible(False)
        for label in (self.heading, self.body, self.rights):
            layout.addWidget(label)
        layout.addStretch(2)
        self._set_body()

    def _set_body(self) -> None:
        self.body.setText(
            self.tr(
                "{summary}\nThis page is not built yet; it arrives in a coming version."
            ).format(summary=self.spec.summary)
        )

    def bind(self, context: PageContext) -> None:
        text = rights_note(self.spec, context)
        self.rights.setText(text)
        self.rights.setVisible(bool(text))

    def unbind(self) -> None:
        self.rights.setVisible(False)


def rights_note(spec: PageSpec, context: PageContext) -> str:
    """What the signed-in user's role means on the page ``spec`` ("" when nothing)."""
    identity = context.connection.identity
    organization = identity.organization_name or QCoreApplication.translate(
        "Pages", "the organization"
    )
    if identity.role is None and (spec.needs_admin or spec.member_note):
        return QCoreApplication.translate(
            "Pages",
            "The sign-in cannot tell your role in {organization} (a token without the "
            "organizations:read scope): this page may refuse what needs admin rights.",
        ).format(organization=organization)
    if spec.needs_admin and not identity.is_admin:
        return QCoreApplication.translate(
            "Pages", "This page needs an owner or admin of {organization}; your role is {role}."
        ).format(organization=organization, role=identity.role)
    if spec.member_note and not identity.is_admin:
        return spec.member_note.format(organization=organization)
    return ""
