"""reports.rpt_account_kpis: the public long table and its unusual-change baselines, by hand."""

from datetime import date, timedelta

import duckdb
import pytest

from assets.core.catalog import discover
from assets.ingest.inbox import ensure_raw_tables
from assets.ingest.reference import write_reference_tables
from assets.models.build import build

FIRST = date(2026, 9, 21)
REVENUE = [100, 110, 90, 100, 105, 95, 100, 100, 200]  # weeks 1–9, the last one jumps


def weeks_of_sales(accounts, rows):
    """A warehouse with one ASIN's weeks from FIRST on: rows of (sessions, units, revenue)."""
    conn = duckdb.connect()
    ensure_raw_tables(conn)
    write_reference_tables(conn, accounts)
    for i, (sessions, units, revenue) in enumerate(rows):
        week = FIRST + timedelta(weeks=i)
        conn.execute(
            "insert into raw.business_report_child_items (account_id, period_start, period_end, "
            "locale, child_asin, sessions, page_views, buy_box_pct, units, order_items, revenue, "
            "source_file, source_line, file_hash, loaded_at) values ('oak-uk', ?, ?, 'en-GB', "
            "'A1', ?, ?, 1.0, ?, ?, ?, 'f.csv', 2, ?, now())",
            [week, week + timedelta(days=6), sessions, sessions, units, units, revenue, f"h{i}"],
        )
    for model in discover():
        build(conn, model, None)
    return conn


@pytest.fixture
def warehouse(accounts):
    return weeks_of_sales(accounts, [(100, 10, revenue) for revenue in REVENUE])


def kpi(conn, week_index, metric):
    return conn.execute(
        "select value, unit, currency_code, baseline_low, baseline_high, flag "
        "from reports.rpt_account_kpis where account_id = 'oak-uk' and week_start = ? "
        "and metric = ?",
        [FIRST + timedelta(weeks=week_index), metric],
    ).fetchone()


def test_jump_beyond_median_plus_three_mad_is_flagged_with_its_baseline(warehouse):
    # week 9: the 8 weeks before are 90 95 100 100 100 100 105 110 → median 100;
    # |x − 100| = 10 5 0 0 0 0 5 10 → median 2.5; × 1.4826 = 3.7065; ± 3 × 3.7065 = 11.1195
    value, unit, currency, low, high, flag = kpi(warehouse, 8, "revenue")
    assert (value, unit, currency, flag) == (200.0, "amount", "GBP", "unusually_high")
    assert low == pytest.approx(88.8805) and high == pytest.approx(111.1195)


def test_no_baseline_before_eight_weeks_of_history(warehouse):
    # week 8 has only 7 earlier weeks
    assert kpi(warehouse, 7, "revenue")[3:] == (None, None, None)


def test_ratios_are_fractions_without_currency(warehouse):
    # units 10 ÷ sessions 100 = 0.1, steady: MAD 0 → the baseline is the value itself
    value, unit, currency, low, high, flag = kpi(warehouse, 8, "unit_session_pct")
    assert (value, unit, currency, low, high, flag) == (0.1, "fraction", None, 0.1, 0.1, None)


def test_every_metric_is_in_the_glossary(warehouse):
    # raw.metrics is written from the glossary; a metric outside it would have no unit
    assert (
        warehouse.execute(
            "select distinct metric from reports.rpt_account_kpis where unit is null"
        ).fetchall()
        == []
    )


def test_a_change_against_a_baseline_without_spread_is_not_flagged(accounts):
    # sessions 100 in each of the 8 weeks before: median 100, MAD 0; week 9 has 150. With no
    # spread any change would leave the range [100, 100]: no flag, the range still shown
    conn = weeks_of_sales(accounts, [(100, 10, 100)] * 8 + [(150, 10, 100)])
    assert kpi(conn, 8, "sessions")[3:] == (100.0, 100.0, None)


def test_a_conversion_share_of_few_sessions_is_not_flagged(accounts):
    # unit session % over weeks 1–8: 5/50 6/50 4/50 5/50 5/50 6/50 4/50 5/50
    # = 0.10 0.12 0.08 0.10 0.10 0.12 0.08 0.10 → median 0.10, MAD 1.4826 × 0.01 ≈ 0.0148;
    # week 9: 40 units of 60 sessions = 0.667, far above 0.10 + 3 × 0.0148 = 0.1445, but 60
    # sessions are fewer than flag_min_sessions (100): no flag. With 120 sessions and 80 units
    # (the same 0.667) the flag stands.
    history = [(50, u, 100) for u in (5, 6, 4, 5, 5, 6, 4, 5)]
    few = weeks_of_sales(accounts, [*history, (60, 40, 100)])
    value, _, _, low, high, flag = kpi(few, 8, "unit_session_pct")
    assert value == pytest.approx(40 / 60) and high == pytest.approx(0.1445, abs=1e-4)
    assert flag is None
    enough = weeks_of_sales(accounts, [*history, (120, 80, 100)])
    assert kpi(enough, 8, "unit_session_pct")[5] == "unusually_high"
