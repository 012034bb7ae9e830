"""The inbox → raw layer: every row loaded or rejected, originals kept, nothing twice."""

from datetime import date

from assets.ingest.inbox import ingest_inbox
from tests.conftest import EXPORTS, WEEK, drop, drop_all_fixtures


def log_rows(conn):
    return conn.execute(
        "select source_file, kind, locale, account_id, week_start::varchar, rows_read, "
        "rows_loaded, rows_rejected, status from raw.ingest_log order by source_file"
    ).fetchall()


def test_every_file_logged_with_rows_read_equal_loaded_plus_rejected(conn, home, accounts):
    drop_all_fixtures(home)
    results = ingest_inbox(conn, home, accounts)
    assert sorted(r.status for r in results) == ["loaded", "loaded", "loaded_with_rejects"]
    assert log_rows(conn) == [
        (
            f"messer-de/{WEEK}/de_business_report.csv",
            "business_report_child_item",
            "de-DE",
            "messer-de",
            WEEK,
            2,
            2,
            0,
            "loaded",
        ),
        (
            f"oak-uk/{WEEK}/uk_business_report.csv",
            "business_report_child_item",
            "en-GB",
            "oak-uk",
            WEEK,
            3,
            2,
            1,
            "loaded_with_rejects",
        ),
        (
            f"ocha-jp/{WEEK}/ja_business_report.csv",
            "business_report_child_item",
            "ja-JP",
            "ocha-jp",
            WEEK,
            2,
            2,
            0,
            "loaded",
        ),
    ]
    assert conn.execute("select count(*) from raw.business_report_child_items").fetchone() == (6,)
    assert conn.execute(
        "select source_file, line, column_name, value from raw.rejects"
    ).fetchall() == [(f"oak-uk/{WEEK}/uk_business_report.csv", 4, "sessions", "12x")]


def test_originals_are_archived_by_content(conn, home, accounts):
    original = drop(home, "de_business_report.csv", "messer-de")
    ingest_inbox(conn, home, accounts)
    (archived,) = conn.execute("select archived_as from raw.ingest_log").fetchone()
    assert (home.home / archived).read_bytes() == original.read_bytes()


def test_same_file_again_even_renamed_changes_nothing(conn, home, accounts):
    drop_all_fixtures(home)
    ingest_inbox(conn, home, accounts)
    before = (
        log_rows(conn),
        conn.execute("select * from raw.business_report_child_items order by all").fetchall(),
    )
    drop(home, "de_business_report.csv", "messer-de", name="BusinessReport (1).csv")
    results = ingest_inbox(conn, home, accounts)
    assert {r.status for r in results} == {"duplicate"}
    after = (
        log_rows(conn),
        conn.execute("select * from raw.business_report_child_items order by all").fetchall(),
    )
    assert after == before


def test_corrected_export_replaces_the_earlier_one_and_says_so(conn, home, accounts, tmp_path):
    drop(home, "de_business_report.csv", "messer-de")
    ingest_inbox(conn, home, accounts)
    restated = home.inbox / "messer-de" / WEEK / "restated.csv"
    text = (home.inbox / "messer-de" / WEEK / "de_business_report.csv").read_text("utf-8-sig")
    restated.write_text(text.replace('"5.255,61 €"', '"5.000,00 €"'), "utf-8-sig")
    results = ingest_inbox(conn, home, accounts)
    (replaced,) = [r for r in results if r.status == "replaced"]
    assert "replaces messer-de/2026-11-16/de_business_report.csv" in replaced.message
    total = conn.execute("select sum(revenue)::varchar from raw.business_report_child_items")
    assert total.fetchone() == ("6199.40",)  # 5000.00 + 1199.40, the old rows are gone
    statuses = dict(conn.execute("select source_file, status from raw.ingest_log").fetchall())
    assert statuses[f"messer-de/{WEEK}/de_business_report.csv"] == "superseded"


def test_bad_placement_gets_a_message_and_the_rest_goes_on(conn, home, accounts):
    drop(home, "uk_business_report.csv", "unknown-shop")
    drop(home, "ja_business_report.csv", "oak-uk", week=None, name="loose.csv")
    text = (drop(home, "de_business_report.csv", "messer-de")).read_text("utf-8-sig")
    wednesday = home.inbox / "oak-uk" / "2026-11-18" / "wednesday.csv"
    wednesday.parent.mkdir(parents=True)
    wednesday.write_text(text.replace("5.255,61", "5.255,62"), "utf-8-sig")
    results = {r.source_file: r for r in ingest_inbox(conn, home, accounts)}
    assert (
        "not a configured account" in results[f"unknown-shop/{WEEK}/uk_business_report.csv"].message
    )
    assert "move it to inbox/oak-uk/<week start YYYY-MM-DD>/" in results["oak-uk/loose.csv"].message
    assert "Wednesday" in results["oak-uk/2026-11-18/wednesday.csv"].message
    assert results[f"messer-de/{WEEK}/de_business_report.csv"].status == "loaded"
    failed = conn.execute(
        "select count(*) from raw.ingest_log where status = 'failed' and rows_read = 0"
    ).fetchone()
    assert failed == (3,)
    assert conn.execute("select count(*) from raw.rejects where line is null").fetchone() == (3,)


