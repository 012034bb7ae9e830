"""Vendor Central (1P) exports: Sales, Inventory, Traffic, Net PPM and Forecast, as CSV with
their banner, as XLSX and as SP-API JSON (export-headers.md §4), on our own fixtures."""

import csv
import re
from datetime import date
from decimal import Decimal

import duckdb
import pytest
from openpyxl import Workbook

from assets.core.settings import load_accounts
from assets.ingest.inbox import ingest_inbox
from assets.ingest.readers import ExportError, detect, normalise_header, parse_file
from tests.conftest import EXPORTS


@pytest.fixture
def mem():
    return duckdb.connect()


def rows(conn, columns):
    return conn.execute(f"select {columns} from parsed_rows order by source_line").fetchall()


def pct(value):
    return pytest.approx(value, abs=1e-9)


# -- detection of every header §4 lists -------------------------------------------------------

IN_MANUFACTURING_SALES = (  # §4.2 [A]
    "ASIN, Product Title, Brand, Ordered Revenue, Ordered Units, Shipped Revenue, Shipped COGS, "
    "Shipped Units, Customer Returns"
)
IN_SOURCING_SALES = (  # §4.2 [A]
    "ASIN, Child Vendor Code, Product Title, Brand Code, Brand, Category, Subcategory, Parent "
    "ASIN, UPC, EAN, ISBN, Model Number, Store Code, MSRP, Binding, Colour, Release Date, "
    "Replenishment Code, Shipped Revenue, Shipped COGS, Shipped Units, Customer Returns, "
    "Confirmed Units, Sales Discount, Contra-COGS, Net PPM %, ASIN Confirmation %"
)
# §4.2 US 2025 [B], its "… (same pattern)" written out
US_SALES = "ASIN, Product Title, Brand, " + ", ".join(
    f"{m}, {m} - Prior Period (%), {m} - Same Period Last Year (%)"
    for m in (
        "Ordered Revenue",
        "Ordered Units",
        "Shipped Revenue",
        "Shipped COGS",
        "Shipped Units",
        "Customer Returns",
    )
)
# §4.2 legacy 2022 [B] (a parser's keys, so the ASIN every export is viewed by is added)
LEGACY_SALES = (
    "ASIN, Ordered Units, Ordered Units - % of Total, Shipped COGS, Shipped COGS - % of Total, "
    "Shipped Units, Shipped Units - % of Total, Customer Returns, Free Replacements, "
    "Subcategory (Sales Rank), Average Sales Price, Glance Views, Conversion Rate, Rep OOS, "
    "Rep OOS - % of Total, LBB (Price)"
)
IN_SOURCING_INVENTORY = (  # §4.3 [A]
    "ASIN, Child Vendor Code, Product Title, Brand Code, Brand, Category, Subcategory, Parent "
    "ASIN, UPC, EAN, ISBN, Model Number, Store Code, MSRP, Binding, Colour, Release Date, "
    "Replenishment Code, Vendor Confirmation %, Net Received, Net Received Units, Open Purchase "
    "Order Quantity, Receive Fill %, Overall Vendor Lead Time (days), Aged 90+ Days Sellable "
    "Inventory, Aged 90+ Days Sellable Units, Sellable On-Hand Inventory, Sellable On Hand Units, "
    "Unsellable On-Hand Inventory, Unsellable On-Hand Units, Confirmed Units, Sales Discount, "
    "Contra-COGS, In Transit Quantity, Sellable In Transit Units, Unsellable In Transit Units"
)
# §4.3 US 2025 [B], after the ASIN columns of the US Sales Diagnostic
US_INVENTORY = (
    "ASIN, Product Title, Brand, Sourceable Product OOS %, Vendor Confirmation %, Net Received, "
    "Net Received Units, Open Purchase Order Quantity, Receive Fill %, Overall Vendor Lead Time "
    "(days), Unfilled Customer Ordered Units, Aged 90+ Days Sellable Inventory, Aged 90+ Days "
    "Sellable Units, Sellable On Hand Inventory, Sellable On Hand Units, Unsellable On Hand "
    "Inventory, Unsellable On Hand Units, Unhealthy Inventory, Unhealthy Units, Sell-Through %"
)
LEGACY_INVENTORY = (  # §4.3 legacy [B], with its ASIN
    "ASIN, Sellable On Hand Units, Open Purchase Order Quantity, Sellable On Hand Inventory"
)
US_TRAFFIC = (  # §4.4 [B], with the ASIN columns
    "ASIN, Product Title, Featured Offer Page Views, Featured Offer Page Views - Prior Period "
    "(%), Featured Offer Page Views - Same Period Last Year (%)"
)
LEGACY_TRAFFIC = "ASIN, Product Title, Glance Views"  # §4.4 legacy [B]
NET_PPM = "ASIN, Product Title, Net PPM %, Net PPM % - Prior Period (bps)"  # §4.4 [B]


def cells(header):
    return [c.strip() for c in header.split(", ")]


