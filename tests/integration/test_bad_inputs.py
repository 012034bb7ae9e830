"""A corpus of bad inputs dropped into one inbox with good exports, ingested in one run.

Every bad file or row is reported with its file (and line) and a reason a user can act on;
every good export still loads. Each case writes its own small file (no real seller's data);
the good exports are the shared fixtures.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook

from assets.checks.amazon import CHECKS
from assets.ingest.inbox import ingest_inbox
from assets.ingest.reference import write_reference_tables
from tests.conftest import EXPORTS, WEEK, drop, drop_all_fixtures
from tests.sql.rows import build_models
from tests.unit.test_inbox_limits import declare, search_terms_xlsx

pytestmark = pytest.mark.slow

UK_HEADER = (EXPORTS / "uk_business_report.csv").read_text("utf-8-sig").splitlines()[0]
UK_ROW = (EXPORTS / "uk_business_report.csv").read_text("utf-8-sig").splitlines()[1]
ADS = (EXPORTS / "in_sp_search_term.csv").read_text("utf-8-sig")
ADS_HEADER, ADS_ROW = ADS.splitlines()[0], ADS.splitlines()[1]


@dataclass(frozen=True)
class Case:
    """One bad input: where it goes, how to write it, and what the run must say about it."""

    name: str
    path: str  # inside the inbox
    write: Callable[[Path], None]
    status: str  # the file's status in the run's results
    says: str  # part of the file's message, or of a reject's reason for a row-level case
    # a row-level case: (line, column) rejected; the file itself loads with rejects
    rejected: tuple[int, str | None] | None = None
    check: str | None = None  # a case the Amazon checks report (file and line in the detail)


def text(content: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content.encode(encoding))


def raw(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def week(n: int) -> str:
    """The n-th week before the fixtures' week: each business-report case gets its own, so
    no case replaces another."""
    from datetime import date, timedelta

    return (date.fromisoformat(WEEK) - timedelta(weeks=n)).isoformat()


def business(*rows: str) -> str:
    return "\n".join([UK_HEADER, *rows]) + "\n"


def with_cells(row: str, **changes: str) -> str:
    """The fixture row with some cells replaced, by header name."""
    import csv
    import io

    header = next(csv.reader([UK_HEADER]))
    cells = next(csv.reader([row]))
    for name, value in changes.items():
        cells[header.index(name.replace("_", " "))] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def xlsx_corrupt(path: Path) -> None:
    book = Workbook()
    book.active.append(["Date", "Campaign Name", "Spend"])
    book.save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def zip_as_csv(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("BusinessReport.csv", business(UK_ROW))


def deep_json(path: Path) -> None:
    doc: dict = {}
    node = doc
    for _ in range(60):
        node["x"] = {}
        node = node["x"]
    path.write_text(json.dumps(doc))


def link_to(target: str) -> Callable[[Path], None]:
    return lambda path: os.symlink(target, path)


def huge_xlsx(path: Path) -> None:
    declare(search_terms_xlsx(path), "A1:XFD1048576")


def copy_of(fixture: str) -> Callable[[Path], None]:
    return lambda path: path.write_bytes((EXPORTS / fixture).read_bytes())


def linked_folder(path: Path) -> None:
    """A week folder that is a link to a folder outside the inbox holding an export."""
    outside = path.parents[2] / "outside"  # beside the inbox, in the home
    outside.mkdir()
    (outside / "BusinessReport.csv").write_text(business(UK_ROW))
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside, path)


UK = "oak-uk"
TERMS = "Sponsored Products Search term report"
CASES = [
    # files that cannot be read at all: failed, with what to do
    Case("empty file", f"{UK}/{week(1)}/empty.csv", raw(b""), "failed", "the file is empty"),
    Case(
        "BOM only", f"{UK}/{week(1)}/bom.csv", raw(b"\xef\xbb\xbf"), "failed", "the file is empty"
    ),
    Case(
        "HTML error page saved as CSV",
        f"{UK}/{week(1)}/BusinessReport.csv",
        text(
            "<!DOCTYPE html><html><head><title>Amazon Sign-In</title></head><body>Session "
            "expired</body></html>\n"
        ),
        "failed",
        "a web page (HTML), not an export",
    ),  # fmt: skip
    Case(
        "binary garbage",
        f"{UK}/{week(1)}/garbage.csv",
        raw(bytes(range(256)) * 8),
        "failed",
        "not readable as UTF-8",
    ),  # fmt: skip
    Case("ZIP saved as CSV", f"{UK}/{week(1)}/zipped.csv", zip_as_csv, "failed", "a ZIP archive"),
    Case(
        "truncated XLSX",
        f"{UK}/{week(1)}/ads.xlsx",
        xlsx_corrupt,
        "failed",
        "not a readable .xlsx workbook",
    ),  # fmt: skip
    Case(
        "truncated JSON",
        f"{UK}/{week(1)}/health.json",
        text('{"reportSpecification": {"reportType": "GET_V2_SELLER_PERF'),
        "failed",
        "not valid JSON",
    ),
    Case(
        "JSON of another shape",
        f"{UK}/{week(1)}/other.json",
        text('{"foo": [1, 2]}'),
        "failed",
        "neither a seller performance report nor",
    ),  # fmt: skip
    Case(
        "JSON nested too deep",
        f"{UK}/{week(1)}/deep.json",
        deep_json,
        "failed",
        "SELLERPULSE_INGEST_MAX_JSON_DEPTH",
    ),  # fmt: skip
    Case(
        "XLSX declaring a million rows to column XFD",
        f"{UK}/{week(1)}/{TERMS}.xlsx",
        huge_xlsx,
        "failed",
        "SELLERPULSE_INGEST_MAX_COLUMNS",
    ),  # fmt: skip
    Case(
        "unknown header",
        f"{UK}/{week(1)}/notes.csv",
        text("a,b,c\n1,2,3\n"),
        "failed",
        "header not recognised",
    ),  # fmt: skip
    Case(
        "FBA inventory without its quantity column",
        f"{UK}/{week(1)}/Manage_FBA_Inventory.txt",
        text("sku\tfnsku\tasin\tproduct-name\nS1\tX1\tB01\tBoard\n"),
        "failed",
        "header not recognised",
    ),
    # files in the wrong place: failed, with where they belong
    Case(
        "unconfigured account folder",
        f"acme-fr/{WEEK}/BusinessReport.csv",
        text(business(with_cells(UK_ROW, Title="unknown account"))),
        "failed",
        "'acme-fr' is not a configured account",
    ),
    Case(
        "loose business report without dates",
        f"{UK}/BusinessReport.csv",
        text(business(with_cells(UK_ROW, Title="no week folder"))),
        "failed",
        "has no dates of its own: move it to inbox/oak-uk/<week start",
    ),
    Case(
        "week folder that is no date",
        f"{UK}/2026-13-45/BusinessReport.csv",
        text(business(with_cells(UK_ROW, Title="bad folder"))),
        "failed",
        "'2026-13-45' is not a date",
    ),
    Case(
        "week folder not a Monday",
        f"{UK}/2026-11-18/BusinessReport.csv",
        text(business(with_cells(UK_ROW, Title="Wednesday"))),
        "failed",
        "2026-11-18 is a Wednesday; weeks start on Monday",
    ),
    Case(
        "misplaced copy of a good export, in a folder sorting first",
        f"Oak-UK/{WEEK}/uk_business_report.csv",
        copy_of("uk_business_report.csv"),
        "duplicate",
        f"same content as {UK}/{WEEK}/uk_business_report.csv",
    ),
    # files never read
    Case(
        "link to /etc/passwd",
        f"{UK}/{WEEK}/passwd.csv",
        link_to("/etc/passwd"),
        "failed",
        "refused, not read: a symbolic link",
    ),  # fmt: skip
    Case(
        "week folder linked outside the inbox",
        f"{UK}/{week(10)}",
        linked_folder,
        "failed",
        "refused, not read",
    ),  # fmt: skip
    # files that load, with the bad rows rejected (line and reason)
    Case(
        "download cut off mid-row",
        f"{UK}/{week(2)}/BusinessReport.csv",
        text(business(UK_ROW, 'B0TEST0001,B0TEST0002,Oak Chopping Board Small,OAK-S,"80')),
        "loaded_with_rejects",
        "is empty; this column is required",
        rejected=(3, "units"),
    ),
    Case(
        "header repeated in the middle",
        f"{UK}/{week(3)}/BusinessReport.csv",
        text(business(UK_ROW, UK_HEADER, with_cells(UK_ROW, SKU="OAK-2"))),
        "loaded_with_rejects",
        "is not a whole number",
        rejected=(3, "sessions"),
    ),
    Case(
        "sessions not a number",
        f"{UK}/{week(4)}/BusinessReport.csv",
        text(business(with_cells(UK_ROW, **{"Sessions – Total": "lots"}))),
        "loaded_with_rejects",
        "'Sessions – Total' is not a whole number",
        rejected=(2, "sessions"),
    ),
    Case(
        "required child ASIN empty",
        f"{UK}/{week(5)}/BusinessReport.csv",
        text(business(UK_ROW, with_cells(UK_ROW, **{"(Child) ASIN": "", "SKU": "X"}))),
        "loaded_with_rejects",
        "'(Child) ASIN' is empty; this column is required",
        rejected=(3, "child_asin"),
    ),
    Case(
        "negative units",
        f"{UK}/{week(6)}/BusinessReport.csv",
        text(business(with_cells(UK_ROW, **{"Units ordered": "-5"}))),
        "loaded_with_rejects",
        "'Units ordered' is negative",
        rejected=(2, "units"),
    ),
    Case(
        "ads report with an unreadable date",
        f"{UK}/{WEEK}/terms-bad-date.csv",
        text(
            ADS_HEADER
            + "\n"
            + ADS_ROW.replace("Nov 16, 2026", "Nov 18, 2026")
            + "\n"
            + ADS_ROW.replace("Nov 16, 2026", "Nov 32, 2026")
            + "\n"
        ),
        "loaded_with_rejects",
        "'Date' is not a date",
        rejected=(3, "report_date"),
    ),  # fmt: skip
    Case(
        "ads report dated in the future",
        f"{UK}/{WEEK}/terms-future.csv",
        text(
            ADS_HEADER
            + "\n"
            + ADS_ROW.replace("Nov 16, 2026", "Nov 19, 2026")
            + "\n"
            + ADS_ROW.replace("Nov 16, 2026", "Nov 16, 2031")
            + "\n"
        ),
        "loaded_with_rejects",
        "'Date' is in the future",
        rejected=(3, "report_date"),
    ),  # fmt: skip
    Case(
        "summary ads row ending before it starts",
        f"{UK}/{WEEK}/terms-span.csv",
        text(
            "Start Date,End Date,Campaign Name,Customer Search Term,Spend\n"
            "15/11/2026,09/11/2026,Auto,oak,£1.00\n10/11/2026,11/11/2026,Auto,oak,£1.00\n"
        ),
        "loaded_with_rejects",
        "'End Date' is before 'Start Date'",
        rejected=(2, "end_date"),
    ),  # fmt: skip
    # files that load, and a check holds the pack with the file and line
    Case(
        "ads report in another currency than the account's",
        f"{UK}/{WEEK}/terms-inr.csv",
        text(ADS),
        "loaded",
        f"{UK}/{WEEK}/terms-inr.csv: 2 rows in INR (first at line 2), but the account's "
        "currency is GBP",
        check="ads_in_the_accounts_currency",
    ),
    Case(
        "a header-only copy replacing a complete business report",
        f"{UK}/{WEEK}/uk_business_report_v2.csv",  # after the complete one
        text(UK_HEADER + "\n", "utf-8-sig"),
        "held_incomplete",
        f"{UK}/{WEEK}/uk_business_report.csv",
        check="replacements_complete",
    ),
    # files that are fine after all
    Case(
        "UTF-16 business report",
        f"{UK}/{week(7)}/BusinessReport.csv",
        text("\ufeff" + business(UK_ROW), "utf-16-le"),
        "loaded",
        "",
    ),  # fmt: skip
    Case(
        "Windows-1252 German business report",
        f"messer-de/{week(7)}/BusinessReport.csv",
        text((EXPORTS / "de_business_report.csv").read_text("utf-8-sig"), "cp1252"),
        "loaded",
        "",
    ),
    Case(
        "NUL byte in a title",
        f"{UK}/{week(8)}/BusinessReport.csv",
        text(business(with_cells(UK_ROW, Title="Oak\x00Board"))),
        "loaded",
        "",
    ),  # fmt: skip
    Case(
        "newline in a file name",
        f"{UK}/{week(9)}/Business\nReport.csv",
        text(business(UK_ROW)),
        "loaded",
        "",
    ),  # fmt: skip
]


def shown(path: str) -> str:
    return path.replace("\n", "\\n")


def test_every_bad_input_is_reported_and_the_rest_loads(conn, home, accounts):
    assert len(CASES) >= 30
    drop_all_fixtures(home)
    drop(home, "uk_fba_inventory.txt", "oak-uk")
    for case in CASES:
        path = home.inbox / case.path
        if case.write is not linked_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
        case.write(path)
    results = {r.source_file: r for r in ingest_inbox(conn, home, accounts)}
    rejects = conn.execute(
        "select source_file, line, column_name, reason from raw.rejects where line is not null"
    ).fetchall()
    write_reference_tables(conn, accounts)
    build_models(conn, "staging.stg_sp__report_days")
    checks = {c.name: c for c in CHECKS}
    missed = []  # every case that is not reported as it should be, all at once
    for case in CASES:
        result = results.get(shown(case.path))
        if result is None:
            missed.append(f"{case.name}: not reported")
            continue
        if result.status != case.status:
            missed.append(f"{case.name}: {result.status}: {result.message}")
        elif case.rejected:
            line, column = case.rejected
            reasons = [r for f, n, c, r in rejects if f == shown(case.path) and n == line
                       and c == column]  # fmt: skip
            if not any(case.says in r for r in reasons):
                missed.append(f"{case.name}: line {line} {column}: {reasons}")
        elif case.check:
            details = [f["detail"] for f in checks[case.check].failures(conn, WEEK)]
            if not any(case.says in d for d in details):
                missed.append(f"{case.name}: {case.check}: {details}")
        elif case.says not in result.message:
            missed.append(f"{case.name}: {result.message}")
    assert missed == [], "\n".join(missed)
    # the good exports of the week loaded, whatever else was in the inbox
    good = {f"{a}/{WEEK}/{f}" for a, f in [("oak-uk", "uk_business_report.csv"),
            ("oak-uk", "uk_fba_inventory.txt"), ("messer-de", "de_business_report.csv"),
            ("ocha-jp", "ja_business_report.csv")]}  # fmt: skip
    assert {name: results[name].status for name in good} == {
        name: "loaded_with_rejects" if "uk_business" in name else "loaded" for name in good
    }
    # nothing silently dropped: every file the run saw is in its results, once
    assert len(results) == len(CASES) + len(good)
