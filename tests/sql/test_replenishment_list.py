"""The seller pack's stock lists: which ASINs to send stock for and by when, overstock and aged
stock valued at the ASIN's price, on hand-made rows worked out by hand.

One week W (snapshot on Sunday 22 Nov 2026), oak-uk, lead time 21 days (the default), every
ASIN priced 9.99 (tests.sql.test_inventory.fba). Velocity = units sold ÷ 7 (one in-stock week);
days of supply (DOS) = (available + inbound) ÷ velocity; to send = ceil(velocity × 21 × 1.5 −
available − inbound), at least 0; ship by = 22 Nov + floor(DOS − 21) days, "now" when that is on
or before 22 Nov.

| ASIN | avail | inbound | sold (revenue) | DOS | to send        | ship by                  |
|------|-------|---------|----------------|-----|----------------|--------------------------|
| R1   | 70    | 0       | 70 (700)       | 7   | 315 − 70 = 245 | 22 Nov − 14 = 8 Nov: now |
| R2   | 200   | 100     | 70 (1400)      | 30  | 315 − 300 = 15 | 22 Nov + 9 = 1 Dec       |
| R3   | 0     | 280     | 70 (350)       | 28  | 315 − 280 = 35 | 22 Nov + 7 = 29 Nov      |
| R4   | 0     | 0       | none           | –   | 0              | –                        |
| H1   | 1000  | 0       | 70 (70)        | 100 | 0              | 22 Nov + 79 = 9 Feb 2027 |

Every ASIN that sold 70 units sells 10 a day; R3 and R4 are out of stock (nothing available).

H1 is overstock: 1000 − 10 × 90 days = 100 units beyond the window, 100 × 9.99 = 999.00; its
planning report holds 30 units aged 91–180 days: 30 × 9.99 = 299.70.
The replenishment list (to send or out of stock), biggest 4-week revenue first: R2, R1, R3, R4.
"""

from datetime import date, timedelta

import duckdb
import pytest

from assets.ingest.inbox import ensure_raw_tables
from assets.ingest.reference import write_reference_tables
from assets.reports.packs import SELLER_SECTIONS, fetch_rows
from tests.sql.rows import build_models
from tests.sql.test_inventory import fba, planning, sales

W = date(2026, 11, 16)
SNAPSHOT = W + timedelta(days=6)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    from assets.core.settings import load_accounts
    from tests.conftest import ACCOUNTS_YAML

    path = tmp_path_factory.mktemp("replenish") / "accounts.yaml"
    path.write_text(ACCOUNTS_YAML, "utf-8")
    conn = duckdb.connect()
    ensure_raw_tables(conn)
    write_reference_tables(conn, load_accounts(path))
    fba(
        conn,
        "oak-uk",
        W,
        [
            ("s1", "R1", 70, 0),
            ("s2", "R2", 200, 100),
            ("s3", "R3", 0, 280),
            ("s4", "R4", 0, 0),
            ("s5", "H1", 1000, 0),
        ],
        "inv",
    )
    for asin, revenue in (("R1", 700), ("R2", 1400), ("R3", 350), ("H1", 70)):
        sales(conn, "oak-uk", W, asin, 70, revenue)
    planning(conn, "oak-uk", SNAPSHOT, "s5", "H1", (970, 30, 0, 0, 0), "plan")
    build_models(conn, "reports.rpt_inventory")
    yield conn
    conn.close()


def test_ship_by_is_the_snapshot_plus_days_of_supply_less_the_lead_time(warehouse):
    rows = {
        r[0]: r[1:]
        for r in warehouse.execute(
            "select asin, stock_status, replenishment_units, ship_by_date, is_ship_now "
            "from reports.rpt_inventory where week_start = ?",
            [W],
        ).fetchall()
    }
    assert rows == {
        "R1": ("reorder_now", 245, date(2026, 11, 8), True),
        "R2": ("reorder_now", 15, date(2026, 12, 1), False),
        "R3": ("out_of_stock", 35, date(2026, 11, 29), False),
        "R4": ("out_of_stock", 0, None, False),
        "H1": ("overstock", 0, date(2027, 2, 9), False),
    }


def test_overstock_and_aged_stock_are_valued_at_the_price(warehouse):
    overstock, overstock_amount, aged, aged_amount = warehouse.execute(
        "select overstock_units, overstock_amount, aged_90_plus_units, aged_90_plus_amount "
        "from reports.rpt_inventory where week_start = ? and asin = 'H1'",
        [W],
    ).fetchone()
    assert (overstock, float(overstock_amount)) == (100, 999.0)
    assert (aged, float(aged_amount)) == (30, pytest.approx(299.7))


def test_the_packs_stock_lists_name_the_asins(warehouse):
    sections = {key: sql for key, _, sql in SELLER_SECTIONS}
    params = {"accounts": ["oak-uk"], "week": W}

    def asins(key):
        return [r["asin"] for r in fetch_rows(warehouse, sections[key], params)]

    assert asins("replenish") == ["R2", "R1", "R3", "R4"]
    assert asins("overstock") == ["H1"]
    assert asins("aged") == ["H1"]
