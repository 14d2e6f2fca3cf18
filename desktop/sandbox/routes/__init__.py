"""Calendly's API routes, one module per area."""

from __future__ import annotations

from starlette.routing import BaseRoute

from desktop.sandbox.oauth import routes as oauth
from desktop.sandbox.routes import (
    availability,
    event_types,
    groups,
    invitations,
    invitees,
    memberships,
    no_shows,
    routing_forms,
    sample_webhook_data,
    scheduled_events,
    scheduling_links,
    users,
    webhooks,
)

ROUTES: list[BaseRoute] = [
    *users.ROUTES,
    *memberships.ROUTES,
    *invitations.ROUTES,
    *groups.ROUTES,
    *event_types.ROUTES,
    *availability.ROUTES,
    *scheduling_links.ROUTES,
    *scheduled_events.ROUTES,
    *no_shows.ROUTES,
    *routing_forms.ROUTES,
    *webhooks.ROUTES,
    *sample_webhook_data.ROUTES,
    *invitees.ROUTES,
    *oauth.ROUTES,
]
