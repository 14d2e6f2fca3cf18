"""What the sandbox stores: one TypedDict per table (ids, never URIs; times as wire strings).

This is the contract between the seed generator, the routes and the renderers. Timestamps
are stored already in Calendly's wire form (``2026-01-02T03:04:05.000000Z``, see
``wire.iso``), which also sorts correctly as text. Nested structures that Calendly returns
verbatim (custom questions, locations, rules, Q&A, tracking) are stored in wire form too.
"""

from __future__ import annotations

from typing import Any, TypedDict


class Organization(TypedDict):
    id: str
    name: str
    plan: str  # basic|essentials|professional|standard|teams|enterprise
    stage: str  # trial|free|paid
    kind: str  # single|multiple
    created_at: str
    updated_at: str


class User(TypedDict):
    id: str
    organization: str  # current organization id
    name: str
    slug: str  # scheduling_url is https://calendly.com/<slug> on the sandbox host: /<slug>
    email: str  # lower case
    timezone: str  # IANA
    avatar_url: str | None
    locale: str  # en|fr|es|de|pt
    time_notation: str  # 12h|24h
    created_at: str
    updated_at: str


class Membership(TypedDict):
    id: str
    organization: str
    user: str
    role: str  # owner|admin|user
    email: str  # the user's e-mail, lower case (a filter column)
    created_at: str
    updated_at: str


class Invitation(TypedDict):
    id: str
    organization: str
    email: str
    status: str  # pending|accepted|declined
    user: str | None  # set once accepted
    last_sent_at: str | None
    created_at: str
    updated_at: str


class Group(TypedDict):
    id: str
    organization: str
    name: str
    created_at: str
    updated_at: str


class GroupRelationship(TypedDict):
    id: str
    organization: str
    group_id: str
    owner_type: str  # membership|invitation
    owner: str  # membership id or invitation id
    role: str  # member|admin
    created_at: str
    updated_at: str


class Team(TypedDict):
    """A team: named by the ``profile_name`` of its Team-profile event types (``GET /teams``).

    Its members are the hosts of those event types; its scheduling page is
    ``<base>/team/<slug>`` (where the team's event types live, see ``scheduling_url``).
    """

    id: str
    organization: str
    name: str
    slug: str
    created_at: str
    updated_at: str


class EventType(TypedDict):
    id: str
    organization: str
    owner: str | None  # the owning user id for a User profile; None for a Team profile
    profile_type: str  # User|Team
    profile_name: str
    name: str
    slug: str
    active: bool
    booking_method: str  # instant|poll
    duration: int  # minutes
    duration_options: list[int] | None
    kind: str  # solo|group
    pooling_type: str | None  # round_robin|collective|multi_pool|None
    type: str  # StandardEventType|AdhocEventType
    color: str  # #rrggbb
    description_plain: str | None
    description_html: str | None
    internal_note: str | None
    secret: bool
    custom_questions: list[dict[str, Any]]  # wire EventTypeCustomQuestion
    admin_managed: bool
    is_paid: bool
    locale: str
    locations: list[dict[str, Any]] | None  # wire LocationConfiguration {kind, location, ...}
    position: int
    invitee_limit: int  # 1 for solo; >1 for group event types
    hosts: list[str]  # user ids (one for solo; several for round robin / collective)
    deleted_at: str | None
    created_at: str
    updated_at: str


class EventTypeHost(TypedDict):
    id: str
    event_type: str
    user: str
    created_at: str
    updated_at: str


class AvailabilitySchedule(TypedDict):
    id: str
    user: str
    is_default: bool
    name: str
    timezone: str
    rules: list[dict[str, Any]]  # wire AvailabilityRule


class BusyBlock(TypedDict):
    """An external calendar event (type ``external`` in user busy times)."""

    id: str
    user: str
    start_time: str
    end_time: str


class ScheduledEvent(TypedDict):
    id: str
    organization: str
    event_type: str
    name: str
    status: str  # active|canceled
    start_time: str
    end_time: str
    location: dict[str, Any]  # wire Location (output form, key ``type``)
    hosts: list[str]  # user ids
    guests: list[dict[str, Any]]  # wire [{email, created_at, updated_at}]
    invitee_limit: int
    meeting_notes_plain: str | None
    meeting_notes_html: str | None
    cancellation: dict[str, Any] | None  # wire Cancellation
    calendar_event: dict[str, Any] | None
    created_at: str
    updated_at: str


class EventHost(TypedDict):
    """One host of one scheduled event (id ``<event>:<user>``): filters by user and group."""

    id: str
    event: str
    user: str
    start_time: str


class Invitee(TypedDict):
    id: str  # a UUID; globally unique
    event: str
    email: str  # lower case
    name: str
    first_name: str | None
    last_name: str | None
    status: str  # active|canceled
    questions_and_answers: list[dict[str, Any]]
    timezone: str | None
    tracking: dict[str, Any]  # the six keys, values nullable
    text_reminder_number: str | None
    rescheduled: bool
    old_invitee: str | None  # invitee id
    new_invitee: str | None  # invitee id
    routing_form_submission: str | None  # submission id
    payment: dict[str, Any] | None
    no_show: str | None  # no-show id
    reconfirmation: dict[str, Any] | None
    scheduling_method: str | None  # instant_book|api|None
    invitee_scheduled_by: str | None  # user id
    cancellation: dict[str, Any] | None
    created_at: str
    updated_at: str


class NoShow(TypedDict):
    id: str
    invitee: str
    created_at: str


