"""Sales models by hand: zero-filled ASINs, growth windows, the revenue bridge, top movers."""

from datetime import date, timedelta

import pytest

from tests.sql.rows import build_models, fetch, insert

W1, W2 = date(2026, 11, 9), date(2026, 11, 16)


def sales(warehouse, rows, **common):
    """rows: (week, asin, sessions, units, revenue[, buy_box]) for oak-uk unless given."""
    insert(
        warehouse,
        "business_report_child_items",
        [
            {
                "week_start": week,
                "parent_asin": "P",
                "child_asin": asin,
                "title": f"Title {asin}",
                "sku": f"sku-{asin}",
                "sessions": sessions,
                "page_views": sessions,
                "units": units,
                "order_items": units,
                "revenue": revenue,
                "buy_box_pct": rest[0] if rest else 1.0,
            }
            for week, asin, sessions, units, revenue, *rest in rows
        ],
        **common,
    )


def test_an_asin_missing_from_a_week_is_zero_filled_not_dropped(warehouse):
    old = W1 - timedelta(weeks=14)
    sales(
        warehouse,
        [
            (old, "A9", 5, 1, 9.0),  # last seen 15 weeks before W2: no longer filled
            (W1, "A1", 100, 10, 200.0),
            (W1, "A2", 40, 4, 40.0),
            (W2, "A1", 150, 12, 228.0),
        ],
    )
    build_models(warehouse, "reports.rpt_headline_kpis")
    rows = fetch(
        warehouse,
        "select child_asin, sessions, units, revenue_amount::double as revenue, "
        "buy_box_pct, currency_code, is_zero_filled from marts.fct_sales_asin_week "
        "where week_start = ? order by child_asin",
        W2,
    )
    assert rows == [
        {"child_asin": "A1", "sessions": 150, "units": 12, "revenue": 228.0,
         "buy_box_pct": 1.0, "currency_code": "GBP", "is_zero_filled": False},
        # A2 sold in W1 and is absent from W2's report: a row of zeros, no Buy Box
        {"child_asin": "A2", "sessions": 0, "units": 0, "revenue": 0.0,
         "buy_box_pct": None, "currency_code": "GBP", "is_zero_filled": True},
    ]  # fmt: skip
    # the headline counts only the ASINs in the report as active
    assert fetch(
        warehouse, "select asin_count from reports.rpt_headline_kpis where week_start = ?", W2
    ) == [{"asin_count": 1}]
    # a week with no report at all gets no rows: missing is unknown, not zero
    assert fetch(
        warehouse, "select count(*) as n from marts.fct_sales_asin_week where week_start = ?",
        W2 + timedelta(weeks=1),
    ) == [{"n": 0}]  # fmt: skip


def test_zero_fill_covers_every_report_week_of_a_gap_and_stops_at_the_next_sighting(warehouse):
    weeks = [W1 + timedelta(weeks=k) for k in range(6)]
    # B1 is in the reports of weeks 0–4 (week 5 has no report at all); A1 only in weeks 0 and
    # 2. A1's gap starts are week 0 (absent in 1) and week 2 (absent in 3 and after); week 0's
    # reach (1–13) also covers 3 and 4, which week 2's covers again: one row each
    sales(warehouse, [(week, "B1", 10, 1, 5.0) for week in weeks[:5]])
    sales(warehouse, [(weeks[0], "A1", 20, 2, 8.0), (weeks[2], "A1", 30, 3, 12.0)])
    build_models(warehouse, "marts.fct_sales_asin_week")
    a1 = fetch(
        warehouse,
        "select week_start, units, is_zero_filled from marts.fct_sales_asin_week "
        "where child_asin = 'A1' order by week_start",
    )
    assert a1 == [
        {"week_start": weeks[0], "units": 2, "is_zero_filled": False},
        {"week_start": weeks[1], "units": 0, "is_zero_filled": True},
        {"week_start": weeks[2], "units": 3, "is_zero_filled": False},
        {"week_start": weeks[3], "units": 0, "is_zero_filled": True},
        {"week_start": weeks[4], "units": 0, "is_zero_filled": True},
    ]  # fmt: skip
    # a week built alone gives the same rows
    build_models(warehouse, "marts.fct_sales_asin_week", week=weeks[3])
    assert fetch(
        warehouse,
        "select count(*) as n from marts.fct_sales_asin_week where child_asin = 'A1'",
    ) == [{"n": 5}]


