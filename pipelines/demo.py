"""Deterministic demo data: every export family written exactly as Amazon delivers it.

Why this exists: ``make demo``, the benchmark and the tests need inboxes that look like the real
thing — the header text, encodings, BOMs, number formats and quoting of each marketplace (see
design.md §4) — without shipping any seller's data. Every number is drawn from
``numpy.random.default_rng([seed, account position])`` and no clock is read, so the same
inputs give byte-identical files, whether one process writes them or a pool (large scales).

What gets written under ``home``:

* ``accounts.yaml`` and ``fx_rates.csv`` (ECB reference-rate layout, newest day first);
* ``inbox/<account>/<week start>/`` with five export families per account and week:
  ``BusinessReport-DD-MM-YYYY.csv`` (Detail Page Sales and Traffic by Child Item; UK en-dash
  sentence case with BOM, US title case with hyphens, German, Japanese),
  ``Manage_FBA_Inventory_<digits>.txt`` (tab-separated; Windows-1252 for UK/US),
  ``Sponsored Products Search term report.csv|.xlsx`` and
  ``Sponsored Products Advertised product report.csv|.xlsx`` (daily rows, 7-day attribution),
  ``reviews.tsv`` (Customer Reviews dataset layout) and ``account-health.json``
  (SP-API ``GET_V2_SELLER_PERFORMANCE_REPORT``).

Stories the packs must reveal (default accounts; W = the last demo week, W-1 the week before;
the ASIN ids are in ``DemoManifest.stories``):

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
    and W, all complaining about the same defect.
(e) **acme-de — Buy Box lost.** Its top ASIN (index 0) holds the Featured Offer ~95 % of the
    time until W-2, then 45 % in W-1 and ~20 % in W; its units, sales and ads fall with it.

pacific-us has no story (the control) and delivers its ads reports as XLSX. sakura-jp's
account-health JSON uses the spellings of Amazon's own example (``prefulfillmentCancelRate``,
``ahrStatus``); the others use the schema's. Accounts beyond the six named ones are
``acct-007``, ``acct-008``… cycling UK, DE, JP, US, without stories. With fewer accounts,
asins or weeks a story keeps whatever of it fits.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np

DEMO_LAST_WEEK: date = date(2026, 11, 16)  # a Monday; weeks start Monday


@dataclass(frozen=True)
class DemoScale:
    """How much demo data to write; the defaults are what ``make demo`` shows."""

    accounts: int = 6
    asins: int = 12  # child ASINs per account
    weeks: int = 16
    seed: int = 7


class BusinessRows(Mapping):
    """Truth of every business-report row written, keyed by (account_id, week_start).

    A read-only mapping that builds each week's list of dicts when asked: at benchmark scale
    (millions of rows) a dict per row held in memory would cost gigabytes. Each access
    returns a fresh list in file order with keys parent_asin, child_asin, sku, title,
    sessions, page_views, buy_box_pct (fraction 0..1 as written), units, order_items and
    revenue (Decimal in the account's currency, as written)."""

    def __init__(self, weeks: list[date]) -> None:
        self._weeks = list(weeks)
        self._week_index = {w: i for i, w in enumerate(self._weeks)}
        self._blocks: dict[str, _RowBlock] = {}

    def _add(self, account_id: str, block: _RowBlock) -> None:
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


# ---------------------------------------------------------------------------------------------
# Marketplaces and header text


@dataclass(frozen=True)
class _Market:
    code: str
    currency: str
    symbol: str
    marketplace_id: str
    decimals: int  # minor units per major unit as a power of ten (JPY: 0)
    inventory_encoding: str
    br_encoding: str
    cpc_range: tuple[float, float]  # plausible cost per click in minor units
    price_factor: float  # local price per 1.00 of the catalogue's base price (GBP/EUR/USD ≈ 1)


MARKETS = {
    "UK": _Market("UK", "GBP", "£", "A1F83G8C2ARO7P", 2, "cp1252", "utf-8-sig", (20, 300), 1.0),
    "US": _Market("US", "USD", "$", "ATVPDKIKX0DER", 2, "cp1252", "utf-8", (25, 350), 1.0),
    "DE": _Market("DE", "EUR", "€", "A1PA6795UKMFR9", 2, "utf-8", "utf-8-sig", (20, 300), 1.0),
    "JP": _Market("JP", "JPY", "￥", "A1VC38T7YXB528", 0, "utf-8", "utf-8-sig", (15, 400), 150.0),
}
MARKET_CYCLE = ("UK", "DE", "JP", "US")
LANGUAGE = {"UK": "en", "US": "en", "DE": "de", "JP": "ja"}

# Header rows verbatim (UK: en dash U+2013 and sentence case, as in the real UK export).
BUSINESS_HEADERS = {
    "UK": (
        "(Parent) ASIN,(Child) ASIN,Title,SKU,Sessions – Total,Sessions – Total – B2B,"
        "Session percentage – Total,Session percentage – Total – B2B,Page views – Total,"
        "Page views – Total – B2B,Page views percentage – Total,"
        "Page views percentage – Total – B2B,Featured Offer (Buy Box) percentage,"
        "Featured Offer (Buy Box) percentage – B2B,Units ordered,Units ordered – B2B,"
        "Unit Session Percentage,Unit session percentage – B2B,Ordered Product Sales,"
        "Ordered product sales – B2B,Total order items,Total order items – B2B"
    ).split(","),
    "US": (
        "(Parent) ASIN,(Child) ASIN,Title,SKU,Sessions - Total,Sessions - Total - B2B,"
        "Session Percentage - Total,Session Percentage - Total - B2B,Page Views - Total,"
        "Page Views - Total - B2B,Page Views Percentage - Total,"
        "Page Views Percentage - Total - B2B,Featured Offer (Buy Box) Percentage,"
        "Featured Offer (Buy Box) Percentage - B2B,Units Ordered,Units Ordered - B2B,"
        "Unit Session Percentage,Unit Session Percentage - B2B,Ordered Product Sales,"
        "Ordered Product Sales - B2B,Total Order Items,Total Order Items - B2B"
    ).split(","),
    "DE": (
        "(Übergeordnete) ASIN,(Untergeordnete) ASIN,Titel,SKU,Sitzungen – Summe,"
        "Sitzungen – Summe – B2B,Sitzungsprozentsatz – Summe,"
        "Sitzungsprozentsatz – Summe – B2B,Seitenaufrufe – Summe,"
        "Seitenaufrufe – Summe – B2B,Prozentsatz an Seitenaufrufen – Summe,"
        "Prozentsatz an Seitenaufrufen – Summe – B2B,"
        "Empfohlenes Angebot (Buy Box) Prozentsatz,"
        "Empfohlenes Angebot (Buy Box) Prozentsatz – B2B,Bestellte Einheiten,"
        "Bestellte Einheiten – B2B,Prozentsatz Einheiten pro Sitzung,"
        "Prozentsatz Einheiten pro Sitzung – B2B,"
        "Durch bestellte Produkte erzielter Umsatz,"
        "Durch bestellte Produkte erzielter Umsatz – B2B,Zahl der Bestellposten,"
        "Zahl der Bestellposten – B2B"
    ).split(","),
    "JP": (
        "（親）ASIN,（子）ASIN,タイトル,SKU,セッション数 - 合計,"
        "セッション数 - 合計 - B2B,セッションの割合 - 合計,"
        "セッションの割合 - 合計 - B2B,ページビュー - 合計,"
        "ページビュー - 合計 - B2B,ページビュー率 - 合計,"
        "ページビュー率 - 合計 - B2B,おすすめ出品（カートボックス）の割合,"
        "おすすめ出品（カートボックス）の割合 - B2B,注文された商品点数,"
        "注文された商品点数 - B2B,ユニットセッション率,ユニットセッション率 - B2B,"
        "注文商品の売上額,注文商品の売上額 - B2B,注文品目総数,注文品目総数 - B2B"
    ).split(","),
}
INVENTORY_HEADER = [
    "sku",
    "fnsku",
    "asin",
    "product-name",
    "condition",
    "your-price",
    "mfn-listing-exists",
    "mfn-fulfillable-quantity",
    "afn-listing-exists",
    "afn-warehouse-quantity",
    "afn-fulfillable-quantity",
    "afn-unsellable-quantity",
    "afn-reserved-quantity",
    "afn-total-quantity",
    "per-unit-volume",
    "afn-inbound-working-quantity",
    "afn-inbound-shipped-quantity",
    "afn-inbound-receiving-quantity",
    "afn-researching-quantity",
    "afn-reserved-future-supply",
    "afn-future-supply-buyable",
]
REVIEWS_HEADER = [
    "marketplace",
    "customer_id",
    "review_id",
    "product_id",
    "product_parent",
    "product_title",
    "product_category",
    "star_rating",
    "helpful_votes",
    "total_votes",
    "vine",
    "verified_purchase",
    "review_headline",
    "review_body",
    "review_date",
]


def _sp_tail(us: bool) -> list[str]:
    """The metric columns of the 7-day seller reports. The US export carries trailing spaces on
    four of them (as in the real US sample); the UK one only on ACOS."""
    pad = " " if us else ""
    return [
        "Impressions",
        "Clicks",
        "Click-Thru Rate (CTR)",
        "Cost Per Click (CPC)",
        "Spend",
        f"7 Day Total Sales{pad}",
        "Total Advertising Cost of Sales (ACOS) ",
        "Total Return on Advertising Spend (ROAS)",
        "7 Day Total Orders (#)",
        "7 Day Total Units (#)",
        "7 Day Conversion Rate",
        "7 Day Advertised SKU Units (#)",
        "7 Day Other SKU Units (#)",
        f"7 Day Advertised SKU Sales{pad}",
        f"7 Day Other SKU Sales{pad}",
    ]


def search_term_header(us: bool) -> list[str]:
    return [
        "Date",
        "Portfolio name",
        "Currency",
        "Campaign Name",
        "Ad Group Name",
        "Targeting",
        "Match Type",
        "Customer Search Term",
        *_sp_tail(us),
    ]


def advertised_product_header(us: bool) -> list[str]:
    return [
        "Date",
        "Portfolio name",
        "Currency",
        "Campaign Name",
        "Ad Group Name",
        "Advertised SKU",
        "Advertised ASIN",
        *_sp_tail(us),
    ]


SEARCH_TERM_FILE = "Sponsored Products Search term report"
ADVERTISED_PRODUCT_FILE = "Sponsored Products Advertised product report"
DEMO_FILE = re.compile(
    r"^(BusinessReport-\d{2}-\d{2}-\d{4}\.csv|Manage_FBA_Inventory_\d+\.txt"
    r"|Sponsored Products (Search term|Advertised product) report\.(csv|xlsx)"
    r"|reviews\.tsv|account-health\.json)$"
)
DEMO_ACCOUNT = re.compile(
    r"^(acme-uk|acme-de|nordwind-de|sakura-jp|acme-us|pacific-us|acct-\d{3,})$"
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# ---------------------------------------------------------------------------------------------
# Catalogue text. Each product line: base title per language, variants per language, search
# keyword per language, base price (GBP/EUR/USD). The first lines carry the characters that
# must survive CSV quoting and HTML escaping: commas, quotes, &, <, U+202F.

_NB = "\u202f"


@dataclass(frozen=True)
class _Line:
    title: dict[str, str]
    variants: dict[str, tuple[str, ...]]
    keyword: dict[str, str]
    price: float
    volume: float  # per-unit volume


def _line(price: float, volume: float, **langs: tuple[str, tuple[str, ...], str]) -> _Line:
    return _Line(
        title={k: v[0] for k, v in langs.items()},
        variants={k: v[1] for k, v in langs.items()},
        keyword={k: v[2] for k, v in langs.items()},
        price=price,
        volume=volume,
    )


THEMES: dict[str, tuple[str, list[_Line]]] = {
    "kitchen": (
        "Kitchen",
        [
            _line(
                34.99,
                0.03,
                en=(
                    "Chef's Knife 8\" Stainless Steel, Ergonomic Handle",
                    ("Black", "Olive Wood", "Damascus Pattern"),
                    "chef knife",
                ),
                de=(
                    'Kochmesser 20 cm, Edelstahl, ergonomischer Griff "Profi"',
                    ("Schwarz", "Olivenholz", "Damast-Optik"),
                    "kochmesser",
                ),
                ja=(
                    '牛刀 包丁 20cm, ステンレス "プロ仕様"',
                    ("ブラック", "オリーブウッド", "ダマスカス模様"),
                    "包丁",
                ),
            ),
            _line(
                24.99,
                0.05,
                en=(
                    "Salt & Pepper Grinder Set, Adjustable Ceramic Mill",
                    ("Stainless Steel", "Acacia Wood", "Matte Black"),
                    "salt and pepper grinder",
                ),
                de=(
                    "Salz- & Pfeffermühle Set, verstellbares Keramikmahlwerk",
                    ("Edelstahl", "Akazienholz", "Schwarz matt"),
                    "pfeffermühle",
                ),
                ja=(
                    "ソルト & ペッパーミル セット、セラミック刃 粗さ調節",
                    ("ステンレス", "アカシア", "マットブラック"),
                    "ペッパーミル",
                ),
            ),
            _line(
                15.99,
                0.06,
                en=(
                    "Digital Kitchen Scale, Accurate to <1 g, 5 kg Capacity",
                    ("Silver", "White", "Black"),
                    "kitchen scale",
                ),
                de=(
                    "Digitale Küchenwaage, Genauigkeit <1 g, bis 5 kg",
                    ("Silber", "Weiß", "Schwarz"),
                    "küchenwaage",
                ),
                ja=(
                    "デジタル キッチンスケール <1g単位 最大5kg",
                    ("シルバー", "ホワイト", "ブラック"),
                    "キッチンスケール",
                ),
            ),
            _line(
                12.99,
                0.02,
                en=(
                    f"Olive Oil Sprayer 2{_NB}×{_NB}200 ml, Glass Bottle for Cooking",
                    ("Clear", "Amber"),
                    "oil sprayer",
                ),
                de=(
                    f"Ölsprüher 2{_NB}×{_NB}200 ml, Glasflasche zum Kochen",
                    ("Klar", "Braunglas"),
                    "öl sprühflasche",
                ),
                ja=(
                    f"オイルスプレー 2{_NB}×{_NB}200ml ガラスボトル",
                    ("クリア", "アンバー"),
                    "オイルスプレー",
                ),
            ),
            _line(
                27.99,
                0.12,
                en=(
                    "Bamboo Chopping Board Set of 3 with Juice Groove",
                    ("Natural", "Dark"),
                    "chopping board",
                ),
                de=(
                    "Bambus Schneidebrett 3er-Set mit Saftrille",
                    ("Natur", "Dunkel"),
                    "schneidebrett",
                ),
                ja=("竹製 まな板 3枚セット 溝付き", ("ナチュラル", "ダーク"), "まな板"),
            ),
            _line(
                39.99,
                0.15,
                en=(
                    "Cast Iron Skillet, Pre-Seasoned, Oven Safe",
                    ("20 cm", "26 cm", "30 cm"),
                    "cast iron pan",
                ),
                de=(
                    "Gusseisen Pfanne, eingebrannt, backofenfest",
                    ("20 cm", "26 cm", "30 cm"),
                    "gusseisenpfanne",
                ),
                ja=(
                    "鋳鉄 スキレット IH対応、シーズニング済み",
                    ("20cm", "26cm", "30cm"),
                    "スキレット",
                ),
            ),
            _line(
                11.49,
                0.02,
                en=(
                    "Silicone Baking Mat – Non-Stick, BPA Free",
                    ("2 Pack", "3 Pack"),
                    "baking mat",
                ),
                de=("Silikon Backmatte – antihaft, BPA-frei", ("2 Stück", "3 Stück"), "backmatte"),
                ja=(
                    "シリコン ベーキングマット 繰り返し使える",
                    ("2枚組", "3枚組"),
                    "ベーキングマット",
                ),
            ),
            _line(
                29.99,
                0.09,
                en=(
                    "French Press Coffee Maker 1 L, Double-Wall",
                    ("Copper", "Black", "Silver"),
                    "french press",
                ),
                de=(
                    "French Press Kaffeebereiter 1 L, doppelwandig",
                    ("Kupfer", "Schwarz", "Silber"),
                    "french press",
                ),
                ja=(
                    "フレンチプレス コーヒーメーカー 1L 二重構造",
                    ("カッパー", "ブラック", "シルバー"),
                    "フレンチプレス",
                ),
            ),
            _line(
                13.99,
                0.03,
                en=(
                    'Measuring Cups & Spoons, 10-Piece "Pro" Set',
                    ("Steel", "Gold"),
                    "measuring cups",
                ),
                de=(
                    "Messbecher & Messlöffel, 10-teiliges Set",
                    ("Edelstahl", "Gold"),
                    "messlöffel",
                ),
                ja=(
                    "計量カップ & 計量スプーン 10点セット",
                    ("ステンレス", "ゴールド"),
                    "計量スプーン",
                ),
            ),
            _line(
                32.99,
                0.2,
                en=(
                    "Glass Food Storage Containers with Lids, Airtight",
                    ("5 Piece", "10 Piece"),
                    "food storage containers",
                ),
                de=(
                    "Glas Frischhaltedosen mit Deckel, luftdicht",
                    ("5-teilig", "10-teilig"),
                    "frischhaltedosen glas",
                ),
                ja=("耐熱ガラス 保存容器 蓋付き 密閉", ("5個セット", "10個セット"), "保存容器"),
            ),
        ],
    ),
    "outdoor": (
        "Sports",
        [
            _line(
                49.99,
                0.1,
                en=(
                    'Trekking Poles, Carbon, Adjustable 110–135 cm "Trail"',
                    ("Pair", "Single"),
                    "trekking poles",
                ),
                de=(
                    'Trekkingstöcke Carbon, verstellbar 110–135 cm "Trail"',
                    ("Paar", "Einzeln"),
                    "wanderstöcke",
                ),
                ja=(
                    'トレッキングポール カーボン, 伸縮 110–135cm "Trail"',
                    ("2本組", "1本"),
                    "トレッキングポール",
                ),
            ),
            _line(
                22.99,
                0.04,
                en=(
                    "Insulated Water Bottle 750 ml, Stainless Steel & BPA Free",
                    ("Forest Green", "Slate", "Sand"),
                    "insulated water bottle",
                ),
                de=(
                    "Isolierte Trinkflasche 750 ml, Edelstahl & BPA-frei",
                    ("Waldgrün", "Schiefer", "Sand"),
                    "trinkflasche edelstahl",
                ),
                ja=(
                    "真空断熱 ボトル 750ml, ステンレス & BPAフリー",
                    ("フォレストグリーン", "スレート", "サンド"),
                    "水筒",
                ),
            ),
            _line(
                29.99,
                0.06,
                en=(
                    "Camping Lantern LED, Rechargeable, 1000 Lumen",
                    ("Black", "Orange"),
                    "camping lantern",
                ),
                de=(
                    "LED Campinglaterne, aufladbar, 1000 Lumen",
                    ("Schwarz", "Orange"),
                    "campinglampe",
                ),
                ja=("LED ランタン 充電式 1000ルーメン", ("ブラック", "オレンジ"), "ランタン"),
            ),
            _line(
                119.0,
                0.4,
                en=(
                    "Down Sleeping Bag, Comfort Temperature <5 °C",
                    ("Regular", "Long"),
                    "sleeping bag",
                ),
                de=("Daunenschlafsack, Komforttemperatur <5 °C", ("Regular", "Lang"), "schlafsack"),
                ja=("ダウン 寝袋 快適温度 <5℃", ("レギュラー", "ロング"), "寝袋"),
            ),
            _line(
                19.99,
                0.02,
                en=(
                    f"Merino Hiking Socks 2{_NB}×{_NB}Pair, Cushioned",
                    ("S", "M", "L"),
                    "hiking socks",
                ),
                de=(
                    f"Merino Wandersocken 2{_NB}×{_NB}Paar, gepolstert",
                    ("39–42", "43–46"),
                    "wandersocken",
                ),
                ja=(f"メリノウール 登山靴下 2{_NB}×{_NB}足組", ("S", "M", "L"), "登山 靴下"),
            ),
            _line(
                64.99,
                0.5,
                en=(
                    "Hiking Backpack 30 L, Waterproof Rain Cover",
                    ("Blue", "Grey", "Red"),
                    "hiking backpack",
                ),
                de=(
                    "Wanderrucksack 30 L mit Regenhülle",
                    ("Blau", "Grau", "Rot"),
                    "wanderrucksack",
                ),
                ja=(
                    "登山 リュック 30L レインカバー付き",
                    ("ブルー", "グレー", "レッド"),
                    "登山リュック",
                ),
            ),
            _line(
                34.99,
                0.08,
                en=(
                    "Camping Stove, Compact Gas Burner with Piezo Ignition",
                    ("Standard",),
                    "camping stove",
                ),
                de=(
                    "Campingkocher, kompakter Gasbrenner mit Piezozündung",
                    ("Standard",),
                    "campingkocher",
                ),
                ja=(
                    "シングルバーナー コンパクト ガスストーブ",
                    ("スタンダード",),
                    "シングルバーナー",
                ),
            ),
            _line(
                16.99,
                0.03,
                en=(
                    "Microfibre Travel Towel, Quick-Dry, Ultra Light",
                    ("M", "L", "XL"),
                    "travel towel",
                ),
                de=(
                    "Mikrofaser Reisehandtuch, schnelltrocknend",
                    ("M", "L", "XL"),
                    "reisehandtuch",
                ),
                ja=("マイクロファイバー タオル 速乾 軽量", ("M", "L", "XL"), "速乾タオル"),
            ),
            _line(
                24.99,
                0.02,
                en=("Head Torch 400 Lumen, USB-C, IPX6", ("Black", "Yellow"), "head torch"),
                de=("Stirnlampe 400 Lumen, USB-C, IPX6", ("Schwarz", "Gelb"), "stirnlampe"),
                ja=(
                    "ヘッドライト 400ルーメン USB-C 防水",
                    ("ブラック", "イエロー"),
                    "ヘッドライト",
                ),
            ),
            _line(
                44.99,
                0.3,
                en=(
                    "Foldable Camping Chair, Aluminium, up to 120 kg",
                    ("Green", "Black"),
                    "camping chair",
                ),
                de=(
                    "Faltbarer Campingstuhl, Aluminium, bis 120 kg",
                    ("Grün", "Schwarz"),
                    "campingstuhl",
                ),
                ja=(
                    "折りたたみ アウトドアチェア アルミ 耐荷重120kg",
                    ("グリーン", "ブラック"),
                    "アウトドアチェア",
                ),
            ),
        ],
    ),
    "tea": (
        "Grocery",
        [
            _line(
                14.99,
                0.01,
                en=(
                    'Japanese Sencha Green Tea, Loose Leaf, "First Flush"',
                    ("100 g", "250 g"),
                    "sencha",
                ),
                de=(
                    'Japanischer Sencha Grüntee, lose, "First Flush"',
                    ("100 g", "250 g"),
                    "sencha tee",
                ),
                ja=('静岡 煎茶 茶葉, "一番摘み"', ("100g", "250g"), "煎茶"),
            ),
            _line(
                24.99,
                0.01,
                en=("Ceremonial Matcha Powder, Uji, Kyoto", ("30 g", "100 g"), "matcha"),
                de=(
                    "Matcha Pulver Zeremonie-Qualität, Uji, Kyoto",
                    ("30 g", "100 g"),
                    "matcha pulver",
                ),
                ja=("宇治 抹茶 粉末、お茶会用", ("30g", "100g"), "抹茶"),
            ),
            _line(
                39.99,
                0.06,
                en=(
                    "Cast Iron Teapot (Tetsubin) 0.8 L with Infuser",
                    ("Black", "Red"),
                    "cast iron teapot",
                ),
                de=(
                    "Gusseisen Teekanne (Tetsubin) 0,8 L mit Sieb",
                    ("Schwarz", "Rot"),
                    "teekanne gusseisen",
                ),
                ja=("南部鉄器 急須 0.8L 茶こし付き", ("黒", "赤"), "急須"),
            ),
            _line(
                17.99,
                0.02,
                en=("Bamboo Matcha Whisk & Scoop Set", ("Set of 2", "Set of 4"), "matcha whisk"),
                de=("Bambus Matcha Besen & Löffel Set", ("2-teilig", "4-teilig"), "matcha besen"),
                ja=("竹製 茶筅 & 茶杓 セット", ("2点セット", "4点セット"), "茶筅"),
            ),
            _line(
                9.99,
                0.02,
                en=(
                    f"Genmaicha Tea Bags 2{_NB}×{_NB}50, Roasted Rice",
                    ("Classic", "Matcha"),
                    "genmaicha",
                ),
                de=(
                    f"Genmaicha Teebeutel 2{_NB}×{_NB}50, gerösteter Reis",
                    ("Klassisch", "Matcha"),
                    "genmaicha",
                ),
                ja=(f"玄米茶 ティーバッグ 2{_NB}×{_NB}50包", ("プレーン", "抹茶入り"), "玄米茶"),
            ),
            _line(
                11.99,
                0.01,
                en=(
                    "Hojicha Roasted Green Tea, Caffeine <10 mg per Cup",
                    ("100 g", "200 g"),
                    "hojicha",
                ),
                de=(
                    "Hojicha gerösteter Grüntee, Koffein <10 mg pro Tasse",
                    ("100 g", "200 g"),
                    "hojicha",
                ),
                ja=("ほうじ茶 茶葉 カフェイン <10mg", ("100g", "200g"), "ほうじ茶"),
            ),
            _line(
                29.99,
                0.05,
                en=("Ceramic Tea Cups, Handmade, Set of 4", ("Blue", "White"), "japanese tea cups"),
                de=("Keramik Teebecher, handgemacht, 4er-Set", ("Blau", "Weiß"), "teebecher"),
                ja=("美濃焼 湯呑み 手作り 4客セット", ("ブルー", "ホワイト"), "湯呑み"),
            ),
            _line(
                19.99,
                0.04,
                en=(
                    "Cold Brew Tea Bottle 1 L, Glass & Filter",
                    ("Clear", "Grey"),
                    "cold brew bottle",
                ),
                de=(
                    "Cold Brew Teeflasche 1 L, Glas & Filter",
                    ("Klar", "Grau"),
                    "cold brew flasche",
                ),
                ja=("水出し茶 ボトル 1L、ガラス製", ("クリア", "グレー"), "水出しボトル"),
            ),
        ],
    ),
}
PACK = {"en": ", Pack of {n}", "de": ", {n}er-Pack", "ja": " {n}個セット"}
MODIFIERS = {
    "en": ("set", "best", "gift", "premium", "large", "for men"),
    "de": ("set", "test", "günstig", "groß", "geschenk", "profi"),
    "ja": ("おすすめ", "セット", "人気", "安い", "プレゼント", "大容量"),
}
REVIEW_TEXT = {
    "en": {
        "pos": (
            ("Exactly as described", "Great quality &amp; fast delivery. Would buy again."),
            ("Love it", 'Bought it as a gift, my partner said it is "the best one yet".'),
            ("Five stars", "Solid, well made and good value.<br /><br />Highly recommended."),
            ("Does the job", "Works as advertised, arrived a day early."),
        ),
        "mid": (
            ("OK for the price", "Decent, the finish could be better.<br />Packaging fine."),
            ("Average", "Not bad, not great. Smaller than I expected."),
        ),
        "neg": (
            ("Broke after a week", "Stopped working after a few uses. Returned it."),
            ("Disappointed", 'Arrived damaged &amp; the box was open. Not "new" at all.'),
            ("Poor quality", "Feels cheap.<br /><br />Would not buy again."),
        ),
    },
    "de": {
        "pos": (
            ("Genau wie beschrieben", "Tolle Qualität &amp; schnelle Lieferung. Gerne wieder."),
            ("Super", 'Als Geschenk gekauft – "das beste bisher", sagt meine Frau.'),
            ("Fünf Sterne", "Solide verarbeitet, fairer Preis.<br /><br />Klare Empfehlung."),
            ("Erfüllt seinen Zweck", "Funktioniert wie beschrieben, kam einen Tag früher."),
        ),
        "mid": (
            ("Für den Preis ok", "Ordentlich, könnte besser sein.<br />Verpackung gut."),
            ("Durchschnitt", "Nicht schlecht, nicht super. Kleiner als erwartet."),
        ),
        "neg": (
            ("Nach einer Woche kaputt", "Nach wenigen Anwendungen defekt. Zurückgeschickt."),
            ("Enttäuscht", 'Beschädigt angekommen &amp; Karton offen. Nicht "neu".'),
            ("Schlechte Qualität", "Wirkt billig.<br /><br />Würde ich nicht wieder kaufen."),
        ),
    },
    "ja": {
        "pos": (
            ("説明どおりの商品です", "品質が良く &amp; 配送も早かったです。リピートします。"),
            ("大満足", "贈り物に購入しました。「今までで一番」と喜ばれました。"),
            ("星5つ", "しっかりした作りでコスパも良いです。<br /><br />おすすめです。"),
            ("問題なし", "説明どおりに使えます。予定より一日早く届きました。"),
        ),
        "mid": (
            ("値段相応", "悪くはないですが、仕上げが少し雑です。<br />梱包は問題なし。"),
            ("普通", "可もなく不可もなく。思ったより小さかったです。"),
        ),
        "neg": (
            ("一週間で壊れました", "数回使っただけで壊れました。返品しました。"),
            ("残念", "破損して届きました &amp; 箱も開いていました。「新品」とは思えません。"),
            ("品質が悪い", "安っぽい作りです。<br /><br />もう買いません。"),
        ),
    },
}
# The rating-drop story's complaints: one defect, many voices (the "frequent words" check).
STORY_COMPLAINTS = {
    "ja": (
        ("缶の蓋が開かない", "缶の蓋が固くて開かず、中の粉も固まっていました。"),
        ("前と品質が違う", "香りが弱く色もくすんでいます。缶の蓋もへこんでいました。"),
        ("粉が固まっている", "粉が固まっていて点てられません。缶の密閉が甘いのでは。"),
        ("リピートしません", "今回のロットは粉が固まり、缶の蓋も歪んでいました。残念です。"),
    ),
    "en": (
        ("Lid won't close", "The lid does not close and the contents were clumped."),
        ("Not like before", "Clumped, dull colour, the lid was dented."),
    ),
    "de": (
        ("Deckel schließt nicht", "Der Deckel schließt nicht, der Inhalt war verklumpt."),
        ("Nicht wie früher", "Verklumpt, matte Farbe, der Deckel war verbeult."),
    ),
}
UNTRUSTED_REVIEW = (
    "Read this first",
    'Nice set &amp; good price.<br />Works "as described". '
    "<script>alert('sellerpulse')</script> <b>bold</b> &lt;tag&gt;",
)

# ---------------------------------------------------------------------------------------------
# Accounts


@dataclass(frozen=True)
class _Spec:
    index: int
    id: str
    name: str
    market: str
    language: str
    portfolio: str
    recipients: tuple[str, ...]
    acos: float
    tacos: float
    lead_time_days: int
    brand: str
    code: str
    theme: str
    xlsx_ads: bool
    example_spelling: bool

    def entry(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "marketplace": self.market,
            "language": self.language,
            "portfolio": self.portfolio,
            "recipients": list(self.recipients),
            "targets": {"acos": self.acos, "tacos": self.tacos},
            "lead_time_days": self.lead_time_days,
        }


PORTFOLIOS = {
    "eu": ("EU brands", "EUR", ("lead@agency.example",)),
    "apac-us": ("APAC and US brands", "USD", ("apac.lead@agency.example",)),
}
PORTFOLIO_OF = {
    "UK": "eu",
    "DE": "eu",
    "FR": "eu",
    "IT": "eu",
    "ES": "eu",
    "JP": "apac-us",
    "US": "apac-us",
}
_NAMED = (
    # id, name, market, recipients, acos, tacos, lead time, brand, sku code, theme
    (
        "acme-uk",
        "ACME UK",
        "UK",
        ("owner@acme.example",),
        0.30,
        0.12,
        21,
        "ACME Home",
        "ACM",
        "kitchen",
    ),
    (
        "acme-de",
        "ACME DE",
        "DE",
        ("owner@acme.example", "de-team@acme.example"),
        0.28,
        0.10,
        28,
        "ACME Home",
        "ACD",
        "kitchen",
    ),
    (
        "nordwind-de",
        "Nordwind Outdoor DE",
        "DE",
        ("shop@nordwind.example",),
        0.25,
        0.09,
        35,
        "Nordwind",
        "NW",
        "outdoor",
    ),
    (
        "sakura-jp",
        "Sakura Tea Japan",
        "JP",
        ("owner@sakura-tea.example",),
        0.22,
        0.08,
        28,
        "Sakura",
        "SKR",
        "tea",
    ),
    (
        "acme-us",
        "ACME US",
        "US",
        ("owner@acme.example",),
        0.30,
        0.12,
        28,
        "ACME Home",
        "ACU",
        "kitchen",
    ),
    (
        "pacific-us",
        "Pacific Trail US",
        "US",
        ("team@pacific-trail.example",),
        0.35,
        0.14,
        21,
        "Pacific Trail",
        "PT",
        "outdoor",
    ),
)
_BRANDS = (
    "Lumen",
    "Bergwerk",
    "Kettle Co",
    "Hikari",
    "Northline",
    "Oakridge",
    "Tanuki",
    "Silberfisch",
)
_THEME_CYCLE = ("kitchen", "outdoor", "tea")


def _specs(count: int) -> list[_Spec]:
    specs = []
    for i in range(count):
        if i < len(_NAMED):
            aid, name, market, recipients, acos, tacos, lead, brand, code, theme = _NAMED[i]
        else:
            number = i + 1
            market = MARKET_CYCLE[(i - len(_NAMED)) % len(MARKET_CYCLE)]
            aid, name = f"acct-{number:03d}", f"Demo Account {number:03d}"
            recipients = (f"owner@{aid}.example",)
            acos, tacos = (0.25, 0.30, 0.35)[i % 3], (0.08, 0.10, 0.12)[i % 3]
            lead, brand = (21, 28, 35)[i % 3], _BRANDS[i % len(_BRANDS)]
            code, theme = f"D{number:03d}", _THEME_CYCLE[i % len(_THEME_CYCLE)]
        specs.append(
            _Spec(
                index=i,
                id=aid,
                name=name,
                market=market,
                language=LANGUAGE[market],
                portfolio=PORTFOLIO_OF[market],
                recipients=tuple(recipients),
                acos=acos,
                tacos=tacos,
                lead_time_days=lead,
                brand=brand,
                code=code,
                theme=theme,
                xlsx_ads=aid == "pacific-us",
                example_spelling=aid == "sakura-jp",
            )
        )
    return specs


def _accounts_yaml(specs: list[_Spec]) -> str:
    used = [p for p in PORTFOLIOS if any(s.portfolio == p for s in specs)]
    lines = ["portfolios:"]
    for pid in used:
        name, currency, bosses = PORTFOLIOS[pid]
        lines.append(
            f"  - {{id: {pid}, name: {name}, base_currency: {currency}, "
            f"bosses: [{', '.join(bosses)}]}}"
        )
    lines.append("accounts:")
    for s in specs:
        lines += [
            f"  - id: {s.id}",
            f"    name: {s.name}",
            f"    marketplace: {s.market}",
            f"    language: {s.language}",
            f"    portfolio: {s.portfolio}",
            f"    recipients: [{', '.join(s.recipients)}]",
            f"    targets: {{acos: {s.acos:.2f}, tacos: {s.tacos:.2f}}}",
            f"    lead_time_days: {s.lead_time_days}",
        ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Number formatting exactly as each export writes it (already CSV-quoted where needed)


class _Fmt:
    """Integers, percentages (in hundredths of a percent) and money (in minor units) as the
    business report of one marketplace writes them; small values come from lookup tables
    because this is the hot loop at benchmark scale."""

    CACHE = 20000

    def __init__(self, market: _Market) -> None:
        self.market = market
        self.german = market.code == "DE"
        self.ints = [self._int(v) for v in range(self.CACHE)]
        self.pcts = [self._pct(v) for v in range(self.CACHE)]

    def _group(self, value: int) -> str:
        text = f"{value:,}"
        return text.replace(",", ".") if self.german else text

    def _int(self, value: int) -> str:
        text = self._group(value)
        return f'"{text}"' if "," in text else text

    def _pct(self, bps: int) -> str:
        whole, frac = divmod(bps, 100)
        if self.german:
            return f'"{self._group(whole)},{frac:02d} %"'
        text = f"{whole:,}.{frac:02d}%"
        return f'"{text}"' if "," in text else text

    def int_(self, value: int) -> str:
        return self.ints[value] if value < self.CACHE else self._int(value)

    def pct(self, bps: int) -> str:
        return self.pcts[bps] if bps < self.CACHE else self._pct(bps)

    def money(self, minor: int) -> str:
        market = self.market
        if market.decimals == 0:
            text = f"{market.symbol}{minor:,}"
            return f'"{text}"' if "," in text else text
        whole, cents = divmod(minor, 100)
        if self.german:
            return f'"{self._group(whole)},{cents:02d} {market.symbol}"'
        text = f"{market.symbol}{whole:,}.{cents:02d}"
        return f'"{text}"' if "," in text else text


_FORMATTERS: dict[str, _Fmt] = {}


def _formatter(market: _Market) -> _Fmt:
    if market.code not in _FORMATTERS:
        _FORMATTERS[market.code] = _Fmt(market)
    return _FORMATTERS[market.code]


def _csv_field(text: str) -> str:
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _ads_date(day: date) -> str:
    return f'"{MONTHS[day.month - 1]} {day.day}, {day.year}"'


# ---------------------------------------------------------------------------------------------
# The simulated account


@dataclass
class _Catalog:
    parent: list[str]
    child: list[str]
    sku: list[str]
    fnsku: list[str]
    title: list[str]
    keyword: list[str]
    product_parent: list[str]  # the reviews dataset's numeric parent id
    line_price: np.ndarray  # list price, minor units
    volume: list[str]
    category: str


@dataclass
class _RowBlock:
    """Compact truth of one account's business reports (weeks × ASINs arrays)."""

    catalog: _Catalog
    decimals: int
    order: np.ndarray
    sessions: np.ndarray
    page_views: np.ndarray
    buy_box_bps: np.ndarray
    units: np.ndarray
    order_items: np.ndarray
    revenue: np.ndarray

    def rows(self, w: int) -> list[dict]:
        c = self.catalog
        out = []
        for i in self.order[w].tolist():
            minor = int(self.revenue[w, i])
            if self.decimals:
                whole, cents = divmod(minor, 100)
                revenue = Decimal(f"{whole}.{cents:02d}")
            else:
                revenue = Decimal(minor)
            out.append(
                {
                    "parent_asin": c.parent[i],
                    "child_asin": c.child[i],
                    "sku": c.sku[i],
                    "title": c.title[i],
                    "sessions": int(self.sessions[w, i]),
                    "page_views": int(self.page_views[w, i]),
                    "buy_box_pct": int(self.buy_box_bps[w, i]) / 10000,
                    "units": int(self.units[w, i]),
                    "order_items": int(self.order_items[w, i]),
                    "revenue": revenue,
                }
            )
        return out


_ALNUM = np.array(list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def _codes(rng: np.random.Generator, count: int, prefix: str, length: int, taken: set) -> list:
    out = []
    while len(out) < count:
        chars = _ALNUM[rng.integers(0, 36, size=(count, length))]
        for row in chars:
            code = prefix + "".join(row.tolist())
            if code not in taken and len(out) < count:
                taken.add(code)
                out.append(code)
    return out


def _catalog(spec: _Spec, n: int, rng: np.random.Generator) -> _Catalog:
    """Variation families of 1–3 children built from the theme's product lines."""
    category, lines = THEMES[spec.theme]
    lang, market = spec.language, MARKETS[spec.market]
    taken: set[str] = set()
    child = _codes(rng, n, "B0", 8, taken)
    fnsku = _codes(rng, n, "X00", 7, set())
    parent, sku, title, keyword, prices, volume, product_parent = [], [], [], [], [], [], []
    family = 0
    while len(title) < n:
        line = lines[family % len(lines)]
        pack = family // len(lines)
        variants = line.variants[lang]
        size = min(len(variants), 1 + int(rng.integers(0, 3)), n - len(title))
        family_parent = child[len(title)] if size == 1 else _codes(rng, 1, "B0", 8, taken)[0]
        parent_number = str(int(rng.integers(100_000_000, 999_999_999)))
        for v in range(size):
            base = line.title[lang] + (PACK[lang].format(n=pack + 1) if pack else "")
            if lang == "ja":
                title.append(f"【{spec.brand}】{base} {variants[v]}")
            else:
                title.append(f"{spec.brand} {base}, {variants[v]}")
            parent.append(family_parent)
            sku.append(f"{spec.code}-{family + 1:03d}-{v + 1:02d}")
            keyword.append(line.keyword[lang])
            factor = (pack + 1) * (0.9 if pack else 1.0) * (1 + 0.08 * v)
            prices.append(line.price * factor)
            volume.append(f"{line.volume * (pack + 1):.2f}")
            product_parent.append(parent_number)
        family += 1
    price_minor = []
    for p in prices:
        if market.decimals == 0:  # yen: 1,980 / 4,980 style
            price_minor.append(max(1, round(p * market.price_factor / 100)) * 100 - 20)
        else:  # 24.99 / 24.49 style
            whole = max(1, int(p * market.price_factor))
            price_minor.append(whole * 100 + (99 if whole % 2 else 49))
    return _Catalog(
        parent=parent,
        child=child,
        sku=sku,
        fnsku=fnsku,
        title=title,
        keyword=keyword,
        product_parent=product_parent,
        line_price=np.array(price_minor, dtype=np.int64),
        volume=volume,
        category=category,
    )


def _season(day: date) -> float:
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
class _Account:
    spec: _Spec
    market: _Market
    catalog: _Catalog
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
    revenue: np.ndarray
    revenue_b2b: np.ndarray
    order: np.ndarray  # file order of the ASINs per week
    stories: list[dict] = field(default_factory=list)


def _simulate_sales(spec: _Spec, n: int, weeks: list[date], rng: np.random.Generator) -> _Account:
    """Weekly business-report numbers per ASIN (weeks × ASINs arrays): sessions from a
    smooth season × trend × noise, orders from conversion × Buy Box, B2B as a subset, and the
    stock-out and Buy Box stories applied through the Buy Box share."""
    market = MARKETS[spec.market]
    catalog = _catalog(spec, n, rng)
    nw = len(weeks)
    last = nw - 1
    season = np.array([_season(w + timedelta(days=3)) for w in weeks])
    top = rng.uniform(1800, 4200)
    base = top * (np.arange(n) + 1.0) ** -0.85
    base[0] *= 1.35  # a clear best-seller
    if n >= 4:
        base[-1] = 0.8  # a long-tail ASIN: some weeks without a single session
    trend = rng.normal(0.003, 0.006, n)
    age = np.arange(nw)[:, None] - last
    lam = base[None, :] * season[:, None] * np.exp(trend[None, :] * age)
    lam *= rng.lognormal(0.0, 0.09, (nw, n))

    bb_norm = rng.uniform(0.90, 0.995, n)
    bb = np.clip(bb_norm[None, :] + rng.normal(0, 0.012, (nw, n)), 0.5, 1.0)
    cvr = rng.uniform(0.06, 0.17, n)
    cvr[0] = cvr.max()  # index 0 is the best seller whatever the seed
    instock = np.ones((nw, n))
    stories: list[dict] = []

    if spec.id == "acme-uk":  # (a) the best-seller runs out of stock
        lam[last, 0] *= 0.92
        instock[last, 0] = 0.0
        if last >= 1:
            instock[last - 1, 0] = 0.6
        stories.append(
            {
                "story": "stock-out",
                "account_id": spec.id,
                "asin": catalog.child[0],
                "weeks": weeks[max(0, last - 1) :],
                "what": "best-selling ASIN out of stock: afn-fulfillable 0, units 0 in the "
                "last week, sessions continue",
            }
        )
    if spec.id == "acme-de":  # (e) the Buy Box is lost on the top ASIN
        bb[:, 0] = np.clip(rng.normal(0.955, 0.01, nw), 0.93, 0.985)
        bb[last, 0] = 0.20 + rng.uniform(-0.02, 0.02)
        if last >= 1:
            bb[last - 1, 0] = 0.45 + rng.uniform(-0.02, 0.02)
        stories.append(
            {
                "story": "buy-box-loss",
                "account_id": spec.id,
                "asin": catalog.child[0],
                "weeks": weeks[max(0, last - 1) :],
                "what": "Featured Offer % from ~95 % to 45 % then ~20 %, units and sales with it",
            }
        )
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
    return _Account(
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
        revenue=revenue,
        revenue_b2b=revenue_b2b,
        order=order,
        stories=stories,
    )


@dataclass
class _Inventory:
    fulfillable: np.ndarray
    unsellable: np.ndarray
    reserved: np.ndarray
    working: np.ndarray
    shipped: np.ndarray
    receiving: np.ndarray
    researching: np.ndarray


def _simulate_inventory(acct: _Account, rng: np.random.Generator) -> _Inventory:
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
    oos = acct.spec.id == "acme-uk"
    if oos:
        on_hand[-1, 0] = 0
        no_arrival[max(0, nw - 4) :, 0] = True
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
    if oos:
        reserved[-2:, 0] = 0
    return _Inventory(on_hand, unsellable, reserved, working, shipped, receiving, researching)


@dataclass
class _Ads:
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


def _simulate_ads(acct: _Account, rng: np.random.Generator) -> _Ads:
    """Sponsored Products days for the top ASINs. Ad clicks are a share of the ASIN's sessions
    and ad orders a share of its order items (at most half), so attributed sales never exceed
    the ASIN's ordered product sales; CPC is set so ACoS sits below the account's target."""
    spec, cat, market = acct.spec, acct.catalog, acct.market
    nw, n = acct.sessions.shape
    k = min(n, 4 + math.ceil(math.sqrt(n)))
    last = nw - 1
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
    if spec.id == "acme-us":  # (b) ACoS jumps above target
        hot = slice(max(0, last - 1), nw)
        cpc_week[hot] *= 1.6
        p_click[hot] *= 1.25
        share[hot] *= 0.8
        acct.stories.append(
            {
                "story": "acos-above-target",
                "account_id": spec.id,
                "asin": None,
                "weeks": acct.weeks[hot],
                "what": f"ACoS of every campaign above the {spec.acos:.2f} target",
            }
        )
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

    lang = spec.language
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
    return _Ads(
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


# ---------------------------------------------------------------------------------------------
# Writers


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding, errors="strict"))
    return path


_CP1252_FIX = str.maketrans({"\u202f": "\u00a0", "℃": "°C"})


def _row_prefixes(cat: _Catalog) -> list[str]:
    """Parent, child, title and SKU of each ASIN, CSV-quoted once per account."""
    return [
        f"{p},{c},{_csv_field(t)},{_csv_field(k)},"
        for p, c, t, k in zip(cat.parent, cat.child, cat.title, cat.sku, strict=True)
    ]


def _business_report(acct: _Account, w: int, fmt: _Fmt, prefix: list[str]) -> str:
    header = ",".join(_csv_field(h) for h in BUSINESS_HEADERS[acct.spec.market])
    s, sb = acct.sessions[w], acct.sessions_b2b[w]
    pv, pvb = acct.page_views[w], acct.page_views_b2b[w]

    def share(values: np.ndarray) -> list[int]:
        total = int(values.sum())
        if total == 0:
            return [0] * len(values)
        return np.rint(values * 10000 / total).astype(np.int64).tolist()

    def ratio(num: np.ndarray, den: np.ndarray) -> list[int]:
        safe = np.maximum(den, 1)
        return np.where(den > 0, np.rint(num * 10000 / safe), 0).astype(np.int64).tolist()

    cols = (
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
        acct.units[w].tolist(),
        acct.units_b2b[w].tolist(),
        ratio(acct.units[w], s),
        ratio(acct.units_b2b[w], sb),
        acct.revenue[w].tolist(),
        acct.revenue_b2b[w].tolist(),
        acct.order_items[w].tolist(),
        acct.order_items_b2b[w].tolist(),
    )
    (
        c_s,
        c_sb,
        c_sp,
        c_spb,
        c_pv,
        c_pvb,
        c_pvp,
        c_pvpb,
        c_bb,
        c_bbb,
        c_u,
        c_ub,
        c_usp,
        c_uspb,
        c_r,
        c_rb,
        c_oi,
        c_oib,
    ) = cols
    num, pct, money = fmt.int_, fmt.pct, fmt.money
    lines = [header]
    for i in acct.order[w].tolist():
        lines.append(
            prefix[i]
            + ",".join(
                (
                    num(c_s[i]),
                    num(c_sb[i]),
                    pct(c_sp[i]),
                    pct(c_spb[i]),
                    num(c_pv[i]),
                    num(c_pvb[i]),
                    pct(c_pvp[i]),
                    pct(c_pvpb[i]),
                    pct(c_bb[i]),
                    pct(c_bbb[i]),
                    num(c_u[i]),
                    num(c_ub[i]),
                    pct(c_usp[i]),
                    pct(c_uspb[i]),
                    money(c_r[i]),
                    money(c_rb[i]),
                    num(c_oi[i]),
                    num(c_oib[i]),
                )
            )
        )
    return "\n".join(lines)  # the real exports end without a final newline


def _inventory(acct: _Account, inv: _Inventory, w: int) -> str:
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
        name = cat.title[i].translate(_CP1252_FIX) if cp1252 else cat.title[i]
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


def _ads_rows(ads: _Ads, w: int) -> tuple[list[tuple], list[tuple]]:
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


def _ads_csv(rows: list[tuple], header: list[str], quoted: list[str], market: _Market) -> str:
    """Ads console CSV: "Nov 16, 2026" dates, plain numbers (with the $/£ prefix of the US/UK
    console), percentages with two decimals, an empty ACOS where there were no sales.
    ``quoted`` holds each row key's text columns, already CSV-quoted and joined."""
    lines = [",".join(_csv_field(h) for h in header)]
    prefix = market.symbol if market.code in ("US", "UK") else ""
    dates: dict[date, str] = {}
    if market.decimals:

        def money(v: int) -> str:
            return f"{prefix}{v // 100}.{v % 100:02d}"

    else:
        money = str
    for day, key, imp, clk, spend, sales, orders, units, adv_u, oth_u, adv_s, oth_s in rows:
        when = dates.get(day) or dates.setdefault(day, _ads_date(day))
        if clk:
            cpc = f"{prefix}{spend / clk / 10**market.decimals:.2f}"
            ctr, cvr = f"{clk * 100 / imp:.2f}%", f"{orders * 100 / clk:.2f}%"
        else:
            cpc, ctr, cvr = "", "0.00%", "0.00%"
        acos = f"{spend * 100 / sales:.2f}%" if sales else ""
        roas = f"{sales / spend:.2f}" if spend else "0.00"
        lines.append(
            f"{when},{quoted[key]},{imp},{clk},{ctr},{cpc},{money(spend)},{money(sales)},"
            f"{acos},{roas},{orders},{units},{cvr},{adv_u},{oth_u},{money(adv_s)},"
            f"{money(oth_s)}"
        )
    return "\n".join(lines) + "\n"


_XLSX_FORMATS = ("date", "int", "pct", "money", "ratio")
_SHEET = "xl/worksheets/sheet1.xml"
_COLUMNS = [chr(65 + i) for i in range(26)]
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class _XlsxTemplate:
    package: dict[str, bytes]  # every part of the workbook but the sheet
    styles: dict[str, int]  # number format -> cell style index in styles.xml


_XLSX_TEMPLATES: dict[tuple[str, str], _XlsxTemplate] = {}


def _xlsx_template(market: _Market, title: str) -> _XlsxTemplate:
    """The workbook package openpyxl builds for one sheet with the console's number formats
    (a date, counts, percentages, money in the account's currency, ROAS); the sheet data is
    streamed into it by ``_ads_xlsx`` because openpyxl's cell-by-cell writer would take
    about a minute for one account at benchmark scale."""
    key = (market.code, title)
    if key in _XLSX_TEMPLATES:
        return _XLSX_TEMPLATES[key]
    from openpyxl import Workbook

    formats = {
        "date": "MMM dd, yyyy",
        "int": "0",
        "pct": "0.0000%",
        "money": f"[${market.symbol}]#,##0.00;([${market.symbol}]#,##0.00)",
        "ratio": "0.00",
    }
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    wb.properties.creator = "Amazon Advertising"
    for column, name in enumerate(_XLSX_FORMATS, start=1):
        cell = ws.cell(row=1, column=column, value=1)
        cell.number_format = formats[name]
    raw = io.BytesIO()
    wb.save(raw)
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    sheet = parts.pop(_SHEET).decode("utf-8")
    styles = {
        name: int(re.search(rf'<c r="{_COLUMNS[i]}1"[^>]*\bs="(\d+)"', sheet).group(1))
        for i, name in enumerate(_XLSX_FORMATS)
    }
    template = _XlsxTemplate(parts, styles)
    _XLSX_TEMPLATES[key] = template
    return template


def _xml_text(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<is><t{space}>{text}</t></is>"


def _ads_xlsx(
    rows: list[tuple],
    header: list[str],
    texts: list[list[str]],
    market: _Market,
    title: str,
    stamp: datetime,
) -> bytes:
    """The console's XLSX: one sheet, dates as real Excel dates (serials with a date format),
    money and percentages as numbers with the console's number formats, an empty ACOS cell
    where there were no sales. Zip entries carry ``stamp`` so reruns are byte-identical."""
    template = _xlsx_template(market, title)
    st = template.styles
    s_date, s_int, s_pct, s_money, s_ratio = (st[n] for n in _XLSX_FORMATS)
    scale = 10**market.decimals
    cols = _COLUMNS
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{cols[len(header) - 1]}{len(rows) + 1}"/><sheetData><row r="1">'
    ]
    out += [f'<c r="{cols[j]}1" t="inlineStr">{_xml_text(h)}</c>' for j, h in enumerate(header)]
    out.append("</row>")
    for r, row in enumerate(rows, start=2):
        day, key, imp, clk, spend, sales, orders, units, adv_u, oth_u, adv_s, oth_s = row
        values: list[tuple[int, object] | None] = [
            (s_date, (day - _EXCEL_EPOCH).days),
            *[(-1, v) for v in texts[key]],
            (s_int, imp),
            (s_int, clk),
            (s_pct, repr(clk / imp) if imp else 0),
            (s_money, repr(spend / clk / scale)) if clk else None,
            (s_money, repr(spend / scale)),
            (s_money, repr(sales / scale)),
            (s_pct, repr(spend / sales)) if sales else None,
            (s_ratio, repr(sales / spend) if spend else 0),
            (s_int, orders),
            (s_int, units),
            (s_pct, repr(orders / clk) if clk else 0),
            (s_int, adv_u),
            (s_int, oth_u),
            (s_money, repr(adv_s / scale)),
            (s_money, repr(oth_s / scale)),
        ]
        cells = [f'<row r="{r}">']
        for j, value in enumerate(values):
            if value is None:
                continue
            style, v = value
            if style < 0:
                cells.append(f'<c r="{cols[j]}{r}" t="inlineStr">{_xml_text(str(v))}</c>')
            else:
                cells.append(f'<c r="{cols[j]}{r}" s="{style}"><v>{v}</v></c>')
        cells.append("</row>")
        out.append("".join(cells))
    out.append("</sheetData></worksheet>")
    parts = dict(template.package)
    parts[_SHEET] = "".join(out).encode("utf-8")
    return _stable_zip(parts, stamp)


def _stable_zip(parts: dict[str, bytes], stamp: datetime) -> bytes:
    """Zip the workbook parts with fixed entry timestamps and document dates (openpyxl would
    stamp the time of the run), so the same data always gives the same bytes."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for name, body in parts.items():
            if name == "docProps/core.xml":
                text = body.decode("utf-8")
                text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*", rf"\g<1>{iso}", text)
                body = text.encode("utf-8")
            entry = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            zout.writestr(entry, body)
    return out.getvalue()


def _reviews(acct: _Account, w: int, nrng: np.random.Generator) -> str:
    """Reviews posted in week ``w``: a few per ASIN in proportion to its units, drawn in one
    batch (this runs for every account-week of the benchmark)."""
    spec, cat = acct.spec, acct.catalog
    lang, text = spec.language, REVIEW_TEXT[spec.language]
    last = len(acct.weeks) - 1
    week = acct.weeks[w]
    counts = nrng.poisson(acct.units[w] * 0.012 + 0.04)
    story_asin = min(1, len(cat.child) - 1)
    story = spec.id == "sakura-jp" and w >= last - 1
    if story:
        counts[story_asin] += (6, 10)[w - (last - 1)]
    asin = np.repeat(np.arange(len(counts)), counts)
    total = len(asin)
    good = 0.55 + 0.3 * ((asin * 37 % 10) / 10)
    x = nrng.random(total)
    star = np.select([x < good, x < good + 0.2, x < good + 0.28, x < good + 0.34], [5, 4, 3, 2], 1)
    complaint = np.zeros(total, dtype=bool)
    if story:
        hit = asin == story_asin
        u = nrng.random(total)
        star = np.where(hit, np.where(u < 0.6, 1, np.where(u < 0.9, 2, 4)), star)
        complaint = hit & (star <= 2)
    pick = nrng.random(total)
    day = nrng.integers(0, 7, total)
    votes = np.where(nrng.random(total) < 0.3, nrng.integers(1, 13, total), 0)
    helpful = np.floor(nrng.random(total) * (votes + 1)).astype(np.int64)
    vine = nrng.random(total) < 0.02
    verified = nrng.random(total) < 0.9
    customer = nrng.integers(10_000_000, 53_000_000, total)
    ids = _ALNUM[nrng.integers(0, 36, (total, 13))]
    order = np.lexsort((star, asin, day))
    lines = ["\t".join(REVIEWS_HEADER)]
    days = [(week + timedelta(days=d)).isoformat() for d in range(7)]
    groups = {5: text["pos"], 4: text["pos"], 3: text["mid"], 2: text["neg"], 1: text["neg"]}
    complaints = STORY_COMPLAINTS[lang]
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


def _health(acct: _Account, w: int, nrng: np.random.Generator, base_odr: float) -> str:
    """GET_V2_SELLER_PERFORMANCE_REPORT as of the Sunday ending week ``w``; order counts follow
    the business reports (ODR over 60 days, the others over their own windows)."""
    spec = acct.spec
    end = acct.weeks[w] + timedelta(days=6)
    weekly = acct.order_items.sum(axis=1)
    history = weekly[max(0, w - 8) : w + 1]
    orders60 = max(1, int(round(history.mean() * 60 / 7)))
    mfn60 = max(3, int(round(orders60 * 0.02)))
    mfn30, mfn7 = max(2, mfn60 // 2), max(1, mfn60 // 8)
    last = len(acct.weeks) - 1
    rate = base_odr
    breach = spec.id == "nordwind-de" and w >= last - 1
    if breach:
        rate = (0.013, 0.017)[w - (last - 1)]
        defects = math.ceil(orders60 * rate)
    else:
        defects = min(int(nrng.binomial(orders60, rate)), int(orders60 * 0.008))
    claims = defects // 3
    chargebacks = min(defects - claims, int(nrng.integers(0, 2)))
    negative = defects - claims - chargebacks

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

    # only the ODR story breaches a target; the other metrics stay inside theirs
    late = min(int(nrng.binomial(mfn30, 0.01)), int(mfn30 * 0.03))
    cancels = min(int(nrng.binomial(mfn7, 0.005)), int(mfn7 * 0.02))
    valid = mfn30 - min(int(nrng.binomial(mfn30, 0.02)), int(mfn30 * 0.04))
    on_time = valid - min(int(nrng.binomial(valid, 0.04)), int(valid * 0.08))
    b2b7 = int(acct.order_items_b2b[w].sum())
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


# ---------------------------------------------------------------------------------------------
# FX rates (ECB reference-rate CSV: rates per 1 EUR, newest business day first)

FX_BASE = (
    ("USD", 1.16, 4),
    ("JPY", 172.0, 2),
    ("BGN", 1.9558, 4),
    ("CZK", 24.3, 3),
    ("DKK", 7.46, 4),
    ("GBP", 0.865, 5),
    ("HUF", 390.0, 2),
    ("PLN", 4.25, 4),
    ("RON", 5.08, 4),
    ("SEK", 11.0, 4),
    ("CHF", 0.935, 4),
    ("ISK", 143.0, 2),
    ("NOK", 11.7, 4),
    ("TRY", 48.0, 4),
    ("AUD", 1.77, 4),
    ("BRL", 6.3, 4),
    ("CAD", 1.61, 4),
    ("CNY", 8.3, 4),
    ("HKD", 9.05, 4),
    ("IDR", 19300.0, 2),
    ("ILS", 3.9, 4),
    ("INR", 102.0, 4),
    ("KRW", 1650.0, 2),
    ("MXN", 21.5, 4),
    ("MYR", 4.9, 4),
    ("NZD", 2.0, 4),
    ("PHP", 67.0, 3),
    ("SGD", 1.5, 4),
    ("THB", 37.5, 3),
    ("ZAR", 20.3, 4),
)


def _easter(year: int) -> date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _target_closed(day: date) -> bool:
    """TARGET holidays, on which the ECB publishes no reference rates."""
    easter = _easter(day.year)
    fixed = {(1, 1), (5, 1), (12, 25), (12, 26)}
    return (
        day.weekday() >= 5
        or (day.month, day.day) in fixed
        or day in (easter - timedelta(days=2), easter + timedelta(days=1))
    )


def _fx_csv(first: date, last: date, seed: int) -> str:
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    days = [d for d in days if not _target_closed(d)]
    rng = np.random.default_rng([seed, 99991])
    steps = rng.normal(0, 0.003, (len(days), len(FX_BASE)))
    steps[:, 2] = 0.0  # the lev is pegged
    levels = np.exp(np.cumsum(steps, axis=0)) * np.array([b for _, b, _ in FX_BASE])
    header = "Date," + ",".join(code for code, _, _ in FX_BASE) + ","
    lines = [header]
    for i in range(len(days) - 1, -1, -1):
        values = ",".join(f"{levels[i, j]:.{places}f}" for j, (_, _, places) in enumerate(FX_BASE))
        lines.append(f"{days[i].isoformat()},{values},")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# The entry point


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
    seed, fewer weeks), so rerunning into the same home never duplicates an export."""
    if not account_dir.is_dir():
        return
    for folder in sorted(account_dir.iterdir()):
        if not folder.is_dir():
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
    specs = _specs(scale.accounts)
    _write(home / "accounts.yaml", _accounts_yaml(specs))
    _write(
        home / "fx_rates.csv",
        _fx_csv(weeks[0] - timedelta(days=14), last_week + timedelta(days=6), scale.seed),
    )
    business = BusinessRows(weeks)
    files: list[Path] = []
    stories: list[dict] = []
    wanted = {s.id for s in specs}
    for folder in sorted(inbox.iterdir()):
        if folder.is_dir() and DEMO_ACCOUNT.match(folder.name) and folder.name not in wanted:
            _clear_stale(folder, set())
    jobs = [(spec, scale, weeks, inbox) for spec in specs]
    for spec, (written, account_stories, block) in zip(specs, _run(jobs, scale), strict=True):
        business._add(spec.id, block)
        stories += account_stories
        files += written
        if progress is not None:
            progress(f"{spec.id}: {len(weeks)} weeks, {len(written)} exports")
    return DemoManifest(
        home=home,
        weeks=weeks,
        accounts=[s.entry() for s in specs],
        business_rows=business,
        files=files,
        stories=stories,
    )


PARALLEL_WORK = 250_000  # accounts × ASINs × weeks from which a process pool pays off


def _run(jobs: list[tuple], scale: DemoScale) -> Iterator[tuple[list[Path], list[dict], _RowBlock]]:
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


def _write_account_job(job: tuple) -> tuple[list[Path], list[dict], _RowBlock]:
    return _write_account(*job)


def _write_account(
    spec: _Spec, scale: DemoScale, weeks: list[date], inbox: Path
) -> tuple[list[Path], list[dict], _RowBlock]:
    """Simulate one account and write all its weekly exports; return the files, its stories
    and the compact truth of its business reports."""
    nrng = np.random.default_rng([scale.seed, spec.index])
    acct = _simulate_sales(spec, scale.asins, weeks, nrng)
    inv = _simulate_inventory(acct, nrng)
    ads = _simulate_ads(acct, nrng)
    if spec.id == "sakura-jp":
        acct.stories.append(
            {
                "story": "rating-drop",
                "account_id": spec.id,
                "asin": acct.catalog.child[min(1, scale.asins - 1)],
                "weeks": weeks[max(0, len(weeks) - 2) :],
                "what": "mostly 1–2★ reviews on one ASIN, all about the same defect",
            }
        )
    if spec.id == "nordwind-de":
        acct.stories.append(
            {
                "story": "odr-breach",
                "account_id": spec.id,
                "asin": None,
                "weeks": weeks[max(0, len(weeks) - 2) :],
                "what": "afn order defect rate 1.3 % then 1.7 % (target < 1 %)",
            }
        )
    block = _RowBlock(
        catalog=acct.catalog,
        decimals=acct.market.decimals,
        order=acct.order.astype(np.int32),
        sessions=acct.sessions.astype(np.int32),
        page_views=acct.page_views.astype(np.int32),
        buy_box_bps=acct.buy_box_bps.astype(np.int32),
        units=acct.units.astype(np.int32),
        order_items=acct.order_items.astype(np.int32),
        revenue=acct.revenue,
    )
    fmt = _formatter(acct.market)
    prefix = _row_prefixes(acct.catalog)
    market = acct.market
    us = market.code == "US"
    st_header, ap_header = search_term_header(us), advertised_product_header(us)
    ads_quoted = [
        [",".join(_csv_field(v) for v in text) for text in texts]
        for texts in (ads.st_text, ads.ap_text)
    ]
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
            _write(
                folder / f"BusinessReport-{downloaded:%d-%m-%Y}.csv",
                _business_report(acct, w, fmt, prefix),
                market.br_encoding,
            )
        )
        written.append(
            _write(
                folder / f"Manage_FBA_Inventory_{report_ids[w]}.txt",
                _inventory(acct, inv, w),
                market.inventory_encoding,
            )
        )
        st_rows, ap_rows = _ads_rows(ads, w)
        reports = (
            (
                SEARCH_TERM_FILE,
                st_rows,
                st_header,
                ads.st_text,
                "Sponsored Product Search Term Report",
            ),
            (
                ADVERTISED_PRODUCT_FILE,
                ap_rows,
                ap_header,
                ads.ap_text,
                "Sponsored Product Advertised Product Report",
            ),
        )
        for (name, rows, header, texts, sheet), quoted in zip(reports, ads_quoted, strict=True):
            if spec.xlsx_ads:
                stamp = datetime(downloaded.year, downloaded.month, downloaded.day, 6, 0, 0)
                path = folder / f"{name}.xlsx"
                path.write_bytes(_ads_xlsx(rows, header, texts, market, sheet, stamp))
                written.append(path)
            else:
                text = _ads_csv(rows, header, quoted, market)
                written.append(_write(folder / f"{name}.csv", text))
        written.append(_write(folder / "reviews.tsv", _reviews(acct, w, nrng)))
        written.append(_write(folder / "account-health.json", _health(acct, w, nrng, base_odr)))
    if existed:
        _clear_stale(account_dir, set(written))
    return written, acct.stories, block


__all__ = [
    "DEMO_LAST_WEEK",
    "BusinessRows",
    "DemoManifest",
    "DemoScale",
    "write_demo",
    "search_term_header",
    "advertised_product_header",
    "BUSINESS_HEADERS",
    "INVENTORY_HEADER",
    "REVIEWS_HEADER",
]
