"""Read one export file as Amazon delivered it: find its kind and language from the header,
parse every value for that locale, and split the rows into loaded and rejected.

Parsing runs inside DuckDB (``read_csv`` with every column as text, then typed SQL
expressions) so a large export costs little more than a bare ``read_csv``. Nothing here
knows about Dagster; ``assets.ingest.inbox`` decides which files to read and where rows go.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb
import yaml

KINDS_FILE = Path(__file__).with_name("report_kinds.yaml")
SQL_TYPES = {
    "text": "varchar",
    "int": "bigint",
    "money": "decimal(18, 2)",
    "pct": "double",
    "decimal": "decimal(18, 4)",
    "date": "date",
}
TITLE_ROWS_SCANNED = 10
SNIFF_BYTES = 64 * 1024


class ExportError(ValueError):
    """The whole file cannot be read; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool
    names: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    table: str
    period: str
    grain: tuple[str, ...]
    columns: dict[str, Column]


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

    @property
    def ignored(self) -> list[str]:
        """Source columns no canonical column maps to (kept in the original file only)."""
        used = set(self.positions.values())
        return [c for i, c in enumerate(self.cells) if i not in used]


@dataclass
class ParsedFile:
    """The rows of one file, staged in DuckDB temp tables ``parsed_rows`` / ``parsed_rejects``."""

    detected: Detected
    encoding: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int


def normalise_header(text: str) -> str:
    """Compare headers the way a person reads them: width, case, dashes and spaces ignored."""
    text = unicodedata.normalize("NFKC", text).replace("\ufeff", "")
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


@cache
def catalog(path: Path = KINDS_FILE) -> Catalog:
    doc = yaml.safe_load(path.read_text("utf-8"))
    kinds = {}
    for name, spec in doc["kinds"].items():
        columns = {
            col: Column(
                name=col,
                type=c["type"],
                required=bool(c.get("required", False)),
                names={
                    lang: tuple(normalise_header(n) for n in names)
                    for lang, names in c["names"].items()
                },
            )
            for col, c in spec["columns"].items()
        }
        kinds[name] = Kind(
            name=name,
            label=spec["label"],
            table=spec["table"],
            period=spec["period"],
            grain=tuple(spec.get("grain", ())),
            columns=columns,
        )
    return Catalog(locales=doc["locales"], kinds=kinds)


