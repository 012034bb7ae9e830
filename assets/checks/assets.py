"""Great Expectations suites as blocking Dagster asset checks, one per suite file.

A suite sits beside its model (``sql/<layer>/<model>.expectations.json``). The check
validates the week's rows; a failed critical expectation fails the check with ERROR
severity, which stops the packs downstream; failed warnings only warn.
"""

import json

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.checks.gx_suites import load_suite, run_suite
from assets.checks.results import record_results
from assets.models.sql_models import Model, discover

ID_COLUMNS = ["account_id", "week_start"]


def suite_check(model: Model) -> dg.AssetChecksDefinition:
    suite_doc = load_suite(model.suite_path)

    @dg.asset_check(
        asset=dg.AssetKey([model.schema, model.name]),
        name=f"gx_{model.name}",
        blocking=True,
        description=f"Great Expectations suite `{model.suite_path.name}`: "
        f"{len(suite_doc['expectations'])} expectations; critical ones block the packs.",
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: DuckDBResource):
        partition = context.run.tags.get("dagster/partition")
        with warehouse.get_connection() as conn:
            query = f"select * from {model.table}"
            params = []
            if partition:
                query += " where week_start = ?"
                params.append(partition)
            frame = conn.execute(query, params).df()
            outcome = run_suite(suite_doc, frame, [c for c in ID_COLUMNS if c in frame])
            record_results(conn, partition, model.table, outcome)
        failed = outcome.critical_failures + outcome.warnings
        return dg.AssetCheckResult(
            passed=not failed,
            severity=dg.AssetCheckSeverity.ERROR
            if outcome.critical_failures
            else dg.AssetCheckSeverity.WARN,
            metadata={
                "rows_checked": len(frame),
                "critical_failures": len(outcome.critical_failures),
                "warnings": len(outcome.warnings),
                "results": dg.MetadataValue.md(
                    "\n".join(f"- {o.describe()}" for o in outcome.outcomes)
                ),
                "failed_rows_sample": dg.MetadataValue.json(
                    json.loads(
                        json.dumps(
                            {o.type + ":" + str(o.column): o.sample for o in failed}, default=str
                        )
                    )
                ),
            },
        )

    return _check


suite_checks = [suite_check(m) for m in discover() if m.suite_path.exists()]
