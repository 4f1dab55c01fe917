"""User search text parsed into a small query tree, rendered as safe full-text engine syntax.

People type words, "quoted phrases", ``prefix*``, and the operators AND, OR, NOT and
parentheses. Nothing a user types reaches the engine's own parser: every word is re-quoted,
operators are only recognised in upper case between terms, and a query over the cost limits
(terms, prefix wildcards, short prefixes) is refused. So a stray quote or ``NEAR(`` is either
a plain word or a clear :class:`QuerySyntaxError`, never an engine error or a runaway scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import WiretraceError

MAX_TERMS = 16
MAX_PREFIXES = 3
MIN_PREFIX = 3  # a prefix this short would expand to most of the vocabulary
MAX_DEPTH = 4
_WORD = re.compile(r"\w", re.UNICODE)
_TOKEN = re.compile(r'\s*(?:(\()|(\))|("[^"]*"?\*?)|([^\s()"]+))', re.UNICODE)
_OPS = ("AND", "OR", "NOT")


class QuerySyntaxError(WiretraceError, ValueError):
    """A search text that cannot be run; the message is plain and safe to show to users."""


@dataclass(frozen=True)
class Term:
    """A word (or words read as a phrase) the text must contain; ``prefix`` for ``word*``."""

    text: str
    prefix: bool = False
    phrase: bool = False


@dataclass(frozen=True)
class Op:
    """``AND``/``OR`` of two or more parts, or ``NOT`` (left part without the right one)."""

    kind: str
    parts: tuple[Node, ...]


Node = Term | Op


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"\W+", text, flags=re.UNICODE) if w]


def _lex(text: str) -> list[tuple[str, str]]:
    """(kind, value) tokens: ``(``, ``)``, ``op``, ``phrase`` or ``word``."""
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
        if m.group(1):
            out.append(("(", "("))
        elif m.group(2):
            out.append((")", ")"))
        elif m.group(3) is not None:
            raw = m.group(3)
            star = raw.endswith('"*')  # "word"* as rendered for FTS5: a prefix
            raw = raw[:-1] if star else raw
            if len(raw) < 2 or not raw.endswith('"'):
                raise QuerySyntaxError('a quote (") is not closed')
            if _WORD.search(raw):
                out.append(("phrase*" if star else "phrase", raw[1:-1]))
        elif m.group(4):
            raw = m.group(4)
            if raw in _OPS:
                out.append(("op", raw))
            elif _WORD.search(raw):
                out.append(("word", raw))
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse(self) -> Node:
        node = self.or_expr()
        if self.peek() is not None:
            raise QuerySyntaxError("a closing parenthesis has no opening one")
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while self.peek() == ("op", "OR"):
            self.pos += 1
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else Op("OR", tuple(parts))

    def and_expr(self) -> Node:
        parts = [self.not_expr()]
        while (tok := self.peek()) is not None and tok[0] != ")" and tok != ("op", "OR"):
            if tok == ("op", "AND"):
                self.pos += 1
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else Op("AND", tuple(parts))

    def not_expr(self) -> Node:
        node = self.unary()
        while self.peek() == ("op", "NOT"):
            self.pos += 1
            node = Op("NOT", (node, self.unary()))
        return node

    def unary(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise QuerySyntaxError(
                "the search ends where a term is needed (after an operator or parenthesis)"
            )
        kind, value = tok
        self.pos += 1
        if kind == "op":
            raise QuerySyntaxError(f"{value} needs a term on each side")
        if kind == ")":
            raise QuerySyntaxError("empty parentheses or a closing one without an opening one")
        if kind == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QuerySyntaxError(f"at most {MAX_DEPTH} levels of parentheses")
            node = self.or_expr()
            if self.peek() != (")", ")"):
                raise QuerySyntaxError("a parenthesis is not closed")
            self.pos += 1
            self.depth -= 1
            return node
        if kind in ("phrase", "phrase*"):
            words = _words(value)
            return Term(" ".join(words), prefix=kind == "phrase*", phrase=len(words) > 1)
        prefix = value.endswith("*")
        words = _words(value)
        return Term(" ".join(words), prefix=prefix, phrase=len(words) > 1)


def _terms(node: Node) -> list[Term]:
    if isinstance(node, Term):
        return [node]
    return [t for p in node.parts for t in _terms(p)]


def parse(text: str, limits: bool = True) -> Node | None:
    """The query tree of ``text`` (None when it holds no word); raises on bad syntax or cost.

    ``limits=False`` skips the cost limits, for queries we built ourselves (alias lists).
    """
    tokens = _lex(text)
    if not tokens:
        return None
    if all(kind in ("(", ")") for kind, _ in tokens):
        raise QuerySyntaxError("parentheses need a term inside")
    node = _Parser(tokens).parse()
    if not limits:
        return node
    terms = _terms(node)
    words = sum(len(t.text.split()) for t in terms)
    if words > MAX_TERMS:
        raise QuerySyntaxError(f"at most {MAX_TERMS} words per search")
    prefixes = [t for t in terms if t.prefix]
    if len(prefixes) > MAX_PREFIXES:
        raise QuerySyntaxError(f"at most {MAX_PREFIXES} prefix searches (word*) per search")
    if any(len(t.text.split()[-1]) < MIN_PREFIX for t in prefixes):
        raise QuerySyntaxError(f"a prefix search (word*) needs at least {MIN_PREFIX} letters")
    return node


def to_fts5(node: Node | None) -> str:
    """FTS5 MATCH syntax for the tree: every term quoted, so only our operators are read."""
    if node is None:
        return '""'
    if isinstance(node, Term):
        return '"' + node.text.replace('"', "") + '"' + ("*" if node.prefix else "")
    inner = f" {node.kind} ".join(to_fts5(p) for p in node.parts)
    return f"({inner})"


def fts5_query(text: str) -> str:
    """Parse ``text`` and render it for FTS5 (raises :class:`QuerySyntaxError`)."""
    return to_fts5(parse(text))


def to_tsquery_text(node: Node | None) -> str:
    """PostgreSQL ``to_tsquery`` text for the tree: quoted lexemes, ``<->`` inside phrases."""
    if node is None:
        return ""
    if isinstance(node, Term):
        return (
            "("
            + " <-> ".join(f"'{w}'" for w in node.text.split())
            + (":*)" if node.prefix else ")")
        )
    if node.kind == "NOT":
        return f"({to_tsquery_text(node.parts[0])} & !{to_tsquery_text(node.parts[1])})"
    op = " & " if node.kind == "AND" else " | "
    return "(" + op.join(to_tsquery_text(p) for p in node.parts) + ")"
