"""The demo generator writes exports exactly as Amazon does, deterministically, with its stories.

Everything here parses the written files itself (csv/json/openpyxl and a small money parser
below), so a bug shared by the generator and the project's readers cannot hide.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml

import demo
from assets.core.settings import load_accounts
from demo import DEMO_LAST_WEEK, DemoScale, write_demo
from demo.stories import STORIES

NAMED = ["acme-uk", "acme-de", "nordwind-de", "sakura-jp", "acme-us", "pacific-us"]
# On top of the named ones whenever all six are written: Chinese Seller Central on Amazon.com,
# and an Amazon.it account with an English business report and Italian search terms.
LANGUAGE_ACCOUNTS = ["shenzhen-us", "milano-it"]
# …and a German vendor (Vendor Central, 1P) in the eu portfolio beside the sellers
VENDOR = "rhein-vendor-de"
VENDOR_ACCOUNTS = [VENDOR]
VENDOR_STORIES = ["vendor-price-match", "vendor-out-of-stock", "vendor-aged-stock"]
# what eats a seller's margin in its payment exports (demo/stories.py MARGIN_STORIES)
MARGIN_STORY_OF = {
    "acme-uk": "refund-wave",
    "nordwind-de": "cost-increase",
    "milano-it": "fee-increase",
}
MARGIN_STORY_NAMES = set(MARGIN_STORY_OF.values())
# a Date Range Report per seller account and week, a Settlement V2 flat file (acme-us) and a
# Transaction view (acme-uk) on top
PAYMENT_FILE = re.compile(
    r"^(\d{4}[A-Z][a-z]{2}\d{1,2}-\d{4}[A-Z][a-z]{2}\d{1,2}CustomTransaction\.csv"
    r"|Settlement_V2_\d+\.txt|PaymentsTransactions_.*\.csv)$"
)


def vendor_files(weeks: int) -> int:
    """A vendor's exports: Sales, Inventory, Traffic and Net PPM for each week this year and a
    year earlier (one week's Sales as JSON), the forecast, one monthly Sales."""
    return 2 * weeks * 4 + 2


MARKET = {
    "acme-uk": "UK",
    "acme-de": "DE",
    "nordwind-de": "DE",
    "sakura-jp": "JP",
    "acme-us": "US",
    "pacific-us": "US",
}
# nordwind-de's search terms of its oldest weeks come as one summary export, without
# advertised product reports for those weeks (demo/accounts.yaml)
SUMMARY_ACCOUNT, SUMMARY_WEEKS = "nordwind-de", 3
# Spelled out here, not imported, so a typo in the generator's constants fails a test.
SUMMARY_SEARCH_TERM_HEADER = (
    "Start Date,End Date,Portfolio name,Currency,Campaign Name,Ad Group Name,Targeting,"
    "Match Type,Customer Search Term,Impressions,Clicks,Click-Thru Rate (CTR),"
    "Cost Per Click (CPC),Spend,7 Day Total Sales,Total Advertising Cost of Sales (ACOS) ,"
    "Total Return on Advertising Spend (ROAS),7 Day Total Orders (#),7 Day Total Units (#),"
    "7 Day Conversion Rate,7 Day Advertised SKU Units (#),7 Day Other SKU Units (#),"
    "7 Day Advertised SKU Sales,7 Day Other SKU Sales"
)
HEADERS = {
    "UK": "(Parent) ASIN,(Child) ASIN,Title,SKU,Sessions – Total,Sessions – Total – B2B,"
    "Session percentage – Total,Session percentage – Total – B2B,Page views – Total,"
    "Page views – Total – B2B,Page views percentage – Total,"
    "Page views percentage – Total – B2B,Featured Offer (Buy Box) percentage,"
    "Featured Offer (Buy Box) percentage – B2B,Units ordered,Units ordered – B2B,"
    "Unit Session Percentage,Unit session percentage – B2B,Ordered Product Sales,"
    "Ordered product sales – B2B,Total order items,Total order items – B2B",
    "US": "(Parent) ASIN,(Child) ASIN,Title,SKU,Sessions - Total,Sessions - Total - B2B,"
    "Session Percentage - Total,Session Percentage - Total - B2B,Page Views - Total,"
    "Page Views - Total - B2B,Page Views Percentage - Total,"
    "Page Views Percentage - Total - B2B,Featured Offer (Buy Box) Percentage,"
    "Featured Offer (Buy Box) Percentage - B2B,Units Ordered,Units Ordered - B2B,"
    "Unit Session Percentage,Unit Session Percentage - B2B,Ordered Product Sales,"
    "Ordered Product Sales - B2B,Total Order Items,Total Order Items - B2B",
    "DE": "(Übergeordnete) ASIN,(Untergeordnete) ASIN,Titel,SKU,Sitzungen – Summe,"
    "Sitzungen – Summe – B2B,Sitzungsprozentsatz – Summe,Sitzungsprozentsatz – Summe – B2B,"
    "Seitenaufrufe – Summe,Seitenaufrufe – Summe – B2B,"
    "Prozentsatz an Seitenaufrufen – Summe,Prozentsatz an Seitenaufrufen – Summe – B2B,"
    "Empfohlenes Angebot (Buy Box) Prozentsatz,"
    "Empfohlenes Angebot (Buy Box) Prozentsatz – B2B,Bestellte Einheiten,"
    "Bestellte Einheiten – B2B,Prozentsatz Einheiten pro Sitzung,"
    "Prozentsatz Einheiten pro Sitzung – B2B,Durch bestellte Produkte erzielter Umsatz,"
    "Durch bestellte Produkte erzielter Umsatz – B2B,Zahl der Bestellposten,"
    "Zahl der Bestellposten – B2B",
    "JP": "（親）ASIN,（子）ASIN,タイトル,SKU,セッション数 - 合計,セッション数 - 合計 - B2B,"
    "セッションの割合 - 合計,セッションの割合 - 合計 - B2B,ページビュー - 合計,"
    "ページビュー - 合計 - B2B,ページビュー率 - 合計,ページビュー率 - 合計 - B2B,"
    "おすすめ出品（カートボックス）の割合,おすすめ出品（カートボックス）の割合 - B2B,"
    "注文された商品点数,注文された商品点数 - B2B,ユニットセッション率,"
    "ユニットセッション率 - B2B,注文商品の売上額,注文商品の売上額 - B2B,注文品目総数,"
    "注文品目総数 - B2B",
}
INVENTORY_HEADER = (
    "sku\tfnsku\tasin\tproduct-name\tcondition\tyour-price\tmfn-listing-exists\t"
    "mfn-fulfillable-quantity\tafn-listing-exists\tafn-warehouse-quantity\t"
    "afn-fulfillable-quantity\tafn-unsellable-quantity\tafn-reserved-quantity\t"
    "afn-total-quantity\tper-unit-volume\tafn-inbound-working-quantity\t"
    "afn-inbound-shipped-quantity\tafn-inbound-receiving-quantity\tafn-researching-quantity\t"
    "afn-reserved-future-supply\tafn-future-supply-buyable"
)
REVIEWS_HEADER = (
    "marketplace\tcustomer_id\treview_id\tproduct_id\tproduct_parent\tproduct_title\t"
    "product_category\tstar_rating\thelpful_votes\ttotal_votes\tvine\tverified_purchase\t"
    "review_headline\treview_body\treview_date"
)


# --- independent parsers ---------------------------------------------------------------------


def number(text: str, market: str) -> Decimal:
    """'£12,897.84', '"5.255,61 €"', '￥450,000', '84,01 %', '1.234' → Decimal."""
    for junk in ("£", "$", "€", "￥", "%", " ", "\u00a0"):
        text = text.replace(junk, "")
    if market == "DE":
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    return Decimal(text)


def business_report(
    home: Path, account: str, week: date, market: str | None = None
) -> tuple[bytes, list[str], list[dict]]:
    folder = home / "inbox" / account / week.isoformat()
    (path,) = folder.glob("BusinessReport-*.csv")
    raw = path.read_bytes()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    market = market or MARKET[account]
    header, out = rows[0], []
    for row in rows[1:]:
        assert len(row) == 22
        out.append(
            {
                "parent_asin": row[0],
                "child_asin": row[1],
                "title": row[2],
                "sku": row[3],
                "sessions": int(number(row[4], market)),
                "sessions_b2b": int(number(row[5], market)),
                "session_pct": number(row[6], market) / 100,
                "session_pct_b2b": number(row[7], market) / 100,
                "page_views": int(number(row[8], market)),
                "page_views_b2b": int(number(row[9], market)),
                "page_views_pct": number(row[10], market) / 100,
                "page_views_pct_b2b": number(row[11], market) / 100,
                "buy_box_pct": number(row[12], market) / 100,
                "buy_box_pct_b2b": number(row[13], market) / 100,
                "units": int(number(row[14], market)),
                "units_b2b": int(number(row[15], market)),
                "unit_session_pct": number(row[16], market) / 100,
                "revenue": number(row[18], market),
                "revenue_b2b": number(row[19], market),
                "order_items": int(number(row[20], market)),
                "order_items_b2b": int(number(row[21], market)),
            }
        )
    return raw, header, out


def inventory(home: Path, account: str, week: date) -> dict[str, dict[str, str]]:
    folder = home / "inbox" / account / week.isoformat()
    (path,) = folder.glob("Manage_FBA_Inventory_*.txt")
    encoding = "cp1252" if MARKET[account] in ("UK", "US") else "utf-8"
    lines = path.read_bytes().decode(encoding).rstrip("\n").split("\n")
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    return {row["asin"]: row for row in rows}


def advertised_products(home: Path, account: str, week: date) -> list[dict[str, str]]:
    path = home / "inbox" / account / week.isoformat()
    text = (path / "Sponsored Products Advertised product report.csv").read_text("utf-8")
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader)]
    return [dict(zip(header, row, strict=True)) for row in reader]


def reviews(home: Path, account: str, week: date) -> list[list[str]]:
    text = (home / "inbox" / account / week.isoformat() / "reviews.tsv").read_text("utf-8")
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == REVIEWS_HEADER
    return [line.split("\t") for line in lines[1:]]


def health(home: Path, account: str, week: date) -> dict:
    path = home / "inbox" / account / week.isoformat() / "account-health.json"
    return json.loads(path.read_text("utf-8"))


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def default(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, demo.DemoManifest]:
    home = tmp_path_factory.mktemp("demo")
    return home, write_demo(home)


# --- tests ------------------------------------------------------------------------------------


def test_same_inputs_give_byte_identical_trees(default, tmp_path: Path) -> None:
    home, _ = default
    write_demo(tmp_path)
    first, second = tree(home), tree(tmp_path)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


# sha256 of DemoScale(accounts=7, asins=4, weeks=5) (seed 7, last week DEMO_LAST_WEEK) as
# tree_digest sees it. Six named accounts bring every story and the XLSX ads; acct-007 the
# generic path. A change that alters one byte of any file fails here: if the change is meant,
# regenerate, look at the diff and update the constant. The bytes also depend on numpy's
# generators and zlib (the XLSX), pinned in requirements.lock.
# Recorded again for issue 14 (point 8), which added two real-world shapes: ASINs sold under a
# second, merchant-fulfilled SKU (the named accounts' business reports gain an -FBM row per
# such ASIN, its traffic repeated, its sales split off the FBA row's) and nordwind-de's
# summary search term export of its oldest 3 weeks (replacing 3 daily search term and 3
# advertised product exports). Every other file kept its bytes, acct-007's all of them: the
# split draws from a generator of its own. Before: 7226d7ac…f6636ffe (pipelines/demo.py at
# 54ae712, before the generator was split into the demo package).
# Recorded again for issue 16 (point 5), which added the two language accounts on top of the
# named ones: shenzhen-us (Amazon.com, Chinese Seller Central: the 2024–26 Chinese business
# report and "new" ads reports; pack zh) and milano-it (Amazon.it, English business report
# with € amounts, Italian search term report; pack it), in a new portfolio cross-border
# (pack zh). Only their 60 files are new and accounts.yaml gained them; every other file kept
# its bytes (checked against the generator before the change): they draw from generators of
# their own ([seed, 1001], [seed, 1002]). Before: 1a43be6c…05b8391db0.
# Recorded again for issue 17 (point 6), which added the vendor account rhein-vendor-de
# (Vendor Central, 1P, Amazon.de, pack de, portfolio eu) on top of those: its 42 exports at
# this scale (Sales, Inventory Health, Traffic, Net PPM for 5 weeks and the same weeks a year
# earlier, one week's Sales as SP-API JSON, the forecast, one monthly Sales), accounts.yaml
# gained its entry and the demo now writes unit_costs.csv (the vendor's own cost prices).
# Every other file kept its bytes (compared file by file with a demo written before the
# change, at this scale and the default one): it draws from [seed, 1003].
# Before: c89ac037…e25a2d2d84bab.
# Recorded again for issue 18 (point 7), which added payment exports for every seller account
# (demo/payments.py): a Date Range Report per account and week in its Seller Central language
# (45 at this scale), acme-us' Settlement V2 flat file and acme-uk's Transaction view; and
# unit_costs.csv gained a valid_from column and every seller SKU's cost (nordwind-de's best
# seller twice: a supplier's increase). Every other file kept its bytes (compared file by file
# with a demo written before the change, at this scale, the default one and a one-week one):
# payments draw from [seed, position, 2]. Before: 2868a22a…ec4e076af9115.
PINNED_SCALE = DemoScale(accounts=7, asins=4, weeks=5)
PINNED_DIGEST = "e4654f5b05bc7a388ba32a4bd897ececb0ffba434d612185f7595b0c60fd0e12"


