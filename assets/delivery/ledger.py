"""The delivery ledger: one row per week × pack × recipient, the only memory of what was sent.

A row's ``status`` moves as follows (docs/reliability.md "Delivery" has the reasoning):

```
(no row) ──────────────┬──► sent       the server answered 250 to the message / the .eml exists
failed ── next run ────┤
queued ── next run ────┘
          (SMTP) ──► sending ──► sent      250 after the end of DATA (written before QUIT)
                        │  ├──► failed     refused before/at DATA, 4xx after it: not accepted
                        │  ├──► rejected   5xx for this recipient or message: never retried
                        │  └──► in_doubt   the whole message went out and no reply came back
                        └── run killed ──► in_doubt (the next run finds "sending" and says so)
in_doubt, rejected ── `sellerpulse deliveries resolve … --sent` ──► sent
                   └─ `sellerpulse deliveries resolve … --resend` ──► queued
sent ── the pack changed since (its sha256) ──► sent again as revision n + 1, the same way
```

A revised version is a new message (its Message-ID follows the pack's sha256); ``figures``
keeps the headline figures of the version the recipient last got, which the revised mail
quotes before → after.

``sending`` is committed before the DATA command, so a run killed at any point of an SMTP
transaction leaves either a row that provably was not accepted (no row, ``failed``) or one
that might have been (``sending``), which is never sent again without a person deciding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb

DDL = """
create schema if not exists delivery;
create table if not exists delivery.ledger (
    week_start date not null,
    pack varchar not null,
    recipient varchar not null,
    pack_sha256 varchar not null,
    status varchar not null,
    attempts integer not null,
    message_id varchar,
    detail varchar,
    updated_at timestamp not null,
    primary key (week_start, pack, recipient)
);
-- a pack sent again because it changed (0: the first version), and the headline figures of
-- the version the recipient last got (a revision's mail says what changed)
alter table delivery.ledger add column if not exists revision integer default 0;
alter table delivery.ledger add column if not exists figures varchar;
"""
COLUMNS = (
    "week_start, pack, recipient, pack_sha256, status, attempts, message_id, detail, "
    "updated_at, revision, figures"
)
UPDATED = COLUMNS.split(", ", 3)[3]  # every column but the key's

SENT = "sent"
SENDING = "sending"
IN_DOUBT = "in_doubt"
FAILED = "failed"
REJECTED = "rejected"
QUEUED = "queued"
STATUSES = (SENT, SENDING, IN_DOUBT, FAILED, REJECTED, QUEUED)
# the server may hold the message: never sent again until a person resolves it
DOUBTFUL = (SENDING, IN_DOUBT)
# the server provably does not hold the message: the next run sends it
TO_SEND = (FAILED, QUEUED)

Key = tuple[date, str, str]  # week_start, pack, recipient


@dataclass(frozen=True)
class Row:
    week_start: date
    pack: str
    recipient: str
    pack_sha256: str
    status: str
    attempts: int
    message_id: str | None
    detail: str | None
    updated_at: datetime
    revision: int = 0
    figures: str | None = None

    @property
    def key(self) -> Key:
        return (self.week_start, self.pack, self.recipient)


def ensure(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(DDL)


def get(conn: duckdb.DuckDBPyConnection, key: Key) -> Row | None:
    found = conn.execute(
        f"select {COLUMNS} from delivery.ledger where week_start = ? and pack = ? "
        "and recipient = ?",
        list(key),
    ).fetchone()
    return Row(*found) if found else None


def record(
    conn: duckdb.DuckDBPyConnection,
    key: Key,
    *,
    pack_sha256: str,
    status: str,
    attempts: int,
    message_id: str | None,
    detail: str,
    revision: int = 0,
    figures: str | None = None,
) -> None:
    """Write one row, committed before this returns (the connection is in autocommit mode).
    An update, else an insert: a key's rows are written by one thread, one after another, and
    DuckDB's ``insert or replace`` costs three times as much (2.3 against 0.7 ms a row, two
    rows per mail)."""
    assert status in STATUSES, status
    values = [pack_sha256, status, attempts, message_id, detail, _now(), revision, figures]
    (updated,) = conn.execute(
        f"update delivery.ledger set ({UPDATED}) = (?, ?, ?, ?, ?, ?, ?, ?) "
        "where week_start = ? and pack = ? and recipient = ?",
        [*values, *key],
    ).fetchone()
    if not updated:
        conn.execute(
            f"insert into delivery.ledger ({COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [*key, *values],
        )


def mark_interrupted(conn: duckdb.DuckDBPyConnection, row: Row) -> Row:
    """A ``sending`` row found by a later run: that run stopped after DATA began, without
    recording the server's answer. Said as ``in_doubt``, which a person resolves."""
    detail = (
        f"the run that started DATA at {row.updated_at:%Y-%m-%d %H:%M:%S} ended before "
        "recording the server's reply (killed or crashed); the server may have the message"
    )
    conn.execute(
        "update delivery.ledger set status = ?, detail = ?, updated_at = ? "
        "where week_start = ? and pack = ? and recipient = ? and status = ?",
        [IN_DOUBT, detail, _now(), *row.key, SENDING],
    )
    return get(conn, row.key) or row


def rows(
    conn: duckdb.DuckDBPyConnection,
    *,
    week: date | None = None,
    statuses: tuple[str, ...] = STATUSES,
) -> list[Row]:
    ensure(conn)
    where = f"status in ({', '.join('?' for _ in statuses)})"
    params: list[object] = list(statuses)
    if week:
        where += " and week_start = ?"
        params.append(week)
    found = conn.execute(
        f"select {COLUMNS} from delivery.ledger where {where} order by week_start, pack, recipient",
        params,
    ).fetchall()
    return [Row(*r) for r in found]


class ResolveError(ValueError):
    """A resolve command that does not apply to the row; the message says why."""


def resolve(conn: duckdb.DuckDBPyConnection, key: Key, *, sent: bool) -> Row:
    """A person's verdict on a delivery the pipeline will not decide alone: ``sent`` (the
    recipient has it) or not (``queued``: the next run of that week sends it again, with the
    same Message-ID when the pack is unchanged)."""
    ensure(conn)
    row = get(conn, key)
    week, pack, recipient = key
    if row is None:
        raise ResolveError(f"no delivery of {pack} to {recipient} for week {week} in the ledger")
    if row.status == SENT:
        raise ResolveError(
            f"{pack} to {recipient} for week {week} is already sent ({row.detail}); nothing to do"
        )
    was = f"was {row.status}: {row.detail}"
    if sent:
        status, detail = SENT, f"marked sent by hand ({was})"
    else:
        status, detail = QUEUED, f"queued for the next run by hand ({was})"
    record(
        conn,
        key,
        pack_sha256=row.pack_sha256,
        status=status,
        attempts=row.attempts,
        message_id=row.message_id,
        detail=detail,
        revision=row.revision,
        figures=row.figures,
    )
    return get(conn, key) or row


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)
