"""The packs' headline table and its colours: every row with last week and the change, a share's
change in points, and good or bad news by the metric's direction in the glossary."""

import re
from datetime import date, timedelta

import pytest

from assets.core.glossary import entries_for
from assets.reports.packs import SELLER_HEADLINE, SELLER_PACK_METRICS, _headline_rows
from assets.reports.render import PackJob, render_html

WEEK = date(2026, 11, 16)
LAST = WEEK - timedelta(weeks=1)

# this week and last week of every seller headline metric, as reports.rpt_account_kpis holds
# them (the margin rows exist only where payment exports were loaded):
#
# | metric              | last week | this week | change               |
# |---------------------|-----------|-----------|----------------------|
# | revenue             | 1000      | 1250      | 1250 / 1000 − 1 = +25 %  |
# | units               | 50        | 40        | 40 / 50 − 1 = −20 %  |
# | sessions            | 800       | 1000      | +25 %                |
# | page_views          | 1000      | 1100      | +10 %                |
# | order_items         | 40        | 30        | −25 %                |
# | unit_session_pct    | 0.0625    | 0.04      | −2.25 pts            |
# | asp                 | 20        | 31.25     | +56.25 %             |
# | buy_box_pct         | 0.9       | 0.95      | +5 pts               |
# | ad_spend            | 100       | 150       | +50 %                |
# | acos                | 0.25      | 0.3       | +5 pts               |
# | tacos               | 0.1       | 0.12      | +2 pts               |
# | contribution_margin | 200       | 150       | −25 %                |
# | margin_pct          | 0.2       | 0.12      | −8 pts               |
HISTORY = {
    "revenue": (1000.0, 1250.0),
    "units": (50.0, 40.0),
    "sessions": (800.0, 1000.0),
    "page_views": (1000.0, 1100.0),
    "order_items": (40.0, 30.0),
    "unit_session_pct": (0.0625, 0.04),
    "asp": (20.0, 31.25),
    "buy_box_pct": (0.9, 0.95),
    "ad_spend": (100.0, 150.0),
    "acos": (0.25, 0.3),
    "tacos": (0.1, 0.12),
    "contribution_margin": (200.0, 150.0),
    "margin_pct": (0.2, 0.12),
}
EXPECTED = {
    "revenue": 0.25,
    "units": -0.2,
    "sessions": 0.25,
    "page_views": 0.1,
    "order_items": -0.25,
    "unit_session_pct": -0.0225,
    "asp": 0.5625,
    "buy_box_pct": 0.05,
    "ad_spend": 0.5,
    "acos": 0.05,
    "tacos": 0.02,
    "contribution_margin": -0.25,
    "margin_pct": -0.08,
}


def history(metrics=HISTORY):
    return {m: {LAST: before, WEEK: now} for m, (before, now) in metrics.items()}


def test_every_seller_headline_row_has_last_week_and_its_change():
    rows = _headline_rows(SELLER_HEADLINE, {}, history(), WEEK)
    assert [r["metric"] for r in rows] == list(HISTORY)
    for r in rows:
        assert r["previous"] == HISTORY[r["metric"]][0], r["metric"]
        assert r["change"] == pytest.approx(EXPECTED[r["metric"]]), r["metric"]
    # shares change in points, the rest relative
    points = {r["metric"] for r in rows if r["change_kind"] == "points"}
    assert points == {"unit_session_pct", "buy_box_pct", "acos", "tacos", "margin_pct"}


def test_a_headline_row_without_this_week_is_left_out_and_without_last_week_has_no_change():
    # no payment exports: no margin rows; no ads last week: spend without a change
    metrics = {m: v for m, v in HISTORY.items() if m not in ("contribution_margin", "margin_pct")}
    found = history(metrics)
    del found["ad_spend"][LAST]
    rows = {r["metric"]: r for r in _headline_rows(SELLER_HEADLINE, {}, found, WEEK)}
    assert "contribution_margin" not in rows and "margin_pct" not in rows
    assert rows["ad_spend"]["previous"] is None and rows["ad_spend"]["change"] is None
    # a share of 0 last week still has a change in points (0 → 4 % is +4 pts)
    found["unit_session_pct"][LAST] = 0.0
    rows = {r["metric"]: r for r in _headline_rows(SELLER_HEADLINE, {}, found, WEEK)}
    assert rows["unit_session_pct"]["change"] == pytest.approx(0.04)


