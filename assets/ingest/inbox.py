"""Move exports from the inbox into the raw layer, losing nothing and loading nothing twice.

Layout: ``inbox/<account_id>/<week start YYYY-MM-DD>/<export as downloaded>``. For every file
``raw.ingest_log`` gets one row keyed by the file's SHA-256 (rows_read = rows_loaded +
rows_rejected), each unparseable row goes to ``raw.rejects`` with its line and reason, and
the original is kept under ``archive/<sha256[:2]>/<sha256><suffix>``. The same bytes again
(even renamed) are skipped; a new export for the same account, week and report replaces the
earlier one, because Amazon restates recent weeks.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from assets.ingest.readers import (
    SQL_TYPES,
    ExportError,
    Kind,
    ParsedFile,
    catalog,
    parse_file,
)
from pipelines.settings import (
    ACCOUNT_ID,
    Accounts,
    ConfigError,
    Paths,
    parse_week,
    week_start,
)

log = logging.getLogger(__name__)

MONTH_FIRST = {"US", "CA"}  # marketplaces whose exports write 11/16/2026
COUNTRY = {"UK": "GB"}  # marketplace code → ISO country where they differ
EXPORT_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".json"}
LOG_DDL = """
create schema if not exists raw;
create table if not exists raw.ingest_log (
    file_hash varchar primary key,
    source_file varchar not null,
    archived_as varchar,
    kind varchar,
    locale varchar,
    encoding varchar,
    account_id varchar,
    week_start date,
    period_start date,
    period_end date,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_rejected bigint not null,
    status varchar not null,
    message varchar,
    loaded_at timestamp not null,
    ignored_columns varchar[],
    check (rows_read = rows_loaded + rows_rejected)
);
create table if not exists raw.rejects (
    file_hash varchar not null,
    source_file varchar not null,
    line bigint,
    column_name varchar,
    value varchar,
    reason varchar not null
);
"""


@dataclass
class FileResult:
    """What happened to one inbox file; printed by ``sellerpulse ingest``."""

    source_file: str
    status: str  # loaded | loaded_with_rejects | replaced | duplicate | failed
    message: str = ""
    kind: str | None = None
    locale: str | None = None
    account_id: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0

    def line(self) -> str:
        counts = f"{self.rows_loaded}/{self.rows_read} rows" if self.rows_read else ""
        what = " ".join(x for x in (self.kind, self.locale, counts) if x)
        return f"{self.status:<20} {self.source_file}  {what}  {self.message}".rstrip()


def ensure_raw_tables(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(LOG_DDL)
    for kind in catalog().kinds.values():
        conn.execute(raw_table_ddl(kind))


def raw_table_ddl(kind: Kind) -> str:
    columns = ",\n    ".join(f"{c.name} {SQL_TYPES[c.type]}" for c in kind.columns.values())
    return f"""