@pytest.mark.parametrize(
    ("header", "kind", "columns", "ignored"),
    [
        (IN_MANUFACTURING_SALES, "vendor_sales", 9, []),
        (
            IN_SOURCING_SALES,
            "vendor_sales",
            11,
            ["Child Vendor Code", "Brand Code", "Category", "Subcategory", "Parent ASIN", "UPC",
             "EAN", "ISBN", "Model Number", "Store Code", "MSRP", "Binding", "Colour",
             "Release Date", "Replenishment Code", "ASIN Confirmation %"],
        ),
        (US_SALES, "vendor_sales", 21, []),
        (
            LEGACY_SALES,
            "vendor_sales",
            8,
            ["Ordered Units - % of Total", "Shipped COGS - % of Total",
             "Shipped Units - % of Total", "Free Replacements", "Subcategory (Sales Rank)",
             "Conversion Rate", "Rep OOS", "Rep OOS - % of Total"],
        ),
        (
            IN_SOURCING_INVENTORY,
            "vendor_inventory",
            16,
            ["Child Vendor Code", "Brand Code", "Category", "Subcategory", "Parent ASIN", "UPC",
             "EAN", "ISBN", "Model Number", "Store Code", "MSRP", "Binding", "Colour",
             "Release Date", "Replenishment Code", "Confirmed Units", "Sales Discount",
             "Contra-COGS", "Sellable In Transit Units", "Unsellable In Transit Units"],
        ),
        (US_INVENTORY, "vendor_inventory", 20, []),
        (LEGACY_INVENTORY, "vendor_inventory", 4, []),
        (US_TRAFFIC, "vendor_traffic", 5, []),
        (LEGACY_TRAFFIC, "vendor_traffic", 3, []),
        (NET_PPM, "vendor_net_ppm", 4, []),
    ],
    ids=["in-mfg-sales", "in-src-sales", "us-sales", "legacy-sales", "in-src-inventory",
         "us-inventory", "legacy-inventory", "us-traffic", "legacy-traffic", "net-ppm"],
)  # fmt: skip
def test_every_listed_vendor_header_is_its_own_kind(header, kind, columns, ignored):
    found = detect(cells(header))
    assert (found.kind.name, found.locale) == (kind, "en")
    assert len(found.positions) == columns
    assert found.ignored == ignored


def test_sales_and_inventory_of_the_sourcing_view_share_columns_but_not_their_kind():
    sales, inventory = detect(cells(IN_SOURCING_SALES)), detect(cells(IN_SOURCING_INVENTORY))
    shared = {"asin", "title", "brand"}
    assert shared <= sales.positions.keys() and shared <= inventory.positions.keys()
    # Confirmed Units, Sales Discount and Contra-COGS are in both headers: sales columns only
    assert {"confirmed_units", "sales_discount", "contra_cogs"} <= sales.positions.keys()
    assert "sellable_on_hand_units" not in sales.positions
    assert "shipped_units" not in inventory.positions


def test_the_header_normaliser_keeps_what_the_vendor_headers_mean():
    assert normalise_header("Ordered Revenue - Prior Period (%)") == (
        "ordered revenue - prior period (%)"
    )
    assert normalise_header("Net PPM % - Prior Period (bps)") == "net ppm % - prior period (bps)"
    assert normalise_header("Overall Vendor Lead Time (days)") == "overall vendor lead time (days)"
    assert normalise_header("Aged 90+ Days Sellable Units") == "aged 90+ days sellable units"
    assert normalise_header("aged90PlusDaysSellableInventoryCost") == (
        "aged90plusdayssellableinventorycost"
    )
    assert normalise_header("LBB (Price)") == "lbb (price)"


# -- CSV with its banner ----------------------------------------------------------------------


def test_in_sales_with_indian_money_grouping(mem, tmp_path):
    # the account is month-first, but the banner's en_IN is an Indian (day-first) locale
    parsed = parse_file(
        mem, EXPORTS / "vendor_in_sales_manufacturing.csv", "s.csv", "mdy", tmp_path
    )
    assert (parsed.detected.kind.name, parsed.detected.header_line) == ("vendor_sales", 2)
    assert (parsed.detected.header_currency, parsed.rows_read, parsed.rows_rejected) == (
        "INR",
        3,
        0,
    )
    assert rows(
        mem,
        "start_date, end_date, distributor_view, program, record_type, asin, title, "
        "ordered_revenue, ordered_units, shipped_revenue, shipped_cogs, shipped_units, "
        "customer_returns",
    ) == [
        (date(2026, 7, 1), date(2026, 7, 31), "manufacturing", "retail", None, "B0VEDA0001",
         "Knee Relief Oil, 100 ml", Decimal("305148.87"), 1024, Decimal("298411.50"),
         Decimal("179046.90"), 1001, 12),
        (date(2026, 7, 1), date(2026, 7, 31), "manufacturing", "retail", None, "B0VEDA0002",
         "Joint Balm 50 g", Decimal("999.00"), 3, Decimal("666.00"), Decimal("400.00"), 2, 0),
        (date(2026, 7, 1), date(2026, 7, 31), "manufacturing", "retail", None, "B0VEDA0003",
         "Herbal Tea 20 bags", Decimal("0.00"), 0, Decimal("0.00"), Decimal("0.00"), 0, 0),
    ]  # fmt: skip


