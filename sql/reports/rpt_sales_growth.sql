-- Sales growth per account × week: week on week, last 4 weeks vs the 4 before, and the same ISO week a year earlier
with sales as (
    select * from marts.fct_sales_account_week
),

final as (
    select
        account_id,
        week_start,
        currency_code,
        revenue_amount,
        units,
        sessions,
        previous_revenue_amount,
        revenue_wow_pct,
        units_wow_pct,
        sessions_wow_pct,
        revenue_4w_amount,
        revenue_prior_4w_amount,
        revenue_4w_pct,
        units_4w_pct,
        last_year_week_start,
        last_year_revenue_amount,
        revenue_yoy_pct,
        units_yoy_pct
    from sales
)

select * from final
