"""A critical check failure holds the packs and the mail; warnings would not."""

import dagster as dg
import duckdb

from pipelines.definitions import build_definitions
from tests.conftest import WEEK, drop


def test_negative_revenue_blocks_packs_and_delivery(home):
    path = drop(home, "uk_business_report.csv", "oak-uk")
    path.write_text(path.read_text("utf-8-sig").replace('"£2,398.80"', '"-£2,398.80"'), "utf-8-sig")
    job = build_definitions(home.home).resolve_job_def("weekly_job")
    result = job.execute_in_process(
        partition_key=WEEK, instance=dg.DagsterInstance.ephemeral(), raise_on_error=False
    )
    (check,) = result.get_asset_check_evaluations()
    assert not check.passed and check.severity == dg.AssetCheckSeverity.ERROR
    assert check.metadata["critical_failures"].value == 1
    materialized = {
        m.asset_key.to_user_string()
        for m in result.get_asset_materialization_events()
        for m in [m.event_specific_data.materialization]
    }
    assert "reports/rpt_headline_kpis" in materialized
    assert "packs/seller_packs" not in materialized
    assert not (home.reports / WEEK).exists() and not (home.outbox / WEEK).exists()
    with duckdb.connect(str(home.warehouse)) as conn:
        failed = conn.execute(
            "select check_name, failed_rows from checks.check_results where not passed"
        ).fetchall()
    assert failed == [("expect_column_values_to_be_between(revenue_amount)", 1)]
