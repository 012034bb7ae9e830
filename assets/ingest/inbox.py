"""Move exports from the inbox into the raw layer, losing nothing and loading nothing twice.

Layout: ``inbox/<account_id>/<week start YYYY-MM-DD>/<export as downloaded>``. For every file
``raw.ingest_log`` gets one row keyed by the file's SHA-256 (rows_read = rows_loaded +
rows_rejected), each unparseable row goes to ``raw.rejects`` with its line and reason, and
the original is kept under ``archive/<sha256[:2]>/<sha256><suffix>``. The same bytes again
(even renamed) are skipped; a new export for the same account, week and report replaces the
earlier one, because Amazon restates recent weeks.

Files of one layout (same report, header, language, marketplace) are parsed together in one
``read_csv`` call and loaded in one transaction (files that replace one another in the same
batch load one after the other), so a week of small exports costs little more than reading
them; a damaged file in such a batch is then read alone to find it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from assets.core.settings import (
    ACCOUNT_ID,
    Accounts,
    ConfigError,
    Paths,
    parse_week,
    week_start,
)
from assets.ingest.readers import (
    SQL_TYPES,
    Detected,
    ExportError,
    Kind,
    ParsedFile,
    Readable,
    batch_key,
    catalog,
    parse_batch,
    readable,
    sniff,
)

log = logging.getLogger(__name__)

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
    """Export files in the inbox, for one week folder (plus loose files) or all of them.

    Directory entries are listed without a ``stat`` each, so a weekly run does not slow down
    as week folders pile up.
    """
    found = []
    if not paths.inbox.is_dir():
        return found
    for account_dir in _entries(paths.inbox):
        if not account_dir.is_dir():
            continue
        for item in _entries(account_dir.path):
            if item.is_file():
                found.append(Path(item.path))
            elif item.is_dir() and (week is None or item.name == week.isoformat()):
                found.extend(sorted(f for f in Path(item.path).rglob("*") if f.is_file()))
    return [f for f in found if not f.name.startswith(".")]


def _entries(folder: str | Path) -> list[os.DirEntry]:
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda entry: entry.name)


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


@dataclass
class _Pending:
    """A file read as far as its header, waiting for the other files of its layout."""

    path: Path
    name: str
    digest: str
    archived: str
    account_id: str
    week: date | None
    source: Readable
    detected: Detected
    delimiter: str
    date_order: str
    country: str

    @property
    def batch(self) -> tuple:
        layout = batch_key(self.source, self.detected, self.delimiter)
        return (*layout, self.date_order, self.country)


def ingest_file(
    conn: duckdb.DuckDBPyConnection, path: Path, paths: Paths, accounts: Accounts
) -> FileResult:
    """Load one file (see ``ingest_inbox``)."""
    ensure_raw_tables(conn)
    return _ingest(conn, [path], paths, accounts)[0]


def ingest_inbox(
    conn: duckdb.DuckDBPyConnection, paths: Paths, accounts: Accounts, week: date | None = None
) -> list[FileResult]:
    """Ingest every export in the inbox (or one week of it); one bad file never stops the rest."""
    ensure_raw_tables(conn)
    return _ingest(conn, inbox_files(paths, week), paths, accounts)


def _ingest(
    conn: duckdb.DuckDBPyConnection, files: list[Path], paths: Paths, accounts: Accounts
) -> list[FileResult]:
    """Read every file's header, parse the files of one layout together, then load them a
    batch per transaction: a crash leaves each file wholly loaded or not at all."""
    results: dict[Path, FileResult] = {}
    batches: dict[tuple, list[_Pending]] = {}
    this_run: dict[str, str] = {}  # file hash → name, for copies within one inbox
    digests: dict[Path, str] = {}
    for path in files:
        if path.suffix.lower() in EXPORT_SUFFIXES:
            try:
                digests[path] = file_hash(path)
            except OSError:
                pass  # hashed again in _prepare, where the error is reported
    # only these files' log rows: the log grows with every week of history
    logged = {
        row[0]: row[1:]
        for row in conn.execute(
            "select file_hash, source_file, status, message from raw.ingest_log "
            "where file_hash in (select unnest(?::varchar[]))",
            [sorted(set(digests.values()))],
        ).fetchall()
    }

    def done(path: Path, result: FileResult) -> None:
        results[path] = result
        log.info("[%d/%d] %s", len(results), len(files), result.line())

    for path in files:
        try:
            prepared = _prepare(conn, path, digests.get(path), paths, accounts, logged, this_run)
        except (duckdb.Error, OSError) as exc:
            prepared = _retry_later(path.relative_to(paths.inbox).as_posix(), exc)
        if isinstance(prepared, FileResult):
            done(path, prepared)
        else:
            batches.setdefault(prepared.batch, []).append(prepared)
    for group in batches.values():
        try:
            for pending, result in _load_batch(conn, group):
                done(pending.path, result)
        finally:
            for pending in group:
                pending.source.cleanup()
    return [results[path] for path in files]


def _retry_later(name: str, exc: Exception) -> FileResult:
    # not logged as seen: the next run tries this file again
    return FileResult(name, "failed", f"could not be loaded, will retry next run: {exc}")


def _prepare(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    digest: str | None,
    paths: Paths,
    accounts: Accounts,
    logged: dict[str, tuple],
    this_run: dict[str, str],
) -> _Pending | FileResult:
    """Deduplicate, archive and sniff one file; a failure is logged and returned."""
    name = path.relative_to(paths.inbox).as_posix()
    if path.suffix.lower() not in EXPORT_SUFFIXES:
        return FileResult(name, "skipped", f"not an export ({path.suffix or 'no suffix'})")
    digest = digest or file_hash(path)
    if digest in this_run:
        return FileResult(name, "duplicate", f"same content as {this_run[digest]}; skipped")
    seen = logged.get(digest)  # (source_file, status, message) of an earlier run
    if seen and seen[1] == "failed" and seen[0] == name:
        return FileResult(name, "failed", f"unchanged since it failed: {seen[2]}")
    if seen and seen[1] == "failed":
        # the user moved or renamed a failed file: forget the failure and try again
        conn.execute("delete from raw.rejects where file_hash = ?", [digest])
        conn.execute("delete from raw.ingest_log where file_hash = ?", [digest])
    elif seen:
        return FileResult(name, "duplicate", f"same content as {seen[0]} ({seen[1]}); skipped")
    this_run[digest] = name
    archived = archive(path, digest, paths).relative_to(paths.home).as_posix()
    try:
        account_id, week = _place(path, paths, accounts)
        account = accounts.get(account_id)
        source = readable(path, paths.home)
        try:
            detected, delimiter = sniff(source, name)
            if not detected.kind.dated and week is None:
                raise ExportError(
                    f"{detected.kind.label} has no dates of its own: move it to "
                    f"inbox/{account_id}/<week start YYYY-MM-DD>/"
                )
        except Exception:
            source.cleanup()
            raise
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the inbox
        return _fail(conn, digest, name, archived, exc)
    return _Pending(
        path,
        name,
        digest,
        archived,
        account_id,
        week,
        source,
        detected,
        delimiter,
        account.marketplace.date_order,
        account.marketplace.iso_country,
    )


def _load_batch(conn: duckdb.DuckDBPyConnection, group: list[_Pending]):
    """Parse a group of same-layout files at once, then load them; yields (file, result)."""
    first = group[0]
    try:
        parsed = parse_batch(
            conn,
            [(p.source, p.name) for p in group],
            first.detected,
            first.delimiter,
            first.date_order,
            first.country,
        )
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the inbox
        if len(group) > 1:
            # one damaged file spoils a shared read: read each alone to find which
            for pending in group:
                yield from _load_batch(conn, [pending])
            return
        yield first, _fail(conn, first.digest, first.name, first.archived, exc)
        return
    kind = first.detected.kind
    periods = {}
    if kind.dated:
        # a summary ads report's rows span Start Date..End Date: its period ends at the last End
        last = f"coalesce(end_date, {kind.period})" if "end_date" in kind.columns else kind.period
        periods = {
            name: (start, end)
            for name, start, end in conn.execute(
                f"select source_file, min({kind.period}), max({last}) from parsed_rows "
                "group by all"
            ).fetchall()
        }
    # files of the batch that replace one another (same account and period) load one after
    # the other, in inbox order; the rest load together
    chunks: list[list[tuple[_Pending, date, date]]] = [[]]
    for pending in group:
        start, end = periods.get(pending.name, (None, None))
        if start is None:
            if pending.week is None:
                message = (
                    f"{pending.name}: {kind.label}: no row has a readable {kind.period}, so "
                    f"nothing dates it; move it to inbox/{pending.account_id}/<week start "
                    "YYYY-MM-DD>/ to load it for that week"
                )
                yield (
                    pending,
                    _fail(
                        conn, pending.digest, pending.name, pending.archived, ExportError(message)
                    ),
                )
                continue
            start, end = pending.week, pending.week + timedelta(days=6)
        key = (pending.account_id, start, end)
        if any((p.account_id, s, e) == key for p, s, e in chunks[-1]):
            chunks.append([])
        chunks[-1].append((pending, start, end))
    for chunk in filter(None, chunks):
        try:
            results = _load_files(conn, kind, chunk, parsed)
        except (duckdb.Error, OSError) as exc:
            results = [_retry_later(pending.name, exc) for pending, _, _ in chunk]
        yield from zip((pending for pending, _, _ in chunk), results, strict=True)


def _load_files(
    conn: duckdb.DuckDBPyConnection,
    kind: Kind,
    chunk: list[tuple[_Pending, date, date]],
    parsed: dict[str, ParsedFile],
) -> list[FileResult]:
    """Load parsed files in one transaction with a few set-based statements: each supersedes
    the earlier exports of its account, report and period, then its rows, rejects and log row
    go in. A crash leaves the warehouse as it was."""
    now = datetime.now().replace(microsecond=0)
    rows = [
        {
            "file_hash": pending.digest,
            "source_file": pending.name,
            "archived_as": pending.archived,
            "kind": kind.name,
            "locale": parsed[pending.name].locale,
            "encoding": parsed[pending.name].encoding,
            "account_id": pending.account_id,
            "week_start": pending.week or week_start(start),
            "period_start": start,
            "period_end": end,
            "rows_read": parsed[pending.name].rows_read,
            "rows_loaded": parsed[pending.name].rows_loaded,
            "rows_rejected": parsed[pending.name].rows_rejected,
            "status": "loaded_with_rejects" if parsed[pending.name].rows_rejected else "loaded",
            "message": "",
            "loaded_at": now,
            "ignored_columns": pending.detected.ignored,
            "attribution_days": pending.detected.attribution_days,
            "header_currency": pending.detected.header_currency,
        }
        for pending, start, end in chunk
    ]
    same_export = (
        "log.kind = batch.kind and log.account_id = batch.account_id "
        "and log.period_start = batch.period_start and log.period_end = batch.period_end "
        "and log.status in ('loaded', 'loaded_with_rejects')"
    )
    frame = pd.DataFrame(rows)
    conn.register("batch", frame)
    try:
        previous: dict[str, list[str]] = {}
        for name, old_name in conn.execute(
            f"select batch.source_file, log.source_file from batch "
            f"inner join raw.ingest_log as log on {same_export} order by log.source_file"
        ).fetchall():
            previous.setdefault(name, []).append(old_name)
        for row in rows:
            notes = []
            if row["source_file"] in previous:
                notes.append("replaces " + ", ".join(previous[row["source_file"]]))
            if row["rows_rejected"]:
                notes.append(f"{row['rows_rejected']} rows rejected (see raw.rejects)")
            row["message"] = "; ".join(notes)
        frame["message"] = [row["message"] for row in rows]
        conn.register("batch", frame)
        columns = ", ".join(kind.columns)
        conn.execute("begin")
        try:
            conn.execute(
                f"delete from raw.{kind.table} where file_hash in (select log.file_hash "
                f"from batch inner join raw.ingest_log as log on {same_export})"
            )
            conn.execute(
                "update raw.ingest_log as log set status = 'superseded', "
                f"message = 'replaced by ' || batch.source_file from batch where {same_export}"
            )
            conn.execute(
                f"insert into raw.{kind.table} (account_id, period_start, period_end, locale, "
                f"attribution_days, header_currency, {columns}, source_file, source_line, "
                f"file_hash, loaded_at) select batch.account_id, batch.period_start, "
                f"batch.period_end, batch.locale, batch.attribution_days, "
                f"batch.header_currency, {', '.join(f'parsed_rows.{c}' for c in kind.columns)}, "
                "parsed_rows.source_file, parsed_rows.source_line, batch.file_hash, "
                "batch.loaded_at from parsed_rows inner join batch using (source_file)"
            )
            conn.execute(
                "insert into raw.rejects select batch.file_hash, parsed_rejects.source_file, "
                "source_line, column_name, value, reason from parsed_rejects "
                "inner join batch using (source_file) "
                "order by parsed_rejects.source_file, source_line"
            )
            conn.execute(
                "insert into raw.ingest_log select file_hash, source_file, archived_as, kind, "
                "locale, encoding, account_id, week_start, period_start, period_end, rows_read, "
                "rows_loaded, rows_rejected, status, message, loaded_at, "
                "ignored_columns::varchar[] from batch"
            )
        except Exception:
            conn.execute("rollback")
            raise
        conn.execute("commit")
    finally:
        conn.unregister("batch")
    return [
        FileResult(
            row["source_file"],
            "replaced" if row["source_file"] in previous else row["status"],
            row["message"],
            kind.name,
            row["locale"],
            row["account_id"],
            row["rows_read"],
            row["rows_loaded"],
            row["rows_rejected"],
        )
        for row in rows
    ]


def _fail(
    conn: duckdb.DuckDBPyConnection, digest: str, name: str, archived: str, exc: Exception
) -> FileResult:
    """Log a file that cannot be loaded, with a message that says what to do."""
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
        [digest, name, archived, message, datetime.now().replace(microsecond=0)],
    )
    conn.execute(
        "insert into raw.rejects values (?, ?, null, null, null, ?)", [digest, name, message]
    )
    conn.execute("commit")
    return FileResult(name, "failed", message)