def test_us_sales_with_changes_month_first_whatever_the_account(mem, tmp_path):
    parsed = parse_file(mem, EXPORTS / "vendor_us_sales.csv", "s.csv", "dmy", tmp_path)
    assert parsed.detected.header_currency == "USD" and parsed.rows_rejected == 0
    assert rows(
        mem,
        "start_date, end_date, asin, ordered_revenue::double, ordered_revenue_prior_pct, "
        "ordered_revenue_ly_pct, ordered_units_prior_pct, shipped_cogs_prior_pct, "
        "shipped_units_ly_pct, customer_returns, customer_returns_prior_pct, "
        "customer_returns_ly_pct",
    ) == [
        (date(2026, 11, 8), date(2026, 11, 14), "B0OAK00001", 12519.87, pct(-0.2924),
         pct(0.125), pct(-0.05), pct(-0.021), pct(0.08), 4, pct(1.0), pct(-0.5)),
        (date(2026, 11, 8), date(2026, 11, 14), "B0OAK00002", 612.4, pct(0.0525), None,
         pct(0.0526), pct(0.0), None, 0, pct(0.0), None),
    ]  # fmt: skip


def test_in_sourcing_sales_with_its_own_columns_and_a_custom_range(mem, tmp_path):
    parsed = parse_file(mem, EXPORTS / "vendor_in_sales_sourcing.csv", "s.csv", "dmy", tmp_path)
    assert parsed.rows_rejected == 0
    assert rows(
        mem,
        "start_date, end_date, distributor_view, brand, shipped_revenue, shipped_units, "
        "confirmed_units, sales_discount, contra_cogs, net_ppm, ordered_revenue",
    ) == [
        (date(2026, 6, 1), date(2026, 8, 5), "sourcing", "Veda", Decimal("1245600.00"), 2496,
         2500, Decimal("12000.00"), Decimal("3500.50"), pct(0.3825), None),
        (date(2026, 6, 1), date(2026, 8, 5), "sourcing", "Veda", Decimal("0.00"), 0, 0,
         Decimal("0.00"), Decimal("0.00"), pct(0.0), None),
    ]  # fmt: skip


def test_in_inventory_with_its_banner_wrapped_onto_two_rows(mem, tmp_path):
    parsed = parse_file(mem, EXPORTS / "vendor_in_inventory_sourcing.csv", "i.csv", "dmy", tmp_path)
    assert (parsed.detected.kind.name, parsed.detected.header_line) == ("vendor_inventory", 3)
    assert parsed.detected.header_currency == "INR" and parsed.rows_rejected == 0
    assert rows(
        mem,
        "start_date, end_date, distributor_view, asin, vendor_confirmation_pct, "
        "net_received_amount, net_received_units, open_po_units, receive_fill_pct, "
        "lead_time_days::double, aged_90_plus_amount, aged_90_plus_units, "
        "sellable_on_hand_amount, sellable_on_hand_units, unsellable_on_hand_amount, "
        "unsellable_on_hand_units, in_transit_units",
    ) == [
        (date(2026, 11, 8), date(2026, 11, 14), "sourcing", "B0VEDA0001", pct(0.965),
         Decimal("120000.00"), 400, 1200, pct(0.88), 9.5, Decimal("15000.00"), 50,
         Decimal("305148.87"), 1017, Decimal("3000.00"), 10, 150),
        (date(2026, 11, 8), date(2026, 11, 14), "sourcing", "B0VEDA0002", pct(0.0),
         Decimal("0.00"), 0, 0, pct(0.0), None, Decimal("0.00"), 0, Decimal("0.00"), 0,
         Decimal("0.00"), 0, 0),
    ]  # fmt: skip


def test_us_inventory(mem, tmp_path):
    parsed = parse_file(mem, EXPORTS / "vendor_us_inventory.csv", "i.csv", "mdy", tmp_path)
    assert parsed.rows_rejected == 0
    assert rows(
        mem,
        "asin, procurable_oos_pct, unfilled_units, sellable_on_hand_amount::double, "
        "sellable_on_hand_units, unhealthy_amount::double, unhealthy_units, sell_through_pct",
    ) == [
        ("B0OAK00001", pct(0.0193), 7, 21492.0, 1194, 360.0, 20, pct(0.231)),
        ("B0OAK00002", pct(0.0), 0, 1740.0, 100, 0.0, 0, pct(0.16)),
    ]


