"""Writers: the simulated numbers as the files Amazon delivers, byte for byte.

One function per export family — business report (CSV), inventory (tab-separated), the two
Sponsored Products reports (console CSV; XLSX in demo/xlsx.py), reviews (TSV) and account
health (JSON) — each returning the text of one account-week. The header wording, encodings
and number formats per marketplace come from demo/markets.py. Nothing here draws a random
number.
"""

from __future__ import annotations

import json
import zlib
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from demo.catalogue import COMPLAINTS, REVIEW_TEXT, UNTRUSTED_REVIEW, Catalog
from demo.markets import (
    BUSINESS_HEADERS,
    CP1252_FIX,
    INVENTORY_HEADER,
    IT_SEARCH_TERM_HEADER,
    REVIEWS_HEADER,
    ZH_BUSINESS_HEADER,
    ZH_MONEY_SYMBOL,
    Formatter,
    Market,
    ads_date,
    csv_field,
    it_ads_date,
)
from demo.simulate import (
    TERMS,
    Account,
    Ads,
    Inventory,
    SecondSkus,
    WeekHealth,
    WeekReviews,
)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding, errors="strict"))
    return path


def row_prefixes(cat: Catalog, second: SecondSkus) -> list[str]:
    """Parent, child, title and SKU of each ASIN, CSV-quoted once per account; then those of
    the second SKUs (index ``len(cat.child) + j`` for ``second.sku[j]``)."""
    rows = list(zip(cat.parent, cat.child, cat.title, cat.sku, strict=True))
    rows += [
        (cat.parent[i], cat.child[i], cat.title[i], sku)
        for i, sku in zip(second.index, second.sku, strict=True)
    ]
    return [f"{p},{c},{csv_field(t)},{csv_field(k)}," for p, c, t, k in rows]


