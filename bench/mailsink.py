"""A loopback SMTP server for the benchmarked weekly run, in a process of its own: it counts
what it accepts and keeps nothing, so neither its memory nor its event loop lands in the
measured run's process.

    python -m bench.mailsink   # prints its port; on a line on stdin prints the counts as JSON

``mail_sink()`` starts it and points ``SELLERPULSE_SMTP_*`` at it for a while.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

SETTINGS = ("SELLERPULSE_SMTP_HOST", "SELLERPULSE_SMTP_PORT", "SELLERPULSE_SMTP_STARTTLS")


class Counter:
    """aiosmtpd handler: counts messages, recipients and bytes (the tests' server keeps them)."""

    def __init__(self) -> None:
        self.counts = {"messages": 0, "recipients": 0, "bytes": 0}

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.counts["messages"] += 1
        self.counts["recipients"] += len(envelope.rcpt_tos)
        self.counts["bytes"] += len(envelope.content)
        return "250 OK"


def serve() -> None:
    from aiosmtpd.controller import Controller

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = Counter()
    # no size limit: whatever the run sends is counted
    controller = Controller(handler, hostname="127.0.0.1", port=port, data_size_limit=None)
    controller.start()
    print(port, flush=True)
    # a line, not the end of stdin: the render workers forked meanwhile hold its pipe open
    sys.stdin.readline()
    controller.stop()
    print(json.dumps(handler.counts), flush=True)


@contextmanager
def mail_sink() -> Iterator[dict]:
    """Start the server and point the pipeline's SMTP settings at it (read when the
    definitions load); yields a dict with its ``pid``, filled with the counts when it ends."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.mailsink"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    before = {name: os.environ.get(name) for name in SETTINGS}
    counts: dict = {"pid": proc.pid}
    try:
        port = proc.stdout.readline().strip()
        if not port.isdigit():
            raise RuntimeError(f"the loopback SMTP server did not start: {port!r}")
        os.environ.update(
            SELLERPULSE_SMTP_HOST="127.0.0.1",
            SELLERPULSE_SMTP_PORT=port,
            SELLERPULSE_SMTP_STARTTLS="0",
        )
        yield counts
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        out, _ = proc.communicate("stop\n", timeout=60)
        counts.update(json.loads(out.strip().splitlines()[-1]) if out.strip() else {})


if __name__ == "__main__":
    serve()
