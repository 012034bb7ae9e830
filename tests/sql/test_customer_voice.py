"""reports.rpt_customer_voice, rpt_asin_ratings and rpt_review_words on hand-made reviews."""

from datetime import date, datetime, timedelta

import pytest

from assets.core.catalog import discover
from assets.models.build import build
from tests.sql.rows import build_models, insert

W1, W2, W3 = date(2026, 9, 21), date(2026, 9, 28), date(2026, 10, 5)  # W2 has no reviews
EARLY, LATE = datetime(2026, 10, 6, 8), datetime(2026, 10, 7, 8)

# (account, review_id, review_date, asin, stars, headline, body, loaded_at)
REVIEWS = [
    ("oak-uk", "R1", date(2026, 9, 21), "A1", 5, "Great", "Works well", EARLY),
    # R2 was first exported as 1★, then restated as 4★ in a later export: the later load wins
    ("oak-uk", "R2", date(2026, 9, 22), "A1", 1, "Terrible", "Awful knife", EARLY),
    ("oak-uk", "R2", date(2026, 9, 22), "A1", 4, "Good", "Fine knife", LATE),
    (
        "oak-uk",
        "R3",
        date(2026, 9, 23),
        "A2",
        1,
        "Broken &amp; useless",
        "The battery died after two days. Don&#39;t buy this battery!",
        EARLY,
    ),
    (
        "oak-uk",
        "R4",
        date(2026, 9, 27),
        "A2",
        2,
        "Battery broke",
        "Stopped charging.<br />The battery is dead &quot;again&quot;, zipper too",
        EARLY,
    ),
    ("oak-uk", "R5", date(2026, 10, 5), "A1", 3, "Okay", "Average", EARLY),
    ("oak-uk", "R6", date(2026, 10, 6), "A2", 2, "Meh", "Weak", EARLY),
    ("oak-uk", "R7", date(2026, 10, 7), "A3", 5, "Love it", "New favourite", EARLY),
    (
        "messer-de",
        "D1",
        date(2026, 9, 22),
        "B1",
        1,
        "Die Klinge ist stumpf",
        "Leider nicht scharf, die Klinge rostet. Kein product für mich.",
        EARLY,
    ),
    (
        "ocha-jp",
        "J1",
        date(2026, 9, 22),
        "C1",
        1,
        "味が薄い",
        "商品の香りがしない。パッケージも破損していました。返品します。",
        EARLY,
    ),
    ("ocha-jp", "J2", date(2026, 9, 23), "C1", 2, "残念", "パッケージが潰れていた", EARLY),
    ("ocha-jp", "J3", date(2026, 9, 24), "C1", 3, "普通", "美味しいお茶ですが配送が遅い", EARLY),
]

MODELS = (
    "staging.stg_reviews__customer_reviews",
    "reports.rpt_customer_voice",
    "reports.rpt_asin_ratings",
    "reports.rpt_review_words",
)


@pytest.fixture
def conn(warehouse):
    for account, rid, day, asin, stars, headline, body, loaded in REVIEWS:
        insert(
            warehouse,
            "customer_reviews",
            [
                {
                    "period_start": day,
                    "period_end": day,
                    "review_id": rid,
                    "product_id": asin,
                    "product_title": f"Title {asin}",
                    "star_rating": stars,
                    "review_headline": headline,
                    "review_body": body,
                    "review_date": day,
                }
            ],
            account_id=account,
            locale="en",
            source_file="reviews.tsv",
            file_hash=f"h{loaded:%d}",
            loaded_at=loaded,
        )
    build_models(warehouse, *MODELS)
    return warehouse


def voice(conn, week, account="oak-uk"):
    return conn.execute(
        "select new_reviews, new_review_rating, avg_rating, avg_rating_change, "
        "low_star_reviews, low_star_pct from reports.rpt_customer_voice "
        "where account_id = ? and week_start = ?",
        [account, week],
    ).fetchone()


