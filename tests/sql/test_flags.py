"""The marts behind the reports: configuration in marts.dim_accounts, growth defined once in
marts.fct_sales_account_week, and the flags computed from the thresholds in
assets/core/registry/marketplaces.yaml (raw.marketplaces); every number worked out by hand."""

from datetime import date, timedelta

import pytest

from assets.core.catalog import discover
from assets.models.build import build
from tests.sql.rows import build_models, fetch, insert

W1, W2 = date(2026, 11, 9), date(2026, 11, 16)


def sales(warehouse, account, week, revenue, sessions=100, units=10, asin="A1"):
    insert(
        warehouse,
        "business_report_child_items",
        [{"week_start": week, "child_asin": asin, "sku": "s1", "title": f"Title {asin}",
          "sessions": sessions, "page_views": sessions, "units": units, "order_items": units,
          "revenue": revenue}],
        account_id=account,
    )  # fmt: skip


def set_threshold(warehouse, name, value, marketplace="UK"):
    warehouse.execute(
        f"update raw.marketplaces set threshold_{name} = ? where marketplace = ?",
        [value, marketplace],
    )


def test_dim_accounts_has_every_configured_account_once(warehouse):
    build_models(warehouse, "marts.dim_accounts")
    rows = fetch(
        warehouse,
        "select account_id, currency_code, base_currency, lead_time_days, "
        "target_acos, threshold_odr, threshold_low_star_share, threshold_low_star_min_reviews, "
        "threshold_high_risk_score, threshold_overstock_days, threshold_provisional_days "
        "from marts.dim_accounts order by account_id",
    )
    # the 3 configured accounts, whether or not they sent exports
    assert [r["account_id"] for r in rows] == ["messer-de", "oak-uk", "ocha-jp"]
    # accounts.yaml: GBP (UK), portfolio eu in EUR, the default 21 days' lead time, ACoS
    # target 0.3; marketplaces.yaml defaults: 1 % ODR, 25 % of at least 4 reviews, 50, 90, 3
    assert rows[1] == {
        "account_id": "oak-uk", "currency_code": "GBP",
        "base_currency": "EUR", "lead_time_days": 21, "target_acos": 0.3,
        "threshold_odr": 0.01, "threshold_low_star_share": 0.25,
        "threshold_low_star_min_reviews": 4, "threshold_high_risk_score": 50,
        "threshold_overstock_days": 90, "threshold_provisional_days": 3,
    }  # fmt: skip
    assert rows[2]["base_currency"] == "USD" and rows[2]["target_acos"] is None


def test_a_dimension_is_rebuilt_whole_in_a_weekly_run(warehouse):
    build_models(warehouse, "marts.dim_accounts")
    warehouse.execute("update raw.accounts set target_acos = 0.2 where account_id = 'ocha-jp'")
    (model,) = [m for m in discover() if m.table == "marts.dim_accounts"]
    assert build(warehouse, model, W2) == 3  # a week's build: every account, edit included
    assert fetch(
        warehouse, "select target_acos from marts.dim_accounts where account_id = 'ocha-jp'"
    ) == [{"target_acos": 0.2}]


def test_growth_is_defined_once_and_the_reports_show_it(warehouse):
    sales(warehouse, "oak-uk", W1, 100.0, sessions=100, units=10)
    sales(warehouse, "oak-uk", W2, 150.0, sessions=80, units=12)
    build_models(warehouse, "reports.rpt_headline_kpis", "reports.rpt_sales_growth")
    mart = fetch(
        warehouse,
        "select revenue_wow_pct, units_wow_pct, sessions_wow_pct, unit_session_pct, "
        "asp_amount, revenue_4w_pct from marts.fct_sales_account_week where week_start = ?",
        W2,
    )
    # revenue 150 / 100 − 1 = 0.5; units 12 / 10 − 1 = 0.2; sessions 80 / 100 − 1 = −0.2;
    # unit session % 12 / 80 = 0.15; ASP 150 / 12 = 12.5; only 2 weeks: no 4-week growth
    assert mart == [
        {"revenue_wow_pct": pytest.approx(0.5), "units_wow_pct": pytest.approx(0.2),
         "sessions_wow_pct": pytest.approx(-0.2), "unit_session_pct": pytest.approx(0.15),
         "asp_amount": pytest.approx(12.5), "revenue_4w_pct": None}
    ]  # fmt: skip
    for report in ("rpt_headline_kpis", "rpt_sales_growth"):
        shown = fetch(
            warehouse,
            f"select revenue_wow_pct, units_wow_pct, sessions_wow_pct from reports.{report} "
            "where week_start = ?",
            W2,
        )
        assert shown == [{k: mart[0][k] for k in shown[0]}], report


