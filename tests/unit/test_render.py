"""Pack rendering: locale formatting, escaping of untrusted text, a fetcher that refuses."""

import io
import os
import re
import signal
import string
import subprocess
import sys
import time
from ast import literal_eval
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pypdf
import pytest
from fontTools.ttLib import TTFont

from assets.core.glossary import entries_for, glossary
from assets.core.i18n import TEMPLATES, translations
from assets.core.registry import marketplaces, pack_languages
from assets.core.settings import Account, mail_path, pack_path
from assets.reports.packs import (
    SELLER_HEADLINE,
    SELLER_PACK_METRICS,
    SELLER_SECTIONS,
    _headline_rows,
)
from assets.reports.render import PackJob, make_environment, render_html, write_pdf

WEEK = date(2026, 11, 16)


def job(tmp_path, language="en", locale="en_GB", name="Oak & Co <script>x</script>", headline=None):
    return PackJob(
        template="seller_pack.html",
        locale=locale,
        language=language,
        context={
            "account": {"id": "oak-uk", "name": name, "marketplace": "UK", "currency": "GBP"},
            "week_start": WEEK,
            "week_end": date(2026, 11, 22),
            # every section empty but the headline
            **{key: None if shape == "one" else [] for key, shape, _ in SELLER_SECTIONS},
            "headline": headline,
            "checks": {"checks": 0, "failed": 0},
            "report_names": {},
            "baselines": BASELINES,
            "headline_rows": _headline_rows(SELLER_HEADLINE, BASELINES, HISTORY, WEEK)
            if headline
            else [],
            "trends": {"revenue": [9000.0, None, 11000.0, 12897.84]},
            "trend_weeks": [WEEK - timedelta(weeks=n) for n in (3, 2, 1, 0)],
            "trend_bands": {},
            "labels": {e["metric"]: e["label"] for e in entries_for(SELLER_PACK_METRICS, language)},
            "units": {e["metric"]: e["unit"] for e in entries_for(SELLER_PACK_METRICS, language)},
            "directions": {m: e["direction"] for m, e in glossary().items()},
            "glossary": entries_for(SELLER_PACK_METRICS, language),
        },
        output=tmp_path / f"x.{language}.pdf",
    )


BASELINES = {
    "buy_box_pct": {"baseline_low": 0.9, "baseline_high": 0.97, "flag": "unusually_low"},
    "revenue": {"baseline_low": 9000.0, "baseline_high": 14000.0, "flag": None},
}
# the headline's KPIs as reports.rpt_account_kpis holds them: this week, and last week for some
LAST_WEEK = WEEK - timedelta(weeks=1)
HISTORY = {
    "revenue": {WEEK: 12897.84, LAST_WEEK: 10000.0},
    "units": {WEEK: 5824.0},
    "sessions": {WEEK: 100.0, LAST_WEEK: 0.0},
    "unit_session_pct": {WEEK: 0.25},
    "buy_box_pct": {WEEK: 0.84, LAST_WEEK: 0.9},
}
HEADLINE = {
    "revenue_amount": 12897.84,
    "previous_revenue_amount": 10000,
    "currency_code": "GBP",
    "revenue_wow_pct": 0.289784,
    "units": 5824,
    "previous_units": None,
    "units_wow_pct": None,
    "sessions": 100,
    "previous_sessions": 0,
    "sessions_wow_pct": None,
    "page_views": 1,
    "order_items": 1,
    "unit_session_pct": 0.25,
    "asp_amount": None,
    "buy_box_pct": 0.84,
    "asin_count": 3,
}


def test_translation_files_have_identical_keys():
    # every pack language of the registry (languages.yaml, pack: true) has a file with exactly
    # en.yaml's keys, and each text the same {placeholders} as the English one
    assert set(pack_languages()) >= {"en", "de", "fr", "it", "es", "ja", "zh"}
    english = translations("en")

    def fields(text):
        return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)

    for lang in pack_languages():
        words = translations(lang)
        assert set(words) == set(english), f"i18n/{lang}.yaml: {set(words) ^ set(english)}"
        wrong = [k for k in english if fields(words[k]) != fields(english[k])]
        assert not wrong, f"i18n/{lang}.yaml: placeholders differ from en.yaml in {wrong}"


