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
        -- sales and units are required; traffic and order items stay NULL (unknown), never 0,
        -- where an export has no such column
        latest.revenue as revenue_amount,
        latest.units,
        latest.order_items,
        latest.sessions,
        latest.page_views,
        accounts.currency_code
    from latest
    inner join accounts on latest.account_id = accounts.account_id
)

select * from final
