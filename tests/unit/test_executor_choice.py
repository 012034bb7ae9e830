"""SELLERPULSE_EXECUTOR picks the executor of every job (docs/scaling.md)."""

import os
import shutil
import subprocess
import sys

import dagster as dg
import pytest

from assets.core.settings import PROJECT_ROOT
from pipelines.definitions import build_definitions
from pipelines.jobs import run_executor


def test_the_default_is_in_process_and_a_name_picks_another(monkeypatch, tmp_path):
    monkeypatch.delenv("SELLERPULSE_EXECUTOR", raising=False)
    assert run_executor() is dg.in_process_executor
    monkeypatch.setenv("SELLERPULSE_EXECUTOR", "multiprocess")
    assert run_executor() is dg.multiprocess_executor
    assert build_definitions(tmp_path).resolve_job_def("weekly_job").executor_def.name == (
        "multiprocess"
    )
    # any executor of an installed package, by <module>:<attribute>
    assert run_executor("dagster:in_process_executor") is dg.in_process_executor


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("dagster_celery:celery_executor", "not an executor (No module named 'dagster_celery')"),
        ("dagster:no_such_executor", "not an executor"),
        ("dagster:AssetKey", "is a type, not an executor"),
        ("multi-process", "Use in_process, multiprocess, or <module>:<executor>"),
    ],
)
def test_a_name_that_is_not_an_executor_is_refused_with_what_to_use(name, says):
    with pytest.raises(ValueError, match="SELLERPULSE_EXECUTOR") as error:
        run_executor(name)
    assert says in str(error.value)


def test_a_step_forked_from_the_definitions_opens_the_instance_without_importing_sqlalchemy(
    tmp_path,
):
    """The multiprocess executor's steps fork from a server that imported the definitions: a
    step that then opens the run's instance must not import Dagster's SQL storage again (half
    a second a step), nor the project's event log storage (dagster.yaml)."""
    shutil.copy(PROJECT_ROOT / "dagster.yaml", tmp_path)
    code = (
        "import sys\n"
        "import dagster as dg\n"
        "import pipelines.definitions\n"
        "before = set(sys.modules)\n"
        "with dg.DagsterInstance.get() as instance:\n"
        "    instance.get_runs()\n"
        "print(sorted(m for m in set(sys.modules) - before\n"
        "            if m.startswith(('sqlalchemy', 'alembic', 'pipelines',\n"
        "                             'dagster._core.storage.runs',\n"
        "                             'dagster._core.storage.event_log'))))\n"
    )
    opened = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DAGSTER_HOME": str(tmp_path)},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert opened.stdout.strip() == "[]"
