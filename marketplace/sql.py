"""Querysets compiled to SQL once per process and run again with other values.

Building and compiling a queryset costs a few tenths of a millisecond of CPU each time; a small
read that every signed-in page repeats (the viewer's skills, the unread count) is worth
compiling once. Only for querysets whose SQL depends on nothing but the values passed in.
ShapedQueries does the same for querysets of many shapes (a search page's filters, order and
page), once per shape; a search page's building and compiling cost more than its SQL.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import QuerySet

# Stand-ins for the values while compiling: integers no real value takes.
MARKER = -7_340_000_000_000_000_000


class CompiledQuery:
    """`build(*values)` compiled once (per database vendor); `rows(*values)` runs its SQL with
    the given integer values in place of the ones it was compiled with. `wrap` encloses the
    compiled SELECT ("SELECT COUNT(*) FROM ({}) AS counted")."""

    def __init__(self, build: Callable[..., QuerySet[Any]], *, wrap: str = "{}") -> None:
        self.build = build
        self.wrap = wrap
        self.compiled: dict[str, tuple[str, list[Any], list[int | None]]] = {}

    def _compile(self, count: int) -> tuple[str, list[Any], list[int | None]]:
        markers = [MARKER - n for n in range(count)]
        sql, params = self.build(*markers).query.sql_with_params()
        slots = [markers.index(param) if param in markers else None for param in params]
        if sorted(slot for slot in slots if slot is not None) != list(range(count)):
            raise ValueError("Each value must appear exactly once in the compiled query.")
        return self.wrap.format(sql), list(params), slots

    def rows(self, *values: int) -> list[tuple[Any, ...]]:
        found = self.compiled.get(connection.vendor)
        if found is None:
            found = self.compiled[connection.vendor] = self._compile(len(values))
        sql, params, slots = found
        args = [
            int(values[slot]) if slot is not None else param
            for param, slot in zip(params, slots, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            return cursor.fetchall()


# Stand-ins by type for ShapedQueries: values no constant of our queries takes. Integers stay
# within every integer column's range (a positive small integer's too): Django compiles a lookup
# beyond a column's range to "no rows" instead of a parameter.
def _stand_in(value: object, n: int) -> object:
    if isinstance(value, bool) or value is None:
        raise TypeError("Booleans and None decide a query's shape: put them in the shape.")
    if isinstance(value, int):
        return 32_000 + n
    if isinstance(value, str):
        return f"\x1fvalue {n}\x1f"
    if isinstance(value, datetime):
        return datetime(1901, 1, 1, tzinfo=UTC) + timedelta(seconds=n)
    raise TypeError(f"No stand-in for a {type(value).__name__}.")


class ShapedQueries:
    """Querysets of many shapes, each compiled to SQL once per process.

    `rows(shape, values, build)`: `build(values)` returns a values_list queryset whose SQL
    depends only on `shape` and on which values are given (which filters apply, the order, the
    page), and whose values come only from `values`, never deciding its structure. The first
    time a shape is seen, build runs with stand-ins in place of the values, to learn which
    parameter each value fills; later calls only substitute. A value written into the SQL text
    instead of a parameter is refused.
    """

    def __init__(self, *, limit: int = 500) -> None:
        # Bounded: a visitor can ask for many shapes (every page number, every filter mix);
        # past `limit`, the shape compiled longest ago is forgotten.
        self.limit = limit
        self.compiled: dict[tuple[str, Hashable], _Shaped] = {}

    def rows(
        self,
        shape: Hashable,
        values: dict[str, Any],
        build: Callable[[dict[str, Any]], QuerySet[Any]],
    ) -> list[Any]:
        key = (connection.vendor, (shape, tuple(sorted(values))))
        found = self.compiled.get(key)
        if found is None:
            while len(self.compiled) >= self.limit:
                del self.compiled[next(iter(self.compiled))]
            found = self.compiled[key] = _Shaped.compile(values, build)
        return found.run(values)


@dataclass(frozen=True)
class _Shaped:
    sql: str
    params: list[Any]
    slots: list[str | None]  # the value each parameter takes, None: the compiled constant
    row: Any  # a namedtuple class named after the selected columns

    @classmethod
    def compile(
        cls, values: dict[str, Any], build: Callable[[dict[str, Any]], QuerySet[Any]]
    ) -> _Shaped:
        stand_ins = {name: _stand_in(value, n) for n, (name, value) in enumerate(values.items())}
        names = {stand_in: name for name, stand_in in stand_ins.items()}
        queryset = build(stand_ins)
        sql, params = queryset.query.sql_with_params()
        slots = [names.get(param) if _hashable(param) else None for param in params]
        # A value the builder does not use leaves the SQL as it is; one written into the SQL
        # text (a slice, raw SQL) would be the stand-in's for every later call: refused.
        inlined = [name for name, stand_in in stand_ins.items() if _written(stand_in) in sql]
        if inlined:
            raise ValueError(f"The compiled query writes {inlined} into its SQL: shape them.")
        # A value the ORM rewrites on its way to a parameter ("ann@" -> "ann@%") cannot be
        # substituted either.
        constants = [str(param) for param, slot in zip(params, slots, strict=True) if slot is None]
        rewritten = [
            name
            for name, stand_in in stand_ins.items()
            if any(_written(stand_in) in constant for constant in constants)
        ]
        if rewritten:
            raise ValueError(f"The compiled query rewrites {rewritten}: pass them as it needs.")
        query = queryset.query
        fields = getattr(queryset, "_fields", None) or [
            *query.values_select,
            *query.annotation_select,
        ]
        return cls(sql, list(params), slots, namedtuple("Row", fields, rename=True))  # type: ignore[misc]

    def run(self, values: dict[str, Any]) -> list[Any]:
        args = [
            values[slot] if slot is not None else param
            for param, slot in zip(self.params, self.slots, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, args)
            return [self.row._make(row) for row in cursor.fetchall()]


def _written(stand_in: object) -> str:
    """How a stand-in would read if it were written into the SQL text."""
    if isinstance(stand_in, datetime):
        return f"{stand_in:%Y-%m-%d}"
    return str(stand_in).strip("\x1f")


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