def test_us_traffic(mem, tmp_path):
    parsed = parse_file(mem, EXPORTS / "vendor_us_traffic.csv", "t.csv", "mdy", tmp_path)
    assert (parsed.detected.kind.name, parsed.rows_rejected) == ("vendor_traffic", 0)
    assert rows(mem, "start_date, asin, page_views, page_views_prior_pct, page_views_ly_pct") == [
        (date(2026, 11, 8), "B0OAK00001", 3582, pct(-0.0715), pct(0.0861)),
        (date(2026, 11, 8), "B0OAK00002", 410, pct(0.12), None),
    ]


def test_net_ppm_prior_period_in_basis_points(mem, tmp_path):
    parsed = parse_file(mem, EXPORTS / "vendor_in_net_ppm.csv", "n.csv", "dmy", tmp_path)
    assert (parsed.detected.kind.name, parsed.rows_rejected) == ("vendor_net_ppm", 0)
    assert rows(mem, "distributor_view, asin, net_ppm, net_ppm_prior_bps::double") == [
        ("sourcing", "B0VEDA0001", pct(0.3825), 9559.0),
        ("sourcing", "B0VEDA0002", pct(-0.041), -120.0),
    ]


# -- XLSX: the banner in one cell, or wrapped onto two rows ------------------------------------

CSV_FIXTURES = [
    "vendor_in_sales_manufacturing.csv",
    "vendor_us_sales.csv",
    "vendor_in_sales_sourcing.csv",
    "vendor_in_inventory_sourcing.csv",
    "vendor_us_inventory.csv",
    "vendor_us_traffic.csv",
    "vendor_in_net_ppm.csv",
]
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def as_xlsx(fixture, banner_layout, path):
    """The CSV fixture as Vendor Central's XLSX: the banner in one cell (pairs separated by
    spaces) or in cells on two rows; plain numbers as number cells, amounts with a currency
    symbol and percentages as the text the UI shows."""
    lines = (EXPORTS / fixture).read_text("utf-8").splitlines()
    table = list(csv.reader(lines))
    header_at = next(i for i, row in enumerate(table) if row and row[0] == "ASIN")
    pairs = [cell for row in table[:header_at] for cell in row]
    book = Workbook()
    sheet = book.active
    if banner_layout == "one cell":
        sheet.append([" ".join(pairs)])
    else:
        half = len(pairs) // 2
        sheet.append(pairs[:half])
        sheet.append(pairs[half:])
    sheet.append(table[header_at])
    for row in table[header_at + 1 :]:
        sheet.append([float(c) if PLAIN_NUMBER.fullmatch(c) else (c or None) for c in row])
    book.save(path)
    return path


@pytest.mark.parametrize("banner_layout", ["one cell", "two rows"])
@pytest.mark.parametrize("fixture", CSV_FIXTURES)
def test_xlsx_reads_as_its_csv(fixture, banner_layout, mem, tmp_path):
    account_order = "mdy" if "_us_" in fixture else "dmy"
    from_csv = parse_file(mem, EXPORTS / fixture, "f.csv", account_order, tmp_path)
    expected = mem.execute("select * exclude (source_file, source_line) from parsed_rows")
    expected = expected.fetchall()
    path = as_xlsx(fixture, banner_layout, tmp_path / f"{fixture}.xlsx")
    from_xlsx = parse_file(mem, path, "f.xlsx", account_order, tmp_path)
    got = mem.execute("select * exclude (source_file, source_line) from parsed_rows").fetchall()
    assert (from_xlsx.file_format, from_xlsx.rows_rejected) == ("xlsx", 0)
    assert from_xlsx.detected.kind == from_csv.detected.kind
    assert from_xlsx.detected.header_currency == from_csv.detected.header_currency
    assert got == expected and len(got) == from_csv.rows_read


# -- SP-API JSON, with the files' own totals ----------------------------------------------------


def test_sales_json_with_its_aggregate(mem, tmp_path):
    parsed = parse_file(mem, EXPORTS / "vendor_sales_report.json", "s.json", "mdy", tmp_path)
    detected = parsed.detected
    assert (detected.kind.name, detected.locale, detected.header_currency) == (
        "vendor_sales",
        "api",
        "USD",
    )
    assert (parsed.rows_read, parsed.rows_rejected) == (3, 0)
    assert rows(
        mem,
        "record_type, asin, start_date, end_date, distributor_view, program, "
        "ordered_revenue::double, ordered_units, shipped_cogs::double, shipped_revenue::double, "
        "shipped_units, customer_returns",
    ) == [
        ("aggregate", None, date(2026, 11, 8), date(2026, 11, 14), "manufacturing", "retail",
         13132.27, 383, 7608.0, 12680.0, 369, 4),
        (None, "B0OAK00001", date(2026, 11, 8), date(2026, 11, 14), "manufacturing", "retail",
         12519.87, 363, 7260.0, 12100.0, 350, 4),
        (None, "B0OAK00002", date(2026, 11, 8), date(2026, 11, 14), "manufacturing", "retail",
         612.4, 20, 348.0, 580.0, 19, 0),
    ]  # fmt: skip


