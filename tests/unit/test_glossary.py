"""The one glossary: complete in every language, and the README's table generated from it."""

import pytest

from assets.core import glossary as g
from assets.core.settings import PROJECT_ROOT


def test_readme_metric_table_is_the_glossary():
    readme = (PROJECT_ROOT / "README.md").read_text("utf-8")
    block = readme.split(g.README_START, 1)[1].split(g.README_END, 1)[0].strip()
    assert block == g.markdown(), "run: python -m assets.core.glossary"


def test_a_metric_defined_twice_is_refused(tmp_path):
    entry = (
        "x:\n  unit: count\n  direction: higher\n  label: {en: X, de: X, ja: X}\n"
        "  definition: {en: X, de: X, ja: X}\n"
    )
    (tmp_path / "a.yaml").write_text(entry)
    (tmp_path / "b.yaml").write_text(entry)
    with pytest.raises(ValueError, match="defined twice"):
        g.glossary.__wrapped__(tmp_path)


def test_an_entry_without_a_direction_is_refused(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "x:\n  unit: count\n  label: {en: X, de: X, ja: X}\n  definition: {en: X, de: X, ja: X}\n"
    )
    with pytest.raises(ValueError, match="direction must be one of"):
        g.glossary.__wrapped__(tmp_path)


def test_an_entry_without_german_is_refused(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "x:\n  unit: count\n  direction: higher\n  label: {en: X, ja: X}\n"
        "  definition: {en: X, de: X, ja: X}\n"
    )
    with pytest.raises(ValueError, match="label missing for \\['de'\\]"):
        g.glossary.__wrapped__(tmp_path)
