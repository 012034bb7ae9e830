"""A marketplace is a registry entry: added to a copy of the registry, it works end to end —
accounts file, ingest, models (its currency and thresholds), and a rendered pack."""

import shutil

import duckdb
import pypdf
import pytest
from babel.numbers import format_currency

from assets.core import registry
from pipelines.definitions import build_definitions
from tests.conftest import WEEK, drop

SWEDEN = "  SE: {<<: *defaults, currency: SEK, locale: sv_SE, timezone: Europe/Stockholm}\n"
ACCOUNTS = """
portfolios:
  - {id: nordics, name: Nordics, base_currency: SEK, bosses: [boss@agency.example]}
accounts:
  - {id: norr-se, name: Norr Sverige, marketplace: SE, language: en, portfolio: nordics,
     recipients: [owner@norr.example], targets: {acos: 0.25}}
"""


@pytest.fixture
def with_sweden(tmp_path, monkeypatch):
    copy = tmp_path / "registry"
    shutil.copytree(registry.REGISTRY, copy)
    path = copy / "marketplaces.yaml"
    path.write_text(path.read_text("utf-8").replace("marketplaces:\n", "marketplaces:\n" + SWEDEN))
    monkeypatch.setattr(registry, "REGISTRY", copy)
    registry.clear_caches()
    yield
    monkeypatch.undo()
    registry.clear_caches()


@pytest.mark.slow
def test_a_marketplace_added_to_the_registry_works_end_to_end(with_sweden, home):
    home.accounts_file.write_text(ACCOUNTS, "utf-8")
    drop(home, "uk_business_report.csv", "norr-se")
    result = (
        build_definitions(home.home)
        .resolve_job_def("weekly_job")
        .execute_in_process(partition_key=WEEK)
    )
    assert result.success
    with duckdb.connect(str(home.warehouse), read_only=True) as conn:
        assert conn.execute(
            "select currency_code, threshold_odr, timezone from marts.dim_accounts "
            "where account_id = 'norr-se'"
        ).fetchone() == ("SEK", 0.01, "Europe/Stockholm")
        revenue = conn.execute(
            "select revenue_amount from reports.rpt_headline_kpis where account_id = 'norr-se'"
        ).fetchone()[0]
    # money in the marketplace's currency, written the Swedish way (Babel, English in Sweden)
    expected = format_currency(revenue, "SEK", locale="en_SE")
    assert expected.endswith("kr")
    text = pypdf.PdfReader(home.reports / WEEK / "norr-se.en.pdf").pages[0].extract_text()
    assert "Norr Sverige" in text and expected in text
