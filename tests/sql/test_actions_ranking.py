"""The seller's action list: each kind's weekly amount at stake by hand, ranked by amount with an
account-health breach first, only what is worth printing (minimum amount, at most N), search
terms that are ASINs as upper-case product targets, the seller's own ASIN flagged, not negated.

oak-uk (UK, GBP, lead time 21 days, ACoS target 0.3), week 2 = 2026-11-16:

kind                  subject      amount  worked out
-----------------------------------------------------
health_breach         odr             880  the week's revenue 0 + 280 + 600 (3 % against 1 %)
out_of_stock          B0AAAAAAA1     1000  1000 sold in its 1 in-stock week of 4 × 7 ÷ 7 days
buy_box_lost          B0AAAAAAA3      360  120 sessions × (0.9 − 0.6) × 900 ÷ (100 × 0.9)
reorder               B0AAAAAAA2      120  560 ÷ 2 in-stock weeks × (21 + 7 − 25 days of supply) ÷ 7
negate_product_target B0ZZZZZZZ1       40  spend without orders
campaign_over_target  C1               30  60 spent − 0.3 × 100 of sales
negate_search_term    garlic press     25  spend without orders
own_asin_search_term  B0AAAAAAA2       18  spend without orders on the seller's own ASIN
(left out)            C2                6  12 − 0.3 × 20 = 6, under the minimum of 10
(left out)            cheap knife       9  9 spent, under the 15 a negation needs

B0AAAAAAA1: 10 units/1000 in week 1, nothing available in week 2 → velocity 10 ÷ 7 a day,
units to send 10/7 × 21 × 1.5 − 0 − 40 inbound = 5. B0AAAAAAA2: 14 units (280) in each week,
50 available → velocity 28 ÷ 14 = 2 a day, 25 days of supply, send 2 × 21 × 1.5 − 50 = 13.
B0AAAAAAA1's Buy Box fell to 0 too, but it is out of stock: the stock action covers it.
"""

from datetime import date

import pytest

from assets.core.settings import load_accounts
from assets.ingest.reference import write_reference_tables
from tests.conftest import ACCOUNTS_YAML
from tests.sql.rows import build_models, fetch, insert
from tests.sql.test_margin_models import line, margin_warehouse

W1, W2 = date(2026, 11, 9), date(2026, 11, 16)
DAY = date(2026, 11, 17)


def sale(week, asin, sessions, units, revenue, buy_box=1.0):
    return {"week_start": week, "child_asin": asin, "sku": f"s-{asin}", "title": f"Item {asin}",
            "sessions": sessions, "page_views": sessions, "units": units, "order_items": units,
            "revenue": revenue, "buy_box_pct": buy_box}  # fmt: skip


def term(search_term, spend, clicks, campaign="C1"):
    return {"report_date": DAY, "campaign_name": campaign, "ad_group_name": "G",
            "search_term": search_term, "impressions": 100, "clicks": clicks, "spend": spend,
            "sales": 0, "orders": 0, "units": 0}  # fmt: skip