def business_report(
    acct: Account, second: SecondSkus, w: int, fmt: Formatter, prefix: list[str]
) -> str:
    """One week's Detail Page Sales and Traffic by Child Item, one row per SKU in the ASINs'
    file order. Traffic (sessions, page views, their shares, Featured Offer %) belongs to the
    ASIN and is repeated on each of its SKU rows; units, unit session %, sales and order
    items are the SKU's, a second SKU's row right after the ASIN's own SKU's. Downloaded with
    the Chinese UI (``business_report_language`` zh) it has the 2024–26 Chinese columns, no
    B2B ones; in English on a marketplace without its own English header (IT), the UK one."""
    zh = acct.spec.business_report_language == "zh"
    headers = ZH_BUSINESS_HEADER if zh else BUSINESS_HEADERS.get(acct.spec.market)
    header = ",".join(csv_field(h) for h in headers or BUSINESS_HEADERS["UK"])
    s, sb = acct.sessions[w], acct.sessions_b2b[w]
    pv, pvb = acct.page_views[w], acct.page_views_b2b[w]
    n = len(s)

    def share(values: np.ndarray) -> list[int]:
        total = int(values.sum())
        if total == 0:
            return [0] * len(values)
        return np.rint(values * 10000 / total).astype(np.int64).tolist()

    def ratio(num: np.ndarray, den: np.ndarray) -> list[int]:
        safe = np.maximum(den, 1)
        return np.where(den > 0, np.rint(num * 10000 / safe), 0).astype(np.int64).tolist()

    num, pct, money = fmt.int_, fmt.pct, fmt.money
    traffic = [
        ",".join(
            (
                num(c_s),
                num(c_sb),
                pct(c_sp),
                pct(c_spb),
                num(c_pv),
                num(c_pvb),
                pct(c_pvp),
                pct(c_pvpb),
                pct(c_bb),
                pct(c_bbb),
            )
        )
        for c_s, c_sb, c_sp, c_spb, c_pv, c_pvb, c_pvp, c_pvpb, c_bb, c_bbb in zip(
            s.tolist(),
            sb.tolist(),
            share(s),
            share(sb),
            pv.tolist(),
            pvb.tolist(),
            share(pv),
            share(pvb),
            acct.buy_box_bps[w].tolist(),
            acct.buy_box_b2b_bps[w].tolist(),
            strict=True,
        )
    ]
    if zh:  # no B2B columns
        traffic = [
            ",".join((num(c_s), pct(c_sp), num(c_pv), pct(c_pvp), pct(c_bb)))
            for c_s, c_sp, c_pv, c_pvp, c_bb in zip(
                s.tolist(),
                share(s),
                pv.tolist(),
                share(pv),
                acct.buy_box_bps[w].tolist(),
                strict=True,
            )
        ]
    # per SKU row: the ASINs' own SKUs (rows 0..n-1) keep what their second SKU (n + j) has not
    cols = second.index
    sales = {}
    for name in ("units", "units_b2b", "revenue", "revenue_b2b", "order_items", "order_items_b2b"):
        own, part = getattr(acct, name)[w].copy(), getattr(second, name)[w]
        own[cols] -= part
        sales[name] = np.concatenate((own, part))
    asin = np.concatenate((np.arange(n), np.array(cols, dtype=np.int64)))
    units, units_b2b = sales["units"], sales["units_b2b"]
    c_usp, c_uspb = ratio(units, s[asin]), ratio(units_b2b, sb[asin])
    c_u, c_ub = units.tolist(), units_b2b.tolist()
    c_r, c_rb = sales["revenue"].tolist(), sales["revenue_b2b"].tolist()
    c_oi, c_oib = sales["order_items"].tolist(), sales["order_items_b2b"].tolist()
    rows_of = {i: (i, n + j) for j, i in enumerate(cols)}
    lines = [header]
    for i in acct.order[w].tolist():
        for r in rows_of.get(i, (i,)):
            if zh:
                lines.append(
                    prefix[r]
                    + traffic[i]
                    + ","
                    + ",".join((num(c_u[r]), pct(c_usp[r]), money(c_r[r]), num(c_oi[r])))
                )
                continue
            lines.append(
                prefix[r]
                + traffic[i]
                + ","
                + ",".join(
                    (
                        num(c_u[r]),
                        num(c_ub[r]),
                        pct(c_usp[r]),
                        pct(c_uspb[r]),
                        money(c_r[r]),
                        money(c_rb[r]),
                        num(c_oi[r]),
                        num(c_oib[r]),
                    )
                )
            )
    return "\n".join(lines)  # the real exports end without a final newline


def inventory(acct: Account, inv: Inventory, w: int) -> str:
    cat, market = acct.catalog, acct.market
    cp1252 = market.inventory_encoding == "cp1252"
    lines = ["\t".join(INVENTORY_HEADER)]
    ful = inv.fulfillable[w].tolist()
    uns = inv.unsellable[w].tolist()
    res = inv.reserved[w].tolist()
    wor, shi, rec = inv.working[w].tolist(), inv.shipped[w].tolist(), inv.receiving[w].tolist()
    rsr = inv.researching[w].tolist()
    price = acct.price[w].tolist()
    for i in sorted(range(len(cat.sku)), key=cat.sku.__getitem__):
        name = cat.title[i].translate(CP1252_FIX) if cp1252 else cat.title[i]
        warehouse = ful[i] + uns[i] + res[i]
        total = warehouse + wor[i] + shi[i] + rec[i]
        p = price[i]
        your_price = str(p) if market.decimals == 0 else f"{p // 100}.{p % 100:02d}"
        lines.append(
            f"{cat.sku[i]}\t{cat.fnsku[i]}\t{cat.child[i]}\t{name}\tNew\t{your_price}\tNo\t\t"
            f"Yes\t{warehouse}\t{ful[i]}\t{uns[i]}\t{res[i]}\t{total}\t{cat.volume[i]}\t"
            f"{wor[i]}\t{shi[i]}\t{rec[i]}\t{rsr[i]}\t0\t0"
        )
    return "\n".join(lines) + "\n"


