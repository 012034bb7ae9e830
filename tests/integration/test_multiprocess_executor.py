"""The weekly run on Dagster's multiprocess executor (docs/scaling.md): the pack shards are
steps of their own, in processes of their own, reading the warehouse read-only. The run makes
the same PDFs and the same deliveries as the default in-process run of the same data."""

import shutil
from email import message_from_bytes, policy

import dagster as dg
import duckdb
import pypdf
import pytest

from assets.core.settings import PROJECT_ROOT, Paths, load_accounts
from assets.ingest.inbox import ingest_inbox
from demo import DemoScale, write_demo
from pipelines.cli import main
from pipelines.definitions import build_definitions
from tests.conftest import Inbox

pytestmark = pytest.mark.slow

# the demo's first three accounts in shards of two: two shards, the last one short
SHARDS = {"ops": {"packs__seller_packs": {"ops": {"plan_pack_shards": {"config": {
    "packs_per_shard": 2
}}}}}}  # fmt: skip


def pdfs(paths: Paths, week: str) -> dict[str, tuple[str, ...]]:
    """Every PDF of the week: its name and each page's text."""
    return {
        pdf.name: tuple(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
        for pdf in sorted((paths.reports / week).glob("*.pdf"))
    }


def ledger(paths: Paths) -> list[tuple]:
    with duckdb.connect(str(paths.warehouse), read_only=True) as conn:
        return conn.execute(
            "select week_start, pack, recipient, pack_sha256, status, attempts, revision "
            "from delivery.ledger order by all"
        ).fetchall()


def mails(inbox: Inbox) -> list[tuple[str, str, str]]:
    """Each message received: recipient, subject, attachment name."""
    found = []
    for recipients, raw in inbox.messages:
        message = message_from_bytes(raw, policy=policy.default)
        (attachment,) = message.iter_attachments()
        found += [(r, message["Subject"], attachment.get_filename()) for r in recipients]
    return sorted(found)


def test_the_multiprocess_executor_makes_the_same_packs_and_deliveries(
    tmp_path, monkeypatch, start_smtp, capsys
):
    manifest = write_demo(tmp_path / "in-process", DemoScale(accounts=2, asins=2, weeks=1))
    week = manifest.weeks[-1].isoformat()
    in_process = Paths(tmp_path / "in-process").ensure()
    with duckdb.connect(str(in_process.warehouse)) as conn:
        ingest_inbox(conn, in_process, load_accounts(in_process.accounts_file))
    # the same inbox and warehouse, before either run
    shutil.copytree(in_process.home, tmp_path / "multiprocess")
    multiprocess = Paths(tmp_path / "multiprocess").ensure()
    monkeypatch.setenv("SELLERPULSE_SMTP_STARTTLS", "0")
    monkeypatch.setenv("SELLERPULSE_SMTP_HOST", "127.0.0.1")

    first = Inbox()
    monkeypatch.setenv("SELLERPULSE_SMTP_PORT", str(start_smtp(first).port))
    result = (
        build_definitions(in_process.home)
        .resolve_job_def("weekly_job")
        .execute_in_process(
            partition_key=week, instance=dg.DagsterInstance.ephemeral(), run_config=SHARDS
        )
    )
    assert result.success

    # the same week from the command line, as documented: the executor named in the
    # environment, a persistent instance (steps hand their outputs over through it): the
    # project's, whose event log each step process opens for itself (pipelines/event_log.py)
    second = Inbox()
    monkeypatch.setenv("SELLERPULSE_SMTP_PORT", str(start_smtp(second).port))
    monkeypatch.setenv("SELLERPULSE_EXECUTOR", "multiprocess")
    monkeypatch.setenv("SELLERPULSE_PACKS_PER_SHARD", "1")
    monkeypatch.setenv("SELLERPULSE_HOME", str(multiprocess.home))
    (tmp_path / "dagster").mkdir()
    shutil.copy(PROJECT_ROOT / "dagster.yaml", tmp_path / "dagster")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    assert main(["run", "--week", week]) == 0, capsys.readouterr().err
    with dg.DagsterInstance.get() as instance:
        (run,) = instance.get_runs()
        starts = [
            e.dagster_event
            for e in instance.all_logs(run.run_id)
            if e.dagster_event and e.dagster_event.event_type_value == "STEP_START"
        ]
    steps = {e.step_key for e in starts}
    processes = {e.pid for e in starts}

    # the shards were steps of their own, each in a process of its own
    shards = sorted(s for s in steps if ".render_pack_shard[" in s)
    assert shards == [f"packs__seller_packs.render_pack_shard[shard_00{n}]" for n in range(2)]
    assert len(processes) > len(shards)
    # the same PDFs, page for page, and the same mail to the same people
    made = pdfs(in_process, week)
    assert len(made) == 2 + 1  # two accounts, their portfolio
    assert pdfs(multiprocess, week) == made
    assert ledger(multiprocess) == ledger(in_process)
    assert len(ledger(in_process)) == len(mails(first)) > len(made)
    assert mails(second) == mails(first)
