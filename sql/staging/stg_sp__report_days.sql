-- Sponsored Products rows of the campaign, advertised product and search term reports, one per day: a summary export's row (Start Date..End Date) is spread evenly over its days, and each day counts from one kind of export only (daily exports, else the one summary export that covers it most closely)
with campaigns as (
    select 'campaign' as report, * from raw.sp_campaigns
),

advertised_products as (
    select 'advertised_product' as report, * from raw.sp_advertised_products
),

search_terms as (
    select 'search_term' as report, * from raw.sp_search_terms
),

source as (
    select
        *,
        report_date as span_start,
        coalesce(end_date, report_date) as span_end,
        -- a summary export (time unit "Summary") has Start and End Date; a row's span is the
        -- first to the last day it had activity in the export's period
        end_date is not null as is_summary
    from (
        select * from campaigns
        union all by name
        select * from advertised_products
        union all by name
        select * from search_terms
    )
    -- a table built for one week reads only the exports whose period touches it (every one
    -- that has or covers one of its days), not all history; its readers look back 0 weeks
    where in_build_days(period_start, period_end, 0)
),

daily as (
    select *, false as is_estimated
    from source
    where not is_summary
),

daily_exports as (
    -- the days each daily export covers (its period is its first to its last row's date)
    select distinct report, account_id, period_start, period_end
    from source
    where not is_summary
),

spread as (
    -- day i (from 0) of n gets floor(total × (i + 1) / n) − floor(total × i / n): the days add
    -- up to the row's total exactly, counts stay whole and amounts whole cents
    select
        spans.* exclude (report_date, impressions, clicks, spend, sales, orders, units, i),
        span_start + i::integer as report_date,
        (i + 1) * impressions // days_in_span - i * impressions // days_in_span as impressions,
        (i + 1) * clicks // days_in_span - i * clicks // days_in_span as clicks,
        (((i + 1) * spend_cents // days_in_span - i * spend_cents // days_in_span) / 100)
            ::decimal(18, 2) as spend,
        (((i + 1) * sales_cents // days_in_span - i * sales_cents // days_in_span) / 100)
            ::decimal(18, 2) as sales,
        (i + 1) * orders // days_in_span - i * orders // days_in_span as orders,
        (i + 1) * units // days_in_span - i * units // days_in_span as units,
        -- a week's figures are exact when the whole span falls in that week
        date_trunc('week', span_start) <> date_trunc('week', span_end) as is_estimated
    from (
        -- a row per day of the span with unnest: DuckDB estimated a join with range() at
        -- rows × rows and sized the windows after it for that many (3× a weekly build's time)
        select
            *,
            span_end - span_start + 1 as days_in_span,
            (spend * 100)::bigint as spend_cents,
            (sales * 100)::bigint as sales_cents,
            unnest(range(span_end - span_start + 1)) as i
        from source
        where is_summary
    ) as spans
),

summary_days as (
    -- a day a daily export covers comes from daily exports alone; else from the summary export
    -- with the shortest period that covers it (the most exact), the latest loaded on a tie
    select spread.*
    from spread
    where not exists (
        select 1
        from daily_exports
        where daily_exports.report = spread.report
            and daily_exports.account_id = spread.account_id
            and spread.report_date between daily_exports.period_start and daily_exports.period_end
    )
    qualify dense_rank() over (
        partition by spread.report, spread.account_id, spread.report_date
        order by spread.period_end - spread.period_start, spread.loaded_at desc, spread.file_hash
    ) = 1
),

accounts as (
    select account_id, currency_code, marketplace from raw.accounts
),

marketplaces as (
    select marketplace, threshold_provisional_days from raw.marketplaces
),

days as (
    select * from daily
    union all by name
    select * from summary_days
),

final as (
    -- the canonical measures every Sponsored Products staging view shares
    select
        days.* exclude (span_start, span_end, days_in_span, spend_cents, sales_cents)
        replace (
            -- a header without its window ("Total Sales") has Amazon's default for sellers
            coalesce(days.attribution_days, 7) as attribution_days
        ),
        date_trunc('week', days.report_date)::date as week_start,
        days.spend as spend_amount,
        days.sales as ad_sales_amount,
        days.orders as ad_orders,
        -- unknown stays NULL, never 0: a campaign report has no units column
        days.units as ad_units,
        -- Amazon keeps attributing sales to the last days' clicks after an export (the
        -- export's period ends on its last day); how many: marketplaces.yaml
        days.report_date > days.period_end - marketplaces.threshold_provisional_days::integer
        as is_provisional,
        coalesce(days.currency, days.header_currency, accounts.currency_code) as currency_code
    from days
    inner join accounts on days.account_id = accounts.account_id
    left join marketplaces on accounts.marketplace = marketplaces.marketplace
)

select * from final
