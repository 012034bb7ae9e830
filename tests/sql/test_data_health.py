"""reports.rpt_data_health: what each pack's numbers rest on, from raw.ingest_log."""

from datetime import date

from tests.sql.rows import build_models, fetch

W2 = date(2026, 11, 16)


def test_files_rows_and_data_through_per_report_kind(warehouse):
    log = (
        "insert into raw.ingest_log (file_hash, source_file, kind, account_id, week_start, "
        "period_end, rows_read, rows_loaded, rows_rejected, status, message, loaded_at) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())"
    )
    folder = "oak-uk/2026-11-16/"
    for row in [
        # the first export of the week was replaced by a corrected one
        (
            "h1",
            folder + "br.csv",
            "business_report_child_item",
            "oak-uk",
            W2,
            "2026-11-22",
            3,
            3,
            0,
            "superseded",
            "replaced by br2.csv",
        ),
        (
            "h2",
            folder + "br2.csv",
            "business_report_child_item",
            "oak-uk",
            W2,
            "2026-11-22",
            3,
            2,
            1,
            "loaded_with_rejects",
            "1 rows rejected",
        ),
        # ads exports end a day early: the data is through Saturday
        (
            "h3",
            folder + "st.csv",
            "sp_search_term",
            "oak-uk",
            W2,
            "2026-11-21",
            10,
            10,
            0,
            "loaded",
            "",
        ),
        # a file that could not be read has no kind or account of its own, only its folder
        (
            "h4",
            folder + "odd.csv",
            None,
            None,
            None,
            None,
            0,
            0,
            0,
            "failed",
            "odd.csv: header not recognised",
        ),
    ]:
        warehouse.execute(log, list(row))
    build_models(warehouse, "reports.rpt_data_health")
    rows = fetch(
        warehouse,
        "select kind, files_loaded, files_failed, files_superseded, rows_read, rows_loaded, "
        "rows_rejected, data_through_date, failure_messages from reports.rpt_data_health "
        "where account_id = 'oak-uk' and week_start = ? order by kind",
        W2,
    )
    # the superseded file's rows do not count; the failed file is listed as unreadable
    assert rows == [
        {"kind": "business_report_child_item", "files_loaded": 1, "files_failed": 0,
         "files_superseded": 1, "rows_read": 3, "rows_loaded": 2, "rows_rejected": 1,
         "data_through_date": date(2026, 11, 22), "failure_messages": None},
        {"kind": "sp_search_term", "files_loaded": 1, "files_failed": 0, "files_superseded": 0,
         "rows_read": 10, "rows_loaded": 10, "rows_rejected": 0,
         "data_through_date": date(2026, 11, 21), "failure_messages": None},
        {"kind": "unreadable", "files_loaded": 0, "files_failed": 1, "files_superseded": 0,
         "rows_read": 0, "rows_loaded": 0, "rows_rejected": 0, "data_through_date": None,
         "failure_messages": "odd.csv: header not recognised"},
    ]  # fmt: skip


def test_every_pack_section_query_runs_before_any_check_has(warehouse, accounts, tmp_path):
    from assets.core.catalog import discover
    from assets.reports.packs import seller_pack_job

    build_models(warehouse, *(m.table for m in discover()))
    job = seller_pack_job(warehouse, accounts.get("oak-uk"), W2, tmp_path)
    # nothing ingested: every section is empty, and no check has run yet
    assert job.context["headline"] is None and job.context["actions"] == []
    assert job.context["checks"] == {"checks": 0, "failed": 0}
    assert job.context["check_failures"] == []


def test_packs_built_together_each_hold_only_their_accounts_rows(warehouse, accounts, tmp_path):
    from assets.core.catalog import discover
    from assets.reports.packs import seller_pack_jobs
    from tests.sql.rows import insert

    for account, revenue in (("oak-uk", 100), ("messer-de", 200)):
        insert(
            warehouse,
            "business_report_child_items",
            [{"week_start": week, "child_asin": f"{account}-A", "sessions": 10, "page_views": 10,
              "units": 1, "order_items": 1, "revenue": revenue * factor}
             for week, factor in ((date(2026, 11, 9), 1), (W2, 2))],
            account_id=account,
        )  # fmt: skip
        # nine of its ASINs are out of stock: the pack lists the 8 best sellers of each account
        insert(
            warehouse,
            "business_report_child_items",
            [{"week_start": W2, "child_asin": f"{account}-{n}", "sessions": 1, "page_views": 1,
              "units": 1, "order_items": 1, "revenue": n} for n in range(1, 10)],
            account_id=account,
        )  # fmt: skip
        insert(
            warehouse,
            "fba_inventory",
            [{"week_start": W2, "sku": f"s{n}", "asin": f"{account}-{n}",
              "afn_fulfillable_quantity": 0} for n in range(1, 10)],
            account_id=account,
        )  # fmt: skip
    build_models(warehouse, *(m.table for m in discover()))
    jobs = seller_pack_jobs(
        warehouse, [accounts.get("oak-uk"), accounts.get("messer-de")], W2, tmp_path
    )
    for job, account, revenue in zip(jobs, ("oak-uk", "messer-de"), (200, 400), strict=True):
        context = job.context
        assert context["headline"]["account_id"] == account
        assert float(context["headline"]["revenue_amount"]) == revenue + 45  # + 1 + 2 … + 9
        assert {m["child_asin"] for m in context["movers"]} <= {
            f"{account}-{n}" for n in "A123456789"
        }
        # every ASIN out of stock, biggest revenue first (the list has no cap)
        assert [r["asin"] for r in context["replenish"]] == [
            f"{account}-{n}" for n in range(9, 0, -1)
        ]
        # A doubled: 100 → 200 and 200 → 400; the sparkline holds both weeks
        assert context["trends"]["revenue"][-2:] == [revenue / 2, revenue + 45]
