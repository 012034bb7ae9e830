-- Risk score per account × week (0–100) with its five components beside it: health, stock, sales, ads, reviews
with risk as (
    select * from marts.fct_risk_account_week
),

final as (
    select
        account_id,
        week_start,
        health_breaches,
        breached_metrics,
        revenue_at_risk_pct,
        revenue_wow_pct,
        acos,
        target_acos,
        low_star_pct,
        health_points,
        stock_points,
        sales_points,
        ads_points,
        reviews_points,
        risk_score,
        is_high_risk
    from risk
)

select * from final
