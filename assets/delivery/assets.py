"""Delivery of the week's packs as a Dagster asset (after the packs, once per recipient)."""

import logging
from dataclasses import replace
from datetime import date, timedelta
from itertools import zip_longest
from pathlib import Path
from typing import Any

import dagster as dg
from babel.dates import format_date
from dagster_duckdb import DuckDBResource

from assets.core.check_results import holds
from assets.core.i18n import translations
from assets.core.partitions import (
    boss_portfolio_ids,
    partition_week,
    selected_account_ids,
    weekly_partitions,
)
from assets.core.resources import WAREHOUSE_POOL, SellerPulseHome, SmtpResource
from assets.core.settings import Accounts, Paths, mail_path, pack_path, portfolio_pack_path
from assets.delivery import ledger
from assets.delivery.mailer import Delivery, Reviser, SmtpSettings, attachment_name, deliver


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

    A pack that changed since it was sent (a restated export, a hold released) goes out again
    marked revised, saying which headline figures changed. Without SMTP settings the messages
    land as .eml files in the outbox. Re-running sends
    nothing twice: a send the server provably did not take is retried on the next run, a 5xx
    refusal is not, and a send whose reply was lost is *in doubt* until a person resolves it
    (`sellerpulse deliveries --in-doubt`). One failing delivery never stops the others."""
    week = partition_week(context)
    paths = sellerpulse.paths
    with warehouse.get_connection() as conn:
        held = holds(conn, week.isoformat())
    accounts = sellerpulse.accounts()
    items, revise = week_deliveries(
        paths,
        accounts,
        week,
        held,
        selected_account_ids(context),
        context.log,
        boss_portfolio_ids(context, accounts),
    )
    with warehouse.get_connection() as conn:
        counts = deliver(conn, items, paths.outbox, _smtp_settings(smtp), context.log, revise)
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


def week_deliveries(
    paths: Paths,
    accounts: Accounts,
    week: date,
    held: dict[str, list[str]],
    selected: list[str] | None = None,
    log: Any = None,
    portfolio_ids: list[str] | None = None,
) -> tuple[list[Delivery], Reviser]:
    """The week's deliveries, each pack to each of its recipients (held packs and packs not
    rendered left out, with a warning), and how a revised version of each is worded (in its
    pack's language). The boss packs go for ``portfolio_ids`` (a restatement's run names its
    accounts' portfolios), else for every portfolio, except in a run for some accounts
    (``selected`` without ``portfolio_ids``: an analyst's, before the week may be complete)."""
    log = log or logging.getLogger(__name__)
    items: list[Delivery] = []
    languages: dict[str, tuple[str, str]] = {}
    for account in accounts.selected(selected):
        if account.id in held:
            log.warning(f"{account.id}: not sent, pack held: {'; '.join(held[account.id])}")
            continue
        pdf = pack_path(paths.reports, week, account.id, account.language)
        if not pdf.exists():
            log.warning(f"{account.id}: no pack at {pdf}; nothing to send")
            continue
        title = "vendor_pack_title" if account.is_vendor else "pack_title"
        mail = pack_mail(pdf, title, account.name, week, account.language, account.locale)
        items += [
            Delivery(week, account.id, r, *mail[:2], pdf, *mail[2:]) for r in account.recipients
        ]
        languages[account.id] = (account.language, account.locale)
    if portfolio_ids is not None:
        bosses = [accounts.portfolios[p] for p in portfolio_ids]
    else:
        bosses = [] if selected else list(accounts.portfolios.values())
    for portfolio in bosses:
        pdf = portfolio_pack_path(paths.reports, week, portfolio.id)
        if not pdf.exists():
            continue
        pack = f"portfolio-{portfolio.id}"
        mail = pack_mail(
            pdf, "portfolio_title", portfolio.name, week, portfolio.language, portfolio.locale
        )
        items += [
            Delivery(week, pack, boss, *mail[:2], pdf, *mail[2:]) for boss in portfolio.bosses
        ]
        languages[pack] = (portfolio.language, portfolio.locale)
    return items, lambda item, row: revised(item, row, *languages[item.pack])


def revised(item: Delivery, row: ledger.Row, language: str, locale: str) -> Delivery:
    """The mail of a pack sent again because it changed: the subject marked revised; the body
    says when the earlier version went out and which headline figures changed, before → after
    (a changed table or chart with the same figures is said as such), then the usual body."""
    t = translations(language)
    before = (row.figures or "").splitlines()
    after = item.figures.splitlines()
    changed = [
        f"{t['mail_revised_before']} {old}\n{t['mail_revised_now']} {new}"
        for old, new in zip_longest(before, after, fillvalue="–")
        if old != new
    ]
    sent = format_date(row.updated_at.date(), "medium", locale=locale)
    body = "\n\n".join(
        [
            t["mail_revised_intro"].format(date=sent),
            "\n".join(changed) if changed else t["mail_revised_same_figures"],
            item.body,
        ]
    )
    subject = t["mail_revised_subject"].format(subject=item.subject)
    return replace(item, subject=subject, body=body, previous_figures=row.figures)


def pack_mail(
    pdf: Path, title_key: str, name: str, week: date, language: str, locale: str
) -> tuple[str, str, str, str]:
    """Subject, body and attachment file name of a pack's mail. Subject and body are the mail
    text rendered beside the pack from its own context (settings.py ``mail_path``: the subject,
    a blank line, the body); a pack rendered before packs had one gets ``_mail_text``. The
    file name says whose pack it is, what and which week, e.g. "ACME UK - Weekly seller
    report - 2026-11-16.pdf". The figures are the body's second paragraph, the headline figures
    one per line (report_templates/mail/)."""
    title = translations(language)[title_key]
    text = mail_path(pdf)
    if text.exists():
        subject, _, body = text.read_text("utf-8").partition("\n\n")
    else:
        subject, body = _mail_text(title_key, name, week, language, locale)
    paragraphs = body.strip().split("\n\n")
    figures = paragraphs[1] if len(paragraphs) > 2 else ""
    return subject.strip(), body, attachment_name(name, title, week.isoformat()), figures


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
