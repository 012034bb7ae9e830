"""Where SellerPulse keeps its files and which accounts it serves.

Everything a run reads or writes lives under one working directory, ``SELLERPULSE_HOME``
(default: the project's ``data/``). The accounts file is ``$SELLERPULSE_HOME/accounts.yaml``
unless ``SELLERPULSE_ACCOUNTS`` points elsewhere. This module has no Dagster imports so that
readers, renderers and the command line can use it directly.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.utils import parseaddr
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assets.core.registry import (
    Marketplace,
    languages,
    load_yaml,
    marketplaces,
    pack_languages,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Ids become file and folder names (reports/<week>/<account>.<lang>.pdf, portfolio-<id>.pdf,
# inbox/<account>/) and Message-IDs. \Z, not $: "$" also matches before a trailing newline.
ACCOUNT_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\Z")
ID_RULE = (
    "only a-z, 0-9 and '-' (1-64 characters, starting and ending with a letter or digit, "
    "e.g. acme-uk, eu)"
)
# One plain address, RFC 5322 dot-atom@domain in ASCII: no display name, quotes, comments,
# IP literals or spaces, so that it can be pasted into a header or an SMTP command verbatim.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL = re.compile(
    rf"^(?P<local>{_ATEXT}(?:\.{_ATEXT})*)@(?P<domain>(?:{_LABEL}\.)+(?:[A-Za-z]{{2,63}}|xn--[A-Za-z0-9-]{{1,59}}))\Z"
)
EMAIL_RULE = (
    "one plain address such as name@example.com: ASCII letters, digits and "
    "!#$%&'*+/=?^_`{|}~.- before the @, a domain with a dot after it (an international "
    "domain in its xn-- form); no display name, spaces, quotes, commas or control characters"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


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
    language: str = "en"  # of the portfolio (boss) pack

    @property
    def locale(self) -> str:
        """Babel locale for the portfolio pack: its language's own (languages.yaml)."""
        return languages()[self.language].locale


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
    kind: str = "seller"  # seller (3P, Seller Central) or vendor (1P, Vendor Central)
    distributor_view: str | None = None  # a vendor's: manufacturing or sourcing
    # the action list's limits for this account (accounts.yaml actions:), over the marketplace's
    actions: dict[str, float] = field(default_factory=dict)

    @property
    def is_vendor(self) -> bool:
        return self.kind == "vendor"

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


def id_problem(value: str) -> str | None:
    """Why ``value`` cannot be an account or portfolio id, or None when it can."""
    if ACCOUNT_ID.match(value):
        return None
    if _CONTROL.search(value):
        return f"it contains a control character ({_first_control(value)})"
    if "/" in value or "\\" in value or ".." in value:
        return "it contains a path character ('/', '\\' or '..')"
    if value != value.lower() and ACCOUNT_ID.match(value.lower()):
        return "it has upper-case letters"
    return "it has other characters, or is too long"


def email_problem(value: object) -> str | None:
    """Why ``value`` is not one plain e-mail address (see EMAIL_RULE), or None when it is.

    Besides the pattern, the address must survive ``email.utils.parseaddr`` unchanged, the
    parser that header code relies on: it must read as exactly this address and nothing else."""
    if not isinstance(value, str):
        return f"{type(value).__name__} {value!r} is not text"
    if _CONTROL.search(value):
        return f"it contains a control character ({_first_control(value)})"
    if not value.isascii():
        return "it has non-ASCII characters"
    if any(c in value for c in '<>"(),;') or " " in value:
        return "it is more than a bare address (display name, quotes, list or spaces)"
    if value.count("@") != 1:
        return "it must hold exactly one '@'"
    local = value.split("@")[0]
    if len(value) > 254 or len(local) > 64:
        return "it is too long (at most 64 characters before the @, 254 in all)"
    if not EMAIL.match(value):
        return "it does not have the form name@domain.tld"
    if parseaddr(value) != ("", value):
        return "it does not read back as the same address"
    return None


def _first_control(value: str) -> str:
    found = _CONTROL.search(value)
    return repr(found.group()) if found else ""


def _entry_line(source: str, section: str | None, index: int, *keys: str | int) -> int | None:
    """1-based line of accounts[i].key... (or of a top-level key, without a section) in the
    YAML text, for error messages (best effort)."""
    try:
        node = yaml.compose(source)
    except yaml.YAMLError:
        return None
    for key in (section, index, *keys) if section else keys:
        if isinstance(node, yaml.MappingNode) and isinstance(key, str):
            node = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            return None
        if node is None:
            return None
    return node.start_mark.line + 1


class _Where:
    """Names an entry of the accounts file: the file, the line, the entry and its field."""

    def __init__(self, path: Path, source: str, section: str | None, index: int = 0):
        self.path, self.source, self.section, self.index = path, source, section, index
        self.label = f"{section}[{index}]" if section else ""

    def __str__(self) -> str:
        return f"{self.path}: {self.label}"

    def at(self, *keys: str | int) -> str:
        """'<file>:<line>: accounts[2] (id 'acme-uk') recipients[1]' for a field of the entry."""
        line = _entry_line(self.source, self.section, self.index, *keys)
        field = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in keys)
        label = f"{self.label}{field}" if self.section else field.lstrip(".")
        return f"{self.path}{f':{line}' if line else ''}: {label}"


