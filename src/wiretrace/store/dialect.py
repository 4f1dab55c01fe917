"""A PostgreSQL connection that speaks the subset of sqlite3's API and SQL the queries use.

The store, the story tables and the web queries are written once, in portable SQL with ``?``
placeholders and sqlite3's calls (``execute``, ``executemany``, ``with conn:``). This wrapper
runs them on PostgreSQL: placeholders become ``%s``, SQLite's ``INSERT OR IGNORE`` /
``INSERT OR REPLACE`` become ``ON CONFLICT`` upserts (the key read from the catalog),
``json_extract``/``instr`` their PostgreSQL equivalents, and NULLs sort as SQLite sorts them
(first ascending, last descending). Each distinct statement is translated once.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from types import TracebackType
from typing import Any

import psycopg

from .textquery import parse, to_tsquery_text

TS_CONFIG = "wt_simple"  # simple + unaccent: every language, accents and case folded
_HAS_TABLE = re.compile(r"FROM\s+sqlite_master\s+WHERE\s+name\s*=\s*\?", re.I)
_JSON = re.compile(r"json_extract\(([\w.]+),\s*'\$\.([\w.]+)'\)", re.I)
_OR = re.compile(r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+(\w+)", re.I)
_ORDER = re.compile(r"\bORDER\s+BY\b", re.I)
_END = re.compile(r"\b(LIMIT|OFFSET)\b", re.I)
_FAILED = psycopg.pq.TransactionStatus.INERROR


def _split_literals(sql: str) -> list[tuple[bool, str]]:
    """(is_literal, text) pieces, so rewrites never touch quoted strings."""
    out: list[tuple[bool, str]] = []
    for i, part in enumerate(re.split(r"('(?:[^']|'')*')", sql)):
        out.append((i % 2 == 1, part))
    return out


def _order_nulls(sql: str) -> str:
    """SQLite's NULL order in every ORDER BY list: NULLs first ascending, last descending."""
    out, pos = [], 0
    for m in _ORDER.finditer(sql):
        if m.start() < pos:
            continue
        out.append(sql[pos : m.end()])
        depth, i, start, items = 0, m.end(), m.end(), []
        while i < len(sql):
            ch = sql[i]
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and ch == ",":
                items.append(sql[start:i])
                start = i + 1
            elif depth == 0 and _END.match(sql, i) and sql[i - 1].isspace():
                break
            i += 1
        items.append(sql[start:i])
        fixed = []
        for item in items:
            text = item.strip()
            if not text or "NULLS" in text.upper():
                fixed.append(item)
            elif re.search(r"\bDESC$", text, re.I):
                fixed.append(f" {text} NULLS LAST")
            else:
                fixed.append(f" {text} NULLS FIRST")
        out.append(",".join(fixed) + " ")
        pos = i
    out.append(sql[pos:])
    return "".join(out)


@lru_cache(maxsize=2048)
def match_params(sql: str) -> tuple[int, ...]:
    """Positions of the parameters that are FTS5 MATCH queries (converted to tsquery text)."""
    out, seen = [], 0
    for literal, text in _split_literals(sql):
        if literal:
            continue
        for m in re.finditer(r"\bMATCH\s+\?|\?", text, re.I):
            if m.group(0) != "?":
                out.append(seen)
            seen += 1
    return tuple(out)


