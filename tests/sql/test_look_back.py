"""A week built alone gives exactly the rows a whole rebuild gives for that week, in every model.

Marts and reports that look back over earlier weeks read their sources through
``in_look_back(week_start, N)``; a window set too short would change the week built alone.
56 weeks of demo history cover the longest look-back (the same week last year), and some
business-report rows are removed so that ASINs go missing and are zero-filled.
"""

import duckdb
import pytest

from assets.core.catalog import ModelError, discover
from assets.core.settings import Paths, load_accounts
from assets.ingest.inbox import ingest_inbox
from assets.ingest.reference import write_reference_tables
from assets.models.build import build
from demo import DemoScale, write_demo

TABLES = [m for m in discover() if not m.is_view]


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    home = tmp_path_factory.mktemp("history")
    manifest = write_demo(home, DemoScale(accounts=3, asins=5, weeks=56))
    paths = Paths(home).ensure()
    accounts = load_accounts(paths.accounts_file)
    conn = duckdb.connect(str(paths.warehouse))
    write_reference_tables(conn, accounts, paths.home)
    ingest_inbox(conn, paths, accounts)
    # every 7th ASIN-week goes missing from its report (no traffic): zero-fill has work to do
    conn.execute(
        "delete from raw.business_report_child_items where hash(child_asin, period_start) % 7 = 0"
    )
    for model in discover():
        build(conn, model, None)
    yield conn, manifest.weeks
    conn.close()


def rows(conn, model, week):
    """The week's rows; doubles to 12 significant digits (summation order may differ)."""
    # a dimension without week_start is rebuilt whole: all its rows
    weekly = "week_start" in [
        d[0] for d in conn.execute(f"select * from {model.table} limit 0").description
    ]
    where, params = ("where week_start = ?", [week]) if weekly else ("", [])
    found = conn.execute(f"select * from {model.table} {where} order by all", params).fetchall()
    return [tuple(f"{v:.12g}" if isinstance(v, float) else v for v in row) for row in found]


@pytest.mark.parametrize("week_index", [-1, 13], ids=["last week", "14th week"])
def test_a_week_built_alone_equals_the_whole_build(history, week_index):
    conn, weeks = history
    week = weeks[week_index]
    whole = {model.table: rows(conn, model, week) for model in TABLES}
    assert whole["marts.fct_sales_asin_week"], "the week under test has sales"
    assert conn.execute(
        "select count(*) from marts.fct_sales_asin_week where is_zero_filled and week_start = ?",
        [week],
    ).fetchone()[0], "some ASINs are zero-filled in the week under test"
    for model in discover():
        build(conn, model, week)
    for model in TABLES:
        assert rows(conn, model, week) == whole[model.table], model.table


def test_only_tables_may_look_back(tmp_path):
    (tmp_path / "staging").mkdir()
    (tmp_path / "staging" / "stg_x.sql").write_text(
        "-- x\nselect * from raw.x where in_look_back(week_start, 1)", "utf-8"
    )
    with pytest.raises(ModelError, match="a view cannot use in_look_back"):
        discover(tmp_path)
