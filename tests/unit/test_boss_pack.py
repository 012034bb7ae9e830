"""The boss pack explains: accounts needing attention first with a plain reason, held packs in
plain words, every amount in the base currency (an account's own in small print), and a mail
with the headline numbers. Built from real models on a small in-memory warehouse."""

import html
import re
from datetime import date

import duckdb
import pypdf
import pytest

from assets.ingest.inbox import ensure_raw_tables
from assets.ingest.reference import write_reference_tables
from assets.reports.portfolio import held_reasons, portfolio_pack_job
from assets.reports.render import render_html, render_mail, render_pack
from tests.pack_text import first_page_text, without_contents
from tests.sql.rows import build_models, insert, insert_eu_portfolio_weeks

W2 = date(2026, 11, 16)  # the second of the two weeks insert_eu_portfolio_weeks writes
PERIOD = (
    "business_report_period_plausible: f.csv has 0.14× the sessions of the median of the 2 "
    "weeks before, as if it covered about 1 day, not the week 2026-11-16 to 2026-11-22."
)
HELD = {"oak-uk": [PERIOD, 'a_new_check: the file says "oak" & more']}


@pytest.fixture
def warehouse(accounts):
    conn = duckdb.connect()
    ensure_raw_tables(conn)
    write_reference_tables(conn, accounts)
    # oak-uk (GBP) and messer-de (EUR) over two weeks, oak-uk's ACoS 60 % (rows.py)
    insert_eu_portfolio_weeks(conn)
    insert(  # messer-de: ODR 3 / 100 = 3 % against the 1 % target
        conn,
        "account_health",
        [{"week_start": W2, "metric": "odr", "channel": "afn", "rate": 0.03,
          "target_value": 0.01, "target_condition": "LESS_THAN", "defects": 3, "orders": 100,
          "date_from": date(2026, 9, 21), "date_to": date(2026, 11, 20)}],
        account_id="messer-de",
    )  # fmt: skip
    build_models(
        conn,
        "reports.rpt_portfolio",
        "reports.rpt_portfolio_accounts",
        "reports.rpt_portfolio_drivers",
        "reports.rpt_portfolio_attention",
    )
    yield conn
    conn.close()


@pytest.fixture
def job(warehouse, accounts, tmp_path):
    return portfolio_pack_job(warehouse, accounts.portfolios["eu"], accounts, W2, HELD, tmp_path)


def test_held_reasons_are_split_into_check_and_message():
    assert held_reasons([PERIOD, "no colon here"]) == [
        {"check": "business_report_period_plausible", "message": PERIOD.split(": ", 1)[1]},
        {"check": "", "message": "no colon here"},
    ]


def test_accounts_needing_attention_come_first_each_with_a_plain_reason(job):
    # oak-uk's pack is held (first), messer-de breaches the ODR limit (then)
    assert [r["id"] for r in job.context["attention"]] == ["oak-uk", "messer-de"]
    assert [r["id"] for r in job.context["accounts"]] == ["oak-uk", "messer-de"]
    text = first_page_text(render_pack(job))
    attention = text[text.index("Accounts needing attention") :]
    assert attention.index("Oak & Co <UK>") < attention.index("Messerwerk DE")
    assert (
        "Oak & Co <UK> UK — Pack held: this week's business report does not cover exactly "
        "this week" in attention
    )
    # its other reason below: ACoS 60 % over the 30 % target
    assert "ACoS 60.0% against a 30.0% target" in attention
    assert "Messerwerk DE DE — Order defect rate 3.0% — over the 1.0% limit" in attention


def test_held_packs_say_why_in_plain_words_or_the_checks_own_message(job):
    pages = pypdf.PdfReader(render_pack(job)).pages
    text = without_contents(" ".join(" ".join(p.extract_text() for p in pages).split()))
    held = text[text.index("Packs held this week") :]
    # the sentence, with the check's message in small print for whoever fixes it
    assert "This week's business report does not cover exactly this week" in held
    assert "business_report_period_plausible: f.csv has 0.14×" in held
    # a check without a sentence: its own message, escaped once
    assert 'The file says "oak" & more' in held


def test_every_main_amount_of_the_accounts_table_is_in_the_base_currency(job):
    page = render_html(job)
    table = page[page.index('<section class="accounts') :]
    table = table[: table.index("</table>")]
    cells = re.findall(r'<td class="num amount">(.*?)</td>', table, re.S)
    assert len(cells) == 4  # revenue and margin of two accounts
    for cell in cells:
        main, _, small = cell.partition("<br>")
        # "–" where there is no amount (no payment export: no margin)
        assert main.strip() == "–" or ("€" in main and "£" not in main), cell
        # an account's own currency only in small print under it
        assert "£" not in small or 'class="local"' in small, cell
    # oak-uk: 990 GBP ÷ 0.875 = 1,131.43 EUR, with £990.00 under it
    assert re.search(r"€1,131\.43<br><span class=\"local\">£990\.00</span>", table)
    # its ACoS in red bold over its target, the target in small print
    assert re.search(r'<td class="num over">60\.0%<br><span class="target">target 30\.0%', table)


def test_what_moved_the_portfolio_and_which_accounts(job):
    text = first_page_text(render_pack(job))
    drivers = text[text.index("What moved the portfolio") :]
    # traffic 228.57 − 50 = 178.57, conversion −342.86 + 50 = −292.86, change +88.57 EUR
    assert "Traffic effect €178.57" in drivers and "Conversion effect -€292.86" in drivers
    assert "Change €88.57" in drivers
    # messer-de moved it most (+100 EUR), then oak-uk (−11.43 EUR, −10 GBP in small print)
    movers = drivers[drivers.index("Which accounts moved it") :]
    assert movers.index("Messerwerk DE €100.00") < movers.index("Oak & Co <UK> -€11.43 -£10.00")


def test_the_mail_has_the_change_in_its_subject_and_the_headline_numbers(job):
    subject, blank, *body = render_mail(job).splitlines()
    # 990 ÷ 0.875 + 600 = 1,731.43 EUR against 1,642.86: +5.4 %
    assert subject == "Weekly portfolio report · EU brands · 16 Nov 2026 · +5.4%"
    assert blank == ""
    text = "\n".join(body)
    assert "Revenue: €1,731.43 (+5.4% on last week, like for like)" in text
    # ads: 60 GBP ÷ 0.875 = 68.57 EUR against 114.29 of ad sales and 1,731.43 of revenue
    assert "ACoS 60.0% · TACoS 4.0%" in text
    assert (
        "First to look at: Oak & Co <UK> — Pack held: this week's business report does not "
        "cover exactly this week" in text
    )
    assert text.rstrip().endswith("The full report is attached as a PDF.")
    assert "<" not in html.unescape(text).replace("<UK>", "")
