"""Export readers on our own fixtures: detection from the header, locale values, rejects."""

import codecs
from collections import defaultdict

import duckdb
import pytest

from assets.core.registry import languages
from assets.ingest.readers import (
    ExportError,
    catalog,
    detect,
    normalise_header,
    parse_file,
    readable,
    shown,
    sniff,
)
from tests.conftest import EXPORTS


@pytest.fixture
def mem():
    return duckdb.connect()


def rows(conn, columns="*"):
    return conn.execute(f"select {columns} from parsed_rows order by source_line").fetchall()


@pytest.mark.parametrize(
    ("fixture", "locale"),
    [
        ("uk_business_report.csv", "en"),
        ("de_business_report.csv", "de"),
        ("ja_business_report.csv", "ja"),
    ],
)
def test_business_report_is_recognised_from_its_header(fixture, locale):
    source = readable(EXPORTS / fixture, EXPORTS)
    detected, delimiter = sniff(source, fixture)
    assert detected.kind.name == "business_report_child_item"
    assert (detected.locale, source.encoding, delimiter, detected.header_line) == (
        locale,
        "utf-8",
        ",",
        1,
    )
    assert detected.ignored == []  # all 22 columns mapped


def kind_languages():
    """Every kind with each language it is read in (all its required columns spelt there)."""
    return [
        (kind, language)
        for kind in catalog().kinds.values()
        for language in sorted({lang for col in kind.columns.values() for lang in col.names})
        if all(col.names.get(language) for col in kind.columns.values() if col.required)
    ]


@pytest.mark.parametrize(
    ("kind", "language"), kind_languages(), ids=lambda x: getattr(x, "name", x)
)
def test_no_two_kinds_or_languages_share_a_header_signature(kind, language):
    """A header of a kind's required columns and of the columns no other kind has, in one
    language, is read as that kind in that language and no other."""
    kinds_of = defaultdict(set)
    for other in catalog().kinds.values():
        for col in other.columns.values():
            for spelling in (s for names in col.names.values() for s in names):
                kinds_of[spelling].add(other.name)
    cells = [
        col.names[language][0]
        for col in kind.columns.values()
        if col.names.get(language)
        and (col.required or kinds_of[col.names[language][0]] == {kind.name})
    ]
    found = detect(cells)
    assert (found.kind.name, found.locale) == (kind.name, language)
    # one spelling never names two columns of a kind in a language
    columns_of = defaultdict(set)
    for col in kind.columns.values():
        for spelling in col.names.get(language, ()):
            columns_of[spelling].add(col.name)
    assert {s: c for s, c in columns_of.items() if len(c) > 1} == {}


def test_header_languages_are_languages_of_the_registry():
    used = {lang for kind, lang in kind_languages()}
    assert used <= {*languages(), "api"}


def test_headers_compare_by_meaning_not_spelling():
    assert normalise_header("\ufeffSessions – Total ") == normalise_header("sessions - total")
    assert normalise_header("（子）ASIN") == "(子)asin" == normalise_header("(子)ASIN")
    # the attribution window as each language writes it is read off, like "7 Day"
    assert normalise_header("7天内广告SKU销售额($)") == "广告sku销售额"
    assert normalise_header("Pedidos totales de 7 días (#)") == "pedidos totales (#)"
    assert normalise_header("7-Tage, Andere SKU-Einheiten (#)") == "andere sku-einheiten (#)"
    assert normalise_header("広告がクリックされてから7日間の総売上高") == "総売上高"


def test_us_title_case_and_older_buy_box_form_are_the_same_report():
    cells = [
        "(Parent) ASIN",
        "(Child) ASIN",
        "Title",
        "Sessions",
        "Session Percentage",
        "Page Views",
        "Page Views Percentage",
        "Buy Box Percentage",
        "Units Ordered",
        "Unit Session Percentage",
        "Ordered Product Sales",
        "Total Order Items",
    ]
    found = detect(cells)
    assert found.kind.name == "business_report_child_item" and found.locale == "en"
    assert found.positions["buy_box_pct"] == 7 and "sku" not in found.positions


def test_uk_values_parse_and_a_bad_row_is_rejected_with_its_line(mem):
    parsed = parse_file(mem, EXPORTS / "uk_business_report.csv", "uk.csv")
    assert (parsed.rows_read, parsed.rows_loaded, parsed.rows_rejected) == (3, 2, 1)
    assert rows(
        mem, "source_line, sessions, page_views, buy_box_pct, units, revenue::varchar, order_items"
    ) == [
        (2, 1200, 1500, pytest.approx(0.955), 120, "2398.80", 110),
        (3, 800, 1000, pytest.approx(0.88), 40, "519.60", 38),
    ]
    # the title keeps its narrow no-break space in raw; staging normalises it
    assert rows(mem, "title")[1][0] == "Oak Chopping Board\u202fSmall"
    rejects = mem.execute(
        "select source_line, column_name, value, reason from parsed_rejects"
    ).fetchall()
    assert rejects == [
        (4, "sessions", "12x", "'Sessions – Total' is not a whole number in en format")
    ]


def test_german_decimal_commas_and_euro_suffix(mem):
    parsed = parse_file(mem, EXPORTS / "de_business_report.csv", "de.csv")
    assert parsed.rows_rejected == 0
    assert rows(
        mem, "sessions, buy_box_pct, unit_session_pct, revenue::varchar, revenue_b2b::varchar"
    ) == [
        (1234, pytest.approx(0.9725), pytest.approx(0.1216), "5255.61", "35.04"),
        (766, pytest.approx(0.91), pytest.approx(0.0783), "1199.40", "0.00"),
    ]


