"""A seller's payments: what Amazon settled for its orders, refunds and fees, as the Date Range
Report (Custom Transaction CSV), and for two accounts also as a Settlement V2 flat file and a
Payments "Transaction view" CSV (../shared/export-headers.md §3).

Everything is drawn from a generator of its own (``[seed, account position, PAYMENTS_STREAM]``)
so that no business report, ads, inventory, review or health number moves; the numbers it
starts from are the simulation's (demo/simulate.py): units and prices per SKU and week as the
business reports have them, the inventory's fulfillable stock and the ads' spend.

Model (money in minor units):

* **Orders.** Each SKU's weekly units (the business report's, its FBM SKU's apart) are spread
  over the week's days; each (SKU, day) with units is one Order row at the week's price, so
  product sales add up to the business report's ordered product sales. An order settles at
  shipment: 1–2 days after the order day (FBA), 1–3 days (FBM); so some cross into the next
  week, and the last week's last orders settle after the demo (``pending_units``). Selling fees
  −15 % of product sales and shipping credits (the referral fee); FBA fees −(a per-unit fee
  growing with the unit's volume, ``fba_fee``) × units for FBA SKUs, none for ``-FBM`` ones,
  which get shipping credits instead. About 5 % of order rows carry a promotional rebate
  (5–15 % of their sales). US: sales tax of 4–10 % in product sales tax (and shipping credits
  tax), withheld again in marketplace withheld tax (marketplace facilitator); EU and JP: VAT is
  inside product sales, the tax columns are 0.
* **Refunds.** 1–4 % of a SKU's units (per SKU), refunded 7–28 days after the order settled, so
  always in a later week: product sales and the rebate given back, the referral fee returned
  less Amazon's refund administration fee (20 % of it, at most 5.00 / ¥500), no FBA fee back.
* **Advertising.** A Service Fee row "Cost of Advertising" (in the file's language) on each
  week's Sunday, minus the week's spend in the ads reports (billed advertising).
* **Storage.** An FBA Inventory Fee row on the 7th of each month: the previous month's average
  fulfillable units × per-unit volume (taken as cubic feet) × 0.78 a month (2.40 October to
  December), in the marketplace's price factor.
* **Settlements and transfers.** Transactions are settled in fortnights (Monday to Sunday two
  weeks later, aligned so that the demo's last week ends one); each fortnight has a settlement
  id, and a complete fortnight ends with a Transfer row paying out the sum of its totals
  (none where it would be negative, and none in Italian or Japanese files: no word for it is
  evidenced).

Posting times are drawn over the marketplace's local day (the files write them in UTC for the
UK, Germany and Italy, so a German posting after midnight can show the previous day's UTC
date); each week's file holds the rows posted in that week in the marketplace's time zone, in
time order. ``total`` is the sum of a row's amount columns. Transaction Status is Deferred
while an order's release date (its posting + 7 days) is after the day the file was downloaded
(the Monday after its week); the status words are evidenced only in English and are written
so in every language.

The margin stories (demo/stories.py ``MARGIN_STORIES``) are played here and only here.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from demo.accounts import Spec
from demo.markets import (
    DRR_HEADERS,
    DRR_KEYS,
    DRR_PREAMBLE,
    IT_MONTHS,
    LANGUAGE,
    MARKETPLACE_SITE,
    MONTHS,
    ORDER_PLACES,
    ORDER_PREFIXES,
    PAYMENTS_LANGUAGE,
    SETTLEMENT_V2_HEADER,
    TIMEZONE,
    TRANSACTION_VIEW_HEADER,
    drr_file,
)
from demo.simulate import Account, Ads, Inventory, SecondSkus
from demo.stories import MarginStory
from demo.writers import write

PAYMENTS_STREAM = 2  # default_rng([seed, account position, 2]); 1 is the second SKUs'
EPOCH = date(2000, 1, 10)  # a Monday that starts a settlement fortnight
DOW = np.array([1.0, 0.98, 0.97, 1.0, 1.02, 1.06, 1.08]) / 7.07  # orders per weekday
REFERRAL = 0.15
REFUND_ADMIN = 0.20  # of the referral fee, kept by Amazon on a refund ...
REFUND_ADMIN_CAP = {0: 500, 2: 500}  # ... at most 5.00 (¥500), by the currency's decimals
SHIPPING_CREDIT = {"US": 499, "UK": 299, "DE": 399, "IT": 399, "JP": 400}  # per FBM unit
STORAGE_RATE = (0.78, 2.40)  # per cubic foot and month: January–September, October–December
RELEASE = timedelta(days=7)  # an order's funds are released a week after it settled
AMOUNTS = (  # the amount columns a row carries, in this order; the others are always 0
    "sales",
    "sales_tax",
    "shipping",
    "shipping_tax",
    "rebates",
    "withheld",
    "selling",
    "fba",
    "other_fees",
    "other",
)
TRUTH_KEYS = (
    "settled_units",
    "settled_sales",
    "shipping_credits",
    "promotional_rebates",
    "refunded_units",
    "refund_amount",
    "selling_fees",
    "fba_fees",
    "storage_fees",
    "advertising",
    "taxes",
    "amazon_fees",
    "cogs",
    "contribution_margin",
    "net_proceeds",
    "transfers",
)


@dataclass
class Txn:
    """One Date Range Report row. ``local`` is the posting time in the marketplace's time zone
    (naive); amounts are minor units in ``AMOUNTS`` order; ``sku`` indexes ``Payments.skus``
    (-1: none)."""

    local: datetime
    kind: str  # order, refund, service_fee, storage, transfer
    order_id: str
    sku: int
    quantity: int
    amounts: tuple[int, ...]
    fulfillment: str  # "afn", "mfn" or ""
    place: int = -1  # index into ORDER_PLACES of the marketplace
    cost: int = 0  # the unit cost × units of an order (+) or a refund (−), for the truth

    @property
    def total(self) -> int:
        return sum(self.amounts)

    @property
    def settlement_key(self) -> int:
        return (self.local.date() - EPOCH).days // 14

    @property
    def release(self) -> date:
        return self.local.date() + (RELEASE if self.kind == "order" else timedelta(0))


@dataclass
class Payments:
    """One seller's payments over the demo's weeks."""

    spec: Spec
    market: str
    currency: str
    weeks: list[date]
    skus: list[str]  # the FBA SKUs in catalogue order, then the FBM ones
    titles: list[str]
    txns: list[Txn]  # every row written, in posting order
    settlement_ids: dict[int, str]  # fortnight key -> settlement id
    unit_costs: list[tuple[str, int, date | None]]  # sku, cost (minor units), valid from
    pending_units: int  # ordered in the demo, settled after its last day
    story: MarginStory | None
    account_tail: int  # the last 3 digits of the bank account transfers go to
    truth: dict[date, dict[str, Decimal]] = field(default_factory=dict)
    by_week: list[list[Txn]] = field(default_factory=list)  # txns per week, in posting order

    def week_of(self, t: Txn) -> int:
        return (t.local.date() - self.weeks[0]).days // 7


def fba_fee(volume: float, price_factor: float, decimals: int) -> int:
    """A per-unit FBA fee growing with the unit's volume (not Amazon's fee table: a plausible
    size tier), in minor units."""
    major = (2.50 + 12.0 * volume) * price_factor
    return round(major * 10**decimals)


def simulate_payments(
    acct: Account,
    second: SecondSkus,
    inv: Inventory,
    ads: Ads,
    story: MarginStory | None,
    rng: np.random.Generator,
) -> Payments:
    """Every payment transaction of the demo's weeks, drawn in a fixed order: unit costs,
    the orders' days, their settlement lags, times, ids, places, rebates and tax rates, the
    refunds, the fee rows' times, the settlement ids, then the story's draws."""
    spec, cat, market = acct.spec, acct.catalog, acct.market
    weeks = acct.weeks
    nw, n = acct.units.shape
    first, last_day = weeks[0], weeks[-1] + timedelta(days=6)
    days = nw * 7
    asin_of = np.array(list(range(n)) + list(second.index), dtype=np.int64)
    s_count = len(asin_of)
    fbm = np.arange(s_count) >= n
    skus = list(cat.sku) + list(second.sku)
    titles = [cat.title[i] for i in asin_of.tolist()]
    dec = market.decimals
    # the business report's units per SKU and week: the FBA SKU keeps what its FBM SKU has not
    units = acct.units[:, asin_of].copy()
    cols = np.array(second.index, dtype=np.int64)
    if len(cols):
        units[:, cols] -= second.units
        units[:, n:] = second.units
    price = acct.price[:, asin_of]

    # unit costs: 35–45 % of the list price, the FBM SKU's the same as its ASIN's FBA SKU's
    ratio = rng.uniform(0.35, 0.45, n)
    cost = np.rint(cat.line_price * ratio).astype(np.int64)
    unit_costs: list[tuple[str, int, date | None]] = [
        (skus[s], int(cost[asin_of[s]]), None) for s in range(s_count)
    ]
    rise_from: date | None = None
    rise_asin = story.asin(n) if story is not None and story.cost_rise != 1.0 else None
    risen = cost.copy()
    if rise_asin is not None:
        rise_from = weeks[max(0, nw - 2)] + timedelta(days=2)  # the Wednesday of W-1
        risen[rise_asin] = round(cost[rise_asin] * story.cost_rise)
        unit_costs += [
            (skus[s], int(risen[rise_asin]), rise_from)
            for s in range(s_count)
            if asin_of[s] == rise_asin
        ]

    def unit_cost(s: int, day: date) -> int:
        a = int(asin_of[s])
        return int(risen[a] if rise_from is not None and day >= rise_from else cost[a])

    daily = rng.multinomial(units, DOW)  # (W, S, 7)
    w_i, s_i, d_i = np.nonzero(daily)
    u = daily[w_i, s_i, d_i]
    r = len(u)
    lag = np.where(fbm[s_i], rng.integers(1, 4, r), 1 + (rng.random(r) < 0.4))
    secs = rng.integers(0, 23 * 3600, r)
    ids = rng.integers(0, 10**7, (r, 2))
    prefixes = ORDER_PREFIXES[market.code]
    prefix = rng.integers(0, len(prefixes), r)
    places = rng.integers(0, len(ORDER_PLACES[market.code]), r)
    promo = rng.random(r) < 0.05
    promo_pct = rng.uniform(0.05, 0.15, r)
    tax_rate = rng.uniform(0.04, 0.10, r)
    refund_rate = rng.uniform(0.01, 0.04, s_count)
    refunded = rng.binomial(u, refund_rate[s_i])
    refund_lag = rng.integers(7, 29, r)
    refund_secs = rng.integers(0, 23 * 3600, r)
    ad_secs = rng.integers(12 * 3600, 23 * 3600, nw)
    fee_secs = rng.integers(0, 23 * 3600, nw)
    transfer_secs = rng.integers(0, 1800, nw)
    settlement_base = int(rng.integers(10**10, 5 * 10**10))
    account_tail = int(rng.integers(100, 1000))

    order_day = w_i * 7 + d_i
    posted_day = order_day + lag
    refund_day = posted_day + refund_lag
    # the story's refund wave: the ASIN's orders settled in W-3..W-1 come back in W
    wave_asin = story.asin(n) if story is not None and story.refund_wave else None
    if wave_asin is not None:
        hit = (asin_of[s_i] == wave_asin) & (posted_day >= (nw - 4) * 7) & (posted_day < days - 7)
        wave = rng.binomial(u, story.refund_wave)
        wave_day = (nw - 1) * 7 + rng.integers(0, 7, r)
        refunded = np.where(hit, wave, refunded)
        refund_day = np.where(hit, wave_day, refund_day)
    fee_rise_from = days - 7 if story is not None and story.fee_rise != 1.0 else days
    us = market.code == "US"
    shipping_unit = SHIPPING_CREDIT[market.code]
    volume = [float(v) for v in cat.volume]
    per_unit_fee = [fba_fee(volume[a], market.price_factor, dec) for a in asin_of.tolist()]
    cap = REFUND_ADMIN_CAP[dec]

    txns: list[Txn] = []
    pending = 0
    for k in range(r):
        s, q, pday = int(s_i[k]), int(u[k]), int(posted_day[k])
        if pday >= days:
            pending += q
            continue
        local = datetime.combine(first + timedelta(days=pday), datetime.min.time()) + timedelta(
            seconds=int(secs[k])
        )
        order_id = f"{prefixes[prefix[k]]}-{ids[k, 0]:07d}-{ids[k, 1]:07d}"
        p = int(price[w_i[k], s])
        sales = q * p
        shipping = q * shipping_unit if fbm[s] else 0
        rebate = -round(sales * float(promo_pct[k])) if promo[k] else 0
        rate = float(tax_rate[k]) if us else 0.0
        sales_tax, shipping_tax = round(sales * rate), round(shipping * rate)
        referral = round(REFERRAL * (sales + shipping))
        unit_fee = per_unit_fee[s]
        if pday >= fee_rise_from:
            unit_fee = round(unit_fee * story.fee_rise)
        fba = 0 if fbm[s] else -q * unit_fee
        amounts = (
            sales,
            sales_tax,
            shipping,
            shipping_tax,
            rebate,
            -(sales_tax + shipping_tax),
            -referral,
            fba,
            0,
            0,
        )
        channel = "mfn" if fbm[s] else "afn"
        place = int(places[k])
        day = local.date()
        txns.append(
            Txn(local, "order", order_id, s, q, amounts, channel, place, q * unit_cost(s, day))
        )
        back, rday = int(refunded[k]), int(refund_day[k])
        if not back or rday >= days:
            continue
        refund_local = datetime.combine(
            first + timedelta(days=rday), datetime.min.time()
        ) + timedelta(seconds=int(refund_secs[k]))
        back_sales = back * p
        back_referral = round(REFERRAL * back_sales)
        back_tax = round(back_sales * rate)
        amounts = (
            -back_sales,
            -back_tax,
            0,
            0,
            round(-rebate * back / q),
            back_tax,
            back_referral - min(round(REFUND_ADMIN * back_referral), cap),
            0,
            0,
            0,
        )
        cost_back = -back * unit_cost(s, refund_local.date())
        txns.append(
            Txn(refund_local, "refund", order_id, s, back, amounts, channel, place, cost_back)
        )

    def at(day: date, seconds: int) -> datetime:
        return datetime.combine(day, datetime.min.time()) + timedelta(seconds=seconds)

    zero = (0,) * 8
    spend = ads.spend.sum(axis=(1, 2, 3))
    for w in range(nw):
        if spend[w]:  # billed advertising on the week's Sunday
            sunday = weeks[w] + timedelta(days=6)
            txns.append(
                Txn(at(sunday, int(ad_secs[w])), "service_fee", "", -1, 0,
                    (*zero, -int(spend[w]), 0), "")
            )  # fmt: skip
    # storage on the 7th of each month, for the month before
    month = first.replace(day=1)
    m = 0
    while month <= last_day:
        posted = month + timedelta(days=6)
        before = (month - timedelta(days=1)).replace(day=1)
        if first <= posted <= last_day:
            ended = [w for w in range(nw) if before <= weeks[w] + timedelta(days=6) < month]
            ended = ended or [w for w in range(nw) if weeks[w] + timedelta(days=6) < posted] or [0]
            stock = inv.fulfillable[ended].mean(axis=0)
            rate = STORAGE_RATE[before.month >= 10] * market.price_factor * 10**dec
            amount = round(float((stock * np.array(volume)).sum()) * rate)
            if amount:
                txns.append(
                    Txn(at(posted, int(fee_secs[m % nw])), "storage", "", -1, 0,
                        (*zero, -amount, 0), "")
                )  # fmt: skip
            m += 1
        month = (month + timedelta(days=32)).replace(day=1)
    txns.sort(key=lambda t: t.local)
    # a complete fortnight ends with a transfer of what it settled
    settled: dict[int, int] = {}
    for t in txns:
        key = t.settlement_key
        settled[key] = settled.get(key, 0) + t.total
    keys = sorted(settled)
    settlement_ids = {key: str(settlement_base + 97 * i) for i, key in enumerate(keys)}
    language = PAYMENTS_LANGUAGE[LANGUAGE[market.code]]
    if language.transfer is not None:
        for key in keys:
            start = EPOCH + timedelta(days=14 * key)
            end = start + timedelta(days=13)
            if start < first or end > last_day:
                continue
            payout = settled[key]
            if payout <= 0:
                continue
            w = (end - first).days // 7
            local = at(end, 23 * 3600 + 1800 + int(transfer_secs[w]))
            txns.append(Txn(local, "transfer", "", -1, 0, (*zero, 0, -payout), ""))
        txns.sort(key=lambda t: t.local)
    pay = Payments(
        spec=spec,
        market=market.code,
        currency=market.currency,
        weeks=weeks,
        skus=skus,
        titles=titles,
        txns=txns,
        settlement_ids=settlement_ids,
        unit_costs=unit_costs,
        pending_units=pending,
        story=story,
        account_tail=account_tail,
    )
    pay.by_week = [[] for _ in weeks]
    for t in txns:
        pay.by_week[pay.week_of(t)].append(t)
    pay.truth = _truth(pay, dec)
    return pay


def _truth(pay: Payments, dec: int) -> dict[date, dict[str, Decimal]]:
    """Per week (of posting, in the marketplace's time zone) the issue's margin figures, worked
    out from the rows, in the account's currency; see DemoManifest.payments."""
    sums = {w: dict.fromkeys(TRUTH_KEYS, 0) for w in pay.weeks}
    for t in pay.txns:
        week = pay.weeks[pay.week_of(t)]
        s = sums[week]
        a = dict(zip(AMOUNTS, t.amounts, strict=True))
        if t.kind == "transfer":
            s["transfers"] += t.total
            continue
        s["net_proceeds"] += t.total
        s["taxes"] += a["sales_tax"] + a["shipping_tax"] + a["withheld"]
        s["shipping_credits"] += a["shipping"]
        s["promotional_rebates"] += a["rebates"]
        s["selling_fees"] += a["selling"]
        s["fba_fees"] += a["fba"]
        s["cogs"] += t.cost
        if t.kind == "order":
            s["settled_units"] += t.quantity
            s["settled_sales"] += a["sales"]
        elif t.kind == "refund":
            s["refunded_units"] += t.quantity
            s["refund_amount"] -= a["sales"]
        elif t.kind == "service_fee":
            s["advertising"] -= a["other_fees"]
        elif t.kind == "storage":
            s["storage_fees"] += a["other_fees"]
    out = {}
    for week, s in sums.items():
        s["amazon_fees"] = -(s["selling_fees"] + s["fba_fees"] + s["storage_fees"])
        s["contribution_margin"] = (
            s["settled_sales"]
            + s["shipping_credits"]
            + s["promotional_rebates"]
            - s["refund_amount"]
            - s["amazon_fees"]
            - s["advertising"]
            - s["cogs"]
        )
        out[week] = {
            k: (Decimal(v) if k.endswith("units") else Decimal(v).scaleb(-dec))
            for k, v in s.items()
        }
    return out


# ---------------------------------------------------------------------------------------------
# The files


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _money(minor: int, dec: int, comma: bool) -> str:
    """1,234.56 (en, ja: 1,980) or 1.234,56 (de, it); zero as 0."""
    if minor == 0:
        return "0"
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**dec)
    text = f"{whole:,}" + (f".{frac:0{dec}d}" if dec else "")
    if comma:
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return sign + text


