"""Where SellerPulse keeps its files and which accounts it serves.

Everything a run reads or writes lives under one working directory, ``SELLERPULSE_HOME``
(default: the project's ``data/``). The accounts file is ``$SELLERPULSE_HOME/accounts.yaml``
unless ``SELLERPULSE_ACCOUNTS`` points elsewhere. This module has no Dagster imports so that
readers, renderers and the command line can use it directly.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

from assets.core.registry import Marketplace, marketplaces, pack_languages

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ACCOUNT_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


class ConfigError(ValueError):
    """The accounts file or an environment setting is wrong; the message says how to fix it."""


@dataclass(frozen=True)
class Paths:
    """The working directory and the folders inside it."""

    home: Path

    @classmethod
    def from_env(cls, home: str | Path | None = None) -> Paths:
        chosen = home or os.environ.get("SELLERPULSE_HOME") or PROJECT_ROOT / "data"
        return cls(Path(chosen).resolve())

    @property
    def inbox(self) -> Path:
        return self.home / "inbox"

    @property
    def archive(self) -> Path:
        return self.home / "archive"

    @property
    def reports(self) -> Path:
        return self.home / "reports"

    @property
    def outbox(self) -> Path:
        return self.home / "outbox"

    @property
    def warehouse(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def accounts_file(self) -> Path:
        override = os.environ.get("SELLERPULSE_ACCOUNTS")
        return Path(override).resolve() if override else self.home / "accounts.yaml"

    def ensure(self) -> Paths:
        for folder in (self.inbox, self.archive, self.reports, self.outbox):
            folder.mkdir(parents=True, exist_ok=True)
        return self


@dataclass(frozen=True)
class Portfolio:
    id: str
    name: str
    base_currency: str
    bosses: tuple[str, ...]


@dataclass(frozen=True)
class Account:
    id: str
    name: str
    marketplace: Marketplace
    language: str
    portfolio: str
    recipients: tuple[str, ...]
    targets: dict[str, float] = field(default_factory=dict)
    lead_time_days: int = 21

    @property
    def currency(self) -> str:
        return self.marketplace.currency

    @property
    def locale(self) -> str:
        """Babel locale for the pack: the pack language in the marketplace's country."""
        country = self.marketplace.iso_country
        candidate = f"{self.language}_{country}"
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(candidate)
            return candidate
        except (UnknownLocaleError, ValueError):
            return self.language


@dataclass(frozen=True)
class Accounts:
    portfolios: dict[str, Portfolio]
    accounts: dict[str, Account]
    source: Path

    def get(self, account_id: str) -> Account:
        try:
            return self.accounts[account_id]
        except KeyError:
            raise ConfigError(
                f"{self.source}: no account '{account_id}'; known: {', '.join(self.accounts)}"
            ) from None

    def selected(self, ids: list[str] | None) -> list[Account]:
        return [self.get(i) for i in ids] if ids else list(self.accounts.values())


def _require(entry: dict, key: str, where: str) -> object:
    if entry.get(key) in (None, "", []):
        raise ConfigError(f"{where}: '{key}' is missing")
    return entry[key]


def _emails(values: object, where: str) -> tuple[str, ...]:
    if not isinstance(values, list):
        raise ConfigError(f"{where}: expected a list of e-mail addresses, got {values!r}")
    bad = [v for v in values if not isinstance(v, str) or not EMAIL.match(v)]
    if bad:
        raise ConfigError(f"{where}: not an e-mail address: {', '.join(map(str, bad))}")
    return tuple(values)


def load_accounts(path: Path) -> Accounts:
    """Read and validate the accounts file; every problem names the entry and the fix."""
    if not path.is_file():
        raise ConfigError(
            f"accounts file {path} not found: create it (see README 'Configuration') or set "
            "SELLERPULSE_ACCOUNTS; `sellerpulse demo` writes an example"
        )
    try:
        doc = yaml.safe_load(path.read_text("utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    known = marketplaces()
    portfolios: dict[str, Portfolio] = {}
    for i, entry in enumerate(doc.get("portfolios") or []):
        where = f"{path}: portfolios[{i}]"
        pid = str(_require(entry, "id", where))
        portfolios[pid] = Portfolio(
            id=pid,
            name=str(entry.get("name", pid)),
            base_currency=str(_require(entry, "base_currency", where)).upper(),
            bosses=_emails(entry.get("bosses", []), f"{where}.bosses"),
        )
    accounts: dict[str, Account] = {}
    for i, entry in enumerate(doc.get("accounts") or []):
        where = f"{path}: accounts[{i}]"
        aid = str(_require(entry, "id", where))
        if not ACCOUNT_ID.match(aid):
            raise ConfigError(f"{where}: id '{aid}' must use only a-z, 0-9 and '-'")
        if aid in accounts:
            raise ConfigError(f"{where}: id '{aid}' appears twice")
        code = str(_require(entry, "marketplace", where)).upper()
        if code not in known:
            raise ConfigError(f"{where}: marketplace '{code}' unknown; known: {', '.join(known)}")
        language = str(entry.get("language", "en"))
        if language not in pack_languages():
            raise ConfigError(
                f"{where}: language '{language}' not one of {', '.join(pack_languages())} "
                "(pack languages: assets/core/registry/languages.yaml)"
            )
        portfolio = str(_require(entry, "portfolio", where))
        if portfolio not in portfolios:
            raise ConfigError(f"{where}: portfolio '{portfolio}' is not in 'portfolios'")
        accounts[aid] = Account(
            id=aid,
            name=str(entry.get("name", aid)),
            marketplace=known[code],
            language=language,
            portfolio=portfolio,
            recipients=_emails(entry.get("recipients", []), f"{where}.recipients"),
            targets={k: float(v) for k, v in (entry.get("targets") or {}).items()},
            lead_time_days=int(entry.get("lead_time_days", 21)),
        )
    if not accounts:
        raise ConfigError(f"{path}: no accounts configured")
    return Accounts(portfolios=portfolios, accounts=accounts, source=path)


def pack_path(reports_dir: Path, week: date, account_id: str, language: str) -> Path:
    """reports/<week>/<account>.<lang>.pdf; the id was validated against [a-z0-9-] on load."""
    return _report_path(reports_dir, week, f"{account_id}.{language}.pdf")


def portfolio_pack_path(reports_dir: Path, week: date, portfolio_id: str) -> Path:
    """reports/<week>/portfolio-<id>.pdf"""
    return _report_path(reports_dir, week, f"portfolio-{portfolio_id}.pdf")


def _report_path(reports_dir: Path, week: date, name: str) -> Path:
    path = (reports_dir / week.isoformat() / name).resolve()
    if not path.is_relative_to(reports_dir.resolve()):
        raise ValueError(f"{name!r} would be written outside {reports_dir}")
    return path


def week_start(day: date) -> date:
    """The Monday that starts the week holding ``day``."""
    return day - timedelta(days=day.weekday())


def parse_week(text: str) -> date:
    """A week start given on the command line or as a folder name: an ISO date, a Monday."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"'{text}' is not a date; weeks are written YYYY-MM-DD") from None
    if day.weekday() != 0:
        raise ConfigError(f"{text} is a {day:%A}; weeks start on Monday ({week_start(day)})")
    return day
