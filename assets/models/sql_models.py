"""The SQL models under ``sql/``: discovered from files, ordered by the tables they read.

One file is one model; its folder is its layer and DuckDB schema (staging, marts, reports).
Dependencies are read from the SQL with sqlglot, never listed by hand. Staging models are
views; marts and reports are tables rebuilt one week at a time (``week_start``), so a weekly
run touches only its week. When a model's SQL changes, its table is rebuilt whole once.

A model that looks back over earlier weeks declares how far, where it reads its sources:
``where in_look_back(week_start, 13)`` keeps the week being built and the 13 weeks before it
(every row in a whole rebuild). DuckDB pushes that filter into the scan, so a one-week build
costs the same after two years of history as after one quarter.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

from pipelines.settings import PROJECT_ROOT

SQL_ROOT = PROJECT_ROOT / "sql"
LAYERS = ("raw", "staging", "marts", "reports")
VIEW_LAYERS = {"staging"}


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
        if table.name in ctes and not table.db:
            continue
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


# true for rows of the week being built and the ``weeks`` before it; always true in a whole
# rebuild (the variable is NULL then). It is kept in the warehouse, so a model pasted into the
# duckdb shell runs whole. Views may not use it: their readers never set the variable.
LOOK_BACK_MACRO = """
create or replace macro in_look_back(week_start, weeks) as
    getvariable('sellerpulse_build_week') is null
    or week_start between getvariable('sellerpulse_build_week')::date - (7 * weeks)::integer
        and getvariable('sellerpulse_build_week')::date
"""

META_DDL = """
create schema if not exists meta;
create table if not exists meta.models (
    model varchar primary key, sql_hash varchar not null, built_at timestamp not null
);
"""


def build(conn: duckdb.DuckDBPyConnection, model: Model, week: date | None) -> int:
    """Materialise ``model`` for one week (or whole when ``week`` is None); returns its rows."""
    conn.execute(META_DDL)
    conn.execute(f"create schema if not exists {model.schema}")
    if model.is_view:
        conn.execute(f"create or replace view {model.table} as {model.sql}")
        where = "where week_start = ?" if week else ""
        return conn.execute(
            f"select count(*) from {model.table} {where}", [week] if week else []
        ).fetchone()[0]
    stored = conn.execute(
        "select sql_hash from meta.models where model = ?", [model.table]
    ).fetchone()
    exists = conn.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
        [model.schema, model.name],
    ).fetchone()[0]
    whole = week is None or not exists or not stored or stored[0] != model.sql_hash
    conn.execute(LOOK_BACK_MACRO)
    conn.execute("set variable sellerpulse_build_week = ?", [None if whole else week])
    conn.execute("begin")
    if whole:
        conn.execute(f"create or replace table {model.table} as {model.sql}")
        conn.execute(
            "insert or replace into meta.models values (?, ?, current_timestamp)",
            [model.table, model.sql_hash],
        )
    else:
        conn.execute(f"delete from {model.table} where week_start = ?", [week])
        conn.execute(
            f"insert into {model.table} by name "
            f"select * from ({model.sql}) as model where week_start = ?",
            [week],
        )
    conn.execute("commit")
    where = "where week_start = ?" if week else ""
    return conn.execute(
        f"select count(*) from {model.table} {where}", [week] if week else []
    ).fetchone()[0]
