"""Exactly once against real SMTP servers on loopback that misbehave (issue 15, part 1).

Each server is aiosmtpd with a handler from tests/conftest.py; it counts what it accepted.
Timeouts are 1 s and retries immediate, so every test is quick."""

import asyncio
import email
import email.policy
import time
from datetime import date

import duckdb
import pytest

from assets.delivery import ledger
from assets.delivery.mailer import Delivery, SmtpSettings, deliver
from tests.conftest import (
    Answer,
    DropAfterData,
    Inbox,
    RefuseRecipient,
    SilentAfterData,
    StallOnQuit,
    delivery_counts,
    free_port,
)

WEEK = date(2026, 11, 16)


@pytest.fixture
def pack(tmp_path):
    path = tmp_path / "oak-uk.en.pdf"
    path.write_bytes(b"%PDF-1.7 test pack")
    return path


@pytest.fixture
def conn(tmp_path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()


def items(pack, *recipients):
    return [Delivery(WEEK, "oak-uk", r, "Weekly report", "body", pack) for r in recipients]


def settings(port: int, **given) -> SmtpSettings:
    return SmtpSettings(
        **{"host": "127.0.0.1", "port": port, "starttls": False, "timeout": 1.0, "retry_delay": 0}
        | given
    )


def rows(conn) -> dict[str, tuple]:
    """recipient -> (status, attempts, message_id, detail)"""
    found = conn.execute(
        "select recipient, status, attempts, message_id, detail from delivery.ledger"
    ).fetchall()
    return {r[0]: r[1:] for r in found}


def message_ids(handler) -> list[str]:
    return [
        email.message_from_bytes(raw, policy=email.policy.default)["Message-ID"].strip()
        for _, raw in handler.messages
    ]


def test_accepted_once_then_never_again(start_smtp, conn, pack, tmp_path):
    handler = Inbox()
    server = start_smtp(handler)
    for _ in range(3):
        deliver(conn, items(pack, "a@x.example"), tmp_path, settings(server.port))
    assert len(handler.messages) == 1
    status, attempts, message_id, detail = rows(conn)["a@x.example"]
    assert (status, attempts) == ("sent", 1) and "250" in detail
    assert message_ids(handler) == [message_id]


def test_a_line_starting_with_a_dot_arrives_as_written(start_smtp, conn, pack, tmp_path):
    """SMTP ends a message at a line of one dot: a body line that starts with a dot (a title
    such as ".NET in Action") goes over the wire with the dot doubled, and arrives whole."""
    handler = Inbox()
    server = start_smtp(handler)
    body = ".NET in Action: 3 left\n.\nlast line"
    item = Delivery(WEEK, "oak-uk", "a@x.example", "Weekly report", body, pack)
    deliver(conn, [item], tmp_path, settings(server.port))
    ((_, raw),) = handler.messages
    received = email.message_from_bytes(raw, policy=email.policy.default)
    text = received.get_body(("plain",)).get_content()
    assert text.splitlines() == [".NET in Action: 3 left", ".", "last line"]
    assert rows(conn)["a@x.example"][:2] == ("sent", 1)


def test_4xx_at_the_end_of_data_is_retried_and_sent_once(start_smtp, conn, pack, tmp_path):
    """451 after the whole message: the server says it did not take it, so trying again is
    safe, in this run (attempts) and in the next."""
    handler = Answer("451 4.3.0 Try again later", times=4)
    server = start_smtp(handler)
    first = deliver(conn, items(pack, "a@x.example"), tmp_path, settings(server.port, attempts=3))
    assert first == delivery_counts(failed=1) and handler.refused == 3 and handler.messages == []
    status, attempts, _, detail = rows(conn)["a@x.example"]
    assert (status, attempts) == ("failed", 3) and "451 4.3.0 Try again later" in detail
    second = deliver(conn, items(pack, "a@x.example"), tmp_path, settings(server.port))
    assert second == delivery_counts(sent=1) and len(handler.messages) == 1
    assert rows(conn)["a@x.example"][:2] == ("sent", 5)  # 3 + the refusal + the acceptance


def test_4xx_before_data_is_retried(start_smtp, conn, pack, tmp_path):
    handler = RefuseRecipient("450 4.2.1 Mailbox busy", refused={"a@x.example"})
    server = start_smtp(handler)
    result = deliver(
        conn, items(pack, "a@x.example", "b@x.example"), tmp_path, settings(server.port)
    )
    assert result == delivery_counts(sent=1, failed=1)
    assert rows(conn)["a@x.example"][:2] == ("failed", 3)
    assert "RCPT TO" in rows(conn)["a@x.example"][3]
    handler.refused.clear()
    deliver(conn, items(pack, "a@x.example", "b@x.example"), tmp_path, settings(server.port))
    assert sorted(r for rcpts, _ in handler.messages for r in rcpts) == [
        "a@x.example",
        "b@x.example",
    ]


@pytest.mark.parametrize(
    ("handler", "step"),
    [
        (Answer("554 5.7.1 Message refused by policy"), "the end of DATA"),
        (RefuseRecipient("550 5.1.1 No such user", refused={"a@x.example"}), "RCPT TO"),
    ],
)
def test_5xx_is_permanent_recorded_with_the_reply_and_not_retried(
    start_smtp, conn, pack, tmp_path, handler, step
):
    server = start_smtp(handler)
    result = deliver(conn, items(pack, "a@x.example"), tmp_path, settings(server.port))
    assert result == delivery_counts(rejected=1)
    status, attempts, _, detail = rows(conn)["a@x.example"]
    assert (status, attempts) == ("rejected", 1)  # one try only
    assert f"to {step}" in detail and ("554 5.7.1 Message refused" in detail or "550" in detail)
    again = deliver(conn, items(pack, "a@x.example"), tmp_path, settings(server.port))
    assert again == delivery_counts(rejected=1) and rows(conn)["a@x.example"][1] == 1
    assert getattr(handler, "refused", 1) in (1, {"a@x.example"}) and handler.messages == []


@pytest.mark.parametrize("handler_class", [DropAfterData, SilentAfterData])
def test_a_lost_reply_after_data_is_in_doubt_never_resent_blindly(
    start_smtp, conn, pack, tmp_path, handler_class
):
    """The server has the whole message but its answer never arrives (connection dropped, or
    silence beyond the timeout). The old mailer sent three copies, and a fourth next run."""
    handler = handler_class()
    server = start_smtp(handler)
    began = time.monotonic()
    first = deliver(conn, items(pack, "a@x.example"), tmp_path, settings(server.port))
    assert time.monotonic() - began < 3
    assert first == delivery_counts(in_doubt=1)
    status, attempts, message_id, detail = rows(conn)["a@x.example"]
    assert (status, attempts) == ("in_doubt", 1) and "no reply" in detail
    again = deliver(conn, items(pack, "a@x.example"), tmp_path, settings(server.port))
    assert again == delivery_counts(in_doubt=1)
    assert len(handler.messages) == 1  # one copy, not 3 + 1
    # a person decides it did not arrive: the next run sends it once, with the same Message-ID
    ledger.resolve(conn, (WEEK, "oak-uk", "a@x.example"), sent=False)
    assert rows(conn)["a@x.example"][0] == "queued"
    handler.misbehaving = False  # the server behaves again
    assert deliver(
        conn, items(pack, "a@x.example"), tmp_path, settings(server.port)
    ) == delivery_counts(sent=1)
    assert len(handler.messages) == 2
    assert message_ids(handler) == [message_id, message_id]


def test_a_stalled_quit_after_250_is_still_sent(start_smtp, conn, pack, tmp_path):
    handler = StallOnQuit()
    server = start_smtp(handler)
    began = time.monotonic()
    result = deliver(
        conn,
        items(pack, "a@x.example", "b@x.example"),
        tmp_path,
        settings(server.port, timeout=0.5),
    )
    assert time.monotonic() - began < 2.5  # each QUIT waits 0.5 s at most
    assert result == delivery_counts(sent=2)
    assert {r: v[:2] for r, v in rows(conn).items()} == {
        "a@x.example": ("sent", 1),
        "b@x.example": ("sent", 1),
    }
    assert len(handler.messages) == 2


def test_server_down_then_up_sends_once(start_smtp, conn, pack, tmp_path):
    """Connection refused: provably not accepted. The first message is tried (attempts), the
    others are not tried against a server that is down; all go out next run, once."""
    port = free_port()
    batch = items(pack, "a@x.example", "b@x.example", "c@x.example")
    began = time.monotonic()
    assert deliver(conn, batch, tmp_path, settings(port)) == delivery_counts(failed=3)
    assert time.monotonic() - began < 2
    recorded = rows(conn)
    assert recorded["a@x.example"][:2] == ("failed", 3)
    assert recorded["b@x.example"][:2] == ("failed", 0)
    assert "not tried" in recorded["b@x.example"][3]
    handler = Inbox()
    start_smtp(handler, port=port)
    assert deliver(conn, batch, tmp_path, settings(port)) == delivery_counts(sent=3)
    assert deliver(conn, batch, tmp_path, settings(port)) == delivery_counts(already_sent=3)
    assert sorted(r for rcpts, _ in handler.messages for r in rcpts) == [
        "a@x.example",
        "b@x.example",
        "c@x.example",
    ]


def test_one_bad_delivery_does_not_stop_the_others(start_smtp, conn, pack, tmp_path):
    """A missing pack, a recipient that is not an address, a refused recipient: each recorded
    with its reason, and the other deliveries go out."""
    handler = RefuseRecipient("550 5.1.1 No such user", refused={"gone@x.example"})
    server = start_smtp(handler)
    batch = [
        *items(pack, "a@x.example"),
        Delivery(WEEK, "portfolio-eu", "boss@x.example", "Boss", "b", tmp_path / "missing.pdf"),
        *items(pack, "owner@acme.example\n", "gone@x.example", "b@x.example"),
    ]
    result = deliver(conn, batch, tmp_path, settings(server.port))
    assert result == delivery_counts(sent=2, failed=2, rejected=1)
    recorded = rows(conn)
    assert "FileNotFoundError" in recorded["boss@x.example"][3]
    assert "not an e-mail address" in recorded["owner@acme.example\n"][3]
    assert recorded["gone@x.example"][0] == "rejected"
    assert sorted(r for rcpts, _ in handler.messages for r in rcpts) == [
        "a@x.example",
        "b@x.example",
    ]


class Overlapping(RefuseRecipient):
    """Holds each message 50 ms before accepting it (300 ms before refusing one to
    ``refused_late``), and counts how many sessions were in DATA at once."""

    def __init__(self, reply: str, refused: set[str], refused_late: set[str]):
        super().__init__(reply, refused)
        self.refused_late = refused_late
        self.open = self.most = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.open += 1
        self.most = max(self.most, self.open)
        late = bool(set(envelope.rcpt_tos) & self.refused_late)
        await asyncio.sleep(0.3 if late else 0.05)
        self.open -= 1
        if late:
            return "554 5.6.0 Message refused"
        return await super().handle_DATA(server, session, envelope)


class Lines(list):
    def warning(self, text):
        self.append(text)

    error = warning


def test_sessions_side_by_side_send_each_message_once_and_log_in_order(
    start_smtp, conn, pack, tmp_path
):
    """Four sessions at a time: twelve recipients get one copy each, the refused ones are
    recorded with their reason, the log reads in the order of the deliveries, and a second run
    sends nothing."""
    # r02 is refused at the end of its message, r03 at once: r03's session ends first
    refused = {"r02@x.example", "r03@x.example"}
    handler = Overlapping("550 5.1.1 No such user", {"r03@x.example"}, {"r02@x.example"})
    server = start_smtp(handler)
    recipients = [f"r{n:02d}@x.example" for n in range(12)]
    batch = items(pack, *recipients)
    lines = Lines()
    result = deliver(conn, batch, tmp_path, settings(server.port, sessions=4), lines)
    assert result == delivery_counts(sent=10, rejected=2)
    assert handler.most == 4
    copies = sorted(r for rcpts, _ in handler.messages for r in rcpts)
    assert copies == [r for r in recipients if r not in refused]
    assert {r: v[0] for r, v in rows(conn).items()} == {
        r: "rejected" if r in refused else "sent" for r in recipients
    }
    # in the order of the deliveries, not of the sessions' ends
    assert [line.split(" (")[0] for line in lines] == [
        "oak-uk to r02@x.example",
        "oak-uk to r03@x.example",
    ]
    assert deliver(conn, batch, tmp_path, settings(server.port, sessions=4), lines) == (
        delivery_counts(already_sent=10, rejected=2)
    )
    assert len(handler.messages) == 10
    # the rejected ones say so again, after the first run's lines
    assert len(lines) == 4 and all("rejected, not sent again" in line for line in lines[2:])