def test_revenue_bridge_adds_up_exactly_and_names_each_effect(warehouse):
    sales(
        warehouse,
        [
            (W1, "A1", 100, 10, 200.0),
            (W1, "A3", 40, 4, 40.0),
            (W2, "A1", 150, 12, 228.0),
            (W2, "A2", 20, 2, 30.0),
        ],
    )
    build_models(warehouse, "reports.rpt_revenue_bridge", "reports.rpt_top_movers")
    bridge = fetch(
        warehouse,
        "select child_asin, revenue_change_amount::double as change, "
        "traffic_effect_amount::double as traffic, conversion_effect_amount::double as conversion, "
        "price_effect_amount::double as price from marts.fct_revenue_bridge_asin_week "
        "where week_start = ? order by child_asin",
        W2,
    )
    # A1: conversion 10/100 = 0.1 and price 200/10 = 20 last week.
    #   traffic    (150 − 100) × 0.1 × 20 = 100
    #   conversion (12 − 150 × 0.1) × 20  = −60
    #   price      12 × (228/12 − 20)     = −12; 100 − 60 − 12 = 28 = 228 − 200
    # A2 is new: last week's conversion and price are taken as this week's (0.1, 15), so its
    #   whole 30 is traffic: 20 × 0.1 × 15 = 30
    # A3 was zero-filled in W2: traffic (0 − 40) × 0.1 × 10 = −40, nothing else
    assert bridge == [
        {"child_asin": "A1", "change": 28.0, "traffic": 100.0, "conversion": -60.0, "price": -12.0},
        {"child_asin": "A2", "change": 30.0, "traffic": 30.0, "conversion": 0.0, "price": 0.0},
        {"child_asin": "A3", "change": -40.0, "traffic": -40.0, "conversion": 0.0, "price": 0.0},
    ]  # fmt: skip
    # the account: 258 − 240 = 18 = traffic 100 + 30 − 40 = 90, conversion −60, price −12
    account = fetch(
        warehouse,
        "select previous_revenue_amount::double as before, revenue_amount::double as now, "
        "revenue_change_amount::double as change, traffic_effect_amount::double as traffic, "
        "conversion_effect_amount::double as conversion, price_effect_amount::double as price "
        "from reports.rpt_revenue_bridge where account_id = 'oak-uk' and week_start = ?",
        W2,
    )
    assert account == [
        {"before": 240.0, "now": 258.0, "change": 18.0, "traffic": 90.0, "conversion": -60.0,
         "price": -12.0}
    ]  # fmt: skip
    # W1 has no previous week: no bridge
    assert fetch(warehouse, "select count(*) as n from reports.rpt_revenue_bridge where "
                 "week_start = ?", W1) == [{"n": 0}]  # fmt: skip
    movers = fetch(
        warehouse,
        "select mover_rank, child_asin, driver from reports.rpt_top_movers where week_start = ? "
        "order by mover_rank",
        W2,
    )
    # by size of change: A3 −40, A2 +30, A1 +28 (traffic 100 outweighs conversion −60)
    assert movers == [
        {"mover_rank": 1, "child_asin": "A3", "driver": "traffic"},
        {"mover_rank": 2, "child_asin": "A2", "driver": "traffic"},
        {"mover_rank": 3, "child_asin": "A1", "driver": "traffic"},
    ]


def test_bridge_rounds_to_the_cent_and_still_adds_up(warehouse):
    # conversion 7/30, price 100/7 = 14.2857…: traffic (31 − 30) × 7/30 × 100/7 = 3.333… → 3.33
    #   conversion (8 − 31 × 7/30) × 100/7 = (8 − 7.2333…) × 14.2857… = 10.952… → 10.95
    #   price is the rest: 113.50 − 100 − 3.33 − 10.95 = −0.78 (8 × (14.1875 − 14.2857) = −0.79
    #   before rounding the other two)
    sales(warehouse, [(W1, "A1", 30, 7, 100.0), (W2, "A1", 31, 8, 113.5)])
    build_models(warehouse, "marts.fct_revenue_bridge_asin_week")
    row = fetch(
        warehouse,
        "select traffic_effect_amount as t, conversion_effect_amount as c, "
        "price_effect_amount as p, revenue_change_amount as d "
        "from marts.fct_revenue_bridge_asin_week",
    )[0]
    assert (float(row["t"]), float(row["c"]), float(row["p"])) == (3.33, 10.95, -0.78)
    assert row["t"] + row["c"] + row["p"] == row["d"]  # decimals: exact


