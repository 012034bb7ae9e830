-- Revenue bridge per account × week: the week-on-week change as traffic + conversion + price effects (summed over ASINs)
with bridge as (
    select * from marts.fct_revenue_bridge_asin_week
),

final as (
    select
        account_id,
        week_start,
        any_value(currency_code) as currency_code,
        sum(previous_revenue_amount) as previous_revenue_amount,
        sum(revenue_amount) as revenue_amount,
        sum(revenue_change_amount) as revenue_change_amount,
        sum(traffic_effect_amount) as traffic_effect_amount,
        sum(conversion_effect_amount) as conversion_effect_amount,
        sum(price_effect_amount) as price_effect_amount
    from bridge
    group by account_id, week_start
)

select * from final