@pytest.mark.parametrize(
    ("locale", "money", "pct", "number", "day"),
    [
        ("en_GB", "£12,897.84", "+29.0%", "5,824", "16 Nov 2026"),
        ("de_DE", "12.897,84\xa0£", "+29,0\xa0%", "5.824", "16.11.2026"),
        ("fr_FR", "12\u202f897,84\xa0£GB", "+29,0\xa0%", "5\u202f824", "16 nov. 2026"),
        ("it_IT", "12.897,84\xa0£", "+29,0%", "5.824", "16 nov 2026"),
        ("es_ES", "12.897,84\xa0GBP", "+29,0\xa0%", "5.824", "16 nov 2026"),
        ("ja_JP", "£12,897.84", "+29.0%", "5,824", "2026/11/16"),
        ("zh_Hans_CN", "£12,897.84", "+29.0%", "5,824", "2026年11月16日"),
    ],
)
def test_numbers_are_formatted_for_the_account_locale(locale, money, pct, number, day):
    env = make_environment(locale)
    assert env.filters["money"](12897.84, "GBP") == money
    assert env.filters["delta"](0.289784) == pct
    assert env.filters["number"](5824) == number
    assert env.filters["day"](WEEK) == day
    assert env.filters["money"](None, "GBP") == "–"
    assert env.filters["pct"](float("nan")) == "–"


@pytest.mark.parametrize(
    ("language", "marketplace", "locale", "money"),
    [
        ("fr", "FR", "fr_FR", "12\u202f897,84\xa0€"),
        ("it", "IT", "it_IT", "12.897,84\xa0€"),
        ("es", "ES", "es_ES", "12.897,84\xa0€"),
        ("es", "US", "es_US", "$12,897.84"),  # Spanish as written in the US
        # no Babel locale for the language in that country: the language's own formats
        ("fr", "DE", "fr", "12\u202f897,84\xa0€"),
        ("zh", "DE", "zh", "€12,897.84"),
        ("zh", "US", "zh", "US$12,897.84"),
        ("zh", "JP", "zh", "JP¥12,898"),
    ],
)
def test_a_pack_formats_for_its_language_in_its_marketplace(language, marketplace, locale, money):
    market = marketplaces()[marketplace]
    account = Account("x", "X", market, language, "eu", ())
    assert account.locale == locale
    amount = 12897.84
    assert make_environment(account.locale).filters["money"](amount, market.currency) == money


def test_a_template_compiles_once_for_every_locale_and_formats_for_each(tmp_path):
    """The locales' environments share compiled templates (``_CompiledTemplates``), not
    filters: the German pack compiles nothing more and still writes German money."""
    from assets.reports.render import _COMPILED

    english = render_html(job(tmp_path, headline=HEADLINE))
    compiled = dict(_COMPILED.code)
    assert compiled  # the seller pack and its sections
    german = render_html(job(tmp_path, language="de", locale="de_DE", headline=HEADLINE))
    assert _COMPILED.code == compiled
    assert "£12,897.84" in english and "12.897,84\xa0£" not in english
    assert "12.897,84\xa0£" in german and "£12,897.84" not in german


def test_packs_render_as_they_are_made_and_outlive_a_killed_worker(tmp_path):
    """The shard hands its packs over as it reads their figures (a generator); a render worker
    killed meanwhile (out of memory) costs a new pool, not a pack."""
    from assets.reports import render

    killed = []

    def jobs():
        for n in range(4):
            if n == 2:  # two packs handed over: one worker goes
                pool = render._pools[2]
                killed.append((pool, next(iter(pool._processes))))
                os.kill(killed[0][1], signal.SIGKILL)
            yield replace(job(tmp_path, name=f"Account {n}"), output=tmp_path / f"{n}.en.pdf")

    done = []
    try:
        written = render.render_packs(jobs(), workers=2, progress=done.append)
        assert render._pools[2] is not killed[0][0]  # a new pool rendered them
    finally:
        render.close_pools()
    assert [p.name for p in written] == [f"{n}.en.pdf" for n in range(4)]
    assert done[-4:] == [1, 2, 3, 4]
    for n, path in enumerate(written):
        assert f"Account {n}" in pypdf.PdfReader(path).pages[0].extract_text()


