"""Each marketplace as its exports spell it: currency, header text, encodings, number formats.

The business report, the inventory report and the ads console differ per marketplace in their
header wording (UK sentence case with en dashes, US title case with hyphens, German,
Japanese), in encoding and BOM, and in how numbers, money, percentages and dates are written.
Everything here is layout, plus two economic constants per marketplace (the plausible cost
per click and the price factor); the numbers come from demo/simulate.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Market:
    """One Amazon marketplace as the demo writes for it."""

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
    "UK": Market("UK", "GBP", "£", "A1F83G8C2ARO7P", 2, "cp1252", "utf-8-sig", (20, 300), 1.0),
    "US": Market("US", "USD", "$", "ATVPDKIKX0DER", 2, "cp1252", "utf-8", (25, 350), 1.0),
    "DE": Market("DE", "EUR", "€", "A1PA6795UKMFR9", 2, "utf-8", "utf-8-sig", (20, 300), 1.0),
    "JP": Market("JP", "JPY", "￥", "A1VC38T7YXB528", 0, "utf-8", "utf-8-sig", (15, 400), 150.0),
    # only for the language account milano-it (accounts.yaml), not in the generic cycle
    "IT": Market("IT", "EUR", "€", "APJ6JRA9NG5V4", 2, "utf-8", "utf-8-sig", (20, 300), 1.0),
}
MARKET_CYCLE = ("UK", "DE", "JP", "US")
LANGUAGE = {"UK": "en", "US": "en", "DE": "de", "JP": "ja", "IT": "it"}

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
# The Chinese Seller Central's 2024–26 business report (no B2B columns), as in
# tests/fixtures/exports/zh_business_report_a.csv; money as US$1,100.15.
ZH_BUSINESS_HEADER = (
    "（父）ASIN,（子）ASIN,商品名称,SKU,买家访问次数,买家访问次数百分比,页面浏览次数,"
    "页面浏览次数百分比,购买按钮页面浏览率,已订购商品数量,订单商品数量转化率,已订购商品销售额,"
    "订单商品种类"
).split(",")
ZH_MONEY_SYMBOL = {"USD": "US$"}
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


def summary_search_term_header(us: bool) -> list[str]:
    """A summary export (time unit "Summary"): Start Date and End Date in place of Date."""
    return ["Start Date", "End Date", *search_term_header(us)[1:]]


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


# The Chinese ads console's "new" (2024–26) reports, as in
# tests/fixtures/exports/zh_sp_search_term_new.csv: a start and an end date per row (the same
# day in a daily export), retailer and country columns, money as US$0.85.
_ZH_SP_HEAD = [
    "开始日期",
    "结束日期",
    "广告组合名称",
    "货币",
    "广告活动名称",
    "广告组名称",
    "零售商",
    "国家/地区",
]
_ZH_SP_TAIL = [
    "展示量",
    "点击量",
    "点击率 (CTR)",
    "单次点击成本 (CPC)",
    "花费",
    "7天总销售额",
    "广告投入产出比 (ACOS) 总计",
    "总广告投资回报率 (ROAS)",
    "7天总订单数(#)",
    "7天总销售量(#)",
    "7天的转化率",
    "7天内广告SKU销售量(#)",
    "7天内其他SKU销售量(#)",
    "7天内广告SKU销售额",
    "7天内其他SKU销售额",
]
ZH_SEARCH_TERM_HEADER = [*_ZH_SP_HEAD, "投放", "匹配类型", "客户搜索词", *_ZH_SP_TAIL]
ZH_ADVERTISED_PRODUCT_HEADER = [*_ZH_SP_HEAD, "广告SKU", "广告ASIN", *_ZH_SP_TAIL]
ZH_COUNTRY = {"US": "美国"}
# The Italian ads console's search term report, as in tests/fixtures/exports/it_sp_search_term.csv
# (";"-separated, with BOM, "ott 12, 2026" dates, 4.200 and 67,20; no 7-day sales columns).
IT_SEARCH_TERM_HEADER = [
    "Data di inizio",
    "Data di fine",
    "Nome campagna",
    "ID campagna",
    "Nome del gruppo di annunci",
    "ID gruppo di annunci",
    "Parole chiave",
    "Tipo di corrispondenza",
    "Termine di ricerca del cliente",
    "Impressioni",
    "Clic",
    "Spesa",
]
IT_MONTHS = ("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic")

# Vendor Central (1P) Retail Analytics, as in ../shared/export-headers.md §4. Vendor Central
# writes these headers in English whatever its UI language: no German (or any non-English)
# Vendor Central header is evidenced, so a German vendor's exports show their language only in
# the banner (Locale=[de_DE], Currency=[EUR], dd/mm/yy dates).
# Sales Diagnostic: the US 2025 layout [B] (each measure with its "- Prior Period (%)" and
# "- Same Period Last Year (%)") plus the legacy sales diagnostic's LBB (Price) [B].
VENDOR_SALES_MEASURES = (
    "Ordered Revenue",
    "Ordered Units",
    "Shipped Revenue",
    "Shipped COGS",
    "Shipped Units",
    "Customer Returns",
)
VENDOR_SALES_HEADER = [
    "ASIN",
    "Product Title",
    "Brand",
    *(
        column
        for measure in VENDOR_SALES_MEASURES
        for column in (
            measure,
            f"{measure} - Prior Period (%)",
            f"{measure} - Same Period Last Year (%)",
        )
    ),
    "LBB (Price)",
]
# Inventory Health: the US 2025 columns [B] after the ASIN columns of the Sales Diagnostic
VENDOR_INVENTORY_HEADER = [
    "ASIN",
    "Product Title",
    "Brand",
    "Sourceable Product OOS %",
    "Vendor Confirmation %",
    "Net Received",
    "Net Received Units",
    "Open Purchase Order Quantity",
    "Receive Fill %",
    "Overall Vendor Lead Time (days)",
    "Unfilled Customer Ordered Units",
    "Aged 90+ Days Sellable Inventory",
    "Aged 90+ Days Sellable Units",
    "Sellable On Hand Inventory",
    "Sellable On Hand Units",
    "Unsellable On Hand Inventory",
    "Unsellable On Hand Units",
    "Unhealthy Inventory",
    "Unhealthy Units",
    "Sell-Through %",
]
VENDOR_TRAFFIC_HEADER = [
    "ASIN",
    "Product Title",
    "Featured Offer Page Views",
    "Featured Offer Page Views - Prior Period (%)",
    "Featured Offer Page Views - Same Period Last Year (%)",
]
VENDOR_NET_PPM_HEADER = ["ASIN", "Product Title", "Net PPM %", "Net PPM % - Prior Period (bps)"]


def vendor_file(report: str, view: str, country: str, grain: str, start: date, end: date) -> str:
    """A Retail Analytics download's name: report, view by, distributor view, programme,
    country, reporting range, viewing range. The pattern is not evidenced (nothing public shows
    Vendor Central's file names); the readers go by the banner and header, never by the name."""
    return f"{report}_ASIN_{view.title()}_Retail_{country}_{grain}_{start:%d-%m-%Y}_{end:%d-%m-%Y}"


SEARCH_TERM_FILE = "Sponsored Products Search term report"
ADVERTISED_PRODUCT_FILE = "Sponsored Products Advertised product report"
DEMO_FILE = re.compile(
    r"^(BusinessReport-\d{2}-\d{2}-\d{4}\.csv|Manage_FBA_Inventory_\d+\.txt"
    r"|Sponsored Products (Search term|Advertised product) report\.(csv|xlsx)"
    r"|reviews\.tsv|account-health\.json"
    r"|(Sales|Inventory|Traffic|NetPPM)_ASIN_(Manufacturing|Sourcing)_Retail_[A-Z]{2}_"
    r"(Weekly|Monthly)_\d{2}-\d{2}-\d{4}_\d{2}-\d{2}-\d{4}\.(csv|xlsx)"
    r"|GET_VENDOR_(SALES|FORECASTING)_REPORT(_\d{4}-\d{2}-\d{2}){1,2}\.json"
    r"|\d{4}[A-Z][a-z]{2}\d{1,2}-\d{4}[A-Z][a-z]{2}\d{1,2}CustomTransaction\.csv"
    r"|Settlement_V2_\d+\.txt|PaymentsTransactions_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv)$"
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# ---------------------------------------------------------------------------------------------
# Number formatting exactly as each export writes it (already CSV-quoted where needed)


class Formatter:
    """Integers, percentages (in hundredths of a percent) and money (in minor units) as the
    business report of one marketplace writes them; small values come from lookup tables
    because this is the hot loop at benchmark scale."""

    CACHE = 20000

    def __init__(self, market: Market, symbol: str = "") -> None:
        self.market = market
        self.symbol = symbol or market.symbol
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
            text = f"{self.symbol}{minor:,}"
            return f'"{text}"' if "," in text else text
        whole, cents = divmod(minor, 100)
        if self.german:
            return f'"{self._group(whole)},{cents:02d} {self.symbol}"'
        text = f"{self.symbol}{whole:,}.{cents:02d}"
        return f'"{text}"' if "," in text else text


_FORMATTERS: dict[tuple[str, str], Formatter] = {}


def formatter(market: Market, symbol: str = "") -> Formatter:
    """The business report's formatter; ``symbol`` replaces the marketplace's currency symbol
    (the Chinese UI writes US$)."""
    key = (market.code, symbol)
    if key not in _FORMATTERS:
        _FORMATTERS[key] = Formatter(market, symbol)
    return _FORMATTERS[key]


def csv_field(text: str) -> str:
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def ads_date(day: date) -> str:
    return f'"{MONTHS[day.month - 1]} {day.day}, {day.year}"'


def it_ads_date(day: date) -> str:
    return f"{IT_MONTHS[day.month - 1]} {day.day}, {day.year}"


# Windows-1252 has neither U+202F nor ℃: the UK/US inventory report writes their nearest cousins.
CP1252_FIX = str.maketrans({"\u202f": "\u00a0", "℃": "°C"})


# ---------------------------------------------------------------------------------------------
# Payments (../shared/export-headers.md §3): the Date Range Report (Custom Transaction CSV), the
# Payments "Transaction view" CSV and the Settlement V2 flat file.

# Column keys of the Date Range Report, in the file order of each layout, and their header text.
# DE: the 2025+ order validated against real data (§3.4), verbatim. UK and IT: the same order
# with the UK wording (§3.2: fulfilment, postage credits, but shipping credits tax) and the
# Italian names of §3.3; that they follow the German order is inferred [I]. US: the newest
# layout with the 2025+ status columns (§3.2). JP: the Japanese names of §3.3 in the German
# order, with Amazon points after the gift wrap tax and no status columns (none evidenced for
# JP); the order is inferred [I]. Chinese Seller Central has no evidenced Date Range Report
# (§3.6): a zh account on Amazon.com downloads the English US one.
DRR_KEYS = {
    "US": (
        "date", "settlement", "type", "order", "sku", "description", "quantity", "marketplace",
        "account_type", "fulfillment", "city", "state", "postal", "tax_model", "sales",
        "sales_tax", "shipping", "shipping_tax", "giftwrap", "giftwrap_tax", "regulatory",
        "regulatory_tax", "rebates", "rebates_tax", "withheld", "selling", "fba", "other_fees",
        "other", "total", "status", "release",
    ),
    "EU": (
        "date", "settlement", "type", "order", "sku", "description", "quantity", "marketplace",
        "fulfillment", "city", "state", "postal", "tax_model", "sales", "sales_tax", "shipping",
        "shipping_tax", "giftwrap", "giftwrap_tax", "rebates", "rebates_tax", "withheld",
        "selling", "fba", "other_fees", "other", "total", "status", "release",
    ),
    "JP": (
        "date", "settlement", "type", "order", "sku", "description", "quantity", "marketplace",
        "fulfillment", "city", "state", "postal", "tax_model", "sales", "sales_tax", "shipping",
        "shipping_tax", "giftwrap", "giftwrap_tax", "points", "rebates", "rebates_tax",
        "withheld", "selling", "fba", "other_fees", "other", "total",
    ),
}  # fmt: skip
_DRR_EN = {
    "date": "date/time", "settlement": "settlement id", "type": "type", "order": "order id",
    "sku": "sku", "description": "description", "quantity": "quantity",
    "marketplace": "marketplace", "account_type": "account type", "fulfillment": "fulfillment",
    "city": "order city", "state": "order state", "postal": "order postal",
    "tax_model": "tax collection model", "sales": "product sales",
    "sales_tax": "product sales tax", "shipping": "shipping credits",
    "shipping_tax": "shipping credits tax", "giftwrap": "gift wrap credits",
    "giftwrap_tax": "giftwrap credits tax", "regulatory": "Regulatory Fee",
    "regulatory_tax": "Tax On Regulatory Fee", "rebates": "promotional rebates",
    "rebates_tax": "promotional rebates tax", "withheld": "marketplace withheld tax",
    "selling": "selling fees", "fba": "fba fees", "other_fees": "other transaction fees",
    "other": "other", "total": "total", "status": "Transaction Status",
    "release": "Transaction Release Date",
}  # fmt: skip
DRR_HEADERS: dict[str, dict[str, str]] = {
    "US": _DRR_EN,
    "UK": {**_DRR_EN, "fulfillment": "fulfilment", "shipping": "postage credits"},
    "DE": dict(zip(DRR_KEYS["EU"], (
        "Datum/Uhrzeit", "Abrechnungsnummer", "Typ", "Bestellnummer", "SKU", "Beschreibung",
        "Menge", "Marketplace", "Versand", "Ort der Bestellung", "Bundesland", "Postleitzahl",
        "Steuererhebungsmodell", "Umsätze", "Produktumsatzsteuer", "Gutschrift für Versandkosten",
        "Steuer auf Versandgutschrift", "Gutschrift für Geschenkverpackung",
        "Steuer auf Geschenkverpackungsgutschriften", "Rabatte aus Werbeaktionen",
        "Steuer auf Aktionsrabatte", "Einbehaltene Steuer auf Marketplace", "Verkaufsgebühren",
        "Gebühren zu Versand durch Amazon", "Andere Transaktionsgebühren", "Andere", "Gesamt",
        "Transaktionsstatus", "Freigabedatum der Transaktion",
    ), strict=True)),
    "IT": dict(zip(DRR_KEYS["EU"], (
        "Data/Ora:", "Numero pagamento", "Tipo", "Numero ordine", "SKU", "Descrizione",
        "Quantità", "Marketplace", "Gestione", "Città di provenienza dell'ordine",
        "Provincia di provenienza dell'ordine", "CAP dell'ordine",
        "modello di riscossione delle imposte", "Vendite", "imposta sulle vendite dei prodotti",
        "Accrediti per le spedizioni", "imposta accrediti per le spedizioni",
        "Accrediti per confezioni regalo", "imposta sui crediti confezione regalo",
        "Sconti promozionali", "imposta sugli sconti promozionali",
        "trattenuta IVA del marketplace", "Commissioni di vendita",
        "Costi del servizio Logistica di Amazon", "Altri costi relativi alle transazioni",
        "Altro", "totale", "Stato della transazione", "Data di rilascio della transazione",
    ), strict=True)),
    "JP": dict(zip(DRR_KEYS["JP"], (
        "日付/時間", "決済番号", "トランザクションの種類", "注文番号", "SKU", "説明", "数量",
        "Amazon 出品サービス", "フルフィルメント", "市町村", "都道府県", "郵便番号", "税金徴収型",
        "商品売上", "商品の売上税", "配送料", "配送料の税金", "ギフト包装手数料",
        "ギフト包装クレジットの税金", "Amazonポイントの費用", "プロモーション割引額",
        "プロモーション割引の税金", "源泉徴収税を伴うマーケットプレイス", "手数料", "FBA 手数料",
        "トランザクションに関するその他の手数料", "その他", "合計",
    ), strict=True)),
}  # fmt: skip


@dataclass(frozen=True)
class PaymentsLanguage:
    """The words a Date Range Report writes in its rows, per Seller Central language. ``None``
    or "" where nothing is evidenced: the demo then writes no such row (transfer) or leaves the
    cell empty (descriptions), rather than invent a translation."""

    order: str  # the `type` values (§3.4, §3.5)
    refund: str
    service_fee: str
    inventory_fee: str
    transfer: str | None
    advertising: str  # the description of the Service Fee row that bills advertising (§3.5)
    storage: str  # the description of the monthly storage fee row
    transfer_to: str  # the description of a Transfer row, before the account's last 3 digits
    fba: str  # the fulfilment column: Amazon ...
    merchant: str  # ... or the seller


PAYMENTS_LANGUAGE = {
    # "FBA storage fee" and "To account ending in: " are not evidenced in §3 [I]; "Seller" is
    # how the English files name merchant fulfilment [I]
    "en": PaymentsLanguage(
        "Order", "Refund", "Service Fee", "FBA Inventory Fee", "Transfer", "Cost of Advertising",
        "FBA storage fee", "To account ending in: ", "Amazon", "Seller",
    ),
    # §3.4: Versand holds Amazon or Verkäufer; Übertrag is the transfer
    "de": PaymentsLanguage(
        "Bestellung", "Erstattung", "Servicegebühr", "Versand durch Amazon Lagergebühr",
        "Übertrag", "Werbekosten", "", "", "Amazon", "Verkäufer",
    ),
    # no Italian or Japanese transfer type and no merchant-fulfilment word are evidenced: no
    # transfer rows, and the English "Seller" [I]
    "it": PaymentsLanguage(
        "Ordine", "Rimborso", "Commissione di servizio", "Costo di stoccaggio Logistica di Amazon",
        None, "Costo della pubblicità", "", "", "Amazon", "Seller",
    ),
    "ja": PaymentsLanguage(
        "注文", "返金", "注文外料金", "FBA 在庫関連の手数料", None, "広告費用", "", "", "Amazon",
        "Seller",
    ),
}  # fmt: skip
# The preamble above the header (§3.1): the 2025+ posted-date lines of the real-shaped export,
# with the UK's "Fulfilment". No preamble text is evidenced for German, Italian or Japanese
# files (the German header is said to sit below 9 lines, but not which): their header is the
# first line rather than an invented preamble.
DRR_PREAMBLE = {
    "US": (
        "Includes Amazon Marketplace, Fulfillment by Amazon (FBA), and Amazon Webstore "
        "transactions",
        "All amounts in {currency}, unless specified",
        "Definitions:",
        "Date/Time: Posted date/time of the transaction",
        "Note: Reports with start date of 1 Jan 2025 or later are indexed by posted date, include "
        "both released and deferred transactions and have two new columns.",
    ),
}
DRR_PREAMBLE["UK"] = (
    DRR_PREAMBLE["US"][0].replace("Fulfillment", "Fulfilment"),
    *DRR_PREAMBLE["US"][1:],
)
# §3.7, the current English layout; the currency is in the last header
TRANSACTION_VIEW_HEADER = (
    "Date", "Transaction Status", "Transaction type", "Order ID", "Product Details",
    "Total product charges", "Total promotional rebates", "Amazon fees", "Other", "Total ({})",
)  # fmt: skip
# §3.8: the official columns and the promotion-id real files end with
SETTLEMENT_V2_HEADER = (
    "settlement-id", "settlement-start-date", "settlement-end-date", "deposit-date",
    "total-amount", "currency", "transaction-type", "order-id", "merchant-order-id",
    "adjustment-id", "shipment-id", "marketplace-name", "amount-type", "amount-description",
    "amount", "fulfillment-id", "posted-date", "posted-date-time", "order-item-code",
    "merchant-order-item-id", "merchant-adjustment-item-id", "sku", "quantity-purchased",
    "promotion-id",
)  # fmt: skip
# The marketplace column and the Settlement V2 marketplace-name; the marketplaces' time zones
# (as assets/core/registry/marketplaces.yaml has them) and the first digits of order ids
MARKETPLACE_SITE = {
    "US": "amazon.com", "UK": "amazon.co.uk", "DE": "amazon.de", "IT": "amazon.it",
    "JP": "amazon.co.jp",
}  # fmt: skip
TIMEZONE = {
    "US": "America/Los_Angeles", "UK": "Europe/London", "DE": "Europe/Berlin",
    "IT": "Europe/Rome", "JP": "Asia/Tokyo",
}  # fmt: skip
ORDER_PREFIXES = {
    "US": ("111", "112", "113", "114"), "UK": ("202", "203", "204", "205", "206"),
    "DE": ("302", "303", "304", "305", "306"), "IT": ("402", "403", "404", "405", "406"),
    "JP": ("249", "250", "503"),
}  # fmt: skip
# A few (order city, order state, order postal) per marketplace for the order rows
ORDER_PLACES = {
    "US": (("SEATTLE", "WA", "98101"), ("AUSTIN", "TX", "78701"), ("BROOKLYN", "NY", "11201"),
           ("DENVER", "CO", "80202"), ("CHICAGO", "IL", "60601")),
    "UK": (("LONDON", "", "E1 6AN"), ("MANCHESTER", "", "M1 1AE"), ("BRISTOL", "", "BS1 4DJ"),
           ("LEEDS", "", "LS1 4AP")),
    "DE": (("Berlin", "", "10115"), ("München", "", "80331"), ("Hamburg", "", "20095"),
           ("Köln", "", "50667")),
    "IT": (("Milano", "MI", "20121"), ("Roma", "RM", "00184"), ("Torino", "TO", "10121"),
           ("Napoli", "NA", "80133")),
    "JP": (("渋谷区", "東京都", "150-0002"), ("大阪市", "大阪府", "530-0001"),
           ("札幌市", "北海道", "060-0001"), ("福岡市", "福岡県", "810-0001")),
}  # fmt: skip


def drr_file(start: date, end: date) -> str:
    """The Date Range Report's download name, as in ``2026Nov16-2026Nov22CustomTransaction.csv``.
    The pattern is not evidenced in ../shared/export-headers.md (it is the name Seller Central
    is commonly seen to give the download); readers go by the header, never by the name."""
    return (
        f"{start.year}{MONTHS[start.month - 1]}{start.day}-"
        f"{end.year}{MONTHS[end.month - 1]}{end.day}CustomTransaction.csv"
    )
