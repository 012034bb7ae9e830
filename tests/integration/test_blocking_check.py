"""Critical check failures hold the packs of the accounts they name, and only those."""

import json

import dagster as dg
import duckdb
import pypdf

from assets.core.partitions import HELD_TAG
from pipelines.cli import main
from pipelines.definitions import build_definitions
from tests.conftest import WEEK, drop, drop_all_fixtures


def run_week(home, instance: dg.DagsterInstance):
    job = build_definitions(home.home).resolve_job_def("weekly_job")
    return job.execute_in_process(partition_key=WEEK, instance=instance, raise_on_error=False)


def test_negative_revenue_holds_that_accounts_pack_only(home):
    drop_all_fixtures(home)
    path = home.inbox / "oak-uk" / WEEK / "uk_business_report.csv"
    path.write_text(path.read_text("utf-8-sig").replace('"£2,398.80"', '"-£2,398.80"'), "utf-8-sig")
    instance = dg.DagsterInstance.ephemeral()
    result = run_week(home, instance)
    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    gx = checks["gx_rpt_headline_kpis"]
    assert not gx.passed and gx.severity == dg.AssetCheckSeverity.WARN  # held, not global
    assert gx.metadata["held_accounts"].value == "oak-uk"
    # the run is tagged with the held packs, so the UI's run list does not show a plain success
    assert instance.get_run_by_id(result.run_id).tags[HELD_TAG] == "oak-uk"
    packs = sorted(p.name for p in (home.reports / WEEK).glob("*.pdf"))
    assert packs == ["messer-de.de.pdf", "ocha-jp.ja.pdf", "portfolio-apac.pdf", "portfolio-eu.pdf"]
    sent = sorted(p.name.split("--")[0] for p in (home.outbox / WEEK).glob("*.eml"))
    assert sent == ["messer-de", "ocha-jp", "portfolio-apac", "portfolio-eu"]
    # the boss sees the held account first, with the reason
    boss = " ".join(
        pypdf.PdfReader(home.reports / WEEK / "portfolio-eu.pdf").pages[0].extract_text().split()
    )
    assert "Packs held this week" in boss and "Oak & Co <UK>" in boss
    assert boss.index("Oak & Co <UK>") < boss.index("Messerwerk DE")
    assert "gx_rpt_headline_kpis" in boss and "held" in boss
    with duckdb.connect(str(home.warehouse)) as conn:
        held = conn.execute("select account_id, check_name, reason from checks.holds").fetchall()
    ((account, check, reason),) = held
    assert (account, check) == ("oak-uk", "gx_rpt_headline_kpis")
    assert "expect_column_values_to_be_between(revenue_amount" in reason and "-1879.2" in reason


def test_missing_business_reports_hold_every_pack_and_the_run_says_so(home, capsys):
    # exports only for an earlier week: this week every account lacks its business report
    drop(home, "de_business_report.csv", "messer-de", week="2026-11-09")
    assert main(["run", "--week", WEEK]) == 1
    out, err = capsys.readouterr()
    # one short line per stage, no Dagster log; one line for the week without data
    assert "  models " in out and "  packs      0 packs made, 3 held" in out
    assert " - dagster - " not in out + err
    assert err.splitlines()[0] == (
        "problem: no exports loaded for this week for any account: put them in "
        "inbox/<account>/<week>/ (or ingest a folder with `sellerpulse ingest`) and run again"
    )
    with duckdb.connect(str(home.warehouse), read_only=True) as conn:
        held = conn.execute(
            "select string_agg(distinct account_id, ', ' order by account_id) from checks.holds "
            "where check_name = 'exports_complete'"
        ).fetchone()[0]
    assert held == "messer-de, oak-uk, ocha-jp"
    # no seller pack; the bosses still get their portfolio pack listing every held account
    assert sorted(p.name for p in (home.reports / WEEK).glob("*.pdf")) == [
        "portfolio-apac.pdf",
        "portfolio-eu.pdf",
    ]
    boss = pypdf.PdfReader(home.reports / WEEK / "portfolio-eu.pdf").pages[0].extract_text()
    assert "no business_report_child_item export for this week" in " ".join(boss.split())
    # the status says the same per account, also as JSON
    assert main(["status", "--week", WEEK, "--json"]) == 0
    status = {p["pack"]: p for p in json.loads(capsys.readouterr().out)["packs"]}
    assert status["oak-uk"]["problems"] == ["no data", "held"]
    assert status["oak-uk"]["held"] == [
        "exports_complete: no business_report_child_item export for this week"
    ]
    assert status["portfolio-eu"]["deliveries"] == {"lead@agency.example": "sent"}
    assert status["portfolio-eu"]["pages"] == 1 and status["portfolio-eu"]["problems"] == []
