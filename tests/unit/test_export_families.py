"""Every export family on our own fixtures, in the languages and formats Amazon delivers."""

from datetime import date, datetime

import duckdb
import pytest
from openpyxl import Workbook

from assets.ingest.readers import ExportError, parse_file
from tests.conftest import EXPORTS


@pytest.fixture
def mem():
    return duckdb.connect()


def parsed_rows(conn, columns):
    return conn.execute(f"select {columns} from parsed_rows order by source_line").fetchall()


def test_fba_inventory_tab_separated_windows_1252(mem, tmp_path):
    parsed = parse_file(mem, EXPORTS / "uk_fba_inventory.txt", "inv.txt", workdir=tmp_path)
    assert (parsed.detected.kind.name, parsed.encoding, parsed.rows_rejected) == (
        "fba_inventory",
        "cp1252",
        0,
    )
    assert parsed_rows(
        mem,
        "sku, product_name, your_price::varchar, afn_fulfillable_quantity, "
        "afn_reserved_quantity, afn_inbound_working_quantity, "
        "mfn_fulfillable_quantity",
    ) == [
        ("OAK-L", 'Oak Chopping Board "Large" – 45cm', "19.99", 120, 18, 0, None),
        ("OAK-S", "Oak Chopping Board Small £", "12.99", 0, 0, 200, None),
    ]


def test_search_term_14_day_with_currency_in_header(mem):
    parsed = parse_file(mem, EXPORTS / "in_sp_search_term.csv", "st.csv", "dmy")
    detected = parsed.detected
    assert (detected.kind.name, detected.attribution_days, detected.header_currency) == (
        "sp_search_term",
        14,
        "INR",
    )
    assert detected.ignored == []
    assert parsed_rows(
        mem,
        "report_date, search_term, impressions, ctr, cpc::varchar, "
        "spend::varchar, sales::varchar, acos, roas::double, orders, "
        "advertised_sales::varchar",
    ) == [
        (
            date(2026, 11, 16),
            "knee pain oil",
            1950,
            pytest.approx(0.0205),
            "12.50",
            "500.00",
            "1250.00",
            pytest.approx(0.40),
            2.5,
            5,
            "1000.00",
        ),
        (
            date(2026, 11, 17),
            '<b>oil</b> & "balm"',
            100,
            pytest.approx(0.02),
            "10.00",
            "20.00",
            "0.00",
            None,
            0.0,
            0,
            "0.00",
        ),
    ]


