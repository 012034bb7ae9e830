"""Check results as a warehouse table, so packs can print them and analysts can query them."""

from __future__ import annotations

import json
from datetime import datetime

import duckdb

from assets.checks.gx_suites import SuiteOutcome

DDL = """
create schema if not exists checks;
create table if not exists checks.check_results (
    week_start date,
    asset varchar not null,
    check_name varchar not null,
    severity varchar not null,
    passed boolean not null,
    failed_rows bigint not null,
    rows_checked bigint not null,
    threshold varchar,
    sample varchar,
    checked_at timestamp not null
);
"""


def record_results(
    conn: duckdb.DuckDBPyConnection, week: str | None, asset: str, outcome: SuiteOutcome
) -> None:
    """Replace this asset's results for the week: a re-run leaves one row per expectation."""
    conn.execute(DDL)
    now = datetime.now().replace(microsecond=0)
    conn.execute("begin")
    conn.execute(
        "delete from checks.check_results where asset = ? and week_start is not distinct from ?",
        [asset, week],
    )
    for o in outcome.outcomes:
        threshold = {k: v for k, v in o.kwargs.items() if k != "column"}
        conn.execute(
            "insert into checks.check_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                week,
                asset,
                f"{o.type}({o.column or ''})",
                o.severity,
                o.success,
                o.unexpected_count,
                o.element_count,
                json.dumps(threshold, default=str),
                json.dumps(o.sample, default=str),
                now,
            ],
        )
    conn.execute("commit")
