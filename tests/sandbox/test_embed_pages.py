"""The booking pages at each ``scheduling_url``: what they show, what they announce, and booking.

Real HTTP without a token (the pages are public), as a browser would ask; the page's script
is exercised in QtWebEngine by the embed-lab tests. Bookings made through a page are read
back through the API, as an app receiving ``calendly.event_scheduled`` would.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import escape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from tests.sandbox.booking_support import event_type, first_open, one_on_one, open_times
from tests.sandbox.helpers import Api, all_pages, org_uri, plain_client, uri

VOID = {"input", "meta", "link", "br", "img", "hr"}
FAKE = "Cal Sandbox <script>alert('pwned')</script>"


class Page(HTMLParser):
    """The elements of a page by id: tag, attributes, text; and its data block."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.by_id: dict[str, dict[str, Any]] = {}
        self._open: list[str | None] = []
        self.feed(text)
        found = re.search(r'<script type="application/json" id="cal-data">(.*?)</script>', text)
        self.data: dict[str, Any] = json.loads(found.group(1)) if found else {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        ident = values.get("id")
        if ident:
            self.by_id[ident] = {"tag": tag, "attrs": values, "text": ""}
        if tag not in VOID:
            self._open.append(ident)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for ident in self._open:
            if ident:
                self.by_id[ident]["text"] += data

    def value(self, ident: str) -> str:
        return str(self.by_id[ident]["attrs"].get("value", ""))

    def error(self, key: str) -> str:
        """The error line next to a field ('' when hidden)."""
        line = self.by_id[f"error-{key}"]
        return "" if "hidden" in line["attrs"] else str(line["text"])

    def announced(self) -> list[str]:
        return [m["event"] for m in self.data.get("announce", [])]


@pytest.fixture
def browser(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with plain_client(sandbox.base_url) as client:
        yield client


def page_url(sandbox: SandboxServer, record: Record) -> str:
    """The event type's scheduling_url (as the API gives it)."""
    with plain_client(sandbox.base_url, sandbox.token_for("owner")) as client:
        found = client.get(f"/event_types/{record['id']}").json()["resource"]
    return str(found["scheduling_url"])


def open_page(client: httpx.Client, url: str, **params: str) -> tuple[httpx.Response, Page]:
    response = client.get(url, params=params)
    assert "text/html" in response.headers["content-type"]
    return response, Page(response.text)


def form_body(record: Record, start: str, **changes: str) -> dict[str, str]:
    """A valid form for ``record``: required questions answered, its first location chosen."""
    body = {"name": "Pat Page", "email": "pat.page@example.com", "timezone": "Europe/Berlin"}
    body["start_time"] = start
    enabled = sorted(
        (q for q in record["custom_questions"] if q["enabled"]), key=lambda q: q["position"]
    )
    for number, question in enumerate(enabled, start=1):
        if question["required"]:
            choices = question["answer_choices"]
            phone = question["type"] == "phone_number"
            body[f"a{number}"] = choices[0] if choices else ("+1 415 555 0100" if phone else "Yes")
    configs = record.get("locations") or []
    if configs and record["pooling_type"] != "round_robin":
        body["location_choice"] = "0"
        kind = configs[0]["kind"]
        body["location"] = {"outbound_call": "+1 415 555 0199"}.get(kind, "The corner café")
    body.update(changes)
    return body


def field_of_required_question(record: Record) -> str:
    enabled = sorted(
        (q for q in record["custom_questions"] if q["enabled"]), key=lambda q: q["position"]
    )
    return next(f"a{n}" for n, q in enumerate(enabled, start=1) if q["required"])


def invitee_count(sandbox: SandboxServer) -> int:
    return sandbox.state.store.count("invitees")


# -- showing ------------------------------------------------------------------------------------
def test_every_active_event_type_has_its_booking_page(
    sandbox: SandboxServer, api: Api, browser: httpx.Client
) -> None:
    listed = all_pages(
        api("owner"), "/event_types", {"organization": org_uri(sandbox), "count": 100}
    )
    active = [t for t in listed if t["active"]]
    assert len(active) > 20
    for item in active:
        response, page = open_page(browser, item["scheduling_url"])
        assert response.status_code == 200, item["scheduling_url"]
        assert page.by_id["event-name"]["text"] == item["name"]
        assert escape(item["name"]) in response.text
        assert page.data["event_type"]["uri"] == item["uri"]
        assert page.announced() == ["calendly.event_type_viewed"]


def test_a_profile_page_lists_the_users_bookable_event_types(
    sandbox: SandboxServer, api: Api, browser: httpx.Client
) -> None:
    client = api("owner")
    me = client.get("/users/me").json()["resource"]
    mine = all_pages(client, "/event_types", {"user": me["uri"], "count": 100})
    response, page = open_page(browser, me["scheduling_url"], embed_domain="host.example")
    assert response.status_code == 200
    assert page.by_id["profile-name"]["text"] == me["name"]
    listed = {a["attrs"]["href"].split("?")[0] for a in page.by_id.values() if a["tag"] == "a"}
    # Their own event types (not the team ones they host), as their landing page lists them.
    own = [t for t in mine if t["profile"] and t["profile"]["owner"] == me["uri"]]
    shown = {t["scheduling_url"] for t in own if t["active"] and not t["secret"]}
    assert listed == shown
    assert page.announced() == ["calendly.profile_page_viewed"]
    # The links keep the embedding parameters.
    assert all(
        "embed_domain=host.example" in a["attrs"]["href"]
        for a in page.by_id.values()
        if a["tag"] == "a"
    )


def test_team_event_types_have_pages_too(sandbox: SandboxServer, browser: httpx.Client) -> None:
    record = event_type(sandbox, lambda r: r["profile_type"] == "Team")
    url = page_url(sandbox, record)
    assert "/team/" in url
    response, page = open_page(browser, url)
    assert response.status_code == 200 and page.by_id["event-name"]["text"] == record["name"]
    response, page = open_page(browser, url.rsplit("/", 1)[0])
    assert response.status_code == 200 and page.announced() == ["calendly.profile_page_viewed"]


def test_unknown_pages_are_not_found_pages(sandbox: SandboxServer, browser: httpx.Client) -> None:
    record = event_type(sandbox, one_on_one)
    owner = page_url(sandbox, record).rsplit("/", 1)[0]
    for url in ("/nobody-at-all", "/nobody-at-all/60min", f"{owner}/no-such-event"):
        response, page = open_page(browser, url)
        assert response.status_code == 404
        assert "not valid" in page.by_id["not-found"]["text"]
        assert page.announced() == []
    inactive = sandbox.state.store.find_one("event_types", "active = 0")
    assert inactive is not None
    response, _ = open_page(browser, page_url(sandbox, inactive))
    assert response.status_code == 404


def test_the_apis_own_paths_keep_their_json_answers(browser: httpx.Client) -> None:
    assert browser.get("/users/me").json()["title"] == "Unauthenticated"
    assert browser.get("/invitees").status_code == 405
    assert browser.get("/scheduled_events/NOPE").status_code == 401


def test_prefill_fills_the_form_and_stays_inert(
    sandbox: SandboxServer, browser: httpx.Client
) -> None:
    record = event_type(sandbox, lambda r: one_on_one(r) and bool(r["custom_questions"]))
    response, page = open_page(
        browser,
        page_url(sandbox, record),
        name=FAKE,
        email="pat@example.com",
        guests="a@example.com,b@example.com",
        a1='He said "<b>hi</b>"',
    )
    assert response.status_code == 200
    assert page.value("name") == FAKE
    assert page.value("email") == "pat@example.com"
    assert page.value("guests") == "a@example.com, b@example.com"
    assert "<script>alert" not in response.text and "<b>hi</b>" not in response.text
    assert "&lt;script&gt;" in response.text
    # The script of the page is its own file; the data block is JSON, not script.
    assert re.findall(r"<script[^>]*>", response.text) == [
        '<script type="application/json" id="cal-data">',
        '<script src="/assets/booking/booking.js">',
    ]
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_split_name_forms_take_first_and_last_names(
    sandbox: SandboxServer, browser: httpx.Client
) -> None:
    for record in sandbox.state.store.find("event_types", "active = 1", order="id"):
        _, page = open_page(browser, page_url(sandbox, record), name="Ada Lovelace")
        if "first_name" in page.by_id:
            assert page.value("first_name") == "Ada" and page.value("last_name") == "Lovelace"
            assert "name" not in page.by_id
            return
    pytest.fail("no seeded event type asks first and last name")


def test_hide_parameters_remove_their_sections(
    sandbox: SandboxServer, browser: httpx.Client
) -> None:
    url = page_url(sandbox, event_type(sandbox, one_on_one))
    _, page = open_page(browser, url)
    assert {"event-details", "event-host", "gdpr-banner"} <= set(page.by_id)
    _, page = open_page(browser, url, hide_event_type_details="1")
    assert "event-details" not in page.by_id and "event-name" not in page.by_id
    _, page = open_page(browser, url, hide_landing_page_details="1")
    assert "event-host" not in page.by_id and "event-name" in page.by_id
    _, page = open_page(browser, url, hide_gdpr_banner="1")
    assert "gdpr-banner" not in page.by_id


def test_colours_apply_and_bad_ones_are_ignored(
    sandbox: SandboxServer, browser: httpx.Client
) -> None:
    url = page_url(sandbox, event_type(sandbox, one_on_one))
    response, _ = open_page(
        browser, url, background_color="1A2b3C", text_color="ffffff", primary_color="00a2ff"
    )
    assert "--cal-bg: #1a2b3c; --cal-text: #ffffff; --cal-primary: #00a2ff" in response.text
    response, _ = open_page(
        browser, url, background_color="red", text_color="12345g", primary_color='"><x'
    )
    assert "--cal-bg" not in response.text and "--cal-primary" not in response.text
    assert '"><x' not in response.text


def test_date_and_deep_links_preselect(
    sandbox: SandboxServer, api: Api, browser: httpx.Client
) -> None:
    record = event_type(sandbox, one_on_one)
    slot = open_times(api("owner"), sandbox, record)[0]
    day = slot["start_time"][:10]
    _, page = open_page(browser, page_url(sandbox, record), date=day)
    assert page.data["month"] == day[:7] and page.data["selected_date"] == day
    assert slot["start_time"] in page.data["slots"]
    # The available time's own scheduling_url opens the form for that start.
    response, page = open_page(browser, slot["scheduling_url"])
    assert response.status_code == 200 and page.data["phase"] == "form"
    assert page.value("start_time") == slot["start_time"]
    assert page.announced() == ["calendly.event_type_viewed", "calendly.date_and_time_selected"]


def test_the_pickers_months_hold_the_apis_available_times(
    sandbox: SandboxServer, api: Api, browser: httpx.Client
) -> None:
    record = event_type(sandbox, lambda r: r["pooling_type"] == "round_robin")
    expected = [t["start_time"] for t in open_times(api("owner"), sandbox, record, days=31)]
    url = page_url(sandbox, record)
    months = sorted({stamp[:7] for stamp in expected})
    offered: set[str] = set()
    for month in months:
        response = browser.get(f"{url}/slots.json", params={"month": month})
        assert response.status_code == 200 and response.json()["month"] == month
        offered |= set(response.json()["slots"])
    assert set(expected) <= offered
    assert browser.get(f"{url}/slots.json", params={"month": "1999-01"}).status_code == 400


# -- booking ------------------------------------------------------------------------------------
def test_the_form_books_like_the_api(
    sandbox: SandboxServer, api: Api, browser: httpx.Client
) -> None:
    client = api("owner")
    record = event_type(sandbox, lambda r: one_on_one(r) and bool(r["custom_questions"]))
    start = first_open(client, sandbox, record)
    url = page_url(sandbox, record)
    tracking = {"utm_source": "lab", "utm_campaign": "spring", "utm_term": "x" * 300}
    _, page = open_page(browser, url, embed_domain="host.example", **tracking)
    assert page.value("start_time") == "" and page.value("utm_source") == "lab"
    # The form posts back to the page itself, keeping its parameters (embedding included).
    action = page.by_id["booking-form"]["attrs"]["action"]
    assert action.startswith(urlsplit(url).path + "?") and "embed_domain=host.example" in action
    body = form_body(record, start, utm_source="lab", utm_campaign="spring", utm_term="x" * 300)
    response = browser.post(url, params={"embed_domain": "host.example"}, data=body)
    assert response.status_code == 200, response.text
    done = Page(response.text)
    assert done.data["phase"] == "done"
    message = done.data["announce"][0]
    assert message["event"] == "calendly.event_scheduled"
    event_uri, invitee_uri = (
        message["payload"]["event"]["uri"],
        message["payload"]["invitee"]["uri"],
    )
    assert message["payload"] == {"event": {"uri": event_uri}, "invitee": {"uri": invitee_uri}}
    assert invitee_uri.startswith(f"{event_uri}/invitees/")
    assert event_uri.startswith(f"{sandbox.base_url}/scheduled_events/")

    event = client.get(event_uri).json()["resource"]
    assert event["start_time"] == start and event["event_type"] == uri(
        sandbox, "event_types", record["id"]
    )
    listed = client.get(f"{event_uri.removeprefix(sandbox.base_url)}/invitees").json()["collection"]
    assert [i["uri"] for i in listed] == [invitee_uri]
    invitee = listed[0]
    assert invitee["name"] == "Pat Page" and invitee["email"] == "pat.page@example.com"
    assert invitee["timezone"] == "Europe/Berlin"
    assert invitee["tracking"]["utm_source"] == "lab"
    assert invitee["tracking"]["utm_campaign"] == "spring"
    assert invitee["tracking"]["utm_term"] is None  # over 255 characters: dropped
    assert invitee["scheduling_method"] == "instant_book"
    assert invitee["invitee_scheduled_by"] is None


def test_a_taken_slot_shows_its_error_and_books_nothing(
    sandbox: SandboxServer, api: Api, browser: httpx.Client
) -> None:
    record = event_type(sandbox, lambda r: one_on_one(r) and r["kind"] == "solo")
    start = first_open(api("owner"), sandbox, record)
    url = page_url(sandbox, record)
    assert browser.post(url, data=form_body(record, start)).status_code == 200
    before = invitee_count(sandbox)
    response = browser.post(url, data=form_body(record, start, email="late@example.com"))
    assert response.status_code == 400
    page = Page(response.text)
    assert "no longer available" in page.error("start_time")
    assert page.data["phase"] == "form" and page.announced() == []
    assert page.value("email") == "late@example.com"  # what was typed is kept
    assert invitee_count(sandbox) == before


def test_a_missing_required_answer_is_shown_next_to_its_question(
    sandbox: SandboxServer, api: Api, browser: httpx.Client
) -> None:
    record = event_type(
        sandbox,
        lambda r: (
            one_on_one(r) and any(q["enabled"] and q["required"] for q in r["custom_questions"])
        ),
    )
    start = first_open(api("owner"), sandbox, record)
    key = field_of_required_question(record)
    before = invitee_count(sandbox)
    response = browser.post(page_url(sandbox, record), data=form_body(record, start, **{key: ""}))
    assert response.status_code == 400
    page = Page(response.text)
    assert page.error(key) == "Must be filled"
    assert "cal-invalid" in page.by_id[f"field-{key}"]["attrs"]["class"]
    assert page.error("name") == "" and page.error("start_time") == ""
    assert invitee_count(sandbox) == before


def test_field_errors_land_next_to_their_fields(
    sandbox: SandboxServer, api: Api, browser: httpx.Client
) -> None:
    record = event_type(sandbox, one_on_one)
    start = first_open(api("owner"), sandbox, record)
    body = form_body(
        record,
        start,
        name=" ",
        email="not-an-email",
        guests="ok@example.com, nope",
        timezone="Mars/Base",
    )
    response = browser.post(page_url(sandbox, record), data=body)
    assert response.status_code == 400
    page = Page(response.text)
    assert page.error("name") == "Is required"
    assert page.error("email") == "Must be a valid email"
    assert page.error("guests") == "nope: must be a valid email"
    assert page.error("timezone") == "Must be a valid IANA time zone"
    assert page.value("guests") == "ok@example.com, nope"


def test_choices_and_the_invitees_own_location_are_booked(
    sandbox: SandboxServer, api: Api, browser: httpx.Client
) -> None:
    def fits(record: Record) -> bool:
        enabled = [q for q in record["custom_questions"] if q["enabled"]]
        configs = record.get("locations") or []
        return (
            one_on_one(record)
            and any(q["type"] == "multi_select" for q in enabled)
            and bool(configs)
            and configs[0]["kind"] in ("ask_invitee", "outbound_call")
        )

    client = api("owner")
    record = event_type(sandbox, fits)
    start = first_open(client, sandbox, record)
    enabled = sorted(
        (q for q in record["custom_questions"] if q["enabled"]), key=lambda q: q["position"]
    )
    number, question = next(
        (n, q) for n, q in enumerate(enabled, start=1) if q["type"] == "multi_select"
    )
    url = page_url(sandbox, record)
    body: dict[str, Any] = form_body(record, start, location="")
    response = browser.post(url, data=body)
    assert response.status_code == 400
    assert Page(response.text).error("location") == "Must be filled"

    picked = question["answer_choices"][:2]
    body = {**form_body(record, start), f"a{number}": picked}
    response = browser.post(url, data=body)
    assert response.status_code == 200, Page(response.text).by_id.get("error-form")
    invitee_uri = Page(response.text).data["invitee"]["uri"]
    invitee = client.get(invitee_uri).json()["resource"]
    answers = {qa["question"]: qa["answer"] for qa in invitee["questions_and_answers"]}
    assert answers[question["name"]] == "\n".join(picked)
    event = client.get(invitee["event"]).json()["resource"]
    assert event["location"]["location"] == body["location"]


def test_pages_stand_outside_the_apis_faults(
    sandbox: SandboxServer, api: Api, browser: httpx.Client
) -> None:
    record = event_type(sandbox, one_on_one)
    url = page_url(sandbox, record)
    sandbox.add_fault(kind="error", status=503)
    assert api("owner").get("/users/me").status_code == 503
    response, page = open_page(browser, url)
    assert response.status_code == 200 and page.by_id["event-name"]["text"] == record["name"]
    assert browser.get("/assets/external/widget.js").status_code == 200
