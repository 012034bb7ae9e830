"""Accounts and marketplaces as warehouse tables, so SQL models can join on them.

They are configuration, not exports: rewritten from ``accounts.yaml`` and
``pipelines/marketplaces.yaml`` on every ingest, so an edit there shows up in the next run.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from pipelines.settings import Accounts, marketplaces


def write_reference_tables(conn: duckdb.DuckDBPyConnection, accounts: Accounts) -> None:
    account_rows = pd.DataFrame(
        [
            {
                "account_id": a.id,
                "account_name": a.name,
                "marketplace": a.marketplace.code,
                "currency_code": a.currency,
                "language": a.language,
                "portfolio_id": a.portfolio,
                "lead_time_days": a.lead_time_days,
                "target_acos": a.targets.get("acos"),
                "target_tacos": a.targets.get("tacos"),
                "target_revenue": a.targets.get("revenue"),
            }
            for a in accounts.accounts.values()
        ]
    )
    portfolio_rows = pd.DataFrame(
        [
            {"portfolio_id": p.id, "portfolio_name": p.name, "base_currency": p.base_currency}
            for p in accounts.portfolios.values()
        ],
        columns=["portfolio_id", "portfolio_name", "base_currency"],
    )
    market_rows = pd.DataFrame(
        [
            {
                "marketplace": m.code,
                "currency_code": m.currency,
                "locale": m.locale,
                "timezone": m.timezone,
                **{f"threshold_{k}": v for k, v in m.thresholds.items()},
            }
            for m in marketplaces().values()
        ]
    )
    conn.execute("create schema if not exists raw")
    for table, frame in (
        ("accounts", account_rows),
        ("portfolios", portfolio_rows),
        ("marketplaces", market_rows),
    ):
        conn.register("frame", frame)
        conn.execute(f"create or replace table raw.{table} as select * from frame")
        conn.unregister("frame")