def tree_digest(root: Path) -> str:
    """One sha256 over every file under ``root``: sorted relative path, size, then content."""
    digest = hashlib.sha256()
    for name, data in sorted(tree(root).items()):
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def test_output_is_byte_identical_to_the_recorded_digest(tmp_path: Path) -> None:
    manifest = write_demo(tmp_path, PINNED_SCALE)
    # six files per account-week (7 accounts and the 2 language accounts), but nordwind-de's
    # weeks 1-3 have one search term summary; and the vendor's
    # and a Date Range Report per seller account and week, acme-us' settlement, acme-uk's
    # Transaction view
    assert len(manifest.files) == 9 * 5 * 7 - (2 * SUMMARY_WEEKS - 1) + vendor_files(5) + 2
    assert tree_digest(tmp_path) == PINNED_DIGEST


def test_the_process_pool_writes_the_same_bytes(tmp_path: Path, monkeypatch) -> None:
    scale = DemoScale(accounts=3, asins=4, weeks=3, seed=11)
    write_demo(tmp_path / "serial", scale)
    # force the pool even for this small scale
    monkeypatch.setattr(demo.generate, "PARALLEL_WORK", 0)
    manifest = write_demo(tmp_path / "pool", scale)
    assert tree(tmp_path / "serial") == tree(tmp_path / "pool")
    rows = manifest.business_rows[("acme-de", manifest.weeks[-1])]  # through the pickle
    assert len({r["child_asin"] for r in rows}) == 4 and len(rows) == 5  # one with two SKUs


def test_another_seed_gives_other_numbers(default, tmp_path: Path) -> None:
    home, manifest = default
    other = write_demo(tmp_path, DemoScale(seed=8))
    key = ("acme-uk", DEMO_LAST_WEEK)
    assert manifest.business_rows[key] != other.business_rows[key]


def test_accounts_portfolios_weeks_and_five_families_every_week(default) -> None:
    home, manifest = default
    doc = yaml.safe_load((home / "accounts.yaml").read_text("utf-8"))
    assert [a["id"] for a in doc["accounts"]] == NAMED + LANGUAGE_ACCOUNTS + VENDOR_ACCOUNTS
    assert doc["accounts"] == manifest.accounts
    assert {p["id"]: p["base_currency"] for p in doc["portfolios"]} == {
        "eu": "EUR",
        "apac-us": "USD",
        "cross-border": "USD",
    }
    assert {a["portfolio"] for a in doc["accounts"] if a["marketplace"] in ("UK", "DE")} == {"eu"}
    assert {a["id"]: a["language"] for a in doc["accounts"]} == {
        **{a: {"UK": "en", "DE": "de", "JP": "ja", "US": "en"}[MARKET[a]] for a in NAMED},
        "shenzhen-us": "zh",
        "milano-it": "it",
        VENDOR: "de",
    }
    assert {a["portfolio"] for a in doc["accounts"] if a["id"] in LANGUAGE_ACCOUNTS} == {
        "cross-border"
    }
    loaded = load_accounts(home / "accounts.yaml")  # the project's own validation accepts it
    assert list(loaded.accounts) == NAMED + LANGUAGE_ACCOUNTS + VENDOR_ACCOUNTS
    assert loaded.portfolios["cross-border"].language == "zh"
    assert manifest.weeks[-1] == DEMO_LAST_WEEK and len(manifest.weeks) == 16
    assert all(w.weekday() == 0 for w in manifest.weeks)
    assert manifest.weeks == sorted(manifest.weeks)
    assert all(
        b - a == timedelta(days=7) for a, b in zip(manifest.weeks, manifest.weeks[1:], strict=False)
    )
    written = sorted(p for p in (home / "inbox").rglob("*") if p.is_file())
    assert sorted(manifest.files) == written
    assert len(written) == 8 * 16 * 7 - (2 * SUMMARY_WEEKS - 1) + vendor_files(16) + 2
    for account in NAMED + LANGUAGE_ACCOUNTS:
        ads = "xlsx" if account == "pacific-us" else "csv"
        for w, week in enumerate(manifest.weeks):
            names = sorted(p.name for p in (home / "inbox" / account / week.isoformat()).iterdir())
            payments = [name for name in names if PAYMENT_FILE.match(name)]
            names = [name for name in names if name not in payments]
            end = week + timedelta(days=6)
            assert payments[0] == f"{week:%Y%b}{week.day}-{end:%Y%b}{end.day}CustomTransaction.csv"
            extra = {
                ("acme-us", 15): "Settlement_V2_",
                ("acme-uk", 15): f"PaymentsTransactions_{week}_{end}.csv",
            }
            assert [n[:14] for n in payments[1:]] == [
                extra[(account, w)][:14] for _ in (0,) if (account, w) in extra
            ], payments
            assert names[0] == f"BusinessReport-{week + timedelta(days=7):%d-%m-%Y}.csv"
            assert names[1].startswith("Manage_FBA_Inventory_") and names[1].endswith(".txt")
            assert names[1][21:-4].isdigit()
            sponsored = [
                f"Sponsored Products Advertised product report.{ads}",
                f"Sponsored Products Search term report.{ads}",
            ]
            if account == SUMMARY_ACCOUNT and w < SUMMARY_WEEKS:
                # one summary search term export, in the folder of its first week
                sponsored = sponsored[1:] if w == 0 else []
            assert names[2:] == [*sponsored, "account-health.json", "reviews.tsv"]
    assert len(manifest.business_rows) == 8 * 16  # a vendor has no business reports
    assert {s["story"] for s in manifest.stories} == {
        "stock-out",
        "acos-above-target",
        "odr-breach",
        "rating-drop",
        "buy-box-loss",
        *MARGIN_STORY_NAMES,
        *VENDOR_STORIES,
    }


@pytest.mark.parametrize("account", ["acme-uk", "acme-de", "sakura-jp", "acme-us"])
def test_business_report_header_encoding_and_bom_per_language(default, account: str) -> None:
    home, _ = default
    raw, header, _ = business_report(home, account, DEMO_LAST_WEEK)
    market = MARKET[account]
    assert raw.startswith(b"\xef\xbb\xbf") == (market != "US")
    assert ",".join(header) == HEADERS[market]
    assert not raw.endswith(b"\n")  # like the real exports
    assert b"\r" not in raw


def test_value_formats_per_marketplace(default) -> None:
    home, _ = default
    text = {
        a: (home / "inbox" / a / DEMO_LAST_WEEK.isoformat())
        .joinpath(f"BusinessReport-{DEMO_LAST_WEEK + timedelta(days=7):%d-%m-%Y}.csv")
        .read_text("utf-8-sig")
        for a in ("acme-uk", "acme-de", "sakura-jp", "acme-us")
    }
    assert '"£' in text["acme-uk"] and "%," in text["acme-uk"]
    assert ' €"' in text["acme-de"] and ' %"' in text["acme-de"]
    assert '"￥' in text["sakura-jp"] and "￥0" in text["sakura-jp"]
    assert '"$' in text["acme-us"]
    rows = list(csv.reader(io.StringIO(text["acme-de"])))[1:]
    assert any("." in r[4] and "," not in r[4] for r in rows)  # "1.234" sessions, unquoted
    assert all(r[18].endswith(" €") and "," in r[18] for r in rows)


@pytest.mark.parametrize("account", NAMED)
def test_manifest_matches_what_the_csv_says(default, account: str) -> None:
    home, manifest = default
    for week in (manifest.weeks[0], manifest.weeks[-1]):
        _, _, rows = business_report(home, account, week)
        truth = manifest.business_rows[(account, week)]
        assert [r["child_asin"] for r in rows] == [t["child_asin"] for t in truth]
        assert sum(r["revenue"] for r in rows) == sum(t["revenue"] for t in truth)
        for row, t in zip(rows, truth, strict=True):
            assert isinstance(t["revenue"], Decimal)
            for key in ("parent_asin", "title", "sku", "sessions", "page_views", "units"):
                assert row[key] == t[key], key
            assert row["order_items"] == t["order_items"]
            assert row["revenue"] == t["revenue"]
            assert float(row["buy_box_pct"]) == pytest.approx(t["buy_box_pct"], abs=1e-9)
            assert 0 <= t["buy_box_pct"] <= 1


@pytest.mark.parametrize("account", NAMED)
def test_numbers_are_internally_consistent(default, account: str) -> None:
    home, manifest = default
    for week in manifest.weeks[-3:]:
        _, _, rows = business_report(home, account, week)
        # traffic is the ASIN's, repeated on each of its SKU rows: its share counts it once
        total = sum({(r["parent_asin"], r["child_asin"]): r["sessions"] for r in rows}.values())
        for r in rows:
            assert r["units"] >= r["order_items"] >= 0
            assert r["page_views"] >= r["sessions"] >= r["sessions_b2b"]
            assert r["units"] >= r["units_b2b"] and r["order_items"] >= r["order_items_b2b"]
            assert r["revenue"] >= r["revenue_b2b"] >= 0
            expected = Decimal(r["units"]) / r["sessions"] if r["sessions"] else Decimal(0)
            assert abs(r["unit_session_pct"] - expected) <= Decimal("0.00005")
            assert abs(r["session_pct"] - Decimal(r["sessions"]) / total) <= Decimal("0.00005")
            if r["units"]:  # revenue is units × one price
                assert (r["revenue"] / r["units"]) * r["units"] == r["revenue"]


TRAFFIC = (
    "sessions",
    "sessions_b2b",
    "session_pct",
    "session_pct_b2b",
    "page_views",
    "page_views_b2b",
    "page_views_pct",
    "page_views_pct_b2b",
    "buy_box_pct",
    "buy_box_pct_b2b",
)


@pytest.mark.parametrize("account", NAMED)
def test_some_asins_sell_under_two_skus_with_their_traffic_repeated(default, account) -> None:
    home, manifest = default
    split = {"own": 0, "fbm": 0}  # rows with units, over all weeks
    for week in manifest.weeks:
        _, _, rows = business_report(home, account, week)
        asins: dict[tuple[str, str], list[dict]] = {}
        for r in rows:
            asins.setdefault((r["parent_asin"], r["child_asin"]), []).append(r)
        pairs = [group for group in asins.values() if len(group) > 1]
        assert 1 <= len(pairs) <= 2, week  # the same ASINs every week
        for own, fbm in pairs:
            assert fbm["sku"] == own["sku"] + "-FBM" and fbm["title"] == own["title"]
            assert [own[k] for k in TRAFFIC] == [fbm[k] for k in TRAFFIC]
            if own["units"] and fbm["units"]:  # the same price on both SKUs
                assert own["revenue"] / own["units"] == fbm["revenue"] / fbm["units"]
            split["own"] += own["units"] > 0
            split["fbm"] += fbm["units"] > 0
        # the shares are the ASINs': once per ASIN they add up to 100 % (up to rounding)
        shares = sum(group[0]["session_pct"] for group in asins.values())
        assert abs(shares - 1) <= Decimal("0.00005") * len(asins)
        # the manifest has the same rows, SKU by SKU
        truth = manifest.business_rows[(account, week)]
        assert [(r["child_asin"], r["sku"]) for r in rows] == [
            (t["child_asin"], t["sku"]) for t in truth
        ]
    assert split["own"] and split["fbm"]


