"""Deliver packs by e-mail, exactly once per recipient, recorded in the ledger (ledger.py).

Without SMTP settings each message is written as an ``.eml`` file to the outbox (open it in
any mail client); with ``SELLERPULSE_SMTP_HOST`` set it is sent by SMTP. Exactly once rests
on three things (docs/reliability.md "Delivery"):

- every message of one pack to one recipient carries the same Message-ID, derived from week,
  pack, recipient and the pack's sha256, so a copy sent again is recognisably the same mail;
- the ledger row is committed as ``sending`` before the DATA command: whatever happens after
  it (a lost reply, a killed process) leaves the delivery *in doubt*, listed and resolved by
  a person (``sellerpulse deliveries``), never sent again on a guess;
- retries only where the server provably does not hold the message: it could not be reached,
  it refused before DATA, the connection broke before the end of the message, or it answered
  4xx. A 5xx about the recipient or the message is permanent (``rejected``).
"""

from __future__ import annotations

import hashlib
import logging
import re
import smtplib
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, parseaddr
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from assets.core.resources import ThreadCursors
from assets.core.settings import EMAIL_RULE, email_problem
from assets.delivery import ledger
from assets.delivery.ledger import FAILED, IN_DOUBT, REJECTED, SENDING, SENT

log = logging.getLogger(__name__)

DEFAULT_SENDER = "SellerPulse <reports@sellerpulse.invalid>"
# commands before DATA that concern the server or our settings, not this message: their
# failure is the same for every message of the run
SESSION_STEPS = ("connect", "greeting", "EHLO", "STARTTLS", "AUTH", "MAIL FROM")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# what an attachment's file name may not contain (attachment_name)
_UNSAFE_NAME = re.compile(r"[^\w .,()&+-]")


class HeaderPolicy(EmailPolicy):
    """``email.policy.SMTP`` that also refuses a header value *ending* in CR or LF.

    The standard policies refuse a line break only inside a value (``len(splitlines()) > 1``):
    ``msg["To"] = "owner@acme.example\\n"`` is accepted and writes an empty line, which ends
    the headers there and pushes the rest (Subject, MIME headers) into the body. This policy
    refuses any control character in a value set through the header API."""

    def header_store_parse(self, name, value):
        if isinstance(value, str) and _CONTROL.search(value):
            raise ValueError(f"{name} header: control character in {value!r}")
        return super().header_store_parse(name, value)


# CRLF on the wire; 7bit so that a non-ASCII body is quoted-printable or base64, which any
# server takes without 8BITMIME
POLICY = HeaderPolicy(linesep="\r\n", cte_type="7bit")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    user: str = ""
    password: str = ""
    starttls: bool = True
    sender: str = DEFAULT_SENDER
    timeout: float = 30.0  # seconds for connect and for each reply
    attempts: int = 3  # tries per message in one run, only where the server did not accept
    retry_delay: float = 2.0  # seconds before the second try, doubled for each further one
    # messages sent at a time, each in a session of its own: most of a message's time is
    # waiting (for the server, for the ledger's commit), and over a real network far more so
    sessions: int = 4


@dataclass(frozen=True)
class Delivery:
    """One pack for one recipient."""

    week_start: date
    pack: str  # e.g. "acme-uk" or "portfolio-eu"
    recipient: str
    subject: str
    body: str
    attachment: Path
    # the attachment's name in the mail (attachment_name); the file's own name when empty
    filename: str = ""
    # the pack's headline figures, one per line (the mail body's second paragraph): recorded
    # when it is sent, quoted before → after when a changed pack is sent again
    figures: str = ""
    revision: int = 0  # 0: the pack as first sent; n: its n-th revised version
    previous_figures: str | None = None  # what the recipient got last, for a revision

    @property
    def key(self) -> ledger.Key:
        return (self.week_start, self.pack, self.recipient)


@dataclass(frozen=True)
class _Outcome:
    status: str
    detail: str
    retry: bool = False  # worth another try in this run
    session: bool = False  # about the server or the settings: the same for every message


