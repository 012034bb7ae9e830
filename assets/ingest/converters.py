"""Spreadsheets and JSON exports as plain CSV, so every format goes through one reader.

XLSX cells keep their values (numbers stay numbers, dates become ISO dates), and JSON from the
SP-API / Ads API is flattened to one row per record. Either way numbers come out plain
("1234.5"), which the reader is told, so no locale guessing happens on them. An SP-API vendor
report's amounts ({amount, currencyCode}) become their amount; their currency is returned for
the reader to record, as a banner's Currency is.

Both stream against the caps of ``Limits``: an XLSX's unpacked size and declared sheet size are
checked before a row is read, its rows and columns as they come; a JSON file's size before it
is parsed, its nesting, records and keys while it is walked; the CSV written by either as it
grows. ``name`` is the file as messages show it (its place in the inbox).
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from assets.ingest.limits import MB, CappedWriter, Limits, in_mb


class ConversionError(ValueError):
    pass


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    return str(value)


def xlsx_to_csv(path: Path, target: Path, limits: Limits | None = None, name: str = "") -> None:
    """The first worksheet, every row, as UTF-8 CSV."""
    import warnings
    from zipfile import BadZipFile, ZipFile

    from openpyxl import load_workbook

    limits = limits or Limits()
    name = name or path.name

    def unreadable(exc: Exception) -> ConversionError:
        return ConversionError(f"{name}: not a readable .xlsx workbook ({exc}); download it again")

    try:
        # what the parts unpack to, as the archive declares it (reads never go beyond it):
        # openpyxl reads the shared strings whole before the first row
        with ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (BadZipFile, OSError) as exc:
        raise unreadable(exc) from exc
    if unpacked > limits.expanded_mb * MB:
        raise limits.exceeded(name, "its parts unpack to", in_mb(unpacked), "expanded_mb")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no default style" is harmless in Amazon files
            workbook = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise unreadable(exc) from exc
    try:
        sheet = workbook.worksheets[0]
        # the size the sheet declares: a few KB can declare A1:XFD1048576
        if (sheet.max_column or 0) > limits.columns:
            raise limits.exceeded(name, "its sheet declares", sheet.max_column, "columns")
        if (sheet.max_row or 0) > limits.rows:
            raise limits.exceeded(name, "its sheet declares", sheet.max_row, "rows")
        sheet.reset_dimensions()  # Amazon's files under-report their size to read-only mode
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(CappedWriter(handle, limits, name))
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > limits.rows:
                    raise limits.exceeded(name, "its sheet has more than", limits.rows, "rows")
                if len(row) > limits.columns:
                    raise limits.exceeded(name, f"row {number} spans", len(row), "columns")
                writer.writerow([_cell(v) for v in row])
    finally:
        workbook.close()


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# Amazon's schema and its own example spell some metrics differently: accept both.
METRIC_NAMES = {
    "orderDefectRate": "odr",
    "lateShipmentRate": "late_shipment_rate",
    "preFulfillmentCancellationRate": "cancel_rate",
    "prefulfillmentCancelRate": "cancel_rate",
    "validTrackingRate": "valid_tracking_rate",
    "onTimeDeliveryRate": "on_time_delivery_rate",
    "accountHealthRating": "account_health_rating",
}
COUNT_KEYS = (
    "orderWithDefects",
    "lateShipmentCount",
    "cancellationCount",
    "defectsCount",
    "validTrackingCount",
    "onTimeDeliveryCount",
    "unitOnTimeDeliveryCount",
)
ORDER_KEYS = ("orderCount", "shipmentCount", "shipmentCountWithValidTracking", "totalUnitCount")
HEALTH_HEADER = [
    "marketplace_id",
    "metric",
    "channel",
    "rate",
    "target_value",
    "target_condition",
    "status",
    "defects",
    "orders",
    "date_from",
    "date_to",
]


def _health_row(marketplace: str, metric: str, channel: str, body: dict) -> list[str]:
    dates = body.get("reportingDateRange") or {}
    defects = next((body[k] for k in COUNT_KEYS if k in body), None)
    if isinstance(defects, dict):
        defects = defects.get("count")
    status = body.get("status") or body.get("ahrStatus") or body.get("accountHealthRatingStatus")
    return [
        _cell(v)
        for v in (
            marketplace,
            METRIC_NAMES.get(metric, _snake(metric)),
            channel,
            body.get("rate"),
            body.get("targetValue"),
            body.get("targetCondition"),
            status,
            defects,
            next((body[k] for k in ORDER_KEYS if k in body), None),
            dates.get("reportingDateFrom"),
            dates.get("reportingDateTo"),
        )
    ]


def account_health_rows(doc: dict) -> list[list[str]]:
    """One row per marketplace × metric × channel (ODR comes per afn/mfn)."""
    rows = []
    for entry in doc.get("performanceMetrics") or []:
        marketplace = str(entry.get("marketplaceId", ""))
        for metric, body in entry.items():
            if not isinstance(body, dict):
                continue
            channels = {
                k: v for k, v in body.items() if k in ("afn", "mfn") and isinstance(v, dict)
            }
            for channel, part in (channels or {"all": body}).items():
                rows.append(_health_row(marketplace, metric, channel, part))
    return rows


def json_depth(doc: Any, limit: int) -> int:
    """How deep ``doc`` nests (a scalar is 0, ``[1]`` is 1), walked without recursion; stops
    and returns ``limit + 1`` as soon as it goes deeper than ``limit``."""
    deepest = 0
    stack = [(doc, 1)] if isinstance(doc, dict | list) else []
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > limit:
            return depth
        values = node.values() if isinstance(node, dict) else node
        stack.extend((v, depth + 1) for v in values if isinstance(v, dict | list))
    return deepest


# reportOptions an SP-API vendor report applies to every record (its reportPeriod is seen in
# each record's startDate..endDate)
VENDOR_OPTIONS = ("distributorView", "sellingProgram")
VENDOR_LEADING = ("recordType", "startDate", "endDate", "asin")


def vendor_report_rows(doc: dict, name: str) -> tuple[list[str], list[dict], str | None]:
    """An SP-API vendor report (GET_VENDOR_SALES_REPORT, …_NET_PURE_PRODUCT_MARGIN_REPORT,
    …_TRAFFIC_REPORT, …_INVENTORY_REPORT, …_FORECASTING_REPORT) as rows: one per record of its
    ``*Aggregate`` lists (recordType 'aggregate', no asin: the file's own totals) and of its
    ``*ByAsin`` lists; an amount object becomes its amount, the reportOptions distributorView
    and sellingProgram (in lower case, as the banner's) a column of every row. Returns the
    header, the rows and the one currency of the amounts (None without amounts)."""
    spec = doc.get("reportSpecification")
    options = spec.get("reportOptions") if isinstance(spec, dict) else None
    options = options if isinstance(options, dict) else {}
    present = [key for key in VENDOR_OPTIONS if key in options]
    records: list[dict] = []
    currencies: set[str] = set()
    for key, items in doc.items():
        if not key.endswith(("Aggregate", "ByAsin")) or not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, dict):
                raise ConversionError(
                    f"{name}: {key} holds a {type(item).__name__}, not a record; download the "
                    "report again"
                )
            row: dict = {"recordType": "aggregate" if key.endswith("Aggregate") else None}
            for field, value in item.items():
                if isinstance(value, dict) and "amount" in value:
                    if value.get("currencyCode"):
                        currencies.add(str(value["currencyCode"]))
                    value = value["amount"]
                if not isinstance(value, dict | list):  # nothing else nests in these reports
                    row[field] = value
            row.update((k, str(options[k]).lower() if options[k] else None) for k in present)
            records.append(row)
    if not records:
        raise ConversionError(
            f"{name}: the vendor report holds no records (its *Aggregate and *ByAsin lists are "
            "empty), so there is nothing to load; request it again for a period with data"
        )
    if len(currencies) > 1:
        raise ConversionError(
            f"{name}: amounts in {', '.join(sorted(currencies))} in one report; request the "
            "report for one marketplace at a time"
        )
    fields = dict.fromkeys(k for r in records for k in r if k not in (*VENDOR_LEADING, *present))
    header = [*VENDOR_LEADING, *fields, *present]
    return header, records, next(iter(currencies), None)


def is_vendor_report(doc: Any) -> bool:
    return isinstance(doc, dict) and any(
        key.endswith(("Aggregate", "ByAsin")) and isinstance(value, list)
        for key, value in doc.items()
    )


def json_to_csv(
    path: Path, target: Path, limits: Limits | None = None, name: str = ""
) -> str | None:
    """Account health reports, SP-API vendor reports and Ads API report rows (a list of
    objects) as CSV. Returns the currency a vendor report's amounts are in, else None."""
    limits = limits or Limits()
    name = name or path.name
    size = path.stat().st_size
    if size > limits.json_mb * MB:
        raise limits.exceeded(name, "the file has", in_mb(size), "json_mb")
    try:
        doc = json.loads(path.read_text("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConversionError(f"{name}: not valid JSON ({exc}); download it again") from exc
    except RecursionError:
        # Python's parser gives up near a thousand levels, far beyond the cap
        raise limits.exceeded(name, "its values nest more than", 900, "json_depth") from None
    depth = json_depth(doc, limits.json_depth)
    if depth > limits.json_depth:
        raise limits.exceeded(name, "its values nest at least", depth, "json_depth")
    currency = None
    if isinstance(doc, dict) and "performanceMetrics" in doc:
        header, records = HEALTH_HEADER, account_health_rows(doc)
        rows = iter(records)
    elif is_vendor_report(doc):
        header, records, currency = vendor_report_rows(doc, name)
        rows = ([_cell(r.get(k)) for k in header] for r in records)
    else:
        records = doc.get("rows", doc.get("data")) if isinstance(doc, dict) else doc
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise ConversionError(
                f"{name}: JSON is neither a seller performance report nor a list of "
                "report rows; SellerPulse reads GET_V2_SELLER_PERFORMANCE_REPORT, SP-API "
                "vendor reports (GET_VENDOR_*) and Ads API v3 report JSON"
            )
        header = list(dict.fromkeys(k for r in records for k in r))
        rows = ([_cell(r.get(k)) for k in header] for r in records)
    if len(records) > limits.rows:
        raise limits.exceeded(name, "it holds", len(records), "rows")
    if len(header) > limits.columns:
        raise limits.exceeded(name, "its records have", len(header), "columns")
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(CappedWriter(handle, limits, name))
        writer.writerow(header)
        writer.writerows(rows)
    return currency
