"""Each Amazon check fails on a crafted bad dataset (and passes on the clean fixtures)."""

import shutil
from pathlib import Path

import duckdb
import pytest

from assets.checks.amazon import CHECKS
from assets.checks.results import CheckOutcome, record
from assets.core.catalog import discover
from assets.core.check_results import holds
from assets.core.settings import load_accounts
from assets.ingest.inbox import ingest_inbox
from assets.ingest.reference import write_reference_tables
from assets.models.build import build
from tests.conftest import EXPORTS, WEEK, drop, drop_all_fixtures, make_home

BY_NAME = {c.name: c for c in CHECKS}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The fixture exports for one week, every family for oak-uk, models built: once for the
    module, into a warehouse file each test copies."""
    home = make_home(tmp_path_factory.mktemp("checks"))
    drop_all_fixtures(home)
    drop(home, "uk_fba_inventory.txt", "oak-uk")
    drop(home, "jp_customer_reviews.tsv", "oak-uk")
    health = drop(home, "de_account_health.json", "oak-uk")
    shutil.copyfile(EXPORTS / "us_ads_api_campaigns.json", health.with_name("ads.json"))
    accounts = load_accounts(home.accounts_file)
    with duckdb.connect(str(home.warehouse)) as conn:
        write_reference_tables(conn, accounts, home.home)
        ingest_inbox(conn, home, accounts)
        rebuild(conn)
    return home.warehouse


@pytest.fixture
def loaded(built, home):
    """A test's own copy of the built warehouse, in its own working directory."""
    shutil.copyfile(built, home.warehouse)
    connection = duckdb.connect(str(home.warehouse))
    yield connection
    connection.close()


def rebuild(conn):
    for model in discover():
        build(conn, model, None)


def failures(conn, name):
    return BY_NAME[name].failures(conn, WEEK)


def test_complete_week_passes_where_exports_are_there(loaded):
    missing = failures(loaded, "exports_complete")
    assert {
        (f["account_id"], f["severity"]) for f in missing if f["account_id"] == "oak-uk"
    } == set()
    # the other accounts only sent a business report: warnings, not holds
    assert {f["severity"] for f in missing} == {"warning"}


def test_missing_business_report_is_critical(loaded):
    loaded.execute("update raw.ingest_log set status = 'superseded' where account_id = 'ocha-jp'")
    critical = [f for f in failures(loaded, "exports_complete") if f["severity"] == "critical"]
    assert critical == [
        {
            "account_id": "ocha-jp",
            "severity": "critical",
            "detail": "no business_report_child_item export for this week",
        }
    ]


def test_units_below_order_items(loaded):
    assert failures(loaded, "units_at_least_order_items") == []
    loaded.execute(
        "update raw.business_report_child_items set order_items = units + 1 "
        "where child_asin = 'B0DETEST02'"
    )
    (failure,) = failures(loaded, "units_at_least_order_items")
    assert failure["account_id"] == "messer-de"
    assert failure["detail"].startswith("B0DETEST02 SB-2: 60 units < 61 order items")


def test_rates_and_ratings_out_of_range(loaded):
    assert failures(loaded, "rates_and_ratings_in_range") == []
    loaded.execute(
        "update raw.business_report_child_items set buy_box_pct = 95.5 "
        "where child_asin = 'B0TEST0001'"
    )
    loaded.execute("update raw.customer_reviews set star_rating = 6 where review_id = 'RJP0002'")
    details = sorted(f["detail"] for f in failures(loaded, "rates_and_ratings_in_range"))
    assert details[0].startswith("Buy Box 95.5 on B0TEST0001")
    assert details[1] == "rating 6 in review RJP0002"


def test_child_items_reconcile_with_by_date(loaded, home, accounts):
    # by-date totals for the whole week: 7 days, 100.00 each = 700.00 vs 2918.40 by item
    rows = "\n".join(f'{d}.11.26,"100,00 €","0,00 €",1,0,1,10,10' for d in range(16, 23))
    header = (EXPORTS / "de_business_report_by_date.csv").read_text("utf-8-sig").splitlines()[0]
    target = home.inbox / "oak-uk" / WEEK / "by_date.csv"
    target.parent.mkdir(parents=True)
    target.write_text(header + "\n" + rows + "\n", "utf-8-sig")
    ingest_inbox(loaded, home, accounts)
    rebuild(loaded)
    (failure,) = failures(loaded, "child_items_reconcile_with_by_date")
    assert failure == {"account_id": "oak-uk", "detail": "by child item 2918.40 vs by date 700.00"}


def test_ad_sales_above_total_sales(loaded):
    assert failures(loaded, "ad_sales_within_total_sales") == []
    loaded.execute("update raw.sp_campaigns set sales = 5000")
    rebuild(loaded)
    (failure,) = failures(loaded, "ad_sales_within_total_sales")
    assert failure["account_id"] == "oak-uk"  # 2 days × 5000 > 2918.40


