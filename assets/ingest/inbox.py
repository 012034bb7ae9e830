"""Move exports from the inbox into the raw layer, losing nothing and loading nothing twice.

Layout: ``inbox/<account_id>/<week start YYYY-MM-DD>/<export as downloaded>``. For every file
``raw.ingest_log`` gets one row keyed by the file's SHA-256 (rows_read = rows_loaded +
rows_rejected), each unparseable row goes to ``raw.rejects`` with its line and reason, and
the original is kept under ``archive/<sha256[:2]>/<sha256><suffix>``, which is what is read
from then on. The same bytes again (even renamed) are skipped, unless their earlier copy failed
(misplaced, say): a failure never claims the bytes, so a copy in the right place still loads.

A dated export may also sit loose in ``inbox/<account_id>/``: its rows date it (a Vendor Central
file by its banner, and its own period sets the week it is logged under, wherever it sits).
A new export for the same account, report and period (and, for Vendor Central, the same
distributor view, programme and source, SP-API or download: its ``variant``) replaces the
earlier one, because Amazon restates recent weeks, but only when it is at least as complete
(rows read, rows loaded, recognised columns): a header-only or cut-off copy is logged
``held_incomplete`` and its rows stay out, and the check ``replacements_complete`` holds the
account's pack with a message that names both files and what to do. Symbolic links, and
anything that is not a regular file, are refused unread; names are shown with control
characters escaped (``shown``).

A run hashes and converts (XLSX and JSON to CSV, legacy encodings to UTF-8) before it opens
the warehouse for more than a look-up, so a long conversion does not hold the DuckDB lock
(four files at a time: archiving and reading mostly wait on the disk);
files of one layout (same report, header, language, marketplace) are then parsed together in
one ``read_csv`` call and loaded in one transaction (files that replace one another in the same
batch load one after the other), so a week of small exports costs little more than reading
them; a damaged file in such a batch is then read alone to find it. While one batch loads, the
next two are parsed on two other threads, so ingest takes about the longer of parsing and
loading, not their sum.
``Limits`` caps what a file may expand to and the memory DuckDB may use while ingesting
(docs/reliability.md, "Inbox").
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import stat
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import duckdb
import pandas as pd

from assets.core.resources import ThreadCursors
from assets.core.settings import (
    ACCOUNT_ID,
    Accounts,
    ConfigError,
    Paths,
    parse_week,
    week_start,
)
from assets.ingest.limits import Limits, Workspace
from assets.ingest.readers import (
    SQL_TYPES,
    Detected,
    ExportError,
    Kind,
    ParsedFile,
    Readable,
    batch_key,
    catalog,
    locale_country,
    parse_batch,
    readable,
    reading_key,
    shown,
    sniff,
)

log = logging.getLogger(__name__)

EXPORT_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".json"}
LOADED = ("loaded", "loaded_with_rejects")
HELD = "held_incomplete"
# a held file renamed with this prefix replaces the export it was held against, however
# complete: the user has looked at both and says this one is right
REPLACE_PREFIX = "replace-"
WEEK_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# an in-memory database attached while a run loads several batches: the parsing threads'
# cursors leave each batch's parsed rows there, where the loading connection can read them
SCRATCH = "ingest_scratch"
PARSERS = 2  # batches parsed at once, ahead of the one loading (_parsing_ahead)
PREPARERS = 4  # files archived, converted and sniffed at once (_plan)
BATCH_SHARE = 16  # a batch's input is at most this share of the memory limit (_bounded)
MIB = 1024 * 1024
_UNITS = {"": 1, "b": 1, "bytes": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "tb": 1000**4}
_UNITS |= {"kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4}
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
    columns_read integer,
    variant varchar,
    check (rows_read = rows_loaded + rows_rejected)
);
-- warehouses from before the completeness test lack it; their files are compared by rows only
alter table raw.ingest_log add column if not exists columns_read integer;
-- exports of one kind and period that never replace one another: a Vendor Central file's
-- distributor view, programme and format (NULL for every other kind)
alter table raw.ingest_log add column if not exists variant varchar;
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
    """What happened to one inbox file; printed by ``sellerpulse ingest``.

    ``source_file`` and ``message`` are shown as they will be printed: control characters
    escaped."""

    source_file: str
    status: str  # loaded | loaded_with_rejects | replaced | duplicate | held_incomplete | failed
    message: str = ""
    kind: str | None = None
    locale: str | None = None
    account_id: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0

    def __post_init__(self) -> None:
        self.source_file = shown(self.source_file)
        self.message = shown(self.message)

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


class NotRegular(OSError):
    """An inbox entry that is a symbolic link or not a regular file: never opened."""


def open_regular(path: Path) -> BinaryIO:
    """Open an inbox file for reading only if it is a regular file and not a link: checked on
    the open file itself, so a file swapped for a link after the inbox was listed is refused
    too. A FIFO does not block the open (``O_NONBLOCK``), it is refused."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotRegular("a symbolic link") from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise NotRegular("not a regular file")
    return os.fdopen(fd, "rb")


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def archive(path: Path, digest: str, paths: Paths) -> Path:
    """Keep the original, content-addressed, so the warehouse can be rebuilt from the archive.

    The copy is hashed as it is made: a file still being written when the inbox was hashed
    fails here (and is tried again next run), so the archive only holds what its name says."""
    target = paths.archive / digest[:2] / f"{digest}{path.suffix.lower()}"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # the same bytes under two names may be archived at once (``PREPARERS``): a copy each
    tmp = target.with_suffix(f"{target.suffix}.{threading.get_ident()}.part")
    copied = hashlib.sha256()
    try:
        with open_regular(path) as source, tmp.open("wb") as out:
            for block in iter(lambda: source.read(1 << 20), b""):
                copied.update(block)
                out.write(block)
        if copied.hexdigest() != digest:
            raise OSError("the file changed while it was read (still being copied?)")
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