def test_top_movers_name_buy_box_loss_stock_out_and_sales_stopping(warehouse):
    sales(
        warehouse,
        [
            # D1 loses the Buy Box: same traffic, units 20 → 5 at the same price
            (W1, "D1", 100, 20, 400.0, 0.95),
            (W2, "D1", 100, 5, 100.0, 0.40),
            # D2 keeps its traffic and sells nothing
            (W1, "D2", 50, 5, 50.0, 1.0),
            (W2, "D2", 50, 0, 0.0, 1.0),
            # D3 the same, and the week's FBA snapshot shows no stock left
            (W1, "D3", 40, 4, 40.0, 1.0),
            (W2, "D3", 40, 0, 0.0, 1.0),
        ],
        account_id="messer-de",
    )
    insert(
        warehouse,
        "fba_inventory",
        [{"week_start": W2, "sku": "sku-D3", "asin": "D3", "afn_fulfillable_quantity": 0}],
        account_id="messer-de",
    )
    build_models(warehouse, "reports.rpt_top_movers")
    movers = fetch(
        warehouse,
        "select child_asin, traffic_effect_amount::double as traffic, "
        "conversion_effect_amount::double as conversion, driver from reports.rpt_top_movers "
        "order by mover_rank",
    )
    # D1: traffic 0; conversion (5 − 100 × 0.2) × 20 = −300; Buy Box 0.95 → 0.40
    # D2: traffic 0; conversion (0 − 50 × 0.1) × 10 = −50 with sessions but no units
    # D3: conversion (0 − 40 × 0.1) × 10 = −40, and it is out of stock
    assert movers == [
        {"child_asin": "D1", "traffic": 0.0, "conversion": -300.0, "driver": "buy_box"},
        {"child_asin": "D2", "traffic": 0.0, "conversion": -50.0, "driver": "no_sales"},
        {"child_asin": "D3", "traffic": 0.0, "conversion": -40.0, "driver": "out_of_stock"},
    ]


def test_growth_week_on_week_four_weeks_and_year_on_year(warehouse):
    weeks = [W2 - timedelta(weeks=7 - i) for i in range(8)]
    revenue = [100, 100, 100, 100, 110, 120, 130, 140]
    last_year = date(2025, 11, 17)  # ISO week 47 of 2025, as W2 is of 2026
    sales(
        warehouse,
        [(w, "A1", 100, 10, r) for w, r in zip(weeks, revenue, strict=True)]
        + [(last_year, "A1", 50, 5, 70.0)],
    )
    # messer-de misses one week inside the window
    sales(
        warehouse,
        [(w, "D1", 10, 1, 10.0) for w in weeks if w != weeks[5]],
        account_id="messer-de",
    )
    build_models(warehouse, "reports.rpt_sales_growth")
    rows = fetch(
        warehouse,
        "select account_id, revenue_wow_pct, revenue_4w_amount::double as last_4, "
        "revenue_prior_4w_amount::double as prior_4, revenue_4w_pct, units_4w_pct, "
        "revenue_yoy_pct, last_year_week_start from reports.rpt_sales_growth "
        "where week_start = ? order by account_id",
        W2,
    )
    oak = rows[1]
    # WoW 140 / 130 − 1; 4 weeks 110+120+130+140 = 500 vs 4 × 100 = 400 → +25 %;
    # units are 10 every week → 0 %; YoY 140 / 70 − 1 = +100 %
    assert oak["revenue_wow_pct"] == pytest.approx(140 / 130 - 1)
    assert (oak["last_4"], oak["prior_4"]) == (500.0, 400.0)
    assert oak["revenue_4w_pct"] == pytest.approx(0.25)
    assert oak["units_4w_pct"] == 0
    assert oak["revenue_yoy_pct"] == pytest.approx(1.0)
    assert oak["last_year_week_start"] == last_year
    # messer-de: the last 4 weeks lack one → no 4-week growth; no year-ago week → NULL
    de = rows[0]
    assert (de["last_4"], de["revenue_4w_pct"], de["revenue_yoy_pct"]) == (None, None, None)
    assert de["prior_4"] == 40.0 and de["revenue_wow_pct"] == 0