def ads_rows(ads: Ads, w: int) -> tuple[list[tuple], list[tuple]]:
    """Search-term rows (clicks ≥ 1, as the console exports them) and advertised-product rows
    (impressions ≥ 1) of one week as tuples: the day, the index of the row's text columns in
    ``st_text``/``ap_text``, then impressions, clicks, spend, total sales, orders, total
    units, advertised-SKU units, other-SKU units, advertised-SKU sales and other-SKU sales
    (money in minor units)."""
    clicks, imps = ads.clicks[w].tolist(), ads.impressions[w].tolist()
    orders, spend = ads.orders[w].tolist(), ads.spend[w].tolist()
    same, other = ads.sales_same[w].tolist(), ads.sales_other[w].tolist()
    other_units = ads.other_units[w].tolist()
    st_rows: list[tuple] = []
    ap_rows: list[tuple] = []
    for d in range(7):
        day = ads.days[w * 7 + d]
        for i in range(ads.k):
            imp_t = imps[d][i]
            if not any(imp_t):
                continue
            c_t, o_t, s_t = clicks[d][i], orders[d][i], spend[d][i]
            sa_t, ot_t, ou_t = same[d][i], other[d][i], other_units[d][i]
            for t in range(TERMS):
                if c_t[t]:
                    o = o_t[t]
                    st_rows.append(
                        (
                            day,
                            i * TERMS + t,
                            imp_t[t],
                            c_t[t],
                            s_t[t],
                            sa_t[t] + ot_t[t],
                            o,
                            o + ou_t[t],
                            o,
                            ou_t[t],
                            sa_t[t],
                            ot_t[t],
                        )
                    )
            o, ou, sa, ot = sum(o_t), sum(ou_t), sum(sa_t), sum(ot_t)
            ap_rows.append(
                (day, i, sum(imp_t), sum(c_t), sum(s_t), sa + ot, o, o + ou, o, ou, sa, ot)
            )
    return st_rows, ap_rows


def summary_rows(daily: list[list[tuple]]) -> list[tuple]:
    """The rows of a summary export (time unit "Summary") over the days of ``daily``, which
    holds daily rows as ``ads_rows`` returns them, in date order: one row per row key, spanning
    the first to the last day the key has a daily row, with the sums of those rows' figures;
    in key order. In place of the day each row has ``(start, end)``."""
    spans: dict[int, list] = {}
    for rows in daily:
        for day, key, *figures in rows:
            span = spans.get(key)
            if span is None:
                spans[key] = [day, day, figures]
            else:
                span[1] = day
                span[2] = [a + b for a, b in zip(span[2], figures, strict=True)]
    return [((start, end), key, *sums) for key, (start, end, sums) in sorted(spans.items())]


def ads_csv(rows: list[tuple], header: list[str], quoted: list[str], market: Market) -> str:
    """Ads console CSV: "Nov 16, 2026" dates, plain numbers (with the $/£ prefix of the US/UK
    console), percentages with two decimals, an empty ACOS where there were no sales.
    ``quoted`` holds each row key's text columns, already CSV-quoted and joined. A row's day
    may be a ``(start, end)`` pair: a summary export's Start Date and End Date."""
    lines = [",".join(csv_field(h) for h in header)]
    prefix = market.symbol if market.code in ("US", "UK") else ""
    dates: dict[date | tuple[date, date], str] = {}
    if market.decimals:

        def money(v: int) -> str:
            return f"{prefix}{v // 100}.{v % 100:02d}"

    else:
        money = str
    for day, key, imp, clk, spend, sales, orders, units, adv_u, oth_u, adv_s, oth_s in rows:
        when = dates.get(day) or dates.setdefault(
            day, ",".join(map(ads_date, day)) if isinstance(day, tuple) else ads_date(day)
        )
        cpc = f"{prefix}{spend / clk / 10**market.decimals:.2f}" if clk else ""
        ctr, cvr, acos, roas = _ad_ratios(imp, clk, spend, sales, orders)
        lines.append(
            f"{when},{quoted[key]},{imp},{clk},{ctr},{cpc},{money(spend)},{money(sales)},"
            f"{acos},{roas},{orders},{units},{cvr},{adv_u},{oth_u},{money(adv_s)},"
            f"{money(oth_s)}"
        )
    return "\n".join(lines) + "\n"