@lru_cache(maxsize=2048)
def translate(sql: str, conflict_keys: tuple[str, ...] = ()) -> str:
    """PostgreSQL text of a statement written for SQLite (see the module docstring)."""
    if _HAS_TABLE.search(sql):
        # The catalog, not information_schema (whose views cost milliseconds a lookup).
        return "SELECT 1 WHERE to_regclass(quote_ident(%s)) IS NOT NULL"
    pieces = []
    for literal, text in _split_literals(sql):
        if not literal:
            # FTS5's "table MATCH ?" becomes the tsvector column against a tsquery.
            text = re.sub(r"\b(\w+)\s+MATCH\s+\?", rf"\1.tsv @@ to_tsquery('{TS_CONFIG}', ?)",
                          text, flags=re.I)  # fmt: skip
            text = text.replace("%", "%%").replace("?", "%s")
            text = re.sub(r"\binstr\(", "strpos(", text, flags=re.I)
            text = re.sub(r"\bBEGIN\s+IMMEDIATE\b", "BEGIN", text, flags=re.I)
        else:
            text = text.replace("%", "%%")  # psycopg reads % everywhere once there are params
        pieces.append(text)
    out = "".join(pieces)
    out = re.sub(r"\bjson_group_array\(([^()]*)\)", r"(json_agg(\1))::text", out, flags=re.I)
    out = re.sub(r"\bgroup_concat\(DISTINCT\s+([^(),]*)\)", r"string_agg(DISTINCT (\1)::text, ',')",
                 out, flags=re.I)  # fmt: skip
    out = re.sub(r"\b(\w+)\.rowid\b", r"\1.ctid", out)  # insertion order, roughly
    out = re.sub(r"\bgroup_concat\(([^(),]*),\s*('[^']*')\)", r"string_agg((\1)::text, \2)", out,
                 flags=re.I)  # fmt: skip
    out = re.sub(r"\bgroup_concat\(([^(),]*)\)", r"string_agg((\1)::text, ',')", out, flags=re.I)
    out = _JSON.sub(
        lambda m: f"(({m.group(1)})::jsonb #>> '{{{m.group(2).replace('.', ',')}}}')", out
    )
    out = _order_nulls(out)
    table = re.match(r"\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+(\w+)", out, re.I)
    if table:
        # "SET n = n + 1" is ambiguous in PostgreSQL (the row or EXCLUDED): the stored row's.
        out = re.sub(r"(DO\s+UPDATE\s+SET\s+)(\w+)(\s*=\s*)\2\b", rf"\1\2\3{table.group(1)}.\2",
                     out, flags=re.I)  # fmt: skip
    m = _OR.match(out)
    if m:
        out = "INSERT INTO " + m.group(2) + out[m.end() :]
        if m.group(1).upper() == "IGNORE" or not conflict_keys:
            out += " ON CONFLICT DO NOTHING"
        else:
            keys, cols = conflict_keys[0].split(","), conflict_keys[1].split(",")
            sets = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in cols if c not in keys)
            target = ", ".join(f'"{k}"' for k in keys)
            out += f" ON CONFLICT ({target}) " + (f"DO UPDATE SET {sets}" if sets else "DO NOTHING")
    return out


def pg_ddl(sql: str) -> str:
    """A SQLite migration's DDL for PostgreSQL (the FTS5 table is :data:`FULLTEXT`'s job)."""
    sql = re.sub(r"CREATE VIRTUAL TABLE.*?;", "", sql, flags=re.S | re.I)
    sql = re.sub(r"\bINTEGER PRIMARY KEY\b", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                 sql)  # fmt: skip
    sql = re.sub(r"\bBLOB\b", "BYTEA", sql)
    sql = re.sub(r"\bREAL\b", "DOUBLE PRECISION", sql)
    # Byte-order comparison, as SQLite's BINARY collation: listings sort the same on both.
    return re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', sql)


class PGCursor:
    """The sqlite3 cursor calls the queries make, over a psycopg cursor."""

    def __init__(self, cur: psycopg.Cursor[Any]) -> None:
        self._cur = cur

    @property
    def description(self) -> Sequence[Any] | None:
        d = self._cur.description
        return None if d is None else [(c.name,) for c in d]

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    def fetchone(self) -> Any:
        return self._cur.fetchone() if self._cur.description is not None else None

    def fetchall(self) -> list[Any]:
        return self._cur.fetchall() if self._cur.description is not None else []

    def fetchmany(self, size: int = 100) -> list[Any]:
        return self._cur.fetchmany(size) if self._cur.description is not None else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cur) if self._cur.description is not None else iter(())


class Rows:
    """Rows known without asking the server, answered as a cursor would."""

    description = None
    rowcount = 0

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows

    def fetchone(self) -> Any:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[Any]:
        return list(self._rows)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)


