"""Vendor (1P) models on hand-made Vendor Central rows, every number worked out by hand.

rhein-de is a vendor (manufacturing view, DE, EUR, lead time 14 days) in portfolio eu beside
the seller accounts oak-uk and messer-de. Two ASINs over two Vendor Central weeks (Sunday to
Saturday), which land in the Monday weeks W1 (2 Nov) and W2 (9 Nov):

         ordered rev  units  shipped rev  COGS  shipped u  returns  views  Net PPM  OOS   LBB
  A  W1     1000        40        900      648       36        2     800    0.28    0.10  0.35
  A  W2     1190        56       1000      810       52        2     900    0.19    0.10  0.05
  B  W1      500        50        500      400       50        0    1000    0.20    0.60   –
  B  W2      300        30        300      240       30        3    1000    0.20    0.60   –

A holds 100 sellable units with 20 on open POs, 5 of them aged 90+ (€50); B holds none. A
has a forecast generated on Saturday 14 Nov: 70 units in each Sunday–Saturday week from 15 Nov
for 6 weeks. Last year's week of W2 (Sun 9–Sat 15 Nov 2025) had A at €800 for 25 units and a
Net PPM of 0.30.
"""

from datetime import date, timedelta

import duckdb
import pytest

from assets.checks.amazon import CHECKS
from assets.core.settings import load_accounts
from assets.ingest.inbox import ensure_raw_tables
from assets.ingest.reference import write_reference_tables
from tests.conftest import ACCOUNTS_YAML
from tests.sql.rows import build_models, fetch, insert

W1, W2 = date(2026, 11, 2), date(2026, 11, 9)
SUN1, SUN2 = date(2026, 11, 1), date(2026, 11, 8)
LY_SUN = date(2025, 11, 9)
A, B = "B0AAAAAAA1", "B0BBBBBBB2"
VENDOR = """
  - {id: rhein-de, name: Rheinwerk (Vendor), marketplace: DE, language: de, portfolio: eu,
     kind: vendor, distributor_view: manufacturing, lead_time_days: 14,
     recipients: [kam@rheinwerk.example]}
  - {id: rhein-two, name: Rheinwerk Zwei, marketplace: DE, language: en, portfolio: eu,
     kind: vendor, recipients: [kam@rheinwerk.example]}
"""


def vendor_rows(conn, table, sunday, rows, **common):
    """Rows of one Vendor Central export whose banner says Sunday..Saturday."""
    saturday = sunday + timedelta(days=6)
    period = {"start_date": sunday, "end_date": saturday}
    banner = {
        "account_id": "rhein-de",
        "period_start": sunday,
        "period_end": saturday,
        "locale": "en-DE",
        "header_currency": "EUR",
        "distributor_view": "manufacturing",
        "program": "retail",
        "source_file": f"rhein-de/{table}-{sunday}.csv",
    }
    insert(conn, table, [{**period, **row} for row in rows], **{**banner, **common})


@pytest.fixture(scope="module")
def vendor(tmp_path_factory):
    conn = vendor_warehouse(tmp_path_factory.mktemp("vendor"))
    yield conn
    conn.close()


