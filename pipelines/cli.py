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
import warnings
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from assets.core.settings import (
    PROJECT_ROOT,
    Accounts,
    ConfigError,
    Paths,
    load_accounts,
    parse_week,
    week_start,
)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sellerpulse")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed: make install)"


def _last_complete_week() -> date:
    return week_start(date.today()) - timedelta(days=7)


def _week(text: str) -> date:
    try:
        return parse_week(text)
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _instance():
    """The Dagster instance the UI uses: ``DAGSTER_HOME``'s, else the project's dagster.yaml
    (the Makefile's DAGSTER_HOME), so a week run here shows in the UI. Set for this process
    and its children: the project's event log storage, and the steps of a multiprocess run,
    find the instance through it."""
    from dagster import DagsterInstance

    if not os.environ.get("DAGSTER_HOME"):
        os.environ["DAGSTER_HOME"] = str(PROJECT_ROOT)
    return DagsterInstance.get()


def _failure_reason(result) -> str:
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data.error:
            error = event.step_failure_data.error
            while error.cause:  # Dagster's wrapper, then what the step's code raised
                error = error.cause
            return f"step {event.step_key}: {error.message.strip()}"
    for check in result.get_asset_check_evaluations():
        if not check.passed and check.severity.value == "ERROR":
            return f"check {check.check_name} failed on {check.asset_key.to_user_string()}"
    return "the run failed; see the Dagster logs"


def _execute(job_name: str, week: date, home: Path, **options):
    """Run a job of the one Definitions object, as the UI would: in this process, or on the
    executor ``SELLERPULSE_EXECUTOR`` names (pipelines/jobs.py), whose steps rebuild the job in
    processes of their own."""
    import dagster as dg

    from pipelines.definitions import build_definitions
    from pipelines.jobs import run_executor

    executor = run_executor()
    if executor is dg.in_process_executor:
        job = build_definitions(home).resolve_job_def(job_name)
        return job.execute_in_process(
            partition_key=week.isoformat(), instance=_instance(), **options
        )
    job = dg.build_reconstructable_job(
        "pipelines.definitions", "job_for", reconstructable_args=(str(home), job_name)
    )
    tags = {**options.pop("tags", {}), "dagster/partition": week.isoformat()}
    if executor is dg.multiprocess_executor:  # steps fork from a server that has
        # imported the definitions once, instead of importing them each
        preload = {"forkserver": {"preload_modules": ["pipelines.definitions"]}}
        options["run_config"] = {
            **options.get("run_config", {}),
            "execution": {"config": {"start_method": preload}},
        }
    with dg.execute_job(job, instance=_instance(), tags=tags, **options) as result:
        return result


