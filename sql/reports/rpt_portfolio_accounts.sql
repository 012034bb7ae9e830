-- One row per account × week for the boss pack (seller and vendor accounts side by side): revenue, growth, ads, health, Net PPM, stock risk and risk score, also in the portfolio's base currency
with accounts as (
    select * from marts.fct_portfolio_account_week
),

final as (
    select
        portfolio_id,
        portfolio_name,
        account_id,
        account_name,
        account_kind,
        week_start,
        currency_code,
        base_currency,
        fx_rate_to_base,
        fx_rate_date,
        revenue_amount,
        previous_revenue_amount,
        revenue_base_amount,
        previous_revenue_base_amount,
        revenue_wow_pct,
        revenue_4w_pct,
        revenue_yoy_pct,
        ad_spend_amount,
        ad_sales_amount,
        ad_spend_base_amount,
        ad_sales_base_amount,
        acos,
        tacos,
        contribution_margin_amount,
        contribution_margin_base_amount,
        margin_pct,
        margin_change_pts,
        margin_is_partial,
        net_ppm,
        net_ppm_change_pts,
        procurable_oos_pct,
        oos_revenue_lost_amount,
        lbb_price_pct,
        health_breaches,
        breached_metrics,
        revenue_at_risk_pct,
        health_points,
        stock_points,
        sales_points,
        ads_points,
        reviews_points,
        margin_points,
        buy_box_points,
        po_points,
        risk_score,
        is_high_risk
    from accounts
)

select * from final