@dataclass
class InboxEntry:
    """A file (or a link, or a special file) found in the inbox."""

    path: Path
    refused: str = ""  # why it is not read at all


def scan_inbox(paths: Paths, week: date | None = None) -> list[InboxEntry]:
    """Export files in the inbox, for one week folder (plus loose files) or all of them.

    Nothing is followed: a symbolic link (file or folder) and anything that is not a regular
    file or folder is listed as refused, never opened, so nothing outside the inbox is read.
    Directory entries are listed without a ``stat`` each, so a weekly run does not slow down
    as week folders pile up; hidden entries (``.DS_Store``) are left alone.
    """
    found: list[InboxEntry] = []
    if not paths.inbox.is_dir():
        return found
    for account_dir in _entries(paths.inbox):
        if account_dir.is_symlink():
            found.append(InboxEntry(Path(account_dir.path), "a symbolic link"))
        elif account_dir.is_dir(follow_symlinks=False):
            for item in _entries(account_dir.path):
                if week is not None and WEEK_NAME.match(item.name) and item.name != str(week):
                    continue  # another week's folder, left for its own run
                if item.is_dir(follow_symlinks=False):
                    found.extend(_walk(item.path))
                else:
                    found.append(_entry(item))
    return found


def _walk(folder: str) -> Iterator[InboxEntry]:
    for item in _entries(folder):
        if item.is_dir(follow_symlinks=False):
            yield from _walk(item.path)
        else:
            yield _entry(item)


def _entry(item: os.DirEntry) -> InboxEntry:
    if item.is_symlink():
        return InboxEntry(Path(item.path), "a symbolic link")
    if not item.is_file(follow_symlinks=False):
        return InboxEntry(Path(item.path), "not a regular file")
    return InboxEntry(Path(item.path))


def _entries(folder: str | Path) -> list[os.DirEntry]:
    with os.scandir(folder) as entries:
        return sorted((e for e in entries if not e.name.startswith(".")), key=lambda e: e.name)


def _refusal(name: str, reason: str) -> FileResult:
    return FileResult(
        name,
        "failed",
        f"{name}: refused, not read: {reason}. SellerPulse reads only files inside the inbox; "
        "put the export itself there (a copy, not a link)",
    )


def _place(path: Path, paths: Paths, accounts: Accounts) -> tuple[str, date | None]:
    """Account and week from where the file sits; every problem says where it should go."""
    relative = path.relative_to(paths.inbox)
    account_id = relative.parts[0]
    if not ACCOUNT_ID.match(account_id) or account_id not in accounts.accounts:
        raise ExportError(
            f"folder '{shown(account_id)}' is not a configured account; add it to "
            f"{accounts.source.name} or move the file to inbox/<account id>/<week start>/"
        )
    if len(relative.parts) == 2:
        return account_id, None
    try:
        return account_id, parse_week(relative.parts[1])
    except ConfigError as exc:
        raise ExportError(
            f"folder '{shown(relative.parts[1])}': {shown(str(exc))}; week folders are named by "
            "the Monday that starts the week"
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
    timezone: str  # the marketplace's: it dates rows written with a time (posted_date)
    replaces_anyway: bool = False  # renamed "replace-…" after it was held
    size: int = 0  # bytes of ``source``: what it weighs in a batch (``_bounded``)

    @property
    def batch(self) -> tuple:
        layout = batch_key(self.source, self.detected, self.delimiter)
        reading = reading_key(self.detected, self.country, self.timezone)
        return (*layout, self.date_order, *reading)


@dataclass
class _Failure:
    """A file that cannot be loaded, to be logged once the warehouse is open."""

    path: Path
    digest: str
    name: str
    archived: str
    error: Exception


@dataclass
class _Plan:
    """What a run does once the warehouse is open, worked out before it is."""

    results: dict[Path, FileResult] = field(default_factory=dict)
    failures: list[_Failure] = field(default_factory=list)
    pending: list[_Pending] = field(default_factory=list)
    forget: set[str] = field(default_factory=set)  # hashes of log rows to try again
    digests: set[str] = field(default_factory=set)  # every file found, to release held ones


Connect = Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]


