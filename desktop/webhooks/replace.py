"""Editing and reviving a subscription, which Calendly cannot do in place: replace it.

Calendly has no update and no re-enable (facts §2.8, §6.4): an edit or a revive creates a
subscription from the new recipe and deletes the old one. The order keeps the organization
from ending with none or two of them:

- create first (the URL, scope or owner changes): create the new one, confirm it is there
  and active, then delete the old; if confirming or deleting fails, delete the new again.
- delete first (same URL, scope and owner, e.g. a revive): Calendly refuses a second
  subscription for that URL and owner with 409, even beside a disabled one, so the old one
  goes first; if the new one cannot be created, the old recipe is created again.

A step that fails is undone when possible, and the result says exactly where things stand.
The new subscription's signing key is saved under its URI as soon as it exists; the old key
is forgotten only once the old subscription is gone.
"""

from __future__ import annotations

from desktop.api.client import CalendlyClient
from desktop.domain.webhooks import WebhookSubscription
from desktop.secrets import SecretStoreError
from desktop.webhooks.callback_url import check_callback_url
from desktop.webhooks.replace_steps import (
    Order,
    Outcome,
    Recorder,
    Replacement,
    ReplaceResult,
    Step,
    SubscriptionSpec,
)
from desktop.webhooks.scopes import check_events
from desktop.webhooks.vault import SigningKeyVault

__all__ = [
    "Order",
    "Outcome",
    "Recorder",
    "ReplaceResult",
    "Step",
    "SubscriptionSpec",
    "replace_subscription",
]


def _precheck(old: WebhookSubscription, spec: SubscriptionSpec) -> list[str]:
    """What would make Calendly refuse ``spec``, found before anything is changed."""
    problems: list[str] = []
    url = check_callback_url(spec.url, real_organization=False)
    if url.error is not None:
        problems.append(url.error)
    elif url.url != spec.url:
        problems.append("Callback URL must not start or end with spaces.")
    problems += check_events(spec.scope, spec.events)
    if spec.organization != old.organization:
        problems.append("A subscription cannot move to another organization.")
    if spec.scope == "user" and not spec.user:
        problems.append("A user subscription needs its user.")
    if spec.scope == "group" and not spec.group:
        problems.append("A group subscription needs its group.")
    return problems


async def replace_subscription(
    client: CalendlyClient,
    old: WebhookSubscription,
    new_spec: SubscriptionSpec,
    *,
    vault: SigningKeyVault | None = None,
    record: Recorder | None = None,
) -> ReplaceResult:
    """Replace ``old`` by a subscription made from ``new_spec`` (an edit, or a revive when the
    recipe is the same) without ever leaving none or two behind when a step fails.

    Never raises for Calendly's or the keyring's failures: the result tells each step and
    where the organization stands. ``record`` logs each write (``webhook.create`` and
    ``webhook.delete``) in the action log.
    """
    order = Order.DELETE_FIRST if new_spec.same_place(old) else Order.CREATE_FIRST
    work = Replacement(client, old, vault, record, order)
    problems = _precheck(old, new_spec)
    if problems:
        work.step("check", False, " ".join(problems))
        return work.result(Outcome.UNCHANGED, "Nothing was changed. " + " ".join(problems), old)
    if order is Order.DELETE_FIRST:
        return await _delete_first(work, new_spec)
    return await _create_first(work, new_spec)


async def _create_first(work: Replacement, spec: SubscriptionSpec) -> ReplaceResult:
    old = work.old
    created, certain = await work.create(spec, "create", {"replaces": old.uri})
    if created is None:
        if certain:
            return work.result(
                Outcome.UNCHANGED,
                f"Nothing was changed: {spec.url} could not be created, and {old.callback_url} "
                "is still in place.",
                old,
            )
        return work.result(
            Outcome.UNKNOWN,
            f"{old.callback_url} is still in place, but {spec.url} may have been created as "
            "well: refresh the list and delete one of them if both are there.",
            old,
        )
    # The key first: from here on a failure must not lose it (unless the new one goes too).
    saved = await work.save_key(created.uri, spec.signing_key)
    confirmed = await work.confirm(created) if saved else False
    if not confirmed:
        return await _undo_create(work, created)
    deleted = await work.delete(
        old.uri, old.callback_url, "delete old", {"replaced_by": created.uri}
    )
    if deleted is True:
        await work.forget_key(old.uri)
        return work.result(Outcome.REPLACED, f"{spec.url} replaced {old.callback_url}.", created)
    if deleted is None:
        # Deleting the new one now could leave none: two are safer than zero.
        return work.result(
            Outcome.UNKNOWN,
            f"{spec.url} is in place; {old.callback_url} may or may not have been deleted: "
            "refresh the list and delete it if it is still there.",
            created,
        )
    return await _undo_create(work, created)


