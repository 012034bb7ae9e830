"""Advertising models by hand: report precedence, ACoS…ROI, campaigns over target, wasted terms."""

from datetime import date

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
    warehouse.execute("insert into raw.unit_costs values ('oak-uk', 'sku-A1', 10, 'USD')")
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
    warehouse.execute("insert into raw.unit_costs values ('oak-uk', 'sku-A1', 20, 'GBP')")
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
