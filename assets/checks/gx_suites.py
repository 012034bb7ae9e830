"""Run a Great Expectations 1.x suite (GX's own JSON, beside its model) on a pandas frame.

GX is imported inside ``run_suite`` because its import alone costs seconds; one ephemeral
context serves a whole process. SciPy and Altair, which GX imports for expectations and charts
we do not use, are loaded only if something uses them (``_deferred``). Critical expectations
decide whether a check blocks; warnings are reported but never hold a pack.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

SAMPLE_SIZE = 5


@dataclass
class ExpectationOutcome:
    type: str
    column: str | None
    severity: str
    success: bool
    unexpected_count: int
    element_count: int
    sample: list[Any]
    kwargs: dict[str, Any]
    unexpected_rows: list[dict[str, Any]] = field(default_factory=list)

    def describe(self) -> str:
        bounds = {k: v for k, v in self.kwargs.items() if k != "column"}
        what = f"{self.type}({self.column or ''}{', ' if bounds else ''}"
        what += ", ".join(f"{k}={v}" for k, v in bounds.items()) + ")"
        if self.success:
            return f"passed: {what}"
        return (
            f"FAILED [{self.severity}] {what}: {self.unexpected_count} of "
            f"{self.element_count} rows, e.g. {self.sample}"
        )


@dataclass
class SuiteOutcome:
    suite: str
    outcomes: list[ExpectationOutcome] = field(default_factory=list)

    @property
    def critical_failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "critical"]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity != "critical"]


def load_suite(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a readable expectation suite ({exc})") from exc
    if not doc.get("name") or not isinstance(doc.get("expectations"), list):
        raise ValueError(f"{path}: an expectation suite needs 'name' and 'expectations'")
    return doc


COLUMN_ARGUMENTS = ("column", "column_A", "column_B", "column_list", "column_set")


def unknown_columns(suite_doc: dict[str, Any], columns: list[str]) -> list[str]:
    """Columns the suite's expectations name that ``columns`` lacks (a dropped or renamed
    column would otherwise fail as a confusing GX error, or pass unnoticed)."""
    named = []
    for expectation in suite_doc["expectations"]:
        for argument in COLUMN_ARGUMENTS:
            value = expectation.get("kwargs", {}).get(argument)
            named.extend(value if isinstance(value, list) else [value] if value else [])
    return sorted(set(named) - set(columns))


# imported by GX's expectation registry at import time (KL divergence's statistics, Altair's
# charts), used by none of our suites: about a second of CPU of the 2.4 s GX's import cost
DEFERRED = ("scipy", "altair")


class _DeferredFinder(importlib.abc.MetaPathFinder):
    """Finds modules of ``packages`` as usual, but each one runs only when first used."""

    def __init__(self, packages: tuple[str, ...]):
        self.packages = packages

    def find_spec(self, name, path, target=None):
        if name.partition(".")[0] not in self.packages:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = importlib.util.LazyLoader(spec.loader)
                return spec
        return None


@contextmanager
def _deferred(packages: tuple[str, ...]) -> Iterator[None]:
    """Modules of ``packages`` imported in this block are loaded on their first use: an
    attribute read, from any code, at any time later (``importlib.util.LazyLoader``)."""
    finder = _DeferredFinder(packages)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


@cache
def _context():
    with _deferred(DEFERRED):
        import great_expectations as gx

    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    return context


def run_suite(
    suite_doc: dict[str, Any], frame: pd.DataFrame, id_columns: list[str]
) -> SuiteOutcome:
    """Validate ``frame``; failing rows are sampled by ``id_columns`` so a person can find them."""
    context = _context()
    import great_expectations as gx

    name = suite_doc["name"]
    try:
        source = context.data_sources.get("sellerpulse")
    except (KeyError, ValueError):
        source = context.data_sources.add_pandas("sellerpulse")
    try:
        asset = source.get_asset(name)
    except LookupError:
        asset = source.add_dataframe_asset(name)
    try:
        batch_definition = asset.get_batch_definition("whole")
    except KeyError:
        batch_definition = asset.add_batch_definition_whole_dataframe("whole")
    suite = gx.ExpectationSuite(name=name, expectations=suite_doc["expectations"])
    if len(suite.expectations) != len(suite_doc["expectations"]):
        # GX drops an expectation it cannot build with only a log line: never run a suite short
        known = {e.expectation_type for e in suite.expectations}
        dropped = [e["type"] for e in suite_doc["expectations"] if e["type"] not in known]
        raise ValueError(f"expectation suite '{name}': not valid GX 1.x expectations: {dropped}")
    if missing := unknown_columns(suite_doc, list(frame.columns)):
        raise ValueError(
            f"expectation suite '{name}' names columns the table lacks: {missing}; rename or "
            "remove them in the suite's .expectations.json beside the model"
        )
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(
        suite,
        result_format={
            "result_format": "COMPLETE",
            "unexpected_index_column_names": id_columns,
            "partial_unexpected_count": SAMPLE_SIZE,
        },
    )
    outcome = SuiteOutcome(name)
    for item in result.results:
        config = item.expectation_config
        details = item.result or {}
        rows = details.get("unexpected_index_list") or []
        sample = rows or details.get("partial_unexpected_list")
        outcome.outcomes.append(
            ExpectationOutcome(
                type=config.type,
                column=config.kwargs.get("column"),
                severity=str(getattr(config.severity, "value", config.severity or "critical")),
                success=bool(item.success),
                unexpected_count=int(details.get("unexpected_count") or 0),
                element_count=int(details.get("element_count") or len(frame)),
                sample=json.loads(json.dumps(list(sample or [])[:SAMPLE_SIZE], default=str)),
                kwargs={k: v for k, v in config.kwargs.items() if k != "batch_id"},
                unexpected_rows=json.loads(json.dumps(list(rows), default=str)),
            )
        )
    return outcome
