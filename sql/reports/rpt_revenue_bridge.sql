-- Revenue bridge per account × week: the week-on-week change as traffic + conversion + price effects (summed over ASINs)
with bridge as (
    select * from marts.fct_revenue_bridge_account_week
),

final as (
    select
        account_id,
        week_start,
        currency_code,
        previous_revenue_amount,
        revenue_amount,
        revenue_change_amount,
        traffic_effect_amount,
        conversion_effect_amount,
        price_effect_amount
    from bridge
)

select * from final
