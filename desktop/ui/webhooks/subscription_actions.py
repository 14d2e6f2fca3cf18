"""Writes on webhook subscriptions: create (its key kept at once), delete, a replacement told."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox

from desktop.api.errors import BadRequest, CalendlyError, ConnectionFailed, NotFound
from desktop.secrets import SecretStoreError
from desktop.ui.page_context import PageContext
from desktop.ui.webhooks import subscription_text as text
from desktop.ui.webhooks.state import WebhookState
from desktop.webhooks.listing import Owner, Row
from desktop.webhooks.replace import ReplaceResult, SubscriptionSpec
from desktop.webhooks.replace_steps import find_subscription, post_subscription

if TYPE_CHECKING:
    from desktop.ui.webhooks.subscriptions import SubscriptionsTable


translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


# -- create ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Created:
    """The new subscription's row; ``key_problem`` says why its key is not in the vault."""

    row: Row
    key_problem: str = ""


async def create_subscription(
    context: PageContext, state: WebhookState, spec: SubscriptionSpec, owner: Owner
) -> Created:
    """Create the subscription (logged as ``webhook.create``) and keep its key in the vault
    at once. Calendly's refusals propagate as the client's errors."""
    try:
        details = spec.log_details()
        async with context.recording("webhook.create", None, spec.url, details) as pending:
            made = await post_subscription(state.client, spec)
            pending.target_uri = made.uri
    except ConnectionFailed as error:
        if not error.sent:
            raise
        # The answer was lost, but Calendly may have made it: a URL is unique per owner, so
        # the owner's list tells (never create it again blindly).
        try:
            found = await find_subscription(state.client, spec)
        except CalendlyError:
            raise CalendlyError(
                translate(
                    "SubscriptionActions",
                    "The answer was lost and Calendly could not be asked whether the "
                    "subscription was made: refresh the list before trying again.",
                )
            ) from error
        if found is None:
            raise
        made = found
    problem = ""
    if spec.signing_key:
        if state.vault is None:
            problem = translate(
                "SubscriptionActions",
                "Created, but there is no system keyring to keep its signing key: copy the "
                "key below now and give it to the receiver; it cannot be shown again.",
            )
        else:
            try:
                await state.remember_key(made.uri, spec.signing_key)
            except SecretStoreError as error:  # its message never holds the key
                problem = translate(
                    "SubscriptionActions",
                    "Created, but the keyring could not keep its signing key ({why}): copy "
                    "the key below now; it cannot be shown again.",
                ).format(why=str(error))
    return Created(Row(made, owner), problem)


# -- replace --------------------------------------------------------------------------------------
def result_text(result: ReplaceResult, *, generated: bool) -> str:
    """Each step with how it went, then where things stand now."""
    lines = [("✓ " if step.ok else "✗ ") + step.text for step in result.steps]
    lines.append("")
    lines.append(
        (
            translate("SubscriptionActions", "Done: {summary}")
            if result.ok
            else translate("SubscriptionActions", "Not done: {summary}")
        ).format(summary=result.summary)
    )
    if result.ok and generated:
        lines.append(
            translate(
                "SubscriptionActions",
                "Give the receiver the new signing key: Signing key… shows it.",
            )
        )
    return "\n".join(lines)


# -- delete ---------------------------------------------------------------------------------------
def confirm_delete(
    table: SubscriptionsTable, context: PageContext, state: WebhookState, row: Row
) -> QMessageBox:
    """Ask, naming the callback URL, the organization and whose subscription it is."""
    sub = row.subscription
    organization = context.connection.identity.organization_name or translate(
        "SubscriptionActions", "the organization"
    )
    box = QMessageBox(table)
    box.setTextFormat(Qt.TextFormat.PlainText)  # URLs and names are people's input
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("SubscriptionActions", "Delete Subscription"))
    box.setText(
        translate(
            "SubscriptionActions", "Delete the webhook subscription to {url} in {organization}?"
        ).format(url=sub.callback_url, organization=organization)
    )
    info = translate(
        "SubscriptionActions",
        "Scope: {scope}, for {owner}. Calendly stops sending it deliveries at once; this "
        "cannot be undone (create it again with New…).",
    ).format(scope=text.scope_name(sub.scope), owner=row.owner.label)
    if row.uri in state.known_keys:
        info += "\n" + translate(
            "SubscriptionActions", "Its signing key is removed from the vault."
        )
    box.setInformativeText(info)
    delete = box.addButton(
        translate("SubscriptionActions", "&Delete"), QMessageBox.ButtonRole.DestructiveRole
    )
    delete.setAccessibleName(translate("SubscriptionActions", "Delete"))
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setAccessibleName(translate("SubscriptionActions", "Cancel"))
    box.setDefaultButton(cancel)

    def finished() -> None:
        if box.clickedButton() is delete:
            what = translate("SubscriptionActions", "Deleting the subscription to {url}").format(
                url=sub.callback_url
            )
            state.spawn(_delete(table, context, state, row), what)
        box.deleteLater()

    box.finished.connect(finished)
    box.open()
    return box


async def _delete(
    table: SubscriptionsTable, context: PageContext, state: WebhookState, row: Row
) -> None:
    sub = row.subscription
    details = {"callback_url": sub.callback_url, "scope": sub.scope, "owner": row.owner.uri}
    try:
        async with context.recording("webhook.delete", row.uri, sub.callback_url, details):
            await state.client.webhooks.delete(row.uri)
    except NotFound:
        pass  # already gone (deleted elsewhere, or by a receiver's 410): the same end
    if table.context is context:  # still showing this organization
        table.model.remove(row.uri)
    context.changes.changed.emit("webhook", row.uri)
    await state.forget_key(row.uri)


# -- the form's helpers ----------------------------------------------------------------------------
# Which form field each of Calendly's 400 ``details`` parameters belongs to.
FIELDS = {
    "url": "url",
    "events": "events",
    "scope": "scope",
    "user": "scope",
    "group": "scope",
    "organization": "scope",
    "signing_key": "key",
}


def field_messages(error: BadRequest) -> tuple[dict[str, list[str]], list[str]]:
    """Calendly's 400 details by form field ("url", "events", "scope", "key"), and the rest."""
    fields: dict[str, list[str]] = {}
    rest: list[str] = []
    for problem in error.details:
        field = FIELDS.get(problem.parameter or "")
        line = (
            translate("SubscriptionActions", "Calendly: {parameter} {message}")
            .format(parameter=problem.parameter or "", message=problem.message)
            .replace("  ", " ")
        )
        (fields.setdefault(field, []) if field else rest).append(line)
    if not fields and not rest:
        rest.append(f"{error.title}: {error.message}")
    return fields, rest


def owner_for(
    context: PageContext, state: WebhookState, scope: str, uri: str | None, shown: str
) -> Owner | None:
    """Whose subscription the form makes: the organization, a group or a member (None when
    the group or member is not chosen)."""
    if scope == "organization":
        return Owner("organization", state.organization, "Organization")
    if not uri:
        return None
    if scope == "group":
        return Owner("group", uri, shown)
    listing = state.listing
    users = [m.user for m in listing.members] if listing is not None else []
    member = next((user for user in users if user.uri == uri), None)
    if member is not None:
        return Owner("user", member.uri, member.name, member.email)
    identity = context.connection.identity
    if uri == identity.user_uri:
        return Owner("user", identity.user_uri, identity.user_name, identity.user_email)
    return Owner("user", uri, shown)
