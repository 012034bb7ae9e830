-- Top 10 ASINs per account × week by size of their revenue change, with the effect that drove it (or the cause behind a conversion effect)
with bridge as (
    select * from marts.fct_revenue_bridge_asin_week
),

inventory as (
    select account_id, week_start, asin, stock_status from marts.fct_inventory_asin_week
    union all
    -- a vendor's stock is Amazon's (out_of_stock when its sellable on-hand units run out)
    select account_id, week_start, asin, stock_status from marts.fct_vendor_asin_week
),

named as (
    select
        bridge.*,
        inventory.stock_status,
        case
            when revenue_change_amount = 0 then null
            when abs(traffic_effect_amount) >= abs(conversion_effect_amount)
                and abs(traffic_effect_amount) >= abs(price_effect_amount) then 'traffic'
            when abs(conversion_effect_amount) >= abs(price_effect_amount) then 'conversion'
            else 'price'
        end as effect
    from bridge
    left join inventory
        on bridge.account_id = inventory.account_id
        and bridge.week_start = inventory.week_start
        and bridge.child_asin = inventory.asin
),

final as (
    select
        account_id,
        week_start,
        row_number() over (
            partition by account_id, week_start
            order by abs(revenue_change_amount) desc, child_asin
        ) as mover_rank,
        child_asin,
        currency_code,
        previous_revenue_amount,
        revenue_amount,
        revenue_change_amount,
        revenue_change_amount / nullif(previous_revenue_amount, 0) as revenue_change_pct,
        traffic_effect_amount,
        conversion_effect_amount,
        price_effect_amount,
        -- name the cause behind a conversion effect when the report shows it
        case
            when effect = 'conversion' and stock_status = 'out_of_stock' then 'out_of_stock'
            when effect = 'conversion' and units = 0 and sessions > 0 and previous_units > 0
                then 'no_sales'
            when effect = 'conversion' and previous_buy_box_pct - buy_box_pct >= 0.1
                then 'buy_box'
            else effect
        end as driver,
        buy_box_pct,
        previous_buy_box_pct
    from named
    where revenue_change_amount <> 0
    qualify mover_rank <= 10
)

select * from final
