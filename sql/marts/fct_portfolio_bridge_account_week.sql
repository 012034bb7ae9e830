-- Each portfolio account's part in the portfolio's week-on-week change per account × week, in the portfolio's base currency: its revenue change as traffic + conversion + price (+ what its revenue bridge does not cover) and, with payment data, its margin bridge; effects add up to the account's change exactly
with accounts as (
    -- like for like, as the portfolio's change: sales in both weeks and a rate this week
    select * from marts.fct_portfolio_account_week
    where in_look_back(week_start, 0) and is_comparable and fx_rate_to_base is not null
),

revenue_bridge as (
    select * from marts.fct_revenue_bridge_account_week
    where in_look_back(week_start, 0)
),

margin_bridge as (
    select * from marts.fct_margin_bridge_account_week
    where in_look_back(week_start, 0)
),

converted as (
    -- both weeks at this week's rate (constant currency, as the portfolio's change); the
    -- effects are rounded to the cent, the price effect takes the rounding below
    select
        accounts.portfolio_id,
        accounts.account_id,
        accounts.week_start,
        accounts.currency_code,
        accounts.base_currency,
        accounts.fx_rate_to_base,
        accounts.revenue_amount - accounts.previous_revenue_amount as revenue_change_amount,
        (accounts.revenue_amount - accounts.previous_revenue_amount) * accounts.fx_rate_to_base
        as revenue_change_base_amount,
        round(coalesce(revenue_bridge.traffic_effect_amount, 0) * accounts.fx_rate_to_base, 2)
        as traffic_effect_base_amount,
        round(coalesce(revenue_bridge.conversion_effect_amount, 0) * accounts.fx_rate_to_base, 2)
        as conversion_effect_base_amount,
        -- the account's change its ASIN bridge does not hold (no bridge for the week, or an
        -- account total that differs from its ASINs' sum): shown apart, never hidden in price
        round(
            (accounts.revenue_amount - accounts.previous_revenue_amount
            - coalesce(revenue_bridge.revenue_change_amount, 0)) * accounts.fx_rate_to_base, 2
        ) as other_effect_base_amount,
        margin_bridge.margin_change_amount * accounts.fx_rate_to_base
        as margin_change_base_amount,
        margin_bridge.volume_effect_amount * accounts.fx_rate_to_base
        as margin_volume_effect_base_amount,
        margin_bridge.price_effect_amount * accounts.fx_rate_to_base
        as margin_price_effect_base_amount,
        margin_bridge.fee_rate_effect_amount * accounts.fx_rate_to_base
        as margin_fee_rate_effect_base_amount,
        margin_bridge.refunds_effect_amount * accounts.fx_rate_to_base
        as margin_refunds_effect_base_amount,
        margin_bridge.advertising_effect_amount * accounts.fx_rate_to_base
        as margin_advertising_effect_base_amount,
        margin_bridge.cogs_effect_amount * accounts.fx_rate_to_base
        as margin_cogs_effect_base_amount
    from accounts
    left join revenue_bridge
        on accounts.account_id = revenue_bridge.account_id
        and accounts.week_start = revenue_bridge.week_start
    left join margin_bridge
        on accounts.account_id = margin_bridge.account_id
        and accounts.week_start = margin_bridge.week_start
),

final as (
    select
        portfolio_id,
        account_id,
        week_start,
        currency_code,
        base_currency,
        fx_rate_to_base,
        revenue_change_amount,
        revenue_change_base_amount,
        traffic_effect_base_amount,
        conversion_effect_base_amount,
        -- what traffic, conversion and the rest do not explain is price, so the effects add
        -- up to the account's change in the base currency exactly
        revenue_change_base_amount - traffic_effect_base_amount - conversion_effect_base_amount
        - other_effect_base_amount as price_effect_base_amount,
        other_effect_base_amount,
        margin_change_base_amount,
        margin_volume_effect_base_amount,
        margin_price_effect_base_amount,
        margin_fee_rate_effect_base_amount,
        margin_refunds_effect_base_amount,
        margin_advertising_effect_base_amount,
        margin_cogs_effect_base_amount
    from converted
)

select * from final
