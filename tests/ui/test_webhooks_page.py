"""The Webhooks page as a whole: its parts share one connection, and hand work to each other
(the receiver subscribed from the inspector, a subscription tested from the table)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import re
import warnings
from typing import Any

import msgspec
from PySide6.QtWidgets import QAbstractButton, QLabel, QTabBar, QToolButton, QWidget

from desktop.sandbox import SandboxServer
from desktop.settings import Webhooks
from desktop.ui.pages import PageSpec
from desktop.ui.webhooks.page import WebhooksPage, build_webhooks_page
from desktop.ui.webhooks.state import WebhookState
from desktop.ui.webhooks.subscription_dialog import SubscriptionDialog
from tests.ui.accessibility import unnamed_interactive, unreachable_by_keyboard
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
        "Recover",
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


def test_signing_out_closes_the_dialogs_and_ends_the_work_on_that_connection(
    page_context: Any, sandbox: SandboxServer, qtbot: Any, run_async: Any
) -> None:
    page = _open(page_context, qtbot)
    assert page.state is not None
    context = page.state.context
    table = page.subscriptions
    # A listing under way (slowed down) and the create dialog open when the user signs out.
    sandbox.add_fault(kind="latency", latency_ms=2000, paths=["/webhook_subscriptions"])
    listing = table.quiet_refresh()
    assert listing is not None
    table.open_create("https://example.com/hooks")
    dialog = table.dialog
    assert isinstance(dialog, SubscriptionDialog) and dialog.isVisible()

    page.unbind()  # signing out: then the shell closes the connection
    assert not dialog.isVisible()  # its Create would have asked a closed connection
    run_async(context.connection.aclose())
    qtbot.waitUntil(listing.done, timeout=LOAD)
    assert listing.cancelled()
    assert context.reported == []  # type: ignore[attr-defined]


def _mnemonics(root: QWidget) -> list[str]:
    """The Alt+letter keys of what a user sees under ``root``: buttons, labels' buddies, tabs."""
    keys: list[str] = []

    def key(text: str) -> None:
        found = re.search(r"&([^&])", text.replace("&&", ""))
        if found:
            keys.append(found.group(1).lower())

    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root):
            continue
        button = isinstance(widget, QAbstractButton) and not isinstance(widget, QToolButton)
        if button or (isinstance(widget, QLabel) and widget.buddy() is not None):
            key(widget.text())  # type: ignore[attr-defined]
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                key(widget.tabText(index))
    return keys


def test_each_tab_reaches_its_controls_by_distinct_alt_keys(page_context: Any, qtbot: Any) -> None:
    page = _open(page_context, qtbot)
    page.show()
    page.inspector.start()
    qtbot.waitUntil(lambda: page.inspector.running, timeout=LOAD)
    clashes: dict[str, list[str]] = {}
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        keys = _mnemonics(page)
        clashes[page.tabs.tabText(index)] = sorted({k for k in keys if keys.count(k) > 1})
    assert clashes == {name: [] for name in clashes}
    assert unreachable_by_keyboard(page) == []


def test_a_listing_let_go_before_it_starts_leaves_nothing_unawaited(
    page_context: Any, run_async: Any
) -> None:
    context = page_context("owner")
    state = WebhookState(context, parent=context.window)

    async def let_go_at_once() -> None:
        outer = asyncio.get_running_loop().create_task(state.fetch())
        await asyncio.sleep(0)  # the fetch hands the listing to the connection's tasks
        state.close()  # the page lets go before that listing has started
        with contextlib.suppress(asyncio.CancelledError):
            await outer

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run_async(let_go_at_once())
        gc.collect()
    assert [str(w.message) for w in caught if "never awaited" in str(w.message)] == []