def ingest_file(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    paths: Paths,
    accounts: Accounts,
    limits: Limits | None = None,
) -> FileResult:
    """Load one file (see ``ingest_inbox``)."""
    entries = [InboxEntry(path)]
    return ingest(lambda: nullcontext(conn), paths, accounts, limits=limits, entries=entries)[0]


def ingest_inbox(
    conn: duckdb.DuckDBPyConnection,
    paths: Paths,
    accounts: Accounts,
    week: date | None = None,
    limits: Limits | None = None,
) -> list[FileResult]:
    """Ingest every export in the inbox (or one week of it) through an open connection; one
    bad file never stops the rest. ``ingest`` does the same, opening the warehouse only when
    it needs it."""
    return ingest(lambda: nullcontext(conn), paths, accounts, week, limits)


def ingest(
    connect: Connect,
    paths: Paths,
    accounts: Accounts,
    week: date | None = None,
    limits: Limits | None = None,
    entries: list[InboxEntry] | None = None,
) -> list[FileResult]:
    """Ingest the inbox (or one week of it), holding the warehouse twice and briefly: to look
    up which files it has seen, then to load; hashing and conversions run in between, with
    their temporary files in this run's ``Workspace``."""
    limits = limits or Limits.from_env()
    scanned = entries is None  # the run saw every file of its scope, so it sees deletions
    entries = scan_inbox(paths, week) if entries is None else entries
    with Workspace(paths.home) as space:
        if space.removed:
            log.info(
                "removed temporary files of runs that did not finish: %s",
                shown(", ".join(space.removed)),
            )
        digests: dict[Path, str] = {}
        for entry in entries:
            if not entry.refused and entry.path.suffix.lower() in EXPORT_SUFFIXES:
                try:
                    digests[entry.path] = file_hash(entry.path)
                except NotRegular as exc:
                    entry.refused = str(exc)
                except OSError:
                    pass  # hashed again in _prepare, where the error is reported
        with connect() as conn:
            ensure_raw_tables(conn)
            # only these files' log rows: the log grows with every week of history
            logged = {
                row[0]: row[1:]
                for row in conn.execute(
                    "select file_hash, source_file, status, message from raw.ingest_log "
                    "where file_hash in (select unnest(?::varchar[]))",
                    [sorted(set(digests.values()))],
                ).fetchall()
            }
        # converted files wait in the workspace, which goes with them whatever happens
        plan = _plan(entries, digests, logged, paths, accounts, limits, space.folder)
        with connect() as conn, memory_bounded(conn, limits):
            return _load(conn, plan, entries, week, scanned, limits)


def _plan(
    entries: list[InboxEntry],
    digests: dict[Path, str],
    logged: dict[str, tuple],
    paths: Paths,
    accounts: Accounts,
    limits: Limits,
    workdir: Path,
) -> _Plan:
    """Everything that needs no warehouse: which copy of some bytes is read, archiving,
    placing, converting and sniffing each file."""
    plan = _Plan(digests=set(digests.values()))

    # of several copies of the same bytes, read the one placed where it can load (an account's
    # week folder), else the one an earlier run logged, else the first: a misplaced copy that
    # sorts first must not turn the right one into its duplicate
    def rank(path: Path) -> tuple[bool, bool]:
        earlier = logged.get(digests[path])
        return _misplaced(path, paths, accounts), not earlier or earlier[0] != _name(path, paths)

    copies: dict[str, list[Path]] = {}
    for entry in entries:
        if entry.path in digests:
            copies.setdefault(digests[entry.path], []).append(entry.path)
    chosen = {digest: min(found, key=rank) for digest, found in copies.items()}
    todo = []
    for entry in entries:
        name = _name(entry.path, paths)
        if entry.refused:
            plan.results[entry.path] = _refusal(name, entry.refused)
            continue
        digest = digests.get(entry.path)
        if digest is not None and chosen[digest] != entry.path:
            plan.results[entry.path] = FileResult(
                name, "duplicate", f"same content as {_name(chosen[digest], paths)}; skipped"
            )
            continue
        todo.append((entry, name, digest))

    def prepare(item: tuple[InboxEntry, str, str | None]) -> _Pending | _Failure | FileResult:
        entry, name, digest = item
        try:
            return _prepare(entry.path, name, digest, paths, accounts, logged, limits, workdir)
        except NotRegular as exc:
            return _refusal(name, str(exc))
        except OSError as exc:
            return _retry_later(name, exc)

    # copying, reading and converting files wait on the disk more than they compute: a few
    # files at once, taken in inbox order
    with ThreadPoolExecutor(PREPARERS, thread_name_prefix="ingest-prepare") as pool:
        prepared_files = list(pool.map(prepare, todo))
    for (entry, _, _), prepared in zip(todo, prepared_files, strict=True):
        if isinstance(prepared, FileResult):
            plan.results[entry.path] = prepared
            continue
        if prepared.digest in logged:
            plan.forget.add(prepared.digest)  # its earlier failure or hold is tried again
        if isinstance(prepared, _Failure):
            plan.failures.append(prepared)
        else:
            plan.pending.append(prepared)
    return plan


