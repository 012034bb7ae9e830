"""Advertising models by hand: report precedence, ACoS…ROI, campaigns over target, wasted terms."""

from datetime import date, timedelta

import pytest

from tests.sql.rows import build_models, fetch, insert

W2 = date(2026, 11, 16)


def day(n: int) -> date:
    return date(2026, 11, n)


def ad(report_date, campaign, impressions, clicks, spend, sales, orders, **extra):
    return {
        "report_date": report_date,
        "campaign_name": campaign,
        "ad_group_name": "G",
        "impressions": impressions,
        "clicks": clicks,
        "spend": spend,
        "sales": sales,
        "orders": orders,
        "units": orders,
        **extra,
    }


@pytest.fixture
def ads(warehouse):
    # C1 is in three reports; each day counts once, from the most complete report that has it:
    #   campaign report     16th, 17th: 100 impressions, 5 clicks, spend 10, sales 50, 2 orders
    #   advertised products 16th–18th: two SKUs of 40 / 2 / 4.5 / 20 / 1 and 0 → 18th only
    #   search terms        16th–19th: 60 / 3 / 8 / 30 / 1                 → 19th only
    # C3 is over target in the campaign report (20 spent for 40 of sales, 10 clicks, 2 orders);
    # C2 only appears in search terms and spent 12 on "cheap knife" without an order.
    insert(
        warehouse,
        "sp_campaigns",
        [ad(day(d), "C1", 100, 5, 10, 50, 2) for d in (16, 17)]
        + [ad(day(17), "C3", 500, 10, 20, 40, 2)],
        attribution_days=7,
        source_file="campaigns.csv",
    )
    insert(
        warehouse,
        "sp_advertised_products",
        [
            ad(day(d), "C1", 40, 2, 4.5, 20, orders, advertised_sku=sku)
            for d in (16, 17, 18)
            for sku, orders in (("s1", 1), ("s2", 0))
        ],
        attribution_days=7,
        source_file="advertised.csv",
    )
    terms = [
        ad(day(d), "C1", 60, 3, 8, 30, 1, search_term="chef knife", targeting="knife")
        for d in (16, 17, 18, 19)
    ]
    terms += [
        ad(day(16), "C2", 300, 6, 12, 0, 0, search_term="cheap knife", targeting="knife"),
        ad(day(16), "C2", 50, 0, 0, 0, 0, search_term="free knife", targeting="knife"),
    ]
    insert(warehouse, "sp_search_terms", terms, attribution_days=7, source_file="terms.csv")
    # an older export of the same C2 day, superseded by the later load above
    insert(
        warehouse,
        "sp_search_terms",
        [ad(day(16), "C2", 300, 6, 99, 0, 0, search_term="cheap knife", targeting="knife")],
        attribution_days=7,
        source_file="terms-old.csv",
        loaded_at="2026-11-20 08:00",
    )
    insert(
        warehouse,
        "business_report_child_items",
        [{"week_start": W2, "child_asin": "A1", "sku": "sku-A1", "sessions": 500,
          "page_views": 500, "units": 20, "order_items": 20, "revenue": 1000}],
    )  # fmt: skip
    # a unit cost in dollars, converted at the ECB rates of the week's Friday (not the
    # week before, not the week after)
    warehouse.execute("insert into raw.unit_costs values ('oak-uk', 'sku-A1', 10, 'USD', null)")
    warehouse.execute(
        "insert into raw.fx_rates values ('2026-11-13', 'USD', 1.10), ('2026-11-13', 'GBP', 0.90),"
        " ('2026-11-20', 'USD', 1.05), ('2026-11-20', 'GBP', 0.875),"
        " ('2026-11-23', 'USD', 1.00), ('2026-11-23', 'GBP', 0.80)"
    )
    build_models(
        warehouse,
        "reports.rpt_advertising",
        "reports.rpt_campaigns_over_target",
        "reports.rpt_search_terms_without_orders",
    )
    return warehouse


