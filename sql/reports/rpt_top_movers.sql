-- Top 10 ASINs per account × week by size of their revenue change, with the effect that drove it
with movers as (
    select * from marts.fct_revenue_movers_asin_week
),

asins as (
    select account_id, asin, title from marts.dim_asins
),

final as (
    select
        movers.account_id,
        movers.week_start,
        movers.mover_rank,
        movers.child_asin,
        asins.title,
        movers.currency_code,
        movers.previous_revenue_amount,
        movers.revenue_amount,
        movers.revenue_change_amount,
        movers.revenue_change_pct,
        movers.traffic_effect_amount,
        movers.conversion_effect_amount,
        movers.price_effect_amount,
        movers.driver,
        movers.buy_box_pct,
        movers.previous_buy_box_pct
    from movers
    left join asins
        on movers.account_id = asins.account_id
        and movers.child_asin = asins.asin
)

select * from final
