"""One import direction: pipelines → assets → assets.core, stages sharing only the core
(the contracts in pyproject.toml's [tool.importlinter])."""

import subprocess
import sys

from assets.core.settings import PROJECT_ROOT


def test_imports_run_one_way():
    # in a child process: import-linter reconfigures logging, which would silence the loggers
    # (WeasyPrint's among them) that later tests read
    lint = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports; "
            "raise SystemExit(lint_imports(no_cache=True, no_logo=True))",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
