"""The inbox sensor asks for ingest runs of new week folders; `sellerpulse ingest` reports."""

import os

import dagster as dg
import pytest

from assets.core.partitions import weekly_partitions
from pipelines.cli import main
from pipelines.sensors import inbox_sensor
from tests.conftest import WEEK, drop, drop_all_fixtures


def test_sensor_requests_one_run_per_new_week_folder(home):
    drop(home, "uk_business_report.csv", "oak-uk")
    drop(home, "de_business_report.csv", "messer-de")
    drop(home, "de_business_report.csv", "messer-de", week="2026-11-09")
    context = dg.build_sensor_context(cursor=None)
    requests = list(inbox_sensor(context))
    assert sorted(r.partition_key for r in requests) == ["2026-11-09", WEEK]
    # nothing new since the cursor: no runs
    again = dg.build_sensor_context(cursor=context.cursor)
    assert list(inbox_sensor(again)) == []
    # a new file in one week folder: that week only
    newer = drop(home, "ja_business_report.csv", "ocha-jp")
    stamp = float(context.cursor) + 10
    os.utime(newer, (stamp, stamp))
    assert [r.partition_key for r in inbox_sensor(again)] == [WEEK]


def test_ingest_command_prints_a_line_per_file(home, capsys):
    drop_all_fixtures(home)
    stray = drop(home, "uk_business_report.csv", "nobody")
    stray.write_text(stray.read_text("utf-8-sig").replace("OAK-L", "OAK-XL"), "utf-8-sig")
    assert main(["ingest"]) == 0
    out = capsys.readouterr().out
    assert "loaded_with_rejects  oak-uk/2026-11-16/uk_business_report.csv" in out
    assert "failed" in out and "nobody" in out and "not a configured account" in out
    assert out.strip().splitlines()[-1] == (
        "4 files: 1 failed, 2 loaded, 1 loaded_with_rejects; 6 rows loaded, 1 rejected"
    )
    assert main(["ingest", "--strict"]) == 1  # the failed file is still there
    assert "4 files: 3 duplicate, 1 failed" in capsys.readouterr().out


def test_run_command_fails_with_one_line_reason(home, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--week", "2026-11-18"])
    assert exit_info.value.code == 2
    assert "Wednesday" in capsys.readouterr().err
    assert main(["run", "--week", WEEK, "--account", "nope"]) == 2
    assert "no account 'nope'" in capsys.readouterr().err
    # a week before the first partition: one line that says what to do
    assert main(["run", "--week", "2019-01-07"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "sellerpulse run: week 2019-01-07 is outside the weekly partitions (2024-01-01 … "
        f"{weekly_partitions.get_last_partition_key()}); set SELLERPULSE_FIRST_WEEK to an "
        "earlier Monday to run older weeks"
    ]
