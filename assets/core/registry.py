"""The registries: marketplaces, currencies and languages as data (``assets/core/registry/``).

Adding a marketplace or a language is an entry in a YAML file (plus, for a pack language, its
translations); everything else reads these functions: account validation, ingestion (date
order, country, currency symbols), the reference tables the SQL reads (thresholds as
columns), the pack renderer and the glossary.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError

REGISTRY = Path(__file__).resolve().parent / "registry"


class RegistryError(ValueError):
    """A registry file is wrong; the message names the file, the entry and the key."""


@dataclass(frozen=True)
class Marketplace:
    code: str
    currency: str
    locale: str
    timezone: str
    thresholds: dict[str, float]
    date_order: str = "dmy"  # how exports write 11/16/2026: mdy or dmy
    country: str = ""

    @property
    def iso_country(self) -> str:
        return self.country or self.code


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    decimal: str
    thousands: str
    pack: bool
    locale: str = ""  # Babel locale of a pack without a marketplace (the portfolio pack)


# libyaml's safe loader where PyYAML has it (its wheels do): the same documents about eight
# times as fast; the glossary, the packs' words and the registry cost 0.6 s a process without it
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    """A YAML document, loaded safely (plain data, no tags)."""
    return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader


def _load(root: Path | None, name: str) -> dict:
    path = (root or REGISTRY) / name
    try:
        return load_yaml(path.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RegistryError(f"{path}: not readable ({exc})") from exc


@cache
def marketplaces(root: Path | None = None) -> dict[str, Marketplace]:
    doc = _load(root, "marketplaces.yaml")
    where = (root or REGISTRY) / "marketplaces.yaml"
    found = {}
    for code, spec in doc["marketplaces"].items():
        missing = {"currency", "locale", "timezone", "thresholds"} - spec.keys()
        if missing:
            raise RegistryError(f"{where}: {code}: missing {sorted(missing)}")
        if spec.get("date_order", "dmy") not in ("dmy", "mdy"):
            raise RegistryError(f"{where}: {code}: date_order must be dmy or mdy")
        found[code] = Marketplace(code=code, **spec)
    return found


@cache
def currency_symbols(root: Path | None = None) -> dict[str, str]:
    """Symbol → currency code, e.g. "£" → GBP; the first currency listing a symbol wins."""
    symbols: dict[str, str] = {}
    for code, written in _load(root, "marketplaces.yaml")["currencies"].items():
        for symbol in written:
            symbols.setdefault(symbol, code)
    return symbols


@cache
def languages(root: Path | None = None) -> dict[str, Language]:
    doc = _load(root, "languages.yaml")
    where = (root or REGISTRY) / "languages.yaml"
    found = {}
    for code, spec in doc["languages"].items():
        lang = Language(code=code, **spec)
        if lang.pack:
            try:
                Locale.parse(lang.locale)
            except (UnknownLocaleError, ValueError, TypeError):
                raise RegistryError(
                    f"{where}: {code}: pack: true needs 'locale', a Babel locale for packs "
                    f"without a marketplace (e.g. fr_FR, zh_Hans_CN); got {lang.locale!r}"
                ) from None
        found[code] = lang
    return found


def pack_languages(root: Path | None = None) -> tuple[str, ...]:
    """Languages a seller pack, a mail and the glossary can be written in."""
    return tuple(code for code, lang in languages(root).items() if lang.pack)


def clear_caches() -> None:
    """Forget loaded registries (tests that add an entry call this)."""
    for loader in (marketplaces, currency_symbols, languages, payment_types, settlement_amounts):
        loader.cache_clear()


PAYMENT_TYPES = "payment_types.yaml"
SETTLEMENT_AMOUNTS = "settlement_amounts.yaml"
AMOUNT_CATEGORIES = (
    "product_sales",
    "shipping_credits",
    "gift_wrap_credits",
    "promotional_rebates",
    "selling_fees",
    "fba_fees",
    "storage_fees",
    "other_fees",
    "advertising",
    "reimbursements",
    "taxes",
    "transfers",
)


@cache
def payment_types(root: Path | None = None) -> tuple[tuple[str, str, str, str], ...]:
    """Rows (language, value, canonical type, column) of ``payment_types.yaml``: every ``type``
    value per export language with its canonical type (column 'type'), and the descriptions
    that mean advertising (column 'description', canonical type 'advertising')."""
    doc = _load(root, PAYMENT_TYPES)
    where = (root or REGISTRY) / PAYMENT_TYPES
    canonical = set(doc.get("canonical") or ())
    rows = []
    for language, values in (doc.get("types") or {}).items():
        for value, kind in values.items():
            if kind not in canonical:
                raise RegistryError(
                    f"{where}: {language}: {value!r} maps to {kind!r}, not one of 'canonical'"
                )
            rows.append((language, str(value), kind, "type"))
    for language, values in (doc.get("advertising_descriptions") or {}).items():
        rows.extend((language, str(value), "advertising", "description") for value in values)
    return tuple(rows)


@cache
def settlement_amounts(root: Path | None = None) -> tuple[tuple[str, str, str], ...]:
    """Rows (amount-type, amount-description, category) of ``settlement_amounts.yaml``; "*"
    matches any value."""
    doc = _load(root, SETTLEMENT_AMOUNTS)
    where = (root or REGISTRY) / SETTLEMENT_AMOUNTS
    rows = []
    for entry in doc.get("amounts") or ():
        if len(entry) != 3 or entry[2] not in AMOUNT_CATEGORIES:
            raise RegistryError(
                f"{where}: {entry!r} is not [amount-type, amount-description, category] with a "
                f"category among {', '.join(AMOUNT_CATEGORIES)}"
            )
        rows.append(tuple(str(part) for part in entry))
    return tuple(rows)