def test_a_restated_week_changes_its_growth_when_rebuilt(warehouse):
    sales(warehouse, [(W1, "A1", 100, 10, 100.0), (W2, "A1", 100, 10, 150.0)])
    build_models(warehouse, "reports.rpt_sales_growth")
    # the corrected export of W2 replaces its rows (the ingest supersedes the old file)
    warehouse.execute("delete from raw.business_report_child_items where period_start = ?", [W2])
    sales(warehouse, [(W2, "A1", 100, 10, 120.0)])
    build_models(warehouse, "reports.rpt_sales_growth", week=W2)
    # 120 / 100 − 1 = 0.2, not 150 / 100 − 1
    assert fetch(
        warehouse, "select revenue_wow_pct from reports.rpt_sales_growth where week_start = ?", W2
    ) == [{"revenue_wow_pct": pytest.approx(0.2)}]


def test_traffic_counts_once_per_asin_and_sales_add_up_over_its_skus(warehouse):
    # A real child-item report with a SKU column repeats the ASIN's traffic on every SKU row:
    # A1 has two SKUs, each row carrying A1's 100 sessions, 120 page views and 90 % Buy Box;
    # units, order items and sales are the SKU's own. B1 is listed under two parents, whose
    # rows are distinct ASIN rows: their traffic adds up.
    row = {"week_start": W2, "title": "Title"}
    insert(
        warehouse,
        "business_report_child_items",
        [
            {**row, "parent_asin": "P1", "child_asin": "A1", "sku": "A1-red", "sessions": 100,
             "page_views": 120, "buy_box_pct": 0.9, "units": 6, "order_items": 5,
             "revenue": 60.0},
            {**row, "parent_asin": "P1", "child_asin": "A1", "sku": "A1-blue", "sessions": 100,
             "page_views": 120, "buy_box_pct": 0.9, "units": 4, "order_items": 4,
             "revenue": 44.0},
            {**row, "parent_asin": "P1", "child_asin": "B1", "sku": "B1", "sessions": 30,
             "page_views": 40, "buy_box_pct": 1.0, "units": 3, "order_items": 3,
             "revenue": 30.0},
            {**row, "parent_asin": "P2", "child_asin": "B1", "sku": "B1", "sessions": 10,
             "page_views": 20, "buy_box_pct": 0.4, "units": 1, "order_items": 1,
             "revenue": 10.0},
        ],
    )  # fmt: skip
    build_models(warehouse, "reports.rpt_headline_kpis")
    asins = fetch(
        warehouse,
        "select child_asin, sessions, page_views, round(buy_box_pct, 4) as buy_box_pct, units, "
        "order_items, revenue_amount::double as revenue from marts.fct_sales_asin_week "
        "where week_start = ? order by child_asin",
        W2,
    )
    # A1: traffic once (100, 120, 0.9), sales summed: 6 + 4 units, 5 + 4 items, 60 + 44
    # B1: two parents: 30 + 10 sessions, 40 + 20 page views, Buy Box weighted by page views
    #     (1.0 × 40 + 0.4 × 20) / 60 = 48 / 60 = 0.8
    assert asins == [
        {"child_asin": "A1", "sessions": 100, "page_views": 120, "buy_box_pct": 0.9,
         "units": 10, "order_items": 9, "revenue": 104.0},
        {"child_asin": "B1", "sessions": 40, "page_views": 60, "buy_box_pct": 0.8,
         "units": 4, "order_items": 4, "revenue": 40.0},
    ]  # fmt: skip
    (account,) = fetch(
        warehouse,
        "select sessions, round(unit_session_pct, 4) as unit_session_pct, "
        "round(buy_box_pct, 4) as buy_box_pct from marts.fct_sales_account_week "
        "where week_start = ?",
        W2,
    )
    # 140 sessions (not 240); 14 units ÷ 140 = 0.1; Buy Box (0.9 × 120 + 0.8 × 60) / 180
    # = (108 + 48) / 180 = 0.8667
    assert account == {"sessions": 140, "unit_session_pct": 0.1, "buy_box_pct": 0.8667}
