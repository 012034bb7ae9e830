"""Wall time and peak memory per stage of a weekly run (ingest, models, checks, packs, delivery).

A thread samples the memory of this process and of every process under it (the render workers
are forked children) every 0.2 s. After the run, each sample goes to the stage of the step(s)
running at that moment, as the run's event log times them (STEP_START to STEP_SUCCESS or
STEP_FAILURE): taken from the log afterwards, so it works whichever executor ran the steps.

Two sums: VmRSS, the brief's measure, counts the pages a forked worker shares with its parent
once per process; PSS (``/proc/<pid>/smaps_rollup``) shares them out, so its sum is what the
machine really holds. RSS is read at every sample (``/proc/<pid>/status``: microseconds), PSS
at every fifth: the kernel walks every mapped page for it, about 8 ms for a 700 MB process, and
read every 0.2 s from the run's process and its workers that cost 0.5–0.7 s of CPU in an 8 s
run at S, time the run itself then lacked. A stage with no PSS sample of its own (shorter than
a second) gets the nearest one. Linux only; elsewhere no samples are taken.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from pathlib import Path

STAGES = ("ingest", "models", "checks", "packs", "delivery")
BETWEEN = "between_steps"  # Dagster's own work: planning, resources, events between steps


def stage_of(step_key: str, check_steps: set[str]) -> str:
    """The stage a step belongs to; ``other`` for a step none of them claims (a new asset)."""
    # a graph asset's steps are ``<asset>.<op>``, a shard's ``…[shard_000]``
    key = step_key.split(".")[0].split("[")[0]
    if key in ("reference_tables", "ingest_inbox"):
        return "ingest"
    if key == "sql_models":
        return "models"
    if key.startswith("packs__"):  # the packs group: seller packs (planned, shards), boss packs
        return "packs"
    if key.startswith("delivery__"):
        return "delivery"
    if step_key in check_steps:
        return "checks"
    return "other"


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            out += [int(c) for c in task.read_text().split()]
        except OSError:  # the thread or process ended meanwhile
            continue
    return out


def _tree(pid: int, exclude: set[int]) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p in exclude:
            continue
        pids.append(p)
        todo += _children(p)
    return pids


def _kb(path: str, field: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:  # the process ended meanwhile
        pass
    return 0


class MemorySampler:
    """``with MemorySampler(pid, exclude={mail_server_pid}) as memory:`` … ``memory.samples``:
    (time.time(), RSS kB, PSS kB or None) of ``pid`` and every process under it, except
    ``exclude`` and theirs; PSS at every ``pss_every``-th sample. ``memory.cpu_s``: the CPU
    time the sampling took from the run."""

    def __init__(
        self, pid: int, exclude: Iterable[int] = (), every: float = 0.2, pss_every: int = 5
    ):
        self.pid, self.exclude, self.every, self.pss_every = pid, set(exclude), every, pss_every
        self.samples: list[tuple[float, int, int | None]] = []
        self.cpu_s = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="bench-memory", daemon=True)

    def __enter__(self) -> MemorySampler:
        if Path(f"/proc/{self.pid}/status").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _sample(self) -> None:
        while True:
            pids = _tree(self.pid, self.exclude)
            rss = sum(_kb(f"/proc/{p}/status", "VmRSS:") for p in pids)
            pss = None
            if len(self.samples) % self.pss_every == 0:
                pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids)
            self.samples.append((time.time(), rss, pss))
            self.cpu_s = time.thread_time()
            if self._stop.wait(self.every):
                return


def step_times(instance, run_id: str) -> tuple[dict[str, tuple[float, float]], set[str]]:
    """Each step's (start, end) in time.time() seconds, and the steps that evaluated checks."""
    starts: dict[str, float] = {}
    spans: dict[str, tuple[float, float]] = {}
    checks: set[str] = set()
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        kind = event.event_type_value
        if kind == "STEP_START":
            starts[event.step_key] = entry.timestamp
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and event.step_key in starts:
            spans[event.step_key] = (starts[event.step_key], entry.timestamp)
        elif kind == "ASSET_CHECK_EVALUATION":
            checks.add(event.step_key)
    return spans, checks


def _union(spans: list[tuple[float, float]]) -> float:
    """Seconds covered by the spans: steps of one stage running side by side count once."""
    total, end = 0.0, float("-inf")
    for a, b in sorted(spans):
        if b > end:
            total += b - max(a, end)
            end = b
    return total


def per_stage(samples: list[tuple[float, int, int | None]], instance, run_id: str) -> dict:
    """``{stage: {"s", "steps", "peak_rss_mb", "peak_pss_mb"}}`` for every stage that ran,
    and ``between_steps`` for the samples no step covers. A stage shorter than one sampling
    interval gets the sample nearest its middle, one without a PSS sample the nearest one."""
    spans, checks = step_times(instance, run_id)
    by_stage: dict[str, list[tuple[float, float]]] = {}
    for step, span in spans.items():
        by_stage.setdefault(stage_of(step, checks), []).append(span)
    out: dict[str, dict] = {}
    covered = set()
    order = [*STAGES, *sorted(set(by_stage) - set(STAGES))]
    for stage in [s for s in order if s in by_stage]:
        stage_spans = by_stage[stage]
        inside = [
            i for i, (t, _, _) in enumerate(samples) if any(a <= t <= b for a, b in stage_spans)
        ]
        covered.update(inside)
        if not inside and samples:
            middle = sum(a + b for a, b in stage_spans) / (2 * len(stage_spans))
            inside = [min(range(len(samples)), key=lambda i: abs(samples[i][0] - middle))]
        out[stage] = {
            "s": round(_union(stage_spans), 2),
            "steps": len(stage_spans),
            **_peaks([samples[i] for i in inside], samples),
        }
    rest = [s for i, s in enumerate(samples) if i not in covered]
    if rest:
        out[BETWEEN] = {"samples": len(rest), **_peaks(rest, samples)}
    return out


def _peaks(chosen: list[tuple[float, int, int | None]], samples: list) -> dict:
    if not chosen:
        return {"peak_rss_mb": None, "peak_pss_mb": None}
    pss = [s[2] for s in chosen if s[2] is not None]
    if not pss:  # the PSS sample nearest the chosen ones
        middle = (chosen[0][0] + chosen[-1][0]) / 2
        pss = [min((s for s in samples if s[2] is not None), key=lambda s: abs(s[0] - middle))[2]]
    return {
        "peak_rss_mb": round(max(s[1] for s in chosen) / 1024, 1),
        "peak_pss_mb": round(max(pss) / 1024, 1),
    }
