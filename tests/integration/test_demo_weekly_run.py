"""The demo, end to end: generator → ingest → models → checks → packs → mail, in process.

The expected revenue of every pack is worked out here from the generator's own record of
the rows it wrote (its manifest), independently of the readers and the SQL. The packs are then
read back as their readers would: actions ranked by money, complete tables and charts, a boss
pack that explains, print quality and the mails (one module: the demo is built once).
"""

import csv
import email
import email.policy
import pickle
import re
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

import dagster as dg
import duckdb
import pypdf
import pytest
from babel.numbers import format_currency

from assets.core.catalog import discover
from assets.core.i18n import translations
from assets.core.settings import Paths, load_accounts
from assets.ingest.inbox import ingest_inbox
from assets.models.build import build
from assets.reports import render
from assets.reports.packs import (
    SELLER_HEADLINE,
    VENDOR_HEADLINE,
    account_pack_jobs,
    account_pack_jobs_in_batches,
)
from assets.reports.render import make_environment, render_html
from demo import DemoScale, write_demo
from pipelines.definitions import build_definitions
from tests.pack_text import without_contents

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The default demo (6 named accounts in 4 marketplaces, the 2 language accounts
    shenzhen-us and milano-it and the vendor rhein-vendor-de; 16 weeks), ingested and run
    once."""
    home = tmp_path_factory.mktemp("demo")
    manifest = write_demo(home, DemoScale())
    paths = Paths(home).ensure()
    accounts = load_accounts(paths.accounts_file)
    with duckdb.connect(str(paths.warehouse)) as conn:
        results = ingest_inbox(conn, paths, accounts)
    week = manifest.weeks[-1]
    job = build_definitions(home).resolve_job_def("weekly_job")
    render._warming = None  # as in a new process: whether the run warms WeasyPrint is tested
    result = job.execute_in_process(
        partition_key=week.isoformat(), instance=dg.DagsterInstance.ephemeral()
    )
    return manifest, paths, accounts, results, result


@cache
def page_texts(path: Path) -> tuple[str, ...]:
    """Each page's text, read once per PDF (a re-run writes the same PDFs)."""
    return tuple(page.extract_text() for page in pypdf.PdfReader(path).pages)


def pdf_text(path: Path) -> str:
    """The whole pack's text, whitespace squeezed, without the contents line."""
    return without_contents(" ".join(" ".join(page_texts(path)).split()))


def test_every_demo_export_loads_without_rejects(demo):
    manifest, _, _, results, _ = demo
    assert len(results) == len(manifest.files)
    assert {r.status for r in results} == {"loaded"}
    assert sum(r.rows_rejected for r in results) == 0


def test_one_pack_per_account_with_its_name_week_and_revenue(demo):
    manifest, paths, accounts, _, result = demo
    assert result.success
    week = manifest.weeks[-1]
    folder = paths.reports / week.isoformat()
    seller_packs = sorted(p.name for p in folder.glob("*.pdf") if not p.name.startswith("port"))
    assert seller_packs == sorted(f"{a.id}.{a.language}.pdf" for a in accounts.accounts.values())
    assert len({a.marketplace.code for a in accounts.accounts.values()}) >= 4
    for account in accounts.accounts.values():
        text = pdf_text(folder / f"{account.id}.{account.language}.pdf")
        assert account.name in text
        # revenue = the sum of this account's business-report rows for the week, as written
        # (a vendor's: the Ordered Revenue of its Sales export for the Vendor Central week)
        revenue = (
            vendor_ordered_revenue(paths, account.id, week)
            if account.is_vendor
            else sum(
                (Decimal(str(r["revenue"])) for r in manifest.business_rows[(account.id, week)]),
                Decimal(0),
            )
        )
        expected = format_currency(revenue, account.currency, locale=account.locale)
        expected = " ".join(expected.split())  # text extraction turns no-break spaces into spaces
        assert expected in text, (account.id, expected)
        assert week.strftime("%Y") in text
    # the revenue bridge names the demo's stories as drivers of the top movers
    assert "out of stock" in pdf_text(folder / "acme-uk.en.pdf")
    assert "Buy Box verloren" in pdf_text(folder / "acme-de.de.pdf")
    # …and the other sections tell the other stories
    acme_us = pdf_text(folder / "acme-us.en.pdf")
    assert "Campaigns over the ACoS target" in acme_us and "Account health" in acme_us
    nordwind = pdf_text(folder / "nordwind-de.de.pdf")
    assert "Bestellmängelquote" in nordwind and "Verstoß" in nordwind
    assert (
        "Data behind this report" in acme_us and "Sponsored Products Search term report" in acme_us
    )
    # its first action is the ODR breach
    assert nordwind.index("Was zuerst zu tun ist") < nordwind.index("Bestellmängelquote liegt bei")
    # the boss pack: totals in the base currency, the breach named, riskiest account first
    boss = pdf_text(folder / "portfolio-eu.pdf")
    assert "Portfolio revenue in EUR" in boss and "Order defect rate" in boss
    assert boss.index("Nordwind") < boss.index("ACME UK")


