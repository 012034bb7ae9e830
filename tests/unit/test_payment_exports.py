"""Payment exports (issue 18): the Date Range Report in every evidenced language and era, the
Payments Transaction view and the Settlement V2 flat file (export-headers.md §3), on our own
fixtures (tests/fixtures/exports/payments_*: every header cell copied from export-headers.md,
the rows our own), plus the type and settlement-amount registries.

Preamble wording is evidenced in English (§3.1 [A], UK [B], IN 2025+ [A]) and Spanish (§3.1
[B]) only; in de, fr, it, ja and es-MX nothing is (Gaps 3), so their fixtures start at the
header and the tests put nine neutral lines above it: the number of lines §3.1 records for
EU files [B], not their text.
"""

from datetime import date, datetime
from decimal import Decimal

import duckdb
import pytest

from assets.core.registry import payment_types, settlement_amounts
from assets.core.settings import load_accounts
from assets.ingest.inbox import ingest_inbox
from assets.ingest.readers import catalog, detect, parse_file, preamble_currency
from assets.ingest.reference import TABLES, write_reference_tables
from tests.conftest import ACCOUNTS_YAML, EXPORTS, make_home

ZONES = {
    "US": ("mdy", "US", "America/Los_Angeles"),
    "UK": ("dmy", "GB", "Europe/London"),
    "IN": ("dmy", "IN", "Asia/Kolkata"),
    "DE": ("dmy", "DE", "Europe/Berlin"),
    "FR": ("dmy", "FR", "Europe/Paris"),
    "IT": ("dmy", "IT", "Europe/Rome"),
    "ES": ("dmy", "ES", "Europe/Madrid"),
    "MX": ("dmy", "MX", "America/Los_Angeles"),
    "JP": ("dmy", "JP", "Asia/Tokyo"),
}
COLUMNS = (
    "posted_at, posted_date, transaction_type, order_id, quantity, product_sales, "
    "selling_fees, fba_fees, other_transaction_fees, total"
)


@pytest.fixture
def mem():
    return duckdb.connect()


def parse(conn, path, marketplace, name=None):
    date_order, country, timezone = ZONES[marketplace]
    return parse_file(conn, path, name or path.name, date_order, country=country, timezone=timezone)


def rows(conn, columns=COLUMNS):
    return conn.execute(f"select {columns} from parsed_rows order by source_line").fetchall()


def rejects(conn):
    return conn.execute(
        "select source_line, column_name, value, reason from parsed_rejects order by source_line"
    ).fetchall()


def d(text):
    return Decimal(text)


# -- Date Range Report, per language --------------------------------------------------------


def test_us_newest_layout_preamble_and_a_sunday_night_sale(mem):
    parsed = parse(mem, EXPORTS / "payments_us_date_range.csv", "US")
    found = parsed.detected
    # seven preamble lines (§3.1 [A]) skipped, their currency kept
    assert (found.kind.name, found.locale, found.header_line, found.header_currency) == (
        "payments_date_range",
        "en",
        8,
        "USD",
    )
    assert found.ignored == []
    assert (parsed.rows_read, parsed.rows_loaded, parsed.rows_rejected) == (5, 4, 1)
    assert rows(mem) == [
        # 11:30 PM PDT on Sunday 6 Sep is Monday 06:30 UTC: the row is Sunday's (marketplace)
        (datetime(2026, 9, 7, 6, 30), date(2026, 9, 6), "Order", "111-1234567-7654321", 2,
         d("59.98"), d("-8.25"), d("-7.90"), d("0.00"), d("38.83")),
        (datetime(2026, 9, 8, 16, 15, 2), date(2026, 9, 8), "Refund", "111-1234567-7654321", 1,
         d("-29.99"), d("3.30"), d("0.00"), d("0.00"), d("-26.69")),
        (datetime(2026, 9, 9, 9), date(2026, 9, 9), "Service Fee", None, None,
         d("0.00"), d("0.00"), d("0.00"), d("-1234.56"), d("-1234.56")),
        # 12:05:07 AM is just after midnight
        (datetime(2026, 9, 12, 7, 5, 7), date(2026, 9, 12), "Transfer", None, None,
         d("0.00"), d("0.00"), d("0.00"), d("0.00"), d("-2000.00")),
    ]  # fmt: skip
    assert rows(mem, "regulatory_fee, regulatory_fee_tax, marketplace_withheld_tax, account_type")[
        0
    ] == (d("0.00"), d("0.00"), d("-5.40"), "Standard Orders")
    # 31 September is no date: the row is rejected with its line and why
    assert rejects(mem) == [
        (12, "posted_at", "Sep 31, 2026 3:00:00 PM PDT",
         "'date/time' is not a date and time in en format"),
    ]  # fmt: skip


