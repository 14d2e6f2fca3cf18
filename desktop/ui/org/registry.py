"""The window's pages: the built ones, and honest empty states for those still to come."""

from __future__ import annotations

from collections.abc import Callable

from desktop.ui.booking.page import build_booking_page
from desktop.ui.org.action_log_page import build_action_log_page
from desktop.ui.org.event_types import build_event_types_page
from desktop.ui.org.members import build_members_page
from desktop.ui.org.routing_forms import build_routing_forms_page
from desktop.ui.org.scheduled_events import build_scheduled_events_page
from desktop.ui.overview.page import build_overview_page
from desktop.ui.pages import EmptyStatePage, PageSpec, ShellPage, page_specs
from desktop.ui.webhooks.page import build_webhooks_page

BUILDERS: dict[str, Callable[[PageSpec], ShellPage]] = {
    "overview": build_overview_page,
    "members": build_members_page,
    "event_types": build_event_types_page,
    "routing_forms": build_routing_forms_page,
    "scheduled_events": build_scheduled_events_page,
    "action_log": build_action_log_page,
    "webhooks": build_webhooks_page,
    "booking": build_booking_page,
}


def build_pages() -> list[ShellPage]:
    return [BUILDERS.get(spec.key, EmptyStatePage)(spec) for spec in page_specs()]
