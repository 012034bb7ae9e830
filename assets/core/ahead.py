"""Work a later stage starts ahead of its steps, in the run's process.

The stages share only the core (the import contracts in pyproject.toml): the model checks
cannot call the renderer, nor the ingest the checks. So a stage registers here what an earlier
step may start for it:

- the packs register WeasyPrint's warm-up (``for_packs``); the model checks' step starts it
  (``start_for_packs``) when the packs render next in its process;
- the checks register GX's worker (``for_checks``); the ingest step starts it
  (``start_for_checks``) with its own context, from which the checks decide whether their
  suites are validated later in this process.

What is registered must return at once: its work goes on a thread or process of its own.
"""

from collections.abc import Callable
from typing import Any

_for_packs: list[Callable[[], None]] = []
_for_checks: list[Callable[[Any], None]] = []


def _register(starts: list, start: Callable) -> Callable:
    if start not in starts:
        starts.append(start)
    return start


def for_packs(start: Callable[[], None]) -> Callable[[], None]:
    return _register(_for_packs, start)


def for_checks(start: Callable[[Any], None]) -> Callable[[Any], None]:
    return _register(_for_checks, start)


def start_for_packs() -> None:
    for start in _for_packs:
        start()


def start_for_checks(context: Any) -> None:
    """``context``: the calling step's Dagster context."""
    for start in _for_checks:
        start(context)