def test_a_failed_file_moved_to_the_right_place_is_loaded(conn, home, accounts):
    loose = drop(home, "uk_business_report.csv", "oak-uk", week=None, name="loose.csv")
    assert [r.status for r in ingest_inbox(conn, home, accounts)] == ["failed"]
    assert [r.status for r in ingest_inbox(conn, home, accounts)] == ["failed"]  # no new rows
    assert conn.execute("select count(*) from raw.ingest_log").fetchone() == (1,)
    moved = home.inbox / "oak-uk" / WEEK / "loose.csv"
    moved.parent.mkdir(parents=True)
    loose.rename(moved)
    assert [r.status for r in ingest_inbox(conn, home, accounts)] == ["loaded_with_rejects"]
    assert conn.execute("select status, rows_read from raw.ingest_log").fetchall() == [
        ("loaded_with_rejects", 3)
    ]
    assert conn.execute("select count(*) from raw.rejects where line is null").fetchone() == (0,)


def test_truncated_file_fails_alone(conn, home, accounts):
    path = drop(home, "uk_business_report.csv", "oak-uk")
    path.write_bytes(path.read_bytes()[:-60].rstrip(b"\n") + b',"unterminated')
    drop(home, "ja_business_report.csv", "ocha-jp")
    results = {
        r.account_id or r.source_file.split("/")[0]: r for r in ingest_inbox(conn, home, accounts)
    }
    assert results["ocha-jp"].status == "loaded"
    uk = results["oak-uk"]
    assert uk.rows_read == uk.rows_loaded + uk.rows_rejected


def weeks_of(home, fixture, account, weeks, change=lambda text, week: text):
    """Copies of one export in several week folders, each with its own bytes."""
    text = (EXPORTS / fixture).read_text("utf-8-sig")
    paths = []
    for week in weeks:
        path = home.inbox / account / week / fixture
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(change(text.replace("Large", f"Large {week}"), week), "utf-8-sig")
        paths.append(path)
    return paths


def test_files_of_one_layout_are_parsed_together_each_with_its_own_lines(conn, home, accounts):
    weeks = ["2026-11-02", "2026-11-09", "2026-11-16"]
    weeks_of(home, "uk_business_report.csv", "oak-uk", weeks)
    results = ingest_inbox(conn, home, accounts)
    # each copy: 3 rows read, the "12x" row rejected at line 4 of its own file
    assert [(r.status, r.rows_read, r.rows_loaded) for r in results] == [
        ("loaded_with_rejects", 3, 2)
    ] * 3
    assert conn.execute(
        "select source_file, line, value from raw.rejects order by source_file"
    ).fetchall() == [(f"oak-uk/{w}/uk_business_report.csv", 4, "12x") for w in weeks]
    assert conn.execute(
        "select period_start::varchar, source_line, title from raw.business_report_child_items "
        "where sku = 'OAK-L' order by period_start"
    ).fetchall() == [(w, 2, f"Oak Chopping Board, Large {w}") for w in weeks]


def test_one_layout_from_three_marketplaces_is_parsed_once_each_with_its_locale(
    conn, home, accounts, caplog
):
    """An English business report in the UK, German and Japanese stores reads alike (day
    first, numbers as in English): one parse, and each file keeps its own marketplace."""
    for account in ("oak-uk", "messer-de", "ocha-jp"):
        path = drop(home, "uk_business_report.csv", account)
        text = path.read_text("utf-8-sig")
        path.write_text(text.replace("Oak Chopping Board", f"Board of {account}"), "utf-8")
    with caplog.at_level("DEBUG", logger="assets.ingest.inbox"):
        results = ingest_inbox(conn, home, accounts)
    assert [(r.status, r.rows_read, r.rows_loaded) for r in results] == [
        ("loaded_with_rejects", 3, 2)
    ] * 3
    parses = [r.getMessage() for r in caplog.records if r.getMessage().startswith("parsing ")]
    assert len(parses) == 1 and parses[0].endswith("and 2 more of its layout")
    assert [(row[0].split("/")[0], row[2]) for row in log_rows(conn)] == [
        ("messer-de", "en-DE"),
        ("oak-uk", "en-GB"),
        ("ocha-jp", "en-JP"),
    ]
    assert conn.execute(
        "select account_id, locale, title from raw.business_report_child_items "
        "where sku = 'OAK-L' order by account_id"
    ).fetchall() == [
        (a, locale, f"Board of {a}, Large")
        for a, locale in (("messer-de", "en-DE"), ("oak-uk", "en-GB"), ("ocha-jp", "en-JP"))
    ]