def _name(path: Path, paths: Paths) -> str:
    """The file as the log and messages show it: its place in the inbox, escaped."""
    return shown(path.relative_to(paths.inbox).as_posix())


def _misplaced(path: Path, paths: Paths, accounts: Accounts) -> bool:
    try:
        _place(path, paths, accounts)
    except ExportError:
        return True
    return False


def _retry_later(name: str, exc: Exception, limits: Limits | None = None) -> FileResult:
    # not logged as seen: the next run tries this file again
    if isinstance(exc, duckdb.OutOfMemoryException) and limits is not None:
        return FileResult(
            name,
            "failed",
            f"{name}: DuckDB ran out of the {limits.memory_mb:,} MB it may use while "
            f"ingesting ({Limits.ENV['memory_mb']}={limits.memory_mb}); raise it and run again "
            "(the file was not loaded and is tried again next run)",
        )
    return FileResult(name, "failed", f"could not be loaded, will retry next run: {exc}")


def _prepare(
    path: Path,
    name: str,
    digest: str | None,
    paths: Paths,
    accounts: Accounts,
    logged: dict[str, tuple],
    limits: Limits,
    workdir: Path,
) -> _Pending | _Failure | FileResult:
    """Deduplicate, archive and sniff one file; what cannot load becomes a ``_Failure``."""
    if path.suffix.lower() not in EXPORT_SUFFIXES:
        return FileResult(name, "skipped", f"not an export ({path.suffix or 'no suffix'})")
    digest = digest or file_hash(path)
    seen = logged.get(digest)  # (source_file, status, message) of an earlier run
    if seen and seen[1] == "failed" and seen[0] == name and not limits.changed_since(seen[2]):
        return FileResult(name, "failed", f"unchanged since it failed: {seen[2]}")
    if seen and seen[1] == HELD and seen[0] == name:
        return FileResult(name, HELD, f"unchanged since it was held: {seen[2]}")
    if seen and seen[1] not in ("failed", HELD, "withdrawn"):
        return FileResult(name, "duplicate", f"same content as {seen[0]} ({seen[1]}); skipped")
    # new bytes, or bytes that failed, were held or withdrawn under another name: (again)
    archived_path = archive(path, digest, paths)
    archived = archived_path.relative_to(paths.home).as_posix()
    try:
        account_id, week = _place(path, paths, accounts)
        account = accounts.get(account_id)
        # from here on the archived copy is read: its bytes are the ones hashed
        source = readable(archived_path, workdir, limits, name)
        try:
            detected, delimiter = sniff(source, name, limits, account.marketplace.date_order)
            if not detected.kind.dated and week is None:
                raise ExportError(
                    f"{detected.kind.label} has no dates of its own: move it to "
                    f"inbox/{account_id}/<week start YYYY-MM-DD>/"
                )
        except Exception:
            source.cleanup()
            raise
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the inbox
        return _Failure(path, digest, name, archived, exc)
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
        locale_country(
            detected.locale, account.marketplace.iso_country, account.marketplace.locale
        ),
        account.marketplace.timezone,
        replaces_anyway=bool(seen) and seen[1] == HELD and path.name.startswith(REPLACE_PREFIX),
        size=source.path.stat().st_size,
    )


