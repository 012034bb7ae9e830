"""SQL models on small hand-made inputs; every expected number is worked out in a comment."""

from datetime import date

import duckdb
import pytest

from assets.core.catalog import LAYERS, Model, discover, table_references
from assets.models.build import build
from assets.models.build import build_all as build_models

W1, W2 = date(2026, 11, 9), date(2026, 11, 16)


def business_rows(conn, rows):
    """rows: (account, week, child, sku, sessions, views, buy_box, units, items, revenue)"""
    for i, (account, week, child, sku, sessions, views, bb, units, items, revenue) in enumerate(
        rows
    ):
        conn.execute(
            "insert into raw.business_report_child_items (account_id, period_start, period_end, "
            "locale, parent_asin, child_asin, title, sku, sessions, page_views, buy_box_pct, "
            "units, order_items, revenue, source_file, source_line, file_hash, loaded_at) "
            "values (?, ?, ?, 'en', 'P1', ?, 'T\u202fx', ?, ?, ?, ?, ?, ?, ?, 'f.csv', ?, 'h', "
            "now())",
            [account, week, week, child, sku, sessions, views, bb, units, items, revenue, i + 2],
        )


def build_all(conn, week=None):
    for model in discover():
        build(conn, model, week)


# the account configuration tables: staging may type exports with them, and among the marts
# only dim_accounts reads them; everything else joins marts.dim_accounts
ACCOUNT_CONFIG = {("raw", "accounts"), ("raw", "portfolios"), ("raw", "marketplaces")}


def layer_errors(models, raw_tables: set[str]) -> list[str]:
    """What breaks the layering: unknown tables, reading a later layer, a report reading
    anything but marts, account configuration read outside staging and marts.dim_accounts."""
    known_models = {(m.schema, m.name) for m in models}
    errors = []
    for model in models:
        if not model.sql.startswith("-- "):
            errors.append(f"{model.path} must open with a grain comment")
        for schema, table in sorted(model.deps):
            ref = f"{schema}.{table}"
            if schema not in LAYERS:
                errors.append(f"{model.table} reads {ref} from unknown schema {schema}")
                continue
            known = table in raw_tables if schema == "raw" else (schema, table) in known_models
            if not known:
                errors.append(f"{model.table} reads unknown table {ref}")
            if LAYERS.index(schema) > LAYERS.index(model.schema):
                errors.append(f"{model.table} reads {ref} from a later layer")
            if model.schema == "reports" and schema != "marts":
                errors.append(f"{model.table} reads {ref}: reports read only marts")
            if (
                (schema, table) in ACCOUNT_CONFIG
                and model.schema != "staging"
                and (model.table != "marts.dim_accounts")
            ):
                errors.append(f"{model.table} reads {ref}: join marts.dim_accounts instead")
    return errors


def raw_table_names(conn) -> set[str]:
    return {
        name
        for (name,) in conn.execute(
            "select table_name from duckdb_tables() where schema_name = 'raw'"
        ).fetchall()
    }


def test_every_model_reads_known_tables_from_its_or_earlier_layers(warehouse):
    assert layer_errors(discover(), raw_table_names(warehouse)) == []


def test_the_layer_rules_catch_crafted_bad_models(warehouse, tmp_path):
    root = tmp_path / "sql"
    for layer in ("staging", "marts", "reports"):
        (root / layer).mkdir(parents=True)

    def model(path, sql):
        (root / path).write_text(f"-- a crafted model\n{sql}", "utf-8")

    model("staging/stg_x.sql", "select * from raw.accounts")  # allowed: staging types raw
    model("marts/dim_accounts.sql", "select * from raw.accounts join raw.marketplaces using (k)")
    model("marts/fct_x_week.sql", "select * from raw.portfolios join staging.stg_x using (k)")
    model("marts/fct_late_week.sql", "select * from reports.rpt_ok")
    model("reports/rpt_ok.sql", "select * from marts.dim_accounts join marts.fct_x_week using (k)")
    model("reports/rpt_stacked.sql", "select * from reports.rpt_ok")
    model("reports/rpt_staged.sql", "select * from staging.stg_x")
    model("reports/rpt_raw.sql", "select * from raw.ingest_log")
    model("reports/rpt_unknown.sql", "select * from marts.fct_nowhere_week")
    errors = sorted(layer_errors(discover(root), raw_table_names(warehouse)))
    assert errors == [
        "marts.fct_late_week reads reports.rpt_ok from a later layer",
        "marts.fct_x_week reads raw.portfolios: join marts.dim_accounts instead",
        "reports.rpt_raw reads raw.ingest_log: reports read only marts",
        "reports.rpt_stacked reads reports.rpt_ok: reports read only marts",
        "reports.rpt_staged reads staging.stg_x: reports read only marts",
        "reports.rpt_unknown reads unknown table marts.fct_nowhere_week",
    ]


def test_table_references_ignore_ctes_and_demand_schemas():
    sql = "with a as (select * from marts.x) select * from a join raw.y using (k)"
    assert table_references(sql) == {("marts", "x"), ("raw", "y")}
    with pytest.raises(ValueError, match="schema-qualified"):
        table_references("select * from x")


def model(name: str, sql: str, tmp_path) -> Model:
    return Model(
        "marts", name, tmp_path / f"{name}.sql", f"-- {name}\n{sql}", table_references(sql)
    )


