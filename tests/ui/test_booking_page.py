"""The Booking page: the desk is there at once; the embed lab (a browser engine) only once its
tab is opened, already bound to the connection."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.ui.booking.page import BookingPage, build_booking_page
from tests.ui.accessibility import unnamed_interactive
from tests.ui.page_helpers import page_spec

LOAD = 30_000


@pytest.mark.webengine
def test_the_embed_lab_starts_only_when_its_tab_is_opened(page_context: Any, qtbot: Any) -> None:
    page: BookingPage = page_context.adopt(build_booking_page(page_spec("booking")))
    page.resize(1400, 900)
    page.show()
    context = page_context("owner")
    page.bind(context)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "Booking desk",
        "Embed lab",
    ]
    assert page.embed_lab is None  # no browser engine for a page that only books by API
    assert page.rights.isHidden()

    page.tabs.setCurrentIndex(1)
    lab = page.embed_lab
    assert lab is not None and lab.context is context
    qtbot.waitUntil(lambda: bool(lab.sources), timeout=LOAD)
    qtbot.waitUntil(lambda: lab.view.url().isValid() and not lab.view.url().isEmpty(), timeout=LOAD)
    assert unnamed_interactive(page) == []

    page.unbind()
    assert lab.context is None and page.desk.context is None
