-- What moved each portfolio's revenue per portfolio × week, in its base currency: the like-for-like change as traffic + conversion + price (+ other) effects summed over its accounts, and its accounts' margin bridges where payment data exists
with accounts as (
    select * from marts.fct_portfolio_bridge_account_week
),

portfolios as (
    select * from marts.fct_portfolio_week
),

summed as (
    select
        portfolio_id,
        week_start,
        count(*) as accounts,
        sum(revenue_change_base_amount) as revenue_change_base_amount,
        sum(traffic_effect_base_amount) as traffic_effect_base_amount,
        sum(conversion_effect_base_amount) as conversion_effect_base_amount,
        sum(price_effect_base_amount) as price_effect_base_amount,
        sum(other_effect_base_amount) as other_effect_base_amount,
        count(margin_change_base_amount) as accounts_with_margin_bridge,
        sum(margin_change_base_amount) as margin_change_base_amount,
        sum(margin_volume_effect_base_amount) as margin_volume_effect_base_amount,
        sum(margin_price_effect_base_amount) as margin_price_effect_base_amount,
        sum(margin_fee_rate_effect_base_amount) as margin_fee_rate_effect_base_amount,
        sum(margin_refunds_effect_base_amount) as margin_refunds_effect_base_amount,
        sum(margin_advertising_effect_base_amount) as margin_advertising_effect_base_amount,
        sum(margin_cogs_effect_base_amount) as margin_cogs_effect_base_amount
    from accounts
    group by portfolio_id, week_start
),

final as (
    -- only where the portfolio's change itself is known (every account has a rate)
    select
        portfolios.portfolio_id,
        portfolios.week_start,
        portfolios.base_currency,
        summed.accounts,
        portfolios.previous_revenue_base_amount,
        portfolios.previous_revenue_base_amount + summed.revenue_change_base_amount
        as comparable_revenue_base_amount,
        summed.revenue_change_base_amount,
        summed.traffic_effect_base_amount,
        summed.conversion_effect_base_amount,
        summed.price_effect_base_amount,
        summed.other_effect_base_amount,
        summed.accounts_with_margin_bridge,
        summed.margin_change_base_amount,
        summed.margin_volume_effect_base_amount,
        summed.margin_price_effect_base_amount,
        summed.margin_fee_rate_effect_base_amount,
        summed.margin_refunds_effect_base_amount,
        summed.margin_advertising_effect_base_amount,
        summed.margin_cogs_effect_base_amount
    from portfolios
    inner join summed
        on portfolios.portfolio_id = summed.portfolio_id
        and portfolios.week_start = summed.week_start
    where portfolios.revenue_wow_pct is not null
)

select * from final
