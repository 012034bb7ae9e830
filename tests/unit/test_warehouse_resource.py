"""The warehouse resource: held open across the steps of a run in one process, released for
other processes (assets/core/resources.py ``Warehouse``)."""

import subprocess
import sys

import dagster as dg
import duckdb
import pytest

from assets.core.resources import OFFLINE, Warehouse, read_only_connection


def other_process_can_open(path) -> bool:
    """Whether another process can open the file for writing now (DuckDB locks it)."""
    probe = f"import duckdb; duckdb.connect({str(path)!r}).close()"
    return subprocess.run([sys.executable, "-c", probe], capture_output=True).returncode == 0


@pytest.fixture
def database(tmp_path):
    return tmp_path / "warehouse.duckdb"


def test_held_open_connections_share_the_file_but_not_their_temporary_tables(database):
    warehouse = Warehouse(database=str(database), connection_config=OFFLINE, hold_open=True)
    with warehouse.get_connection() as conn:
        conn.execute("create table sales as select 3 as units")
        conn.execute("create temp table scratch as select 1 as x")
    held = warehouse.held
    assert held is not None and not other_process_can_open(database)
    with warehouse.get_connection() as conn:
        assert warehouse.held is held  # the same open file, not a new one
        assert conn.execute("select units from sales").fetchall() == [(3,)]
        with pytest.raises(duckdb.CatalogException):
            conn.execute("select * from scratch")  # as a connection of its own
    with read_only_connection(warehouse) as conn:
        assert conn.execute("select units from sales").fetchall() == [(3,)]
    warehouse.release()
    assert warehouse.held is None and other_process_can_open(database)
    with read_only_connection(warehouse) as conn:  # read-only again once released
        assert conn.execute("select units from sales").fetchall() == [(3,)]


def test_not_held_each_connection_is_closed_after_use(database):
    warehouse = Warehouse(database=str(database), connection_config=OFFLINE)
    with warehouse.get_connection() as conn:
        conn.execute("create table sales as select 3 as units")
        assert not other_process_can_open(database)
    assert warehouse.held is None and other_process_can_open(database)


def test_a_run_in_process_opens_the_file_once_and_releases_it_at_the_end(database):
    opened = []

    @dg.op
    def write(warehouse: Warehouse) -> None:
        with warehouse.get_connection() as conn:
            conn.execute("create table sales as select 3 as units")
        opened.append(id(warehouse.held))

    @dg.op(ins={"after": dg.In(dg.Nothing)})
    def read(warehouse: Warehouse) -> int:
        with warehouse.get_connection() as conn:
            (units,) = conn.execute("select units from sales").fetchone()
        opened.append(id(warehouse.held))
        return units

    @dg.job
    def two_steps():
        read(write())

    resource = Warehouse(database=str(database), connection_config=OFFLINE, hold_open=True)
    result = two_steps.execute_in_process(resources={"warehouse": resource})
    assert result.success and result.output_for_node("read") == 3
    assert len(set(opened)) == 1  # both steps used the one open file
    assert other_process_can_open(database)  # released when the run ended
