"""The one glossary: every metric's unit, direction (which way is good news), label and
definition per pack language.

Entries live beside the SQL in ``sql/glossary/*.yaml`` (one file per domain); the packs print
the entries of the metrics they show, and the README's metric table is checked against it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from assets.core.catalog import SQL_ROOT
from assets.core.registry import load_yaml, pack_languages

UNITS = {"fraction", "points", "amount", "count", "days", "weeks", "rating", "score"}
DIRECTIONS = {"higher", "lower", "neutral"}  # which way is good news


@cache
def glossary(root: Path = SQL_ROOT / "glossary") -> dict[str, dict]:
    entries: dict[str, dict] = {}
    for path in sorted(root.glob("*.yaml")):
        for name, entry in (load_yaml(path.read_text("utf-8")) or {}).items():
            if name in entries:
                raise ValueError(f"{path.name}: metric '{name}' is defined twice in the glossary")
            if entry.get("unit") not in UNITS:
                raise ValueError(f"{path.name}: {name}: unit must be one of {sorted(UNITS)}")
            if entry.get("direction") not in DIRECTIONS:
                raise ValueError(
                    f"{path.name}: {name}: direction must be one of {sorted(DIRECTIONS)}"
                )
            for part in ("label", "definition"):
                missing = [lang for lang in pack_languages() if not entry.get(part, {}).get(lang)]
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
            "unit": known[n]["unit"],
            "direction": known[n]["direction"],
        }
        for n in names
        if n in known
    ]


def markdown() -> str:
    """The glossary as the README's metric table (kept in sync by a test)."""
    lines = ["| metric | unit | better | definition |", "|---|---|---|---|"]
    for name, entry in sorted(glossary().items()):
        lines.append(
            f"| `{name}` | {entry['unit']} | {entry['direction']} | {entry['definition']['en']} |"
        )
    return "\n".join(lines)


README_START, README_END = "<!-- glossary -->", "<!-- /glossary -->"


def sync_readme(readme: Path) -> bool:
    """Rewrite the README's glossary block; True when it changed."""
    text = readme.read_text("utf-8")
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    updated = f"{head}{README_START}\n{markdown()}\n{README_END}{tail}"
    if updated != text:
        readme.write_text(updated, "utf-8")
    return updated != text


if __name__ == "__main__":
    from assets.core.settings import PROJECT_ROOT

    changed = sync_readme(PROJECT_ROOT / "README.md")
    print("README glossary " + ("updated" if changed else "already in sync"))