def test_duplicate_grain(loaded):
    assert failures(loaded, "grain_unique") == []
    loaded.execute(
        "insert into marts.fct_sales_asin_week select * from marts.fct_sales_asin_week "
        "where child_asin = 'B0JPTEST01'"
    )
    (failure,) = failures(loaded, "grain_unique")
    assert failure == {"account_id": "ocha-jp", "detail": "B0JPTEST01 appears 2 times"}


def test_overlapping_exports_and_freshness(loaded, home, accounts):
    assert failures(loaded, "overlapping_exports") == []
    # the Ads API file covers 16–17 Nov only: data through the 17th, not the 22nd
    assert failures(loaded, "data_fresh") == [
        {"account_id": "oak-uk", "detail": "sp_campaign data only through 2026-11-17"}
    ]
    copy = home.inbox / "oak-uk" / WEEK / "ads-again.json"
    copy.parent.mkdir(parents=True)
    copy.write_text((EXPORTS / "us_ads_api_campaigns.json").read_text().replace("1200", "1201"))
    ingest_inbox(loaded, home, accounts)
    # same period → the second export replaces the first: no overlap
    assert failures(loaded, "overlapping_exports") == []
    loaded.execute("update raw.ingest_log set status = 'loaded' where status = 'superseded'")
    (failure,) = failures(loaded, "overlapping_exports")
    assert failure["account_id"] == "oak-uk" and "overlaps" in failure["detail"]


def test_last_days_of_ads_are_provisional(loaded):
    # the export ends on the 17th: the 15th–17th are provisional; both rows here are
    assert failures(loaded, "ads_provisional") == [
        {"account_id": "oak-uk", "detail": "2 provisional days of Brand – Exact"}
    ]


def test_critical_failures_hold_only_named_accounts(loaded):
    outcome = CheckOutcome(
        "units_at_least_order_items",
        "x",
        "critical",
        "t",
        failures=[
            {"account_id": "messer-de", "detail": "bad"},
            {"account_id": "oak-uk", "detail": "worse", "severity": "warning"},
        ],
    )
    record(loaded, WEEK, outcome)
    record(loaded, WEEK, outcome)  # a re-run records one verdict, not two
    assert holds(loaded, WEEK) == {"messer-de": ["units_at_least_order_items: bad"]}
    assert not outcome.global_critical
    assert CheckOutcome("c", "x", "critical", "t", failures=[{"detail": "?"}]).global_critical


def test_a_business_report_of_another_period_is_held_with_what_to_do(loaded, home, accounts):
    assert failures(loaded, "business_report_period_plausible") == []
    # the two weeks before: 280 + 186 = 466 sessions each; this week's file has 1,200 + 800 =
    # 2,000: 2,000 / 466 = 4.29× the median, 7 × 4.29 = 30 days: a monthly report
    text = (EXPORTS / "uk_business_report.csv").read_text("utf-8-sig")
    for week in ("2026-11-02", "2026-11-09"):
        target = home.inbox / "oak-uk" / week / "br.csv"
        target.parent.mkdir(parents=True)
        target.write_text(
            text.replace('"1,200",10', "280,10").replace("800,0,40", "186,0,40")
            .replace("Large", week), "utf-8-sig"
        )  # fmt: skip
    ingest_inbox(loaded, home, accounts)
    rebuild(loaded)
    (failure,) = failures(loaded, "business_report_period_plausible")
    assert failure == {
        "account_id": "oak-uk",
        "detail": f"oak-uk/{WEEK}/uk_business_report.csv has 4.29× the sessions of the median "
        "of the 2 weeks before, as if it covered about 30 days, not the week 2026-11-16 to "
        '2026-11-22. Export "Detail Page Sales and Traffic by Child Item" for exactly those 7 '
        "days and put it in the same folder named replace-<its name>: it replaces this one (a "
        "shorter report would otherwise be held as less complete).",
    }
    # the business report by date of the week, when complete, is the better baseline: 7 days
    # of 2,000 sessions = 14,000; 2,000 / 14,000 = 0.14×, 7 × 0.1429 = 1 day
    rows = "\n".join(f'{d}.11.26,"400,00 €","0,00 €",20,0,20,"2.000",3000' for d in range(16, 23))
    header = (EXPORTS / "de_business_report_by_date.csv").read_text("utf-8-sig").splitlines()[0]
    target = home.inbox / "oak-uk" / WEEK / "by_date.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(header + "\n" + rows + "\n", "utf-8-sig")
    ingest_inbox(loaded, home, accounts)
    rebuild(loaded)
    (failure,) = failures(loaded, "business_report_period_plausible")
    assert failure["detail"].startswith(
        f"oak-uk/{WEEK}/uk_business_report.csv has 0.14× the sessions of the business report "
        "by date of the same week, as if it covered about 1 day"
    )
