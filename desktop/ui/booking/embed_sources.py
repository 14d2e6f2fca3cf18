"""What the embed lab can embed: event types' booking pages and members' pages."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from desktop.domain.event_types import CustomQuestion
from desktop.ui.page_context import PageContext


@dataclass(frozen=True)
class EmbedSource:
    """Something to embed: an event type's booking page or a member's page."""

    label: str
    url: str
    questions: tuple[CustomQuestion, ...] = ()


async def load_sources(context: PageContext) -> list[EmbedSource]:
    """Active event types and members' pages the signed-in user may see (their own, unless
    they are an admin), event types first, each by name."""
    client = context.connection.client
    identity = context.connection.identity
    if identity.is_admin:
        types = [
            t
            async for t in client.event_types.iterate(
                organization=identity.organization_uri, active=True
            )
        ]
        members = [
            (m.user.name, m.user.scheduling_url)
            async for m in client.memberships.iterate(organization=identity.organization_uri)
        ]
    else:
        types = [t async for t in client.event_types.iterate(user=identity.user_uri, active=True)]
        me = await client.users.me()
        members = [(me.name, me.scheduling_url)]
    event_sources = [
        EmbedSource(
            QCoreApplication.translate("EmbedLab", "{name} — {owner}").format(
                name=t.display_name, owner=t.profile.name if t.profile else ""
            ),
            t.scheduling_url,
            t.custom_questions,
        )
        for t in types
        if t.active and t.scheduling_url and t.type == "StandardEventType"
    ]
    member_sources = [
        EmbedSource(QCoreApplication.translate("EmbedLab", "{name}'s page").format(name=name), url)
        for name, url in members
        if url
    ]
    event_sources.sort(key=lambda s: s.label.casefold())
    member_sources.sort(key=lambda s: s.label.casefold())
    return event_sources + member_sources
