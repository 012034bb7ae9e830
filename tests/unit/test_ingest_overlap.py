"""Parsing the next batches while one loads, and preparing files four at a time, change nothing
but the time ingest takes."""

import logging
from contextlib import contextmanager

import duckdb

from assets.core.settings import load_accounts
from assets.ingest import inbox
from assets.ingest.inbox import MIB, InboxEntry, ingest, ingest_inbox
from assets.ingest.limits import Limits
from tests.conftest import EXPORTS, drop, make_home

UK = "uk_business_report.csv"
WEEKS = ["2026-11-02", "2026-11-09", "2026-11-16"]


def week_copy(home, fixture, account, week, word, name=None):
    """A fixture export in a week folder, made different from its other weeks' copies."""
    path = home.inbox / account / week / (name or fixture)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (EXPORTS / fixture).read_text("utf-8-sig")
    path.write_text(text.replace(word, f"{word} {week}"), "utf-8-sig")
    return path


def fill(home):
    """An inbox of four batches (same-layout files are parsed together), listed in the order
    the inbox is read: a damaged file and a restated export that replaces its week's first
    one, both in a batch of several files."""
    de = [week_copy(home, "de_business_report.csv", "messer-de", w, "Buche") for w in WEEKS]
    uk = [week_copy(home, UK, "oak-uk", w, "Large") for w in WEEKS]
    # bytes that are no UTF-8 past the 64 KiB read to sniff the file: its batch's read fails
    small = uk[1].read_text("utf-8-sig").splitlines()[2].encode()
    uk[1].write_bytes(uk[1].read_bytes() + (small + b"\n") * 500 + b"\xff\xfe,\xc3(\n")
    # sorts after uk_business_report.csv in its folder: loads after it and replaces it
    restated = week_copy(home, UK, "oak-uk", WEEKS[2], "Small", "v2_business_report.csv")
    inventory = drop(home, "uk_fba_inventory.txt", "oak-uk")
    jp = drop(home, "ja_business_report.csv", "ocha-jp")
    return [de, [*uk, restated], [inventory], [jp]]


def warehouse(conn):
    """Every raw table's rows (ingest_log, rejects and each export's table) but loaded_at."""
    tables = {}
    for (table,) in conn.execute(
        "select table_name from duckdb_tables() where schema_name = 'raw' order by all"
    ).fetchall():
        columns = conn.execute(
            "select column_name from duckdb_columns() where schema_name = 'raw' "
            "and table_name = ? and column_name != 'loaded_at' order by column_index",
            [table],
        ).fetchall()
        listed = ", ".join(f'"{c}"' for (c,) in columns)
        tables[table] = conn.execute(f"select {listed} from raw.{table} order by all").fetchall()
    return tables


def parsing_threads(caplog):
    return {r.threadName for r in caplog.records if r.getMessage().startswith("parsing ")}


