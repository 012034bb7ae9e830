"""``sellerpulse``: the weekly run, ingestion and the demo without opening the Dagster UI.

Runs go through the same Dagster definitions in process (``weekly_job``, ``ingest_job``), so
what the command line does and what the UI shows are one thing. Exit status is non-zero on
failure, with a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from assets.core.settings import ConfigError, Paths, load_accounts, parse_week, week_start


def _last_complete_week() -> date:
    return week_start(date.today()) - timedelta(days=7)


def _week(text: str) -> date:
    try:
        return parse_week(text)
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _instance():
    from dagster import DagsterInstance

    if os.environ.get("DAGSTER_HOME"):
        return DagsterInstance.get()
    return DagsterInstance.ephemeral()


def _failure_reason(result) -> str:
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data.error:
            return f"step {event.step_key}: {event.step_failure_data.error.message.strip()}"
    for check in result.get_asset_check_evaluations():
        if not check.passed and check.severity.value == "ERROR":
            return f"check {check.check_name} failed on {check.asset_key.to_user_string()}"
    return "the run failed; see the Dagster logs"


def _execute(job_name: str, week: date, home: Path, **options):
    """Run a job of the one Definitions object in process, as the UI would."""
    from pipelines.definitions import build_definitions

    job = build_definitions(home).resolve_job_def(job_name)
    return job.execute_in_process(partition_key=week.isoformat(), instance=_instance(), **options)


def _log_config(verbose: bool) -> dict:
    level = "INFO" if verbose else "WARNING"
    return {"loggers": {"console": {"config": {"log_level": level}}}}


def _failed(result) -> bool:
    skipped = [e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"]
    return not result.success or bool(skipped)


def cmd_run(args: argparse.Namespace) -> int:
    from assets.core.partitions import ACCOUNTS_TAG

    week = args.week or _last_complete_week()
    paths = Paths.from_env(args.home)
    accounts = load_accounts(paths.accounts_file)
    for account_id in args.account or []:
        accounts.get(account_id)  # fails early with the list of known ids
    tags = {ACCOUNTS_TAG: ",".join(args.account)} if args.account else {}
    print(f"weekly run for week {week} ({', '.join(args.account or ['all accounts'])})")
    result = _execute(
        "weekly_job",
        week,
        paths.home,
        tags=tags,
        raise_on_error=False,
        run_config=_log_config(args.verbose),
    )
    if _failed(result):
        print(f"sellerpulse run: failed: {_failure_reason(result)}", file=sys.stderr)
        return 1
    folder = paths.reports / week.isoformat()
    packs = sorted(folder.glob("*.pdf")) if folder.is_dir() else []
    print(f"{len(packs)} packs in {folder}")
    for pdf in packs:
        print(f"  {pdf}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """The ingest job (reference tables and raw tables) for one week, or the whole inbox."""
    from dagster import AssetKey

    paths = Paths.from_env(args.home)
    load_accounts(paths.accounts_file)  # a wrong accounts file fails here, with its fix
    config = {"ops": {"ingest_inbox": {"config": {"whole_inbox": args.week is None}}}}
    result = _execute(
        "ingest_job",
        args.week or _last_complete_week(),
        paths.home,
        raise_on_error=False,
        run_config={**config, **_log_config(args.verbose)},
    )
    if _failed(result):
        print(f"sellerpulse ingest: failed: {_failure_reason(result)}", file=sys.stderr)
        return 1
    log = next(
        m
        for m in result.asset_materializations_for_node("ingest_inbox")
        if m.asset_key == AssetKey(["raw", "ingest_log"])
    )
    files = log.metadata["file_results"].value
    quiet = getattr(args, "quiet", False)
    for file in files:
        status = file["status"]
        if args.verbose or (status != "duplicate" and not quiet) or status == "failed":
            print(file["line"])
    counts = Counter(f["status"] for f in files)
    print(
        f"{len(files)} files: "
        + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        + f"; {log.metadata['rows_loaded'].value} rows loaded, "
        f"{log.metadata['rows_rejected'].value} rejected"
    )
    return 1 if counts.get("failed") and args.strict else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from demo import DemoScale, write_demo

    paths = Paths.from_env(args.home)
    scale = DemoScale(accounts=args.accounts, asins=args.asins, weeks=args.weeks)
    manifest = write_demo(paths.home, scale, progress=print if args.verbose else None)
    print(
        f"demo data for {len(manifest.accounts)} accounts × {len(manifest.weeks)} weeks "
        f"({manifest.weeks[0]} … {manifest.weeks[-1]}): {len(manifest.files)} exports in "
        f"{paths.inbox}"
    )
    print(f"accounts file: {paths.home / 'accounts.yaml'}")
    if not args.run:
        return 0
    args.week, args.quiet = None, True
    if cmd_ingest(args):
        return 1
    args.week, args.account = manifest.weeks[-1], None
    return cmd_run(args)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="sellerpulse", description=__doc__.splitlines()[0])
    top.add_argument(
        "--home",
        type=Path,
        help="working directory (default: $SELLERPULSE_HOME or the project's data/)",
    )
    top.add_argument("-v", "--verbose", action="store_true", help="more output")
    sub = top.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run", help="run the weekly job: ingest → models → checks → packs → delivery"
    )
    run.add_argument(
        "--week",
        type=_week,
        help="week start (Monday), YYYY-MM-DD; default: the last complete week",
    )
    run.add_argument("--account", action="append", help="only this account (repeatable)")
    run.set_defaults(func=cmd_run)

    ingest = sub.add_parser("ingest", help="ingest the inbox and print a line per file")
    ingest.add_argument("--week", type=_week, help="only this week folder (and loose files)")
    ingest.add_argument("--strict", action="store_true", help="exit 1 if any file failed")
    ingest.set_defaults(func=cmd_ingest)

    demo = sub.add_parser("demo", help="write the demo accounts and exports into the home")
    demo.add_argument("--accounts", type=int, default=6)
    demo.add_argument("--asins", type=int, default=12)
    demo.add_argument("--weeks", type=int, default=16)
    demo.add_argument(
        "--run",
        action="store_true",
        help="then ingest it and run the latest demo week (what `make demo` does)",
    )
    demo.add_argument("--strict", action="store_true", help=argparse.SUPPRESS)
    demo.set_defaults(func=cmd_demo)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return args.func(args)
    except (ConfigError, ValueError, OSError) as exc:
        print(f"sellerpulse {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