def sniff_encoding(head: bytes) -> str:
    """UTF-16 by its BOM, else UTF-8 if it decodes, else Windows-1252 (Amazon's US/UK default)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        # a multi-byte character may be cut at the end of the sniffed block
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:
            return "cp1252"
    return "utf-8"


def _first_lines(path: Path, encoding: str) -> list[str]:
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        return [line for _, line in zip(range(TITLE_ROWS_SCANNED), handle, strict=False)]


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader(io.StringIO(line), delimiter=delimiter), [])


def detect(cells: list[str], cat: Catalog | None = None) -> Detected | None:
    """The kind and language whose header spellings explain this row best, if any fits."""
    cat = cat or catalog()
    seen = [normalise_header(c) for c in cells]
    best: tuple[int, Detected] | None = None
    for kind in cat.kinds.values():
        languages = {lang for col in kind.columns.values() for lang in col.names}
        for lang in sorted(languages):
            positions = {}
            for col in kind.columns.values():
                for spelling in col.names.get(lang, ()):
                    if spelling in seen:
                        positions[col.name] = seen.index(spelling)
                        break
            required = [c for c in kind.columns.values() if c.required]
            if not positions or any(c.name not in positions for c in required):
                continue
            found = Detected(kind, lang, 0, positions, cells)
            if best is None or len(positions) > best[0]:
                best = (len(positions), found)
    return best[1] if best else None


def closest_kind(cells: list[str], cat: Catalog | None = None) -> tuple[str, list[str]]:
    """For an unknown header: the kind sharing most columns, and the columns not recognised."""
    cat = cat or catalog()
    seen = [normalise_header(c) for c in cells]
    known = {
        s
        for k in cat.kinds.values()
        for c in k.columns.values()
        for n in c.names.values()
        for s in n
    }
    unknown = [c for c, s in zip(cells, seen, strict=True) if s not in known]
    scores = {
        kind.label: sum(
            1 for c in kind.columns.values() if any(s in seen for n in c.names.values() for s in n)
        )
        for kind in cat.kinds.values()
    }
    label = max(scores, key=scores.get) if scores and max(scores.values()) else "none"
    return label, unknown


def sniff(path: Path) -> tuple[Detected, str, str]:
    """Find encoding, delimiter and the header row (title rows above it are skipped)."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head.strip():
        raise ExportError(f"{path.name}: the file is empty; download the export again")
    encoding = sniff_encoding(head)
    lines = _first_lines(path, encoding)
    last_cells: list[str] = []
    for number, line in enumerate(lines, start=1):
        delimiter = "\t" if line.count("\t") > line.count(",") else ","
        cells = _split(line, delimiter)
        found = detect(cells)
        if found:
            found.header_line = number
            return found, encoding, delimiter
        if len(cells) > len(last_cells):
            last_cells = cells
    label, unknown = closest_kind(last_cells)
    shown = ", ".join(repr(c) for c in unknown[:12]) or "none"
    raise ExportError(
        f"{path.name}: header not recognised as any known export (closest: {label}); "
        f"unrecognised columns: {shown}. If this is a real Amazon export, add its header "
        f"spellings to {KINDS_FILE.name}"
    )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# A number as exports write it: optional sign or parentheses, an optional currency symbol or
# code before or after, grouping by , . space NBSP NNBSP or apostrophe, an optional % sign.
NUMBER_MACROS = r"""
create or replace temp macro sp_number(v, thousands, decimal_sep) as (
    case when regexp_full_match(
        v,
        '\s*[(\x{2212}-]?\s*(?:[£$€¥￥₹]|Rs\.?|[A-Z]{3})?\s*[(\x{2212}-]?\s*'
        || '[0-9][0-9.,\x{202F}\x{00A0} '']*\s*(?:[£$€¥￥₹%]|[A-Z]{3})?\s*\)?\s*'
    )
    then (case when regexp_matches(v, '^\s*(?:[£$€¥￥₹]|Rs\.?|[A-Z]{3})?\s*[(\x{2212}-]')
               then -1 else 1 end)
         * try_cast(nullif(replace(replace(regexp_replace(
               regexp_extract(v, '[0-9][0-9.,\x{202F}\x{00A0} '']*'),
               '[\x{202F}\x{00A0} '']', '', 'g'), thousands, ''), decimal_sep, '.'), '')
           as decimal(38, 6))
    end
)
"""


def _number(value: str, locale: dict[str, str]) -> str:
    """SQL turning a locale-formatted number with currency/percent signs into a decimal."""
    return f"sp_number({value}, {_quote(locale['thousands'])}, {_quote(locale['decimal'])})"


def _typed(column: Column, source: str, locale: dict[str, str]) -> tuple[str, str]:
    """(value expression, expression that is true when a non-empty value failed to parse)."""
    text = f"nullif(trim({source}), '')"
    if column.type == "text":
        return text, "false"
    if column.type == "date":
        expr = f"try_cast({text} as date)"
    else:
        number = _number(text, locale)
        if column.type == "int":
            expr = f"(case when {number} = trunc({number}) then {number}::bigint end)"
        elif column.type == "pct":
            expr = f"({number} / 100)::double"
        else:
            expr = f"{number}::{SQL_TYPES[column.type]}"
    return expr, f"({text} is not null and {expr} is null)"


EXPECTED = {
    "int": "a whole number",
    "money": "an amount",
    "pct": "a percentage",
    "decimal": "a number",
    "date": "a date",
}


