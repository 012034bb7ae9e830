"""Portfolio totals in base currency with dated rates, and the risk score's parts, by hand."""

from datetime import date

import pytest

from tests.sql.rows import build_models, fetch, insert, insert_ecb_rates

W1, W2 = date(2026, 11, 9), date(2026, 11, 16)


@pytest.fixture
def portfolio(warehouse):
    def sales(account, week, revenue):
        insert(
            warehouse,
            "business_report_child_items",
            [{"week_start": week, "child_asin": "A1", "sku": "s1", "sessions": 100,
              "page_views": 100, "units": 10, "order_items": 10, "revenue": revenue}],
            account_id=account,
        )  # fmt: skip

    sales("oak-uk", W1, 1000)
    sales("oak-uk", W2, 900)
    sales("messer-de", W1, 500)
    sales("messer-de", W2, 600)
    sales("ocha-jp", W2, 100000)
    insert_ecb_rates(warehouse)  # ECB rates per EUR of both weeks (rows.py)
    # oak-uk's week 2 goes wrong everywhere the score looks:
    insert(  # ODR 3 / 100 = 3 % against the export's 1 % target
        warehouse,
        "account_health",
        [{"week_start": W2, "metric": "odr", "channel": "afn", "rate": 0.03,
          "target_value": 0.01, "target_condition": "LESS_THAN", "defects": 3, "orders": 100,
          "date_from": date(2026, 9, 21), "date_to": date(2026, 11, 20)}],
    )  # fmt: skip
    insert(  # ACoS 60 / 100 = 0.6, twice the 0.3 target
        warehouse,
        "sp_campaigns",
        [{"report_date": date(2026, 11, 17), "campaign_name": "C1", "clicks": 30, "spend": 60,
          "sales": 100, "orders": 3}],
        attribution_days=7,
    )  # fmt: skip
    insert(  # its only ASIN is out of stock
        warehouse,
        "fba_inventory",
        [{"week_start": W2, "sku": "s1", "asin": "A1", "afn_fulfillable_quantity": 0}],
    )
    insert(  # 5 new reviews, one of them 2 stars
        warehouse,
        "customer_reviews",
        [{"review_id": f"R{stars}{i}", "product_id": "A1", "star_rating": stars,
          "review_date": date(2026, 11, 18), "week_start": W2}
         for i, stars in enumerate([5, 5, 4, 4, 2])],
    )  # fmt: skip
    build_models(
        warehouse,
        "reports.rpt_portfolio",
        "reports.rpt_account_kpis",
        "reports.rpt_actions",
        "reports.rpt_account_risk",
    )
    return warehouse


def test_risk_score_is_the_sum_of_its_visible_parts(portfolio):
    rows = fetch(
        portfolio,
        "select account_id, health_points, stock_points, sales_points, ads_points, "
        "reviews_points, risk_score, breached_metrics from reports.rpt_account_risk "
        "where week_start = ? and account_id <> 'ocha-jp' order by account_id",
        W2,
    )
    # messer-de grew 600/500 − 1 = +20 % and has no other data: 0
    # oak-uk: ODR breach 30; all of the last 4 weeks' revenue (1000 + 900) is in the
    #   out-of-stock ASIN: 20 × 1.0 = 20; revenue −10 %: 20 × 0.1 / 0.5 = 4;
    #   ACoS 0.6 / 0.3 − 1 = 1 → 15; 1 of 5 new reviews at 1–2★: 15 × 0.2 = 3 → 72
    assert rows == [
        {"account_id": "messer-de", "health_points": 0, "stock_points": 0.0,
         "sales_points": 0.0, "ads_points": 0.0, "reviews_points": 0.0, "risk_score": 0.0,
         "breached_metrics": None},
        {"account_id": "oak-uk", "health_points": 30, "stock_points": 20.0,
         "sales_points": pytest.approx(4.0), "ads_points": pytest.approx(15.0),
         "reviews_points": pytest.approx(3.0), "risk_score": 72.0, "breached_metrics": "odr"},
    ]  # fmt: skip
    kpis = dict(
        portfolio.execute(
            "select metric, value from reports.rpt_account_kpis where account_id = 'oak-uk' "
            "and week_start = ? and metric in ('risk_score', 'odr', 'acos', 'weeks_of_cover')",
            [W2],
        ).fetchall()
    )
    # both weeks sold 10 units, so both count as in stock: velocity 20 ÷ 14 days; no stock
    # on hand → 0 weeks of cover
    assert kpis == {"risk_score": 72.0, "odr": 0.03, "acos": 0.6, "weeks_of_cover": 0.0}


