"""Jobs: the weekly run (everything, all accounts, one run) and ingestion on its own.

Both are partitioned by week, inferred from their assets; the reference tables (not
partitioned) are rewritten in every run, so an edit to accounts.yaml shows up in the next.
"""

import dagster as dg

# DuckDB allows one writer process: a team's queue (docs/team/dagster.yaml) starts one run with
# this tag at a time
WAREHOUSE_TAGS = {"sellerpulse/warehouse": "writer"}

# DuckDB allows one writer process: every step of a run executes in the run's own process.
weekly_job = dg.define_asset_job(
    "weekly_job",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    tags=WAREHOUSE_TAGS,
    description="Reference tables → ingest → models → checks → packs → delivery for one week, "
    "all accounts. Tag sellerpulse/accounts=<id,...> to limit packs and delivery to some "
    "accounts.",
)

ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=dg.AssetSelection.groups("reference", "raw"),
    executor_def=dg.in_process_executor,
    tags=WAREHOUSE_TAGS,
    description="Ingest one week folder of the inbox into the raw tables (set whole_inbox in "
    "the ingest_inbox config to ingest every week folder at once).",
)

delivery_job = dg.define_asset_job(
    "delivery_job",
    selection=dg.AssetSelection.groups("delivery"),
    executor_def=dg.in_process_executor,
    tags=WAREHOUSE_TAGS,
    description="Mail one week's packs as they are (`sellerpulse send`): what was not sent yet, "
    "and a revised version of a pack that changed since it was sent.",
)
