"""The text of a pack's PDF, as the tests read it."""

import re
from pathlib import Path

import pypdf

from assets.core.i18n import translations
from assets.core.registry import pack_languages


def without_contents(text: str, language: str | None = None) -> str:
    """``text`` (whitespace squeezed) without page 1's contents line, in ``language`` or, if
    None, in whichever pack language it is: the line names every section's title, and page 1
    draws it last (it runs in the page's top margin, pack.css), so a test that looks for a
    title after another would find the line's entry instead."""
    for lang in [language] if language else pack_languages():
        t = translations(lang)
        before, after = (re.escape(part.strip()) for part in t["contents_page"].split("{page}"))
        entry = rf"[^·]*?{before}\s*\d+{after}"
        line = rf"{re.escape(t['contents_title'])}:\s*{entry}(?:\s*·\s*{entry})*"
        text, found = re.subn(line, " ", text, count=1)
        if found:
            break
    return text


def first_page_text(pdf: Path, language: str | None = None) -> str:
    """Page 1's text, whitespace squeezed, without the contents line."""
    text = " ".join(pypdf.PdfReader(pdf).pages[0].extract_text().split())
    return without_contents(text, language)
