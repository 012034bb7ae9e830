"""Resources shared by the assets: the working directory, the warehouse and the mail server."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

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
        )


# the executors that run a job's steps one after another in the run's process: the job's own,
# and the one ``execute_in_process`` (the command line, the tests, the benchmark) puts in its place
IN_PROCESS = {dg.in_process_executor.name, "execute_in_process_executor"}

# every asset and check that writes to the warehouse: a team's instance (docs/team/dagster.yaml)
# runs one run holding this pool at a time, as DuckDB takes one writer process
WAREHOUSE_POOL = "warehouse"


def warehouse_resource(paths: Paths) -> DuckDBResource:
    paths.home.mkdir(parents=True, exist_ok=True)
    return DuckDBResource(database=str(paths.warehouse), connection_config=OFFLINE)


@contextmanager
def read_only_connection(
    warehouse: DuckDBResource, wait_s: float = 120.0
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse opened read-only, as the pack shards read it: any number of processes may
    read at once, but not while one writes. A writer still at work (a check step beside the
    shards under the multiprocess executor) holds the file a moment: wait for it, up to
    ``wait_s``, as ``DuckDBResource`` does for writers."""
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