def test_uk_spellings_fulfilment_and_postage_credits(mem):
    parsed = parse(mem, EXPORTS / "payments_uk_date_range.csv", "UK")
    found = parsed.detected
    assert (found.locale, found.header_line, found.header_currency, found.ignored) == (
        "en",
        8,
        "GBP",
        [],
    )
    assert rows(mem, "posted_date, fulfillment, shipping_credits, fba_fees, total") == [
        (date(2026, 11, 1), "Amazon", d("2.99"), d("-2.85"), d("21.38")),
        (date(2026, 11, 3), "Amazon", d("-2.99"), d("0.00"), d("-24.98")),
        (date(2026, 11, 4), None, d("0.00"), d("-12.34"), d("-12.34")),
    ]


def test_in_2025_layout_gst_columns_and_lower_case_am_pm(mem):
    parsed = parse(mem, EXPORTS / "payments_in_date_range.csv", "IN")
    found = parsed.detected
    # five preamble lines of the posted-date format (§3.1 [A])
    assert (found.header_line, found.header_currency, found.ignored) == (6, "INR", [])
    assert rows(
        mem,
        "posted_at, posted_date, sku, product_sales, gst_liable, tcs_cgst, tcs_sgst, tcs_igst, "
        "tds, total, transaction_status, transaction_release_date",
    ) == [
        (datetime(2026, 7, 1, 4, 24, 44), date(2026, 7, 1), "TULSI-100", d("1497.00"),
         d("228.36"), d("-6.34"), d("-6.34"), d("0.00"), d("-12.68"), d("1052.09"), "Released",
         date(2026, 7, 1)),
        # 9:01 pm UTC is 2:31 am the next day in India
        (datetime(2026, 7, 2, 21, 1, 10), date(2026, 7, 3), "TULSI-100", d("499.00"),
         d("76.12"), d("-2.11"), d("-2.11"), d("0.00"), d("-4.23"), d("384.03"), "Deferred",
         None),
    ]  # fmt: skip


NINE_LINES = "".join(f'"preamble line {n} (wording not evidenced)"\n' for n in range(1, 10))