def test_each_campaign_day_comes_from_its_most_complete_report(ads):
    rows = fetch(
        ads,
        "select campaign_name, days_reported, impressions, clicks, spend_amount::double as spend, "
        "ad_sales_amount::double as sales, ad_orders, source_report, attribution_days "
        "from marts.fct_ads_campaign_week order by campaign_name",
    )
    # C1: campaign 16th+17th (200, 10, 20, 100, 4) + products 18th (80, 4, 9, 40, 1)
    #     + search terms 19th (60, 3, 8, 30, 1) = 340 impressions, 17 clicks, 37 spent,
    #     170 sales, 6 orders; C2: the later load of the 16th (spend 12, not 99)
    assert rows == [
        {"campaign_name": "C1", "days_reported": 4, "impressions": 340, "clicks": 17,
         "spend": 37.0, "sales": 170.0, "ad_orders": 6, "source_report": "search_term",
         "attribution_days": 7},
        {"campaign_name": "C2", "days_reported": 1, "impressions": 350, "clicks": 6,
         "spend": 12.0, "sales": 0.0, "ad_orders": 0, "source_report": "search_term",
         "attribution_days": 7},
        {"campaign_name": "C3", "days_reported": 1, "impressions": 500, "clicks": 10,
         "spend": 20.0, "sales": 40.0, "ad_orders": 2, "source_report": "campaign",
         "attribution_days": 7},
    ]  # fmt: skip


def test_advertising_kpis_sum_first_then_divide(ads):
    row = fetch(ads, "select * from reports.rpt_advertising where account_id = 'oak-uk'")[0]
    # spend 37 + 12 + 20 = 69; sales 170 + 0 + 40 = 210; clicks 17 + 6 + 10 = 33;
    # impressions 340 + 350 + 500 = 1190; orders 6 + 0 + 2 = 8; total revenue 1000
    assert (float(row["ad_spend_amount"]), float(row["ad_sales_amount"])) == (69.0, 210.0)
    assert row["acos"] == pytest.approx(69 / 210)  # 0.3286
    assert row["roas"] == pytest.approx(210 / 69)  # 3.04
    assert row["tacos"] == pytest.approx(69 / 1000)  # 0.069
    assert float(row["cpc_amount"]) == pytest.approx(69 / 33)  # 2.09
    assert row["ctr"] == pytest.approx(33 / 1190)  # 0.0277
    assert row["ad_cvr"] == pytest.approx(8 / 33)  # 0.2424
    assert (row["attribution_days"], row["currency_code"]) == (7, "GBP")
    # cost of goods: 20 units × 10 USD × 0.875 GBP/EUR ÷ 1.05 USD/EUR = 166.67 GBP;
    # ROI = (1000 − 166.67 − 69) ÷ (166.67 + 69) = 764.33 ÷ 235.67 = 3.2433
    assert float(row["cost_of_goods_amount"]) == pytest.approx(20 * 10 * 0.875 / 1.05)
    assert row["roi"] == pytest.approx((1000 - 500 / 3 - 69) / (500 / 3 + 69))


def test_campaigns_over_the_acos_target_worst_first(ads):
    rows = fetch(
        ads,
        "select campaign_rank, campaign_name, acos, excess_spend_amount::double as excess "
        "from reports.rpt_campaigns_over_target order by campaign_rank",
    )
    # target 0.3: C1 37/170 = 0.22 is inside; C2 spent 12 for nothing (excess 12, no ACoS);
    # C3 20/40 = 0.5 (excess 20 − 0.3 × 40 = 8)
    assert rows == [
        {"campaign_rank": 1, "campaign_name": "C2", "acos": None, "excess": 12.0},
        {"campaign_rank": 2, "campaign_name": "C3", "acos": 0.5, "excess": 8.0},
    ]


