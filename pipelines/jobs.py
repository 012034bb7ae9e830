"""Jobs: the weekly run (everything, all accounts, one run), ingestion and delivery on their own.

All are partitioned by week, inferred from their assets; the reference tables (not
partitioned) are rewritten in every run, so an edit to accounts.yaml shows up in the next.

Every job runs on the definitions' executor, the one ``SELLERPULSE_EXECUTOR`` names
(docs/scaling.md):

* ``in_process`` (the default): every step in the run's process, one after another; the pack
  shards each render on every core.
* ``multiprocess``: Dagster's multiprocess executor, a process per step, so the pack shards
  render side by side. Needs a persistent instance (``DAGSTER_HOME``), as the steps hand
  their outputs over through its storage.
* ``<module>:<executor>``, e.g. ``dagster_celery:celery_executor`` or
  ``dagster_k8s:k8s_job_executor``: any other Dagster executor, with the package installed;
  the warehouse file and the reports folder must then be on storage every worker mounts.

Only the steps before the pack shards write to the warehouse, one after another; the shards
read it read-only. A writer that meets another (two check steps under ``multiprocess``) waits
for it (``DuckDBResource`` retries).
"""

import importlib
import os

import dagster as dg

# DuckDB allows one writer process: a team's queue (docs/team/dagster.yaml) starts one run with
# this tag at a time
WAREHOUSE_TAGS = {"sellerpulse/warehouse": "writer"}
EXECUTORS = {"in_process": dg.in_process_executor, "multiprocess": dg.multiprocess_executor}


def run_executor(name: str | None = None) -> dg.ExecutorDefinition:
    """The executor ``name`` (default: ``SELLERPULSE_EXECUTOR``, else in_process) stands for."""
    name = (name or os.environ.get("SELLERPULSE_EXECUTOR") or "in_process").strip()
    if name in EXECUTORS:
        return EXECUTORS[name]
    module, _, attribute = name.partition(":")
    try:
        executor = getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError, ValueError) as error:
        raise ValueError(
            f"SELLERPULSE_EXECUTOR={name!r}: not an executor ({error}). Use in_process, "
            "multiprocess, or <module>:<executor> of an installed package, e.g. "
            "dagster_celery:celery_executor"
        ) from None
    if not isinstance(executor, dg.ExecutorDefinition):
        raise ValueError(
            f"SELLERPULSE_EXECUTOR={name!r} is a {type(executor).__name__}, not an executor"
        )
    return executor


weekly_job = dg.define_asset_job(
    "weekly_job",
    selection=dg.AssetSelection.all(),
    tags=WAREHOUSE_TAGS,
    description="Reference tables → ingest → models → checks → packs → delivery for one week, "
    "all accounts. Tag sellerpulse/accounts=<id,...> to limit packs and delivery to some "
    "accounts.",
)

ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=dg.AssetSelection.groups("reference", "raw"),
    tags=WAREHOUSE_TAGS,
    description="Ingest one week folder of the inbox into the raw tables (set whole_inbox in "
    "the ingest_inbox config to ingest every week folder at once).",
)

delivery_job = dg.define_asset_job(
    "delivery_job",
    selection=dg.AssetSelection.groups("delivery"),
    tags=WAREHOUSE_TAGS,
    description="Mail one week's packs as they are (`sellerpulse send`): what was not sent yet, "
    "and a revised version of a pack that changed since it was sent.",
)
