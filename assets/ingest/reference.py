"""Accounts, marketplaces, metrics, FX rates and unit costs as tables for the SQL models.

They are configuration, not exports: rewritten from ``accounts.yaml``, the registries
(``assets/core/registry/``), the glossary, the export catalogue, and the optional
``fx_rates.csv`` (ECB reference-rate CSV: ``Date,USD,JPY,…`` per 1 EUR) and
``unit_costs.csv`` (``account,sku,cost,currency``) in the working directory, on every run,
so an edit there shows up in the next run.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from assets.core.glossary import glossary
from assets.core.registry import REGISTRY, marketplaces, payment_types, settlement_amounts
from assets.core.settings import ACTION_SETTINGS, Accounts, ConfigError
from assets.ingest.readers import catalog

STOP_WORDS = REGISTRY / "stop_words.csv"
# every table written here, with what it holds (the assets' descriptions in the UI)
TABLES = {
    "accounts": "The accounts of accounts.yaml: marketplace, currency, language, portfolio, "
    "lead time and targets.",
    "portfolios": "The portfolios of accounts.yaml with their base currency.",
    "marketplaces": "The marketplace registry: currency, locale, timezone and one "
    "threshold_<name> column per threshold.",
    "metrics": "The glossary's metrics with their unit and direction (higher or lower is better).",
    "stop_words": "Words left out of the review word counts, per language.",
    "report_kinds": "The export families SellerPulse reads, with the names Seller Central "
    "gives them.",
    "fx_rates": "ECB reference rates from fx_rates.csv, one row per day × currency.",
    "unit_costs": "Unit costs per account × SKU from unit_costs.csv, each valid from a date "
    "(NULL: from the start).",
    "payment_types": "The type values of the payment exports per language with their canonical "
    "type (order, refund, service_fee, …; matched_column 'type'), and the Service Fee "
    "descriptions that mean advertising (matched_column 'description').",
    "settlement_amounts": "Settlement V2 (amount-type, amount-description) pairs with their "
    "margin category; '*' matches any value.",
}

FX_DDL = """
create or replace table raw.fx_rates (
    rate_date date not null, currency_code varchar not null, units_per_eur double not null
)"""
COSTS_DDL = """
create or replace table raw.unit_costs (
    account_id varchar not null, sku varchar not null, unit_cost_amount decimal(18, 4) not null,
    currency_code varchar not null, valid_from date
)"""


def write_fx_rates(conn: duckdb.DuckDBPyConnection, path: Path) -> int:
    """ECB reference rates, long: one row per day × currency (EUR itself is 1)."""
    conn.execute(FX_DDL)
    if not path.is_file():
        return 0
    try:
        conn.execute(
            "create or replace temp table fx_source as select * from read_csv(?, header=true, "
            "all_varchar=true, auto_detect=true)",
            [str(path)],
        )
        columns = [r[0] for r in conn.execute("describe fx_source").fetchall()]
        if not columns or columns[0].strip().lower() != "date":
            raise ConfigError(f"{path}: expected the ECB layout 'Date,USD,JPY,…' (rates per EUR)")
        currencies = [c for c in columns[1:] if len(c.strip()) == 3]
        unpivot = " union all ".join(
            f"select try_cast(\"{columns[0]}\" as date), '{c.strip()}', "
            f"try_cast(nullif(trim(\"{c}\"), 'N/A') as double) from fx_source"
            for c in currencies
        )
        conn.execute(
            f"insert into raw.fx_rates select * from ({unpivot}) as r(d, c, v) "
            "where d is not null and v is not null"
        )
    except duckdb.Error as exc:
        raise ConfigError(f"{path}: not readable as an ECB rates CSV ({exc})") from exc
    return conn.execute("select count(*) from raw.fx_rates").fetchone()[0]


def write_unit_costs(conn: duckdb.DuckDBPyConnection, path: Path, accounts: Accounts) -> int:
    conn.execute(COSTS_DDL)
    if not path.is_file():
        return 0
    try:
        header = conn.execute(
            "select * from read_csv(?, header=true, all_varchar=true) limit 0", [str(path)]
        ).description
        # valid_from is optional: a cost applies from that date on (empty: always)
        valid_from = "valid_from" if "valid_from" in {c[0] for c in header} else "null"
        conn.execute(
            f"insert into raw.unit_costs select account, sku, cost::decimal(18, 4), "
            f"upper(currency), nullif(trim({valid_from}), '')::date "
            "from read_csv(?, header=true, all_varchar=true)",
            [str(path)],
        )
    except duckdb.Error as exc:
        raise ConfigError(
            f"{path}: expected columns account,sku,cost,currency and optionally valid_from "
            f"(YYYY-MM-DD) ({str(exc).splitlines()[0]})"
        ) from exc
    twice = conn.execute(
        "select account_id, sku, valid_from from raw.unit_costs group by all having count(*) > 1"
    ).fetchall()
    if twice:
        account, sku, day = twice[0]
        raise ConfigError(
            f"{path}: {account} {sku} has two costs valid from {day or 'the start'}; keep one"
        )
    unknown = conn.execute(
        "select distinct account_id from raw.unit_costs where account_id not in "
        f"({', '.join(repr(a) for a in accounts.accounts)})"
    ).fetchall()
    if unknown:
        raise ConfigError(f"{path}: unknown accounts {', '.join(u[0] for u in unknown)}")
    return conn.execute("select count(*) from raw.unit_costs").fetchone()[0]


def write_reference_tables(
    conn: duckdb.DuckDBPyConnection, accounts: Accounts, home: Path | None = None
) -> dict[str, int]:
    """Rewrite every reference table (``TABLES``); returns the rows of each."""
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
                "account_kind": a.kind,
                "distributor_view": a.distributor_view,
                "target_acos": a.targets.get("acos"),
                "target_tacos": a.targets.get("tacos"),
                "target_revenue": a.targets.get("revenue"),
                # the action list's limits when the account sets its own (else NULL)
                **{f"action_{k}": a.actions.get(k) for k in ACTION_SETTINGS},
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
    # the glossary's metric names, units and directions, for the public long table
    metric_rows = pd.DataFrame(
        [
            {"metric": name, "unit": entry["unit"], "direction": entry["direction"]}
            for name, entry in glossary().items()
        ]
    )
    # the export families and the names Seller Central gives them, for the data-health pages
    kind_rows = pd.DataFrame(
        [{"kind": k.name, "label": k.label, "raw_table": k.table} for k in catalog().kinds.values()]
    )
    # payment exports: what each type value and settlement amount is (assets/core/registry/)
    type_rows = pd.DataFrame(
        payment_types(), columns=["language", "type_value", "canonical_type", "matched_column"]
    )
    amount_rows = pd.DataFrame(
        settlement_amounts(), columns=["amount_type", "amount_description", "category"]
    )
    conn.execute("create schema if not exists raw")
    for table, frame in (
        ("accounts", account_rows),
        ("portfolios", portfolio_rows),
        ("marketplaces", market_rows),
        ("metrics", metric_rows),
        ("report_kinds", kind_rows),
        ("payment_types", type_rows),
        ("settlement_amounts", amount_rows),
    ):
        conn.register("frame", frame)
        conn.execute(f"create or replace table raw.{table} as select * from frame")
        conn.unregister("frame")
    # words left out of the review word counts, per language (shipped with the models)
    conn.execute(
        "create or replace table raw.stop_words as select language, lower(word) as word from "
        "read_csv(?, header=true, columns={'language': 'VARCHAR', 'word': 'VARCHAR'})",
        [str(STOP_WORDS)],
    )
    if home is not None:
        write_fx_rates(conn, home / "fx_rates.csv")
        write_unit_costs(conn, home / "unit_costs.csv", accounts)
    else:
        conn.execute(FX_DDL)
        conn.execute(COSTS_DDL)
    return {
        table: conn.execute(f"select count(*) from raw.{table}").fetchone()[0] for table in TABLES
    }
