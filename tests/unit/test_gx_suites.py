"""The GX suite beside rpt_headline_kpis: fails on crafted bad rows, passes on good ones."""

import pandas as pd
import pytest

from assets.checks.gx_suites import load_suite, run_suite
from assets.core.catalog import discover

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


def test_a_misspelt_expectation_is_an_error_not_a_silent_gap():
    doc = {
        "name": "bad",
        "expectations": [
            {"type": "expect_column_values_to_be_rainbows", "kwargs": {"column": "x"}}
        ],
    }
    with pytest.raises(ValueError, match="expect_column_values_to_be_rainbows"):
        run_suite(doc, frame(), ["account_id"])


def test_every_suite_beside_a_model_is_valid():
    for model in discover():
        if model.suite_path.exists():
            run_suite(
                load_suite(model.suite_path),
                pd.DataFrame(
                    columns=[
                        "account_id",
                        "week_start",
                        "child_asin",
                        "units",
                        "buy_box_pct",
                        "page_views",
                        "sessions",
                        "currency_code",
                        "revenue_amount",
                        "unit_session_pct",
                        "unit",
                        "flag",
                        "metric",
                    ]
                ),
                ["account_id"],
            )
