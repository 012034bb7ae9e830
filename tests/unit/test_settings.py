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
        ("{id: ok, marketplace: UK, portfolio: eu, language: xx}", "language 'xx'"),
        ("{id: ok, marketplace: UK, portfolio: eu, recipients: [not-an-email]}", "not an e-mail"),
        ("{id: ../etc, marketplace: UK, portfolio: eu}", "must use only a-z"),
        ("{id: ok, marketplace: UK, portfolio: eu, kind: reseller}", "kind 'reseller' unknown"),
        (
            "{id: ok, marketplace: UK, portfolio: eu, distributor_view: sourcing}",
            "only a vendor account has a distributor view",
        ),
        (
            "{id: ok, marketplace: UK, portfolio: eu, kind: vendor, distributor_view: retail}",
            "distributor_view 'retail' unknown; write manufacturing or sourcing",
        ),
    ],
)
def test_bad_account_entries_name_the_problem(tmp_path, entry, message):
    path = write(tmp_path, "portfolios: [{id: eu, base_currency: EUR}]\naccounts:\n  - " + entry)
    with pytest.raises(ConfigError, match=message):
        load_accounts(path)


def test_an_account_is_a_seller_unless_it_says_vendor(tmp_path, accounts):
    assert (accounts.get("oak-uk").kind, accounts.get("oak-uk").distributor_view) == (
        "seller",
        None,
    )
    path = write(
        tmp_path,
        "portfolios: [{id: eu, base_currency: EUR}]\naccounts:\n"
        "  - {id: v1, marketplace: DE, portfolio: eu, kind: vendor}\n"
        "  - {id: v2, marketplace: DE, portfolio: eu, kind: vendor, distributor_view: Sourcing}\n",
    )
    loaded = load_accounts(path)
    # manufacturing is the view Vendor Central opens with
    assert (loaded.get("v1").is_vendor, loaded.get("v1").distributor_view) == (
        True,
        "manufacturing",
    )
    assert loaded.get("v2").distributor_view == "sourcing"


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


PORTFOLIOS = "portfolios: [{id: eu, base_currency: EUR, bosses: [lead@agency.example]}]\n"


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ('"owner@acme.example\\n"', "control character"),
        ('"owner@acme.example\\r\\nBcc: evil@x.example"', "control character"),
        ('"owner@acme.example\\u2028"', "control character"),
        ('"Owner <owner@acme.example>"', "more than a bare address"),
        ('"owner@acme.example, ops@acme.example"', "more than a bare address"),
        ('" owner@acme.example"', "more than a bare address"),
        ("owner@localhost", "name@domain.tld"),
        ("owner..x@acme.example", "name@domain.tld"),
        ("owner@-acme.example", "name@domain.tld"),
        ("owner@@acme.example", "exactly one '@'"),
        ("ownér@acme.example", "non-ASCII"),
        ("12", "not text"),
    ],
)
def test_recipients_must_be_one_plain_address(tmp_path, address, reason):
    """Issue 15, part 4: "owner@acme.example\\n" passed the old check (its $ matches before a
    trailing newline) and pushed Subject and MIME headers into the body."""
    path = write(
        tmp_path,
        PORTFOLIOS + "accounts:\n  - id: oak-uk\n    marketplace: UK\n    portfolio: eu\n"
        f"    recipients:\n      - ok@acme.example\n      - {address}\n",
    )
    with pytest.raises(ConfigError) as error:
        load_accounts(path)
    message = str(error.value)
    # the file and line, the entry, the field, what is wrong and what is allowed
    assert f"{path}:8: accounts[0] (id 'oak-uk').recipients[1]: not an e-mail address" in message
    assert reason in message and "name@example.com" in message


