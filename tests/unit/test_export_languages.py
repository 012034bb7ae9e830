"""Chinese, Spanish and Italian exports (and the German and Japanese spellings
export-headers.md adds): recognised from their real header text, values parsed per locale,
loaded through the real inbox with totals worked by hand.

Every header cell in these fixtures and lists is copied from export-headers.md (§ and evidence
level in each fixture's row below and beside its spelling in report_kinds.yaml); the rows are
our own. French exports are not evidenced there for any family we read (§1.5, §2.7, Gaps), so
there is no French header here.
"""

import shutil
from datetime import date

import duckdb
import pytest

from assets.core.settings import load_accounts
from assets.ingest.inbox import ingest_inbox
from assets.ingest.readers import catalog, detect, locale_country, normalise_header, parse_file
from tests.conftest import EXPORTS, make_home

# fixture → kind, header language, columns no canonical column maps to (§ of export-headers.md)
FIXTURES = {
    # §1.2 zh-A ≤2018 [B]: its six listed names in the 13-column layout of the time, zh-B's
    # names for the columns zh-A does not list (the one composite header here)
    "zh_business_report_a.csv": ("business_report_child_item", "zh", []),
    "zh_business_report_b.csv": ("business_report_child_item", "zh", []),  # §1.2 zh-B [B]
    "zh_business_report_c.csv": (  # §1.2 zh-C [A]/[B]
        "business_report_child_item",
        "zh",
        [
            "会话次数 – 移动应用",
            "会话次数 – 浏览器",
            "会话百分比 – 移动应用",
            "会话百分比 – 浏览器",
            "页面浏览量 – 移动应用",
            "页面浏览量 – 浏览器",
            "页面浏览量百分比 – 移动应用",
            "页面浏览量百分比 – 浏览器",
        ],
    ),
    "zh_business_report_d.csv": ("business_report_child_item", "zh", []),  # §1.2 zh-D [A]
    "zh_business_report_by_date_b.csv": (  # §1.2 zh-B By Date [B]
        "business_report_by_date",
        "zh",
        [
            "订单商品种类数B2B",
            "每种订单商品的平均销售额",
            "每种订单商品的平均数量",
            "平均销售价格",
            "订单商品种类数转化率",
            "平均在售商品数量",
        ],
    ),
    "zh_sp_search_term_old.csv": ("sp_search_term", "zh", []),  # §2.2 old era [A]
    "zh_sp_advertised_product_old.csv": ("sp_advertised_product", "zh", []),  # §2.2 old [B]
    "zh_sp_search_term_new.csv": ("sp_search_term", "zh", ["零售商", "国家/地区"]),  # new [B]
    "zh_sp_campaign_new.csv": (  # §2.2 new era [B]
        "sp_campaign",
        "zh",
        ["零售商", "国家/地区", "去年曝光量", "去年点击量", "去年支出", "去年每次点击成本(CPC)"],
    ),
    "zh_sp_targeting_new.csv": (  # §2.2 new era [B]
        "sp_targeting",
        "zh",
        ["国家/地区", "零售商", "搜索结果首页首位展示量份额"],
    ),
    "zh_sp_placement_new.csv": ("sp_placement", "zh", ["零售商", "国家/地区"]),  # new [B]
    "zh_inventory_planning.csv": ("inventory_planning", "zh", ["store"]),  # §6.2 [A]
    "es_sp_search_term.csv": ("sp_search_term", "es", ["País"]),  # §2.5 [A]
    # §2.6 [B]: the Italian keys in the search term report's order (their order is not listed)
    "it_sp_search_term.csv": ("sp_search_term", "it", ["ID campagna", "ID gruppo di annunci"]),
}


@pytest.fixture
def mem():
    return duckdb.connect()


