-- Date Range Report transaction rows as loaded, with the Monday week their day (in the marketplace's time zone) falls in
with source as (
    select * from raw.payments_date_range
),

final as (
    select
        *,
        date_trunc('week', posted_date)::date as week_start
    from source
)

select * from final
