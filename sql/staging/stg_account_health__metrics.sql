-- Account health metrics as reported: one row per account × report date × metric × channel
with source as (
    select * from raw.account_health
),

latest as (
    select *
    from source
    qualify row_number() over (
        partition by account_id, date_to, metric, channel order by loaded_at desc, file_hash
    ) = 1
),

final as (
    select
        account_id,
        date_to as report_date,
        date_trunc('week', date_to)::date as week_start,
        metric,
        channel,
        rate,
        target_value,
        target_condition,
        status,
        defects,
        orders,
        date_from,
        date_to
    from latest
)

select * from final
