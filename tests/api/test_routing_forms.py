"""``client.routing_forms``: forms and their submissions."""

from __future__ import annotations

import pytest

from desktop.api import BadRequest, CalendlyClient, InsufficientScope, NotFound, PermissionDenied
from desktop.domain import RoutingForm, RoutingFormSubmission
from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from tests.api.conftest import ClientFactory
from tests.sandbox.helpers import add_other_organization

pytestmark = pytest.mark.asyncio


def stored(
    sandbox: SandboxServer, table: str, where: str = "1", params: tuple[object, ...] = ()
) -> list[Record]:
    return sandbox.state.store.find(table, where, params, order="created_at, id")


def busiest_form(sandbox: SandboxServer) -> str:
    """The id of the form with the most submissions."""
    counts: dict[str, int] = {}
    for row in stored(sandbox, "routing_submissions"):
        counts[row["routing_form"]] = counts.get(row["routing_form"], 0) + 1
    return max(counts, key=lambda ident: counts[ident])


async def test_forms_list_iterate_and_get(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    forms = [f async for f in client.routing_forms.iterate(organization=organization_uri)]
    rows = stored(sandbox, "routing_forms")
    assert [f.uuid for f in forms] == [r["id"] for r in rows]
    for form, row in zip(forms, rows, strict=True):
        assert isinstance(form, RoutingForm)
        assert (form.name, form.status, form.organization) == (
            row["name"],
            row["status"],
            organization_uri,
        )
        assert [q.uuid for q in form.questions] == [q["uuid"] for q in row["questions"]]
        assert await client.routing_forms.get(form.uri) == form
    first = await client.routing_forms.list(organization=organization_uri, count=1)
    assert list(first.items) == forms[:1] and first.has_more
    newest = await client.routing_forms.list(organization=organization_uri, sort="created_at:desc")
    assert list(newest.items) == forms[::-1]


async def test_submissions_walk_every_page(client: CalendlyClient, sandbox: SandboxServer) -> None:
    form_id = busiest_form(sandbox)
    form = sandbox.state.uris.of("routing_forms", form_id)
    submissions = [s async for s in client.routing_forms.iterate_submissions(form=form)]
    rows = stored(sandbox, "routing_submissions", "routing_form = ?", (form_id,))
    assert len(rows) > 5
    assert [s.uuid for s in submissions] == [r["id"] for r in rows]
    assert all(isinstance(s, RoutingFormSubmission) and s.routing_form == form for s in submissions)
    for submission, row in zip(submissions, rows, strict=True):
        for answer in row["questions_and_answers"]:
            assert submission.answer_to(answer["question_uuid"]) == answer["answer"]
        assert submission.result is not None and submission.result.type == row["result"]["type"]

    collected: list[RoutingFormSubmission] = []
    token = None
    while True:
        page = await client.routing_forms.list_submissions(form=form, count=4, page_token=token)
        assert len(page.items) <= 4
        collected.extend(page.items)
        if page.next_page_token is None:
            break
        token = page.next_page_token
    assert collected == submissions

    newest = await client.routing_forms.list_submissions(form=form, sort="created_at:desc", count=3)
    assert list(newest.items) == submissions[::-1][:3]
    for submission in submissions[:3]:
        assert await client.routing_forms.get_submission(submission.uri) == submission
    assert await client.routing_forms.get_submission(submissions[0].uuid) == submissions[0]


async def test_routing_form_errors(
    client: CalendlyClient, client_for: ClientFactory, sandbox: SandboxServer
) -> None:
    with pytest.raises(BadRequest) as bad:
        await client.routing_forms.list_submissions(form="nope")
    assert bad.value.detail_for("form")
    with pytest.raises(BadRequest) as bad_sort:
        await client.routing_forms.list(
            organization=sandbox.state.uris.organization("X"),
            sort="name:asc",  # type: ignore[arg-type]
        )
    assert bad_sort.value.detail_for("sort")
    other = add_other_organization(sandbox)
    with pytest.raises(PermissionDenied):
        await client.routing_forms.list(
            organization=sandbox.state.uris.organization(other["org"]["id"])
        )
    with pytest.raises(NotFound):
        await client.routing_forms.get("NOSUCHFORM000000")
    with pytest.raises(NotFound):
        await client.routing_forms.get_submission("NOSUCHSUBMISSION")
    with pytest.raises(InsufficientScope) as scope:
        await client_for("owner", scopes=["users:read"]).routing_forms.get("NOSUCHFORM000000")
    assert scope.value.required_scopes == ("routing_forms:read",)


async def test_a_plain_member_reads_forms_too(
    client_for: ClientFactory, organization_uri: str
) -> None:
    forms = await client_for("user").routing_forms.list(organization=organization_uri)
    assert forms.items
