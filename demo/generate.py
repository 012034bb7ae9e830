"""The entry point: ``write_demo`` checks its arguments, writes the home's accounts.yaml and
fx_rates.csv, then simulates and writes every account (in a process pool at large scales), and
last unit_costs.csv (the sellers' SKU costs and the vendor accounts' own cost prices).

Each account draws from ``numpy.random.default_rng([seed, account position])`` and no clock is
read, so the same inputs give byte-identical files, whichever process writes them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import NamedTuple

import numpy as np

from demo.accounts import DEMO_ACCOUNT, Spec, accounts_yaml
from demo.accounts import specs as account_specs
from demo.fx import fx_csv
from demo.manifest import DEMO_LAST_WEEK, BusinessRows, DemoManifest, DemoScale, RowBlock
from demo.markets import (
    ADVERTISED_PRODUCT_FILE,
    DEMO_FILE,
    SEARCH_TERM_FILE,
    ZH_ADVERTISED_PRODUCT_HEADER,
    ZH_COUNTRY,
    ZH_MONEY_SYMBOL,
    ZH_SEARCH_TERM_HEADER,
    advertised_product_header,
    csv_field,
    formatter,
    search_term_header,
    summary_search_term_header,
)
from demo.payments import PAYMENTS_STREAM, simulate_payments, unit_cost_rows, write_payments
from demo.simulate import (
    SECOND_SKU_STREAM,
    simulate_ads,
    simulate_health,
    simulate_inventory,
    simulate_reviews,
    simulate_sales,
    simulate_second_skus,
)
from demo.stories import MARGIN_STORIES, story_of
from demo.vendor import write_vendor
from demo.writers import (
    ads_csv,
    ads_rows,
    business_report,
    health_json,
    inventory,
    it_search_term_csv,
    reviews_tsv,
    row_prefixes,
    summary_rows,
    write,
    zh_ads_csv,
)
from demo.xlsx import ads_xlsx


def _check(scale: DemoScale, last_week: date) -> None:
    for name in ("accounts", "asins", "weeks", "seed"):
        value = getattr(scale, name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"DemoScale.{name} must be an integer, got {value!r}")
    if scale.accounts < 1:
        raise ValueError(f"DemoScale.accounts must be at least 1, got {scale.accounts}")
    if scale.asins < 1:
        raise ValueError(f"DemoScale.asins must be at least 1, got {scale.asins}")
    if scale.weeks < 1:
        raise ValueError(f"DemoScale.weeks must be at least 1, got {scale.weeks}")
    if scale.seed < 0:
        raise ValueError(f"DemoScale.seed must not be negative, got {scale.seed}")
    if not isinstance(last_week, date) or isinstance(last_week, datetime):
        raise ValueError(f"last_week must be a date, got {last_week!r}")
    if last_week.weekday() != 0:
        monday = last_week - timedelta(days=last_week.weekday())
        raise ValueError(
            f"last_week {last_week} is a {last_week:%A}; weeks start on Monday ({monday})"
        )


def _clear_stale(account_dir: Path, keep: set[Path]) -> None:
    """Remove demo exports an earlier run left that this run does not write again (another
    seed, fewer weeks), so rerunning into the same home never duplicates an export; in week
    folders and loose in the account's folder (a vendor's monthly report)."""
    if not account_dir.is_dir():
        return
    for folder in sorted(account_dir.iterdir()):
        if not folder.is_dir():
            if folder.is_file() and DEMO_FILE.match(folder.name) and folder not in keep:
                folder.unlink()
            continue
        for item in folder.iterdir():
            if item.is_file() and DEMO_FILE.match(item.name) and item not in keep:
                item.unlink()
        if not any(folder.iterdir()):
            folder.rmdir()
    if not any(account_dir.iterdir()):
        account_dir.rmdir()


def write_demo(
    home: Path,
    scale: DemoScale = DemoScale(),  # noqa: B008 - frozen, so a shared default is safe
    last_week: date = DEMO_LAST_WEEK,
    progress: Callable[[str], None] | None = None,
) -> DemoManifest:
    """Write the demo accounts file, FX rates and every account's weekly exports under
    ``home``; return what was written and the truth behind the business reports."""
    _check(scale, last_week)
    home = Path(home)
    inbox = home / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    weeks = [last_week - timedelta(weeks=scale.weeks - 1 - i) for i in range(scale.weeks)]
    specs = account_specs(scale.accounts)
    write(home / "accounts.yaml", accounts_yaml(specs))
    write(
        home / "fx_rates.csv",
        fx_csv(weeks[0] - timedelta(days=14), last_week + timedelta(days=6), scale.seed),
    )
    business = BusinessRows(weeks)
    files: list[Path] = []
    stories: list[dict] = []
    wanted = {s.id for s in specs}
    for folder in sorted(inbox.iterdir()):
        if folder.is_dir() and DEMO_ACCOUNT.match(folder.name) and folder.name not in wanted:
            _clear_stale(folder, set())
    jobs = [(spec, scale, weeks, inbox) for spec in specs]
    costs: list[str] = []
    payments: dict[tuple[str, date], dict] = {}
    pending: dict[str, int] = {}
    for spec, result in zip(specs, _run(jobs, scale), strict=True):
        if result.block is not None:  # a vendor has no business reports
            business._add(spec.id, result.block)
            payments.update({(spec.id, week): truth for week, truth in result.payments.items()})
            pending[spec.id] = result.pending_units
        stories += result.stories
        files += result.files
        costs += result.unit_costs
        if progress is not None:
            progress(f"{spec.id}: {len(weeks)} weeks, {len(result.files)} exports")
    # every run writes it, if only its header, so a smaller rerun leaves no cost of an account
    # it no longer writes (which the pipeline would refuse as unknown)
    header = "account,sku,cost,currency,valid_from"
    write(home / "unit_costs.csv", "\n".join([header, *costs]) + "\n")
    return DemoManifest(
        home=home,
        weeks=weeks,
        accounts=[s.entry() for s in specs],
        business_rows=business,
        files=files,
        stories=stories,
        payments=payments,
        pending_units=pending,
    )


PARALLEL_WORK = 250_000  # accounts × ASINs × weeks from which a process pool pays off


class AccountResult(NamedTuple):
    files: list[Path]  # the exports written
    stories: list[dict]  # the manifest's story entries
    block: RowBlock | None  # the business reports' truth; None for a vendor
    unit_costs: list[str]  # unit_costs.csv rows (a seller's SKUs, a vendor's own cost prices)
    payments: dict  # week -> the payments' truth (DemoManifest.payments); empty for a vendor
    pending_units: int = 0  # units ordered in the demo that settle after its last day


def _run(jobs: list[tuple], scale: DemoScale) -> Iterator[AccountResult]:
    """Each account's exports, in account order. Large scales (the benchmark's 200 × 200 × 104
    is ~125k files) are split over a process pool: every account draws from its own seeded
    generator, so the bytes do not depend on which process wrote them."""
    workers = min(
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1),
        8,
        len(jobs),
    )
    if workers < 2 or scale.accounts * scale.asins * scale.weeks < PARALLEL_WORK:
        for job in jobs:
            yield _write_account(*job)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the caller may be a threaded Dagster or DuckDB process
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(_write_account_job, jobs)


def _write_account_job(job: tuple) -> AccountResult:
    return _write_account(*job)


def _write_account(spec: Spec, scale: DemoScale, weeks: list[date], inbox: Path) -> AccountResult:
    """Simulate one account and write all its weekly exports; return the files, its stories
    and the compact truth of its business reports (a vendor: its own cost prices instead)."""
    nrng = np.random.default_rng([scale.seed, spec.index])
    if spec.vendor:
        account_dir = inbox / spec.id
        existed = account_dir.exists()
        vendor = write_vendor(spec, scale.asins, weeks, inbox, nrng)
        if existed:
            _clear_stale(account_dir, set(vendor.files))
        return AccountResult(vendor.files, vendor.stories, None, vendor.unit_costs, {})
    story = story_of(spec.id)
    acct = simulate_sales(spec, story, scale.asins, weeks, nrng)
    inv = simulate_inventory(acct, story, nrng)
    ads = simulate_ads(acct, story, nrng)
    record = story.record(spec, acct.catalog, weeks)
    stories = [] if record is None else [record]
    second = simulate_second_skus(
        acct, np.random.default_rng([scale.seed, spec.index, SECOND_SKU_STREAM])
    )
    block = RowBlock(
        catalog=acct.catalog,
        decimals=acct.market.decimals,
        order=acct.order.astype(np.int32),
        sessions=acct.sessions.astype(np.int32),
        page_views=acct.page_views.astype(np.int32),
        buy_box_bps=acct.buy_box_bps.astype(np.int32),
        units=acct.units.astype(np.int32),
        order_items=acct.order_items.astype(np.int32),
        revenue=acct.revenue,
        second=second,
    )
    market = acct.market
    zh_br, ads_lang = spec.business_report_language == "zh", spec.ads_language
    fmt = formatter(market, ZH_MONEY_SYMBOL[market.currency] if zh_br else "")
    prefix = row_prefixes(acct.catalog, second)
    us = market.code == "US"
    st_header, ap_header = search_term_header(us), advertised_product_header(us)
    if ads_lang == "zh":  # the Chinese console adds retailer and country after the ad group
        st_header, ap_header = ZH_SEARCH_TERM_HEADER, ZH_ADVERTISED_PRODUCT_HEADER
        where = ["Amazon", ZH_COUNTRY[market.code]]
        st_quoted, ap_quoted = (
            [",".join(csv_field(v) for v in [*text[:4], *where, *text[4:]]) for text in texts]
            for texts in (ads.st_text, ads.ap_text)
        )
    else:
        st_quoted, ap_quoted = (
            [",".join(csv_field(v) for v in text) for text in texts]
            for texts in (ads.st_text, ads.ap_text)
        )
    st_sheet = "Sponsored Product Search Term Report"
    ap_sheet = "Sponsored Product Advertised Product Report"
    # the oldest weeks' search terms as one summary export in the folder of its first week, and
    # no advertised product report for them (so the summary is what the warehouse's campaign
    # figures come from); only if the last two weeks, where the stories play, stay daily
    summary_weeks = spec.search_term_summary_weeks
    if len(weeks) < summary_weeks + 2:
        summary_weeks = 0
    report_ids = nrng.integers(10**10, 10**11, len(weeks)).tolist()
    base_odr = float(nrng.uniform(0.001, 0.004))
    account_dir = inbox / spec.id
    existed = account_dir.exists()
    written: list[Path] = []
    for w, week in enumerate(weeks):
        folder = account_dir / week.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        downloaded = week + timedelta(days=7)
        written.append(
            write(
                folder / f"BusinessReport-{downloaded:%d-%m-%Y}.csv",
                business_report(acct, second, w, fmt, prefix),
                "utf-8-sig" if zh_br else market.br_encoding,  # the Chinese UI's has a BOM
            )
        )
        written.append(
            write(
                folder / f"Manage_FBA_Inventory_{report_ids[w]}.txt",
                inventory(acct, inv, w),
                market.inventory_encoding,
            )
        )
        if w >= summary_weeks:
            st_rows, ap_rows = ads_rows(ads, w)
            reports = [
                (SEARCH_TERM_FILE, st_rows, st_header, ads.st_text, st_quoted, st_sheet),
                (ADVERTISED_PRODUCT_FILE, ap_rows, ap_header, ads.ap_text, ap_quoted, ap_sheet),
            ]
            ads_downloaded = downloaded
        elif w == 0:
            rows = summary_rows([ads_rows(ads, v)[0] for v in range(summary_weeks)])
            header = summary_search_term_header(us)
            reports = [(SEARCH_TERM_FILE, rows, header, ads.st_text, st_quoted, st_sheet)]
            ads_downloaded = weeks[summary_weeks - 1] + timedelta(days=7)
        else:
            reports = []
        for name, rows, header, texts, quoted, sheet in reports:
            if spec.xlsx_ads:
                stamp = datetime.combine(ads_downloaded, time(6))
                path = folder / f"{name}.xlsx"
                path.write_bytes(ads_xlsx(rows, header, texts, market, sheet, stamp))
                written.append(path)
            elif ads_lang == "it" and name == SEARCH_TERM_FILE:  # Italian: ";", BOM, no sales
                text = it_search_term_csv(rows, texts)
                written.append(write(folder / f"{name}.csv", text, "utf-8-sig"))
            elif ads_lang == "zh":
                text = zh_ads_csv(rows, header, quoted, market)
                written.append(write(folder / f"{name}.csv", text))
            else:  # (the Italian console's advertised product report: English, not evidenced)
                text = ads_csv(rows, header, quoted, market)
                written.append(write(folder / f"{name}.csv", text))
        reviews = simulate_reviews(acct, story, w, nrng)
        written.append(write(folder / "reviews.tsv", reviews_tsv(acct, w, reviews)))
        health = simulate_health(acct, story, w, nrng, base_odr)
        written.append(write(folder / "account-health.json", health_json(acct, w, health)))
    # payments last, from a generator of their own: no number above moves
    margin = MARGIN_STORIES.get(spec.id)
    pay = simulate_payments(
        acct,
        second,
        inv,
        ads,
        margin,
        np.random.default_rng([scale.seed, spec.index, PAYMENTS_STREAM]),
    )
    written += write_payments(pay, inbox, market.decimals)
    if margin is not None:
        stories.append(margin.record(spec, acct.catalog, weeks))
    if existed:
        _clear_stale(account_dir, set(written))
    costs = unit_cost_rows(pay, market.decimals)
    return AccountResult(written, stories, block, costs, pay.truth, pay.pending_units)
