"""Inventory models (stock, velocity, cover, status, aged stock) on hand-made rows, by hand.

Weeks W0..W4 are consecutive Mondays; every account's lead time is the default 21 days.
oak-uk, ASIN A1 (two SKUs in W4):  W1 avail 50 sold 14 | W2 avail 0 sold 0 (out of stock)
                                    | W3 avail 30 sold 28 | W4 avail 60+40, inbound 40, sold 42
        A2: W0 sold 10 (outside the 4-week window) | W4 avail 20, sold 35
        A3: W4 avail 700, sold 7      A4: W4 avail 10, no sales      A5: W4 avail 0, inbound 5
        A6: W4 avail 40, inbound 12, sold 14        A8: W3 sold 14 (no snapshot) | W4 avail 0,
        inbound 124      A9: W4 avail 9, no sales      A10: W4 avail 95, sold 7
        M1: sales only (no FBA stock), W4 revenue 140
messer-de, B1: W1 avail 10 sold 7 | W2 no snapshot, sold 14 | W3 nothing | W4 avail 20 sold 7
ocha-jp, J1: W4 avail 5, no sales at all.
Every marketplace has the default thresholds: overstock_days 90, overstock_min_units 10.
"""

from datetime import date, datetime, timedelta

import duckdb
import pytest

from assets.ingest.inbox import ensure_raw_tables
from assets.ingest.reference import write_reference_tables
from tests.sql.rows import build_models

W0 = date(2026, 10, 19)
W1, W2, W3, W4 = (W0 + timedelta(weeks=i) for i in range(1, 5))
EARLY, LATE = datetime(2026, 11, 23, 8), datetime(2026, 11, 24, 8)
MODELS = (
    "staging.stg_business_reports__child_items",
    "staging.stg_inventory__fba_snapshots",
    "staging.stg_inventory__planning_snapshots",
    "marts.fct_sales_asin_week",
    "marts.fct_inventory_asin_week",
    "reports.rpt_inventory",
    "reports.rpt_inventory_summary",
)


def fba(conn, account, week, rows, file_hash, loaded_at=EARLY):
    """rows: (sku, asin, available, inbound) — one export file of the week."""
    for line, (sku, asin, available, inbound) in enumerate(rows, start=2):
        conn.execute(
            "insert into raw.fba_inventory (account_id, period_start, period_end, locale, sku, "
            "asin, product_name, your_price, afn_fulfillable_quantity, "
            "afn_inbound_shipped_quantity, afn_reserved_quantity, afn_total_quantity, "
            "source_file, source_line, file_hash, loaded_at) "
            "values (?, ?, ?, 'en', ?, ?, 'Name\u00a0' || ?, 9.99, ?, ?, 1, ?, 'inv.txt', ?, ?, ?)",
            [account, week, week + timedelta(days=6), sku, asin, asin, available, inbound,
             available + inbound, line, file_hash, loaded_at],
        )  # fmt: skip


def sales(conn, account, week, asin, units, revenue):
    conn.execute(
        "insert into raw.business_report_child_items (account_id, period_start, period_end, "
        "locale, parent_asin, child_asin, title, sku, sessions, page_views, units, "
        "order_items, revenue, source_file, source_line, file_hash, loaded_at) "
        "values (?, ?, ?, 'en', 'P', ?, 'Title ' || ?, 'S', 100, 100, ?, ?, ?, 'br.csv', 2, "
        "'br', now())",
        [account, week, week + timedelta(days=6), asin, asin, units, units, revenue],
    )


