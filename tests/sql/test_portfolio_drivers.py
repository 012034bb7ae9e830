"""What moved a portfolio, in its base currency: each account's change and the traffic,
conversion and price effects of its revenue bridge, converted at the week's ECB rate, adding up
to the portfolio's like-for-like change to the cent; and why an account needs attention."""

from datetime import date

import pytest

from tests.sql.rows import build_models, fetch, insert, insert_eu_portfolio_weeks

W2 = date(2026, 11, 16)  # the second of the two weeks insert_eu_portfolio_weeks writes


@pytest.fixture
def portfolio(warehouse):
    # oak-uk (GBP) and messer-de (EUR), prices and conversion in rows.py; oak-uk's ACoS 60 %
    insert_eu_portfolio_weeks(warehouse)
    insert(  # and its only ASIN is out of stock
        warehouse,
        "fba_inventory",
        [{"week_start": W2, "sku": "s1", "asin": "A1", "afn_fulfillable_quantity": 0}],
    )
    build_models(
        warehouse,
        "reports.rpt_portfolio",
        "reports.rpt_portfolio_accounts",
        "reports.rpt_portfolio_drivers",
        "reports.rpt_portfolio_attention",
    )
    return warehouse


def test_each_accounts_change_and_its_effects_in_the_base_currency(portfolio):
    rows = fetch(
        portfolio,
        "select account_id, revenue_change_amount::double as local, revenue_change_base_amount,"
        " traffic_effect_base_amount::double as traffic,"
        " conversion_effect_base_amount::double as conversion, price_effect_base_amount,"
        " other_effect_base_amount::double as other"
        " from marts.fct_portfolio_bridge_account_week where week_start = ? order by account_id",
        W2,
    )
    # | account   | sessions | units | price   | traffic         | conversion     | price |
    # | oak-uk    | 100→120  | 10→9  | 100→110 | 20 × .1 × 100   | (9 − 12) × 100 | the rest |
    # |           |          |       |         | = 200           | = −300         | = 90 GBP |
    # | messer-de | 200→180  | 20→20 | 25→30   | −20 × .1 × 25   | (20 − 18) × 25 | the rest |
    # |           |          |       |         | = −50           | = 50           | = 100 EUR |
    # oak-uk in EUR at this week's rate (÷ 0.875): change −10 → −11.428571; traffic 228.57,
    # conversion −342.86 (rounded to the cent); price takes the rest: −11.428571 − 228.57
    # + 342.86 = 102.861429 (90 ÷ 0.875 = 102.857143 plus the rounding)
    assert rows == [
        {"account_id": "messer-de", "local": 100.0, "revenue_change_base_amount": 100.0,
         "traffic": -50.0, "conversion": 50.0, "price_effect_base_amount": 100.0,
         "other": 0.0},
        {"account_id": "oak-uk", "local": -10.0,
         "revenue_change_base_amount": pytest.approx(-10 / 0.875),
         "traffic": 228.57, "conversion": -342.86,
         "price_effect_base_amount": pytest.approx(-10 / 0.875 - 228.57 + 342.86),
         "other": 0.0},
    ]  # fmt: skip


def test_accounts_and_effects_add_up_to_the_portfolios_change_to_the_cent(portfolio):
    (total,) = fetch(
        portfolio,
        "select revenue_base_amount - previous_revenue_base_amount as change, revenue_wow_pct"
        " from reports.rpt_portfolio where portfolio_id = 'eu' and week_start = ?",
        W2,
    )
    (drivers,) = fetch(
        portfolio,
        "select * from reports.rpt_portfolio_drivers where portfolio_id = 'eu' and week_start = ?",
        W2,
    )
    # the portfolio: 990 ÷ 0.875 + 600 = 1,731.43 against 1,000 ÷ 0.875 + 500 = 1,642.86
    # (last week at this week's rate): +88.57 EUR, +5.39 %
    change = 990 / 0.875 + 600 - (1000 / 0.875 + 500)
    assert total["change"] == pytest.approx(change)
    assert total["revenue_wow_pct"] == pytest.approx(change / (1000 / 0.875 + 500))
    assert drivers["base_currency"] == "EUR" and drivers["accounts"] == 2
    assert drivers["previous_revenue_base_amount"] == pytest.approx(1000 / 0.875 + 500)
    assert drivers["comparable_revenue_base_amount"] == pytest.approx(990 / 0.875 + 600)
    # by account: −11.43 (oak-uk) + 100 (messer-de) = 88.57
    accounts = fetch(
        portfolio,
        "select account_id, revenue_change_base_amount, change_bar_pct"
        " from reports.rpt_portfolio_accounts where week_start = ? order by account_id",
        W2,
    )
    assert sum(a["revenue_change_base_amount"] for a in accounts) == pytest.approx(
        change, abs=0.005
    )
    # the bar: each account's change against the largest (messer-de's 100)
    assert [a["change_bar_pct"] for a in accounts] == [1.0, pytest.approx(10 / 0.875 / 100)]
    # by effect: traffic 228.57 − 50 = 178.57; conversion −342.86 + 50 = −292.86;
    # price 102.86 + 100 = 202.86; together 88.57
    assert float(drivers["traffic_effect_base_amount"]) == pytest.approx(178.57)
    assert float(drivers["conversion_effect_base_amount"]) == pytest.approx(-292.86)
    effects = (
        float(drivers["traffic_effect_base_amount"])
        + float(drivers["conversion_effect_base_amount"])
        + drivers["price_effect_base_amount"]
        + float(drivers["other_effect_base_amount"])
    )
    assert round(effects, 2) == round(change, 2) == 88.57
    assert drivers["revenue_change_base_amount"] == pytest.approx(change, abs=0.005)
    # no payment exports: no margin bridge
    assert drivers["accounts_with_margin_bridge"] == 0
    assert drivers["margin_change_base_amount"] is None


def test_why_an_account_needs_attention_most_pressing_first(portfolio):
    rows = fetch(
        portfolio,
        "select account_id, reason_rank, kind, subject, value, threshold, amount, amount_base,"
        " base_currency from reports.rpt_portfolio_attention where week_start = ?"
        " order by account_id, reason_rank",
        W2,
    )
    # oak-uk: A1 is out of stock; it sold 1,000 + 990 in the 2 of the last 4 weeks it was in
    # stock: 995 GBP a week (as its action says), 995 ÷ 0.875 = 1,137.14 EUR; then ACoS 60 %
    # over its 30 % target.
    # messer-de grew 20 % with no ads, stock or health data: nothing to say.
    assert rows == [
        {"account_id": "oak-uk", "reason_rank": 1, "kind": "out_of_stock", "subject": "A1",
         "value": 1, "threshold": None, "amount": 995.0,
         "amount_base": pytest.approx(995 / 0.875), "base_currency": "EUR"},
        {"account_id": "oak-uk", "reason_rank": 2, "kind": "acos_over_target", "subject": None,
         "value": pytest.approx(0.6), "threshold": 0.3, "amount": None, "amount_base": None,
         "base_currency": "EUR"},
    ]  # fmt: skip
