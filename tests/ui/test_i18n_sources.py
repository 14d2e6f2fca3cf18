"""Every sentence the UI shows reaches translators: pyside6-lupdate only reads literal texts
given straight to ``tr``/``translate``/``QT_TRANSLATE_NOOP``, never through a helper."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.ui.test_i18n import CHECKOUT, extract

UI = CHECKOUT / "desktop" / "ui"


def _hidden_texts(path: Path) -> list[str]:
    """Literal texts passed to a local wrapper (``_tr("…")``): lupdate cannot see those."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id.startswith("_tr")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            hidden.append(f"{path.relative_to(CHECKOUT)}:{node.lineno}: {node.args[0].value!r}")
    return hidden


def test_no_ui_text_is_hidden_from_lupdate_behind_a_wrapper() -> None:
    hidden = [text for path in sorted(UI.rglob("*.py")) for text in _hidden_texts(path)]
    assert hidden == []


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, ET.Element]]:
    return extract("desktop/ui", tmp_path_factory.mktemp("lupdate") / "ui_xx.ts")


def test_the_pages_words_are_in_the_catalogue(
    catalogue: dict[str, dict[str, ET.Element]],
) -> None:
    # One sentence from each area that used to go through a wrapper.
    expected = {
        "Pages": "Overview",
        "Members": "All roles",
        "MemberActions": "Remove {names} from {organization}?",
        "EventActions": "Select one meeting to cancel it.",
        "BulkDialog": "Unknown — check in Calendly",
        "BookingResult": "Book &another for the same invitee",
        "OverviewCards": "Members",
        "ConnectionStatus": "API budget: not reported yet",
        "Failures": None,  # the context exists
    }
    for context, source in expected.items():
        assert context in catalogue, context
        if source is not None:
            assert source in catalogue[context], (context, source)
