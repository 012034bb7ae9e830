"""Turn report tables into PDFs: Jinja (autoescaped, strict) → HTML → WeasyPrint.

Templates only present; every number comes from a ``reports.rpt_*`` table. Numbers, money,
percentages and dates are formatted by Babel for the account's locale. WeasyPrint may read
only files under ``report_templates/``: it never touches the network or the rest of the disk,
whatever a product title or review contains. Text from exports cannot spoof the layout either:
bidirectional control characters are dropped from everything printed (a U+202E would show a
title or search term reversed), and long unbroken words wrap inside their cell (pack.css).
"""

from __future__ import annotations

import gc
import html
import logging
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from assets.core.i18n import TEMPLATES, translations

MISSING = "–"
# embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the marks (LRM, RLM,
# ALM): they reorder how text is shown, never what it says
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
LONG_WORD = re.compile(r"(\S{25,})")
log = logging.getLogger(__name__)


class FetchRefused(ValueError):
    pass


def _template_fetcher():
    """A WeasyPrint fetcher serving only files inside report_templates/ (no network, no disk)."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    class TemplateFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise FetchRefused(f"pack renderer refuses to fetch {url!r}")
            path = Path(unquote(parts.path)).resolve()
            if not path.is_relative_to(TEMPLATES):
                raise FetchRefused(f"pack renderer refuses to read {path}")
            return super().fetch(path.as_uri(), headers)

    return TemplateFetcher(allowed_protocols={"file"})


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _printable(value: Any) -> Any:
    """Every printed value passes here. Text loses its bidi controls, and a run of 25 or more
    characters without a space (``LONG_WORD``: a pasted URL, a junk search term) may break
    anywhere (``span.long`` in pack.css), so it wraps in its cell instead of pushing the
    table off the page; shorter words (ASINs, amounts) keep their width. Markup we built is
    kept as it is."""
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    text = BIDI_CONTROLS.sub("", value)
    if not LONG_WORD.search(text):
        return text
    parts = LONG_WORD.split(text)  # text, long word, text, long word, …, text
    return Markup("").join(
        Markup('<span class="long">{}</span>').format(part) if i % 2 else escape(part)
        for i, part in enumerate(parts)
    )


@cache
def make_environment(locale: str) -> Environment:
    """A Jinja environment whose filters format for ``locale`` and print "–" for no value;
    one per locale and process, so each template is compiled once, not once per pack."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_printable,
    )

    # the locale's own percent pattern (e.g. "#,##0 %" in German) with one decimal
    percent = re.sub(r"0(?!.*0)", "0.0", Locale.parse(locale).percent_formats[None].pattern)

    def guard(fn):
        return lambda value, *a: MISSING if _is_missing(value) else fn(value, *a)

    env.filters.update(
        money=guard(lambda v, currency: format_currency(Decimal(str(v)), currency, locale=locale)),
        number=guard(lambda v: format_decimal(v, locale=locale)),
        # a number to a fixed count of decimals, and the same with its sign (rating changes)
        fixed=guard(lambda v, digits=1: format_decimal(round(v, digits), locale=locale)),
        signed=guard(
            lambda v, digits=2: (
                ("+" if v > 0 else "") + format_decimal(round(v, digits), locale=locale)
            )
        ),
        pct=guard(lambda v: format_percent(v, percent, locale=locale)),
        delta=guard(lambda v: ("+" if v > 0 else "") + format_percent(v, percent, locale=locale)),
        trend=lambda v: "" if _is_missing(v) or v == 0 else ("up" if v > 0 else "down"),
        day=guard(lambda v: format_date(v, "medium", locale=locale)),
        sparkline=sparkline,
        waterfall=waterfall,
        # the first letter up, the rest as written (Jinja's capitalize lowercases the rest:
        # "nicht auf Lager" would become "Nicht auf lager")
        first_upper=lambda v: v[:1].upper() + v[1:],
    )
    return env


def sparkline(values: list[float | None], width: int = 64, height: int = 14) -> Markup:
    """A small SVG line of a KPI's last weeks (oldest first; None where a week is missing),
    with a dot on the latest week. Built from numbers only, so it is safe to embed."""
    points = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if len(points) < 2:
        return Markup("")
    low, high = min(v for _, v in points), max(v for _, v in points)
    span = (high - low) or 1.0
    step = (width - 3) / max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return 1.5 + i * step, height - 1.5 - (v - low) / span * (height - 3)

    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in points))
    last_x, last_y = xy(*points[-1])
    return Markup(
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<polyline points="{line}" fill="none" stroke="#0b3d5c" stroke-width="1"/>'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="1.6" fill="#b42318"/></svg>'
    )