def test_inventory_json_rates_are_fractions_and_uft_is_not_read(mem, tmp_path):
    parsed = parse_file(mem, EXPORTS / "vendor_inventory_report.json", "i.json", "mdy", tmp_path)
    assert (parsed.detected.kind.name, parsed.detected.ignored) == ("vendor_inventory", ["uft"])
    assert rows(
        mem,
        "record_type, asin, procurable_oos_pct, receive_fill_pct, vendor_confirmation_pct, "
        "net_received_amount::double, open_po_units, lead_time_days::double, "
        "sellable_on_hand_amount::double, sellable_on_hand_units, aged_90_plus_units, "
        "unhealthy_units, sell_through_pct",
    ) == [
        ("aggregate", None, pct(0.0193), pct(0.855), pct(0.92), 4320.0, 600, 12.4, 23232.0,
         1294, 30, 20, pct(0.231)),
        (None, "B0OAK00001", None, None, pct(0.92), 4320.0, 600, 12.4, 21492.0, 1194, 30, 20,
         pct(0.231)),
    ]  # fmt: skip


def test_traffic_json_by_day(mem, tmp_path):
    parsed = parse_file(mem, EXPORTS / "vendor_traffic_report.json", "t.json", "mdy", tmp_path)
    assert (parsed.rows_read, parsed.rows_loaded, parsed.detected.header_currency) == (6, 6, None)
    assert rows(mem, "record_type, asin, start_date, end_date, page_views, distributor_view") == [
        ("aggregate", None, date(2026, 11, 13), date(2026, 11, 13), 1020, None),
        ("aggregate", None, date(2026, 11, 14), date(2026, 11, 14), 980, None),
        (None, "B0OAK00001", date(2026, 11, 13), date(2026, 11, 13), 960, None),
        (None, "B0OAK00002", date(2026, 11, 13), date(2026, 11, 13), 60, None),
        (None, "B0OAK00001", date(2026, 11, 14), date(2026, 11, 14), 930, None),
        (None, "B0OAK00002", date(2026, 11, 14), date(2026, 11, 14), 50, None),
    ]


def test_net_ppm_json(mem, tmp_path):
    parse_file(mem, EXPORTS / "vendor_net_ppm_report.json", "n.json", "mdy", tmp_path)
    assert rows(mem, "record_type, asin, net_ppm, net_ppm_prior_bps") == [
        ("aggregate", None, pct(0.2801), None),
        (None, "B0OAK00001", pct(0.3143), None),
        (None, "B0OAK00002", pct(-0.041), None),
    ]


def test_forecast_json_dated_by_the_day_it_was_generated(mem, tmp_path):
    parsed = parse_file(mem, EXPORTS / "vendor_forecasting_report.json", "f.json", "mdy", tmp_path)
    assert (parsed.detected.kind.name, parsed.detected.kind.period) == (
        "vendor_forecast",
        "forecast_generated_on",
    )
    assert rows(
        mem,
        "forecast_generated_on, asin, start_date, end_date, program, "
        "mean_forecast_units::double, p70_forecast_units::double, p80_forecast_units::double, "
        "p90_forecast_units::double",
    ) == [
        (date(2026, 11, 15), "B0OAK00001", date(2026, 11, 15), date(2026, 11, 21), "retail",
         352.5, 380.1, 401.0, 433.8),
        (date(2026, 11, 15), "B0OAK00001", date(2026, 11, 22), date(2026, 11, 28), "retail",
         340.0, 369.2, 390.0, 421.7),
    ]  # fmt: skip


def test_an_asin_row_without_its_asin_is_rejected_a_total_row_is_not(mem, tmp_path):
    text = (EXPORTS / "vendor_sales_report.json").read_text("utf-8")
    path = tmp_path / "s.json"
    path.write_text(text.replace('"asin": "B0OAK00002"', '"asin": ""'), "utf-8")
    parsed = parse_file(mem, path, "s.json", "mdy", tmp_path)
    assert (parsed.rows_read, parsed.rows_loaded, parsed.rows_rejected) == (3, 2, 1)
    assert mem.execute("select source_line, column_name from parsed_rejects").fetchall() == [
        (4, "asin")
    ]


def test_json_in_two_currencies_or_without_records_fails_with_what_to_do(mem, tmp_path):
    text = (EXPORTS / "vendor_sales_report.json").read_text("utf-8")
    mixed = tmp_path / "mixed.json"
    mixed.write_text(text.replace('"USD"', '"EUR"', 1), "utf-8")
    with pytest.raises(ExportError, match="amounts in EUR, USD in one report; request"):
        parse_file(mem, mixed, "mixed.json", "mdy", tmp_path)
    empty = tmp_path / "empty.json"
    empty.write_text('{"reportSpecification": {}, "salesAggregate": [], "salesByAsin": []}')
    with pytest.raises(ExportError, match="holds no records"):
        parse_file(mem, empty, "empty.json", "mdy", tmp_path)


# -- money and dates in every convention --------------------------------------------------------