def _stamp(code: str, local: datetime, zone: ZoneInfo) -> str:
    """A posting time as the marketplace's Date Range Report writes it (§3.2): US in the
    Pacific zone's abbreviation, UK/DE/IT in UTC; JP in JST as 2026/05/01 10:05:35 JST, which
    is not evidenced (no Japanese date value is)."""
    aware = local.replace(tzinfo=zone)
    if code == "US":
        hour = local.hour % 12 or 12
        half = "AM" if local.hour < 12 else "PM"
        return (
            f"{MONTHS[local.month - 1]} {local.day}, {local.year} "
            f"{hour}:{local.minute:02d}:{local.second:02d} {half} {aware.tzname()}"
        )
    if code == "JP":
        return f"{local:%Y/%m/%d %H:%M:%S} JST"
    t = aware.astimezone(UTC)
    clock = f"{t.hour:02d}:{t.minute:02d}:{t.second:02d} UTC"
    if code == "DE":
        return f"{t.day:02d}.{t.month:02d}.{t.year} {clock}"
    months = IT_MONTHS if code == "IT" else MONTHS
    return f"{t.day} {months[t.month - 1]} {t.year} {clock}"


def _day(code: str, day: date) -> str:
    """The Transaction Release Date: the date part of the posting format (not evidenced)."""
    if code == "US":
        return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    if code == "DE":
        return f"{day.day:02d}.{day.month:02d}.{day.year}"
    months = IT_MONTHS if code == "IT" else MONTHS
    return f"{day.day} {months[day.month - 1]} {day.year}"


