"""reports.rpt_account_health on hand-made account-health rows; numbers worked out by hand."""

from datetime import date, datetime

import pytest

from assets.core.catalog import discover
from assets.models.build import build
from tests.sql.rows import build_models, insert

WEEK = date(2026, 11, 16)
SUNDAY, WEDNESDAY = date(2026, 11, 22), date(2026, 11, 18)
EARLY, LATE = datetime(2026, 11, 23, 8), datetime(2026, 11, 24, 8)
L, G, E = "LESS_THAN", "GREATER_THAN", "EQUALS"

# (account, date_to, metric, channel, rate, target, condition, defects, orders, loaded_at)
ROWS = [
    # oak-uk, Wednesday's report: superseded by Sunday's in the same week
    ("oak-uk", WEDNESDAY, "odr", "afn", 0.05, 0.01, L, 30, 600, EARLY),
    ("oak-uk", WEDNESDAY, "odr", "mfn", 0.05, 0.01, L, 2, 40, EARLY),
    # oak-uk, Sunday's report
    ("oak-uk", SUNDAY, "odr", "afn", 0.005, 0.01, L, 3, 600, EARLY),
    ("oak-uk", SUNDAY, "odr", "mfn", 0.05, 0.01, L, 2, 40, EARLY),
    # late shipments restated: the first load said 3 of 40, the later one 1 of 40 (no target)
    ("oak-uk", SUNDAY, "late_shipment_rate", "all", 0.075, None, None, 3, 40, EARLY),
    ("oak-uk", SUNDAY, "late_shipment_rate", "all", 0.025, None, None, 1, 40, LATE),
    ("oak-uk", SUNDAY, "cancel_rate", "all", 0.0, 0.025, L, 0, 0, EARLY),
    ("oak-uk", SUNDAY, "valid_tracking_rate", "all", 0.925, 0.95, G, 37, 40, EARLY),
    ("oak-uk", SUNDAY, "on_time_delivery_rate", "all", 0.9, None, None, 36, 40, EARLY),
    ("oak-uk", SUNDAY, "unit_on_time_delivery_rate", "all", 0.9, 0.9, G, 36, 40, EARLY),
    ("oak-uk", SUNDAY, "account_health_rating", "all", None, None, None, None, None, EARLY),
    ("oak-uk", SUNDAY, "listing_policy_violations", "all", None, 0, E, 0, None, EARLY),
    (
        "oak-uk",
        SUNDAY,
        "received_intellectual_property_complaints",
        "all",
        None,
        0,
        E,
        1,
        None,
        EARLY,
    ),
    ("oak-uk", SUNDAY, "other_policy_violations", "all", None, 0, E, 0, None, EARLY),
    # messer-de, Sunday's report
    ("messer-de", SUNDAY, "odr", "afn", 0.014, 0.01, L, 7, 500, EARLY),
    ("messer-de", SUNDAY, "odr", "mfn", 0.0, 0.01, L, 0, 100, EARLY),
    ("messer-de", SUNDAY, "cancel_rate", "all", 0.03, None, None, None, None, EARLY),
    ("messer-de", SUNDAY, "listing_policy_violations", "all", None, 0, E, 0, None, EARLY),
    ("messer-de", SUNDAY, "document_requests", "all", None, 0, E, 0, None, EARLY),
    # ocha-jp: afn came without its defect count
    ("ocha-jp", SUNDAY, "odr", "afn", 0.004, 0.01, L, None, 900, EARLY),
    ("ocha-jp", SUNDAY, "odr", "mfn", 0.02, 0.01, L, 1, 50, EARLY),
]
MODELS = ("staging.stg_account_health__metrics", "reports.rpt_account_health")
COLUMNS = "rate, threshold_value, threshold_condition, status, threshold_source, defects, orders"


@pytest.fixture
def conn(warehouse):
    for account, day, metric, channel, rate, target, cond, defects, orders, loaded in ROWS:
        insert(
            warehouse,
            "account_health",
            [
                {
                    "period_start": day,
                    "period_end": day,
                    "metric": metric,
                    "channel": channel,
                    "rate": rate,
                    "target_value": target,
                    "target_condition": cond,
                    "defects": defects,
                    "orders": orders,
                    "date_from": date(2026, 9, 24),
                    "date_to": day,
                }
            ],
            account_id=account,
            locale="api",
            source_file="account-health.json",
            file_hash=f"h{loaded:%d}",
            loaded_at=loaded,
        )
    build_models(warehouse, *MODELS)
    return warehouse


def health(conn, metric, account="oak-uk", week=WEEK):
    return conn.execute(
        f"select {COLUMNS} from reports.rpt_account_health "
        "where account_id = ? and week_start = ? and metric = ?",
        [account, week, metric],
    ).fetchone()


