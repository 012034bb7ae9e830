"""The banner Vendor Central writes above an export's header row, read by its structure.

Retail Analytics exports start with ``Label=[value]`` pairs (export-headers.md §4.1): one per
CSV cell (``Programme=[Retail],Distributor View=[Manufacturing],…``), wrapped onto a second row,
all in one cell separated by spaces (XLSX), or ``;``-separated (``locale=[en_GB];countries=
[FR;DE];distributor view=[Manufacturing View]``). The labels are translated with the Vendor
Central UI, and no non-English banner is evidenced, so nothing here reads a label: each fact
is recognised by the shape of its value. A ``date - date`` value is the viewing range, an ISO
4217 code the registry knows is the currency, Manufacturing/Sourcing (View) the distributor
view, Retail/Business/Fresh the programme, ``xx_XX`` the locale. The pairs are kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from assets.core.registry import currency_symbols, marketplaces

# a label is anything up to "=[" that is not a separator or a quote; a value runs to "]"
PAIR = re.compile(r"(?P<label>[^=\[\]\r\n,;\"\t]+?)\s*=\s*\[(?P<value>[^\[\]]*)\]")
_DATE = r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}"
RANGE = re.compile(rf"^\s*(?P<start>{_DATE})\s*[-\u2010-\u2015~]\s*(?P<end>{_DATE})\s*$")
LOCALE = re.compile(r"^[a-z]{2,3}_[A-Z]{2}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
# Vendor Central's own words for the two views and three programmes (also in SP-API's
# reportOptions), which are values, not labels: "Manufacturing View" in the multi-country
# variant, "Amazon Retail" in legacy ARA (§4.1)
DISTRIBUTOR_VIEW = re.compile(r"^(?P<view>manufacturing|sourcing)(?:\s+view)?$", re.IGNORECASE)
PROGRAM = re.compile(r"^(?:amazon\s+)?(?P<program>retail|business|fresh)$", re.IGNORECASE)


@dataclass(frozen=True)
class Banner:
    """What a banner says; None where it says nothing recognisable."""

    pairs: tuple[tuple[str, str], ...]  # (label, value) as written
    start_date: date | None = None
    end_date: date | None = None
    currency: str | None = None
    distributor_view: str | None = None  # 'manufacturing' | 'sourcing'
    program: str | None = None  # 'retail' | 'business' | 'fresh'
    locale: str | None = None  # e.g. en_IN
    unreadable_range: str | None = None  # a date range no day/month order makes sense of

    def columns(self) -> dict[str, str]:
        """The per-row facts as text, by the canonical column they fill (dates in ISO)."""
        values = {
            "start_date": self.start_date and self.start_date.isoformat(),
            "end_date": self.end_date and self.end_date.isoformat(),
            "distributor_view": self.distributor_view,
            "program": self.program,
        }
        return {column: value for column, value in values.items() if value}

    def written(self) -> str:
        """The pairs as the file writes them, for messages."""
        return ", ".join(f"{label}=[{value}]" for label, value in self.pairs)


@cache
def known_currencies() -> frozenset[str]:
    """ISO 4217 codes of the marketplace registry: marketplaces' money and listed symbols."""
    return frozenset(
        {m.currency for m in marketplaces().values()} | set(currency_symbols().values())
    )


def locale_date_order(locale: str) -> str | None:
    """How the marketplace of ``locale`` (en_US, de_DE) writes 11/16/2026, from the registry:
    its locale exactly, else its country (fr_CA is Canada); None when no marketplace fits."""
    found = marketplaces().values()
    for marketplace in found:
        if marketplace.locale == locale:
            return marketplace.date_order
    country = locale.rpartition("_")[2]
    for marketplace in found:
        if marketplace.iso_country == country:
            return marketplace.date_order
    return None


def parse_banner(lines: Sequence[str], date_order: str = "dmy") -> Banner | None:
    """The banner in ``lines`` (the file's lines above its header row), or None without any
    ``label=[value]`` pair. ``date_order`` ('dmy' | 'mdy', the account marketplace's) reads
    the viewing range unless the banner's own locale says otherwise."""
    text = "\n".join(lines)
    pairs = tuple(
        (match["label"].strip(), re.sub(r"\s+", " ", match["value"]).strip())
        for match in PAIR.finditer(text)
    )
    if not pairs:
        return None
    values = [value for _, value in pairs]
    locale = next((v for v in values if LOCALE.match(v)), None)
    order = (locale and locale_date_order(locale)) or date_order
    start = end = unreadable = None
    for value in values:
        if match := RANGE.match(value):
            period = read_range(match["start"], match["end"], order)
            if period:
                start, end = period
                break
            unreadable = unreadable or value
    view = next((m for v in values if (m := DISTRIBUTOR_VIEW.match(v))), None)
    program = next((m for v in values if (m := PROGRAM.match(v))), None)
    return Banner(
        pairs=pairs,
        start_date=start,
        end_date=end,
        currency=next((v for v in values if CURRENCY.match(v) and v in known_currencies()), None),
        distributor_view=view["view"].lower() if view else None,
        program=program["program"].lower() if program else None,
        locale=locale,
        unreadable_range=None if start else unreadable,
    )


def read_range(first: str, last: str, date_order: str) -> tuple[date, date] | None:
    """Two dates read in ``date_order``, else in the other order when that one is impossible
    (a month above 12, or an end before the start) and the other is not; None when neither
    reading makes a range."""
    other = "mdy" if date_order == "dmy" else "dmy"
    for order in (date_order, other):
        start, end = read_date(first, order), read_date(last, order)
        if start and end and start <= end:
            return start, end
    return None


def read_date(text: str, date_order: str) -> date | None:
    """``text`` as yyyy-mm-dd, or dd/mm/yy(yy) / mm/dd/yy(yy) by ``date_order`` (any of
    ``/``, ``.``, ``-`` between the parts); two-digit years are this century's."""
    parts = re.split(r"[./-]", text)
    if len(parts) != 3:
        return None
    if len(parts[0]) == 4:
        year, month, day = parts
    else:
        first, second, year = parts
        if len(year) not in (2, 4):
            return None
        day, month = (first, second) if date_order == "dmy" else (second, first)
    number = int(year) + (2000 if len(year) == 2 else 0)
    try:
        return date(number, int(month), int(day))
    except ValueError:
        return None
