"""The baseline for the models benchmark: the headline KPIs written as a plain pandas script.

It does what the SQL chain ``stg_business_reports__child_items`` → ``marts.dim_accounts``,
``marts.fct_sales_asin_week`` → ``marts.fct_sales_account_week`` → ``reports.rpt_headline_kpis``
does, growth included (last 4 weeks vs the 4 before, the same ISO week a year earlier), from
the same raw table to the same two result tables in the warehouse: read the raw rows, clean
them, sum SKUs per ASIN and week, zero-fill ASINs missing from a week's report (up to 13 weeks
after they were last seen), sum per account and week with the previous week and the growth
windows beside it, write both tables. Neither side reads titles: they are in the ASIN
dimension (``marts.dim_asins``, one row per ASIN), not in the weekly facts. ``same_as_sql``
proves the outputs agree, so the two sides are known to do the same work.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

SCHEMA = "bench_pandas"
SQL_CHAIN = (
    "staging.stg_business_reports__child_items",
    "marts.dim_accounts",
    "marts.fct_sales_asin_week",
    "marts.fct_sales_account_week",
    "reports.rpt_headline_kpis",
)
WEEK = pd.Timedelta(days=7)
LOOK_BACK_WEEKS = 13
SUMS = ["sessions", "page_views", "units", "order_items", "revenue_amount"]


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator / denominator.replace(0, np.nan)


def staging(conn: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    raw = conn.execute(
        "select account_id, period_start, parent_asin, child_asin, sku, sessions,"
        " page_views, buy_box_pct, units, order_items, revenue"
        " from raw.business_report_child_items"
    ).df()
    accounts = conn.execute("select account_id, account_name, currency_code from raw.accounts").df()
    frame = raw.merge(accounts[["account_id", "currency_code"]], on="account_id")
    frame = frame.rename(columns={"period_start": "week_start", "revenue": "revenue_amount"})
    frame[SUMS] = frame[SUMS].fillna(0)
    return frame, accounts


def sales_asin_week(frame: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    keys = ["account_id", "week_start", "child_asin"]
    # traffic is the (parent, child) ASIN's, repeated on each SKU row: once; sales per SKU
    frame = frame.groupby([*keys, "parent_asin"], as_index=False, dropna=False).agg(
        currency_code=("currency_code", "first"),
        sessions=("sessions", "max"),
        page_views=("page_views", "max"),
        buy_box_pct=("buy_box_pct", "max"),
        units=("units", "sum"),
        order_items=("order_items", "sum"),
        revenue_amount=("revenue_amount", "sum"),
    )
    frame["bb_weighted"] = frame["buy_box_pct"] * frame["page_views"]
    reported = frame.groupby(keys, as_index=False).agg(
        **{column: (column, "sum") for column in [*SUMS, "bb_weighted"]},
        currency_code=("currency_code", "first"),
    )
    reported["buy_box_pct"] = ratio(reported.pop("bb_weighted"), reported["page_views"])

    # zero-fill: the weeks after each sighting without the ASIN, up to 13, on report weeks only
    runs = reported[["account_id", "child_asin", "week_start"]]
    runs = runs.sort_values(["account_id", "child_asin", "week_start"])
    next_seen = runs.groupby(["account_id", "child_asin"])["week_start"].shift(-1)
    absent = ((next_seen - runs["week_start"]) / WEEK - 1).fillna(np.inf)
    runs = runs.assign(weeks_absent=absent.clip(upper=LOOK_BACK_WEEKS).astype(int))
    runs = runs[runs["weeks_absent"] > 0]
    missing = runs.loc[runs.index.repeat(runs["weeks_absent"])]
    offset = missing.groupby(level=0).cumcount() + 1
    missing = missing.assign(week_start=missing["week_start"] + offset.to_numpy() * WEEK)
    report_weeks = reported[["account_id", "week_start"]].drop_duplicates()
    missing = missing.drop(columns="weeks_absent").merge(
        report_weeks, on=["account_id", "week_start"]
    )
    missing = missing.merge(accounts[["account_id", "currency_code"]], on="account_id")
    missing[SUMS] = 0
    missing["buy_box_pct"] = np.nan
    return pd.concat(
        [reported.assign(is_zero_filled=False), missing.assign(is_zero_filled=True)],
        ignore_index=True,
    )


def headline_kpis(sales: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    sales = sales.assign(
        bb_weighted=sales["buy_box_pct"] * sales["page_views"],
        reported_asin=sales["child_asin"].where(~sales["is_zero_filled"]),
    )
    weekly = sales.groupby(["account_id", "week_start"], as_index=False).agg(
        currency_code=("currency_code", "first"),
        **{column: (column, "sum") for column in [*SUMS, "bb_weighted"]},
        asin_count=("reported_asin", "nunique"),
    )
    weekly["buy_box_pct"] = ratio(weekly.pop("bb_weighted"), weekly["page_views"])
    previous = weekly[["account_id", "week_start", "revenue_amount", "units", "sessions"]]
    previous = previous.assign(week_start=previous["week_start"] + WEEK)
    weekly = weekly.merge(
        previous, on=["account_id", "week_start"], how="left", suffixes=("", "_previous")
    )
    weekly["unit_session_pct"] = ratio(weekly["units"], weekly["sessions"])
    weekly["order_item_session_pct"] = ratio(weekly["order_items"], weekly["sessions"])
    weekly["asp_amount"] = ratio(weekly["revenue_amount"], weekly["units"])
    for column in ("revenue_amount", "units", "sessions"):
        weekly[f"{column.removesuffix('_amount')}_wow_pct"] = (
            ratio(weekly[column], weekly[f"{column}_previous"]) - 1
        )
    weekly = growth(weekly)
    return weekly.merge(accounts[["account_id", "account_name"]], on="account_id")


def growth(weekly: pd.DataFrame) -> pd.DataFrame:
    """Last 4 weeks vs the 4 before (only when all 8 were reported) and the same ISO week a
    year earlier, for revenue and units, as ``marts.fct_sales_account_week`` does."""
    keys = ["account_id", "week_start"]
    base = weekly[[*keys, "revenue_amount", "units"]]
    # each week's numbers land on the 7 weeks after it too; k weeks back, 0 = this week
    spread = pd.concat(
        [base.assign(week_start=base["week_start"] + k * WEEK, recent=k < 4) for k in range(8)]
    ).merge(base[keys], on=keys)
    windows = spread.groupby([*keys, "recent"]).agg(
        revenue=("revenue_amount", "sum"), units=("units", "sum"), weeks=("units", "size")
    )
    # a window counts only when all its 4 weeks were reported (there may be none yet)
    windows = windows[windows["weeks"] == 4].unstack("recent")
    windows = windows.reindex(
        columns=pd.MultiIndex.from_product([["revenue", "units"], [False, True]])
    )
    for measure, name in (("revenue", "revenue_4w_pct"), ("units", "units_4w_pct")):
        windows[name] = ratio(windows[(measure, True)], windows[(measure, False)]) - 1
    windows = windows[["revenue_4w_pct", "units_4w_pct"]].droplevel(1, axis=1).reset_index()
    iso = weekly["week_start"].dt.isocalendar()
    year_ago = base.assign(isoyear=iso["year"].to_numpy() + 1, isoweek=iso["week"].to_numpy())
    weekly = weekly.assign(isoyear=iso["year"].to_numpy(), isoweek=iso["week"].to_numpy())
    weekly = weekly.merge(
        year_ago.drop(columns="week_start"),
        on=["account_id", "isoyear", "isoweek"],
        how="left",
        suffixes=("", "_last_year"),
    ).drop(columns=["isoyear", "isoweek"])
    weekly["revenue_yoy_pct"] = (
        ratio(weekly["revenue_amount"], weekly.pop("revenue_amount_last_year")) - 1
    )
    weekly["units_yoy_pct"] = ratio(weekly["units"], weekly.pop("units_last_year")) - 1
    return weekly.merge(windows, on=keys, how="left")


def run(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The whole script: raw table in, both result tables written to the warehouse."""
    frame, accounts = staging(conn)
    sales = sales_asin_week(frame, accounts)
    headline = headline_kpis(sales, accounts)
    conn.execute(f"create schema if not exists {SCHEMA}")
    for name, result in (("fct_sales_asin_week", sales), ("rpt_headline_kpis", headline)):
        conn.register("result", result)
        conn.execute(f"create or replace table {SCHEMA}.{name} as select * from result")
        conn.unregister("result")
    return headline


