"""The Dagster definitions: loadable, wired as designed, one run per week."""

import json
import os
from pathlib import Path

import dagster as dg
import duckdb

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
    # real exports go back years: partitions from 2015 (SELLERPULSE_FIRST_WEEK moves it)
    assert job.partitions_def.get_partition_keys()[0] == "2015-01-05"
    assert job.executor_def.name == "in_process"
    assert {s.name for s in defs.schedules} == {"weekly_job_schedule"}
    assert {s.name for s in defs.sensors} == {"inbox_sensor"}
    # both run by default (SELLERPULSE_SCHEDULE / SELLERPULSE_INBOX_SENSOR=off stop them)
    assert defs.resolve_schedule_def("weekly_job_schedule").default_status.value == "RUNNING"
    assert defs.resolve_sensor_def("inbox_sensor").default_status.value == "RUNNING"
    # every check is partitioned by week, so the UI shows its result per week
    assert all(
        spec.partitions_def is not None for check in defs.asset_checks for spec in check.check_specs
    )


SNAPSHOT = Path(__file__).with_name("asset_graph.json")


def asset_graph(defs: dg.Definitions) -> dict:
    """Every asset with its group, partitioning and upstream keys; every check with its asset
    and whether it blocks: what a reviewer should see change when the graph changes."""
    graph = defs.resolve_asset_graph()
    assets = {}
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "partitioned": node.partitions_def is not None,
            "deps": sorted(k.to_user_string() for k in node.parent_keys),
        }
    checks = {
        spec.name: {"asset": spec.asset_key.to_user_string(), "blocking": spec.blocking}
        for check in defs.asset_checks
        for spec in check.check_specs
    }
    return {"assets": assets, "checks": dict(sorted(checks.items()))}


def test_asset_graph_matches_its_snapshot(home):
    """A changed graph (an asset, a dependency, a group, a check) must be a reviewed change:
    rewrite the snapshot with SELLERPULSE_UPDATE_SNAPSHOT=1 and commit it with the change."""
    current = asset_graph(build_definitions(home.home))
    if os.environ.get("SELLERPULSE_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(current, indent=1, ensure_ascii=False) + "\n", "utf-8")
    assert current == json.loads(SNAPSHOT.read_text("utf-8"))


def written_outside_the_assets(defs: dg.Definitions, warehouse) -> set[str]:
    """Tables and views in the warehouse that no asset declares, but the bookkeeping schemas
    (checks, delivery ledger, model hashes)."""
    declared = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        written = {
            f"{schema}/{name}"
            for schema, name in conn.execute(
                "select schema_name, table_name from duckdb_tables() union all "
                "select schema_name, view_name from duckdb_views() where not internal"
            ).fetchall()
            if schema not in ("checks", "delivery", "meta")
        }
    return written - declared
