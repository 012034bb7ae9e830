"""Resource limits of ingestion (issue 15): a file that would expand past a cap fails fast,
naming the cap; temporary files never outlive their run; conversions run outside the
warehouse's lock; DuckDB's memory is bounded while ingesting."""

import json
import re
import signal
import subprocess
import sys
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from assets.core.settings import ConfigError
from assets.ingest.inbox import ingest, ingest_inbox, memory_bounded
from assets.ingest.limits import TEMP_FOLDER, Limits
from tests.conftest import EXPORTS, WEEK, drop

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["Date", "Campaign Name", "Ad Group Name", "Targeting", "Match Type",
          "Customer Search Term", "Impressions", "Clicks", "Spend", "7 Day Total Sales ",
          "7 Day Total Orders (#)"]  # fmt: skip


def search_terms_xlsx(path: Path, rows: int = 3, wide_row: int | None = None) -> Path:
    """A small Sponsored Products search term workbook, as the ads console writes it."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for n in range(rows):
        sheet.append(["2026-11-16", "Auto", "AG", "*", "BROAD", f"term {n}", 10, 1, 1.5, 3, 1])
    if wide_row is not None:
        sheet.cell(row=wide_row, column=16384, value="x")  # column XFD
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def declare(path: Path, dimension: str) -> None:
    """Rewrite the sheet's declared size (<dimension ref=…/>) and nothing else."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(),
                          parts[sheet])  # fmt: skip
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def ingest_one(conn, home, accounts, limits=None):
    started = time.perf_counter()
    (result,) = ingest_inbox(conn, home, accounts, limits=limits)
    return result, time.perf_counter() - started


def leftovers(home) -> list[str]:
    return sorted(p.name for p in (home.home / TEMP_FOLDER).rglob("*"))


def test_an_xlsx_declaring_a_million_rows_to_column_xfd_fails_at_once(conn, home, accounts):
    path = search_terms_xlsx(home.inbox / "oak-uk" / WEEK / "search_terms.xlsx")
    declare(path, "A1:XFD1048576")
    result, seconds = ingest_one(conn, home, accounts)
    assert result.status == "failed"
    assert result.message == (
        f"oak-uk/{WEEK}/search_terms.xlsx: its sheet declares 16,384 columns, more than the "
        "limit of 1,000 columns (SELLERPULSE_INGEST_MAX_COLUMNS=1000). If the export is "
        "genuine, raise SELLERPULSE_INGEST_MAX_COLUMNS (README, Configuration) and run again; "
        "else download it again"
    )
    assert seconds < 5  # not the ~17 GB of CSV it would have expanded to
    assert leftovers(home) == []
    again, _ = ingest_one(conn, home, accounts)
    assert again.message == f"unchanged since it failed: {result.message}"
    # raised as the message says, the same file is tried again: its rows stream within the caps
    result, _ = ingest_one(conn, home, accounts, Limits(columns=16_384))
    assert (result.status, result.rows_loaded) == ("loaded", 3)


def test_rows_and_columns_beyond_what_the_sheet_declares_stop_the_stream(conn, home, accounts):
    # a cell in column XFD of row 3 while the sheet declares A1:K4 (read-only mode trusts it
    # not: Amazon's files under-report their size)
    wide = search_terms_xlsx(home.inbox / "oak-uk" / WEEK / "wide.xlsx", wide_row=3)
    declare(wide, "A1:K4")
    result, _ = ingest_one(conn, home, accounts)
    assert result.message.startswith(
        f"oak-uk/{WEEK}/wide.xlsx: row 3 spans 16,384 columns, more than the limit of 1,000 "
        "columns (SELLERPULSE_INGEST_MAX_COLUMNS=1000)"
    )
    wide.unlink()
    long = search_terms_xlsx(home.inbox / "oak-uk" / WEEK / "long.xlsx", rows=40)
    declare(long, "A1:K4")
    result, _ = ingest_one(conn, home, accounts, Limits(rows=20))
    assert result.message.startswith(
        f"oak-uk/{WEEK}/long.xlsx: its sheet has more than 20 rows, more than the limit of 20 "
        "rows (SELLERPULSE_INGEST_MAX_ROWS=20)"
    )
    assert leftovers(home) == []


