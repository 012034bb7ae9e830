"""One check's verdict for one week, recorded in the ``checks.*`` tables
(``assets.core.check_results``) so packs can print them and analysts can query them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from assets.core.check_results import DDL

SAMPLE_SIZE = 20


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