class PGConnection:
    """A psycopg connection used through sqlite3's calls; transactions as sqlite3 opens them.

    Autocommit unless a ``BEGIN`` statement or a ``with conn:`` block opened a transaction;
    ``after_begin`` callbacks run right after the next ``BEGIN`` (the store takes its
    advisory locks there).
    """

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.raw = conn
        self.after_begin: list[Callable[[PGConnection], None]] = []
        self._keys: dict[str, tuple[str, str]] = {}
        self._depth = 0
        self._lock = threading.RLock()

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def _conflict(self, sql: str) -> tuple[str, ...]:
        m = _OR.match(sql)
        if m is None or m.group(1).upper() != "REPLACE":
            return ()
        table = m.group(2).lower()
        if table not in self._keys:
            pk = self.raw.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary "
                "ORDER BY array_position(i.indkey, a.attnum)",
                (table,),
            ).fetchall()
            cols = self.raw.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                "current_schema() AND table_name = %s ORDER BY ordinal_position",
                (table,),
            ).fetchall()
            self._keys[table] = (",".join(r[0] for r in pk), ",".join(r[0] for r in cols))
        return self._keys[table]

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> PGCursor | Rows:
        head = sql.lstrip()[:8].upper()
        if head.startswith("PRAGMA"):
            cur = self.raw.cursor()
            if "database_list" in sql:  # a name for this database (caches key on it)
                name = getattr(self.raw, "_wt_name", None)  # asked once a connection
                if name is None:
                    row = self.raw.execute(
                        "SELECT current_database() || '.' || current_schema()"
                    ).fetchone()
                    name = str(row[0]) if row else "?"
                    self.raw._wt_name = name  # type: ignore[attr-defined]
                return Rows([(0, "main", name)])
            return PGCursor(cur)
        tables: set[str] | None = None
        if _HAS_TABLE.search(sql):  # tables are not dropped under a server: a found one is kept
            tables = self.raw.__dict__.setdefault("_wt_tables", set())
            if next(iter(params), None) in tables:
                return Rows([(1,)])
        with self._lock:
            if head.startswith("BEGIN"):
                if not self.in_transaction:
                    self.raw.execute("BEGIN")
                    for hook in self.after_begin:
                        hook(self)
                    self.after_begin.clear()
                return PGCursor(self.raw.cursor())
            cur = self.raw.cursor()
            args = list(params)
            for i in match_params(sql):
                args[i] = to_tsquery_text(parse(args[i], limits=False))
            cur.execute(translate(sql, self._conflict(sql)), args)
            if tables is not None:
                found = cur.fetchall()
                if found:
                    tables.add(args[0])
                return Rows(found)
            return PGCursor(cur)

    @contextmanager
    def settings(self, **values: str) -> Iterator[None]:
        """The block's statements run with these settings (``enable_seqscan="off"``), for the
        block only: set locally in the open transaction, or in one begun for the block (with
        the settings, one round trip) and ended with it; in the caller's transaction the values
        before come back at the end."""
        names = list(values)
        if not all(re.fullmatch(r"[a-z_][a-z0-9_.]*", n) for n in names):
            raise ValueError(f"not a setting name: {names}")
        with self._lock:
            if not self.in_transaction:
                sets = "".join(f"; SET LOCAL {n} = '{values[n].replace(chr(39), chr(39) * 2)}'"
                               for n in names)  # fmt: skip
                self.raw.execute(f"BEGIN{sets}")
                for hook in self.after_begin:
                    hook(self)
                self.after_begin.clear()
                self._depth, ok = 1, False
                try:
                    yield
                    ok = True
                finally:
                    self._depth = 0
                    self.commit() if ok else self.rollback()
                return
            cols = ", ".join("current_setting(%s), set_config(%s, %s, true)" for _ in names)
            row = self.raw.execute(
                f"SELECT {cols}", [a for n in names for a in (n, n, values[n])]
            ).fetchone()
            try:
                yield
            finally:
                failed = self.raw.info.transaction_status == _FAILED
                if not failed and row is not None:  # (a failed transaction is undone)
                    restore = ", ".join("set_config(%s, %s, true)" for _ in names)
                    self.raw.execute(f"SELECT {restore}",
                                     [a for i, n in enumerate(names) for a in (n, row[2 * i])])  # fmt: skip

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> PGCursor:
        with self._lock:
            cur = self.raw.cursor()
            cur.executemany(translate(sql, self._conflict(sql)), [list(r) for r in rows])
            return PGCursor(cur)

    def executescript(self, script: str) -> PGCursor:
        """Several statements of SQLite DDL, translated, in one round trip."""
        with self._lock:
            cur = self.raw.cursor()
            cur.execute(pg_ddl(script).encode())
            return PGCursor(cur)

    def commit(self) -> None:
        self.raw.execute("COMMIT") if self.in_transaction else None

    def rollback(self) -> None:
        self.raw.execute("ROLLBACK") if self.in_transaction else None

    def create_function(self, *args: Any, **kwargs: Any) -> None:
        """SQL helpers (wt_fold) are created by the migrations on PostgreSQL."""

    def set_progress_handler(self, *args: Any, **kwargs: Any) -> None:
        """PostgreSQL bounds query time with ``statement_timeout`` instead."""

    def __enter__(self) -> PGConnection:
        if self._depth == 0 and not self.in_transaction:
            self.execute("BEGIN")
            self._depth = 1
        else:
            self._depth += 1 if self._depth else 0
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:  # fmt: skip
        if self._depth == 1:
            self._depth = 0
            self.rollback() if kind is not None else self.commit()
        elif self._depth > 1:
            self._depth -= 1

    def close(self) -> None:
        self.raw.close()