def planning(conn, account, snapshot, sku, asin, ages, file_hash, loaded_at=EARLY):
    """ages: units aged 0-90, 91-180, 181-270, 271-365, 365+ days."""
    conn.execute(
        "insert into raw.inventory_planning (account_id, period_start, period_end, locale, "
        "snapshot_date, sku, asin, available, inv_age_0_to_90_days, inv_age_91_to_180_days, "
        "inv_age_181_to_270_days, inv_age_271_to_365_days, inv_age_365_plus_days, "
        "source_file, source_line, file_hash, loaded_at) "
        "values (?, ?, ?, 'en', ?, ?, ?, ?, ?, ?, ?, ?, ?, 'plan.csv', 2, ?, ?)",
        [account, snapshot, snapshot, snapshot, sku, asin, sum(ages), *ages, file_hash, loaded_at],
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    from assets.core.settings import load_accounts
    from tests.conftest import ACCOUNTS_YAML

    path = tmp_path_factory.mktemp("inv") / "accounts.yaml"
    path.write_text(ACCOUNTS_YAML, "utf-8")
    conn = duckdb.connect()
    ensure_raw_tables(conn)
    write_reference_tables(conn, load_accounts(path))

    fba(conn, "oak-uk", W1, [("SKU1", "A1", 50, 0)], "uk1")
    fba(conn, "oak-uk", W2, [("SKU1", "A1", 0, 0)], "uk2")
    fba(conn, "oak-uk", W3, [("SKU1", "A1", 30, 0)], "uk3")
    # W4 loaded twice: the first load (999 units, an ASIN A7) is restated by a later one
    fba(conn, "oak-uk", W4, [("SKU1", "A1", 999, 0), ("SKU7", "A7", 5, 0)], "uk4-old", EARLY)
    fba(
        conn,
        "oak-uk",
        W4,
        [
            ("SKU1", "A1", 60, 40),
            ("SKU2", "A1", 40, 0),
            ("SKU3", "A2", 20, 0),
            ("SKU4", "A3", 700, 0),
            ("SKU5", "A4", 10, 0),
            ("SKU6", "A5", 0, 5),
            ("SKU8", "A6", 40, 12),
            ("SKU9", "A8", 0, 124),
            ("SKU10", "A9", 9, 0),
            ("SKU11", "A10", 95, 0),
        ],
        "uk4-new",
        LATE,
    )
    for week, units in ((W1, 14), (W3, 28), (W4, 42)):
        sales(conn, "oak-uk", week, "A1", units, units * 10)  # revenue 140, 280, 420
    sales(conn, "oak-uk", W0, "A2", 10, 1000)
    sales(conn, "oak-uk", W4, "A2", 35, 350)
    sales(conn, "oak-uk", W4, "A3", 7, 70)
    sales(conn, "oak-uk", W4, "M1", 14, 140)
    sales(conn, "oak-uk", W4, "A6", 14, 140)
    sales(conn, "oak-uk", W3, "A8", 14, 140)
    sales(conn, "oak-uk", W4, "A10", 7, 70)

    fba(conn, "messer-de", W1, [("B-SKU", "B1", 10, 0)], "de1")
    fba(conn, "messer-de", W4, [("B-SKU", "B1", 20, 0)], "de4")
    sales(conn, "messer-de", W1, "B1", 7, 70)
    sales(conn, "messer-de", W2, "B1", 14, 140)
    sales(conn, "messer-de", W4, "B1", 7, 70)

    fba(conn, "ocha-jp", W4, [("J-SKU", "J1", 5, 0)], "jp4")

    # planning report, oak-uk week W4: an earlier snapshot (Tue) and the week's last one (Sun),
    # whose SKU1 row was loaded twice (the later load wins)
    tue, sun = W4 + timedelta(days=1), W4 + timedelta(days=6)
    planning(conn, "oak-uk", tue, "SKU1", "A1", (0, 500, 0, 0, 0), "p-tue")
    planning(conn, "oak-uk", sun, "SKU1", "A1", (50, 90, 0, 0, 0), "p-sun")
    planning(conn, "oak-uk", sun, "SKU1", "A1", (50, 10, 5, 0, 2), "p-sun2", LATE)
    planning(conn, "oak-uk", sun, "SKU2", "A1", (37, 3, 0, 0, 0), "p-sun")

    build_models(conn, *MODELS)
    yield conn
    conn.close()


def row(conn, table, account, week, asin=None, columns="*"):
    where = "account_id = ? and week_start = ?" + (" and asin = ?" if asin else "")
    params = [account, week] + ([asin] if asin else [])
    cursor = conn.execute(f"select {columns} from {table} where {where}", params)
    names = [d[0] for d in cursor.description]
    found = cursor.fetchall()
    assert len(found) <= 1, found
    return dict(zip(names, found[0], strict=True)) if found else None


def mart(conn, account, week, asin):
    return row(conn, "marts.fct_inventory_asin_week", account, week, asin)


def test_velocity_skips_the_out_of_stock_week_and_cover_follows(warehouse):
    a1 = mart(warehouse, "oak-uk", W4, "A1")
    # SKUs summed: available 60 + 40 = 100, inbound 40 + 0 = 40
    assert (a1["available_units"], a1["inbound_units"], a1["sku_count"]) == (100, 40, 2)
    assert a1["skus"] == ["SKU1", "SKU2"]
    # W1..W4: W2 had 0 available and sold nothing → out; in stock W1, W3, W4 = 3 weeks
    # units 14 + 28 + 42 = 84; 84 ÷ (7 × 3) = 4.0 a day (with W2 it would be 84 ÷ 28 = 3)
    assert (a1["in_stock_weeks_4w"], a1["in_stock_sold_units_4w"]) == (3, 84)
    assert a1["daily_velocity_units"] == pytest.approx(4.0)
    # (100 + 40) ÷ 4 = 35 days; 140 ÷ (7 × 4) = 5 weeks
    assert a1["days_of_supply"] == pytest.approx(35.0)
    assert a1["weeks_of_cover"] == pytest.approx(5.0)
    # 4 × 21 × 1.5 = 126 − 100 − 40 = −14 → floored at 0 (35 days ≥ 1.5 × 21 = 31.5)
    assert a1["replenishment_units"] == 0
    # 140 − 4 × 90 = −220 → no excess; nothing to replenish, no excess → healthy
    assert (a1["overstock_units"], a1["stock_status"]) == (0, "healthy")


def test_sell_through_and_turnover_over_13_weeks(warehouse):
    a1 = mart(warehouse, "oak-uk", W4, "A1")
    # sold 14 + 0 + 28 + 42 = 84; snapshots' available (50 + 0 + 30 + 100) ÷ 4 = 45
    # 84 ÷ 45 = 1.8667; × 365 ÷ 91 = 7.4872
    assert (a1["sold_units_13w"], a1["avg_available_units_13w"]) == (84, 45.0)
    assert a1["sell_through_pct"] == pytest.approx(84 / 45)
    assert a1["turnover_per_year"] == pytest.approx(84 / 45 * 365 / 91)
    assert a1["turnover_per_year"] == pytest.approx(7.4872, abs=1e-4)


def test_out_of_stock_wins_over_reorder_now(warehouse):
    a1 = mart(warehouse, "oak-uk", W2, "A1")
    # W2 looks back to W1 only (in stock, 14 units): 14 ÷ 7 = 2 a day; cover 0 ÷ 2 = 0 days
    assert a1["daily_velocity_units"] == pytest.approx(2.0)
    assert a1["days_of_supply"] == 0
    assert a1["stock_status"] == "out_of_stock"
    # 2 × 21 × 1.5 = 63 − 0 − 0 = 63
    assert a1["replenishment_units"] == 63


def test_reorder_now_and_replenishment_rounded_up(warehouse):
    a2 = mart(warehouse, "oak-uk", W4, "A2")
    # W0's 10 units are 4 weeks back, outside W1..W4: 35 ÷ 7 = 5 a day; 20 ÷ 5 = 4 days < 21
    assert a2["daily_velocity_units"] == pytest.approx(5.0)
    assert a2["days_of_supply"] == pytest.approx(4.0)
    assert a2["stock_status"] == "reorder_now"
    # 5 × 21 × 1.5 = 157.5 − 20 = 137.5 → 138
    assert a2["replenishment_units"] == 138
    # sell-through: W0..W4 sold 10 + 35 = 45 over the one snapshot's 20 available = 2.25
    assert a2["sell_through_pct"] == pytest.approx(2.25)


def test_overstock_by_days_of_supply_and_by_no_velocity(warehouse):
    a3 = mart(warehouse, "oak-uk", W4, "A3")
    # 7 ÷ 7 = 1 a day; 700 ÷ 1 = 700 days > 90; 1 × 21 × 1.5 = 31.5 − 700 < 0 → 0
    # beyond 90 days of sales: 700 − 1 × 90 = 610 ≥ 10 → overstock
    assert (a3["days_of_supply"], a3["stock_status"], a3["replenishment_units"]) == (
        pytest.approx(700.0),
        "overstock",
        0,
    )
    assert a3["overstock_units"] == 610
    a4 = mart(warehouse, "oak-uk", W4, "A4")
    # in stock (10 available) but nothing sold: 0 ÷ 7 = 0 a day → cover NULL, stock without sales
    assert a4["daily_velocity_units"] == 0
    assert (a4["days_of_supply"], a4["weeks_of_cover"]) == (None, None)
    # every unit is excess: 10 − 0 × 90 = 10, exactly overstock_min_units → overstock
    assert (a4["overstock_units"], a4["stock_status"], a4["replenishment_units"]) == (
        10,
        "overstock",
        0,
    )


def test_units_to_replenish_are_never_healthy(warehouse):
    a6 = mart(warehouse, "oak-uk", W4, "A6")
    # only W4 in stock: 14 ÷ 7 = 2 a day; (40 + 12) ÷ 2 = 26 days: above the 21 days' lead
    # time (healthy under a cover < lead time rule) but below 1.5 × 21 = 31.5
    assert a6["daily_velocity_units"] == pytest.approx(2.0)
    assert a6["days_of_supply"] == pytest.approx(26.0)
    # 2 × 21 × 1.5 = 63 − 40 − 12 = 11 to send → reorder now
    assert (a6["replenishment_units"], a6["stock_status"]) == (11, "reorder_now")
    assert a6["is_stock_out_risk"]


def test_out_of_stock_shows_the_inbound_units_that_cover_it(warehouse):
    a8 = row(warehouse, "reports.rpt_inventory", "oak-uk", W4, "A8")
    # W3 sold 14 without a snapshot (in stock), W4 0 available and no sales (out):
    # 14 ÷ 7 = 2 a day; 124 inbound ÷ 2 = 62 days
    assert (a8["available_units"], a8["inbound_units"]) == (0, 124)
    assert a8["days_of_supply"] == pytest.approx(62.0)
    # 2 × 21 × 1.5 = 63 − 0 − 124 < 0 → 0 to replenish: the inbound units explain it
    assert (a8["stock_status"], a8["replenishment_units"]) == ("out_of_stock", 0)


def test_a_few_units_are_not_overstock(warehouse):
    a9 = mart(warehouse, "oak-uk", W4, "A9")
    # 9 available, nothing sold in the 4 weeks: all 9 are excess, 9 < 10 → no recent sales
    assert (a9["daily_velocity_units"], a9["days_of_supply"]) == (0, None)
    assert (a9["overstock_units"], a9["replenishment_units"]) == (9, 0)
    assert (a9["stock_status"], a9["is_overstock"]) == ("no_recent_sales", False)
    a10 = mart(warehouse, "oak-uk", W4, "A10")
    # 7 ÷ 7 = 1 a day; 95 ÷ 1 = 95 days > 90, but 95 − 1 × 90 = 5 units beyond them, < 10;
    # 1 × 21 × 1.5 = 31.5 − 95 < 0 → 0 to replenish → healthy
    assert a10["days_of_supply"] == pytest.approx(95.0)
    assert (a10["overstock_units"], a10["replenishment_units"]) == (5, 0)
    assert a10["stock_status"] == "healthy"


def test_every_status_agrees_with_the_quantities(warehouse):
    rows = warehouse.execute(
        "select stock_status, count(*) from marts.fct_inventory_asin_week group by all"
    ).fetchall()
    # the fixture has every status, so the checks below are not vacuous
    assert {status for status, _ in rows} == {
        "out_of_stock", "reorder_now", "overstock", "no_recent_sales", "healthy",
    }  # fmt: skip
    contradictions = warehouse.execute(
        """
        select account_id, week_start, asin, stock_status
        from marts.fct_inventory_asin_week
        inner join marts.dim_accounts using (account_id)
        where not case stock_status
            when 'out_of_stock' then available_units = 0
            when 'reorder_now' then available_units > 0 and replenishment_units > 0
            when 'overstock' then replenishment_units = 0
                and overstock_units >= threshold_overstock_min_units and overstock_units > 0
            when 'no_recent_sales' then daily_velocity_units = 0
                and overstock_units < threshold_overstock_min_units
            when 'healthy' then available_units > 0 and replenishment_units = 0
                and overstock_units < threshold_overstock_min_units
        end
        """
    ).fetchall()
    assert contradictions == []
    # the point of the rule: no healthy row has units to replenish
    assert warehouse.execute(
        "select count(*) from marts.fct_inventory_asin_week "
        "where stock_status = 'healthy' and replenishment_units > 0"
    ).fetchone() == (0,)


def test_overstock_min_units_from_configuration(warehouse):
    def j1():
        return mart(warehouse, "ocha-jp", W4, "J1")["stock_status"]

    # J1: 5 units, no sales: 5 < 10 → no recent sales; with a minimum of 5 → overstock
    assert j1() == "no_recent_sales"
    try:
        warehouse.execute(
            "update raw.marketplaces set threshold_overstock_min_units = 5 where marketplace = 'JP'"
        )
        build_models(warehouse, "marts.fct_inventory_asin_week")
        assert j1() == "overstock"
    finally:
        warehouse.execute(
            "update raw.marketplaces set threshold_overstock_min_units = 10 "
            "where marketplace = 'JP'"
        )
        build_models(warehouse, *MODELS)
    assert j1() == "no_recent_sales"


def test_no_in_stock_week_gives_null_velocity(warehouse):
    a5 = mart(warehouse, "oak-uk", W4, "A5")
    # 0 available, nothing sold, ever: no in-stock week → velocity, cover NULL; 0 to replenish
    assert (a5["in_stock_weeks_4w"], a5["daily_velocity_units"]) == (0, None)
    assert (a5["days_of_supply"], a5["weeks_of_cover"]) == (None, None)
    assert (a5["stock_status"], a5["replenishment_units"]) == ("out_of_stock", 0)
    # average available 0 → sell-through and turnover NULL
    assert (a5["sell_through_pct"], a5["turnover_per_year"]) == (None, None)


def test_missing_week_counts_when_it_sold(warehouse):
    # no snapshot in W2 or W3 → no rows for those weeks
    assert mart(warehouse, "messer-de", W2, "B1") is None
    assert mart(warehouse, "messer-de", W3, "B1") is None
    b1 = mart(warehouse, "messer-de", W4, "B1")
    # in stock: W1 (10 available), W2 (sold 14, no snapshot), W4; W3 neither → 3 weeks
    # (7 + 14 + 7) ÷ 21 = 1.3333 a day; 20 ÷ 1.3333 = 15 days < 21 → reorder_now
    assert (b1["in_stock_weeks_4w"], b1["in_stock_sold_units_4w"]) == (3, 28)
    assert b1["daily_velocity_units"] == pytest.approx(4 / 3)
    assert b1["days_of_supply"] == pytest.approx(15.0)
    assert b1["stock_status"] == "reorder_now"
    # 4/3 × 21 × 1.5 = 42 − 20 = 22 (not 23 from floating-point noise)
    assert b1["replenishment_units"] == 22
    # sell-through: 28 sold ÷ average of the two snapshots (10 + 20) ÷ 2 = 15 → 1.8667
    assert b1["sell_through_pct"] == pytest.approx(28 / 15)


def test_restated_snapshot_latest_load_wins(warehouse):
    # the staging view keeps only the later W4 file: its 10 SKUs, no 999, no SKU7 (A7)
    skus = warehouse.execute(
        "select sku, available_units from staging.stg_inventory__fba_snapshots "
        "where account_id = 'oak-uk' and week_start = ? order by sku",
        [W4],
    ).fetchall()
    assert [s for s, _ in skus] == sorted(f"SKU{i}" for i in (1, 2, 3, 4, 5, 6, 8, 9, 10, 11))
    assert dict(skus)["SKU1"] == 60
    assert mart(warehouse, "oak-uk", W4, "A7") is None


def test_aged_stock_from_the_weeks_last_planning_report(warehouse):
    # Sunday's report, SKU1 as reloaded: 10 + 5 + 0 + 2 = 17; SKU2: 3 → A1 = 20
    # (Tuesday's 500 and the first load's 90 are superseded)
    assert mart(warehouse, "oak-uk", W4, "A1")["aged_90_plus_units"] == 20
    # report present but A2 not in it → 0; no report that week / account → NULL
    assert mart(warehouse, "oak-uk", W4, "A2")["aged_90_plus_units"] == 0
    assert mart(warehouse, "oak-uk", W3, "A1")["aged_90_plus_units"] is None
    assert mart(warehouse, "messer-de", W4, "B1")["aged_90_plus_units"] is None


def test_report_has_title_and_currency(warehouse):
    a1 = row(warehouse, "reports.rpt_inventory", "oak-uk", W4, "A1")
    assert (a1["title"], a1["currency_code"], a1["is_stock_out_risk"]) == ("Title A1", "GBP", False)
    # no sales row → the FBA product name, its no-break space cleaned
    a4 = row(warehouse, "reports.rpt_inventory", "oak-uk", W4, "A4")
    assert a4["title"] == "Name A4"


def test_summary_sums_base_measures_before_ratios(warehouse):
    s = row(warehouse, "reports.rpt_inventory_summary", "oak-uk", W4)
    # A1 + A10 healthy, A2 + A6 reorder_now, A3 + A4 overstock, A5 + A8 out_of_stock,
    # A9 no_recent_sales
    assert (s["asin_count"], s["out_of_stock_asins"], s["reorder_now_asins"]) == (9, 2, 2)
    assert (s["overstock_asins"], s["no_recent_sales_asins"], s["healthy_asins"]) == (2, 1, 2)
    # available 100 + 20 + 700 + 10 + 0 + 40 + 0 + 9 + 95 = 974; inbound 40 + 5 + 12 + 124 = 181
    assert (s["available_units"], s["inbound_units"]) == (974, 181)
    # aged 20 + 0 + …; replenishment A2 138 + A6 11 = 149
    assert (s["aged_90_plus_units"], s["replenishment_units"]) == (20, 149)
    # velocities A1 4 + A2 5 + A3 1 + A4 0 (+ A5 NULL) + A6 2 + A8 2 + A9 0 + A10 1 = 15 a day;
    # (974 + 181) ÷ (7 × 15) = 1155 ÷ 105 = 11 weeks
    assert s["weeks_of_cover"] == pytest.approx(11.0)
    # revenue W1..W4: A1 140 + 280 + 420 = 840, A2 350 (W0's 1000 is outside), A3 70, M1 140,
    # A6 140, A8 140 (W3), A10 70 = 1750; at risk (A2 + A6 reorder_now, A5 + A8 out_of_stock)
    # 350 + 140 + 0 + 140 = 630 → 630 ÷ 1750 = 0.36
    assert (s["revenue_4w_amount"], s["revenue_at_risk_4w_amount"]) == (1750, 630)
    assert s["revenue_at_risk_pct"] == pytest.approx(0.36)


def test_summary_zero_denominators_are_null(warehouse):
    s = row(warehouse, "reports.rpt_inventory_summary", "ocha-jp", W4)
    # J1: 5 available, no sales → velocity 0 → cover NULL; revenue 0 → at-risk share NULL;
    # 5 units < 10 → no recent sales, not overstock
    assert (s["overstock_asins"], s["no_recent_sales_asins"]) == (0, 1)
    assert (s["weeks_of_cover"], s["revenue_at_risk_pct"]) == (None, None)
    assert s["aged_90_plus_units"] is None
    de = row(warehouse, "reports.rpt_inventory_summary", "messer-de", W4)
    # B1 reorder_now: its 70 + 140 + 70 = 280 is all the revenue → 1.0
    assert de["revenue_at_risk_pct"] == pytest.approx(1.0)


def test_one_week_rebuild_gives_the_same_rows(warehouse):
    before = warehouse.execute(
        "select * from reports.rpt_inventory_summary order by account_id, week_start"
    ).fetchall()
    # every model the reports read, for the week alone
    build_models(warehouse, *MODELS, week=W4)
    after = warehouse.execute(
        "select * from reports.rpt_inventory_summary order by account_id, week_start"
    ).fetchall()
    assert after == before