def waterfall(steps: list[tuple[str, float | None, bool]], width: int = 480) -> Markup:
    """A waterfall chart: each step (label, amount, is_total) a bar, a total from zero, any other
    from where the one before ended, down for a negative amount. Dark bars are totals, hatched
    grey bars what is taken away, plain grey what is added: legible in greyscale. Labels are
    escaped; amounts are printed by the table beside it."""
    steps = [(label, float(v or 0), total) for label, v, total in steps]
    if not steps:
        return Markup("")
    bar, gap, top, label_h = 44, 12, 6, 30
    height = 150
    level, spans = 0.0, []
    for _, value, total in steps:
        start, end = (0.0, value) if total else (level, level + value)
        spans.append((start, end))
        level = end
    low = min(0.0, *(min(a, b) for a, b in spans))
    high = max(0.0, *(max(a, b) for a, b in spans))
    scale = (height - top) / ((high - low) or 1.0)

    def y(v: float) -> float:
        return top + (high - v) * scale

    width = max(width, len(steps) * (bar + gap))
    parts = [
        f'<svg class="waterfall" width="{width}" height="{height + label_h}" '
        f'viewBox="0 0 {width} {height + label_h}">',
        '<defs><pattern id="taken" width="4" height="4" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="4" height="4" fill="#d5dde3"/>'
        '<line x1="0" y1="0" x2="0" y2="4" stroke="#7a8a96" stroke-width="1.5"/></pattern>'
        "</defs>",
        f'<line x1="0" x2="{width}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#777" '
        'stroke-width="0.5"/>',
    ]
    for i, ((label, value, total), (start, end)) in enumerate(zip(steps, spans, strict=True)):
        x = i * (bar + gap) + gap / 2
        fill = "#0b3d5c" if total else ("url(#taken)" if value < 0 else "#a9b8c3")
        top_y, bottom_y = y(max(start, end)), y(min(start, end))
        parts.append(
            f'<rect x="{x:.1f}" y="{top_y:.1f}" width="{bar}" '
            f'height="{max(bottom_y - top_y, 0.8):.1f}" fill="{fill}"/>'
        )
        lines = _two_lines(label)
        for j, text in enumerate(t for t in lines if t):
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height + 11 + j * 10}" font-size="9" '
                f'text-anchor="middle" fill="#333">{text}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _two_lines(label: str) -> list[str]:
    """A bar's label over two lines, escaped: split between words, or in the middle of a
    Chinese or Japanese label that has no spaces."""
    words = label.split(" ")
    if len(words) == 1:
        half = (len(label) + 1) // 2 if len(label) > 6 else len(label)
        parts = [label[:half], label[half:]]
    else:
        half = (len(words) + 1) // 2
        parts = [" ".join(words[:half]), " ".join(words[half:])]
    return [str(escape(part)) for part in parts]


@dataclass
class PackJob:
    """Everything one PDF needs, picklable so packs can render in worker processes."""

    template: str
    locale: str
    language: str
    context: dict[str, Any]
    output: Path
    # the mail that carries the pack (report_templates/mail/): rendered from the same context
    mail_template: str | None = None


def render_html(job: PackJob, template: str | None = None) -> str:
    env = make_environment(job.locale)
    return env.get_template(template or job.template).render(
        t=translations(job.language), lang=job.language, **job.context
    )


def mail_path(pdf: Path) -> Path:
    """The mail text written beside a pack: the subject on its first line, a blank line, the
    body."""
    return pdf.with_suffix(".mail.txt")


def render_mail(job: PackJob) -> str:
    """The pack's mail as plain text. The templates are autoescaped like the packs' (one
    environment per locale); the escapes are undone here, as plain text has no markup."""
    text = html.unescape(render_html(job, job.mail_template))
    subject, _, body = text.strip().partition("\n")
    return f"{' '.join(subject.split())}\n\n{body.strip()}\n"


def write_pdf(html: str, output: Path) -> Path:
    """Render to a temporary file first so a crash never leaves half a PDF behind."""
    from weasyprint import HTML

    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".part")
    HTML(string=html, base_url=f"{TEMPLATES}/", url_fetcher=_template_fetcher()).write_pdf(tmp)
    tmp.replace(output)
    return output


def render_pack(job: PackJob) -> Path:
    """The PDF, and its mail text beside it (written first: a PDF never lacks its mail)."""
    if job.mail_template:
        mail = mail_path(job.output)
        mail.parent.mkdir(parents=True, exist_ok=True)
        tmp = mail.with_name(mail.name + ".part")
        tmp.write_text(render_mail(job), "utf-8")
        tmp.replace(mail)
    return write_pdf(render_html(job), job.output)


def render_packs(jobs: list[PackJob], workers: int | None = None) -> list[Path]:
    """Render packs on all cores; rendering dominates a weekly run."""
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    if workers <= 1:
        return [render_pack(job) for job in jobs]
    # workers are forked from this process: load WeasyPrint and the fonts, and compile the
    # templates, once here, or every worker pays for it again (about 0.7 s per pool on the demo)
    _warm_up()
    for job in jobs:
        make_environment(job.locale).get_template(job.template)
    # the workers inherit every object of a Dagster run (Dagster, GX, pandas, the rows of every
    # pack); frozen, their garbage collector no longer walks them all on each collection
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(render_pack, jobs))
    finally:
        gc.unfreeze()


@cache
def _warm_up() -> None:
    """Render a scrap page with the packs' stylesheet and the faces packs use: Latin, Japanese
    and Chinese, regular and bold."""
    from weasyprint import HTML

    for lang, text in (("ja", "Aa 売上"), ("zh", "Aa 销售额")):
        HTML(
            string=f'<html lang="{lang}"><link rel="stylesheet" href="pack.css">'
            f"<p>{text} <b>{text}</b></p>",
            base_url=f"{TEMPLATES}/",
            url_fetcher=_template_fetcher(),
        ).write_pdf()