def _load(
    conn: duckdb.DuckDBPyConnection,
    plan: _Plan,
    entries: list[InboxEntry],
    week: date | None,
    scanned: bool,
    limits: Limits,
) -> list[FileResult]:
    """Log the failures, release the held files that left the inbox, then load the rest a
    batch per transaction: a crash leaves each file wholly loaded or not at all."""
    results = plan.results
    files = [entry.path for entry in entries]

    def done(path: Path, result: FileResult) -> None:
        results[path] = result
        log.info("[%d/%d] %s", len(results), len(files), result.line())

    for path, result in list(results.items()):
        done(path, result)
    if plan.forget:
        forget = [sorted(plan.forget)]
        conn.execute("delete from raw.rejects where file_hash in (select unnest(?))", forget)
        conn.execute("delete from raw.ingest_log where file_hash in (select unnest(?))", forget)
    if scanned:
        _release_withdrawn(conn, plan.digests, week)
    for failure in plan.failures:
        done(
            failure.path, _fail(conn, failure.digest, failure.name, failure.archived, failure.error)
        )
    batches: dict[tuple, list[_Pending]] = {}
    for pending in plan.pending:
        batches.setdefault(pending.batch, []).append(pending)
    groups = [part for group in batches.values() for part in _bounded(group, limits)]
    with _parsing_ahead(conn, groups) as parses:
        for group, ahead in zip(groups, parses, strict=True):
            try:
                for pending, result in _load_batch(conn, group, limits, ahead):
                    done(pending.path, result)
                if ahead is not None:  # after a crash, detaching the scratch database drops it
                    conn.execute(f"drop schema if exists {ahead.schema} cascade")
            finally:
                for pending in group:
                    pending.source.cleanup()
    return [results[path] for path in files]


def _bounded(group: list[_Pending], limits: Limits) -> Iterator[list[_Pending]]:
    """A layout's files in batches of at most ``limits.memory_mb / BATCH_SHARE`` of input, in
    inbox order. A parse holds its batch a few times over (text, typed values, rows) and
    ``PARSERS`` + 1 batches are held at once: an unbounded batch (a first ingest of two years
    of one layout, thousands of files) outgrows the memory limit, spills to disk, and its parse
    fails and is done again in parts (``_load_batch``)."""
    cap = limits.memory_mb * MIB // BATCH_SHARE
    batch: list[_Pending] = []
    size = 0
    for pending in group:
        if batch and size + pending.size > cap:
            yield batch
            batch, size = [], 0
        batch.append(pending)
        size += pending.size
    if batch:
        yield batch


@dataclass
class _Ahead:
    """A batch parsed on a parsing thread into tables of ``schema``."""

    future: Future[dict[str, ParsedFile]]
    schema: str


@contextmanager
def _parsing_ahead(
    conn: duckdb.DuckDBPyConnection, groups: list[list[_Pending]]
) -> Iterator[Iterator[_Ahead | None]]:
    """For each batch, its parse, started on other threads while the batch before it loads:
    ingest then takes about the longer of parsing and loading, not their sum. DuckDB releases
    the GIL while a statement runs, and a cursor is its own session of the same database
    (its own temp tables and macros; the memory limit is the database's, so it bounds all).
    ``PARSERS`` batches parse at once: a batch of small files spends most of its time in
    statements that use one core, so two keep both cores of a small machine busy.

    With fewer than two batches there is nothing to overlap: each batch is parsed as it is
    loaded (``None``), without a thread or the scratch database."""
    if len(groups) < 2:
        yield iter([None] * len(groups))
        return
    conn.execute(f"attach if not exists ':memory:' as {SCRATCH}")
    try:
        with (
            ThreadCursors(conn) as cursors,
            ThreadPoolExecutor(max_workers=PARSERS, thread_name_prefix="ingest-parse") as pool,
        ):

            def parse(group: list[_Pending], schema: str) -> dict[str, ParsedFile]:
                return _parse(cursors.get(), group, schema)

            def start(n: int) -> _Ahead:
                schema = f"{SCRATCH}.batch_{n}"
                return _Ahead(pool.submit(parse, groups[n], schema), schema)

            def parses() -> Iterator[_Ahead]:
                ahead = deque(start(n) for n in range(min(PARSERS, len(groups))))
                for n in range(PARSERS, len(groups) + PARSERS):
                    # the next batch is submitted before this one is handed over to load
                    if n < len(groups):
                        ahead.append(start(n))
                    yield ahead.popleft()

            try:
                yield parses()
            except BaseException:
                # leaving the pool waits for its parses: drop the queued ones, cut the running
                pool.shutdown(wait=False, cancel_futures=True)
                cursors.interrupt()
                raise
    finally:
        conn.execute(f"detach database if exists {SCRATCH}")


def _parse(
    conn: duckdb.DuckDBPyConnection, group: list[_Pending], into: str | None = None
) -> dict[str, ParsedFile]:
    """Parse a group of same-layout files together (``parse_batch``), into schema ``into``
    (created here) or temp tables of ``conn``."""
    first = group[0]
    log.debug("parsing %s and %d more of its layout", first.name, len(group) - 1)
    if into:
        conn.execute(f"create schema {into}")
    parsed = parse_batch(
        conn,
        [(p.source, p.name) for p in group],
        first.detected,
        first.delimiter,
        first.date_order,
        first.country,  # the group reads numbers and local dates alike (``reading_key``)
        first.timezone,
        {p.name: p.detected.constants for p in group},
        into,
    )
    return {p.name: replace(parsed[p.name], country=p.country) for p in group}