def test_week_with_new_reviews_and_a_restated_review(conn):
    # W1 stars: R1 5, R2 4 (restated from 1★; the later load wins), R3 1, R4 2
    # new_reviews 4; new_review_rating (5+4+1+2)/4 = 3.0; avg_rating 12/4 = 3.0;
    # no earlier week → change NULL; 1–2★: R3, R4 → 2 of 4 = 0.5
    assert voice(conn, W1) == (4, 3.0, 3.0, None, 2, 0.5)


def test_week_without_reviews_keeps_the_average_and_has_no_low_star_share(conn):
    # W2: nothing new → 0 reviews, rating NULL, share NULL (0 ÷ 0); avg still 12/4 = 3.0,
    # change 3.0 − 3.0 = 0.0
    assert voice(conn, W2) == (0, None, 3.0, 0.0, 0, None)


def test_rating_change_across_the_empty_week(conn):
    new_reviews, new_rating, avg, change, low, low_pct = voice(conn, W3)
    # W3 stars: R5 3, R6 2, R7 5 → 3 new, (3+2+5)/3 = 10/3; 1–2★: R6 → 1/3
    assert (new_reviews, low) == (3, 1)
    assert new_rating == pytest.approx(10 / 3) and low_pct == pytest.approx(1 / 3)
    # all reviews so far: (12 + 10) / 7 = 22/7; vs W2's 3.0 → 22/7 − 3 = 1/7
    assert avg == pytest.approx(22 / 7) and change == pytest.approx(1 / 7)


def test_no_rows_before_an_accounts_first_review(conn):
    assert voice(conn, date(2026, 9, 14)) is None


def test_asin_ratings_per_week(conn):
    rows = conn.execute(
        "select week_start, asin, title, new_reviews, avg_rating, rating_change, low_star_pct "
        "from reports.rpt_asin_ratings where account_id = 'oak-uk' and week_start <= ? "
        "order by week_start, asin",
        [W3],
    ).fetchall()
    assert [r[:4] for r in rows] == [
        (W1, "A1", "Title A1", 2),  # R1, R2
        (W1, "A2", "Title A2", 2),  # R3, R4
        (W2, "A1", "Title A1", 0),  # carried: no new reviews
        (W2, "A2", "Title A2", 0),
        (W3, "A1", "Title A1", 1),  # R5
        (W3, "A2", "Title A2", 1),  # R6
        (W3, "A3", "Title A3", 1),  # R7: A3 has no rows before its first review
    ]
    ratings = {(r[0], r[1]): r[4:] for r in rows}
    # A1: W1 (5+4)/2 = 4.5, no change yet; 1–2★ 0/2 = 0.0
    assert ratings[(W1, "A1")] == (4.5, None, 0.0)
    # A2: W1 (1+2)/2 = 1.5; W2 carried 1.5, change 0.0, share NULL (no new reviews)
    assert ratings[(W2, "A2")] == (1.5, 0.0, None)
    # A1 W3: (5+4+3)/3 = 4.0, change 4.0 − 4.5 = −0.5; A2 W3: (1+2+2)/3 = 5/3, change 5/3 − 1.5
    assert ratings[(W3, "A1")] == (4.0, -0.5, 0.0)
    a2 = ratings[(W3, "A2")]
    assert a2[0] == pytest.approx(5 / 3) and a2[1] == pytest.approx(1 / 6) and a2[2] == 1.0
    # A3 W3: 5.0, no previous week for it → change NULL
    assert ratings[(W3, "A3")] == (5.0, None, 0.0)


def words(conn, account, week=W1):
    return conn.execute(
        "select word_rank, word, review_count, low_star_reviews from reports.rpt_review_words "
        "where account_id = ? and week_start = ? order by word_rank",
        [account, week],
    ).fetchall()


