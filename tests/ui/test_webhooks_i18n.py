"""The Webhooks page's words reach translators: lupdate finds them, plurals included."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from desktop.ui.webhooks.event_names import SENDABLE, SUBSCRIBABLE
from desktop.webhooks import payloads
from desktop.webhooks.scopes import EVENTS
from tests.ui.test_i18n import extract


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, ET.Element]]:
    """{context: {source text: <message>}} as lupdate extracts them from the page's code."""
    return extract("desktop/ui/webhooks", tmp_path_factory.mktemp("lupdate") / "webhooks_xx.ts")


def test_every_part_of_the_page_is_offered_to_translators(
    catalogue: dict[str, dict[str, ET.Element]],
) -> None:
    # One sentence of each module that words things for people.
    expected = {
        "WebhookHealth": "The webhook subscriptions have not been checked yet.",
        "WebhookWatch": "Webhook {name} was disabled",
        "SubscriptionsTable": "No webhook subscriptions. Use New… to create one.",
        "SubscriptionText": "Unverifiable — key never seen",
        "SubscriptionActions": "Delete the webhook subscription to {url} in {organization}?",
        "SubscriptionDialog": "Choose the {which} to subscribe for.",
        "KeyDialog": "Copy as .&env line",
        "ReceiverBar": "410 Gone",
        "SenderPanel": "Time taken: {seconds} s.",
        "Verdict": "No key",
    }
    for context, source in expected.items():
        assert source in catalogue.get(context, {}), (context, source)
    healthy = catalogue["WebhookHealth"]["All %n subscriptions are healthy"]
    assert healthy.get("numerus") == "yes"  # translators get the plural forms


def test_event_names_are_offered_to_translators_every_one(
    catalogue: dict[str, dict[str, ET.Element]],
) -> None:
    assert set(SUBSCRIBABLE) == {info.label for info in EVENTS.values()}
    assert set(SENDABLE) == set(payloads.LABELS.values())
    assert set(SUBSCRIBABLE) <= set(catalogue["WebhookEvents"])
    assert set(SENDABLE) <= set(catalogue["Events"])
