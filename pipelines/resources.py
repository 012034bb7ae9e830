"""Resources shared by the assets: the working directory and the warehouse connection."""

from dagster import ConfigurableResource
from dagster_duckdb import DuckDBResource

from pipelines.settings import Accounts, Paths, load_accounts

# DuckDB must never download at run time: only built-in extensions (json, parquet, icu).
OFFLINE = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


class SellerPulseHome(ConfigurableResource):
    """The working directory (``SELLERPULSE_HOME``) and the accounts configured in it."""

    home: str = ""

    @property
    def paths(self) -> Paths:
        return Paths.from_env(self.home or None).ensure()

    def accounts(self) -> Accounts:
        return load_accounts(self.paths.accounts_file)


def warehouse_resource(paths: Paths) -> DuckDBResource:
    paths.home.mkdir(parents=True, exist_ok=True)
    return DuckDBResource(database=str(paths.warehouse), connection_config=OFFLINE)