@pytest.fixture
def actions(warehouse):
    insert(
        warehouse,
        "business_report_child_items",
        [sale(W1, "B0AAAAAAA1", 100, 10, 1000), sale(W2, "B0AAAAAAA1", 80, 0, 0, 0.0),
         sale(W1, "B0AAAAAAA2", 50, 14, 280), sale(W2, "B0AAAAAAA2", 50, 14, 280),
         sale(W1, "B0AAAAAAA3", 100, 9, 900, 0.9), sale(W2, "B0AAAAAAA3", 120, 6, 600, 0.6)],
    )  # fmt: skip
    insert(
        warehouse,
        "fba_inventory",
        [{"week_start": W2, "sku": "s-B0AAAAAAA1", "asin": "B0AAAAAAA1",
          "afn_fulfillable_quantity": 0, "afn_inbound_working_quantity": 5,
          "afn_inbound_shipped_quantity": 10, "afn_inbound_receiving_quantity": 25},
         {"week_start": W2, "sku": "s-B0AAAAAAA2", "asin": "B0AAAAAAA2",
          "afn_fulfillable_quantity": 50}],
    )  # fmt: skip
    insert(  # ODR 3 % against the export's 1 % target
        warehouse,
        "account_health",
        [{"week_start": W2, "metric": "odr", "channel": "afn", "rate": 0.03,
          "target_value": 0.01, "target_condition": "LESS_THAN", "defects": 3, "orders": 100,
          "date_from": date(2026, 9, 21), "date_to": date(2026, 11, 20)}],
    )  # fmt: skip
    insert(
        warehouse,
        "sp_campaigns",
        [{"report_date": DAY, "campaign_name": "C1", "clicks": 30, "spend": 60, "sales": 100,
          "orders": 3},
         {"report_date": DAY, "campaign_name": "C2", "clicks": 6, "spend": 12, "sales": 20,
          "orders": 1}],
        attribution_days=7,
    )  # fmt: skip
    insert(
        warehouse,
        "sp_search_terms",
        [term("garlic press", 25, 10), term("b0zzzzzzz1", 40, 8), term("b0aaaaaaa2", 18, 6),
         term("cheap knife", 9, 3)],
        attribution_days=7,
    )  # fmt: skip
    build_models(warehouse, "reports.rpt_actions")
    return warehouse


def ranked(conn):
    return [
        (r["action_rank"], r["kind"], r["subject"], float(r["amount_at_stake"]))
        for r in fetch(
            conn,
            "select * from reports.rpt_actions where account_id = 'oak-uk' and week_start = ? "
            "order by action_rank",
            W2,
        )
    ]


def test_actions_rank_by_weekly_amount_with_the_breach_first(actions):
    assert ranked(actions) == [
        (1, "health_breach", "odr", 880.0),
        (2, "out_of_stock", "B0AAAAAAA1", 1000.0),
        (3, "buy_box_lost", "B0AAAAAAA3", 360.0),
        (4, "reorder", "B0AAAAAAA2", 120.0),
        (5, "negate_product_target", "B0ZZZZZZZ1", 40.0),
        (6, "campaign_over_target", "C1", 30.0),
        (7, "negate_search_term", "garlic press", 25.0),
        (8, "own_asin_search_term", "B0AAAAAAA2", 18.0),
    ]


def test_each_action_carries_the_figures_behind_its_amount(actions):
    rows = {
        r["kind"]: r
        for r in fetch(actions, "select * from reports.rpt_actions where week_start = ?", W2)
    }
    breach = rows["health_breach"]
    assert (breach["metric_value"], breach["metric_threshold"], breach["currency_code"]) == (
        0.03,
        0.01,
        "GBP",
    )
    out = rows["out_of_stock"]
    assert {k: out[k] for k in (
        "available_units", "inbound_units", "inbound_working_units", "inbound_shipped_units",
        "inbound_receiving_units", "units_to_send", "days_lost", "lead_time_days",
    )} == {"available_units": 0, "inbound_units": 40, "inbound_working_units": 5,
           "inbound_shipped_units": 10, "inbound_receiving_units": 25, "units_to_send": 5,
           "days_lost": 7, "lead_time_days": 21}  # fmt: skip
    assert float(out["weekly_revenue_amount"]) == 1000.0
    reorder = rows["reorder"]
    assert (reorder["available_units"], reorder["units_to_send"]) == (50, 13)
    assert reorder["days_of_supply"] == pytest.approx(25)
    assert reorder["days_lost"] == pytest.approx(3)
    assert float(reorder["weekly_revenue_amount"]) == 280.0
    buy_box = rows["buy_box_lost"]
    assert (buy_box["sessions"], buy_box["buy_box_pct"], buy_box["previous_buy_box_pct"]) == (
        120,
        0.6,
        0.9,
    )
    assert buy_box["revenue_per_session_amount"] == pytest.approx(10)
    campaign = rows["campaign_over_target"]
    assert (float(campaign["spend_amount"]), float(campaign["ad_sales_amount"])) == (60, 100)
    assert (campaign["acos"], campaign["target_acos"]) == (0.6, 0.3)
    target = rows["negate_product_target"]
    assert (target["campaign_name"], float(target["spend_amount"]), target["clicks"]) == (
        "C1",
        40.0,
        8,
    )


