"""Start ingestion when exports land in the inbox."""

import dagster as dg

from assets.core.settings import Paths, parse_week
from pipelines.jobs import ingest_job
from pipelines.schedules import switched_on

MAX_WEEKS_PER_TICK = 20


@dg.sensor(
    job=ingest_job,
    minimum_interval_seconds=60,
    default_status=(
        dg.DefaultSensorStatus.RUNNING
        if switched_on("SELLERPULSE_INBOX_SENSOR")
        else dg.DefaultSensorStatus.STOPPED
    ),
)
def inbox_sensor(context: dg.SensorEvaluationContext):
    """Request an ingest run for every inbox week folder with files newer than the last tick."""
    inbox = Paths.from_env().inbox
    since = float(context.cursor or 0)
    newest = since
    weeks: dict[str, float] = {}
    for path in inbox.glob("*/*/*") if inbox.is_dir() else []:
        if not path.is_file():
            continue
        mtime = path.stat().st_mtime
        newest = max(newest, mtime)
        if mtime > since:
            try:
                week = parse_week(path.parent.name).isoformat()
            except ValueError:
                continue  # ingestion itself reports misplaced files
            weeks[week] = max(weeks.get(week, 0), mtime)
    for week, mtime in sorted(weeks.items())[:MAX_WEEKS_PER_TICK]:
        yield dg.RunRequest(run_key=f"inbox:{week}:{mtime}", partition_key=week)
    context.update_cursor(str(newest))
