-- A vendor account's ASINs per account × week for the vendor pack: revenue and margin this week, last week and last year, Amazon's stock against the forecast, the Buy Box, POs, each with its rank in its table
with asins as (
    select * from marts.fct_vendor_asin_week
),

bridge as (
    select * from marts.fct_revenue_bridge_asin_week
),

final as (
    select
        asins.*,
        bridge.traffic_effect_amount,
        bridge.conversion_effect_amount,
        bridge.price_effect_amount,
        -- the ASINs that moved revenue and Amazon's margin most this week
        row_number() over (
            partition by asins.account_id, asins.week_start
            order by abs(coalesce(asins.revenue_change_amount, 0))
            + abs(coalesce(asins.net_ppm_effect_amount, 0)) desc, asins.asin
        ) as mover_rank,
        -- year on year, by the change in ordered revenue
        row_number() over (
            partition by asins.account_id, asins.week_start
            order by abs(coalesce(
                asins.ordered_revenue_amount - asins.ly_ordered_revenue_amount, 0
            )) desc, asins.asin
        ) as yoy_rank,
        -- stock: what is at stake first (revenue lost, then units short, then aged stock)
        row_number() over (
            partition by asins.account_id, asins.week_start
            order by coalesce(asins.oos_revenue_lost_amount, 0)
            + coalesce(asins.po_shortfall_units * asins.asp_amount, 0) desc,
            coalesce(asins.aged_90_plus_amount, 0) desc, asins.asin
        ) as stock_rank
    from asins
    left join bridge
        on asins.account_id = bridge.account_id
        and asins.week_start = bridge.week_start
        and asins.asin = bridge.child_asin
)

select * from final
