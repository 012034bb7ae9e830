"""The weekly PDF packs as Dagster assets.

The seller packs are rendered in shards, each a step of its own: one step plans them (which
accounts, which are held), a step per shard reads the warehouse **read-only** and renders its
accounts' packs, and one step collects what was written. With the default in-process executor
every account is in one shard, rendered on every core; with Dagster's multiprocess executor (or
a Celery or Kubernetes executor, docs/scaling.md) shards of 100 run side by side in processes
or machines of their own, as the warehouse file is only read from the plan on.
"""

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from assets.core.catalog import discover
from assets.core.check_results import holds
from assets.core.partitions import (
    HELD_TAG,
    boss_portfolio_ids,
    partition_week,
    selected_account_ids,
    weekly_partitions,
)
from assets.core.progress import Progress
from assets.core.resources import (
    IN_PROCESS,
    WAREHOUSE_POOL,
    SellerPulseHome,
    Warehouse,
    asset_runs_here_later,
    read_only_connection,
)
from assets.reports.packs import account_pack_jobs_in_batches
from assets.reports.portfolio import portfolio_pack_jobs
from assets.reports.render import PackJob, render_packs, started_ahead

SHARD_ACCOUNTS = 100
PORTFOLIO_PACKS = dg.AssetKey(["packs", "portfolio_packs"])


class PackShardsConfig(dg.Config):
    # accounts per shard; 0: SELLERPULSE_PACKS_PER_SHARD, else SHARD_ACCOUNTS where shards run
    # side by side (enough that a step's start, ~2 s for a process of its own, is small against
    # ~0.5–1 s a pack) and one shard in process, where shards run one after another and the
    # render workers would wait while each shard reads its figures
    packs_per_shard: int = 0

    def shard_size(self, executor: str, accounts: int) -> int:
        size = self.packs_per_shard or int(os.environ.get("SELLERPULSE_PACKS_PER_SHARD", 0))
        return max(1, size or (accounts if executor in IN_PROCESS else SHARD_ACCOUNTS))


@dataclass(frozen=True)
class PackShard:
    """Some accounts' packs of one week, and where they stand among the week's packs (for the
    progress line)."""

    account_ids: tuple[str, ...]
    first: int
    total: int
    held: dict[str, list[str]]  # the week's held accounts and why (the boss packs list them)


def plan_pack_shards(
    context: dg.OpExecutionContext,
    config: PackShardsConfig,
    warehouse: Warehouse,
    sellerpulse: SellerPulseHome,
) -> Iterator[dg.Output | dg.DynamicOutput]:
    """The week's accounts whose packs are not held, in shards of ``packs_per_shard``; always
    at least one shard, so the packs are recorded as made even when every one is held."""
    week = partition_week(context)
    accounts = sellerpulse.accounts().selected(selected_account_ids(context))
    with warehouse.get_connection() as conn:
        held = holds(conn, week.isoformat())
    warehouse.release()  # the shards read it read-only: so may others while the packs render
    for account_id, reasons in held.items():
        context.log.warning(f"{account_id}: pack held: {'; '.join(reasons)}")
    if held:  # the run's list in the UI shows it: not a plain success
        context.instance.add_run_tags(context.run.run_id, {HELD_TAG: ",".join(sorted(held))})
    live = [a.id for a in accounts if a.id not in held]
    size = config.shard_size(context.job_def.executor_def.name, len(live))
    starts = range(0, len(live), size) if live else [0]
    context.log.info(f"rendering {len(live)} packs for week {week} in {len(starts)} shards")
    yield dg.Output(held, "held")
    for n, first in enumerate(starts):
        shard = PackShard(tuple(live[first : first + size]), first, len(live), held)
        yield dg.DynamicOutput(shard, mapping_key=f"shard_{n:03d}", output_name="shards")


@dg.op(pool=WAREHOUSE_POOL)
def render_pack_shard(
    context: dg.OpExecutionContext,
    shard: PackShard,
    warehouse: Warehouse,
    sellerpulse: SellerPulseHome,
) -> list[str]:
    """One shard's packs: their figures read from the warehouse opened read-only (other shards
    may read it at the same time), a hundred accounts at a time while the packs before them
    render. Under the multiprocess executor shards run side by side, so each renders in its
    own process; otherwise on every core."""
    if not shard.account_ids:
        return []
    week = partition_week(context)
    accounts = sellerpulse.accounts()
    mine = [accounts.accounts[a] for a in shard.account_ids]
    side_by_side = context.job_def.executor_def.name == dg.multiprocess_executor.name
    last = shard.first + len(mine) == shard.total
    workers = 1 if side_by_side else min(os.cpu_count() or 1, len(mine))
    say = Progress(context.log, shard.total)
    with read_only_connection(warehouse) as conn:
        written = render_packs(
            account_pack_jobs_in_batches(
                conn, mine, week, sellerpulse.paths.reports, first=workers
            ),
            workers=workers,
            progress=lambda done: say(shard.first + done),
            # in process, the last shard starts the boss packs behind its own, in the same
            # workers; the boss packs' step takes them as they finish
            then=(lambda: _portfolio_jobs(context, conn, sellerpulse, shard.held))
            if last and asset_runs_here_later(context.job_def, context.run, PORTFOLIO_PACKS)
            else None,
        )
    return [p.name for p in written]