def vendor_ordered_revenue(paths, account_id, week) -> Decimal:
    """The Ordered Revenue column of the vendor's weekly Sales CSV, summed as written
    ("€19,846.77"): the banner is its first line, the header its second."""
    (sales,) = (paths.inbox / account_id / week.isoformat()).glob("Sales_*.csv")
    lines = sales.read_text("utf-8").splitlines()[1:]
    amounts = (row["Ordered Revenue"].lstrip("€").replace(",", "") for row in csv.DictReader(lines))
    return sum((Decimal(a) for a in amounts), Decimal(0))


def test_the_vendor_pack_tells_the_vendors_story(demo):
    """rhein-vendor-de (demo/vendor.py): Amazon matched a lower price on its best seller, the
    pepper mill ran out at Amazon with POs short of the forecast, the baking mat is aged."""
    manifest, paths, accounts, _, _ = demo
    folder = paths.reports / manifest.weeks[-1].isoformat()
    vendor = pdf_text(folder / "rhein-vendor-de.de.pdf")
    assert "Wöchentlicher Vendor-Bericht" in vendor
    assert "Vendor Central vom 15.11.2026 bis 21.11.2026, Manufacturing-Ansicht" in vendor
    # the best seller's Net PPM fell as Amazon matched the price
    assert "B0O3X7EP5J" in vendor and "28,0 % → 18,8 %" in vendor
    # the first action: the ASIN Amazon ran out of, with the POs short of the forecast
    actions = vendor[vendor.index("Was zuerst zu tun ist") :]
    assert actions.index("B0VH1T45GU") < actions.index("B0O3X7EP5J")
    assert "nicht auf Lager" in vendor and "Überbestand" in vendor
    assert "Buy Box an niedrigeren Preis verloren" in vendor
    # the boss pack shows it beside the sellers with its own measures
    boss = pdf_text(folder / "portfolio-eu.pdf")
    assert "Vendor accounts (Vendor Central)" in boss and "Rheinwerk" in boss
    assert boss.index("ACME UK") < boss.index("Vendor accounts")


def test_every_seller_pack_says_what_the_seller_kept(demo):
    """The contribution margin each seller pack prints is the one the generator worked out
    from the payment exports it wrote (manifest.payments), and the stories show: milano-it's
    FBA fees rose (a negative fee-rate effect), acme-uk's refund wave (the refunds effect)."""
    manifest, paths, accounts, _, _ = demo
    week = manifest.weeks[-1]
    folder = paths.reports / week.isoformat()
    for account in accounts.accounts.values():
        if account.is_vendor:
            continue
        truth = manifest.payments[(account.id, week)]
        expected = format_currency(
            truth["contribution_margin"], account.currency, locale=account.locale
        )
        text = pdf_text(folder / f"{account.id}.{account.language}.pdf")
        assert " ".join(expected.split()) in text, account.id
    uk = pdf_text(folder / "acme-uk.en.pdf")
    refunds = uk[uk.index("What changed the margin") :]
    assert "Refunds effect -£" in refunds
    milano = pdf_text(folder / "milano-it.it.pdf")
    assert "Cosa resta al venditore" in milano
    boss = pdf_text(folder / "portfolio-eu.pdf")
    assert "Margin" in boss and "accounts with payment exports" in boss


