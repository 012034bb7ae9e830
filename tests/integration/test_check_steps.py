"""The checks run in two steps (assets/checks/assets.py), each check still its own, per week:
a week's run up to the packs has exactly two check steps, one check can run alone, and a
check that raises leaves the others of its step to run and record."""

import os

import dagster as dg
import duckdb

from assets.checks import gx_worker
from assets.checks.assets import INGEST_STEP, MODEL_STEP, ingest_checks
from assets.reports import render
from pipelines.definitions import build_definitions
from tests.conftest import WEEK, drop, drop_all_fixtures

# the weekly job's assets and checks up to the packs (they take most of its time, and these
# tests are about the checks)
BEFORE_PACKS = dg.AssetSelection.all() - dg.AssetSelection.groups("packs", "delivery")


def run(
    home,
    job_name: str = "weekly_job",
    checks: list[str] | None = None,
    selection: dg.AssetSelection | None = None,
    **options,
):
    """A run of the week in process: a job of the definitions, only the ``checks`` named, or
    the assets (with their checks) of ``selection``."""
    defs = build_definitions(home.home)
    if checks is not None:
        keys = [k for c in defs.asset_checks for k in c.check_keys if k.name in checks]
        selection = dg.AssetSelection.checks(*keys)
    if selection is not None:
        job_name = "selected"
        only = dg.define_asset_job(job_name, selection=selection)
        defs = dg.Definitions.merge(defs, dg.Definitions(jobs=[only]))
    instance = dg.DagsterInstance.ephemeral()
    job = defs.resolve_job_def(job_name)
    # the week as a tag, as the UI launches a run: ``partition_key=`` would have Dagster look
    # for the job's partitions in its assets, and a job of checks alone has none
    result = job.execute_in_process(
        tags={"dagster/partition": WEEK}, instance=instance, raise_on_error=False, **options
    )
    return result, instance


def steps(result, event: str) -> list[str]:
    return [e.step_key for e in result.all_events if e.event_type_value == event]


def test_a_week_checks_in_two_steps_and_records_each_check_for_the_week(home, capsys, monkeypatch):
    drop_all_fixtures(home)
    monkeypatch.setattr(render, "_warming", None)
    try:
        # with the command line's progress lines (pipelines/progress.py)
        result, instance = run(
            home, selection=BEFORE_PACKS, run_config={"loggers": {"progress": {}}}
        )
        assert result.success
        # the in-process run started GX's worker with the ingest, for the suites later, at a
        # lower priority than the run's own
        assert gx_worker._worker is not None
        assert os.getpriority(os.PRIO_PROCESS, gx_worker._worker.pid) == min(
            19, os.getpriority(os.PRIO_PROCESS, 0) + gx_worker.NICE
        )
        # but did not warm WeasyPrint up for packs it does not render
        assert render._warming is None
    finally:
        gx_worker.stop()
    specs = {s.key for c in build_definitions(home.home).asset_checks for s in c.check_specs}
    assert len(specs) == 21
    evaluations = result.get_asset_check_evaluations()
    assert {e.asset_check_key for e in evaluations} == specs and len(evaluations) == len(specs)
    assert set(steps(result, "ASSET_CHECK_EVALUATION")) == {INGEST_STEP, MODEL_STEP}
    started = steps(result, "STEP_START")
    assert sum(s in (INGEST_STEP, MODEL_STEP) for s in started) == 2
    # the ingest checks run before the models (they block them), the model checks after
    assert started.index(INGEST_STEP) < started.index("sql_models") < started.index(MODEL_STEP)
    # every result is the week's: the UI shows it on the week's partition
    assert {e.partition for e in evaluations} == {WEEK}
    for key in specs:
        (latest,) = instance.event_log_storage.get_asset_check_execution_history(key, limit=1)
        assert latest.partition == WEEK, key
    # a progress line per step of checks, with its own counts, where the step ran
    counted = {INGEST_STEP: [0, 0], MODEL_STEP: [0, 0]}
    for event in result.all_events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            counted[event.step_key][0 if event.event_specific_data.passed else 1] += 1
    lines = [line.split(" (")[0].split(None, 1) for line in capsys.readouterr().out.splitlines()]
    stages = [stage for stage, _ in lines]
    assert stages[:5] == ["files", "reference", "checks", "models", "checks"], lines
    assert [said for stage, said in lines if stage == "checks"] == [
        f"{passed} passed, {failed} failed" for passed, failed in counted.values()
    ]

    # one check alone, as from the UI: only it runs, in its step, with the real verdict
    alone, _ = run(home, checks=["gx_rpt_headline_kpis"])
    assert alone.success
    (evaluation,) = alone.get_asset_check_evaluations()
    assert evaluation.check_name == "gx_rpt_headline_kpis" and evaluation.passed
    assert evaluation.partition == WEEK
    assert steps(alone, "STEP_START") == [MODEL_STEP]
    assert "expect_column_values_to_be_between(revenue_amount" in (
        evaluation.metadata["expectations"].value
    )