def test_search_term_xlsx_with_excel_dates_and_title_rows(mem, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Sponsored Products Search term report"])
    sheet.append([])
    sheet.append(
        [
            "Start Date",
            "End Date",
            "Portfolio name",
            "Currency",
            "Campaign Name",
            "Ad Group Name",
            "Targeting",
            "Match Type",
            "Customer Search Term",
            "Impressions",
            "Clicks",
            "Click-Thru Rate (CTR)",
            "Cost Per Click (CPC)",
            "Spend",
            "7 Day Total Sales ",
            "Total Advertising Cost of Sales (ACOS) ",
            "7 Day Total Orders (#)",
        ]
    )
    sheet.append(
        [
            datetime(2026, 11, 16),
            46343,
            "P",
            "USD",
            "Auto",
            "AG",
            "*",
            "BROAD",
            "oak board",
            100,
            4,
            0.04,
            0.5,
            2.0,
            10.0,
            0.2,
            1,
        ]
    )
    path = tmp_path / "Sponsored Products Search term report.xlsx"
    book.save(path)
    parsed = parse_file(mem, path, "st.xlsx", "mdy", tmp_path)
    assert (parsed.file_format, parsed.detected.header_line, parsed.detected.attribution_days) == (
        "xlsx",
        3,
        7,
    )
    # 46343 is the Excel serial of 2026-11-17; fractions in spreadsheets stay fractions
    assert parsed_rows(mem, "report_date, end_date, ctr, spend::double, sales::double, acos") == [
        (date(2026, 11, 16), date(2026, 11, 17), 0.04, 2.0, 10.0, 0.2)
    ]
    assert list(tmp_path.glob(".*.sellerpulse.csv")) == []  # the temporary CSV is gone


def test_ads_api_v3_json_rows(mem, tmp_path):
    parsed = parse_file(mem, EXPORTS / "us_ads_api_campaigns.json", "api.json", "mdy", tmp_path)
    assert (
        parsed.detected.kind.name,
        parsed.detected.locale,
        parsed.detected.attribution_days,
    ) == ("sp_campaign", "api", 7)
    assert parsed_rows(
        mem,
        "report_date, campaign_name, status, clicks, spend::double, sales::double, orders, units",
    ) == [
        (date(2026, 11, 16), "Brand – Exact", "ENABLED", 30, 24.6, 180.5, 6, 7),
        (date(2026, 11, 17), "Brand – Exact", "ENABLED", 0, 0.0, 0.0, 0, 0),
    ]


def test_account_health_both_spellings(mem, tmp_path):
    parse_file(mem, EXPORTS / "de_account_health.json", "health.json", workdir=tmp_path)
    rows = parsed_rows(
        mem, "metric, channel, rate::double, target_value::double, status, defects, orders, date_to"
    )
    assert rows == [
        ("odr", "afn", 0.015, 0.01, "BAD", 30, 2000, date(2026, 11, 16)),
        ("odr", "mfn", 0.0, 0.01, "GOOD", 0, 0, date(2026, 11, 16)),
        ("cancel_rate", "all", 0.005, 0.025, "GOOD", 2, 400, date(2026, 11, 16)),
        ("late_shipment_rate", "all", 0.01, 0.04, "GOOD", 8, 800, date(2026, 11, 16)),
        ("account_health_rating", "all", None, None, "AT_RISK", None, None, date(2026, 11, 16)),
    ]


def test_reviews_tsv_keeps_quotes_and_markup_as_text(mem):
    parsed = parse_file(mem, EXPORTS / "jp_customer_reviews.tsv", "reviews.tsv")
    assert parsed.detected.kind.name == "customer_reviews" and parsed.rows_rejected == 0
    assert parsed_rows(mem, "review_id, star_rating, review_body, review_date")[0] == (
        "RJP0001",
        1,
        '"味が薄い"<br />二度と買いません &amp; 返品',
        date(2026, 11, 17),
    )


def test_german_business_report_by_date(mem):
    parsed = parse_file(mem, EXPORTS / "de_business_report_by_date.csv", "bd.csv", "dmy")
    assert (parsed.detected.kind.name, parsed.detected.locale) == ("business_report_by_date", "de")
    assert parsed_rows(mem, "report_date, revenue::varchar, units, sessions, page_views") == [
        (date(2026, 11, 16), "1234.50", 60, 1000, 1400),
        (date(2026, 11, 17), "987.25", 40, 800, 1050),
    ]


def test_german_seller_feedback(mem):
    parsed = parse_file(mem, EXPORTS / "de_seller_feedback.txt", "fb.txt", "dmy")
    assert (parsed.detected.kind.name, parsed.detected.locale) == ("seller_feedback", "de")
    assert parsed_rows(mem, "feedback_date, rating, order_id")[0] == (
        date(2026, 11, 17),
        1,
        "302-1234567-1234567",
    )


def test_all_orders_iso_dates_with_offsets(mem):
    parse_file(mem, EXPORTS / "us_all_orders.txt", "orders.txt", "mdy")
    # the date as written in the export (the marketplace's local day), offset not applied
    assert parsed_rows(mem, "amazon_order_id, purchase_date, quantity, item_price::varchar") == [
        ("111-0000001-0000001", date(2026, 11, 16), 2, "25.98")
    ]


def test_json_that_is_no_report_says_what_is_read(tmp_path, mem):
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(ExportError, match="GET_V2_SELLER_PERFORMANCE_REPORT"):
        parse_file(mem, path, "x.json", workdir=tmp_path)


def test_broken_xlsx_says_download_again(tmp_path, mem):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 definitely not a workbook")
    with pytest.raises(ExportError, match="not a readable .xlsx workbook"):
        parse_file(mem, path, "broken.xlsx", workdir=tmp_path)


def test_shift_jis_business_report(mem, tmp_path):
    path = tmp_path / "sjis.csv"
    path.write_bytes((EXPORTS / "ja_business_report.csv").read_text("utf-8-sig").encode("cp932"))
    parsed = parse_file(mem, path, "sjis.csv", workdir=tmp_path)
    assert (parsed.encoding, parsed.detected.locale, parsed.rows_loaded) == ("cp932", "ja", 2)
    assert parsed_rows(mem, "title")[1] == ("ほうじ茶 ティーバッグ 50袋",)


def test_ignored_source_columns_are_named(mem, tmp_path):
    text = (EXPORTS / "uk_business_report.csv").read_text("utf-8-sig").splitlines()
    text[0] += ",Sessions – Mobile app"
    text[1:] = [line + ",7" for line in text[1:]]
    path = tmp_path / "wide.csv"
    path.write_text("\n".join(text) + "\n", "utf-8")
    parsed = parse_file(mem, path, "wide.csv")
    assert parsed.detected.ignored == ["Sessions – Mobile app"]