def rows(conn, columns):
    return conn.execute(f"select {columns} from parsed_rows order by source_line").fetchall()


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
def test_each_fixture_is_recognised_in_its_language_with_every_row_loaded(fixture, mem, tmp_path):
    kind, language, ignored = FIXTURES[fixture]
    parsed = parse_file(mem, EXPORTS / fixture, fixture, "dmy", tmp_path)
    assert (parsed.detected.kind.name, parsed.detected.locale) == (kind, language)
    assert parsed.detected.ignored == ignored
    assert parsed.rows_rejected == 0 and parsed.rows_loaded == parsed.rows_read > 0
    # the attribution window is read off the Chinese and Spanish 7-day headers
    if kind.startswith("sp_") and language in ("zh", "es"):
        assert parsed.detected.attribution_days == 7


def test_chinese_business_report_of_today_with_us_dollars_and_a_trailing_space(mem):
    parsed = parse_file(mem, EXPORTS / "zh_business_report_d.csv", "d.csv")
    assert "页面浏览量 - 总计 " in parsed.detected.cells  # as real files write it
    assert rows(
        mem,
        "child_asin, title, sessions, sessions_b2b, session_pct, page_views, buy_box_pct, "
        "units, unit_session_pct, revenue::varchar, revenue_b2b::varchar, order_items",
    ) == [
        (
            "B0ZHD00001",
            "不锈钢保温杯 500毫升",
            1034,
            12,
            pytest.approx(0.624),
            1530,
            pytest.approx(0.985),
            58,
            pytest.approx(0.0561),
            "1100.15",
            "37.94",
            55,
        ),
        ("B0ZHD00002", "不锈钢保温杯 750毫升", 620, 0, pytest.approx(0.3742), 1015,
         pytest.approx(0.96), 31, pytest.approx(0.05), "712.69", "0.00", 30),
        ("B0ZHD00003", "保温杯 套装, 2只", 3, 0, pytest.approx(0.0018), 4, pytest.approx(1.0),
         0, pytest.approx(0.0), "0.00", "0.00", 0),
    ]  # fmt: skip


def test_chinese_business_report_in_yen_takes_the_totals_not_the_app_and_browser_columns(mem):
    parse_file(mem, EXPORTS / "zh_business_report_c.csv", "c.csv")
    assert rows(mem, "sessions, sessions_b2b, page_views, session_pct, revenue::varchar, sku") == [
        (1500, 20, 2100, pytest.approx(0.6818), "450000.00", None),  # zh-C has no SKU column
        (700, 0, 920, pytest.approx(0.3182), "105000.00", None),
    ]


