"""Delivery of the week's packs as a Dagster asset (after the packs, once per recipient)."""

from datetime import timedelta

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.checks.results import holds
from assets.delivery.mailer import Delivery, SmtpSettings, deliver
from assets.reports.assets import selected_account_ids
from assets.reports.packs import portfolio_pack_path
from assets.reports.render import pack_path, translations
from pipelines.partitions import weekly_partitions
from pipelines.resources import SellerPulseHome


@dg.asset(
    key=["delivery", "pack_emails"],
    deps=[dg.AssetKey(["packs", "seller_packs"]), dg.AssetKey(["packs", "portfolio_packs"])],
    partitions_def=weekly_partitions,
    kinds={"email"},
    group_name="delivery",
)
def pack_emails(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, sellerpulse: SellerPulseHome
) -> dg.MaterializeResult:
    """Each seller pack e-mailed to its account's recipients and each portfolio pack to its
    bosses, recorded in delivery.ledger.

    Without SMTP settings the messages land as .eml files in the outbox. Re-running sends
    nothing twice; failed sends are retried on the next run."""
    week = weekly_partitions.time_window_for_partition_key(context.partition_key).start.date()
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
        title = translations(account.language)["pack_title"]
        for recipient in account.recipients:
            items.append(
                Delivery(
                    week_start=week,
                    pack=account.id,
                    recipient=recipient,
                    subject=f"{title} · {account.name} · {week:%Y-%m-%d}",
                    body=f"{title}: {account.name}, {week} – {week + timedelta(days=6)}.\n",
                    attachment=pdf,
                )
            )
    if not selected_account_ids(context):  # a run for some accounts does not mail bosses
        title = translations("en")["portfolio_title"]
        for portfolio in sellerpulse.accounts().portfolios.values():
            pdf = portfolio_pack_path(paths.reports, week, portfolio.id)
            if pdf.exists():
                items.extend(
                    Delivery(
                        week,
                        f"portfolio-{portfolio.id}",
                        boss,
                        f"{title} · {portfolio.name} · {week:%Y-%m-%d}",
                        f"{title}: {portfolio.name}, {week} – {week + timedelta(days=6)}.\n",
                        pdf,
                    )
                    for boss in portfolio.bosses
                )
    with warehouse.get_connection() as conn:
        counts = deliver(conn, items, paths.outbox, SmtpSettings.from_env())
    if counts["failed"]:
        context.log.error(f"{counts['failed']} deliveries failed; they are retried next run")
    return dg.MaterializeResult(metadata={**counts, "held": len(held), "outbox": str(paths.outbox)})
