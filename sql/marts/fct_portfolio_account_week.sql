-- One row per account × week for the boss pack (seller and vendor accounts side by side): revenue, growth, ads, contribution margin, health, Net PPM, stock risk and risk score, also in the portfolio's base currency
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

vendor as (
    select * from marts.fct_vendor_account_week
    where in_look_back(week_start, 0)
),

margin as (
    select * from marts.fct_margin_account_week
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
    union
    select account_id, week_start from vendor
),

converted as (
    select
        account_weeks.account_id,
        account_weeks.week_start,
        accounts.currency_code,
        accounts.account_kind,
        growth.* exclude (
            account_id, week_start, currency_code, revenue_amount, previous_revenue_amount,
            revenue_wow_pct, revenue_yoy_pct
        ),
        -- a vendor account's revenue is its ordered revenue (what customers ordered from
        -- Amazon), beside its sellers' ordered product sales
        coalesce(growth.revenue_amount, vendor.ordered_revenue_amount) as revenue_amount,
        coalesce(growth.previous_revenue_amount, vendor.previous_ordered_revenue_amount)
        as previous_revenue_amount,
        coalesce(growth.revenue_wow_pct, vendor.revenue_wow_pct) as revenue_wow_pct,
        coalesce(growth.revenue_yoy_pct, vendor.revenue_yoy_pct) as revenue_yoy_pct,
        growth.account_id is not null as has_business_report,
        vendor.net_ppm,
        vendor.net_ppm_change_pts,
        vendor.procurable_oos_pct,
        vendor.oos_revenue_lost_amount,
        vendor.lbb_price_pct,
        vendor.stock_points as vendor_stock_points,
        vendor.sales_points as vendor_sales_points,
        vendor.margin_points,
        vendor.buy_box_points,
        vendor.po_points,
        vendor.risk_score as vendor_risk_score,
        accounts.account_name,
        accounts.portfolio_id,
        accounts.portfolio_name,
        accounts.base_currency,
        accounts.threshold_high_risk_score,
        accounts.target_acos,
        accounts.target_tacos,
        fx_rates.rate as fx_rate_to_base,
        fx_rates.rate_date as fx_rate_date
    from account_weeks
    inner join accounts
        on account_weeks.account_id = accounts.account_id
    left join growth
        on account_weeks.account_id = growth.account_id
        and account_weeks.week_start = growth.week_start
    left join vendor
        on account_weeks.account_id = vendor.account_id
        and account_weeks.week_start = vendor.week_start
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
        converted.account_kind,
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
        converted.target_acos,
        converted.target_tacos,
        converted.net_ppm,
        converted.net_ppm_change_pts,
        converted.procurable_oos_pct,
        converted.oos_revenue_lost_amount,
        converted.oos_revenue_lost_amount * converted.fx_rate_to_base
        as oos_revenue_lost_base_amount,
        converted.lbb_price_pct,
        margin.contribution_margin_amount,
        margin.contribution_margin_amount * converted.fx_rate_to_base
        as contribution_margin_base_amount,
        margin.margin_pct,
        margin.previous_margin_pct,
        margin.margin_pct - margin.previous_margin_pct as margin_change_pts,
        margin.is_partial as margin_is_partial,
        risk.health_breaches,
        risk.breached_metrics,
        risk.revenue_at_risk_pct,
        risk.health_points,
        coalesce(risk.stock_points, converted.vendor_stock_points) as stock_points,
        coalesce(risk.sales_points, converted.vendor_sales_points) as sales_points,
        risk.ads_points,
        risk.reviews_points,
        converted.margin_points,
        converted.buy_box_points,
        converted.po_points,
        coalesce(risk.risk_score, converted.vendor_risk_score) as risk_score,
        coalesce(
            risk.is_high_risk,
            converted.vendor_risk_score >= converted.threshold_high_risk_score,
            false
        ) as is_high_risk
    from converted
    left join advertising
        on converted.account_id = advertising.account_id
        and converted.week_start = advertising.week_start
    left join risk
        on converted.account_id = risk.account_id and converted.week_start = risk.week_start
    left join margin
        on converted.account_id = margin.account_id
        and converted.week_start = margin.week_start
)

select * from final