def date_range_csv(pay: Payments, w: int, dec: int) -> str:
    """Week ``w``'s Date Range Report: the preamble where one is evidenced (§3.1), the header of
    the marketplace's language and layout, then its rows in posting order, every cell quoted."""
    code = pay.market
    lang = PAYMENTS_LANGUAGE[LANGUAGE[code]]
    keys = DRR_KEYS["US" if code == "US" else "JP" if code == "JP" else "EU"]
    headers = DRR_HEADERS[code]
    zone = ZoneInfo(TIMEZONE[code])
    comma = code in ("DE", "IT")
    site = MARKETPLACE_SITE[code]
    places = ORDER_PLACES[code]
    downloaded = pay.weeks[w] + timedelta(days=7)
    lines = [_quote(line.format(currency=pay.currency)) for line in DRR_PREAMBLE.get(code, ())]
    lines.append(",".join(_quote(headers[k]) for k in keys))
    kinds = {
        "order": lang.order,
        "refund": lang.refund,
        "service_fee": lang.service_fee,
        "storage": lang.inventory_fee,
        "transfer": lang.transfer or "",
    }
    for t in pay.by_week[w]:
        cell = dict.fromkeys(keys, "0")
        for key, value in zip(AMOUNTS, t.amounts, strict=True):
            cell[key] = _money(value, dec, comma)
        cell["total"] = _money(t.total, dec, comma)
        cell["quantity"] = str(t.quantity) if t.quantity else ""
        cell["date"] = _stamp(code, t.local, zone)
        cell["settlement"] = pay.settlement_ids[t.settlement_key]
        cell["type"] = kinds[t.kind]
        cell["order"] = t.order_id
        cell["sku"] = pay.skus[t.sku] if t.sku >= 0 else ""
        cell["description"] = {
            "service_fee": lang.advertising,
            "storage": lang.storage,
            "transfer": f"{lang.transfer_to}{pay.account_tail}" if lang.transfer_to else "",
        }.get(t.kind, pay.titles[t.sku] if t.sku >= 0 else "")
        cell["marketplace"] = "" if t.kind == "transfer" else site
        cell["account_type"] = "Standard Orders"
        cell["fulfillment"] = {"afn": lang.fba, "mfn": lang.merchant}.get(t.fulfillment, "")
        city, state, postal = places[t.place] if t.place >= 0 else ("", "", "")
        cell["city"], cell["state"], cell["postal"] = city, state, postal
        cell["tax_model"] = "MarketplaceFacilitator" if code == "US" and t.sku >= 0 else ""
        release = t.release
        cell["status"] = "Deferred" if release > downloaded else "Released"
        cell["release"] = _day(code, release)
        lines.append(",".join(_quote(cell[k]) for k in keys))
    return "\n".join(lines) + "\n"


