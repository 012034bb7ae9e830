"""Ingestion as Dagster assets: configuration → reference tables, the inbox → raw tables."""

from collections import Counter

import dagster as dg
from dagster_duckdb import DuckDBResource
from pydantic import Field

from assets.core.ahead import start_for_checks
from assets.core.partitions import partition_week, weekly_partitions
from assets.core.resources import WAREHOUSE_POOL, SellerPulseHome
from assets.ingest.inbox import HELD, ingest
from assets.ingest.limits import Limits
from assets.ingest.readers import catalog
from assets.ingest.reference import TABLES as REFERENCE_TABLES
from assets.ingest.reference import write_reference_tables

RAW_TABLES = [k.table for k in catalog().kinds.values()]
RAW_DESCRIPTIONS = {
    **{
        t: f"Raw rows of {t}: typed source columns + account, period, file, line, hash."
        for t in RAW_TABLES
    },
    "ingest_log": "One row per inbox file: kind, locale, rows read/loaded/rejected, status and "
    "message (rows_read = rows_loaded + rows_rejected).",
    "rejects": "Every row that could not be loaded: file, line, column, value, reason.",
}


@dg.multi_asset(
    pool=WAREHOUSE_POOL,
    specs=[
        dg.AssetSpec(["raw", table], kinds={"duckdb"}, group_name="reference", description=text)
        for table, text in REFERENCE_TABLES.items()
    ],
    can_subset=False,
    name="reference_tables",
)
def reference_tables(warehouse: DuckDBResource, sellerpulse: SellerPulseHome):
    """Rewrite the configuration the SQL models read, so an edit shows up in the next run."""
    with warehouse.get_connection() as conn:
        rows = write_reference_tables(conn, sellerpulse.accounts(), sellerpulse.paths.home)
    for table, count in rows.items():
        yield dg.MaterializeResult(asset_key=["raw", table], metadata={"rows": count})


class IngestConfig(dg.Config):
    whole_inbox: bool = Field(
        default=False,
        description="Ingest every week folder of the inbox (and loose files), not only the "
        "run's week.",
    )


@dg.multi_asset(
    pool=WAREHOUSE_POOL,
    specs=[
        dg.AssetSpec(["raw", table], kinds={"duckdb"}, group_name="raw", description=text)
        for table, text in RAW_DESCRIPTIONS.items()
    ],
    partitions_def=weekly_partitions,
    can_subset=False,
    name="ingest_inbox",
)
def ingest_inbox_asset(
    context: dg.AssetExecutionContext,
    config: IngestConfig,
    warehouse: DuckDBResource,
    sellerpulse: SellerPulseHome,
):
    """Ingest the week's inbox folders (``inbox/<account>/<week>/``) for every account.

    Every file is loaded or rejected row by row, logged once by content hash, and archived; a
    replacement less complete than the export it would replace is held apart
    (``held_incomplete``), links are refused unread. The warehouse is opened only to look up
    and to load: conversions run outside its lock, within the ``SELLERPULSE_INGEST_*`` limits.
    """
    start_for_checks(context)  # GX's worker, when this run's checks validate suites here
    week = None if config.whole_inbox else partition_week(context)
    results = ingest(
        warehouse.get_connection,
        sellerpulse.paths,
        sellerpulse.accounts(),
        week,
        Limits.from_env(),
    )
    # a line only for a file someone must look at: every log line is an event the instance
    # stores (on SQLite, one transaction each), and a week has thousands of files at scale;
    # the line of every file is in the ingest log's metadata (``file_results``)
    for result in results:
        if result.status in ("failed", HELD):
            context.log.warning(result.line())
    statuses = Counter(r.status for r in results)
    summary = {
        "files": len(results),
        "rows_read": sum(r.rows_read for r in results),
        "rows_loaded": sum(r.rows_loaded for r in results),
        "rows_rejected": sum(r.rows_rejected for r in results),
        **{f"files_{status}": count for status, count in statuses.items()},
    }
    context.log.info(
        f"{summary['files']} files, {summary['rows_loaded']} rows loaded, "
        f"{summary['rows_rejected']} rejected: "
        + ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    )
    for table in RAW_TABLES:
        loaded = sum(
            r.rows_loaded for r in results if r.kind and catalog().kinds[r.kind].table == table
        )
        yield dg.MaterializeResult(asset_key=["raw", table], metadata={"rows_loaded": loaded})
    yield dg.MaterializeResult(
        asset_key=["raw", "ingest_log"],
        metadata={
            **summary,
            # one line per file, as `sellerpulse ingest` prints them
            "file_results": dg.MetadataValue.json(
                [{"status": r.status, "line": r.line()} for r in results]
            ),
        },
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "rejects"],
        metadata={
            "rows_rejected": summary["rows_rejected"],
            "failed_files": dg.MetadataValue.md(
                "\n".join(
                    f"- `{r.source_file}`: {r.message}"
                    for r in results
                    if r.status in ("failed", HELD)
                )
                or "none"
            ),
        },
    )