def test_zero_session_rows_exist_and_show_zero_percent(default) -> None:
    home, manifest = default
    zero = [
        (key, row)
        for key in manifest.business_rows
        for row in manifest.business_rows[key]
        if row["sessions"] == 0
    ]
    assert zero
    (account, week), row = zero[0]
    _, _, rows = business_report(home, account, week)
    written = next(r for r in rows if r["child_asin"] == row["child_asin"])
    assert written["units"] == 0 and written["unit_session_pct"] == 0


def test_titles_carry_the_characters_that_must_survive_quoting(default) -> None:
    home, manifest = default
    for account in NAMED:
        titles = {r["title"] for r in manifest.business_rows[(account, DEMO_LAST_WEEK)]}
        joined = "".join(titles)
        assert {",", '"', "&", "<", "\u202f"} <= set(joined), account
        _, _, rows = business_report(home, account, DEMO_LAST_WEEK)
        assert {r["title"] for r in rows} == titles
    jp = "".join(r["title"] for r in manifest.business_rows[("sakura-jp", DEMO_LAST_WEEK)])
    assert any("\u3040" <= ch <= "\u30ff" for ch in jp)
    assert all(a["name"].isascii() for a in manifest.accounts if a["id"] in NAMED)
    # the Chinese seller's name is in Chinese and Latin letters (a pack header, a mail subject)
    (zh_name,) = [a["name"] for a in manifest.accounts if a["id"] == "shenzhen-us"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh_name) and "Shenzhen" in zh_name


def test_inventory_is_tab_separated_cp1252_for_uk_us_and_one_row_per_sku(default) -> None:
    home, manifest = default
    for account in ("acme-uk", "acme-us", "acme-de", "sakura-jp"):
        folder = home / "inbox" / account / DEMO_LAST_WEEK.isoformat()
        (path,) = folder.glob("Manage_FBA_Inventory_*.txt")
        raw = path.read_bytes()
        if MARKET[account] in ("UK", "US"):
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")  # NBSP/en dash as Windows-1252 bytes
            text = raw.decode("cp1252")
        else:
            text = raw.decode("utf-8")
        lines = text.rstrip("\n").split("\n")
        assert lines[0] == INVENTORY_HEADER
        skus = [line.split("\t")[0] for line in lines[1:]]
        rows = manifest.business_rows[(account, DEMO_LAST_WEEK)]
        # merchant-fulfilled SKUs are not in the FBA inventory; every ASIN is, by its FBA SKU
        expected = {r["sku"] for r in rows if not r["sku"].endswith("-FBM")}
        assert sorted(skus) == skus and set(skus) == expected and len(skus) == len(expected)
        assert {line.split("\t")[2] for line in lines[1:]} == {r["child_asin"] for r in rows}
        for line in lines[1:]:
            cells = line.split("\t")
            assert len(cells) == 21
            warehouse, fulfillable, unsellable, reserved, total = map(int, cells[9:14])
            inbound = sum(map(int, cells[15:18]))
            assert warehouse == fulfillable + unsellable + reserved
            assert total == warehouse + inbound


def test_story_a_best_seller_out_of_stock_at_acme_uk(default) -> None:
    home, manifest = default
    (story,) = [s for s in manifest.stories if s["story"] == "stock-out"]
    assert story["account_id"] == "acme-uk"
    asin, weeks = story["asin"], manifest.weeks

    def row(week: date) -> dict:
        return next(r for r in manifest.business_rows[("acme-uk", week)] if r["child_asin"] == asin)

    for week in weeks[:-2]:  # the best seller by units before the story
        assert row(week)["units"] == max(
            r["units"] for r in manifest.business_rows[("acme-uk", week)]
        )
    before, last_but_one, last = row(weeks[-3]), row(weeks[-2]), row(weeks[-1])
    assert (
        last["units"] == 0 and last["revenue"] == 0 and last["sessions"] > 0.5 * before["sessions"]
    )
    assert 0 < last_but_one["units"] < 0.8 * before["units"]
    stock = {w: inventory(home, "acme-uk", w)[asin] for w in weeks[-3:]}
    assert int(stock[weeks[-1]]["afn-fulfillable-quantity"]) == 0
    assert int(stock[weeks[-2]]["afn-fulfillable-quantity"]) == 0
    assert 0 < int(stock[weeks[-3]]["afn-fulfillable-quantity"]) < before["units"]  # < 1 week
    assert int(stock[weeks[-1]]["afn-inbound-receiving-quantity"]) > 0
    ads = advertised_products(home, "acme-uk", weeks[-1])
    assert asin not in {r["Advertised ASIN"] for r in ads}  # no offer, no ads


def test_story_b_acos_above_target_at_acme_us(default) -> None:
    home, manifest = default
    target = next(a for a in manifest.accounts if a["id"] == "acme-us")["targets"]["acos"]

    def acos(account: str, week: date) -> Decimal:
        rows = advertised_products(home, account, week)
        spend = sum(number(r["Spend"], "US") for r in rows)
        sales = sum(number(r["7 Day Total Sales"], "US") for r in rows)
        return spend / sales

    for week in manifest.weeks[:-2]:
        assert acos("acme-us", week) < target
    for week in manifest.weeks[-2:]:
        assert acos("acme-us", week) > Decimal(str(target)) * Decimal("1.3")
    for account in ("acme-uk", "acme-de", "nordwind-de", "sakura-jp"):
        goal = next(a for a in manifest.accounts if a["id"] == account)["targets"]["acos"]
        assert acos(account, manifest.weeks[-1]) < goal


def test_story_c_odr_breach_at_nordwind_de_only(default) -> None:
    home, manifest = default
    for account in NAMED:
        for week in manifest.weeks[-4:]:
            doc = health(home, account, week)
            afn = doc["performanceMetrics"][0]["orderDefectRate"]["afn"]
            assert afn["targetValue"] == 0.01 and afn["targetCondition"] == "LESS_THAN"
            assert afn["rate"] == pytest.approx(
                afn["orderWithDefects"]["count"] / afn["orderCount"], abs=1e-4
            )
            breach = account == "nordwind-de" and week >= manifest.weeks[-2]
            assert (afn["rate"] > 0.01) == breach, (account, week)
            assert (afn["status"] == "BAD") == breach
            assert (doc["accountStatuses"][0]["status"] == "AT_RISK") == breach


def test_story_d_rating_drop_at_sakura_jp(default) -> None:
    home, manifest = default
    (story,) = [s for s in manifest.stories if s["story"] == "rating-drop"]
    assert story["account_id"] == "sakura-jp"

    def stars(weeks: list[date]) -> list[int]:
        return [
            int(r[7]) for w in weeks for r in reviews(home, "sakura-jp", w) if r[3] == story["asin"]
        ]

    recent, earlier = stars(manifest.weeks[-2:]), stars(manifest.weeks[:-2])
    assert len(recent) >= 10
    assert sum(s <= 2 for s in recent) / len(recent) >= 0.7
    assert sum(earlier) / len(earlier) >= 4.0


def test_story_e_buy_box_lost_at_acme_de(default) -> None:
    _, manifest = default
    (story,) = [s for s in manifest.stories if s["story"] == "buy-box-loss"]
    assert story["account_id"] == "acme-de"

    def row(week: date) -> dict:
        rows = manifest.business_rows[("acme-de", week)]
        return next(r for r in rows if r["child_asin"] == story["asin"])

    before = [row(w) for w in manifest.weeks[:-2]]
    assert all(r["buy_box_pct"] >= 0.9 for r in before)
    last = row(manifest.weeks[-1])
    assert 0.15 <= last["buy_box_pct"] <= 0.25
    assert last["units"] < 0.4 * sum(r["units"] for r in before[-4:]) / 4
    assert last["sessions"] > 0.5 * before[-1]["sessions"]  # shoppers still come


def test_every_story_is_registered_under_a_named_account(default) -> None:
    _, manifest = default
    assert set(STORIES) <= set(NAMED)
    sellers = [s for s in manifest.stories if s["account_id"] != VENDOR]
    margin = [s for s in sellers if s["story"] in MARGIN_STORY_NAMES]
    sellers = [s for s in sellers if s["story"] not in MARGIN_STORY_NAMES]
    assert [s["account_id"] for s in sellers] == [a for a in NAMED if a in STORIES]
    assert [s["story"] for s in manifest.stories[len(sellers) + len(margin) :]] == VENDOR_STORIES
    assert {s["account_id"] for s in manifest.stories[len(sellers) + len(margin) :]} == {VENDOR}
    assert {s["story"] for s in sellers} == {
        "stock-out",
        "acos-above-target",
        "odr-breach",
        "rating-drop",
        "buy-box-loss",
    }
    assert {s["account_id"]: s["story"] for s in margin} == MARGIN_STORY_OF


def test_ad_sales_never_exceed_the_asins_sales(default) -> None:
    home, manifest = default
    for account in ("acme-uk", "acme-de", "sakura-jp", "acme-us"):
        for week in manifest.weeks[-3:]:
            revenue: dict[str, Decimal] = {}
            units: dict[str, int] = {}
            for r in manifest.business_rows[(account, week)]:  # summed over the ASIN's SKUs
                revenue[r["child_asin"]] = revenue.get(r["child_asin"], 0) + r["revenue"]
                units[r["child_asin"]] = units.get(r["child_asin"], 0) + r["units"]
            sales: dict[str, Decimal] = {}
            ad_units: dict[str, int] = {}
            for r in advertised_products(home, account, week):
                asin = r["Advertised ASIN"]
                sales[asin] = sales.get(asin, 0) + number(r["7 Day Total Sales"], "US")
                ad_units[asin] = ad_units.get(asin, 0) + int(r["7 Day Advertised SKU Units (#)"])
            for asin, value in sales.items():
                assert value <= revenue[asin] and ad_units[asin] <= units[asin]


def test_search_term_csv_rows(default) -> None:
    home, manifest = default
    week = manifest.weeks[-1]
    days = {(week + timedelta(days=d)) for d in range(7)}
    for account, us in (("acme-uk", False), ("acme-us", True)):
        text = (
            home
            / "inbox"
            / account
            / week.isoformat()
            / "Sponsored Products Search term report.csv"
        ).read_text("utf-8")
        reader = csv.reader(io.StringIO(text))
        header = next(reader)
        assert header[:8] == [
            "Date",
            "Portfolio name",
            "Currency",
            "Campaign Name",
            "Ad Group Name",
            "Targeting",
            "Match Type",
            "Customer Search Term",
        ]
        assert ("7 Day Total Sales " in header) == us
        assert "Total Advertising Cost of Sales (ACOS) " in header
        assert len(header) == 23
        rows = list(reader)
        assert rows
        for row in rows:
            assert datetime.strptime(row[0], "%b %d, %Y").date() in days
            assert row[2] == ("USD" if us else "GBP")
            assert int(row[9]) >= 1  # the console only lists search terms with clicks
            assert row[12].startswith("$" if us else "£")
            sales = number(row[13], "US")
            assert (row[14] == "") == (sales == 0)
    uk = (home / "inbox" / "acme-uk").rglob("Sponsored Products Search term report.csv")
    terms = {row[7] for p in uk for row in csv.reader(io.StringIO(p.read_text("utf-8")))}
    assert 'chef knife, "gift" <set> & more' in terms  # untrusted text, CSV-quoted


def search_terms(path: Path) -> tuple[list[str], list[list[str]]]:
    reader = csv.reader(io.StringIO(path.read_text("utf-8")))
    return next(reader), list(reader)


