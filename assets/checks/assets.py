"""Quality checks as Dagster asset checks: GX suites beside their models, and Amazon checks.

Every check is an asset check of its own (its name, asset, description, partitions by week;
blocking when critical), and they run in two steps: ``ingest_checks``, the checks that read
only ingested tables, right after ingest and before the models; ``model_checks``, the GX
suites and the checks on staging, marts and reports, after the models. A step runs the checks
selected in it (one, from the UI) on one warehouse connection: a step per check would cost
Dagster's fixed work per step and a connection each, a process each under the multiprocess
executor.

Critical failures that name accounts hold those accounts' packs (``checks.holds``; the pack
asset skips them and says why); a critical failure no account can be blamed for fails the
check with ERROR severity and, the checks being blocking, fails the step, which stops what
runs after it (the models after ``ingest_checks``, the packs after ``model_checks``).
Warnings are recorded and shown, never held.

A check that raises does not stop the others of its step: it is recorded as a failure no
account can be blamed for, its error in its result's ``error`` metadata and in the step's log.
A critical one thus fails with ERROR severity and, blocking, fails the step once the others
have run (the data it vouches for is unchecked); a warning one is shown failed and the run
goes on, as it would for the warning itself.
"""

import contextlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import dagster as dg
import duckdb
from dagster._utils.warnings import disable_dagster_warnings
from dagster_duckdb import DuckDBResource

from assets.checks import gx_worker
from assets.checks.amazon import CHECKS, SqlCheck
from assets.checks.gx_suites import SuiteOutcome, load_suite
from assets.checks.results import CheckOutcome, record
from assets.core.ahead import for_checks, start_for_packs
from assets.core.catalog import Model, discover
from assets.core.partitions import weekly_partitions
from assets.core.resources import WAREHOUSE_POOL, asset_runs_here_later, runs_here_later

ID_COLUMNS = ["account_id", "week_start"]
INGEST_STEP, MODEL_STEP = "ingest_checks", "model_checks"
SELLER_PACKS = dg.AssetKey(["packs", "seller_packs"])


@dataclass(frozen=True)
class Check:
    """One asset check of a step: its spec, its verdict for a week on a connection (with
    metadata for the UI beyond the verdict's), and an empty verdict for when it raises."""

    spec: dg.AssetCheckSpec
    run: Callable[[duckdb.DuckDBPyConnection, str], tuple[CheckOutcome, dict[str, Any]]]
    empty: Callable[[], CheckOutcome]


def _spec(**kwargs: Any) -> dg.AssetCheckSpec:
    # partitioned check specs are a preview in Dagster 1.13 and warn at each one; silenced as
    # Dagster's own @asset_check does, since a check's result per week is what the UI shows
    with disable_dagster_warnings():
        return dg.AssetCheckSpec(partitions_def=weekly_partitions, **kwargs)


def _result(
    spec: dg.AssetCheckSpec, outcome: CheckOutcome, extra: dict[str, Any]
) -> dg.AssetCheckResult:
    critical = outcome.failing("critical")
    failed_accounts = sorted({str(f.get("account_id")) for f in outcome.failures})
    return dg.AssetCheckResult(
        asset_key=spec.asset_key,
        check_name=spec.name,
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
            **extra,
        },
    )


def suite_outcome(model: Model, suite: SuiteOutcome, rows: int) -> CheckOutcome:
    outcome = _suite_verdict(model)
    outcome.rows_checked = rows
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


def _suite_verdict(model: Model) -> CheckOutcome:
    return CheckOutcome(
        f"gx_{model.name}", model.table, "critical", f"GX suite {model.suite_path.name}"
    )


def suite_check(model: Model) -> Check:
    """The GX suite beside ``model``, validated on the model's rows of the week."""
    suite_doc = load_suite(model.suite_path)

    def run(conn: duckdb.DuckDBPyConnection, week: str) -> tuple[CheckOutcome, dict[str, Any]]:
        frame = conn.execute(f"select * from {model.table} where week_start = ?", [week]).df()
        suite = gx_worker.validate(suite_doc, frame, [c for c in ID_COLUMNS if c in frame])
        expectations = "\n".join(f"- {o.describe()}" for o in suite.outcomes)
        return suite_outcome(model, suite, len(frame)), {
            "expectations": dg.MetadataValue.md(expectations)
        }

    spec = _spec(
        name=f"gx_{model.name}",
        asset=dg.AssetKey([model.schema, model.name]),
        blocking=True,
        description=f"Great Expectations suite `{model.suite_path.name}`: "
        f"{len(suite_doc['expectations'])} expectations; critical ones hold packs.",
    )
    return Check(spec, run, lambda: _suite_verdict(model))


