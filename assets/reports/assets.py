"""The weekly PDF packs as a Dagster asset."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.checks.amazon import CHECKS
from assets.checks.results import holds
from assets.models.sql_models import discover
from assets.reports.packs import portfolio_pack_jobs, seller_pack_jobs
from assets.reports.render import render_packs
from pipelines.partitions import weekly_partitions
from pipelines.resources import SellerPulseHome

ACCOUNTS_TAG = "sellerpulse/accounts"


def selected_account_ids(context: dg.AssetExecutionContext) -> list[str] | None:
    """Accounts named by the run tag ``sellerpulse/accounts`` (comma-separated), else all."""
    tag = context.run.tags.get(ACCOUNTS_TAG, "").strip()
    return [a.strip() for a in tag.split(",") if a.strip()] or None


@dg.asset(
    key=["packs", "seller_packs"],
    # the reports it prints, and every asset whose critical checks may hold a pack
    deps=sorted(
        {dg.AssetKey([m.schema, m.name]) for m in discover() if m.schema == "reports"}
        | {dg.AssetKey(list(c.asset)) for c in CHECKS if c.severity == "critical"},
        key=lambda k: k.to_user_string(),
    ),
    partitions_def=weekly_partitions,
    kinds={"pdf", "weasyprint"},
    group_name="packs",
)
def seller_packs(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, sellerpulse: SellerPulseHome
) -> dg.MaterializeResult:
    """One PDF per account and week, in the account's language and currency:
    ``reports/<week>/<account>.<lang>.pdf``. Tag a run with ``sellerpulse/accounts=<id>``
    to render one account only."""
    week = weekly_partitions.time_window_for_partition_key(context.partition_key).start.date()
    accounts = sellerpulse.accounts().selected(selected_account_ids(context))
    paths = sellerpulse.paths
    with warehouse.get_connection() as conn:
        held = holds(conn, week.isoformat())
        jobs = seller_pack_jobs(
            conn, [a for a in accounts if a.id not in held], week, paths.reports
        )
    for account_id, reasons in held.items():
        context.log.warning(f"{account_id}: pack held: {'; '.join(reasons)}")
    context.log.info(f"rendering {len(jobs)} packs for week {week}")
    written = render_packs(jobs)
    return dg.MaterializeResult(
        metadata={
            "packs": len(written),
            "held": len(held),
            "held_accounts": dg.MetadataValue.md(
                "\n".join(f"- `{a}`: {'; '.join(r)}" for a, r in held.items()) or "none"
            ),
            "folder": dg.MetadataValue.path(str(paths.reports / week.isoformat())),
            "files": dg.MetadataValue.md("\n".join(f"- `{p.name}`" for p in written)),
        }
    )


@dg.asset(
    key=["packs", "portfolio_packs"],
    deps=[dg.AssetKey(["packs", "seller_packs"])],
    partitions_def=weekly_partitions,
    kinds={"pdf", "weasyprint"},
    group_name="packs",
)
def portfolio_packs(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, sellerpulse: SellerPulseHome
) -> dg.MaterializeResult:
    """One PDF per portfolio and week for its bosses: ``reports/<week>/portfolio-<id>.pdf``,
    one row per account, held packs first with the reason."""
    week = weekly_partitions.time_window_for_partition_key(context.partition_key).start.date()
    accounts = sellerpulse.accounts()
    paths = sellerpulse.paths
    with warehouse.get_connection() as conn:
        held = holds(conn, week.isoformat())
        jobs = portfolio_pack_jobs(conn, accounts, week, held, paths.reports)
    written = render_packs(jobs)
    return dg.MaterializeResult(
        metadata={
            "packs": len(written),
            "held_accounts": len(held),
            "files": dg.MetadataValue.md("\n".join(f"- `{p.name}`" for p in written)),
        }
    )