def test_a_summary_search_term_export_adds_up_the_daily_rows_it_replaces(
    tmp_path: Path, monkeypatch
) -> None:
    scale = DemoScale(accounts=3, asins=4, weeks=SUMMARY_WEEKS + 2)
    write_demo(tmp_path / "summary", scale)
    (entry,) = [a for a in demo.accounts.NAMED if a["id"] == SUMMARY_ACCOUNT]
    monkeypatch.delitem(entry, "search_term_summary_weeks")
    manifest = write_demo(tmp_path / "daily", scale)
    weeks = manifest.weeks[:SUMMARY_WEEKS]
    # the summary changes nothing but the Sponsored Products exports of those weeks
    summary, daily = tree(tmp_path / "summary"), tree(tmp_path / "daily")
    replaced = {
        f"inbox/{SUMMARY_ACCOUNT}/{week}/Sponsored Products {kind} report.csv"
        for week in weeks
        for kind in ("Search term", "Advertised product")
    }
    first = f"inbox/{SUMMARY_ACCOUNT}/{weeks[0]}/Sponsored Products Search term report.csv"
    assert set(summary) <= set(daily) and set(daily) - set(summary) == replaced - {first}
    assert {name for name in summary if summary[name] != daily[name]} == {first}

    header, rows = search_terms(tmp_path / "summary" / first)
    assert ",".join(header) == SUMMARY_SEARCH_TERM_HEADER
    # the daily rows it replaces, summed per campaign × ad group × targeting × match × term
    expected: dict[tuple, dict] = {}
    for week in weeks:
        folder = tmp_path / "daily" / "inbox" / SUMMARY_ACCOUNT / week.isoformat()
        for row in search_terms(folder / "Sponsored Products Search term report.csv")[1]:
            day = datetime.strptime(row[0], "%b %d, %Y").date()
            sums = expected.setdefault(tuple(row[3:8]), {"days": [], "sums": [0] * 10})
            sums["days"].append(day)
            figures = [row[i] for i in (8, 9, 12, 13, 16, 17, 19, 20, 21, 22)]
            sums["sums"] = [s + number(f, "US") for s, f in zip(sums["sums"], figures, strict=True)]
    assert len(rows) == len(expected)
    crossing = 0
    for row in rows:
        start, end = (datetime.strptime(v, "%b %d, %Y").date() for v in row[:2])
        truth = expected[tuple(row[4:9])]
        assert (start, end) == (min(truth["days"]), max(truth["days"]))
        figures = [row[i] for i in (9, 10, 13, 14, 17, 18, 20, 21, 22, 23)]
        assert [number(f, "US") for f in figures] == truth["sums"]
        clicks, spend, sales = (number(row[i], "US") for i in (10, 13, 14))
        assert abs(number(row[12], "US") - spend / clicks) <= Decimal("0.005")  # of the totals
        assert (row[15] == "") == (sales == 0)
        crossing += start - timedelta(days=start.weekday()) != end - timedelta(days=end.weekday())
    assert crossing >= 1  # spans that leave their week: the warehouse spreads them, estimated


def test_too_few_weeks_for_a_summary_keep_every_week_daily(tmp_path: Path) -> None:
    manifest = write_demo(tmp_path, DemoScale(accounts=3, asins=3, weeks=SUMMARY_WEEKS + 1))
    for week in manifest.weeks:
        folder = tmp_path / "inbox" / SUMMARY_ACCOUNT / week.isoformat()
        header, _ = search_terms(folder / "Sponsored Products Search term report.csv")
        assert header[0] == "Date"
        assert (folder / "Sponsored Products Advertised product report.csv").exists()


def test_xlsx_ads_open_with_real_dates(default) -> None:
    home, manifest = default
    folder = home / "inbox" / "pacific-us" / DEMO_LAST_WEEK.isoformat()
    for name, width in (
        ("Sponsored Products Search term report.xlsx", 23),
        ("Sponsored Products Advertised product report.xlsx", 22),
    ):
        sheet = openpyxl.load_workbook(folder / name).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        assert len(rows[0]) == width and rows[0][0] == "Date"
        assert "7 Day Total Sales " in rows[0]
        assert len(rows) > 1
        for row in rows[1:]:
            assert isinstance(row[0], datetime)
            assert DEMO_LAST_WEEK <= row[0].date() <= DEMO_LAST_WEEK + timedelta(days=6)
            assert row[2] == "USD"
        assert sheet.cell(row=2, column=1).number_format == "MMM dd, yyyy"


def test_account_health_json_shape_and_both_spellings(default) -> None:
    home, _ = default
    for account in NAMED:
        doc = health(home, account, DEMO_LAST_WEEK)
        metrics = doc["performanceMetrics"][0]
        for key in (
            "orderDefectRate",
            "lateShipmentRate",
            "validTrackingRate",
            "onTimeDeliveryRate",
            "accountHealthRating",
            "listingPolicyViolations",
        ):
            assert key in metrics
        assert set(metrics["orderDefectRate"]) == {"mfn", "afn"}
        dates = metrics["orderDefectRate"]["afn"]["reportingDateRange"]
        assert dates["reportingDateTo"] == f"{DEMO_LAST_WEEK + timedelta(days=6)}T23:59Z"
        example = account == "sakura-jp"
        assert ("prefulfillmentCancelRate" in metrics) == example
        assert ("preFulfillmentCancellationRate" in metrics) == (not example)
        rating = metrics["accountHealthRating"]
        assert ("ahrStatus" in rating) == example
        assert ("accountHealthRatingStatus" in rating) == (not example)


def test_reviews_are_clean_tsv_with_untrusted_text(default) -> None:
    home, manifest = default
    for account in NAMED:
        for week in manifest.weeks[-2:]:
            for row in reviews(home, account, week):
                assert len(row) == 15
                assert row[0] == MARKET[account]
                assert week <= date.fromisoformat(row[14]) <= week + timedelta(days=6)
                assert 1 <= int(row[7]) <= 5 and int(row[8]) <= int(row[9])
    bodies = [r[13] for r in reviews(home, "acme-uk", DEMO_LAST_WEEK)]
    assert any("<script>" in b and "&amp;" in b and "<br />" in b and '"' in b for b in bodies)
    ja = " ".join(r[13] for r in reviews(home, "sakura-jp", DEMO_LAST_WEEK))
    assert any("\u3040" <= ch <= "\u30ff" for ch in ja)


def test_fx_rates_in_ecb_layout_newest_first(default) -> None:
    home, manifest = default
    lines = (home / "fx_rates.csv").read_text("utf-8").rstrip("\n").split("\n")
    assert lines[0].startswith("Date,USD,JPY,") and "GBP" in lines[0].split(",")
    days = [date.fromisoformat(line.split(",")[0]) for line in lines[1:]]
    assert days == sorted(days, reverse=True)
    assert all(d.weekday() < 5 for d in days)
    assert days[-1] <= manifest.weeks[0] and days[0] >= DEMO_LAST_WEEK + timedelta(days=4)
    usd = [float(line.split(",")[1]) for line in lines[1:]]
    assert all(0.9 < v < 1.5 for v in usd)


@pytest.mark.parametrize(
    ("scale", "last_week", "message"),
    [
        (DemoScale(accounts=0), DEMO_LAST_WEEK, "accounts must be at least 1"),
        (DemoScale(asins=0), DEMO_LAST_WEEK, "asins must be at least 1"),
        (DemoScale(weeks=0), DEMO_LAST_WEEK, "weeks must be at least 1"),
        (DemoScale(seed=-1), DEMO_LAST_WEEK, "seed"),
        (DemoScale(), date(2026, 11, 18), "weeks start on Monday"),
    ],
)
def test_refuses_bad_arguments(tmp_path: Path, scale, last_week, message) -> None:
    with pytest.raises(ValueError, match=message):
        write_demo(tmp_path, scale, last_week)
    assert not (tmp_path / "inbox").exists()


def test_rerun_into_the_same_home_overwrites_instead_of_duplicating(tmp_path: Path) -> None:
    write_demo(tmp_path, DemoScale(accounts=7, asins=3, weeks=4))
    keep = tmp_path / "inbox" / "acme-uk" / "2026-11-16" / "my notes.txt"
    keep.write_text("not a demo export", "utf-8")
    manifest = write_demo(tmp_path, DemoScale(accounts=6, asins=3, weeks=2, seed=3))
    files = sorted(p for p in (tmp_path / "inbox").rglob("*") if p.is_file())
    assert sorted([*manifest.files, keep]) == files
    assert not (tmp_path / "inbox" / "acct-007").exists()
    assert sorted(p.name for p in (tmp_path / "inbox" / "acme-uk").iterdir()) == [
        "2026-11-09",
        "2026-11-16",
    ]
    again = write_demo(tmp_path, DemoScale(accounts=6, asins=3, weeks=2, seed=3))
    assert sorted(again.files) == sorted(manifest.files)


def test_more_accounts_cycle_marketplaces_and_report_progress(tmp_path: Path) -> None:
    lines: list[str] = []
    manifest = write_demo(tmp_path, DemoScale(accounts=10, asins=2, weeks=1), progress=lines.append)
    ids = [a["id"] for a in manifest.accounts]
    generic = ["acct-007", "acct-008", "acct-009", "acct-010"]
    assert ids == NAMED + generic + LANGUAGE_ACCOUNTS + VENDOR_ACCOUNTS
    assert [a["marketplace"] for a in manifest.accounts[6:10]] == ["UK", "DE", "JP", "US"]
    assert len(lines) == 13 and all(line.startswith(i) for line, i in zip(lines, ids, strict=True))
    # and a Date Range Report per seller; acme-uk's Transaction view (one week: no settlement)
    assert len(manifest.files) == 12 * 7 + vendor_files(1) + 1
    load_accounts(tmp_path / "accounts.yaml")
    _, header, _ = business_report(tmp_path, "acct-009", DEMO_LAST_WEEK, "JP")
    assert ",".join(header) == HEADERS["JP"]


# Spelled out here, not imported, as the fixtures in tests/fixtures/exports/ have them.
ZH_BUSINESS_HEADER = (
    "（父）ASIN,（子）ASIN,商品名称,SKU,买家访问次数,买家访问次数百分比,页面浏览次数,"
    "页面浏览次数百分比,购买按钮页面浏览率,已订购商品数量,订单商品数量转化率,已订购商品销售额,"
    "订单商品种类"
)
ZH_SP_HEAD = "开始日期,结束日期,广告组合名称,货币,广告活动名称,广告组名称,零售商,国家/地区,"
ZH_SP_TAIL = (
    "展示量,点击量,点击率 (CTR),单次点击成本 (CPC),花费,7天总销售额,"
    "广告投入产出比 (ACOS) 总计,总广告投资回报率 (ROAS),7天总订单数(#),7天总销售量(#),"
    "7天的转化率,7天内广告SKU销售量(#),7天内其他SKU销售量(#),7天内广告SKU销售额,"
    "7天内其他SKU销售额"
)
IT_SEARCH_TERM_HEADER = (
    "Data di inizio;Data di fine;Nome campagna;ID campagna;Nome del gruppo di annunci;"
    "ID gruppo di annunci;Parole chiave;Tipo di corrispondenza;Termine di ricerca del cliente;"
    "Impressioni;Clic;Spesa"
)