def test_parsing_ahead_loads_exactly_what_loading_batch_by_batch_does(
    conn, home, accounts, tmp_path_factory, caplog, monkeypatch
):
    batches = fill(home)
    with caplog.at_level(logging.DEBUG, logger="assets.ingest.inbox"):
        results = ingest_inbox(conn, home, accounts)
    # the four batches were parsed on the two parsing threads; the loading one read only the
    # files of the damaged batch again, in halves, to find the damaged one
    assert parsing_threads(caplog) == {"ingest-parse_0", "ingest-parse_1", "MainThread"}

    # the same inbox, one run per batch: a run of one batch parses it where it loads it; and
    # its files are prepared (archived, converted, sniffed) one at a time, not four at once
    monkeypatch.setattr(inbox, "PREPARERS", 1)
    reference = make_home(tmp_path_factory.mktemp("reference"))
    fill(reference)
    alone = duckdb.connect(str(reference.warehouse))

    @contextmanager
    def connect():
        yield alone

    same_accounts = load_accounts(reference.accounts_file)
    expected = []
    for batch in batches:
        entries = [InboxEntry(reference.inbox / p.relative_to(home.inbox)) for p in batch]
        expected += ingest(connect, reference, same_accounts, entries=entries)
    by_name = {r.source_file: r for r in results}
    assert by_name == {r.source_file: r for r in expected}
    assert warehouse(conn) == warehouse(alone)

    # the damaged file is reported alone; the rest of its batch loads
    damaged = by_name[f"oak-uk/{WEEKS[1]}/{UK}"]
    assert damaged.status == "failed"
    assert damaged.message.startswith(f"oak-uk/{WEEKS[1]}/{UK}: could not be read as ")
    assert WEEKS[0] not in damaged.message and WEEKS[2] not in damaged.message
    assert [by_name[f"oak-uk/{w}/{UK}"].status for w in (WEEKS[0], WEEKS[2])] == [
        "loaded_with_rejects"
    ] * 2
    # files of one batch that replace one another load in inbox order: the later one stands
    restated = by_name[f"oak-uk/{WEEKS[2]}/v2_business_report.csv"]
    assert (restated.status, restated.message) == (
        "replaced",
        f"replaces oak-uk/{WEEKS[2]}/{UK}; 1 rows rejected (see raw.rejects)",
    )
    assert [r.status for r in results] == [
        *["loaded"] * 3,  # messer-de, three weeks
        "loaded_with_rejects",  # oak-uk, each business report has one bad row
        "failed",
        "loaded_with_rejects",
        "loaded",  # its inventory
        "replaced",
        "loaded",  # ocha-jp
    ]
    # nothing of the overlap is left on the connection
    assert conn.execute(
        "select count(*) from duckdb_databases() where database_name = 'ingest_scratch'"
    ).fetchone() == (0,)
    alone.close()


def test_a_single_batch_is_parsed_where_it_loads_without_a_thread(conn, home, accounts, caplog):
    for week in WEEKS:
        week_copy(home, UK, "oak-uk", week, "Large")
    with caplog.at_level(logging.DEBUG, logger="assets.ingest.inbox"):
        results = ingest_inbox(conn, home, accounts)
    assert [r.status for r in results] == ["loaded_with_rejects"] * 3
    assert parsing_threads(caplog) == {"MainThread"}


def test_a_layout_beyond_its_share_of_memory_is_parsed_in_bounded_batches(
    conn, home, accounts, caplog
):
    # at the least memory limit, 128 MB, a batch holds up to 8 MiB of input (BATCH_SHARE 16):
    # four weeks of one layout of about 3, 3, 9 and 1 MiB are parsed as [3, 3], [9] and [1]
    text = (EXPORTS / UK).read_text("utf-8-sig").rstrip("\n") + "\n"
    row = text.splitlines()[1] + "\n"  # a good row, repeated
    weeks = ["2026-10-26", *WEEKS]
    extra = [mib * MIB // len(row) for mib in (3, 3, 9, 1)]
    for week, rows in zip(weeks, extra, strict=True):
        path = home.inbox / "oak-uk" / week / UK
        path.parent.mkdir(parents=True)
        path.write_text(text.replace("Large", f"Large {week}") + row * rows, "utf-8-sig")
    with caplog.at_level(logging.DEBUG, logger="assets.ingest.inbox"):
        results = ingest_inbox(conn, home, accounts, limits=Limits(memory_mb=128))
    parses = [r.getMessage() for r in caplog.records if r.getMessage().startswith("parsing ")]
    assert sorted(parses) == [
        f"parsing oak-uk/{weeks[0]}/{UK} and 1 more of its layout",
        f"parsing oak-uk/{weeks[2]}/{UK} and 0 more of its layout",
        f"parsing oak-uk/{weeks[3]}/{UK} and 0 more of its layout",
    ]
    # every row of every batch loaded: the fixture's two good rows and the repeated ones (its
    # third row is rejected, as in every copy)
    assert [(r.status, r.rows_loaded, r.rows_rejected) for r in results] == [
        ("loaded_with_rejects", 2 + rows, 1) for rows in extra
    ]
    assert conn.execute("select count(*) from raw.business_report_child_items").fetchone() == (
        sum(extra) + 2 * len(weeks),
    )