def headline_html(tmp_path, baselines, language="en", locale="en_GB"):
    """The seller headline section alone, rendered from a context built by hand."""
    entries = entries_for(SELLER_PACK_METRICS, language)
    weeks = [WEEK - timedelta(weeks=n) for n in range(12, -1, -1)]
    found = history()
    return render_html(
        PackJob(
            template="seller_pack.html",
            locale=locale,
            language=language,
            context={
                "account": {"id": "oak-uk", "name": "Oak", "currency": "GBP"},
                "headline": {"asin_count": 12},
                "baselines": baselines,
                "headline_rows": _headline_rows(SELLER_HEADLINE, baselines, found, WEEK),
                "trends": {m: [v.get(w) for w in weeks] for m, v in found.items()},
                "trend_weeks": weeks,
                "trend_bands": {},
                "labels": {e["metric"]: e["label"] for e in entries},
                "units": {e["metric"]: e["unit"] for e in entries},
                "directions": {e["metric"]: e["direction"] for e in entries},
            },
            output=tmp_path / "x.pdf",
        ),
        "sections/headline.html",
    )


def row(html, label):
    """The <tr> of the headline row whose first cell is ``label``."""
    match = re.search(rf"<tr><td>{re.escape(label)}</td>.*?</tr>", html, re.S)
    assert match, label
    return match.group(0)


def test_colours_follow_the_metrics_direction(tmp_path):
    # sessions and ACoS both unusually high this week: good news and bad news
    baselines = {
        "sessions": {"baseline_low": 700.0, "baseline_high": 900.0, "flag": "unusually_high"},
        "acos": {"baseline_low": 0.2, "baseline_high": 0.26, "flag": "unusually_high"},
        "ad_spend": {"baseline_low": 80.0, "baseline_high": 120.0, "flag": "unusually_high"},
        "revenue": {"baseline_low": 900.0, "baseline_high": 1300.0, "flag": None},
    }
    html = headline_html(tmp_path, baselines)
    sessions, acos = row(html, "Sessions"), row(html, "ACoS")
    assert '<span class="unusual good">▲ high</span>' in sessions
    assert '<span class="unusual bad">▲ high</span>' in acos
    # ad spend has no direction (more spend is neither good nor bad news): grey
    assert '<span class="unusual neutral">▲ high</span>' in row(html, "Ad spend")
    # the changes: sessions +25 % good, ACoS +5 pts bad, units −20 % bad, margin −8 pts bad
    assert 'class="num amount good">+25.0%' in sessions
    assert 'class="num amount bad">+5 pts' in acos
    assert 'class="num amount bad">-20.0%' in row(html, "Units ordered")
    assert 'class="num amount bad">-8 pts' in row(html, "Margin %")
    # the usual range, on one line: the flag then the range (no line break in the cell)
    assert '<span class="range">700 – 900</span>' in sessions
    assert "<br>" not in sessions
    # a range without a flag is printed alone
    assert "£900.00 – £1,300.00" in row(html, "Revenue") and "unusual" not in row(html, "Revenue")
    # the 13-week trends of revenue and sessions are drawn under the table
    assert html.count('class="trend-cell"') == 2 and html.count("<svg") >= 2 + 13


def test_the_flag_word_is_translated(tmp_path):
    baselines = {"acos": {"baseline_low": 0.2, "baseline_high": 0.26, "flag": "unusually_high"}}
    html = headline_html(tmp_path, baselines, "de", "de_DE")
    assert '<span class="unusual bad">▲ hoch</span>' in html
