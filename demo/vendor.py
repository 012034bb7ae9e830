"""The vendor (1P) account: its weeks as Vendor Central's Retail Analytics reports them, and
those reports as the files a vendor downloads.

A vendor sells to Amazon and Amazon sells to shoppers, so the numbers are Amazon's: page views
of the detail page, units shoppers ordered at Amazon's retail price (ordered revenue), units
Amazon shipped (shipped revenue at the retail price, shipped COGS at the vendor's price to
Amazon), customer returns, Amazon's stock of the vendor's ASINs, its open purchase orders and
its demand forecast. The weeks run Sunday to Saturday; each weekly file goes into the inbox
folder of the Monday week that holds six of its seven days (the Monday after its Sunday).

Everything is drawn from the account's own generator (``[seed, stream]``, accounts.yaml), in a
fixed order: catalogue, ASIN parameters, this year's weeks, last year's, the year before's
(only for last year's "Same Period Last Year" columns), the forecast, this year's stock, last
year's stock. This year covers the demo's weeks and, further back if needed, the calendar
month before the last full one (the monthly report and its prior period); one more week before
that is simulated for the first week's "Prior Period" and the orders that ship a week late.
Last year is the same weeks 52 weeks (364 days) earlier, so every week has its counterpart on
the same weekdays. The story (demo/stories.py, ``VendorStory``) is played in this year's last
two weeks.

Model, per ASIN and week: page views from a base × season × noise; LBB (Price), the share of
page views on which a third party's lower price took the Buy Box, ~0.2–2.5 %; Sourceable
Product OOS ~0–2.5 %; ordered units ~ page views × conversion × in stock × (1 − 0.6 × LBB) ×
a price response; ordered revenue = units × Amazon's retail price (its usual price; in about
one week in five 1–7 % below, following other shops; 90 % on a rare deal), so revenue ÷ units
is the price; 2/7 of a week's ordered units ship the next week at
that week's price; shipped COGS = shipped units × cost price. Net PPM here is (shipped revenue
− shipped COGS) ÷ shipped revenue: the demo vendor funds no allowances. This year's cost prices
are 5 % above last year's (the annual terms), so last year's Net PPM is about 3 points higher.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np

from demo.accounts import Spec
from demo.catalogue import Catalog, build_catalog
from demo.markets import (
    MARKETS,
    VENDOR_INVENTORY_HEADER,
    VENDOR_NET_PPM_HEADER,
    VENDOR_SALES_HEADER,
    VENDOR_SALES_MEASURES,
    VENDOR_TRAFFIC_HEADER,
    Market,
    csv_field,
    vendor_file,
)
from demo.simulate import season
from demo.stories import VENDOR_STORIES, VendorStory
from demo.writers import write
from demo.xlsx import table_xlsx

YEAR = timedelta(days=364)  # the same Sunday-to-Saturday week a year earlier
LAG = 2 / 7  # share of a week's ordered units that ship the week after
LBB_LOSS = 0.6  # share of the page views lost to a third party's price that cost Amazon a sale
ELASTICITY = 1.0  # ordered units per price: (usual price ÷ price) ** ELASTICITY
COST_RISE = 1.05  # this year's cost prices per last year's (the annual terms)
FORECAST_WEEKS = 8
FORECAST_BASIS = 4  # weeks of demand the forecast starts from
UPDATED = timedelta(days=3)  # Report Updated: three days after the period (data comes late)


@dataclass
class Year:
    """One run of Sunday-to-Saturday weeks, arrays weeks × ASINs (money in cents); week 0 is
    the warm-up week before the first one asked for."""

    starts: list[date]  # the Sundays
    page_views: np.ndarray
    lbb_bps: np.ndarray  # LBB (Price), basis points of page views
    oos_bps: np.ndarray  # Sourceable Product OOS, basis points
    price: np.ndarray  # Amazon's retail price
    cost: np.ndarray  # the year's cost price per ASIN (the vendor's price to Amazon)
    ordered_units: np.ndarray
    ordered_revenue: np.ndarray
    shipped_units: np.ndarray
    shipped_revenue: np.ndarray
    shipped_cogs: np.ndarray
    returns: np.ndarray

    def index(self, sunday: date) -> int:
        return (sunday - self.starts[0]).days // 7

    def sales(self, w: int) -> dict[str, np.ndarray]:
        """Week ``w``'s Sales Diagnostic measures, in ``VENDOR_SALES_MEASURES`` order."""
        arrays = (
            self.ordered_revenue,
            self.ordered_units,
            self.shipped_revenue,
            self.shipped_cogs,
            self.shipped_units,
            self.returns,
        )
        return {m: a[w] for m, a in zip(VENDOR_SALES_MEASURES, arrays, strict=True)}

    def net_ppm_bps(self, w: int) -> np.ndarray:
        """(shipped revenue − shipped COGS) ÷ shipped revenue in basis points; -1: no revenue."""
        revenue, cogs = self.shipped_revenue[w], self.shipped_cogs[w]
        safe = np.maximum(revenue, 1)
        return np.where(revenue > 0, np.rint((revenue - cogs) * 10000 / safe), -1).astype(np.int64)


