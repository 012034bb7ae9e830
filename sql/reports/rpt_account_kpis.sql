-- Public KPI table, long format: one row per account × week × metric, with its unusual-change baseline
with kpis as (
    select * from marts.fct_kpis_metric_week
),

final as (
    select
        account_id,
        week_start,
        metric,
        value,
        unit,
        currency_code,
        baseline_low,
        baseline_high,
        flag
    from kpis
)

select * from final
