"""The one glossary: complete in every language, and the README's table generated from it."""

import pytest

from assets.core import glossary as g
from assets.core.registry import pack_languages
from assets.core.settings import PROJECT_ROOT


def entry(label_without: str | None = None, direction: str | None = "higher") -> str:
    """A glossary entry in YAML with a label and definition in every pack language of the
    registry, but the label in ``label_without``."""
    label = ", ".join(f"{lang}: X" for lang in pack_languages() if lang != label_without)
    definition = ", ".join(f"{lang}: X" for lang in pack_languages())
    head = f"  direction: {direction}\n" if direction else ""
    return f"x:\n  unit: count\n{head}  label: {{{label}}}\n  definition: {{{definition}}}\n"


def test_readme_metric_table_is_the_glossary():
    readme = (PROJECT_ROOT / "README.md").read_text("utf-8")
    block = readme.split(g.README_START, 1)[1].split(g.README_END, 1)[0].strip()
    assert block == g.markdown(), "run: python -m assets.core.glossary"


def test_a_metric_defined_twice_is_refused(tmp_path):
    (tmp_path / "a.yaml").write_text(entry())
    (tmp_path / "b.yaml").write_text(entry())
    with pytest.raises(ValueError, match="defined twice"):
        g.glossary.__wrapped__(tmp_path)


def test_an_entry_without_a_direction_is_refused(tmp_path):
    (tmp_path / "a.yaml").write_text(entry(direction=None))
    with pytest.raises(ValueError, match="direction must be one of"):
        g.glossary.__wrapped__(tmp_path)


def test_every_pack_language_is_enforced():
    # design §6: every pack and mail in these seven
    assert {"en", "de", "fr", "it", "es", "ja", "zh"} <= set(pack_languages())


@pytest.mark.parametrize("language", pack_languages())
def test_an_entry_without_a_pack_language_is_refused(tmp_path, language):
    (tmp_path / "a.yaml").write_text(entry(label_without=language))
    with pytest.raises(ValueError, match=f"label missing for \\['{language}'\\]"):
        g.glossary.__wrapped__(tmp_path)