def test_spanish_search_term_report_semicolons_decimal_commas_and_month_words(mem):
    raw = (EXPORTS / "es_sp_search_term.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # as Amazon writes it
    parsed = parse_file(mem, EXPORTS / "es_sp_search_term.csv", "es.csv", "dmy")
    assert (parsed.detected.attribution_days, parsed.detected.header_currency) == (7, "EUR")
    assert rows(
        mem,
        "report_date, end_date, search_term, impressions, clicks, ctr, cpc::varchar, "
        "spend::varchar, sales::varchar, acos, roas::double, orders, conversion_rate, "
        "advertised_sales::varchar",
    ) == [
        (date(2026, 8, 17), date(2026, 8, 23), "cuchillo cocinero", 12480, 312,
         pytest.approx(0.025), "0.95", "296.40", "1234.56", pytest.approx(0.240086), 4.17, 24,
         pytest.approx(0.076923), "1044.78"),
        (date(2026, 8, 17), date(2026, 8, 23), "cuchillo cocinero japonés", 1950, 39,
         pytest.approx(0.02), "0.95", "37.05", "0.00", None, 0.0, 0, pytest.approx(0.0), "0.00"),
        (date(2026, 8, 17), date(2026, 8, 23), "tabla de cortar; bambú", 2000, 40,
         pytest.approx(0.02), "0.50", "20.00", "89.90", pytest.approx(0.222469), 4.5, 2,
         pytest.approx(0.05), "89.90"),
    ]  # fmt: skip


def test_a_number_in_another_convention_is_rejected_not_misread(mem, tmp_path):
    # "1,234.56" in a Spanish export would be 1.23456 if "." were dropped as thousands
    text = (EXPORTS / "es_sp_search_term.csv").read_text("utf-8-sig")
    path = tmp_path / "mixed.csv"
    path.write_text(text.replace("€1.234,56", "€1,234.56"), "utf-8-sig")
    parsed = parse_file(mem, path, "mixed.csv", "dmy")
    assert (parsed.rows_loaded, parsed.rows_rejected) == (2, 1)
    rejects = mem.execute("select source_line, column_name, value, reason from parsed_rejects")
    assert rejects.fetchall() == [
        (2, "sales", "€1,234.56", "'Ventas totales de 7 días (€)' is not an amount in es format")
    ]


def test_italian_keys_give_the_counts_and_spend_and_no_sales(mem):
    parse_file(mem, EXPORTS / "it_sp_search_term.csv", "it.csv", "dmy")
    assert rows(mem, "report_date, end_date") == [(date(2026, 10, 12), date(2026, 10, 18))] * 3
    assert rows(mem, "targeting, search_term, impressions, clicks, spend::varchar, sales") == [
        ("moka 6 tazze", "moka 6 tazze", 4200, 84, "67.20", None),
        ("moka 6 tazze", "caffettiera moka", 1100, 11, "8.80", None),
        ("close-match", "macinacaffè manuale", 950, 19, "9.50", None),
    ]


# Spellings export-headers.md lists outside the fixtures above, each with the column it
# names: (kind, language, header as listed, canonical column).
LISTED = [
    # §1.1 E0 [B]
    ("business_report_child_item", "en", "Gross Product Sales", "revenue"),
    ("business_report_child_item", "en", "Orders Placed", "order_items"),
    # §1.1 E1/E2 [B]: hyphens where later files have en dashes
    ("business_report_child_item", "en", "Units Ordered - B2B", "units_b2b"),
    ("business_report_child_item", "en", "Sessions - Total", "sessions"),
    ("business_report_child_item", "en", "Featured Offer (Buy Box) Percentage – B2B",
     "buy_box_pct_b2b"),
    # §1.3 [B]
    ("business_report_child_item", "de", "Bestellsumme – B2B", "revenue_b2b"),
    # §1.4 [B]: current and older Japanese spellings
    ("business_report_child_item", "ja", "(子)ASIN", "child_asin"),
    ("business_report_child_item", "ja", "セッション率 - 合計", "session_pct"),
    ("business_report_child_item", "ja", "セッション率 - 合計 - B2B", "session_pct_b2b"),
    ("business_report_child_item", "ja", "おすすめ出品（おすすめ商品）の獲得率", "buy_box_pct"),
    ("business_report_child_item", "ja", "セッション - 合計", "sessions"),
    ("business_report_child_item", "ja", "注文商品売上", "revenue"),
    ("business_report_child_item", "ja", "セッションのパーセンテージ - 注文商品点数",
     "unit_session_pct"),
    # §1.2 zh-A [B] and the half-width parentheses NFKC reads as the full-width ones
    ("business_report_child_item", "zh", "(子)ASIN", "child_asin"),
    ("business_report_child_item", "zh", "(父)ASIN", "parent_asin"),
    # §2.2 [B]: ~2019 and one parser's variants
    ("sp_search_term", "zh", "展现量", "impressions"),
    ("sp_search_term", "zh", "广告成本销售比(ACoS)", "acos"),
    ("sp_search_term", "zh", "7天总销售额($)", "sales"),
    ("sp_search_term", "zh", "7天内广告SKU销售额($)", "advertised_sales"),
    ("sp_search_term", "zh", "7 天内的总订单数 (#)", "orders"),
    ("sp_search_term", "zh", "7 天内的总销售额 ", "sales"),
    ("sp_search_term", "zh", "7天内其他SKU销售额 ", "other_sales"),
    ("sp_search_term", "zh", "7 天转化率", "conversion_rate"),
    ("sp_search_term", "zh", "日期", "report_date"),
    # §2.4 [B]: German Advertised product, in order, and the later era's names
    *[
        ("sp_advertised_product", "de", header, column)
        for header, column in [
            ("Datum", "report_date"),
            ("Portfolioname", "portfolio_name"),
            ("Währung", "currency"),
            ("Kampagnen-Name", "campaign_name"),
            ("Anzeigengruppenname", "ad_group_name"),
            ("Beworbene SKU", "advertised_sku"),
            ("Beworbene ASIN", "advertised_asin"),
            ("Impressionen", "impressions"),
            ("Klicks", "clicks"),
            ("Klickrate (CTR)", "ctr"),
            ("Kosten pro Klick (CPC)", "cpc"),
            ("Ausgaben", "spend"),
            ("7 Tage, Umsatz gesamt (€)", "sales"),
            ("Gesamtumsatzkosten für Werbung (ACOS) ", "acos"),
            ("Gesamtrendite von Werbeausgaben (Return on Advertising Spend, ROAS)", "roas"),
            ("7 Tage, Aufträge gesamt (#)", "orders"),
            ("7 Tage, Einheiten gesamt (#)", "units"),
            ("7-Tage-Konversionsrate", "conversion_rate"),
            ("7 Tage, Beworbene SKU-Einheiten (#)", "advertised_units"),
            ("7-Tage, Andere SKU-Einheiten (#)", "other_units"),
            ("7 Tage, Beworbene SKU-Umsätze (€)", "advertised_sales"),
            ("7-Tage, Andere SKU-Umsätze (€)", "other_sales"),
            ("7Tage, Umsatz gesamt (€)", "sales"),
            ("Zugeschriebene Umsatzkosten (ACOS) gesamt ", "acos"),
            ("Gesamte Rentabilität der Anzeigenkosten (ROAS)", "roas"),
        ]
    ],
    ("sp_placement", "de", "Platzierung", "placement"),
    # §2.3 [B]: Japanese Search term and Advertised product, both spellings where they differ
    *[
        ("sp_search_term", "ja", header, column)
        for header, column in [
            ("開始日", "report_date"),
            ("終了日", "end_date"),
            ("ポートフォリオ名", "portfolio_name"),
            ("キャンペーン名", "campaign_name"),
            ("広告グループ名", "ad_group_name"),
            ("ターゲティング", "targeting"),
            ("マッチタイプ", "match_type"),
            ("カスタマーの検索キーワード", "search_term"),
            ("インプレッション", "impressions"),
            ("クリック", "clicks"),
            ("クリック数", "clicks"),
            ("クリックスルー率 (CTR)", "ctr"),
            ("クリックスルー率（CTR）", "ctr"),
            ("平均クリック単価 (CPC)", "cpc"),
            ("クリック課金制（CPC）", "cpc"),
            ("費用", "spend"),
            ("広告がクリックされてから7日間の総売上高", "sales"),
            ("広告費売上高比率（ACOS）合計", "acos"),
            ("広告費用対効果（ROAS）合計", "roas"),
            ("広告がクリックされてから7日間の合計注文数", "orders"),
            ("広告がクリックされてから7日間の合計販売数", "units"),
            ("広告がクリックされてから7日間のコンバージョン率", "conversion_rate"),
        ]
    ],
    ("sp_advertised_product", "ja", "宣伝SKU", "advertised_sku"),
    ("sp_advertised_product", "ja", "宣伝 ASIN", "advertised_asin"),
    ("sp_campaign", "ja", "予算", "budget"),
    # §2.6 [B]
    ("sp_advertised_product", "it", "ASIN pubblicizzato", "advertised_asin"),
    ("sp_advertised_product", "it", "SKU pubblicizzato", "advertised_sku"),
    ("sp_placement", "it", "Posizionamento", "placement"),
    # §6.2 [B]: the Chinese FBA inventory download's other names
    *[
        ("inventory_planning", "zh", header, column)
        for header, column in [
            ("库龄快照日期", "snapshot_date"),
            ("库龄 181-270 天", "inv_age_181_to_270_days"),
            ("库龄 271-365 天", "inv_age_271_to_365_days"),
            ("库龄 365 天以上", "inv_age_365_plus_days"),
            ("配送商品数量（过去 7 天）", "units_shipped_t7"),
            ("配送商品数量（过去 30 天）", "units_shipped_t30"),
            ("配送商品数量（过去 60 天）", "units_shipped_t60"),
            ("过去 90 天内配送的售出商品", "units_shipped_t90"),
            ("入库数量", "inbound_quantity"),
            ("供货天数", "days_of_supply"),
            ("售出率", "sell_through"),
            ("您的价格", "your_price"),
            ("商品名称", "product_name"),
        ]
    ],
    # §6.3 [B]
    ("fba_inventory", "ja", "出品者SKU", "sku"),
    ("fba_inventory", "ja", "販売できる数量", "afn_fulfillable_quantity"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "language", "header", "column"), LISTED)
def test_every_listed_spelling_names_its_column(kind, language, header, column):
    spellings = catalog().kinds[kind].columns[column].names[language]
    assert normalise_header(header) in spellings


def test_listed_german_and_japanese_ads_headers_are_recognised_whole():
    german = [h for k, lang, h, _ in LISTED if (k, lang) == ("sp_advertised_product", "de")]
    found = detect(german[:22])  # the Advertised product header in its order (§2.4)
    assert (found.kind.name, found.locale, found.attribution_days, found.header_currency) == (
        "sp_advertised_product",
        "de",
        7,
        "EUR",
    )
    assert len(found.positions) == 22
    japanese = [h for k, lang, h, _ in LISTED if (k, lang) == ("sp_search_term", "ja")]
    found = detect([h for h in japanese if h not in ("クリック数", "クリックスルー率（CTR）",
                                                       "クリック課金制（CPC）")])  # fmt: skip
    assert (found.kind.name, found.locale, found.attribution_days) == ("sp_search_term", "ja", 7)


def test_a_semicolon_file_whose_header_cells_hold_commas(mem, tmp_path):
    # the German headers "7 Tage, Umsatz gesamt (€)": split by ";", not by their commas
    german = [h for k, lang, h, _ in LISTED if (k, lang) == ("sp_advertised_product", "de")]
    path = tmp_path / "de.csv"
    values = ["16.11.2026", "P", "EUR", "Küche", "AG", "KM-1", "B0DETEST01", "1.000", "20",
              "2,00 %", "0,50 €", "10,00 €", "35,04 €", "28,54 %", "3,50", "1", "1", "5,00 %",
              "1", "0", "35,04 €", "0,00 €"]  # fmt: skip
    path.write_text(";".join(german[:22]) + "\n" + ";".join(values) + "\n", "utf-8")
    parsed = parse_file(mem, path, "de.csv", "dmy")
    assert (parsed.detected.locale, parsed.rows_loaded) == ("de", 1)
    assert rows(mem, "report_date, impressions, spend::varchar, sales::varchar, acos") == [
        (date(2026, 11, 16), 1000, "10.00", "35.04", pytest.approx(0.2854))
    ]


@pytest.mark.parametrize(
    ("language", "country", "marketplace_locale", "expected"),
    [
        ("zh", "US", "en_US", "CN"),  # Chinese Seller Central on amazon.com: zh-CN
        ("zh", "JP", "ja_JP", "CN"),
        ("es", "ES", "es_ES", "ES"),
        ("es", "MX", "es_MX", "MX"),
        ("it", "IT", "it_IT", "IT"),
        ("fr", "FR", "fr_FR", "FR"),
        ("en", "FR", "fr_FR", "FR"),  # an English flat file of a French account: en-FR
        ("en", "GB", "en_GB", "GB"),
        ("de", "GB", "en_GB", "DE"),
    ],
)
def test_the_locale_recorded_is_the_language_where_it_is_written(
    language, country, marketplace_locale, expected
):
    assert locale_country(language, country, marketplace_locale) == expected


ACCOUNTS = """
portfolios:
  - {id: cn, name: Shenzhen sellers, base_currency: USD, language: zh, bosses: [boss@cup.example]}
  - {id: eu, name: EU agencies, base_currency: EUR, bosses: [lead@agency.example]}
accounts:
  - {id: shenzhen-us, name: 深圳杯业 US, marketplace: US, language: zh, portfolio: cn,
     recipients: [us@cup.example]}
  - {id: shenzhen-jp, name: 深圳茶业 JP, marketplace: JP, language: zh, portfolio: cn,
     recipients: [jp@cup.example]}
  - {id: shenzhen-de, name: 深圳杯业 DE, marketplace: DE, language: zh, portfolio: cn,
     recipients: [de@cup.example]}
  - {id: madrid-es, name: Cuchillería Madrid, marketplace: ES, language: es, portfolio: eu,
     recipients: [es@agency.example]}
  - {id: milano-it, name: Caffè Milano, marketplace: IT, language: it, portfolio: eu,
     recipients: [it@agency.example]}
  - {id: paris-fr, name: Planches Paris, marketplace: FR, language: fr, portfolio: eu,
     recipients: [fr@agency.example]}
"""

# where each export goes: account, week folder
PLACES = {
    "zh_business_report_a.csv": ("shenzhen-us", "2026-10-26"),
    "zh_business_report_b.csv": ("shenzhen-us", "2026-11-02"),
    "zh_business_report_d.csv": ("shenzhen-us", "2026-11-16"),
    "zh_business_report_by_date_b.csv": ("shenzhen-us", "2026-11-16"),
    "zh_sp_search_term_new.csv": ("shenzhen-us", "2026-11-16"),
    "zh_sp_campaign_new.csv": ("shenzhen-us", "2026-11-16"),
    "zh_sp_targeting_new.csv": ("shenzhen-us", "2026-11-16"),
    "zh_sp_placement_new.csv": ("shenzhen-us", "2026-11-16"),
    "zh_business_report_c.csv": ("shenzhen-jp", "2026-11-16"),
    "zh_inventory_planning.csv": ("shenzhen-jp", "2026-11-16"),
    "zh_sp_search_term_old.csv": ("shenzhen-de", "2026-11-16"),
    "zh_sp_advertised_product_old.csv": ("shenzhen-de", "2026-11-16"),
    "es_sp_search_term.csv": ("madrid-es", "2026-08-17"),
    "it_sp_search_term.csv": ("milano-it", "2026-10-12"),
    "uk_fba_inventory.txt": ("paris-fr", "2026-11-16"),  # English flat file, French account
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """Every fixture dropped into its account's week folder and ingested in one run; the
    warehouse is shared by the tests below, which only read it."""
    home = make_home(tmp_path_factory.mktemp("languages"))
    home.accounts_file.write_text(ACCOUNTS, "utf-8")
    for fixture, (account, week) in PLACES.items():
        folder = home.inbox / account / week
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EXPORTS / fixture, folder / fixture)
    conn = duckdb.connect(str(home.warehouse))
    results = ingest_inbox(conn, home, load_accounts(home.accounts_file))
    assert {r.source_file.rsplit("/", 1)[1]: r.status for r in results} == dict.fromkeys(
        PLACES, "loaded"
    )
    yield conn
    conn.close()


def totals(conn, table, fixture, sums):
    return conn.execute(
        f"select {', '.join(f'sum({c})::varchar' for c in sums)} from raw.{table} "
        "where source_file like '%/' || ?",
        [fixture],
    ).fetchone()


def test_the_inbox_records_each_file_with_its_kind_and_locale(loaded):
    log = loaded.execute(
        "select regexp_extract(source_file, '[^/]+$'), kind, locale, rows_read, rows_loaded "
        "from raw.ingest_log order by 1"
    ).fetchall()
    assert log == [
        ("es_sp_search_term.csv", "sp_search_term", "es-ES", 3, 3),
        ("it_sp_search_term.csv", "sp_search_term", "it-IT", 3, 3),
        ("uk_fba_inventory.txt", "fba_inventory", "en-FR", 2, 2),
        ("zh_business_report_a.csv", "business_report_child_item", "zh-CN", 2, 2),
        ("zh_business_report_b.csv", "business_report_child_item", "zh-CN", 2, 2),
        ("zh_business_report_by_date_b.csv", "business_report_by_date", "zh-CN", 3, 3),
        ("zh_business_report_c.csv", "business_report_child_item", "zh-CN", 2, 2),
        ("zh_business_report_d.csv", "business_report_child_item", "zh-CN", 3, 3),
        ("zh_inventory_planning.csv", "inventory_planning", "zh-CN", 3, 3),
        ("zh_sp_advertised_product_old.csv", "sp_advertised_product", "zh-CN", 2, 2),
        ("zh_sp_campaign_new.csv", "sp_campaign", "zh-CN", 2, 2),
        ("zh_sp_placement_new.csv", "sp_placement", "zh-CN", 4, 4),
        ("zh_sp_search_term_new.csv", "sp_search_term", "zh-CN", 3, 3),
        ("zh_sp_search_term_old.csv", "sp_search_term", "zh-CN", 3, 3),
        ("zh_sp_targeting_new.csv", "sp_targeting", "zh-CN", 2, 2),
    ]
    assert loaded.execute(
        "select period_start::varchar, period_end::varchar from raw.ingest_log "
        "where source_file like '%es_sp_search_term.csv'"
    ).fetchone() == ("2026-08-17", "2026-08-23")


def test_chinese_business_reports_of_four_eras_add_up(loaded):
    table, sums = "business_report_child_items", ["sessions", "units", "revenue", "order_items"]
    # zh-A: sessions 600 + 400; units 30 + 10; US$389.70 + US$129.90; order items 29 + 10
    assert totals(loaded, table, "zh_business_report_a.csv", sums) == (
        "1000", "40", "519.60", "39"
    )  # fmt: skip
    # zh-B: 880 + 720; 44 + 36; US$835.56 + US$827.64; 42 + 35
    assert totals(loaded, table, "zh_business_report_b.csv", sums) == (
        "1600", "80", "1663.20", "77"
    )  # fmt: skip
    # zh-C (JP, yen; the "总计" columns, not app + browser): 1,500 + 700; 150 + 70;
    # JP¥450,000 + JP¥105,000; 140 + 66
    assert totals(loaded, table, "zh_business_report_c.csv", sums) == (
        "2200", "220", "555000.00", "206"
    )  # fmt: skip
    # zh-D: 1,034 + 620 + 3; 58 + 31 + 0; US$1,100.15 + US$712.69 + US$0.00; 55 + 30 + 0
    assert totals(loaded, table, "zh_business_report_d.csv", sums) == (
        "1657", "89", "1812.84", "85"
    )  # fmt: skip
    # page views of zh-D: 1,530 + 1,015 + 4 (its header has the trailing space)
    assert totals(loaded, table, "zh_business_report_d.csv", ["page_views"]) == ("2549",)
    # zh-B By Date: US$1,250.40 + US$998.75 + US$1,105.00; 52 + 41 + 46; 1,480 + 1,320 + 1,390
    assert totals(
        loaded, "business_report_by_date", "zh_business_report_by_date_b.csv",
        ["revenue", "units", "sessions", "revenue_b2b"],
    ) == ("3354.15", "139", "4190", "38.97")  # US$25.98 + US$0.00 + US$12.99  # fmt: skip


def test_chinese_ads_reports_old_and_new_add_up(loaded):
    sums = ["impressions", "clicks", "spend", "sales", "orders"]
    # old era (EUR): 2,400 + 1,150 + 310; 48 + 23 + 4; €21.60 + €18.40 + €3.20;
    # €95.70 + €63.80 + €0.00; 3 + 2 + 0
    assert totals(loaded, "sp_search_terms", "zh_sp_search_term_old.csv", sums) == (
        "3860", "75", "43.20", "159.50", "5"
    )  # fmt: skip
    # old era Advertised product: 1,200 × 2; 24 × 2; €10.80 × 2; €31.90 + €63.80; 1 + 2
    assert totals(loaded, "sp_advertised_products", "zh_sp_advertised_product_old.csv", sums) == (
        "2400", "48", "21.60", "95.70", "3"
    )  # fmt: skip
    # new era, one week of two campaigns seen four ways; each adds up to the same:
    # impressions 3,200 + 1,050 + 640 = 4,250 + 640; clicks 96 + 21 + 8 = 117 + 8;
    # spend US$81.60 + US$17.85 + US$4.80 = US$99.45 + US$4.80; sales US$398.79 + US$0.00 +
    # US$22.99; orders 20 + 0 + 1
    expected = ("4890", "125", "104.25", "421.78", "21")
    assert totals(loaded, "sp_search_terms", "zh_sp_search_term_new.csv", sums) == expected
    assert totals(loaded, "sp_campaigns", "zh_sp_campaign_new.csv", sums) == expected
    assert totals(loaded, "sp_targeting", "zh_sp_targeting_new.csv", sums) == expected
    # placements of the exact campaign: 2,000 + 1,500 + 700 + 50; 70 + 30 + 15 + 2;
    # US$59.50 + US$25.50 + US$12.75 + US$1.70; US$284.85 + US$75.96 + US$37.98 + US$0.00;
    # 14 + 4 + 2 + 0
    assert totals(loaded, "sp_placements", "zh_sp_placement_new.csv", sums) == (
        "4250", "117", "99.45", "398.79", "20"
    )  # fmt: skip
    # budgets US$30.00 + US$10.00
    assert totals(loaded, "sp_campaigns", "zh_sp_campaign_new.csv", ["budget"]) == ("40.00",)
    assert loaded.execute(
        "select placement from raw.sp_placements order by spend desc limit 1"
    ).fetchone() == ("亚马逊站内的搜索结果顶部",)


def test_chinese_inventory_download_adds_up(loaded):
    # available 420 + 0 + 75; shipped in 90 days 1,350 + 610 + 0
    sums = ["available", "units_shipped_t90"]
    assert totals(loaded, "inventory_planning", "zh_inventory_planning.csv", sums) == (
        "495",
        "1960",
    )


def test_spanish_and_italian_ads_reports_add_up(loaded):
    sums = ["impressions", "clicks", "spend", "sales", "orders", "units"]
    # es: 12.480 + 1.950 + 2.000; 312 + 39 + 40; €296,40 + €37,05 + €20,00;
    # €1.234,56 + €0,00 + €89,90; 24 + 0 + 2; 26 + 0 + 2
    assert totals(loaded, "sp_search_terms", "es_sp_search_term.csv", sums) == (
        "16430", "391", "353.45", "1324.46", "26", "28"
    )  # fmt: skip
    # it: 4.200 + 1.100 + 950; 84 + 11 + 19; 67,20 + 8,80 + 9,50; no sales columns evidenced
    assert totals(loaded, "sp_search_terms", "it_sp_search_term.csv", sums) == (
        "6250", "114", "85.50", None, None, None
    )  # fmt: skip
