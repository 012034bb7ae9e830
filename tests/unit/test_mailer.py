"""Delivery against a real SMTP server on loopback, and the outbox without one."""

import email
import email.policy
from datetime import date

import duckdb
import pytest

from assets.delivery.mailer import Delivery, SmtpSettings, deliver
from tests.conftest import free_port

WEEK = date(2026, 11, 16)


@pytest.fixture
def pack(tmp_path):
    path = tmp_path / "oak-uk.en.pdf"
    path.write_bytes(b"%PDF-1.7 test pack")
    return path


def items(pack, recipients):
    return [
        Delivery(WEEK, "oak-uk", r, "Weekly report · Oak & Co\r\nBcc: evil@x.example", "body", pack)
        for r in recipients
    ]


def test_smtp_delivery_sends_once_per_recipient(smtp_server, pack):
    controller, handler = smtp_server
    settings = SmtpSettings(host="127.0.0.1", port=controller.port, starttls=False)
    conn = duckdb.connect()
    first = deliver(conn, items(pack, ["a@x.example", "b@x.example"]), pack.parent, settings)
    again = deliver(conn, items(pack, ["a@x.example", "b@x.example"]), pack.parent, settings)
    assert first == {"sent": 2, "already_sent": 0, "failed": 0}
    assert again == {"sent": 0, "already_sent": 2, "failed": 0}
    assert sorted(r for rcpts, _ in handler.messages for r in rcpts) == [
        "a@x.example",
        "b@x.example",
    ]
    message = email.message_from_bytes(handler.messages[0][1], policy=email.policy.default)
    assert "Bcc" not in message  # a header cannot be smuggled in through the subject
    assert message["Subject"] == "Weekly report · Oak & Co Bcc: evil@x.example"
    (attachment,) = [p for p in message.walk() if p.get_filename()]
    assert attachment.get_payload(decode=True) == pack.read_bytes()


def test_failed_send_is_recorded_and_retried(pack, smtp_server):
    controller, handler = smtp_server
    dead = SmtpSettings(host="127.0.0.1", port=free_port(), starttls=False, attempts=1)
    conn = duckdb.connect()
    assert deliver(conn, items(pack, ["a@x.example"]), pack.parent, dead)["failed"] == 1
    assert conn.execute("select status, attempts from delivery.ledger").fetchone() == ("failed", 1)
    alive = SmtpSettings(host="127.0.0.1", port=controller.port, starttls=False)
    assert deliver(conn, items(pack, ["a@x.example"]), pack.parent, alive)["sent"] == 1
    assert conn.execute("select status, attempts from delivery.ledger").fetchone() == ("sent", 2)
    assert len(handler.messages) == 1


def test_without_smtp_messages_land_in_the_outbox(tmp_path, pack):
    conn = duckdb.connect()
    deliver(conn, items(pack, ["a@x.example"]), tmp_path / "outbox", None)
    (eml,) = (tmp_path / "outbox" / "2026-11-16").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes())
    assert message["To"] == "a@x.example" and eml.name.startswith("oak-uk--")
