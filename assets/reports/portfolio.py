"""What goes into each boss pack: the portfolio's accounts and totals for one week."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb

from assets.core.glossary import entries_for
from assets.core.settings import Accounts, Portfolio, portfolio_pack_path
from assets.reports.packs import SELLER_PACK_METRICS, VENDOR_PACK_METRICS, fetch_rows
from assets.reports.render import PackJob

# the metrics the portfolio pack names in its table heads
PORTFOLIO_PACK_METRICS = [*SELLER_PACK_METRICS, "risk_score"]


def portfolio_pack_job(
    conn: duckdb.DuckDBPyConnection,
    portfolio: Portfolio,
    accounts: Accounts,
    week: date,
    held: dict[str, list[str]],
    reports_dir: Path,
) -> PackJob:
    """The boss pack, in the portfolio's language: one row per account of the portfolio,
    exceptions first, and the portfolio's totals in its base currency."""
    members = [a for a in accounts.accounts.values() if a.portfolio == portfolio.id]
    ids = [a.id for a in members]
    rows = {
        r["account_id"]: r
        for r in fetch_rows(
            conn,
            "select * from reports.rpt_portfolio_accounts where week_start = ? "
            "and list_contains(?, account_id)",
            [week, ids],
        )
    }
    totals = fetch_rows(
        conn,
        "select * from reports.rpt_portfolio where portfolio_id = ? and week_start = ?",
        [portfolio.id, week],
    )
    table = [
        {
            "id": a.id,
            "name": a.name,
            "marketplace": a.marketplace.code,
            "kind": a.kind,
            "kpis": rows.get(a.id),
            "held": held.get(a.id, []),
        }
        for a in members
    ]
    # exceptions first: held packs, then accounts without data, then by risk score
    table.sort(
        key=lambda r: (
            not r["held"],
            r["kpis"] is not None,
            -((r["kpis"] or {}).get("risk_score") or 0),
            r["name"],
        )
    )
    # the boss pack is written in the portfolio's language, its accounts' money in their
    # currencies and the totals in the base currency, all formatted for that language
    return PackJob(
        template="portfolio_pack.html",
        mail_template="mail/portfolio.txt",
        locale=portfolio.locale,
        language=portfolio.language,
        context={
            "portfolio": {
                "id": portfolio.id,
                "name": portfolio.name,
                "base_currency": portfolio.base_currency,
            },
            "week_start": week,
            "week_end": week + timedelta(days=6),
            "accounts": table,
            "totals": totals[0] if totals else None,
            "labels": {
                e["metric"]: e["label"]
                for e in entries_for(
                    [*PORTFOLIO_PACK_METRICS, *VENDOR_PACK_METRICS], portfolio.language
                )
            },
            "held": [r for r in table if r["held"]],
        },
        output=portfolio_pack_path(reports_dir, week, portfolio.id),
    )


def portfolio_pack_jobs(
    conn: duckdb.DuckDBPyConnection,
    accounts: Accounts,
    week: date,
    held: dict[str, list[str]],
    reports_dir: Path,
) -> list[PackJob]:
    """The boss pack of every portfolio for one week."""
    return [
        portfolio_pack_job(conn, portfolio, accounts, week, held, reports_dir)
        for portfolio in accounts.portfolios.values()
    ]