create table if not exists raw.{kind.table} (
    account_id varchar not null,
    period_start date not null,
    period_end date not null,
    locale varchar not null,
    attribution_days integer,
    header_currency varchar,
    {columns},
    source_file varchar not null,
    source_line bigint not null,
    file_hash varchar not null,
    loaded_at timestamp not null
)"""


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def archive(path: Path, digest: str, paths: Paths) -> Path:
    """Keep the original, content-addressed, so the warehouse can be rebuilt from the archive."""
    target = paths.archive / digest[:2] / f"{digest}{path.suffix.lower()}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".part")
        shutil.copyfile(path, tmp)
        tmp.replace(target)
    return target


def inbox_files(paths: Paths, week: date | None = None) -> list[Path]:
    """Export files in the inbox, for one week folder (plus loose files) or all of them."""
    found = []
    if not paths.inbox.is_dir():
        return found
    for account_dir in sorted(p for p in paths.inbox.iterdir() if p.is_dir()):
        for item in sorted(account_dir.iterdir()):
            if item.is_file():
                found.append(item)
            elif item.is_dir() and (week is None or item.name == week.isoformat()):
                found.extend(sorted(f for f in item.rglob("*") if f.is_file()))
    return [f for f in found if not f.name.startswith(".")]


def _place(path: Path, paths: Paths, accounts: Accounts) -> tuple[str, date | None]:
    """Account and week from where the file sits; every problem says where it should go."""
    relative = path.relative_to(paths.inbox)
    account_id = relative.parts[0]
    if not ACCOUNT_ID.match(account_id) or account_id not in accounts.accounts:
        raise ExportError(
            f"folder '{account_id}' is not a configured account; add it to "
            f"{accounts.source.name} or move the file to inbox/<account id>/<week start>/"
        )
    if len(relative.parts) == 2:
        return account_id, None
    try:
        return account_id, parse_week(relative.parts[1])
    except ConfigError as exc:
        raise ExportError(
            f"folder '{relative.parts[1]}': {exc}; week folders are named by the Monday that "
            "starts the week"
        ) from None


def _period(conn: duckdb.DuckDBPyConnection, kind: Kind, week: date | None) -> tuple[date, date]:
    """Dated reports cover their own dates; undated ones the week of their inbox folder."""
    if not kind.dated:
        return week, week + timedelta(days=6)
    first, last = conn.execute(
        f"select min({kind.period}), max({kind.period}) from parsed_rows"
    ).fetchone()
    if first is None:
        if week is None:
            raise ExportError(
                f"{kind.label}: no row has a readable {kind.period}; nothing to date the file by"
            )
        return week, week + timedelta(days=6)
    return first, last


def ingest_file(
    conn: duckdb.DuckDBPyConnection, path: Path, paths: Paths, accounts: Accounts
) -> FileResult:
    """Load one file in one transaction: a crash leaves the warehouse as it was."""
    name = path.relative_to(paths.inbox).as_posix()
    if path.suffix.lower() not in EXPORT_SUFFIXES:
        return FileResult(name, "skipped", f"not an export ({path.suffix or 'no suffix'})")
    digest = file_hash(path)
    seen = conn.execute(
        "select source_file, status, message from raw.ingest_log where file_hash = ?", [digest]
    ).fetchone()
    if seen and seen[1] == "failed" and seen[0] == name:
        return FileResult(name, "failed", f"unchanged since it failed: {seen[2]}")
    if seen and seen[1] == "failed":
        # the user moved or renamed a failed file: forget the failure and try again
        conn.execute("delete from raw.rejects where file_hash = ?", [digest])
        conn.execute("delete from raw.ingest_log where file_hash = ?", [digest])
    elif seen:
        return FileResult(name, "duplicate", f"same content as {seen[0]} ({seen[1]}); skipped")
    archived = archive(path, digest, paths).relative_to(paths.home).as_posix()
    now = datetime.now().replace(microsecond=0)
    try:
        account_id, week = _place(path, paths, accounts)
        account = accounts.get(account_id)
        date_order = "mdy" if account.marketplace.code in MONTH_FIRST else "dmy"
        country = COUNTRY.get(account.marketplace.code, account.marketplace.code)
        parsed = parse_file(conn, path, name, date_order, paths.home, country)
        kind = parsed.detected.kind
        if not kind.dated and week is None:
            raise ExportError(
                f"{kind.label} has no dates of its own: move it to "
                f"inbox/{account_id}/<week start YYYY-MM-DD>/"
            )
        period_start, period_end = _period(conn, kind, week)
        week = week or week_start(period_start)
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the inbox
        message = (
            str(exc)
            if isinstance(exc, ExportError)
            else (
                f"{name}: could not be read ({type(exc).__name__}: {str(exc).splitlines()[0]}); "
                "check that it is an unmodified Amazon export"
            )
        )
        conn.execute("begin")
        conn.execute(
            "insert into raw.ingest_log (file_hash, source_file, archived_as, rows_read, "
            "rows_loaded, rows_rejected, status, message, loaded_at) "
            "values (?, ?, ?, 0, 0, 0, 'failed', ?, ?)",
            [digest, name, archived, message, now],
        )
        conn.execute(
            "insert into raw.rejects values (?, ?, null, null, null, ?)", [digest, name, message]
        )
        conn.execute("commit")
        return FileResult(name, "failed", message)

    conn.execute("begin")
    try:
        previous = _replace_and_load(
            conn, parsed, name, digest, account_id, week, period_start, period_end, archived, now
        )
    except Exception:
        conn.execute("rollback")
        raise
    conn.execute("commit")
    status = "loaded_with_rejects" if parsed.rows_rejected else "loaded"
    return FileResult(
        name,
        "replaced" if previous else status,
        _message(previous, parsed),
        kind.name,
        parsed.locale,
        account_id,
        parsed.rows_read,
        parsed.rows_loaded,
        parsed.rows_rejected,
    )


def _message(previous: list[tuple[str, str]], parsed: ParsedFile) -> str:
    notes = []
    if previous:
        notes.append("replaces " + ", ".join(src for _, src in previous))
    if parsed.rows_rejected:
        notes.append(f"{parsed.rows_rejected} rows rejected (see raw.rejects)")
    return "; ".join(notes)


def _replace_and_load(
    conn: duckdb.DuckDBPyConnection,
    parsed: ParsedFile,
    name: str,
    digest: str,
    account_id: str,
    week: date,
    period_start: date,
    period_end: date,
    archived: str,
    now: datetime,
) -> list[tuple[str, str]]:
    """Supersede earlier exports of the same account, report and period, then load this one."""
    kind = parsed.detected.kind
    previous = conn.execute(
        "select file_hash, source_file from raw.ingest_log where kind = ? and account_id = ? "
        "and period_start = ? and period_end = ? and status in ('loaded', 'loaded_with_rejects')",
        [kind.name, account_id, period_start, period_end],
    ).fetchall()
    for old_hash, _ in previous:
        conn.execute(f"delete from raw.{kind.table} where file_hash = ?", [old_hash])
        conn.execute(
            "update raw.ingest_log set status = 'superseded', message = ? where file_hash = ?",
            [f"replaced by {name}", old_hash],
        )
    columns = ", ".join(kind.columns)
    conn.execute(
        f"insert into raw.{kind.table} (account_id, period_start, period_end, locale, "
        f"attribution_days, header_currency, {columns}, source_file, source_line, file_hash, "
        f"loaded_at) select ?, ?, ?, ?, ?, ?, {columns}, ?, source_line, ?, ? from parsed_rows",
        [
            account_id,
            period_start,
            period_end,
            parsed.locale,
            parsed.detected.attribution_days,
            parsed.detected.header_currency,
            name,
            digest,
            now,
        ],
    )
    conn.execute(
        "insert into raw.rejects select ?, ?, source_line, column_name, value, reason "
        "from parsed_rejects order by source_line",
        [digest, name],
    )
    status = "loaded_with_rejects" if parsed.rows_rejected else "loaded"
    conn.execute(
        "insert into raw.ingest_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            digest,
            name,
            archived,
            kind.name,
            parsed.locale,
            parsed.encoding,
            account_id,
            week,
            period_start,
            period_end,
            parsed.rows_read,
            parsed.rows_loaded,
            parsed.rows_rejected,
            status,
            _message(previous, parsed),
            now,
            parsed.detected.ignored,
        ],
    )
    return previous


def ingest_inbox(
    conn: duckdb.DuckDBPyConnection, paths: Paths, accounts: Accounts, week: date | None = None
) -> list[FileResult]:
    """Ingest every export in the inbox (or one week of it); one bad file never stops the rest."""
    ensure_raw_tables(conn)
    results = []
    files = inbox_files(paths, week)
    for number, path in enumerate(files, start=1):
        try:
            result = ingest_file(conn, path, paths, accounts)
        except (duckdb.Error, OSError) as exc:
            # not logged as seen: the next run tries this file again
            result = FileResult(
                path.relative_to(paths.inbox).as_posix(),
                "failed",
                f"could not be loaded, will retry next run: {exc}",
            )
        log.info("[%d/%d] %s", number, len(files), result.line())
        results.append(result)
    return results