def test_search_terms_that_spent_without_an_order(ads):
    rows = fetch(
        ads,
        "select search_term, campaign_name, clicks, spend_amount::double as spend, cpc_amount "
        "from reports.rpt_search_terms_without_orders",
    )
    # "chef knife" ordered; "free knife" spent nothing; "cheap knife": 12 for 6 clicks = 2 each
    assert rows == [
        {"search_term": "cheap knife", "campaign_name": "C2", "clicks": 6, "spend": 12.0,
         "cpc_amount": 2.0}
    ]  # fmt: skip


def test_zero_denominators_give_null_and_no_costs_no_roi(warehouse):
    insert(
        warehouse,
        "sp_campaigns",
        [ad(day(16), "D1", 0, 0, 0, 0, 0)],
        account_id="messer-de",
        attribution_days=14,
    )
    build_models(warehouse, "reports.rpt_advertising")
    row = fetch(warehouse, "select * from reports.rpt_advertising")[0]
    # nothing shown, clicked or sold; no business report (no revenue) and no unit costs
    assert {k: row[k] for k in ("acos", "roas", "tacos", "cpc_amount", "ctr", "ad_cvr", "roi")} == (
        dict.fromkeys(("acos", "roas", "tacos", "cpc_amount", "ctr", "ad_cvr", "roi"))
    )
    assert row["attribution_days"] == 14


def test_roi_with_costs_in_the_accounts_own_currency_needs_no_rates_file(warehouse):
    insert(warehouse, "sp_campaigns", [ad(day(16), "C1", 100, 10, 50, 200, 4)], attribution_days=7)
    insert(
        warehouse,
        "business_report_child_items",
        [{"week_start": W2, "child_asin": "A1", "sku": "sku-A1", "sessions": 100,
          "page_views": 100, "units": 10, "order_items": 10, "revenue": 500}],
    )  # fmt: skip
    warehouse.execute("insert into raw.unit_costs values ('oak-uk', 'sku-A1', 20, 'GBP', null)")
    build_models(warehouse, "reports.rpt_advertising")
    # cost 10 × 20 = 200 GBP; ROI = (500 − 200 − 50) ÷ (200 + 50) = 1.0
    assert fetch(warehouse, "select roi from reports.rpt_advertising") == [{"roi": 1.0}]


def test_units_unknown_in_a_campaign_report_are_not_zero(warehouse):
    # A campaign report has no units column (the raw column stays NULL). K1's days 16th and
    # 17th come from the campaign report; the advertised product report has the 16th only,
    # with 3 units: the 16th takes them, the 17th stays unknown, so the week is unknown.
    # K2 is in the campaign report for the 16th and in the advertised product report for the
    # same day with 5 units: its week has 5 units.
    insert(
        warehouse,
        "sp_campaigns",
        [ad(day(d), "K1", 100, 5, 10, 50, 2, units=None) for d in (16, 17)]
        + [ad(day(16), "K2", 100, 5, 10, 50, 4, units=None)],
        attribution_days=7,
        source_file="campaigns.csv",
    )
    insert(
        warehouse,
        "sp_advertised_products",
        [
            ad(day(16), "K1", 90, 4, 9, 40, 2, units=3, advertised_sku="k1"),
            ad(day(16), "K2", 90, 4, 9, 40, 4, units=5, advertised_sku="k2"),
        ],
        attribution_days=7,
        source_file="advertised.csv",
    )
    build_models(warehouse, "marts.fct_ads_account_week")
    campaigns = fetch(
        warehouse,
        "select campaign_name, spend_amount::double as spend, ad_orders, ad_units "
        "from marts.fct_ads_campaign_week where week_start = ? order by campaign_name",
        W2,
    )
    # spend and orders still from the campaign report (10 + 10, 2 + 2; K2 10 and 4)
    assert campaigns == [
        {"campaign_name": "K1", "spend": 20.0, "ad_orders": 4, "ad_units": None},
        {"campaign_name": "K2", "spend": 10.0, "ad_orders": 4, "ad_units": 5},
    ]
    # the account's units: unknown while one campaign's are, never 0
    assert fetch(
        warehouse, "select ad_units from marts.fct_ads_account_week where week_start = ?", W2
    ) == [{"ad_units": None}]


