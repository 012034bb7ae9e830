"""The ads console's and Vendor Central's XLSX workbooks, byte-identical from run to run.

openpyxl builds one template workbook per marketplace and sheet (styles, number formats,
document properties); the sheet itself is streamed into it as XML, and the parts are zipped
with fixed timestamps so the same data always gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from demo.markets import Market

_XLSX_FORMATS = ("date", "int", "pct", "money", "ratio")
_SHEET = "xl/worksheets/sheet1.xml"
_COLUMNS = [chr(65 + i) for i in range(26)]
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class _XlsxTemplate:
    package: dict[str, bytes]  # every part of the workbook but the sheet
    styles: dict[str, int]  # number format -> cell style index in styles.xml


_XLSX_TEMPLATES: dict[tuple[str, str, str], _XlsxTemplate] = {}
ADS_CREATOR = "Amazon Advertising"
VENDOR_CREATOR = "Amazon Vendor Central"


def _ads_formats(market: Market) -> dict[str, str]:
    """The ads console's number formats: a date, counts, percentages, money in the account's
    currency, ROAS."""
    return {
        "date": "MMM dd, yyyy",
        "int": "0",
        "pct": "0.0000%",
        "money": f"[${market.symbol}]#,##0.00;([${market.symbol}]#,##0.00)",
        "ratio": "0.00",
    }


def _vendor_formats(market: Market) -> dict[str, str]:
    """Vendor Central's: counts, percentages, money in the account's currency, days."""
    return {
        "int": "#,##0",
        "pct": "0.00%",
        "money": f"[${market.symbol}]#,##0.00",
        "days": "0.0",
    }


def _xlsx_template(
    market: Market, title: str, creator: str = ADS_CREATOR, formats: dict[str, str] | None = None
) -> _XlsxTemplate:
    """The workbook package openpyxl builds for one sheet with the given number formats (the
    ads console's by default); the sheet data is streamed into it by ``ads_xlsx`` or
    ``table_xlsx`` because openpyxl's cell-by-cell writer would take about a minute for one
    account at benchmark scale."""
    key = (market.code, title, creator)
    if key in _XLSX_TEMPLATES:
        return _XLSX_TEMPLATES[key]
    from openpyxl import Workbook

    formats = formats or _ads_formats(market)
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    wb.properties.creator = creator
    for column, name in enumerate(formats, start=1):
        cell = ws.cell(row=1, column=column, value=1)
        cell.number_format = formats[name]
    raw = io.BytesIO()
    wb.save(raw)
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    sheet = parts.pop(_SHEET).decode("utf-8")
    styles = {
        name: int(re.search(rf'<c r="{_COLUMNS[i]}1"[^>]*\bs="(\d+)"', sheet).group(1))
        for i, name in enumerate(formats)
    }
    template = _XlsxTemplate(parts, styles)
    _XLSX_TEMPLATES[key] = template
    return template


def _xml_text(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<is><t{space}>{text}</t></is>"


def ads_xlsx(
    rows: list[tuple],
    header: list[str],
    texts: list[list[str]],
    market: Market,
    title: str,
    stamp: datetime,
) -> bytes:
    """The console's XLSX: one sheet, dates as real Excel dates (serials with a date format),
    money and percentages as numbers with the console's number formats, an empty ACOS cell
    where there were no sales. A row's day may be a ``(start, end)`` pair: a summary export's
    Start Date and End Date. Zip entries carry ``stamp`` so reruns are byte-identical."""
    template = _xlsx_template(market, title)
    st = template.styles
    s_date, s_int, s_pct, s_money, s_ratio = (st[n] for n in _XLSX_FORMATS)
    scale = 10**market.decimals
    cols = _COLUMNS
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{cols[len(header) - 1]}{len(rows) + 1}"/><sheetData><row r="1">'
    ]
    out += [f'<c r="{cols[j]}1" t="inlineStr">{_xml_text(h)}</c>' for j, h in enumerate(header)]
    out.append("</row>")
    for r, row in enumerate(rows, start=2):
        day, key, imp, clk, spend, sales, orders, units, adv_u, oth_u, adv_s, oth_s = row
        days = day if isinstance(day, tuple) else (day,)
        values: list[tuple[int, object] | None] = [
            *[(s_date, (d - _EXCEL_EPOCH).days) for d in days],
            *[(-1, v) for v in texts[key]],
            (s_int, imp),
            (s_int, clk),
            (s_pct, repr(clk / imp) if imp else 0),
            (s_money, repr(spend / clk / scale)) if clk else None,
            (s_money, repr(spend / scale)),
            (s_money, repr(sales / scale)),
            (s_pct, repr(spend / sales)) if sales else None,
            (s_ratio, repr(sales / spend) if spend else 0),
            (s_int, orders),
            (s_int, units),
            (s_pct, repr(orders / clk) if clk else 0),
            (s_int, adv_u),
            (s_int, oth_u),
            (s_money, repr(adv_s / scale)),
            (s_money, repr(oth_s / scale)),
        ]
        cells = [f'<row r="{r}">']
        for j, value in enumerate(values):
            if value is None:
                continue
            style, v = value
            if style < 0:
                cells.append(f'<c r="{cols[j]}{r}" t="inlineStr">{_xml_text(str(v))}</c>')
            else:
                cells.append(f'<c r="{cols[j]}{r}" s="{style}"><v>{v}</v></c>')
        cells.append("</row>")
        out.append("".join(cells))
    out.append("</sheetData></worksheet>")
    parts = dict(template.package)
    parts[_SHEET] = "".join(out).encode("utf-8")
    return _stable_zip(parts, stamp)


def table_xlsx(
    rows: list[list[tuple[str, object] | None]], market: Market, title: str, stamp: datetime
) -> bytes:
    """A Vendor Central workbook: one sheet of rows as given, each cell ``("", text)``, a
    number with one of the formats of ``_vendor_formats`` (``("pct", 0.6)`` is 60.00 %), or
    None for an empty cell. Zip entries carry ``stamp`` so reruns are byte-identical."""
    template = _xlsx_template(market, title, VENDOR_CREATOR, _vendor_formats(market))
    width = max(len(row) for row in rows)
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{_COLUMNS[width - 1]}{len(rows)}"/><sheetData>'
    ]
    for r, row in enumerate(rows, start=1):
        cells = [f'<row r="{r}">']
        for j, cell in enumerate(row):
            if cell is None:
                continue
            style, value = cell
            ref = f"{_COLUMNS[j]}{r}"
            if style:
                cells.append(f'<c r="{ref}" s="{template.styles[style]}"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr">{_xml_text(str(value))}</c>')
        cells.append("</row>")
        out.append("".join(cells))
    out.append("</sheetData></worksheet>")
    parts = dict(template.package)
    parts[_SHEET] = "".join(out).encode("utf-8")
    return _stable_zip(parts, stamp)


def _stable_zip(parts: dict[str, bytes], stamp: datetime) -> bytes:
    """Zip the workbook parts with fixed entry timestamps and document dates (openpyxl would
    stamp the time of the run), so the same data always gives the same bytes."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for name, body in parts.items():
            if name == "docProps/core.xml":
                text = body.decode("utf-8")
                text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*", rf"\g<1>{iso}", text)
                body = text.encode("utf-8")
            entry = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            zout.writestr(entry, body)
    return out.getvalue()
