"""The side tables column sets need: group names per member, user names, question texts."""

from __future__ import annotations

from collections.abc import Iterable

from desktop.domain import Group, GroupRelationship, Invitee, OrganizationMembership


def groups_by_membership(
    relationships: Iterable[GroupRelationship], groups: Iterable[Group]
) -> dict[str, tuple[str, ...]]:
    """Membership URI -> names of the groups it belongs to (member or admin), sorted.

    Relationships owned by invitations are skipped: they are not members yet.
    """
    names = {group.uri: group.name for group in groups}
    found: dict[str, set[str]] = {}
    for relationship in relationships:
        if not relationship.owner.is_membership:
            continue
        name = names.get(relationship.group)
        if name is not None:
            found.setdefault(relationship.owner.uri, set()).add(name)
    return {
        owner: tuple(sorted(group_names, key=str.casefold)) for owner, group_names in found.items()
    }


def user_labels(memberships: Iterable[OrganizationMembership]) -> dict[str, str]:
    """User URI -> ``Name <email>`` (for "booked by" and similar references to users)."""
    return {m.user.uri: f"{m.user.name} <{m.user.email}>" for m in memberships}


def question_texts(invitees: Iterable[Invitee]) -> list[str]:
    """Every question asked, once each, in first-seen order (each invitee's by position).

    Feed this to ``invitee_columns``: one Q&A column per question across all invitees.
    """
    seen: dict[str, None] = {}
    for invitee in invitees:
        for item in sorted(invitee.questions_and_answers, key=lambda qa: qa.position):
            seen.setdefault(item.question, None)
    return list(seen)