@dg.op(out=dg.Out(dg.Nothing))
def collect_seller_packs(
    context: dg.OpExecutionContext,
    written: list[list[str]],
    held: dict,
    sellerpulse: SellerPulseHome,
) -> None:
    """What the shards wrote, as the seller packs' metadata."""
    names = sorted(name for shard in written for name in shard)
    folder = sellerpulse.paths.reports / partition_week(context).isoformat()
    context.add_output_metadata(
        {
            "packs": len(names),
            "held": len(held),
            "held_accounts": dg.MetadataValue.md(
                "\n".join(f"- `{a}`: {'; '.join(r)}" for a, r in held.items()) or "none"
            ),
            "folder": dg.MetadataValue.path(str(folder)),
            "files": dg.MetadataValue.md("\n".join(f"- `{n}`" for n in names)),
            "written": dg.MetadataValue.json(names),
        }
    )


def seller_packs_asset(guarded: Iterable[dg.AssetKey]) -> dg.AssetsDefinition:
    """The seller packs, downstream of the reports they print and of ``guarded``: every asset
    whose blocking checks may hold a pack (the definitions pass them in), so those checks
    have run before a pack is rendered."""
    upstream = {dg.AssetKey([m.schema, m.name]) for m in discover() if m.schema == "reports"}
    ins = {
        key.to_python_identifier(): dg.AssetIn(key, dagster_type=dg.Nothing)
        for key in sorted(upstream | set(guarded), key=lambda k: k.to_user_string())
    }

    # one input per upstream asset (a blocking check's asset arrives with its checks)
    plan = dg.op(
        name="plan_pack_shards",
        ins={name: dg.In(dg.Nothing) for name in ins},
        out={"shards": dg.DynamicOut(PackShard), "held": dg.Out(dict)},
        pool=WAREHOUSE_POOL,
    )(plan_pack_shards)

    def seller_packs(**after):
        shards, held = plan(**after)
        return collect_seller_packs(shards.map(render_pack_shard).collect(), held)

    return dg.graph_asset(
        seller_packs,
        key=["packs", "seller_packs"],
        description="One PDF per account and week (a seller pack, or a vendor pack for a "
        "vendor account), in the account's language and currency: "
        "`reports/<week>/<account>.<lang>.pdf`, rendered in shards of accounts "
        "(`packs_per_shard`). Tag a run with `sellerpulse/accounts=<id>` to render one "
        "account only.",
        ins=ins,
        partitions_def=weekly_partitions,
        kinds={"pdf", "weasyprint"},
        group_name="packs",
    )


def _portfolio_jobs(
    context: dg.OpExecutionContext | dg.AssetExecutionContext,
    conn: duckdb.DuckDBPyConnection,
    sellerpulse: SellerPulseHome,
    held: dict,
) -> list[PackJob]:
    """The boss packs of the run's week and portfolios (``boss_portfolio_ids``), from the
    figures in ``conn``, the ``held`` accounts first."""
    accounts = sellerpulse.accounts()
    return portfolio_pack_jobs(
        conn,
        accounts,
        partition_week(context),
        held,
        sellerpulse.paths.reports,
        boss_portfolio_ids(context, accounts),
    )


@dg.asset(
    pool=WAREHOUSE_POOL,
    key=PORTFOLIO_PACKS,
    deps=[dg.AssetKey(["packs", "seller_packs"])],
    partitions_def=weekly_partitions,
    kinds={"pdf", "weasyprint"},
    group_name="packs",
)
def portfolio_packs(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, sellerpulse: SellerPulseHome
) -> dg.MaterializeResult:
    """One PDF per portfolio and week for its bosses: ``reports/<week>/portfolio-<id>.pdf``,
    one row per account, held packs first with the reason. A restatement's run makes those of
    its accounts' portfolios only."""
    week = partition_week(context)
    with warehouse.get_connection() as conn:
        held = holds(conn, week.isoformat())
        jobs = _portfolio_jobs(context, conn, sellerpulse, held)
    ahead = started_ahead(jobs)  # by the last seller shard, when it ran in this process
    written = render_packs(jobs)
    return dg.MaterializeResult(
        metadata={
            "packs": len(written),
            "started_ahead": ahead,
            "held_accounts": len(held),
            "files": dg.MetadataValue.md("\n".join(f"- `{p.name}`" for p in written)),
            "written": dg.MetadataValue.json([p.name for p in written]),
        }
    )
