"""The SQL models as one subsettable Dagster multi-asset: one step builds them all.

Every model is still its own asset (key ``[schema, name]``, lineage read from the SQL, the
hash of its SQL as code version, its own materialisation, with ``rows_this_week`` for a
table), so the UI shows and can materialise one model or any subset; a run builds the
selected models in one step, each after the models it reads, two at a time, instead of paying
Dagster's per-step overhead once per model. Asset checks on models run after that step; the
packs downstream wait for the blocking ones.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.core.catalog import Model, discover
from assets.core.partitions import partition_week, weekly_partitions
from assets.core.progress import Progress
from assets.core.resources import WAREHOUSE_POOL
from assets.models.build import build_all


def model_key(model: Model) -> dg.AssetKey:
    return dg.AssetKey([model.schema, model.name])


def model_spec(model: Model) -> dg.AssetSpec:
    return dg.AssetSpec(
        key=model_key(model),
        deps=[dg.AssetKey(list(dep)) for dep in sorted(model.deps)],
        kinds={"duckdb", "sql"},
        group_name=model.schema,
        code_version=model.sql_hash[:16],
        description=f"{model.description}\n\nSQL: `sql/{model.schema}/{model.name}.sql`",
        metadata={"sql": dg.MetadataValue.md(f"```sql\n{model.sql}\n```")},
    )


@dg.multi_asset(
    pool=WAREHOUSE_POOL,
    name="sql_models",
    specs=[model_spec(m) for m in discover()],
    partitions_def=weekly_partitions,
    can_subset=True,
)
def sql_models(context: dg.AssetExecutionContext, warehouse: DuckDBResource):
    """Build the selected SQL models for the run's week, each after the models it reads, two
    at a time (``build_all``)."""
    week = partition_week(context)
    selected = context.selected_asset_keys
    models = [m for m in discover() if model_key(m) in selected]
    progress = Progress(context.log, len(models))
    with warehouse.get_connection() as conn:
        for done, (model, rows) in enumerate(build_all(conn, models, week), 1):
            progress(done)
            yield dg.MaterializeResult(
                asset_key=model_key(model),
                metadata={"materialized_as": "view"}
                if rows is None
                else {"rows_this_week": rows, "materialized_as": "table"},
            )
