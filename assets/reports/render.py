"""Turn report tables into PDFs: Jinja (autoescaped, strict) → HTML → WeasyPrint.

Templates only present; every number comes from a ``reports.rpt_*`` table. Numbers, money,
percentages and dates are formatted by Babel for the account's locale. WeasyPrint may read
only files under ``report_templates/``: it never touches the network or the rest of the disk,
whatever a product title or review contains. Text from exports cannot spoof the layout either:
bidirectional control characters are dropped from everything printed (a U+202E would show a
title or search term reversed), and long unbroken words wrap inside their cell (pack.css).
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import html
import logging
import multiprocessing
import os
import pickle
import re
import shutil
import signal
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache, partial
from pathlib import Path
from types import CodeType
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
)
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.bccache import Bucket, BytecodeCache
from markupsafe import Markup, escape

from assets.core.ahead import for_packs
from assets.core.i18n import TEMPLATES, translations
from assets.core.settings import mail_path

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


class _CompiledTemplates(BytecodeCache):
    """Compiled templates shared by the locales' environments: they differ in their filters'
    functions, looked up as a template renders, not in the code a template compiles to. So a
    template (the seller pack and its sections: 0.1 s) compiles once per process instead of
    once per locale, and the render workers inherit what was compiled before they forked. A
    changed template compiles again (the key holds its source's checksum)."""

    def __init__(self) -> None:
        self.code: dict[tuple[str, str], CodeType] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        bucket.code = self.code.get((bucket.key, bucket.checksum))

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key, bucket.checksum] = bucket.code


_COMPILED = _CompiledTemplates()


