-- Settlement V2 rows (the summary row dated by its settlement's end) as loaded, with the Monday week their day (in the marketplace's time zone) falls in
with source as (
    select * from raw.settlement_v2
),

final as (
    select
        *,
        date_trunc('week', posted_date)::date as week_start
    from source
)

select * from final
