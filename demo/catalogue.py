"""The product catalogue: product lines loaded from catalogue.yaml and review text from
reviews.yaml, and the per-account catalogue of ASINs, SKUs and titles built from them.

The text lives in the YAML files (data, not code); this module only gives it types and turns a
theme's lines into one account's ASINs. Building an account's catalogue draws from the
account's generator (ASIN and FNSKU codes, family sizes, parent ids), so it is the first step
of the simulation and must keep its draw order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import yaml

from demo.markets import MARKETS

if TYPE_CHECKING:
    from demo.accounts import Spec

HERE = Path(__file__).parent
CATALOGUE_FILE = HERE / "catalogue.yaml"
REVIEWS_FILE = HERE / "reviews.yaml"


@dataclass(frozen=True)
class Line:
    """One product line of a theme, in every listing language."""

    title: dict[str, str]
    variants: dict[str, tuple[str, ...]]
    keyword: dict[str, str]
    price: float  # base price in GBP/EUR/USD
    volume: float  # per-unit volume


def _pairs(items: list[list[str]]) -> tuple[tuple[str, str], ...]:
    return tuple((headline, body) for headline, body in items)


def _line(entry: dict) -> Line:
    langs = {k: v for k, v in entry.items() if k not in ("price", "volume")}
    return Line(
        title={lang: text["title"] for lang, text in langs.items()},
        variants={lang: tuple(text["variants"]) for lang, text in langs.items()},
        keyword={lang: text["keyword"] for lang, text in langs.items()},
        price=float(entry["price"]),
        volume=float(entry["volume"]),
    )


_catalogue = yaml.safe_load(CATALOGUE_FILE.read_text("utf-8"))
# theme -> (product category, product lines in catalogue order)
THEMES: dict[str, tuple[str, list[Line]]] = {
    name: (theme["category"], [_line(entry) for entry in theme["lines"]])
    for name, theme in _catalogue["themes"].items()
}
PACK: dict[str, str] = _catalogue["pack"]  # language -> title suffix of the n-pack, with {n}
# language -> words that search terms and campaigns add to a keyword
MODIFIERS: dict[str, tuple[str, ...]] = {
    lang: tuple(words) for lang, words in _catalogue["search_modifiers"].items()
}

_reviews = yaml.safe_load(REVIEWS_FILE.read_text("utf-8"))
# language -> star group (pos, mid, neg) -> (headline, body) pairs
REVIEW_TEXT: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    lang: {group: _pairs(pairs) for group, pairs in groups.items()}
    for lang, groups in _reviews["text"].items()
}
# language -> the rating-drop story's (headline, body) pairs
COMPLAINTS: dict[str, tuple[tuple[str, str], ...]] = {
    lang: _pairs(pairs) for lang, pairs in _reviews["complaints"].items()
}
UNTRUSTED_REVIEW: tuple[str, str] = tuple(_reviews["untrusted"])  # headline, body


@dataclass
class Catalog:
    """One account's ASINs in catalogue order (index 0 is its best seller)."""

    parent: list[str]
    child: list[str]
    sku: list[str]
    fnsku: list[str]
    title: list[str]
    keyword: list[str]
    product_parent: list[str]  # the reviews dataset's numeric parent id
    line_price: np.ndarray  # list price, minor units
    volume: list[str]
    category: str


ALNUM = np.array(list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def codes(rng: np.random.Generator, count: int, prefix: str, length: int, taken: set) -> list:
    """``count`` new codes such as ASINs (B0 + 8 characters), unique within ``taken``."""
    out = []
    while len(out) < count:
        chars = ALNUM[rng.integers(0, 36, size=(count, length))]
        for row in chars:
            code = prefix + "".join(row.tolist())
            if code not in taken and len(out) < count:
                taken.add(code)
                out.append(code)
    return out


def build_catalog(spec: Spec, n: int, rng: np.random.Generator) -> Catalog:
    """``n`` ASINs as variation families of 1–3 children built from the theme's product lines;
    once the lines run out they come round again as packs."""
    category, lines = THEMES[spec.theme]
    lang, market = spec.listing, MARKETS[spec.market]
    taken: set[str] = set()
    child = codes(rng, n, "B0", 8, taken)
    fnsku = codes(rng, n, "X00", 7, set())
    parent, sku, title, keyword, prices, volume, product_parent = [], [], [], [], [], [], []
    family = 0
    while len(title) < n:
        line = lines[family % len(lines)]
        pack = family // len(lines)
        variants = line.variants[lang]
        size = min(len(variants), 1 + int(rng.integers(0, 3)), n - len(title))
        family_parent = child[len(title)] if size == 1 else codes(rng, 1, "B0", 8, taken)[0]
        parent_number = str(int(rng.integers(100_000_000, 999_999_999)))
        for v in range(size):
            base = line.title[lang] + (PACK[lang].format(n=pack + 1) if pack else "")
            if lang == "ja":
                title.append(f"【{spec.brand}】{base} {variants[v]}")
            else:
                title.append(f"{spec.brand} {base}, {variants[v]}")
            parent.append(family_parent)
            sku.append(f"{spec.code}-{family + 1:03d}-{v + 1:02d}")
            keyword.append(line.keyword[lang])
            factor = (pack + 1) * (0.9 if pack else 1.0) * (1 + 0.08 * v)
            prices.append(line.price * factor)
            volume.append(f"{line.volume * (pack + 1):.2f}")
            product_parent.append(parent_number)
        family += 1
    price_minor = []
    for p in prices:
        if market.decimals == 0:  # yen: 1,980 / 4,980 style
            price_minor.append(max(1, round(p * market.price_factor / 100)) * 100 - 20)
        else:  # 24.99 / 24.49 style
            whole = max(1, int(p * market.price_factor))
            price_minor.append(whole * 100 + (99 if whole % 2 else 49))
    return Catalog(
        parent=parent,
        child=child,
        sku=sku,
        fnsku=fnsku,
        title=title,
        keyword=keyword,
        product_parent=product_parent,
        line_price=np.array(price_minor, dtype=np.int64),
        volume=volume,
        category=category,
    )