def transaction_view_csv(pay: Payments, w: int, dec: int) -> str:
    """Week ``w`` as the Payments "Transaction view" CSV (§3.7, English current layout): one
    row per transaction but transfers, newest first, dates as 16/11/2026 (day first, as the IN
    export). Only "Order Payment" is evidenced among the type words (in French, §3.7); the
    others are the Date Range Report's [I]. Total product charges = product sales + shipping;
    Amazon fees = selling, FBA and other transaction fees; Other = the rest."""
    header = [*TRANSACTION_VIEW_HEADER[:-1], TRANSACTION_VIEW_HEADER[-1].format(pay.currency)]
    lines = [",".join(_quote(h) for h in header)]
    kinds = {
        "order": "Order Payment",
        "refund": "Refund",
        "service_fee": "Service Fees",
        "storage": "FBA Inventory Fee",
    }
    downloaded = pay.weeks[w] + timedelta(days=7)
    rows = [t for t in pay.by_week[w] if t.kind != "transfer"]
    for t in reversed(rows):
        a = dict(zip(AMOUNTS, t.amounts, strict=True))
        charges = a["sales"] + a["shipping"]
        fees = a["selling"] + a["fba"] + a["other_fees"]
        other = t.total - charges - a["rebates"] - fees
        day = t.local.date()
        cells = [
            f"{day.day}/{day.month}/{day.year}",
            "Deferred" if t.release > downloaded else "Released",
            kinds[t.kind],
            t.order_id,
            pay.titles[t.sku] if t.sku >= 0 else "",
            *(_money(v, dec, False) for v in (charges, a["rebates"], fees, other, t.total)),
        ]
        lines.append(",".join(_quote(c) for c in cells))
    return "\n".join(lines) + "\n"