def test_language_accounts_download_in_their_seller_central_language(default) -> None:
    home, manifest = default
    week = DEMO_LAST_WEEK.isoformat()
    fixtures = Path(__file__).parents[1] / "fixtures" / "exports"
    # shenzhen-us: the Chinese 2024-26 business report, "new" ads reports, English inventory
    zh = home / "inbox" / "shenzhen-us" / week
    (path,) = zh.glob("BusinessReport-*.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and not raw.endswith(b"\n")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert ",".join(rows[0]) == ZH_BUSINESS_HEADER
    fixture = (fixtures / "zh_business_report_a.csv").read_text("utf-8-sig").splitlines()[0]
    assert fixture == ZH_BUSINESS_HEADER
    assert all(len(r) == 13 and r[11].startswith("US$") and r[5].endswith("%") for r in rows[1:])
    truth = manifest.business_rows[("shenzhen-us", DEMO_LAST_WEEK)]
    assert [r[3] for r in rows[1:]] == [r["sku"] for r in truth]
    assert [Decimal(r[11][3:].replace(",", "")) for r in rows[1:]] == [r["revenue"] for r in truth]
    st = (zh / "Sponsored Products Search term report.csv").read_text("utf-8").splitlines()
    assert st[0] == ZH_SP_HEAD + "投放,匹配类型,客户搜索词," + ZH_SP_TAIL
    fixture = (fixtures / "zh_sp_search_term_new.csv").read_text("utf-8-sig").splitlines()[0]
    assert fixture == st[0]
    first = next(csv.reader([st[1]]))
    assert first[0] == first[1] and first[6:8] == ["Amazon", "美国"] and first[15][:3] == "US$"
    ap = (zh / "Sponsored Products Advertised product report.csv").read_text("utf-8")
    assert ap.splitlines()[0] == ZH_SP_HEAD + "广告SKU,广告ASIN," + ZH_SP_TAIL
    (inventory,) = zh.glob("Manage_FBA_Inventory_*.txt")
    assert inventory.read_text("cp1252").split("\n")[0].split("\t")[:3] == ["sku", "fnsku", "asin"]
    # milano-it: the English (UK) business report in €1,234.56, Italian search terms
    it = home / "inbox" / "milano-it" / week
    _, header, rows = business_report(home, "milano-it", DEMO_LAST_WEEK, "UK")
    assert ",".join(header) == HEADERS["UK"]
    (path,) = it.glob("BusinessReport-*.csv")
    text = path.read_text("utf-8-sig")
    assert "€" in text and " €" not in text and "£" not in text
    truth = manifest.business_rows[("milano-it", DEMO_LAST_WEEK)]
    assert [r["revenue"] for r in rows] == [r["revenue"] for r in truth]
    st = (it / "Sponsored Products Search term report.csv").read_bytes()
    assert st.startswith(b"\xef\xbb\xbf")
    lines = st.decode("utf-8-sig").splitlines()
    fixture = (fixtures / "it_sp_search_term.csv").read_text("utf-8-sig").splitlines()[0]
    assert lines[0] == fixture == IT_SEARCH_TERM_HEADER
    day = next(csv.reader([lines[1]], delimiter=";"))
    assert day[0] == day[1] == "nov 16, 2026" and day[3].isdigit() and len(day[3]) == 12
    assert "," in day[11] and "." not in day[11]


# --- the vendor account (Vendor Central, 1P) ---------------------------------------------------

# Spelled out here, not imported (../shared/export-headers.md §4: US 2025 layout, LBB (Price)).
VENDOR_SALES_HEADER = (
    "ASIN,Product Title,Brand,Ordered Revenue,Ordered Revenue - Prior Period (%),"
    "Ordered Revenue - Same Period Last Year (%),Ordered Units,Ordered Units - Prior Period (%),"
    "Ordered Units - Same Period Last Year (%),Shipped Revenue,"
    "Shipped Revenue - Prior Period (%),Shipped Revenue - Same Period Last Year (%),"
    "Shipped COGS,Shipped COGS - Prior Period (%),Shipped COGS - Same Period Last Year (%),"
    "Shipped Units,Shipped Units - Prior Period (%),Shipped Units - Same Period Last Year (%),"
    "Customer Returns,Customer Returns - Prior Period (%),"
    "Customer Returns - Same Period Last Year (%),LBB (Price)"
)
VENDOR_INVENTORY_HEADER = (
    "ASIN,Product Title,Brand,Sourceable Product OOS %,Vendor Confirmation %,Net Received,"
    "Net Received Units,Open Purchase Order Quantity,Receive Fill %,"
    "Overall Vendor Lead Time (days),Unfilled Customer Ordered Units,"
    "Aged 90+ Days Sellable Inventory,Aged 90+ Days Sellable Units,Sellable On Hand Inventory,"
    "Sellable On Hand Units,Unsellable On Hand Inventory,Unsellable On Hand Units,"
    "Unhealthy Inventory,Unhealthy Units,Sell-Through %"
)
VENDOR_TRAFFIC_HEADER = (
    "ASIN,Product Title,Featured Offer Page Views,Featured Offer Page Views - Prior Period (%),"
    "Featured Offer Page Views - Same Period Last Year (%)"
)
VENDOR_NET_PPM_HEADER = "ASIN,Product Title,Net PPM %,Net PPM % - Prior Period (bps)"
BANNER_LABELS = [
    "Programme",
    "Distributor View",
    "View By",
    "Countries",
    "Businesses",
    "Locale",
    "Currency",
    "Reporting Range",
    "Viewing Range",
    "Report Updated",
]
MEASURES = [
    "Ordered Revenue",
    "Ordered Units",
    "Shipped Revenue",
    "Shipped COGS",
    "Shipped Units",
    "Customer Returns",
]
JSON_MEASURES = {
    "Ordered Revenue": "orderedRevenue",
    "Ordered Units": "orderedUnits",
    "Shipped Revenue": "shippedRevenue",
    "Shipped COGS": "shippedCogs",
    "Shipped Units": "shippedUnits",
    "Customer Returns": "customerReturns",
}
YEAR = timedelta(days=364)  # the same Sunday-to-Saturday week a year earlier
BANNER_CELL = re.compile(r"([A-Za-z][A-Za-z ]*)=\[([^\]]*)\]")


def banner_of(cells: list[str]) -> dict[str, str]:
    """Label=[value] cells → {label: value}, in order."""
    out = {}
    for cell in cells:
        match = BANNER_CELL.fullmatch(cell)
        assert match, cell
        out[match.group(1)] = match.group(2)
    return out


def viewing_range(text: str) -> tuple[date, date]:
    start, end = text.split(" - ")
    return (datetime.strptime(start, "%d/%m/%y").date(), datetime.strptime(end, "%d/%m/%y").date())


def vendor_value(text: str) -> Decimal | None:
    """'€1,234.56' → 1234.56, '1,234' → 1234, '12.34%' → 0.1234 (a fraction), '' → None."""
    if text == "":
        return None
    value = Decimal(text.replace("€", "").replace(",", "").rstrip("%"))
    return value / 100 if text.endswith("%") else value


def vendor_csv(path: Path, banner_rows: int = 1) -> tuple[dict, list[str], dict[str, dict]]:
    """Banner, header and rows by ASIN (values parsed, title and brand as text)."""
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    head = banner_of([c for row in rows[:banner_rows] for c in row])
    header = rows[banner_rows]
    out = {}
    for row in rows[banner_rows + 1 :]:
        assert len(row) == len(header)
        out[row[0]] = {
            h: (v if h in ("ASIN", "Product Title", "Brand") else vendor_value(v))
            for h, v in zip(header, row, strict=True)
        }
    return head, header, out


def vendor_folder(home: Path, monday: date) -> Path:
    return home / "inbox" / VENDOR / monday.isoformat()


def vendor_report(home: Path, monday: date, report: str) -> Path:
    (path,) = vendor_folder(home, monday).glob(f"{report}_ASIN_*")
    return path


def vendor_sales(home: Path, monday: date) -> dict[str, dict]:
    """The week's Sales Diagnostic measures by ASIN, from its CSV or its SP-API JSON."""
    folder = vendor_folder(home, monday)
    for path in folder.glob("GET_VENDOR_SALES_REPORT_*.json"):
        doc = json.loads(path.read_text("utf-8"))
        return {
            r["asin"]: {m: json_value(r[key]) for m, key in JSON_MEASURES.items()}
            for r in doc["salesByAsin"]
        }
    return vendor_csv(vendor_report(home, monday, "Sales"))[2]


def json_value(value) -> Decimal:
    return Decimal(str(value["amount"] if isinstance(value, dict) else value))


def vendor_inventory(home: Path, monday: date) -> tuple[list, dict[str, dict]]:
    sheet = openpyxl.load_workbook(vendor_report(home, monday, "Inventory")).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[1])
    return rows, {row[0]: dict(zip(header, row, strict=True)) for row in rows[2:]}


def net_ppm(row: dict) -> Decimal:
    return (row["Shipped Revenue"] - row["Shipped COGS"]) / row["Shipped Revenue"]


def test_vendor_account_in_the_home_accounts_file(default) -> None:
    home, manifest = default
    doc = yaml.safe_load((home / "accounts.yaml").read_text("utf-8"))
    (entry,) = [a for a in doc["accounts"] if a["id"] == VENDOR]
    assert entry == {
        "id": VENDOR,
        "name": "Rheinwerk Küchen (Vendor) DE",
        "marketplace": "DE",
        "language": "de",
        "portfolio": "eu",
        "kind": "vendor",
        "distributor_view": "manufacturing",
        "recipients": ["vendor@rheinwerk-kuechen.example", "logistik@rheinwerk-kuechen.example"],
        "lead_time_days": 28,
    }  # no ads targets
    assert all("kind" not in a for a in doc["accounts"] if a["id"] != VENDOR)  # sellers: default
    account = load_accounts(home / "accounts.yaml").accounts[VENDOR]
    assert (account.kind, account.distributor_view, account.targets) == (
        "vendor",
        "manufacturing",
        {},
    )
    # the vendor's own cost prices: unit_costs.csv rows whose sku is the ASIN, below Amazon's cost
    lines = (home / "unit_costs.csv").read_text("utf-8").splitlines()
    assert lines[0] == "account,sku,cost,currency,valid_from"
    rows = [row for row in csv.reader(lines[1:]) if row[0] == VENDOR]
    costs = {row[1]: Decimal(row[2]) for row in rows}
    assert all(row[3] == "EUR" and row[4] == "" for row in rows) and len(rows) == len(costs)
    sales = vendor_sales(home, DEMO_LAST_WEEK)
    assert set(costs) == set(sales) and len(costs) == 12
    for asin, row in sales.items():
        assert 0 < costs[asin] < row["Shipped COGS"] / row["Shipped Units"]


def test_vendor_exports_in_vendor_central_shapes(default) -> None:
    home, manifest = default
    root = home / "inbox" / VENDOR
    this_year = manifest.weeks
    mondays = [w - YEAR for w in this_year] + this_year  # and the same weeks a year earlier
    assert sorted(p.name for p in root.iterdir() if p.is_dir()) == [m.isoformat() for m in mondays]
    expected_banner = {
        "Programme": "Retail",
        "Distributor View": "Manufacturing",
        "View By": "ASIN",
        "Countries": "DE",
        "Businesses": "Rheinwerk Küchen GmbH",
        "Locale": "de_DE",
        "Currency": "EUR",
    }
    asins = set(vendor_sales(home, DEMO_LAST_WEEK))
    json_weeks = []
    for monday in mondays:
        folder = vendor_folder(home, monday)
        names = sorted(p.name for p in folder.iterdir())
        kinds = [name.split("_ASIN_")[0] for name in names if "_ASIN_" in name]
        sales_json = [n for n in names if n.startswith("GET_VENDOR_SALES_REPORT_")]
        forecast = [n for n in names if n.startswith("GET_VENDOR_FORECASTING_REPORT_")]
        assert sorted(kinds) == ["Inventory", "NetPPM", *(["Sales"] * (not sales_json)), "Traffic"]
        assert len(names) == 4 + len(forecast)
        assert bool(forecast) == (monday == DEMO_LAST_WEEK)
        json_weeks += [monday] * len(sales_json)
        heads = []
        if not sales_json:
            head, header, rows = vendor_csv(vendor_report(home, monday, "Sales"))
            assert ",".join(header) == VENDOR_SALES_HEADER and set(rows) == asins
            heads.append(head)
        head, header, _ = vendor_csv(vendor_report(home, monday, "Traffic"), banner_rows=2)
        assert ",".join(header) == VENDOR_TRAFFIC_HEADER
        rows = list(csv.reader(io.StringIO(vendor_report(home, monday, "Traffic").read_text())))
        assert len(rows[0]) == 5 and len(rows[1]) == 5  # the banner wrapped onto two rows
        heads.append(head)
        head, header, _ = vendor_csv(vendor_report(home, monday, "NetPPM"))
        assert ",".join(header) == VENDOR_NET_PPM_HEADER
        heads.append(head)
        sheet, _ = vendor_inventory(home, monday)
        assert set(sheet[0][1:]) == {None}  # the whole banner in one cell, separated by spaces
        cells = BANNER_CELL.findall(sheet[0][0])
        assert " ".join(f"{label}=[{value}]" for label, value in cells) == sheet[0][0]
        heads.append(dict(cells))
        assert ",".join(sheet[1]) == VENDOR_INVENTORY_HEADER
        assert {row[0] for row in sheet[2:]} == asins
        for head in heads:
            assert list(head) == BANNER_LABELS
            assert {k: head[k] for k in expected_banner} == expected_banner
            assert head["Reporting Range"] == "Week"
            start, end = viewing_range(head["Viewing Range"])
            # Sunday to Saturday, in the folder of the Monday week that holds 6 of its 7 days
            assert start.weekday() == 6 and end == start + timedelta(days=6)
            days = [start + timedelta(days=d) for d in range(7)]
            assert sum(d - timedelta(days=d.weekday()) == monday for d in days) == 6
            updated = datetime.strptime(head["Report Updated"], "%d/%m/%y").date()
            assert end < updated <= end + timedelta(days=4)
    # one older week's Sales as SP-API JSON: the aggregate is the sum of the ASINs
    assert json_weeks == [this_year[-4]]
    (path,) = vendor_folder(home, this_year[-4]).glob("GET_VENDOR_SALES_REPORT_*.json")
    doc = json.loads(path.read_text("utf-8"))
    spec = doc["reportSpecification"]
    assert spec["reportType"] == "GET_VENDOR_SALES_REPORT"
    assert spec["reportOptions"] == {
        "distributorView": "MANUFACTURING",
        "reportPeriod": "WEEK",
        "sellingProgram": "RETAIL",
    }
    assert spec["marketplaceIds"] == ["A1PA6795UKMFR9"]
    (total,) = doc["salesAggregate"]
    assert {r["asin"] for r in doc["salesByAsin"]} == asins
    sunday = this_year[-4] - timedelta(days=1)
    for record in [total, *doc["salesByAsin"]]:
        assert (record["startDate"], record["endDate"]) == (
            sunday.isoformat(),
            (sunday + timedelta(days=6)).isoformat(),
        )
    for key in JSON_MEASURES.values():
        assert json_value(total[key]) == sum(json_value(r[key]) for r in doc["salesByAsin"]), key
        if isinstance(total[key], dict):
            assert {r[key]["currencyCode"] for r in [total, *doc["salesByAsin"]]} == {"EUR"}
    # the forecast, generated in the last week: the next 8 Sunday-to-Saturday weeks per ASIN
    (path,) = vendor_folder(home, DEMO_LAST_WEEK).glob("GET_VENDOR_FORECASTING_REPORT_*.json")
    doc = json.loads(path.read_text("utf-8"))
    assert doc["reportSpecification"]["reportType"] == "GET_VENDOR_FORECASTING_REPORT"
    forecast = doc["forecastByAsin"]
    assert len(forecast) == 8 * len(asins) and {r["asin"] for r in forecast} == asins
    for r in forecast:
        generated, start = (
            date.fromisoformat(r[k]) for k in ("forecastGenerationDate", "startDate")
        )
        assert DEMO_LAST_WEEK <= generated <= DEMO_LAST_WEEK + timedelta(days=6)
        assert start >= generated and start.weekday() == 6
        assert date.fromisoformat(r["endDate"]) == start + timedelta(days=6)
        assert 0 < r["meanForecastUnits"] <= r["p70ForecastUnits"] <= r["p80ForecastUnits"]
        assert r["p80ForecastUnits"] <= r["p90ForecastUnits"]
    # one month at its grain, loose in the account's folder (no week folder: the banner says)
    (path,) = [p for p in root.iterdir() if p.is_file()]
    head, header, rows = vendor_csv(path)
    assert ",".join(header) == VENDOR_SALES_HEADER and set(rows) == asins
    assert head["Reporting Range"] == "Month" and head["Viewing Range"] == "01/10/26 - 31/10/26"
    week = vendor_sales(home, this_year[-3])  # a week of that month has far fewer units
    assert all(rows[a]["Ordered Units"] > 3 * week[a]["Ordered Units"] for a in asins)