def vendor_warehouse(folder) -> duckdb.DuckDBPyConnection:
    """The warehouse of the table above, every model built (shared by the module; a test that
    changes rows builds its own)."""
    path = folder / "accounts.yaml"
    path.write_text(ACCOUNTS_YAML + VENDOR, "utf-8")
    conn = duckdb.connect()
    ensure_raw_tables(conn)
    write_reference_tables(conn, load_accounts(path))
    for sunday, a, b in (
        (SUN1, (1000, 40, 900, 648, 36, 2, 0.35), (500, 50, 500, 400, 50, 0, None)),
        (SUN2, (1190, 56, 1000, 810, 52, 2, 0.05), (300, 30, 300, 240, 30, 3, None)),
    ):
        # B has no week a year ago in the warehouse; its W2 export says +50 % revenue and
        # +25 % units against the same period last year
        ly = {B: (0.5, 0.25)} if sunday == SUN2 else {}
        vendor_rows(
            conn,
            "vendor_sales",
            sunday,
            [
                dict(
                    asin=asin,
                    ordered_revenue=v[0],
                    ordered_units=v[1],
                    shipped_revenue=v[2],
                    shipped_cogs=v[3],
                    shipped_units=v[4],
                    customer_returns=v[5],
                    lbb_price_pct=v[6],
                    ordered_revenue_ly_pct=ly.get(asin, (None, None))[0],
                    ordered_units_ly_pct=ly.get(asin, (None, None))[1],
                )
                for asin, v in ((A, a), (B, b))
            ],
        )
        vendor_rows(
            conn,
            "vendor_traffic",
            sunday,
            [
                {"asin": A, "page_views": 900 if sunday == SUN2 else 800},
                {"asin": B, "page_views": 1000},
            ],  # fmt: skip
        )
        vendor_rows(
            conn,
            "vendor_net_ppm",
            sunday,
            [
                {"asin": A, "net_ppm": 0.28 if sunday == SUN1 else 0.19},
                {"asin": B, "net_ppm": 0.20},
            ],  # fmt: skip
        )
        vendor_rows(
            conn,
            "vendor_inventory",
            sunday,
            [
                {"asin": A, "sellable_on_hand_units": 100, "open_po_units": 20,
                 "procurable_oos_pct": 0.10, "aged_90_plus_units": 5, "aged_90_plus_amount": 50},
                {"asin": B, "sellable_on_hand_units": 0, "open_po_units": 0,
                 "procurable_oos_pct": 0.60, "aged_90_plus_units": 0, "aged_90_plus_amount": 0},
            ],
        )  # fmt: skip
    vendor_rows(
        conn,
        "vendor_sales",
        LY_SUN,
        [{"asin": A, "ordered_revenue": 800, "ordered_units": 25, "shipped_revenue": 700,
          "shipped_cogs": 490, "shipped_units": 25, "customer_returns": 0}],
    )  # fmt: skip
    vendor_rows(conn, "vendor_net_ppm", LY_SUN, [{"asin": A, "net_ppm": 0.30}])
    forecast_weeks = [date(2026, 11, 15) + timedelta(weeks=n) for n in range(6)]
    insert(
        conn,
        "vendor_forecast",
        [
            {"forecast_generated_on": date(2026, 11, 14), "asin": A, "start_date": start,
             "end_date": start + timedelta(days=6), "mean_forecast_units": 70}
            for start in forecast_weeks
        ],
        account_id="rhein-de",
        period_start=forecast_weeks[0],
        period_end=forecast_weeks[-1] + timedelta(days=6),
    )  # fmt: skip
    # a monthly export of October: kept at its grain, never in a week
    insert(
        conn,
        "vendor_sales",
        [{"asin": A, "start_date": date(2026, 10, 1), "end_date": date(2026, 10, 31),
          "ordered_revenue": 4321, "ordered_units": 170}],
        account_id="rhein-de",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        distributor_view="manufacturing",
        source_file="rhein-de/october.csv",
    )  # fmt: skip
    # the vendor's own cost price of A (unit_costs.csv, the ASIN in its sku column); B has none
    conn.execute(
        "insert into raw.unit_costs values ('rhein-de', ?, 10, 'EUR', null)",
        [A],
    )
    # the sellers' weeks, for the portfolio
    for account, week, revenue in (("oak-uk", W1, 1000), ("oak-uk", W2, 900)):
        insert(
            conn,
            "business_report_child_items",
            [{"week_start": week, "child_asin": "S1", "sku": "s1", "sessions": 100,
              "page_views": 100, "units": 10, "order_items": 10, "revenue": revenue}],
            account_id=account,
        )  # fmt: skip
    conn.execute(
        "insert into raw.fx_rates values ('2026-11-13', 'GBP', 0.90), ('2026-11-06', 'GBP', 0.90)"
    )
    build_models(
        conn,
        "reports.rpt_vendor_asins",
        "reports.rpt_vendor_summary",
        "reports.rpt_vendor_actions",
        "reports.rpt_account_kpis",
        "reports.rpt_portfolio_accounts",
        "reports.rpt_portfolio",
    )
    return conn


