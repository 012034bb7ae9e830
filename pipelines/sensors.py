"""Start ingestion when exports land in the inbox, and rebuild what a late or corrected export
changes.

The cursor remembers, per week folder, the newest file it has acted on, so a week is never
skipped: a backlog of more week folders than one tick may request is drained over the next
ticks. A new file in a week that has not been reported yet is ingested (``ingest_job``); the
Monday schedule reports it. A new file in a week whose packs exist already is a restatement:
that week and every later reported week whose look-back reaches it (a week's models read up
to ``look_back_weeks()`` weeks back) run ``weekly_job`` again, oldest first, so the warehouse,
the packs and, where their figures changed, the mails follow (docs/reliability.md). Those runs
are for the accounts whose folders got the new files (``sellerpulse/restated_accounts``): the
models are built for all, but only those accounts' packs and their portfolios' boss packs are
rendered and, where changed, sent again (seconds, where every pack of an agency's week would
take minutes). A folder that is not a configured account reruns every account.
"""

import json
import re
from datetime import date, timedelta
from functools import cache

import dagster as dg

from assets.core.catalog import discover
from assets.core.partitions import RESTATED_TAG
from assets.core.settings import ConfigError, Paths, load_accounts, parse_week
from pipelines.jobs import ingest_job, weekly_job
from pipelines.schedules import switched_on

MAX_WEEKS_PER_TICK = 20
PACKS = dg.AssetKey(["packs", "seller_packs"])


@cache
def look_back_weeks() -> int:
    """The furthest any model looks back (``in_look_back(week_start, n)``), in weeks."""
    found = (
        int(n) for m in discover() for n in re.findall(r"in_look_back\(\s*\w+\s*,\s*(\d+)", m.sql)
    )
    return max(found, default=0)


def _newest_files(paths: Paths) -> dict[str, dict[str, float]]:
    """Each inbox week folder's newest file time, per account folder (a folder not named by a
    week is left to ingestion, which reports it)."""
    newest: dict[str, dict[str, float]] = {}
    inbox = paths.inbox
    for path in inbox.glob("*/*/*") if inbox.is_dir() else []:
        if not path.is_file():
            continue
        try:
            week = parse_week(path.parent.name).isoformat()
        except ValueError:
            continue
        folders = newest.setdefault(week, {})
        account = path.parent.parent.name
        folders[account] = max(folders.get(account, 0.0), path.stat().st_mtime)
    return newest


def _configured(paths: Paths) -> set[str]:
    """The configured account ids; none when accounts.yaml cannot be read (the run says why). A
    restatement in a folder that is not among them reruns every account, and the ingest says
    what is wrong with the folder."""
    try:
        return set(load_accounts(paths.accounts_file).accounts)
    except ConfigError:
        return set()


def _acted_on(seen: dict[str, float], week: str) -> float:
    """The newest file time of ``week``'s folder the sensor has acted on (``_cursor``)."""
    return seen.get(week, seen.get("*", 0.0))


def _cursor(text: str | None) -> dict[str, float]:
    """Week folder → newest file time acted on. (A cursor of one number, from before, is read as
    that time for every folder.)"""
    if not text:
        return {}
    value = json.loads(text)
    return value if isinstance(value, dict) else {"*": float(value)}


@dg.sensor(
    jobs=[ingest_job, weekly_job],
    minimum_interval_seconds=60,
    default_status=(
        dg.DefaultSensorStatus.RUNNING
        if switched_on("SELLERPULSE_INBOX_SENSOR")
        else dg.DefaultSensorStatus.STOPPED
    ),
)
def inbox_sensor(context: dg.SensorEvaluationContext):
    """An ingest run for each week folder with new files; for a week already reported, the
    weekly job for it and for every later reported week that reads it."""
    seen = _cursor(context.cursor)
    paths = Paths.from_env()
    files = _newest_files(paths)
    newest = {week: max(folders.values()) for week, folders in files.items()}
    unseen = (week for week, mtime in newest.items() if mtime > _acted_on(seen, week))
    fresh = sorted(unseen)[:MAX_WEEKS_PER_TICK]
    reported = (
        set(context.instance.get_materialized_partitions(PACKS)) if context.instance else set()
    )
    configured = _configured(paths) if reported.intersection(fresh) else set()
    # restated week → the accounts whose exports changed (None: every account)
    rerun: dict[str, set[str] | None] = {}
    for week in fresh:
        stamp = newest[week]
        if week in reported:
            since = _acted_on(seen, week)
            changed = {account for account, mtime in files[week].items() if mtime > since}
            accounts = changed if changed <= configured else None
            first = date.fromisoformat(week)
            last = first + timedelta(weeks=look_back_weeks())
            for later in (w for w in reported if first <= date.fromisoformat(w) <= last):
                before = rerun.get(later, set())
                rerun[later] = None if before is None or accounts is None else before | accounts
            context.log.info(
                f"week {week} restated ({', '.join(sorted(changed))}): its packs exist; "
                "rebuilding it and after"
            )
        else:
            yield dg.RunRequest(
                job_name=ingest_job.name, run_key=f"inbox:{week}:{stamp}", partition_key=week
            )
        seen[week] = stamp
    tick = max((newest[w] for w in fresh), default=0.0)
    for week, accounts in sorted(rerun.items()):  # oldest first: the queue runs them so
        yield dg.RunRequest(
            job_name=weekly_job.name,
            run_key=f"restated:{week}:{tick}",
            partition_key=week,
            tags={RESTATED_TAG: ",".join(sorted(accounts))} if accounts else {},
        )
    context.update_cursor(json.dumps(seen, sort_keys=True))
