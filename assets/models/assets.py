"""One Dagster asset per SQL model, wired by the tables each model reads."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.models.sql_models import Model, build, discover
from pipelines.partitions import weekly_partitions


def model_asset(model: Model) -> dg.AssetsDefinition:
    @dg.asset(
        key=[model.schema, model.name],
        deps=[dg.AssetKey(list(dep)) for dep in sorted(model.deps)],
        partitions_def=weekly_partitions,
        kinds={"duckdb", "sql"},
        group_name=model.schema,
        description=f"{model.description}\n\nSQL: `sql/{model.schema}/{model.name}.sql`",
        metadata={"sql": dg.MetadataValue.md(f"```sql\n{model.sql}\n```")},
    )
    def _model(context: dg.AssetExecutionContext, warehouse: DuckDBResource):
        week = weekly_partitions.time_window_for_partition_key(context.partition_key)
        with warehouse.get_connection() as conn:
            rows = build(conn, model, week.start.date())
        return dg.MaterializeResult(
            metadata={
                "rows_this_week": rows,
                "materialized_as": "view" if model.is_view else "table",
            }
        )

    return _model


model_assets = [model_asset(m) for m in discover()]
