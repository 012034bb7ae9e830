-- Account health per account × week × metric: the week's latest report against its threshold
with health as (
    select * from marts.fct_health_metric_week
),

final as (
    select
        account_id,
        week_start,
        metric,
        unit,
        report_date,
        rate,
        threshold_value,
        threshold_condition,
        status,
        threshold_source,
        defects,
        orders,
        date_from,
        date_to,
        is_breach
    from health
)

select * from final
