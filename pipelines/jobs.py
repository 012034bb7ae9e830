"""Jobs: the weekly run (everything, all accounts, one run) and ingestion on its own."""

import dagster as dg

from pipelines.partitions import weekly_partitions

# DuckDB allows one writer process: every step of a run executes in the run's own process.
weekly_job = dg.define_asset_job(
    "weekly_job",
    selection=dg.AssetSelection.all(),
    partitions_def=weekly_partitions,
    executor_def=dg.in_process_executor,
    description="Ingest → models → checks → packs → delivery for one week, all accounts. "
    "Tag sellerpulse/accounts=<id,...> to limit packs and delivery to some accounts.",
)

ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=dg.AssetSelection.groups("raw"),
    partitions_def=weekly_partitions,
    executor_def=dg.in_process_executor,
    description="Ingest one week folder of the inbox into the raw tables.",
)
