"""Check results as warehouse tables, so packs can print them and analysts can query them.

``checks.check_results`` has one row per check (or GX expectation) and week;
``checks.failures`` the failing rows (a sample per check); ``checks.holds`` the accounts
whose packs a critical failure holds, with the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

import duckdb

SAMPLE_SIZE = 20
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


@dataclass
class CheckOutcome:
    """One check's verdict for one week, ready for the tables and the Dagster UI."""

    name: str
    asset: str
    severity: str
    threshold: str
    rows_checked: int | None = None
    failures: list[dict] = field(default_factory=list)  # account_id, detail, severity?

    def failing(self, severity: str) -> list[dict]:
        return [f for f in self.failures if f.get("severity", self.severity) == severity]

    @property
    def held_accounts(self) -> set[str]:
        return {f["account_id"] for f in self.failing("critical") if f.get("account_id")}

    @property
    def global_critical(self) -> bool:
        return any(not f.get("account_id") for f in self.failing("critical"))


def record(conn: duckdb.DuckDBPyConnection, week: str | None, outcome: CheckOutcome) -> None:
    """Replace this check's rows for the week: a re-run leaves exactly one verdict."""
    conn.execute(DDL)
    now = datetime.now().replace(microsecond=0)
    conn.execute("begin")
    for table in ("check_results", "failures", "holds"):
        conn.execute(
            f"delete from checks.{table} where check_name = ? "
            "and week_start is not distinct from ?",
            [outcome.name, week],
        )
    severity = "critical" if outcome.failing("critical") else outcome.severity
    conn.execute(
        "insert into checks.check_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            week,
            outcome.asset,
            outcome.name,
            severity,
            not outcome.failures,
            len(outcome.failures),
            outcome.rows_checked,
            outcome.threshold,
            json.dumps(outcome.failures[:5], default=str),
            now,
        ],
    )
    for failure in outcome.failures[:SAMPLE_SIZE]:
        conn.execute(
            "insert into checks.failures values (?, ?, ?, ?, ?)",
            [
                week,
                outcome.name,
                failure.get("severity", outcome.severity),
                failure.get("account_id"),
                str(failure.get("detail")),
            ],
        )
    for account in sorted(outcome.held_accounts):
        reasons = [
            str(f.get("detail"))
            for f in outcome.failing("critical")
            if f.get("account_id") == account
        ]
        conn.execute(
            "insert into checks.holds values (?, ?, ?, ?)",
            [
                week,
                account,
                outcome.name,
                f"{outcome.name}: {reasons[0]}"
                + (f" (+{len(reasons) - 1} more)" if len(reasons) > 1 else ""),
            ],
        )
    conn.execute("commit")


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
