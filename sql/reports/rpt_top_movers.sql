-- Top 10 ASINs per account × week by size of their revenue change, with the effect that drove it
with movers as (
    select * from marts.fct_revenue_movers_asin_week
),

final as (
    select
        account_id,
        week_start,
        mover_rank,
        child_asin,
        title,
        currency_code,
        previous_revenue_amount,
        revenue_amount,
        revenue_change_amount,
        revenue_change_pct,
        traffic_effect_amount,
        conversion_effect_amount,
        price_effect_amount,
        driver,
        buy_box_pct,
        previous_buy_box_pct
    from movers
)

select * from final
