"""Resources shared by the assets: the working directory, the warehouse and the mail server."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb
from dagster._utils.backoff import backoff
from dagster_duckdb import DuckDBResource
from pydantic import PrivateAttr

from assets.core.settings import Accounts, Paths, load_accounts

# DuckDB must never download at run time: only built-in extensions (json, parquet, icu).
OFFLINE = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


class SellerPulseHome(dg.ConfigurableResource):
    """The working directory (``SELLERPULSE_HOME``) and the accounts configured in it."""

    home: str = ""

    @property
    def paths(self) -> Paths:
        return Paths.from_env(self.home or None).ensure()

    def accounts(self) -> Accounts:
        return load_accounts(self.paths.accounts_file)


class SmtpResource(dg.ConfigurableResource):
    """The mail server packs are sent through; without a host they are written as .eml files
    to the outbox. Read from ``SELLERPULSE_SMTP_*`` when the definitions load (README
    "Configuration"); the password stays an environment variable, never shown in the UI."""

    host: str = ""
    port: int = 587
    user: str = ""
    password: str = ""
    starttls: bool = True
    sender: str = "SellerPulse <reports@sellerpulse.invalid>"
    timeout: float = 30.0  # seconds to connect and for each reply of the server
    sessions: int = 4  # messages sent at a time, each in a session of its own

    @classmethod
    def from_env(cls) -> SmtpResource:
        env = os.environ
        return cls(
            host=env.get("SELLERPULSE_SMTP_HOST", ""),
            port=int(env.get("SELLERPULSE_SMTP_PORT", "587")),
            user=env.get("SELLERPULSE_SMTP_USER", ""),
            password=dg.EnvVar("SELLERPULSE_SMTP_PASSWORD")
            if env.get("SELLERPULSE_SMTP_PASSWORD")
            else "",
            starttls=env.get("SELLERPULSE_SMTP_STARTTLS", "1") not in ("0", "false"),
            sender=env.get("SELLERPULSE_MAIL_FROM", cls.model_fields["sender"].default),
            timeout=float(env.get("SELLERPULSE_SMTP_TIMEOUT", "30")),
            sessions=max(1, int(env.get("SELLERPULSE_SMTP_SESSIONS", "4"))),
        )


# the executors that run a job's steps one after another in the run's process: the job's own,
# and the one ``execute_in_process`` (the command line, the tests, the benchmark) puts in its place
IN_PROCESS = {dg.in_process_executor.name, "execute_in_process_executor"}


def runs_here_later(job: dg.JobDefinition, node: str) -> bool:
    """Whether ``node`` (a step's op or graph) is in ``job`` and would run in this process, as
    the steps after the running one do under an in-process executor: work for it may start
    ahead, here."""
    return job.executor_def.name in IN_PROCESS and node in job.graph.node_names()


def asset_runs_here_later(job: dg.JobDefinition, run: dg.DagsterRun, key: dg.AssetKey) -> bool:
    """Whether the step of asset ``key`` runs later in this process (``runs_here_later``) and
    this run materialises it (a run without a selection: every asset of its job)."""
    selection = run.asset_selection
    return runs_here_later(job, key.to_python_identifier()) and (not selection or key in selection)


# every asset and check that writes to the warehouse: a team's instance (docs/team/dagster.yaml)
# runs one run holding this pool at a time, as DuckDB takes one writer process
WAREHOUSE_POOL = "warehouse"


class Warehouse(DuckDBResource):
    """The warehouse file, as ``DuckDBResource``; with ``hold_open`` (runs whose steps share
    one process: the default executor) the first step that connects opens it and it stays
    open until ``release()`` or the end of the run, each connection after that being a cursor
    of it. Opening the file and the checkpoint on closing it cost about 40 ms, a cursor 1 ms,
    and a weekly run connects about 60 times; a cursor has its own transactions and temporary
    tables, as a connection of its own would. Under executors that start a process per step,
    each connection is opened and closed as ``DuckDBResource`` does."""

    hold_open: bool = False
    _held: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)

    def _open(self) -> duckdb.DuckDBPyConnection:
        # as DuckDBResource: another process writing holds the file a moment, so retry
        return backoff(
            fn=duckdb.connect,
            retry_on=(RuntimeError, duckdb.IOException),
            kwargs={"database": self.database, "config": self.connection_config},
            max_retries=10,
        )

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if not self.hold_open:
            conn = self._open()
        else:
            if self._held is None:
                self._held = self._open()
            conn = self._held.cursor()
        try:
            yield conn
        finally:
            conn.close()

    @property
    def held(self) -> duckdb.DuckDBPyConnection | None:
        return self._held

    def release(self) -> None:
        """Close the held warehouse (a checkpoint), so other processes may open it: before the
        long read-only part of a run, and at its end."""
        if self._held is not None:
            self._held.close()
            self._held = None

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        self.release()


def warehouse_resource(paths: Paths, hold_open: bool = False) -> Warehouse:
    paths.home.mkdir(parents=True, exist_ok=True)
    return Warehouse(database=str(paths.warehouse), connection_config=OFFLINE, hold_open=hold_open)


@contextmanager
def read_only_connection(
    warehouse: Warehouse, wait_s: float = 120.0
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse opened read-only, as the pack shards read it: any number of processes may
    read at once, but not while one writes. A writer still at work (a check step beside the
    shards under the multiprocess executor) holds the file a moment: wait for it, up to
    ``wait_s``, as ``DuckDBResource`` does for writers. Where this process holds the warehouse
    open (``Warehouse.hold_open``), a cursor of it: DuckDB opens a file once per process."""
    if warehouse.held is not None:
        cursor = warehouse.held.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
        return
    deadline, delay = time.monotonic() + wait_s, 0.05
    while True:
        try:
            conn = duckdb.connect(
                warehouse.database, read_only=True, config=warehouse.connection_config
            )
            break
        except duckdb.IOException:
            if time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 2.0)
    try:
        yield conn
    finally:
        conn.close()


class ThreadCursors:
    """A cursor of ``conn`` for each thread that asks (``get``), made on its first request: a
    DuckDB connection must not run statements from two threads at once, and a cursor is a
    session of its own on the same database (its own transaction, temp tables, variables).
    ``with ThreadCursors(conn) as cursors:`` closes them all at the end."""

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.conn = conn
        self.made: list[duckdb.DuckDBPyConnection] = []
        self._local = threading.local()

    def get(self) -> duckdb.DuckDBPyConnection:
        if not hasattr(self._local, "cursor"):
            self._local.cursor = self.conn.cursor()
            self.made.append(self._local.cursor)
        return self._local.cursor

    def interrupt(self) -> None:
        """Cut the statement each cursor is running (none: nothing happens)."""
        for cursor in self.made:
            cursor.interrupt()

    def __enter__(self) -> ThreadCursors:
        return self

    def __exit__(self, *exc: object) -> None:
        for cursor in self.made:
            cursor.close()