def test_no_demo_pack_is_held_and_every_recipient_got_mail(demo):
    manifest, paths, accounts, _, result = demo
    week = manifest.weeks[-1].isoformat()
    with duckdb.connect(str(paths.warehouse), read_only=True) as conn:
        assert conn.execute("select * from checks.holds").fetchall() == []
        sent = conn.execute(
            "select count(*) from delivery.ledger where status = 'sent' and week_start = ?", [week]
        ).fetchone()[0]
    recipients = sum(len(a.recipients) for a in accounts.accounts.values())
    bosses = sum(len(p.bosses) for p in accounts.portfolios.values())
    assert sent == recipients + bosses
    assert len(list((paths.outbox / week).glob("*.eml"))) == sent
    critical = [
        c
        for c in result.get_asset_check_evaluations()
        if not c.passed and c.severity == dg.AssetCheckSeverity.ERROR
    ]
    assert critical == []


def test_the_run_warmed_weasyprint_for_its_render_workers_while_its_models_were_checked(demo):
    assert render._warming is not None and render._warming.name == "render-warm-up"
    assert not render._warming.is_alive()


def test_the_seller_shard_started_the_boss_packs_behind_its_own_and_left_nothing_hidden(demo):
    manifest, paths, accounts, _, result = demo
    (boss,) = result.asset_materializations_for_node("packs__portfolio_packs")
    portfolios = {a.portfolio for a in accounts.accounts.values()}
    assert boss.metadata["packs"].value == boss.metadata["started_ahead"].value == len(portfolios)
    folder = paths.reports / manifest.weeks[-1].isoformat()
    assert sorted(p.name for p in folder.glob("portfolio-*.pdf")) == sorted(
        f"portfolio-{p}.pdf" for p in portfolios
    )
    assert not list(folder.glob(".ahead-*")) and not render._ahead


def test_packs_read_in_batches_are_the_packs_read_at_once(demo, tmp_path):
    """The shard reads its accounts' figures a worker's worth first, then a hundred at a time:
    each pack's context is the same as when every account is read in one go."""
    manifest, paths, accounts, _, _ = demo
    everyone = list(accounts.accounts.values())
    with duckdb.connect(str(paths.warehouse), read_only=True) as conn:
        whole = account_pack_jobs(conn, everyone, manifest.weeks[-1], tmp_path)
        batches = account_pack_jobs_in_batches(
            conn, everyone, manifest.weeks[-1], tmp_path, batch=3, first=2
        )
        assert [pickle.dumps(j) for j in batches] == [pickle.dumps(j) for j in whole]
    assert len(whole) == len(everyone) > 2 + 3


def test_models_built_two_at_a_time_equal_models_built_one_by_one(demo, tmp_path):
    """The weekly run builds the models two at a time (``build_all``): a copy of its warehouse
    with the week built again one model after another holds the same rows in every table
    (doubles to 6 decimals: DuckDB's threads sum them in no fixed order, one model after
    another too)."""
    manifest, paths, _, _, _ = demo
    copy = tmp_path / "one-by-one.duckdb"
    shutil.copyfile(paths.warehouse, copy)
    assert not paths.warehouse.with_name(paths.warehouse.name + ".wal").exists()
    tables = [m for m in discover() if not m.is_view]
    with duckdb.connect(str(copy)) as conn:
        for model in discover():
            build(conn, model, manifest.weeks[-1])
    with duckdb.connect() as conn:
        conn.execute(f"attach '{paths.warehouse}' as run (read_only)")
        conn.execute(f"attach '{copy}' as seq (read_only)")
        for model in tables:
            columns = ", ".join(
                f"round({name}, 6)" if kind == "DOUBLE" else name
                for name, kind, *_ in conn.execute(f"describe run.{model.table}").fetchall()
            )
            for a, b in (("run", "seq"), ("seq", "run")):
                (extra,) = conn.execute(
                    f"select count(*) from (select {columns} from {a}.{model.table} "
                    f"except all select {columns} from {b}.{model.table})"
                ).fetchone()
                assert extra == 0, f"{model.table}: {extra} rows only in {a}"
    assert len(tables) > 20


