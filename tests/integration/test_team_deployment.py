"""A team's deployment (docs/team-deployment.md): the Dagster instance on a real PostgreSQL
server, started here from the Debian packages the Makefile installs (no network)."""

import os
import shutil
import subprocess
import tempfile
from email import message_from_bytes, policy
from pathlib import Path

import dagster as dg
import psycopg2
import pytest

from demo import DemoScale, write_demo
from pipelines.cli import main
from pipelines.definitions import build_definitions
from tests.conftest import free_port
from tests.integration.test_definitions import written_outside_the_assets

pytestmark = pytest.mark.slow

TEAM_CONFIG = Path(__file__).parents[2] / "docs" / "team" / "dagster.yaml"
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its tools as the packages' postgres
    user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="module")
def postgres():
    """A throwaway PostgreSQL server on loopback with a database for the Dagster instance."""
    if PG_BIN is None:
        pytest.fail("no PostgreSQL server: `make install` installs it (Makefile SYSTEM_PACKAGES)")
    data = Path(tempfile.mkdtemp(prefix="sellerpulse-pg-"))
    os.chmod(data, 0o777)  # the postgres user's, when the tests run as root
    cluster = data / "cluster"
    port = free_port()
    run = lambda *cmd: subprocess.run(_as_server_user([*cmd]), check=True, capture_output=True)  # noqa: E731
    run(str(PG_BIN / "initdb"), "-D", str(cluster), "-U", "dagster", "--auth=trust", "-E", "UTF8")
    run(
        str(PG_BIN / "pg_ctl"), "-D", str(cluster), "-l", str(data / "server.log"), "-w",
        "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1", "start",
    )  # fmt: skip
    try:
        run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "dagster", "runs")
        yield {"host": "127.0.0.1", "port": port, "user": "dagster", "db": "runs"}
    finally:
        run(str(PG_BIN / "pg_ctl"), "-D", str(cluster), "-m", "fast", "-w", "stop")
        shutil.rmtree(data, ignore_errors=True)


def test_the_weekly_job_runs_on_the_team_instance_and_mails_over_smtp(
    postgres, home, smtp_server, monkeypatch, capsys
):
    """A team's weekly run of the demo: the instance in PostgreSQL, the queue's tag on the
    run, the packs sent over SMTP (the settings in the environment become the smtp
    resource), each recipient once; every table the run wrote is a declared asset."""
    dagster_home = home.home / "team"
    dagster_home.mkdir()
    shutil.copy(TEAM_CONFIG, dagster_home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(dagster_home))
    monkeypatch.setenv(
        "SELLERPULSE_PG_URL",
        f"postgresql+psycopg2://dagster@{postgres['host']}:{postgres['port']}/{postgres['db']}",
    )
    controller, mailbox = smtp_server
    monkeypatch.setenv("SELLERPULSE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SELLERPULSE_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("SELLERPULSE_SMTP_STARTTLS", "0")
    # the demo, small: one account, two weeks, every export family
    manifest = write_demo(home.home, DemoScale(accounts=1, asins=3, weeks=2))
    week = manifest.weeks[-1].isoformat()
    assert main(["ingest"]) == 0, capsys.readouterr().err
    assert main(["run", "--week", week]) == 0, capsys.readouterr().err

    instance = dg.DagsterInstance.get()
    assert type(instance.run_storage).__name__ == "PostgresRunStorage"
    runs = {r.job_name: r for r in instance.get_runs()}
    assert set(runs) == {"ingest_job", "weekly_job"}
    run = runs["weekly_job"]
    assert run.status == dg.DagsterRunStatus.SUCCESS
    assert run.tags["dagster/partition"] == week
    assert run.tags["sellerpulse/warehouse"] == "writer"  # what the queue limits
    # the run and its events are rows in PostgreSQL, where the webserver and daemon read them
    with psycopg2.connect(
        host=postgres["host"], port=postgres["port"], user="dagster", dbname="runs"
    ) as conn, conn.cursor() as cursor:  # fmt: skip
        cursor.execute("select count(*) from runs where pipeline_name = 'weekly_job'")
        assert cursor.fetchone() == (1,)
        cursor.execute(
            "select count(*) from event_logs where run_id = %s and dagster_event_type = "
            "'ASSET_MATERIALIZATION'",
            [run.run_id],
        )
        assert cursor.fetchone()[0] > 50  # every model, the packs, the mail
    # the queue gives the warehouse one writer: the coordinator and its limits are configured
    assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
    concurrency = instance.get_concurrency_config()
    limits = concurrency.run_queue_config.tag_concurrency_limits
    assert {"key": "sellerpulse/warehouse", "limit": 1} in limits
    assert concurrency.pool_config.pool_granularity.value == "run"
    assert concurrency.pool_config.default_pool_limit == 1

    # the seller pack to its owner, the portfolio pack to its boss, each exactly once, the
    # subject with the week and the headline change
    recipients = sorted(r for rcpt, _ in mailbox.messages for r in rcpt)
    assert recipients == ["lead@agency.example", "owner@acme.example"]
    assert not list(home.outbox.glob("**/*.eml")), "with SMTP set nothing goes to the outbox"
    subjects = {
        rcpt[0]: message_from_bytes(raw, policy=policy.default)["Subject"]
        for rcpt, raw in mailbox.messages
    }
    assert subjects["owner@acme.example"].startswith(
        "Weekly seller report · ACME UK · 16 Nov 2026 · Revenue "
    )
    assert subjects["lead@agency.example"].startswith(
        "Weekly portfolio report · EU brands · 16 Nov 2026 · "
    )
    defs = build_definitions(home.home)
    assert written_outside_the_assets(defs, home.warehouse) == set()
