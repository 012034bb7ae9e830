"""Deterministic demo data: every export family written exactly as Amazon delivers it.

Why this exists: ``make demo``, the benchmark and the tests need inboxes that look like the real
thing — the header text, encodings, BOMs, number formats and quoting of each marketplace (see
design.md §4) — without shipping any seller's data. Every number is drawn from
``numpy.random.default_rng([seed, account position])`` and no clock is read, so the same
inputs give byte-identical files, whether one process writes them or a pool (large scales).

What gets written under ``home``:

* ``accounts.yaml``, ``fx_rates.csv`` (ECB reference-rate layout, newest day first) and
  ``unit_costs.csv`` (``account,sku,cost,currency,valid_from``: every seller SKU's cost, 35–45 %
  of its list price, an FBM SKU's the same as its FBA SKU's; nordwind-de's best seller a second
  time, 25 % dearer from the Wednesday of the last week but one, a supplier's increase; the
  vendor account's own cost price per ASIN, the ASIN in the sku column; valid_from empty =
  always);
* ``inbox/<account>/<week start>/`` with five export families per seller account and week:
  ``BusinessReport-DD-MM-YYYY.csv`` (Detail Page Sales and Traffic by Child Item; UK en-dash
  sentence case with BOM, US title case with hyphens, German, Japanese),
  ``Manage_FBA_Inventory_<digits>.txt`` (tab-separated; Windows-1252 for UK/US),
  ``Sponsored Products Search term report.csv|.xlsx`` and
  ``Sponsored Products Advertised product report.csv|.xlsx`` (daily rows, 7-day attribution),
  ``reviews.tsv`` (Customer Reviews dataset layout) and ``account-health.json``
  (SP-API ``GET_V2_SELLER_PERFORMANCE_REPORT``);
* and the payments (demo/payments.py, ../shared/export-headers.md §3), from a generator of their
  own (``[seed, account position, 2]``), so no other file moved when they came:
  ``<2026Nov16-2026Nov22>CustomTransaction.csv``, the week's Date Range Report in the account's
  Seller Central language — the English 2025+ preamble and US layout (``Sep 4, 2026 1:05:07 AM
  PDT``), the UK wording (fulfilment, postage credits; ``1 May 2026 00:09:17 UTC``), the German
  order of §3.4 (``01.05.2026 10:05:35 UTC``, ``1.234,56``), Italian (``17 nov 2026 22:37:41
  UTC``) and Japanese (``2026/11/16 10:05:35 JST``, not evidenced) headers with no preamble (none
  is evidenced in those languages); shenzhen-us gets the English US one (no Chinese one is
  evidenced). One Order row per SKU and day, settled a day or two after the order (so the
  business report's units and sales, less the last days' ``DemoManifest.pending_units``),
  refunds in later weeks, the week's ad spend billed as "Cost of Advertising", monthly storage,
  a Transfer per settled fortnight (en, de). acme-us also has a ``Settlement_V2_<id>.txt`` of
  its last two weeks (the same transactions), acme-uk a ``PaymentsTransactions_<week>.csv``
  (Transaction view) of its last week. ``DemoManifest.payments`` has each week's truth
  (settled sales, refunds, fees, advertising, COGS, contribution margin).

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
its ads reports as XLSX. Three stories are in the payments only (demo/stories.py
``MARGIN_STORIES``, (g)–(i)): **milano-it**'s FBA fees per unit rise 50 % in the last week, so
its contribution margin falls (9,790.15 → 9,225.08 €, 31.3 % → 27.5 % of settled sales at the
default scale) while its settled sales grow (31,247.53 → 33,536.89 €); **acme-uk** gets a
refund wave on its second ASIN in the last week (35 % of the units settled in the three weeks
before: refunds 1,195.61 → 5,192.56 £); **nordwind-de**'s supplier raises its best seller's
unit cost by 25 % from the Wednesday of the last week but one. sakura-jp's account-health
JSON uses the spellings of Amazon's own example (``prefulfillmentCancelRate``,
``ahrStatus``); the others use the schema's. Accounts beyond the six named ones are
``acct-007``, ``acct-008``… cycling UK, DE, JP, US, without stories.

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

With them comes a vendor account (accounts.yaml ``vendor_accounts``; demo/vendor.py), from
``default_rng([seed, 1003])``: **rhein-vendor-de** "Rheinwerk Küchen (Vendor) DE" sells its
kitchen line (the catalogue's German titles, ``scale.asins`` ASINs) to Amazon.de (Vendor
Central, 1P, EUR, pack ``de``) and sits in portfolio ``eu`` beside the sellers, so the boss pack
shows both kinds. The home's accounts.yaml gives it ``kind: vendor``, ``distributor_view:
manufacturing``, recipients, ``lead_time_days: 28`` and no ads targets. Its exports are Vendor
Central's Retail Analytics shapes (../shared/export-headers.md §4) with English headers, the
only ones evidenced: the German UI shows only in the banner (``Locale=[de_DE]``,
``Currency=[EUR]``, dd/mm/yy dates); money is written ``€1,234.56`` as in the real IN/US
exports. Vendor weeks run Sunday to Saturday; each weekly file sits in the folder of the Monday
week holding six of its seven days (``inbox/<account>/<Monday>/``), for the demo's weeks and
the same weeks a year earlier (364 days back, for year-on-year Net PPM and ASP):

* ``Sales_ASIN_Manufacturing_Retail_DE_Weekly_<dd-mm-yyyy>_<dd-mm-yyyy>.csv`` — the Sales
  Diagnostic: the banner row (one ``Label=[value]`` per cell: Programme, Distributor View, View
  By, Countries, Businesses, Locale, Currency, Reporting Range, Viewing Range, Report Updated),
  then ASIN, Product Title, Brand and ordered revenue and units, shipped revenue, COGS and units,
  customer returns, each with its "- Prior Period (%)" and "- Same Period Last Year (%)"
  (US 2025 layout), and LBB (Price) (legacy sales diagnostic);
* ``Inventory_…xlsx`` — Inventory Health (US 2025 columns), the whole banner in one cell
  separated by spaces; numbers with number formats, percentages as fractions;
* ``Traffic_…csv`` — Featured Offer Page Views with their two changes, the banner wrapped onto
  two rows; ``NetPPM_…csv`` — Net PPM % and the prior period's in basis points;
* in this year's fourth-last week ``GET_VENDOR_SALES_REPORT_<start>_<end>.json`` (SP-API; the
  aggregate is the sum of the ASINs) in place of that week's Sales CSV; in the last week
  ``GET_VENDOR_FORECASTING_REPORT_<date>.json``, generated on the Sunday that ends it, with the
  next 8 weeks' mean/P70/P80/P90 units per ASIN;
* loose in ``inbox/rhein-vendor-de/``: the Sales Diagnostic of the last full calendar month
  before the last week (``Reporting Range=[Month]``, ``Viewing Range=[01/10/26 - 31/10/26]``
  by default), a month kept at its grain: its period comes from its banner, not a folder.

Its story (demo/stories.py (f)): in the last week but one a third party undercuts Amazon on its
best seller (LBB (Price) ~35 % of page views); in the last week Amazon matches (LBB ~5 %, ASP
−15 %): ordered units +~40 %, ordered revenue up less, Net PPM from 28 % to ~19 %. A second
ASIN runs out at Amazon (Sourceable Product OOS ~60 %, sellable on hand ~0) while the forecast
keeps its demand and its open PO units cover about a third of the forecast over the lead time;
the last ASIN is overstocked with mostly aged 90+ stock. The manifest lists the three parts
(``vendor-price-match``, ``vendor-out-of-stock``, ``vendor-aged-stock``); a vendor has no
``business_rows``.

The package, by job:

* ``catalogue.yaml``, ``reviews.yaml``, ``accounts.yaml`` — the data: product lines and titles
  per language, review text, the named accounts and portfolios;
* ``catalogue.py``, ``accounts.py`` — load that data, build an account's ASINs, write the
  home's accounts.yaml;
* ``markets.py`` — each marketplace's header text, encodings and number formats;
* ``simulate.py`` — sales, inventory, ads, reviews and account health, in a fixed draw order;
* ``stories.py`` — the stories, one small object per account, called through hooks;
* ``payments.py`` — the sellers' payments: transactions, Date Range Reports, the settlement
  file and the Transaction view;
* ``vendor.py`` — the vendor account: its weeks, stock and forecast, and its Vendor Central
  files;
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
