"""GX in its worker process gives what it gives in the run's process, errors included."""

import sys

import pytest

from assets.checks import gx_worker
from assets.checks.gx_suites import load_suite, run_suite
from tests.unit.test_gx_suites import SUITE, frame


@pytest.fixture
def worker():
    gx_worker.start()
    yield
    gx_worker.stop()


def test_the_worker_validates_as_the_run_would(worker):
    suite = load_suite(SUITE)
    for bad in ({}, {"revenue_amount": -1.0}, {"unit_session_pct": 7.0}):
        here = run_suite(suite, frame(**bad), ["account_id"])
        assert gx_worker.validate(suite, frame(**bad), ["account_id"]) == here


def test_an_error_in_the_worker_is_raised_in_the_check(worker):
    with pytest.raises(ValueError, match="names columns the table lacks: .*revenue_amount"):
        gx_worker.validate(load_suite(SUITE), frame().drop(columns="revenue_amount"), ["x"])
    # and the worker serves the next suite
    assert gx_worker.validate(load_suite(SUITE), frame(), ["account_id"]).critical_failures == []


def test_a_dead_worker_is_replaced_by_validating_here(worker):
    gx_worker._worker.kill()
    gx_worker._worker.wait()
    outcome = gx_worker.validate(load_suite(SUITE), frame(revenue_amount=-1.0), ["account_id"])
    assert len(outcome.critical_failures) == 1 and gx_worker._worker is None


def test_without_a_worker_gx_runs_here():
    gx_worker.stop()
    assert gx_worker.validate(load_suite(SUITE), frame(), ["account_id"]).warnings == []
    assert "great_expectations" in sys.modules