def test_render_workers_end_on_sigterm_whatever_handler_dagster_left():
    """Around a run, Dagster only notes SIGTERM (``capture_interrupts``); workers forked under
    it inherited that, and a pool whose worker was killed ends the others with SIGTERM: its
    shutdown then waited forever for one that stayed (the suite hung on it once)."""
    from dagster._utils.interrupts import capture_interrupts

    from assets.reports import render

    def ended(pid: int) -> bool:
        # the pool's own thread may reap the worker first: gone or a zombie, it has ended
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
            except FileNotFoundError:
                return True
            if state in ("Z", "X"):
                return True
            time.sleep(0.05)
        return False

    render.close_pools()
    try:
        with capture_interrupts():
            workers = list(render._pool(2)._processes.values())
        assert len(workers) == 2
        for worker in workers:
            worker.terminate()  # SIGTERM, as a broken pool sends it
            assert ended(worker.pid)
    finally:
        render.close_pools()


WORKERS_WARM = """
import os, sys, time
from dataclasses import replace
from pathlib import Path
from assets.reports import render
from tests.unit.test_render import job

def warm_up_calls():  # in a worker: (this process, _warm_up's calls that found it warm)
    time.sleep(0.2)  # so that each worker gets some
    return os.getpid(), render._warm_up.cache_info().hits

if sys.argv[1] == "early":
    render.warm_up_in_background()
pool = render._pool(2)
print(sorted(set(pool.submit(warm_up_calls).result() for _ in range(6))))
out = Path(sys.argv[2])
print([p.name for p in render.render_packs(
    [replace(job(out, name=f"Account {n}"), output=out / f"{n}.en.pdf") for n in range(2)]
)])
render.close_pools()
"""


