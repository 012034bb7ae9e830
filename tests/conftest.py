"""Shared fixtures: a throwaway working directory with accounts, and a warehouse connection."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import duckdb
import pytest
from aiosmtpd.controller import Controller

from assets.core.settings import Paths, load_accounts

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


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    """``make_home`` in a fresh folder, set as ``SELLERPULSE_HOME``."""
    monkeypatch.setenv("SELLERPULSE_HOME", str(tmp_path))
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
