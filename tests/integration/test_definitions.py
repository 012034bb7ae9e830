"""The Dagster definitions: loadable, wired as designed, one run per week."""

import dagster as dg

from pipelines.definitions import build_definitions


def test_definitions_load(home):
    defs = build_definitions(home.home)
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {
        "raw/business_report_child_items",
        "staging/stg_business_reports__child_items",
        "marts/fct_sales_asin_week",
        "reports/rpt_headline_kpis",
        "packs/seller_packs",
        "delivery/pack_emails",
    } <= keys
    # the chain ingest → staging → marts → reports → packs → delivery, read from the SQL
    assert (
        dg.AssetKey(["raw", "business_report_child_items"])
        in graph.get(dg.AssetKey(["staging", "stg_business_reports__child_items"])).parent_keys
    )
    assert (
        dg.AssetKey(["reports", "rpt_headline_kpis"])
        in graph.get(dg.AssetKey(["packs", "seller_packs"])).parent_keys
    )
    checks = {k.name: k for k in graph.asset_check_keys}
    assert "gx_rpt_headline_kpis" in checks
    job = defs.resolve_job_def("weekly_job")
    assert job.partitions_def.get_partition_keys()[0] == "2024-01-01"
    assert job.executor_def.name == "in_process"
    assert {s.name for s in defs.schedules} == {"weekly_job_schedule"}
    assert {s.name for s in defs.sensors} == {"inbox_sensor"}
