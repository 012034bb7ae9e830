"""The GX suite beside rpt_headline_kpis: fails on crafted bad rows, passes on good ones."""

import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from assets.checks.gx_suites import load_suite, run_suite, unknown_columns
from assets.core.catalog import discover
from assets.ingest.inbox import ensure_raw_tables
from assets.ingest.reference import write_reference_tables
from assets.models.build import build

ROOT = Path(__file__).resolve().parents[2]
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


def test_every_suite_names_only_columns_its_model_has(accounts):
    # every model built whole on empty raw tables: the columns each suite runs against
    conn = duckdb.connect()
    ensure_raw_tables(conn)
    write_reference_tables(conn, accounts)
    for model in discover():
        build(conn, model, None)
    suites = [m for m in discover() if m.suite_path.exists()]
    assert suites, "no expectation suite found beside the models"
    for model in suites:
        frame = conn.execute(f"select * from {model.table}").df()
        suite = load_suite(model.suite_path)
        assert unknown_columns(suite, list(frame.columns)) == [], model.suite_path.name
        run_suite(suite, frame, ["account_id"])


def test_a_suite_naming_a_dropped_column_is_refused():
    suite = load_suite(SUITE)
    assert unknown_columns(suite, ["account_id"]) != []
    with pytest.raises(ValueError, match="names columns the table lacks: .*revenue_amount"):
        run_suite(suite, frame().drop(columns="revenue_amount"), ["account_id"])


def test_scipy_and_altair_load_only_when_used():
    """GX's import leaves SciPy's statistics and Altair unexecuted, and they work when used."""
    code = """
import sys
from assets.checks.gx_suites import _context
_context()
print(type(sys.modules["scipy.stats"]).__name__, type(sys.modules["altair"]).__name__)
print(any(type(f).__name__ == "_DeferredFinder" for f in sys.meta_path))
import scipy.stats, altair
print(scipy.stats.norm.cdf(0.0), altair.Chart.__name__, type(sys.modules["scipy.stats"]).__name__)
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.split("\n")[:3] == [
        "_LazyModule _LazyModule",  # imported by GX, not run
        "False",  # the finder is gone once GX is imported
        "0.5 Chart module",  # and both run in full on first use
    ]
