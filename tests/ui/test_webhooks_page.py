"""The Webhooks page as a whole: its parts share one connection, and hand work to each other
(the receiver subscribed from the inspector, a subscription tested from the table)."""

from __future__ import annotations

from typing import Any

import msgspec

from desktop.settings import Webhooks
from desktop.ui.pages import PageSpec
from desktop.ui.webhooks.page import WebhooksPage, build_webhooks_page
from desktop.ui.webhooks.subscription_dialog import SubscriptionDialog
from tests.ui.accessibility import unnamed_interactive
from tests.ui.page_helpers import CLICK, page_spec

LOAD = 30_000


def _open(page_context: Any, qtbot: Any) -> WebhooksPage:
    # The receiver on any free port, so that tests never collide on 8765.
    page_context.preferences[0] = msgspec.structs.replace(
        page_context.preferences[0], webhooks=Webhooks(receiver_port=0)
    )
    spec: PageSpec = page_spec("webhooks")
    page = page_context.adopt(build_webhooks_page(spec))
    page.resize(1400, 900)
    page.bind(page_context("owner"))
    table = page.subscriptions
    qtbot.waitUntil(lambda: table.model.rowCount() > 0 and not table.model.loading, timeout=LOAD)
    return page


def test_the_page_lists_watches_and_hands_work_between_its_parts(
    page_context: Any, qtbot: Any
) -> None:
    page = _open(page_context, qtbot)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "Subscriptions",
        "Inspector",
        "Test sender",
        "Verify",
    ]
    # The watch's first check and the table's listing agree on what there is.
    qtbot.waitUntil(lambda: page.health.summary.text() != "", timeout=LOAD)
    assert page.watch.watcher is not None and page.watch.watcher.running

    # The inspector's receiver, subscribed from the inspector: the create dialog opens on the
    # Subscriptions tab with the receiver's URL filled in.
    page.tabs.setCurrentWidget(page.inspector)
    page.inspector.start()
    qtbot.waitUntil(lambda: page.inspector.receiver is not None, timeout=LOAD)
    receiver = page.inspector.receiver
    assert receiver is not None
    qtbot.waitUntil(lambda: receiver.running, timeout=LOAD)
    page.inspector.subscribe_button.click()
    assert page.tabs.currentWidget() is page.subscriptions
    dialog = page.subscriptions.dialog
    assert isinstance(dialog, SubscriptionDialog)
    assert dialog.url_edit.text() == receiver.url
    dialog.close()

    # Send test… on a subscription: the sender tab, aimed at that subscription's URL.
    row = page.subscriptions.model.record(0)
    page.subscriptions.view.selectionModel().setCurrentIndex(
        page.subscriptions.index_of(row.uri), CLICK
    )
    page.subscriptions.test_requested.emit(row)
    assert page.tabs.currentWidget() is page.test_sender
    assert page.test_sender.url.text() == row.subscription.callback_url

    assert unnamed_interactive(page) == []

    # Signing out lets go of everything: the watch stops, the receiver closes its port.
    watcher = page.watch.watcher
    page.unbind()
    qtbot.waitUntil(lambda: not receiver.running, timeout=LOAD)
    assert watcher is not None and not watcher.running
    assert page.state is None