def test_vendor_numbers_are_internally_consistent(default) -> None:
    home, manifest = default
    mondays = [w - YEAR for w in manifest.weeks] + manifest.weeks
    sales = {m: vendor_sales(home, m) for m in mondays}
    traffic = {m: vendor_csv(vendor_report(home, m, "Traffic"), 2)[2] for m in mondays}
    ppm = {m: vendor_csv(vendor_report(home, m, "NetPPM"))[2] for m in mondays}
    csv_weeks = [m for m in mondays if "LBB (Price)" in next(iter(sales[m].values()))]
    checked = 0
    for monday in mondays:
        for asin, row in sales[monday].items():
            assert 0 < row["Shipped COGS"] < row["Shipped Revenue"]  # Net PPM positive
            units, revenue = row["Ordered Units"], row["Ordered Revenue"]
            assert units > 0 and (revenue * 100) % units == 0  # units × one price in cents
            assert 5 <= revenue / units <= 80
            views = traffic[monday][asin]["Featured Offer Page Views"]
            assert 100 <= views <= 20000 and units < views
            assert row["Customer Returns"] < row["Shipped Units"]
            assert abs(ppm[monday][asin]["Net PPM %"] - net_ppm(row)) <= Decimal("0.00005")
    # the companions: "- Prior Period (%)" against the week before, "- Same Period Last Year
    # (%)" against the same week a year earlier, Net PPM's prior period in basis points
    for monday in csv_weeks:
        before, year_ago = monday - timedelta(weeks=1), monday - YEAR
        for asin, row in sales[monday].items():
            for m in MEASURES:
                for suffix, other in (
                    ("Prior Period", before),
                    ("Same Period Last Year", year_ago),
                ):
                    if other not in sales:
                        continue
                    base = sales[other][asin][m]
                    pct = row[f"{m} - {suffix} (%)"]
                    if base == 0:
                        assert pct is None
                    else:
                        assert abs(pct - (row[m] - base) / base) <= Decimal("0.00005"), (m, monday)
                        checked += 1
            if before in ppm:
                bps = ppm[monday][asin]["Net PPM % - Prior Period (bps)"]
                assert bps == (ppm[before][asin]["Net PPM %"] * 10000).quantize(Decimal(1))
            if before in traffic:
                now, base = (
                    t[asin]["Featured Offer Page Views"] for t in (traffic[monday], traffic[before])
                )
                pct = traffic[monday][asin]["Featured Offer Page Views - Prior Period (%)"]
                assert abs(pct - (now - base) / base) <= Decimal("0.00005")
    assert checked > 1000

    # a year earlier Net PPM was a few points higher (this year's cost prices went up)
    def account_ppm(week: date) -> Decimal:
        rows = sales[week].values()
        revenue = sum(r["Shipped Revenue"] for r in rows)
        return (revenue - sum(r["Shipped COGS"] for r in rows)) / revenue

    gaps = [account_ppm(w - YEAR) - account_ppm(w) for w in manifest.weeks[:-2]]
    assert all(gap > 0 for gap in gaps)
    assert Decimal("0.02") <= sum(gaps) / len(gaps) <= Decimal("0.05")
    # Amazon's stock: sell-through is what shipped of what there was, values at cost
    for monday in mondays:
        _, stock = vendor_inventory(home, monday)
        for asin, row in stock.items():
            shipped = sales[monday][asin]["Shipped Units"]
            on_hand = row["Sellable On Hand Units"]
            assert row["Sell-Through %"] == pytest.approx(
                float(shipped / (on_hand + shipped)), abs=1e-4
            )
            cost = sales[monday][asin]["Shipped COGS"] / shipped
            assert row["Sellable On Hand Inventory"] == pytest.approx(
                float(on_hand * cost), abs=0.01
            )
            assert row["Aged 90+ Days Sellable Units"] <= on_hand
            assert 0 <= row["Sourceable Product OOS %"] <= 1


def test_vendor_story_amazon_matches_a_price_and_runs_out_at_rhein_vendor_de(default) -> None:
    home, manifest = default
    story = {s["story"]: s for s in manifest.stories if s["account_id"] == VENDOR}
    assert list(story) == VENDOR_STORIES
    before, last = manifest.weeks[-2], manifest.weeks[-1]
    # (1) the best seller: a third party undercut Amazon in W-1 (LBB (Price) ~35 % of page
    # views), Amazon matched in W (LBB ~5 %, ASP -15 %): units up ~40 %, revenue up less, Net
    # PPM down (same cost, lower price)
    best = story["vendor-price-match"]["asin"]
    rows = {w: vendor_sales(home, w)[best] for w in manifest.weeks}
    earlier = [r["LBB (Price)"] for w, r in rows.items() if w < before and "LBB (Price)" in r]
    assert len(earlier) == len(manifest.weeks) - 3 and max(earlier) <= Decimal("0.05")
    assert Decimal("0.30") <= rows[before]["LBB (Price)"] <= Decimal("0.40")
    assert rows[last]["LBB (Price)"] <= Decimal("0.07")

    def asp(row: dict) -> Decimal:
        return row["Ordered Revenue"] / row["Ordered Units"]

    assert Decimal("-0.18") <= asp(rows[last]) / asp(rows[before]) - 1 <= Decimal("-0.12")
    units = rows[last]["Ordered Units"] / rows[before]["Ordered Units"] - 1
    revenue = rows[last]["Ordered Revenue"] / rows[before]["Ordered Revenue"] - 1
    assert units >= Decimal("0.30") and 0 < revenue < units
    assert net_ppm(rows[before]) >= Decimal("0.26") and net_ppm(rows[last]) <= Decimal("0.21")
    for week in manifest.weeks:  # and it is the best seller every week
        week_sales = vendor_sales(home, week)
        top = max(week_sales, key=lambda asin: week_sales[asin]["Ordered Revenue"])
        assert top == best, week
    # (2) another ASIN runs out at Amazon in W, its open POs short of the forecast demand
    out = story["vendor-out-of-stock"]["asin"]
    stock = {w: vendor_inventory(home, w)[1][out] for w in manifest.weeks[-3:]}
    assert stock[manifest.weeks[-3]]["Sourceable Product OOS %"] < 0.05
    assert 0.05 <= stock[before]["Sourceable Product OOS %"] < 0.15
    assert stock[last]["Sourceable Product OOS %"] >= 0.5
    assert stock[last]["Sellable On Hand Units"] <= 5
    sold = vendor_sales(home, last)[out]["Ordered Units"]
    usual = sum(vendor_sales(home, w)[out]["Ordered Units"] for w in manifest.weeks[-6:-2]) / 4
    assert sold < Decimal("0.6") * usual
    (path,) = vendor_folder(home, last).glob("GET_VENDOR_FORECASTING_REPORT_*.json")
    forecast = [
        r for r in json.loads(path.read_text("utf-8"))["forecastByAsin"] if r["asin"] == out
    ]
    forecast.sort(key=lambda r: r["startDate"])
    assert forecast[0]["meanForecastUnits"] >= 0.8 * float(usual)  # demand continues
    lead_weeks = 28 // 7  # the account's lead time
    need = sum(r["meanForecastUnits"] for r in forecast[:lead_weeks])
    assert stock[last]["Open Purchase Order Quantity"] < 0.5 * need  # logistics must ship more
    # (3) the last ASIN sits on stock: months of cover, most of it aged 90+ days
    over = story["vendor-aged-stock"]["asin"]
    row = vendor_inventory(home, last)[1][over]
    shipped = vendor_sales(home, last)[over]["Shipped Units"]
    assert row["Sellable On Hand Units"] >= 15 * shipped
    assert row["Aged 90+ Days Sellable Units"] >= 0.5 * row["Sellable On Hand Units"]
    assert row["Open Purchase Order Quantity"] == 0
    # no other ASIN tells a story
    for asin, other in vendor_inventory(home, last)[1].items():
        if asin not in (out, over):
            assert other["Sourceable Product OOS %"] < 0.05
            assert other["Aged 90+ Days Sellable Units"] < 0.5 * other["Sellable On Hand Units"]


def test_the_process_pool_writes_the_vendor_the_same(tmp_path: Path, monkeypatch) -> None:
    scale = DemoScale(accounts=6, asins=3, weeks=2)
    write_demo(tmp_path / "serial", scale)
    monkeypatch.setattr(demo.generate, "PARALLEL_WORK", 0)
    write_demo(tmp_path / "pool", scale)
    serial = tree(tmp_path / "serial")
    assert any(name.startswith(f"inbox/{VENDOR}/") for name in serial)
    assert serial == tree(tmp_path / "pool")


# --- payments (issue 18): Date Range Reports, a settlement, a Transaction view, unit costs ----

