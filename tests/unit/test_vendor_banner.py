"""The Vendor Central banner above an export's header, read by the shape of its values
(export-headers.md §4.1), never by its labels."""

from datetime import date

import pytest

from assets.ingest.banner import Banner, locale_date_order, parse_banner, read_range

# §4.1 [A]: the IN file, one Label=[value] per CSV cell
IN_BANNER = (
    "Programme=[Retail],Distributor View=[Manufacturing],View By=[ASIN],Countries=[IN],"
    "Businesses=[Veda Naturals Pvt Ltd],Locale=[en_IN],Currency=[INR],Reporting Range=[Month],"
    "Viewing Range=[01/07/26 - 31/07/26],Report Updated=[04/09/26]"
)
# §4.1 [A]: the AE file (US spelling Program, Sourcing, dd/mm/yyyy, Custom)
AE_BANNER = (
    "Program=[Retail],Distributor View=[Sourcing],View By=[ASIN],Countries=[AE],"
    "Businesses=[Gulf Trading LLC],Locale=[en_AE],Currency=[AED],Reporting Range=[Custom],"
    "Viewing Range=[01/06/2026 - 05/08/2026],Report Updated=[05/08/2026]"
)


def test_one_pair_per_cell():
    banner = parse_banner([IN_BANNER])
    assert (
        banner.start_date,
        banner.end_date,
        banner.currency,
        banner.distributor_view,
        banner.program,
        banner.locale,
    ) == (date(2026, 7, 1), date(2026, 7, 31), "INR", "manufacturing", "retail", "en_IN")
    assert banner.pairs[0] == ("Programme", "Retail")
    assert banner.pairs[-1] == ("Report Updated", "04/09/26")  # one date: not the range
    assert len(banner.pairs) == 10
    assert banner.columns() == {
        "start_date": "2026-07-01",
        "end_date": "2026-07-31",
        "distributor_view": "manufacturing",
        "program": "retail",
    }


def test_four_digit_years_and_a_currency_the_registry_does_not_know():
    banner = parse_banner([AE_BANNER], "dmy")
    assert (banner.start_date, banner.end_date) == (date(2026, 6, 1), date(2026, 8, 5))
    assert (banner.distributor_view, banner.program, banner.locale) == (
        "sourcing",
        "retail",
        "en_AE",
    )
    # AED is an ISO code, but no marketplace of the registry uses it: no currency is claimed
    assert banner.currency is None


def test_wrapped_onto_two_rows():
    first, second = IN_BANNER.split(",Locale=")
    banner = parse_banner([first + "\r\n", "Locale=" + second + "\r\n"])
    assert banner == parse_banner([IN_BANNER])


def test_a_pair_cut_by_the_wrap_is_read_whole():
    first, second = IN_BANNER.split(" - ")
    banner = parse_banner([first + " -", second])
    assert (banner.start_date, banner.end_date) == (date(2026, 7, 1), date(2026, 7, 31))


def test_all_in_one_cell_separated_by_spaces_as_xlsx_writes_it():
    one_cell = " ".join(IN_BANNER.split(","))
    banner = parse_banner([one_cell])
    assert banner.columns() == parse_banner([IN_BANNER]).columns()
    assert banner.currency == "INR" and ("Distributor View", "Manufacturing") in banner.pairs


def test_quoted_cells_keep_their_commas():
    banner = parse_banner(
        ['"Businesses=[Veda Naturals Pvt, Ltd]",Viewing Range=[01/07/26 - 31/07/26]']
    )
    assert banner.pairs == (
        ("Businesses", "Veda Naturals Pvt, Ltd"),
        ("Viewing Range", "01/07/26 - 31/07/26"),
    )


def test_multi_country_variant_separated_by_semicolons():
    # §4.1 [B, test fixture]: no viewing range at all
    banner = parse_banner(
        ["locale=[en_GB];countries=[FR;DE];distributor view=[Manufacturing View]"]
    )
    assert banner.pairs == (
        ("locale", "en_GB"),
        ("countries", "FR;DE"),
        ("distributor view", "Manufacturing View"),
    )
    assert (banner.distributor_view, banner.locale, banner.start_date) == (
        "manufacturing",
        "en_GB",
        None,
    )
    assert banner.unreadable_range is None


def test_legacy_program_amazon_retail():
    # §4.1 legacy ARA [B]: Program=[Amazon Retail], Sales View=[…]
    banner = parse_banner(
        ["Program=[Amazon Retail],Distributor View=[Manufacturing],Sales View=[Shipped Revenue],"
         "Reporting Range=[Weekly],Viewing Range=[11/08/2026 - 11/14/2026]"],
        "mdy",
    )  # fmt: skip
    assert (banner.program, banner.distributor_view) == ("retail", "manufacturing")
    assert (banner.start_date, banner.end_date) == (date(2026, 11, 8), date(2026, 11, 14))


