"""The routine: every Monday morning, run the week that just ended."""

import dagster as dg

from pipelines.jobs import weekly_job

weekly_schedule = dg.build_schedule_from_partitioned_job(
    weekly_job,
    hour_of_day=6,
    description="Monday 06:00: the weekly run for the week that ended on Sunday.",
)
