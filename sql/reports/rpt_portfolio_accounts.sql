-- One row per account × week for the boss pack: revenue, growth, ads, health, stock risk and risk score, also in the portfolio's base currency
with growth as (
    select * from reports.rpt_sales_growth
),

advertising as (
    select * from reports.rpt_advertising
),

risk as (
    select * from reports.rpt_account_risk
),

fx_rates as (
    select * from marts.fct_fx_rates_week
),

accounts as (
    select * from raw.accounts
),

portfolios as (
    select * from raw.portfolios
),

converted as (
    select
        growth.*,
        accounts.account_name,
        accounts.portfolio_id,
        portfolios.portfolio_name,
        portfolios.base_currency,
        -- ECB rates are per EUR: local → base = base per EUR ÷ local per EUR, at the week's rate
        case when growth.currency_code = portfolios.base_currency then 1.0
            else base_rate.units_per_eur / local_rate.units_per_eur end as fx_rate_to_base,
        case when growth.currency_code <> portfolios.base_currency
            then greatest(base_rate.rate_date, local_rate.rate_date) end as fx_rate_date
    from growth
    inner join accounts on growth.account_id = accounts.account_id
    inner join portfolios on accounts.portfolio_id = portfolios.portfolio_id
    left join fx_rates as local_rate
        on growth.week_start = local_rate.week_start
        and growth.currency_code = local_rate.currency_code
    left join fx_rates as base_rate
        on growth.week_start = base_rate.week_start
        and portfolios.base_currency = base_rate.currency_code
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
        risk.risk_score
    from converted
    left join advertising
        on converted.account_id = advertising.account_id
        and converted.week_start = advertising.week_start
    left join risk
        on converted.account_id = risk.account_id and converted.week_start = risk.week_start
)

select * from final
