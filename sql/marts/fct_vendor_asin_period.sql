-- Vendor (1P) exports downloaded for a month or a custom range, per account × ASIN × period, kept at that grain (never spread over weeks), dated by the Monday week holding the period's last day so the pack of that week can say what arrived
with periods as (
    select * from staging.stg_vendor__asin_periods
    where grain in ('month', 'custom')
),

accounts as (
    select account_id, distributor_view from marts.dim_accounts
    where account_kind = 'vendor'
),

final as (
    select
        periods.account_id,
        date_trunc('week', periods.period_end)::date as week_start,
        periods.grain,
        periods.period_start,
        periods.period_end,
        periods.asin,
        max(periods.title) as title,
        sum(periods.ordered_revenue_amount) as ordered_revenue_amount,
        sum(periods.ordered_units) as ordered_units,
        sum(periods.shipped_revenue_amount) as shipped_revenue_amount,
        sum(periods.shipped_cogs_amount) as shipped_cogs_amount,
        sum(periods.shipped_units) as shipped_units,
        sum(periods.customer_returns) as customer_returns,
        sum(periods.page_views) filter (where periods.family = 'traffic') as page_views,
        max(periods.net_ppm) filter (where periods.family = 'net_ppm') as net_ppm,
        list(distinct periods.source_file order by periods.source_file) as source_files
    from periods
    inner join accounts
        on periods.account_id = accounts.account_id
    where not periods.is_file_total
        and coalesce(periods.distributor_view, accounts.distributor_view)
        = accounts.distributor_view
        and coalesce(periods.program, 'retail') = 'retail'
    group by all
)

select * from final