def test_an_xlsx_unpacking_past_the_cap_fails_before_it_is_opened(conn, home, accounts):
    search_terms_xlsx(home.inbox / "oak-uk" / WEEK / "big.xlsx", rows=4_000)
    result, _ = ingest_one(conn, home, accounts, Limits(expanded_mb=1))
    assert re.fullmatch(
        rf"oak-uk/{WEEK}/big\.xlsx: its parts unpack to 2 MB, more than the limit of 1 MB "
        r"\(SELLERPULSE_INGEST_MAX_EXPANDED_MB=1\)\. If the export is genuine, raise "
        r"SELLERPULSE_INGEST_MAX_EXPANDED_MB \(README, Configuration\) and run again; else "
        r"download it again",
        result.message,
    )


def api_rows(count: int, nested=None) -> dict:
    row = {"date": "2026-11-16", "campaignName": "Brand", "impressions": 100, "clicks": 4,
           "cost": 2.5, "sales7d": 10.0, "purchases7d": 1}  # fmt: skip
    rows = [
        dict(row, campaignName=f"Brand {n} – Sponsored Products – exact match")
        for n in range(count)
    ]
    if nested is not None:
        rows[0]["extra"] = nested
    return {"rows": rows}


def test_json_too_deep_fails_with_the_nesting_cap(conn, home, accounts):
    path = home.inbox / "oak-uk" / WEEK / "deep.json"
    path.parent.mkdir(parents=True)
    deep = []
    for _ in range(30):
        deep = [deep]
    path.write_text(json.dumps(api_rows(2, deep)), "utf-8")
    result, _ = ingest_one(conn, home, accounts)
    assert result.message.startswith(
        f"oak-uk/{WEEK}/deep.json: its values nest at least 21 levels, more than the limit of "
        "20 levels (SELLERPULSE_INGEST_MAX_JSON_DEPTH=20)"
    )
    # deeper than Python's own parser goes: the same message, not a crash
    path.rename(path.with_name("deeper.json"))
    path.with_name("deeper.json").write_text('{"rows": [{"a": ' + "[" * 5000 + "]" * 5000 + "}]}")
    result, seconds = ingest_one(conn, home, accounts)
    assert "nest more than 900 levels, more than the limit of 20 levels" in result.message
    assert seconds < 5


def test_json_too_large_fails_before_it_is_parsed(conn, home, accounts):
    path = home.inbox / "oak-uk" / WEEK / "large.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(api_rows(16_000)), "utf-8")  # 2.7 MB, 1.1 MB as CSV
    result, _ = ingest_one(conn, home, accounts, Limits(json_mb=1))
    assert result.message.startswith(
        f"oak-uk/{WEEK}/large.json: the file has 3 MB, more than the limit of 1 MB "
        "(SELLERPULSE_INGEST_MAX_JSON_MB=1)"
    )
    # within the JSON cap but past the CSV it may expand to, checked as the CSV is written
    path.rename(path.with_name("large (1).json"))
    result, _ = ingest_one(conn, home, accounts, Limits(expanded_mb=1))
    assert result.message.startswith(
        f"oak-uk/{WEEK}/large (1).json: converted to CSV it grows past 2 MB, more than the "
        "limit of 1 MB (SELLERPULSE_INGEST_MAX_EXPANDED_MB=1)"
    )
    path.with_name("large (1).json").rename(path.with_name("large (2).json"))
    result, _ = ingest_one(conn, home, accounts, Limits(rows=1000))
    assert "it holds 16,000 rows, more than the limit of 1,000 rows" in result.message
    assert leftovers(home) == []


def test_a_csv_header_wider_than_the_column_cap_fails(conn, home, accounts):
    drop(home, "uk_business_report.csv", "oak-uk")
    result, _ = ingest_one(conn, home, accounts, Limits(columns=10))
    assert result.message.startswith(
        f"oak-uk/{WEEK}/uk_business_report.csv: line 1 has 22 columns, more than the limit of "
        "10 columns (SELLERPULSE_INGEST_MAX_COLUMNS=10)"
    )


