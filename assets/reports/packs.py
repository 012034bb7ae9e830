"""What goes into each pack: one query per section, each reading one ``reports.rpt_*`` table."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from assets.reports.render import PackJob, pack_path
from pipelines.settings import Account


def _row(conn: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> dict | None:
    cursor = conn.execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def seller_pack_job(
    conn: duckdb.DuckDBPyConnection, account: Account, week: date, reports_dir: Path
) -> PackJob:
    """The seller pack of one account and week; it reads only that account's rows."""
    headline = _row(
        conn,
        "select * from reports.rpt_headline_kpis where account_id = ? and week_start = ?",
        [account.id, week],
    )
    return PackJob(
        template="seller_pack.html",
        locale=account.locale,
        language=account.language,
        context={
            "account": {
                "id": account.id,
                "name": account.name,
                "marketplace": account.marketplace.code,
            },
            "week_start": week,
            "week_end": week + timedelta(days=6),
            "headline": headline,
        },
        output=pack_path(reports_dir, week, account.id, account.language),
    )
