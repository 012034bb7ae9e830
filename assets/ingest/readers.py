"""Read one export file as Amazon delivered it: find its kind and language from the header,
parse every value for that locale, and split the rows into loaded and rejected.

A Vendor Central banner above the header (``Label=[value]`` pairs, ``banner``) gives the rows
their period, distributor view and programme, the file its currency and number format.

Parsing runs inside DuckDB (``read_csv`` with every column as text, then typed SQL
expressions) so a large export costs little more than a bare ``read_csv``. XLSX and JSON are
first turned into CSV (``converters``). Nothing here knows about Dagster;
``assets.ingest.inbox`` decides which files to read and where rows go.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
import tempfile
import unicodedata
import weakref
import zipfile
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import duckdb
from babel import Locale

from assets.core.registry import currency_symbols, languages, load_yaml
from assets.ingest.banner import parse_banner
from assets.ingest.converters import ConversionError, json_to_csv, xlsx_to_csv
from assets.ingest.limits import LimitExceeded, Limits

KINDS_FILE = Path(__file__).with_name("report_kinds.yaml")
_WITH_MACROS: weakref.WeakSet = weakref.WeakSet()  # connections that have the parse macros
SQL_TYPES = {
    "text": "varchar",
    "int": "bigint",
    "money": "decimal(18, 2)",
    "pct": "double",
    "decimal": "decimal(18, 6)",
    "date": "date",
    "datetime": "timestamp",  # in UTC, whatever zone the export wrote
}
EXPECTED = {
    "int": "a whole number",
    "money": "an amount",
    "pct": "a percentage",
    "decimal": "a number",
    "date": "a date",
    "datetime": "a date and time",
}
API_LOCALE = {"api": {"decimal": ".", "thousands": ""}}  # SP-API / Ads API JSON: plain numbers
# a Date Range Report has up to nine preamble lines above its header (export-headers.md §3.1)
TITLE_ROWS_SCANNED = 12
SNIFF_BYTES = 64 * 1024
LINE_CHARS = 1024 * 1024
CURRENCY_SYMBOLS = currency_symbols()  # "£" → GBP …, from the marketplace registry
CURRENCY_SUFFIX = re.compile(  # "14 Day Total Sales (₹)", "… (USD)"
    r"\s*\((?P<cur>"
    + "|".join(
        re.escape(s)
        for s in sorted({*CURRENCY_SYMBOLS, *CURRENCY_SYMBOLS.values()}, key=len, reverse=True)
    )
    + r")\)\s*$"
)
# The attribution window as each Ads console language writes it (export-headers.md §2): read
# off the header into attribution_days, so "7 Day Total Sales" and "14 Day Total Sales" are one
# column. English "7 Day Total Sales"; German "7 Tage, Umsatz gesamt", "7-Tage-Konversionsrate",
# "7Tage, …"; Chinese "7天总销售额", "7天内广告SKU销售额", "7天的转化率", "7 天内的总订单数";
# Japanese "広告がクリックされてから7日間の総売上高"; Spanish "Ventas totales de 7 días",
# "Unidades SKU anunciadas 7 días (#)" (the window inside the name, not before it).
WINDOWS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^(?P<days>\d+)\s*day\s+",
        r"^(?P<days>\d+)\s*[-\u2010-\u2015]?\s*tage\s*[,\-\u2010-\u2015]?\s*",
        r"^(?P<days>\d+)\s*天(?:内的|内|的)?\s*",
        r"^広告がクリックされてから(?P<days>\d+)日間の?",
        r"\s+(?:de\s+)?(?P<days>\d+)\s+días\b",
    )
)
WINDOW_SUFFIX = re.compile(r"^(?P<name>[a-z]+?)(?P<days>\d+)d$", re.IGNORECASE)
DELIMITERS = ("\t", ";", ",")  # ";" in Spanish (and other decimal-comma) ads exports
# The currency a Date Range Report's preamble states (export-headers.md §3.1): English "All
# amounts in USD, unless specified" [A], Spanish "Todos los importes en EUR, a menos que …" [B].
PREAMBLE_CURRENCY = re.compile(
    r"^\W*(?:all amounts in|todos los importes en)\s+(?P<cur>[A-Z]{3})\b", re.IGNORECASE
)
# Number formats of a language in one country that differ from the language's own: Mexico
# writes Spanish with a decimal point (CLDR es_MX: 1,234.56), Spain with a decimal comma.
REGIONAL_NUMBERS = {("es", "MX"): {"decimal": ".", "thousands": ","}}
# The decimal-comma convention a kind with ``decimal_by_values`` may be written in
DECIMAL_COMMA = "de"


class ExportError(ValueError):
    """The whole file cannot be read; the message says what is wrong and what to do."""


# control characters, format characters (e.g. a right-to-left override) and line separators:
# in a file name they would forge or garble a line of the log or the terminal
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(text: str) -> str:
    """``text`` (a file name, a message naming files) safe for one line of a log, a table or a
    terminal: every control or format character written as an escape (a newline as ``\\n``).
    Applying it twice changes nothing more."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    char = match[0]
    if char in _ESCAPES:
        return _ESCAPES[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool
    names: dict[str, tuple[str, ...]]
    # a column no header has: the date of this datetime column in the account marketplace's
    # timezone (a Date Range Report's posted_date from its posted_at)
    local_date_of: str | None = None
    # the column whose value stands in where this one is empty (a settlement's summary row,
    # dated by its settlement_end_date)
    fallback: str | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    table: str
    period: str  # "inbox_week" or the date column that dates each row
    grain: tuple[str, ...]
    columns: dict[str, Column]
    period_end: str | None = None  # the date column ending a row's period, if any
    banner: bool = False  # a Vendor Central banner above the header gives the period
    total_rows: str | None = None  # a row with a value here is a file total: none required
    variant: tuple[str, ...] = ()  # columns telling apart exports that never replace one another
    week_start: str = "folder"  # or "period_middle": see report_kinds.yaml
    # English header over amounts that may be written 1.234,56 (an EU settlement flat file):
    # the values decide, as under a Vendor Central banner's locale
    decimal_by_values: bool = False

    @property
    def dated(self) -> bool:
        return self.period != "inbox_week"

    @cached_property
    def local_dates(self) -> bool:
        """Whether a column is dated in the marketplace's timezone (``local_date_of``)."""
        return any(col.local_date_of for col in self.columns.values())

    @cached_property
    def languages(self) -> list[str]:
        """The header languages this kind lists, sorted: the order they are tried in."""
        return sorted({lang for col in self.columns.values() for lang in col.names})


@dataclass(frozen=True)
class Catalog:
    locales: dict[str, dict[str, str]]
    kinds: dict[str, Kind]


@dataclass
class Detected:
    kind: Kind
    locale: str
    header_line: int  # 1-based line of the header row
    positions: dict[str, int]  # canonical column -> 0-based position in the file
    cells: list[str] = field(default_factory=list)  # the header as written
    attribution_days: int | None = None  # "7 Day Total Sales" → 7
    header_currency: str | None = None  # "14 Day Total Sales (₹)" → INR
    # the same value for every row, for a column the header lacks (a banner's Viewing Range)
    constants: dict[str, str] = field(default_factory=dict)
    # the language whose number format the values follow when it is not the header's (an
    # English Vendor Central header above de_DE amounts, per its banner's Locale)
    number_language: str | None = None

    @property
    def ignored(self) -> list[str]:
        """Source columns no canonical column maps to (kept in the original file only)."""
        used = set(self.positions.values())
        return [c for i, c in enumerate(self.cells) if i not in used and c.strip()]


@dataclass
class ParsedFile:
    """The rows of one file, staged in DuckDB tables ``parsed_rows`` / ``parsed_rejects`` (temp
    tables, unless ``parse_batch`` was told where to put them)."""

    detected: Detected
    encoding: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    file_format: str = "csv"
    country: str | None = None

    @property
    def locale(self) -> str:
        """The header language with a country (``locale_country``), e.g. en-GB, de-DE, ja-JP,
        zh-CN."""
        language = self.detected.locale
        return f"{language}-{self.country}" if self.country and language != "api" else language


def locale_country(language: str, country: str, marketplace_locale: str) -> str:
    """The country of the locale an export is recorded with: the marketplace's when the header
    language is English or the marketplace's own (en on JP → en-JP, es on ES → es-ES), else
    the language's home in the registry: Chinese Seller Central writes zh-CN on every
    marketplace (zh on US → zh-CN, not a zh-US no one writes)."""
    if language in ("en", "api", marketplace_locale.split("_")[0]):
        return country
    home = languages().get(language)
    territory = Locale.parse(home.locale).territory if home and home.locale else None
    return territory or country


def normalise_header(text: str) -> str:
    """Compare headers the way a person reads them: width, case, dashes and spaces ignored;
    the attribution window and a currency in brackets are read separately."""
    text = unicodedata.normalize("NFKC", text).replace("\ufeff", "").strip()
    text = CURRENCY_SUFFIX.sub("", text)
    text, _ = _window(text)
    if match := WINDOW_SUFFIX.match(text):
        text = match["name"]
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def _window(text: str) -> tuple[str, int | None]:
    """``text`` without its attribution window, and the window's days (None without one)."""
    for pattern in WINDOWS:
        if match := pattern.search(text):
            return (text[: match.start()] + " " + text[match.end() :]).strip(), int(match["days"])
    return text, None


def header_window(cells: list[str]) -> tuple[int | None, str | None]:
    """The attribution window (days) and currency written into ads report headers."""
    days, currency = None, None
    for cell in cells:
        text = unicodedata.normalize("NFKC", cell).strip()
        if match := CURRENCY_SUFFIX.search(text):
            currency = CURRENCY_SYMBOLS.get(match["cur"], match["cur"])
            text = CURRENCY_SUFFIX.sub("", text)
        text, window = _window(text)
        if window is None and (match := WINDOW_SUFFIX.match(text)):
            window = int(match["days"])
        days = days or window
    return days, currency


@cache
def catalog(path: Path = KINDS_FILE) -> Catalog:
    doc = load_yaml(path.read_text("utf-8"))
    kinds = {}
    for name, spec in doc["kinds"].items():
        columns = {
            col: Column(
                name=col,
                type=c["type"],
                required=bool(c.get("required", False)),
                names={
                    lang: tuple(normalise_header(n) for n in names)
                    for lang, names in c.get("names", {}).items()
                },
                local_date_of=c.get("local_date_of"),
                fallback=c.get("fallback"),
            )
            for col, c in spec["columns"].items()
        }
        for col in columns.values():
            for key, other in (("local_date_of", col.local_date_of), ("fallback", col.fallback)):
                if other is not None and other not in columns:
                    raise ValueError(f"{path.name}: {name}: {col.name}: {key} '{other}' unknown")
            source = columns.get(col.local_date_of or "")
            if col.local_date_of and (source.type != "datetime" or col.type != "date"):
                raise ValueError(
                    f"{path.name}: {name}: {col.name}: local_date_of needs a date column and a "
                    "datetime source"
                )
        period_end = spec.get("period_end", "end_date" if "end_date" in columns else None)
        named = {
            "period": [spec["period"]],
            "period_end": [period_end],
            "total_rows": [spec.get("total_rows")],
            "variant": spec.get("variant", []),
        }
        for key, values in named.items():
            for value in values:
                if value not in (None, "inbox_week") and value not in columns:
                    raise ValueError(f"{path.name}: {name}: {key} column '{value}' unknown")
        if spec.get("week_start", "folder") not in ("folder", "period_middle"):
            raise ValueError(f"{path.name}: {name}: week_start must be folder or period_middle")
        kinds[name] = Kind(
            name=name,
            label=spec["label"],
            table=spec["table"],
            period=spec["period"],
            grain=tuple(spec.get("grain", ())),
            columns=columns,
            period_end=period_end,
            banner=bool(spec.get("banner", False)),
            total_rows=spec.get("total_rows"),
            variant=tuple(spec.get("variant", ())),
            week_start=spec.get("week_start", "folder"),
            decimal_by_values=bool(spec.get("decimal_by_values", False)),
        )
    # number formats per header language come from the language registry
    locales = {
        code: {"decimal": lang.decimal, "thousands": lang.thousands}
        for code, lang in languages().items()
    }
    return Catalog(locales={**locales, **API_LOCALE}, kinds=kinds)


def sniff_encoding(head: bytes) -> str:
    """UTF-16 by its BOM, else UTF-8 if it decodes, else Shift-JIS or Windows-1252 (Amazon's
    Japanese and US/UK defaults for flat files)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character may be cut at the end of the sniffed block
        if exc.start < len(head) - 3:
            return "cp932" if _looks_japanese(head) else "cp1252"
    return "utf-8"


def _looks_japanese(head: bytes) -> bool:
    """Shift-JIS (Japanese Seller Central's flat files) decodes to kana; Windows-1252 text
    read as Shift-JIS does not."""
    try:
        text = head[: len(head) - 2].decode("cp932")
    except UnicodeDecodeError:
        return False
    return sum(1 for ch in text if "\u3040" <= ch <= "\u30ff") >= 2


def _first_lines(path: Path, encoding: str) -> list[str]:
    """The first lines, each cut at ``LINE_CHARS`` (a file without line breaks is not read
    whole)."""
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        lines = (handle.readline(LINE_CHARS) for _ in range(TITLE_ROWS_SCANNED))
        return [line for line in lines if line]


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(line), delimiter=delimiter), [])
    except csv.Error:  # a cell longer than any header's (128 K characters): no header here
        return []


def detect(cells: list[str], cat: Catalog | None = None) -> Detected | None:
    """The kind and language whose header spellings explain this row best, if any fits.

    More matched columns win; on a tie the kind with more required columns (the more
    specific report, e.g. Targeting over Campaign) wins."""
    cat = cat or catalog()
    seen: dict[str, int] = {}  # each spelling at its first position
    for position, cell in enumerate(cells):
        seen.setdefault(normalise_header(cell), position)
    best: tuple[tuple[int, int], Detected] | None = None
    for kind in cat.kinds.values():
        required = [c for c in kind.columns.values() if c.required]
        for lang in kind.languages:
            positions = {}
            for col in kind.columns.values():
                for spelling in col.names.get(lang, ()):
                    if spelling in seen:
                        positions[col.name] = seen[spelling]
                        break
            if not positions or any(c.name not in positions for c in required):
                continue
            score = (len(positions), len(required))
            if best is None or score > best[0]:
                days, currency = header_window(cells)
                best = (score, Detected(kind, lang, 0, positions, cells, days, currency))
    return best[1] if best else None


def closest_kind(cells: list[str], cat: Catalog | None = None) -> tuple[str, list[str], list[str]]:
    """For an unknown header: the kind sharing most columns, the columns not recognised, and
    the required columns of that kind the header lacks."""
    cat = cat or catalog()
    seen = [normalise_header(c) for c in cells]
    spellings = {
        s
        for k in cat.kinds.values()
        for c in k.columns.values()
        for n in c.names.values()
        for s in n
    }
    unknown = [c for c, s in zip(cells, seen, strict=True) if s not in spellings and c.strip()]
    scores = {
        kind.label: sum(
            1 for c in kind.columns.values() if any(s in seen for n in c.names.values() for s in n)
        )
        for kind in cat.kinds.values()
    }
    if not scores or not max(scores.values()):
        return "none", unknown, []
    label = max(scores, key=scores.get)
    kind = next(k for k in cat.kinds.values() if k.label == label)
    missing = [
        c.name
        for c in kind.columns.values()
        if c.required and not any(s in seen for n in c.names.values() for s in n)
    ]
    return label, unknown, missing


@dataclass
class Readable:
    """A file ready for DuckDB's CSV reader."""

    path: Path
    encoding: str
    file_format: str
    plain_numbers: bool
    temporary: bool
    currency: str | None = None  # the currency a JSON report gives its amounts in

    def cleanup(self) -> None:
        if self.temporary:
            self.path.unlink(missing_ok=True)


def readable(path: Path, workdir: Path, limits: Limits | None = None, name: str = "") -> Readable:
    """Turn XLSX/JSON/Windows-1252/Shift-JIS into UTF-8 CSV in ``workdir`` (a temporary file,
    removed by ``cleanup`` or on failure); other files are read as they are. ``name`` is the
    file as messages show it."""
    suffix = path.suffix.lower()
    name = name or path.name
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head.removeprefix(b"\xef\xbb\xbf").strip():
        raise ExportError(f"{name}: the file is empty; download the export again")
    start = head.lstrip(b"\xef\xbb\xbf \r\n\t")[:15].lower()
    if start.startswith((b"<!doctype html", b"<html")):
        raise ExportError(
            f"{name}: a web page (HTML), not an export: the download failed (often a signed-out "
            "session); sign in to Seller Central and download the report again"
        )
    if head.startswith(b"PK\x03\x04") and suffix != ".xlsx" and not _is_workbook(path):
        raise ExportError(
            f"{name}: a ZIP archive, not an export; unzip it and put the export inside it in "
            "the inbox"
        )
    spreadsheet = suffix == ".xlsx" or head.startswith(b"PK\x03\x04")
    document = suffix == ".json" or head.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] in (b"{", b"[")
    encoding = "utf-8" if spreadsheet or document else sniff_encoding(head)
    if not (spreadsheet or document or encoding in ("cp1252", "cp932")):
        return Readable(path, encoding, "csv", False, False)
    handle, temporary = tempfile.mkstemp(prefix=".", suffix=".sellerpulse.csv", dir=workdir)
    os.close(handle)
    target = Path(temporary)
    try:
        if spreadsheet:
            xlsx_to_csv(path, target, limits, name)
            return Readable(target, "utf-8", "xlsx", True, True)
        if document:
            currency = json_to_csv(path, target, limits, name)
            return Readable(target, "utf-8", "json", True, True, currency)
        # DuckDB reads UTF-8/16 and Latin-1 only: transcode Windows-1252 and Shift-JIS
        _transcode(path, target, encoding, name)
        return Readable(target, encoding, "csv", False, True)
    except (ConversionError, LimitExceeded) as exc:
        target.unlink(missing_ok=True)
        raise ExportError(str(exc)) from exc
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _is_workbook(path: Path) -> bool:
    """A ZIP file that is an Excel workbook (an XLSX saved under another name)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _transcode(path: Path, target: Path, encoding: str, name: str) -> None:
    """``path`` from ``encoding`` to UTF-8, a block at a time (a file's size never in memory)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
        for block in iter(lambda: source.read(1 << 20), b""):
            try:
                out.write(decoder.decode(block))
            except UnicodeDecodeError as exc:
                raise ExportError(
                    f"{name}: not readable as UTF-8, UTF-16, Windows-1252 or Shift-JIS "
                    f"(byte {offset + exc.start}); open it in a spreadsheet and save it as CSV "
                    "UTF-8"
                ) from exc
            offset += len(block)
        out.write(decoder.decode(b"", final=True))


def sniff(
    source: Readable, name: str, limits: Limits | None = None, date_order: str = "dmy"
) -> tuple[Detected, str]:
    """Find the delimiter and the header row (title rows above it are skipped, a Vendor
    Central banner among them is read: ``date_order`` is the account marketplace's, for its
    viewing range)."""
    limits = limits or Limits()
    lines = _first_lines(source.path, "utf-16" if source.encoding == "utf-16" else "utf-8")
    widest: list[str] = []
    for number, line in enumerate(lines, start=1):
        # each separator the line has is tried: a header cell may hold another one
        # ("7 Tage, Umsatz gesamt (€)" in a ";" file); the reading that recognises most
        # columns wins, then the separator that occurs most
        best: tuple[tuple[int, int], Detected, str] | None = None
        candidates = [d for d in DELIMITERS if d in line] or [","]
        usual = max(candidates, key=line.count)
        for delimiter in candidates:
            cells = _split(line, delimiter)
            if len(cells) > limits.columns:
                if delimiter != usual:
                    continue
                too_wide = limits.exceeded(name, f"line {number} has", len(cells), "columns")
                raise ExportError(str(too_wide))
            if len(cells) > len(widest):
                widest = cells
            found = detect(cells)
            score = (len(found.positions), line.count(delimiter)) if found else None
            if found and (best is None or score > best[0]):
                best = (score, found, delimiter)
        if best:
            _, found, delimiter = best
            found.header_line = number
            if source.currency and not found.header_currency:
                found.header_currency = source.currency
            if not found.header_currency:
                found.header_currency = preamble_currency(lines[: number - 1])
            if found.kind.decimal_by_values and not source.plain_numbers:
                found.number_language = number_language(source, delimiter, found, DECIMAL_COMMA)
            if found.kind.banner:
                _apply_banner(found, lines[: number - 1], date_order, source, delimiter, name)
            return found, delimiter
    label, unknown, missing = closest_kind(widest)
    columns = ", ".join(repr(c) for c in unknown[:12]) or "none"
    lacks = f", which also needs {', '.join(missing)}" if missing else ""
    raise ExportError(
        f"{name}: header not recognised as any known export (closest: {label}{lacks}); "
        f"unrecognised columns: {columns}. If this is a real Amazon export, add its header "
        f"spellings to assets/ingest/{KINDS_FILE.name}"
    )


def preamble_currency(above: list[str]) -> str | None:
    """The currency the lines above a header state ("All amounts in GBP, unless specified"),
    if any; a language whose preamble is not evidenced gives None (the account's currency)."""
    for line in above:
        cells = _split(line, ",")
        if cells and (match := PREAMBLE_CURRENCY.match(cells[0].strip())):
            return match["cur"].upper()
    return None


def _apply_banner(
    found: Detected,
    above: list[str],
    date_order: str,
    source: Readable,
    delimiter: str,
    name: str,
) -> None:
    """Fill the columns the header lacks from the banner above it (its viewing range, view and
    programme) and take its currency and number format; a kind dated by the banner fails
    without a readable viewing range."""
    banner = parse_banner(above, date_order)
    kind = found.kind
    if banner:
        found.constants = {
            column: value
            for column, value in banner.columns().items()
            if column in kind.columns and column not in found.positions
        }
        found.header_currency = banner.currency or found.header_currency
        language = banner.locale.partition("_")[0] if banner.locale else None
        # spreadsheets and JSON give numbers plain, whatever the locale
        if language and not source.plain_numbers:
            found.number_language = number_language(source, delimiter, found, language)
    if kind.period in found.positions or kind.period in found.constants:
        return
    if banner is None:
        problem = (
            "has no banner above its header (the Programme=[…], Viewing Range=[…] line Vendor "
            "Central writes first), so nothing dates its rows"
        )
    elif banner.unreadable_range:
        problem = (
            f"has a banner whose viewing range [{banner.unreadable_range}] is not a date range "
            "in either day/month order"
        )
    else:
        problem = (
            f"has a banner without a viewing range (a value like [01/07/26 - 31/07/26]): "
            f"{banner.written()}"
        )
    raise ExportError(
        f"{name}: {kind.label} {problem}. Download the report again from Vendor Central and "
        "put the file in the inbox as it came (opening and saving it in a spreadsheet, or "
        "deleting the rows above the header, loses the banner). A week folder cannot stand in "
        "for it: a Vendor Central report covers a day, a Sunday-Saturday week, a month or a "
        "custom range, and only its banner says which"
    )


NUMBER_ROWS_SCANNED = 10_000
_AROUND_NUMBER = re.compile(r"^\D+|\D+$")  # currency, sign, brackets, "%" around the digits


def number_language(source: Readable, delimiter: str, found: Detected, language: str) -> str | None:
    """The banner locale's ``language`` if the file's numbers follow it rather than its header
    language's convention, else None (the header's).

    Vendor Central writes its headers in English whatever the banner's Locale, and nothing
    public shows whether a de_DE banner brings "€1.234,56" or "€1,234.56", so the values
    decide: a value only one convention can read ("€123.45", "1.234,56") settles it. Without
    one (every value reads alike in both, e.g. "1,234"), the banner's locale is taken; with both
    kinds, the header's, and the misfits are rejected rather than misread."""
    own, other = catalog().locales[found.locale], catalog().locales.get(language)
    if other is None or other == own:
        return None
    numeric = [
        pos
        for column, pos in found.positions.items()
        if found.kind.columns[column].type not in ("text", "date", "datetime")
    ]
    own_only = other_only = 0
    encoding = "utf-16" if source.encoding == "utf-16" else "utf-8"
    with source.path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        rows = csv.reader(handle, delimiter=delimiter)
        for row in itertools.islice(rows, found.header_line, NUMBER_ROWS_SCANNED):
            for pos in numeric:
                cell = (
                    row[pos].replace("\u00a0", " ").replace("\u202f", " ") if pos < len(row) else ""
                )
                core = _AROUND_NUMBER.sub("", cell)
                mine, theirs = _fits(core, own), _fits(core, other)
                own_only += mine and not theirs
                other_only += theirs and not mine
    return language if not own_only else None


def _fits(core: str, convention: dict[str, str]) -> bool:
    """Whether digits ``core`` are a number as ``convention`` writes it: grouped in threes (or
    Indian twos before the last three: 3,05,148.87) or not at all, then a decimal part."""
    if not core:
        return False
    thousands = re.escape(convention["thousands"])
    fraction = f"(?:{re.escape(convention['decimal'])}\\d+)?"
    return bool(
        re.fullmatch(
            rf"(?:\d{{1,3}}(?:{thousands}\d{{3}})+|\d{{1,2}}(?:{thousands}\d{{2}})+"
            rf"{thousands}\d{{3}}|\d+){fraction}",
            core,
        )
    )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# A number as exports write it: optional sign or parentheses, an optional currency symbol or
# code before or after (£, US$, €, JP¥, ￥, Rs., EUR…), grouping by the language's thousands
# separator, space, NBSP, NNBSP or apostrophe, an optional % sign.
# Dates: ISO (with time and offset), "Nov 16, 2026" and "ago 20, 2026" (a month word first or
# after the day, in en, de, fr, it or es), DD.MM.YY(YY), day/month order by the account's
# marketplace, YYYY/MM/DD, and Excel serial numbers.
PARSE_MACROS = r"""
create or replace temp macro sp_currency() as (
    '[A-Z]{1,3}[£$€¥￥₹]|[£$€¥￥₹][A-Z]{1,3}|[£$€¥￥₹]|Rs\.?|[A-Z]{3}'
);
-- The number itself: digits grouped by the locale's thousands separator (or a space), then
-- at most one decimal separator with digits after it. "1,234.56" is no es number (es writes
-- "1.234,56"): rejected, never read as 1.23456 by a reader of the wrong convention.
create or replace temp macro sp_number(v, thousands, decimal_sep) as (
    case when regexp_full_match(
        v,
        '\s*[(\x{2212}-]?\s*(?:' || sp_currency() || ')?\s*[(\x{2212}-]?\s*'
        || '[0-9][0-9' || thousands || '\x{202F}\x{00A0} '']*(?:[' || decimal_sep || '][0-9]*)?'
        || '(?:[eE][-+]?[0-9]+)?[\s\x{202F}\x{00A0}]*(?:%|' || sp_currency() || ')?\s*\)?\s*'
    )
    then (case when regexp_matches(v, '^\s*(?:' || sp_currency() || ')?\s*[(\x{2212}-]')
               then -1 else 1 end)
         * try_cast(nullif(replace(replace(regexp_replace(
               regexp_extract(v, '[0-9][0-9.,\x{202F}\x{00A0} '']*(?:[eE][-+]?[0-9]+)?'),
               '[\x{202F}\x{00A0} '']', '', 'g'), thousands, ''), decimal_sep, '.'), '')
           as double)
    end
);
-- The month a word names in an export language that writes months as words (en, de, fr,
-- it, es), abbreviated or not, any case, accents and a final dot ignored ("août", "Sept."),
-- or NULL.
create or replace temp macro sp_month(word) as (
    map {
        'jan': 1, 'january': 1, 'januar': 1, 'janv': 1, 'janvier': 1, 'ene': 1, 'enero': 1,
        'gen': 1, 'gennaio': 1,
        'feb': 2, 'february': 2, 'februar': 2, 'fev': 2, 'fevr': 2, 'fevrier': 2,
        'febrero': 2, 'febbraio': 2,
        'mar': 3, 'march': 3, 'marz': 3, 'mrz': 3, 'mars': 3, 'marzo': 3,
        'apr': 4, 'april': 4, 'avr': 4, 'avril': 4, 'abr': 4, 'abril': 4, 'aprile': 4,
        'may': 5, 'mai': 5, 'mayo': 5, 'mag': 5, 'maggio': 5,
        'jun': 6, 'june': 6, 'juni': 6, 'juin': 6, 'junio': 6, 'giu': 6, 'giugno': 6,
        'jul': 7, 'july': 7, 'juli': 7, 'juil': 7, 'juillet': 7, 'julio': 7, 'lug': 7,
        'luglio': 7,
        'aug': 8, 'august': 8, 'aout': 8, 'ago': 8, 'agosto': 8,
        'sep': 9, 'sept': 9, 'september': 9, 'septembre': 9, 'septiembre': 9,
        'setiembre': 9, 'set': 9, 'settembre': 9,
        'oct': 10, 'october': 10, 'okt': 10, 'oktober': 10, 'octobre': 10, 'octubre': 10,
        'ott': 10, 'ottobre': 10,
        'nov': 11, 'november': 11, 'novembre': 11, 'noviembre': 11,
        'dec': 12, 'december': 12, 'dez': 12, 'dezember': 12, 'decembre': 12,
        'diciembre': 12, 'dic': 12, 'dicembre': 12
    }[regexp_replace(strip_accents(lower(word)), '\.$', '')]
);
-- A date with its month written as a word in an export language ("ago 20, 2026",
-- "20 août 2026", "17 dic 2026", "5. März 2026", "20 de agosto de 2026"), or NULL.
create or replace temp macro sp_named_month_date(v) as (
    coalesce(
        try_strptime(
            regexp_replace(v, '^([^\d\s.,]+)\.?\s+(\d{1,2}),?\s+(\d{4})$', '\3-\2-')
            || sp_month(regexp_extract(v, '^([^\d\s.,]+)\.?\s+\d{1,2},?\s+\d{4}$', 1)),
            '%Y-%d-%m'
        ),
        try_strptime(
            regexp_replace(
                v, '^(\d{1,2})\.?\s+(?:de\s+)?([^\d\s.,]+)\.?,?\s+(?:de\s+)?(\d{4})$', '\3-\1-'
            )
            || sp_month(regexp_extract(
                v, '^\d{1,2}\.?\s+(?:de\s+)?([^\d\s.,]+)\.?,?\s+(?:de\s+)?\d{4}$', 1
            )),
            '%Y-%d-%m'
        )
    )::date
);
create or replace temp macro sp_date_part(v, date_order) as (
    case
        when regexp_matches(v, '^\s*\d{4}-\d{2}-\d{2}')
            then try_cast(substr(trim(v), 1, 10) as date)
        when regexp_full_match(trim(v), '[1-9][0-9]{4}(\.0+)?')
            then date '1899-12-30' + cast(cast(trim(v) as double) as integer)
        when regexp_full_match(trim(v), '\d{4}/\d{1,2}/\d{1,2}')
            then try_strptime(trim(v), '%Y/%m/%d')::date
        when regexp_full_match(trim(v), '\d{1,2}\.\d{1,2}\.\d{4}')
            then try_strptime(trim(v), '%d.%m.%Y')::date
        when regexp_full_match(trim(v), '\d{1,2}\.\d{1,2}\.\d{2}')
            then try_strptime(trim(v), '%d.%m.%y')::date
        when regexp_full_match(trim(v), '\d{1,2}/\d{1,2}/\d{4}') and date_order = 'mdy'
            then try_strptime(trim(v), '%m/%d/%Y')::date
        when regexp_full_match(trim(v), '\d{1,2}/\d{1,2}/\d{2}') and date_order = 'mdy'
            then try_strptime(trim(v), '%m/%d/%y')::date
        when regexp_full_match(trim(v), '\d{1,2}/\d{1,2}/\d{4}')
            then try_strptime(trim(v), '%d/%m/%Y')::date
        when regexp_full_match(trim(v), '\d{1,2}/\d{1,2}/\d{2}')
            then try_strptime(trim(v), '%d/%m/%y')::date
        else coalesce(
            try_strptime(trim(v), '%b %d, %Y')::date,
            try_strptime(trim(v), '%d %b %Y')::date,
            sp_named_month_date(trim(v))
        )
    end
);
-- A date as written, without the clock time some exports add after it ("01.05.2026 10:05:35
-- UTC" is 1 May 2026 as written).
create or replace temp macro sp_date(v, date_order) as (
    sp_date_part(regexp_replace(v, '[T\s,]+\d{1,2}:\d{2}.*$', ''), date_order)
);
-- The clock time at the end of a date and time as written ("1:05:07 AM PDT", "22:37:41 UTC",
-- "4:24:44 am", "T23:59:00+09:00"): its hour, minute, second and a/p letter.
create or replace temp macro sp_clock_parts(v) as (
    regexp_extract(
        v,
        '(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?\s*(?:([AaPp])\.?\s?[Mm]\.?)?'
        || '\s*(?:Z|[+-]\d{2}:?\d{2}|[A-Za-z]{1,5})?\s*$',
        ['h', 'mi', 's', 'ap']
    )
);
-- Seconds since midnight of those parts (a 12-hour clock by its a/p letter), or NULL when
-- they are not a time of day.
create or replace temp macro sp_clock_seconds(p) as (
    (case
        when p.ap = '' and try_cast(p.h as integer) between 0 and 23 then try_cast(p.h as integer)
        when p.ap <> '' and try_cast(p.h as integer) between 1 and 12
            then try_cast(p.h as integer) % 12 + (case when lower(p.ap) = 'p' then 12 else 0 end)
    end) * 3600
    + (case when try_cast(p.mi as integer) < 60 then try_cast(p.mi as integer) end) * 60
    + (case when coalesce(try_cast(nullif(p.s, '') as double), 0) < 60
        then coalesce(try_cast(nullif(p.s, '') as double), 0) end)
);
-- The date and time as written, without its zone: "Sep 4, 2026 1:05:07 AM PDT" (US),
-- "1 May 2026 00:09:17 UTC", "17 dic 2026 22:37:41 UTC", "1 Jul 2026 4:24:44 am UTC" (IN),
-- "01.05.2026 10:05:35 UTC" (DE), "2026/05/01 10:05:35 JST", ISO 8601: the date as sp_date
-- reads it, plus its clock time (midnight without one); or NULL.
create or replace temp macro sp_local_time(v) as (
    sp_date(v, 'dmy') + to_seconds(
        case when regexp_matches(v, '\d{1,2}:\d{2}') then sp_clock_seconds(sp_clock_parts(v))
            else 0 end
    )
);
-- Minutes east of UTC of the zone written after a time: an offset (+02:00, Z) or one of the
-- abbreviations Amazon's exports use (US zones, UTC, JST, IST …); 0 without a zone, NULL
-- for an abbreviation not known here (the value is then rejected, not misdated).
create or replace temp macro sp_zone_minutes(v) as (
    case
        when regexp_matches(v, ':\d{2}(?:\.\d+)?\s*[+-]\d{2}:?\d{2}$')
            then (case when regexp_extract(v, '([+-])\d{2}:?\d{2}$', 1) = '-' then -1 else 1 end)
                * (60 * regexp_extract(v, '[+-](\d{2}):?\d{2}$', 1)::integer
                   + regexp_extract(v, '[+-]\d{2}:?(\d{2})$', 1)::integer)
        when regexp_matches(v, ':\d{2}(?:\.\d+)?(?:\s*[AaPp]\.?\s?[Mm]\.?)?\s*[A-Za-z]{1,5}$')
            and not regexp_matches(v, ':\d{2}\s*[AaPp]\.?\s?[Mm]\.?$')
            then map {
                'Z': 0, 'UTC': 0, 'GMT': 0, 'PST': -480, 'PDT': -420, 'MST': -420, 'MDT': -360,
                'CST': -360, 'CDT': -300, 'EST': -300, 'EDT': -240, 'AKST': -540, 'AKDT': -480,
                'HST': -600, 'HDT': -540, 'BST': 60, 'CET': 60, 'CEST': 120, 'JST': 540,
                'IST': 330, 'AEST': 600, 'AEDT': 660
            }[upper(regexp_extract(v, '([A-Za-z]{1,5})$', 1))]
        else 0
    end
);
-- The moment a date and time as written stands for, in UTC (a timestamp without zone).
create or replace temp macro sp_datetime(v) as (
    sp_local_time(v) - to_minutes(sp_zone_minutes(v))
);
"""


def _typed(column: Column, pos: int) -> str:
    """The typed value of column ``c<pos>`` from its parsed number ``n<pos>`` or date
    ``d<pos>`` (see ``_parse_values``); NULL when it does not parse."""
    text = f"nullif(trim(c{pos}), '')"
    if column.type == "text":
        return text
    if column.type == "date":
        return f"d{pos}"
    if column.type == "datetime":
        return f"t{pos}"
    number = f"n{pos}"
    if column.type == "int":
        return f"(case when {number} = trunc({number}) then {number}::bigint end)"
    if column.type == "pct":
        # "2.64%" is 0.0264; spreadsheets and the APIs already give the fraction
        return f"(case when {text} like '%\\%%' escape '\\' then {number} / 100 else {number} end)"
    return f"{number}::{SQL_TYPES[column.type]}"


def _local_date(pos: int, timezone: str) -> str:
    """The date, in ``timezone``, of the UTC moment ``v<pos>``."""
    return f"timezone({_quote(timezone)}, timezone('UTC', v{pos}))::date"


def _parse_values(typed: dict[int, str], locale: dict[str, str], date_order: str) -> str:
    """A query of every number, date and date-time of ``parsed_source``, parsed in one long
    column: ``row_id`` and ``n<pos>``, ``d<pos>``, ``t<pos>`` per typed column, NULL where a
    value does not parse.

    Binding a regular expression costs about a millisecond per use; parsing the values
    unpivoted keeps it to one use of each parser per file instead of one per column."""
    if not typed:
        return "select row_id from parsed_source"
    dates = [f"'c{p}'" for p, t in typed.items() if t == "date"]
    times = [f"'c{p}'" for p, t in typed.items() if t == "datetime"]
    numbers = ", ".join(
        f"max(num) filter (where col = 'c{p}') as n{p}"
        for p, t in typed.items()
        if t not in ("date", "datetime")
    )
    days = ", ".join(
        f"max(day) filter (where col = 'c{p}') as d{p}" for p, t in typed.items() if t == "date"
    )
    moments = ", ".join(
        f"max(moment) filter (where col = 'c{p}') as t{p}"
        for p, t in typed.items()
        if t == "datetime"
    )
    # a parser the file has no column for is left out: binding the date-time parser alone
    # costs 20 ms a statement, whatever the rows
    not_numbers = ", ".join(dates + times) or "''"
    number_value = (
        f"case when col not in ({not_numbers}) then sp_number("
        f"nullif(trim(raw), ''), {_quote(locale['thousands'])}, {_quote(locale['decimal'])}) end"
        if numbers
        else "null::double"
    )
    day_value = (
        f"case when col in ({', '.join(dates)}) "
        f"then sp_date(nullif(trim(raw), ''), {_quote(date_order)}) end"
        if dates
        else "null::date"
    )
    moment_value = (
        f"case when col in ({', '.join(times)}) then sp_datetime(nullif(trim(raw), '')) end"
        if times
        else "null::timestamp"
    )
    return f"""
        with long as (
            unpivot (select row_id, {", ".join(f"c{p}" for p in typed)} from parsed_source)
            on {", ".join(f"c{p}" for p in typed)} into name col value raw
        ),
        parsed as (
            select row_id, col, {number_value} as num, {day_value} as day,
                {moment_value} as moment
            from long
        )
        select row_id{"".join(f", {part}" for part in (numbers, days, moments) if part)}
        from parsed group by row_id
        """


def parse_file(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    source_name: str,
    date_order: str = "dmy",
    workdir: Path | None = None,
    country: str | None = None,
    limits: Limits | None = None,
    timezone: str = "UTC",
) -> ParsedFile:
    """Read ``path`` into temp tables ``parsed_rows`` (typed, canonical names, source_file,
    source_line) and ``parsed_rejects`` (source_file, line, column, value, reason);
    ``timezone`` is the account marketplace's (it dates rows written with a time)."""
    source = readable(path, workdir or path.parent, limits, source_name)
    try:
        detected, delimiter = sniff(source, source_name, limits, date_order)
        return parse_batch(
            conn, [(source, source_name)], detected, delimiter, date_order, country, timezone
        )[source_name]
    finally:
        source.cleanup()


def batch_key(source: Readable, detected: Detected, delimiter: str) -> tuple:
    """Files with equal keys have the same layout and are parsed in one ``read_csv`` call."""
    return (
        detected.kind.name,
        detected.locale,
        tuple(detected.cells),
        detected.header_line,
        detected.attribution_days,
        detected.header_currency,
        # which columns a banner fills (its values differ per file: they are per-file literals)
        tuple(sorted(detected.constants)),
        detected.number_language,
        delimiter,
        source.encoding == "utf-16",
        source.plain_numbers,
    )


def reading_key(detected: Detected, country: str | None, timezone: str) -> tuple:
    """What, besides its layout (``batch_key``) and date order, decides how a file is read:
    the country only where it changes the numbers' format (``REGIONAL_NUMBERS``), the
    timezone only where a column is dated in it. Files of marketplaces that read alike are
    parsed together (en in GB, DE, IT and JP, say); each keeps its own country (``ParsedFile``)."""
    regional = not detected.number_language and (detected.locale, country) in REGIONAL_NUMBERS
    return (country if regional else None, timezone if detected.kind.local_dates else None)


def _per_file(
    column: str,
    sources: list[tuple[Readable, str]],
    detected: Detected,
    constants: dict[str, dict[str, str]] | None,
) -> str:
    """The SQL value of a column a banner fills: one literal, or one per file of the batch."""
    values = {
        name: (constants or {}).get(name, detected.constants).get(column) for _, name in sources
    }
    distinct = set(values.values())
    if len(distinct) == 1:
        (value,) = distinct
        return "null" if value is None else _quote(value)
    cases = " ".join(
        f"when {_quote(name)} then {'null' if v is None else _quote(v)}"
        for name, v in values.items()
    )
    return f"(case source_file {cases} end)"


def parse_batch(
    conn: duckdb.DuckDBPyConnection,
    sources: list[tuple[Readable, str]],
    detected: Detected,
    delimiter: str,
    date_order: str = "dmy",
    country: str | None = None,
    timezone: str = "UTC",
    constants: dict[str, dict[str, str]] | None = None,
    into: str | None = None,
) -> dict[str, ParsedFile]:
    """Parse files of one layout (see ``batch_key``) together: one ``read_csv`` and one pass of
    each parser for all of them, so a small file costs little more than its bytes. Rows keep
    their file in ``source_file``; the result says per file what was read, loaded, rejected.
    ``constants`` are each file's banner values (by its name; default: ``detected``'s), which
    fill the columns its header lacks.
    A column with ``local_date_of`` is the date of its datetime column in ``timezone`` (the
    account marketplace's), so a sale at 11:30 PM PDT on Sunday is Sunday's although it is
    Monday in UTC.
    The results are tables ``parsed_rows`` and ``parsed_rejects``: temp tables of ``conn``, or
    tables of the schema ``into`` (which must exist), which other connections can read."""
    _load_source(conn, sources, detected, delimiter)
    if conn not in _WITH_MACROS:
        conn.execute(PARSE_MACROS)
        _WITH_MACROS.add(conn)
    locale = catalog().locales[detected.number_language or detected.locale]
    if not detected.number_language and (detected.locale, country) in REGIONAL_NUMBERS:
        locale = REGIONAL_NUMBERS[(detected.locale, country)]
    if sources[0][0].plain_numbers and locale["decimal"] != ".":
        # spreadsheet and JSON numbers are written "1234.5"; a "."-decimal language reads them
        # as they are and also reads amounts a spreadsheet keeps as text ("₹3,05,148.87")
        locale = catalog().locales["api"]
    columns = {
        pos: col
        for col in detected.kind.columns.values()
        if (pos := detected.positions.get(col.name)) is not None
    }
    values = _parse_values(
        {p: c.type for p, c in columns.items() if c.type != "text"}, locale, date_order
    )
    kind = detected.kind
    total = detected.positions.get(kind.total_rows) if kind.total_rows else None
    typed, finals, failures = [], [], []
    local_dates = {
        col.local_date_of: col for col in kind.columns.values() if col.local_date_of is not None
    }
    for col in kind.columns.values():
        pos = detected.positions.get(col.name)
        source = detected.positions.get(col.local_date_of or "")
        if pos is None and source is not None:
            finals.append(f"{_local_date(source, timezone)} as {col.name}")
            continue
        if pos is None:
            finals.append(f"{_per_file(col.name, sources, detected, constants)}::"
                          f"{SQL_TYPES[col.type]} as {col.name}")  # fmt: skip
            continue
        typed.append(f"{_typed(col, pos)} as v{pos}")
        stand_in = detected.positions.get(col.fallback or "")
        if stand_in is not None:  # e.g. a settlement's summary row, dated by its end
            finals.append(f"coalesce(v{pos}, v{stand_in}) as {col.name}")
        else:
            finals.append(f"v{pos} as {col.name}")
        header = detected.cells[pos].replace("\ufeff", "").strip()
        if col.required:
            reason = f"'{header}' is empty; this column is required"
            empty = f"nullif(trim(c{pos}), '') is null"
            if total is not None:  # a file's total row (e.g. an SP-API aggregate) has no ASIN
                empty += f" and nullif(trim(c{total}), '') is null"
            failures.append((col.name, pos, empty, reason))
        if col.type != "text":
            written = detected.number_language or detected.locale
            reason = f"'{header}' is not {EXPECTED[col.type]} in {written} format"
            failed = f"nullif(trim(c{pos}), '') is not null and v{pos} is null"
            failures.append((col.name, pos, failed, reason))
        if col.type == "int":  # units, sessions, clicks, stock: counts are never negative
            reason = f"'{header}' is negative; a count cannot be"
            failures.append((col.name, pos, f"v{pos} < 0", reason))
        if col.name == kind.period:  # a dated row after the day it is loaded
            reason = f"'{header}' is in the future (after today); check the export's dates"
            failures.append((col.name, pos, f"v{pos} > current_date", reason))
        dated = local_dates.get(col.name)
        if dated is not None and dated.name == kind.period:
            reason = f"'{header}' is in the future (after today); check the export's dates"
            failures.append((col.name, pos, f"{_local_date(pos, timezone)} > current_date", reason))
    spans = {(kind.period, kind.period_end), ("start_date", "end_date")}
    for first, last in sorted(spans, key=str):
        start, end = (detected.positions.get(c) for c in (first, last))
        if start is not None and end is not None and start != end:
            reason = (
                f"'{detected.cells[end].strip()}' is before '{detected.cells[start].strip()}'; "
                "a row's period must end on or after its start"
            )
            failures.append((last, end, f"v{end} < v{start}", reason))
    conn.execute(
        f"create or replace temp table parsed_typed as select *, {', '.join(typed) or 'null as v'} "
        f"from parsed_source left join ({values}) as parsed_values using (row_id)"
    )
    # each stage is a copy of the file: dropped as soon as the next holds what it needs, so a
    # large export costs a third less memory (and spills less under Limits.memory_mb)
    conn.execute("drop table parsed_source")
    reject_selects = [
        f"select row_id, source_file, source_line, '{name}' as column_name, c{pos} as value, "
        f"{_quote(reason)} as reason from parsed_typed where {condition}"
        for name, pos, condition, reason in failures
    ]
    # DuckDB lets no statement name the "temp" catalog: a temp table is made by its keyword
    made, where = ("table", f"{into}.") if into else ("temp table", "")
    conn.execute(
        f"create or replace {made} {where}parsed_rejects as "
        + (
            " union all ".join(reject_selects)
            if reject_selects
            else "select null::bigint as row_id, null::varchar as source_file, "
            "null::bigint as source_line, null::varchar as column_name, null::varchar as value, "
            "null::varchar as reason where false"
        )
    )
    conn.execute(
        f"create or replace {made} {where}parsed_rows as select source_file, source_line, "
        f"{', '.join(finals)} from parsed_typed "
        f"where row_id not in (select row_id from {where}parsed_rejects)"
    )
    # rows read (blank lines were left out) and rows loaded, per file
    counts = {
        name: (read, loaded)
        for name, read, loaded in conn.execute(
            "select source_file, count(*), count(*) filter (where row_id not in "
            f"(select row_id from {where}parsed_rejects)) from parsed_typed group by all"
        ).fetchall()
    }
    conn.execute("drop table parsed_typed")
    parsed = {}
    for source, name in sources:
        read, loaded = counts.get(name, (0, 0))
        parsed[name] = ParsedFile(
            detected, source.encoding, read, loaded, read - loaded, source.file_format, country
        )
    return parsed


def _load_source(
    conn: duckdb.DuckDBPyConnection,
    sources: list[tuple[Readable, str]],
    detected: Detected,
    delimiter: str,
) -> None:
    """All data rows as text in temp table ``parsed_source`` (row_id, source_file,
    source_line, c0, c1, …); a blank line (often the last) carries no data and is left out."""
    width = max(len(detected.cells), 1)
    tab = delimiter == "\t"
    try:
        conn.execute(
            "create or replace temp table parsed_source as select * from ("
            "select scanned.row_id, names.source_file, "
            f"scanned.row_id - min(scanned.row_id) over (partition by scanned.filename) + 1 "
            f"+ {detected.header_line} as source_line, "
            f"{', '.join(f'c{i}' for i in range(width))} "
            "from (select row_number() over () as row_id, * "
            "from read_csv($paths, header=false, skip=$skip, delim=$delim, quote=$quote, "
            "escape=$quote, columns=$columns, null_padding=true, strict_mode=false, "
            "encoding=$encoding, all_varchar=true, auto_detect=false, filename=true)) as scanned "
            "inner join (select unnest($paths) as path, unnest($names) as source_file) as names "
            "on scanned.filename = names.path) where not ("
            + " and ".join(f"coalesce(trim(c{i}), '') = ''" for i in range(width))
            + ")",
            {
                "paths": [str(source.path) for source, _ in sources],
                "names": [name for _, name in sources],
                "skip": detected.header_line,
                "delim": delimiter,
                # Amazon's tab-separated flat files are not quoted; a " in a review is text
                "quote": "" if tab else '"',
                "columns": {f"c{i}": "VARCHAR" for i in range(width)},
                "encoding": "utf-16" if sources[0][0].encoding == "utf-16" else "utf-8",
            },
        )
    except duckdb.Error as exc:
        names = ", ".join(name for _, name in sources)
        raise ExportError(
            f"{names}: could not be read as {detected.kind.label} "
            f"({str(exc).splitlines()[0]}); the file may be truncated or damaged — export it "
            "again"
        ) from exc