@pytest.mark.parametrize(
    ("fixture", "marketplace", "language", "expected"),
    [
        # §3.4 [A]: 2025+ order with Transaktionsstatus; 1.198,00 and 23:30 UTC = 00:30 Berlin
        ("payments_de_date_range.csv", "DE", "de", [
            (datetime(2026, 11, 1, 10, 5, 35), date(2026, 11, 1), "Bestellung",
             "302-1111111-1111111", 2, d("1198.00"), d("-179.70"), d("-8.40"), d("0.00"),
             d("989.90")),
            (datetime(2026, 11, 2, 23, 30), date(2026, 11, 3), "Erstattung",
             "302-1111111-1111111", 1, d("-599.00"), d("71.88"), d("0.00"), d("0.00"),
             d("-517.12")),
            (datetime(2026, 11, 3, 4), date(2026, 11, 3), "Servicegebühr", None, None,
             d("0.00"), d("0.00"), d("0.00"), d("-45.67"), d("-45.67")),
        ]),
        # §3.3 [B], the FR_ALT "new" spellings; "1 234,50", "août", "nov."
        ("payments_fr_date_range.csv", "FR", "fr", [
            (datetime(2026, 8, 4, 10, 5, 35), date(2026, 8, 4), "Commande",
             "171-1111111-1111111", 2, d("1234.50"), d("-185.18"), d("-7.20"), d("0.00"),
             d("1032.12")),
            (datetime(2026, 11, 12, 21), date(2026, 11, 12), "Frais de stock Expédié par Amazon",
             None, None, d("0.00"), d("0.00"), d("-3.21"), d("0.00"), d("-3.21")),
        ]),
        # §3.3 [B], "Data/Ora:" with its colon; "ott" and 22:37 UTC = 00:37 in Rome
        ("payments_it_date_range.csv", "IT", "it", [
            (datetime(2026, 10, 17, 22, 37, 41), date(2026, 10, 18), "Ordine",
             "403-2222222-3333333", 1, d("1049.00"), d("-157.35"), d("-6.10"), d("0.00"),
             d("885.55")),
            (datetime(2026, 10, 18, 8), date(2026, 10, 18), "Commissione di servizio", None, None,
             d("0.00"), d("0.00"), d("0.00"), d("-12.50"), d("-12.50")),
        ]),
        # §3.3 ES-MX [B]: "fecha/hora", "tipo " with its space; amounts 1,250.00 (es_MX)
        ("payments_mx_date_range.csv", "MX", "es", [
            (datetime(2026, 11, 5, 18, 20), date(2026, 11, 5), "Pedido", "701-4444444-5555555",
             1, d("1250.00"), d("-187.50"), d("-65.00"), d("0.00"), d("1197.50")),
        ]),
        # §3.3 [B]; JP dates are not evidenced: an unambiguous 2026/11/01 08:15:00 JST is read
        ("payments_ja_date_range.csv", "JP", "ja", [
            (datetime(2026, 10, 31, 23, 15), date(2026, 11, 1), "注文", "250-5555555-6666666",
             2, d("3960.00"), d("-594.00"), d("-636.00"), d("0.00"), d("3056.00")),
            (datetime(2026, 11, 2, 1), date(2026, 11, 2), "注文外料金", None, None, d("0.00"),
             d("0.00"), d("0.00"), d("-1500.00"), d("-1500.00")),
        ]),
    ],
)  # fmt: skip
def test_languages_without_an_evidenced_preamble(mem, tmp_path, fixture, marketplace, language,
                                                 expected):  # fmt: skip
    for above, line in (("", 1), (NINE_LINES, 10)):
        path = tmp_path / fixture
        path.write_text(above + (EXPORTS / fixture).read_text("utf-8"), "utf-8")
        parsed = parse(mem, path, marketplace)
        found = parsed.detected
        assert (found.kind.name, found.locale, found.header_line) == (
            "payments_date_range",
            language,
            line,
        )
        # no preamble currency: the account's currency applies (staging)
        assert (found.header_currency, found.ignored, parsed.rows_rejected) == (None, [], 0)
        assert rows(mem) == expected


def test_spanish_preamble_currency_and_untranslated_tax_headers(mem):
    parsed = parse(mem, EXPORTS / "payments_es_date_range.csv", "ES")
    found = parsed.detected
    assert (found.locale, found.header_line, found.header_currency, found.ignored) == (
        "es",
        4,
        "EUR",
        [],
    )
    assert rows(mem, "posted_date, product_sales, gift_wrap_credits_tax, selling_fees, total") == [
        (date(2026, 10, 18), d("2310.00"), d("0.00"), d("-346.50"), d("1953.70")),
        (date(2026, 10, 19), d("-1155.00"), d("0.00"), d("138.60"), d("-1016.40")),
    ]


