"""Spreadsheets and JSON exports as plain CSV, so every format goes through one reader.

XLSX cells keep their values (numbers stay numbers, dates become ISO dates), and JSON from the
SP-API / Ads API is flattened to one row per record. Either way numbers come out plain
("1234.5"), which the reader is told, so no locale guessing happens on them.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Any


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


def xlsx_to_csv(path: Path, target: Path) -> None:
    """The first worksheet, every row, as UTF-8 CSV."""
    import warnings
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no default style" is harmless in Amazon files
            workbook = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ConversionError(
            f"{path.name}: not a readable .xlsx workbook ({exc}); download it again"
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # Amazon's files under-report their size to read-only mode
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            for row in sheet.iter_rows(values_only=True):
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


def json_to_csv(path: Path, target: Path) -> None:
    """Account health reports and Ads API report rows (a list of objects) as CSV."""
    try:
        doc = json.loads(path.read_text("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConversionError(f"{path.name}: not valid JSON ({exc}); download it again") from exc
    if isinstance(doc, dict) and "performanceMetrics" in doc:
        header, rows = HEALTH_HEADER, account_health_rows(doc)
    else:
        records = doc.get("rows", doc.get("data")) if isinstance(doc, dict) else doc
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise ConversionError(
                f"{path.name}: JSON is neither a seller performance report nor a list of "
                "report rows; SellerPulse reads GET_V2_SELLER_PERFORMANCE_REPORT and Ads API "
                "v3 report JSON"
            )
        header = list(dict.fromkeys(k for r in records for k in r))
        rows = [[_cell(r.get(k)) for k in header] for r in records]
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