def test_the_ingest_step_starts_gx_when_the_suites_run_later_in_its_process(home):
    """GX imports while the exports load: the ingest step starts its worker (``core.ahead``),
    even in a run without the ingest checks, and only for a run that validates suites."""
    drop_all_fixtures(home)
    gx_worker.stop()
    try:
        ingested, _ = run(home, "ingest_job")  # no models, no suites
        assert ingested.success and gx_worker._worker is None
        result, _ = run(home, selection=BEFORE_PACKS - dg.AssetSelection.checks(ingest_checks))
        assert result.success
        assert INGEST_STEP not in steps(result, "STEP_START")
        assert gx_worker._worker is not None
    finally:
        gx_worker.stop()
    assert {e.check_name for e in result.get_asset_check_evaluations()} >= {
        "gx_fct_sales_asin_week",
        "gx_rpt_headline_kpis",
    }


def test_one_check_alone_gives_its_verdict_and_records_only_it(home):
    # business reports for two of the three accounts: oak-uk lacks its (critical) one
    drop(home, "de_business_report.csv", "messer-de")
    drop(home, "ja_business_report.csv", "ocha-jp")
    ingested, _ = run(home, "ingest_job")
    assert ingested.success
    with duckdb.connect(str(home.warehouse)) as conn:
        conn.execute("delete from checks.check_results")
    alone, _ = run(home, checks=["exports_complete"])
    assert alone.success
    assert steps(alone, "STEP_START") == [INGEST_STEP]
    (evaluation,) = alone.get_asset_check_evaluations()
    assert evaluation.check_name == "exports_complete" and not evaluation.passed
    # held for oak-uk alone, not a global failure: WARN, the run goes on
    assert evaluation.severity == dg.AssetCheckSeverity.WARN
    metadata = {k: v.value for k, v in evaluation.metadata.items()}
    # the three sellers each lack FBA inventory, Sponsored Products, reviews and account
    # health (4 warnings × 3 = 12); oak-uk also lacks its business report (1 critical): 13
    assert (metadata["failed_rows"], metadata["critical_rows"]) == (13, 1)
    assert metadata["held_accounts"] == "oak-uk"
    with duckdb.connect(str(home.warehouse), read_only=True) as conn:
        recorded = conn.execute("select check_name, passed from checks.check_results").fetchall()
        holds = conn.execute("select account_id, check_name, reason from checks.holds").fetchall()
    assert recorded == [("exports_complete", False)]
    assert holds == [
        (
            "oak-uk",
            "exports_complete",
            "exports_complete: no business_report_child_item export for this week",
        )
    ]


def test_a_check_that_raises_leaves_the_others_to_run_and_stops_what_follows(home):
    drop_all_fixtures(home)
    ingested, _ = run(home, "ingest_job")
    assert ingested.success
    # a column only rates_and_ratings_in_range reads, gone: its query fails (the files are
    # loaded already, so the week's ingest does not write that table again)
    with duckdb.connect(str(home.warehouse)) as conn:
        conn.execute("alter table raw.customer_reviews drop column star_rating")
        conn.execute("delete from checks.check_results")
    result, _ = run(home)
    assert not result.success
    (failure,) = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert failure.step_key == INGEST_STEP
    # failed by Dagster once every check of the step has run: a critical check that could not
    # run fails like a failure no account can be blamed for, and blocks
    assert "rates_and_ratings_in_range" in str(failure.event_specific_data.error)
    # the checks after it in the step ran all the same
    names = [
        "exports_complete",
        "replacements_complete",
        "rates_and_ratings_in_range",
        "overlapping_exports",
        "data_fresh",
    ]
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert sorted(evaluations) == sorted(names)
    raised = evaluations["rates_and_ratings_in_range"]
    # a critical check that could not run is a failure no account is blamed for: it blocks
    assert not raised.passed and raised.severity == dg.AssetCheckSeverity.ERROR
    assert "star_rating" in raised.metadata["error"].value
    assert evaluations["replacements_complete"].passed
    with duckdb.connect(str(home.warehouse), read_only=True) as conn:
        recorded = dict(
            conn.execute("select check_name, sample from checks.check_results").fetchall()
        )
    assert sorted(recorded) == sorted(names)
    assert "the check could not run: BinderException" in recorded["rates_and_ratings_in_range"]
    # the step failed: no model built, no pack made
    assert "sql_models" not in steps(result, "STEP_START")
    assert list(home.reports.glob("*/*.pdf")) == []