class RoutingForm(TypedDict):
    id: str
    organization: str
    name: str
    status: str  # draft|published
    questions: list[dict[str, Any]]  # wire [{uuid, name, type, required, answer_choices}]
    created_at: str
    updated_at: str


class RoutingSubmission(TypedDict):
    id: str
    routing_form: str
    questions_and_answers: list[dict[str, Any]]  # wire [{question_uuid, question, answer}]
    tracking: dict[str, Any]
    submitter: str | None  # invitee id when a meeting was booked
    submitter_type: str | None  # Invitee|None
    # {type: event_type, value: <event type id>} | {type: external_url, value: <url>}
    # | {type: custom_message, value: {headline, body}} | None
    result: dict[str, Any] | None
    created_at: str
    updated_at: str


class Webhook(TypedDict):
    id: str
    organization: str
    scope: str  # organization|user|group
    user: str | None
    group_id: str | None
    callback_url: str
    events: list[str]
    state: str  # active|disabled
    retry_started_at: str | None
    creator: str | None  # user id
    signing_key: str | None  # never rendered
    created_at: str
    updated_at: str


class SchedulingLink(TypedDict):
    id: str
    event_type: str
    slug: str  # booking_url is <base>/d/<slug>/<event type slug>
    max_event_count: int
    used: int
    created_at: str


class ActivityLogEntry(TypedDict):
    """One entry of the organization's activity log (Enterprise; facts §2.9, §3.17)."""

    id: str
    organization: str
    occurred_at: str
    namespace: str  # e.g. User, Invitation, Webhook (``^[A-Za-z0-9_-]+$``)
    action: str  # e.g. Login, Remove, Create
    actor: str  # user id of who did it
    actor_name: str  # their display name at the time (a sort column)
    actor_email: str  # their e-mail at the time (``alternative_identifier``)
    actor_role: str  # Owner|Admin|User: their organization role at the time
    details: dict[str, Any]  # free-form, rendered verbatim
    search: str  # the lower-case words ``search_term`` matches (never rendered)


class EventTypeSchedule(TypedDict):
    """A host's own availability for one event type (``PATCH /event_type_availability_schedules``).

    Without one, a host offers the event type on their default availability schedule.
    """

    id: str  # ``<event type id>:<user id>``
    event_type: str
    user: str
    timezone: str
    rules: list[dict[str, Any]]  # wire AvailabilityRule
    created_at: str
    updated_at: str


# -- webhook delivery --------------------------------------------------------------------------
class WebhookDelivery(TypedDict):
    """One envelope to deliver to one subscription, serialised once at publish time."""

    id: str
    webhook: str  # subscription id
    organization: str
    event: str  # webhook event name, e.g. invitee.created
    kind: str  # event (published fact, retried)|test (control surface, one attempt)
    body: str  # the exact JSON text POSTed (signed and sent verbatim, UTF-8)
    state: str  # pending|delivered|failed
    attempts: int
    next_attempt_at: str | None  # sandbox time; None once finished
    last_status: int | None
    last_error: str | None
    reason: str | None  # why a failed delivery stopped (disabled, deleted, 410 Gone, ...)
    delivered_at: str | None
    created_at: str  # sandbox time of publishing
    updated_at: str


class WebhookAttempt(TypedDict):
    """One HTTP POST of a delivery, as sent and as answered."""

    id: str  # sortable: wall-clock nanoseconds + random suffix
    webhook: str
    delivery: str
    event: str
    url: str
    attempt: int  # 1-based, per delivery
    request_headers: dict[str, str]
    request_body: str
    status: int | None  # None: no answer (timeout, connection error)
    error: str | None
    response_body: str | None  # the first 2 KB of the answer
    succeeded: bool
    created_at: str  # sandbox time the request was sent


# -- OAuth server (desktop/sandbox/oauth) -------------------------------------------------------
class OAuthClient(TypedDict):
    """A registered OAuth application (facts §7.5)."""

    id: str  # the client_id
    name: str
    kind: str  # native (public: PKCE, no secret)|web (confidential: has a secret)
    secret: str | None  # kept in the clear: the control surface shows it (it is a sandbox)
    redirect_uris: list[str]  # matched exactly
    loopback_redirects: bool  # also any http://127.0.0.1|localhost|[::1]:<port>/<path> (RFC 8252)
    require_pkce: bool
    scopes: list[str]  # what it may ask for; also the default when a request names none
    created_at: str


class OAuthCode(TypedDict):
    """A pending consent request (``stage: pending``) or an authorization code (``code``)."""

    id: str  # SHA-256 of the opaque request handle or of the code: neither is stored
    stage: str  # pending|code
    client_id: str
    redirect_uri: str
    scopes: list[str]
    state: str | None
    code_challenge: str | None  # S256 only
    login_hint: str | None
    user: str | None  # chosen on the consent page; None while pending
    expires_at: str
    used_at: str | None  # a code works once; reuse revokes what it issued
    family: str | None  # the refresh-token family the code's exchange started
    created_at: str


class RefreshToken(TypedDict):
    """One refresh token: single use, rotated; ``family`` ties a grant's chain together."""

    id: str  # SHA-256 of the token
    user: str
    client_id: str
    scopes: list[str]
    family: str  # id of the first refresh token of this grant
    parent: str | None  # the refresh token this one replaced
    access_token: str  # tokens-table id of the access token issued beside it
    used_at: str | None
    revoked_at: str | None
    created_at: str