def same_as_sql(conn: duckdb.DuckDBPyConnection) -> bool:
    """True when both sides hold the same rows (headline KPIs to the cent, sales row counts)."""
    columns = "account_id, week_start::date, round(revenue_amount, 2), units, sessions, asin_count"
    ours = f"select {columns} from reports.rpt_headline_kpis"
    theirs = f"select {columns} from {SCHEMA}.rpt_headline_kpis"
    differences = conn.execute(
        f"select count(*) from (({ours} except {theirs}) union all ({theirs} except {ours}))"
    ).fetchone()[0]
    growth = "account_id, week_start::date, " + ", ".join(
        f"round({c}, 6)"
        for c in ("revenue_4w_pct", "units_4w_pct", "revenue_yoy_pct", "units_yoy_pct")
    )
    ours = f"select {growth} from marts.fct_sales_account_week"
    theirs = f"select {growth} from {SCHEMA}.rpt_headline_kpis"
    differences += conn.execute(
        f"select count(*) from (({ours} except {theirs}) union all ({theirs} except {ours}))"
    ).fetchone()[0]
    same_rows = conn.execute(
        f"select (select count(*) from marts.fct_sales_asin_week)"
        f" = (select count(*) from {SCHEMA}.fct_sales_asin_week)"
    ).fetchone()[0]
    return differences == 0 and same_rows
