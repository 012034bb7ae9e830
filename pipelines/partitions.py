"""Weekly partitions: one per week starting Monday, the grain of every run."""

import os

from dagster import WeeklyPartitionsDefinition

# The first week a warehouse can hold; set SELLERPULSE_FIRST_WEEK to backfill further back.
FIRST_WEEK = os.environ.get("SELLERPULSE_FIRST_WEEK", "2024-01-01")

weekly_partitions = WeeklyPartitionsDefinition(start_date=FIRST_WEEK, day_offset=1)
