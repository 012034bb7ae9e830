"""A delivery killed (SIGKILL) at each point of an SMTP transaction, then run again: the
recipient never gets two copies, and what might be at the server is in doubt, not resent.

The send runs in a child process against a real SMTP server in this one. Points inside the
client are reached by wrapping the function called there so that it kills its own process;
"the server has the message" is reached from outside: the server holds its 250 until the
child is dead."""

import asyncio
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from datetime import date
from pathlib import Path

import duckdb
import pytest

from assets.delivery import ledger
from assets.delivery.mailer import Delivery, SmtpSettings, deliver
from tests.conftest import HoldAfterData, Inbox

WEEK = date(2026, 11, 16)
ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import os, signal, smtplib, sys
    from datetime import date
    from pathlib import Path

    import duckdb

    from assets.delivery import ledger
    from assets.delivery.mailer import Delivery, SmtpSettings, deliver

    warehouse, pack, port, point, count = sys.argv[1:6]
    recipients = [f"r{i:03d}@x.example" for i in range(int(count))] if point == "random" else [
        "a@x.example"
    ]

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    record = ledger.record

    def record_then(conn, key, **row):
        if point == "after_250" and row["status"] == "sent":
            die()  # the server said 250; the ledger never heard of it
        record(conn, key, **row)
        if point == "after_sending_row" and row["status"] == "sending":
            die()  # committed "sending", DATA not yet asked for

    ledger.record = record_then
    if point == "while_connecting":
        smtplib.SMTP.connect = lambda *a, **k: die()
    if point == "during_quit":
        smtplib.SMTP.quit = lambda self: die()

    week = date(2026, 11, 16)
    deliver(
        duckdb.connect(warehouse),
        [Delivery(week, "oak-uk", r, "Weekly", "body", Path(pack)) for r in recipients],
        Path(pack).parent,
        SmtpSettings(host="127.0.0.1", port=int(port), starttls=False, timeout=1.0),
    )
    sys.exit(0 if point == "random" else 3)  # 3: the kill point was never reached
    """
)


def child(warehouse: Path, pack: Path, port: int, point: str, count: int = 1) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(warehouse), str(pack), str(port), point, str(count)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def status(warehouse: Path) -> str | None:
    with duckdb.connect(str(warehouse)) as conn:
        ledger.ensure(conn)
        found = ledger.get(conn, (WEEK, "oak-uk", "a@x.example"))
        return found.status if found else None


def rerun(warehouse: Path, pack: Path, port: int) -> dict[str, int]:
    """What the next run does, in this process."""
    settings = SmtpSettings(host="127.0.0.1", port=port, starttls=False, timeout=1.0)
    item = Delivery(WEEK, "oak-uk", "a@x.example", "Weekly", "body", pack)
    with duckdb.connect(str(warehouse)) as conn:
        return deliver(conn, [item], pack.parent, settings)


@pytest.fixture
def pack(tmp_path):
    path = tmp_path / "oak-uk.en.pdf"
    path.write_bytes(b"%PDF-1.7 test pack")
    return path


@pytest.mark.parametrize(
    ("point", "copies_before", "left", "rerun_result"),
    [
        # nothing reached the server: the next run sends it
        ("while_connecting", 0, None, "sent"),
        # "sending" committed, DATA not asked for: the server has nothing, but the ledger cannot
        # know that, so it is in doubt (the safe side: a person resends it)
        ("after_sending_row", 0, "sending", "in_doubt"),
        # the server answered 250, the process died before the ledger write
        ("after_250", 1, "sending", "in_doubt"),
        # 250 recorded, killed while saying goodbye
        ("during_quit", 1, "sent", "already_sent"),
    ],
)
def test_a_kill_inside_the_client_never_duplicates(
    start_smtp, tmp_path, pack, point, copies_before, left, rerun_result
):
    handler = Inbox()
    server = start_smtp(handler)
    warehouse = tmp_path / "warehouse.duckdb"
    run = child(warehouse, pack, server.port, point)
    assert run.wait(timeout=30) == -signal.SIGKILL, f"the child was not killed at {point}"
    assert len(handler.messages) == copies_before
    assert status(warehouse) == left
    result = rerun(warehouse, pack, server.port)
    assert result[rerun_result] == 1
    settled = "in_doubt" if rerun_result == "in_doubt" else "already_sent"
    assert rerun(warehouse, pack, server.port)[settled] == 1  # and stays so
    assert len(handler.messages) == max(copies_before, 1 if rerun_result == "sent" else 0)
    if rerun_result == "in_doubt":
        assert status(warehouse) == "in_doubt"


def test_a_kill_right_after_the_server_got_the_message(start_smtp, tmp_path, pack):
    """The server has the whole message and is about to say 250 when the sender dies. The
    re-run finds "sending": in doubt, not resent; `resolve --sent` settles it."""
    handler = HoldAfterData()
    server = start_smtp(handler)
    warehouse = tmp_path / "warehouse.duckdb"
    run = child(warehouse, pack, server.port, "none")
    try:
        assert handler.received.wait(timeout=30), "the message never reached the server"
        run.send_signal(signal.SIGKILL)
        assert run.wait(timeout=30) == -signal.SIGKILL
    finally:
        handler.release.set()
    assert len(handler.messages) == 1
    assert status(warehouse) == "sending"
    # the handler was released: it answers at once from now on
    assert rerun(warehouse, pack, server.port)["in_doubt"] == 1
    assert len(handler.messages) == 1
    with duckdb.connect(str(warehouse)) as conn:
        (row,) = ledger.rows(conn, statuses=ledger.DOUBTFUL)
        assert "ended before recording the server's reply" in row.detail
        ledger.resolve(conn, row.key, sent=True)
    assert rerun(warehouse, pack, server.port)["already_sent"] == 1
    assert len(handler.messages) == 1


KILLS = int(os.environ.get("SELLERPULSE_DELIVERY_KILLS", "3"))
SEED = int(os.environ.get("SELLERPULSE_DELIVERY_SEED", "15"))


class Counting(Inbox):
    """Accepts after a short pause (so a kill can land anywhere in the transaction) and
    counts what it got."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        await asyncio.sleep(0.002)
        return await super().handle_DATA(server, session, envelope)