@cache
def make_environment(locale: str) -> Environment:
    """A Jinja environment whose filters format for ``locale`` and print "–" for no value;
    one per locale and process, so each template is loaded once, not once per pack, and
    compiled once for every locale (``_CompiledTemplates``)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        bytecode_cache=_COMPILED,
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_printable,
    )

    percent = _percent_pattern(locale, "0.0")

    def guard(fn):
        return lambda value, *a: MISSING if _is_missing(value) else fn(value, *a)

    env.filters.update(
        money=guard(lambda v, currency: format_currency(Decimal(str(v)), currency, locale=locale)),
        # an estimate (an amount at stake): whole units
        money_whole=guard(lambda v, currency: whole_money(float(v), currency, locale)),
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
    env.globals["trend_chart"] = partial(trend_chart, locale=locale)
    return env


@cache
def _percent_pattern(locale: str, decimals: str) -> str:
    """The locale's own percent pattern (e.g. "#,##0 %" in German) with the given decimals
    ("0.0": always one, "0.#": one if needed)."""
    return re.sub(r"0(?!.*0)", decimals, Locale.parse(locale).percent_formats[None].pattern)


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
    # the hatch pattern's id, unique per chart (a pack may hold several) and the same on every
    # render (a pack re-rendered from the same figures is byte for byte the same)
    hatch = "taken-" + hashlib.sha1(repr(steps).encode()).hexdigest()[:8]
    parts = [
        f'<svg class="waterfall" width="{width}" height="{height + label_h}" '
        f'viewBox="0 0 {width} {height + label_h}">',
        f'<defs><pattern id="{hatch}" width="4" height="4" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="4" height="4" fill="#d5dde3"/>'
        '<line x1="0" y1="0" x2="0" y2="4" stroke="#7a8a96" stroke-width="1.5"/></pattern>'
        "</defs>",
        f'<line x1="0" x2="{width}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#777" '
        'stroke-width="0.5"/>',
    ]
    for i, ((label, value, total), (start, end)) in enumerate(zip(steps, spans, strict=True)):
        x = i * (bar + gap) + gap / 2
        fill = "#0b3d5c" if total else (f"url(#{hatch})" if value < 0 else "#a9b8c3")
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


TREND_INK = ("#0b3d5c", "#6b7c88")  # the first line dark and solid, the second grey and dashed


def trend_chart(
    lines: list[tuple[str, list[float | None]]],
    weeks: list[date],
    unit: str,
    currency: str | None = None,
    band: tuple[list[float | None], list[float | None]] | None = None,
    *,
    locale: str,
) -> Markup:
    """A 13-week trend: up to two lines (label, values aligned with ``weeks``, oldest first,
    None for a missing week) over the usual range of the first as a light band. The first line
    is dark and solid, the second grey and dashed, so the chart reads in greyscale; the axis
    shows the lowest and highest value and the first and last week, and the first line ends in
    its latest value. ``unit`` is amount (in ``currency``), fraction, count or weeks. Built from
    numbers and escaped labels only."""
    width, height = 260, 112
    left, right, top, bottom = 46, 8, 16, 16
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [float(v) for _, series in lines for v in series if not _is_missing(v)]
    if band:
        values += [float(v) for side in band for v in side if not _is_missing(v)]
    if len(weeks) < 2 or not values:
        return Markup("")
    low, high = min(values), max(values)
    pad = (high - low) * 0.08 or abs(high) * 0.1 or 1.0
    low, high = low - pad, high + pad

    def x(i: int) -> float:
        return left + i * plot_w / (len(weeks) - 1)

    def y(v: float) -> float:
        return top + (high - float(v)) / (high - low) * plot_h

    def label(v: float) -> str:
        return str(escape(_axis_value(v, unit, currency, locale)))

    def text(tx: float, ty: float, content: str, anchor: str = "start", fill: str = "#555") -> str:
        return (
            f'<text x="{tx:.1f}" y="{ty:.1f}" font-size="8" text-anchor="{anchor}" '
            f'fill="{fill}">{content}</text>'
        )

    parts = [
        f'<svg class="trend" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
    ]
    for v in (low + pad, high - pad):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            'stroke="#dde3e8" stroke-width="0.5"/>'
        )
        parts.append(text(left - 3, y(v) + 3, label(v), "end"))
    if band:
        for run in _runs([i for i in range(len(weeks)) if not _missing_at(band, i)]):
            upper = " ".join(f"{x(i):.1f},{y(band[1][i]):.1f}" for i in run)
            lower = " ".join(f"{x(i):.1f},{y(band[0][i]):.1f}" for i in reversed(run))
            parts.append(f'<polygon points="{upper} {lower}" fill="#e3e9ee"/>')
    for n, (name, series) in enumerate(lines[:2]):
        dash = ' stroke-dasharray="3,2"' if n else ""
        for run in _runs([i for i, v in enumerate(series) if not _is_missing(v)]):
            if len(run) == 1:
                cx, cy = x(run[0]), y(series[run[0]])
                parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="1.2" fill="{TREND_INK[n]}"/>')
                continue
            points = " ".join(f"{x(i):.1f},{y(series[i]):.1f}" for i in run)
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{TREND_INK[n]}" '
                f'stroke-width="{1.6 if n == 0 else 1.3}"{dash}/>'
            )
        if len(lines) > 1:  # the legend: a short stroke and the line's name
            lx = left + n * plot_w / 2
            parts.append(
                f'<line x1="{lx:.1f}" x2="{lx + 12:.1f}" y1="5" y2="5" stroke="{TREND_INK[n]}" '
                f'stroke-width="1.5"{dash}/>'
            )
            parts.append(text(lx + 15, 8, str(escape(name))))
    first = lines[0][1]
    latest = next((i for i in range(len(first) - 1, -1, -1) if not _is_missing(first[i])), None)
    if latest is not None:
        lx, ly = x(latest), y(first[latest])
        parts.append(f'<circle cx="{lx:.1f}" cy="{ly:.1f}" r="2" fill="{TREND_INK[0]}"/>')
        above = ly - top > 12
        parts.append(
            text(lx, ly - 4 if above else ly + 10, label(first[latest]), "end", TREND_INK[0])
        )
    for i in (0, len(weeks) - 1):
        day = escape(format_date(weeks[i], "d MMM", locale=locale))
        parts.append(text(x(i), height - 4, str(day), "start" if i == 0 else "end"))
    parts.append("</svg>")
    return Markup("".join(parts))


def _axis_value(value: float, unit: str, currency: str | None, locale: str) -> str:
    """A value as an axis or end label, short: compact money and counts ("£41.8K", "4.2万"),
    percents with at most one decimal. A locale that does not shorten thousands (German
    "41849 €") gets whole units, grouped, instead."""
    if unit == "fraction":
        return format_percent(value, _percent_pattern(locale, "0.#"), locale=locale)
    if unit == "weeks":
        return format_decimal(round(value, 1), locale=locale)
    if unit == "amount" and currency:
        short = format_compact_currency(value, currency, locale=locale, fraction_digits=1)
        return whole_money(value, currency, locale) if re.search(r"\d{4}", short) else short
    short = format_compact_decimal(value, locale=locale, fraction_digits=1)
    return format_decimal(round(value), locale=locale) if re.search(r"\d{4}", short) else short


def whole_money(value: float, currency: str, locale: str) -> str:
    """Money in whole units, as the locale writes its currency ("£14,405", "14.405 €"): an
    estimate's cents are noise."""
    pattern = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
    whole = re.sub(r"0[.,]0+", "0", pattern)
    return format_currency(round(value), currency, whole, locale=locale, currency_digits=False)


