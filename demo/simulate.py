"""The simulation: one account's weekly sales, inventory, ads, reviews and account health.

Every number is drawn from the account's own ``numpy`` generator, in a fixed order: catalogue
(demo/catalogue.py), sales, inventory, ads, then per week reviews and account health; the
account's story (demo/stories.py) is applied through its hooks at fixed points in between.
The order of the draws is the demo's contract: reordering two of them changes the bytes of
every later file of that account (tests/unit/test_demo.py pins them). The split of some
ASINs' sales over a second SKU draws from a generator of its own (``simulate_second_skus``), so
it moves none of these. Nothing here formats text; demo/writers.py and demo/xlsx.py turn these
numbers into export files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from demo.accounts import Spec
from demo.catalogue import ALNUM, MODIFIERS, Catalog, build_catalog
from demo.markets import MARKETS, Market
from demo.stories import Story


def season(day: date) -> float:
    """Smooth yearly shape: winter a little higher, Prime Day, Black Friday and Christmas."""
    doy = day.timetuple().tm_yday
    return (
        1.0
        + 0.10 * math.cos(2 * math.pi * (doy - 350) / 365.25)
        + 0.22 * math.exp(-(((doy - 192) / 4.0) ** 2))
        + 0.30 * math.exp(-(((doy - 331) / 6.0) ** 2))
        + 0.20 * math.exp(-(((doy - 352) / 8.0) ** 2))
    )


@dataclass
class Account:
    """One account's simulated business reports (weeks × ASINs arrays, money in minor units)."""

    spec: Spec
    market: Market
    catalog: Catalog
    weeks: list[date]
    sessions: np.ndarray
    sessions_b2b: np.ndarray
    page_views: np.ndarray
    page_views_b2b: np.ndarray
    buy_box_bps: np.ndarray
    buy_box_b2b_bps: np.ndarray
    units: np.ndarray
    units_b2b: np.ndarray
    order_items: np.ndarray
    order_items_b2b: np.ndarray
    price: np.ndarray  # weekly selling price, minor units
    price_b2b: np.ndarray
    revenue: np.ndarray
    revenue_b2b: np.ndarray
    order: np.ndarray  # file order of the ASINs per week