def _release_withdrawn(
    conn: duckdb.DuckDBPyConnection, digests: set[str], week: date | None
) -> None:
    """A held file no longer in the inbox was deleted by the user: its hold is released.
    Only files this run would have found count (its week folder and loose files)."""
    in_scope = (
        "true"
        if week is None
        else (
            "(len(string_split(source_file, '/')) = 2 or string_split(source_file, '/')[2] = $week)"
        )
    )
    params: dict = {"found": sorted(digests), "held": HELD}
    if week is not None:
        params["week"] = week.isoformat()
    conn.execute(
        "update raw.ingest_log set status = 'withdrawn', "
        "message = 'removed from the inbox; its rows were never loaded and its hold is released' "
        f"where status = $held and {in_scope} "
        "and file_hash not in (select unnest($found::varchar[]))",
        params,
    )


@contextmanager
def memory_bounded(conn: duckdb.DuckDBPyConnection, limits: Limits) -> Iterator[None]:
    """DuckDB's memory limit lowered to ``limits.memory_mb`` while ingesting (it spills to disk
    beyond it), then put back: a 200 MB CSV otherwise peaks at over 2 GB."""
    (current,) = conn.execute("select current_setting('memory_limit')").fetchone()
    if _bytes(current) <= limits.memory_mb * MIB:
        yield
        return
    conn.execute(f"set memory_limit = '{limits.memory_mb}MiB'")
    try:
        yield
    finally:
        # the setting reads back rounded ("18.8 GiB"): DuckDB's default is restored exactly
        conn.execute("reset memory_limit")
        if conn.execute("select current_setting('memory_limit')").fetchone()[0] != current:
            conn.execute(f"set memory_limit = '{current}'")


def _bytes(setting: str) -> float:
    """'18.8 GiB' → bytes; an unlimited or unreadable setting counts as no limit."""
    match = re.fullmatch(r"\s*([\d.]+)\s*([A-Za-z]*)\s*", setting or "")
    if not match or match[2].lower() not in _UNITS:
        return float("inf")
    return float(match[1]) * _UNITS[match[2].lower()]


def _load_batch(
    conn: duckdb.DuckDBPyConnection,
    group: list[_Pending],
    limits: Limits,
    ahead: _Ahead | None = None,
):
    """Parse a group of same-layout files at once (or take their parse ``ahead``), then load
    them; yields (file, result)."""
    first = group[0]
    try:
        parsed = ahead.future.result() if ahead else _parse(conn, group)
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the inbox
        if len(group) > 1 or ahead:
            # one damaged file spoils a shared read: its halves are read apart, and so on
            # until it is alone (twice the batch's parse, not one parse per file); a failed
            # parse ahead is also done again here, so the file fails as it would have alone
            half = (len(group) + 1) // 2
            yield from _load_batch(conn, group[:half], limits)
            if group[half:]:
                yield from _load_batch(conn, group[half:], limits)
            return
        if isinstance(exc, duckdb.OutOfMemoryException):
            yield first, _retry_later(first.name, exc, limits)
        else:
            yield first, _fail(conn, first.digest, first.name, first.archived, exc)
        return
    kind = first.detected.kind
    tables = f"{ahead.schema}." if ahead else ""
    periods = {}
    if kind.dated:
        # a summary ads report's rows span Start Date..End Date: its period ends at the last End
        last = f"coalesce({kind.period_end}, {kind.period})" if kind.period_end else kind.period
        periods = {
            name: (start, end)
            for name, start, end in conn.execute(
                f"select source_file, min({kind.period}), max({last}) "
                f"from {tables}parsed_rows group by all"
            ).fetchall()
        }
    variants = _variants(conn, kind, group, tables)
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
        key = (pending.account_id, start, end, variants.get(pending.name))
        if any((p.account_id, s, e, variants.get(p.name)) == key for p, s, e in chunks[-1]):
            chunks.append([])
        chunks[-1].append((pending, start, end))
    for chunk in filter(None, chunks):
        try:
            results = _load_files(conn, kind, chunk, parsed, variants, tables)
        except (duckdb.Error, OSError) as exc:
            results = [_retry_later(pending.name, exc, limits) for pending, _, _ in chunk]
        yield from zip((pending for pending, _, _ in chunk), results, strict=True)


# an earlier export of the same account, report and period, loaded and not yet replaced
SAME_PERIOD = (
    "log.kind = batch.kind and log.account_id = batch.account_id "
    "and log.period_start = batch.period_start and log.period_end = batch.period_end "
    "and log.variant is not distinct from batch.variant"
)
SAME_EXPORT = f"{SAME_PERIOD} and log.status in ('loaded', 'loaded_with_rejects')"