def test_a_rerun_changes_nothing_and_sends_nothing_twice(demo):
    manifest, paths, _, _, _ = demo
    week = manifest.weeks[-1]
    before = len(list((paths.outbox / week.isoformat()).glob("*.eml")))
    job = build_definitions(paths.home).resolve_job_def("weekly_job")
    again = job.execute_in_process(
        partition_key=week.isoformat(), instance=dg.DagsterInstance.ephemeral()
    )
    assert again.success
    emails = next(
        m
        for m in again.get_asset_materialization_events()
        if m.asset_key.to_user_string() == "delivery/pack_emails"
    )
    metadata = emails.event_specific_data.materialization.metadata
    assert metadata["sent"].value == 0 and metadata["already_sent"].value == before
    assert len(list((paths.outbox / week.isoformat()).glob("*.eml"))) == before


# ------------------------------------------------------------------------------------------------
# The demo packs' action lists, read back from the PDFs: ranked by the weekly amount at stake,
# acme-uk's out-of-stock best seller first, no ASIN-shaped search term in lower case.


ASIN_LOWER = re.compile(r"\bb0[0-9a-z]{8}\b")


def actions_section(text: str, note: str, next_title: str) -> str:
    """The list between the section's note (under its title) and the next section's title
    (``pdf_text`` has taken out the contents line, which names it too)."""
    start = text.index(note) + len(note)
    return text[start : text.index(next_title, start)]


def test_acme_uk_lists_actions_by_amount_with_the_out_of_stock_best_seller_first(demo):
    manifest, paths, _, _, _ = demo
    week = manifest.weeks[-1]
    text = pdf_text(paths.reports / week.isoformat() / "acme-uk.en.pdf")
    section = actions_section(text, "amounts are left out.", "What changed revenue")
    # amounts at stake are estimates, printed in whole pounds
    amounts = [int(a.replace(",", "")) for a in re.findall(r"£([\d,]+) a week at stake", section)]
    with duckdb.connect(str(paths.warehouse), read_only=True) as conn:
        expected = conn.execute(
            "select kind, subject, amount_at_stake::double from reports.rpt_actions "
            "where account_id = 'acme-uk' and week_start = ? order by action_rank",
            [week],
        ).fetchall()
        best_out_of_stock = conn.execute(
            "select asin from marts.fct_inventory_asin_week where account_id = 'acme-uk' "
            "and week_start = ? and stock_status = 'out_of_stock' "
            "order by revenue_4w_amount desc limit 1",
            [week],
        ).fetchone()[0]
    breaches = [e for e in expected if e[0] == "health_breach"]
    assert amounts == [round(e[2]) for e in expected if e[0] != "health_breach"]
    assert len(amounts) >= 3 and amounts == sorted(amounts, reverse=True)
    assert section.count("All sales at stake") == len(breaches)
    # the first action after any breach is the best seller that is out of stock, with its
    # inbound units; the ad tweaks under £10 a week are gone
    first = expected[len(breaches)]
    assert first[:2] == ("out_of_stock", best_out_of_stock)
    items = re.split(r"(?=£[\d,]+ a week at stake|All sales at stake)", section)[1:]
    item = items[len(breaches)]
    assert best_out_of_stock in item and "out of stock" in item and "inbound" in item
    assert min(amounts) >= 10


