"""The packs' and mails' words: one flat key file per pack language under
``report_templates/i18n/`` (the languages are those of the language registry with
``pack: true``)."""

from __future__ import annotations

from functools import cache

from assets.core.registry import load_yaml
from assets.core.settings import PROJECT_ROOT

TEMPLATES = PROJECT_ROOT / "report_templates"


@cache
def translations(language: str) -> dict[str, str]:
    path = TEMPLATES / "i18n" / f"{language}.yaml"
    return load_yaml(path.read_text("utf-8"))