def simulate_sales(
    spec: Spec, story: Story, n: int, weeks: list[date], rng: np.random.Generator
) -> Account:
    """Weekly business-report numbers per ASIN (weeks × ASINs arrays): sessions from a
    smooth season × trend × noise, orders from conversion × Buy Box, B2B as a subset, and the
    story's ``adjust_sales`` (stock-out, Buy Box lost) applied through the Buy Box share."""
    market = MARKETS[spec.market]
    catalog = build_catalog(spec, n, rng)
    nw = len(weeks)
    last = nw - 1
    seasonal = np.array([season(w + timedelta(days=3)) for w in weeks])
    top = rng.uniform(1800, 4200)
    base = top * (np.arange(n) + 1.0) ** -0.85
    base[0] *= 1.35  # a clear best-seller
    if n >= 4:
        base[-1] = 0.8  # a long-tail ASIN: some weeks without a single session
    trend = rng.normal(0.003, 0.006, n)
    age = np.arange(nw)[:, None] - last
    lam = base[None, :] * seasonal[:, None] * np.exp(trend[None, :] * age)
    lam *= rng.lognormal(0.0, 0.09, (nw, n))

    bb_norm = rng.uniform(0.90, 0.995, n)
    bb = np.clip(bb_norm[None, :] + rng.normal(0, 0.012, (nw, n)), 0.5, 1.0)
    cvr = rng.uniform(0.06, 0.17, n)
    cvr[0] = cvr.max()  # index 0 is the best seller whatever the seed
    instock = np.ones((nw, n))
    story.adjust_sales(lam, bb, instock, rng)
    bb = bb * np.minimum(instock, 1.0)
    bb_bps = np.rint(bb * 10000).astype(np.int64)
    sessions = rng.poisson(lam)
    promo = rng.random((nw, n)) < 0.06
    p_order = np.clip(cvr[None, :] * (bb_bps / 10000.0) * np.where(promo, 1.2, 1.0), 0, 0.95)
    order_items = rng.binomial(sessions, p_order)
    units = order_items + rng.binomial(order_items, rng.uniform(0.03, 0.15, n)[None, :])
    extra_ratio = rng.uniform(0.15, 0.45, n)
    page_views = sessions + rng.binomial(sessions, extra_ratio[None, :])
    share = rng.uniform(0.01, 0.06, n)
    sessions_b2b = rng.binomial(sessions, share[None, :])
    page_views_b2b = sessions_b2b + rng.binomial(
        np.minimum(sessions_b2b, page_views - sessions), 0.3
    )
    order_items_b2b = rng.binomial(order_items, np.minimum(share * 1.5, 1.0)[None, :])
    units_b2b = order_items_b2b + rng.binomial(units - order_items, share[None, :])
    bb_b2b = np.where(
        (sessions_b2b > 0) & (bb_bps > 0),
        np.clip(bb_bps + np.rint(rng.normal(0, 150, (nw, n))), 0, 10000),
        0,
    ).astype(np.int64)
    list_price = catalog.line_price[None, :]
    if market.decimals == 0:
        price = np.where(promo, (list_price * 0.85 // 10) * 10, list_price).astype(np.int64)
    else:
        price = np.where(promo, (list_price * 0.85 // 100) * 100 + 49, list_price)
        price = price.astype(np.int64)
    revenue = units * price
    price_b2b = (price * 0.95).astype(np.int64)
    revenue_b2b = units_b2b * price_b2b
    index = np.broadcast_to(np.arange(n), (nw, n))
    order = np.lexsort((index, -sessions, -order_items), axis=-1)
    return Account(
        spec=spec,
        market=market,
        catalog=catalog,
        weeks=weeks,
        sessions=sessions,
        sessions_b2b=sessions_b2b,
        page_views=page_views,
        page_views_b2b=page_views_b2b,
        buy_box_bps=bb_bps,
        buy_box_b2b_bps=bb_b2b,
        units=units,
        units_b2b=units_b2b,
        order_items=order_items,
        order_items_b2b=order_items_b2b,
        price=price,
        price_b2b=price_b2b,
        revenue=revenue,
        revenue_b2b=revenue_b2b,
        order=order,
    )


@dataclass
class SecondSkus:
    """ASINs also sold under a second, merchant-fulfilled SKU (``<SKU>-FBM``) and that SKU's part
    of their sales (weeks × these ASINs, money in minor units); the ASIN's own (FBA) SKU has the
    rest. Traffic belongs to the ASIN: the business report repeats it on both SKU rows."""

    index: list[int]  # catalogue index of each such ASIN
    sku: list[str]
    units: np.ndarray
    units_b2b: np.ndarray
    order_items: np.ndarray
    order_items_b2b: np.ndarray
    revenue: np.ndarray
    revenue_b2b: np.ndarray


SECOND_SKU_STREAM = 1  # default_rng([seed, account position, 1]); a 0 would equal [seed, position]


def simulate_second_skus(acct: Account, rng: np.random.Generator) -> SecondSkus:
    """Split the sales of the account's ``merchant_skus`` ASINs between their FBA SKU and a
    merchant-fulfilled one, drawing from ``rng``, a generator of its own, so that no other
    number moves: each order item goes to the FBM SKU with a probability fixed per ASIN, the
    extra units of multi-unit orders likewise, and B2B ones among them at random. Units,
    order items and sales of the two SKUs add up to the ASIN's, at the ASIN's prices."""
    n = acct.units.shape[1]
    index = [i for i in acct.spec.merchant_skus if i < n]
    cols = np.array(index, dtype=np.int64)
    order_items, order_items_b2b = acct.order_items[:, cols], acct.order_items_b2b[:, cols]
    extra = acct.units[:, cols] - order_items  # units beyond the first of each order item
    extra_b2b = acct.units_b2b[:, cols] - order_items_b2b
    share = rng.uniform(0.15, 0.35, len(index))[None, :]
    fbm_items = rng.binomial(order_items, share)
    fbm_items_b2b = rng.hypergeometric(order_items_b2b, order_items - order_items_b2b, fbm_items)
    fbm_extra = rng.binomial(extra, share)
    fbm_extra_b2b = rng.hypergeometric(extra_b2b, extra - extra_b2b, fbm_extra)
    units, units_b2b = fbm_items + fbm_extra, fbm_items_b2b + fbm_extra_b2b
    return SecondSkus(
        index=index,
        sku=[f"{acct.catalog.sku[i]}-FBM" for i in index],
        units=units,
        units_b2b=units_b2b,
        order_items=fbm_items,
        order_items_b2b=fbm_items_b2b,
        revenue=units * acct.price[:, cols],
        revenue_b2b=units_b2b * acct.price_b2b[:, cols],
    )


@dataclass
class Inventory:
    """Stock at the end of each week (weeks × ASINs), as the inventory report splits it."""

    fulfillable: np.ndarray
    unsellable: np.ndarray
    reserved: np.ndarray
    working: np.ndarray
    shipped: np.ndarray
    receiving: np.ndarray
    researching: np.ndarray


def simulate_inventory(acct: Account, story: Story, rng: np.random.Generator) -> Inventory:
    """Stock at the end of each week, built backwards from the last week so that it never goes
    negative: whenever stock would exceed its ceiling an inbound shipment must have arrived.
    Shipments are ordered ``lead`` weeks before they arrive and shown as working (ordered
    this week), shipped, then receiving (arriving next week)."""
    units = acct.units
    nw, n = units.shape
    lead = max(2, round(acct.spec.lead_time_days / 7))
    demand = np.maximum(units.mean(axis=0), 0.5)
    low = demand * (lead + 1) * rng.uniform(0.9, 1.3, n)
    high = low + demand * rng.uniform(4, 8, n)
    on_hand = np.zeros((nw, n), dtype=np.int64)
    arrivals = np.zeros((nw + lead + 1, n), dtype=np.int64)
    no_arrival = np.zeros((nw, n), dtype=bool)
    on_hand[-1] = np.rint(rng.uniform(low, high)).astype(np.int64)
    story.plan_stock(on_hand, no_arrival)
    for w in range(nw - 1, 0, -1):
        candidate = on_hand[w] + units[w]
        refill = (candidate > high) & ~no_arrival[w]
        target = np.rint(low * rng.uniform(0.5, 1.0, n)).astype(np.int64)
        arrivals[w] = np.where(refill, np.maximum(candidate - target, 1), 0)
        on_hand[w - 1] = candidate - arrivals[w]
    # shipments on their way at the end of the demo: whatever runs below the reorder point
    short = on_hand[-1] < low
    arrive_in = np.clip(np.rint(on_hand[-1] / demand), 1, lead).astype(np.int64)
    for i in np.nonzero(short)[0].tolist():
        arrivals[nw - 1 + int(arrive_in[i]), i] = int(high[i] - on_hand[-1, i])
    working = np.zeros((nw, n), dtype=np.int64)
    shipped = np.zeros((nw, n), dtype=np.int64)
    receiving = np.zeros((nw, n), dtype=np.int64)
    for w in range(nw):
        working[w] = arrivals[w + lead]
        receiving[w] = arrivals[w + 1]
        if lead > 2:
            shipped[w] = arrivals[w + 2 : w + lead].sum(axis=0)
    reserved = rng.binomial(on_hand, 0.03)
    unsellable = rng.poisson(0.4, (nw, n))
    researching = rng.poisson(0.1, (nw, n))
    inventory = Inventory(on_hand, unsellable, reserved, working, shipped, receiving, researching)
    story.adjust_inventory(inventory)
    return inventory


@dataclass
class Ads:
    """Sponsored Products numbers of the ``k`` advertised ASINs (the top of the catalogue)."""

    k: int
    days: list[date]  # nw * 7
    clicks: np.ndarray  # (W, 7, K, T)
    impressions: np.ndarray
    orders: np.ndarray
    other_units: np.ndarray
    spend: np.ndarray  # minor units
    sales_same: np.ndarray
    sales_other: np.ndarray
    campaign: list[str]
    ad_group: list[str]
    portfolio: list[str]
    targeting: list[str]
    match_type: list[str]
    terms: list[list[str]]
    st_text: list[list[str]] = field(default_factory=list)  # per (ASIN, term): the text columns
    ap_text: list[list[str]] = field(default_factory=list)  # per ASIN: the text columns


TERMS = 3


def simulate_ads(acct: Account, story: Story, rng: np.random.Generator) -> Ads:
    """Sponsored Products days for the top ASINs. Ad clicks are a share of the ASIN's sessions
    and ad orders a share of its order items (at most half), so attributed sales never exceed
    the ASIN's ordered product sales; CPC is set so ACoS sits below the account's target."""
    spec, cat, market = acct.spec, acct.catalog, acct.market
    nw, n = acct.sessions.shape
    k = min(n, 4 + math.ceil(math.sqrt(n)))
    sessions = acct.sessions[:, :k]
    oi = acct.order_items[:, :k]
    price = acct.price[:, :k]
    serve = acct.buy_box_bps[:, :k] / 10000.0  # no Featured Offer, no ad
    p_click = rng.uniform(0.12, 0.28, k)[None, :] * np.ones((nw, 1))
    share = np.minimum(p_click * rng.uniform(0.9, 1.2, k)[None, :], 0.5)
    goal = spec.acos * rng.uniform(0.6, 0.85, k)
    cvr = oi.sum(axis=0) / np.maximum(sessions.sum(axis=0), 1)
    list_price = cat.line_price[:k]
    lo, hi = market.cpc_range
    cpc = np.clip(goal * list_price * np.maximum(cvr, 0.02) * 1.05, lo, hi)
    cpc_week = np.ones((nw, 1)) * cpc[None, :]
    story.adjust_ads(cpc_week, p_click, share)
    clicks_w = rng.binomial(sessions, np.clip(p_click * serve, 0, 1))
    orders_w = np.minimum(np.minimum(rng.binomial(oi, share), clicks_w), oi // 2)
    dow = np.array([1.0, 0.98, 0.97, 1.0, 1.02, 1.06, 1.08])
    dow /= dow.sum()
    clicks_d = rng.multinomial(clicks_w, dow).transpose(0, 2, 1)  # (W, 7, K)
    orders_d = np.zeros_like(clicks_d)
    left_orders, left_clicks = orders_w.copy(), clicks_w.copy()
    for d in range(7):
        c = clicks_d[:, d, :]
        got = rng.hypergeometric(c, left_clicks - c, left_orders)
        orders_d[:, d, :] = got
        left_orders -= got
        left_clicks -= c
    ctr = rng.uniform(0.003, 0.009, k)
    base_imp = rng.uniform(4, 40, k)[None, None, :] * serve[:, None, :]
    impressions_d = clicks_d + rng.poisson(clicks_d * (1 / ctr - 1)[None, None, :] + base_imp)
    weights = np.sort(rng.dirichlet(np.ones(TERMS) * 1.5, k), axis=1)[:, ::-1]
    weights = np.ascontiguousarray(weights / weights.sum(axis=1, keepdims=True))
    clicks = rng.multinomial(clicks_d, weights)  # (W, 7, K, T)
    impressions = clicks + rng.multinomial(impressions_d - clicks_d, weights)
    orders = np.zeros_like(clicks)
    left_orders, left_clicks = orders_d.copy(), clicks_d.copy()
    for t in range(TERMS):
        c = clicks[..., t]
        got = rng.hypergeometric(c, left_clicks - c, left_orders)
        orders[..., t] = got
        left_orders -= got
        left_clicks -= c
    term_factor = rng.uniform(0.8, 1.2, (k, TERMS))
    day_noise = rng.lognormal(0, 0.08, (nw, 7, k, 1))
    cpc_t = cpc_week[:, None, :, None] * term_factor[None, None, :, :] * day_noise
    spend = np.rint(clicks * cpc_t).astype(np.int64)
    other_units = rng.binomial(orders, 0.1)
    price_t = price[:, None, :, None]
    sales_same = orders * price_t
    sales_other = other_units * np.rint(price_t * 0.8).astype(np.int64)

    lang = spec.listing
    mods = MODIFIERS[lang]
    campaign, ad_group, portfolio, targeting, match_type, terms = [], [], [], [], [], []
    for i in range(k):
        kw = cat.keyword[i]
        kind = i % 3
        m1, m2 = mods[i % len(mods)], mods[(i + 2) % len(mods)]
        other = cat.child[(i + 1) % n].lower()
        if kind == 0:
            campaign.append(f"SP_Auto_{cat.sku[i]}")
            ad_group.append("Discovery Auto")
            targeting.append("*")
            match_type.append("-")
            options = [f"{kw} {m1}", kw, other]
        elif kind == 1:
            campaign.append(f"SP_Exact_{kw} - {cat.sku[i]}")
            ad_group.append("Ranking")
            targeting.append(kw)
            match_type.append("EXACT")
            options = [kw, f"{kw}s" if lang != "ja" else f"{kw} {m1}", f"{kw} {m2}"]
        else:
            campaign.append(f"SP_Broad_{kw} - {cat.sku[i]}")
            ad_group.append("Profit")
            targeting.append(kw)
            match_type.append("BROAD" if i % 2 else "PHRASE")
            options = [f"{m1} {kw}", f"{kw} {m2}", kw]
        if spec.index == 0 and i == min(1, k - 1):
            options[2] = f'{kw}, "gift" <set> & more'  # untrusted text in a search term
        terms.append(options)
        portfolio.append(f"{spec.brand} - Main" if i % 4 else "Not grouped")
    days = [w + timedelta(days=d) for w in acct.weeks for d in range(7)]
    currency = market.currency
    st_text = [
        [portfolio[i], currency, campaign[i], ad_group[i], targeting[i], match_type[i], terms[i][t]]
        for i in range(k)
        for t in range(TERMS)
    ]
    ap_text = [
        [portfolio[i], currency, campaign[i], ad_group[i], cat.sku[i], cat.child[i]]
        for i in range(k)
    ]
    return Ads(
        k=k,
        days=days,
        clicks=clicks,
        impressions=impressions,
        orders=orders,
        other_units=other_units,
        spend=spend,
        sales_same=sales_same,
        sales_other=sales_other,
        campaign=campaign,
        ad_group=ad_group,
        portfolio=portfolio,
        targeting=targeting,
        match_type=match_type,
        terms=terms,
        st_text=st_text,
        ap_text=ap_text,
    )


@dataclass
class WeekReviews:
    """The reviews posted in one week, one entry per review, in file order by ``order``."""

    asin: np.ndarray  # catalogue index of the reviewed ASIN
    star: np.ndarray
    complaint: np.ndarray  # tells the story's complaint instead of the usual text
    pick: np.ndarray  # 0..1: which text of its star group
    day: np.ndarray  # 0..6 within the week
    votes: np.ndarray
    helpful: np.ndarray
    vine: np.ndarray
    verified: np.ndarray
    customer: np.ndarray
    ids: np.ndarray  # 13 characters of the review id
    order: np.ndarray


def simulate_reviews(acct: Account, story: Story, w: int, rng: np.random.Generator) -> WeekReviews:
    """Reviews posted in week ``w``: a few per ASIN in proportion to its units, drawn in one
    batch (this runs for every account-week of the benchmark)."""
    last = len(acct.weeks) - 1
    counts = rng.poisson(acct.units[w] * 0.012 + 0.04)
    story.extra_reviews(counts, w, last)
    asin = np.repeat(np.arange(len(counts)), counts)
    total = len(asin)
    good = 0.55 + 0.3 * ((asin * 37 % 10) / 10)
    x = rng.random(total)
    star = np.select([x < good, x < good + 0.2, x < good + 0.28, x < good + 0.34], [5, 4, 3, 2], 1)
    star, complaint = story.review_stars(asin, star, len(counts), rng, w, last)
    pick = rng.random(total)
    day = rng.integers(0, 7, total)
    votes = np.where(rng.random(total) < 0.3, rng.integers(1, 13, total), 0)
    helpful = np.floor(rng.random(total) * (votes + 1)).astype(np.int64)
    vine = rng.random(total) < 0.02
    verified = rng.random(total) < 0.9
    customer = rng.integers(10_000_000, 53_000_000, total)
    ids = ALNUM[rng.integers(0, 36, (total, 13))]
    order = np.lexsort((star, asin, day))
    return WeekReviews(
        asin, star, complaint, pick, day, votes, helpful, vine, verified, customer, ids, order
    )


@dataclass
class WeekHealth:
    """Account-health counts as of the Sunday ending one week."""

    orders60: int  # afn orders over the ODR's 60 days
    mfn60: int
    mfn30: int
    mfn7: int
    defects: int
    claims: int
    chargebacks: int
    negative: int
    late: int
    cancels: int
    valid: int  # shipments with valid tracking
    on_time: int
    b2b7: int
    breach: bool  # the story forced the ODR over its target


def simulate_health(
    acct: Account, story: Story, w: int, rng: np.random.Generator, base_odr: float
) -> WeekHealth:
    """Order counts follow the business reports (ODR over 60 days, the others over their own
    windows); only a story breaches a target, the other metrics stay inside theirs."""
    weekly = acct.order_items.sum(axis=1)
    history = weekly[max(0, w - 8) : w + 1]
    orders60 = max(1, int(round(history.mean() * 60 / 7)))
    mfn60 = max(3, int(round(orders60 * 0.02)))
    mfn30, mfn7 = max(2, mfn60 // 2), max(1, mfn60 // 8)
    forced = story.forced_odr(w, len(acct.weeks) - 1)
    if forced is not None:
        defects = math.ceil(orders60 * forced)
    else:
        defects = min(int(rng.binomial(orders60, base_odr)), int(orders60 * 0.008))
    claims = defects // 3
    chargebacks = min(defects - claims, int(rng.integers(0, 2)))
    negative = defects - claims - chargebacks
    late = min(int(rng.binomial(mfn30, 0.01)), int(mfn30 * 0.03))
    cancels = min(int(rng.binomial(mfn7, 0.005)), int(mfn7 * 0.02))
    valid = mfn30 - min(int(rng.binomial(mfn30, 0.02)), int(mfn30 * 0.04))
    on_time = valid - min(int(rng.binomial(valid, 0.04)), int(valid * 0.08))
    b2b7 = int(acct.order_items_b2b[w].sum())
    return WeekHealth(
        orders60=orders60,
        mfn60=mfn60,
        mfn30=mfn30,
        mfn7=mfn7,
        defects=defects,
        claims=claims,
        chargebacks=chargebacks,
        negative=negative,
        late=late,
        cancels=cancels,
        valid=valid,
        on_time=on_time,
        b2b7=b2b7,
        breach=forced is not None,
    )