def test_english_words_of_low_star_reviews(conn):
    # 1–2★ in W1: R3, R4 (R2's 1★ version was restated to 4★: "terrible", "awful" drop out).
    # R3: "broken &amp; useless the battery died after two days. don&#39;t buy this battery!"
    #   entities stripped; ≥ 3 letters, minus stop words (the, after, don, buy, this):
    #   broken useless battery died two days   (battery counted once per review)
    # R4: "battery broke stopped charging. the battery is dead "again", zipper too"
    #   minus the, again, too ("is" < 3 letters): battery broke stopped charging dead zipper
    # battery 2; the other 10 words 1 each, ties by word → broke … useless; zipper (11th)
    # falls outside the top 10
    assert words(conn, "oak-uk") == [
        (1, "battery", 2, 2),
        (2, "broke", 1, 2),
        (3, "broken", 1, 2),
        (4, "charging", 1, 2),
        (5, "days", 1, 2),
        (6, "dead", 1, 2),
        (7, "died", 1, 2),
        (8, "stopped", 1, 2),
        (9, "two", 1, 2),
        (10, "useless", 1, 2),
    ]


def test_german_stop_words_and_only_the_accounts_language(conn):
    # "die klinge ist stumpf leider nicht scharf, die klinge rostet. kein product für mich."
    # the German stop words (die ist leider nicht kein für mich) are removed; "product" is an
    # English stop word only, so it stays; klinge is counted once for the review
    assert [w[1] for w in words(conn, "messer-de")] == [
        "klinge",
        "product",
        "rostet",
        "scharf",
        "stumpf",
    ]


def one_account(tmp_path, account_id, marketplace, currency):
    """A warehouse with one account whose packs are in Chinese, on ``marketplace``."""
    import duckdb

    from assets.core.settings import load_accounts
    from assets.ingest.inbox import ensure_raw_tables
    from assets.ingest.reference import write_reference_tables

    path = tmp_path / "accounts.yaml"
    path.write_text(
        f"portfolios: [{{id: p, base_currency: {currency}}}]\n"
        f"accounts: [{{id: {account_id}, marketplace: {marketplace}, language: zh, "
        "portfolio: p}]\n",
        "utf-8",
    )
    conn = duckdb.connect()
    ensure_raw_tables(conn)
    write_reference_tables(conn, load_accounts(path))
    return conn


def test_stop_words_of_the_marketplace_language_go_too(tmp_path):
    # a Shenzhen seller on Amazon.de reads its pack in Chinese; its reviews are German, so the
    # German stop words (die ist leider nicht kein für mich) go as well: the same words stay as
    # for messer-de above
    conn = one_account(tmp_path, "shen-de", "DE", "EUR")
    _, rid, day, asin, stars, headline, body, loaded = next(r for r in REVIEWS if r[1] == "D1")
    review = {
        "period_start": day, "period_end": day, "review_id": rid, "product_id": asin,
        "product_title": "Messer", "star_rating": stars, "review_headline": headline,
        "review_body": body, "review_date": day,
    }  # fmt: skip
    insert(conn, "customer_reviews", [review], account_id="shen-de", locale="de", loaded_at=loaded)
    build_models(conn, *MODELS)
    assert [w[1] for w in words(conn, "shen-de")] == [
        "klinge",
        "product",
        "rostet",
        "scharf",
        "stumpf",
    ]


def test_japanese_words_are_kanji_and_katakana_runs(conn):
    # J1 "味が薄い 商品の香りがしない。パッケージも破損していました。返品します。"
    #   runs of ≥ 2 kanji/katakana: 商品 (stop word), パッケージ, 破損, 返品 (味 薄 香: 1 char)
    # J2 "残念 パッケージが潰れていた": 残念, パッケージ; J3 is 3★ and not counted
    # パッケージ 2 reviews; then 1 each in code-point order: 残念 (U+6B8B) 破損 (U+7834)
    # 返品 (U+8FD4)
    assert words(conn, "ocha-jp") == [
        (1, "パッケージ", 2, 2),
        (2, "残念", 1, 2),
        (3, "破損", 1, 2),
        (4, "返品", 1, 2),
    ]


def test_weekly_build_matches_the_full_build(conn):
    models = {m.table: m for m in discover()}
    full = conn.execute(
        "select * from reports.rpt_customer_voice where week_start = ? order by account_id",
        [W3],
    ).fetchall()
    build(conn, models["reports.rpt_customer_voice"], W3)
    again = conn.execute(
        "select * from reports.rpt_customer_voice where week_start = ? order by account_id",
        [W3],
    ).fetchall()
    assert again == full