def asin_week(conn, asin, week=W2):
    return fetch(
        conn, "select * from reports.rpt_vendor_asins where asin = ? and week_start = ?", asin, week
    )[0]


def account_week(conn, week=W2):
    return fetch(
        conn,
        "select * from reports.rpt_vendor_summary where account_id = 'rhein-de' and week_start = ?",
        week,
    )[0]


def test_a_sunday_to_saturday_week_lands_in_the_monday_week_of_six_of_its_days(vendor):
    rows = fetch(
        vendor,
        "select distinct week_start, grain, period_start, period_end "
        "from staging.stg_vendor__asin_periods where family = 'sales' order by period_start",
    )
    assert [(r["week_start"], r["grain"]) for r in rows] == [
        (date(2025, 11, 10), "week"),
        (None, "month"),
        (W1, "week"),
        (W2, "week"),
    ]


def test_asin_measures_of_the_week(vendor):
    a = asin_week(vendor, A)
    assert (a["ordered_revenue_amount"], a["ordered_units"], a["shipped_cogs_amount"]) == (
        1190,
        56,
        810,
    )
    assert a["asp_amount"] == pytest.approx(21.25)  # 1190 / 56
    assert a["conversion"] == pytest.approx(56 / 900)
    assert a["customer_returns_rate"] == pytest.approx(2 / 52)
    # Net PPM 0.28 → 0.19 on €1,000 shipped: Amazon's margin −€90
    assert a["net_ppm_change_pts"] == pytest.approx(-0.09)
    assert a["net_ppm_effect_amount"] == pytest.approx(-90)
    # last year: €800 for 25 units (€32), Net PPM 0.30
    assert a["asp_yoy_pct"] == pytest.approx(21.25 / 32 - 1)
    assert a["net_ppm_yoy_pts"] == pytest.approx(-0.11)
    assert a["revenue_yoy_pct"] == pytest.approx(1190 / 800 - 1)


def test_last_year_from_the_exports_change_columns_without_the_week_itself(vendor):
    b = asin_week(vendor, B)
    # €300 at +50 % on last year → €200; 30 units at +25 % → 24; ASP €10 against €8.33
    assert float(b["ly_ordered_revenue_amount"]) == pytest.approx(200)
    assert b["revenue_yoy_pct"] == pytest.approx(0.5)
    assert b["asp_yoy_pct"] == pytest.approx(10 / (200 / 24) - 1)
    assert b["net_ppm_yoy_pts"] is None  # no Net PPM a year ago


def test_vendor_margin_needs_a_cost_price_for_every_asin_that_shipped(vendor):
    a = asin_week(vendor, A)
    # €810 paid by Amazon − 52 units × €10 own cost
    assert float(a["vendor_margin_amount"]) == pytest.approx(290)
    assert a["vendor_margin_pct"] == pytest.approx(290 / 810)
    assert a["sell_through_pct"] == pytest.approx(52 / (52 + 100))
    w = account_week(vendor)
    assert (w["vendor_margin_amount"], w["asins_without_cost"]) == (None, 1)  # B shipped, no cost
    assert w["sell_through_pct"] == pytest.approx(82 / (82 + 100))


def test_revenue_lost_to_stock_outs_and_to_a_lower_price(vendor):
    a, b = asin_week(vendor, A), asin_week(vendor, B)
    # A: €2,190 over 720 + 810 in-stock page views in W1–W2
    assert a["revenue_per_view_amount"] == pytest.approx(2190 / 1530)
    assert float(a["oos_revenue_lost_amount"]) == pytest.approx(128.82)  # 0.10 × 900 × 1.4314
    assert float(a["lbb_revenue_at_stake_amount"]) == pytest.approx(64.41)  # 0.05 × 900 × …
    # B: €800 over 400 + 400 in-stock views = €1 a view; 0.60 × 1,000 views
    assert float(b["oos_revenue_lost_amount"]) == pytest.approx(600)