def test_decimal_comma_money_under_a_de_de_banner(mem, tmp_path):
    parsed = parse_file(
        mem, EXPORTS / "vendor_de_sales_decimal_comma.csv", "de.csv", "dmy", tmp_path
    )
    assert (parsed.detected.locale, parsed.detected.number_language) == ("en", "de")
    assert (parsed.detected.header_currency, parsed.rows_rejected) == ("EUR", 0)
    assert rows(mem, "ordered_revenue, ordered_units, shipped_cogs, shipped_units") == [
        (Decimal("1234.56"), 1024, Decimal("660.00"), 1000),
        (Decimal("98.10"), 4, Decimal("29.43"), 2),
    ]


def test_english_money_under_a_de_de_banner_is_not_misread(mem, tmp_path):
    # the same figures as the UI may write them in English under Locale=[de_DE]: "€98.10" can
    # only be English, so "1,024" is 1024 here, not 1.024
    text = (EXPORTS / "vendor_de_sales_decimal_comma.csv").read_text("utf-8")
    for german, english in [
        ('"€1.234,56"', '"€1,234.56"'),
        ('"1.024"', '"1,024"'),
        ('"€1.100,00"', '"€1,100.00"'),
        ('"€98,10"', "€98.10"),
        ('"€49,05"', "€49.05"),
        ('"€29,43"', "€29.43"),
    ]:
        text = text.replace(german, english)
    path = tmp_path / "en.csv"
    path.write_text(text, "utf-8")
    parsed = parse_file(mem, path, "en.csv", "dmy", tmp_path)
    assert (parsed.detected.number_language, parsed.rows_rejected) == (None, 0)
    assert rows(mem, "ordered_revenue, ordered_units, shipped_cogs, shipped_units") == [
        (Decimal("1234.56"), 1024, Decimal("660.00"), 1000),
        (Decimal("98.10"), 4, Decimal("29.43"), 2),
    ]


def test_a_file_mixing_both_conventions_rejects_rather_than_misreads(mem, tmp_path):
    text = (EXPORTS / "vendor_de_sales_decimal_comma.csv").read_text("utf-8")
    path = tmp_path / "mixed.csv"
    path.write_text(text.replace('"€98,10"', "€98.10"), "utf-8")  # one English amount
    parsed = parse_file(mem, path, "mixed.csv", "dmy", tmp_path)
    # read as the header's English: the German row is rejected, the English amount read
    assert (parsed.rows_read, parsed.rows_loaded, parsed.rows_rejected) == (2, 1, 1)
    assert rows(mem, "asin, ordered_revenue") == [("B0RHEIN002", Decimal("98.10"))]


@pytest.mark.parametrize(
    ("locale", "account_order", "viewing", "start", "end"),
    [
        # dd/mm by the banner's locale, whatever the account's marketplace writes
        ("en_GB", "mdy", "01/06/26 - 05/08/26", date(2026, 6, 1), date(2026, 8, 5)),
        # mm/dd by the banner's locale
        ("en_US", "dmy", "01/06/26 - 05/08/26", date(2026, 1, 6), date(2026, 5, 8)),
        # no marketplace has en_AE: the account's order
        ("en_AE", "dmy", "01/06/2026 - 05/08/2026", date(2026, 6, 1), date(2026, 8, 5)),
        ("en_AE", "mdy", "01/06/2026 - 05/08/2026", date(2026, 1, 6), date(2026, 5, 8)),
        # 25 is no month: day-first though the locale says month-first
        ("en_US", "mdy", "01/06/26 - 25/08/26", date(2026, 6, 1), date(2026, 8, 25)),
    ],
)
def test_day_and_month_order_of_the_viewing_range(
    locale, account_order, viewing, start, end, mem, tmp_path
):
    path = tmp_path / "s.csv"
    path.write_text(
        f"Program=[Retail],Locale=[{locale}],Viewing Range=[{viewing}]\n"
        "ASIN,Product Title,Shipped Units\nB0OAK00001,Board,3\n",
        "utf-8",
    )
    parse_file(mem, path, "s.csv", account_order, tmp_path)
    assert rows(mem, "start_date, end_date") == [(start, end)]


# -- a file its banner cannot date ---------------------------------------------------------------


def test_a_banner_without_its_viewing_range_fails_and_says_what_to_do(mem, tmp_path):
    text = (EXPORTS / "vendor_in_sales_manufacturing.csv").read_text("utf-8")
    path = tmp_path / "s.csv"
    path.write_text(text.replace(",Viewing Range=[01/07/26 - 31/07/26]", ""), "utf-8")
    with pytest.raises(ExportError) as error:
        parse_file(mem, path, "veda-in/Sales.csv", "dmy", tmp_path)
    message = str(error.value)
    assert message.startswith(
        "veda-in/Sales.csv: Vendor Central Sales (Retail Analytics Sales Diagnostic) has a "
        "banner without a viewing range (a value like [01/07/26 - 31/07/26]): Programme=[Retail]"
    )
    assert "Download the report again from Vendor Central" in message
    assert "A week folder cannot stand in for it" in message


