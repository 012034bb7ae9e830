"""Deterministic demo data: every export family written exactly as Amazon delivers it.

Why this exists: ``make demo``, the benchmark and the tests need inboxes that look like the real
thing — the header text, encodings, BOMs, number formats and quoting of each marketplace (see
design.md §4) — without shipping any seller's data. Every number is drawn from
``numpy.random.default_rng([seed, account position])`` and no clock is read, so the same
inputs give byte-identical files, whether one process writes them or a pool (large scales).

What gets written under ``home``:

* ``accounts.yaml`` and ``fx_rates.csv`` (ECB reference-rate layout, newest day first);
* ``inbox/<account>/<week start>/`` with five export families per account and week:
  ``BusinessReport-DD-MM-YYYY.csv`` (Detail Page Sales and Traffic by Child Item; UK en-dash
  sentence case with BOM, US title case with hyphens, German, Japanese),
  ``Manage_FBA_Inventory_<digits>.txt`` (tab-separated; Windows-1252 for UK/US),
  ``Sponsored Products Search term report.csv|.xlsx`` and
  ``Sponsored Products Advertised product report.csv|.xlsx`` (daily rows, 7-day attribution),
  ``reviews.tsv`` (Customer Reviews dataset layout) and ``account-health.json``
  (SP-API ``GET_V2_SELLER_PERFORMANCE_REPORT``).

Two real-world shapes are in the named accounts (positions and weeks in accounts.yaml):

* **ASINs sold under two SKUs.** One or two ASINs per named account are also sold under a
  merchant-fulfilled SKU, ``<SKU>-FBM``, in every week: the business report has a row per
  SKU, the FBM one right after the FBA one. Traffic belongs to the ASIN and is repeated on
  both rows (sessions, page views, their percentages, Featured Offer %); units, unit session
  % (the SKU's units ÷ the ASIN's sessions), sales and order items are the SKU's and add up to
  the ASIN's. The split draws from a generator of its own (``[seed, account position, 1]``),
  so no other number moves. The FBM SKU is not in the FBA inventory; ads advertise the FBA
  SKU. ``DemoManifest.business_rows`` has one row per SKU: count traffic once per ASIN.
* **A summary search term report.** nordwind-de's oldest 3 weeks of search terms come as one
  summary export (time unit "Summary": ``Start Date,End Date`` in place of ``Date``) in the
  folder of its first week, and those weeks have no daily search term or advertised product
  report (so the warehouse's campaign figures come from the summary, spread over its days).
  Each row sums the daily rows the generator would otherwise have written for its campaign ×
  ad group × targeting × match type × search term, from the first to the last of those days;
  most spans cross a week boundary (weeks the warehouse marks estimated). Only with at least
  5 weeks, so the stories' last two weeks stay daily.

Each account has a story the packs must reveal (stock-out, Buy Box lost, ACoS above target,
ODR breach, rating drop: see demo/stories.py); pacific-us has none (the control) and delivers
its ads reports as XLSX. sakura-jp's account-health JSON uses the spellings of Amazon's own
example (``prefulfillmentCancelRate``, ``ahrStatus``); the others use the schema's. Accounts
beyond the six named ones are ``acct-007``, ``acct-008``… cycling UK, DE, JP, US, without
stories.

Whenever all six named accounts are written, two language accounts come on top (accounts.yaml
``language_accounts``, portfolio ``cross-border`` with a Chinese boss pack), each drawing from
``default_rng([seed, stream])`` with a stream of its own (1001, 1002), so no other account's
file changes: **shenzhen-us** (Amazon.com, pack ``zh``) downloads Seller Central in Chinese —
the 2024–26 Chinese business report (13 columns, no B2B; ``US$1,100.15``; BOM) and the "new"
Chinese ads reports (``开始日期,结束日期`` per row, retailer and country columns, ``US$0.85``) —
with English titles, inventory and reviews; **milano-it** (Amazon.it, EUR, pack ``it``) has its
business report in English (the UK header, ``€1,234.56``: Italian business reports are not
evidenced), its search term report in Italian (``;``, BOM, ``nov 16, 2026``, ``4.200``,
``67,20``, campaign and ad group ids, no sales columns) and the advertised product report in
English; its titles and reviews are English too (the catalogue has no Italian yet).

The package, by job:

* ``catalogue.yaml``, ``reviews.yaml``, ``accounts.yaml`` — the data: product lines and titles
  per language, review text, the named accounts and portfolios;
* ``catalogue.py``, ``accounts.py`` — load that data, build an account's ASINs, write the
  home's accounts.yaml;
* ``markets.py`` — each marketplace's header text, encodings and number formats;
* ``simulate.py`` — sales, inventory, ads, reviews and account health, in a fixed draw order;
* ``stories.py`` — the stories, one small object per account, called through hooks;
* ``writers.py``, ``xlsx.py``, ``fx.py`` — the numbers as files;
* ``manifest.py`` — ``DemoScale`` in, ``DemoManifest`` out;
* ``generate.py`` — ``write_demo``, the entry point.
"""

from demo.generate import write_demo
from demo.manifest import DEMO_LAST_WEEK, BusinessRows, DemoManifest, DemoScale
from demo.markets import (
    BUSINESS_HEADERS,
    INVENTORY_HEADER,
    REVIEWS_HEADER,
    advertised_product_header,
    search_term_header,
)

__all__ = [
    "DEMO_LAST_WEEK",
    "BusinessRows",
    "DemoManifest",
    "DemoScale",
    "write_demo",
    "search_term_header",
    "advertised_product_header",
    "BUSINESS_HEADERS",
    "INVENTORY_HEADER",
    "REVIEWS_HEADER",
]
