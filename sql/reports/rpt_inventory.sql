-- Inventory per account × week × ASIN for the packs' stock-out risk, overstock, aged stock and replenishment tables
with inventory as (
    select * from marts.fct_inventory_asin_week
),

asins as (
    select account_id, asin, title from marts.dim_asins
),

accounts as (
    select account_id, account_name from marts.dim_accounts
),

final as (
    select
        inventory.account_id,
        accounts.account_name,
        inventory.week_start,
        inventory.snapshot_date,
        inventory.asin,
        asins.title,
        inventory.sku_count,
        inventory.skus,
        inventory.available_units,
        inventory.inbound_units,
        inventory.reserved_units,
        inventory.unsellable_units,
        inventory.total_units,
        inventory.price_amount,
        inventory.currency_code,
        inventory.sold_units,
        inventory.in_stock_weeks_4w,
        inventory.in_stock_sold_units_4w,
        inventory.daily_velocity_units,
        inventory.days_of_supply,
        inventory.weeks_of_cover,
        inventory.lead_time_days,
        inventory.stock_status,
        inventory.is_stock_out_risk,
        inventory.aged_90_plus_units,
        inventory.sold_units_13w,
        inventory.avg_available_units_13w,
        inventory.sell_through_pct,
        inventory.turnover_per_year,
        inventory.replenishment_units,
        inventory.revenue_4w_amount,
        inventory.is_overstock,
        inventory.overstock_units,
        inventory.ship_by_date,
        inventory.is_ship_now,
        inventory.overstock_amount,
        inventory.aged_90_plus_amount
    from inventory
    inner join accounts
        on inventory.account_id = accounts.account_id
    left join asins
        on inventory.account_id = asins.account_id
        and inventory.asin = asins.asin
)

select * from final