def test_preamble_currency_is_read_from_the_evidenced_wordings():
    assert preamble_currency(['"All amounts in AED, unless specified"\n']) == "AED"
    assert preamble_currency(['"Todos los importes en EUR, a menos que …"\n']) == "EUR"
    assert preamble_currency(['"Definitions:"\n']) is None


def test_no_chinese_date_range_report_is_read():
    languages = {lang for c in catalog().kinds["payments_date_range"].columns.values()
                 for lang in c.names}  # fmt: skip
    assert languages == {"en", "de", "fr", "it", "es", "ja"}


# -- Transaction view and Settlement V2 -----------------------------------------------------


def test_transaction_view_english_and_french(mem):
    parsed = parse(mem, EXPORTS / "payments_us_transaction_view.csv", "US")
    found = parsed.detected
    assert (found.kind.name, found.locale, found.header_currency, found.ignored) == (
        "payments_transaction_view",
        "en",
        "USD",
        [],
    )
    columns = "transaction_date, transaction_status, transaction_type, amazon_fees, total"
    assert rows(mem, columns) == [
        (date(2026, 9, 6), "Released", "Order Payment", d("-16.15"), d("38.83")),
        (date(2026, 9, 8), "Deferred", "Refund", d("3.30"), d("-26.69")),
        (date(2026, 9, 9), "Released", "Service Fees", d("-1234.56"), d("-1234.56")),
    ]
    parsed = parse(mem, EXPORTS / "payments_fr_transaction_view.csv", "FR")
    found = parsed.detected
    assert (found.kind.name, found.locale, found.header_currency, found.ignored) == (
        "payments_transaction_view",
        "fr",
        "EUR",
        [],
    )
    assert rows(mem, columns) == [
        (date(2026, 8, 4), "Publiée", "Paiement de la commande", d("-192.38"), d("1032.12")),
        (date(2026, 11, 12), "Publiée", "Frais de stock Expédié par Amazon", d("-3.21"),
         d("-3.21")),
    ]  # fmt: skip


def test_settlement_v2_keeps_its_summary_row(mem):
    parsed = parse(mem, EXPORTS / "payments_us_settlement_v2.txt", "US")
    assert (parsed.detected.kind.name, parsed.detected.ignored) == ("settlement_v2", [])
    assert (parsed.rows_read, parsed.rows_loaded, parsed.rows_rejected) == (11, 11, 0)
    summary, *lines = rows(
        mem,
        "settlement_end_date, deposit_date, total_amount, currency, posted_date, posted_at, "
        "amount_type, amount",
    )
    # the summary row loads, dated by its settlement end
    assert summary == (
        date(2026, 9, 15), date(2026, 9, 17), d("-1191.21"), "USD", date(2026, 9, 15), None,
        None, None,
    )  # fmt: skip
    # its total is the sum of the settlement's amounts
    assert sum(line[-1] for line in lines) == summary[2]
    assert lines[0][4:] == (date(2026, 9, 7), datetime(2026, 9, 7, 6, 30), "ItemPrice",
                            d("59.98"))  # fmt: skip
    assert rows(mem, "promotion_id, quantity_purchased")[4] == ("PLM-SEPT", 2)


def test_eu_settlement_amounts_with_a_decimal_comma(mem, tmp_path):
    text = (EXPORTS / "payments_us_settlement_v2.txt").read_text("utf-8")
    german = (
        text.replace("-1191.21", "-1.191,21")
        .replace("-1234.56", "-1.234,56")
        .replace("2026-09-15T07:00:00+00:00", "15.09.2026 07:00:00 UTC")
    )
    for value in ("59.98", "5.40", "5.00", "8.25", "7.90", "29.99", "3.30", "31.21"):
        german = german.replace(value, value.replace(".", ","))
    path = tmp_path / "settlement.txt"
    path.write_text(german, "utf-8")
    parsed = parse(mem, path, "DE")
    assert (parsed.detected.number_language, parsed.rows_rejected) == ("de", 0)
    assert rows(mem, "settlement_end_date, total_amount, amount")[:2] == [
        (date(2026, 9, 15), d("-1191.21"), None),
        (None, None, d("59.98")),
    ]