def summary(start, end, campaign, impressions, clicks, spend, orders, **extra):
    return ad(start, campaign, impressions, clicks, spend, 0, orders, end_date=end, **extra)


def test_a_summary_row_is_spread_over_its_days_and_marked_estimated_across_weeks(warehouse):
    # Fri 13th – Thu 19th (7 days): 100 impressions, 7 clicks, 10.00 spent, 3 orders. Day i (0–6)
    # gets floor(total × (i + 1) / 7) − floor(total × i / 7):
    #   cents  142 143 143 | 143 143 143 143  → week of the 9th 4.28, week of the 16th 5.72
    #   impr.   14  14  14 |  15  14  14  15  → 42 | 58
    #   clicks   1   1   1 |   1   1   1   1  → 3 | 4
    #   orders   0   0   1 |   0   1   0   1  → 1 | 2
    insert(
        warehouse,
        "sp_campaigns",
        [summary(day(13), day(19), "C1", 100, 7, 10, 3)],
        period_start=day(13),
        period_end=day(19),
    )
    # Mon 23rd – Sun 29th lies in one week: its total is exact for that week
    insert(
        warehouse,
        "sp_campaigns",
        [summary(day(23), day(29), "C1", 70, 7, 7, 1)],
        period_start=day(23),
        period_end=day(29),
        file_hash="h2",
    )
    build_models(warehouse, "marts.fct_ads_account_week")
    rows = fetch(
        warehouse,
        "select week_start, impressions, clicks, ad_spend_amount::double as spend, ad_orders, "
        "has_estimated_days from marts.fct_ads_account_week order by week_start",
    )
    assert rows == [
        {"week_start": date(2026, 11, 9), "impressions": 42, "clicks": 3, "spend": 4.28,
         "ad_orders": 1, "has_estimated_days": True},
        {"week_start": W2, "impressions": 58, "clicks": 4, "spend": 5.72, "ad_orders": 2,
         "has_estimated_days": True},
        {"week_start": date(2026, 11, 23), "impressions": 70, "clicks": 7, "spend": 7.0,
         "ad_orders": 1, "has_estimated_days": False},
    ]  # fmt: skip


def knife_export(warehouse, rows, first, last, name, **extra):
    """A search-term export of ``rows`` whose period is ``first`` to ``last``."""
    insert(
        warehouse,
        "sp_search_terms",
        rows,
        period_start=first,
        period_end=last,
        file_hash=name,
        **extra,
    )


def knife(first, impressions, clicks, spend, last=None):
    """C1's search term "knife": a day's row, or a summary row of ``first`` to ``last``."""
    if last is None:
        return ad(first, "C1", impressions, clicks, spend, 0, 0, search_term="knife")
    return summary(first, last, "C1", impressions, clicks, spend, 0, search_term="knife")


def weekly_spend(warehouse) -> dict:
    return dict(
        warehouse.execute(
            "select week_start, spend_amount::double from marts.fct_ads_campaign_week"
        ).fetchall()
    )


