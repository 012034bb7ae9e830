"""The demo's accounts: the named ones from accounts.yaml, made-up ones beyond them, and the
``accounts.yaml`` the demo writes into the home for the pipeline to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from demo.markets import LANGUAGE, MARKET_CYCLE

ACCOUNTS_FILE = Path(__file__).with_name("accounts.yaml")
_doc = yaml.safe_load(ACCOUNTS_FILE.read_text("utf-8"))
# portfolio id -> (name, base currency, bosses, pack language)
PORTFOLIOS: dict[str, tuple[str, str, tuple[str, ...], str]] = {
    pid: (p["name"], p["base_currency"], tuple(p["bosses"]), p.get("language", "en"))
    for pid, p in _doc["portfolios"].items()
}
PORTFOLIO_OF: dict[str, str] = _doc["portfolio_of"]  # marketplace -> portfolio id
NAMED: list[dict] = _doc["named"]
# Written on top of ``accounts`` whenever all the named ones are (accounts.yaml)
LANGUAGE_ACCOUNTS: list[dict] = _doc["language_accounts"]
VENDOR_ACCOUNTS: list[dict] = _doc["vendor_accounts"]  # Vendor Central (1P), after those
GENERIC_BRANDS: tuple[str, ...] = tuple(_doc["generic_brands"])
THEME_CYCLE = ("kitchen", "outdoor", "tea")

# Folders under inbox/ that a demo run owns (and may clear when it no longer writes them).
DEMO_ACCOUNT = re.compile(
    "^("
    + "|".join(re.escape(a["id"]) for a in NAMED + LANGUAGE_ACCOUNTS + VENDOR_ACCOUNTS)
    + r"|acct-\d{3,})$"
)


@dataclass(frozen=True)
class Spec:
    """One demo account: what accounts.yaml says about it, and how its exports look."""

    index: int
    id: str
    name: str
    market: str
    language: str
    portfolio: str
    recipients: tuple[str, ...]
    acos: float | None  # ads targets; None for a vendor (no ads targets)
    tacos: float | None
    lead_time_days: int
    brand: str
    code: str
    theme: str
    xlsx_ads: bool
    example_spelling: bool
    merchant_skus: tuple[int, ...] = ()  # catalogue positions of ASINs with a second, FBM SKU
    search_term_summary_weeks: int = 0  # oldest weeks of search terms in one summary export
    listing_language: str = ""  # of titles, search terms and reviews; "" = language
    business_report_language: str = ""  # Seller Central UI of the business report; "" = market's
    ads_language: str = ""  # of the ads console's downloads; "" = the marketplace's
    kind: str = "seller"  # seller (Seller Central, 3P) or vendor (Vendor Central, 1P)
    distributor_view: str = ""  # a vendor's: manufacturing or sourcing
    business: str = ""  # a vendor's legal name, as its reports' Businesses=[...] banner shows it
    settlement_file: bool = False  # also a Settlement V2 flat file over two weeks (payments)
    transaction_view: bool = False  # also a Payments "Transaction view" CSV of its last week

    @property
    def vendor(self) -> bool:
        return self.kind == "vendor"

    @property
    def listing(self) -> str:
        return self.listing_language or self.language

    def entry(self) -> dict:
        if self.vendor:  # no ads targets: a vendor's ads are not in its exports
            return {
                "id": self.id,
                "name": self.name,
                "marketplace": self.market,
                "language": self.language,
                "portfolio": self.portfolio,
                "kind": self.kind,
                "distributor_view": self.distributor_view,
                "recipients": list(self.recipients),
                "lead_time_days": self.lead_time_days,
            }
        return {
            "id": self.id,
            "name": self.name,
            "marketplace": self.market,
            "language": self.language,
            "portfolio": self.portfolio,
            "recipients": list(self.recipients),
            "targets": {"acos": self.acos, "tacos": self.tacos},
            "lead_time_days": self.lead_time_days,
        }


def _spec(i: int, market: str, **fields) -> Spec:
    return Spec(
        index=i,
        market=market,
        language=fields.pop("language", LANGUAGE[market]),
        portfolio=fields.pop("portfolio", PORTFOLIO_OF[market]),
        **fields,
    )


def _named(i: int, a: dict, **extra) -> Spec:
    return _spec(
        i,
        a["market"],
        id=a["id"],
        name=a["name"],
        recipients=tuple(a["recipients"]),
        acos=a["targets"]["acos"] if "targets" in a else None,
        tacos=a["targets"]["tacos"] if "targets" in a else None,
        lead_time_days=a["lead_time_days"],
        brand=a["brand"],
        code=a["code"],
        theme=a["theme"],
        xlsx_ads=a.get("xlsx_ads", False),
        example_spelling=a.get("example_spelling", False),
        merchant_skus=tuple(a.get("merchant_skus", ())),
        search_term_summary_weeks=a.get("search_term_summary_weeks", 0),
        settlement_file=a.get("settlement_file", False),
        transaction_view=a.get("transaction_view", False),
        **extra,
    )


def _vendor(a: dict) -> Spec:
    return _named(
        a["stream"],
        a,
        language=a["language"],
        portfolio=a["portfolio"],
        kind="vendor",
        distributor_view=a["distributor_view"],
        business=a["business"],
    )


def specs(count: int) -> list[Spec]:
    """The first ``count`` accounts: the named ones, then acct-007, acct-008… cycling UK, DE,
    JP, US with rotating targets, lead times, brands and themes; then, when all the named ones
    are in, the language accounts (shenzhen-us, milano-it) and the vendor account
    (rhein-vendor-de), each with ``index`` its own generator stream from accounts.yaml, so
    adding them moved no other account's numbers."""
    out = []
    for i in range(count):
        if i < len(NAMED):
            out.append(_named(i, NAMED[i]))
            continue
        number = i + 1
        aid = f"acct-{number:03d}"
        out.append(
            _spec(
                i,
                MARKET_CYCLE[(i - len(NAMED)) % len(MARKET_CYCLE)],
                id=aid,
                name=f"Demo Account {number:03d}",
                recipients=(f"owner@{aid}.example",),
                acos=(0.25, 0.30, 0.35)[i % 3],
                tacos=(0.08, 0.10, 0.12)[i % 3],
                lead_time_days=(21, 28, 35)[i % 3],
                brand=GENERIC_BRANDS[i % len(GENERIC_BRANDS)],
                code=f"D{number:03d}",
                theme=THEME_CYCLE[i % len(THEME_CYCLE)],
                xlsx_ads=False,
                example_spelling=False,
            )
        )
    if count >= len(NAMED):
        for a in LANGUAGE_ACCOUNTS:
            out.append(
                _named(
                    a["stream"],
                    a,
                    language=a["language"],
                    portfolio=a["portfolio"],
                    listing_language=a.get("listing", ""),
                    business_report_language=a.get("business_report", ""),
                    ads_language=a.get("ads", ""),
                )
            )
        out += [_vendor(a) for a in VENDOR_ACCOUNTS]
    return out