# (amount-type, amount-description) of each amount column in a Settlement V2 flat file [I: the
# SP-API settlement parsers' names, ../shared/export-headers.md §3.8 has only the columns]
_SETTLEMENT_AMOUNTS = {
    "order": (
        ("sales", "ItemPrice", "Principal"),
        ("sales_tax", "ItemPrice", "Tax"),
        ("shipping", "ItemPrice", "Shipping"),
        ("shipping_tax", "ItemPrice", "ShippingTax"),
        ("rebates", "Promotion", "Principal"),
        ("withheld", "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal"),
        ("selling", "ItemFees", "Commission"),
        ("fba", "ItemFees", "FBAPerUnitFulfillmentFee"),
    ),
    "service_fee": (("other_fees", "Cost of Advertising", "TransactionTotalAmount"),),
    "storage": (("other_fees", "other-transaction", "Storage Fee"),),
}
_SETTLEMENT_AMOUNTS["refund"] = _SETTLEMENT_AMOUNTS["order"][:-1]
_SETTLEMENT_TYPE = {
    "order": "Order",
    "refund": "Refund",
    "service_fee": "ServiceFee",
    "storage": "other-transaction",
}


def settlement_key_of_last_fortnight(pay: Payments) -> int | None:
    """The last fortnight wholly inside the demo's weeks, if any."""
    first, last_day = pay.weeks[0], pay.weeks[-1] + timedelta(days=6)
    key = (last_day - EPOCH).days // 14
    while EPOCH + timedelta(days=14 * key) >= first:
        if EPOCH + timedelta(days=14 * key + 13) <= last_day:
            return key
        key -= 1
    return None


