"""What a Chinese or Japanese font stack costs per pack (docs/benchmarks.md, "Fonts").

    sellerpulse --home /tmp/fonts demo --run
    python -m bench.fonts --home /tmp/fonts [--packs 5 --rounds 3]

Renders sakura-jp's seller pack and its portfolio's boss pack, in Japanese and in Chinese, from
their final HTML with each candidate stack in place of pack.css's, ``--packs`` times per round;
the stacks take turns over ``--rounds`` rounds and the best round counts (a shared machine).
Beside the seconds: the PDF's size and pages, and the weight class of each embedded font
program (a face without a bold weight is embedded as "…-Bold" with its regular outlines).
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import time
from datetime import date
from pathlib import Path

import duckdb
import pypdf
from fontTools.ttLib import TTFont

from assets.core.i18n import TEMPLATES
from assets.core.settings import Paths, load_accounts
from assets.reports.packs import seller_pack_job
from assets.reports.portfolio import portfolio_pack_job
from assets.reports.render import render_html

WEEK = date(2026, 11, 16)  # the demo's last week
CJK = {"ja": "Noto Sans CJK JP", "zh": "Noto Sans CJK SC"}


def stacks(language: str) -> dict[str, str]:
    return {
        "IPAex Gothic": '"DejaVu Sans", "IPAexGothic"',
        "WenQuanYi Zen Hei": '"DejaVu Sans", "WenQuanYi Zen Hei"',
        "DejaVu + Noto Sans CJK": f'"DejaVu Sans", "{CJK[language]}"',
        "Noto Sans CJK first": f'"{CJK[language]}", "DejaVu Sans"',
    }


def with_stack(html: str, stack: str) -> str:
    css = (TEMPLATES / "pack.css").read_text("utf-8")
    css += f"\nhtml, html:lang(ja), html:lang(zh) {{ font-family: {stack}, sans-serif; }}\n"
    return html.replace('<link rel="stylesheet" href="pack.css">', f"<style>{css}</style>")


def render(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=f"{TEMPLATES}/").write_pdf()


def embedded_weights(pdf: bytes) -> dict[str, int]:
    weights = {}
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            program = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
            parsed = TTFont(io.BytesIO(program.get_object().get_data()))
            weights[str(font["/BaseFont"]).split("+")[-1]] = parsed["OS/2"].usWeightClass
    return weights


def packs(home: Paths) -> dict[str, str]:
    accounts = load_accounts(home.accounts_file)
    scratch = Path("/nonexistent")  # jobs are only rendered to HTML here
    found = {}
    with duckdb.connect(str(home.warehouse), read_only=True) as conn:
        for language in CJK:
            account = dataclasses.replace(accounts.get("sakura-jp"), language=language)
            found[f"seller {language}"] = render_html(seller_pack_job(conn, account, WEEK, scratch))
            portfolio = accounts.portfolios[account.portfolio]
            boss = dataclasses.replace(portfolio, language=language)
            found[f"boss {language}"] = render_html(
                portfolio_pack_job(conn, boss, accounts, WEEK, {}, scratch)
            )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True, help="a home after `sellerpulse demo --run`")
    parser.add_argument("--packs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print("| pack | stack | s per pack (best / median round) | KB | pages | embedded: weight |")
    print("|---|---|---|---|---|---|")
    for name, html in packs(Paths.from_env(args.home)).items():
        candidates = {s: with_stack(html, css) for s, css in stacks(name[-2:]).items()}
        for page in candidates.values():
            render(page)  # each face loaded once before timing
        seconds: dict[str, list[float]] = {s: [] for s in candidates}
        for _ in range(args.rounds):
            for stack, page in candidates.items():
                start = time.perf_counter()
                for _ in range(args.packs):
                    render(page)
                seconds[stack].append((time.perf_counter() - start) / args.packs)
        for stack, page in candidates.items():
            pdf = render(page)
            times = sorted(seconds[stack])
            weights = ", ".join(f"{f} {w}" for f, w in sorted(embedded_weights(pdf).items()))
            pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
            print(
                f"| {name} | {stack} | {times[0]:.2f} / {times[len(times) // 2]:.2f} | "
                f"{len(pdf) // 1024} | {pages} | {weights} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
