"""Which subscriptions a published fact goes to: active, subscribed to it, of a matching scope."""

from __future__ import annotations

from collections.abc import Sequence

from desktop.sandbox.delivery.payloads import SUBMISSION_EVENT
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record


def group_users(state: SandboxState, group_id: str) -> set[str]:
    """User ids of the group's members (relationships owned by an organization membership)."""
    rows = state.store.scalars(
        "SELECT m.user FROM memberships m JOIN group_relationships g ON g.owner = m.id "
        "WHERE g.group_id = ? AND g.owner_type = 'membership'",
        (group_id,),
    )
    return {str(user) for user in rows}


def _is_member(state: SandboxState, user_id: str | None, organization: str) -> bool:
    if user_id is None:
        return False
    count = state.store.count(
        "memberships", "user = ? AND organization = ?", (user_id, organization)
    )
    return count > 0


def subscriptions(
    state: SandboxState, event: str, organization: str, hosts: Sequence[str] | None
) -> list[Record]:
    """Active subscriptions of ``organization`` that get ``event``.

    Organization scope gets every fact of its organization; user scope the facts of events
    its user hosts (while the user is still a member: facts §6.4); group scope the facts of
    events hosted by a member of its group. ``routing_form_submission.created`` goes to
    organization scope only (facts §6.1). ``hosts`` is None for facts without an event.
    """
    found = state.store.find(
        "webhooks",
        "organization = ? AND state = 'active'",
        (organization,),
        order="created_at, id",
    )
    matched: list[Record] = []
    for hook in found:
        if event not in (hook.get("events") or []):
            continue
        scope = hook["scope"]
        if scope == "organization":
            matched.append(hook)
        elif event == SUBMISSION_EVENT or hosts is None:
            continue
        elif scope == "user":
            if hook.get("user") in hosts and _is_member(state, hook.get("user"), organization):
                matched.append(hook)
        elif (
            scope == "group"
            and hook.get("group_id")
            and group_users(state, str(hook["group_id"])) & set(hosts)
        ):
            matched.append(hook)
    return matched
