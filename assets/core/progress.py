"""A long step's progress as a log line, ``progress <done>/<total>``: the command line draws a
bar from it on a terminal (pipelines/progress.py), the UI shows it in the step's log. Said at
most once a second, and at the end, so a thousand packs make a handful of log events."""

import re
import time
from typing import Any

PROGRESS = re.compile(r"^progress (\d+)/(\d+)$")


class Progress:
    """Call with the number done so far; ``log`` is Dagster's ``context.log``."""

    def __init__(self, log: Any, total: int, every: float = 1.0):
        self.log, self.total, self.every = log, total, every
        self.said = time.monotonic()

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if done >= self.total or now - self.said >= self.every:
            self.said = now
            self.log.debug(f"progress {done}/{self.total}")
