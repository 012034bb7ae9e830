"""Contribution margin from payment exports, on hand-made Date Range Report rows, every number
worked out by hand.

oak-uk (GBP) sells OAK-L (ASIN A1) and OAK-S (A2); OAK-X is a SKU no report maps to an ASIN
and has no cost. Unit costs: OAK-L £8, £9 from Wednesday 18 Nov; OAK-S £4. No ads reports:
advertising is the billed Cost of Advertising.

Week 1 (9 Nov): OAK-L 10 units £200, rebate −£10, fees −£30 −£25; OAK-S 5 units £50, fees
−£7.50 −£10; ads billed −£20.
Week 2 (16 Nov): OAK-L 8 units £176 (fees −£26.40 −£28) on the 17th and 2 units £44 (fees
−£6.60 −£7) on the 19th; OAK-S 4 units £40 (fees −£6 −£8, VAT £8 collected and withheld) and a
refund of 1 unit of last week's order, −£10 with £1.20 of fees back; OAK-X 1 unit £15 (fee
−£2.25); storage −£12, ads billed −£25, a reimbursement +£7, a payout −£300 and a fee type no
one knows, −£3.
"""

from datetime import date, datetime, timedelta

import duckdb
import pytest

from assets.checks.amazon import CHECKS
from assets.core.settings import load_accounts
from assets.ingest.inbox import ensure_raw_tables
from assets.ingest.reference import write_reference_tables
from tests.conftest import make_home
from tests.sql.rows import build_models, fetch, insert

W1, W2 = date(2026, 11, 9), date(2026, 11, 16)


def line(day: date, kind: str, sku: str | None = None, quantity=None, **money):
    """One Date Range Report row as the reader loads it: posted in the marketplace's day."""
    total = sum(money.values())
    return {
        "posted_at": datetime(day.year, day.month, day.day, 12, 0),
        "posted_date": day,
        "transaction_type": kind,
        "order_id": f"202-{day:%d}-{sku}" if sku else None,
        "sku": sku,
        "quantity": quantity,
        "description": None,
        **money,
        "total": total,
    }


@pytest.fixture(scope="module")
def margin(tmp_path_factory):
    conn = margin_warehouse(tmp_path_factory.mktemp("margin"))
    yield conn
    conn.close()


def empty_warehouse(folder) -> duckdb.DuckDBPyConnection:
    home = make_home(folder)
    conn = duckdb.connect()
    ensure_raw_tables(conn)
    write_reference_tables(conn, load_accounts(home.accounts_file))
    return conn


def margin_warehouse(folder) -> duckdb.DuckDBPyConnection:
    """The two weeks above, every margin model built (shared by the module; a test that adds
    rows builds its own)."""
    conn = empty_warehouse(folder)
    conn.execute(
        "insert into raw.unit_costs values ('oak-uk', 'OAK-L', 8, 'GBP', null), "
        "('oak-uk', 'OAK-L', 9, 'GBP', '2026-11-18'), ('oak-uk', 'OAK-S', 4, 'GBP', null)"
    )
    for week in (W1, W2):
        insert(
            conn,
            "business_report_child_items",
            [{"week_start": week, "child_asin": asin, "sku": sku, "sessions": 100,
              "units": 10, "order_items": 10, "revenue": revenue}
             for asin, sku, revenue in (("A1", "OAK-L", 200), ("A2", "OAK-S", 50))],
        )  # fmt: skip
    rows = [
        line(date(2026, 11, 10), "Order", "OAK-L", 10, product_sales=200,
             promotional_rebates=-10, selling_fees=-30, fba_fees=-25),
        line(date(2026, 11, 11), "Order", "OAK-S", 5, product_sales=50, selling_fees=-7.5,
             fba_fees=-10),
        {**line(date(2026, 11, 12), "Service Fee", other_transaction_fees=-20),
         "description": "Cost of Advertising"},
        line(date(2026, 11, 17), "Order", "OAK-L", 8, product_sales=176, selling_fees=-26.4,
             fba_fees=-28),
        line(date(2026, 11, 19), "Order", "OAK-L", 2, product_sales=44, selling_fees=-6.6,
             fba_fees=-7),
        line(date(2026, 11, 18), "Refund", "OAK-S", 1, product_sales=-10, selling_fees=1.2),
        line(date(2026, 11, 18), "Order", "OAK-S", 4, product_sales=40, selling_fees=-6,
             fba_fees=-8, product_sales_tax=8, marketplace_withheld_tax=-8),
        line(date(2026, 11, 20), "Order", "OAK-X", 1, product_sales=15, selling_fees=-2.25),
        line(date(2026, 11, 20), "FBA Inventory Fee", other=-12),
        {**line(date(2026, 11, 21), "Service Fee", other_transaction_fees=-25),
         "description": "Cost of Advertising"},
        line(date(2026, 11, 21), "Adjustment", other=7),
        line(date(2026, 11, 22), "Transfer", other=-300),
        line(date(2026, 11, 22), "Mystery Fee", other=-3),
    ]  # fmt: skip
    insert(
        conn,
        "payments_date_range",
        rows,
        period_start=date(2026, 11, 9),
        period_end=date(2026, 11, 22),
        header_currency="GBP",
        source_file="oak-uk/2026Nov9-2026Nov22CustomTransaction.csv",
    )
    build_models(
        conn,
        "marts.fct_margin_bridge_account_week",
        "marts.fct_margin_account_week",
    )
    return conn


