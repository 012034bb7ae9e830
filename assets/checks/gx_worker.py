"""Great Expectations in a process of its own, started early in a run.

GX's import is about 1.5 s of pure Python (with SciPy and Altair deferred, ``gx_suites``).
Imported in the run's process it holds the GIL against the steps it should overlap (the model
builds' Python); in a child process it runs on another core while they work, and the suites
are validated there: a GX check sends the suite and its frame and gets the outcome back
(``run_suite``, the same results).

The ingest step of an in-process run starts the worker (``start``, through ``core.ahead``), so
GX is imported by the time the models are built and their GX checks run. The worker runs at a
lower priority than the run (``NICE``): it takes the cores' idle time while the exports load
(the ingest leaves about a quarter of two cores idle) before the models' time, and a step that
waits for its answer leaves it a core. Where no worker was started (a run of one check, a step
in a process of its own under the multiprocess executor) a suite is validated in the calling
process, as before.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from typing import Any

import pandas as pd

from assets.checks.gx_suites import SuiteOutcome, run_suite

_lock = threading.Lock()
_worker: subprocess.Popen | None = None
# the worker's niceness above the run's: 10 gives it about a tenth of a core the run wants
# (Linux's weights); 19 starved it while the models built, and the model checks waited
NICE = 10


def start() -> None:
    """Start the worker and its GX import in the background; a no-op when it runs already."""
    global _worker
    with _lock:
        if _worker is not None and _worker.poll() is None:
            return
        # a new interpreter, not multiprocessing: a fork would inherit DuckDB's and Dagster's
        # threads' locks held, and a spawn imports the caller's main script again (a script
        # without a __main__ guard would start its run a second time)
        _worker = subprocess.Popen(
            [
                sys.executable,
                "-c",
                f"import os; os.nice({NICE}); from assets.checks.gx_worker import serve; serve()",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
        )


def validate(suite_doc: dict[str, Any], frame: pd.DataFrame, id_columns: list[str]) -> SuiteOutcome:
    """``run_suite`` in the worker when one was started, else here."""
    global _worker
    with _lock:
        if _worker is None:
            return run_suite(suite_doc, frame, id_columns)
        try:
            pickle.dump((suite_doc, frame, id_columns), _worker.stdin)
            _worker.stdin.flush()
            ok, value = pickle.load(_worker.stdout)
        except (EOFError, OSError, pickle.UnpicklingError):
            # the worker died (killed, out of memory): validate here, as without one
            _worker.kill()
            _worker = None
            return run_suite(suite_doc, frame, id_columns)
    if not ok:
        raise value
    return value


def stop() -> None:
    """End the worker (tests; otherwise it ends when the run's process does, at end of input)."""
    global _worker
    with _lock:
        if _worker is None:
            return
        worker, _worker = _worker, None
        worker.stdin.close()
        try:  # it exits at end of input, unless still importing GX: then it is of no more use
            worker.wait(timeout=2)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        worker.stdout.close()


def serve() -> None:
    """The worker: import GX and build its context first, then validate what comes in, until
    the run's process closes its end."""
    from assets.checks.gx_suites import _context

    # answers go out on a private copy of stdout; what GX or a library prints goes to stderr
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    requests = sys.stdin.buffer
    _context()
    while True:
        try:
            job = pickle.load(requests)
        except EOFError:
            # at once: threads GX leaves behind would hold the interpreter's exit for seconds
            os._exit(0)
        try:
            answer = (True, run_suite(*job))
        except Exception as error:  # noqa: BLE001 - raised again in the check that sent it
            answer = (False, error)
        try:
            data = pickle.dumps(answer)
        except Exception:  # noqa: BLE001 - an error of GX's that does not pickle
            data = pickle.dumps((False, RuntimeError(f"GX worker: {answer[1]!r}")))
        answers.write(data)
        answers.flush()