def test_every_row_is_loaded_or_rejected_through_the_inbox(tmp_path):
    home = make_home(tmp_path)
    (tmp_path / "accounts.yaml").write_text(
        ACCOUNTS_YAML
        + "  - {id: oak-us, name: Oak US, marketplace: US, language: en, portfolio: apac,\n"
        "     recipients: [owner@oak.example]}\n",
        "utf-8",
    )
    accounts = load_accounts(home.accounts_file)
    for fixture, account in (
        ("payments_us_date_range.csv", "oak-us"),
        ("payments_us_settlement_v2.txt", "oak-us"),
        ("payments_us_transaction_view.csv", "oak-us"),
        ("payments_de_date_range.csv", "messer-de"),
        ("payments_ja_date_range.csv", "ocha-jp"),
    ):
        folder = home.inbox / account
        folder.mkdir(parents=True, exist_ok=True)
        (folder / fixture).write_bytes((EXPORTS / fixture).read_bytes())
    conn = duckdb.connect(str(home.warehouse))
    results = {r.source_file.split("/")[-1]: r for r in ingest_inbox(conn, home, accounts)}
    assert {name: r.status for name, r in results.items()} == {
        "payments_us_date_range.csv": "loaded_with_rejects",
        "payments_us_settlement_v2.txt": "loaded",
        "payments_us_transaction_view.csv": "loaded",
        "payments_de_date_range.csv": "loaded",
        "payments_ja_date_range.csv": "loaded",
    }
    for r in results.values():
        assert r.rows_loaded + r.rows_rejected == r.rows_read
    # the Sunday-night sale is Sunday's, in the week of Monday 31 August
    assert conn.execute(
        "select posted_date, header_currency, locale from raw.payments_date_range "
        "where account_id = 'oak-us' order by source_line limit 1"
    ).fetchone() == (date(2026, 9, 6), "USD", "en-US")
    assert conn.execute(
        "select period_start, period_end, week_start from raw.ingest_log "
        "where source_file = 'oak-us/payments_us_date_range.csv'"
    ).fetchone() == (date(2026, 9, 6), date(2026, 9, 12), date(2026, 8, 31))
    assert conn.execute(
        "select count(*), count(total_amount) from raw.settlement_v2"
    ).fetchone() == (11, 1)
    assert conn.execute(
        "select reason from raw.rejects where source_file = 'oak-us/payments_us_date_range.csv'"
    ).fetchall() == [("'date/time' is not a date and time in en format",)]


def test_the_new_kinds_are_recognised_from_their_headers_alone():
    names = list(catalog().kinds["settlement_v2"].columns)
    header = [n.replace("_", "-") for n in names]
    header[header.index("posted-at")] = "posted-date-time"
    assert detect(header).kind.name == "settlement_v2"


# -- registries -----------------------------------------------------------------------------

