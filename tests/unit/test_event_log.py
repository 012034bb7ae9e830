"""The project's Dagster event log (pipelines/event_log.py, dagster.yaml): Dagster's SQLite
files, written through connections kept open for the process."""

import multiprocessing
import shutil
from collections import Counter
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import Engine, event

from assets.core.settings import PROJECT_ROOT
from pipelines.event_log import KEPT_RUNS, SqliteEventLogStorage

QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
STOCK = "telemetry:\n  enabled: false\n"  # Dagster's own storage, in the same folder


@dg.asset(partitions_def=dg.StaticPartitionsDefinition(["a", "b"]))
def upstream() -> int:
    return 1


@dg.asset(partitions_def=upstream.partitions_def)
def downstream(upstream: int) -> int:
    return upstream + 1


@dg.asset_check(asset=downstream)
def downstream_is_positive() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


JOB = dg.Definitions(
    assets=[upstream, downstream],
    asset_checks=[downstream_is_positive],
    jobs=[dg.define_asset_job("both", executor_def=dg.in_process_executor)],
).resolve_job_def("both")


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """An instance made from the project's dagster.yaml, in ``tmp_path`` (``DAGSTER_HOME``)."""
    shutil.copy(PROJECT_ROOT / "dagster.yaml", tmp_path)
    (tmp_path / "stock.yaml").write_text(STOCK)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    with dg.DagsterInstance.get() as made:
        assert isinstance(made.event_log_storage, SqliteEventLogStorage)
        yield made


@pytest.fixture
def opened():
    """How many times each SQLite file was opened in this process while the test ran."""
    files = Counter()

    def count(dbapi_connection, _record):
        (_, _, path) = dbapi_connection.execute("pragma database_list").fetchone()
        files[Path(path).name] += 1

    event.listen(Engine, "connect", count)
    yield files
    event.remove(Engine, "connect", count)


def run(instance, partition: str = "a") -> str:
    result = JOB.execute_in_process(instance=instance, partition_key=partition, run_config=QUIET)
    assert result.success
    return result.run_id


def test_a_run_opens_its_event_log_once_and_dagsters_own_storage_reads_it(
    instance, opened, tmp_path
):
    run_id = run(instance)
    # every event went through one connection to the run's file and one to the index (each
    # file is opened once more, on first use, for Dagster's look at its tables)
    assert opened[f"{run_id}.db"] <= 2 and opened["index.db"] <= 2
    events = instance.all_logs(run_id)
    assert len(events) > 20

    # the same files, read through Dagster's stock storage (the UI of another checkout)
    with dg.DagsterInstance.from_config(str(tmp_path), config_filename="stock.yaml") as stock:
        assert type(stock.event_log_storage).__module__.startswith("dagster.")
        assert [e.dagster_event_type for e in stock.all_logs(run_id)] == [
            e.dagster_event_type for e in events
        ]
        assert stock.get_latest_materialization_event(dg.AssetKey("downstream")).run_id == run_id
        (check,) = stock.event_log_storage.get_asset_check_execution_history(
            dg.AssetCheckKey(dg.AssetKey("downstream"), "downstream_is_positive"), limit=1
        )
        assert check.run_id == run_id
        # …and Dagster's writes are read back here, the other way round
        stocks_run = run(stock, "b")
    assert instance.get_latest_materialization_event(dg.AssetKey("upstream")).run_id == stocks_run
    assert opened[f"{stocks_run}.db"] > 20  # Dagster's opens the file for every event


def test_only_the_last_runs_stay_open_and_older_ones_are_read_again(instance, opened):
    runs = [run(instance) for _ in range(KEPT_RUNS + 2)]
    storage = instance.event_log_storage
    open_now = {shard for _, shard in storage._engines}
    assert open_now == {"index", *runs[-KEPT_RUNS:]}
    assert instance.all_logs(runs[0])  # closed, opened again to read
    assert opened[f"{runs[0]}.db"] == opened[f"{runs[-1]}.db"] + 1


def write_in_a_child(instance, run_id: str, opened: Counter, said) -> None:
    before = opened[f"{run_id}.db"]
    instance.report_engine_event("from the child", instance.get_run_by_id(run_id))
    said.send(opened[f"{run_id}.db"] - before)  # the connections it opened for that


def test_a_forked_child_opens_its_own_connection_and_the_parent_keeps_writing(instance, opened):
    run_id = run(instance)  # the parent holds the run's file open
    heard, said = multiprocessing.Pipe()
    child = multiprocessing.get_context("fork").Process(
        target=write_in_a_child, args=(instance, run_id, opened, said)
    )
    child.start()
    child.join()
    assert child.exitcode == 0 and heard.recv() == 1
    instance.report_engine_event("from the parent", instance.get_run_by_id(run_id))
    messages = [e.message for e in instance.all_logs(run_id)]
    assert messages[-2:] == ["from the child", "from the parent"]


def test_a_wiped_instance_records_runs_again(instance):
    run(instance)
    instance.wipe()
    assert instance.get_runs() == []
    run_id = run(instance)
    assert instance.get_latest_materialization_event(dg.AssetKey("downstream")).run_id == run_id


def test_without_dagster_home_it_says_what_to_set(monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    with pytest.raises(dg.DagsterInvariantViolationError, match="set it to the folder"):
        SqliteEventLogStorage()