def accounts_yaml(specs: list[Spec]) -> str:
    """The home's accounts.yaml: the portfolios in use, then every account."""
    used = [p for p in PORTFOLIOS if any(s.portfolio == p for s in specs)]
    lines = ["portfolios:"]
    for pid in used:
        name, currency, bosses, language = PORTFOLIOS[pid]
        lines.append(
            f"  - {{id: {pid}, name: {name}, base_currency: {currency}, "
            f"bosses: [{', '.join(bosses)}]"
            + ("" if language == "en" else f", language: {language}")
            + "}"
        )
    lines.append("accounts:")
    for s in specs:
        if s.vendor:
            lines += [
                f"  - id: {s.id}",
                f"    name: {s.name}",
                f"    marketplace: {s.market}",
                f"    language: {s.language}",
                f"    portfolio: {s.portfolio}",
                f"    kind: {s.kind}",
                f"    distributor_view: {s.distributor_view}",
                f"    recipients: [{', '.join(s.recipients)}]",
                f"    lead_time_days: {s.lead_time_days}",
            ]
            continue
        lines += [
            f"  - id: {s.id}",
            f"    name: {s.name}",
            f"    marketplace: {s.market}",
            f"    language: {s.language}",
            f"    portfolio: {s.portfolio}",
            f"    recipients: [{', '.join(s.recipients)}]",
            f"    targets: {{acos: {s.acos:.2f}, tacos: {s.tacos:.2f}}}",
            f"    lead_time_days: {s.lead_time_days}",
        ]
    return "\n".join(lines) + "\n"
