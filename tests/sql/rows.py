"""Small hand-made raw rows for the SQL unit tests, and building just the models a test reads."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb

from assets.core.catalog import discover
from assets.models.build import build


def insert(conn: duckdb.DuckDBPyConnection, table: str, rows: list[dict], **common) -> None:
    """Insert ``rows`` into ``raw.<table>``, filling the bookkeeping columns an ingest writes.

    ``period_start`` defaults to the Monday of ``week_start`` (or of ``report_date``) unless
    given, the file to ``f.csv`` with one line per row, the load time to a fixed morning.
    """
    for line, row in enumerate(rows, start=2):
        values = {**common, **row}
        week = values.pop("week_start", None) or monday(values.get("report_date"))
        values = {
            "account_id": "oak-uk",
            "period_start": week,
            "period_end": week + timedelta(days=6) if week else None,
            "locale": "en-GB",
            "source_file": "f.csv",
            "source_line": line,
            "file_hash": "h",
            "loaded_at": "2026-11-23 08:00",
            **values,
        }
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        conn.execute(f"insert into raw.{table} ({columns}) values ({marks})", list(values.values()))


def monday(day: date | None) -> date | None:
    return day - timedelta(days=day.weekday()) if day else None


def build_models(conn: duckdb.DuckDBPyConnection, *tables: str, week: date | None = None) -> None:
    """Build ``tables`` and everything they read, in dependency order."""
    models = discover()
    by_table = {m.table: m for m in models}
    needed: set[str] = set()

    def visit(table: str) -> None:
        if table in needed or table not in by_table:
            return
        needed.add(table)
        for dep in by_table[table].deps:
            visit(".".join(dep))

    for table in tables:
        visit(table)
    for model in models:
        if model.table in needed:
            build(conn, model, week)


def fetch(conn: duckdb.DuckDBPyConnection, sql: str, *params) -> list[dict]:
    cursor = conn.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# ECB rates per EUR of the two test weeks: W1 ends Sunday 15 November (the rate of Friday the
# 13th), W2 Sunday the 22nd (the 20th)
ECB_RATES = {
    date(2026, 11, 13): {"GBP": 0.90, "JPY": 150, "USD": 1.10},
    date(2026, 11, 20): {"GBP": 0.875, "JPY": 160, "USD": 1.05},
}


def insert_ecb_rates(conn: duckdb.DuckDBPyConnection) -> None:
    conn.executemany(
        "insert into raw.fx_rates values (?, ?, ?)",
        [(day, ccy, rate) for day, rates in ECB_RATES.items() for ccy, rate in rates.items()],
    )


def insert_eu_portfolio_weeks(conn: duckdb.DuckDBPyConnection) -> None:
    """Two accounts of portfolio eu (base EUR) in two currencies, one ASIN each, over the weeks
    of 9 and 16 Nov 2026, with the ECB rates of both weeks, and oak-uk's campaign of week 2:
    ACoS 60 / 100 = 60 % against its 30 % target (the tests' accounts.yaml)."""
    w1, w2 = date(2026, 11, 9), date(2026, 11, 16)
    for account, week, sessions, units, revenue in [
        ("oak-uk", w1, 100, 10, 1000),  # GBP, price 100, conversion 10 %
        ("oak-uk", w2, 120, 9, 990),  # price 110
        ("messer-de", w1, 200, 20, 500),  # EUR, price 25, conversion 10 %
        ("messer-de", w2, 180, 20, 600),  # price 30
    ]:
        insert(
            conn,
            "business_report_child_items",
            [{"week_start": week, "child_asin": "A1", "sku": "s1", "sessions": sessions,
              "page_views": sessions, "units": units, "order_items": units,
              "revenue": revenue}],
            account_id=account,
        )  # fmt: skip
    insert_ecb_rates(conn)
    insert(
        conn,
        "sp_campaigns",
        [{"report_date": date(2026, 11, 17), "campaign_name": "C1", "clicks": 30, "spend": 60,
          "sales": 100, "orders": 3}],
        attribution_days=7,
    )  # fmt: skip
