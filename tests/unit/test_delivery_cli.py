"""`sellerpulse deliveries`: list what needs a person, and resolve a delivery in doubt."""

from datetime import date

import duckdb

from assets.delivery.mailer import Delivery, SmtpSettings, deliver
from pipelines.cli import main
from tests.conftest import DropAfterData

WEEK = date(2026, 11, 16)


def statuses(home) -> dict[str, str]:
    with duckdb.connect(str(home.warehouse)) as conn:
        return dict(conn.execute("select recipient, status from delivery.ledger").fetchall())


def test_list_and_resolve_deliveries_in_doubt(home, start_smtp, capsys):
    pack = home.reports / "oak-uk.en.pdf"
    pack.write_bytes(b"%PDF-1.7 test pack")
    handler = DropAfterData()
    server = start_smtp(handler)
    settings = SmtpSettings(
        host="127.0.0.1", port=server.port, starttls=False, timeout=1.0, retry_delay=0.0
    )
    batch = [
        Delivery(WEEK, "oak-uk", r, "Weekly", "body", pack)
        for r in ("owner@oak.example", "ops@oak.example")
    ]
    with duckdb.connect(str(home.warehouse)) as conn:
        assert deliver(conn, batch, home.outbox, settings)["in_doubt"] == 2
    message_id = handler.messages[0][1].split(b"Message-ID: ")[1].split(b"\r\n")[0].decode()

    assert main(["--home", str(home.home), "deliveries", "--in-doubt"]) == 0
    out = capsys.readouterr().out
    assert "2026-11-16  oak-uk  owner@oak.example  in_doubt" in out
    assert message_id in out and "2 deliveries in doubt" in out
    assert "deliveries resolve <week> <pack> <recipient> --sent" in out

    # one arrived (found in the recipient's mailbox), the other did not
    resolve = ["--home", str(home.home), "deliveries", "resolve", "2026-11-16", "oak-uk"]
    assert main([*resolve, "owner@oak.example", "--sent"]) == 0
    assert main([*resolve, "ops@oak.example", "--resend"]) == 0
    assert "sellerpulse run --week 2026-11-16" in capsys.readouterr().out
    assert statuses(home) == {"owner@oak.example": "sent", "ops@oak.example": "queued"}

    handler.misbehaving = False
    with duckdb.connect(str(home.warehouse)) as conn:
        result = deliver(conn, batch, home.outbox, settings)
    assert (result["sent"], result["already_sent"]) == (1, 1)
    # the two lost replies, then only the one resent by decision
    assert [rcpt for rcpt, _ in handler.messages] == [
        ["owner@oak.example"],
        ["ops@oak.example"],
        ["ops@oak.example"],
    ]
    assert statuses(home) == {"owner@oak.example": "sent", "ops@oak.example": "sent"}

    assert main(["--home", str(home.home), "deliveries"]) == 0
    assert "0 deliveries to look at" in capsys.readouterr().out
    assert main(["--home", str(home.home), "deliveries", "--all", "--week", "2026-11-16"]) == 0
    assert "marked sent by hand (was in_doubt" in capsys.readouterr().out


def test_resolve_refuses_what_does_not_apply(home, capsys):
    resolve = ["--home", str(home.home), "deliveries", "resolve", "2026-11-16", "oak-uk"]
    assert main([*resolve, "owner@oak.example", "--sent"]) == 1
    assert "no delivery of oak-uk to owner@oak.example" in capsys.readouterr().err
    pack = home.reports / "oak-uk.en.pdf"
    pack.write_bytes(b"%PDF-1.7 test pack")
    with duckdb.connect(str(home.warehouse)) as conn:
        deliver(
            conn, [Delivery(WEEK, "oak-uk", "owner@oak.example", "W", "b", pack)], home.outbox, None
        )
    assert main([*resolve, "owner@oak.example", "--resend"]) == 1
    assert "already sent" in capsys.readouterr().err
    assert statuses(home) == {"owner@oak.example": "sent"}
