"""Dagster's SQLite event log, keeping its database connections open (dagster.yaml).

Dagster stores each of a run's events in a transaction of its own: about 460 for one week of
the demo. Its SQLite event log makes a new SQLAlchemy engine and opens the database file again
for every one of them, and for every read. This one keeps an engine per database file for the
life of the process, so a connection is opened once, and remembers the tables it has seen
(Dagster looks again, through a new engine, before storing each asset event). The files, their
tables and what is written are Dagster's own: Dagster's stock storage (a UI started elsewhere,
an older checkout) reads them as ever. Measured on the S week: the run about a fifth faster
(docs/benchmarks.md, session 30).

What stays open is bounded, as the UI reads the event logs of many runs, one file each: the
index database and the last ``KEPT_RUNS`` runs' files; an older run's engine is closed. An
engine is never used by a process other than the one that made it: forked children (the
packs' render workers, a step of the multiprocess executor) open their own, and leave their
parent's alone.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
from dagster._config import Field, StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SQLITE_BUSY_TIMEOUT_SECONDS,
)
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    SqliteEventLogStorage as DagsterSqliteEventLogStorage,
)
from sqlalchemy import Connection, Engine, create_engine

KEPT_RUNS = 4  # the run being written, and a few the UI is showing


class SqliteEventLogStorage(DagsterSqliteEventLogStorage):
    """Dagster's SQLite event log with its engines kept for the process.

    ``base_dir`` defaults to Dagster's own place for them, ``$DAGSTER_HOME/history/runs``."""

    def __init__(self, base_dir: str | None = None, inst_data=None):
        if base_dir is None:
            if not os.environ.get("DAGSTER_HOME"):
                raise dg.DagsterInvariantViolationError(
                    "pipelines.event_log.SqliteEventLogStorage keeps the event logs under "
                    "$DAGSTER_HOME/history/runs, but DAGSTER_HOME is not set: set it to the "
                    "folder of this dagster.yaml, or give the storage a base_dir in its config"
                )
            base_dir = os.path.join(os.environ["DAGSTER_HOME"], "history", "runs")
        self._engines: OrderedDict[tuple[int, str], Engine] = OrderedDict()
        self._tables: set[str] = set()
        super().__init__(base_dir, inst_data)

    @classmethod
    def config_type(cls):
        return {"base_dir": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        # as Dagster's: one connection at a time per storage, in a transaction of its own
        with self._db_lock:
            with self._engine(shard).connect() as conn, conn.begin():
                yield conn

    def _engine(self, shard: str) -> Engine:
        """This process's engine for ``shard``'s file, made (and the file's tables created) on
        first use; called under ``_db_lock``."""
        pid = os.getpid()
        key = (pid, shard)
        engine = self._engines.get(key)
        if engine is not None:
            self._engines.move_to_end(key)
            return engine
        engine = create_engine(
            self.conn_string_for_shard(shard),
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
        )
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        self._engines[key] = engine
        runs = [k for k in self._engines if k[0] == pid and k[1] != INDEX_SHARD_NAME]
        for old in runs[:-KEPT_RUNS]:
            self._engines.pop(old).dispose()
        return engine

    def has_table(self, table_name: str) -> bool:
        # Dagster asks before storing every asset event and check evaluation, with a new engine
        # each time; a table once there stays (an upgrade only adds them)
        if table_name not in self._tables:
            if not super().has_table(table_name):
                return False
            self._tables.add(table_name)
        return True

    def wipe(self) -> None:
        # Dagster deletes the runs' files: their open connections go first
        with self._db_lock:
            self._close_engines(keep_index=True)
        super().wipe()

    def dispose(self) -> None:
        with self._db_lock:
            self._close_engines(keep_index=False)
        super().dispose()

    def _close_engines(self, keep_index: bool) -> None:
        """Close this process's engines, the index's too unless ``keep_index``."""
        pid = os.getpid()
        for key in [k for k in self._engines if k[0] == pid]:
            if not (keep_index and key[1] == INDEX_SHARD_NAME):
                self._engines.pop(key).dispose()
