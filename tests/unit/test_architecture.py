"""One import direction: pipelines → assets → assets.core, stages sharing only the core
(the contracts in pyproject.toml's [tool.importlinter])."""

from importlinter.cli import lint_imports

from assets.core.settings import PROJECT_ROOT


def test_imports_run_one_way():
    assert lint_imports(config_filename=str(PROJECT_ROOT / "pyproject.toml"), no_cache=True) == 0, (
        "an import breaks a contract: see the output above"
    )