def test_stock_against_the_forecast_and_the_lead_time(vendor):
    a, b = asin_week(vendor, A), asin_week(vendor, B)
    # 16 Nov–13 Dec: 6/7 of 70 + 70 + 70 + 70 + 1/7 of 70 = 280, a week 70
    assert a["forecast_weekly_units"] == pytest.approx(70)
    assert a["weeks_of_cover"] == pytest.approx(100 / 70)
    # 16–29 Nov (14 days): 60 + 70 + 10 = 140; 140 − 100 on hand − 20 on POs = 20 short
    assert a["lead_time_demand_units"] == pytest.approx(140)
    assert (a["po_shortfall_units"], a["stock_status"]) == (20, "po_short")
    # B has no forecast: 40 units a week (50 and 30), 80 in 14 days, nothing held
    assert b["weekly_demand_units"] == pytest.approx(40)
    assert (b["po_shortfall_units"], b["stock_status"]) == (80, "out_of_stock")


def test_account_week_weights_rates_by_what_they_are_rates_of(vendor):
    w = account_week(vendor)
    assert (w["ordered_revenue_amount"], w["ordered_units"], w["page_views"]) == (1490, 86, 1900)
    # Net PPM by shipped revenue: (0.19 × 1000 + 0.20 × 300) / 1300; W1 (252 + 100) / 1400
    assert w["net_ppm"] == pytest.approx(250 / 1300)
    assert w["net_ppm_change_pts"] == pytest.approx(250 / 1300 - 352 / 1400)
    # OOS by page views: (0.10 × 900 + 0.60 × 1000) / 1900; LBB only where reported
    assert w["procurable_oos_pct"] == pytest.approx(690 / 1900)
    assert w["lbb_price_pct"] == pytest.approx(0.05)
    assert w["customer_returns_rate"] == pytest.approx(5 / 82)
    assert float(w["oos_revenue_lost_amount"]) == pytest.approx(728.82)
    assert (w["po_shortfall_units"], w["out_of_stock_asins"], w["po_short_asins"]) == (100, 1, 2)
    assert w["po_shortfall_amount"] == pytest.approx(20 * 21.25 + 80 * 10)
    assert w["revenue_wow_pct"] == pytest.approx(1490 / 1500 - 1)


def test_the_revenue_bridge_runs_on_page_views_ordered_units_and_revenue(vendor):
    w = account_week(vendor)
    # A: +100 views × 0.05 × €25 = 125; (56 − 900 × 0.05) × €25 = 275; the rest −210 is price
    # B: no traffic change; (30 − 50) × €10 = −200; price 0
    assert (w["traffic_effect_amount"], w["conversion_effect_amount"]) == (125, 75)
    assert w["price_effect_amount"] == -210
    assert w["revenue_change_amount"] == -10


def test_risk_score_of_a_vendor_and_its_parts(vendor):
    w = account_week(vendor)
    assert w["stock_points"] == pytest.approx(25 * 728.82 / (1490 + 728.82))
    assert w["sales_points"] == pytest.approx(20 * (10 / 1500) / 0.5)
    assert w["margin_points"] == 25  # Net PPM fell 5.9 points: 5 or more gives all 25
    assert w["buy_box_points"] == pytest.approx(2.5)  # 15 × 0.05 / 0.30
    assert w["po_points"] == pytest.approx(15 * 100 / (4 * 110))
    assert w["risk_score"] == 39.4


def test_actions_are_ranked_by_the_money_at_stake(vendor):
    actions = fetch(
        vendor,
        "select kind, asin, amount_at_stake from reports.rpt_vendor_actions "
        "where week_start = ? order by action_rank",
        W2,
    )
    # a PO shortfall per week of the 2-week lead time (B: 80 × €10 / 2, A: 20 × €21.25 / 2);
    # A's aged stock, €50 / 13 a week, is below the €10 minimum and left out
    assert [(a["kind"], a["asin"], float(a["amount_at_stake"])) for a in actions] == [
        ("vendor_out_of_stock", B, 600.0),
        ("vendor_po_shortfall", B, 400.0),
        ("vendor_po_shortfall", A, 212.5),
        ("vendor_out_of_stock", A, 128.82),
        ("vendor_margin_drop", A, 90.0),
        ("vendor_buy_box_price", A, 64.41),
    ]


