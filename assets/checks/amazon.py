"""Amazon-specific data checks as SQL: each query returns the failing rows of one week.

A check names the asset it guards, its severity and the threshold a person needs to judge the
failure. Critical failures hold the packs of the accounts they name (``checks.holds``);
failures no account can be blamed for stop the whole run (see ``assets.checks.assets``).
Every query takes ``$week`` (the week start) and returns ``account_id`` (NULL when global) and
``detail``; it must be cheap: it reads one week.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

# per kind of account: the exports expected every week and how much their absence matters
EXPECTED_EXPORTS = {
    "seller": {
        "business_report_child_item": "critical",
        "fba_inventory": "warning",
        "sp_campaign|sp_advertised_product|sp_search_term": "warning",
        "customer_reviews": "warning",
        "account_health": "warning",
    },
    # a vendor's week comes from day or week exports (a month's does not make a week)
    "vendor": {
        "vendor_sales": "critical",
        "vendor_inventory": "warning",
        "vendor_traffic|vendor_sales": "warning",
        "vendor_net_ppm|vendor_sales": "warning",
    },
}
# shipped COGS above shipped revenue by more than this factor is a misread export, not a loss
COGS_REVENUE_FACTOR = 3
VENDOR_TOTALS_TOLERANCE = 0.01  # per ASIN row: rounding of the per-ASIN amounts
# settled product sales against the business reports' ordered sales over 4 weeks: orders settle
# when they ship (days later), so single weeks differ; four weeks agree within this share
SETTLEMENT_TOLERANCE = 0.10
RECONCILE_TOLERANCE = 0.01  # 1 % of revenue, at least one unit of currency
# a week's business report with this many times more (or fewer) sessions than its baseline
# covers another period: a month has ~4.3 weeks, a day 1/7 of one; Prime Day stays under 3
PERIOD_RATIO = 3


@dataclass(frozen=True)
class SqlCheck:
    name: str
    asset: tuple[str, str]
    severity: str  # critical | warning
    description: str
    threshold: str
    sql: str
    additional_deps: tuple[tuple[str, str], ...] = ()

    def failures(self, conn: duckdb.DuckDBPyConnection, week: str) -> list[dict]:
        """The failing rows, in a stable order (account, then detail): DuckDB's parallel
        scans give rows in any order, and the first few are kept as the check's sample."""
        cursor = conn.execute(self.sql, {"week": week})
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        return sorted(rows, key=lambda r: (r.get("account_id") or "", str(r.get("detail"))))


def _expected_exports_sql() -> str:
    families = " union all ".join(
        f"select '{account_kind}' as account_kind, '{kinds}' as kinds, '{severity}' as severity"
        for account_kind, expected in EXPECTED_EXPORTS.items()
        for kinds, severity in expected.items()
    )
    vendor_rows = " union all ".join(
        f"select account_id, '{kind}' as kind, start_date, end_date from raw.{kind}"
        for kind in ("vendor_sales", "vendor_inventory", "vendor_traffic", "vendor_net_ppm")
    )
    return f"""
        with expected as ({families}),
        loaded as (
            select account_id, kind from raw.ingest_log
            where status in ('loaded', 'loaded_with_rejects') and kind not like 'vendor_%'
              and period_start <= $week::date + 6 and period_end >= $week::date
            union all
            -- a vendor export makes the week it lands in only at day or week grain (a
            -- Sunday–Saturday week in the Monday week of its middle day, as in staging)
            select account_id, kind from ({vendor_rows}) as vendor
            where (end_date = start_date and date_trunc('week', start_date) = $week)
               or (end_date = start_date + 6 and date_trunc('week', start_date + 3) = $week)
        )
        select accounts.account_id,
            'no ' || replace(expected.kinds, '|', ' or ') || ' export for this week' as detail,
            expected.severity
        from raw.accounts as accounts
        inner join expected on accounts.account_kind = expected.account_kind
        where not exists (
            select 1 from loaded
            where loaded.account_id = accounts.account_id
              and list_contains(string_split(expected.kinds, '|'), loaded.kind)
        )
    """