def test_limits_come_from_the_environment():
    assert Limits.from_env({}) == Limits()
    assert Limits.from_env(
        {"SELLERPULSE_INGEST_MAX_ROWS": "2_000_000", "SELLERPULSE_INGEST_MEMORY_MB": "512"}
    ) == Limits(rows=2_000_000, memory_mb=512)
    with pytest.raises(ConfigError, match="SELLERPULSE_INGEST_MAX_COLUMNS='wide': expected"):
        Limits.from_env({"SELLERPULSE_INGEST_MAX_COLUMNS": "wide"})
    with pytest.raises(ConfigError, match="at least 128 MB"):
        Limits.from_env({"SELLERPULSE_INGEST_MEMORY_MB": "16"})


KILLED_RUN = """
import sys, time
from pathlib import Path
from assets.ingest.limits import Workspace
space = Workspace(Path(sys.argv[1])).open()
(space.folder / ".half-converted.sellerpulse.csv").write_text("a,b\\n" * 1000)
print(space.folder, flush=True)
time.sleep(120)
"""


def test_a_killed_runs_temporary_files_are_removed_by_the_next_run(conn, home, accounts):
    drop(home, "uk_business_report.csv", "oak-uk")
    # a run converting a file when it is killed (SIGKILL: nothing of it gets to clean up)
    run = subprocess.Popen(
        [sys.executable, "-c", KILLED_RUN, str(home.home)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        folder = Path(run.stdout.readline().strip())
        assert (folder / ".half-converted.sellerpulse.csv").exists()
        # while it lives, another run leaves its files alone
        ingest_inbox(conn, home, accounts)
        assert folder.exists()
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait()
        run.stdout.close()
    # the older naming left temporary CSVs in the home itself
    legacy = home.home / ".3f2a9c1b0d.report.csv.sellerpulse.csv"
    legacy.write_text("a,b\n")
    ingest_inbox(conn, home, accounts)
    assert not folder.exists() and not legacy.exists()
    assert leftovers(home) == []


def test_conversions_run_while_the_warehouse_is_closed(home, accounts):
    search_terms_xlsx(home.inbox / "oak-uk" / WEEK / "search_terms.xlsx")
    events = []

    @contextmanager
    def connect():
        # what the temporary folder holds each time the warehouse is opened
        events.append(("open", [p.suffix for p in (home.home / TEMP_FOLDER).rglob("*.csv")]))
        with duckdb.connect(str(home.warehouse)) as conn:
            yield conn
        events.append(("closed", []))

    (result,) = ingest(connect, home, accounts)
    assert (result.status, result.rows_loaded) == ("loaded", 3)
    # looked up, closed, converted (the CSV is there when it opens again), loaded, closed
    assert events == [("open", []), ("closed", []), ("open", [".csv"]), ("closed", [])]
    assert leftovers(home) == []


def test_duckdb_memory_is_bounded_while_ingesting_and_restored(conn, home, accounts):
    before = conn.execute("select current_setting('memory_limit')").fetchone()
    with memory_bounded(conn, Limits(memory_mb=256)):
        assert conn.execute("select current_setting('memory_limit')").fetchone() == ("256.0 MiB",)
    assert conn.execute("select current_setting('memory_limit')").fetchone() == before
    # a lower limit set by whoever opened the warehouse stays as it is
    conn.execute("set memory_limit = '200MiB'")
    with memory_bounded(conn, Limits(memory_mb=256)):
        assert conn.execute("select current_setting('memory_limit')").fetchone() == ("200.0 MiB",)
    conn.execute("reset memory_limit")
    drop(home, "uk_business_report.csv", "oak-uk")
    (result,) = ingest_inbox(conn, home, accounts, limits=Limits(memory_mb=256))
    assert result.status == "loaded_with_rejects"
    assert conn.execute("select current_setting('memory_limit')").fetchone() == before


def test_a_file_read_as_exported_still_loads_from_json_and_legacy_encodings(conn, home, accounts):
    drop(home, "us_ads_api_campaigns.json", "oak-uk")
    text = (EXPORTS / "uk_business_report.csv").read_text("utf-8-sig")
    path = home.inbox / "oak-uk" / WEEK / "cp1252.csv"
    path.write_bytes(text.encode("cp1252", errors="replace"))
    results = {r.source_file.rsplit("/", 1)[1]: r for r in ingest_inbox(conn, home, accounts)}
    assert (results["us_ads_api_campaigns.json"].status, results["cp1252.csv"].status) == (
        "loaded",
        "loaded_with_rejects",
    )
    assert leftovers(home) == []
