"""The 13-week trend chart: an SVG built from numbers and escaped labels, for the pack's
locale."""

import re
from datetime import date, timedelta

from assets.reports.render import make_environment

WEEKS = [date(2026, 8, 24) + timedelta(weeks=i) for i in range(13)]


def chart(locale: str = "en_GB", *args, **kwargs) -> str:
    return str(make_environment(locale).globals["trend_chart"](*args, **kwargs))


def test_a_line_over_its_usual_range_ending_in_its_latest_value():
    revenue = [30000.0] * 11 + [27984.6, 18938.76]
    band = ([None] * 8 + [25000.0] * 5, [None] * 8 + [41849.33] * 5)
    svg = chart("en_GB", [("Revenue", revenue)], WEEKS, "amount", "GBP", band)
    assert svg.count("<polyline") == 1 and svg.count("<polygon") == 1
    # the band covers the 5 weeks that have a usual range: 5 points along each edge
    band_points = re.search(r'<polygon points="([^"]+)"', svg).group(1).split()
    assert len(band_points) == 10
    # the axis shows the lowest and highest value, the end label the latest, all compact
    assert "£41.8K" in svg and "£18.9K" in svg
    assert ">24 Aug<" in svg and ">16 Nov<" in svg


def test_german_money_is_whole_and_grouped_where_german_does_not_shorten_thousands():
    svg = chart(
        "de_DE", [("Umsatz", [41849.3] + [30000.0] * 11 + [18938.76])], WEEKS, "amount", "EUR"
    )
    assert "41.849\xa0€" in svg and "18.939\xa0€" in svg


def test_a_missing_week_breaks_the_line_and_a_second_line_is_dashed_with_a_legend():
    acos = [0.2] * 4 + [None] + [0.19] * 8
    tacos = [0.03] * 13
    svg = chart("en_GB", [("ACoS", acos), ("<TACoS>", tacos)], WEEKS, "fraction")
    polylines = re.findall(r"<polyline[^>]*>", svg)
    assert len(polylines) == 3  # ACoS in two runs around the missing week, TACoS in one
    assert sum("stroke-dasharray" in p for p in polylines) == 1
    assert "&lt;TACoS&gt;" in svg and "<TACoS>" not in svg  # labels are escaped
    assert ">19%<" in svg and ">3%<" in svg  # whole percents where the decimal is 0


def test_no_chart_without_two_weeks_or_any_value():
    assert chart("en_GB", [("Revenue", [None] * 13)], WEEKS, "amount", "GBP") == ""
    assert chart("en_GB", [("Revenue", [1.0])], WEEKS[:1], "amount", "GBP") == ""
