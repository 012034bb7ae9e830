"""Ingestion as a weekly-partitioned Dagster asset: the inbox week folder → raw tables."""

from collections import Counter

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.ingest.inbox import ingest_inbox
from assets.ingest.readers import catalog
from assets.ingest.reference import write_reference_tables
from pipelines.partitions import weekly_partitions
from pipelines.resources import SellerPulseHome

RAW_TABLES = [k.table for k in catalog().kinds.values()]
REFERENCE_TABLES = ["accounts", "portfolios", "marketplaces", "fx_rates", "unit_costs"]
DESCRIPTIONS = {
    **{
        t: f"Raw rows of {t}: typed source columns + account, period, file, line, hash."
        for t in RAW_TABLES
    },
    **{t: f"Configuration snapshot: {t}." for t in REFERENCE_TABLES},
    "ingest_log": "One row per inbox file: kind, locale, rows read/loaded/rejected, status and "
    "message (rows_read = rows_loaded + rows_rejected).",
    "rejects": "Every row that could not be loaded: file, line, column, value, reason.",
}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", table], kinds={"duckdb"}, group_name="raw", description=text)
        for table, text in DESCRIPTIONS.items()
    ],
    partitions_def=weekly_partitions,
    can_subset=False,
    name="ingest_inbox",
)
def ingest_inbox_asset(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, sellerpulse: SellerPulseHome
):
    """Ingest the week's inbox folders (``inbox/<account>/<week>/``) for every account.

    Every file is loaded or rejected row by row, logged once by content hash, and archived.
    """
    week = weekly_partitions.time_window_for_partition_key(context.partition_key).start.date()
    accounts = sellerpulse.accounts()
    with warehouse.get_connection() as conn:
        write_reference_tables(conn, accounts, sellerpulse.paths.home)
        results = ingest_inbox(conn, sellerpulse.paths, accounts, week)
    for result in results:
        (context.log.warning if result.status == "failed" else context.log.info)(result.line())
    statuses = Counter(r.status for r in results)
    summary = {
        "files": len(results),
        "rows_read": sum(r.rows_read for r in results),
        "rows_loaded": sum(r.rows_loaded for r in results),
        "rows_rejected": sum(r.rows_rejected for r in results),
        **{f"files_{status}": count for status, count in statuses.items()},
    }
    for table in RAW_TABLES + REFERENCE_TABLES:
        loaded = sum(
            r.rows_loaded for r in results if r.kind and catalog().kinds[r.kind].table == table
        )
        yield dg.MaterializeResult(asset_key=["raw", table], metadata={"rows_loaded": loaded})
    yield dg.MaterializeResult(asset_key=["raw", "ingest_log"], metadata=summary)
    yield dg.MaterializeResult(
        asset_key=["raw", "rejects"],
        metadata={
            "rows_rejected": summary["rows_rejected"],
            "failed_files": dg.MetadataValue.md(
                "\n".join(
                    f"- `{r.source_file}`: {r.message}" for r in results if r.status == "failed"
                )
                or "none"
            ),
        },
    )
