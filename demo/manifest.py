"""What a demo run is asked for (``DemoScale``) and what it hands back (``DemoManifest``, with
the truth of every business-report row in ``BusinessRows``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np

from demo.catalogue import Catalog
from demo.simulate import SecondSkus

DEMO_LAST_WEEK: date = date(2026, 11, 16)  # a Monday; weeks start Monday


@dataclass(frozen=True)
class DemoScale:
    """How much demo data to write; the defaults are what ``make demo`` shows."""

    accounts: int = 6
    asins: int = 12  # child ASINs per account
    weeks: int = 16
    seed: int = 7


@dataclass
class RowBlock:
    """Compact truth of one account's business reports (weeks × ASINs arrays)."""

    catalog: Catalog
    decimals: int
    order: np.ndarray
    sessions: np.ndarray
    page_views: np.ndarray
    buy_box_bps: np.ndarray
    units: np.ndarray
    order_items: np.ndarray
    revenue: np.ndarray
    second: SecondSkus  # the ASINs sold under a second SKU, and that SKU's part of their sales

    def rows(self, w: int) -> list[dict]:
        c, second = self.catalog, self.second
        split = {i: j for j, i in enumerate(second.index)}
        out = []
        for i in self.order[w].tolist():
            units, items = int(self.units[w, i]), int(self.order_items[w, i])
            skus = [(c.sku[i], units, items, int(self.revenue[w, i]))]
            j = split.get(i)
            if j is not None:  # the second SKU's part, and the rest on the ASIN's own SKU
                part = [
                    int(second.units[w, j]),
                    int(second.order_items[w, j]),
                    int(second.revenue[w, j]),
                ]
                own = [total - p for total, p in zip(skus[0][1:], part, strict=True)]
                skus = [(c.sku[i], *own), (second.sku[j], *part)]
            for sku, sku_units, sku_items, minor in skus:
                out.append(
                    {
                        "parent_asin": c.parent[i],
                        "child_asin": c.child[i],
                        "sku": sku,
                        "title": c.title[i],
                        "sessions": int(self.sessions[w, i]),
                        "page_views": int(self.page_views[w, i]),
                        "buy_box_pct": int(self.buy_box_bps[w, i]) / 10000,
                        "units": sku_units,
                        "order_items": sku_items,
                        "revenue": self._money(minor),
                    }
                )
        return out

    def _money(self, minor: int) -> Decimal:
        if self.decimals:
            whole, cents = divmod(minor, 100)
            return Decimal(f"{whole}.{cents:02d}")
        return Decimal(minor)


class BusinessRows(Mapping):
    """Truth of every business-report row written, keyed by (account_id, week_start).

    A read-only mapping that builds each week's list of dicts when asked: at benchmark scale
    (millions of rows) a dict per row held in memory would cost gigabytes. Each access
    returns a fresh list in file order with keys parent_asin, child_asin, sku, title,
    sessions, page_views, buy_box_pct (fraction 0..1 as written), units, order_items and
    revenue (Decimal in the account's currency, as written).

    One row per SKU: an ASIN sold under two SKUs has two rows, which repeat its traffic
    (sessions, page_views, buy_box_pct) and split its units, order_items and revenue, so a
    total over rows counts traffic once per (parent_asin, child_asin) and sums the rest."""

    def __init__(self, weeks: list[date]) -> None:
        self._weeks = list(weeks)
        self._week_index = {w: i for i, w in enumerate(self._weeks)}
        self._blocks: dict[str, RowBlock] = {}

    def _add(self, account_id: str, block: RowBlock) -> None:
        self._blocks[account_id] = block

    def __getitem__(self, key: tuple[str, date]) -> list[dict]:
        try:
            account_id, week = key
        except (TypeError, ValueError):
            raise KeyError(key) from None
        block = self._blocks.get(account_id)
        index = self._week_index.get(week)
        if block is None or index is None:
            raise KeyError(key)
        return block.rows(index)

    def __iter__(self) -> Iterator[tuple[str, date]]:
        for account_id in self._blocks:
            for week in self._weeks:
                yield account_id, week

    def __len__(self) -> int:
        return len(self._blocks) * len(self._weeks)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, tuple) or len(key) != 2:
            return False
        return key[0] in self._blocks and key[1] in self._week_index


@dataclass
class DemoManifest:
    """What ``write_demo`` wrote, and the truth behind it, for tests and the command line."""

    home: Path
    weeks: list[date]  # week starts, ascending; last == the requested last week
    accounts: list[dict]  # the account entries as written to accounts.yaml
    # (account_id, week_start) -> rows in file order; see BusinessRows
    business_rows: Mapping[tuple[str, date], list[dict]]
    files: list[Path]  # every export file written
    # one entry per story: story, account_id, asin (or None), weeks, what
    stories: list[dict] = field(default_factory=list)
    # (account_id, week_start) -> the truth of the seller's payment exports over the rows
    # posted in that week (marketplace time): settled_units, settled_sales, shipping_credits,
    # promotional_rebates (negative), refunded_units, refund_amount (positive), selling_fees,
    # fba_fees, storage_fees (as written: negative), advertising (billed, positive), taxes
    # (the tax columns' sum), amazon_fees (positive), cogs (unit cost valid on the row's date ×
    # units, refunds back in stock), contribution_margin, net_proceeds (the totals but
    # transfers), transfers; Decimal in the account's currency (units: whole numbers)
    payments: dict[tuple[str, date], dict[str, Decimal]] = field(default_factory=dict)
    # account_id -> units ordered in the demo's weeks whose order settles after its last day
    pending_units: dict[str, int] = field(default_factory=dict)