def test_a_day_counts_once_daily_exports_first_then_the_latest_summary(warehouse):
    # an old summary of the whole month: 30 days, 30.00 spent → 1.00 a day
    knife_export(
        warehouse, [knife(day(1), 300, 30, 30, last=day(30))], day(1), day(30), "month",
        loaded_at="2026-11-20 08:00",
    )  # fmt: skip
    # a summary of Mon 16th – Sun 22nd: 14.00 → 2.00 a day; its period is shorter (more exact),
    # so it replaces the month's share on those days, though loaded earlier
    knife_export(
        warehouse, [knife(day(16), 70, 7, 14, last=day(22))], day(16), day(22), "week",
        loaded_at="2026-11-19 08:00",
    )  # fmt: skip
    # a daily export of Tue 17th – Wed 18th (9.00 and 0.50): those days come from it alone,
    # even though the summaries were loaded after it
    knife_export(
        warehouse, [knife(day(17), 10, 1, 9), knife(day(18), 10, 1, 0.5)], day(17), day(18),
        "daily", loaded_at="2026-11-01 08:00",
    )  # fmt: skip
    build_models(warehouse, "marts.fct_ads_campaign_week")
    spend = weekly_spend(warehouse)
    # week of the 16th: 16th 2.00 (week summary) + 17th 9.00 + 18th 0.50 (daily)
    #   + 19th–22nd 4 × 2.00 (week summary) = 19.50; not 30 days' month on top
    # week of the 9th: 7 days × 1.00 of the month; week of the 23rd: 23rd–29th 7 × 1.00
    # (the month's 30th is a Monday: week of the 30th 1.00); 2nd–8th: 7.00; the 1st (Sun): 1.00
    assert spend == {
        date(2026, 10, 26): 1.0,
        date(2026, 11, 2): 7.0,
        date(2026, 11, 9): 7.0,
        W2: 19.5,
        date(2026, 11, 23): 7.0,
        date(2026, 11, 30): 1.0,
    }
    # nothing lost or doubled: 1.00 × (30 − 7) + 2.00 × 5 + 9.50 = 42.50
    assert sum(spend.values()) == 42.5


def test_a_week_built_alone_reads_the_exports_around_it_and_equals_the_whole_build(warehouse):
    # a summary of the whole month: 30.00 over 30 days, 1.00 a day
    knife_export(warehouse, [knife(day(1), 300, 30, 30, last=day(30))], day(1), day(30), "month")
    # a daily export of Mon 2nd – Sun 22nd with rows on its first and last day only (3.00 and
    # 4.00): every day from the 2nd to the 22nd comes from it, none from the month, so the
    # week of the 9th has no spend at all, though no row of this export falls in it
    knife_export(
        warehouse, [knife(day(2), 30, 3, 3), knife(day(22), 40, 4, 4)], day(2), day(22), "daily"
    )
    build_models(warehouse, "marts.fct_ads_campaign_week")
    whole = weekly_spend(warehouse)
    # the 1st (a Sunday) 1.00; 2nd–8th: the 2nd's 3.00; 16th–22nd: the 22nd's 4.00; 23rd–29th
    # 7 × 1.00; the 30th (a Monday) 1.00
    assert whole == {
        date(2026, 10, 26): 1.0,
        date(2026, 11, 2): 3.0,
        W2: 4.0,
        date(2026, 11, 23): 7.0,
        date(2026, 11, 30): 1.0,
    }
    # each week built alone (in_build_days: the exports whose period touches it) again
    for week in [date(2026, 10, 26) + timedelta(weeks=n) for n in range(6)]:
        build_models(warehouse, "marts.fct_ads_campaign_week", week=week)
    assert weekly_spend(warehouse) == whole


def test_seven_and_fourteen_day_windows_are_not_added_together_silently(warehouse):
    # C1 on the 16th in a 7-day and a 14-day campaign report: counts once, the 7-day one;
    # C2 only in the 14-day report: the account's week mixes windows and says so
    insert(warehouse, "sp_campaigns", [ad(day(16), "C1", 100, 5, 10, 50, 2)], attribution_days=7)
    insert(
        warehouse,
        "sp_campaigns",
        [ad(day(16), "C1", 100, 5, 10, 80, 3), ad(day(16), "C2", 10, 1, 1, 4, 1)],
        attribution_days=14,
        file_hash="h14",
    )
    build_models(warehouse, "reports.rpt_advertising")
    row = fetch(warehouse, "select * from reports.rpt_advertising")[0]
    # spend 10 (C1, once) + 1 (C2) = 11; sales 50 (C1 at 7 days) + 4 (C2 at 14 days) = 54
    assert (float(row["ad_spend_amount"]), float(row["ad_sales_amount"])) == (11.0, 54.0)
    assert (row["attribution_days"], row["attribution_windows"]) == (None, [7, 14])