def asin(conn, asin_, week=W2):
    sql = "select * from marts.fct_margin_asin_week where asin = ? and week_start = ?"
    return fetch(conn, sql, asin_, week)[0]


def account(conn, week=W2):
    return fetch(conn, "select * from marts.fct_margin_account_week where week_start = ?", week)[0]


def test_every_category_of_an_asin(margin):
    a1 = asin(margin, "A1")
    assert (a1["settled_sales_amount"], a1["ordered_units"]) == (220, 10)
    assert float(a1["amazon_fees_amount"]) == pytest.approx(68)  # 26.40 + 28 + 6.60 + 7
    # 8 units at £8 before the cost change, 2 at £9 after it
    assert float(a1["cogs_amount"]) == pytest.approx(82)
    assert float(a1["contribution_margin_amount"]) == pytest.approx(70)
    a2 = asin(margin, "A2")
    # last week's unit refunded this week: £10 back, £1.20 of fees returned, back in stock
    assert (a2["refund_amount"], a2["refunded_units"]) == (10, 1)
    assert float(a2["amazon_fees_amount"]) == pytest.approx(12.8)  # 6 + 8 − 1.20
    assert float(a2["cogs_amount"]) == pytest.approx(12)  # 4 × £4 − 1 × £4
    assert a2["taxes_amount"] == 0  # VAT collected and withheld: neither revenue nor cost
    assert float(a2["contribution_margin_amount"]) == pytest.approx(5.2)
    x = asin(margin, "OAK-X")
    assert (x["is_partial"], x["units_without_cost"]) == (True, 1)


def test_account_margin_and_its_ratios(margin):
    w = account(margin)
    assert (w["settled_sales_amount"], w["ordered_units"], w["refund_amount"]) == (275, 15, 10)
    # ASIN fees 68 + 12.80 + 2.25, storage 12
    assert float(w["amazon_fees_amount"]) == pytest.approx(95.05)
    assert (w["advertising_amount"], w["advertising_from_ads_reports"]) == (25, False)
    assert float(w["cogs_amount"]) == pytest.approx(94)
    assert float(w["contribution_margin_amount"]) == pytest.approx(50.95)
    assert float(w["margin_pct"]) == pytest.approx(50.95 / 275)
    assert float(w["fees_pct"]) == pytest.approx(95.05 / 275)
    assert float(w["refund_rate"]) == pytest.approx(10 / 275)
    assert float(w["ad_cost_share"]) == pytest.approx(25 / 275)
    assert float(w["profit_per_unit_amount"]) == pytest.approx(50.95 / 15)
    # OAK-X sold without a cost: ROI unknown (the week before had every cost: 47.5 / 120)
    assert w["margin_roi"] is None
    assert float(account(margin, W1)["margin_roi"]) == pytest.approx(47.5 / (100 + 20))
    # what Amazon pays out: every line but the payout itself
    assert float(w["net_proceeds_amount"]) == pytest.approx(148.95)
    assert (w["reimbursements_amount"], w["unknown_amount"], w["unknown_lines"]) == (7, -3, 1)
    assert (w["is_partial"], w["previous_contribution_margin_amount"]) == (True, 47.5)