def test_acos_over_target_for_campaigns_and_the_account(warehouse):
    def campaign(account, day, name, spend, ad_sales):
        insert(
            warehouse,
            "sp_campaigns",
            [{"report_date": day, "campaign_name": name, "clicks": 10, "spend": spend,
              "sales": ad_sales, "orders": 1 if ad_sales else 0}],
            account_id=account,
            attribution_days=7,
        )  # fmt: skip

    # oak-uk, target 0.3. W1: C1 spends 5 without any ad sales
    campaign("oak-uk", W1 + timedelta(days=1), "C1", 5, 0)
    # W2: C1 60 for 100 (over: 60 > 0.3 × 100 = 30), C2 10 for 50 (under: 10 < 15)
    campaign("oak-uk", W2 + timedelta(days=1), "C1", 60, 100)
    campaign("oak-uk", W2 + timedelta(days=1), "C2", 10, 50)
    # messer-de has no target: nothing is over it
    campaign("messer-de", W2 + timedelta(days=1), "D1", 50, 0)
    build_models(warehouse, "reports.rpt_advertising", "reports.rpt_campaigns_over_target")
    accounts = fetch(
        warehouse,
        "select account_id, week_start, acos, target_acos, is_over_target "
        "from reports.rpt_advertising order by account_id, week_start",
    )
    # W1: spend 5 > 0.3 × 0 → over, ACoS "–"; W2: 70 > 0.3 × 150 = 45 → over, ACoS 70/150
    assert accounts == [
        {"account_id": "messer-de", "week_start": W2, "acos": None, "target_acos": None,
         "is_over_target": False},
        {"account_id": "oak-uk", "week_start": W1, "acos": None, "target_acos": 0.3,
         "is_over_target": True},
        {"account_id": "oak-uk", "week_start": W2, "acos": pytest.approx(70 / 150),
         "target_acos": 0.3, "is_over_target": True},
    ]  # fmt: skip
    campaigns = fetch(
        warehouse,
        "select week_start, campaign_name, excess_spend_amount, is_over_target, "
        "over_target_rank from marts.fct_ads_campaign_target_week order by all",
    )
    # excess = spend − target × ad sales: W1 C1 5 − 0 = 5; W2 C1 60 − 30 = 30, C2 10 − 15 = −5
    assert campaigns == [
        {"week_start": W1, "campaign_name": "C1", "excess_spend_amount": 5.0,
         "is_over_target": True, "over_target_rank": 1},
        {"week_start": W2, "campaign_name": "C1", "excess_spend_amount": 30.0,
         "is_over_target": True, "over_target_rank": 1},
        {"week_start": W2, "campaign_name": "C2", "excess_spend_amount": -5.0,
         "is_over_target": False, "over_target_rank": None},
    ]  # fmt: skip
    assert fetch(
        warehouse,
        "select week_start, campaign_rank, campaign_name from reports.rpt_campaigns_over_target "
        "order by all",
    ) == [
        {"week_start": W1, "campaign_rank": 1, "campaign_name": "C1"},
        {"week_start": W2, "campaign_rank": 1, "campaign_name": "C1"},
    ]  # fmt: skip


def reviews(warehouse, account, stars):
    insert(
        warehouse,
        "customer_reviews",
        [{"review_id": f"{account}-{i}", "product_id": "A1", "star_rating": s,
          "review_date": W2 + timedelta(days=2), "week_start": W2}
         for i, s in enumerate(stars)],
        account_id=account,
    )  # fmt: skip


def test_low_star_share_needs_enough_new_reviews_from_configuration(warehouse):
    reviews(warehouse, "oak-uk", [5, 5, 4, 2])  # 1 of 4 = 0.25 ≥ 0.25, 4 ≥ 4 → flagged
    reviews(warehouse, "messer-de", [1, 1, 5])  # 2 of 3 = 0.67, but only 3 < 4 reviews
    reviews(warehouse, "ocha-jp", [5, 5, 4, 4, 2])  # 1 of 5 = 0.2 < 0.25
    build_models(warehouse, "reports.rpt_customer_voice")

    def flags():
        return fetch(
            warehouse,
            "select account_id, new_reviews, low_star_pct, is_low_star "
            "from reports.rpt_customer_voice order by account_id",
        )

    assert flags() == [
        {"account_id": "messer-de", "new_reviews": 3, "low_star_pct": pytest.approx(2 / 3),
         "is_low_star": False},
        {"account_id": "oak-uk", "new_reviews": 4, "low_star_pct": 0.25, "is_low_star": True},
        {"account_id": "ocha-jp", "new_reviews": 5, "low_star_pct": 0.2, "is_low_star": False},
    ]  # fmt: skip
    # UK asks for 5 reviews from now on: 4 are no longer enough
    set_threshold(warehouse, "low_star_min_reviews", 5)
    build_models(warehouse, "reports.rpt_customer_voice")
    assert [r["is_low_star"] for r in flags()] == [False, False, False]