def test_boss_addresses_are_checked_like_recipients(tmp_path):
    path = write(
        tmp_path,
        'portfolios:\n  - {id: eu, base_currency: EUR, bosses: ["lead@agency.example\\n"]}\n'
        "accounts: [{id: oak-uk, marketplace: UK, portfolio: eu}]\n",
    )
    with pytest.raises(ConfigError, match=r":2: portfolios\[0\] \(id 'eu'\)\.bosses\[0\]"):
        load_accounts(path)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ('"oak-uk\\n"', "control character"),
        ("oak/uk", "path character"),
        ('"oak\\\\uk"', "path character"),
        ("..", "path character"),
        ("OAK-UK", "upper-case"),
        ("oak_uk", "other characters"),
        ("oak.uk", "other characters"),
        ("-oak", "other characters"),
        ("a" * 65, "too long"),
    ],
)
@pytest.mark.parametrize("section", ["accounts", "portfolios"])
def test_account_and_portfolio_ids_are_safe_names(tmp_path, section, value, reason):
    """Ids become file names (reports/<week>/<account>.<lang>.pdf, portfolio-<id>.pdf):
    a bad portfolio id used to fail the run only when its pack was written, after the seller
    packs, and then no mail went out at all. Now it stops the run before anything is done."""
    if section == "portfolios":
        text = (
            f"portfolios:\n  - id: {value}\n    base_currency: EUR\n"
            "accounts: [{id: oak-uk, marketplace: UK, portfolio: eu}]\n"
        )
    else:
        text = PORTFOLIOS + f"accounts:\n  - id: {value}\n    marketplace: UK\n    portfolio: eu\n"
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_accounts(path)
    message = str(error.value)
    assert f"{path}:{2 if section == 'portfolios' else 3}: {section}[0].id: id " in message
    assert reason in message and "a-z, 0-9 and '-'" in message


def test_ids_and_addresses_appear_once(tmp_path):
    twice = PORTFOLIOS.replace("]}]", "]}, {id: eu, base_currency: USD}]")
    with pytest.raises(ConfigError, match=r"portfolios\[1\]\.id: id 'eu' appears twice"):
        load_accounts(
            write(tmp_path, twice + "accounts: [{id: a, marketplace: UK, portfolio: eu}]")
        )
    path = write(
        tmp_path,
        PORTFOLIOS + "accounts: [{id: a, marketplace: UK, portfolio: eu, "
        "recipients: [o@a.example, O@a.example]}]",
    )
    with pytest.raises(ConfigError, match=r"recipients\[1\]: 'O@a.example' appears twice"):
        load_accounts(path)


def test_the_ids_and_addresses_in_use_are_allowed(tmp_path):
    """The demo's and the tests' ids and addresses (acct-007, apac-us, o'brien…) still load."""
    path = write(
        tmp_path,
        "portfolios:\n"
        "  - {id: eu, base_currency: EUR, bosses: [lead@agency.example]}\n"
        "  - {id: apac-us, base_currency: USD, bosses: [apac.lead@agency.example]}\n"
        "accounts:\n"
        "  - {id: acct-007, marketplace: UK, portfolio: eu,\n"
        "     recipients: [owner@acct-007.example, o'brien+reports@mail.example.co.uk]}\n"
        "  - {id: 42, marketplace: US, portfolio: apac-us, recipients: [a@xn--mnchen-3ya.de]}\n",
    )
    accounts = load_accounts(path)
    assert set(accounts.accounts) == {"acct-007", "42"}
    assert accounts.get("acct-007").recipients[1] == "o'brien+reports@mail.example.co.uk"


def test_unknown_keys_and_wrong_values_are_named_with_file_line_entry_and_field(tmp_path):
    path = write(
        tmp_path,
        "portfolios: [{id: eu, base_currency: EUR}]\n"
        "accounts:\n"
        "  - id: acme-uk\n"
        "    marketplace: UK\n"
        "    portfolio: eu\n"
        "    lead_time_dys: 21\n"
        "    targets: {acos: 30%}\n"
        "    actions: {max_count: 2.5}\n"
        "acounts: []\n",
    )
    with pytest.raises(ConfigError) as error:
        load_accounts(path)
    # every problem at once, one line each
    assert sorted(str(error.value).splitlines()) == sorted(
        [
            f"{path}:9: acounts: unknown key 'acounts'; did you mean 'accounts'? known keys: "
            "portfolios, accounts",
            f"{path}:6: accounts[0] (id 'acme-uk').lead_time_dys: unknown key 'lead_time_dys'; "
            "did you mean 'lead_time_days'? known keys: id, name, marketplace, language, "
            "portfolio, recipients, targets, lead_time_days, kind, distributor_view, actions",
            f"{path}:7: accounts[0] (id 'acme-uk').targets.acos: '30%' is not allowed: expected a "
            "number such as 0.30 (a share is written as a fraction: 30 % is 0.30) (Input should be "
            "a valid number, unable to parse string as a number)",
            f"{path}:8: accounts[0] (id 'acme-uk').actions.max_count: 2.5 is not allowed: expected "
            "a whole number such as 21 (Input should be a valid integer, got a number with a "
            "fractional part)",
        ]
    )


def test_the_command_says_its_version(capsys):
    from pipelines.cli import main

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == "sellerpulse 0.1.0"