def _id(entry: object, where: _Where, seen: dict) -> str:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where.at()}: expected a mapping with id, name, ..., got {entry!r}")
    value = _require(entry, "id", str(where))
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ConfigError(f"{where.at('id')}: id {value!r} must be text; ids must use {ID_RULE}")
    text = str(value)
    problem = id_problem(text)
    if problem:
        raise ConfigError(
            f"{where.at('id')}: id {text!r} is not allowed, {problem}; ids must use {ID_RULE}"
        )
    if text in seen:
        raise ConfigError(f"{where.at('id')}: id '{text}' appears twice")
    where.label = f"{where.section}[{where.index}] (id '{text}')"
    return text


def _emails(entry: dict, key: str, where: _Where) -> tuple[str, ...]:
    values = entry.get(key, [])
    if values is None:
        values = []
    if not isinstance(values, list):
        raise ConfigError(
            f"{where.at(key)}: expected a list of e-mail addresses, got {values!r}; "
            "write e.g. [owner@example.com, ops@example.com]"
        )
    seen: set[str] = set()
    for j, value in enumerate(values):
        problem = email_problem(value)
        if problem:
            raise ConfigError(
                f"{where.at(key, j)}: not an e-mail address: {value!r}, {problem}; "
                f"write {EMAIL_RULE}"
            )
        if value.lower() in seen:
            raise ConfigError(
                f"{where.at(key, j)}: {value!r} appears twice in '{key}' (ignoring case)"
            )
        seen.add(value.lower())
    return tuple(values)


def _portfolio_language(entry: dict, where: _Where) -> str:
    language = entry.get("language", "en")
    if language not in pack_languages():
        raise ConfigError(
            f"{where.at('language')}: language {language!r} is not a pack language; write one "
            f"of {', '.join(pack_languages())} (assets/core/registry/languages.yaml, pack: true)"
        )
    return language


ACCOUNT_KINDS = ("seller", "vendor")
DISTRIBUTOR_VIEWS = ("manufacturing", "sourcing")


def _account_kind(entry: dict, where: _Where) -> tuple[str, str | None]:
    """``kind`` (default seller) and, for a vendor, its ``distributor_view`` (default
    manufacturing: the view Vendor Central opens with)."""
    kind = entry.get("kind", "seller")
    if kind not in ACCOUNT_KINDS:
        raise ConfigError(
            f"{where.at('kind')}: kind {kind!r} unknown; write seller (Seller Central, 3P) or "
            "vendor (Vendor Central, 1P)"
        )
    view = entry.get("distributor_view")
    if kind == "seller":
        if view is not None:
            raise ConfigError(
                f"{where.at('distributor_view')}: only a vendor account has a distributor view; "
                "add kind: vendor or remove distributor_view"
            )
        return kind, None
    view = str(view or "manufacturing").lower()
    if view not in DISTRIBUTOR_VIEWS:
        raise ConfigError(
            f"{where.at('distributor_view')}: distributor_view {view!r} unknown; write "
            "manufacturing or sourcing (the view the account's Vendor Central reports use)"
        )
    return kind, view