def _variants(
    conn: duckdb.DuckDBPyConnection, kind: Kind, group: list[_Pending], tables: str = ""
) -> dict[str, str]:
    """Each file's variant: its values of the kind's ``variant`` columns (in
    ``{tables}parsed_rows``) and its header language, e.g. 'manufacturing/retail/en' or
    'sourcing/fresh/api'; nothing for a kind without variant columns.

    A Manufacturing and a Sourcing view, or the Retail and the Fresh programme, of one Vendor
    Central week are different reports, and its SP-API JSON (with aggregate rows, without
    titles) and its CSV or XLSX download are two shapes of one report that staging counts
    once: neither replaces the other, nor is held as less complete than the other."""
    if not kind.variant:
        return {}
    parts = ", ".join(f"coalesce(min({c}), '')" for c in kind.variant)
    found = {
        name: values
        for name, *values in conn.execute(
            f"select source_file, {parts} from {tables}parsed_rows group by all"
        ).fetchall()
    }
    return {
        p.name: "/".join([*found.get(p.name, [""] * len(kind.variant)), p.detected.locale])
        for p in group
    }


@dataclass(frozen=True)
class _Loaded:
    """What the log knows of an export a new file would replace."""

    name: str
    rows_read: int
    rows_loaded: int
    columns: int | None


def _shortfall(row: dict, old: _Loaded) -> list[str]:
    """How ``row`` (a new file) is less complete than ``old``; empty when it is not."""
    short = []
    if row["rows_read"] < old.rows_read:
        short.append(f"{row['rows_read']:,} rows instead of {old.rows_read:,}")
    elif row["rows_loaded"] < old.rows_loaded:
        short.append(f"{row['rows_loaded']:,} rows loadable instead of {old.rows_loaded:,}")
    if old.columns is not None and row["columns_read"] < old.columns:
        short.append(f"{row['columns_read']} known columns instead of {old.columns}")
    return short


def _held_message(row: dict, pending: _Pending, kind: Kind, old: _Loaded, short: list[str]):
    held, good = pending.name, old.name
    folder, _, base = held.rpartition("/")
    period = (
        f"the week of {row['week_start']}"
        if not kind.dated
        else f"{row['period_start']} to {row['period_end']}"
    )
    return (
        f"{held} was not loaded: it is less complete than {good}, the {kind.label} already "
        f"loaded for {row['account_id']}, {period} ({', '.join(short)}). It looks cut off or "
        f"empty, so the pack waits. If {held} is incomplete, delete it from the inbox (the "
        f"next ingest releases the pack, with the data of {good}) or download the complete "
        f"report again into {folder}/. If {held} is right as it is, rename it to "
        f"{folder}/{REPLACE_PREFIX}{base}: the next ingest loads it in place of {good}."
    )


