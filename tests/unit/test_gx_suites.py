"""The GX suite beside rpt_headline_kpis: fails on crafted bad rows, passes on good ones."""

import pandas as pd

from assets.checks.gx_suites import load_suite, run_suite
from assets.models.sql_models import discover

SUITE = next(m for m in discover() if m.name == "rpt_headline_kpis").suite_path


def frame(**overrides):
    row = {
        "account_id": "oak-uk",
        "week_start": "2026-11-16",
        "currency_code": "GBP",
        "revenue_amount": 10.0,
        "unit_session_pct": 0.1,
    }
    return pd.DataFrame([row, {**row, "account_id": "bad", **overrides}])


def test_good_rows_pass():
    outcome = run_suite(load_suite(SUITE), frame(), ["account_id"])
    assert outcome.critical_failures == [] and outcome.warnings == []


def test_negative_revenue_is_critical_and_names_the_row():
    outcome = run_suite(load_suite(SUITE), frame(revenue_amount=-1.0), ["account_id"])
    (failure,) = outcome.critical_failures
    assert failure.column == "revenue_amount" and failure.unexpected_count == 1
    assert failure.sample[0]["account_id"] == "bad"
    assert "FAILED [critical]" in failure.describe()


def test_implausible_conversion_only_warns():
    outcome = run_suite(load_suite(SUITE), frame(unit_session_pct=7.0), ["account_id"])
    assert outcome.critical_failures == [] and len(outcome.warnings) == 1