def _missing_at(band: tuple[list, list], i: int) -> bool:
    return _is_missing(band[0][i]) or _is_missing(band[1][i])


def _runs(indexes: list[int]) -> list[list[int]]:
    """Consecutive indexes in runs: a missing week breaks a line instead of bridging it."""
    runs: list[list[int]] = []
    for i in indexes:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _two_lines(label: str) -> list[str]:
    """A bar's label over two lines, escaped: split between words, or in the middle of a
    Chinese or Japanese label that has no spaces (a one-word label in a Latin script stays
    whole: "Refu / nds" reads as two words)."""
    words = label.split(" ")
    if len(words) == 1:
        wide = any(unicodedata.east_asian_width(c) in "WF" for c in label)
        half = (len(label) + 1) // 2 if wide and len(label) > 6 else len(label)
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


def render_packs(
    jobs: Iterable[PackJob],
    workers: int | None = None,
    progress: Callable[[int], None] = lambda done: None,
    then: Callable[[], Iterable[PackJob]] | None = None,
) -> list[Path]:
    """Render packs on all cores; rendering dominates a weekly run. ``jobs`` may be made while
    the packs render (a generator): the workers start, and warm up, before the first is made,
    and render each as soon as it is. ``progress`` hears how many are done. ``then`` makes the
    packs a later step of this run will ask for (``render_ahead``): they are started behind
    these, so no core idles while the last of these renders. A pack started ahead is taken, not
    rendered again, when its job is asked for."""
    workers = workers or os.cpu_count() or 1
    if isinstance(jobs, list):
        workers = min(workers, len(jobs) + (then is not None))
    if workers <= 1:
        _warmed()
        return [_counted(_rendered_here(job), done, progress) for done, job in enumerate(jobs, 1)]
    jobs, made = iter(jobs), []
    try:
        return _rendered(_pool(workers), _kept(jobs, made), progress, then)
    except BrokenProcessPool:  # a worker died (killed, out of memory): a new pool, once
        close_pools()
        return _rendered(_pool(workers), [*made, *jobs], progress, then)
    finally:
        # a step process of Dagster's multiprocess executor ends with its step, and could not
        # end while workers it started wait for work: they go with the step
        if multiprocessing.parent_process() is not None:
            close_pools()


def _rendered(
    pool: ProcessPoolExecutor,
    jobs: Iterable[PackJob],
    progress: Callable[[int], None],
    then: Callable[[], Iterable[PackJob]] | None,
) -> list[Path]:
    """Each job to ``pool`` as soon as it is made, then ``then``'s; the PDFs of ``jobs`` in
    their order."""
    futures = [_taken(job) or pool.submit(render_pack, job) for job in jobs]
    if then is not None:
        render_ahead(pool, then())
    return [_counted(future.result(), done, progress) for done, future in enumerate(futures, 1)]


def _rendered_here(job: PackJob) -> Path:
    taken = _taken(job)
    return taken.result() if taken else render_pack(job)


@dataclass
class _Ahead:
    """A pack started ahead of the step that asks for it, rendering into a folder of its own
    (``render_ahead``)."""

    job: bytes  # the job, pickled: what it must equal to be taken
    future: Future
    folder: Path


_ahead: dict[Path, _Ahead] = {}


def render_ahead(pool: ProcessPoolExecutor, jobs: Iterable[PackJob]) -> None:
    """Start rendering ``jobs`` for a later step of this run: each into a hidden folder beside
    its PDF, moved into place only when the later step asks for the same job (``_taken``), so
    a run that stops before it leaves no pack it did not make (the folders go as the process
    ends)."""
    for job in jobs:
        folder = _ahead_folder(job.output.parent)
        early = replace(job, output=folder / job.output.name)
        _ahead[job.output] = _Ahead(pickle.dumps(job), pool.submit(render_pack, early), folder)


AHEAD = ".ahead-"  # + the pid of the process that made the folder


def _ahead_folder(week: Path) -> Path:
    """A new hidden folder in ``week`` for a pack started ahead. Those of a process that has
    ended go first: a run killed outright (SIGKILL, out of memory) could not remove its own."""
    week.mkdir(parents=True, exist_ok=True)
    for stale in week.glob(f"{AHEAD}*"):
        pid = stale.name.removeprefix(AHEAD).partition("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{AHEAD}{os.getpid()}-", dir=week))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        return True
    return True


@atexit.register
def _drop_unasked() -> None:
    """The folders of packs started ahead and never asked for (the run stopped before): the
    render workers have ended by now (``concurrent.futures`` waits for them first)."""
    for ahead in _ahead.values():
        shutil.rmtree(ahead.folder, ignore_errors=True)


