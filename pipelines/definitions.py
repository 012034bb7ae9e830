"""The one Definitions object: what the Dagster UI, the schedule and the command line run.

This is where the stages meet: ``pipelines`` imports ``assets``, never the reverse, and the
stage packages under ``assets`` share only ``assets.core`` (README "Layout").
"""

from pathlib import Path

import dagster as dg

# Dagster's SQL storage (SQLAlchemy, Alembic, the tables of runs and events: half a second)
# and the event log storage of the project's dagster.yaml, imported with the definitions: the
# multiprocess executor forks its steps from a server that has imported this module, so a
# step opens the run's instance without importing them again
import dagster._core.storage.runs  # noqa: F401

import pipelines.event_log  # noqa: F401 - see above
from assets.checks.assets import ingest_checks, model_checks
from assets.core.resources import SellerPulseHome, SmtpResource, warehouse_resource
from assets.core.settings import Paths
from assets.delivery.assets import pack_emails
from assets.ingest.assets import ingest_inbox_asset, reference_tables
from assets.models.assets import sql_models
from assets.reports.assets import portfolio_packs, seller_packs_asset
from pipelines.jobs import delivery_job, ingest_job, run_executor, weekly_job
from pipelines.progress import progress_logger
from pipelines.schedules import weekly_schedule
from pipelines.sensors import inbox_sensor

CHECKS = [ingest_checks, model_checks]
# every asset a blocking check guards: the seller packs wait for those checks
GUARDED = {spec.asset_key for check in CHECKS for spec in check.check_specs if spec.blocking}


def build_definitions(
    home: Path | str | None = None, executor: str | None = None
) -> dg.Definitions:
    """Definitions for a working directory (default: ``SELLERPULSE_HOME`` or ``data/``), whose
    jobs run on ``executor`` (default: ``SELLERPULSE_EXECUTOR``, else in process;
    ``pipelines/jobs.py``)."""
    paths = Paths.from_env(home)
    run_on = run_executor(executor)
    return dg.Definitions(
        assets=[
            reference_tables,
            ingest_inbox_asset,
            sql_models,
            seller_packs_asset(GUARDED),
            portfolio_packs,
            pack_emails,
        ],
        asset_checks=CHECKS,
        jobs=[weekly_job, ingest_job, delivery_job],
        schedules=[weekly_schedule],
        sensors=[inbox_sensor],
        resources={
            # steps in one process share the open warehouse (assets/core/resources.py)
            "warehouse": warehouse_resource(paths, hold_open=run_on is dg.in_process_executor),
            "sellerpulse": SellerPulseHome(home=str(paths.home)),
            "smtp": SmtpResource.from_env(),
        },
        executor=run_on,
        # Dagster's console log (the default, and `sellerpulse -v`), or one line per stage
        loggers={"console": dg.default_loggers()["console"], "progress": progress_logger},
    )


def job_for(home: str, name: str, executor: str | None = None) -> dg.JobDefinition:
    """A job of a home's definitions, rebuilt by name in every process of a run: Dagster's
    multiprocess executor (and Celery's, Kubernetes') starts each step in a process of its own
    (``dg.build_reconstructable_job``)."""
    return build_definitions(home, executor).resolve_job_def(name)


defs = build_definitions()