def test_portfolio_totals_in_base_currency_at_the_weeks_rate(portfolio):
    rows = fetch(
        portfolio,
        "select portfolio_id, base_currency, accounts, revenue_base_amount, "
        "previous_revenue_base_amount, revenue_wow_pct, accounts_with_health_breach "
        "from reports.rpt_portfolio where week_start = ? order by portfolio_id",
        W2,
    )
    # eu (EUR): oak-uk 900 GBP ÷ 0.875 = 1028.5714 + messer-de 600 = 1628.5714; last week at
    #   this week's rate (constant currency): 1000 ÷ 0.875 + 500 = 1642.8571 → −0.8696 %
    # apac (USD): ocha-jp 100 000 JPY × 1.05 ÷ 160 = 656.25 USD; no week before
    apac, eu = rows
    assert eu["base_currency"] == "EUR" and eu["accounts"] == 2
    assert eu["revenue_base_amount"] == pytest.approx(900 / 0.875 + 600)
    assert eu["previous_revenue_base_amount"] == pytest.approx(1000 / 0.875 + 500)
    assert eu["revenue_wow_pct"] == pytest.approx(1628.5714286 / 1642.8571429 - 1)
    assert eu["accounts_with_health_breach"] == 1
    assert apac["base_currency"] == "USD"
    assert apac["revenue_base_amount"] == pytest.approx(656.25)
    assert apac["revenue_wow_pct"] is None
    # week 1 converts at its own (older) rate: 1000 ÷ 0.90 + 500 = 1611.11
    assert fetch(
        portfolio,
        "select revenue_base_amount from reports.rpt_portfolio where portfolio_id = 'eu' "
        "and week_start = ?",
        W1,
    ) == [{"revenue_base_amount": pytest.approx(1000 / 0.90 + 500)}]


def test_a_missing_rate_leaves_the_total_unknown_and_names_the_account(portfolio):
    portfolio.execute("delete from raw.fx_rates where currency_code = 'JPY'")
    build_models(portfolio, "reports.rpt_portfolio")
    row = fetch(
        portfolio,
        "select revenue_base_amount, accounts_without_fx_rate_ids from reports.rpt_portfolio "
        "where portfolio_id = 'apac' and week_start = ?",
        W2,
    )
    assert row == [{"revenue_base_amount": None, "accounts_without_fx_rate_ids": "ocha-jp"}]


def test_actions_come_breach_first_then_by_money_at_stake(portfolio):
    rows = fetch(
        portfolio,
        "select action_rank, kind, subject, amount_at_stake::double as amount "
        "from reports.rpt_actions where account_id = 'oak-uk' and week_start = ? "
        "order by action_rank",
        W2,
    )
    # 1 the ODR breach (0.03 vs 0.01), first whatever its amount: the week's revenue, 900;
    # 2 A1 out of stock (0 on hand): it sold (1000 + 900) over its 2 in-stock weeks, 950 a week;
    # 3 C1 spent 60 − 0.3 × 100 = 30 beyond the ACoS target. 1 of 5 reviews at 1–2★ is no
    # action (review complaints have no amount at stake).
    assert rows == [
        {"action_rank": 1, "kind": "health_breach", "subject": "odr", "amount": 900.0},
        {"action_rank": 2, "kind": "out_of_stock", "subject": "A1", "amount": 950.0},
        {"action_rank": 3, "kind": "campaign_over_target", "subject": "C1", "amount": 30.0},
    ]


def test_portfolio_change_is_like_for_like_and_ads_only_accounts_are_shown(warehouse):
    def sales(account, week, revenue):
        insert(
            warehouse,
            "business_report_child_items",
            [{"week_start": week, "child_asin": "A1", "sku": "s1", "sessions": 100,
              "units": 10, "revenue": revenue}],
            account_id=account,
        )  # fmt: skip

    sales("oak-uk", W1, 1000)
    sales("oak-uk", W2, 900)
    sales("messer-de", W2, 600)  # new this week
    insert(  # ocha-jp ran ads but sent no business report
        warehouse,
        "sp_campaigns",
        [{"report_date": date(2026, 11, 17), "campaign_name": "C1", "clicks": 5, "spend": 1600,
          "sales": 3200, "orders": 2}],
        account_id="ocha-jp",
        attribution_days=7,
    )  # fmt: skip
    warehouse.execute(
        "insert into raw.fx_rates values ('2026-11-20', 'GBP', 0.875), ('2026-11-20', 'JPY', 160),"
        " ('2026-11-20', 'USD', 1.05)"
    )
    build_models(warehouse, "reports.rpt_portfolio", "reports.rpt_portfolio_accounts")
    apac, eu = fetch(
        warehouse,
        "select accounts, comparable_accounts, not_comparable_account_ids, "
        "round(revenue_base_amount, 2)::double as revenue, "
        "round(previous_revenue_base_amount, 2)::double as previous, "
        "round(revenue_wow_pct, 4) as wow, round(ad_spend_base_amount, 2)::double as spend "
        "from reports.rpt_portfolio where week_start = ? order by portfolio_id",
        W2,
    )
    # revenue 900 / 0.875 + 600 = 1,628.57 EUR; the change only over oak-uk, which sold in
    # both weeks: 900 / 1000 − 1 = −10 % (all accounts would say 1,628.57 / 1,142.86 − 1 = +42 %)
    assert eu == {
        "accounts": 2, "comparable_accounts": 1, "not_comparable_account_ids": "messer-de",
        "revenue": 1628.57, "previous": 1142.86, "wow": -0.1, "spend": None,
    }  # fmt: skip
    # ocha-jp: in its portfolio with its ads (1,600 JPY / 160 × 1.05 = 10.50 USD), no revenue
    assert apac == {
        "accounts": 1, "comparable_accounts": 0, "not_comparable_account_ids": "ocha-jp",
        "revenue": None, "previous": None, "wow": None, "spend": 10.5,
    }  # fmt: skip
