"""Delivery of the week's packs as a Dagster asset (after the packs, once per recipient)."""

from datetime import date, timedelta
from pathlib import Path

import dagster as dg
from babel.dates import format_date
from dagster_duckdb import DuckDBResource

from assets.core.check_results import holds
from assets.core.i18n import translations
from assets.core.partitions import partition_week, selected_account_ids, weekly_partitions
from assets.core.resources import WAREHOUSE_POOL, SellerPulseHome, SmtpResource
from assets.core.settings import mail_path, pack_path, portfolio_pack_path
from assets.delivery.mailer import Delivery, SmtpSettings, attachment_name, deliver


@dg.asset(
    pool=WAREHOUSE_POOL,
    key=["delivery", "pack_emails"],
    deps=[dg.AssetKey(["packs", "seller_packs"]), dg.AssetKey(["packs", "portfolio_packs"])],
    partitions_def=weekly_partitions,
    kinds={"email"},
    group_name="delivery",
)
def pack_emails(
    context: dg.AssetExecutionContext,
    warehouse: DuckDBResource,
    sellerpulse: SellerPulseHome,
    smtp: SmtpResource,
) -> dg.MaterializeResult:
    """Each seller pack e-mailed to its account's recipients and each portfolio pack to its
    bosses, recorded in delivery.ledger (grain: week × pack × recipient).

    Without SMTP settings the messages land as .eml files in the outbox. Re-running sends
    nothing twice: a send the server provably did not take is retried on the next run, a 5xx
    refusal is not, and a send whose reply was lost is *in doubt* until a person resolves it
    (`sellerpulse deliveries --in-doubt`). One failing delivery never stops the others."""
    week = partition_week(context)
    paths = sellerpulse.paths
    with warehouse.get_connection() as conn:
        held = holds(conn, week.isoformat())
    items = []
    for account in sellerpulse.accounts().selected(selected_account_ids(context)):
        if account.id in held:
            context.log.warning(f"{account.id}: not sent, pack held: {'; '.join(held[account.id])}")
            continue
        pdf = pack_path(paths.reports, week, account.id, account.language)
        if not pdf.exists():
            context.log.warning(f"{account.id}: no pack at {pdf}; nothing to send")
            continue
        title = "vendor_pack_title" if account.is_vendor else "pack_title"
        subject, body, filename = pack_mail(
            pdf, title, account.name, week, account.language, account.locale
        )
        items.extend(
            Delivery(week, account.id, recipient, subject, body, pdf, filename)
            for recipient in account.recipients
        )
    if not selected_account_ids(context):  # a run for some accounts does not mail bosses
        for portfolio in sellerpulse.accounts().portfolios.values():
            pdf = portfolio_pack_path(paths.reports, week, portfolio.id)
            if pdf.exists():
                subject, body, filename = pack_mail(
                    pdf,
                    "portfolio_title",
                    portfolio.name,
                    week,
                    portfolio.language,
                    portfolio.locale,
                )
                items.extend(
                    Delivery(week, f"portfolio-{portfolio.id}", boss, subject, body, pdf, filename)
                    for boss in portfolio.bosses
                )
    with warehouse.get_connection() as conn:
        counts = deliver(conn, items, paths.outbox, _smtp_settings(smtp), context.log)
    if counts["failed"]:
        context.log.error(f"{counts['failed']} deliveries failed; they are tried again next run")
    if counts["rejected"]:
        context.log.error(
            f"{counts['rejected']} deliveries refused by the mail server (5xx), not sent again; "
            "see `sellerpulse deliveries`"
        )
    if counts["in_doubt"]:
        context.log.warning(
            f"{counts['in_doubt']} deliveries in doubt (the server may have them): list them "
            "with `sellerpulse deliveries --in-doubt`, then `sellerpulse deliveries resolve "
            "<week> <pack> <recipient> --sent|--resend`"
        )
    return dg.MaterializeResult(metadata={**counts, "held": len(held), "outbox": str(paths.outbox)})


def pack_mail(
    pdf: Path, title_key: str, name: str, week: date, language: str, locale: str
) -> tuple[str, str, str]:
    """Subject, body and attachment file name of a pack's mail. Subject and body are the mail
    text rendered beside the pack from its own context (settings.py ``mail_path``: the subject,
    a blank line, the body); a pack rendered before packs had one gets ``_mail_text``. The
    file name says whose pack it is, what and which week, e.g. "ACME UK - Weekly seller
    report - 2026-11-16.pdf"."""
    title = translations(language)[title_key]
    text = mail_path(pdf)
    if text.exists():
        subject, _, body = text.read_text("utf-8").partition("\n\n")
    else:
        subject, body = _mail_text(title_key, name, week, language, locale)
    return subject.strip(), body, attachment_name(name, title, week.isoformat())


def _mail_text(
    title_key: str, name: str, week: date, language: str, locale: str
) -> tuple[str, str]:
    """Subject and body in the pack's language, the week's dates as its locale writes them
    (the mail of a pack rendered without its mail text)."""
    t = translations(language)
    title = t[title_key]
    days = t["week_of"].format(
        start=format_date(week, "medium", locale=locale),
        end=format_date(week + timedelta(days=6), "medium", locale=locale),
    )
    subject = f"{title} · {name} · {format_date(week, 'short', locale=locale)}"
    return subject, t["mail_body"].format(title=title, name=name, week=days) + "\n"


def _smtp_settings(smtp: SmtpResource) -> SmtpSettings | None:
    """The mailer's settings (plain, no Dagster) from the resource; None for the outbox."""
    return SmtpSettings(**smtp.model_dump()) if smtp.host else None
