"""The inbox sensor asks for ingest runs of new week folders; `sellerpulse ingest` reports."""

from datetime import date, timedelta

import dagster as dg
import pytest

from assets.core.partitions import RESTATED_TAG, weekly_partitions
from pipelines.cli import main
from pipelines.sensors import PACKS, inbox_sensor, look_back_weeks
from tests.conftest import WEEK, drop, drop_all_fixtures, newer_than_cursor


def test_sensor_requests_one_run_per_new_week_folder(home):
    drop(home, "uk_business_report.csv", "oak-uk")
    drop(home, "de_business_report.csv", "messer-de")
    drop(home, "de_business_report.csv", "messer-de", week="2026-11-09")
    context = dg.build_sensor_context(cursor=None, instance=dg.DagsterInstance.ephemeral())
    requests = list(inbox_sensor(context))
    assert sorted(r.partition_key for r in requests) == ["2026-11-09", WEEK]
    assert {r.job_name for r in requests} == {"ingest_job"}
    # nothing new since the cursor: no runs
    again = dg.build_sensor_context(cursor=context.cursor, instance=context.instance)
    assert list(inbox_sensor(again)) == []
    # a new file in one week folder: that week only
    newer_than_cursor(drop(home, "ja_business_report.csv", "ocha-jp"), context.cursor)
    assert [r.partition_key for r in inbox_sensor(again)] == [WEEK]


def test_a_backlog_of_week_folders_is_drained_over_ticks(home):
    weeks = [(date(2026, 5, 4) + timedelta(weeks=n)).isoformat() for n in range(25)]
    for week in weeks:
        drop(home, "uk_business_report.csv", "oak-uk", week=week)
    instance = dg.DagsterInstance.ephemeral()
    requested, cursor = [], None
    for _ in range(3):
        context = dg.build_sensor_context(cursor=cursor, instance=instance)
        requested.append([r.partition_key for r in inbox_sensor(context)])
        cursor = context.cursor
    # 20 a tick, oldest first; the 5 left over come next, then nothing
    assert requested == [weeks[:20], weeks[20:], []]


def sensed_and_reported(home, weeks: list[str]):
    """oak-uk's business report in each of ``weeks``, seen by one tick of the sensor, and each
    week's packs reported as built: the instance and that tick's context (a correction must
    be newer than its cursor)."""
    instance = dg.DagsterInstance.ephemeral()
    for week in weeks:
        drop(home, "uk_business_report.csv", "oak-uk", week=week)
        instance.report_runless_asset_event(
            dg.AssetMaterialization(asset_key=PACKS, partition=week)
        )
    context = dg.build_sensor_context(cursor=None, instance=instance)
    list(inbox_sensor(context))
    return instance, context


def test_a_new_file_in_a_reported_week_reruns_it_and_the_weeks_that_read_it(home):
    instance, context = sensed_and_reported(home, ["2025-11-03", "2026-11-02", "2026-11-09", WEEK])
    # a corrected export for 2 November: that week and the later reported weeks are rebuilt,
    # oldest first; a week a year before is not (nothing reads forward)
    newer_than_cursor(
        drop(home, "de_business_report.csv", "messer-de", week="2026-11-02"), context.cursor
    )
    again = dg.build_sensor_context(cursor=context.cursor, instance=instance)
    requests = list(inbox_sensor(again))
    assert [(r.job_name, r.partition_key) for r in requests] == [
        ("weekly_job", "2026-11-02"),
        ("weekly_job", "2026-11-09"),
        ("weekly_job", WEEK),
    ]
    assert look_back_weeks() == 53  # the year-on-year models read 53 weeks back
    # for messer-de only, whose folder got the file: its packs and its portfolio's boss pack
    assert [r.tags for r in requests] == [{RESTATED_TAG: "messer-de"}] * 3


def test_a_restatement_reruns_the_accounts_whose_folders_changed(home):
    instance, context = sensed_and_reported(home, ["2026-11-02", "2026-11-09", WEEK])
    # in one tick: oak-uk corrects 2 November, ocha-jp 9 November; a later week reads both
    newer_than_cursor(
        drop(home, "uk_business_report.csv", "oak-uk", "2026-11-02", "v2.csv"), context.cursor
    )
    newer_than_cursor(drop(home, "ja_business_report.csv", "ocha-jp", "2026-11-09"), context.cursor)
    again = dg.build_sensor_context(cursor=context.cursor, instance=instance)
    assert [(r.partition_key, r.tags) for r in inbox_sensor(again)] == [
        ("2026-11-02", {RESTATED_TAG: "oak-uk"}),
        ("2026-11-09", {RESTATED_TAG: "oak-uk,ocha-jp"}),
        (WEEK, {RESTATED_TAG: "oak-uk,ocha-jp"}),
    ]
    # a file in a folder that is not an account: every account again (the ingest reports it)
    newer_than_cursor(drop(home, "uk_business_report.csv", "oak-gb", WEEK), again.cursor)
    third = dg.build_sensor_context(cursor=again.cursor, instance=instance)
    assert [(r.partition_key, r.tags) for r in inbox_sensor(third)] == [(WEEK, {})]


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
    assert main(["run", "--week", "2014-01-06"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "sellerpulse run: week 2014-01-06 is outside the weekly partitions (2015-01-05 … "
        f"{weekly_partitions.get_last_partition_key()}); set SELLERPULSE_FIRST_WEEK to an "
        "earlier Monday to run older weeks"
    ]
