"""Calendly's API routes, one module per area."""

from __future__ import annotations

from starlette.routing import BaseRoute

from desktop.sandbox.oauth import routes as oauth
from desktop.sandbox.routes import (
    activity_log,
    availability,
    data_compliance,
    event_type_availability,
    event_types,
    groups,
    invitations,
    invitees,
    locations,
    memberships,
    no_shows,
    one_off_event_types,
    routing_forms,
    sample_webhook_data,
    scheduled_events,
    scheduling_links,
    shares,
    teams,
    users,
    webhooks,
)

ROUTES: list[BaseRoute] = [
    *users.ROUTES,
    *memberships.ROUTES,
    *invitations.ROUTES,
    *groups.ROUTES,
    *teams.ROUTES,
    *event_types.ROUTES,
    *one_off_event_types.ROUTES,
    *availability.ROUTES,
    *event_type_availability.ROUTES,
    *locations.ROUTES,
    *scheduling_links.ROUTES,
    *shares.ROUTES,
    *scheduled_events.ROUTES,
    *no_shows.ROUTES,
    *routing_forms.ROUTES,
    *webhooks.ROUTES,
    *sample_webhook_data.ROUTES,
    *invitees.ROUTES,
    *activity_log.ROUTES,
    *data_compliance.ROUTES,
    *oauth.ROUTES,
]