def test_models_build_two_at_a_time_after_what_they_read_and_stop_at_an_error(conn, tmp_path):
    """``build_all``: t_b reads t_a, so it waits for it (built before, it would find no t_a);
    t_c reads nothing and builds beside t_a; they are yielded in the order given. A model that
    fails stops the build with its error, whatever runs beside it."""
    first = model("t_a", "select 1 as x", tmp_path)
    second = model("t_b", "select x + 1 as x from marts.t_a", tmp_path)
    third = model("t_c", "select 3 as x", tmp_path)
    built = [(m.name, rows) for m, rows in build_models(conn, [first, second, third], None)]
    assert built == [("t_a", 1), ("t_b", 1), ("t_c", 1)]
    assert conn.execute("select x from marts.t_b").fetchall() == [(2,)]
    broken = model("t_d", "select x from marts.t_c where no_such_column", tmp_path)
    with pytest.raises(duckdb.BinderException, match="no_such_column"):
        list(build_models(conn, [first, broken, third], None))


def test_headline_kpis_by_hand(warehouse):
    business_rows(
        warehouse,
        [
            # week 1: one ASIN, two SKUs; the ASIN's traffic repeated on each SKU row
            ("oak-uk", W1, "A1", "s1", 100, 200, 0.70, 10, 9, 100.00),
            ("oak-uk", W1, "A1", "s2", 100, 200, 0.70, 5, 5, 60.00),
            # week 2: two ASINs
            ("oak-uk", W2, "A1", "s1", 300, 400, 1.00, 30, 25, 330.00),
            ("oak-uk", W2, "A2", "", 0, 0, None, 0, 0, 0.00),
            # another account the same week must not leak in
            ("messer-de", W2, "D1", "d", 50, 60, 1.0, 5, 5, 99.95),
        ],
    )
    build_all(warehouse)
    rows = warehouse.execute(
        "select week_start, revenue_amount::double, units, sessions, order_items, asin_count, "
        "buy_box_pct, unit_session_pct, asp_amount, revenue_wow_pct, previous_revenue_amount, "
        "currency_code, account_name from reports.rpt_headline_kpis where account_id = 'oak-uk' "
        "order by week_start"
    ).fetchall()
    # W1: revenue 100 + 60 = 160; units 15; sessions 100 (the ASIN's, once, not per SKU);
    #     buy box 0.70; unit session % 15/100 = 0.15; ASP 160/15 = 10.667
    assert rows[0][:10] == (
        W1,
        160.0,
        15,
        100,
        14,
        1,
        pytest.approx(0.70),
        pytest.approx(0.15),
        pytest.approx(160 / 15),
        None,
    )
    # W2: revenue 330; units 30; sessions 300; A2 has no page views so buy box = 1.0·400/400;
    #     unit session % 30/300 = 0.10; ASP 11.00; WoW 330/160 − 1 = 1.0625
    assert rows[1] == (
        W2,
        330.0,
        30,
        300,
        25,
        2,
        pytest.approx(1.0),
        pytest.approx(0.10),
        pytest.approx(11.0),
        pytest.approx(1.0625),
        pytest.approx(160.0),
        "GBP",
        "Oak & Co <UK>",
    )


def test_zero_sessions_and_units_give_null_not_errors(warehouse):
    business_rows(warehouse, [("oak-uk", W2, "A1", "s1", 0, 0, None, 0, 0, 0.0)])
    build_all(warehouse)
    row = warehouse.execute(
        "select unit_session_pct, asp_amount, buy_box_pct, revenue_wow_pct "
        "from reports.rpt_headline_kpis"
    ).fetchone()
    assert row == (None, None, None, None)


def test_staging_normalises_titles_and_currency(warehouse):
    business_rows(warehouse, [("ocha-jp", W2, "J1", None, 10, 10, 1.0, 1, 1, 1000)])
    build_all(warehouse)
    assert warehouse.execute(
        "select title, sku, currency_code from staging.stg_business_reports__child_items"
    ).fetchone() == ("T x", "", "JPY")


def test_weekly_build_touches_only_its_week_and_restatement_replaces(warehouse):
    business_rows(
        warehouse,
        [
            ("oak-uk", W1, "A1", "s", 10, 10, 1.0, 1, 1, 10.0),
            ("oak-uk", W2, "A1", "s", 10, 10, 1.0, 2, 2, 20.0),
        ],
    )
    build_all(warehouse)
    # a restated W2 arrives: raw changes, then only W2 is rebuilt
    warehouse.execute(
        "update raw.business_report_child_items set revenue = 25 where period_start = ?", [W2]
    )
    warehouse.execute(
        "update raw.business_report_child_items set revenue = 999 where period_start = ?", [W1]
    )  # not rebuilt: W1 keeps 10
    build_all(warehouse, W2)
    assert warehouse.execute(
        "select week_start, revenue_amount::double from reports.rpt_headline_kpis order by 1"
    ).fetchall() == [(W1, 10.0), (W2, 25.0)]
    # a missing week: W3 has no rows; building it leaves the table unchanged
    build_all(warehouse, date(2026, 11, 23))
    assert warehouse.execute("select count(*) from reports.rpt_headline_kpis").fetchone() == (2,)
