"""Quality checks as Dagster asset checks: GX suites beside their models, and Amazon checks.

Critical failures that name accounts hold those accounts' packs (``checks.holds``; the pack
asset skips them and says why); a critical failure no account can be blamed for fails the
check with ERROR severity and, the checks being blocking, stops the packs downstream.
Warnings are recorded and shown, never held.
"""

import json

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.checks import gx_worker
from assets.checks.amazon import CHECKS, SqlCheck
from assets.checks.gx_suites import SuiteOutcome, load_suite
from assets.checks.results import CheckOutcome, record
from assets.core.catalog import Model, discover
from assets.core.partitions import weekly_partitions
from assets.core.resources import IN_PROCESS, WAREHOUSE_POOL

ID_COLUMNS = ["account_id", "week_start"]


def _result(outcome: CheckOutcome) -> dg.AssetCheckResult:
    critical = outcome.failing("critical")
    failed_accounts = sorted({str(f.get("account_id")) for f in outcome.failures})
    return dg.AssetCheckResult(
        passed=not outcome.failures,
        severity=dg.AssetCheckSeverity.ERROR
        if outcome.global_critical
        else dg.AssetCheckSeverity.WARN,
        metadata={
            "failed_rows": len(outcome.failures),
            "critical_rows": len(critical),
            "threshold": outcome.threshold,
            "held_accounts": ", ".join(sorted(outcome.held_accounts)) or "none",
            "accounts_with_failures": ", ".join(failed_accounts) or "none",
            "sample": dg.MetadataValue.json(
                json.loads(json.dumps(outcome.failures[:10], default=str))
            ),
        },
    )


def suite_outcome(model: Model, suite: SuiteOutcome, rows: int) -> CheckOutcome:
    outcome = CheckOutcome(
        f"gx_{model.name}", model.table, "critical", f"GX suite {model.suite_path.name}", rows
    )
    for expectation in suite.outcomes:
        if expectation.success:
            continue
        detail = expectation.describe()
        rows_hit = expectation.unexpected_rows or [{}]
        outcome.failures.extend(
            {
                "account_id": row.get("account_id"),
                "detail": detail,
                "severity": expectation.severity,
            }
            for row in rows_hit
        )
    return outcome


def suite_check(model: Model) -> dg.AssetChecksDefinition:
    suite_doc = load_suite(model.suite_path)

    @dg.asset_check(
        pool=WAREHOUSE_POOL,
        asset=dg.AssetKey([model.schema, model.name]),
        name=f"gx_{model.name}",
        blocking=True,
        partitions_def=weekly_partitions,
        description=f"Great Expectations suite `{model.suite_path.name}`: "
        f"{len(suite_doc['expectations'])} expectations; critical ones hold packs.",
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: DuckDBResource):
        week = context.partition_key
        with warehouse.get_connection() as conn:
            frame = conn.execute(f"select * from {model.table} where week_start = ?", [week]).df()
            suite = gx_worker.validate(suite_doc, frame, [c for c in ID_COLUMNS if c in frame])
            outcome = suite_outcome(model, suite, len(frame))
            record(conn, week, outcome)
        result = _result(outcome)
        result.metadata["expectations"] = dg.MetadataValue.md(
            "\n".join(f"- {o.describe()}" for o in suite.outcomes)
        )
        return result

    return _check


def sql_check(check: SqlCheck) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        pool=WAREHOUSE_POOL,
        asset=dg.AssetKey(list(check.asset)),
        name=check.name,
        blocking=check.severity == "critical",
        partitions_def=weekly_partitions,
        description=f"{check.description} Threshold: {check.threshold}.",
        additional_deps=[dg.AssetKey(list(d)) for d in check.additional_deps],
        metadata={"severity": check.severity, "threshold": check.threshold},
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: DuckDBResource):
        _start_gx_early(context.op_execution_context.job_def)
        week = context.partition_key
        outcome = CheckOutcome(check.name, ".".join(check.asset), check.severity, check.threshold)
        with warehouse.get_connection() as conn:
            outcome.failures = check.failures(conn, week)
            record(conn, week, outcome)
        return _result(outcome)

    return _check


def _start_gx_early(job: dg.JobDefinition) -> None:
    """Start GX's worker process when this run validates suites later in this process: the
    SQL checks on the raw tables run before the models are built, so GX is imported on another
    core while they build (``gx_worker``). Under other executors each step is a process of its
    own and a worker started here would die unused."""
    if job.executor_def.name in IN_PROCESS and GX_STEPS & set(job.graph.node_names()):
        gx_worker.start()


suite_checks = [suite_check(m) for m in discover() if m.suite_path.exists()]
amazon_checks = [sql_check(c) for c in CHECKS]
GX_STEPS = {check.node_def.name for check in suite_checks}