SELLERS = NAMED + LANGUAGE_ACCOUNTS
PAYMENTS_MARKET = {**MARKET, "shenzhen-us": "US", "milano-it": "IT"}
# Spelled out here, not imported (../shared/export-headers.md §3.1, §3.2, §3.3, §3.4)
DRR_PREAMBLE_US = [
    "Includes Amazon Marketplace, Fulfillment by Amazon (FBA), and Amazon Webstore transactions",
    "All amounts in USD, unless specified",
    "Definitions:",
    "Date/Time: Posted date/time of the transaction",
    "Note: Reports with start date of 1 Jan 2025 or later are indexed by posted date, include both "
    "released and deferred transactions and have two new columns.",
]
DRR_PREAMBLE = {
    "US": DRR_PREAMBLE_US,
    "UK": [
        DRR_PREAMBLE_US[0].replace("Fulfillment", "Fulfilment"),
        "All amounts in GBP, unless specified",
        *DRR_PREAMBLE_US[2:],
    ],
}
DRR_HEADER = {
    "US": "date/time,settlement id,type,order id,sku,description,quantity,marketplace,"
    "account type,fulfillment,order city,order state,order postal,tax collection model,"
    "product sales,product sales tax,shipping credits,shipping credits tax,gift wrap credits,"
    "giftwrap credits tax,Regulatory Fee,Tax On Regulatory Fee,promotional rebates,"
    "promotional rebates tax,marketplace withheld tax,selling fees,fba fees,"
    "other transaction fees,other,total,Transaction Status,Transaction Release Date",
    "UK": "date/time,settlement id,type,order id,sku,description,quantity,marketplace,fulfilment,"
    "order city,order state,order postal,tax collection model,product sales,product sales tax,"
    "postage credits,shipping credits tax,gift wrap credits,giftwrap credits tax,"
    "promotional rebates,promotional rebates tax,marketplace withheld tax,selling fees,fba fees,"
    "other transaction fees,other,total,Transaction Status,Transaction Release Date",
    "DE": "Datum/Uhrzeit,Abrechnungsnummer,Typ,Bestellnummer,SKU,Beschreibung,Menge,Marketplace,"
    "Versand,Ort der Bestellung,Bundesland,Postleitzahl,Steuererhebungsmodell,Umsätze,"
    "Produktumsatzsteuer,Gutschrift für Versandkosten,Steuer auf Versandgutschrift,"
    "Gutschrift für Geschenkverpackung,Steuer auf Geschenkverpackungsgutschriften,"
    "Rabatte aus Werbeaktionen,Steuer auf Aktionsrabatte,Einbehaltene Steuer auf Marketplace,"
    "Verkaufsgebühren,Gebühren zu Versand durch Amazon,Andere Transaktionsgebühren,Andere,"
    "Gesamt,Transaktionsstatus,Freigabedatum der Transaktion",
    "IT": "Data/Ora:,Numero pagamento,Tipo,Numero ordine,SKU,Descrizione,Quantità,Marketplace,"
    "Gestione,Città di provenienza dell'ordine,Provincia di provenienza dell'ordine,"
    "CAP dell'ordine,modello di riscossione delle imposte,Vendite,"
    "imposta sulle vendite dei prodotti,Accrediti per le spedizioni,"
    "imposta accrediti per le spedizioni,Accrediti per confezioni regalo,"
    "imposta sui crediti confezione regalo,Sconti promozionali,"
    "imposta sugli sconti promozionali,trattenuta IVA del marketplace,Commissioni di vendita,"
    "Costi del servizio Logistica di Amazon,Altri costi relativi alle transazioni,Altro,"
    "totale,Stato della transazione,Data di rilascio della transazione",
    "JP": "日付/時間,決済番号,トランザクションの種類,注文番号,SKU,説明,数量,Amazon 出品サービス,"
    "フルフィルメント,市町村,都道府県,郵便番号,税金徴収型,商品売上,商品の売上税,配送料,"
    "配送料の税金,ギフト包装手数料,ギフト包装クレジットの税金,Amazonポイントの費用,"
    "プロモーション割引額,プロモーション割引の税金,源泉徴収税を伴うマーケットプレイス,手数料,"
    "FBA 手数料,トランザクションに関するその他の手数料,その他,合計",
}
# type values per language (§3.4, §3.5): order, refund, service fee, storage, transfer
DRR_TYPES = {
    "en": ("Order", "Refund", "Service Fee", "FBA Inventory Fee", "Transfer"),
    "de": ("Bestellung", "Erstattung", "Servicegebühr", "Versand durch Amazon Lagergebühr",
           "Übertrag"),
    "it": ("Ordine", "Rimborso", "Commissione di servizio",
           "Costo di stoccaggio Logistica di Amazon"),
    "ja": ("注文", "返金", "注文外料金", "FBA 在庫関連の手数料"),
}  # fmt: skip
ADVERTISING = {"en": "Cost of Advertising", "de": "Werbekosten", "it": "Costo della pubblicità",
               "ja": "広告費用"}  # fmt: skip
DRR_LANGUAGE = {"US": "en", "UK": "en", "DE": "de", "IT": "it", "JP": "ja"}
ZONE = {"US": "America/Los_Angeles", "UK": "Europe/London", "DE": "Europe/Berlin",
        "IT": "Europe/Rome", "JP": "Asia/Tokyo"}  # fmt: skip
# product sales, shipping credits, promotional rebates, selling fees, fba fees, other
# transaction fees in each layout
_EN = ("product sales", "shipping credits", "promotional rebates", "selling fees", "fba fees",
       "other transaction fees")  # fmt: skip
DRR_HEADER_OF = {
    "US": _EN,
    "UK": (_EN[0], "postage credits", *_EN[2:]),
    "DE": ("Umsätze", "Gutschrift für Versandkosten", "Rabatte aus Werbeaktionen",
           "Verkaufsgebühren", "Gebühren zu Versand durch Amazon", "Andere Transaktionsgebühren"),
    "IT": ("Vendite", "Accrediti per le spedizioni", "Sconti promozionali",
           "Commissioni di vendita", "Costi del servizio Logistica di Amazon",
           "Altri costi relativi alle transazioni"),
    "JP": ("商品売上", "配送料", "プロモーション割引額", "手数料", "FBA 手数料",
           "トランザクションに関するその他の手数料"),
}  # fmt: skip
# the columns (by position) that hold money, total last
AMOUNT_COLUMNS = {
    "US": range(14, 30), "UK": range(13, 27), "DE": range(13, 27), "IT": range(13, 27),
    "JP": range(13, 28),
}  # fmt: skip
US_STAMP = re.compile(r"^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M P[DS]T$")
STAMP = {
    "UK": re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} UTC$"),
    "DE": re.compile(r"^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2} UTC$"),
    "IT": re.compile(r"^\d{1,2} (gen|feb|mar|apr|mag|giu|lug|ago|set|ott|nov|dic) \d{4} "
                     r"\d{2}:\d{2}:\d{2} UTC$"),
    "JP": re.compile(r"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} JST$"),
    "US": US_STAMP,
}  # fmt: skip


def posted_local(text: str, market: str) -> datetime:
    """A Date Range Report's date/time in the marketplace's time zone (naive)."""
    from zoneinfo import ZoneInfo

    if market == "US":  # written in Pacific time already
        return datetime.strptime(text[:-4], "%b %d, %Y %I:%M:%S %p")
    if market == "JP":
        return datetime.strptime(text[:-4], "%Y/%m/%d %H:%M:%S")
    if market == "DE":
        utc = datetime.strptime(text[:-4], "%d.%m.%Y %H:%M:%S")
    else:
        day, month, rest = text[:-4].split(" ", 2)
        months = IT_MONTHS if market == "IT" else ENGLISH_MONTHS
        utc = datetime.strptime(f"{day} {months.index(month) + 1} {rest}", "%d %m %Y %H:%M:%S")
    zone = ZoneInfo(ZONE[market])
    return utc.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None)


IT_MONTHS = ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"]
ENGLISH_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                  "Dec"]  # fmt: skip


def payment_number(text: str, market: str) -> Decimal:
    if market in ("DE", "IT"):
        return Decimal(text.replace(".", "").replace(",", "."))
    return Decimal(text.replace(",", ""))


def date_range_report(home: Path, account: str, week: date) -> tuple[list[str], list[dict]]:
    """A week's Date Range Report: its preamble lines and its rows as dicts with the keys
    posted (local), type, order, sku, quantity, sales, fba, total (Decimal), amounts (every
    amount column but total, Decimal) and row (the cells)."""
    market = PAYMENTS_MARKET[account]
    end = week + timedelta(days=6)
    path = home / "inbox" / account / week.isoformat()
    path /= f"{week.year}{ENGLISH_MONTHS[week.month - 1]}{week.day}-{end.year}"
    path = path.with_name(
        path.name + f"{ENGLISH_MONTHS[end.month - 1]}{end.day}CustomTransaction.csv"
    )
    lines = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    skip = len(DRR_PREAMBLE.get(market, []))
    preamble, header, body = [line[0] for line in lines[:skip]], lines[skip], lines[skip + 1 :]
    assert ",".join(header) == DRR_HEADER[market]
    money = AMOUNT_COLUMNS[market]
    rows = []
    for cells in body:
        assert len(cells) == len(header)
        amounts = [payment_number(cells[i], market) for i in money]
        row = dict(zip(header, cells, strict=True))
        named = {
            key: payment_number(row[DRR_HEADER_OF[market][i]], market)
            for i, key in enumerate(
                ("sales", "shipping", "rebates", "selling", "fba", "other_fees")
            )
        }
        rows.append(
            {
                **named,
                "posted": posted_local(cells[0], market),
                "stamp": cells[0],
                "settlement": cells[1],
                "type": cells[2],
                "order": cells[3],
                "sku": cells[4],
                "description": cells[5],
                "quantity": int(cells[6]) if cells[6] else 0,
                "total": amounts[-1],
                "amounts": amounts[:-1],
                "cells": row,
            }
        )
    return preamble, rows


def unit_costs(home: Path) -> dict[tuple[str, str], list[tuple[date, Decimal]]]:
    """(account, sku) -> [(valid from, cost)] ascending; date.min where always."""
    lines = (home / "unit_costs.csv").read_text("utf-8").splitlines()
    out: dict[tuple[str, str], list[tuple[date, Decimal]]] = {}
    for account, sku, cost, _, valid_from in csv.reader(lines[1:]):
        start = date.fromisoformat(valid_from) if valid_from else date.min
        out.setdefault((account, sku), []).append((start, Decimal(cost)))
    return {key: sorted(value) for key, value in out.items()}


def cost_on(costs: list[tuple[date, Decimal]], day: date) -> Decimal:
    return [cost for start, cost in costs if start <= day][-1]


def week_figures(home: Path, account: str, week: date) -> dict[str, Decimal]:
    """The issue's margin figures of one week, worked out from the Date Range Report and
    unit_costs.csv alone (advertising: the billed Cost of Advertising)."""
    language = DRR_LANGUAGE[PAYMENTS_MARKET[account]]
    order, refund, service, storage = DRR_TYPES[language][:4]
    costs = unit_costs(home)
    _, rows = date_range_report(home, account, week)
    f = dict.fromkeys(
        ("sales", "units", "refunds", "refunded_units", "fees", "ads", "cogs", "extras"),
        Decimal(0),
    )
    for r in rows:
        if r["type"] in (order, refund):
            cost = cost_on(costs[(account, r["sku"])], r["posted"].date()) * r["quantity"]
            f["cogs"] += cost if r["type"] == order else -cost
            f["extras"] += r["shipping"] + r["rebates"]
            f["fees"] -= r["selling"] + r["fba"]
        if r["type"] == order:
            f["sales"] += r["sales"]
            f["units"] += r["quantity"]
        elif r["type"] == refund:
            f["refunds"] -= r["sales"]
            f["refunded_units"] += r["quantity"]
        elif r["type"] == service:
            assert r["description"] == ADVERTISING[language]
            f["ads"] -= r["other_fees"]
        elif r["type"] == storage:
            f["fees"] -= r["other_fees"]
    f["margin"] = f["sales"] + f["extras"] - f["refunds"] - f["fees"] - f["ads"] - f["cogs"]
    return f


@pytest.mark.parametrize("account", SELLERS)
def test_date_range_reports_in_the_seller_central_language(default, account: str) -> None:
    home, manifest = default
    market = PAYMENTS_MARKET[account]
    language = DRR_LANGUAGE[market]
    seen: set[str] = set()
    for week in manifest.weeks:
        preamble, rows = date_range_report(home, account, week)
        # the evidenced English preamble; none in German, Italian, Japanese (header first)
        assert preamble == DRR_PREAMBLE.get(market, [])
        assert rows
        for r in rows:
            assert STAMP[market].match(r["stamp"]), r["stamp"]
            # dated by the marketplace's day: in the file of its week, in time order
            assert week <= r["posted"].date() <= week + timedelta(days=6), r["stamp"]
            assert r["total"] == sum(r["amounts"])  # total = the row's amount columns
            assert r["type"] in DRR_TYPES[language]
            seen.add(r["type"])
            if market != "US":  # VAT inside product sales: no tax column is non-zero
                tax = [
                    v for k, v in r["cells"].items() if "tax" in k.lower() or "steuer" in k.lower()
                ]
                assert all(payment_number(v, market) == 0 for v in tax if v)
        assert [r["posted"] for r in rows] == sorted(r["posted"] for r in rows)
    # orders, refunds, advertising and storage in every language; transfers where a word is
    # evidenced for them (en, de)
    assert seen == set(DRR_TYPES[language])