@dataclass
class Stock:
    """Amazon's stock of the vendor's ASINs at the end of each week of a ``Year`` (units
    unless named otherwise; rates in basis points, lead time in tenths of a day)."""

    on_hand: np.ndarray
    received: np.ndarray
    aged: np.ndarray
    unsellable: np.ndarray
    unhealthy: np.ndarray
    open_po: np.ndarray
    unfilled: np.ndarray
    confirm_bps: np.ndarray
    fill_bps: np.ndarray
    lead_tenths: np.ndarray


@dataclass
class Forecast:
    generated: date
    starts: list[date]  # Sundays of the forecast weeks
    mean: np.ndarray  # weeks × ASINs, units with one decimal
    p70: np.ndarray
    p80: np.ndarray
    p90: np.ndarray


@dataclass
class Params:
    """Per-ASIN constants, drawn once for all years."""

    n: int
    list_price: np.ndarray
    page_views: np.ndarray
    conversion: np.ndarray
    lbb: np.ndarray
    cost: np.ndarray  # this year's cost price (the vendor's price to Amazon), cents
    own_cost: np.ndarray  # the vendor's own cost per unit (unit_costs.csv), cents
    return_rate: np.ndarray
    growth_ly: np.ndarray  # last year's volume per this year's
    growth_ly2: np.ndarray
    cover: np.ndarray  # weeks of stock Amazon keeps
    lead_days: np.ndarray


def _sunday_on_or_before(day: date) -> date:
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _month_before(day: date) -> tuple[date, date]:
    """The calendar month that ends before ``day``'s month starts."""
    end = day.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def _params(catalog: Catalog, spec: Spec, rng: np.random.Generator) -> Params:
    n = len(catalog.child)
    top = rng.uniform(3000, 4200)
    page_views = top * (np.arange(n) + 1.0) ** -0.8
    page_views[0] *= 1.25  # a clear best seller
    conversion = rng.uniform(0.08, 0.13, n)
    conversion[0] = 0.14
    lbb = rng.uniform(0.002, 0.025, n)
    cost_ratio = rng.uniform(0.66, 0.74, n)
    cost_ratio[0] = 0.72  # Net PPM 28 % at its usual price
    list_price = catalog.line_price
    cost = np.rint(list_price * cost_ratio).astype(np.int64)
    own_cost = np.rint(cost * rng.uniform(0.45, 0.6, n)).astype(np.int64)
    return_rate = rng.uniform(0.015, 0.045, n)
    growth_ly = rng.uniform(0.82, 0.95, n)
    growth_ly2 = growth_ly * rng.uniform(0.82, 0.95, n)
    cover = rng.uniform(4, 8, n)
    lead_days = rng.normal(spec.lead_time_days, 2.5, n)
    return Params(
        n,
        list_price,
        page_views,
        conversion,
        lbb,
        cost,
        own_cost,
        return_rate,
        growth_ly,
        growth_ly2,
        cover,
        lead_days,
    )


