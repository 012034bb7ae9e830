"""The SQL models under ``sql/``: discovered from files, ordered by the tables they read.

This catalogue is shared: the models stage builds the models (``assets.models.build``), the
checks stage finds the suites beside them, the packs know which reports they print.

One file is one model; its folder is its layer and DuckDB schema (staging, marts, reports).
Dependencies are read from the SQL with sqlglot, never listed by hand. Staging and reports
models are views (reports are thin selects of marts); marts are tables rebuilt one week at a
time (``week_start``), so a weekly run touches only its week. When a model's SQL changes,
its table is rebuilt whole once.

A model that looks back over earlier weeks declares how far, where it reads its sources:
``where in_look_back(week_start, 13)`` keeps the week being built and the 13 weeks before it
(every row in a whole rebuild). DuckDB pushes that filter into the scan, so a one-week build
costs the same after two years of history as after one quarter. A staging view whose week
comes from its rows' days (Sponsored Products, payments) narrows its raw rows with
``in_build_days(period_start, period_end, N)`` instead: during a table's build only the
exports whose period touches the window, for every other reader all of them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import sqlglot
from sqlglot import exp

from assets.core.settings import PROJECT_ROOT

SQL_ROOT = PROJECT_ROOT / "sql"
LAYERS = ("raw", "staging", "marts", "reports")
VIEW_LAYERS = {"staging", "reports"}  # thin selects: nothing to store


class ModelError(ValueError):
    pass


@dataclass(frozen=True)
class Model:
    schema: str
    name: str
    path: Path
    sql: str
    deps: frozenset[tuple[str, str]]

    @property
    def table(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def key(self) -> tuple[str, str]:
        """(schema, name), as other models' ``deps`` name it."""
        return (self.schema, self.name)

    @property
    def description(self) -> str:
        first = self.sql.lstrip().splitlines()[0]
        return first.removeprefix("--").strip()

    @property
    def is_view(self) -> bool:
        return self.schema in VIEW_LAYERS

    @property
    def suite_path(self) -> Path:
        return self.path.with_suffix(".expectations.json")

    @property
    def sql_hash(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def table_references(sql: str) -> frozenset[tuple[str, str]]:
    """Schema-qualified tables a query reads (CTE names are not tables)."""
    tree = sqlglot.parse_one(sql, dialect="duckdb")
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    refs = set()
    for table in tree.find_all(exp.Table):
        if (table.name in ctes and not table.db) or isinstance(table.this, exp.Func):
            continue  # a CTE, or a table function such as range()
        if not table.db:
            raise ModelError(f"table '{table.name}' must be schema-qualified (e.g. marts.x)")
        refs.add((table.db, table.name))
    return frozenset(refs)


@cache
def discover(root: Path = SQL_ROOT) -> tuple[Model, ...]:
    """Every model under ``root``, in an order where each comes after what it reads."""
    models = {}
    for layer in LAYERS[1:]:
        for path in sorted((root / layer).glob("*.sql")):
            sql = path.read_text("utf-8")
            try:
                deps = table_references(sql)
            except (ModelError, sqlglot.errors.ParseError) as exc:
                raise ModelError(f"{path.relative_to(root)}: {exc}") from exc
            model = Model(layer, path.stem, path, sql, deps)
            if model.is_view and "in_look_back(" in sql:
                raise ModelError(f"{path.relative_to(root)}: a view cannot use in_look_back()")
            models[(layer, path.stem)] = model
    ordered, done = [], set()

    def visit(key: tuple[str, str], trail: tuple) -> None:
        if key in done or key[0] == "raw":
            return
        if key in trail:
            raise ModelError(f"dependency cycle: {' -> '.join('.'.join(k) for k in trail)}")
        for dep in sorted(models[key].deps):
            if dep in models:
                visit(dep, (*trail, key))
        done.add(key)
        ordered.append(models[key])

    for key in sorted(models, key=lambda k: (LAYERS.index(k[0]), k[1])):
        visit(key, ())
    return tuple(ordered)