def test_high_risk_from_the_configured_score(warehouse):
    sales(warehouse, "oak-uk", W1, 1000.0)
    sales(warehouse, "oak-uk", W2, 500.0)
    sales(warehouse, "messer-de", W1, 500.0)
    sales(warehouse, "messer-de", W2, 600.0)
    insert(  # ODR 3 % against the export's 1 % target
        warehouse,
        "account_health",
        [{"week_start": W2, "metric": "odr", "channel": "afn", "rate": 0.03,
          "target_value": 0.01, "target_condition": "LESS_THAN", "defects": 3, "orders": 100,
          "date_from": date(2026, 9, 21), "date_to": date(2026, 11, 20)}],
    )  # fmt: skip
    build_models(warehouse, "reports.rpt_portfolio_accounts", "reports.rpt_portfolio")

    def risk():
        return fetch(
            warehouse,
            "select account_id, risk_score, is_high_risk from reports.rpt_portfolio_accounts "
            "where week_start = ? order by account_id",
            W2,
        ), fetch(
            warehouse,
            "select accounts_at_high_risk from reports.rpt_portfolio where week_start = ?",
            W2,
        )

    # oak-uk: breach 30 + revenue −50 % → 20 × min(1, 0.5 / 0.5) = 20; no stock, ads or
    # reviews → 50, exactly the default 50 → high risk. messer-de grew: 0.
    assert risk() == (
        [{"account_id": "messer-de", "risk_score": 0.0, "is_high_risk": False},
         {"account_id": "oak-uk", "risk_score": 50.0, "is_high_risk": True}],
        [{"accounts_at_high_risk": 1}],
    )  # fmt: skip
    set_threshold(warehouse, "high_risk_score", 51)
    build_models(warehouse, "reports.rpt_portfolio_accounts", "reports.rpt_portfolio")
    assert risk() == (
        [{"account_id": "messer-de", "risk_score": 0.0, "is_high_risk": False},
         {"account_id": "oak-uk", "risk_score": 50.0, "is_high_risk": False}],
        [{"accounts_at_high_risk": 0}],
    )  # fmt: skip


def test_overstock_days_from_configuration(warehouse):
    sales(warehouse, "oak-uk", W1, 70.0, sessions=10, units=7)
    insert(
        warehouse,
        "fba_inventory",
        [{"week_start": W1, "sku": "s1", "asin": "A1", "afn_fulfillable_quantity": 700}],
    )
    build_models(warehouse, "reports.rpt_inventory", "reports.rpt_inventory_summary")

    def stock():
        return fetch(
            warehouse,
            "select days_of_supply, stock_status, is_stock_out_risk, is_overstock "
            "from reports.rpt_inventory",
        ) + fetch(
            warehouse,
            "select has_out_of_stock, has_stock_out_risk, has_overstock "
            "from reports.rpt_inventory_summary",
        )

    # 7 units in a week = 1 a day; 700 available → 700 days of supply > 90: overstock
    assert stock() == [
        {"days_of_supply": 700.0, "stock_status": "overstock", "is_stock_out_risk": False,
         "is_overstock": True},
        {"has_out_of_stock": False, "has_stock_out_risk": False, "has_overstock": True},
    ]  # fmt: skip
    # 1000 days allowed: 700 is healthy (and ≥ the 21 days' lead time)
    set_threshold(warehouse, "overstock_days", 1000)
    build_models(warehouse, "reports.rpt_inventory", "reports.rpt_inventory_summary")
    assert stock() == [
        {"days_of_supply": 700.0, "stock_status": "healthy", "is_stock_out_risk": False,
         "is_overstock": False},
        {"has_out_of_stock": False, "has_stock_out_risk": False, "has_overstock": False},
    ]  # fmt: skip


def test_provisional_days_from_configuration(warehouse):
    # an export of Monday..Sunday (period_end Sunday): Thursday to Sunday reported
    insert(
        warehouse,
        "sp_campaigns",
        [{"report_date": W2 + timedelta(days=d), "campaign_name": "C1", "clicks": 1, "spend": 1,
          "sales": 0, "orders": 0} for d in (3, 4, 5, 6)],
        attribution_days=7,
    )  # fmt: skip

    def provisional_days():
        build_models(warehouse, "marts.fct_ads_campaign_week")
        return fetch(warehouse, "select provisional_days from marts.fct_ads_campaign_week")

    # report date > Sunday − 3 = Thursday: Friday, Saturday, Sunday
    assert provisional_days() == [{"provisional_days": 3}]
    set_threshold(warehouse, "provisional_days", 1)  # only after Saturday: Sunday
    assert provisional_days() == [{"provisional_days": 1}]