def _year(
    p: Params,
    starts: list[date],
    growth: np.ndarray | float,
    cost: np.ndarray,
    story: VendorStory | None,
    rng: np.random.Generator,
) -> Year:
    """Weekly sales of one run of weeks; ``story`` plays in its last two weeks."""
    nw, n = len(starts), p.n
    seasonal = np.array([season(s + timedelta(days=3)) for s in starts])
    lam = p.page_views * growth * seasonal[:, None] * rng.lognormal(0.0, 0.08, (nw, n))
    if story is not None:  # its usual shoppers in both weeks: only the offer changes
        best = story.price_asin(n)
        lam[-2:, best] = p.page_views[best] * growth * seasonal[-2:].mean()
    page_views = rng.poisson(lam)
    lbb = np.clip(p.lbb + rng.normal(0, 0.006, (nw, n)), 0, 1)
    oos = rng.uniform(0, 0.025, (nw, n))
    deal = rng.random((nw, n)) < 0.04
    price = np.where(deal, (p.list_price * 0.9 // 100) * 100 + 49, p.list_price)
    # most weeks Amazon sells at the usual price; in some it follows other shops a little down
    follow = (rng.random((nw, n)) < 0.2) & ~deal
    lower = (p.list_price * rng.uniform(0.93, 0.99, (nw, n)) // 10) * 10 + 9
    price = np.where(follow, lower, price).astype(np.int64)
    if story is not None:
        last = nw - 1
        best = story.price_asin(n)
        price[last - 2 :, best] = p.list_price[best]
        price[last, best] = (p.list_price[best] * story.price_cut // 100) * 100 + 49
        lbb[last - 1, best] = story.lbb_undercut + rng.uniform(-0.01, 0.01)
        lbb[last, best] = story.lbb_matched + rng.uniform(-0.005, 0.005)
        out = story.stock_out_asin(n)
        if out is not None:
            oos[last - 1, out] = story.oos_low + rng.uniform(-0.01, 0.01)
            oos[last, out] = story.oos_out + rng.uniform(-0.02, 0.02)
    lbb_bps = np.rint(lbb * 10000).astype(np.int64)
    oos_bps = np.rint(oos * 10000).astype(np.int64)
    response = (p.list_price / price) ** ELASTICITY
    mean = page_views * p.conversion * (1 - oos_bps / 10000) * (1 - LBB_LOSS * lbb_bps / 10000)
    ordered_units = rng.poisson(mean * response)
    ordered_revenue = ordered_units * price
    # a week's orders ship that week but for the last two days' (2/7), which ship the next
    # week at the price they were ordered at; the warm-up week gets its own share from before
    late = np.rint(ordered_units * LAG).astype(np.int64)
    shipped_units = ordered_units - late
    shipped_revenue = (ordered_units - late) * price
    shipped_units[1:] += late[:-1]
    shipped_revenue[1:] += late[:-1] * price[:-1]
    shipped_units[0] += late[0]
    shipped_revenue[0] += late[0] * price[0]
    shipped_cogs = shipped_units * cost
    before = np.vstack([shipped_units[:1], shipped_units[:-1]])
    returns = rng.binomial(before, p.return_rate)
    return Year(
        starts=starts,
        page_views=page_views,
        lbb_bps=lbb_bps,
        oos_bps=oos_bps,
        price=price,
        cost=cost,
        ordered_units=ordered_units,
        ordered_revenue=ordered_revenue,
        shipped_units=shipped_units,
        shipped_revenue=shipped_revenue,
        shipped_cogs=shipped_cogs,
        returns=returns,
    )


def _demand(p: Params, y: Year, w: int) -> np.ndarray:
    """Units a week would sell at the usual price, in stock, with no LBB and no season, from
    the ``FORECAST_BASIS`` weeks that end with ``w``."""
    weeks = slice(w - FORECAST_BASIS + 1, w + 1)
    seasonal = np.array([season(s + timedelta(days=3)) for s in y.starts[weeks]])
    held = (1 - y.oos_bps[weeks] / 10000) * (1 - LBB_LOSS * y.lbb_bps[weeks] / 10000)
    response = (p.list_price / y.price[weeks]) ** ELASTICITY
    return (y.ordered_units[weeks] / (held * response * seasonal[:, None])).mean(axis=0)


def _forecast(p: Params, y: Year, rng: np.random.Generator) -> Forecast:
    """GET_VENDOR_FORECASTING_REPORT as generated on the Sunday after the last week: the next
    ``FORECAST_WEEKS`` weeks' demand at the last week's price, through the season."""
    last = len(y.starts) - 1
    generated = y.starts[last] + timedelta(days=7)
    starts = [generated + timedelta(weeks=k) for k in range(FORECAST_WEEKS)]
    seasonal = np.array([season(s + timedelta(days=3)) for s in starts])
    # (the demand before the last week: the best seller's last week had its LBB and price move)
    base = _demand(p, y, last - 1) * (p.list_price / y.price[last]) ** ELASTICITY
    base *= 1 - LBB_LOSS * p.lbb
    mean = base * seasonal[:, None] * rng.lognormal(0, 0.04, (FORECAST_WEEKS, p.n))
    p70 = mean * rng.uniform(1.08, 1.14, (FORECAST_WEEKS, p.n))
    p80 = p70 * rng.uniform(1.06, 1.10, (FORECAST_WEEKS, p.n))
    p90 = p80 * rng.uniform(1.10, 1.16, (FORECAST_WEEKS, p.n))
    return Forecast(generated, starts, *(np.round(a, 1) for a in (mean, p70, p80, p90)))


def _stock(
    p: Params,
    y: Year,
    spec: Spec,
    story: VendorStory | None,
    forecast: Forecast | None,
    rng: np.random.Generator,
) -> Stock:
    """Amazon's stock, built backwards from the last week's end: deliveries follow what ships
    (with noise), at least a week of stock at each week's end unless the story empties it."""
    nw, n = y.shipped_units.shape
    shipped = y.shipped_units
    demand = shipped.mean(axis=0)
    on_hand = np.zeros((nw, n), dtype=np.int64)
    on_hand[-1] = np.rint(p.cover * demand)
    received = np.rint(shipped * rng.lognormal(0, 0.25, (nw, n))).astype(np.int64)
    keep = np.ones(n, dtype=bool)  # ASINs held to a week of stock
    out = over = None
    if story is not None:
        out, over = story.stock_out_asin(n), story.overstock_asin(n)
        if out is not None:  # no delivery from W-4 on, nothing left at the end of W
            on_hand[-1, out] = rng.integers(0, 6)
            received[-4:, out] = 0
            keep[out] = False
        if over is not None:  # far too much stock, hardly a delivery
            on_hand[-1, over] = np.rint(story.overstock_weeks * demand[over])
            received[:, over] = np.rint(received[:, over] * 0.25)
    for w in range(nw - 1, 0, -1):
        on_hand[w - 1] = on_hand[w] + shipped[w] - received[w]
        short = np.where(keep, np.maximum(shipped[w] - on_hand[w - 1], 0), 0)
        cut = np.minimum(short, received[w])
        received[w] -= cut
        on_hand[w - 1] += cut
        # an ASIN the story empties is never below nothing: it received less that week
        below = np.maximum(-on_hand[w - 1], 0)
        received[w] -= below
        on_hand[w - 1] += below
    # FIFO: stock older than 90 days is what the last 13 weeks' deliveries do not account for
    # (before the first week: deliveries at the average rate)
    history = np.vstack([np.repeat(np.rint(received.mean(axis=0))[None, :], 12, 0), received])
    recent = np.lib.stride_tricks.sliding_window_view(history, 13, axis=0).sum(axis=-1)
    aged = np.maximum(on_hand - recent.astype(np.int64), rng.binomial(on_hand, 0.01))
    unsellable = rng.binomial(on_hand, 0.012)
    excess = np.maximum(on_hand - np.rint(13 * demand).astype(np.int64), 0)
    unhealthy = np.maximum(aged, excess)
    lead_weeks = spec.lead_time_days / 7
    open_po = np.rint(demand * lead_weeks * rng.uniform(0.7, 1.05, (nw, n))).astype(np.int64)
    unfilled = rng.poisson(y.ordered_units * 0.004)
    if over is not None:
        open_po[:, over] = 0  # Amazon stopped ordering it
    if out is not None and forecast is not None:  # open POs short of the forecast
        need = forecast.mean[: int(round(lead_weeks)), out].sum()
        open_po[-2:, out] = np.rint(story.po_share * need * np.array([1.0, 0.95]))
        lost = y.ordered_units[-1, out] * (y.oos_bps[-1, out] / (10000 - y.oos_bps[-1, out]))
        unfilled[-1, out] = round(lost)
    confirm_bps = np.rint(rng.uniform(0.86, 0.99, (nw, n)) * 10000).astype(np.int64)
    fill_bps = np.rint(rng.uniform(0.88, 1.0, (nw, n)) * 10000).astype(np.int64)
    lead = p.lead_days[None, :] + rng.normal(0, 1.2, (nw, n))
    lead_tenths = np.rint(np.clip(lead, 7, 90) * 10).astype(np.int64)
    return Stock(
        on_hand=on_hand,
        received=received,
        aged=aged,
        unsellable=unsellable,
        unhealthy=unhealthy,
        open_po=open_po,
        unfilled=unfilled,
        confirm_bps=confirm_bps,
        fill_bps=fill_bps,
        lead_tenths=lead_tenths,
    )


@dataclass
class Vendor:
    spec: Spec
    market: Market
    catalog: Catalog
    params: Params
    ty: Year
    ly: Year
    ly2: Year
    ty_stock: Stock
    ly_stock: Stock
    forecast: Forecast
    month: tuple[date, date]  # the monthly report's calendar month
    prior_month: tuple[date, date]


def simulate_vendor(
    spec: Spec, story: VendorStory | None, n: int, weeks: list[date], rng: np.random.Generator
) -> Vendor:
    """The vendor's years, stock and forecast (``weeks`` are the demo's Mondays)."""
    catalog = build_catalog(spec, n, rng)
    p = _params(catalog, spec, rng)
    last = weeks[-1] - timedelta(days=1)  # the Sunday that starts the last vendor week
    month = _month_before(last)
    prior_month = _month_before(month[0])
    first = min(weeks[0] - timedelta(days=1), _sunday_on_or_before(prior_month[0]))
    count = (last - first).days // 7 + 2  # and the warm-up week
    starts = [first + timedelta(weeks=k - 1) for k in range(count)]
    ty = _year(p, starts, 1.0, p.cost, story, rng)
    cost_ly = np.rint(p.cost / COST_RISE).astype(np.int64)
    ly = _year(p, [s - YEAR for s in starts], p.growth_ly, cost_ly, None, rng)
    ly2 = _year(p, [s - 2 * YEAR for s in starts], p.growth_ly2, cost_ly, None, rng)
    forecast = _forecast(p, ty, rng)
    ty_stock = _stock(p, ty, spec, story, forecast, rng)
    ly_stock = _stock(p, ly, spec, None, None, rng)
    return Vendor(
        spec=spec,
        market=MARKETS[spec.market],
        catalog=catalog,
        params=p,
        ty=ty,
        ly=ly,
        ly2=ly2,
        ty_stock=ty_stock,
        ly_stock=ly_stock,
        forecast=forecast,
        month=month,
        prior_month=prior_month,
    )


# ---------------------------------------------------------------------------------------------
# The files. Money as the English UI writes it, "€1,234.56": the only real exports with money
# (IN, US) use the en style, and none shows a German "1.234,56 €" (Locale=[de_DE] or not).
# Counts are grouped the same way ("1,234"); percentages "12.34%"; a change against a zero
# base is left empty.


def _money(cents: int, symbol: str) -> str:
    whole, rest = divmod(int(cents), 100)
    return f"{symbol}{whole:,}.{rest:02d}"


def _count(value: int) -> str:
    return f"{int(value):,}"


def _pct(bps: int) -> str:
    return f"{bps / 100:.2f}%"


def _change(now: int, before: int) -> str:
    return f"{(int(now) - int(before)) * 100 / int(before):.2f}%" if before else ""


def _line(cells: list[str]) -> str:
    return ",".join(csv_field(c) for c in cells)


def banner(spec: Spec, grain: str, start: date, end: date) -> list[str]:
    """The Retail Analytics banner: one ``Label=[value]`` per cell (en_IN/en_GB spell it
    Programme; the German UI's spelling is not evidenced)."""
    market = MARKETS[spec.market]
    return [
        "Programme=[Retail]",
        f"Distributor View=[{spec.distributor_view.title()}]",
        "View By=[ASIN]",
        f"Countries=[{market.code}]",
        f"Businesses=[{spec.business}]",
        f"Locale=[{spec.language}_{market.code}]",
        f"Currency=[{market.currency}]",
        f"Reporting Range=[{grain}]",
        f"Viewing Range=[{start:%d/%m/%y} - {end:%d/%m/%y}]",
        f"Report Updated=[{end + UPDATED:%d/%m/%y}]",
    ]


def _order(values: np.ndarray) -> list[int]:
    """ASINs by a measure, largest first (ties in catalogue order), as the reports sort."""
    return np.lexsort((np.arange(len(values)), -values)).tolist()


def sales_csv(
    v: Vendor,
    head: list[str],
    now: dict[str, np.ndarray],
    prior: dict[str, np.ndarray],
    last_year: dict[str, np.ndarray],
    lbb_bps: np.ndarray,
) -> str:
    """A Sales Diagnostic CSV: the banner row, the header, one row per ASIN by ordered
    revenue."""
    cat, spec = v.catalog, v.spec
    lines = [_line(head), _line(VENDOR_SALES_HEADER)]
    for i in _order(now["Ordered Revenue"]):
        cells = [cat.child[i], cat.title[i], spec.brand]
        for m in VENDOR_SALES_MEASURES:
            value = now[m][i]
            money = m.endswith(("Revenue", "COGS"))
            shown = _money(value, v.market.symbol) if money else _count(value)
            cells += [shown, _change(value, prior[m][i]), _change(value, last_year[m][i])]
        lines.append(_line([*cells, _pct(lbb_bps[i])]))
    return "\n".join(lines) + "\n"


def traffic_csv(v: Vendor, y: Year, w: int, ly: Year) -> str:
    """Featured Offer Page Views with their changes; the banner wrapped onto two rows."""
    head = banner(v.spec, "Week", y.starts[w], y.starts[w] + timedelta(days=6))
    lines = [_line(head[:5]), _line(head[5:]), _line(VENDOR_TRAFFIC_HEADER)]
    views, before, year_ago = y.page_views[w], y.page_views[w - 1], ly.page_views[w]
    for i in _order(views):
        cells = [v.catalog.child[i], v.catalog.title[i], _count(views[i])]
        lines.append(_line([*cells, _change(views[i], before[i]), _change(views[i], year_ago[i])]))
    return "\n".join(lines) + "\n"


def net_ppm_csv(v: Vendor, y: Year, w: int) -> str:
    """Net PPM % and the prior period's, in absolute basis points (2801 = 28.01 %)."""
    head = banner(v.spec, "Week", y.starts[w], y.starts[w] + timedelta(days=6))
    lines = [_line(head), _line(VENDOR_NET_PPM_HEADER)]
    now, before = y.net_ppm_bps(w), y.net_ppm_bps(w - 1)
    for i in _order(y.ordered_revenue[w]):
        cells = [v.catalog.child[i], v.catalog.title[i]]
        cells += [_pct(now[i]) if now[i] >= 0 else "", str(before[i]) if before[i] >= 0 else ""]
        lines.append(_line(cells))
    return "\n".join(lines) + "\n"


def inventory_xlsx(v: Vendor, y: Year, s: Stock, w: int) -> bytes:
    """Inventory Health as XLSX: the whole banner in one cell, separated by spaces (as some
    XLSX downloads have it), the header, one row per ASIN; numbers are numbers with number
    formats, percentages fractions (0.6 shown as 60.00%)."""
    start, end = y.starts[w], y.starts[w] + timedelta(days=6)
    cost = y.cost  # Inventory Health values stock at cost
    rows: list[list[tuple[str, object] | None]] = [
        [("", " ".join(banner(v.spec, "Week", start, end)))],
        [("", h) for h in VENDOR_INVENTORY_HEADER],
    ]

    def money(units: int, i: int) -> tuple[str, object]:
        return ("money", repr(int(units) * int(cost[i]) / 100))

    for i in _order(y.ordered_revenue[w]):
        shipped, on_hand = int(y.shipped_units[w, i]), int(s.on_hand[w, i])
        through = shipped / (on_hand + shipped) if on_hand + shipped else 0
        rows.append(
            [
                ("", v.catalog.child[i]),
                ("", v.catalog.title[i]),
                ("", v.spec.brand),
                ("pct", repr(int(y.oos_bps[w, i]) / 10000)),
                ("pct", repr(int(s.confirm_bps[w, i]) / 10000)),
                money(s.received[w, i], i),
                ("int", int(s.received[w, i])),
                ("int", int(s.open_po[w, i])),
                ("pct", repr(int(s.fill_bps[w, i]) / 10000)),
                ("days", repr(int(s.lead_tenths[w, i]) / 10)),
                ("int", int(s.unfilled[w, i])),
                money(s.aged[w, i], i),
                ("int", int(s.aged[w, i])),
                money(on_hand, i),
                ("int", on_hand),
                money(s.unsellable[w, i], i),
                ("int", int(s.unsellable[w, i])),
                money(s.unhealthy[w, i], i),
                ("int", int(s.unhealthy[w, i])),
                ("pct", repr(round(through, 4))),
            ]
        )
    stamp = datetime.combine(end + UPDATED, time(6))
    return table_xlsx(rows, v.market, "Inventory Health", stamp)


def sales_json(v: Vendor, y: Year, w: int) -> str:
    """GET_VENDOR_SALES_REPORT for one week (SP-API, the field names of the official schema):
    the aggregate is the sum of the ASINs."""
    start, end = y.starts[w], y.starts[w] + timedelta(days=6)
    currency = v.market.currency

    def record(now: dict[str, int], asin: str | None) -> dict:
        out: dict = {"startDate": start.isoformat(), "endDate": end.isoformat()}
        if asin is not None:
            out["asin"] = asin
        out |= {
            "customerReturns": now["Customer Returns"],
            "orderedRevenue": {"amount": now["Ordered Revenue"] / 100, "currencyCode": currency},
            "orderedUnits": now["Ordered Units"],
            "shippedCogs": {"amount": now["Shipped COGS"] / 100, "currencyCode": currency},
            "shippedRevenue": {"amount": now["Shipped Revenue"] / 100, "currencyCode": currency},
            "shippedUnits": now["Shipped Units"],
        }
        return out

    sales = {m: a.tolist() for m, a in y.sales(w).items()}
    doc = {
        "reportSpecification": {
            "reportType": "GET_VENDOR_SALES_REPORT",
            "reportOptions": {
                "distributorView": v.spec.distributor_view.upper(),
                "reportPeriod": "WEEK",
                "sellingProgram": "RETAIL",
            },
            "lastUpdatedDate": (end + UPDATED).isoformat(),
            "dataStartTime": start.isoformat(),
            "dataEndTime": end.isoformat(),
            "marketplaceIds": [v.market.marketplace_id],
        },
        "salesAggregate": [record({m: sum(values) for m, values in sales.items()}, None)],
        "salesByAsin": [
            record({m: values[i] for m, values in sales.items()}, asin)
            for i, asin in enumerate(v.catalog.child)
        ],
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))  # as the API serves it


def forecast_json(v: Vendor) -> str:
    """GET_VENDOR_FORECASTING_REPORT: per ASIN, the next weeks' mean, P70, P80, P90 units."""
    f = v.forecast
    doc = {
        "reportSpecification": {
            "reportType": "GET_VENDOR_FORECASTING_REPORT",
            "reportOptions": {"sellingProgram": "RETAIL"},
            "lastUpdatedDate": f.generated.isoformat(),
            "marketplaceIds": [v.market.marketplace_id],
        },
        "forecastByAsin": [
            {
                "forecastGenerationDate": f.generated.isoformat(),
                "asin": asin,
                "startDate": start.isoformat(),
                "endDate": (start + timedelta(days=6)).isoformat(),
                "meanForecastUnits": float(f.mean[k, i]),
                "p70ForecastUnits": float(f.p70[k, i]),
                "p80ForecastUnits": float(f.p80[k, i]),
                "p90ForecastUnits": float(f.p90[k, i]),
            }
            for i, asin in enumerate(v.catalog.child)
            for k, start in enumerate(f.starts)
        ],
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def _month_sales(y: Year, first: date, last: date) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """A calendar month's Sales Diagnostic measures and LBB (Price) from the weeks that
    overlap it, each week counted by its share of days in the month. Vendor Central computes
    a month from its days, so a month need not equal its weeks' sum: it is kept at its grain."""
    totals = {m: np.zeros(len(y.page_views[0]), dtype=np.int64) for m in VENDOR_SALES_MEASURES}
    views = np.zeros(len(y.page_views[0]))
    lost = np.zeros(len(y.page_views[0]))
    for w, start in enumerate(y.starts):
        days = sum(first <= start + timedelta(days=d) <= last for d in range(7))
        if not days:
            continue
        for m, values in y.sales(w).items():
            totals[m] += np.rint(values * days / 7).astype(np.int64)
        views += y.page_views[w] * days / 7
        lost += y.page_views[w] * y.lbb_bps[w] * days / 7
    return totals, np.rint(lost / np.maximum(views, 1)).astype(np.int64)


@dataclass
class Written:
    files: list[Path]
    stories: list[dict]
    unit_costs: list[str]  # unit_costs.csv rows: account,sku (the ASIN),cost,currency,valid_from


def write_vendor(
    spec: Spec, n: int, weeks: list[date], inbox: Path, rng: np.random.Generator
) -> Written:
    """Simulate the vendor and write its exports, this year's weeks and the same weeks a year
    earlier: per week the Sales Diagnostic (CSV; one older week as SP-API JSON instead),
    Inventory Health (XLSX), Traffic and Net PPM (CSV); in the last week the forecast (JSON);
    loose in the account's folder one monthly Sales Diagnostic (its period is in its banner)."""
    story = VENDOR_STORIES.get(spec.id)
    v = simulate_vendor(spec, story, n, weeks, rng)
    account_dir = inbox / spec.id
    country, view = v.market.code, spec.distributor_view
    json_week = len(weeks) - 4 if len(weeks) >= 4 else None  # W-3: clear of the story
    written: list[Path] = []
    for y, ly, stock in ((v.ly, v.ly2, v.ly_stock), (v.ty, v.ly, v.ty_stock)):
        this_year = y is v.ty
        for k, monday in enumerate(weeks):
            sunday = monday - timedelta(days=1) - (timedelta(0) if this_year else YEAR)
            w = y.index(sunday)
            end = sunday + timedelta(days=6)
            folder = account_dir / (sunday + timedelta(days=1)).isoformat()
            folder.mkdir(parents=True, exist_ok=True)
            stem = {
                report: folder / vendor_file(report, view, country, "Weekly", sunday, end)
                for report in ("Sales", "Inventory", "Traffic", "NetPPM")
            }
            if this_year and k == json_week:
                path = folder / f"GET_VENDOR_SALES_REPORT_{sunday}_{end}.json"
                written.append(write(path, sales_json(v, y, w)))
            else:
                head = banner(spec, "Week", sunday, end)
                text = sales_csv(v, head, y.sales(w), y.sales(w - 1), ly.sales(w), y.lbb_bps[w])
                written.append(write(stem["Sales"].with_suffix(".csv"), text))
            path = stem["Inventory"].with_suffix(".xlsx")
            path.write_bytes(inventory_xlsx(v, y, stock, w))
            written.append(path)
            written.append(write(stem["Traffic"].with_suffix(".csv"), traffic_csv(v, y, w, ly)))
            written.append(write(stem["NetPPM"].with_suffix(".csv"), net_ppm_csv(v, y, w)))
            if this_year and k == len(weeks) - 1:
                path = folder / f"GET_VENDOR_FORECASTING_REPORT_{v.forecast.generated}.json"
                written.append(write(path, forecast_json(v)))
    # one month at its grain, loose in the account's folder: the banner gives its period
    (first, last), (prior_first, prior_last) = v.month, v.prior_month
    now, lbb = _month_sales(v.ty, first, last)
    prior, _ = _month_sales(v.ty, prior_first, prior_last)
    # the same calendar month a year earlier: its own days, not the days 364 days back
    year_ago, _ = _month_sales(
        v.ly, first.replace(year=first.year - 1), last.replace(year=last.year - 1)
    )
    head = banner(spec, "Month", first, last)
    name = vendor_file("Sales", view, country, "Monthly", first, last)
    written.append(
        write(account_dir / f"{name}.csv", sales_csv(v, head, now, prior, year_ago, lbb))
    )
    stories = [] if story is None else story.records(spec, v.catalog, weeks)
    costs = [
        f"{spec.id},{asin},{cost // 100}.{cost % 100:02d},{v.market.currency},"
        for asin, cost in zip(v.catalog.child, v.params.own_cost.tolist(), strict=True)
    ]
    return Written(written, stories, costs)