def _log_config(verbose: bool, progress: bool = False) -> dict:
    """Dagster's event log with -v; else one line per stage (pipelines/progress.py) where the
    command has stages to show, or Dagster's warnings only."""
    if verbose:
        return {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
    if progress:
        return {"loggers": {"progress": {}}}
    return {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def _failed(result) -> bool:
    skipped = [e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"]
    return not result.success or bool(skipped)


def _check_week(week: date) -> None:
    """A week outside the weekly partitions, said in one line with what to do."""
    from assets.core.partitions import FIRST_WEEK, weekly_partitions

    if not weekly_partitions.has_partition_key(week.isoformat()):
        last = weekly_partitions.get_last_partition_key()
        raise ConfigError(
            f"week {week} is outside the weekly partitions ({FIRST_WEEK} … {last}); "
            "set SELLERPULSE_FIRST_WEEK to an earlier Monday to run older weeks"
        )


def _materialized(result, asset: str) -> dict:
    """The metadata of one asset's materialization in a run ({} when it did not run)."""
    for event in result.get_asset_materialization_events():
        if event.asset_key.to_user_string() == asset:
            metadata = event.event_specific_data.materialization.metadata
            return {key: value.value for key, value in metadata.items()}
    return {}


def cmd_run(args: argparse.Namespace) -> int:
    """The weekly job; then what this run made and sent, one line per problem, and a non-zero
    exit when a pack was held, a delivery failed or is in doubt, or the week has no data."""
    from assets.core.partitions import ACCOUNTS_TAG

    week = args.week or _last_complete_week()
    _check_week(week)
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
        run_config=_log_config(args.verbose, progress=True),
    )
    if _failed(result):
        print(f"sellerpulse run: failed: {_failure_reason(result)}", file=sys.stderr)
        return 1
    folder = paths.reports / week.isoformat()
    made = [
        name
        for asset in ("packs/seller_packs", "packs/portfolio_packs")
        for name in _materialized(result, asset).get("written", [])
    ]
    print(f"{len(made)} packs made in {folder}")
    for name in made:
        print(f"  {folder / name}")
    mail = _materialized(result, "delivery/pack_emails")
    print(
        "mail: "
        + ", ".join(
            f"{mail.get(key, 0)} {word}"
            for key, word in (
                ("sent", "sent"),
                ("revised", "of them revised"),
                ("already_sent", "already sent"),
                ("failed", "failed"),
                ("in_doubt", "in doubt"),
                ("rejected", "refused"),
            )
        )
        + f" (outbox {paths.outbox})"
    )
    return _report_problems(paths, accounts, week, args.account)


def cmd_send(args: argparse.Namespace) -> int:
    """Mail a week's packs as they are: what was not sent yet and a revised version of a pack
    that changed since it was sent (the delivery step of the weekly job); with --dry-run,
    only list what would go."""
    import duckdb

    from assets.core.check_results import holds
    from assets.delivery import ledger
    from assets.delivery.assets import week_deliveries
    from assets.delivery.mailer import pack_sha256, plan

    week = args.week or _last_complete_week()
    _check_week(week)
    paths = Paths.from_env(args.home)
    accounts = load_accounts(paths.accounts_file)
    if not args.dry_run:
        result = _execute(
            "delivery_job",
            week,
            paths.home,
            raise_on_error=False,
            run_config=_log_config(args.verbose, progress=True),
        )
        if _failed(result):
            print(f"sellerpulse send: failed: {_failure_reason(result)}", file=sys.stderr)
            return 1
        return _report_problems(paths, accounts, week)
    with duckdb.connect(str(paths.warehouse)) as conn:
        ledger.ensure(conn)
        items, revise = week_deliveries(paths, accounts, week, holds(conn, week.isoformat()))
        planned = [
            (plan(ledger.get(conn, item.key), item, pack_sha256(item.attachment), revise)[0], item)
            for item in items
        ]
    for action, item in planned:
        print(f"{action:<12} {item.pack}  {item.recipient}")
    counts = Counter(action for action, _ in planned)
    print(
        f"week {week}: "
        + (", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "nothing to mail")
        + " (dry run: nothing was sent)"
    )
    return 0


def _report_problems(
    paths: Paths, accounts: Accounts, week: date, only: list[str] | None = None
) -> int:
    """One line per problem of the week on stderr (held packs, deliveries that failed or are in
    doubt, no data); 1 when there is any."""
    from pipelines.status import problem_lines, week_status

    packs = week_status(paths, accounts, week, pages=False)
    if only:
        packs = [p for p in packs if p.pack in only]
    problems = problem_lines(packs)
    for line in problems:
        print(f"problem: {line}", file=sys.stderr)
    if problems:
        print(
            f"{len(problems)} problems; `sellerpulse status --week {week}` shows every pack",
            file=sys.stderr,
        )
    return 1 if problems else 0


def cmd_status(args: argparse.Namespace) -> int:
    """Per pack of a week: data received, checks, the PDF and its deliveries."""
    import json

    from pipelines.status import format_status, week_status

    week = args.week or _last_complete_week()
    paths = Paths.from_env(args.home)
    accounts = load_accounts(paths.accounts_file)
    packs = week_status(paths, accounts, week)
    if args.json:
        print(
            json.dumps({"week": week.isoformat(), "packs": [p.as_dict() for p in packs]}, indent=2)
        )
    else:
        print(f"week {week}")
        print("\n".join(format_status(packs)))
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """The ingest job (reference tables and raw tables) for one week, or the whole inbox."""
    from dagster import AssetKey

    if args.week:
        _check_week(args.week)
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


def cmd_deliveries(args: argparse.Namespace) -> int:
    """The ledger's deliveries that need a person: in doubt, refused, failed, queued."""
    import duckdb

    from assets.delivery import ledger

    paths = Paths.from_env(args.home)
    if not paths.warehouse.is_file():
        print(f"no warehouse at {paths.warehouse}: nothing was delivered yet")
        return 0
    if args.in_doubt:
        statuses = ledger.DOUBTFUL
    elif args.all:
        statuses = ledger.STATUSES
    else:
        statuses = tuple(s for s in ledger.STATUSES if s != ledger.SENT)
    try:
        with duckdb.connect(str(paths.warehouse)) as conn:
            rows = ledger.rows(conn, week=args.week, statuses=statuses)
    except duckdb.Error as exc:
        print(f"sellerpulse deliveries: cannot read {paths.warehouse}: {exc}", file=sys.stderr)
        return 2
    for row in rows:
        status = ledger.IN_DOUBT if row.status in ledger.DOUBTFUL else row.status
        print(
            f"{row.week_start}  {row.pack}  {row.recipient}  {status}  attempts {row.attempts}"
            f"  {row.updated_at:%Y-%m-%d %H:%M}  {row.message_id or '-'}\n    {row.detail}"
        )
    what = "in doubt" if args.in_doubt else "to look at" if not args.all else "recorded"
    print(f"{len(rows)} deliveries {what}" + (f" in week {args.week}" if args.week else ""))
    if any(r.status in ledger.DOUBTFUL for r in rows):
        print(
            "In doubt: the mail server may have these messages. Look for the Message-ID in its "
            "log or the recipient's mailbox, then\n"
            "  sellerpulse deliveries resolve <week> <pack> <recipient> --sent    it arrived\n"
            "  sellerpulse deliveries resolve <week> <pack> <recipient> --resend  it did not; "
            "the next run of that week sends it (same Message-ID for the same pack)"
        )
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    """A person's verdict on one delivery: it arrived (--sent) or send it again (--resend)."""
    import duckdb

    from assets.delivery import ledger

    paths = Paths.from_env(args.home)
    try:
        with duckdb.connect(str(paths.warehouse)) as conn:
            row = ledger.resolve(conn, (args.week, args.pack, args.recipient), sent=args.sent)
    except ledger.ResolveError as exc:
        print(f"sellerpulse deliveries resolve: {exc}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        print(
            f"sellerpulse deliveries resolve: cannot write {paths.warehouse}: {exc}",
            file=sys.stderr,
        )
        return 2
    print(f"{row.week_start}  {row.pack}  {row.recipient}: {row.status}")
    if row.status == ledger.QUEUED:
        week = row.week_start
        print(f"sent by the next run of week {week}: sellerpulse run --week {week}")
    return 0


def _week_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--week",
        type=_week,
        help="week start (Monday), YYYY-MM-DD; default: the last complete week",
    )


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="sellerpulse", description=__doc__.splitlines()[0])
    top.add_argument(
        "--home",
        type=Path,
        help="working directory (default: $SELLERPULSE_HOME or the project's data/)",
    )
    top.add_argument("-v", "--verbose", action="store_true", help="more output")
    top.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = top.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run", help="run the weekly job: ingest → models → checks → packs → delivery"
    )
    _week_option(run)
    run.add_argument("--account", action="append", help="only this account (repeatable)")
    run.set_defaults(func=cmd_run)

    send = sub.add_parser(
        "send", help="mail a week's packs: those not sent yet, and revised ones that changed"
    )
    _week_option(send)
    send.add_argument("--dry-run", action="store_true", help="list what would go; send nothing")
    send.set_defaults(func=cmd_send)

    status = sub.add_parser(
        "status", help="per account: data received, checks, pack and its deliveries for a week"
    )
    _week_option(status)
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.set_defaults(func=cmd_status)

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

    deliveries = sub.add_parser(
        "deliveries",
        help="list deliveries that need a person (in doubt, refused, failed); resolve one",
        description="Without a subcommand: the deliveries of the ledger that are not sent.",
    )
    deliveries.add_argument("--week", type=_week, help="only this week (Monday, YYYY-MM-DD)")
    shown = deliveries.add_mutually_exclusive_group()
    shown.add_argument(
        "--in-doubt",
        action="store_true",
        help="only those the server may have (reply lost, run killed during the send)",
    )
    shown.add_argument("--all", action="store_true", help="every delivery, sent ones too")
    deliveries.set_defaults(func=cmd_deliveries)
    actions = deliveries.add_subparsers(dest="action")
    resolve = actions.add_parser(
        "resolve", help="settle a delivery in doubt (or refused): it arrived, or send it again"
    )
    resolve.add_argument("week", type=_week, help="week start (Monday), YYYY-MM-DD")
    resolve.add_argument("pack", help="pack as listed, e.g. acme-uk or portfolio-eu")
    resolve.add_argument("recipient", help="the recipient's address as listed")
    verdict = resolve.add_mutually_exclusive_group(required=True)
    verdict.add_argument(
        "--sent", action="store_true", help="it arrived: record it as sent, never send it again"
    )
    verdict.add_argument(
        "--resend",
        action="store_false",
        dest="sent",
        help="it did not arrive: the next run of that week sends it again",
    )
    resolve.set_defaults(func=cmd_resolve)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not args.verbose:  # Dagster's notes on features in preview or beta are for developers
        warnings.filterwarnings("ignore", message=r".* is currently in (preview|beta)")
    try:
        return args.func(args)
    except (ConfigError, ValueError, OSError) as exc:
        print(f"sellerpulse {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
