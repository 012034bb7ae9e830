"""What goes into each pack: one query per section, each reading one ``reports.rpt_*`` table."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from assets.models.glossary import entries_for
from assets.reports.render import PackJob, pack_path
from pipelines.settings import Account, Accounts, Portfolio

HEADLINE_METRICS = [
    "revenue",
    "units",
    "sessions",
    "unit_session_pct",
    "asp",
    "buy_box_pct",
    "revenue_wow_pct",
    "traffic_effect",
    "conversion_effect",
    "price_effect",
]


def _row(conn: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> dict | None:
    cursor = conn.execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def _rows(conn: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def seller_pack_job(
    conn: duckdb.DuckDBPyConnection, account: Account, week: date, reports_dir: Path
) -> PackJob:
    """The seller pack of one account and week; it reads only that account's rows."""
    headline = _row(
        conn,
        "select * from reports.rpt_headline_kpis where account_id = ? and week_start = ?",
        [account.id, week],
    )
    baselines = {
        r["metric"]: r
        for r in _rows(
            conn,
            "select metric, baseline_low, baseline_high, flag from reports.rpt_account_kpis "
            "where account_id = ? and week_start = ?",
            [account.id, week],
        )
    }
    bridge = _row(
        conn,
        "select * from reports.rpt_revenue_bridge where account_id = ? and week_start = ?",
        [account.id, week],
    )
    movers = _rows(
        conn,
        "select * from reports.rpt_top_movers where account_id = ? and week_start = ? "
        "and mover_rank <= 5 order by mover_rank",
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
            "baselines": baselines,
            "bridge": bridge,
            "movers": movers,
            "glossary": entries_for(HEADLINE_METRICS, account.language),
        },
        output=pack_path(reports_dir, week, account.id, account.language),
    )


def portfolio_pack_path(reports_dir: Path, week: date, portfolio_id: str) -> Path:
    """reports/<week>/portfolio-<id>.pdf; portfolio ids are checked like account ids."""
    return pack_path(reports_dir, week, f"portfolio-{portfolio_id}", "en").with_name(
        f"portfolio-{portfolio_id}.pdf"
    )


def portfolio_pack_job(
    conn: duckdb.DuckDBPyConnection,
    portfolio: Portfolio,
    accounts: Accounts,
    week: date,
    held: dict[str, list[str]],
    reports_dir: Path,
) -> PackJob:
    """The boss pack: one row per account of the portfolio, exceptions (held) first."""
    members = [a for a in accounts.accounts.values() if a.portfolio == portfolio.id]
    ids = [a.id for a in members]
    rows = {
        r["account_id"]: r
        for r in _rows(
            conn,
            "select * from reports.rpt_headline_kpis where week_start = ? "
            "and list_contains(?, account_id)",
            [week, ids],
        )
    }
    table = [
        {
            "id": a.id,
            "name": a.name,
            "marketplace": a.marketplace.code,
            "kpis": rows.get(a.id),
            "held": held.get(a.id, []),
        }
        for a in members
    ]
    table.sort(key=lambda r: (not r["held"], r["kpis"] is not None, r["name"]))
    return PackJob(
        template="portfolio_pack.html",
        locale="en_GB",
        language="en",
        context={
            "portfolio": {
                "id": portfolio.id,
                "name": portfolio.name,
                "base_currency": portfolio.base_currency,
            },
            "week_start": week,
            "week_end": week + timedelta(days=6),
            "accounts": table,
            "held": [r for r in table if r["held"]],
        },
        output=portfolio_pack_path(reports_dir, week, portfolio.id),
    )