def test_vendor_actions_are_ranked_by_amount(demo):
    manifest, paths, _, _, _ = demo
    text = pdf_text(paths.reports / manifest.weeks[-1].isoformat() / "rhein-vendor-de.de.pdf")
    t = translations("de")
    section = actions_section(text, t["vendor_actions_note"][-12:], t["vendor_changes_title"])
    amounts = [
        int(a.replace(".", "")) for a in re.findall(r"([\d.]+) € pro Woche gefährdet", section)
    ]
    assert 1 <= len(amounts) <= 8 and amounts == sorted(amounts, reverse=True)


def test_no_pack_prints_an_asin_shaped_search_term_in_lower_case(demo):
    manifest, paths, accounts, _, _ = demo
    folder = paths.reports / manifest.weeks[-1].isoformat()
    with duckdb.connect(str(paths.warehouse), read_only=True) as conn:
        # the demo has such terms (auto campaigns): they would show if printed as written
        (terms,) = conn.execute(
            "select count(*) from marts.fct_ads_search_term_week where is_asin_term"
        ).fetchone()
    assert terms > 0
    for account in accounts.accounts.values():
        text = pdf_text(folder / f"{account.id}.{account.language}.pdf")
        assert not ASIN_LOWER.findall(text), account.id


# ------------------------------------------------------------------------------------------------
# The demo packs' tables and charts: the headline with last week on every row that has one,
# stock lists that name the ASINs, and the trend charts and revenue waterfall in every pack.


# a value as the headline prints it (sections/vendor_macros.html)
VALUE = '{% from "sections/vendor_macros.html" import value with context %}{{ value(m, v, ccy) }}'


def jobs_and_kpis(demo):
    manifest, paths, accounts, _, _ = demo
    week = manifest.weeks[-1]
    with duckdb.connect(str(paths.warehouse), read_only=True) as conn:
        jobs = account_pack_jobs(conn, list(accounts.accounts.values()), week, paths.reports)
        kpis = conn.execute(
            "select account_id, metric, week_start, value from reports.rpt_account_kpis "
            "where week_start in (?, ?) and value is not null",
            [week, week - timedelta(weeks=1)],
        ).fetchall()
        stock = conn.execute(
            "select account_id, asin, inbound_units, replenishment_units, stock_status "
            "from reports.rpt_inventory where week_start = ? "
            "and (replenishment_units > 0 or stock_status = 'out_of_stock')",
            [week],
        ).fetchall()
    known = {(a, m, w): v for a, m, w, v in kpis}
    return week, {j.context["account"]["id"]: j for j in jobs}, known, stock


def section(text: str, start: str, end: str | None = None) -> str:
    """The PDF text from the heading ``start`` to the heading ``end``."""
    begin = text.index(start)
    return text[begin : text.index(end, begin) if end else None]


def test_no_headline_row_has_a_blank_previous_week_where_last_week_exists(demo):
    manifest, paths, accounts, _, _ = demo
    week, jobs, known, _ = jobs_and_kpis(demo)
    for account in accounts.accounts.values():
        job = jobs[account.id]
        t = translations(account.language)
        text = pdf_text(paths.reports / week.isoformat() / job.output.name)
        headline = section(text, t["headline_title"], t["usual_range_note"][:20])
        env = make_environment(account.locale)
        rows = VENDOR_HEADLINE if account.is_vendor else SELLER_HEADLINE
        checked = 0
        for metric, _ in rows:
            now = known.get((account.id, metric, week))
            before = known.get((account.id, metric, week - timedelta(weeks=1)))
            if now is None or before is None:
                continue
            printed = env.from_string(VALUE).render(
                m=metric, v=before, ccy=account.currency, units=job.context["units"], t=t
            )
            label = job.context["labels"][metric]
            assert " ".join(printed.split()) in headline, (account.id, metric, printed)
            # a label may wrap in its cell (a Japanese one between any two characters)
            assert "".join(label.split()) in "".join(headline.split()), (account.id, label)
            checked += 1
        # the sales, ads and (with payment exports) margin rows all had a last week
        assert checked >= (8 if account.is_vendor else 11), account.id


