"""unit_costs.csv: costs per account × SKU, each valid from a date, as the models see them."""

import duckdb
import pytest

from assets.core.settings import ConfigError
from assets.ingest.reference import write_reference_tables
from tests.sql.rows import build_models, fetch


def load(tmp_path, accounts, text: str) -> duckdb.DuckDBPyConnection:
    (tmp_path / "unit_costs.csv").write_text(text, "utf-8")
    conn = duckdb.connect()
    write_reference_tables(conn, accounts, tmp_path)
    return conn


def test_a_cost_applies_from_its_valid_from_until_the_next(tmp_path, accounts):
    conn = load(
        tmp_path,
        accounts,
        "account,sku,cost,currency,valid_from\n"
        "oak-uk,OAK-L,8.50,gbp,\n"
        "oak-uk,OAK-L,9.75,GBP,2026-11-18\n"
        "oak-uk,OAK-S,4,GBP,\n",
    )
    build_models(conn, "marts.dim_unit_costs")
    rows = fetch(conn, "select * from marts.dim_unit_costs order by sku, valid_from")
    assert [
        (r["sku"], float(r["unit_cost_amount"]), str(r["valid_from"]), str(r["valid_to"]))
        for r in rows
    ] == [
        ("OAK-L", 8.5, "1900-01-01", "2026-11-17"),
        ("OAK-L", 9.75, "2026-11-18", "9999-12-31"),
        ("OAK-S", 4.0, "1900-01-01", "9999-12-31"),
    ]
    assert {r["currency_code"] for r in rows} == {"GBP"}


def test_the_file_without_valid_from_still_loads(tmp_path, accounts):
    conn = load(tmp_path, accounts, "account,sku,cost,currency\noak-uk,OAK-L,8.50,GBP\n")
    assert fetch(conn, "select valid_from from raw.unit_costs") == [{"valid_from": None}]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("account,sku,cost,currency\nnope,OAK-L,1,GBP\n", "unknown accounts nope"),
        ("account,sku,price\noak-uk,OAK-L,1\n", "expected columns account,sku,cost,currency"),
        (
            "account,sku,cost,currency,valid_from\noak-uk,A,1,GBP,2026-01-01\n"
            "oak-uk,A,2,GBP,2026-01-01\n",
            "oak-uk A has two costs valid from 2026-01-01",
        ),
        ("account,sku,cost,currency,valid_from\noak-uk,A,1,GBP,soon\n", "valid_from"),
    ],
)
def test_a_bad_costs_file_says_what_is_wrong(tmp_path, accounts, text, message):
    with pytest.raises(ConfigError, match=message):
        load(tmp_path, accounts, text)