def settlement_v2_tsv(pay: Payments, key: int, dec: int) -> str:
    """One settlement as the Settlement V2 flat file (§3.8; tab-separated, English names):
    the summary row first (settlement-id to currency), then one line per non-zero amount of
    each transaction but the transfer, whose amount is the summary's total-amount. Dates in UTC
    (``2026-11-09 08:00:00 UTC``); posted-date is posted-date-time's date; amounts as -1.80."""
    zone = ZoneInfo(TIMEZONE[pay.market])
    start = EPOCH + timedelta(days=14 * key)
    end = start + timedelta(days=14)

    def utc(local: datetime) -> datetime:
        return local.replace(tzinfo=zone).astimezone(UTC)

    def stamp(t: datetime) -> str:
        return f"{t:%Y-%m-%d %H:%M:%S} UTC"

    def amount(minor: int) -> str:
        sign = "-" if minor < 0 else ""
        whole, frac = divmod(abs(minor), 10**dec)
        return sign + str(whole) + (f".{frac:0{dec}d}" if dec else "")

    sid = pay.settlement_ids[key]
    txns = [t for t in pay.txns if t.settlement_key == key and t.kind != "transfer"]
    begin = utc(datetime.combine(start, datetime.min.time()))
    close = utc(datetime.combine(end, datetime.min.time()))
    summary = [
        sid,
        stamp(begin),
        stamp(close),
        stamp(close + timedelta(days=2)),
        amount(sum(t.total for t in txns)),
        pay.currency,
    ]
    width = len(SETTLEMENT_V2_HEADER)
    lines = ["\t".join(SETTLEMENT_V2_HEADER), "\t".join(summary + [""] * (width - len(summary)))]
    site = MARKETPLACE_SITE[pay.market].replace("amazon", "Amazon")
    for t in txns:
        posted = utc(t.local)
        a = dict(zip(AMOUNTS, t.amounts, strict=True))
        crc = zlib.crc32(f"{t.order_id}\0{t.sku}\0{t.kind}".encode())
        item = t.sku >= 0
        for column, amount_type, description in _SETTLEMENT_AMOUNTS[t.kind]:
            if not a[column] and not (column == "sales" and item):
                continue
            promotion = f"PLM-{crc % 10**8:08d}" if amount_type == "Promotion" else ""
            cells = [
                sid,
                "",
                "",
                "",
                "",
                "",
                _SETTLEMENT_TYPE[t.kind],
                t.order_id,
                "",
                f"{crc % 10**14:014d}" if t.kind == "refund" else "",
                f"D{crc % 10**9:09d}" if t.kind == "order" else "",
                site if item else "",
                amount_type,
                description,
                amount(a[column]),
                {"afn": "AFN", "mfn": "MFN"}.get(t.fulfillment, ""),
                f"{posted:%Y-%m-%d}",
                stamp(posted),
                f"{(crc * 7919) % 10**14:014d}" if item else "",
                "",
                "",
                pay.skus[t.sku] if item else "",
                str(t.quantity) if item else "",
                promotion,
            ]
            lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def write_payments(pay: Payments, inbox: Path, dec: int) -> list[Path]:
    """A Date Range Report per week in the week's folder; the account's Settlement V2 flat file
    in the folder of its settlement's last week; its Transaction view in the last week's."""
    account_dir = inbox / pay.spec.id
    written = []
    for w, week in enumerate(pay.weeks):
        folder = account_dir / week.isoformat()
        name = drr_file(week, week + timedelta(days=6))
        written.append(write(folder / name, date_range_csv(pay, w, dec)))
    if pay.spec.settlement_file:
        key = settlement_key_of_last_fortnight(pay)
        if key is not None:
            end = EPOCH + timedelta(days=14 * key + 13)
            folder = account_dir / (end - timedelta(days=6)).isoformat()
            path = folder / f"Settlement_V2_{pay.settlement_ids[key]}.txt"
            written.append(write(path, settlement_v2_tsv(pay, key, dec)))
    if pay.spec.transaction_view:
        week = pay.weeks[-1]
        folder = account_dir / week.isoformat()
        name = f"PaymentsTransactions_{week}_{week + timedelta(days=6)}.csv"
        written.append(write(folder / name, transaction_view_csv(pay, len(pay.weeks) - 1, dec)))
    return written


def unit_cost_rows(pay: Payments, dec: int) -> list[str]:
    """unit_costs.csv rows: account,sku,cost,currency,valid_from (empty: always)."""
    out = []
    for sku, minor, valid_from in pay.unit_costs:
        whole, frac = divmod(minor, 10**dec)
        cost = f"{whole}.{frac:0{dec}d}" if dec else str(whole)
        out.append(f"{pay.spec.id},{sku},{cost},{pay.currency},{valid_from or ''}")
    return out