def parse_sender(text: str) -> Address:
    """The From address (``SELLERPULSE_MAIL_FROM``), e.g. ``SellerPulse <reports@x.example>``."""
    name, address = parseaddr(text)
    problem = email_problem(address) or (
        "it contains a control character" if _CONTROL.search(text) else None
    )
    if problem:
        raise ValueError(
            f"mail sender {text!r} (SELLERPULSE_MAIL_FROM): not an address, {problem}; write "
            f"'Name <address>' with {EMAIL_RULE}"
        )
    return Address(display_name=name, addr_spec=address)


def attachment_name(*parts: str) -> str:
    """A PDF's file name from its parts, e.g. "ACME UK - Weekly seller report - 2026-11-16.pdf".
    Letters and digits of any script, spaces and ``_.,()&+-`` only: no path separator, quote,
    colon or control character that a mail client or file system could trip on; ASCII where
    the parts are. A non-ASCII name is encoded by the email library (RFC 2231), never pasted
    into the header."""
    words = (
        " ".join(_UNSAFE_NAME.sub(" ", unicodedata.normalize("NFC", p)).split()) for p in parts
    )
    name = " - ".join(w for w in words if w).strip(" .")
    return f"{name[:120].rstrip(' .') or 'report'}.pdf"


def message_id(item: Delivery, pack_sha256: str, domain: str) -> str:
    """The same for every message of this pack (these bytes) to this recipient that week."""
    digest = hashlib.sha256(
        "\n".join([item.week_start.isoformat(), item.pack, item.recipient, pack_sha256]).encode()
    ).hexdigest()[:24]
    # short enough to stay on one header line (easier to grep for in a mail server's log)
    return f"<{item.week_start:%Y%m%d}.{digest}@{domain}>"


