"""The checks' verdicts as warehouse tables (``checks.*``), written by the checks stage and
read by the packs and delivery: ``checks.check_results`` has one row per check (or GX
expectation) and week; ``checks.failures`` the failing rows (a sample per check);
``checks.holds`` the accounts whose packs a critical failure holds, with the reason.
"""

from __future__ import annotations

import duckdb

DDL = """
create schema if not exists checks;
create table if not exists checks.check_results (
    week_start date,
    asset varchar not null,
    check_name varchar not null,
    severity varchar not null,
    passed boolean not null,
    failed_rows bigint not null,
    rows_checked bigint,
    threshold varchar,
    sample varchar,
    checked_at timestamp not null
);
create table if not exists checks.failures (
    week_start date,
    check_name varchar not null,
    severity varchar not null,
    account_id varchar,
    detail varchar
);
create table if not exists checks.holds (
    week_start date not null,
    account_id varchar not null,
    check_name varchar not null,
    reason varchar not null
);
"""


def holds(conn: duckdb.DuckDBPyConnection, week: str) -> dict[str, list[str]]:
    """Accounts held this week and why (empty when no check ran yet)."""
    conn.execute(DDL)
    rows = conn.execute(
        "select account_id, reason from checks.holds where week_start = ? order by all", [week]
    ).fetchall()
    held: dict[str, list[str]] = {}
    for account, reason in rows:
        held.setdefault(account, []).append(reason)
    return held
