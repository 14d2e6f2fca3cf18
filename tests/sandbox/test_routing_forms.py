"""Routing forms and submissions: listing, reading, permissions, and the sandbox's submit route."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from desktop.sandbox import SandboxServer
from tests.sandbox.helpers import Api, assert_denied, assert_not_found, bad_parameters, org_uri


def all_forms(client: httpx.Client, sandbox: SandboxServer) -> list[dict[str, Any]]:
    response = client.get("/routing_forms", params={"organization": org_uri(sandbox), "count": 100})
    assert response.status_code == 200, response.text
    forms: list[dict[str, Any]] = response.json()["collection"]
    assert forms, "the seed should make routing forms"
    return forms


def published_form(client: httpx.Client, sandbox: SandboxServer) -> dict[str, Any]:
    """A published form with a required question (the seed's forms have them)."""
    for form in all_forms(client, sandbox):
        if form["status"] == "published" and any(q["required"] for q in form["questions"]):
            return form
    raise AssertionError("the seed should make a published form with a required question")


def submit(sandbox: SandboxServer, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{sandbox.base_url}/_sandbox/routing_submissions", json=body)


def valid_answers(form: dict[str, Any]) -> dict[str, str]:
    """An answer to every question of ``form`` that its type accepts, keyed by name."""
    by_type = {"email": "pat.lee@example.org", "phone": "+1 415 555 0134", "name": "Pat Lee"}
    answers = {}
    for question in form["questions"]:
        if question["type"] in ("select", "radios") and question["answer_choices"]:
            answers[question["name"]] = question["answer_choices"][-1]
        else:
            answers[question["name"]] = by_type.get(question["type"], "Tell me more")
    return answers


# -- forms ----------------------------------------------------------------------------------
def test_any_member_lists_the_organizations_forms(
    sandbox: SandboxServer, api: Api, conforms: Callable[[str, Any], None]
) -> None:
    response = api("user").get("/routing_forms", params={"organization": org_uri(sandbox)})
    assert response.status_code == 200
    body = response.json()
    conforms("routingForms_list-routing-forms_Response_200", body)
    assert body["collection"]
    for form in body["collection"]:
        assert form["organization"] == org_uri(sandbox)
        assert form["uri"].startswith(f"{sandbox.base_url}/routing_forms/")
        assert all(question["uuid"] and question["name"] for question in form["questions"])
    stored = sandbox.state.store.count("routing_forms")
    assert body["pagination"]["count"] == min(stored, 20)


def test_forms_page_and_sort_by_creation(sandbox: SandboxServer, api: Api) -> None:
    client = api("admin")
    everything = all_forms(client, sandbox)
    created = [form["created_at"] for form in everything]
    assert created == sorted(created)  # default created_at:asc
    walked: list[str] = []
    url: str | None = "/routing_forms"
    params: dict[str, Any] | None = {"organization": org_uri(sandbox), "count": 1}
    while url:
        page = client.get(url, params=params).json()
        assert len(page["collection"]) <= 1
        walked += [form["uri"] for form in page["collection"]]
        url, params = page["pagination"]["next_page"], None
    assert walked == [form["uri"] for form in everything]
    newest_first = client.get(
        "/routing_forms",
        params={"organization": org_uri(sandbox), "sort": "created_at:desc", "count": 100},
    ).json()["collection"]
    assert [form["uri"] for form in newest_first] == walked[::-1]


def test_form_list_parameters_are_validated(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    assert bad_parameters(client.get("/routing_forms")) == {"organization"}
    assert bad_parameters(client.get("/routing_forms", params={"count": 0})) == {
        "organization",
        "count",
    }
    assert bad_parameters(client.get("/routing_forms", params={"organization": "acme"})) == {
        "organization"
    }
    bad_sort = client.get(
        "/routing_forms", params={"organization": org_uri(sandbox), "sort": "name:asc"}
    )
    assert bad_parameters(bad_sort) == {"sort"}


def test_another_organizations_forms_are_denied(sandbox: SandboxServer, api: Api) -> None:
    other = f"{sandbox.base_url}/organizations/OTHERORGANIZATN"
    response = api("owner").get("/routing_forms", params={"organization": other})
    assert_denied(response)


def test_get_one_form_and_unknown_form(
    sandbox: SandboxServer, api: Api, conforms: Callable[[str, Any], None]
) -> None:
    client = api("user")
    form = all_forms(client, sandbox)[0]
    response = client.get(form["uri"])
    assert response.status_code == 200
    conforms("routingForms_get-routing-form_Response_200", response.json())
    assert response.json()["resource"] == form
    missing = client.get("/routing_forms/NOSUCHFORM000000")
    assert_not_found(missing)


def test_routing_forms_need_the_routing_forms_scope(sandbox: SandboxServer, api: Api) -> None:
    refused = api("owner", scopes=["users:read"]).get(
        "/routing_forms", params={"organization": org_uri(sandbox)}
    )
    assert refused.status_code == 403
    assert refused.json()["required_scopes"] == ["routing_forms:read"]
    allowed = api("owner", scopes=["routing_forms:read"]).get(
        "/routing_forms", params={"organization": org_uri(sandbox)}
    )
    assert allowed.status_code == 200


# -- submissions ----------------------------------------------------------------------------
def test_submissions_of_a_form_page_and_sort(
    sandbox: SandboxServer, api: Api, conforms: Callable[[str, Any], None]
) -> None:
    client = api("user")
    form = published_form(client, sandbox)
    for _ in range(3):
        assert (
            submit(sandbox, {"form": form["uri"], "answers": valid_answers(form)}).status_code
            == 201
        )
        sandbox.advance_clock(1)
    everything = client.get(
        "/routing_form_submissions", params={"form": form["uri"], "count": 100}
    ).json()
    conforms("routingForms_list-routing-form-submissions_Response_200", everything)
    rows = everything["collection"]
    assert len(rows) >= 3
    assert all(row["routing_form"] == form["uri"] for row in rows)
    assert [r["created_at"] for r in rows] == sorted(r["created_at"] for r in rows)
    first = client.get("/routing_form_submissions", params={"form": form["uri"], "count": 2})
    page = first.json()
    assert [r["uri"] for r in page["collection"]] == [r["uri"] for r in rows[:2]]
    second = client.get(page["pagination"]["next_page"]).json()
    assert [r["uri"] for r in second["collection"]] == [r["uri"] for r in rows[2:4]]
    desc = client.get(
        "/routing_form_submissions",
        params={"form": form["uri"], "count": 100, "sort": "created_at:desc"},
    ).json()["collection"]
    assert [r["uri"] for r in desc] == [r["uri"] for r in rows][::-1]


def test_submission_list_parameters_are_validated(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    assert bad_parameters(client.get("/routing_form_submissions")) == {"form"}
    assert bad_parameters(client.get("/routing_form_submissions", params={"count": "x"})) == {
        "form",
        "count",
    }
    unknown = client.get(
        "/routing_form_submissions",
        params={"form": f"{sandbox.base_url}/routing_forms/NOSUCHFORM000000"},
    )
    assert unknown.status_code == 404


def test_seeded_submissions_render_results_and_submitters(
    sandbox: SandboxServer, api: Api, conforms: Callable[[str, Any], None]
) -> None:
    client = api("user")
    seen_types: set[str] = set()
    for form in all_forms(client, sandbox):
        rows = client.get(
            "/routing_form_submissions", params={"form": form["uri"], "count": 100}
        ).json()["collection"]
        for row in rows:
            conforms("RoutingFormSubmission", row)
            if "result" in row:
                seen_types.add(row["result"]["type"])
            if row["submitter"] is not None:
                assert row["submitter_type"] == "Invitee"
                event_id, invitee_id = (
                    row["submitter"].split("/scheduled_events/")[1].split("/invitees/")
                )
                invitee = sandbox.state.store.get("invitees", invitee_id)
                assert invitee is not None and invitee["event"] == event_id
            else:
                assert row["submitter_type"] is None
    assert seen_types, "the seed should make submissions with results"


# -- the sandbox's submit route --------------------------------------------------------------
def test_a_control_submission_is_readable_through_the_api(
    sandbox: SandboxServer, api: Api, conforms: Callable[[str, Any], None]
) -> None:
    client = api("user")
    form = published_form(client, sandbox)
    answers = valid_answers(form)
    first = form["questions"][0]
    keyed = {first["uuid"]: answers.pop(first["name"]), **answers}  # by uuid and by name
    tracking = {"utm_source": "newsletter", "utm_campaign": "spring"}
    created = submit(sandbox, {"form": form["uri"], "answers": keyed, "tracking": tracking})
    assert created.status_code == 201, created.text
    submission = created.json()["resource"]
    conforms("RoutingFormSubmission", submission)
    fetched = client.get(submission["uri"])
    assert fetched.status_code == 200
    assert fetched.json()["resource"] == submission
    by_question = {qa["question_uuid"]: qa["answer"] for qa in submission["questions_and_answers"]}
    assert by_question[first["uuid"]] == keyed[first["uuid"]]
    assert submission["tracking"]["utm_source"] == "newsletter"
    assert submission["tracking"]["salesforce_uuid"] is None
    assert submission["submitter"] is None and submission["submitter_type"] is None
    # No result given: routed to one of the organization's event types.
    assert submission["result"]["type"] == "event_type"
    event_type_id = submission["result"]["value"].rsplit("/", 1)[1]
    event_type = sandbox.state.store.get("event_types", event_type_id)
    assert event_type is not None
    assert sandbox.summary is not None
    assert event_type["organization"] == sandbox.summary.organization
    listed = client.get(
        "/routing_form_submissions",
        params={"form": form["uri"], "sort": "created_at:desc", "count": 1},
    ).json()["collection"]
    assert listed[0]["uri"] == submission["uri"]


def test_a_control_submission_can_name_its_result_and_submitter(
    sandbox: SandboxServer, api: Api
) -> None:
    form = published_form(api("user"), sandbox)
    message = {"headline": "Thanks!", "body": "We will call you."}
    custom = submit(
        sandbox,
        {
            "form": form["uri"].rsplit("/", 1)[1],  # a bare id works too
            "answers": valid_answers(form),
            "result": {"type": "custom_message", "value": message},
        },
    )
    assert custom.status_code == 201, custom.text
    assert custom.json()["resource"]["result"] == {"type": "custom_message", "value": message}
    url = "https://example.org/contact-sales"
    external = submit(
        sandbox,
        {
            "form": form["uri"],
            "answers": valid_answers(form),
            "result": {"type": "external_url", "value": url},
        },
    )
    assert external.json()["resource"]["result"] == {"type": "external_url", "value": url}
    invitee = sandbox.state.store.find_one("invitees", "1")
    assert invitee is not None
    invitee_uri = f"{sandbox.base_url}/scheduled_events/{invitee['event']}/invitees/{invitee['id']}"
    booked = submit(
        sandbox,
        {"form": form["uri"], "answers": valid_answers(form), "submitter": invitee_uri},
    )
    assert booked.status_code == 201, booked.text
    assert booked.json()["resource"]["submitter"] == invitee_uri
    assert booked.json()["resource"]["submitter_type"] == "Invitee"


def test_control_submission_answers_are_checked_against_the_questions(
    sandbox: SandboxServer, api: Api
) -> None:
    form = published_form(api("user"), sandbox)
    required = next(q for q in form["questions"] if q["required"])
    answers = valid_answers(form)
    del answers[required["name"]]
    missing = submit(sandbox, {"form": form["uri"], "answers": answers})
    assert bad_parameters(missing) == {f"answers.{required['name']}"}
    unknown = submit(
        sandbox, {"form": form["uri"], "answers": {**valid_answers(form), "Shoe size": "9"}}
    )
    assert bad_parameters(unknown) == {"answers.Shoe size"}
    select = next(
        (q for q in form["questions"] if q["type"] in ("select", "radios") and q["answer_choices"]),
        None,
    )
    if select is not None:
        wrong = submit(
            sandbox,
            {"form": form["uri"], "answers": {**valid_answers(form), select["name"]: "Nope!"}},
        )
        assert bad_parameters(wrong) == {f"answers.{select['name']}"}
    assert bad_parameters(submit(sandbox, {"answers": valid_answers(form)})) == {"form"}
    assert bad_parameters(submit(sandbox, {"form": form["uri"], "answers": ["a"]})) == {"answers"}
    gone = submit(
        sandbox,
        {"form": f"{sandbox.base_url}/routing_forms/NOSUCHFORM000000", "answers": {}},
    )
    assert gone.status_code == 404


def test_control_submission_results_and_tracking_are_validated(
    sandbox: SandboxServer, api: Api
) -> None:
    form = published_form(api("user"), sandbox)
    before = sandbox.state.store.count("routing_submissions")

    def with_(**extra: Any) -> httpx.Response:
        return submit(sandbox, {"form": form["uri"], "answers": valid_answers(form), **extra})

    assert bad_parameters(with_(result={"type": "teleport", "value": "x"})) == {"result.type"}
    assert bad_parameters(with_(result={"type": "external_url", "value": "ftp://x"})) == {
        "result.value"
    }
    assert bad_parameters(
        with_(result={"type": "custom_message", "value": {"headline": "Hi"}})
    ) == {"result.value.body"}
    foreign_type = f"{sandbox.base_url}/event_types/NOSUCHEVENTTYPE0"
    assert bad_parameters(with_(result={"type": "event_type", "value": foreign_type})) == {
        "result.value"
    }
    assert bad_parameters(with_(tracking={"utm_colour": "red"})) == {"tracking.utm_colour"}
    assert sandbox.state.store.count("routing_submissions") == before  # nothing was stored


def test_a_draft_form_takes_no_submissions(sandbox: SandboxServer, api: Api) -> None:
    forms = all_forms(api("user"), sandbox)
    draft = next((form for form in forms if form["status"] == "draft"), None)
    if draft is None:  # arrange one: the seed may publish every form
        record = sandbox.state.store.get("routing_forms", forms[0]["uri"].rsplit("/", 1)[1])
        assert record is not None
        sandbox.state.store.update("routing_forms", {**record, "status": "draft"})
        draft = {**forms[0], "status": "draft"}
    response = submit(sandbox, {"form": draft["uri"], "answers": valid_answers(draft)})
    assert bad_parameters(response) == {"form"}