def _ad_ratios(imp: int, clk: int, spend: int, sales: int, orders: int) -> tuple[str, ...]:
    """CTR, conversion rate, ACoS and ROAS as the ads console prints them."""
    ctr, cvr = (f"{clk * 100 / imp:.2f}%", f"{orders * 100 / clk:.2f}%") if clk else ("0.00%",) * 2
    acos = f"{spend * 100 / sales:.2f}%" if sales else ""
    roas = f"{sales / spend:.2f}" if spend else "0.00"
    return ctr, cvr, acos, roas


def zh_ads_csv(rows: list[tuple], header: list[str], quoted: list[str], market: Market) -> str:
    """The Chinese ads console's "new" CSV: ISO start and end dates (the same day in a daily
    export), grouped numbers ("3,200"), money as US$81.60, percentages with two decimals.
    ``quoted`` already holds the retailer and country columns."""
    symbol = ZH_MONEY_SYMBOL.get(market.currency, market.currency)

    def num(v: int) -> str:
        text = f"{v:,}"
        return f'"{text}"' if "," in text else text

    def money(v: int) -> str:
        text = f"{symbol}{v // 100:,}.{v % 100:02d}"
        return f'"{text}"' if "," in text else text

    lines = [",".join(csv_field(h) for h in header)]
    for day, key, imp, clk, spend, sales, orders, units, adv_u, oth_u, adv_s, oth_s in rows:
        start, end = day if isinstance(day, tuple) else (day, day)
        cpc = money(round(spend / clk)) if clk else ""
        ctr, cvr, acos, roas = _ad_ratios(imp, clk, spend, sales, orders)
        lines.append(
            f"{start.isoformat()},{end.isoformat()},{quoted[key]},{num(imp)},{num(clk)},{ctr},"
            f"{cpc},{money(spend)},{money(sales)},{acos},{roas},{num(orders)},{num(units)},{cvr},"
            f"{num(adv_u)},{num(oth_u)},{money(adv_s)},{money(oth_s)}"
        )
    return "\n".join(lines) + "\n"


