"""Weekly partitions, the grain of every run, and what a run's tags select."""

import os
from datetime import date

import dagster as dg

# The first week a warehouse can hold: early enough for the history real exports carry
# (payments and business reports go back years); SELLERPULSE_FIRST_WEEK moves it.
FIRST_WEEK = os.environ.get("SELLERPULSE_FIRST_WEEK", "2015-01-05")

weekly_partitions = dg.WeeklyPartitionsDefinition(start_date=FIRST_WEEK, day_offset=1)

# a run tagged sellerpulse/accounts=<id,...> renders and sends only those accounts' packs
ACCOUNTS_TAG = "sellerpulse/accounts"
# set on a run that held packs (comma-separated account ids), so the UI's run list shows it
HELD_TAG = "sellerpulse/held_packs"


def partition_week(context: dg.AssetExecutionContext) -> date:
    """The Monday that starts the week this asset runs for."""
    return weekly_partitions.time_window_for_partition_key(context.partition_key).start.date()


def selected_account_ids(context: dg.AssetExecutionContext) -> list[str] | None:
    """Accounts named by the run tag ``sellerpulse/accounts`` (comma-separated), else all."""
    tag = context.run.tags.get(ACCOUNTS_TAG, "").strip()
    return [a.strip() for a in tag.split(",") if a.strip()] or None