def test_japanese_headers_and_yen(mem):
    parse_file(mem, EXPORTS / "ja_business_report.csv", "ja.csv")
    assert rows(mem, "child_asin, title, sessions, units, revenue::varchar") == [
        ("B0JPTEST01", "緑茶 ティーバッグ 100袋", 2000, 300, "450000.00"),
        ("B0JPTEST02", "ほうじ茶 ティーバッグ 50袋", 500, 50, "45000.00"),
    ]


def test_windows_1252_export_is_read(tmp_path, mem):
    text = (EXPORTS / "uk_business_report.csv").read_text("utf-8-sig")
    text = text.replace("Oak Chopping Board, Large", "Café “Oak” Board – €").replace("\u202f", " ")
    path = tmp_path / "cp1252.csv"
    path.write_bytes(text.encode("cp1252"))
    parsed = parse_file(mem, path, "cp1252.csv")
    assert parsed.encoding == "cp1252"
    assert rows(mem, "title")[0][0] == "Café “Oak” Board – €"


def test_utf16_export_is_read(tmp_path, mem):
    text = (EXPORTS / "de_business_report.csv").read_text("utf-8-sig")
    path = tmp_path / "utf16.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    parsed = parse_file(mem, path, "utf16.csv")
    assert (parsed.encoding, parsed.rows_loaded) == ("utf-16", 2)


def test_title_rows_above_the_header_are_skipped(tmp_path, mem):
    text = (EXPORTS / "uk_business_report.csv").read_text("utf-8-sig")
    path = tmp_path / "titled.csv"
    path.write_text(
        "Detail Page Sales and Traffic By Child Item\nDate range: 16/11/2026\n" + text, "utf-8"
    )
    parsed = parse_file(mem, path, "titled.csv")
    assert parsed.detected.header_line == 3
    assert [r[0] for r in rows(mem, "source_line")] == [4, 5]


def test_empty_file_says_so(tmp_path, mem):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(ExportError, match="empty; download the export again"):
        parse_file(mem, path, "empty.csv")


def test_unknown_header_lists_unrecognised_columns_and_closest_report(tmp_path, mem):
    path = tmp_path / "odd.csv"
    path.write_text("(Child) ASIN,Title,Wibble,Wobble\nB0X,thing,1,2\n", "utf-8")
    with pytest.raises(ExportError) as info:
        parse_file(mem, path, "odd.csv")
    message = str(info.value)
    assert "closest: Business report" in message
    assert "'Wibble', 'Wobble'" in message and "report_kinds.yaml" in message


def test_required_value_missing_is_rejected(tmp_path, mem):
    lines = (EXPORTS / "uk_business_report.csv").read_text("utf-8-sig").splitlines()
    lines[1] = lines[1].replace("B0TEST0001,B0TEST0001,", "B0TEST0001,,", 1)
    path = tmp_path / "missing.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    parsed = parse_file(mem, path, "missing.csv")
    reasons = mem.execute("select source_line, reason from parsed_rejects order by 1").fetchall()
    assert (2, "'(Child) ASIN' is empty; this column is required") in reasons
    assert parsed.rows_read == parsed.rows_loaded + parsed.rows_rejected == 3


def test_windows_1252_is_transcoded_a_block_at_a_time_and_a_bad_byte_is_located(tmp_path, mem):
    # more than one 1 MiB block, so a byte is found across blocks, not only in the first
    text = (EXPORTS / "uk_business_report.csv").read_text("utf-8-sig").replace("\u202f", " ")
    header, *body = text.splitlines(keepends=True)
    filler = "".join(body[1].replace("B0TEST0002", f"B0FILL{n:04d}") for n in range(9000))
    data = (header + filler).replace("Small", "Café").encode("cp1252")
    path = tmp_path / "big-cp1252.csv"
    path.write_bytes(data)
    parsed = parse_file(mem, path, "big-cp1252.csv", workdir=tmp_path)
    assert (parsed.encoding, parsed.rows_read) == ("cp1252", 9000)
    assert mem.execute(
        "select count(*) from parsed_rows where title like 'Oak Chopping Board Café'"
    ).fetchone() == (9000,)
    # 0x81 is undefined in Windows-1252: the message says at which byte
    path.write_bytes(data + b"x\x81y\n")
    with pytest.raises(ExportError, match=rf"\(byte {len(data) + 1}\); open it in a spreadsheet"):
        parse_file(mem, path, "big-cp1252.csv", workdir=tmp_path)
    assert list(tmp_path.glob(".*.sellerpulse.csv")) == []


def test_a_file_without_line_breaks_is_not_read_whole_to_find_its_header(tmp_path):
    path = tmp_path / "one-line.csv"
    path.write_text("x" * (8 * 1024 * 1024), "utf-8")
    with pytest.raises(ExportError, match="header not recognised"):
        sniff(readable(path, tmp_path), "one-line.csv")


def test_names_are_shown_with_control_characters_escaped():
    assert shown("a\nb\r\tc.csv") == "a\\nb\\r\\tc.csv"
    assert shown("x\x1b[31m\x00.csv") == "x\\x1b[31m\\x00.csv"
    # a right-to-left override would show "report.csv" for "report\u202evsc.exe"
    assert shown("report\u202evsc.csv\u2028") == "report\\u202evsc.csv\\u2028"
    assert shown("Größe 日本 – £.csv") == "Größe 日本 – £.csv"
    assert shown(shown("a\nb")) == "a\\nb"