def test_stock_lists_name_the_asins_to_send_and_the_out_of_stock_ones(demo):
    manifest, paths, accounts, _, _ = demo
    week, jobs, _, stock = jobs_and_kpis(demo)
    listed = 0
    for account in accounts.accounts.values():
        if account.is_vendor:
            continue
        t = translations(account.language)
        text = pdf_text(paths.reports / week.isoformat() / jobs[account.id].output.name)
        mine = [r for r in stock if r[0] == account.id]
        if not mine:
            continue
        table = section(text, t["replenish_title"])
        for _, asin, _, _, _ in mine:
            assert asin in table, (account.id, asin)
            listed += 1
    assert listed >= 10  # acme-de 5, nordwind-de 3, shenzhen-us 6, … in the demo
    # acme-uk's best seller is out of stock with 5,309 units on their way
    (oos,) = [r for r in stock if r[0] == "acme-uk" and r[4] == "out_of_stock"]
    text = pdf_text(paths.reports / week.isoformat() / jobs["acme-uk"].output.name)
    row = section(section(text, "ASINs to replenish"), oos[1])
    assert row.split()[:1] == [oos[1]] and "out of stock" in row[:200]
    assert f"{oos[2]:,}" in row[:200]


def test_every_pack_draws_its_trend_charts_and_revenue_waterfall(demo):
    _, _, accounts, _, _ = demo
    _, jobs, _, _ = jobs_and_kpis(demo)
    for account in accounts.accounts.values():
        html = render_html(jobs[account.id])
        # seller: revenue, sessions, ad spend, ACoS · TACoS, weeks of cover; vendor: ordered
        # revenue, featured-offer page views, Net PPM, weeks of cover
        charts = html.count('<div class="trend-cell">')
        assert charts == (4 if account.is_vendor else 5), (account.id, charts)
        assert html.count('<svg class="trend"') >= charts, account.id
        assert '<svg class="waterfall"' in html, account.id


# ------------------------------------------------------------------------------------------------
# The demo's boss pack explains (issue 19 point 4): every amount of portfolio-eu's accounts
# table in € with the pound figures only in small print under them, the accounts needing
# attention first with their reasons, and the drivers adding up to the portfolio's change.


MONEY = re.compile(r"-?[€£][\d,]+\.\d\d")


def test_every_amount_of_the_accounts_table_is_in_euros_pounds_in_small_print(demo):
    manifest, paths, _, _, _ = demo
    week = manifest.weeks[-1]
    boss = pdf_text(paths.reports / week.isoformat() / "portfolio-eu.pdf")
    table = boss[boss.index("Accounts Account") : boss.rindex("Packs held this week")]
    amounts = MONEY.findall(table)
    assert any(a.lstrip("-").startswith("£") for a in amounts), "ACME UK's own pounds"
    # a pound figure is only ever the small print under the euro figure before it
    for i, amount in enumerate(amounts):
        if "£" in amount:
            assert i > 0 and "€" in amounts[i - 1], (amount, amounts)
    with duckdb.connect(str(paths.warehouse), read_only=True) as conn:
        base, local = conn.execute(
            "select revenue_base_amount, revenue_amount from reports.rpt_portfolio_accounts "
            "where account_id = 'acme-uk' and week_start = ?",
            [week],
        ).fetchone()
    # ACME UK's revenue: the euro figure first (the pounds at the week's ECB rate), then pounds
    euros = format_currency(Decimal(str(round(base, 2))), "EUR", locale="en_GB")
    pounds = format_currency(local, "GBP", locale="en_GB")
    assert f"ACME UK UK {euros} {pounds}" in table


