"""``client.routing_forms``: routing forms and their submissions (read-only)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Literal, TypeAlias

from desktop.api.pagination import Page
from desktop.api.resource import APIResource, path_of
from desktop.domain.routing_forms import RoutingForm, RoutingFormSubmission

CreatedSort: TypeAlias = Literal["created_at:asc", "created_at:desc"]


class RoutingForms(APIResource):
    async def list(
        self,
        *,
        organization: str,
        sort: CreatedSort | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Page[RoutingForm]:
        """One page of the organization's routing forms."""
        params = {"organization": organization, "sort": sort}
        return await self._page("/routing_forms", RoutingForm, _paged(params, count, page_token))

    def iterate(
        self, *, organization: str, sort: CreatedSort | None = None
    ) -> AsyncIterator[RoutingForm]:
        """Every routing form of the organization."""
        return self._all(
            "/routing_forms", RoutingForm, {"organization": organization, "sort": sort}
        )

    async def get(self, form: str) -> RoutingForm:
        """A routing form by URI or id."""
        return await self._fetch(path_of("routing_forms", form), RoutingForm)

    # -- submissions --------------------------------------------------------------------
    async def list_submissions(
        self,
        *,
        form: str,
        sort: CreatedSort | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Page[RoutingFormSubmission]:
        """One page of the submissions of ``form`` (a routing form URI)."""
        params = _paged({"form": form, "sort": sort}, count, page_token)
        return await self._page(_SUBMISSIONS, RoutingFormSubmission, params)

    def iterate_submissions(
        self, *, form: str, sort: CreatedSort | None = None
    ) -> AsyncIterator[RoutingFormSubmission]:
        """Every submission of ``form``."""
        return self._all(_SUBMISSIONS, RoutingFormSubmission, {"form": form, "sort": sort})

    async def get_submission(self, submission: str) -> RoutingFormSubmission:
        """A submission by URI or id."""
        return await self._fetch(
            path_of("routing_form_submissions", submission), RoutingFormSubmission
        )


_SUBMISSIONS = "/routing_form_submissions"


def _paged(
    params: Mapping[str, object], count: int | None, page_token: str | None
) -> dict[str, object]:
    return {**params, "count": count, "page_token": page_token}
