"""The accounts' stories: what goes wrong in the last weeks, for the packs to reveal.

Each story is a small object registered under the account id it happens to (``STORIES``). The
simulation (demo/simulate.py) calls its hooks at fixed points — ``adjust_sales``,
``plan_stock``, ``adjust_inventory``, ``adjust_ads``, ``extra_reviews``, ``review_stars``,
``forced_odr`` — and a story overrides only the ones it needs; the base class, used for every
account without a story, changes nothing and draws nothing. A hook that draws random numbers
draws from the account's generator at the point it is called, so the draw order is part of the
story: moving a draw changes every later number of that account.

Stories of the default accounts (W = the last demo week, W-1 the week before; the ASIN ids are
in ``DemoManifest.stories``):

(a) **acme-uk — stock-out.** Its best-selling ASIN (catalogue index 0) gets no inbound from
    W-4 on: cover falls below the lead time at the end of W-2, it runs out mid-week in W-1
    (about 60 % of a normal week's units, afn-fulfillable 0) and sells nothing in W (units 0,
    afn-fulfillable 0, Featured Offer 0 %, its ads stop) while sessions continue. A
    replenishment shipment shows as inbound at the end of W.
(b) **acme-us — ACoS above target.** In W-1 and W every campaign pays ~60 % more per click,
    gets 25 % more clicks and converts worse: ACoS jumps from ~0.7 × to ~2 × its 0.30 target.
(c) **nordwind-de — ODR breach.** The afn order defect rate is 1.3 % in W-1 and 1.7 % in W
    (target < 1 %): status BAD, account health rating WARNED, account status AT_RISK.
(d) **sakura-jp — rating drop.** Its second ASIN (index 1) receives mostly 1–2★ reviews in W-1
    and W, all complaining about the same defect (the complaints are in reviews.yaml).
(e) **acme-de — Buy Box lost.** Its top ASIN (index 0) holds the Featured Offer ~95 % of the
    time until W-2, then 45 % in W-1 and ~20 % in W; its units, sales and ads fall with it.

(f) **rhein-vendor-de — Amazon matches a price, another ASIN runs out at Amazon, a third
    sits on aged stock** (Vendor Central, 1P; ``VendorStory``, played by demo/vendor.py, not
    through the hooks above: a vendor's numbers are not the sellers' simulation). In W-1 a
    third-party seller undercuts Amazon on the vendor's best seller (index 0): LBB (Price)
    ~35 % of its page views (~1–2 % before), Amazon's ordered units fall with it. In W Amazon
    matches: its retail price drops to 85 % (to x.49), LBB (Price) ~5 %, ordered units up ~40 %
    on W-1, ordered revenue up less, and Net PPM down from 28 % to about 19 %: Amazon's cost
    (the vendor's price to Amazon) stays, and about 2/7 of a week's orders ship the week after
    at the order's price. Index 2 runs out at Amazon: Sourceable Product OOS ~8 % in W-1, ~60 %
    in W, sellable on hand 0–5 units at the end of W, no delivery since W-4, while the forecast
    (generated at the end of W) keeps its usual demand and its open PO units in W-1 and W cover
    only 35 % of the forecast over the 28-day lead time. The last ASIN is overstocked: ~26 weeks
    of cover at the end of W, hardly any deliveries, most of its stock aged 90+ days.

(g)–(i) **Margin stories**, in the payment exports only (``MarginStory``, played by
    demo/payments.py from its own generator): milano-it's FBA fee per unit rises 50 % from W's
    Monday (a fee change), so its contribution margin falls while its settled sales grow;
    acme-uk's second ASIN (index 1) gets a refund wave in W (35 % of its units settled in W-3 to
    W-1 come back); nordwind-de's best seller costs 25 % more from the Wednesday of W-1 (a
    second unit_costs.csv row with that valid_from). (acme-de's Buy Box loss cuts its sales in
    W-1 and W, so a fee story there could not show margin falling while revenue grows.)

pacific-us has no story (the control). Accounts beyond the six named ones have none either.
With fewer accounts, ASINs or weeks a story keeps whatever of it fits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from demo.accounts import Spec
    from demo.catalogue import Catalog
    from demo.simulate import Inventory


@dataclass(frozen=True)
class Story:
    """No story: every hook leaves the simulation as it is. Subclasses override hooks.

    Arrays are weeks × ASINs (``nw`` × ``n``) in catalogue order and are changed in place."""

    name: str = ""  # the manifest's story key; empty for no story
    what: str = ""  # one line for the manifest: what a pack should show

    def asin(self, n: int) -> int | None:
        """The catalogue index of the ASIN the story is about, if it is about one."""
        return None

    def describe(self, spec: Spec) -> str:
        return self.what

    def record(self, spec: Spec, catalog: Catalog, weeks: list[date]) -> dict | None:
        """The manifest's entry: every story plays out in the last two weeks."""
        if not self.name:
            return None
        index = self.asin(len(catalog.child))
        return {
            "story": self.name,
            "account_id": spec.id,
            "asin": None if index is None else catalog.child[index],
            "weeks": weeks[max(0, len(weeks) - 2) :],
            "what": self.describe(spec),
        }

    def adjust_sales(
        self, lam: np.ndarray, buy_box: np.ndarray, instock: np.ndarray, rng: np.random.Generator
    ) -> None:
        """Before sessions and orders are drawn: expected sessions, Buy Box share (0..1) and
        the in-stock share of each week."""

    def plan_stock(self, on_hand: np.ndarray, no_arrival: np.ndarray) -> None:
        """Before stock is built backwards from the last week: its end stock (only the last
        week is set yet) and the weeks in which no shipment may arrive."""

    def adjust_inventory(self, inventory: Inventory) -> None:
        """After every inventory number is drawn."""

    def adjust_ads(self, cpc: np.ndarray, p_click: np.ndarray, share: np.ndarray) -> None:
        """Before ad clicks are drawn, for the advertised ASINs: cost per click, click
        probability per session and the share of the ASIN's orders that came from ads."""

    def extra_reviews(self, counts: np.ndarray, w: int, last: int) -> None:
        """Reviews posted in week ``w`` per ASIN, before they are drawn."""

    def review_stars(
        self,
        asin: np.ndarray,
        star: np.ndarray,
        n: int,
        rng: np.random.Generator,
        w: int,
        last: int,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Stars of week ``w``'s reviews (one entry per review: the catalogue index of its ASIN
        out of ``n``, its stars); returns the stars and which reviews tell the complaint."""
        return star, np.zeros(len(star), dtype=bool)

    def forced_odr(self, w: int, last: int) -> float | None:
        """The afn order defect rate the story sets in week ``w``; None to draw it."""
        return None


NO_STORY = Story()


@dataclass(frozen=True)
class StockOut(Story):
    """(a) The best seller runs out of stock: no inbound from W-4, 60 % in stock in W-1, none
    in W while sessions continue."""

    name: str = "stock-out"
    what: str = (
        "best-selling ASIN out of stock: afn-fulfillable 0, units 0 in the last week, "
        "sessions continue"
    )

    def asin(self, n: int) -> int | None:
        return 0

    def adjust_sales(self, lam, buy_box, instock, rng) -> None:
        last = len(lam) - 1
        lam[last, 0] *= 0.92
        instock[last, 0] = 0.0
        if last >= 1:
            instock[last - 1, 0] = 0.6

    def plan_stock(self, on_hand, no_arrival) -> None:
        on_hand[-1, 0] = 0
        no_arrival[max(0, len(on_hand) - 4) :, 0] = True

    def adjust_inventory(self, inventory) -> None:
        inventory.reserved[-2:, 0] = 0


@dataclass(frozen=True)
class BuyBoxLoss(Story):
    """(e) The top ASIN holds the Featured Offer ~95 % of the time, then 45 % in W-1 and ~20 %
    in W."""

    name: str = "buy-box-loss"
    what: str = "Featured Offer % from ~95 % to 45 % then ~20 %, units and sales with it"

    def asin(self, n: int) -> int | None:
        return 0

    def adjust_sales(self, lam, buy_box, instock, rng) -> None:
        nw = len(buy_box)
        last = nw - 1
        buy_box[:, 0] = np.clip(rng.normal(0.955, 0.01, nw), 0.93, 0.985)
        buy_box[last, 0] = 0.20 + rng.uniform(-0.02, 0.02)
        if last >= 1:
            buy_box[last - 1, 0] = 0.45 + rng.uniform(-0.02, 0.02)


@dataclass(frozen=True)
class AcosAboveTarget(Story):
    """(b) In W-1 and W every campaign pays 60 % more per click, gets 25 % more clicks and
    converts worse."""

    name: str = "acos-above-target"

    def describe(self, spec: Spec) -> str:
        return f"ACoS of every campaign above the {spec.acos:.2f} target"

    def adjust_ads(self, cpc, p_click, share) -> None:
        hot = slice(max(0, len(cpc) - 2), len(cpc))
        cpc[hot] *= 1.6
        p_click[hot] *= 1.25
        share[hot] *= 0.8


@dataclass(frozen=True)
class RatingDrop(Story):
    """(d) The second ASIN gets 6 then 10 extra reviews in W-1 and W, mostly 1–2★, all about
    the same defect."""

    name: str = "rating-drop"
    what: str = "mostly 1–2★ reviews on one ASIN, all about the same defect"

    def asin(self, n: int) -> int | None:
        return min(1, n - 1)

    def extra_reviews(self, counts, w, last) -> None:
        if w >= last - 1:
            counts[self.asin(len(counts))] += (6, 10)[w - (last - 1)]

    def review_stars(self, asin, star, n, rng, w, last):
        if w < last - 1:
            return super().review_stars(asin, star, n, rng, w, last)
        hit = asin == self.asin(n)
        u = rng.random(len(star))
        star = np.where(hit, np.where(u < 0.6, 1, np.where(u < 0.9, 2, 4)), star)
        return star, hit & (star <= 2)


@dataclass(frozen=True)
class OdrBreach(Story):
    """(c) The afn order defect rate is 1.3 % in W-1 and 1.7 % in W (target < 1 %)."""

    name: str = "odr-breach"
    what: str = "afn order defect rate 1.3 % then 1.7 % (target < 1 %)"

    def forced_odr(self, w: int, last: int) -> float | None:
        if w >= last - 1:
            return (0.013, 0.017)[w - (last - 1)]
        return None


@dataclass(frozen=True)
class VendorStory:
    """(f) A vendor's last two weeks: Amazon matches a third party's price on the best seller,
    another ASIN runs out at Amazon short of purchase orders, the last one sits on aged stock.
    The numbers are parameters; demo/vendor.py plays them (W-1 = the last week but one)."""

    lbb_undercut: float = 0.35  # LBB (Price): share of the best seller's page views, W-1
    lbb_matched: float = 0.05  # … in W, once Amazon matched the price
    price_cut: float = 0.85  # Amazon's retail price of the best seller in W, per its usual one
    oos_low: float = 0.08  # Sourceable Product OOS of the stock-out ASIN in W-1
    oos_out: float = 0.60  # … in W
    po_share: float = 0.35  # its open PO units in W-1 and W per forecast unit over the lead time
    overstock_weeks: float = 26.0  # weeks of cover the overstocked ASIN ends W with

    def price_asin(self, n: int) -> int:
        return 0

    def stock_out_asin(self, n: int) -> int | None:
        return min(2, n - 1) if n >= 2 else None

    def overstock_asin(self, n: int) -> int | None:
        return n - 1 if n >= 4 else None

    def records(self, spec: Spec, catalog: Catalog, weeks: list[date]) -> list[dict]:
        """The manifest's entries, one per ASIN the story is about."""
        n = len(catalog.child)
        parts = [
            (
                "vendor-price-match",
                self.price_asin(n),
                f"LBB (Price) {self.lbb_undercut:.0%} then {self.lbb_matched:.0%} of the best "
                "seller's page views: Amazon matched the price (ASP down ~15 %), ordered units "
                "up ~40 %, Net PPM down ~9 points",
            ),
            (
                "vendor-out-of-stock",
                self.stock_out_asin(n),
                f"Sourceable Product OOS {self.oos_low:.0%} then {self.oos_out:.0%}, sellable on "
                "hand ~0, open PO units short of the forecast over the lead time",
            ),
            (
                "vendor-aged-stock",
                self.overstock_asin(n),
                f"overstocked: ~{self.overstock_weeks:.0f} weeks of cover, most of it aged "
                "90+ days",
            ),
        ]
        return [
            {
                "story": name,
                "account_id": spec.id,
                "asin": catalog.child[index],
                "weeks": weeks[max(0, len(weeks) - 2) :],
                "what": what,
            }
            for name, index, what in parts
            if index is not None
        ]