def test_a_vendor_export_without_its_banner_fails(mem, tmp_path):
    lines = (EXPORTS / "vendor_us_traffic.csv").read_text("utf-8").splitlines(keepends=True)
    path = tmp_path / "t.csv"
    path.write_text("".join(lines[2:]), "utf-8")
    with pytest.raises(ExportError, match="has no banner above its header"):
        parse_file(mem, path, "t.csv", "mdy", tmp_path)


def test_an_unreadable_viewing_range_is_named(mem, tmp_path):
    text = (EXPORTS / "vendor_in_net_ppm.csv").read_text("utf-8")
    path = tmp_path / "n.csv"
    path.write_text(text.replace("08/11/26 - 14/11/26", "31/31/26 - 14/11/26"), "utf-8")
    with pytest.raises(ExportError, match=r"viewing range \[31/31/26 - 14/11/26\] is not a date"):
        parse_file(mem, path, "n.csv", "dmy", tmp_path)


# -- the inbox ----------------------------------------------------------------------------------

VENDOR_ACCOUNTS = """
portfolios:
  - {id: p, name: Vendors, base_currency: USD, bosses: [boss@agency.example]}
accounts:
  - {id: oakline-us, name: Oakline, marketplace: US, language: en, portfolio: p, kind: vendor,
     recipients: [owner@oakline.example]}
  - {id: veda-in, name: Veda, marketplace: IN, language: en, portfolio: p, kind: vendor,
     distributor_view: sourcing, recipients: [owner@veda.example]}
"""


@pytest.fixture
def vendors(home):
    home.accounts_file.write_text(VENDOR_ACCOUNTS, "utf-8")
    return load_accounts(home.accounts_file)


def put(home, fixture, place, text=None):
    path = home.inbox / place
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text or (EXPORTS / fixture).read_text("utf-8"), "utf-8")
    return path


def log(conn):
    return conn.execute(
        "select source_file, kind, status, week_start, period_start, period_end, rows_read, "
        "rows_loaded, rows_rejected from raw.ingest_log order by source_file"
    ).fetchall()


def test_loose_and_in_a_week_folder_each_file_is_dated_by_itself(conn, home, vendors):
    put(home, "vendor_in_sales_manufacturing.csv", "veda-in/Sales_Monthly.csv")
    # a Sunday-Saturday week in the folder of the week before: its own dates win
    put(home, "vendor_us_sales.csv", "oakline-us/2026-11-02/Sales_Weekly.csv")
    put(home, "vendor_sales_report.json", "oakline-us/GET_VENDOR_SALES_REPORT.json")
    put(home, "vendor_forecasting_report.json", "oakline-us/GET_VENDOR_FORECASTING_REPORT.json")
    results = ingest_inbox(conn, home, vendors)
    assert {r.status for r in results} == {"loaded"}
    assert log(conn) == [
        # Sunday 8 to Saturday 14 November: the Monday week of 9 November holds six of its days
        ("oakline-us/2026-11-02/Sales_Weekly.csv", "vendor_sales", "loaded", date(2026, 11, 9),
         date(2026, 11, 8), date(2026, 11, 14), 2, 2, 0),
        ("oakline-us/GET_VENDOR_FORECASTING_REPORT.json", "vendor_forecast", "loaded",
         date(2026, 11, 9), date(2026, 11, 15), date(2026, 11, 15), 2, 2, 0),
        ("oakline-us/GET_VENDOR_SALES_REPORT.json", "vendor_sales", "loaded", date(2026, 11, 9),
         date(2026, 11, 8), date(2026, 11, 14), 3, 3, 0),
        # July 2026: its middle day, 16 July, is in the week of Monday 13 July
        ("veda-in/Sales_Monthly.csv", "vendor_sales", "loaded", date(2026, 7, 13),
         date(2026, 7, 1), date(2026, 7, 31), 3, 3, 0),
    ]  # fmt: skip
    assert conn.execute(
        "select source_file, header_currency, count(*), count(record_type), "
        "min(distributor_view), min(locale) from raw.vendor_sales group by all order by 1"
    ).fetchall() == [
        ("oakline-us/2026-11-02/Sales_Weekly.csv", "USD", 2, 0, "manufacturing", "en-US"),
        ("oakline-us/GET_VENDOR_SALES_REPORT.json", "USD", 3, 1, "manufacturing", "api"),
        ("veda-in/Sales_Monthly.csv", "INR", 3, 0, "manufacturing", "en-IN"),
    ]
    # the same files again change nothing
    again = ingest_inbox(conn, home, vendors)
    assert {r.status for r in again} == {"duplicate"}
    assert conn.execute("select count(*) from raw.vendor_sales").fetchone() == (8,)


