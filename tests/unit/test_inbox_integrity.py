"""Inbox integrity (issue 15): a failed copy never hides the right one, a worse file never
replaces a good one, links are never followed, names never forge a line."""

import os
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from assets.checks.amazon import CHECKS
from assets.checks.results import CheckOutcome, record
from assets.core.check_results import holds
from assets.ingest.inbox import ingest_inbox
from pipelines.cli import main
from tests.conftest import EXPORTS, WEEK, drop

REPLACEMENTS = next(c for c in CHECKS if c.name == "replacements_complete")
UK = f"oak-uk/{WEEK}"
SECRET = "root:x:0:0:SECRET-LINE-47:/root:/bin/bash"


def statuses(conn):
    return conn.execute(
        "select source_file, status from raw.ingest_log order by source_file"
    ).fetchall()


def sessions(conn, account="oak-uk"):
    return conn.execute(
        "select sum(sessions) from raw.business_report_child_items where account_id = ?",
        [account],
    ).fetchone()[0]


def hold_of(conn):
    """Run the replacements check for the week and record it as the weekly job does; the
    accounts whose packs it holds."""
    outcome = CheckOutcome(REPLACEMENTS.name, "raw.ingest_log", "critical", "none")
    outcome.failures = REPLACEMENTS.failures(conn, WEEK)
    record(conn, WEEK, outcome)
    return holds(conn, WEEK), outcome.failures


# --- a failed copy never claims the bytes --------------------------------------------------


def test_a_misplaced_copy_sorting_first_does_not_hide_the_right_one(conn, home, accounts):
    # "Oak-UK" sorts before "oak-uk" and is no configured account (ids are lower case)
    drop(home, "uk_business_report.csv", "Oak-UK")
    drop(home, "uk_business_report.csv", "oak-uk")
    results = {r.source_file: r for r in ingest_inbox(conn, home, accounts)}
    assert results[f"{UK}/uk_business_report.csv"].status == "loaded_with_rejects"
    misplaced = results[f"Oak-UK/{WEEK}/uk_business_report.csv"]
    assert misplaced.status == "duplicate"
    assert misplaced.message == f"same content as {UK}/uk_business_report.csv; skipped"
    assert sessions(conn) == 2000
    assert statuses(conn) == [(f"{UK}/uk_business_report.csv", "loaded_with_rejects")]


def test_a_misplaced_copy_that_failed_first_lets_a_later_right_copy_load(conn, home, accounts):
    drop(home, "uk_business_report.csv", "Oak-UK")
    (first,) = ingest_inbox(conn, home, accounts)
    assert first.status == "failed" and "not a configured account" in first.message
    # the user copies the export to the right folder and leaves the wrong copy where it is
    drop(home, "uk_business_report.csv", "oak-uk")
    results = {r.source_file: r.status for r in ingest_inbox(conn, home, accounts)}
    assert results == {
        f"Oak-UK/{WEEK}/uk_business_report.csv": "duplicate",
        f"{UK}/uk_business_report.csv": "loaded_with_rejects",
    }
    assert sessions(conn) == 2000
    assert statuses(conn) == [(f"{UK}/uk_business_report.csv", "loaded_with_rejects")]
    # the failure left nothing behind: its whole-file reject went with it
    assert conn.execute("select count(*) from raw.rejects where line is null").fetchone() == (0,)
    again = {r.status for r in ingest_inbox(conn, home, accounts)}
    assert again == {"duplicate"}


def test_two_failing_copies_keep_one_stable_failure(conn, home, accounts):
    drop(home, "uk_business_report.csv", "Oak-UK")
    drop(home, "uk_business_report.csv", "OAK-UK")
    ingest_inbox(conn, home, accounts)
    for _ in range(2):
        results = sorted((r.source_file, r.status) for r in ingest_inbox(conn, home, accounts))
        assert results == [
            (f"OAK-UK/{WEEK}/uk_business_report.csv", "failed"),
            (f"Oak-UK/{WEEK}/uk_business_report.csv", "duplicate"),
        ]
    assert conn.execute("select count(*) from raw.ingest_log").fetchone() == (1,)


# --- a worse file never replaces a good one -------------------------------------------------


def header_only(path: Path) -> str:
    return path.read_text("utf-8-sig").splitlines()[0] + "\n"


