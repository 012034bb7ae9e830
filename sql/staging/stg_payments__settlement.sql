-- Settlement V2 rows (the summary row dated by its settlement's end) as loaded, with the Monday week their day (in the marketplace's time zone) falls in
with source as (
    -- a table built for one week reads only the exports whose period touches it (its readers
    -- look back 0 weeks), not all history
    select * from raw.settlement_v2
    where in_build_days(period_start, period_end, 0)
),

final as (
    select
        *,
        date_trunc('week', posted_date)::date as week_start
    from source
)

select * from final