def test_a_month_is_kept_at_its_grain(vendor):
    (month,) = fetch(vendor, "select * from marts.fct_vendor_asin_period")
    assert (month["grain"], month["ordered_revenue_amount"], month["week_start"]) == (
        "month",
        4321,
        date(2026, 10, 26),
    )
    weeks = fetch(vendor, "select distinct week_start from marts.fct_vendor_asin_week")
    assert {w["week_start"] for w in weeks} == {date(2025, 11, 10), W1, W2}


def test_a_week_exported_as_a_week_wins_over_its_days(tmp_path):
    conn = vendor_warehouse(tmp_path)
    # the same Vendor Central week of A downloaded as 7 days (€200 a day): not added
    for day in range(7):
        date_ = SUN2 + timedelta(days=day)
        insert(
            conn, "vendor_sales",
            [{"asin": A, "start_date": date_, "end_date": date_, "ordered_revenue": 200,
              "ordered_units": 8}],
            account_id="rhein-de", period_start=date_, period_end=date_,
            distributor_view="manufacturing", source_file=f"rhein-de/day-{day}.csv",
        )  # fmt: skip
    build_models(conn, "marts.fct_vendor_asin_week", week=W2)
    assert asin_week(conn, A)["ordered_revenue_amount"] == 1190
    # without the weekly export, the days make the week
    conn.execute(
        "delete from raw.vendor_sales where start_date = ? and end_date = ?",
        [SUN2, SUN2 + timedelta(days=6)],
    )
    build_models(conn, "marts.fct_vendor_asin_week", week=W2)
    (a,) = fetch(
        conn, "select * from marts.fct_vendor_asin_week where asin = ? and week_start = ?", A, W2
    )
    # Sunday 8 Nov belongs to the week of 2 Nov: the Monday week of 9 Nov gets 6 days
    assert (a["ordered_revenue_amount"], a["grain"]) == (1200, "day")


def test_kpis_carry_the_vendor_measures(vendor):
    kpis = {
        r["metric"]: r["value"]
        for r in fetch(
            vendor,
            "select metric, value from reports.rpt_account_kpis where account_id = 'rhein-de' "
            "and week_start = ?",
            W2,
        )
    }
    assert kpis["ordered_revenue"] == 1490
    assert kpis["shipped_cogs"] == 1050
    assert kpis["net_ppm"] == pytest.approx(250 / 1300)
    assert kpis["procurable_oos_pct"] == pytest.approx(690 / 1900)
    assert kpis["risk_score"] == 39.4
    units = fetch(
        vendor,
        "select distinct unit from reports.rpt_account_kpis where account_id = 'rhein-de' "
        "and unit is null",
    )
    assert units == []  # every vendor metric is in the glossary


def test_vendor_and_seller_accounts_side_by_side_in_one_portfolio(vendor):
    accounts = fetch(
        vendor, "select * from reports.rpt_portfolio_accounts where week_start = ?", W2
    )
    rows = {r["account_id"]: r for r in accounts}
    assert (rows["rhein-de"]["account_kind"], rows["oak-uk"]["account_kind"]) == (
        "vendor",
        "seller",
    )
    assert rows["rhein-de"]["revenue_amount"] == 1490  # its ordered revenue, in EUR
    assert rows["rhein-de"]["net_ppm"] == pytest.approx(250 / 1300)
    assert rows["oak-uk"]["net_ppm"] is None
    (total,) = fetch(
        vendor,
        "select * from reports.rpt_portfolio where portfolio_id = 'eu' and week_start = ?",
        W2,
    )
    # £900 at 0.90 per euro = €1,000, plus the vendor's €1,490
    assert total["revenue_base_amount"] == pytest.approx(2490)
    assert (total["accounts"], total["vendor_accounts"]) == (2, 1)
    assert total["oos_revenue_lost_base_amount"] == pytest.approx(728.82)


def failures(conn, name, week=W2):
    check = next(c for c in CHECKS if c.name == name)
    return check.failures(conn, week.isoformat())


