from pathlib import Path

import pytest

from assets.core.settings import ConfigError, Paths, load_accounts, parse_week


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "accounts.yaml"
    path.write_text(text, "utf-8")
    return path


def test_accounts_file_loads_with_marketplace_defaults(accounts):
    uk = accounts.get("oak-uk")
    assert (uk.currency, uk.locale, uk.marketplace.timezone) == ("GBP", "en_GB", "Europe/London")
    assert accounts.get("ocha-jp").locale == "ja_JP"
    assert uk.lead_time_days == 21 and uk.targets == {"acos": 0.3}
    assert accounts.portfolios["eu"].base_currency == "EUR"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{id: Bad_Id, marketplace: UK, portfolio: eu}", "must use only a-z"),
        ("{id: ok, marketplace: XX, portfolio: eu}", "marketplace 'XX' unknown"),
        ("{id: ok, marketplace: UK, portfolio: nope}", "portfolio 'nope'"),
        ("{id: ok, marketplace: UK, portfolio: eu, language: fr}", "language 'fr'"),
        ("{id: ok, marketplace: UK, portfolio: eu, recipients: [not-an-email]}", "not an e-mail"),
        ("{id: ../etc, marketplace: UK, portfolio: eu}", "must use only a-z"),
    ],
)
def test_bad_account_entries_name_the_problem(tmp_path, entry, message):
    path = write(tmp_path, "portfolios: [{id: eu, base_currency: EUR}]\naccounts:\n  - " + entry)
    with pytest.raises(ConfigError, match=message):
        load_accounts(path)


def test_missing_accounts_file_says_how_to_fix(tmp_path):
    with pytest.raises(ConfigError, match="sellerpulse demo"):
        load_accounts(tmp_path / "nope.yaml")


def test_accounts_file_can_live_elsewhere(tmp_path, monkeypatch):
    other = write(tmp_path, "x: 1")
    monkeypatch.setenv("SELLERPULSE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SELLERPULSE_ACCOUNTS", str(other))
    paths = Paths.from_env()
    assert paths.accounts_file == other
    assert paths.warehouse == tmp_path / "home" / "warehouse.duckdb"


def test_weeks_start_on_monday():
    assert str(parse_week("2026-11-16")) == "2026-11-16"
    with pytest.raises(ConfigError, match="Wednesday.*2026-11-16"):
        parse_week("2026-11-18")
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        parse_week("16.11.2026")