def test_date_range_report_values_per_language(default) -> None:
    home, manifest = default
    week = manifest.weeks[-1]
    _, us = date_range_report(home, "acme-us", week)
    orders = [r for r in us if r["type"] == "Order"]
    cells = orders[0]["cells"]
    assert cells["tax collection model"] == "MarketplaceFacilitator"
    assert cells["account type"] == "Standard Orders"
    # US sales tax is withheld again (marketplace facilitator): not the seller's money
    for r in orders:
        c = r["cells"]
        taxes = c["product sales tax"], c["shipping credits tax"], c["marketplace withheld tax"]
        pst, sct, withheld = (payment_number(v, "US") for v in taxes)
        assert pst > 0 and withheld == -(pst + sct)
    # German dates and numbers; a row posted after midnight in Berlin shows the UTC day before
    _, de = date_range_report(home, "acme-de", week)
    assert any(r["stamp"].startswith(f"{week - timedelta(days=1):%d.%m.%Y}") for r in de) or all(
        r["stamp"].startswith(f"{r['posted']:%d.%m.%Y}") for r in de
    )
    assert {r["cells"]["Versand"] for r in de if r["type"] == "Bestellung"} == {
        "Amazon",
        "Verkäufer",
    }
    raw = next(r["cells"]["Umsätze"] for r in de if r["sales"] >= 1000)
    assert "." in raw and raw[-3] == ","
    _, it = date_range_report(home, "milano-it", week)
    assert it[0]["stamp"].split(" ")[1] == "nov"
    _, jp = date_range_report(home, "sakura-jp", week)
    assert all("." not in r["cells"]["商品売上"] for r in jp)
    # the Chinese seller downloads the English US report (no Chinese one is evidenced)
    preamble, zh = date_range_report(home, "shenzhen-us", week)
    assert (
        preamble[1] == "All amounts in USD, unless specified" and zh[0]["type"] in DRR_TYPES["en"]
    )


@pytest.mark.parametrize("account", SELLERS)
def test_payments_agree_with_the_business_reports_and_the_manifest(default, account) -> None:
    home, manifest = default
    market = PAYMENTS_MARKET[account]
    order, refund = DRR_TYPES[DRR_LANGUAGE[market]][:2]
    settled: dict[str, int] = {}
    sales: dict[str, Decimal] = {}
    ordered_in: dict[str, date] = {}
    for week in manifest.weeks:
        _, rows = date_range_report(home, account, week)
        for r in rows:
            if r["type"] == order:
                settled[r["sku"]] = settled.get(r["sku"], 0) + r["quantity"]
                sales[r["sku"]] = sales.get(r["sku"], Decimal(0)) + r["sales"]
                ordered_in[r["order"]] = week
                assert r["selling"] == pytest.approx(
                    -Decimal("0.15") * (r["sales"] + r["shipping"]), abs=1
                )
                assert (r["fba"] == 0) == r["sku"].endswith("-FBM")
            elif r["type"] == refund:  # always in a later week than its order
                assert ordered_in[r["order"]] < week and r["sales"] < 0 and r["selling"] > 0
        figures = week_figures(home, account, week)
        truth = manifest.payments[(account, week)]
        for key, name in (("sales", "settled_sales"), ("units", "settled_units"),
                          ("refunds", "refund_amount"), ("fees", "amazon_fees"),
                          ("ads", "advertising"), ("cogs", "cogs"),
                          ("margin", "contribution_margin")):  # fmt: skip
            assert figures[key] == truth[name], (week, key)
    ordered: dict[str, int] = {}
    revenue: dict[str, Decimal] = {}
    for week in manifest.weeks:
        for r in manifest.business_rows[(account, week)]:
            ordered[r["sku"]] = ordered.get(r["sku"], 0) + r["units"]
            revenue[r["sku"]] = revenue.get(r["sku"], Decimal(0)) + r["revenue"]
    # every unit ordered settles once, the last days' after the demo
    assert all(settled.get(sku, 0) <= units for sku, units in ordered.items())
    assert sum(ordered.values()) - sum(settled.values()) == manifest.pending_units[account]
    last = manifest.business_rows[(account, manifest.weeks[-1])]
    assert 0 < manifest.pending_units[account] < sum(r["units"] for r in last)
    assert sum(sales.values()) <= sum(revenue.values())
    # settled sales follow ordered sales week by week, a day or two late (4 weeks: within 10 %)
    four = manifest.weeks[-5:-1]
    br = sum(r["revenue"] for w in four for r in manifest.business_rows[(account, w)])
    settled_four = sum(manifest.payments[(account, w)]["settled_sales"] for w in four)
    assert abs(settled_four - br) <= Decimal("0.10") * br


@pytest.mark.parametrize("account", ["acme-uk", "acme-de", "acme-us"])
def test_billed_advertising_is_the_ads_reports_spend(default, account: str) -> None:
    home, manifest = default
    for week in manifest.weeks[-3:]:
        spend = sum(
            Decimal(r["Spend"].lstrip("£$")) for r in advertised_products(home, account, week)
        )
        assert week_figures(home, account, week)["ads"] == spend


def test_unit_costs_for_every_seller_sku_and_one_supplier_increase(default) -> None:
    home, manifest = default
    costs = unit_costs(home)
    changed = {key: value for key, value in costs.items() if len(value) > 1}
    for account in SELLERS:
        rows = [r for w in manifest.weeks for r in manifest.business_rows[(account, w)]]
        for r in rows:
            first = costs[(account, r["sku"])][0]
            assert first[0] == date.min
            if r["units"]:
                price = r["revenue"] / r["units"]  # at most the list price (promotions: 85 %)
                assert (
                    Decimal("0.35") * price * Decimal("0.99")
                    <= first[1]
                    <= Decimal("0.45") / Decimal("0.85") * price
                )
        assert {sku for (a, sku) in costs if a == account} == {r["sku"] for r in rows}
    # nordwind-de's best seller: +25 % from the Wednesday of the last week but one
    (story,) = [s for s in manifest.stories if s["story"] == "cost-increase"]
    (key,) = changed
    assert key[0] == story["account_id"] == "nordwind-de"
    (before, after) = changed[key]
    assert after[0] == manifest.weeks[-2] + timedelta(days=2)
    assert after[1] == (before[1] * Decimal("1.25")).quantize(Decimal("0.01"))
    sku_asin = {
        r["sku"]: r["child_asin"] for r in manifest.business_rows[("nordwind-de", DEMO_LAST_WEEK)]
    }
    assert sku_asin[key[1]] == story["asin"]


def test_settlement_v2_file_holds_the_date_range_reports_transactions(default) -> None:
    home, manifest = default
    weeks = manifest.weeks[-2:]
    (path,) = (home / "inbox" / "acme-us" / weeks[-1].isoformat()).glob("Settlement_V2_*.txt")
    lines = path.read_text("utf-8").rstrip("\n").split("\n")
    header = lines[0].split("\t")
    assert (
        header
        == (
            "settlement-id settlement-start-date settlement-end-date deposit-date total-amount "
            "currency transaction-type order-id merchant-order-id adjustment-id shipment-id "
            "marketplace-name amount-type amount-description amount fulfillment-id posted-date "
            "posted-date-time order-item-code merchant-order-item-id merchant-adjustment-item-id "
            "sku quantity-purchased promotion-id"
        ).split()
    )
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    summary, items = rows[0], rows[1:]
    sid = path.stem.rsplit("_", 1)[1]
    assert summary["settlement-id"] == sid and summary["currency"] == "USD"
    assert not any(summary[k] for k in header[6:])
    assert summary["settlement-start-date"] == f"{weeks[0]} 08:00:00 UTC"  # midnight in PST
    assert Decimal(summary["total-amount"]) == sum(Decimal(r["amount"]) for r in items)
    # the same transactions as the two weeks' Date Range Reports with that settlement id
    drr = [r for w in weeks for r in date_range_report(home, "acme-us", w)[1]]
    assert {r["settlement"] for r in drr} == {sid}
    (transfer,) = [r for r in drr if r["type"] == "Transfer"]
    assert transfer["total"] == -Decimal(summary["total-amount"])
    per_txn: dict[tuple[str, str], Decimal] = {}
    for r in items:
        key = (r["transaction-type"], r["order-id"] or r["amount-type"] + r["posted-date-time"])
        per_txn[key] = per_txn.get(key, Decimal(0)) + Decimal(r["amount"])
    kinds = {"Order": "Order", "Refund": "Refund"}
    expected = {(kinds[r["type"]], r["order"]): r["total"] for r in drr if r["type"] in kinds}
    assert {k: v for k, v in per_txn.items() if k[0] in kinds} == expected
    others = sorted(v for k, v in per_txn.items() if k[0] not in kinds)
    assert others == sorted(
        r["total"] for r in drr if r["type"] in ("Service Fee", "FBA Inventory Fee")
    )


def test_transaction_view_of_acme_uk_matches_its_date_range_report(default) -> None:
    home, manifest = default
    week = manifest.weeks[-1]
    folder = home / "inbox" / "acme-uk" / week.isoformat()
    (path,) = folder.glob("PaymentsTransactions_*.csv")
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    assert rows[0] == [
        "Date", "Transaction Status", "Transaction type", "Order ID", "Product Details",
        "Total product charges", "Total promotional rebates", "Amazon fees", "Other", "Total (GBP)",
    ]  # fmt: skip
    _, drr = date_range_report(home, "acme-uk", week)
    drr = [r for r in drr if r["type"] != "Transfer"]
    assert len(rows) - 1 == len(drr)
    for row in rows[1:]:
        values = [Decimal(v.replace(",", "")) for v in row[5:]]
        assert values[-1] == sum(values[:-1])
    assert sum(Decimal(r[9].replace(",", "")) for r in rows[1:]) == sum(r["total"] for r in drr)
    assert {r[2] for r in rows[1:]} >= {"Order Payment", "Refund", "Service Fees"}


def test_margin_stories_fee_increase_and_refund_wave(default) -> None:
    home, manifest = default
    before, last = manifest.weeks[-2], manifest.weeks[-1]
    # milano-it: FBA fees per unit +50 % in the last week: sales grow, margin falls
    (story,) = [s for s in manifest.stories if s["story"] == "fee-increase"]
    assert story["account_id"] == "milano-it"
    w1, w = week_figures(home, "milano-it", before), week_figures(home, "milano-it", last)
    assert w["sales"] > w1["sales"] and w["margin"] < w1["margin"]
    assert w["margin"] / w["sales"] < w1["margin"] / w1["sales"] - Decimal("0.02")

    def fee_per_unit(week: date) -> dict[str, Decimal]:
        _, rows = date_range_report(home, "milano-it", week)
        return {
            r["sku"]: r["fba"] / r["quantity"] for r in rows if r["type"] == "Ordine" and r["fba"]
        }

    old, new = fee_per_unit(before), fee_per_unit(last)
    for sku in set(old) & set(new):
        assert new[sku] == pytest.approx(old[sku] * Decimal("1.5"), abs=Decimal("0.01"))
    # acme-uk: a third of one ASIN's recent units come back in the last week
    (story,) = [s for s in manifest.stories if s["story"] == "refund-wave"]
    assert story["account_id"] == "acme-uk"
    skus = {
        r["sku"]
        for r in manifest.business_rows[("acme-uk", last)]
        if r["child_asin"] == story["asin"]
    }

    def refunded(week: date) -> int:
        _, rows = date_range_report(home, "acme-uk", week)
        return sum(r["quantity"] for r in rows if r["type"] == "Refund" and r["sku"] in skus)

    def settled(week: date) -> int:
        _, rows = date_range_report(home, "acme-uk", week)
        return sum(r["quantity"] for r in rows if r["type"] == "Order" and r["sku"] in skus)

    recent = sum(settled(w) for w in manifest.weeks[-4:-1])
    assert refunded(last) >= 0.25 * recent
    assert all(refunded(w) < 0.1 * recent for w in manifest.weeks[:-1])
    uk1, uk = week_figures(home, "acme-uk", before), week_figures(home, "acme-uk", last)
    assert uk["refunds"] > 3 * uk1["refunds"]
    assert uk["margin"] / uk["sales"] < uk1["margin"] / uk1["sales"] - Decimal("0.05")