def test_vendor_expected_exports(vendor):
    rows = [r for r in failures(vendor, "exports_complete") if r["account_id"] == "rhein-de"]
    assert rows == []  # sales, inventory, traffic and Net PPM all came as weeks
    october = [
        r["detail"]
        for r in failures(vendor, "exports_complete", date(2026, 10, 26))
        if r["account_id"] == "rhein-de"
    ]
    # a month's export does not make its weeks
    assert "no vendor_sales export for this week" in october


def test_banner_of_another_view_or_currency_is_critical_and_left_out(tmp_path):
    conn = vendor_warehouse(tmp_path)
    vendor_rows(
        conn,
        "vendor_sales",
        SUN2,
        [{"asin": "B0CCCCCCC3", "ordered_revenue": 999, "ordered_units": 9}],
        distributor_view="sourcing",
        file_hash="s",
    )
    (found,) = failures(conn, "vendor_banner_matches_account")
    assert found["detail"] == (
        "rhein-de/vendor_sales-2026-11-08.csv: Distributor View is sourcing, but the account's "
        "distributor_view is manufacturing. Download the report again in the account's view and "
        "marketplace, or correct distributor_view in accounts.yaml if the account changed views."
    )
    build_models(conn, "marts.fct_vendor_asin_week", week=W2)
    assert not fetch(conn, "select * from marts.fct_vendor_asin_week where asin = 'B0CCCCCCC3'")


def test_asins_must_add_up_to_the_files_total(tmp_path):
    conn = vendor_warehouse(tmp_path)
    vendor_rows(
        conn,
        "vendor_sales",
        SUN2,
        [{"record_type": "aggregate", "ordered_revenue": 1500, "ordered_units": 86,
          "shipped_revenue": 1300, "shipped_cogs": 1050, "shipped_units": 82}],
    )  # fmt: skip
    (found,) = failures(conn, "vendor_totals_reconcile")
    assert "ordered revenue add up to 1490.0, the file's total says 1500.0" in found["detail"]
    # the total row is never counted as an ASIN
    build_models(conn, "marts.fct_vendor_account_week", week=W2)
    assert account_week(conn)["ordered_revenue_amount"] == 1490


def test_implausible_margin_is_critical(tmp_path):
    conn = vendor_warehouse(tmp_path)
    conn.execute(
        "update raw.vendor_net_ppm set net_ppm = 23.45 where asin = ? and start_date = ?", [B, SUN2]
    )
    build_models(conn, "marts.fct_vendor_account_week", week=W2)
    details = [f["detail"] for f in failures(conn, "vendor_margin_plausible")]
    assert any(d.startswith(f"{B}: Net PPM 2345.0 % is above 100 %") for d in details)
    assert any(d.startswith("Net PPM of the account is") for d in details)


def test_packs_built_together_each_get_their_own_rows(tmp_path):
    """The pack sections are one query for every vendor account of the run, each cut to its
    first rows per account: every pack holds its own account's rows, in its own order."""
    from assets.core.settings import load_accounts
    from assets.reports.packs import VENDOR_PACK, seller_pack_jobs

    conn = vendor_warehouse(tmp_path)
    for table in ("vendor_sales", "vendor_traffic", "vendor_net_ppm", "vendor_inventory"):
        conn.execute(
            f"insert into raw.{table} by name select * replace ('rhein-two' as account_id) "
            f"from raw.{table} where account_id = 'rhein-de'"
        )
    build_models(conn, "reports.rpt_vendor_asins", "reports.rpt_data_health", week=W2)
    accounts = load_accounts(tmp_path / "accounts.yaml")
    jobs = seller_pack_jobs(
        conn, [accounts.get("rhein-de"), accounts.get("rhein-two")], W2, tmp_path, VENDOR_PACK
    )
    for job in jobs:
        stock = job.context["stock"]
        assert [r["asin"] for r in stock] == [B, A]  # out of stock first, then POs short
        assert {r["account_id"] for r in stock} == {job.context["account"]["id"]}
        assert job.template == "vendor_pack.html"