def test_the_margin_bridge_adds_up_to_the_change(margin):
    rows = fetch(margin, "select * from marts.fct_margin_bridge_asin_week where week_start = ?", W2)
    bridge = {r["asin"]: r for r in rows}
    # A1: same units; £2 more a unit at last week's 67.5 % kept, and no rebate (+£11); fees
    # 30.9 % of sales against 27.5 %; £2 of cost of goods from the price rise
    a1 = bridge["A1"]
    assert [float(a1[k]) for k in ("volume_effect_amount", "price_effect_amount",
            "fee_rate_effect_amount", "refunds_effect_amount", "advertising_effect_amount",
            "cogs_effect_amount")] == [0, 24.5, -7.5, 0, 0, -2]  # fmt: skip
    # A2: one unit fewer at £2.50 a unit, the refund, fees below last week's 35 %, 4 units'
    # cost back with the refunded one
    a2 = bridge["A2"]
    assert [float(a2[k]) for k in ("volume_effect_amount", "price_effect_amount",
            "fee_rate_effect_amount", "refunds_effect_amount", "cogs_effect_amount")] == [
        -2.5, 0, 1.2, -10, 4]  # fmt: skip
    # OAK-X sold for the first time: all volume
    assert float(bridge["OAK-X"]["volume_effect_amount"]) == 12.75
    (w,) = fetch(
        margin, "select * from marts.fct_margin_bridge_account_week where week_start = ?", W2
    )
    effects = [
        "volume_effect_amount", "price_effect_amount", "fee_rate_effect_amount",
        "refunds_effect_amount", "advertising_effect_amount", "cogs_effect_amount",
    ]  # fmt: skip
    assert [float(w[k]) for k in effects] == pytest.approx([10.25, 24.5, -18.3, -10, -5, 2])
    assert sum(float(w[k]) for k in effects) == pytest.approx(float(w["margin_change_amount"]))
    assert float(w["margin_change_amount"]) == pytest.approx(50.95 - 47.5)


def failures(conn, name, week=W2):
    check = next(c for c in CHECKS if c.name == name)
    return check.failures(conn, week.isoformat())


def test_unknown_fee_types_and_missing_costs_are_named(margin):
    (unknown,) = failures(margin, "payment_types_known")
    assert unknown["detail"].startswith(
        "Mystery Fee in oak-uk/2026Nov9-2026Nov22CustomTransaction.csv (1 lines, -3.00 GBP, "
        "first at line 14): not a transaction type SellerPulse knows"
    )
    (missing,) = failures(margin, "unit_costs_complete")
    assert missing["detail"].startswith("OAK-X: 1 units settled without a unit cost")


def settlement_row(day: date, kind: str, sku: str, amount_type: str, description: str, amount,
                   quantity=None) -> dict:  # fmt: skip
    return {
        "settlement_id": "9001", "transaction_type": kind, "order_id": f"s-{day:%d}-{sku}",
        "sku": sku, "amount_type": amount_type, "amount_description": description,
        "amount": amount, "posted_date": day, "quantity_purchased": quantity,
        "currency": "GBP",
    }  # fmt: skip


def test_a_settlement_overlapping_the_date_range_report_counts_once(tmp_path):
    conn = margin_warehouse(tmp_path)
    summary = {"settlement_id": "9001", "settlement_start_date": date(2026, 11, 17),
               "settlement_end_date": date(2026, 11, 24), "total_amount": 150.1,
               "currency": "GBP", "posted_date": None}  # fmt: skip
    rows = [
        summary,
        # the 17th is in the Date Range Report too: its order must not count twice
        settlement_row(date(2026, 11, 17), "Order", "OAK-L", "ItemPrice", "Principal", 176, 8),
        settlement_row(date(2026, 11, 17), "Order", "OAK-L", "ItemFees", "Commission", -26.4),
        # the 23rd only the settlement has
        settlement_row(date(2026, 11, 23), "Order", "OAK-S", "ItemPrice", "Principal", 30, 3),
        settlement_row(date(2026, 11, 23), "Order", "OAK-S", "ItemFees", "Commission", -4.5),
        settlement_row(
            date(2026, 11, 23), "Order", "OAK-S", "ItemFees", "FBAPerUnitFulfillmentFee", -6
        ),  # fmt: skip
    ]
    insert(
        conn, "settlement_v2", rows, period_start=date(2026, 11, 17),
        period_end=date(2026, 11, 24), header_currency="GBP", source_file="oak-uk/s.txt",
    )  # fmt: skip
    for week in (W2, W2 + timedelta(weeks=1)):
        build_models(conn, "marts.fct_margin_account_week", week=week)
    assert float(account(conn)["settled_sales_amount"]) == 275  # as before
    w3 = account(conn, W2 + timedelta(weeks=1))
    assert (float(w3["settled_sales_amount"]), w3["ordered_units"]) == (30, 3)
    assert float(w3["amazon_fees_amount"]) == pytest.approx(10.5)  # commission + FBA fee
    assert float(w3["cogs_amount"]) == pytest.approx(12)  # 3 × £4