def test_the_first_account_listed_needs_attention_and_says_why(demo):
    manifest, paths, _, _, _ = demo
    week = manifest.weeks[-1]
    boss = pdf_text(paths.reports / week.isoformat() / "portfolio-eu.pdf")
    attention = boss[boss.rindex("Accounts needing attention") : boss.rindex("What moved")]
    # nordwind-de breaches the ODR limit (demo story): first, before ACME UK's stock-out
    first = "Accounts needing attention Nordwind Outdoor DE DE — Order defect rate"
    assert re.match(rf"{first} [\d.]+% — over the 1\.0% limit", attention)
    assert re.search(r"ACME UK UK — B0\w+ is out of stock: it sold €[\d,.]+ a week", attention)
    # and the accounts table starts with it too
    table = boss[boss.index("Accounts Account") :]
    first_row = table[table.index("Pack ") + len("Pack ") :]
    assert first_row.startswith("Nordwind Outdoor DE")


def test_the_drivers_add_up_to_the_portfolios_change(demo):
    manifest, paths, _, _, _ = demo
    week = manifest.weeks[-1]
    with duckdb.connect(str(paths.warehouse), read_only=True) as conn:
        total, previous = conn.execute(
            "select revenue_base_amount, previous_revenue_base_amount from reports.rpt_portfolio "
            "where portfolio_id = 'eu' and week_start = ?",
            [week],
        ).fetchone()
        effects = conn.execute(
            "select traffic_effect_base_amount + conversion_effect_base_amount "
            "+ price_effect_base_amount + other_effect_base_amount, revenue_change_base_amount "
            "from reports.rpt_portfolio_drivers where portfolio_id = 'eu' and week_start = ?",
            [week],
        ).fetchone()
        by_account = conn.execute(
            "select sum(revenue_change_base_amount) from reports.rpt_portfolio_accounts "
            "where portfolio_id = 'eu' and week_start = ?",
            [week],
        ).fetchone()[0]
    # every demo account sold in both weeks: the like-for-like change is the whole change
    change = total - previous
    assert round(float(effects[0]), 2) == round(change, 2)
    assert round(float(effects[1]), 2) == round(change, 2)
    assert round(by_account, 2) == round(change, 2)
    boss = pdf_text(paths.reports / week.isoformat() / "portfolio-eu.pdf")
    drivers = boss[boss.rindex("What moved the portfolio") : boss.index("Which accounts")]
    printed = format_currency(Decimal(str(round(change, 2))), "EUR", locale="en_GB")
    assert f"Change {printed}" in drivers


# ------------------------------------------------------------------------------------------------
# Print quality and mail of every demo pack (issue 19 points 5 and 6): bold CJK faces, the
# contents line on page 1 with the pages the sections are on, no page but the last mostly empty,
# and every mail in the outbox with its Date, Message-ID, headline change and file name.


# the sections each pack lists in its contents line (seller_pack.html, vendor_pack.html)
SELLER_CONTENTS = ["headline_title", "actions_title", "bridge_title", "margin_title",
                   "ads_title", "stock_title", "voice_title", "health_title",
                   "data_health_title", "glossary_title"]  # fmt: skip
VENDOR_CONTENTS = ["headline_title", "actions_title", "vendor_changes_title",
                   "vendor_stock_title", "vendor_buy_box_title", "data_health_title",
                   "glossary_title"]  # fmt: skip
MM = 72 / 25.4  # points per millimetre
# pack.css @page: A4, 18 mm margin on top and 20 mm at the bottom (the footer sits in it)
TOP, BOTTOM = 18 * MM, (297 - 20) * MM


def account_packs(demo):
    manifest, paths, accounts, _, _ = demo
    folder = paths.reports / manifest.weeks[-1].isoformat()
    return [
        (account, folder / f"{account.id}.{account.language}.pdf")
        for account in accounts.accounts.values()
    ]


