"""A pack's mail: rendered beside the PDF from the pack's own context (render.py render_pack),
then sent by delivery with that subject and body, Date, Message-ID and a file name that says
whose pack it is.

The packs' headline rows (packs.py _headline_rows) worked out by hand:

    account      metric               this week    last week    change
    acme-de      revenue              12,000.00 €  15,000.00 €  12000/15000 - 1 = -20.0 %
    (payments)   units                      450          400    450/400 - 1     = +12.5 %
                 contribution_margin   1,800.00 €   2,400.00 €  1800/2400 - 1   = -25.0 %
                 acos                      20.0 %       25.0 %  (not in the mail: margin shown)
    sakura-jp    revenue              ¥1,200,000   ¥1,000,000   +20.0 %
    (no margin)  units                      300          300    0.0 %
                 acos                      25.0 %       20.0 %  0.25 - 0.20 = +5 points
"""

import email
import email.policy
import hashlib
import re
from datetime import date

import duckdb
import pytest

from assets.core.glossary import entries_for
from assets.core.i18n import translations
from assets.core.settings import mail_path
from assets.delivery.assets import pack_mail
from assets.delivery.mailer import (
    Delivery,
    SmtpSettings,
    attachment_name,
    deliver,
    message_id,
)
from assets.reports.packs import SELLER_PACK_METRICS
from assets.reports.render import PackJob, render_pack

WEEK = date(2026, 11, 16)


def row(metric, value, previous, kind="relative"):
    change = value - previous if kind == "points" else value / previous - 1
    return {"metric": metric, "value": value, "previous": previous, "change": change,
            "change_kind": kind, "baseline": None}  # fmt: skip


ACME_DE = [
    row("revenue", 12000.0, 15000.0),
    row("units", 450, 400),
    row("acos", 0.20, 0.25, "points"),
    row("contribution_margin", 1800.0, 2400.0),
]
SAKURA_JP = [
    row("revenue", 1200000.0, 1000000.0),
    row("units", 300, 300),
    row("acos", 0.25, 0.20, "points"),
]


def seller_job(tmp_path, name, currency, language, locale, rows, margin, actions):
    """A seller pack's job with the context its mail reads; the PDF is the base layout alone
    (the sections are tested with the demo packs)."""
    glossary = entries_for(SELLER_PACK_METRICS, language)
    return PackJob(
        template="base.html",
        mail_template="mail/seller.txt",
        locale=locale,
        language=language,
        context={
            "account": {"id": "x", "name": name, "currency": currency},
            "week_start": WEEK,
            "week_end": date(2026, 11, 22),
            "headline_rows": rows,
            "margin": margin,
            "actions": actions,
            "labels": {e["metric"]: e["label"] for e in glossary},
            "units": {e["metric"]: e["unit"] for e in glossary},
        },
        output=tmp_path / f"x.{language}.pdf",
    )


# the first action (rpt_actions): ACoS 40 % against a target of 25 %: 100 × (1 - 0.25 / 0.40)
# = 37.50 spent beyond the target
CAMPAIGN = {"kind": "campaign_over_target", "subject": "SP_Tee", "subject_title": None,
            "spend_amount": 100.0,
            "ad_sales_amount": 250.0, "acos": 0.40, "target_acos": 0.25,
            "amount_at_stake": 37.5}  # fmt: skip