def test_metrics_reported(conn):
    metrics = conn.execute(
        "select metric, unit, report_date from reports.rpt_account_health "
        "where account_id = 'oak-uk' order by metric"
    ).fetchall()
    # the rating and unit on-time delivery are not public metrics; everything is Sunday's
    assert metrics == [
        ("cancel_rate", "fraction", SUNDAY),
        ("late_shipment_rate", "fraction", SUNDAY),
        ("odr", "fraction", SUNDAY),
        ("on_time_delivery_rate", "fraction", SUNDAY),
        ("policy_violations", "count", SUNDAY),
        ("valid_tracking_rate", "fraction", SUNDAY),
    ]


def test_odr_combines_channels_from_counts_and_the_latest_report_of_the_week_wins(conn):
    # Sunday (not Wednesday's 32 defects): (3 + 2) ÷ (600 + 40) = 5/640 = 0.0078125 < 0.01
    # (the average of the two rates, 0.0275, would have breached)
    assert health(conn, "odr") == (0.0078125, 0.01, "below", "ok", "export", 5, 640)


def test_odr_breach_below(conn):
    # messer-de: (7 + 0) ÷ (500 + 100) = 0.011667 ≥ 0.01 → breach
    rate, *rest = health(conn, "odr", "messer-de")
    assert rate == pytest.approx(7 / 600)
    assert rest == [0.01, "below", "breach", "export", 7, 600]


def test_odr_without_counts_takes_the_rate_of_the_busiest_channel(conn):
    # ocha-jp afn has no defect count: the rate of afn (900 orders > 50) 0.004 < 0.01;
    # defects and orders are the sums of what was given: 1, 950
    assert health(conn, "odr", "ocha-jp") == (0.004, 0.01, "below", "ok", "export", 1, 950)


def test_restated_report_later_load_wins_and_marketplace_default_applies(conn):
    # the later load: 1 ÷ 40 = 0.025; no targetValue → UK default 0.04; 0.025 < 0.04 → ok
    assert health(conn, "late_shipment_rate") == (0.025, 0.04, "below", "ok", "marketplace", 1, 40)


def test_marketplace_threshold_is_read_from_the_marketplace_table(conn):
    # lowering UK's late shipment threshold to 0.02: 0.025 ≥ 0.02 → breach
    conn.execute(
        "update raw.marketplaces set threshold_late_shipment_rate = 0.02 where marketplace = 'UK'"
    )
    build_models(conn, *MODELS)
    assert health(conn, "late_shipment_rate")[1:5] == (0.02, "below", "breach", "marketplace")


def test_zero_orders_give_no_rate_and_no_status(conn):
    # 0 cancellations ÷ 0 orders → NULL rate, NULL status (threshold still shown)
    assert health(conn, "cancel_rate") == (None, 0.025, "below", None, "export", 0, 0)


def test_reported_rate_without_counts_against_marketplace_default(conn):
    # messer-de cancel rate 0.03, no counts, no target → DE default 0.025; 0.03 ≥ 0.025 → breach
    assert health(conn, "cancel_rate", "messer-de") == (
        0.03,
        0.025,
        "below",
        "breach",
        "marketplace",
        None,
        None,
    )


def test_at_least_conditions(conn):
    # valid tracking 37 ÷ 40 = 0.925 < 0.95 (export, GREATER_THAN) → breach
    assert health(conn, "valid_tracking_rate") == (
        0.925,
        0.95,
        "at_least",
        "breach",
        "export",
        37,
        40,
    )
    # on-time delivery 36 ÷ 40 = 0.9 ≥ 0.90 (default, no target in the export) → ok
    assert health(conn, "on_time_delivery_rate") == (
        0.9,
        0.9,
        "at_least",
        "ok",
        "marketplace",
        36,
        40,
    )


def test_policy_violations_sum_policy_defects_and_must_equal_zero(conn):
    # oak-uk: 0 + 1 + 0 = 1 ≠ 0 → breach; messer-de: 0 + 0 = 0 → ok
    assert health(conn, "policy_violations") == (1.0, 0.0, "equals", "breach", "export", 1, None)
    assert health(conn, "policy_violations", "messer-de") == (
        0.0,
        0.0,
        "equals",
        "ok",
        "export",
        0,
        None,
    )


def test_week_without_a_report_has_no_rows(conn):
    assert health(conn, "odr", week=date(2026, 11, 9)) is None
    models = {m.table: m for m in discover()}
    # a weekly rebuild gives the same rows as the full build
    before = conn.execute("select * from reports.rpt_account_health order by all").fetchall()
    build(conn, models["reports.rpt_account_health"], WEEK)
    after = conn.execute("select * from reports.rpt_account_health order by all").fetchall()
    assert after == before
