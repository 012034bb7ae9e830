"""A pack that changes after it was sent goes out again, marked revised, saying what changed;
a pack that did not change is never sent again."""

import email
import email.policy
import io
import json
import sys

import dagster as dg
import duckdb
import pytest

from assets.core.catalog import discover
from assets.core.partitions import RESTATED_TAG
from pipelines.cli import main
from pipelines.definitions import build_definitions
from pipelines.sensors import PACKS, inbox_sensor
from tests.conftest import WEEK, drop_all_fixtures, newer_than_cursor

pytestmark = pytest.mark.slow


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_corrected_export_sends_the_changed_packs_again_marked_revised(home, capsys, monkeypatch):
    drop_all_fixtures(home)
    assert main(["run", "--week", WEEK]) == 0
    first = {p.name for p in (home.outbox / WEEK).glob("*.eml")}
    assert len(first) == 6  # 4 seller recipients, 2 bosses
    capsys.readouterr()

    # oak-uk's business report is corrected: the large board sold £2,498.80, not £2,398.80
    report = home.inbox / "oak-uk" / WEEK / "uk_business_report.csv"
    report.write_text(
        report.read_text("utf-8-sig").replace('"£2,398.80"', '"£2,498.80"'), "utf-8-sig"
    )
    terminal = Terminal()
    with monkeypatch.context() as patch:  # on a terminal, long stages draw a bar
        patch.setattr(sys, "stdout", terminal)
        assert main(["run", "--week", WEEK]) == 0
    out = terminal.getvalue()
    assert f"\r  models     [{'#' * 30}] {len(discover())}/{len(discover())}" in out
    assert f"\r  packs      [{'#' * 30}] 3/3" in out
    assert "\r\x1b[K  packs      3 packs made" in out  # the bar gives way to the stage's line
    # oak-uk's two recipients and the EU boss (its revenue changed); the others as they were
    assert "mail: 3 sent, 3 of them revised, 3 already sent" in out
    revised = sorted(p.name for p in (home.outbox / WEEK).glob("*.eml") if p.name not in first)
    assert [name.split("--")[0] for name in revised] == ["oak-uk", "oak-uk", "portfolio-eu"]
    assert all(name.endswith("--r1.eml") for name in revised)

    message = email.message_from_bytes(
        (home.outbox / WEEK / revised[0]).read_bytes(), policy=email.policy.default
    )
    assert message["Subject"].startswith("Revised: Weekly seller report · Oak & Co <UK>")
    body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    intro, changed, *_ = body.split("\n\n")
    assert intro.startswith("This report replaces the one sent on")
    # the headline figures that changed, before → after: revenue 2,398.80 + 519.60 = 2,918.40
    # → 3,018.40; units ordered did not change
    assert changed.splitlines()[0].startswith("before: Revenue: £2,918.40")
    assert changed.splitlines()[1].startswith("now:    Revenue: £3,018.40")
    assert "Units ordered" not in changed

    with duckdb.connect(str(home.warehouse), read_only=True) as conn:
        rows = conn.execute(
            "select pack, revision from delivery.ledger where status = 'sent' order by all"
        ).fetchall()
    assert [r for r in rows if r[1]] == [("oak-uk", 1), ("oak-uk", 1), ("portfolio-eu", 1)]

    # nothing changed since: nothing would go
    assert main(["send", "--week", WEEK, "--dry-run"]) == 0
    planned = capsys.readouterr().out.splitlines()
    assert planned[-1] == f"week {WEEK}: 6 already sent (dry run: nothing was sent)"
    assert main(["status", "--week", WEEK, "--json"]) == 0
    status = {p["pack"]: p for p in json.loads(capsys.readouterr().out)["packs"]}
    assert set(status["oak-uk"]["deliveries"].values()) == {"revised"}
    assert set(status["messer-de"]["deliveries"].values()) == {"sent"}

    # the inbox sensor's run for a restatement: oak-uk's report is corrected once more, to
    # £2,598.80; only its pack and the EU boss pack are made again, and both go out again
    instance = dg.DagsterInstance.ephemeral()
    instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=PACKS, partition=WEEK))
    seen = dg.build_sensor_context(instance=instance)
    list(inbox_sensor(seen))
    report.write_text(
        report.read_text("utf-8-sig").replace('"£2,498.80"', '"£2,598.80"'), "utf-8-sig"
    )
    newer_than_cursor(report, seen.cursor)
    (request,) = inbox_sensor(dg.build_sensor_context(cursor=seen.cursor, instance=instance))
    assert (request.partition_key, request.tags) == (WEEK, {RESTATED_TAG: "oak-uk"})

    def others() -> dict[str, int]:
        """The week's other PDFs and when they were written."""
        return {
            p.name: p.stat().st_mtime_ns
            for p in (home.reports / WEEK).glob("*.pdf")
            if not p.name.startswith(("oak-uk", "portfolio-eu"))
        }

    untouched = others()
    assert sorted(untouched) == ["messer-de.de.pdf", "ocha-jp.ja.pdf", "portfolio-apac.pdf"]
    result = (
        build_definitions(home.home)
        .resolve_job_def(request.job_name)
        .execute_in_process(partition_key=WEEK, tags=request.tags, instance=instance)
    )
    made = {
        event.asset_key.to_user_string(): event.materialization.metadata
        for event in result.get_asset_materialization_events()
    }
    assert made["packs/seller_packs"]["written"].value == ["oak-uk.en.pdf"]
    assert made["packs/portfolio_packs"]["written"].value == ["portfolio-eu.pdf"]
    assert others() == untouched
    mail = {k: made["delivery/pack_emails"][k].value for k in ("sent", "revised", "already_sent")}
    assert mail == {"sent": 3, "revised": 3, "already_sent": 0}
    second = sorted(p.name.split("--")[0] for p in (home.outbox / WEEK).glob("*--r2.eml"))
    assert second == ["oak-uk", "oak-uk", "portfolio-eu"]
