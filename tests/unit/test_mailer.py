"""Delivery against a real SMTP server on loopback, the outbox without one, and the message
itself: headers only through the standard library's header API, a fixed Message-ID."""

import email
import email.policy
from datetime import date
from email.message import EmailMessage

import duckdb
import pytest

from assets.delivery.mailer import (
    POLICY,
    Delivery,
    SmtpSettings,
    build_message,
    deliver,
    parse_sender,
)
from tests.conftest import delivery_counts, free_port

WEEK = date(2026, 11, 16)
SENDER = "SellerPulse <reports@sellerpulse.invalid>"


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
    assert first == delivery_counts(sent=2)
    assert again == delivery_counts(already_sent=2)
    assert sorted(r for rcpts, _ in handler.messages for r in rcpts) == [
        "a@x.example",
        "b@x.example",
    ]
    message = email.message_from_bytes(handler.messages[0][1], policy=email.policy.default)
    assert "Bcc" not in message  # a header cannot be smuggled in through the subject
    assert message["Subject"] == "Weekly report · Oak & Co Bcc: evil@x.example"
    (attachment,) = [p for p in message.walk() if p.get_filename()]
    assert attachment.get_payload(decode=True) == pack.read_bytes()
    ledger = dict(conn.execute("select recipient, message_id from delivery.ledger").fetchall())
    assert ledger["a@x.example"] == message["Message-ID"].strip()
    assert b"\r\nMessage-ID: <20261116." in handler.messages[0][1]  # one line, greppable


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


def test_outbox_file_is_written_once_and_an_existing_one_means_done(tmp_path, pack):
    """A kill after the rename but before the ledger write: the next run finds the file,
    records it as sent and leaves it as it is; a leftover temporary file is replaced."""
    outbox = tmp_path / "outbox"
    deliver(duckdb.connect(), items(pack, ["a@x.example"]), outbox, None)
    (eml,) = (outbox / "2026-11-16").glob("*.eml")
    before = eml.read_bytes()
    (outbox / "2026-11-16" / "oak-uk--leftover.eml.part").write_bytes(b"half")
    fresh = duckdb.connect()  # a ledger that never heard of it
    assert deliver(fresh, items(pack, ["a@x.example"]), outbox, None) == delivery_counts(sent=1)
    assert eml.read_bytes() == before
    assert fresh.execute("select status from delivery.ledger").fetchone() == ("sent",)
    assert (
        "already in the outbox" in fresh.execute("select detail from delivery.ledger").fetchone()[0]
    )
    assert len(list((outbox / "2026-11-16").glob("*.eml"))) == 1


def test_message_id_is_the_same_for_the_same_pack_and_changes_with_it(pack):
    (item,) = items(pack, ["a@x.example"])
    first, again = build_message(item, SENDER), build_message(item, SENDER)
    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"].startswith("<20261116.")
    assert first["Message-ID"].endswith("@sellerpulse.invalid>")
    (other,) = items(pack, ["b@x.example"])
    assert build_message(other, SENDER)["Message-ID"] != first["Message-ID"]
    pack.write_bytes(b"%PDF-1.7 corrected pack")
    assert build_message(item, SENDER)["Message-ID"] != first["Message-ID"]


@pytest.mark.parametrize(
    "recipient",
    ["owner@acme.example\n", "owner@acme.example\r\nBcc: evil@x.example", "A <a@x.example>"],
)
def test_a_recipient_that_is_not_one_plain_address_builds_no_message(pack, recipient):
    (item,) = items(pack, [recipient])
    with pytest.raises(ValueError, match="not an e-mail address"):
        build_message(item, SENDER)


@pytest.mark.parametrize("policy", [email.policy.SMTP, email.policy.default])
def test_the_standard_policies_let_a_trailing_newline_through_ours_does_not(policy):
    """Why the mailer has its own policy: email.policy.SMTP and default refuse a line break
    inside a header value but not at its end, and that empty line ends the headers."""
    loose = EmailMessage(policy=policy)
    loose["To"] = "owner@acme.example\n"
    loose["Subject"] = "Weekly report"
    assert b"owner@acme.example\n\r\n" in loose.as_bytes() or b"\n\n" in loose.as_bytes()
    strict = EmailMessage(policy=POLICY)
    for name, value in [
        ("To", "owner@acme.example\n"),
        ("Subject", "Weekly report\r"),
        ("Subject", "a\r\nBcc: evil@x.example"),
        ("X-Test", "nul\x00byte"),
    ]:
        with pytest.raises(ValueError):
            strict[name] = value


def test_a_non_ascii_subject_and_body_are_encoded_for_any_server(pack):
    item = Delivery(WEEK, "ocha-jp", "a@x.example", "週次レポート · お茶", "本文 – body", pack)
    raw = build_message(item, SENDER).as_bytes()
    assert raw.isascii() and b"\r\n" in raw
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Subject"] == "週次レポート · お茶"
    assert parsed.get_body(("plain",)).get_content().strip() == "本文 – body"


def test_a_bad_sender_setting_is_named():
    with pytest.raises(ValueError, match="SELLERPULSE_MAIL_FROM"):
        parse_sender("SellerPulse <reports@sellerpulse.invalid>\nBcc: evil@x.example")
    assert parse_sender(SENDER).addr_spec == "reports@sellerpulse.invalid"
