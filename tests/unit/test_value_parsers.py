"""Property-based tests of the number and date parsers, against Babel's own formatting."""

from datetime import date, timedelta
from decimal import Decimal

import duckdb
import pytest
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.ingest.readers import PARSE_MACROS, catalog

LOCALES = {
    "en_GB": "en",
    "en_US": "en",
    "de_DE": "de",
    "fr_FR": "fr",
    "ja_JP": "ja",
    "it_IT": "it",
    "es_ES": "es",
    "zh_Hans_CN": "zh",
}
CURRENCIES = ["GBP", "USD", "EUR", "JPY", "INR"]


@pytest.fixture(scope="module")
def conn():
    connection = duckdb.connect()
    connection.execute(PARSE_MACROS)
    return connection


def number(conn, text, language):
    locale = catalog().locales[language]
    return conn.execute(
        "select sp_number(?, ?, ?)", [text, locale["thousands"], locale["decimal"]]
    ).fetchone()[0]


def parsed_date(conn, text, order="dmy"):
    return conn.execute("select sp_date(?, ?)", [text, order]).fetchone()[0]


def parsed_dates(conn, forms: list[tuple[str, str]]) -> list:
    """Many (text, date order) pairs in one query: binding the date macro costs more than
    running it, so one query per example, not one per form."""
    return [
        r[0]
        for r in conn.execute(
            "select sp_date(t.text, t.date_order) from unnest(?) as u(t) order by t.i",
            [
                [
                    {"i": i, "text": text, "date_order": order}
                    for i, (text, order) in enumerate(forms)
                ]
            ],
        ).fetchall()
    ]


amounts = st.decimals(
    min_value=Decimal("-9999999.99"),
    max_value=Decimal("9999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@settings(max_examples=300, deadline=None)
@given(
    amount=amounts, locale=st.sampled_from(sorted(LOCALES)), currency=st.sampled_from(CURRENCIES)
)
def test_money_formatted_by_any_locale_parses_back(conn, amount, locale, currency):
    text = format_currency(amount, currency, locale=locale, currency_digits=False)
    assert number(conn, text, LOCALES[locale]) == pytest.approx(float(amount), abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(value=st.integers(min_value=0, max_value=10**9), locale=st.sampled_from(sorted(LOCALES)))
def test_counts_with_grouping_parse_back(conn, value, locale):
    assert number(conn, format_decimal(value, locale=locale), LOCALES[locale]) == value


@settings(max_examples=200, deadline=None)
@given(
    fraction=st.decimals(min_value=0, max_value=5, places=4),
    locale=st.sampled_from(sorted(LOCALES)),
)
def test_percentages_parse_back(conn, fraction, locale):
    text = format_percent(fraction, "#,##0.00%", locale=locale)
    assert number(conn, text, LOCALES[locale]) / 100 == pytest.approx(
        float(round(fraction, 4)), abs=1e-9
    )


@pytest.mark.parametrize(
    ("text", "language", "value"),
    [
        ('"5,824"'.strip('"'), "en", 5824),
        ("£12,897.84", "en", 12897.84),
        ("5.255,61 €", "de", 5255.61),
        ("￥1,000", "ja", 1000),
        ("Rs.201.68", "en", 201.68),
        ("2.64%", "en", 2.64),
        ("84,01 %", "de", 84.01),
        ("-£5.00", "en", -5.0),
        ("(12.50)", "en", -12.5),
        ("1\u202f234,5", "fr", 1234.5),
        ("$0.00", "en", 0.0),
        ("US$1,100.15", "zh", 1100.15),  # export-headers.md §1.2 zh-D
        ("JP¥5,000", "zh", 5000),
        ("3.12%", "zh", 3.12),
        ("€1.234,56", "es", 1234.56),  # §2.5
        ("2,0000%", "es", 2.0),
        ("12.480", "es", 12480),
        ("100,00", "it", 100.0),  # §2.6
        ("1 234,56 €", "fr", 1234.56),
    ],
)
def test_amazon_number_spellings(conn, text, language, value):
    assert number(conn, text, language) == pytest.approx(value)


@pytest.mark.parametrize("text", ["12x", "abc", "1.2.3x", "£", "--", "12 34 boxes"])
def test_things_that_are_not_numbers_are_null(conn, text):
    assert number(conn, text, "en") is None


@pytest.mark.parametrize(
    ("text", "language"),
    [("€1,234.56", "es"), ("1,234.56", "it"), ("1.234,56", "en"), ("US$1.100,15", "zh")],
)
def test_a_number_in_the_other_convention_is_null_not_a_thousandth(conn, text, language):
    # read with "," for decimals, "1,234.56" would otherwise become 1.23456
    assert number(conn, text, language) is None


dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2068, 12, 31))


@settings(max_examples=200, deadline=None)
@given(day=dates)
def test_dates_in_every_written_form(conn, day):
    serial = (day - date(1899, 12, 30)).days
    forms = [
        (day.isoformat(), "dmy"),
        (f"{day.isoformat()}T23:59:00+09:00", "dmy"),
        (day.strftime("%b %-d, %Y"), "dmy"),
        (day.strftime("%d.%m.%Y"), "dmy"),
        (day.strftime("%m/%d/%Y"), "mdy"),
        (day.strftime("%d/%m/%Y"), "dmy"),
        (day.strftime("%Y/%m/%d"), "dmy"),
        (str(serial), "dmy"),
    ]
    if 1969 <= day.year <= 2068:  # two-digit years: strptime's pivot
        forms += [(day.strftime("%d.%m.%y"), "dmy"), (day.strftime("%m/%d/%y"), "mdy")]
    assert dict(zip(forms, parsed_dates(conn, forms), strict=True)) == dict.fromkeys(forms, day)


@settings(max_examples=60, deadline=None)
@given(day=dates)
def test_dates_with_month_words_in_every_export_language(conn, day):
    # "ago 20, 2026" (export-headers.md §2.5), "17 dic 2026" (§3.2), "20 août 2026", "5 März 2026"
    forms = [
        (format_date(day, pattern, locale=locale), "dmy")
        for locale in ("en_US", "de_DE", "fr_FR", "it_IT", "es_ES")
        for pattern in ("MMM d, y", "d MMM y", "d MMMM y", "MMMM d, y")
    ]
    assert dict(zip(forms, parsed_dates(conn, forms), strict=True)) == dict.fromkeys(forms, day)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("ago 20, 2026", date(2026, 8, 20)),
        ("17 dic 2026", date(2026, 12, 17)),
        ("janv. 5, 2026", date(2026, 1, 5)),
        ("5. März 2026", date(2026, 3, 5)),
        ("20 de agosto de 2026", date(2026, 8, 20)),
        ("3 set 2026", date(2026, 9, 3)),
    ],
)
def test_month_words_as_exports_write_them(conn, text, day):
    assert parsed_date(conn, text) == day


def test_not_a_date_is_null(conn):
    assert parsed_date(conn, "32.13.2026") is None
    assert parsed_date(conn, "soon") is None
    assert parsed_date(conn, "feb 30, 2026") is None
    assert parsed_date(conn, "fooday 3, 2026") is None
    assert parsed_date(conn, str((date(2026, 1, 1) - timedelta(days=1)).year)) is None
