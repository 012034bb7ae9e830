"""Work the packs' stage starts ahead of its steps, in the run's process.

The stages share only the core (the import contracts in pyproject.toml): the model checks
cannot call the renderer. So the renderer registers its warm-up here (``for_packs``), and the
model checks' step starts it (``start_for_packs``) when the packs render next in its process.
"""

from collections.abc import Callable

_for_packs: list[Callable[[], None]] = []


def for_packs(start: Callable[[], None]) -> Callable[[], None]:
    """Register ``start``; it must return at once (its work goes on a thread of its own)."""
    if start not in _for_packs:
        _for_packs.append(start)
    return start


def start_for_packs() -> None:
    for start in _for_packs:
        start()