@pytest.mark.parametrize(
    ("language", "locale", "name", "currency", "rows", "margin", "subject", "lines", "action"),
    [
        (
            "de",
            "de_DE",
            "Acme DE",
            "EUR",
            ACME_DE,
            {"contribution_margin_amount": 1800.0},
            "Wöchentlicher Verkäuferbericht · Acme DE · 16.11.2026 · Umsatz -20,0 %",
            [
                "Umsatz: 12.000,00\xa0€ (-20,0\xa0% ggü. Vorwoche)",
                "Bestellte Einheiten: 450 (+12,5\xa0% ggü. Vorwoche)",
                "Deckungsbeitrag: 1.800,00\xa0€ (-25,0\xa0% ggü. Vorwoche)",
            ],
            "38\xa0€ pro Woche gefährdet: Gebote oder Budget der Kampagne SP_Tee senken: "
            "100,00\xa0€ ausgegeben für 250,00\xa0€ Werbeumsatz (ACoS 40,0\xa0%, Ziel 25,0\xa0%); "
            "der Betrag ist die Ausgabe über dem Ziel.",
        ),
        (
            "ja",
            "ja_JP",
            "Sakura Tea Japan",
            "JPY",
            SAKURA_JP,
            None,
            "週次セラーレポート · Sakura Tea Japan · 2026/11/16 · 売上 +20.0%",
            [
                "売上：￥1,200,000（前週比 +20.0%）",
                "注文された商品点数：300（前週比 0.0%）",
                "ACoS：25.0%（前週比 +5 pt）",
            ],
            "週￥38相当：キャンペーンSP_Teeの入札額または予算を下げてください。"
            "広告費￥100に対し広告売上￥250（ACoS 40.0%、目標25.0%）。"
            "金額は目標を超えた広告費です。",
        ),
    ],
)
def test_a_pack_is_mailed_with_its_headline_change_figures_and_first_action(
    tmp_path, smtp_server, language, locale, name, currency, rows, margin, subject, lines, action
):
    job = seller_job(
        tmp_path,
        name,
        currency,
        language,
        locale,
        rows,
        margin,
        [{**CAMPAIGN, "currency_code": currency}],
    )
    pdf = render_pack(job)
    text = mail_path(pdf).read_text("utf-8")
    assert text.splitlines()[0] == subject
    t = translations(language)
    # the week, the three figures (ACoS only without a margin), the first action, the PDF
    assert text.splitlines()[2:] == [
        {
            "de": "Acme DE · Woche vom 16.11.2026 bis 22.11.2026",
            "ja": "Sakura Tea Japan · 2026/11/16 〜 2026/11/22 の週",
        }[language],  # fmt: skip
        "",
        *lines,
        "",
        t["mail_heading"].format(title=t["actions_title"]),
        action,
        "",
        t["mail_attached"],
    ]

    title, body, filename, figures = pack_mail(pdf, "pack_title", name, WEEK, language, locale)
    assert title == subject
    assert body == "\n".join(text.splitlines()[2:]) + "\n"
    assert figures.splitlines() == lines  # what a revised mail quotes before → after

    controller, handler = smtp_server
    settings = SmtpSettings(host="127.0.0.1", port=controller.port, starttls=False)
    item = Delivery(WEEK, "x", "owner@x.example", title, body, pdf, filename)
    assert deliver(duckdb.connect(), [item], tmp_path, settings)["sent"] == 1
    raw = handler.messages[0][1]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == subject
    assert message["Date"].datetime.tzinfo is not None
    sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert message["Message-ID"] == message_id(item, sha, "sellerpulse.invalid")
    (attachment,) = [p for p in message.walk() if p.get_filename()]
    expected_name = {
        "de": "Acme DE - Wöchentlicher Verkäuferbericht - 2026-11-16.pdf",
        "ja": "Sakura Tea Japan - 週次セラーレポート - 2026-11-16.pdf",
    }[language]
    assert attachment.get_filename() == expected_name
    assert attachment.get_payload(decode=True) == pdf.read_bytes()
    # the non-ASCII name is encoded (RFC 2231), never pasted into the header as it is
    assert re.search(rb"filename\*(0\*)?=utf-8''", raw)
    assert expected_name.encode() not in raw
    assert lines[0] in message.get_body(("plain",)).get_content()


def test_a_pack_without_its_mail_text_gets_the_generic_mail(tmp_path):
    # a pack rendered by a version before packs had a mail text beside them
    pdf = tmp_path / "acme-uk.en.pdf"
    pdf.write_bytes(b"%PDF-1.7 old pack")
    subject, body, filename, _ = pack_mail(pdf, "pack_title", "ACME UK", WEEK, "en", "en_GB")
    assert subject == "Weekly seller report · ACME UK · 16/11/2026"
    assert body.startswith("Attached is the Weekly seller report for ACME UK, Week of 16 Nov")
    assert filename == "ACME UK - Weekly seller report - 2026-11-16.pdf"


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("ACME UK", "Weekly seller report", "2026-11-16"),
         "ACME UK - Weekly seller report - 2026-11-16.pdf"),
        # separators, quotes, line breaks and a leading dot go; the letters stay
        (('../Oak & Co: "Tee"\r\nBcc: x', "Bericht", "2026-11-16"),
         "Oak & Co Tee Bcc x - Bericht - 2026-11-16.pdf"),
        (("", "  "), "report.pdf"),
    ],
)  # fmt: skip
def test_attachment_names_are_safe_file_names(parts, expected):
    assert attachment_name(*parts) == expected


def test_an_account_without_figures_this_week_still_gets_its_mail(tmp_path):
    """No business report, no payments, no action: the subject has no change to quote, the
    body no figures, and the action line says there is nothing urgent."""
    job = seller_job(tmp_path, "Oak UK", "GBP", "en", "en_GB", [], None, [])
    render_pack(job)
    subject, _, body = mail_path(job.output).read_text("utf-8").partition("\n\n")
    assert subject == "Weekly seller report · Oak UK · 16 Nov 2026"
    assert "Revenue" not in body and "Nothing urgent this week." in body