async def _undo_create(work: Replacement, created: WebhookSubscription) -> ReplaceResult:
    """Delete the subscription just created, so that the old one stays the only one."""
    old = work.old
    gone = await work.delete(
        created.uri, created.callback_url, "undo create", {"undoes_replacement_of": old.uri}
    )
    if gone is True:
        await work.forget_key(created.uri)
        return work.result(
            Outcome.UNCHANGED,
            f"Nothing was changed: the replacement did not complete, so the new subscription "
            f"was deleted again and {old.callback_url} is still in place.",
            old,
        )
    if gone is None:
        return work.result(
            Outcome.UNKNOWN,
            f"{old.callback_url} is still in place; the new {created.callback_url} may still "
            "exist as well: refresh the list and delete it if it is there.",
            old,
        )
    return work.result(
        Outcome.BOTH,
        f"Two subscriptions exist now: the old {old.callback_url} and the new "
        f"{created.callback_url}, which could not be deleted again. Delete one of them.",
        created,
    )


async def _delete_first(work: Replacement, spec: SubscriptionSpec) -> ReplaceResult:
    old = work.old
    old_key: str | None = None
    if work.vault is not None:
        try:
            old_key = await work.vault.key_for(old.uri)
        except SecretStoreError as error:
            work.step("read key", False, f"The old signing key could not be read: {error}", old.uri)
            return work.result(
                Outcome.UNCHANGED,
                "Nothing was changed: the old subscription's signing key could not be read, "
                "and it would be needed to restore the subscription if creating the new one "
                "failed.",
                old,
            )
    deleted = await work.delete(
        old.uri, old.callback_url, "delete old", {"replaced_by": "a new subscription"}
    )
    if deleted is False:
        return work.result(
            Outcome.UNCHANGED,
            f"Nothing was changed: {old.callback_url} could not be deleted, and Calendly "
            "allows only one subscription per URL and owner.",
            old,
        )
    if deleted is None:
        return work.result(
            Outcome.UNKNOWN,
            f"{old.callback_url} may or may not have been deleted, and nothing was created: "
            "refresh the list before trying again.",
            None,
        )
    created, certain = await work.create(spec, "create", {"replaces": old.uri})
    if created is not None:
        saved = await work.save_key(created.uri, spec.signing_key)
        confirmed = await work.confirm(created)
        if confirmed is not False:
            await work.forget_key(old.uri)
            notes = ""
            if not saved:
                notes += " Its signing key could not be saved here: deliveries are unverifiable."
            if confirmed is None:
                notes += " It could not be confirmed afterwards; refresh the list to check it."
            return work.result(
                Outcome.REPLACED,
                f"{spec.url} was deleted and created again with the new settings.{notes}",
                created,
            )
        # Not there (or not active): clear it away and put the old recipe back.
        if await work.delete(created.uri, created.callback_url, "undo create", {}) is not True:
            return work.result(
                Outcome.UNKNOWN,
                f"{old.callback_url} was deleted; its replacement is not active and could not "
                "be deleted: refresh the list.",
                created,
            )
        await work.forget_key(created.uri)
    elif not certain:
        return work.result(
            Outcome.UNKNOWN,
            f"{old.callback_url} was deleted; its replacement may or may not have been "
            "created: refresh the list.",
            None,
        )
    return await _restore(work, old_key)


async def _restore(work: Replacement, old_key: str | None) -> ReplaceResult:
    """Create the old recipe again after the new one could not be made."""
    old = work.old
    recipe = SubscriptionSpec.of(old, old_key)
    restored, certain = await work.create(recipe, "recreate old", {"restores": old.uri})
    if restored is not None:
        await work.save_key(restored.uri, old_key)
        await work.forget_key(old.uri)
        signed = (
            "with its signing key"
            if old_key is not None
            else "without a signing key (none was saved here), so its deliveries are unsigned"
        )
        return work.result(
            Outcome.RESTORED,
            f"The new subscription could not be created, so {old.callback_url} was created "
            f"again as it was, {signed}. It is active, under a new URI.",
            restored,
        )
    if not certain:
        return work.result(
            Outcome.UNKNOWN,
            f"{old.callback_url} was deleted, the new subscription could not be created, and "
            "whether the old one was created again is unknown: refresh the list.",
            None,
        )
    kept = " Its signing key stays saved here." if old_key is not None else ""
    return work.result(
        Outcome.NONE,
        f"No subscription for {old.callback_url} exists now: the old one was deleted, and "
        f"neither the new one nor the old one could be created. Create it again when Calendly "
        f"answers.{kept}",
        None,
    )