def _load_files(
    conn: duckdb.DuckDBPyConnection,
    kind: Kind,
    chunk: list[tuple[_Pending, date, date]],
    parsed: dict[str, ParsedFile],
    variants: dict[str, str],
    tables: str = "",
) -> list[FileResult]:
    """Load parsed files (``{tables}parsed_rows`` and ``parsed_rejects``) in one transaction
    with a few set-based statements: each supersedes the earlier exports of its account, report
    and period, then its rows, rejects and log row go in. A crash leaves the warehouse as it
    was.

    A file less complete than the export it would replace is held instead: logged
    ``held_incomplete`` with a message naming both, its rows left out, the earlier export
    kept."""
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
            "week_start": _week_of(kind, pending.week, start, end),
            "period_start": start,
            "period_end": end,
            "rows_read": parsed[pending.name].rows_read,
            "rows_loaded": parsed[pending.name].rows_loaded,
            "rows_rejected": parsed[pending.name].rows_rejected,
            "status": "loaded_with_rejects" if parsed[pending.name].rows_rejected else "loaded",
            "message": "",
            "loaded_at": now,
            "ignored_columns": pending.detected.ignored,
            "columns_read": len(pending.detected.positions),
            "attribution_days": pending.detected.attribution_days,
            "header_currency": pending.detected.header_currency,
            "variant": variants.get(pending.name),
        }
        for pending, start, end in chunk
    ]
    frame = pd.DataFrame(rows)
    conn.register("batch", frame)
    try:
        # the exports each file would replace, and the files held in its period: most weeks
        # there are none, and the statements that supersede them are left out (each costs
        # a few ms, times a batch per kind and language)
        previous: dict[str, list[_Loaded]] = {}
        held_in_period: set[str] = set()
        for name, status, *old in conn.execute(
            "select batch.source_file, log.status, log.source_file, log.rows_read, "
            "log.rows_loaded, log.columns_read from batch inner join raw.ingest_log as log "
            f"on {SAME_PERIOD} and log.status in ('loaded', 'loaded_with_rejects', '{HELD}') "
            "order by log.source_file"
        ).fetchall():
            if status == HELD:
                held_in_period.add(name)
            else:
                previous.setdefault(name, []).append(_Loaded(*old))
        for (pending, _, _), row in zip(chunk, rows, strict=True):
            earlier = previous.get(row["source_file"], [])
            worse = next(((old, short) for old in earlier if (short := _shortfall(row, old))), None)
            if worse and not pending.replaces_anyway:
                message = _held_message(row, pending, kind, *worse)
                # like a failed file: nothing of it counts as read until it is loaded
                row.update(
                    status=HELD, message=message, rows_read=0, rows_loaded=0, rows_rejected=0
                )
                continue
            notes = [f"replaces {', '.join(old.name for old in earlier)}"] if earlier else []
            if row["rows_rejected"]:
                notes.append(f"{row['rows_rejected']} rows rejected (see raw.rejects)")
            row["message"] = "; ".join(notes)
        frame = pd.DataFrame(rows)
        loading = frame[frame["status"] != HELD]
        conn.register("batch", loading)
        columns = ", ".join(kind.columns)
        names = set(loading["source_file"])
        conn.execute("begin")
        try:
            if names & previous.keys():
                conn.execute(
                    f"delete from raw.{kind.table} where file_hash in (select log.file_hash "
                    f"from batch inner join raw.ingest_log as log on {SAME_EXPORT})"
                )
                conn.execute(
                    "update raw.ingest_log as log set status = 'superseded', "
                    "message = 'replaced by ' || batch.source_file from batch "
                    f"where {SAME_EXPORT}"
                )
            if names & held_in_period:  # a file held against the replaced export is settled
                conn.execute(
                    "update raw.ingest_log as log set status = 'superseded', "
                    "message = 'replaced by ' || batch.source_file from batch "
                    f"where {SAME_PERIOD} and log.status = '{HELD}'"
                )
            conn.execute(
                f"insert into raw.{kind.table} (account_id, period_start, period_end, locale, "
                f"attribution_days, header_currency, {columns}, source_file, source_line, "
                f"file_hash, loaded_at) select batch.account_id, batch.period_start, "
                f"batch.period_end, batch.locale, batch.attribution_days, "
                f"batch.header_currency, {', '.join(f'parsed_rows.{c}' for c in kind.columns)}, "
                "parsed_rows.source_file, parsed_rows.source_line, batch.file_hash, "
                f"batch.loaded_at from {tables}parsed_rows inner join batch using (source_file)"
            )
            if loading["rows_rejected"].any():
                conn.execute(
                    "insert into raw.rejects select batch.file_hash, parsed_rejects.source_file, "
                    f"source_line, column_name, value, reason from {tables}parsed_rejects "
                    "inner join batch using (source_file) "
                    "order by parsed_rejects.source_file, source_line"
                )
            conn.register("batch", frame)
            conn.execute(
                "insert into raw.ingest_log (file_hash, source_file, archived_as, kind, locale, "
                "encoding, account_id, week_start, period_start, period_end, rows_read, "
                "rows_loaded, rows_rejected, status, message, loaded_at, ignored_columns, "
                "columns_read, variant) select file_hash, source_file, archived_as, kind, "
                "locale, encoding, account_id, week_start, period_start, period_end, "
                "rows_read, rows_loaded, rows_rejected, status, message, loaded_at, "
                "ignored_columns::varchar[], columns_read, variant from batch"
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
            "replaced"
            if row["source_file"] in previous and row["status"] != HELD
            else row["status"],
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


def _week_of(kind: Kind, folder: date | None, start: date, end: date) -> date:
    """The week a file is logged under: its week folder's, else its first day's; a kind that
    says ``week_start: period_middle`` takes the Monday week holding the middle day of its own
    period wherever it sits, so a Sunday-Saturday Vendor Central week lands in the week
    holding six of its days."""
    if kind.week_start == "period_middle":
        return week_start(start + timedelta(days=(end - start).days // 2))
    return folder or week_start(start)


def _fail(
    conn: duckdb.DuckDBPyConnection, digest: str, name: str, archived: str, exc: Exception
) -> FileResult:
    """Log a file that cannot be loaded, with a message that says what to do."""
    message = shown(
        str(exc)
        if isinstance(exc, ExportError)
        else (
            f"{name}: could not be read ({type(exc).__name__}: {str(exc).splitlines()[0]}); "
            "check that it is an unmodified Amazon export"
        )
    )
    conn.execute("begin")
    # another run may have logged the same bytes since this one looked: theirs stands
    (known,) = conn.execute(
        "select count(*) from raw.ingest_log where file_hash = ?", [digest]
    ).fetchone()
    if not known:
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
