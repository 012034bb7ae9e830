"""What goes into each boss pack: the portfolio's accounts and totals for one week, what moved
the portfolio, its 13-week trend, and the accounts that need attention first, each with why."""

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
# the accounts the boss pack names as having moved the portfolio
MOVERS_SHOWN = 10
TREND_WEEKS = 13


def held_reasons(reasons: list[str]) -> list[dict]:
    """checks.holds reasons read "<check name>: <its message>"; the pack says the check's
    plain sentence (``held_reason_<check name>``) and falls back to the message."""
    held = []
    for reason in reasons:
        check, colon, message = reason.partition(": ")
        held.append(
            {"check": check, "message": message} if colon else {"check": "", "message": reason}
        )
    return held


def attention_order(row: dict) -> tuple:
    """Accounts needing attention first, by what is at stake: a held pack, an account-health
    breach (suspension), no data at all, any other reason; then by risk score and name."""
    kinds = {r["kind"] for r in row["reasons"]}
    return (
        not row["needs_attention"],
        not row["held"],
        "health_breach" not in kinds,
        row["kpis"] is not None,
        -((row["kpis"] or {}).get("risk_score") or 0),
        row["name"],
    )


def portfolio_trend(conn: duckdb.DuckDBPyConnection, portfolio_id: str, week: date) -> dict:
    """The portfolio's last 13 weeks (oldest first), None for a week without totals."""
    weeks = [week - timedelta(weeks=n) for n in range(TREND_WEEKS - 1, -1, -1)]
    rows = {
        r["week_start"]: r
        for r in fetch_rows(
            conn,
            "select week_start, revenue_base_amount, contribution_margin_base_amount, acos, "
            "tacos from reports.rpt_portfolio where portfolio_id = ? and week_start between ? "
            "and ?",
            [portfolio_id, weeks[0], week],
        )
    }
    series = {
        column: [(rows.get(w) or {}).get(column) for w in weeks]
        for column in ("revenue_base_amount", "contribution_margin_base_amount", "acos", "tacos")
    }
    return {"weeks": weeks, **series}


def portfolio_pack_job(
    conn: duckdb.DuckDBPyConnection,
    portfolio: Portfolio,
    accounts: Accounts,
    week: date,
    held: dict[str, list[str]],
    reports_dir: Path,
) -> PackJob:
    """The boss pack, in the portfolio's language: what moved the portfolio, its trend, one row
    per account (attention first, with why), every amount in the base currency."""
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
    reasons: dict[str, list[dict]] = {}
    for r in fetch_rows(
        conn,
        "select * from reports.rpt_portfolio_attention where week_start = ? "
        "and list_contains(?, account_id) order by account_id, reason_rank",
        [week, ids],
    ):
        reasons.setdefault(r["account_id"], []).append(r)
    totals = fetch_rows(
        conn,
        "select * from reports.rpt_portfolio where portfolio_id = ? and week_start = ?",
        [portfolio.id, week],
    )
    drivers = fetch_rows(
        conn,
        "select * from reports.rpt_portfolio_drivers where portfolio_id = ? and week_start = ?",
        [portfolio.id, week],
    )
    table = []
    for a in members:
        row = {
            "id": a.id,
            "name": a.name,
            "marketplace": a.marketplace.code,
            "kind": a.kind,
            "kpis": rows.get(a.id),
            "held": held_reasons(held.get(a.id, [])),
            "reasons": reasons.get(a.id, []),
        }
        row["needs_attention"] = bool(row["held"] or row["reasons"] or not row["kpis"])
        table.append(row)
    table.sort(key=attention_order)
    # which accounts moved the portfolio: the biggest changes in the base currency (a portfolio
    # of hundreds of accounts names the few that matter; the accounts table has them all)
    movers = sorted(
        (r for r in table if r["kpis"] and r["kpis"]["revenue_change_base_amount"] is not None),
        key=lambda r: (-abs(r["kpis"]["revenue_change_base_amount"]), r["name"]),
    )[:MOVERS_SHOWN]
    # the boss pack is written in the portfolio's language, every amount in its base
    # currency (an account's own currency in small print), formatted for that language
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
            "attention": [r for r in table if r["needs_attention"]],
            "movers": movers,
            "totals": totals[0] if totals else None,
            "drivers": drivers[0] if drivers else None,
            "trend": portfolio_trend(conn, portfolio.id, week),
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
    portfolio_ids: list[str] | None = None,
) -> list[PackJob]:
    """The boss pack of every portfolio (or of ``portfolio_ids``) for one week."""
    return [
        portfolio_pack_job(conn, portfolio, accounts, week, held, reports_dir)
        for portfolio in accounts.portfolios.values()
        if portfolio_ids is None or portfolio.id in portfolio_ids
    ]
