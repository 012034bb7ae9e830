"""Shared fixtures: a throwaway working directory with accounts, and a warehouse connection."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import threading
from pathlib import Path

import duckdb
import pytest
from aiosmtpd.controller import Controller

from assets.core.settings import Paths, load_accounts

# tests never use the Dagster instance `make` points DAGSTER_HOME at (two test workers would
# share its run storage): runs in process use a throwaway one, and the `home` fixture gives
# the command line an instance of its own
os.environ.pop("DAGSTER_HOME", None)

FIXTURES = Path(__file__).parent / "fixtures"
EXPORTS = FIXTURES / "exports"
WEEK = "2026-11-16"

ACCOUNTS_YAML = """
portfolios:
  - {id: eu, name: EU brands, base_currency: EUR, bosses: [lead@agency.example]}
  - {id: apac, name: APAC, base_currency: USD, bosses: [boss@agency.example]}
accounts:
  - {id: oak-uk, name: Oak & Co <UK>, marketplace: UK, language: en, portfolio: eu,
     recipients: [owner@oak.example, ops@oak.example], targets: {acos: 0.3}}
  - {id: messer-de, name: Messerwerk DE, marketplace: DE, language: de, portfolio: eu,
     recipients: [owner@messer.example]}
  - {id: ocha-jp, name: Ocha Japan, marketplace: JP, language: ja, portfolio: apac,
     recipients: [owner@ocha.example]}
"""


def make_home(root: Path) -> Paths:
    """A working directory with three accounts (UK/en, DE/de, JP/ja) and an empty inbox."""
    (root / "accounts.yaml").write_text(ACCOUNTS_YAML, "utf-8")
    return Paths(root.resolve()).ensure()


# a test's Dagster instance: runs in SQLite as on a user's machine, events in memory (SQLite
# stores them one transaction each: about 8 s more for one weekly run)
TEST_INSTANCE = """
event_log_storage:
  module: dagster._core.storage.event_log
  class: InMemoryEventLogStorage
telemetry:
  enabled: false
"""


def dagster_home(folder: Path) -> Path:
    """A DAGSTER_HOME for the command line's runs in a test."""
    folder.mkdir(exist_ok=True)
    (folder / "dagster.yaml").write_text(TEST_INSTANCE)
    return folder


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    """``make_home`` in a fresh folder, set as ``SELLERPULSE_HOME``, with a Dagster instance
    of its own (``DAGSTER_HOME``)."""
    monkeypatch.setenv("SELLERPULSE_HOME", str(tmp_path))
    # the command line's runs go to this test's own Dagster instance
    monkeypatch.setenv("DAGSTER_HOME", str(dagster_home(tmp_path / "dagster")))
    monkeypatch.delenv("SELLERPULSE_ACCOUNTS", raising=False)
    monkeypatch.delenv("SELLERPULSE_SMTP_HOST", raising=False)
    return make_home(tmp_path)


@pytest.fixture
def accounts(home: Paths):
    return load_accounts(home.accounts_file)


@pytest.fixture
def conn(home: Paths):
    connection = duckdb.connect(str(home.warehouse))
    yield connection
    connection.close()


def drop(
    home: Paths, fixture: str, account: str, week: str | None = WEEK, name: str | None = None
) -> Path:
    """Put a fixture export into the inbox as a user would."""
    folder = home.inbox / account / week if week else home.inbox / account
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (name or fixture)
    shutil.copyfile(EXPORTS / fixture, target)
    return target


def newer_than_cursor(path: Path, cursor: str) -> Path:
    """``path`` made newer than every file the inbox sensor's ``cursor`` has acted on."""
    stamp = max(json.loads(cursor).values()) + 10
    os.utime(path, (stamp, stamp))
    return path


def delivery_counts(**given) -> dict[str, int]:
    """What ``deliver`` returns: every count 0 but those given."""
    return {
        "sent": 0,
        "revised": 0,
        "already_sent": 0,
        "failed": 0,
        "rejected": 0,
        "in_doubt": 0,
        **given,
    }


def drop_all_fixtures(home: Paths) -> None:
    drop(home, "uk_business_report.csv", "oak-uk")
    drop(home, "de_business_report.csv", "messer-de")
    drop(home, "ja_business_report.csv", "ocha-jp")


class Inbox:
    """An SMTP server's mailbox: what it accepted, as (recipients, raw message)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


# SMTP servers that misbehave in the ways delivery must survive (tests/unit/test_delivery_*.py)


class Answer(Inbox):
    """Answers the end of DATA with ``reply`` (e.g. "451 4.3.0 try later", "554 5.7.1 no")
    for the first ``times`` messages, then accepts; what it refused is not in ``messages``."""

    def __init__(self, reply: str, times: int = 10**6):
        super().__init__()
        self.reply, self.times, self.refused = reply, times, 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.refused < self.times:
            self.refused += 1
            return self.reply
        return await super().handle_DATA(server, session, envelope)


class RefuseRecipient(Inbox):
    """Answers RCPT TO with ``reply`` for the addresses in ``refused``."""

    def __init__(self, reply: str, refused: set[str]):
        super().__init__()
        self.reply, self.refused = reply, refused

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refused:
            return self.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"


class DropAfterData(Inbox):
    """Takes the whole message, then closes the connection instead of answering: the reply
    is lost, the message is at the server. Answers normally once ``misbehaving`` is False."""

    misbehaving = True

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        reply = await super().handle_DATA(server, session, envelope)
        if self.misbehaving:
            server.transport.abort()  # the 250 below never reaches the client
        return reply


class SilentAfterData(Inbox):
    """Takes the whole message and keeps quiet longer than the client waits."""

    misbehaving = True

    def __init__(self, silence: float = 3.0):
        super().__init__()
        self.silence = silence

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        reply = await super().handle_DATA(server, session, envelope)
        if self.misbehaving:
            await asyncio.sleep(self.silence)
        return reply


class StallOnQuit(Inbox):
    """Accepts the message with 250, then never answers QUIT in time."""

    async def handle_QUIT(self, server, session, envelope):  # noqa: N802
        await asyncio.sleep(3)
        return "221 Bye"


class HoldAfterData(Inbox):
    """Takes the message, says so through ``received`` (a threading.Event) and holds its 250
    until ``release`` is set: the moment to kill the client."""

    def __init__(self):
        super().__init__()
        self.received, self.release = threading.Event(), threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        reply = await super().handle_DATA(server, session, envelope)
        self.received.set()
        while not self.release.is_set():
            await asyncio.sleep(0.01)
        return reply


@pytest.fixture
def start_smtp():
    """``start_smtp(handler, port=None) -> Controller``: an SMTP server on loopback with that
    handler, stopped after the test."""
    started = []

    def start(handler, port: int | None = None) -> Controller:
        controller = Controller(handler, hostname="127.0.0.1", port=port or free_port())
        controller.start()
        started.append(controller)
        return controller

    yield start
    for controller in started:
        controller.stop()


# the modules that run the weekly job end to end take most of the suite's time, and the render
# tests (about 20 s) would otherwise come last: started first, the two workers share the rest
# instead of one of them finishing a long module alone at the end
LONGEST_FIRST = (
    "test_demo_weekly_run.py",
    "test_crash.py",
    "test_team_deployment.py",
    "test_multiprocess_executor.py",
    "test_render.py",
    "test_revised_packs.py",
    "test_blocking_check.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def order(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=order)  # stable: each module's tests keep their order
