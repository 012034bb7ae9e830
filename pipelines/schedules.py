"""The routine: every Monday morning, run the week that just ended.

On by default (the README promises the Monday run); ``SELLERPULSE_SCHEDULE=off`` starts it
stopped, and the UI switches it either way (the UI's choice then sticks).
"""

import os

import dagster as dg

from pipelines.jobs import weekly_job


def switched_on(variable: str) -> bool:
    """A schedule's or sensor's default: on unless the variable says off."""
    return os.environ.get(variable, "on").strip().lower() not in ("off", "false", "0", "no")


weekly_schedule = dg.build_schedule_from_partitioned_job(
    weekly_job,
    hour_of_day=6,
    description="Monday 06:00: the weekly run for the week that ended on Sunday.",
    default_status=(
        dg.DefaultScheduleStatus.RUNNING
        if switched_on("SELLERPULSE_SCHEDULE")
        else dg.DefaultScheduleStatus.STOPPED
    ),
)
