"""The one glossary: every metric's unit, label and definition per language.

Entries live beside the SQL in ``sql/glossary/*.yaml`` (one file per domain); the packs print
the entries of the metrics they show, and the README's metric table is checked against it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from assets.models.sql_models import SQL_ROOT

UNITS = {"fraction", "amount", "count", "days", "weeks", "rating", "score"}
LANGUAGES = ("en", "de", "ja")


@cache
def glossary(root: Path = SQL_ROOT / "glossary") -> dict[str, dict]:
    entries: dict[str, dict] = {}
    for path in sorted(root.glob("*.yaml")):
        for name, entry in (yaml.safe_load(path.read_text("utf-8")) or {}).items():
            if name in entries:
                raise ValueError(f"{path.name}: metric '{name}' is defined twice in the glossary")
            if entry.get("unit") not in UNITS:
                raise ValueError(f"{path.name}: {name}: unit must be one of {sorted(UNITS)}")
            for part in ("label", "definition"):
                missing = [lang for lang in LANGUAGES if not entry.get(part, {}).get(lang)]
                if missing:
                    raise ValueError(f"{path.name}: {name}: {part} missing for {missing}")
            entries[name] = {**entry, "source": path.name}
    return entries


def entries_for(names: list[str], language: str) -> list[dict]:
    """Glossary lines for a pack, in the pack's language, in the order given."""
    known = glossary()
    return [
        {
            "metric": n,
            "label": known[n]["label"][language],
            "definition": known[n]["definition"][language],
        }
        for n in names
        if n in known
    ]