def build_message(
    item: Delivery, sender: str | Address, pack_sha256: str | None = None
) -> EmailMessage:
    """Headers through the standard library's header API only, never pasted as text; a
    recipient that is not one plain address, or a header value with a control character,
    raises ValueError."""
    problem = email_problem(item.recipient)
    if problem:
        raise ValueError(f"recipient {item.recipient!r} is not an e-mail address: {problem}")
    from_ = sender if isinstance(sender, Address) else parse_sender(sender)
    content = item.attachment.read_bytes()
    sha = pack_sha256 or hashlib.sha256(content).hexdigest()
    message = EmailMessage(policy=POLICY)
    message["From"] = from_
    message["To"] = Address(addr_spec=item.recipient)
    # a line break in an account name must not start a new header: one line of text
    message["Subject"] = " ".join(_CONTROL.sub(" ", item.subject).split())
    message["Date"] = format_datetime(datetime.now().astimezone())
    message["Message-ID"] = message_id(item, sha, from_.domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to this
    message.set_content(item.body)
    message.add_attachment(
        content,
        maintype="application",
        subtype="pdf",
        filename=item.filename or item.attachment.name,
    )
    return message


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _wire(message: EmailMessage) -> bytes:
    """The DATA payload: CRLF lines, a leading dot doubled, ended by CRLF.CRLF."""
    data = (b"\n" + message.as_bytes()).replace(b"\n.", b"\n..")[1:]
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return " ".join(text.split())


def _refused(server: str, step: str, code: int, reply: bytes | str) -> _Outcome:
    """The server's answer to a command before or at DATA, or to the end of DATA: not 2xx,
    so it does not hold the message."""
    answer = f"{server} answered {code} {_text(reply)} to {step}"
    session = step in SESSION_STEPS
    if 400 <= code < 500:
        return _Outcome(FAILED, f"{answer}: not accepted (temporary)", retry=True, session=session)
    if 500 <= code < 600 and not session:
        return _Outcome(REJECTED, f"{answer}: refused for good; not sent again")
    if 500 <= code < 600:
        return _Outcome(
            FAILED,
            f"{answer}: check the SMTP settings and the sender (SELLERPULSE_SMTP_*, "
            "SELLERPULSE_MAIL_FROM); tried again next run",
            session=True,
        )
    return _Outcome(FAILED, f"{answer}: unexpected, not accepted", retry=True, session=session)


def _transaction(
    client: smtplib.SMTP,
    payload: bytes,
    sender: str,
    recipient: str,
    settings: SmtpSettings,
    mark: Callable[[str, str], None],
) -> _Outcome:
    """One SMTP transaction for one recipient, up to the server's answer to the message."""
    server = f"{settings.host}:{settings.port}"
    step = "connect"
    try:
        code, reply = client.connect(settings.host, settings.port)
        if code != 220:
            return _refused(server, "greeting", code, reply)
        step = "EHLO"
        client.ehlo_or_helo_if_needed()
        if settings.starttls:
            step = "STARTTLS"
            client.starttls()
            client.ehlo()
        if settings.user:
            step = "AUTH"
            client.login(settings.user, settings.password)
        step = "MAIL FROM"
        code, reply = client.mail(sender)
        if code != 250:
            return _refused(server, step, code, reply)
        step = "RCPT TO"
        code, reply = client.rcpt(recipient)
        if code not in (250, 251):
            return _refused(server, step, code, reply)
    except smtplib.SMTPResponseException as exc:
        return _refused(server, step, exc.smtp_code, exc.smtp_error)
    except smtplib.SMTPNotSupportedError as exc:
        return _Outcome(FAILED, f"{server}: {step} not supported: {exc}", session=True)
    except (OSError, smtplib.SMTPException) as exc:
        return _Outcome(
            FAILED,
            f"{server}: {step} failed, not accepted: {exc or type(exc).__name__}",
            retry=True,
            session=step in SESSION_STEPS,
        )

    # From here on the server may end up holding the message: say so before asking.
    mark(SENDING, f"{server}: DATA started")
    try:
        client.putcmd("data")
        code, reply = client.getreply()
    except (OSError, smtplib.SMTPException) as exc:
        # nothing of the message went out yet
        return _Outcome(FAILED, f"{server}: no answer to DATA, not accepted: {exc}", retry=True)
    if code != 354:
        return _refused(server, "DATA", code, reply)
    try:
        client.send(payload)
    except (OSError, smtplib.SMTPException) as exc:
        # sendall failed, so the final CRLF.CRLF did not go out: no server accepts a message
        # without it
        return _Outcome(
            FAILED,
            f"{server}: connection lost before the end of the message, not accepted: {exc}",
            retry=True,
        )
    try:
        code, reply = client.getreply()
    except (OSError, smtplib.SMTPException) as exc:
        return _Outcome(
            IN_DOUBT,
            f"{server}: the whole message went out but no reply came ({exc or type(exc).__name__})"
            "; the server may have accepted it",
        )
    if 200 <= code < 300:
        return _Outcome(SENT, f"{server} accepted: {code} {_text(reply)}")
    if 400 <= code < 600:
        return _refused(server, "the end of DATA", code, reply)
    return _Outcome(IN_DOUBT, f"{server}: unexpected reply {code} {_text(reply)} to the message")


def _quit(client: smtplib.SMTP, timeout: float) -> None:
    """Say goodbye without letting a slow or broken goodbye change the outcome: after 250 the
    message is sent whatever QUIT does."""
    try:
        if client.sock is not None:
            client.sock.settimeout(min(timeout, 5.0))
            client.quit()
    except (OSError, smtplib.SMTPException):
        pass
    finally:
        client.close()


@cache
def _ehlo_name() -> str:
    """The name this machine gives in EHLO, as smtplib finds it: looked up once a run, not
    once a connection (a DNS query each time)."""
    return smtplib.SMTP().local_hostname


def _attempt(
    payload: bytes,
    sender: str,
    recipient: str,
    settings: SmtpSettings,
    mark: Callable[[str, str], None],
) -> _Outcome:
    client = smtplib.SMTP(timeout=settings.timeout, local_hostname=_ehlo_name())
    try:
        outcome = _transaction(client, payload, sender, recipient, settings, mark)
        mark(outcome.status, outcome.detail)  # committed before QUIT
        return outcome
    finally:
        _quit(client, settings.timeout)


def _send_smtp(
    conn: duckdb.DuckDBPyConnection,
    item: Delivery,
    message: EmailMessage,
    sha: str,
    attempts: int,
    settings: SmtpSettings,
    logger: Any,
) -> _Outcome:
    """Up to ``settings.attempts`` transactions, another one only after a provable refusal."""
    payload = _wire(message)
    sender = parseaddr(str(message["From"]))[1]
    tries = 0

    def mark(status: str, detail: str) -> None:
        ledger.record(
            conn,
            item.key,
            pack_sha256=sha,
            status=status,
            attempts=attempts + tries,
            message_id=str(message["Message-ID"]),
            detail=detail,
            **_version(item, status),
        )

    while True:
        tries += 1
        outcome = _attempt(payload, sender, item.recipient, settings, mark)
        if outcome.status != FAILED or not outcome.retry or tries >= settings.attempts:
            return outcome
        logger.warning(
            f"{item.pack} to {item.recipient}: try {tries}/{settings.attempts}: {outcome.detail}"
        )
        time.sleep(min(settings.retry_delay * 2 ** (tries - 1), 30.0))


def _version(item: Delivery, status: str) -> dict:
    """The ledger's revision and figures for an outcome: the figures are those the recipient
    has, this version's once it is sent, the last sent version's until then."""
    figures = item.figures if status == SENT else item.previous_figures
    return {"revision": item.revision, "figures": figures}


def _outbox_path(outbox: Path, item: Delivery) -> Path:
    recipient = hashlib.sha256(item.recipient.encode()).hexdigest()[:12]
    version = f"--r{item.revision}" if item.revision else ""
    name = f"{item.pack}--{recipient}{version}.eml"
    target = (outbox / item.week_start.isoformat() / name).resolve()
    if not target.is_relative_to(outbox.resolve()):
        raise ValueError(f"pack {item.pack!r} would be written outside {outbox}")
    return target


def _write_eml(message: EmailMessage, outbox: Path, item: Delivery) -> _Outcome:
    """The outbox's exactly once: the final name appears whole (written under a temporary
    name, then renamed), and a final name that exists means delivered."""
    target = _outbox_path(outbox, item)
    if target.exists():
        return _Outcome(SENT, f"{target} (already in the outbox)")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    tmp.write_bytes(message.as_bytes())
    tmp.replace(target)
    return _Outcome(SENT, str(target))


# what deliver does with one item, as `sellerpulse send --dry-run` lists it
SEND, REVISE, ALREADY_SENT = "send", "revise", "already sent"

Reviser = Callable[[Delivery, ledger.Row], Delivery]


def plan(
    row: ledger.Row | None, item: Delivery, sha: str | None, revise: Reviser | None = None
) -> tuple[str, Delivery]:
    """What the next delivery of ``item`` does, given its ledger row and the pack's sha256
    (None when the pack cannot be read), and the item it sends: send it (new, or tried
    again), send a revised version (the pack changed since it was sent: ``revise`` words the
    mail; without it a sent pack is never sent again), or nothing (already sent, in doubt,
    refused: the ledger's status)."""
    if row is None:
        return SEND, item
    if row.status == SENT:
        if revise is None or sha is None or row.pack_sha256 == sha:
            return ALREADY_SENT, item
        return REVISE, replace(revise(item, row), revision=row.revision + 1)
    if row.status in ledger.TO_SEND and row.revision:  # a revision that did not go out yet
        return REVISE, replace(revise(item, row), revision=row.revision) if revise else item
    if row.status in ledger.TO_SEND:
        return SEND, item
    return row.status, item


def pack_sha256(path: Path) -> str | None:
    """The pack's sha256, None when it cannot be read (its delivery then fails, recorded)."""
    try:
        return _sha256(path)
    except OSError:
        return None


def deliver(
    conn: duckdb.DuckDBPyConnection,
    items: list[Delivery],
    outbox: Path,
    smtp: SmtpSettings | None,
    logger: Any = log,
    revise: Reviser | None = None,
) -> dict[str, int]:
    """Send what the ledger has not sent, and a revised version of a sent pack that changed
    since (``revise`` words its mail; a pack that did not change is never sent again); returns
    how many were sent now (of them revised), already sent before, failed (tried again next
    run), rejected (5xx, not again) and in doubt (the server may have them:
    ``sellerpulse deliveries --in-doubt``). ``logger`` is a ``logging.Logger`` or Dagster's
    ``context.log``.

    Over SMTP, ``smtp.sessions`` messages are sent at a time, each in its own session and on
    its own cursor of ``conn`` (one message's ledger rows are written in the order it is sent,
    whatever the others do). The first message goes alone: a server that is down fails it,
    and the others are not tried against it. Log lines come in the order of ``items``."""
    ledger.ensure(conn)
    run = _Run(outbox, smtp, parse_sender(smtp.sender if smtp else DEFAULT_SENDER), revise)
    counts = {SENT: 0, "revised": 0, "already_sent": 0, FAILED: 0, REJECTED: 0, IN_DOUBT: 0}

    def tally(result: tuple[str, bool, list[tuple[str, str]]]) -> None:
        status, revised, lines = result
        counts[status] += 1
        counts["revised"] += revised
        for level, line in lines:
            getattr(logger, level)(line)

    sessions = smtp.sessions if smtp else 1
    alone, together = (items, []) if sessions <= 1 else (items[:1], items[1:])
    for item in alone:
        tally(run.one(conn, item))
    if not together:
        return counts
    with (
        ThreadCursors(conn) as cursors,
        ThreadPoolExecutor(min(sessions, len(together)), thread_name_prefix="smtp") as pool,
    ):
        for result in pool.map(lambda item: run.one(cursors.get(), item), together):
            tally(result)
    return counts


@dataclass
class _Run:
    """One delivery run: what each message needs, and the first session failure, after which
    no message is tried against that server."""

    outbox: Path
    smtp: SmtpSettings | None
    sender: Address
    revise: Reviser | None
    session_failure: str | None = None

    def one(
        self, conn: duckdb.DuckDBPyConnection, item: Delivery
    ) -> tuple[str, bool, list[tuple[str, str]]]:
        """Deliver ``item`` (or not: already sent, in doubt, refused), recorded in the ledger;
        returns its status, whether it went out revised, and its log lines as (level, text)."""
        lines = _Lines()
        what = f"{item.pack} to {item.recipient} (week {item.week_start})"
        row = ledger.get(conn, item.key)
        if row and row.status == SENDING:
            row = ledger.mark_interrupted(conn, row)
        if row and row.status in (IN_DOUBT, REJECTED):
            lines.warning(f"{what}: {row.status.replace('_', ' ')}, not sent again: {row.detail}")
            return row.status, False, lines
        sha = pack_sha256(item.attachment)
        action, item = plan(row, item, sha, self.revise)
        if action == ALREADY_SENT:
            return "already_sent", False, lines
        attempts = row.attempts if row and row.status != SENT else 0
        message_id, recorded = None, False
        try:
            sha = sha or _sha256(item.attachment)  # unreadable: raises, recorded as failed
            message = build_message(item, self.sender, sha)
            message_id = str(message["Message-ID"])
            if self.smtp is None:
                attempts += 1
                outcome = _write_eml(message, self.outbox, item)
            elif self.session_failure:
                earlier = self.session_failure
                outcome = _Outcome(FAILED, f"not tried: earlier in this run, {earlier}")
            else:
                # records each outcome itself, the moment it is known
                outcome = _send_smtp(conn, item, message, sha, attempts, self.smtp, lines)
                recorded = True
                if outcome.session and outcome.status == FAILED:
                    self.session_failure = outcome.detail
        except Exception as exc:  # one broken delivery must not stop the others
            current = ledger.get(conn, item.key)
            if current and current.status == SENDING:  # it may be at the server
                current = ledger.mark_interrupted(conn, current)
                outcome, recorded = _Outcome(IN_DOUBT, f"{current.detail}: {exc!r}"), True
            else:
                outcome = _Outcome(FAILED, f"not sent: {type(exc).__name__}: {exc}")
        if not recorded:
            ledger.record(
                conn,
                item.key,
                pack_sha256=sha or "",
                status=outcome.status,
                attempts=attempts,
                message_id=message_id,
                detail=outcome.detail,
                **_version(item, outcome.status),
            )
        if outcome.status != SENT:
            lines.error(f"{what}: {outcome.status.replace('_', ' ')}: {outcome.detail}")
        return outcome.status, outcome.status == SENT and bool(item.revision), lines


class _Lines(list):
    """Log lines kept as (level, text) for the caller to write in the order of the items:
    Dagster's log is written from the step's own thread."""

    def warning(self, text: str) -> None:
        self.append(("warning", text))

    def error(self, text: str) -> None:
        self.append(("error", text))
