"""Peak memory of ingesting one large CSV export, against the size of the file.

    python -m bench.ingest_memory [--mb 200] [--keep]

Writes a Sponsored Products search term report of about ``--mb`` MB (daily rows, UK
spellings, every value valid) into a fresh working directory, then ingests it in a child
process, so the peak is that of one ingest alone: ``resource.getrusage(RUSAGE_CHILDREN)``
after the child ends. Two more children give the baselines: the same imports without the
ingest (what any run costs before reading a byte) and DuckDB's bare ``read_csv`` of the file
into a table. The result goes to ``bench/results/ingest_memory/<mb>mb.json`` and is printed.
``bench.run`` includes it (as the ``ingest memory`` row); ``make test`` never runs it.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "ingest_memory"
WEEK = date(2026, 11, 16)
ACCOUNTS = """
portfolios:
  - {id: eu, name: EU, base_currency: EUR, bosses: [lead@agency.example]}
accounts:
  - {id: big-uk, name: Big UK, marketplace: UK, language: en, portfolio: eu,
     recipients: [owner@big.example]}
"""
HEADER = (
    "Date,Portfolio name,Currency,Campaign Name,Ad Group Name,Targeting,Match Type,"
    "Customer Search Term,Impressions,Clicks,Click-Thru Rate (CTR),Cost Per Click (CPC),Spend,"
    "7 Day Total Sales ,Total Advertising Cost of Sales (ACOS) ,"
    "Total Return on Advertising Spend (ROAS),7 Day Total Orders (#),7 Day Total Units (#),"
    "7 Day Conversion Rate\n"
)
INGEST = """
import sys
from pathlib import Path
import duckdb
from assets.core.settings import Paths, load_accounts
from assets.ingest.inbox import ingest_inbox
paths = Paths(Path(sys.argv[1])).ensure()
if sys.argv[2] == "ingest":
    with duckdb.connect(str(paths.warehouse)) as conn:
        (result,) = ingest_inbox(conn, paths, load_accounts(paths.accounts_file))
    assert result.status == "loaded", result.line()
    print(result.rows_loaded)
elif sys.argv[2] == "read_csv":
    with duckdb.connect(str(paths.home / "bare.duckdb")) as conn:
        conn.execute(
            "create table t as select * from read_csv(?, all_varchar=true)", [sys.argv[3]]
        )
        print(conn.execute("select count(*) from t").fetchone()[0])
"""


def write_export(path: Path, megabytes: int) -> int:
    """A search term report of about ``megabytes`` MB; returns its rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    target = megabytes * 1024 * 1024
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        written = len(HEADER)
        block = []
        while written < target:
            day = WEEK + timedelta(days=rows % 7)
            n = rows
            line = (
                f"{day:%d/%m/%Y},Not grouped,GBP,Campaign {n % 997},Ad group {n % 89},"
                f"term {n % 4001},BROAD,customer search term {n},{100 + n % 900},"
                f"{n % 40},{(n % 40) / 10:.2f}%,£{(n % 300) / 100:.2f},£{(n % 9000) / 100:.2f},"
                f"£{(n % 20000) / 100:.2f},{n % 100}.00%,{(n % 700) / 100:.2f},{n % 5},"
                f"{n % 6},{n % 30}.00%\n"
            )
            block.append(line)
            written += len(line.encode("utf-8"))
            rows += 1
            if len(block) == 10_000:
                handle.write("".join(block))
                block.clear()
        handle.write("".join(block))
    return rows


def child_peak_mb(args: list[str]) -> tuple[float, float, str]:
    """Run a child to its end; its peak resident memory (MB), seconds and output.

    ``RUSAGE_CHILDREN`` holds the largest peak of any waited-for child so far, so each child
    is measured from a fresh grandchild launched by a small runner.
    """
    runner = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "sys.exit(done.stderr[-2000:]) if done.returncode else None; out = done.stdout; "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
        "time.perf_counter() - t, out.strip())"
    )
    done = subprocess.run(
        [sys.executable, "-c", runner, sys.executable, "-c", INGEST, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)}: {done.stderr}")
    peak_kb, seconds, *output = done.stdout.split(maxsplit=2)
    return round(int(peak_kb) / 1024, 1), round(float(seconds), 2), "".join(output)


def measure(megabytes: int, base: Path) -> dict:
    home = base / "home"
    home.mkdir(parents=True)
    (home / "accounts.yaml").write_text(ACCOUNTS, "utf-8")
    export = home / "inbox" / "big-uk" / WEEK.isoformat() / "search_terms.csv"
    rows = write_export(export, megabytes)
    size_mb = round(export.stat().st_size / 1024 / 1024, 1)
    imports_mb, _, _ = child_peak_mb([str(home), "imports"])
    read_csv_mb, read_csv_s, _ = child_peak_mb([str(home), "read_csv", str(export)])
    ingest_mb, ingest_s, loaded = child_peak_mb([str(home), "ingest"])
    from assets.ingest.limits import Limits

    return {
        "machine": platform.platform(),
        "ingest_memory_limit_mb": Limits.from_env().memory_mb,  # SELLERPULSE_INGEST_MEMORY_MB
        "file_mb": size_mb,
        "rows": rows,
        "rows_loaded": int(loaded.split()[-1]),  # DuckDB may print a progress bar first
        "imports_peak_rss_mb": imports_mb,
        "read_csv_peak_rss_mb": read_csv_mb,
        "read_csv_s": read_csv_s,
        "ingest_peak_rss_mb": ingest_mb,
        "ingest_s": ingest_s,
        # what the file costs beyond the interpreter and its imports, per MB of file
        "ingest_peak_vs_file_size": round((ingest_mb - imports_mb) / size_mb, 2),
        "read_csv_peak_vs_file_size": round((read_csv_mb - imports_mb) / size_mb, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="size of the export (MB)")
    parser.add_argument("--keep", action="store_true", help="keep the generated home")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="sellerpulse-ingest-memory-"))
    start = time.perf_counter()
    try:
        result = measure(args.mb, base)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    result["bench_s"] = round(time.perf_counter() - start, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{args.mb}mb.json"
    out.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    print(json.dumps(result, indent=2))
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
