"""Weekly partitions, the grain of every run, and what a run's tags select."""

import os
from datetime import date

import dagster as dg

from assets.core.settings import Accounts

# The first week a warehouse can hold: early enough for the history real exports carry
# (payments and business reports go back years); SELLERPULSE_FIRST_WEEK moves it.
FIRST_WEEK = os.environ.get("SELLERPULSE_FIRST_WEEK", "2015-01-05")

weekly_partitions = dg.WeeklyPartitionsDefinition(start_date=FIRST_WEEK, day_offset=1)

# a run tagged sellerpulse/accounts=<id,...> renders and sends only those accounts' packs
ACCOUNTS_TAG = "sellerpulse/accounts"
# a restatement's run (the inbox sensor's) for the accounts whose exports of a reported week
# changed: it renders their packs and their portfolios' boss packs, and sends those that changed
RESTATED_TAG = "sellerpulse/restated_accounts"
# set on a run that held packs (comma-separated account ids), so the UI's run list shows it
HELD_TAG = "sellerpulse/held_packs"


def partition_week(context: dg.AssetExecutionContext) -> date:
    """The Monday that starts the week this asset runs for."""
    return weekly_partitions.time_window_for_partition_key(context.partition_key).start.date()


def _tagged_ids(context: dg.AssetExecutionContext, tag: str) -> list[str] | None:
    """The comma-separated ids of a run tag; None when the run has no such tag."""
    return [a.strip() for a in context.run.tags.get(tag, "").split(",") if a.strip()] or None


def selected_account_ids(context: dg.AssetExecutionContext) -> list[str] | None:
    """Accounts named by the run tag ``sellerpulse/accounts`` or, in a restatement's run,
    ``sellerpulse/restated_accounts`` (comma-separated), else all (None)."""
    return _tagged_ids(context, ACCOUNTS_TAG) or _tagged_ids(context, RESTATED_TAG)


def boss_portfolio_ids(context: dg.AssetExecutionContext, accounts: Accounts) -> list[str] | None:
    """The portfolios whose boss packs a run makes and sends: in a restatement's run those of
    its accounts, else every one (None). (A run for some accounts, ``sellerpulse/accounts``,
    makes them all and sends none: ``week_deliveries``.)"""
    restated = _tagged_ids(context, RESTATED_TAG)
    if restated is None:
        return None
    return sorted({accounts.get(a).portfolio for a in restated})