def test_asin_terms_are_upper_case_product_targets_and_the_own_asin_is_never_negated(actions):
    terms = fetch(
        actions,
        "select kind, subject from reports.rpt_actions where kind like '%search_term' "
        "or kind = 'negate_product_target' order by subject",
    )
    assert terms == [
        {"kind": "own_asin_search_term", "subject": "B0AAAAAAA2"},
        {"kind": "negate_product_target", "subject": "B0ZZZZZZZ1"},
        {"kind": "negate_search_term", "subject": "garlic press"},
    ]


def test_minimum_amount_minimum_spend_and_maximum_count_come_from_the_marketplace(actions):
    def set_threshold(name, value):
        actions.execute(
            f"update raw.marketplaces set threshold_{name} = ? where marketplace = 'UK'", [value]
        )

    set_threshold("action_max_count", 3)
    set_threshold("action_min_amount", 100)
    set_threshold("negate_min_spend", 30)
    build_models(actions, "reports.rpt_actions")
    # the breach stays first, whatever its amount; then the largest two
    assert ranked(actions) == [
        (1, "health_breach", "odr", 880.0),
        (2, "out_of_stock", "B0AAAAAAA1", 1000.0),
        (3, "buy_box_lost", "B0AAAAAAA3", 360.0),
    ]
    set_threshold("action_max_count", 8)
    set_threshold("action_min_amount", 0)
    build_models(actions, "reports.rpt_actions")
    # everything again, but garlic press (25) and the own ASIN (18) are under 30 of spend
    subjects = [subject for _, _, subject, _ in ranked(actions)]
    assert "garlic press" not in subjects and "B0AAAAAAA2" in subjects
    assert subjects.count("B0AAAAAAA2") == 1  # the reorder; its search term is under 30
    assert ("campaign_over_target", "C2") in [(k, s) for _, k, s, _ in ranked(actions)]


def test_an_account_sets_its_own_limits_in_accounts_yaml(actions, tmp_path):
    path = tmp_path / "accounts.yaml"
    path.write_text(
        ACCOUNTS_YAML.replace(
            "targets: {acos: 0.3}}", "targets: {acos: 0.3}, actions: {max_count: 2}}"
        ),
        "utf-8",
    )
    write_reference_tables(actions, load_accounts(path))
    build_models(actions, "reports.rpt_actions")
    assert [kind for _, kind, _, _ in ranked(actions)] == ["health_breach", "out_of_stock"]
    assert fetch(
        actions,
        "select threshold_action_max_count, threshold_action_min_amount, "
        "threshold_negate_min_spend from marts.dim_accounts where account_id = 'oak-uk'",
    ) == [
        {
            "threshold_action_max_count": 2,
            "threshold_action_min_amount": 10.0,
            "threshold_negate_min_spend": 15.0,
        }
    ]


def test_a_money_losing_asin_is_at_stake_by_its_lost_margin(tmp_path):
    conn = margin_warehouse(tmp_path)
    # test_margin_models' refund wave on OAK-S: 4 more units back (−£40, no fees returned)
    insert(
        conn, "payments_date_range",
        [line(date(2026, 11, 21), "Refund", "OAK-S", 4, product_sales=-40)],
        period_start=W2, period_end=date(2026, 11, 22), header_currency="GBP",
        source_file="oak-uk/refunds.csv",
    )  # fmt: skip
    build_models(conn, "reports.rpt_actions", week=W2)
    # A2: £40 sold − £50 refunded − £12.80 fees − (£16 − £20 of goods back in stock) = −£18.80
    rows = fetch(
        conn,
        "select subject, amount_at_stake, sales_amount, margin_pct from reports.rpt_actions "
        "where week_start = ? and kind = 'money_losing_asin'",
        W2,
    )
    assert [(r["subject"], float(r["amount_at_stake"])) for r in rows] == [("A2", 18.8)]
    assert rows[0]["margin_pct"] == pytest.approx(-18.8 / 40)