def font_names(pdf) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(pdf).pages:
        for font in page["/Resources"].get_object().get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def test_japanese_and_chinese_packs_embed_the_bold_cjk_face(demo):
    faces = {"ja": "Noto-Sans-CJK-JP", "zh": "Noto-Sans-CJK-SC"}
    cjk = [(a, pdf) for a, pdf in account_packs(demo) if a.language in faces]
    assert {a.language for a, _ in cjk} == {"ja", "zh"}  # sakura-jp and shenzhen-us
    for account, pdf in cjk:
        names = font_names(pdf)
        face = faces[account.language]
        # headings and table heads in the real bold face, not a synthesised one
        assert f"{face}-Bold" in names, (account.id, names)
        assert face in names, (account.id, names)  # the regular face: no suffix


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_the_contents_line_on_page_1_names_the_page_of_each_section(demo):
    for account, pdf in account_packs(demo):
        t = translations(account.language)
        pages = [squeeze(text) for text in page_texts(pdf)]
        before, after = (squeeze(part) for part in t["contents_page"].split("{page}"))
        assert squeeze(t["contents_title"]) + ":" in pages[0], account.id
        keys = VENDOR_CONTENTS if account.is_vendor else SELLER_CONTENTS
        listed = []
        for key in keys:
            title = squeeze(t[key])
            found = re.search(re.escape(title + before) + r"(\d+)" + re.escape(after), pages[0])
            assert found, (account.id, key)
            page = int(found.group(1))
            listed.append(page)
            # the section's heading is on that page (page 1 also has the contents line)
            assert pages[page - 1].count(title) >= (2 if page == 1 else 1), (account.id, key)
        assert listed == sorted(listed), account.id  # the sections in the order printed


def page_fill(pdf) -> list[float]:
    """How far down each page its lowest line of text reaches, as a share of the space
    between the margins (pdftotext -bbox; the footer in the bottom margin not counted)."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml)
    root = ElementTree.fromstring(re.sub(r'\sxmlns="[^"]+"', "", xml, count=1))
    fills = []
    for page in root.iter("page"):
        lows = [float(w.get("yMax")) for w in page.iter("word") if float(w.get("yMax")) < BOTTOM]
        fills.append((max(lows, default=TOP) - TOP) / (BOTTOM - TOP))
    return fills


def test_no_page_but_the_last_is_mostly_empty(demo):
    manifest, paths, _, _, _ = demo
    packs = sorted((paths.reports / manifest.weeks[-1].isoformat()).glob("*.pdf"))
    assert len(packs) == 12  # 9 accounts and 3 portfolios
    for pdf in packs:
        fills = page_fill(pdf)
        assert all(fill >= 0.4 for fill in fills[:-1]), (pdf.name, fills)


def test_every_mail_has_date_message_id_its_change_and_a_named_attachment(demo):
    manifest, paths, accounts, _, _ = demo
    week = manifest.weeks[-1]
    mails = sorted((paths.outbox / week.isoformat()).glob("*.eml"))
    packs = {a.id: a for a in accounts.accounts.values()}
    assert {m.name.split("--")[0] for m in mails} >= set(packs)
    for path in mails:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        pack = path.name.split("--")[0]
        assert message["Date"].datetime.tzinfo is not None, pack
        assert re.fullmatch(r"<\d{8}\.[0-9a-f]{24}@[\w.-]+>", message["Message-ID"]), pack
        (attachment,) = [p for p in message.walk() if p.get_filename()]
        assert attachment.get_filename().endswith(f" - {week.isoformat()}.pdf"), pack
        assert attachment.get_payload(decode=True).startswith(b"%PDF"), pack
        if pack in packs:  # an account's pack: the revenue's change in the subject
            account = packs[pack]
            t = translations(account.language)
            title = t["vendor_pack_title" if account.is_vendor else "pack_title"]
            assert message["Subject"].startswith(f"{title} · {account.name} · "), pack
            assert re.search(r"[-+]?\d+[.,]\d\s?%$", message["Subject"]), message["Subject"]
            assert attachment.get_filename() == f"{account.name} - {title} - {week}.pdf"
            body = message.get_body(("plain",)).get_content()
            heading = t["mail_heading"].format(title=t["actions_title"])
            assert heading in body and t["mail_attached"] in body, pack