@pytest.mark.parametrize("when, hits", [("early", 1), ("late", 0)])
def test_render_workers_inherit_a_warm_up_done_early_and_render_as_ever(tmp_path, when, hits):
    """A run warms WeasyPrint while its model checks run (``warm_up_in_background``): the render
    workers fork warm, and their own warm-up finds it done; without, each warms up itself."""
    done = subprocess.run(
        [sys.executable, "-c", WORKERS_WARM, when, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=True,
    )
    workers, written = done.stdout.splitlines()
    assert [found for _, found in literal_eval(workers)] == [hits, hits]  # both workers
    assert literal_eval(written) == ["0.en.pdf", "1.en.pdf"]
    assert "Account 1" in pypdf.PdfReader(tmp_path / "1.en.pdf").pages[0].extract_text()


def _packs(folder: Path, names: list[str], mail: bool = False) -> list[PackJob]:
    return [
        replace(
            job(folder, name=name, headline=HEADLINE),
            output=folder / f"{name.replace(' ', '-')}.en.pdf",
            mail_template="mail/seller.txt" if mail else None,
        )
        for name in names
    ]


def test_packs_a_later_step_asks_for_render_behind_these_and_are_taken_not_made_again(tmp_path):
    """The last seller shard starts the boss packs behind its own (``then``), so no core idles
    while its last pack renders; the boss packs' step then takes each one whose job is the
    same, moved into place with its mail, and renders one whose figures differ. A run killed
    outright could not remove its hidden folders: those of processes that have ended go as
    packs are next started ahead in the week, and no other."""
    from assets.reports import render

    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    killed = tmp_path / f"{render.AHEAD}{ended.stdout.strip()}-x1"
    live = tmp_path / f"{render.AHEAD}{os.getppid()}-x2"  # pytest's parent: still running
    for folder in (killed, live):
        folder.mkdir()
        (folder / "Boss-0.en.pdf.part").write_bytes(b"%PDF-1.7 cut off")
    sellers = _packs(tmp_path, ["Account 0", "Account 1", "Account 2"])
    bosses = _packs(tmp_path, ["Boss 0", "Boss 1"], mail=True)
    try:
        written = render.render_packs(sellers, workers=2, then=lambda: bosses)
        early = {output: ahead.future.result() for output, ahead in render._ahead.items()}
        assert set(early) == {b.output for b in bosses}
        assert [p.name for p in written] == [s.output.name for s in sellers]
        # rendered, each beside its mail, in a hidden folder: not in place before it is asked for
        assert all(p.exists() and mail_path(p).exists() for p in early.values())
        assert all(p.parent.name.startswith(".ahead-") for p in early.values())
        assert not any(b.output.exists() for b in bosses)
        made = {output: p.stat().st_ino for output, p in early.items()}
        revised = replace(
            bosses[1],
            context={
                **bosses[1].context,
                "account": {**bosses[1].context["account"], "name": "Boss 1 revised"},
            },
        )
        taken = render.render_packs([bosses[0], revised], workers=2)
    finally:
        render.close_pools()
    assert taken == [bosses[0].output, revised.output]
    assert taken[0].stat().st_ino == made[taken[0]]  # the same file, moved: not made again
    assert mail_path(taken[0]).read_text("utf-8") == render.render_mail(bosses[0])
    assert "Boss 1 revised" in pypdf.PdfReader(taken[1]).pages[0].extract_text()
    assert "revised" in mail_path(taken[1]).read_text("utf-8")
    assert not killed.exists() and (live / "Boss-0.en.pdf.part").exists()
    assert [p.name for p in tmp_path.glob(f"{render.AHEAD}*")] == [live.name]
    assert not render._ahead


AHEAD_UNASKED = """
import sys
from pathlib import Path
from assets.reports import render
from tests.unit.test_render import _packs

out = Path(sys.argv[1])
render.render_packs(_packs(out, ["Account 0"]), workers=2, then=lambda: _packs(out, ["Boss 0"]))
print(sorted(p.name for p in out.rglob("*.pdf")))
"""


def test_a_pack_started_ahead_and_never_asked_for_leaves_nothing(tmp_path):
    """A run that stops before its boss packs' step (a seller pack failed) must not leave
    boss packs it never made: those started ahead go with the process that started them."""
    done = subprocess.run(
        [sys.executable, "-c", AHEAD_UNASKED, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=True,
    )
    assert literal_eval(done.stdout.splitlines()[-1]) in (
        ["Account-0.en.pdf"],
        ["Account-0.en.pdf", "Boss-0.en.pdf"],  # the boss pack rendering still, or done
    )
    assert [p.name for p in tmp_path.iterdir()] == ["Account-0.en.pdf"]


def test_untrusted_text_is_escaped(tmp_path):
    html = render_html(job(tmp_path, headline=HEADLINE))
    assert "<script>" not in html and "Oak &amp; Co &lt;script&gt;" in html


def test_renderer_fetches_nothing_outside_the_templates(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not really a png")
    html = (
        f'<img src="{secret.as_uri()}"><img src="http://127.0.0.1:9/x.png">'
        '<link rel="stylesheet" href="pack.css"><p>ok</p>'
    )
    import logging

    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logging.getLogger("weasyprint").addHandler(handler)
    try:
        write_pdf(html, tmp_path / "out.pdf")
    finally:
        logging.getLogger("weasyprint").removeHandler(handler)
    refused = " ".join(r.getMessage() for r in records)
    assert "refuses to read" in refused and "refuses to fetch" in refused
    assert str(TEMPLATES) not in refused  # the stylesheet inside the templates was served


@pytest.mark.parametrize(
    ("language", "locale", "title", "heading", "cjk_face"),
    [
        ("ja", "ja_JP", "週次セラーレポート", "主要指標", "Noto Sans CJK JP"),
        ("zh", "zh_Hans_CN", "卖家周报", "核心指标", "Noto Sans CJK SC"),
    ],
)
def test_chinese_and_japanese_packs_embed_a_real_bold_cjk_face(
    tmp_path, language, locale, title, heading, cjk_face
):
    out = write_pdf(
        render_html(job(tmp_path, language, locale, "Ocha Japan", HEADLINE)),
        tmp_path / f"{language}.pdf",
    )
    reader = pypdf.PdfReader(out)
    text = reader.pages[0].extract_text()
    assert title in text and heading in text and "Ocha Japan" in text and "£12,897.84" in text
    fonts = {f["name"]: f for f in _embedded_fonts(reader)}
    # the font programs themselves, not the names WeasyPrint gives them: a face without a bold
    # weight (IPAex Gothic) is embedded as "…-Bold" too, with its regular outlines
    bold, regular = fonts[f"{cjk_face} Bold"], fonts[cjk_face]
    assert bold["weight"] >= 700 and regular["weight"] == 400
    # headings and table heads are drawn with the bold CJK face, the body with the regular one
    assert set(title + heading) <= bold["chars"]
    assert set(translations(language)["glossary_title"]) <= bold["chars"]
    assert set(entries_for(["revenue"], language)[0]["definition"][:4]) <= regular["chars"]
    assert "DejaVu Sans" in fonts  # Latin text in the Latin face


def test_missing_business_report_is_said_not_hidden(tmp_path):
    out = write_pdf(render_html(job(tmp_path, "de", "de_DE", "Messerwerk")), tmp_path / "de.pdf")
    assert "kein Geschäftsbericht" in pypdf.PdfReader(out).pages[0].extract_text()


def test_pack_paths_stay_inside_reports(tmp_path):
    assert pack_path(tmp_path, WEEK, "oak-uk", "en") == tmp_path / "2026-11-16" / "oak-uk.en.pdf"
    with pytest.raises(ValueError, match="outside"):
        pack_path(tmp_path, WEEK, "../../etc/x", "en")


def _fonts(reader):
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            yield font.get_object()


def _embedded_fonts(reader):
    """Each embedded font program: its full name, weight class and the characters it maps."""
    for font in _fonts(reader):
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        program = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
        parsed = TTFont(io.BytesIO(program.get_object().get_data()))
        yield {
            "name": parsed["name"].getDebugName(4),
            "weight": parsed["OS/2"].usWeightClass,
            "chars": {chr(c) for c in parsed.getBestCmap()},
        }


def test_glossary_is_printed_in_the_pack_language(tmp_path):
    out = write_pdf(
        render_html(job(tmp_path, "de", "de_DE", "Messerwerk", HEADLINE)), tmp_path / "g.pdf"
    )
    pages = pypdf.PdfReader(out).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Glossar" in text and "Bestellte Einheiten ÷ Sitzungen" in text


def test_glossary_covers_every_headline_metric_in_every_language():
    entries = glossary()
    assert set(SELLER_PACK_METRICS) <= set(entries)
    for name, entry in entries.items():
        for part in ("label", "definition"):
            assert set(pack_languages()) <= set(entry[part]), f"{name}: {part}"
            assert all(entry[part][lang].strip() for lang in pack_languages()), f"{name}: {part}"


def test_an_unusual_value_is_flagged_with_its_usual_range(tmp_path):
    out = write_pdf(render_html(job(tmp_path, headline=HEADLINE)), tmp_path / "f.pdf")
    text = " ".join(pypdf.PdfReader(out).pages[0].extract_text().split())
    assert "▼ low 90.0% – 97.0%" in text
    assert "£9,000.00 – £14,000.00" in text


def test_sparkline_scales_the_weeks_it_has_and_skips_missing_ones():
    from assets.reports.render import sparkline

    svg = str(sparkline([10, None, 20, 15], width=64, height=14))
    # x: 1.5 + i × (64 − 3) / 3; y: 14 − 1.5 − (v − 10) / 10 × 11 → 12.5 (low) … 1.5 (high)
    assert 'points="1.5,12.5 42.2,1.5 62.5,7.0"' in svg
    assert '<circle cx="62.5" cy="7.0"' in svg  # the latest week
    assert sparkline([None, 5]) == "" and sparkline([]) == ""


ADS = {
    "currency_code": "GBP", "ad_spend_amount": 69.0, "ad_sales_amount": 210.0, "acos": 0.33,
    "is_over_target": True, "target_acos": 0.3, "roas": 3.04, "tacos": 0.07, "cpc_amount": 2.09,
    "ctr": 0.03, "ad_cvr": 0.24, "roi": None, "attribution_days": 7, "attribution_windows": [7],
    "has_estimated_days": False,
}  # fmt: skip


def test_long_words_wrap_inside_the_page_and_bidi_controls_are_dropped(tmp_path):
    from weasyprint import HTML

    long_term = "<b>" + "b0z7w1ptzz" * 40  # 403 characters without a break
    pack = job(tmp_path, name="Oak \u202eoc.elpmaxe\u202c Co", headline=HEADLINE)
    pack.context["ads"] = ADS
    pack.context["wasted_terms"] = [
        {"search_term": long_term, "is_asin_term": False, "campaign_name": "Auto \u2067x\u2069",
         "clicks": 3, "spend_amount": 12.0, "currency_code": "GBP"}
    ]  # fmt: skip
    html = render_html(pack)
    assert not any(c in html for c in "\u202e\u202c\u2067\u2069")
    assert "<b>" not in html and '<span class="long">&lt;b&gt;b0z7w1ptzz' in html
    document = HTML(string=html, base_url=f"{TEMPLATES}/").render()

    def right_edges(box):
        yield box.position_x + (box.width or 0)
        for child in getattr(box, "children", None) or []:
            yield from right_edges(child)

    for page in document.pages:
        assert max(right_edges(page._page_box)) <= page.width
    text = "".join(p.extract_text() for p in pypdf.PdfReader(write_pdf(html, pack.output)).pages)
    assert "Oak oc.elpmaxe Co" in text and "b0z7w1ptzz" in text


def test_the_margin_waterfall_steps_down_from_sales_to_margin():
    from assets.reports.render import waterfall

    svg = str(waterfall([("Sales <b>", 100, True), ("Fees", -30, False), ("Margin", 70, True)]))
    bars = re.findall(
        r'<rect x="[\d.]+" y="([\d.]+)" width="44" height="([\d.]+)" fill="([^"]+)"', svg
    )
    hatch = re.search(r'<pattern id="(taken-[0-9a-f]{8})"', svg).group(1)
    # 144 px (150 less a 6 px top margin) for 100: sales from y 6 to 150, fees the 43.2 px
    # below sales' top, the margin 100.8 px high from there
    assert bars == [
        ("6.0", "144.0", "#0b3d5c"),
        ("6.0", "43.2", f"url(#{hatch})"),
        ("49.2", "100.8", "#0b3d5c"),
    ]
    assert "Sales" in svg and "&lt;b&gt;" in svg and "<b>" not in svg
    # two charts of one pack have their own hatch; the same chart drawn again, the same
    assert hatch not in str(waterfall([("Sales", 90, True), ("Fees", -30, False)]))
    assert hatch in str(
        waterfall([("Sales <b>", 100, True), ("Fees", -30, False), ("Margin", 70, True)])
    )
    # a Chinese or Japanese label without spaces is split over two lines
    labels = re.findall(r">([^<>]+)</text>", str(waterfall([("決済済み商品売上", 1, True)])))
    assert labels == ["決済済み", "商品売上"]
    # a one-word label in a Latin script stays whole
    labels = re.findall(r">([^<>]+)</text>", str(waterfall([("Rückerstattungen", 1, True)])))
    assert labels == ["Rückerstattungen"]


def test_a_status_starts_with_a_capital_and_keeps_its_nouns():
    from assets.reports.render import make_environment

    env = make_environment("de_DE")
    assert env.from_string("{{ 'nicht auf Lager' | first_upper }}").render() == "Nicht auf Lager"