@dataclass(frozen=True)
class MarginStory:
    """(g)–(i) What eats a seller's contribution margin in its payment exports (demo/payments.py
    plays it from a generator of its own, so no business report, ads or inventory number moves).
    The numbers are parameters; W is the last week."""

    name: str
    what: str
    asin_index: int | None = None  # the catalogue index of the ASIN it is about, if one
    fee_rise: float = 1.0  # FBA fee per unit from W's Monday on, per the usual one
    refund_wave: float = 0.0  # share of the ASIN's units settled in W-3..W-1 refunded in W
    cost_rise: float = 1.0  # the ASIN's unit cost from the Wednesday of W-1, per the usual one

    def asin(self, n: int) -> int | None:
        return None if self.asin_index is None or self.asin_index >= n else self.asin_index

    def record(self, spec: Spec, catalog: Catalog, weeks: list[date]) -> dict:
        index = self.asin(len(catalog.child))
        return {
            "story": self.name,
            "account_id": spec.id,
            "asin": None if index is None else catalog.child[index],
            "weeks": weeks[max(0, len(weeks) - 2) :],
            "what": self.what,
        }


# seller account id -> what eats its margin (payments); an account not listed has no such story
MARGIN_STORIES: dict[str, MarginStory] = {
    "milano-it": MarginStory(
        "fee-increase",
        "FBA fees per unit +50 % from the last week (a fee change): contribution margin falls "
        "while settled sales grow",
        fee_rise=1.50,
    ),
    "acme-uk": MarginStory(
        "refund-wave",
        "a third of one ASIN's units settled in the three weeks before are refunded in the last "
        "week: refunds eat its margin",
        asin_index=1,
        refund_wave=0.35,
    ),
    "nordwind-de": MarginStory(
        "cost-increase",
        "the supplier raises the best seller's unit cost by 25 % from the Wednesday of the last "
        "week but one (unit_costs.csv valid_from)",
        asin_index=0,
        cost_rise=1.25,
    ),
}

# vendor account id -> its story
VENDOR_STORIES: dict[str, VendorStory] = {"rhein-vendor-de": VendorStory()}

# account id -> its story; an account not listed here has none
STORIES: dict[str, Story] = {
    "acme-uk": StockOut(),
    "acme-de": BuyBoxLoss(),
    "nordwind-de": OdrBreach(),
    "sakura-jp": RatingDrop(),
    "acme-us": AcosAboveTarget(),
}


def story_of(account_id: str) -> Story:
    return STORIES.get(account_id, NO_STORY)