def parse_file(conn: duckdb.DuckDBPyConnection, path: Path, source_name: str) -> ParsedFile:
    """Read ``path`` into temp tables ``parsed_rows`` (typed, canonical names, source_line)
    and ``parsed_rejects`` (line, column, value, reason)."""
    detected, encoding, delimiter = sniff(path)
    readable = path
    if encoding == "cp1252":
        # DuckDB reads UTF-8/16 and Latin-1 only; Windows-1252 differs from Latin-1 in € and quotes
        readable = path.with_name(path.name + ".utf8")
        readable.write_text(path.read_text("cp1252"), "utf-8")
    width = max(len(_split(_first_lines(path, encoding)[detected.header_line - 1], delimiter)), 1)
    names = {f"c{i}": "VARCHAR" for i in range(width)}
    options = {
        "header": False,
        "skip": detected.header_line,
        "delim": delimiter,
        "quote": '"',
        "escape": '"',
        "columns": names,
        "null_padding": True,
        "strict_mode": False,
        "encoding": "utf-16" if encoding == "utf-16" else "utf-8",
        "ignore_errors": False,
    }
    try:
        conn.execute("drop table if exists parsed_source")
        conn.execute(
            "create temp table parsed_source as select row_number() over () "
            f"+ {detected.header_line} as source_line, * "
            "from read_csv($path, header=$header, skip=$skip, delim=$delim, quote=$quote, "
            "escape=$escape, columns=$columns, null_padding=$null_padding, "
            "strict_mode=$strict_mode, encoding=$encoding, ignore_errors=$ignore_errors)",
            {"path": str(readable), **options},
        )
    except duckdb.Error as exc:
        raise ExportError(
            f"{source_name}: could not be read as {detected.kind.label} "
            f"({str(exc).splitlines()[0]}); the file may be truncated or damaged — export it again"
        ) from exc
    finally:
        if readable != path:
            readable.unlink(missing_ok=True)
    # a blank line (often the last) carries no data
    conn.execute(
        "delete from parsed_source where "
        + " and ".join(f"coalesce(trim(c{i}), '') = ''" for i in range(width))
    )
    conn.execute(NUMBER_MACROS)
    locale = catalog().locales[detected.locale]
    selects, failures = [], []
    for col in detected.kind.columns.values():
        pos = detected.positions.get(col.name)
        if pos is None:
            selects.append(f"null::{SQL_TYPES[col.type]} as {col.name}")
            continue
        expr, failed = _typed(col, f"c{pos}", locale)
        selects.append(f"{expr} as {col.name}")
        header = detected.cells[pos].replace("\ufeff", "").strip()
        if col.required:
            reason = f"'{header}' is empty; this column is required"
            failures.append((col.name, f"c{pos}", f"nullif(trim(c{pos}), '') is null", reason))
        if failed != "false":
            reason = f"'{header}' is not {EXPECTED[col.type]} in {detected.locale} format"
            failures.append((col.name, f"c{pos}", failed, reason))
    conn.execute("drop table if exists parsed_rejects")
    reject_selects = [
        f"select source_line, '{name}' as column_name, {src} as value, {_quote(reason)} as reason "
        f"from parsed_source where {cond}"
        for name, src, cond, reason in failures
    ]
    conn.execute(
        "create temp table parsed_rejects as "
        + (
            " union all ".join(reject_selects)
            if reject_selects
            else "select null::bigint as source_line, null::varchar as column_name, "
            "null::varchar as value, null::varchar as reason where false"
        )
    )
    conn.execute("drop table if exists parsed_rows")
    conn.execute(
        f"create temp table parsed_rows as select source_line, {', '.join(selects)} "
        "from parsed_source where source_line not in (select source_line from parsed_rejects)"
    )
    rows_read = conn.execute("select count(*) from parsed_source").fetchone()[0]
    rows_loaded = conn.execute("select count(*) from parsed_rows").fetchone()[0]
    return ParsedFile(detected, encoding, rows_read, rows_loaded, rows_read - rows_loaded)