# §3.5 [B]: every type value of the table, per language, and its canonical type
SECTION_3_5 = {
    "order": {"en": "Order", "fr": "Commande", "de": "Bestellung", "it": "Ordine",
              "es": "Pedido", "ja": "注文"},
    "refund": {"en": "Refund", "fr": "Remboursement", "de": "Erstattung", "it": "Rimborso",
               "es": "Reembolso", "ja": "返金"},
    "adjustment": {"en": "Adjustment", "fr": "Ajustement", "de": "Anpassung", "it": "Modifica",
                   "es": "Ajuste", "ja": "調整"},
    "service_fee": {"en": "Service Fee", "fr": "Frais de service", "de": "Servicegebühr",
                    "it": "Commissione di servizio", "es": "Tarifa de prestación de servicio",
                    "ja": "注文外料金"},
    "fba_inventory_fee": {"en": "FBA Inventory Fee", "fr": "Frais de stock Expédié par Amazon",
                          "de": "Versand durch Amazon Lagergebühr",
                          "it": "Costo di stoccaggio Logistica di Amazon",
                          "es": "Tarifas de inventario de Logística de Amazon",
                          "ja": "FBA 在庫関連の手数料"},
    "lightning_deal_fee": {"en": "Lightning Deal Fee", "fr": "Tarif de la Vente Flash",
                           "de": "Blitzangebotsgebühr", "it": "Tariffa dell’Offerta Lampo",
                           "es": "Tarifa de Oferta flash", "ja": "数量限定タイムセール手数料"},
}  # fmt: skip
SECTION_3_4 = {  # §3.4 [A], German
    "Bestellung": "order", "Bestellung_Wiedereinzug": "order_retrocharge",
    "Erstattung": "refund", "Erstattung_Wiedereinzug": "refund_retrocharge",
    "Erstattung durch Rückbuchung": "chargeback_refund", "Servicegebühr": "service_fee",
    "Übertrag": "transfer", "Versand durch Amazon Lagergebühr": "fba_inventory_fee",
}  # fmt: skip


def test_every_type_value_of_sections_3_4_and_3_5_maps():
    mapped = {(lang, value): kind for lang, value, kind, column in payment_types()
              if column == "type"}  # fmt: skip
    for kind, values in SECTION_3_5.items():
        for language, value in values.items():
            assert mapped[(language, value)] == kind
    for value, kind in SECTION_3_4.items():
        assert mapped[("de", value)] == kind
    advertising = {(lang, value) for lang, value, kind, column in payment_types()
                   if column == "description"}  # fmt: skip
    assert advertising == {
        ("en", "Cost of Advertising"), ("de", "Werbekosten"), ("fr", "Prix de la publicité"),
        ("it", "Costo della pubblicità"), ("es", "Gastos de publicidad"), ("ja", "広告費用"),
    }  # fmt: skip


def test_every_type_in_the_fixtures_is_known():
    known = {(lang, value) for lang, value, _, _ in payment_types()}
    for fixture, language in (
        ("payments_us_date_range.csv", "en"),
        ("payments_de_date_range.csv", "de"),
        ("payments_fr_date_range.csv", "fr"),
        ("payments_it_date_range.csv", "it"),
        ("payments_es_date_range.csv", "es"),
        ("payments_ja_date_range.csv", "ja"),
    ):
        conn = duckdb.connect()
        parse(conn, EXPORTS / fixture, "DE")
        for (value,) in conn.execute(
            "select distinct transaction_type from parsed_rows"
        ).fetchall():
            assert (language, value) in known, (fixture, value)


def test_settlement_amounts_map_the_fixture_and_the_briefed_pairs():
    table = {(t, desc): cat for t, desc, cat in settlement_amounts()}
    assert table[("ItemPrice", "Principal")] == "product_sales"
    assert table[("ItemFees", "FBAPerUnitFulfillmentFee")] == "fba_fees"
    assert table[("ItemFees", "Commission")] == "selling_fees"
    assert table[("ItemWithheldTax", "*")] == "taxes"
    assert table[("Cost of Advertising", "*")] == "advertising"
    assert table[("FBA Inventory Reimbursement", "*")] == "reimbursements"
    assert table[("other-transaction", "Storage Fee")] == "storage_fees"


def test_reference_tables_are_written(tmp_path):
    home = make_home(tmp_path)
    conn = duckdb.connect()
    counts = write_reference_tables(conn, load_accounts(home.accounts_file))
    assert set(counts) == set(TABLES)
    assert counts["payment_types"] == len(payment_types())
    assert counts["settlement_amounts"] == len(settlement_amounts())
    assert conn.execute(
        "select canonical_type from raw.payment_types where language = 'de' "
        "and type_value = 'Übertrag'"
    ).fetchone() == ("transfer",)