class _Entry(BaseModel):
    """An entry of the accounts file: unknown keys are errors (a misspelt key would otherwise be
    ignored without a word)."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class _Targets(_Entry):
    acos: float | None = Field(None, ge=0, description="e.g. 0.30 for 30 %")
    tacos: float | None = Field(None, ge=0, description="e.g. 0.12 for 12 %")
    revenue: float | None = Field(None, ge=0, description="weekly revenue, account currency")


class _ActionLimits(_Entry):
    """accounts.yaml's ``actions:``, each overriding the marketplace threshold of the same
    name (assets/core/registry/marketplaces.yaml)."""

    max_count: int | None = Field(None, ge=1, description="the most actions listed, e.g. 8")
    min_amount: float | None = Field(None, ge=0, description="least weekly amount at stake")
    negate_min_spend: float | None = Field(None, ge=0, description="least spend to negate")


class _PortfolioEntry(_Entry):
    id: str
    name: str | None = None
    base_currency: str
    bosses: list[object] | None = None  # each checked by email_problem
    language: object = "en"


class _AccountEntry(_Entry):
    id: str
    name: str | None = None
    marketplace: str
    language: object = "en"
    portfolio: str
    recipients: list[object] | None = None
    targets: _Targets | None = None
    lead_time_days: int = Field(21, ge=1, le=365)
    kind: object = "seller"
    distributor_view: object = None
    actions: _ActionLimits | None = None


# accounts.yaml's actions: keys (each a column action_<key> of raw.accounts)
ACTION_SETTINGS = tuple(_ActionLimits.model_fields)


class _AccountsFile(_Entry):
    portfolios: list[dict] = []
    accounts: list[dict] = []


# what a wrong value of these types should be written as
_EXPECTED = {
    "float_parsing": "a number such as 0.30 (a share is written as a fraction: 30 % is 0.30)",
    "float_type": "a number such as 0.30",
    "int_parsing": "a whole number such as 21",
    "int_from_float": "a whole number such as 21",
    "int_type": "a whole number such as 21",
    "string_type": "text",
    "list_type": "a list such as [a, b]",
    "model_type": "a mapping such as {key: value}",
    "dict_type": "a mapping such as {key: value}",
}


def _schema_problems(model: type[BaseModel], entry: object, where: _Where) -> list[str]:
    """Every problem of one entry against its schema, each naming file, line, entry and field,
    with a suggestion for a misspelt key."""
    try:
        model.model_validate(entry)
    except ValidationError as error:
        return [_problem(model, e, entry, where) for e in error.errors()]
    return []


def _problem(model: type[BaseModel], e: dict, entry: object, where: _Where) -> str:
    loc = tuple(e["loc"])
    kind = e["type"]
    if isinstance(entry, dict) and "id" in entry and isinstance(entry["id"], str | int):
        where.label = f"{where.section}[{where.index}] (id '{entry['id']}')"
    if kind == "extra_forbidden":
        owner = model
        for key in loc[:-1]:  # the nested entry the key is in (targets, actions)
            annotation = owner.model_fields[key].annotation
            owner = next(a for a in getattr(annotation, "__args__", (annotation,)) if a)
        known = list(owner.model_fields)
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return f"{where.at(*loc)}: unknown key '{loc[-1]}'; {hint}known keys: {', '.join(known)}"
    if kind == "missing":
        return f"{where.at(*loc[:-1])}: '{loc[-1]}' is missing"
    expected = _EXPECTED.get(kind, e["msg"].lower())
    return f"{where.at(*loc)}: {e['input']!r} is not allowed: expected {expected} ({e['msg']})"


def load_accounts(path: Path) -> Accounts:
    """Read and validate the accounts file; every problem names the entry and the fix."""
    if not path.is_file():
        raise ConfigError(
            f"accounts file {path} not found: create it (see README 'Configuration') or set "
            "SELLERPULSE_ACCOUNTS; `sellerpulse demo` writes an example"
        )
    source = path.read_text("utf-8")
    try:
        doc = load_yaml(source) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    problems = _schema_problems(_AccountsFile, doc, _Where(path, source, None))
    for section, model in (("portfolios", _PortfolioEntry), ("accounts", _AccountEntry)):
        for i, entry in enumerate((doc.get(section) or []) if isinstance(doc, dict) else []):
            problems += _schema_problems(model, entry, _Where(path, source, section, i))
    if problems:
        raise ConfigError("\n".join(problems))
    known = marketplaces()
    portfolios: dict[str, Portfolio] = {}
    for i, entry in enumerate(doc.get("portfolios") or []):
        where = _Where(path, source, "portfolios", i)
        pid = _id(entry, where, portfolios)
        portfolios[pid] = Portfolio(
            id=pid,
            name=str(entry.get("name", pid)),
            base_currency=str(_require(entry, "base_currency", str(where))).upper(),
            bosses=_emails(entry, "bosses", where),
            language=_portfolio_language(entry, where),
        )
    accounts: dict[str, Account] = {}
    for i, entry in enumerate(doc.get("accounts") or []):
        where = _Where(path, source, "accounts", i)
        aid = _id(entry, where, accounts)
        code = str(_require(entry, "marketplace", str(where))).upper()
        if code not in known:
            raise ConfigError(f"{where}: marketplace '{code}' unknown; known: {', '.join(known)}")
        language = str(entry.get("language", "en"))
        if language not in pack_languages():
            raise ConfigError(
                f"{where}: language '{language}' not one of {', '.join(pack_languages())} "
                "(pack languages: assets/core/registry/languages.yaml)"
            )
        portfolio = str(_require(entry, "portfolio", str(where)))
        if portfolio not in portfolios:
            raise ConfigError(f"{where}: portfolio '{portfolio}' is not in 'portfolios'")
        kind, view = _account_kind(entry, where)
        accounts[aid] = Account(
            id=aid,
            name=str(entry.get("name", aid)),
            marketplace=known[code],
            language=language,
            portfolio=portfolio,
            recipients=_emails(entry, "recipients", where),
            targets={k: float(v) for k, v in (entry.get("targets") or {}).items() if v is not None},
            lead_time_days=int(entry.get("lead_time_days", 21)),
            kind=kind,
            distributor_view=view,
            actions={k: float(v) for k, v in (entry.get("actions") or {}).items()},
        )
    if not accounts:
        raise ConfigError(f"{path}: no accounts configured")
    return Accounts(portfolios=portfolios, accounts=accounts, source=path)


def pack_path(reports_dir: Path, week: date, account_id: str, language: str) -> Path:
    """reports/<week>/<account>.<lang>.pdf; the id was validated against [a-z0-9-] on load."""
    return _report_path(reports_dir, week, f"{account_id}.{language}.pdf")


def mail_path(pdf: Path) -> Path:
    """The mail text the pack renderer writes beside a pack: the subject on its first line, a
    blank line, the body."""
    return pdf.with_suffix(".mail.txt")


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
