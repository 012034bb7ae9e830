"""The boss pack is written in its portfolio's language (accounts.yaml ``language``)."""

from datetime import date

import duckdb
import pypdf
import pytest

from assets.core.settings import ConfigError, load_accounts
from assets.reports.portfolio import portfolio_pack_job
from assets.reports.render import render_pack

WEEK = date(2026, 11, 16)
ACCOUNTS = """
portfolios:
  - {id: eu, name: EU brands, base_currency: EUR, bosses: [lead@agency.example]}
  - {id: cn, name: 深圳团队, base_currency: EUR, language: zh, bosses: [boss@agency.example]}
accounts:
  - {id: messer-de, name: Messerwerk DE, marketplace: DE, language: de, portfolio: cn}
"""


@pytest.fixture
def accounts(tmp_path):
    path = tmp_path / "accounts.yaml"
    path.write_text(ACCOUNTS, "utf-8")
    return load_accounts(path)


def test_a_portfolio_is_in_english_unless_it_names_a_language(accounts):
    eu, cn = accounts.portfolios["eu"], accounts.portfolios["cn"]
    assert (eu.language, eu.locale) == ("en", "en_GB")
    assert (cn.language, cn.locale) == ("zh", "zh_Hans_CN")


@pytest.mark.parametrize("language", ["cn", "jp", "zh_CN", "", 7])
def test_a_portfolio_language_must_be_a_pack_language(tmp_path, language):
    path = tmp_path / "accounts.yaml"
    path.write_text(ACCOUNTS.replace("language: zh", f"language: {language!r}"), "utf-8")
    with pytest.raises(ConfigError) as error:
        load_accounts(path)
    message = str(error.value)
    # the file, the line and the entry, what is wrong and what to write instead
    assert f"{path}:4: portfolios[1] (id 'cn').language" in message
    assert f"language {language!r} is not a pack language" in message
    assert "en, de, fr, it, es, ja, zh" in message and "languages.yaml" in message


def test_the_boss_pack_is_rendered_in_the_portfolios_language(accounts, tmp_path):
    conn = duckdb.connect()
    conn.execute("create schema reports")
    conn.execute(
        "create table reports.rpt_portfolio_accounts as select date '2026-11-16' as week_start, "
        "'messer-de' as account_id, 12897.84 as revenue_amount, 'EUR' as currency_code, "
        "0.289784 as revenue_wow_pct, 0.2 as acos, 0.05 as tacos, 1 as health_breaches, "
        "'odr' as breached_metrics, 0.1 as revenue_at_risk_pct, 42.0 as risk_score, "
        "false as is_high_risk, 2989.5 as contribution_margin_amount, 0.2318 as margin_pct, "
        "-0.012 as margin_change_pts, false as margin_is_partial, "
        "12897.84 as revenue_base_amount, 2989.5 as contribution_margin_base_amount, "
        "0.28 as target_acos, 0.1 as target_tacos, 30 as health_points, 4.2 as stock_points, "
        "7.8 as sales_points, 0 as ads_points, 0 as reviews_points, null as margin_points, "
        "null as buy_box_points, null as po_points, null as revenue_change_base_amount"
    )
    conn.execute(
        "create table reports.rpt_portfolio_attention as select 'messer-de' as account_id, "
        "date '2026-11-16' as week_start, 1 as reason_rank, 'health_breach' as kind, "
        "'odr' as subject, 'fraction' as unit, 0.03 as value, 0.01 as threshold, "
        "'below' as condition, null as amount, null as amount_base, 'EUR' as base_currency"
    )
    conn.execute(
        "create table reports.rpt_portfolio_drivers as select 'cn' as portfolio_id, "
        "date '2026-11-16' as week_start where false"
    )
    conn.execute(
        "create table reports.rpt_portfolio as select 'cn' as portfolio_id, "
        "date '2026-11-16' as week_start, 'EUR' as base_currency, 12897.84 as "
        "revenue_base_amount, 0.289784 as revenue_wow_pct, 0.2 as acos, 0.05 as tacos, "
        "1 as comparable_accounts, 1 as accounts, '' as not_comparable_account_ids, "
        "0 as accounts_without_fx_rate, '' as accounts_without_fx_rate_ids, "
        "1 as accounts_with_margin, 2989.5 as contribution_margin_base_amount"
    )
    job = portfolio_pack_job(conn, accounts.portfolios["cn"], accounts, WEEK, {}, tmp_path)
    assert (job.language, job.locale) == ("zh", "zh_Hans_CN")
    text = " ".join(pypdf.PdfReader(render_pack(job)).pages[0].extract_text().split())
    # title, headings and metric names in Chinese, money and dates formatted for zh_Hans_CN
    assert "账户组合周报 · 深圳团队" in text and "2026年11月16日" in text
    assert "销售额" in text and "订单缺陷率" in text and "风险评分" in text
    assert "€12,897.84" in text and "+29.0%" in text
    # the account's margin, its change in points, and the portfolio's
    assert "利润" in text and "€2,989.50" in text and "23.2%" in text and "-1.2 个百分点" in text
    # the account needing attention, with its reason in Chinese, and its risk score's parts
    assert "需要关注的账户" in text and "订单缺陷率 3.0%，超过 1.0% 的上限" in text
    assert "违规 30 · 库存 4 · 下滑 8" in text