CHECKS: tuple[SqlCheck, ...] = (
    SqlCheck(
        name="exports_complete",
        asset=("raw", "ingest_log"),
        severity="critical",
        description="Every expected export is present per account and week (the business "
        "report is critical; the others are warnings).",
        threshold="sellers: business report, FBA inventory, one Sponsored Products report, "
        "reviews, account health; vendors: a day or week Sales export (critical), Inventory, "
        "Traffic and Net PPM",
        sql=_expected_exports_sql(),
    ),
    SqlCheck(
        name="replacements_complete",
        asset=("raw", "ingest_log"),
        severity="critical",
        description="A new export of a report already loaded for the same account and period "
        "replaces it only when it is at least as complete (rows read, rows loaded, known "
        "columns); a header-only or cut-off copy is held apart by ingestion "
        "(status held_incomplete, its rows not loaded) and holds the pack until the inbox "
        "says which file is right. The detail names both files and what to do.",
        threshold="no held replacement in the week",
        sql="""
            select account_id, message as detail
            from raw.ingest_log
            where status = 'held_incomplete'
              and period_start <= $week::date + 6 and period_end >= $week::date
            order by source_file
        """,
    ),
    SqlCheck(
        name="units_at_least_order_items",
        asset=("staging", "stg_business_reports__child_items"),
        severity="critical",
        description="Units ordered are never fewer than order items (an order item holds "
        "one or more units).",
        threshold="units ≥ order items per row",
        sql="""
            select account_id, child_asin || ' ' || sku || ': ' || units || ' units < '
                || order_items || ' order items (' || source_file || ' line '
                || source_line || ')' as detail
            from staging.stg_business_reports__child_items
            where week_start = $week and units < order_items
        """,
    ),
    SqlCheck(
        name="rates_and_ratings_in_range",
        asset=("raw", "business_report_child_items"),
        severity="critical",
        description="Percentages lie in 0..1 after parsing (Buy Box, session share) and star "
        "ratings in 1..5; anything else means a misread export.",
        threshold="0 ≤ rate ≤ 1; 1 ≤ rating ≤ 5",
        sql="""
            select account_id, 'Buy Box ' || buy_box_pct || ' on ' || child_asin
                || ' (' || source_file || ' line ' || source_line || ')' as detail
            from raw.business_report_child_items
            where period_start = $week and (buy_box_pct < 0 or buy_box_pct > 1
                or session_pct < 0 or session_pct > 1)
            union all
            select account_id, 'rating ' || star_rating || ' in review ' || review_id
            from raw.customer_reviews
            where period_start <= $week::date + 6 and period_end >= $week::date
                and review_date between $week::date and $week::date + 6
                and (star_rating < 1 or star_rating > 5)
            union all
            select account_id, metric || ' rate ' || rate || ' (' || source_file || ')'
            from raw.account_health
            where date_to between $week::date and $week::date + 6 and (rate < 0 or rate > 1)
        """,
    ),
    SqlCheck(
        name="child_items_reconcile_with_by_date",
        asset=("marts", "fct_sales_asin_week"),
        severity="critical",
        description="Revenue by child item adds up to the business report by date for the "
        "same week (when both were exported).",
        threshold=f"|difference| ≤ max({RECONCILE_TOLERANCE:.0%} of revenue, 1.00)",
        additional_deps=(("staging", "stg_business_reports__days"),),
        sql=f"""
            with by_item as (
                select account_id, sum(revenue_amount) as revenue
                from marts.fct_sales_asin_week where week_start = $week group by all
            ),
            by_day as (
                select account_id, sum(revenue_amount) as revenue, count(*) as days
                from staging.stg_business_reports__days where week_start = $week group by all
            )
            select by_item.account_id, 'by child item ' || by_item.revenue || ' vs by date '
                || by_day.revenue as detail
            from by_item inner join by_day using (account_id)
            where by_day.days = 7 and abs(by_item.revenue - by_day.revenue)
                > greatest({RECONCILE_TOLERANCE} * by_day.revenue, 1)
        """,
    ),
    SqlCheck(
        name="business_report_period_plausible",
        asset=("marts", "fct_sales_asin_week"),
        severity="critical",
        description="A week's business report covers that week: its sessions (sales when "
        "there are none) are compared with the business report by date of the same week when "
        "it covers all 7 days, else with the median of the account's 2–4 weeks before. A "
        "monthly or one-day report in a week folder would otherwise become that week.",
        threshold=f"1/{PERIOD_RATIO} ≤ this week ÷ baseline ≤ {PERIOD_RATIO}",
        additional_deps=(("staging", "stg_business_reports__days"), ("raw", "ingest_log")),
        sql=f"""
            with weekly as (
                select account_id, week_start, sum(sessions) as sessions,
                    sum(revenue_amount) as revenue
                from marts.fct_sales_asin_week
                where week_start between $week::date - 28 and $week::date
                group by all
            ),
            by_day as (
                select account_id, sum(sessions) as sessions, sum(revenue_amount) as revenue
                from staging.stg_business_reports__days where week_start = $week
                group by all having count(*) = 7
            ),
            recent as (
                select account_id, median(sessions) as sessions, median(revenue) as revenue,
                    count(*) as weeks
                from weekly where week_start < $week
                group by all having count(*) >= 2
            ),
            baselines as (
                select weekly.account_id, weekly.sessions, weekly.revenue,
                    coalesce(by_day.sessions, recent.sessions) as base_sessions,
                    coalesce(by_day.revenue, recent.revenue) as base_revenue,
                    case when by_day.account_id is not null
                        then 'the business report by date of the same week'
                        else 'the median of the ' || recent.weeks || ' weeks before'
                    end as baseline
                from weekly
                left join by_day using (account_id)
                left join recent using (account_id)
                where weekly.week_start = $week
                    and (by_day.account_id is not null or recent.account_id is not null)
            ),
            judged as (
                select *,
                    case when sessions > 0 and base_sessions > 0 then 'sessions' else 'sales' end
                    as measure,
                    case when sessions > 0 and base_sessions > 0 then sessions / base_sessions
                        else revenue / nullif(base_revenue, 0) end as ratio
                from baselines
            ),
            files as (
                select account_id, string_agg(source_file, ', ' order by source_file) as files
                from raw.ingest_log
                where kind = 'business_report_child_item' and week_start = $week
                    and status in ('loaded', 'loaded_with_rejects')
                group by all
            )
            select judged.account_id,
                files.files || ' has ' || round(ratio, 2) || '× the ' || measure || ' of '
                || baseline || ', as if it covered about '
                || case when ratio < 1.5 / 7 then '1 day'
                    else round(7 * ratio)::integer || ' days' end
                || ', not the week ' || strftime($week::date, '%Y-%m-%d') || ' to '
                || strftime($week::date + 6, '%Y-%m-%d') || '. Export "Detail Page Sales and '
                || 'Traffic by Child Item" for exactly those 7 days and put it in the same '
                || 'folder named replace-<its name>: it replaces this one (a shorter report '
                || 'would otherwise be held as less complete).' as detail
            from judged left join files using (account_id)
            where ratio > {PERIOD_RATIO} or ratio < 1.0 / {PERIOD_RATIO}
        """,
    ),
    SqlCheck(
        name="ad_sales_within_total_sales",
        asset=("marts", "fct_ads_campaign_week"),
        severity="critical",
        description="Ad-attributed sales of a week never exceed the account's total ordered "
        "sales of that week.",
        threshold="ad sales ≤ ordered product sales",
        additional_deps=(("marts", "fct_sales_asin_week"),),
        sql="""
            with ads as (
                select account_id, sum(ad_sales_amount) as ad_sales
                from marts.fct_ads_campaign_week where week_start = $week group by all
            ),
            sales as (
                select account_id, sum(revenue_amount) as revenue
                from marts.fct_sales_asin_week where week_start = $week group by all
            )
            select ads.account_id, 'ad sales ' || ads.ad_sales || ' > total sales '
                || sales.revenue as detail
            from ads inner join sales using (account_id)
            where ads.ad_sales > sales.revenue
        """,
    ),
    SqlCheck(
        name="ads_in_the_accounts_currency",
        asset=("staging", "stg_sp__report_days"),
        severity="critical",
        description="Sponsored Products rows are in the account's currency (their Currency "
        "column or the currency in their headers); another currency would be added to the "
        "account's money as if it were its own.",
        threshold="currency = the account's marketplace currency",
        sql="""
            select ads.account_id,
                ads.source_file || ': ' || count(*) || ' rows in '
                || coalesce(ads.currency, ads.header_currency) || ' (first at line '
                || min(ads.source_line) || '), but the account''s currency is '
                || accounts.currency_code || '. Export the report from the ads console of this '
                || 'account''s marketplace, or move the file to the account it belongs to.'
                as detail
            from staging.stg_sp__report_days as ads
            inner join raw.accounts as accounts on ads.account_id = accounts.account_id
            where ads.week_start = $week
                and coalesce(ads.currency, ads.header_currency) <> accounts.currency_code
            group by ads.account_id, ads.source_file, coalesce(ads.currency, ads.header_currency),
                accounts.currency_code
        """,
    ),
    SqlCheck(
        name="grain_unique",
        asset=("marts", "fct_sales_asin_week"),
        severity="critical",
        description="One row per account × week × child ASIN in the sales mart.",
        threshold="0 duplicate keys",
        sql="""
            select account_id, child_asin || ' appears ' || count(*) || ' times' as detail
            from marts.fct_sales_asin_week where week_start = $week
            group by account_id, child_asin having count(*) > 1
        """,
    ),
    SqlCheck(
        name="overlapping_exports",
        asset=("raw", "ingest_log"),
        severity="warning",
        description="Two different exports of the same report and account cover overlapping "
        "dates; both count, which may double numbers in reports without a daily grain.",
        threshold="no overlapping periods between loaded files of one report",
        sql="""
            with files as (
                select * from raw.ingest_log
                -- vendor exports of one period are counted once per row, and a month kept
                -- apart from the weeks it overlaps (stg_vendor__asin_periods)
                where status in ('loaded', 'loaded_with_rejects') and kind not like 'vendor_%'
                  and period_start <= $week::date + 6 and period_end >= $week::date
            )
            select a.account_id, a.kind || ': ' || a.source_file || ' overlaps '
                || b.source_file as detail
            from files as a inner join files as b
                on a.account_id = b.account_id and a.kind = b.kind
                and a.file_hash < b.file_hash
                and a.period_start <= b.period_end and b.period_start <= a.period_end
        """,
    ),
    SqlCheck(
        name="data_fresh",
        asset=("raw", "ingest_log"),
        severity="warning",
        description="Dated exports reach the end of the week (data through the Sunday).",
        threshold="data through ≥ week end",
        sql="""
            select account_id, kind || ' data only through ' || max(period_end) as detail
            from raw.ingest_log
            where status in ('loaded', 'loaded_with_rejects') and kind like 'sp_%'
              and period_start <= $week::date + 6 and period_end >= $week::date
            group by account_id, kind
            having max(period_end) < $week::date + 6
        """,
    ),
    SqlCheck(
        name="ads_provisional",
        asset=("staging", "stg_sp__campaigns"),
        severity="warning",
        description="Ad data for the last days before an export is provisional: Amazon still "
        "attributes sales to those clicks (how many days: the marketplace's provisional_days "
        "threshold).",
        threshold="report date ≤ export date − provisional_days",
        sql="""
            select account_id, count(*) || ' provisional days of ' || campaign_name as detail
            from staging.stg_sp__campaigns
            where week_start = $week and is_provisional
            group by account_id, campaign_name
        """,
    ),
    SqlCheck(
        name="vendor_banner_matches_account",
        asset=("staging", "stg_vendor__asin_periods"),
        severity="critical",
        description="A vendor export's banner (or SP-API report options) is of the account's "
        "distributor view and in its currency: a Sourcing view counts other units and money "
        "than a Manufacturing one, and another currency would be added as if it were the "
        "account's. Rows of another view are left out of the figures; the pack waits.",
        threshold="Distributor View = the account's distributor_view; Currency = the account's",
        sql="""
            select periods.account_id,
                periods.source_file || ': ' || string_agg(distinct
                    case
                        when periods.distributor_view <> accounts.distributor_view
                            then 'Distributor View is ' || periods.distributor_view
                                || ', but the account''s distributor_view is '
                                || accounts.distributor_view
                        when periods.currency_code <> accounts.currency_code
                            then 'Currency is ' || periods.currency_code
                                || ', but the account''s currency is ' || accounts.currency_code
                    end, '; ')
                || '. Download the report again in the account''s view and marketplace, or '
                || 'correct distributor_view in accounts.yaml if the account changed views.'
                as detail
            from staging.stg_vendor__asin_periods as periods
            inner join raw.accounts as accounts on periods.account_id = accounts.account_id
            where periods.week_start = $week
                and (periods.distributor_view <> accounts.distributor_view
                    or periods.currency_code <> accounts.currency_code)
            group by periods.account_id, periods.source_file
        """,
    ),
    SqlCheck(
        name="vendor_totals_reconcile",
        asset=("staging", "stg_vendor__asin_periods"),
        severity="critical",
        description="A vendor export's per-ASIN rows add up to the file's own totals (the "
        "SP-API report's aggregate): ordered and shipped revenue, shipped COGS and units. A "
        "gap means rows were lost or cut off on the way.",
        threshold=f"|Σ ASINs − total| ≤ {VENDOR_TOTALS_TOLERANCE} per ASIN row for amounts; "
        "units exactly",
        sql=f"""
            with files as (
                select account_id, source_file, family, period_start, period_end,
                    count(*) filter (where not is_file_total) as asin_rows,
                    sum(ordered_revenue_amount) filter (where not is_file_total) as ordered_asins,
                    sum(ordered_revenue_amount) filter (where is_file_total) as ordered_total,
                    sum(shipped_revenue_amount) filter (where not is_file_total) as shipped_asins,
                    sum(shipped_revenue_amount) filter (where is_file_total) as shipped_total,
                    sum(shipped_cogs_amount) filter (where not is_file_total) as cogs_asins,
                    sum(shipped_cogs_amount) filter (where is_file_total) as cogs_total,
                    sum(ordered_units) filter (where not is_file_total) as units_asins,
                    sum(ordered_units) filter (where is_file_total) as units_total,
                    sum(shipped_units) filter (where not is_file_total) as shipped_units_asins,
                    sum(shipped_units) filter (where is_file_total) as shipped_units_total
                from staging.stg_vendor__asin_periods
                where week_start = $week
                group by all
                having count(*) filter (where is_file_total) > 0
            ),
            gaps as (
                select files.*, unnest([
                    'ordered revenue', 'shipped revenue', 'shipped COGS', 'ordered units',
                    'shipped units'
                ]) as measure,
                unnest([ordered_asins, shipped_asins, cogs_asins, units_asins,
                    shipped_units_asins]::double[]) as asins,
                unnest([ordered_total, shipped_total, cogs_total, units_total,
                    shipped_units_total]::double[]) as total,
                unnest([{VENDOR_TOTALS_TOLERANCE} * asin_rows, {VENDOR_TOTALS_TOLERANCE}
                    * asin_rows, {VENDOR_TOTALS_TOLERANCE} * asin_rows, 0, 0]) as tolerance
                from files
            )
            select account_id,
                source_file || ' (' || period_start || ' to ' || period_end || '): the ASINs'' '
                || measure || ' add up to ' || round(coalesce(asins, 0), 2) || ', the file''s '
                || 'total says ' || round(total, 2) || '. Download the report again; if the '
                || 'new copy differs the same way, tell Amazon Vendor Central support.' as detail
            from gaps
            where total is not null and abs(coalesce(asins, 0) - total) > tolerance
        """,
    ),
    SqlCheck(
        name="vendor_margin_plausible",
        asset=("marts", "fct_vendor_asin_week"),
        severity="critical",
        description="Net PPM is a margin: the account's lies within 0–100 % and no ASIN's "
        "above 100 % (an ASIN Amazon sells below cost has a negative one, which is real); "
        "shipped COGS far above shipped revenue means a misread or mislabelled column.",
        threshold=f"0 ≤ account Net PPM ≤ 1; ASIN Net PPM ≤ 1; shipped COGS ≤ "
        f"{COGS_REVENUE_FACTOR} × shipped revenue",
        sql=f"""
            select account_id,
                'Net PPM of the account is ' || round(100 * net_ppm, 1)
                || ' %, outside 0–100 %: check that the Net PPM export is a percentage of '
                || 'this account''s view' as detail
            from marts.fct_vendor_account_week
            where week_start = $week and (net_ppm < 0 or net_ppm > 1)
            union all
            select account_id,
                asin || ': Net PPM ' || round(100 * net_ppm, 1)
                || ' % is above 100 %: the column was probably read in the wrong unit; check '
                || 'the export' as detail
            from marts.fct_vendor_asin_week
            where week_start = $week and net_ppm > 1
            union all
            select account_id,
                'shipped COGS ' || round(shipped_cogs_amount, 2) || ' is more than '
                || {COGS_REVENUE_FACTOR} || '× shipped revenue ' || round(shipped_revenue_amount, 2)
                || ': check that the Sales export''s columns are what their headers say' as detail
            from marts.fct_vendor_account_week
            where week_start = $week
                and shipped_cogs_amount > {COGS_REVENUE_FACTOR} * shipped_revenue_amount
        """,
        additional_deps=(("marts", "fct_vendor_account_week"),),
    ),
    SqlCheck(
        name="settled_sales_reconcile",
        asset=("marts", "fct_margin_account_week"),
        severity="warning",
        description="The payment exports' settled product sales of the last 4 weeks agree with "
        "the business reports' ordered product sales of the same weeks (orders settle when "
        "they ship, so one week alone may differ; a larger gap means a payment export or a "
        "business report is missing or cut short).",
        threshold=f"|settled − ordered| ≤ {SETTLEMENT_TOLERANCE:.0%} of ordered, over 4 weeks",
        sql=f"""
            with settled as (
                select account_id, sum(settled_sales_amount) as settled, count(*) as weeks
                from marts.fct_margin_account_week
                where week_start between $week::date - 21 and $week::date
                group by account_id
            ),
            ordered as (
                select account_id, sum(revenue_amount) as ordered, count(*) as weeks
                from marts.fct_sales_account_week
                where week_start between $week::date - 21 and $week::date
                group by account_id
            )
            select settled.account_id,
                'settled product sales of the last 4 weeks ' || round(settled.settled, 2)
                || ' against ordered product sales ' || round(ordered.ordered, 2) || ' ('
                || round(100 * (settled.settled / ordered.ordered - 1), 1) || ' %): check that '
                || 'every week''s Date Range Report and business report is in the inbox'
                as detail
            from settled
            inner join ordered on settled.account_id = ordered.account_id
            where settled.weeks = 4 and ordered.weeks = 4
                and abs(settled.settled - ordered.ordered)
                > {SETTLEMENT_TOLERANCE} * abs(ordered.ordered)
        """,
        additional_deps=(("marts", "fct_sales_account_week"),),
    ),
    SqlCheck(
        name="payment_types_known",
        asset=("marts", "fct_payment_lines_week"),
        severity="warning",
        description="Every transaction type and settlement amount in the payment exports is one "
        "SellerPulse knows how to count (a new Amazon fee must not vanish from the margin "
        "unseen). An unknown one is named, with its amount; it is left out of the margin.",
        threshold="no line of an unknown type",
        sql="""
            select account_id,
                coalesce(transaction_type, description) || ' in ' || source_file || ' ('
                || count(*) || ' lines, ' || round(sum(amount), 2) || ' '
                || any_value(currency_code) || ', first at line ' || min(source_line)
                || '): not a transaction type SellerPulse knows, so it is not in the margin; '
                || 'add it to assets/core/registry/payment_types.yaml (or settlement_amounts.yaml)'
                as detail
            from marts.fct_payment_lines_week
            where week_start = $week and category = 'unknown'
            group by account_id, source_file, coalesce(transaction_type, description)
        """,
    ),
    SqlCheck(
        name="unit_costs_complete",
        asset=("marts", "fct_margin_asin_week"),
        severity="warning",
        description="Every SKU that sold has a unit cost in unit_costs.csv; without one its cost "
        "of goods is unknown and the account's margin is marked partial.",
        threshold="a unit cost for every SKU with units settled",
        sql="""
            select lines.account_id,
                lines.sku || ': ' || sum(lines.quantity) || ' units settled without a unit '
                || 'cost; add it to unit_costs.csv (account,sku,cost,currency[,valid_from])'
                as detail
            from marts.fct_payment_lines_week as lines
            left join marts.dim_unit_costs as costs
                on lines.account_id = costs.account_id
                and lines.sku = costs.sku
                and lines.posted_date between costs.valid_from and costs.valid_to
            where lines.week_start = $week and lines.category = 'product_sales'
                and lines.quantity > 0 and costs.sku is null
            group by lines.account_id, lines.sku
        """,
        additional_deps=(("marts", "fct_payment_lines_week"), ("marts", "dim_unit_costs")),
    ),
)