def test_killed_at_random_points_then_resolved_everyone_gets_exactly_one_copy(
    start_smtp, tmp_path, pack
):
    """A batch of 20 recipients killed after a random number of accepted messages plus a
    random few milliseconds, then re-run: no recipient has two copies, every row is sent or
    in doubt. Then the person's part: an in-doubt delivery the server holds is resolved
    --sent, one it does not --resend, and the next run leaves everyone with exactly one copy.
    SELLERPULSE_DELIVERY_KILLS sets how many kills (3 in the suite; docs/reliability.md)."""
    rng = random.Random(SEED)
    handler = Counting()
    server = start_smtp(handler)
    recipients = [f"r{i:03d}@x.example" for i in range(20)]
    batch = [Delivery(WEEK, "oak-uk", r, "Weekly", "body", pack) for r in recipients]
    settings = SmtpSettings(host="127.0.0.1", port=server.port, starttls=False, timeout=1.0)
    in_doubt = Counter()  # copies at the server -> deliveries in doubt
    for kill in range(KILLS):
        handler.messages.clear()
        warehouse = tmp_path / f"warehouse-{kill}.duckdb"
        after, extra = rng.randrange(len(recipients)), rng.uniform(0, 0.004)
        run = child(warehouse, pack, server.port, "random", len(recipients))
        while len(handler.messages) < after and run.poll() is None:
            time.sleep(0.0005)
        time.sleep(extra)
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=30)
        where = f"kill {kill + 1} after {after} messages + {extra * 1000:.1f} ms, seed {SEED}"
        with duckdb.connect(str(warehouse)) as conn:
            deliver(conn, batch, pack.parent, settings)
            copies = Counter(r for rcpts, _ in handler.messages for r in rcpts)
            assert set(copies.values()) <= {1}, where
            rows = {row.recipient: row.status for row in ledger.rows(conn)}
            assert set(rows.values()) <= {"sent", "in_doubt"}, where
            assert all(copies[r] == 1 for r, s in rows.items() if s == "sent"), where
            for recipient, state in rows.items():
                if state == "in_doubt":  # look in the mailbox, then decide
                    in_doubt[copies[recipient]] += 1
                    key = (WEEK, "oak-uk", recipient)
                    ledger.resolve(conn, key, sent=copies[recipient] == 1)
            deliver(conn, batch, pack.parent, settings)
            assert {row.status for row in ledger.rows(conn)} == {"sent"}, where
        copies = Counter(r for rcpts, _ in handler.messages for r in rcpts)
        assert copies == Counter(recipients), where
    print(
        f"{KILLS} kills, no duplicate; in doubt: {in_doubt[1]} held by the server (resolved "
        f"--sent), {in_doubt[0]} not (resolved --resend)"
    )
