"""The one Definitions object: what the Dagster UI, the schedule and the command line run."""

from pathlib import Path

import dagster as dg

from assets.checks.assets import amazon_checks, suite_checks
from assets.delivery.assets import pack_emails
from assets.ingest.assets import ingest_inbox_asset
from assets.models.assets import sql_models
from assets.reports.assets import portfolio_packs, seller_packs
from pipelines.jobs import ingest_job, weekly_job
from pipelines.resources import SellerPulseHome, warehouse_resource
from pipelines.schedules import weekly_schedule
from pipelines.sensors import inbox_sensor
from pipelines.settings import Paths


def build_definitions(home: Path | None = None) -> dg.Definitions:
    """Definitions for a working directory (default: ``SELLERPULSE_HOME`` or ``data/``)."""
    paths = Paths.from_env(home)
    return dg.Definitions(
        assets=[ingest_inbox_asset, sql_models, seller_packs, portfolio_packs, pack_emails],
        asset_checks=[*suite_checks, *amazon_checks],
        jobs=[weekly_job, ingest_job],
        schedules=[weekly_schedule],
        sensors=[inbox_sensor],
        resources={
            "warehouse": warehouse_resource(paths),
            "sellerpulse": SellerPulseHome(home=str(paths.home)),
        },
        executor=dg.in_process_executor,
    )


defs = build_definitions()