def test_a_damaged_file_among_its_batch_fails_or_rejects_alone(conn, home, accounts):
    def damage(text, week):
        return text[:-60] + ',"unterminated' if week == "2026-11-09" else text

    weeks_of(home, "uk_business_report.csv", "oak-uk", ["2026-11-02", "2026-11-09"], damage)
    first, damaged = ingest_inbox(conn, home, accounts)
    assert (first.status, first.rows_read, first.rows_loaded) == ("loaded_with_rejects", 3, 2)
    assert damaged.rows_read == damaged.rows_loaded + damaged.rows_rejected
    assert "2026-11-02" not in damaged.message


def test_two_exports_of_one_week_in_one_run_the_later_replaces_the_earlier(conn, home, accounts):
    path = drop(home, "de_business_report.csv", "messer-de")
    text = path.read_text("utf-8-sig")
    (path.parent / "restated.csv").write_text(text.replace('"5.255,61 €"', '"5.000,00 €"'))
    (path.parent / "z-copy.csv").write_bytes(path.read_bytes())
    statuses = [
        (r.source_file.rsplit("/", 1)[1], r.status) for r in ingest_inbox(conn, home, accounts)
    ]
    assert statuses == [
        ("de_business_report.csv", "loaded"),
        ("restated.csv", "replaced"),
        ("z-copy.csv", "duplicate"),
    ]
    total = conn.execute("select sum(revenue)::varchar from raw.business_report_child_items")
    assert total.fetchone() == ("6199.40",)  # 5000.00 + 1199.40


def test_a_loose_export_with_no_readable_date_is_told_where_to_go(conn, home, accounts):
    text = (EXPORTS / "in_sp_search_term.csv").read_text("utf-8-sig")
    loose = home.inbox / "oak-uk" / "undated.csv"
    loose.parent.mkdir(parents=True, exist_ok=True)
    loose.write_text(text.replace('"Nov 16, 2026"', "soon").replace('"Nov 17, 2026"', "later"))
    (result,) = ingest_inbox(conn, home, accounts)
    assert result.status == "failed"
    assert "move it to inbox/oak-uk/<week start YYYY-MM-DD>/" in result.message


def test_a_weekly_run_reads_its_week_folder_and_loose_files_only(conn, home, accounts):
    drop(home, "uk_business_report.csv", "oak-uk")
    drop(home, "de_business_report.csv", "messer-de", week="2026-11-09")
    drop(home, "ja_business_report.csv", "ocha-jp", week=None, name="loose.csv")
    (home.inbox / "ocha-jp" / ".DS_Store").write_text("finder")
    week = date.fromisoformat(WEEK)
    first = {r.source_file: r.status for r in ingest_inbox(conn, home, accounts, week)}
    # a loose business report has no dates of its own, so it fails and says where to go
    assert first == {
        f"oak-uk/{WEEK}/uk_business_report.csv": "loaded_with_rejects",
        "ocha-jp/loose.csv": "failed",
    }
    again = {r.source_file: r.status for r in ingest_inbox(conn, home, accounts, week)}
    assert again == {
        f"oak-uk/{WEEK}/uk_business_report.csv": "duplicate",
        "ocha-jp/loose.csv": "failed",
    }
    # the earlier week's folder was left for its own run
    everything = {r.source_file: r.status for r in ingest_inbox(conn, home, accounts)}
    assert everything["messer-de/2026-11-09/de_business_report.csv"] == "loaded"
    assert len(everything) == 3


def test_a_summary_ads_report_spans_its_end_dates_and_rejects_an_end_before_its_start(
    conn, home, accounts
):
    path = home.inbox / "oak-uk" / "summary.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "Start Date,End Date,Campaign Name,Ad Group Name,Targeting,Match Type,"
        "Customer Search Term,Impressions,Clicks,Spend,7 Day Total Sales ,7 Day Total Orders (#)\n"
        "09/11/2026,22/11/2026,Auto,AG,*,BROAD,oak board,140,14,£14.00,£28.00,2\n"
        "09/11/2026,22/11/2026,Auto,AG,*,BROAD,oak tray,70,7,£7.00,£0.00,0\n"
        "22/11/2026,09/11/2026,Auto,AG,*,BROAD,oak bowl,10,1,£1.00,£0.00,0\n",
        "utf-8",
    )
    (result,) = ingest_inbox(conn, home, accounts)
    assert (result.status, result.rows_loaded, result.rows_rejected) == (
        "loaded_with_rejects",
        2,
        1,
    )
    # the period runs from the first Start Date to the last End Date, not to the last start
    assert conn.execute(
        "select period_start::varchar, period_end::varchar from raw.ingest_log"
    ).fetchone() == ("2026-11-09", "2026-11-22")
    assert conn.execute("select line, column_name, reason from raw.rejects").fetchall() == [
        (4, "end_date", "'End Date' is before 'Start Date'; a row's period must end on or after "
         "its start")
    ]  # fmt: skip
