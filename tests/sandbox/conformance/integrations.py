"""Conformance cases: routing forms and webhook subscriptions."""

from __future__ import annotations

from tests.sandbox.conformance.probe import UNKNOWN, Probe, case
from tests.sandbox.helpers import without


# -- routing forms ------------------------------------------------------------------------------
@case("GET /routing_forms")
def routing_forms_list(p: Probe) -> None:
    p.organization_list("/routing_forms")


@case("GET /routing_forms/{uuid}")
def routing_forms_get(p: Probe) -> None:
    form = p.org_row("routing_forms")
    p.read("/routing_forms", form["id"])


@case("GET /routing_form_submissions")
def routing_submissions_list(p: Probe) -> None:
    submission = p.row("routing_submissions")
    form = p.uri("routing_forms", submission["routing_form"])
    assert p.call(200, "GET", "/routing_form_submissions", params={"form": form}).json()[
        "collection"
    ]
    p.refused(400, "form", "GET", "/routing_form_submissions")
    p.call(
        404, "GET", "/routing_form_submissions", params={"form": p.uri("routing_forms", UNKNOWN)}
    )


@case("GET /routing_form_submissions/{uuid}")
def routing_submissions_get(p: Probe) -> None:
    submission = p.row("routing_submissions")
    p.read("/routing_form_submissions", submission["id"])


# -- webhooks -----------------------------------------------------------------------------------
@case("POST /webhook_subscriptions")
def webhooks_create(p: Probe) -> None:
    body = {
        "url": "https://receiver.example/hooks/conformance",
        "events": ["invitee.created"],
        "organization": p.org,
        "scope": "organization",
        "signing_key": "s3cret-key",
    }
    made = p.call(201, "POST", "/webhook_subscriptions", json=body).json()["resource"]
    assert made["callback_url"] == body["url"]
    p.call(409, "POST", "/webhook_subscriptions", json=body)
    p.refused(400, "url", "POST", "/webhook_subscriptions", json=without(body, "url"))
    p.refused(400, "scope", "POST", "/webhook_subscriptions", json={**body, "scope": "planet"})


@case("GET /webhook_subscriptions")
def webhooks_list(p: Probe) -> None:
    p.call(
        200,
        "GET",
        "/webhook_subscriptions",
        params={"organization": p.org, "scope": "organization"},
    )
    hook = p.row("webhooks", "scope = 'user'")
    p.call(
        200,
        "GET",
        "/webhook_subscriptions",
        params={"organization": p.org, "scope": "user", "user": p.uri("users", hook["user"])},
    )
    p.refused(400, "scope", "GET", "/webhook_subscriptions", params={"organization": p.org})
    p.call(
        403,
        "GET",
        "/webhook_subscriptions",
        params={"organization": p.foreign_org, "scope": "organization"},
    )


@case("GET /webhook_subscriptions/{webhook_uuid}")
def webhooks_get(p: Probe) -> None:
    hook = p.org_row("webhooks")
    got = p.read("/webhook_subscriptions", hook["id"]).json()["resource"]
    assert "signing_key" not in got


@case("DELETE /webhook_subscriptions/{webhook_uuid}")
def webhooks_delete(p: Probe) -> None:
    hook = p.org_row("webhooks")
    p.delete_twice(f"/webhook_subscriptions/{hook['id']}")


@case("GET /sample_webhook_data")
def sample_webhook_data(p: Probe) -> None:
    query = {"event": "invitee.created", "organization": p.org, "scope": "organization"}
    p.call(200, "GET", "/sample_webhook_data", params=query)
    p.refused(400, "event", "GET", "/sample_webhook_data", params=without(query, "event"))
