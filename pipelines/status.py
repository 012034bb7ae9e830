"""Where each pack of a week stands: data received, checks, the PDF, its deliveries.

Read from what the run left behind (the ingest log, the check results, the reports folder and
the delivery ledger), never from Dagster's run history, so ``sellerpulse status`` answers the
same whichever instance ran the week. ``sellerpulse run`` prints the same summary and exits
non-zero on the problems it lists.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pypdf

from assets.core.settings import Accounts, Paths, pack_path, portfolio_pack_path
from assets.delivery import ledger

# the statuses a person must look at, in the order the summary lists them
PROBLEMS = ("no data", "held", "no pack", "failed", "in doubt", "rejected")


@dataclass
class PackStatus:
    """One pack of the week: an account's (seller or vendor) or a portfolio's boss pack."""

    pack: str  # the account id, or portfolio-<id>
    name: str
    files: int = 0  # exports loaded for the week
    rows: int = 0
    rows_rejected: int = 0
    files_failed: int = 0
    checks_run: int = 0  # checks of the week (each over every account)
    checks_failed: list[str] = field(default_factory=list)  # critical checks that named it
    checks_warned: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # why the pack was held
    pdf: str | None = None
    pages: int | None = None
    deliveries: dict[str, str] = field(default_factory=dict)  # recipient → ledger status

    @property
    def problems(self) -> list[str]:
        """What needs a person, worded for one summary line each."""
        found = []
        if not self.pack.startswith("portfolio-") and not self.files:
            found.append("no data")
        if self.held:
            found.append("held")
        if self.pdf is None and not self.held:
            found.append("no pack")
        statuses = set(self.deliveries.values())
        found += [s for s in ("failed", "in doubt", "rejected") if s in statuses]
        return found

    def as_dict(self) -> dict:
        return {**asdict(self), "problems": self.problems}


def week_status(
    paths: Paths, accounts: Accounts, week: date, pages: bool = True
) -> list[PackStatus]:
    """Every pack of the week, accounts first (in the accounts file's order), then the
    portfolios; ``pages`` counts each PDF's pages (reading every PDF: what `status` shows,
    not what a run's problem lines need)."""
    packs = [PackStatus(a.id, a.name) for a in accounts.accounts.values()] + [
        PackStatus(f"portfolio-{p.id}", p.name) for p in accounts.portfolios.values()
    ]
    by_id = {p.pack: p for p in packs}
    if paths.warehouse.is_file():
        with duckdb.connect(str(paths.warehouse), read_only=True) as conn:
            _read_warehouse(conn, by_id, week)
    for account in accounts.accounts.values():
        pdf = pack_path(paths.reports, week, account.id, account.language)
        _read_pdf(by_id[account.id], pdf, pages)
    for portfolio in accounts.portfolios.values():
        pdf = portfolio_pack_path(paths.reports, week, portfolio.id)
        _read_pdf(by_id[f"portfolio-{portfolio.id}"], pdf, pages)
    return packs


def _read_warehouse(conn: duckdb.DuckDBPyConnection, packs: dict[str, PackStatus], week: date):
    tables = {
        f"{schema}.{name}"
        for schema, name in conn.execute(
            "select schema_name, table_name from duckdb_tables()"
        ).fetchall()
    }
    if "raw.ingest_log" in tables:
        for account, files, rows, rejected, failed in conn.execute(
            "select account_id, count(*) filter (where status like 'loaded%'), "
            "coalesce(sum(rows_loaded), 0), coalesce(sum(rows_rejected), 0), "
            "count(*) filter (where status = 'failed') "
            "from raw.ingest_log where week_start = ? group by account_id",
            [week],
        ).fetchall():
            if account in packs:
                p = packs[account]
                p.files, p.rows, p.rows_rejected, p.files_failed = files, rows, rejected, failed
    if "checks.check_results" in tables:
        (run,) = conn.execute(
            "select count(distinct check_name) from checks.check_results where week_start = ?",
            [week],
        ).fetchone()
        for p in packs.values():
            p.checks_run = run
    if "checks.failures" in tables:
        for account, check, severity in conn.execute(
            "select distinct account_id, check_name, severity from checks.failures "
            "where week_start = ? order by all",
            [week],
        ).fetchall():
            if account in packs:
                found = packs[account].checks_failed
                (found if severity == "critical" else packs[account].checks_warned).append(check)
    if "checks.holds" in tables:
        for account, reason in conn.execute(
            "select account_id, reason from checks.holds where week_start = ? order by all",
            [week],
        ).fetchall():
            if account in packs:
                packs[account].held.append(reason)
    if "delivery.ledger" in tables:
        cursor = conn.execute("select * from delivery.ledger where week_start = ?", [week])
        names = [d[0] for d in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            if row["pack"] not in packs:
                continue
            shown = "in doubt" if row["status"] in ledger.DOUBTFUL else row["status"]
            if shown == ledger.SENT and row.get("revision"):  # a ledger from before has none
                shown = "revised"
            packs[row["pack"]].deliveries[row["recipient"]] = shown


def _read_pdf(status: PackStatus, pdf: Path, pages: bool) -> None:
    if pdf.is_file():
        status.pdf = str(pdf)
        status.pages = len(pypdf.PdfReader(pdf).pages) if pages else None


def format_status(packs: list[PackStatus]) -> list[str]:
    """One block per pack: data, checks, the PDF, its deliveries."""
    lines = []
    for p in packs:
        data = (
            f"{p.files} files, {p.rows:,} rows"
            + (f", {p.rows_rejected:,} rejected" if p.rows_rejected else "")
            + (f", {p.files_failed} files failed" if p.files_failed else "")
        )
        passed = p.checks_run - len(set(p.checks_failed) | set(p.checks_warned))
        checks = (
            f"checks: {passed} passed"
            + (f", warned {', '.join(p.checks_warned)}" if p.checks_warned else "")
            + (f", failed {', '.join(p.checks_failed)}" if p.checks_failed else "")
            if p.checks_run
            else "checks: not run"
        )
        pack = (
            f"held: {'; '.join(p.held)}"
            if p.held
            else f"{p.pdf} ({p.pages} pages)"
            if p.pdf
            else "no pack"
        )
        sent = ", ".join(f"{r} {s}" for r, s in sorted(p.deliveries.items())) or "not delivered"
        head = p.name if p.pack.startswith("portfolio-") else f"{p.name} ({p.pack})"
        lines.append(f"{head}: " + ("" if p.pack.startswith("portfolio-") else data))
        if not p.pack.startswith("portfolio-"):
            lines.append(f"  {checks}")
        lines.append(f"  pack: {pack}")
        lines.append(f"  mail: {sent}")
    return lines


def problem_lines(packs: list[PackStatus]) -> list[str]:
    """One line per problem a person must act on, worst first; a week without any data is one
    line."""
    accounts = [p for p in packs if not p.pack.startswith("portfolio-")]
    if accounts and all("no data" in p.problems for p in accounts):
        return [
            "no exports loaded for this week for any account: put them in "
            "inbox/<account>/<week>/ (or ingest a folder with `sellerpulse ingest`) and run again"
        ]
    lines = []
    for kind in PROBLEMS:
        for p in packs:
            if kind not in p.problems:
                continue
            if kind == "held":
                lines.append(f"{p.pack}: pack held: {'; '.join(p.held)}")
            elif kind == "no data":
                lines.append(f"{p.pack}: no exports loaded for this week")
            elif kind == "no pack":
                lines.append(f"{p.pack}: no pack was made")
            else:
                who = sorted(r for r, s in p.deliveries.items() if s == kind)
                lines.append(f"{p.pack}: delivery {kind} to {', '.join(who)}")
    return lines