def test_settled_sales_reconcile_with_ordered_sales_over_four_weeks(tmp_path):
    conn = empty_warehouse(tmp_path)
    weeks = [W2 - timedelta(weeks=n) for n in range(3, -1, -1)]
    for week in weeks:
        insert(
            conn, "business_report_child_items",
            [{"week_start": week, "child_asin": "A1", "sku": "OAK-L", "sessions": 100,
              "units": 10, "order_items": 10, "revenue": 1000}],
        )  # fmt: skip
    settled = [1000, 1000, 1000, 500]  # the last week's orders ship next week: −12.5 %
    insert(
        conn, "payments_date_range",
        [line(week + timedelta(days=1), "Order", "OAK-L", 10, product_sales=amount)
         for week, amount in zip(weeks, settled, strict=True)],
        header_currency="GBP", period_start=weeks[0], period_end=W2 + timedelta(days=6),
    )  # fmt: skip
    for week in weeks:
        build_models(
            conn, "marts.fct_margin_account_week", "marts.fct_sales_account_week", week=week
        )
    (found,) = failures(conn, "settled_sales_reconcile")
    assert found["detail"].startswith(
        "settled product sales of the last 4 weeks 3500.00 against ordered product sales "
        "4000.00 (-12.5 %)"
    )
    conn.execute(
        "update raw.payments_date_range set product_sales = 700, total = 700 "
        "where product_sales = 500"
    )
    build_models(conn, "marts.fct_margin_account_week", week=W2)
    assert failures(conn, "settled_sales_reconcile") == []  # −7.5 %: within 10 %


def test_a_money_losing_asin_is_an_action_and_in_the_pack_section(tmp_path):
    conn = margin_warehouse(tmp_path)
    # a refund wave on OAK-S: 4 more units back (−£40, no fees returned)
    insert(
        conn, "payments_date_range",
        [line(date(2026, 11, 21), "Refund", "OAK-S", 4, product_sales=-40)],
        period_start=date(2026, 11, 16), period_end=date(2026, 11, 22), header_currency="GBP",
        source_file="oak-uk/refunds.csv",
    )  # fmt: skip
    build_models(conn, "reports.rpt_actions", "reports.rpt_margin_asins", week=W2)
    # A2: £40 sold − £50 refunded − £12.80 fees − (£16 − £20 of goods back in stock) = −£18.80
    (loser,) = fetch(
        conn, "select * from reports.rpt_margin_asins where week_start = ? and losing_rank = 1", W2
    )
    assert (loser["asin"], float(loser["contribution_margin_amount"])) == ("A2", -18.8)
    (action,) = fetch(
        conn,
        "select * from reports.rpt_actions where week_start = ? and kind = 'money_losing_asin'",
        W2,
    )
    assert (action["subject"], float(action["amount_at_stake"])) == ("A2", 18.8)
    assert action["margin_pct"] == pytest.approx(-18.8 / 40)


def test_each_effect_names_the_asins_behind_it(margin):
    build_models(margin, "reports.rpt_margin_drivers")
    drivers = {
        r["effect"]: [(a["asin"], float(a["amount"])) for a in r["top_asins"]]
        for r in fetch(margin, "select * from reports.rpt_margin_drivers where week_start = ?", W2)
    }
    assert drivers["volume"] == [("OAK-X", 12.75), ("A2", -2.5)]
    assert drivers["fee_rate"] == [("A1", -7.5), ("A2", 1.2)]
    assert drivers["refunds"] == [("A2", -10.0)]
    assert "advertising" not in drivers  # no ASIN's advertising moved