def started_ahead(jobs: Iterable[PackJob]) -> int:
    """How many of ``jobs`` were started ahead (``render_ahead``)."""
    return sum(job.output in _ahead for job in jobs)


def _taken(job: PackJob) -> Future | None:
    """The pack of ``job`` started ahead, moved into place when it is done; None if none was, or
    one for other figures (it is dropped)."""
    ahead = _ahead.pop(job.output, None)
    if ahead is None:
        return None
    if ahead.job != pickle.dumps(job):
        ahead.future.add_done_callback(lambda _: shutil.rmtree(ahead.folder, ignore_errors=True))
        return None
    placed: Future = Future()

    def place(done: Future) -> None:
        try:
            early = done.result()
            if job.mail_template:
                mail_path(early).replace(mail_path(job.output))
            early.replace(job.output)
            shutil.rmtree(ahead.folder, ignore_errors=True)
            placed.set_result(job.output)
        except BaseException as error:  # noqa: BLE001 - the asking step raises it
            placed.set_exception(error)

    ahead.future.add_done_callback(place)
    return placed


def _kept(jobs: Iterator[PackJob], made: list[PackJob]) -> Iterator[PackJob]:
    """``jobs``, each also kept in ``made`` (a new pool renders them again)."""
    for job in jobs:
        made.append(job)
        yield job


def _counted(path: Path, done: int, progress: Callable[[int], None]) -> Path:
    progress(done)
    return path


_pools: dict[int, ProcessPoolExecutor] = {}


def close_pools() -> None:
    """Stop the render workers this process keeps (``_pool``)."""
    while _pools:
        _pools.popitem()[1].shutdown()


def _pool(workers: int) -> ProcessPoolExecutor:
    """Render workers forked once per process and kept: the boss packs after the seller packs,
    and the next week of a backfill, reuse them (forking and warming up a pool costs about a
    second). Each worker loads WeasyPrint, the fonts and the stylesheet as it starts
    (``_warm_up``), all on their own cores at once while this process prepares the packs;
    unless this process warmed up already (``warm_up_in_background``, waited for here): then
    they inherit it. Forked, whatever the process's default start method (the multiprocess
    executor's steps default to forkserver), the workers inherit every object of the process
    (Dagster, pandas), frozen while they fork so that their garbage collector never walks them."""
    if workers in _pools:
        return _pools[workers]
    _warmed()
    gc.freeze()
    # a SIGTERM waits while the workers fork, until each has put back its default
    # (``_worker_start``)
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_worker_start,
        )
        pool.submit(abs, 0)  # forks every worker now, while frozen, without waiting for them
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        gc.unfreeze()
    _pools[workers] = pool
    return pool


def _worker_start() -> None:
    """A render worker's start: SIGTERM ends it again, then it warms up (``_warm_up``). Forked
    in a Dagster run, it inherits the handler Dagster puts on SIGTERM, which around the run's
    steps only notes the signal; but a pool whose worker was killed (out of memory) ends the
    others with SIGTERM, and its shutdown would wait forever for one that stayed. SIGTERM is
    blocked from the fork until here (``_pool``), so one sent meanwhile ends the worker now."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    _warm_up()


_warming: threading.Thread | None = None


@for_packs
def warm_up_in_background() -> None:
    """Warm WeasyPrint (``_warm_up``) in this process on a thread of its own, while the run
    does other work: the render workers forked later inherit it, and warm up no more (it costs
    each about a second of CPU: at S, two cores warming cost what two packs do)."""
    global _warming
    if _warming is None:
        _warming = threading.Thread(target=_warm_up, name="render-warm-up", daemon=True)
        _warming.start()


def _warmed() -> None:
    """Wait for the warm-up started by ``warm_up_in_background``, if any."""
    if _warming is not None:
        _warming.join()


@cache
def _warm_up() -> None:
    """Compile the templates, and render a scrap page with the packs' stylesheet and the faces
    packs use: Latin, Japanese and Chinese, regular and bold."""
    from weasyprint import HTML

    env = make_environment("en")
    for name in env.list_templates(extensions=("html", "txt")):
        env.get_template(name)

    for lang, text in (("ja", "Aa 売上"), ("zh", "Aa 销售额")):
        HTML(
            string=f'<html lang="{lang}"><link rel="stylesheet" href="pack.css">'
            f"<p>{text} <b>{text}</b></p>",
            base_url=f"{TEMPLATES}/",
            url_fetcher=_template_fetcher(),
        ).write_pdf()
