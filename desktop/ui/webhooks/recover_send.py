"""Re-sending the missed deliveries: the signing key from the vault, each delivery POSTed in
turn with its result on the list, and the count of what went through."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale

from desktop.ui.failures import describe
from desktop.webhooks.listing import Row
from desktop.webhooks.recover import Missed, Resent, resend

if TYPE_CHECKING:
    from desktop.ui.webhooks.recover_panel import RecoverPanel

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


async def resend_missed(panel: RecoverPanel, row: Row, url: str, gaps: list[Missed]) -> None:
    """Send ``gaps`` to ``url`` one by one (signed with ``row``'s key when the vault has it),
    showing each result on ``panel``'s list and the progress in its status."""
    state = panel.state
    assert state is not None
    panel._set_busy(True)
    panel.results = []
    total = QLocale().toString(len(gaps))
    try:
        key = None
        if panel._has_key(row) and state.vault is not None:
            key = await state.vault.key_for(row.uri)
            if key is None:
                panel.key_message.show_message(
                    translate(
                        "RecoverPanel",
                        "Signing key: the vault no longer holds this key; nothing was sent.",
                    )
                )
                return

        def sent(done: int, _total: int, each: Resent) -> None:
            panel.results.append(each)
            panel.list.set_result(done - 1, each.result.grade.verdict)
            panel.status.setText(resent_text(done, total))

        await resend(gaps, url, key, sent)
        delivered = sum(1 for each in panel.results if each.delivered)
        panel.status.setText(resent_summary(total, delivered, len(panel.results) - delivered))
    except asyncio.CancelledError:
        if panel.state is state:
            panel.status.setText(stopped_text(len(panel.results), total))
        raise
    except Exception as error:
        panel.status.setText(
            describe(translate("RecoverPanel", "Re-sending missed deliveries"), error)
        )
    finally:
        panel.sending = None
        if panel.state is state:
            panel._set_busy(False)


def resent_text(done: int, total: str) -> str:
    """Progress of re-sending (``total`` already in the user's locale)."""
    return translate("RecoverPanel", "Re-sent {done} of {total}…").format(
        done=QLocale().toString(done), total=total
    )


def resent_summary(total: str, delivered: int, failed: int) -> str:
    """The end of re-sending: how many were delivered and how many failed."""
    return translate(
        "RecoverPanel", "Re-sent {count}: {delivered} delivered, {failed} failed."
    ).format(
        count=total,
        delivered=QLocale().toString(delivered),
        failed=QLocale().toString(failed),
    )


def stopped_text(done: int, total: str) -> str:
    """Re-sending stopped by the user."""
    return translate("RecoverPanel", "Stopped after {done} of {total}.").format(
        done=QLocale().toString(done), total=total
    )
