-- Portfolio totals per portfolio × week in its base currency (dated ECB rates); a total is NULL while any account lacks a rate; the week-on-week change is like for like
with portfolios as (
    select * from marts.fct_portfolio_week
),

final as (
    select
        portfolio_id,
        portfolio_name,
        week_start,
        base_currency,
        accounts,
        vendor_accounts,
        comparable_accounts,
        not_comparable_account_ids,
        accounts_without_fx_rate,
        accounts_without_fx_rate_ids,
        revenue_base_amount,
        previous_revenue_base_amount,
        ad_spend_base_amount,
        ad_sales_base_amount,
        revenue_wow_pct,
        acos,
        tacos,
        oos_revenue_lost_base_amount,
        contribution_margin_base_amount,
        accounts_with_margin,
        accounts_with_health_breach,
        accounts_at_high_risk,
        max_risk_score
    from portfolios
)

select * from final
