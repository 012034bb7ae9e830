"""The ASIN dimension by hand: one row per account × ASIN with its latest parent and title.

oak-uk, weeks W1 < W2:
  A1: W1 "Old A1" (parent P1) | W2 "New A1" (parent P2)           → P2, "New A1"
  A2: W2 under P1 (10 sessions, "A2 via P1") and P3 (30 sessions,
      "A2 via P3"); two SKUs under P3, 1 and 5 units, "A2 small" and
      "A2 via P3"                                                   → P3, "A2 via P3"
  A4: FBA stock only, W1 "Name A4 v1" | W2 "Name A4"               → no parent, "Name A4"
  A1 is in FBA stock too, as "Stock name A1": the business report's title wins.
"""

from datetime import date, timedelta

from tests.sql.rows import build_models, fetch, insert

W1, W2 = date(2026, 11, 9), date(2026, 11, 16)


def report_row(week, parent, asin, title, sku, sessions, units):
    return {
        "week_start": week, "parent_asin": parent, "child_asin": asin, "title": title,
        "sku": sku, "sessions": sessions, "page_views": sessions, "units": units,
        "order_items": units, "revenue": 10.0 * units,
    }  # fmt: skip


def stock_row(week, asin, name):
    return {
        "week_start": week, "sku": f"sku-{asin}", "asin": asin, "product_name": name,
        "your_price": 9.99, "afn_fulfillable_quantity": 5, "afn_inbound_shipped_quantity": 0,
        "afn_reserved_quantity": 0, "afn_total_quantity": 5,
    }  # fmt: skip


def load(warehouse):
    insert(
        warehouse,
        "business_report_child_items",
        [
            report_row(W1, "P1", "A1", "Old A1", "s1", 50, 2),
            report_row(W2, "P2", "A1", "New A1", "s1", 40, 1),
            report_row(W2, "P1", "A2", "A2 via P1", "s2", 10, 9),
            report_row(W2, "P3", "A2", "A2 small", "s3", 30, 1),
            report_row(W2, "P3", "A2", "A2 via P3", "s4", 30, 5),
        ],
    )
    insert(
        warehouse,
        "fba_inventory",
        [
            stock_row(W1, "A4", "Name A4 v1"),
            stock_row(W2, "A4", "Name A4"),
            stock_row(W2, "A1", "Stock name A1"),
        ],
    )


def dimension(warehouse):
    return fetch(warehouse, "select asin, parent_asin, title from marts.dim_asins order by asin")


def test_one_row_per_asin_with_its_latest_title(warehouse):
    load(warehouse)
    build_models(warehouse, "marts.dim_asins")
    assert dimension(warehouse) == [
        # W2 is later than W1: its parent and title
        {"asin": "A1", "parent_asin": "P2", "title": "New A1"},
        # within W2, the parent with the most sessions (P3: 30 > 10), then its SKU with the
        # most units (5 > 1)
        {"asin": "A2", "parent_asin": "P3", "title": "A2 via P3"},
        # never in a business report: the latest FBA product name
        {"asin": "A4", "parent_asin": None, "title": "Name A4"},
    ]


def test_a_restated_old_week_keeps_the_newer_title(warehouse):
    load(warehouse)
    build_models(warehouse, "marts.dim_asins")
    # W1's business report arrives again with a new title for A1, and only W1 is rebuilt:
    # W2's "New A1" is still the latest
    warehouse.execute(
        "delete from raw.business_report_child_items where period_start = ? and child_asin = 'A1'",
        [W1],
    )
    insert(
        warehouse,
        "business_report_child_items",
        [report_row(W1, "P9", "A1", "Restated A1", "s1", 99, 9)],
    )
    build_models(warehouse, "marts.dim_asins", "reports.rpt_top_movers", week=W1)
    assert dimension(warehouse)[0] == {"asin": "A1", "parent_asin": "P2", "title": "New A1"}
    # a new week with a new title: that one wins once its week is built
    W3 = W2 + timedelta(weeks=1)
    insert(
        warehouse,
        "business_report_child_items",
        [report_row(W3, "P2", "A1", "Newest A1", "s1", 10, 1)],
    )
    build_models(warehouse, "marts.dim_asins", week=W3)
    assert dimension(warehouse)[0] == {"asin": "A1", "parent_asin": "P2", "title": "Newest A1"}


def test_reports_print_the_dimensions_title(warehouse):
    # A1 sold in W1 and W2 (revenue 20 → 10): a mover in W2, shown with its latest title
    load(warehouse)
    build_models(warehouse, "reports.rpt_top_movers")
    assert fetch(
        warehouse,
        "select child_asin, title from reports.rpt_top_movers where week_start = ? "
        "and child_asin = 'A1'",
        W2,
    ) == [{"child_asin": "A1", "title": "New A1"}]
