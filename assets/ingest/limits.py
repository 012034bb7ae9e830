"""What one ingest may cost: caps on what an export may expand to, the memory DuckDB may use,
and the folder temporary files go to.

An XLSX of a few MB can declare a sheet of a million rows to column XFD, and JSON can nest
without end; each cap is checked while the file streams, so such a file fails in seconds with
a message naming the cap, the value met and the environment variable that raises it (README
"Configuration"). Temporary files live in ``$SELLERPULSE_HOME/.ingest-tmp/run-*/``, one folder
per run, locked while the run lives: the next run removes any folder whose run is gone (killed,
out of memory), so a crash leaves nothing behind for long.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from assets.core.settings import ConfigError

MB = 1024 * 1024
TEMP_FOLDER = ".ingest-tmp"
RUN_PREFIX = "run-"
LOCK_NAME = ".lock"
# a run folder without its lock file is either being created or was left by a crash
UNLOCKED_GRACE_S = 60
LIMIT_IN_MESSAGE = re.compile(r"\((SELLERPULSE_INGEST_[A-Z_]+)=(\d+)\)")


@dataclass(frozen=True)
class Limits:
    """Caps on one file (XLSX and JSON are converted to CSV; CSV is read by DuckDB as is).

    Defaults sit well above Amazon's largest exports: a year of daily search terms of a big
    account is a few hundred thousand rows of 20–40 columns.
    """

    expanded_mb: int = 1024  # an XLSX's unpacked parts, and the CSV made from XLSX or JSON
    rows: int = 1_048_576  # rows of an XLSX sheet or JSON records (Excel's own maximum)
    columns: int = 1_000  # columns of a header or a sheet row
    json_mb: int = 128  # a JSON file, before it is parsed (parsing costs ~10× its size)
    json_depth: int = 20  # nesting of JSON objects and lists (Amazon's reports: 5)
    memory_mb: int = 1024  # DuckDB's memory while ingesting; beyond it, it spills to disk

    ENV = {
        "expanded_mb": "SELLERPULSE_INGEST_MAX_EXPANDED_MB",
        "rows": "SELLERPULSE_INGEST_MAX_ROWS",
        "columns": "SELLERPULSE_INGEST_MAX_COLUMNS",
        "json_mb": "SELLERPULSE_INGEST_MAX_JSON_MB",
        "json_depth": "SELLERPULSE_INGEST_MAX_JSON_DEPTH",
        "memory_mb": "SELLERPULSE_INGEST_MEMORY_MB",
    }

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """The defaults, each overridden by its ``SELLERPULSE_INGEST_*`` variable."""
        env = os.environ if env is None else env
        values = {}
        for field in fields(cls):
            name = cls.ENV[field.name]
            text = env.get(name, "").strip().replace("_", "")
            if not text:
                continue
            least = 128 if field.name == "memory_mb" else 1  # DuckDB needs some to work at all
            if not text.isdigit() or int(text) < least:
                raise ConfigError(
                    f"{name}={env[name]!r}: expected a whole number of at least {least} "
                    f"{UNITS[field.name]}"
                )
            values[field.name] = int(text)
        return cls(**values)

    def exceeded(self, name: str, what: str, value: int, field: str) -> LimitExceeded:
        """The error for file ``name`` whose ``what`` reached ``value`` beyond cap ``field``."""
        unit, cap = UNITS[field], getattr(self, field)
        return LimitExceeded(
            f"{name}: {what} {value:,} {unit}, more than the limit of {cap:,} {unit} "
            f"({self.ENV[field]}={cap}). If the export is genuine, raise {self.ENV[field]} "
            "(README, Configuration) and run again; else download it again"
        )

    def changed_since(self, message: str) -> bool:
        """Whether a limit that a logged failure names (``…(SELLERPULSE_INGEST_X=n)``) is set
        differently now: the file is then worth trying again."""
        fields_by_env = {env: field for field, env in self.ENV.items()}
        return any(
            getattr(self, fields_by_env[env]) != int(value)
            for env, value in LIMIT_IN_MESSAGE.findall(message)
            if env in fields_by_env
        )


def in_mb(size: int) -> int:
    """Bytes as whole MB, rounded up: past a cap of 1 MB is 2 MB, not 1."""
    return -(-size // MB)


UNITS = {
    "expanded_mb": "MB",
    "rows": "rows",
    "columns": "columns",
    "json_mb": "MB",
    "json_depth": "levels",
    "memory_mb": "MB",
}


class LimitExceeded(ValueError):
    """A file goes beyond a cap of ``Limits``; the message names it and how to raise it."""


class CappedWriter:
    """A text sink for ``csv.writer`` that stops once ``Limits.expanded_mb`` is written."""

    def __init__(self, handle, limits: Limits, name: str):
        self.handle = handle
        self.limits = limits
        self.name = name
        self.size = 0
        self.cap = limits.expanded_mb * MB

    def write(self, text: str) -> int:
        self.size += len(text)
        if self.size > self.cap:
            raise self.limits.exceeded(
                self.name, "converted to CSV it grows past", in_mb(self.size), "expanded_mb"
            )
        return self.handle.write(text)


class Workspace:
    """This run's folder for temporary files, under ``<home>/.ingest-tmp``.

    The folder holds a lock (``flock``) for as long as the run lives; the kernel drops it when
    the process ends, however it ends. ``Workspace.open`` first removes the folders of runs
    that are gone, then makes this run's; ``close`` removes it.
    """

    def __init__(self, home: Path):
        self.root = home / TEMP_FOLDER
        self.folder: Path | None = None
        self._lock = None
        self.removed: list[str] = []  # stale folders found at open

    def open(self) -> Workspace:
        self.root.mkdir(parents=True, exist_ok=True)
        self.removed = remove_stale(self.root)
        # before the run folders, conversions wrote ".<tag>.<name>.sellerpulse.csv" into the
        # home itself, and a killed run left them there
        for legacy in self.root.parent.glob(".*.sellerpulse.csv"):
            legacy.unlink(missing_ok=True)
            self.removed.append(legacy.name)
        self.folder = Path(tempfile.mkdtemp(prefix=f"{RUN_PREFIX}{os.getpid()}-", dir=self.root))
        self._lock = (self.folder / LOCK_NAME).open("w")
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return self

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> Workspace:
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()


def remove_stale(root: Path) -> list[str]:
    """Remove the run folders under ``root`` whose run is gone; returns their names."""
    removed = []
    for folder in sorted(root.glob(f"{RUN_PREFIX}*")):
        if folder.is_symlink() or not folder.is_dir():
            continue
        lock = folder / LOCK_NAME
        try:
            handle = lock.open("r")
        except FileNotFoundError:
            if time.time() - folder.stat().st_mtime < UNLOCKED_GRACE_S:
                continue  # a run is creating it this very moment
        else:
            with handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # its run is alive
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder.name)
    return removed
