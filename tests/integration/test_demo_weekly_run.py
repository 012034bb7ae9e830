"""The demo, end to end: generator → ingest → models → checks → packs → mail, in process.

The expected revenue of every pack is worked out here from the generator's own record of
the rows it wrote (its manifest), independently of the readers and the SQL.
"""

import csv
from decimal import Decimal

import dagster as dg
import duckdb
import pypdf
import pytest
from babel.numbers import format_currency

from assets.core.settings import Paths, load_accounts
from assets.ingest.inbox import ingest_inbox
from demo import DemoScale, write_demo
from pipelines.definitions import build_definitions

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
    result = job.execute_in_process(
        partition_key=week.isoformat(), instance=dg.DagsterInstance.ephemeral()
    )
    return manifest, paths, accounts, results, result


def pdf_text(path) -> str:
    reader = pypdf.PdfReader(path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


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