@pytest.mark.parametrize(
    ("labels", "locale"),
    [
        # a translated UI: labels in other languages (none is evidenced, so these are made up)
        (("Programm", "Vertriebsansicht", "Gebietsschema", "Währung", "Anzeigezeitraum"), "de_DE"),
        (("プログラム", "ディストリビュータービュー", "ロケール", "通貨", "表示期間"), "ja_JP"),
        # arbitrary words: only the shape of the values counts
        (("Foo", "Bar", "Baz", "Qux", "Zap"), "en_GB"),
    ],
)
def test_labels_in_any_language_or_none_are_not_read(labels, locale):
    values = ("Retail", "Sourcing", locale, "EUR", "08/11/26 - 14/11/26")
    banner = parse_banner([",".join(f"{k}=[{v}]" for k, v in zip(labels, values, strict=True))])
    assert (banner.program, banner.distributor_view, banner.locale, banner.currency) == (
        "retail",
        "sourcing",
        locale,
        "EUR",
    )
    assert (banner.start_date, banner.end_date) == (date(2026, 11, 8), date(2026, 11, 14))


@pytest.mark.parametrize(
    ("reporting", "viewing", "start", "end"),
    [
        ("Week", "08/11/26 - 14/11/26", date(2026, 11, 8), date(2026, 11, 14)),
        ("Month", "01/07/26 - 31/07/26", date(2026, 7, 1), date(2026, 7, 31)),
        ("Custom", "01/06/2026 - 05/08/2026", date(2026, 6, 1), date(2026, 8, 5)),
        ("Day", "13/11/26 - 13/11/26", date(2026, 11, 13), date(2026, 11, 13)),
        ("Week", "2026-11-08 - 2026-11-14", date(2026, 11, 8), date(2026, 11, 14)),
        ("Week", "08.11.2026 – 14.11.2026", date(2026, 11, 8), date(2026, 11, 14)),
    ],
)
def test_reporting_ranges(reporting, viewing, start, end):
    banner = parse_banner(
        [f"Programme=[Retail],Reporting Range=[{reporting}],Viewing Range=[{viewing}]"], "dmy"
    )
    assert (banner.start_date, banner.end_date) == (start, end)


def test_day_and_month_order_comes_from_the_banner_locale_first():
    line = "Locale=[{}],Viewing Range=[01/06/26 - 05/08/26]"
    # en_US is a month-first marketplace (registry date_order: mdy), whatever the account says
    us = parse_banner([line.format("en_US")], "dmy")
    assert (us.start_date, us.end_date) == (date(2026, 1, 6), date(2026, 5, 8))
    gb = parse_banner([line.format("en_GB")], "mdy")
    assert (gb.start_date, gb.end_date) == (date(2026, 6, 1), date(2026, 8, 5))
    # a locale no marketplace has: the account's order
    ae = parse_banner([line.format("en_AE")], "mdy")
    assert (ae.start_date, ae.end_date) == (date(2026, 1, 6), date(2026, 5, 8))
    # no locale at all: the account's order
    bare = parse_banner(["Viewing Range=[01/06/26 - 05/08/26]"], "dmy")
    assert (bare.start_date, bare.end_date) == (date(2026, 6, 1), date(2026, 8, 5))


def test_an_impossible_reading_gives_way_to_the_other():
    # 31 can only be a day: read day-first although the account (and locale) say month-first
    banner = parse_banner(["Locale=[en_US],Viewing Range=[01/07/26 - 31/07/26]"], "mdy")
    assert (banner.start_date, banner.end_date) == (date(2026, 7, 1), date(2026, 7, 31))
    # 11/14 can only be month-first
    assert read_range("11/08/26", "11/14/26", "dmy") == (date(2026, 11, 8), date(2026, 11, 14))
    # an end before its start in one order, not in the other
    assert read_range("12/01/26", "01/02/26", "mdy") == (date(2026, 1, 12), date(2026, 2, 1))


def test_a_range_no_order_can_read_is_kept_as_unreadable():
    banner = parse_banner(["Programme=[Retail],Viewing Range=[31/31/26 - 01/13/26]"])
    assert (banner.start_date, banner.unreadable_range) == (None, "31/31/26 - 01/13/26")
    assert "start_date" not in banner.columns()


def test_lines_without_pairs_are_no_banner():
    assert parse_banner([]) is None
    assert parse_banner(["Sales Diagnostic", "", "ASIN,Product Title"]) is None


def test_written_shows_the_pairs_as_the_file_has_them():
    banner = Banner(pairs=(("Programme", "Retail"), ("Currency", "INR")))
    assert banner.written() == "Programme=[Retail], Currency=[INR]"


@pytest.mark.parametrize(
    ("locale", "order"),
    [("en_US", "mdy"), ("en_CA", "mdy"), ("fr_CA", "mdy"), ("de_DE", "dmy"), ("en_IN", "dmy"),
     ("en_GB", "dmy"), ("en_AE", None)],
)  # fmt: skip
def test_locale_date_order_from_the_marketplace_registry(locale, order):
    assert locale_date_order(locale) == order