def share_history(warehouse, last_week_stars):
    """8 weeks of 10 reviews each, 1 or 2 of them 1★ in turn, then a 9th week of the given
    stars; the account KPIs built."""
    first = date(2026, 7, 6)
    weeks = [[1] * low + [5] * (10 - low) for low in (1, 2) * 4] + [last_week_stars]
    rows = [
        {
            "period_start": first + timedelta(weeks=w),
            "period_end": first + timedelta(weeks=w),
            "review_id": f"R{w}-{i}",
            "product_id": "A1",
            "product_title": "Title A1",
            "star_rating": stars,
            "review_headline": "h",
            "review_body": "b",
            "review_date": first + timedelta(weeks=w),
        }
        for w, week in enumerate(weeks)
        for i, stars in enumerate(week)
    ]
    insert(warehouse, "customer_reviews", rows, account_id="oak-uk", locale="en")
    build_models(warehouse, "reports.rpt_account_kpis")
    (flag,) = warehouse.execute(
        "select flag from reports.rpt_account_kpis where account_id = 'oak-uk' "
        "and metric = 'low_star_pct' and week_start = ?",
        [first + timedelta(weeks=8)],
    ).fetchone()
    return flag


def test_a_low_star_share_of_one_review_is_not_unusual(warehouse):
    # weeks 1–8: shares 0.1 0.2 0.1 0.2 … → median 0.15, MAD 1.4826 × 0.05 = 0.0741, high
    # 0.15 + 3 × 0.0741 = 0.372. Week 9: one review, 1★ → share 1.0, but one review is fewer
    # than flag_min_reviews (5): no flag
    assert share_history(warehouse, [1]) is None


def test_a_low_star_share_of_enough_reviews_is_unusual(warehouse):
    # the same history; week 9: five reviews, all 1★ → share 1.0 > 0.372 with 5 reviews
    assert share_history(warehouse, [1] * 5) == "unusually_high"


def test_chinese_reviews_are_cut_into_words(tmp_path):
    # Chinese has no spaces: without segmentation a whole sentence would be one "word".
    # Z1 "刀很快就生锈了 这个刀很快就生锈了，质量太差，不推荐购买。包装也破损了。" cuts into
    #   刀 很快 就 生锈 了 这个 … 质量 太 差 不 推荐 购买 包装 也 破损 了; words of ≥ 2
    #   characters, minus stop words (这个 购买): 很快 生锈 质量 推荐 包装 破损
    # Z2 "包装破损 收到的时候包装破损，刀也生锈了。": 包装 破损 生锈 (收到 时候: stop words)
    # Z3 is 3★. 包装 破损 生锈 in 2 reviews (in code-point order 包 U+5305, 生 U+751F,
    # 破 U+7834), then 很快 (U+5F88) 推荐 (U+63A8) 质量 (U+8D28) in 1
    conn = one_account(tmp_path, "shen-us", "US", "USD")
    reviews = [
        ("Z1", 1, "刀很快就生锈了", "这个刀很快就生锈了，质量太差，不推荐购买。包装也破损了。"),
        ("Z2", 2, "包装破损", "收到的时候包装破损，刀也生锈了。"),
        ("Z3", 3, "一般", "包装破损，刀生锈。"),
    ]
    day = date(2026, 9, 22)
    insert(
        conn,
        "customer_reviews",
        [
            {"period_start": day, "period_end": day, "review_id": rid, "product_id": "Z",
             "product_title": "刀", "star_rating": stars, "review_headline": headline,
             "review_body": body, "review_date": day}
            for rid, stars, headline, body in reviews
        ],
        account_id="shen-us",
        locale="zh",
    )  # fmt: skip
    build_models(conn, *MODELS)
    assert words(conn, "shen-us") == [
        (1, "包装", 2, 2),
        (2, "生锈", 2, 2),
        (3, "破损", 2, 2),
        (4, "很快", 1, 2),
        (5, "推荐", 1, 2),
        (6, "质量", 1, 2),
    ]
