"""The weekly PDF packs as Dagster assets."""

from collections.abc import Iterable

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.core.catalog import discover
from assets.core.check_results import holds
from assets.core.partitions import HELD_TAG, partition_week, selected_account_ids, weekly_partitions
from assets.core.progress import Progress
from assets.core.resources import WAREHOUSE_POOL, SellerPulseHome
from assets.reports.packs import account_pack_jobs
from assets.reports.portfolio import portfolio_pack_jobs
from assets.reports.render import render_packs


def seller_packs_asset(guarded: Iterable[dg.AssetKey]) -> dg.AssetsDefinition:
    """The seller packs, downstream of the reports they print and of ``guarded``: every asset
    whose blocking checks may hold a pack (the definitions pass them in), so those checks
    have run before a pack is rendered."""

    @dg.asset(
        pool=WAREHOUSE_POOL,
        key=["packs", "seller_packs"],
        deps=sorted(
            {dg.AssetKey([m.schema, m.name]) for m in discover() if m.schema == "reports"}
            | set(guarded),
            key=lambda k: k.to_user_string(),
        ),
        partitions_def=weekly_partitions,
        kinds={"pdf", "weasyprint"},
        group_name="packs",
    )
    def seller_packs(
        context: dg.AssetExecutionContext,
        warehouse: DuckDBResource,
        sellerpulse: SellerPulseHome,
    ) -> dg.MaterializeResult:
        """One PDF per account and week (a seller pack, or a vendor pack for a vendor account),
        in the account's language and currency:
        ``reports/<week>/<account>.<lang>.pdf``. Tag a run with ``sellerpulse/accounts=<id>``
        to render one account only."""
        week = partition_week(context)
        accounts = sellerpulse.accounts().selected(selected_account_ids(context))
        paths = sellerpulse.paths
        with warehouse.get_connection() as conn:
            held = holds(conn, week.isoformat())
            jobs = account_pack_jobs(
                conn, [a for a in accounts if a.id not in held], week, paths.reports
            )
        for account_id, reasons in held.items():
            context.log.warning(f"{account_id}: pack held: {'; '.join(reasons)}")
        if held:  # the run's list in the UI shows it: not a plain success
            context.instance.add_run_tags(context.run.run_id, {HELD_TAG: ",".join(sorted(held))})
        context.log.info(f"rendering {len(jobs)} packs for week {week}")
        written = render_packs(jobs, progress=Progress(context.log, len(jobs)))
        return dg.MaterializeResult(
            metadata={
                "packs": len(written),
                "held": len(held),
                "held_accounts": dg.MetadataValue.md(
                    "\n".join(f"- `{a}`: {'; '.join(r)}" for a, r in held.items()) or "none"
                ),
                "folder": dg.MetadataValue.path(str(paths.reports / week.isoformat())),
                "files": dg.MetadataValue.md("\n".join(f"- `{p.name}`" for p in written)),
                "written": dg.MetadataValue.json([p.name for p in written]),
            }
        )

    return seller_packs


@dg.asset(
    pool=WAREHOUSE_POOL,
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
    week = partition_week(context)
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
            "written": dg.MetadataValue.json([p.name for p in written]),
        }
    )
