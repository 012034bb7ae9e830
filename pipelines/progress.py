"""The command line's progress display: one short line per stage of a run, instead of Dagster's
event log (which ``sellerpulse -v`` shows).

A Dagster logger, so it sees the run's structured events wherever the run executes: it counts
what each stage did (files and rows, models, checks, packs, mails) from the stage's events and
prints the line when the stage ends. On a terminal the stage's name shows while it runs, and
a long stage (models, packs) draws a bar from its ``progress <done>/<total>`` log lines
(assets/core/progress.py).
"""

from __future__ import annotations

import logging
import sys
import time

import dagster as dg

from assets.core.progress import PROGRESS


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _stage(step_key: str) -> str:
    """The stage a step belongs to, as the summary names it (the seller packs are several
    steps: ``packs__seller_packs.plan_pack_shards``, one per shard, one to collect)."""
    step_key = step_key.split(".")[0]
    if step_key == "reference_tables":
        return "reference"
    if step_key == "ingest_inbox":
        return "files"
    if step_key == "sql_models":
        return "models"
    if step_key == "packs__seller_packs":
        return "packs"
    if step_key == "packs__portfolio_packs":
        return "boss packs"
    if step_key == "delivery__pack_emails":
        return "mail"
    return "checks"


class ProgressHandler(logging.Handler):
    """Prints a line per stage; a line per step of checks (those on the ingested tables, then
    those on the models), with how many passed and failed."""

    def __init__(self, stream=None):
        super().__init__()
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty()
        self.started: dict[str, float] = {}  # step → when it started
        self.stage_started: dict[str, float] = {}  # stage → when its first step started
        self.metadata: dict[str, dict[str, dict]] = {}  # step → asset → its metadata
        self.checks: dict[str, dict[str, int]] = {}  # step → passed/failed → how many

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", {})
        event = meta.get("dagster_event")
        if event is None:
            found = PROGRESS.match(meta.get("orig_message") or "")
            if found and self.tty and meta.get("step_key"):
                self._bar(_stage(meta["step_key"]), int(found[1]), int(found[2]))
            return
        kind, step = event.event_type_value, event.step_key
        if kind == "STEP_START":
            self.started[step] = time.monotonic()
            self.stage_started.setdefault(_stage(step), self.started[step])
            if self.tty and _stage(step) != "checks":
                self.stream.write(f"  {_stage(step):<11}…\r")
                self.stream.flush()
        elif kind == "ASSET_MATERIALIZATION":
            materialization = event.event_specific_data.materialization
            self.metadata.setdefault(step, {})[materialization.asset_key.to_user_string()] = {
                k: v.value for k, v in materialization.metadata.items()
            }
        elif kind == "ASSET_CHECK_EVALUATION":
            counts = self.checks.setdefault(step, {"passed": 0, "failed": 0})
            counts["passed" if event.event_specific_data.passed else "failed"] += 1
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE"):
            seconds = time.monotonic() - self.started.get(step, time.monotonic())
            if _stage(step) == "checks":
                c = self.checks.get(step, {"passed": 0, "failed": 0})
                self._line("checks", f"{c['passed']} passed, {c['failed']} failed", seconds)
                return
            if "." in step and kind == "STEP_SUCCESS" and step not in self.metadata:
                return  # a step inside the packs: their line comes with the step that records them
            if "." in step:  # from the stage's first step
                seconds = time.monotonic() - self.stage_started[_stage(step)]
            outcome = self._summary(step) if kind == "STEP_SUCCESS" else "failed"
            self._line(_stage(step), outcome, seconds)

    def _line(self, stage: str, outcome: str, seconds: float) -> None:
        clear = "\r\x1b[K" if self.tty else ""  # over the stage's bar
        self.stream.write(f"{clear}  {stage:<11}{outcome} ({seconds:.1f} s)\n")
        self.stream.flush()

    def _bar(self, stage: str, done: int, total: int, width: int = 30) -> None:
        """A long stage's bar on a terminal, redrawn in place: "  packs      [#####     ] 3/6"."""
        filled = width * done // max(total, 1)
        self.stream.write(f"\r  {stage:<11}[{'#' * filled}{' ' * (width - filled)}] {done}/{total}")
        self.stream.flush()

    def _summary(self, step: str) -> str:
        assets = self.metadata.get(step, {})
        m = next(iter(assets.values()), {})
        stage = _stage(step)
        if stage == "files":
            m = assets.get("raw/ingest_log", {})
            seen = m.get("files_duplicate", 0)
            return (
                f"{plural(m.get('files', 0), 'file')}"
                + (f" ({seen:,} already loaded)" if seen else "")
                + f", {m.get('rows_loaded', 0):,} rows loaded, {m.get('rows_rejected', 0):,} "
                "rejected"
                + (f", {plural(m['files_failed'], 'file')} failed" if m.get("files_failed") else "")
            )
        if stage == "models":
            return f"{plural(len(assets), 'model')} built"
        if stage in ("packs", "boss packs"):
            held = f", {m['held']} held" if m.get("held") else ""
            return f"{plural(m.get('packs', 0), 'pack')} made{held}"
        if stage == "mail":
            problems = sum(m.get(k, 0) for k in ("failed", "in_doubt", "rejected"))
            revised = f" ({m['revised']} revised)" if m.get("revised") else ""
            return f"{m.get('sent', 0)} sent{revised}, {m.get('already_sent', 0)} already sent" + (
                f", {problems} not delivered" if problems else ""
            )
        return "done"


@dg.logger(description="One short line per stage of the run (the command line's default).")
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.Logger("sellerpulse.progress", logging.DEBUG)
    logger.addHandler(ProgressHandler())
    return logger
