-- One row per account × week for the boss pack: revenue, growth, ads, health, stock risk and risk score, also in the portfolio's base currency
with growth as (
    select * from marts.fct_sales_account_week
    where in_look_back(week_start, 0)
),

advertising as (
    select * from marts.fct_ads_account_week
    where in_look_back(week_start, 0)
),

risk as (
    select * from marts.fct_risk_account_week
    where in_look_back(week_start, 0)
),

fx_rates as (
    select * from marts.fct_fx_rates_week
    where in_look_back(week_start, 0)
),

accounts as (
    select * from marts.dim_accounts
),

account_weeks as (
    -- an account with ads but no business report this week is still in the portfolio
    select account_id, week_start from growth
    union
    select account_id, week_start from advertising
),

converted as (
    select
        account_weeks.account_id,
        account_weeks.week_start,
        accounts.currency_code,
        growth.* exclude (account_id, week_start, currency_code),
        growth.account_id is not null as has_business_report,
        accounts.account_name,
        accounts.portfolio_id,
        accounts.portfolio_name,
        accounts.base_currency,
        fx_rates.rate as fx_rate_to_base,
        fx_rates.rate_date as fx_rate_date
    from account_weeks
    inner join accounts
        on account_weeks.account_id = accounts.account_id
    left join growth
        on account_weeks.account_id = growth.account_id
        and account_weeks.week_start = growth.week_start
    left join fx_rates
        on account_weeks.week_start = fx_rates.week_start
        and accounts.currency_code = fx_rates.from_currency
        and accounts.base_currency = fx_rates.to_currency
    -- an account of an unknown portfolio has no row
    where accounts.base_currency is not null
),

final as (
    select
        converted.portfolio_id,
        converted.portfolio_name,
        converted.account_id,
        converted.account_name,
        converted.week_start,
        converted.currency_code,
        converted.base_currency,
        converted.has_business_report,
        -- in the portfolio's week-on-week change only with sales in both weeks (like for like)
        converted.revenue_amount is not null and converted.previous_revenue_amount is not null
        as is_comparable,
        converted.fx_rate_to_base,
        converted.fx_rate_date,
        converted.revenue_amount,
        converted.previous_revenue_amount,
        converted.revenue_amount * converted.fx_rate_to_base as revenue_base_amount,
        -- last week at this week's rate: growth in constant currency
        converted.previous_revenue_amount * converted.fx_rate_to_base
        as previous_revenue_base_amount,
        converted.revenue_wow_pct,
        converted.revenue_4w_pct,
        converted.revenue_yoy_pct,
        advertising.ad_spend_amount,
        advertising.ad_sales_amount,
        advertising.ad_spend_amount * converted.fx_rate_to_base as ad_spend_base_amount,
        advertising.ad_sales_amount * converted.fx_rate_to_base as ad_sales_base_amount,
        advertising.acos,
        advertising.tacos,
        risk.health_breaches,
        risk.breached_metrics,
        risk.revenue_at_risk_pct,
        risk.health_points,
        risk.stock_points,
        risk.sales_points,
        risk.ads_points,
        risk.reviews_points,
        risk.risk_score,
        risk.is_high_risk
    from converted
    left join advertising
        on converted.account_id = advertising.account_id
        and converted.week_start = advertising.week_start
    left join risk
        on converted.account_id = risk.account_id and converted.week_start = risk.week_start
)

select * from final