def cut_off(path: Path) -> str:
    """The export as an interrupted download leaves it: the header, one row, half of the next."""
    lines = path.read_text("utf-8-sig").splitlines(keepends=True)
    return lines[0] + lines[1] + lines[2][: len(lines[2]) // 2]


@pytest.mark.parametrize("damage", [header_only, cut_off], ids=["header-only", "truncated"])
def test_a_less_complete_replacement_is_held_apart_and_holds_the_pack(conn, home, accounts, damage):
    good = drop(home, "uk_business_report.csv", "oak-uk")
    ingest_inbox(conn, home, accounts)
    worse = good.with_name("BusinessReport-2.csv")
    worse.write_text(damage(good), "utf-8-sig")
    (result,) = [r for r in ingest_inbox(conn, home, accounts) if r.status != "duplicate"]
    assert (result.source_file, result.status) == (
        f"{UK}/BusinessReport-2.csv",
        "held_incomplete",
    )
    # the good export stays loaded, the worse one's rows stay out
    assert sessions(conn) == 2000
    assert statuses(conn) == [
        (f"{UK}/BusinessReport-2.csv", "held_incomplete"),
        (f"{UK}/uk_business_report.csv", "loaded_with_rejects"),
    ]
    assert conn.execute(
        "select distinct source_file from raw.business_report_child_items"
    ).fetchall() == [(f"{UK}/uk_business_report.csv",)]
    held, failures = hold_of(conn)
    assert list(held) == ["oak-uk"]
    (failure,) = failures
    detail = failure["detail"]
    assert failure["account_id"] == "oak-uk"
    rows = "0 rows instead of 3" if damage is header_only else "2 rows instead of 3"
    assert detail == (
        f"{UK}/BusinessReport-2.csv was not loaded: it is less complete than "
        f"{UK}/uk_business_report.csv, the Business report — Detail Page Sales and Traffic by "
        f"Child Item already loaded for oak-uk, the week of {WEEK} ({rows}). It looks cut off "
        f"or empty, so the pack waits. If {UK}/BusinessReport-2.csv is incomplete, delete it "
        f"from the inbox (the next ingest releases the pack, with the data of "
        f"{UK}/uk_business_report.csv) or download the complete report again into {UK}/. If "
        f"{UK}/BusinessReport-2.csv is right as it is, rename it to "
        f"{UK}/replace-BusinessReport-2.csv: the next ingest loads it in place of "
        f"{UK}/uk_business_report.csv."
    )
    # a rerun changes nothing and says why
    (again,) = [r for r in ingest_inbox(conn, home, accounts) if r.status != "duplicate"]
    assert again.status == "held_incomplete"
    assert again.message.startswith("unchanged since it was held: ")


def test_files_of_one_run_keep_the_more_complete_whatever_their_order(conn, home, accounts):
    good = drop(home, "uk_business_report.csv", "oak-uk")
    # sorts after the good one: held; sorts before it: loaded first, then replaced by it
    good.with_name("z-cut.csv").write_text(cut_off(good), "utf-8-sig")
    good.with_name("a-cut.csv").write_text(header_only(good) + "\n", "utf-8-sig")
    results = {
        r.source_file.rsplit("/", 1)[1]: r.status for r in ingest_inbox(conn, home, accounts)
    }
    assert results == {
        "a-cut.csv": "loaded",
        "uk_business_report.csv": "replaced",
        "z-cut.csv": "held_incomplete",
    }
    assert sessions(conn) == 2000


def test_a_complete_replacement_still_replaces(conn, home, accounts):
    good = drop(home, "uk_business_report.csv", "oak-uk")
    ingest_inbox(conn, home, accounts)
    text = good.read_text("utf-8-sig")
    # Amazon restates the week: the same rows, the broken one fixed, and one more ASIN
    restated = text.replace("12x", "12") + text.splitlines()[2].replace("B0TEST0002", "B0TEST0009")
    good.with_name("restated.csv").write_text(restated + "\n", "utf-8-sig")
    (result,) = [r for r in ingest_inbox(conn, home, accounts) if r.status != "duplicate"]
    assert result.status == "replaced"
    assert result.message == f"replaces {UK}/uk_business_report.csv"
    assert sessions(conn) == 2000 + 12 + 800
    assert hold_of(conn) == ({}, [])


@pytest.fixture
def held(conn, home, accounts):
    """A good export loaded and a cut-off copy of it held: the pack of oak-uk waits."""
    good = drop(home, "uk_business_report.csv", "oak-uk")
    ingest_inbox(conn, home, accounts)
    worse = good.with_name("BusinessReport-2.csv")
    worse.write_text(cut_off(good), "utf-8-sig")
    ingest_inbox(conn, home, accounts)
    assert list(hold_of(conn)[0]) == ["oak-uk"]
    return good, worse


def test_remedy_delete_the_held_file_releases_the_pack(conn, home, accounts, held):
    good, worse = held
    worse.unlink()
    ingest_inbox(conn, home, accounts)
    assert hold_of(conn) == ({}, [])
    assert dict(statuses(conn))[f"{UK}/BusinessReport-2.csv"] == "withdrawn"
    assert sessions(conn) == 2000
    # the same bytes dropped again are judged again, not skipped as seen
    worse.write_text(cut_off(good), "utf-8-sig")
    (again,) = [r for r in ingest_inbox(conn, home, accounts) if r.status != "duplicate"]
    assert again.status == "held_incomplete"


def test_a_weekly_run_releases_only_held_files_of_its_own_week(conn, home, accounts, held):
    _, worse = held
    ingest_inbox(conn, home, accounts, date(2026, 11, 9))  # does not look into the 16th
    assert dict(statuses(conn))[f"{UK}/BusinessReport-2.csv"] == "held_incomplete"
    worse.unlink()
    ingest_inbox(conn, home, accounts, date(2026, 11, 9))
    assert dict(statuses(conn))[f"{UK}/BusinessReport-2.csv"] == "held_incomplete"
    ingest_inbox(conn, home, accounts, date.fromisoformat(WEEK))
    assert dict(statuses(conn))[f"{UK}/BusinessReport-2.csv"] == "withdrawn"


def test_remedy_download_the_complete_report_replaces_and_releases(conn, home, accounts, held):
    good, _ = held
    good.with_name("BusinessReport-3.csv").write_text(
        good.read_text("utf-8-sig").replace("12x", "12"), "utf-8-sig"
    )
    ingest_inbox(conn, home, accounts)
    assert hold_of(conn) == ({}, [])
    assert statuses(conn) == [
        (f"{UK}/BusinessReport-2.csv", "superseded"),
        (f"{UK}/BusinessReport-3.csv", "loaded"),
        (f"{UK}/uk_business_report.csv", "superseded"),
    ]
    assert sessions(conn) == 2012


def test_remedy_rename_the_held_file_to_replace_loads_it_anyway(conn, home, accounts, held):
    good, worse = held
    worse.rename(worse.with_name("replace-BusinessReport-2.csv"))
    (result,) = [r for r in ingest_inbox(conn, home, accounts) if r.status != "duplicate"]
    assert result.status == "replaced"
    assert result.message.startswith(f"replaces {UK}/uk_business_report.csv")
    assert hold_of(conn) == ({}, [])
    assert sessions(conn) == 1200  # the one whole row of the cut-off copy
    # the marker means "after a hold": a new file named replace-… is compared like any other
    later = worse.with_name("replace-header-only.csv")
    later.write_text(header_only(good), "utf-8-sig")
    (result,) = [r for r in ingest_inbox(conn, home, accounts) if r.status != "duplicate"]
    assert result.status == "held_incomplete"


# --- links and special files are refused unread ---------------------------------------------


@pytest.fixture
def outside(tmp_path_factory) -> Path:
    """A folder outside the working directory holding a secret and a valid export."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "passwd.csv").write_text(SECRET + "\n", "utf-8")
    shutil.copyfile(EXPORTS / "uk_business_report.csv", folder / "uk_business_report.csv")
    return folder


def assert_nothing_read(conn, home, results):
    text = "\n".join(r.line() for r in results)
    assert "SECRET-LINE-47" not in text and "B0TEST0001" not in text
    assert not any(home.archive.rglob("*.*")), "nothing may be archived"
    assert conn.execute("select count(*) from raw.ingest_log").fetchone() == (0,)
    assert conn.execute("select count(*) from raw.rejects").fetchone() == (0,)
    for result in results:
        assert result.status == "failed"
        assert "refused, not read: a symbolic link" in result.message


def test_a_linked_file_is_refused_unread(conn, home, accounts, outside):
    folder = home.inbox / "oak-uk" / WEEK
    folder.mkdir(parents=True)
    (folder / "passwd.csv").symlink_to(outside / "passwd.csv")
    (folder / "etc-passwd.csv").symlink_to("/etc/passwd")
    (folder / "report.csv").symlink_to(outside / "uk_business_report.csv")
    results = ingest_inbox(conn, home, accounts)
    assert [r.source_file for r in results] == [
        f"{UK}/etc-passwd.csv",
        f"{UK}/passwd.csv",
        f"{UK}/report.csv",
    ]
    assert_nothing_read(conn, home, results)


@pytest.mark.parametrize("target", ["outside", "/etc"])
def test_a_linked_week_or_account_folder_is_refused_unread(conn, home, accounts, outside, target):
    target = outside if target == "outside" else Path(target)
    (home.inbox / "oak-uk").mkdir()
    (home.inbox / "oak-uk" / WEEK).symlink_to(target, target_is_directory=True)
    (home.inbox / "messer-de").symlink_to(target, target_is_directory=True)
    results = ingest_inbox(conn, home, accounts)
    assert [r.source_file for r in results] == ["messer-de", UK]
    assert_nothing_read(conn, home, results)
    # a weekly run refuses the link of its own week, and leaves other weeks' names alone
    week_run = ingest_inbox(conn, home, accounts, date.fromisoformat(WEEK))
    assert [r.source_file for r in week_run] == ["messer-de", UK]
    assert ingest_inbox(conn, home, accounts, date(2026, 11, 9)) == week_run[:1]


def test_a_fifo_is_refused_without_blocking(conn, home, accounts):
    folder = home.inbox / "oak-uk" / WEEK
    folder.mkdir(parents=True)
    os.mkfifo(folder / "pipe.csv")
    (result,) = ingest_inbox(conn, home, accounts)
    assert (result.status, result.message) == (
        "failed",
        f"{UK}/pipe.csv: refused, not read: not a regular file. SellerPulse reads only files "
        "inside the inbox; put the export itself there (a copy, not a link)",
    )


# --- names are shown escaped -------------------------------------------------------------


def test_a_newline_in_a_file_name_is_shown_escaped_everywhere(conn, home, accounts):
    folder = home.inbox / "oak-uk" / WEEK
    folder.mkdir(parents=True)
    forged = "x.csv\nloaded               oak-uk:2026-11-16:forged.csv"
    shutil.copyfile(EXPORTS / "uk_business_report.csv", folder / forged)
    (folder / "bad\theader\x1b[31m.csv").write_text("no,such,header\n1,2,3\n", "utf-8")
    results = {r.status: r for r in ingest_inbox(conn, home, accounts)}
    loaded, failed = results["loaded_with_rejects"], results["failed"]
    escaped = f"{UK}/x.csv\\nloaded               oak-uk:2026-11-16:forged.csv"
    assert loaded.source_file == escaped
    assert "\n" not in loaded.line() and "\n" not in failed.line()
    assert failed.source_file == f"{UK}/bad\\theader\\x1b[31m.csv"
    assert failed.message.startswith(f"{UK}/bad\\theader\\x1b[31m.csv: header not recognised")
    names = {row[0] for row in conn.execute("select source_file from raw.ingest_log").fetchall()}
    assert names == {escaped, failed.source_file}
    assert conn.execute(
        "select distinct source_file from raw.business_report_child_items"
    ).fetchall() == [(escaped,)]


def test_the_ingest_command_prints_escaped_names_and_refusals(home, capsys, outside):
    folder = home.inbox / "oak-uk" / WEEK
    folder.mkdir(parents=True)
    shutil.copyfile(EXPORTS / "uk_business_report.csv", folder / "a\nloaded  forged.csv")
    (folder / "passwd.csv").symlink_to(outside / "passwd.csv")
    assert main(["ingest"]) == 0
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert lines[:2] == [
        f"loaded_with_rejects  {UK}/a\\nloaded  forged.csv  business_report_child_item en-GB "
        "2/3 rows  1 rows rejected (see raw.rejects)",
        f"failed               {UK}/passwd.csv    {UK}/passwd.csv: refused, not read: a symbolic "
        "link. SellerPulse reads only files inside the inbox; put the export itself there (a "
        "copy, not a link)",
    ]
    assert "SECRET" not in out
    with duckdb.connect(str(home.warehouse)) as conn:
        assert statuses(conn) == [(f"{UK}/a\\nloaded  forged.csv", "loaded_with_rejects")]
