-- Inventory KPIs per account × week: status counts, units, account-level cover and revenue at risk
with inventory as (
    select * from marts.fct_inventory_account_week
),

accounts as (
    select account_id, account_name from marts.dim_accounts
),

final as (
    select
        inventory.account_id,
        accounts.account_name,
        inventory.week_start,
        inventory.asin_count,
        inventory.out_of_stock_asins,
        inventory.reorder_now_asins,
        inventory.overstock_asins,
        inventory.no_recent_sales_asins,
        inventory.healthy_asins,
        inventory.available_units,
        inventory.inbound_units,
        inventory.aged_90_plus_units,
        inventory.replenishment_units,
        inventory.daily_velocity_units,
        inventory.weeks_of_cover,
        inventory.revenue_at_risk_4w_amount,
        inventory.revenue_4w_amount,
        inventory.currency_code,
        inventory.revenue_at_risk_pct,
        inventory.has_out_of_stock,
        inventory.has_stock_out_risk,
        inventory.has_overstock
    from inventory
    inner join accounts
        on inventory.account_id = accounts.account_id
)

select * from final
