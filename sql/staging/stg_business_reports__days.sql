-- Business report by date: one row per account × day (totals across ASINs)
with source as (
    select * from raw.business_report_by_date
),

accounts as (
    select account_id, currency_code from raw.accounts
),

latest as (
    select *
    from source
    qualify row_number() over (
        partition by account_id, report_date order by loaded_at desc, file_hash
    ) = 1
),

final as (
    select
        latest.account_id,
        latest.report_date,
        date_trunc('week', latest.report_date)::date as week_start,
        coalesce(latest.revenue, 0) as revenue_amount,
        coalesce(latest.units, 0) as units,
        coalesce(latest.order_items, 0) as order_items,
        coalesce(latest.sessions, 0) as sessions,
        coalesce(latest.page_views, 0) as page_views,
        accounts.currency_code
    from latest
    inner join accounts on latest.account_id = accounts.account_id
)

select * from final
