"""The activity log's ``search_term`` language, parsed and compiled to SQL over word lists.

Calendly documents these operators (facts §2.9): ``|`` or, ``+`` and, ``"…"`` an exact phrase,
``-`` to exclude a term, ``()`` for precedence and ``*`` for prefix searching. Terms side by
side are all required (as if joined by ``+``); the words ``OR`` and ``AND`` work too.

Entries keep their searchable text as ``words``: lower-case words separated by single spaces,
with a space at both ends (see ``words``). A plain term matches a whole word, ``ab*`` a word
starting with ``ab``, ``*ab`` a word ending with ``ab`` (Calendly's example is
``*@other-website.com``), and ``"a b"`` the words ``a`` ``b`` in a row. Matching ignores case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MAX_LENGTH = 300
_TOKENS = re.compile(r'"[^"]*"?|[()|]|[^\s()|"]+')
_WORD = re.compile(r"[^\s,;:!?()\[\]{}<>\"|]+")
_EDGES = ".'-_/"
_PARTS = re.compile(r"[@._+\-'/]+")


# -- the stored side ----------------------------------------------------------------------------
def _clean(word: str) -> str:
    return word.strip(_EDGES).lower()


def words(values: Iterable[str]) -> str:
    """``" ada lovelace ada.l@x.com user login … ada l x com "``: every word, then its parts.

    The words of each value come in order (so phrases match); the parts of compound words
    (``ada.l@x.com`` → ``ada``, ``l``, ``x``, ``com``) follow at the end, so a search for
    ``x`` finds the address too.
    """
    found: list[str] = []
    parts: list[str] = []
    for value in values:
        for raw in _WORD.findall(value):
            word = _clean(raw)
            if not word:
                continue
            found.append(word)
            pieces = [p for p in _PARTS.split(word) if p]
            if len(pieces) > 1:
                parts.extend(pieces)
    return " " + " ".join([*found, *parts]) + " "


# -- the query side -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    pattern: str  # a LIKE pattern over the ``words`` column (``\\`` escapes)


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class All:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Either:
    nodes: tuple[Node, ...]


Node = Term | Not | All | Either


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _term(text: str) -> Term | None:
    """One word: ``ab`` whole, ``ab*`` prefix, ``*ab`` suffix, ``*ab*`` anywhere."""
    starts, ends = text.startswith("*"), text.endswith("*")
    core = text.strip("*")
    word = core.lower() if starts or ends else _clean(core)
    if not word:
        return None
    left = "%" if starts else "% "
    right = "%" if ends else " %"
    return Term(f"{left}{_escape(word)}{right}")


def _phrase(text: str) -> Term | None:
    found = [_clean(w) for w in _WORD.findall(text)]
    found = [w for w in found if w]
    if not found:
        return None
    return Term(f"% {_escape(' '.join(found))} %")


class _Parser:
    """``any := all ('|' all)*``, ``all := unary ('+'? unary)*``, ``unary := '-' unary | atom``."""

    def __init__(self, text: str) -> None:
        self.items: list[str] = []
        for token in _TOKENS.findall(text):
            self.items.extend(self._split(token))
        self.at = 0

    @staticmethod
    def _split(token: str) -> list[str]:
        """Pull leading ``+``/``-`` operators and a trailing ``+`` off a bare word."""
        if token.startswith('"') or token in ("(", ")", "|"):
            return [token]
        if token in ("OR", "AND", "NOT"):
            return [{"OR": "|", "AND": "+", "NOT": "-"}[token]]
        ops: list[str] = []
        while token[:1] in ("+", "-") and len(token) > 1:
            ops.append(token[0])
            token = token[1:]
        tail = ["+"] if token.endswith("+") and len(token) > 1 else []
        return [*ops, token.rstrip("+") if tail else token, *tail]

    def peek(self) -> str | None:
        return self.items[self.at] if self.at < len(self.items) else None

    def take(self) -> str:
        self.at += 1
        return self.items[self.at - 1]

    def parse(self) -> Node | None:
        node = self.any()
        while self.peek() is not None:  # a stray ")": ignore it and read on
            self.take()
            more = self.any()
            node = more if node is None else (node if more is None else All((node, more)))
        return node

    def any(self) -> Node | None:
        nodes = [self.all()]
        while self.peek() == "|":
            self.take()
            nodes.append(self.all())
        found = tuple(n for n in nodes if n is not None)
        return None if not found else found[0] if len(found) == 1 else Either(found)

    def all(self) -> Node | None:
        nodes: list[Node | None] = []
        while (item := self.peek()) is not None and item not in ("|", ")"):
            if item == "+":
                self.take()
                continue
            nodes.append(self.unary())
        found = tuple(n for n in nodes if n is not None)
        return None if not found else found[0] if len(found) == 1 else All(found)

    def unary(self) -> Node | None:
        item = self.take()
        if item == "-":
            if self.peek() in (None, "|", ")", "+"):
                return None
            inner = self.unary()
            return None if inner is None else Not(inner)
        if item == "(":
            inner = self.any()
            if self.peek() == ")":
                self.take()
            return inner
        if item.startswith('"'):
            return _phrase(item.strip('"'))
        return _term(item)


def parse(text: str) -> Node | None:
    """The query as a tree; None when it has no terms at all (it then filters nothing)."""
    return _Parser(text).parse()


def to_sql(node: Node, column: str) -> tuple[str, list[str]]:
    """A WHERE fragment over ``column`` (a ``words`` string) and its parameters."""
    if isinstance(node, Term):
        return f"{column} LIKE ? ESCAPE '\\'", [node.pattern]
    if isinstance(node, Not):
        inner, params = to_sql(node.node, column)
        return f"NOT ({inner})", params
    parts = [to_sql(child, column) for child in node.nodes]
    joiner = " AND " if isinstance(node, All) else " OR "
    sql = joiner.join(f"({part})" for part, _ in parts)
    return f"({sql})", [p for _, params in parts for p in params]