def _it_field(text: str) -> str:
    if any(c in text for c in ';"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _it_id(name: str, base: int) -> str:
    """A stable 12-digit console id for a campaign or ad group name (no random draw)."""
    return str(base + zlib.crc32(name.encode("utf-8")) % 10**10)


def it_search_term_csv(rows: list[tuple], texts: list[list[str]]) -> str:
    """The Italian ads console's search term report: ";"-separated, "ott 12, 2026" dates
    (start and end: the same day in a daily export), campaign and ad group ids, 4.200 and
    67,20; no sales columns."""
    lines = [";".join(IT_SEARCH_TERM_HEADER)]
    for day, key, imp, clk, spend, *_ in rows:
        start, end = day if isinstance(day, tuple) else (day, day)
        _, _, campaign, ad_group, targeting, match_type, term = texts[key]
        lines.append(
            ";".join(
                (
                    it_ads_date(start),
                    it_ads_date(end),
                    _it_field(campaign),
                    _it_id(campaign, 180_000_000_000),
                    _it_field(ad_group),
                    _it_id(campaign + "\0" + ad_group, 290_000_000_000),
                    _it_field(targeting),
                    _it_field(match_type),
                    _it_field(term),
                    f"{imp:,}".replace(",", "."),
                    f"{clk:,}".replace(",", "."),
                    f"{spend // 100:,}".replace(",", ".") + f",{spend % 100:02d}",
                )
            )
        )
    return "\n".join(lines) + "\n"


def reviews_tsv(acct: Account, w: int, rv: WeekReviews) -> str:
    """Week ``w``'s reviews in the Customer Reviews dataset's TSV layout; the first account's
    last week also carries a review with untrusted markup for the escaping tests."""
    spec, cat = acct.spec, acct.catalog
    lang, text = spec.listing, REVIEW_TEXT[spec.listing]
    last = len(acct.weeks) - 1
    week = acct.weeks[w]
    asin, star, complaint, pick, day = rv.asin, rv.star, rv.complaint, rv.pick, rv.day
    votes, helpful, vine, verified = rv.votes, rv.helpful, rv.vine, rv.verified
    customer, ids, order = rv.customer, rv.ids, rv.order
    lines = ["\t".join(REVIEWS_HEADER)]
    days = [(week + timedelta(days=d)).isoformat() for d in range(7)]
    groups = {5: text["pos"], 4: text["pos"], 3: text["mid"], 2: text["neg"], 1: text["neg"]}
    complaints = COMPLAINTS[lang]
    for r in order.tolist():
        i, stars = int(asin[r]), int(star[r])
        options = complaints if complaint[r] else groups[stars]
        headline, body = options[int(pick[r] * len(options))]
        lines.append(
            f"{spec.market}\t{customer[r]}\tR{''.join(ids[r].tolist())}\t{cat.child[i]}\t"
            f"{cat.product_parent[i]}\t{cat.title[i]}\t{cat.category}\t{stars}\t{helpful[r]}\t"
            f"{votes[r]}\t{'Y' if vine[r] else 'N'}\t{'Y' if verified[r] else 'N'}\t{headline}\t"
            f"{body}\t{days[int(day[r])]}"
        )
    if spec.index == 0 and w == last:  # untrusted text for the escaping tests
        lines.append(
            f"{spec.market}\t10000001\tR0UNTRUSTED0001\t{cat.child[0]}\t{cat.product_parent[0]}"
            f"\t{cat.title[0]}\t{cat.category}\t4\t0\t0\tN\tY\t{UNTRUSTED_REVIEW[0]}\t"
            f"{UNTRUSTED_REVIEW[1]}\t{days[6]}"
        )
    return "\n".join(lines) + "\n"


def _range(end: date, days: int) -> dict:
    return {
        "reportingDateFrom": f"{(end - timedelta(days=days - 1)).isoformat()}T00:00Z",
        "reportingDateTo": f"{end.isoformat()}T23:59Z",
    }


POLICY_METRICS = (
    "listingPolicyViolations",
    "productAuthenticityCustomerComplaints",
    "productConditionCustomerComplaints",
    "productSafetyCustomerComplaints",
    "receivedIntellectualPropertyComplaints",
    "restrictedProductPolicyViolations",
    "suspectedIntellectualPropertyViolations",
    "foodAndProductSafetyIssues",
    "otherPolicyViolations",
    "documentRequests",
)


def health_json(acct: Account, w: int, hw: WeekHealth) -> str:
    """GET_V2_SELLER_PERFORMANCE_REPORT as of the Sunday ending week ``w``."""
    spec = acct.spec
    end = acct.weeks[w] + timedelta(days=6)
    orders60, mfn60, mfn30, mfn7 = hw.orders60, hw.mfn60, hw.mfn30, hw.mfn7
    defects, claims, chargebacks, negative = hw.defects, hw.claims, hw.chargebacks, hw.negative
    late, cancels, valid, on_time, b2b7 = hw.late, hw.cancels, hw.valid, hw.on_time, hw.b2b7
    breach = hw.breach

    def odr_part(channel: str, orders: int, count: int, c: int, cb: int, neg: int) -> dict:
        value = round(count / orders, 4)
        return {
            "reportingDateRange": _range(end, 60),
            "orderCount": orders,
            "orderWithDefects": {"count": count, "status": "BAD" if value >= 0.01 else "GOOD"},
            "claims": {"count": c, "status": "NONE"},
            "chargebacks": {"count": cb, "status": "NONE"},
            "negativeFeedback": {"count": neg, "status": "NONE"},
            "fulfillmentType": channel,
            "status": "BAD" if value >= 0.01 else "GOOD",
            "rate": value,
            "targetValue": 0.01,
            "targetCondition": "LESS_THAN",
        }

    cancel_key = (
        "prefulfillmentCancelRate" if spec.example_spelling else ("preFulfillmentCancellationRate")
    )
    warned = breach
    rating_key = "ahrStatus" if spec.example_spelling else "accountHealthRatingStatus"
    metrics: dict = {
        "marketplaceId": acct.market.marketplace_id,
        "orderDefectRate": {
            "mfn": odr_part("mfn", mfn60, 0, 0, 0, 0),
            "afn": odr_part("afn", orders60, defects, claims, chargebacks, negative),
        },
        "lateShipmentRate": {
            "reportingDateRange": _range(end, 30),
            "orderCount": mfn30,
            "lateShipmentCount": late,
            "status": "GOOD",
            "rate": round(late / mfn30, 4),
            "targetValue": 0.04,
            "targetCondition": "LESS_THAN",
        },
        cancel_key: {
            "reportingDateRange": _range(end, 7),
            "orderCount": mfn7,
            "cancellationCount": cancels,
            "status": "GOOD" if cancels / mfn7 < 0.025 else "BAD",
            "rate": round(cancels / mfn7, 4),
            "targetValue": 0.025,
            "targetCondition": "LESS_THAN",
        },
        "validTrackingRate": {
            "reportingDateRange": _range(end, 30),
            "shipmentCount": mfn30,
            "validTrackingCount": valid,
            "status": "GOOD" if valid / mfn30 >= 0.95 else "BAD",
            "rate": round(valid / mfn30, 4),
            "targetValue": 0.95,
            "targetCondition": "GREATER_THAN",
        },
        "onTimeDeliveryRate": {
            "reportingDateRange": _range(end, 30),
            "shipmentCountWithValidTracking": valid,
            "onTimeDeliveryCount": on_time,
            "status": "GOOD" if on_time / max(valid, 1) >= 0.9 else "BAD",
            "rate": round(on_time / max(valid, 1), 4),
            "targetValue": 0.9,
            "targetCondition": "GREATER_THAN",
        },
        "unitOnTimeDeliveryRate": {
            "reportingDateRange": _range(end, 30),
            "status": "GOOD",
            "targetValue": 0.9,
            "targetCondition": "GREATER_THAN",
            "unitOnTimeDeliveryCount": on_time,
            "totalUnitCount": max(valid, 1),
            "rate": round(on_time / max(valid, 1), 4),
        },
        "invoiceDefectRate": {
            "reportingDateRange": _range(end, 7),
            "orderCount": b2b7,
            "invoiceDefect": {"count": 0, "status": "NONE"},
            "missingInvoice": {"count": 0, "status": "NONE"},
            "lateInvoice": {"count": 0, "status": "NONE"},
            "status": "GOOD",
            "rate": 0.0,
            "targetValue": 0.05,
            "targetCondition": "LESS_THAN",
        },
        "accountHealthRating": {
            rating_key: "WARNED" if warned else "GREAT",
            "reportingDateRange": _range(end, 180),
        },
        "warningStates": [],
    }
    for name in POLICY_METRICS:
        count = 0
        metrics[name] = {
            "reportingDateRange": _range(end, 180),
            "defectsCount": count,
            "status": "BAD" if count else "GOOD",
            "targetValue": 0,
            "targetCondition": "EQUALS",
        }
    doc = {
        "accountStatuses": [
            {
                "marketplaceId": acct.market.marketplace_id,
                "status": "AT_RISK" if warned else "NORMAL",
            }
        ],
        "performanceMetrics": [metrics],
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))  # as the API serves it