def test_every_row_is_loaded_or_rejected(conn, home, vendors):
    text = (EXPORTS / "vendor_us_inventory.csv").read_text("utf-8")
    bad = text + ",Oak Bowl,Oakline,0.00%,,$0.00,0,0,,,0,$0.00,0,$0.00,5,$0.00,0,$0.00,0,\n"
    bad += "B0OAK00004,Oak Tray,Oakline,0.00%,,$0.00,0,0,,,0,$0.00,0,$0.00,five,$0.00,0,,,\n"
    put(home, None, "oakline-us/Inventory.csv", bad)
    (result,) = ingest_inbox(conn, home, vendors)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (4, 2, 2)
    assert result.rows_read == result.rows_loaded + result.rows_rejected
    assert conn.execute(
        "select line, column_name, value, reason from raw.rejects order by line"
    ).fetchall() == [
        (5, "asin", None, "'ASIN' is empty; this column is required"),
        (6, "sellable_on_hand_units", "five",
         "'Sellable On Hand Units' is not a whole number in en format"),
    ]  # fmt: skip


def test_a_corrected_export_replaces_the_earlier_one(conn, home, vendors):
    put(home, "vendor_us_traffic.csv", "oakline-us/Traffic.csv")
    ingest_inbox(conn, home, vendors)
    text = (EXPORTS / "vendor_us_traffic.csv").read_text("utf-8")
    put(home, None, "oakline-us/Traffic (1).csv", text.replace('"3,582"', '"3,600"'))
    results = {r.source_file: r.status for r in ingest_inbox(conn, home, vendors)}
    assert results["oakline-us/Traffic (1).csv"] == "replaced"
    assert conn.execute(
        "select source_file, sum(page_views) from raw.vendor_traffic group by all"
    ).fetchall() == [("oakline-us/Traffic (1).csv", 4010)]


def test_views_programmes_and_formats_of_one_period_do_not_replace_one_another(conn, home, vendors):
    text = (EXPORTS / "vendor_us_sales.csv").read_text("utf-8")
    put(home, None, "oakline-us/Sales_Manufacturing.csv", text)
    sourcing = text.replace("Distributor View=[Manufacturing]", "Distributor View=[Sourcing]")
    put(home, None, "oakline-us/Sales_Sourcing.csv", sourcing)
    fresh = text.replace("Program=[Retail]", "Program=[Fresh]")
    put(home, None, "oakline-us/Sales_Fresh.csv", fresh)
    put(home, "vendor_sales_report.json", "oakline-us/GET_VENDOR_SALES_REPORT.json")
    results = ingest_inbox(conn, home, vendors)
    assert [r.status for r in results] == ["loaded"] * 4
    assert conn.execute(
        "select source_file, variant from raw.ingest_log order by source_file"
    ).fetchall() == [
        ("oakline-us/GET_VENDOR_SALES_REPORT.json", "manufacturing/retail/api"),
        ("oakline-us/Sales_Fresh.csv", "manufacturing/fresh/en"),
        ("oakline-us/Sales_Manufacturing.csv", "manufacturing/retail/en"),
        ("oakline-us/Sales_Sourcing.csv", "sourcing/retail/en"),
    ]
    # a corrected Sourcing view replaces the Sourcing view only
    put(home, None, "oakline-us/Sales_Sourcing (1).csv", sourcing.replace("363", "364"))
    again = {r.source_file: (r.status, r.message) for r in ingest_inbox(conn, home, vendors)}
    assert again["oakline-us/Sales_Sourcing (1).csv"] == (
        "replaced",
        "replaces oakline-us/Sales_Sourcing.csv",
    )


def test_files_of_one_header_with_different_banners_keep_their_own_dates(conn, home, vendors):
    text = (EXPORTS / "vendor_us_traffic.csv").read_text("utf-8")
    weeks = {"2026-11-02": "11/01/26 - 11/07/26", "2026-11-09": "11/08/26 - 11/14/26"}
    for folder, viewing in weeks.items():
        dated = text.replace("11/08/26 - 11/14/26", viewing)
        put(home, None, f"oakline-us/{folder}/Traffic.csv", dated.replace("Serving", folder))
    ingest_inbox(conn, home, vendors)
    assert conn.execute(
        "select start_date, end_date, title from raw.vendor_traffic where asin = 'B0OAK00002' "
        "order by start_date"
    ).fetchall() == [
        (date(2026, 11, 1), date(2026, 11, 7), "Oak 2026-11-02 Tray"),
        (date(2026, 11, 8), date(2026, 11, 14), "Oak 2026-11-09 Tray"),
    ]


def test_a_vendor_export_its_banner_cannot_date_fails_in_the_inbox(conn, home, vendors):
    text = (EXPORTS / "vendor_in_net_ppm.csv").read_text("utf-8")
    put(home, None, "veda-in/2026-11-09/NetPPM.csv", text.split("\n", 1)[1])
    (result,) = ingest_inbox(conn, home, vendors)
    assert result.status == "failed"
    assert "has no banner above its header" in result.message
    assert "Download the report again from Vendor Central" in result.message
