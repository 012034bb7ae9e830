"""An in-memory warehouse with the raw tables and the test accounts' reference tables."""

import duckdb
import pytest

from assets.ingest.inbox import ensure_raw_tables
from assets.ingest.reference import write_reference_tables


@pytest.fixture
def warehouse(accounts):
    conn = duckdb.connect()
    ensure_raw_tables(conn)
    write_reference_tables(conn, accounts)
    yield conn
    conn.close()
