"""``CalendlyClient``: the one way the app talks to Calendly (or the sandbox)."""

from __future__ import annotations

from types import TracebackType

import httpx

from desktop.api.auth import BearerAuth
from desktop.api.ratelimit import BudgetSnapshot, RateBudget
from desktop.api.resources.activity_log import ActivityLog
from desktop.api.resources.availability import Availability
from desktop.api.resources.data_compliance import DataCompliance
from desktop.api.resources.event_types import EventTypes
from desktop.api.resources.groups import GroupRelationships, Groups
from desktop.api.resources.no_shows import NoShows
from desktop.api.resources.organizations import Invitations, Memberships, Organizations
from desktop.api.resources.routing_forms import RoutingForms
from desktop.api.resources.scheduled_events import ScheduledEvents
from desktop.api.resources.scheduling import Scheduling
from desktop.api.resources.scheduling_links import SchedulingLinks
from desktop.api.resources.users import Users
from desktop.api.resources.webhooks import Webhooks
from desktop.api.transport import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, RetryPolicy, Transport


class CalendlyClient:
    """Resources as attributes over one ``httpx.AsyncClient``; ``async with`` closes it.

    ``auth`` is a personal access token (``str``) or an ``httpx.Auth`` such as ``OAuthAuth``.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        auth: str | httpx.Auth | None = None,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        max_concurrency: int = 8,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        flow = BearerAuth(auth) if isinstance(auth, str) else auth
        self.budget = RateBudget()
        self.transport = Transport(
            base_url,
            flow,
            timeout=timeout,
            retry=retry,
            max_concurrency=max_concurrency,
            budget=self.budget,
            http=http,
        )
        self.users = Users(self.transport)
        self.organizations = Organizations(self.transport)
        self.memberships = Memberships(self.transport)
        self.invitations = Invitations(self.transport)
        self.groups = Groups(self.transport)
        self.group_relationships = GroupRelationships(self.transport)
        self.event_types = EventTypes(self.transport)
        self.availability = Availability(self.transport)
        self.scheduled_events = ScheduledEvents(self.transport)
        self.no_shows = NoShows(self.transport)
        self.scheduling = Scheduling(self.transport)
        self.scheduling_links = SchedulingLinks(self.transport)
        self.webhooks = Webhooks(self.transport)
        self.routing_forms = RoutingForms(self.transport)
        self.activity_log = ActivityLog(self.transport)
        self.data_compliance = DataCompliance(self.transport)

    def __repr__(self) -> str:
        return f"CalendlyClient({self.transport.base_url!r})"

    @property
    def base_url(self) -> str:
        return self.transport.base_url

    def rate_limit(self) -> BudgetSnapshot:
        """The request budget Calendly last reported (for the status bar)."""
        return self.budget.snapshot()

    async def aclose(self) -> None:
        await self.transport.aclose()

    async def __aenter__(self) -> CalendlyClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