def sql_check(check: SqlCheck) -> Check:
    """An Amazon check (``assets.checks.amazon``): its query's rows of the week are failures."""

    def empty() -> CheckOutcome:
        return CheckOutcome(check.name, ".".join(check.asset), check.severity, check.threshold)

    def run(conn: duckdb.DuckDBPyConnection, week: str) -> tuple[CheckOutcome, dict[str, Any]]:
        outcome = empty()
        outcome.failures = check.failures(conn, week)
        return outcome, {}

    spec = _spec(
        name=check.name,
        asset=dg.AssetKey(list(check.asset)),
        blocking=check.severity == "critical",
        description=f"{check.description} Threshold: {check.threshold}.",
        additional_deps=[dg.AssetKey(list(d)) for d in check.additional_deps],
        metadata={"severity": check.severity, "threshold": check.threshold},
    )
    return Check(spec, run, empty)


def _raised(
    conn: duckdb.DuckDBPyConnection, week: str, check: Check, error: Exception, log: Any
) -> tuple[CheckOutcome, dict[str, Any]]:
    """A check that raised, as a failure no account can be blamed for: recorded (over its
    verdict of an earlier run of the week) unless the warehouse refuses."""
    outcome = check.empty()
    message = f"{type(error).__name__}: {error}"
    outcome.failures = [{"account_id": None, "detail": f"the check could not run: {message}"}]
    # a failure inside ``record`` leaves its transaction open on this connection
    with contextlib.suppress(duckdb.Error):
        conn.execute("rollback")
    try:
        record(conn, week, outcome)
    except duckdb.Error as record_error:
        log.error(f"check {check.spec.name}: its failure was not recorded: {record_error}")
    return outcome, {"error": message}


def checks_step(name: str, checks: list[Check], description: str) -> dg.AssetChecksDefinition:
    """One step that runs the selected ``checks`` in order on one connection."""

    @dg.multi_asset_check(
        name=name,
        specs=[c.spec for c in checks],
        can_subset=True,
        pool=WAREHOUSE_POOL,
        description=description,
    )
    def _step(
        context: dg.AssetCheckExecutionContext, warehouse: DuckDBResource
    ) -> Iterator[dg.AssetCheckResult]:
        if name == INGEST_STEP:
            _start_gx_early(context)
        elif name == MODEL_STEP:
            _warm_renderer_early(context)
        week = context.partition_key
        selected = [c for c in checks if c.spec.key in context.selected_asset_check_keys]
        with warehouse.get_connection() as conn:
            for check in selected:
                try:
                    outcome, extra = check.run(conn, week)
                    record(conn, week, outcome)
                except Exception as error:  # noqa: BLE001 - one check must not stop the others
                    context.log.exception(f"check {check.spec.name} could not run")
                    outcome, extra = _raised(conn, week, check, error, context.log)
                yield _result(check.spec, outcome, extra)

    return _step


@for_checks
def _start_gx_early(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> None:
    """Start GX's worker process when this run validates suites later in this process: the
    ingest step starts it (``core.ahead``; the ingest checks' step too, for a run without the
    ingest), so GX imports while the exports load and the models build, at a lower priority
    than the run (``gx_worker``). Under other executors each step is a process of its own and
    a worker started here would die unused; a run of a few checks may have no suite to run."""
    if not runs_here_later(context.op_execution_context.job_def, MODEL_STEP):
        return
    selection = context.run.asset_check_selection
    if selection is None or GX_KEYS & selection:
        gx_worker.start()


def _warm_renderer_early(context: dg.AssetCheckExecutionContext) -> None:
    """Start the packs' work ahead (``core.ahead``: WeasyPrint's warm-up) while the model
    checks run, when this run renders packs in this process next: the render workers then
    fork warm, instead of each warming up alone. Under other executors the packs render in
    other processes."""
    if asset_runs_here_later(context.op_execution_context.job_def, context.run, SELLER_PACKS):
        start_for_packs()


MODEL_KEYS = {dg.AssetKey([m.schema, m.name]) for m in discover()}


def _reads_a_model(check: Check) -> bool:
    spec = check.spec
    return bool({spec.asset_key, *(d.asset_key for d in spec.additional_deps)} & MODEL_KEYS)


suites = [suite_check(m) for m in discover() if m.suite_path.exists()]
GX_KEYS = {check.spec.key for check in suites}
_sql = [sql_check(c) for c in CHECKS]
ingest_checks = checks_step(
    INGEST_STEP,
    [c for c in _sql if not _reads_a_model(c)],
    "The checks on the ingested tables, before the models are built.",
)
# the SQL checks before the suites: GX's worker may still be importing GX
model_checks = checks_step(
    MODEL_STEP,
    [c for c in _sql if _reads_a_model(c)] + suites,
    "The checks on the models: GX suites beside them and SQL checks.",
)
