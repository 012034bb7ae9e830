"""Deliver packs by e-mail, once per recipient, with a ledger that makes re-runs safe.

Without SMTP settings, each message is written as an ``.eml`` file to the outbox (open it in
any mail client); with ``SELLERPULSE_SMTP_HOST`` set, it is sent by SMTP with retries. The
ledger (``delivery.ledger``) records every recipient × pack: a sent pack is never sent again,
a failed send is retried on the next run.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

LEDGER_DDL = """
create schema if not exists delivery;
create table if not exists delivery.ledger (
    week_start date not null,
    pack varchar not null,
    recipient varchar not null,
    pack_sha256 varchar not null,
    status varchar not null,
    attempts integer not null,
    message_id varchar,
    detail varchar,
    updated_at timestamp not null,
    primary key (week_start, pack, recipient)
);
"""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    user: str = ""
    password: str = ""
    starttls: bool = True
    sender: str = "SellerPulse <reports@sellerpulse.invalid>"
    attempts: int = 3


@dataclass(frozen=True)
class Delivery:
    """One pack for one recipient."""

    week_start: date
    pack: str  # e.g. "acme-uk" or "portfolio-eu"
    recipient: str
    subject: str
    body: str
    attachment: Path


def build_message(item: Delivery, sender: str) -> EmailMessage:
    """Headers through the standard library only: names and subjects are never pasted raw."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = formataddr(("", item.recipient))
    # a line break in an account name must not start a new header
    message["Subject"] = " ".join(item.subject.split())
    message["Message-ID"] = make_msgid(domain="sellerpulse.invalid")
    message.set_content(item.body)
    message.add_attachment(
        item.attachment.read_bytes(),
        maintype="application",
        subtype="pdf",
        filename=item.attachment.name,
    )
    return message


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _send_smtp(message: EmailMessage, settings: SmtpSettings) -> None:
    last_error: Exception | None = None
    for attempt in range(1, settings.attempts + 1):
        try:
            with smtplib.SMTP(settings.host, settings.port, timeout=30) as smtp:
                if settings.starttls:
                    smtp.starttls()
                if settings.user:
                    smtp.login(settings.user, settings.password)
                smtp.send_message(message)
            return
        except (OSError, smtplib.SMTPException) as exc:
            last_error = exc
            log.warning("SMTP attempt %d/%d failed: %s", attempt, settings.attempts, exc)
            time.sleep(min(2**attempt, 10) if attempt < settings.attempts else 0)
    raise RuntimeError(f"SMTP {settings.host}:{settings.port} refused the message: {last_error}")


def _write_eml(message: EmailMessage, outbox: Path, item: Delivery) -> Path:
    recipient = hashlib.sha256(item.recipient.encode()).hexdigest()[:12]
    target = outbox / item.week_start.isoformat() / f"{item.pack}--{recipient}.eml"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    tmp.write_bytes(message.as_bytes())
    tmp.replace(target)
    return target


def deliver(
    conn: duckdb.DuckDBPyConnection,
    items: list[Delivery],
    outbox: Path,
    smtp: SmtpSettings | None,
) -> dict[str, int]:
    """Send what the ledger has not sent; returns counts of sent, skipped and failed."""
    conn.execute(LEDGER_DDL)
    counts = {"sent": 0, "already_sent": 0, "failed": 0}
    sender = smtp.sender if smtp else SmtpSettings.sender
    for item in items:
        key = [item.week_start, item.pack, item.recipient]
        row = conn.execute(
            "select status, attempts from delivery.ledger "
            "where week_start = ? and pack = ? and recipient = ?",
            key,
        ).fetchone()
        if row and row[0] == "sent":
            counts["already_sent"] += 1
            continue
        attempts = (row[1] if row else 0) + 1
        message = build_message(item, sender)
        try:
            if smtp:
                _send_smtp(message, smtp)
                detail = f"smtp {smtp.host}"
            else:
                detail = str(_write_eml(message, outbox, item))
            status = "sent"
        except (OSError, RuntimeError) as exc:
            status, detail = "failed", str(exc)
            log.error("delivery of %s to %s failed: %s", item.pack, item.recipient, exc)
        conn.execute(
            "insert or replace into delivery.ledger values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                *key,
                _sha256(item.attachment),
                status,
                attempts,
                message["Message-ID"],
                detail,
                datetime.now().replace(microsecond=0),
            ],
        )
        counts["sent" if status == "sent" else "failed"] += 1
    return counts
