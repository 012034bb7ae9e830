-- Inventory KPIs per account × week: stock status counts, units, account-level cover and the revenue at risk from stock
with inventory as (
    select * from marts.fct_inventory_asin_week
),

sales as (
    select * from marts.fct_sales_asin_week
    -- revenue of this week and the 3 before
    where in_look_back(week_start, 3)
),

accounts as (
    select account_id, currency_code from marts.dim_accounts
),

weeks as (
    select distinct account_id, week_start from inventory
),

account_revenue as (
    -- all of the account's revenue in this week and the 3 before, ASINs without FBA stock too
    select
        weeks.account_id,
        weeks.week_start,
        sum(sales.revenue_amount) as revenue_4w_amount
    from weeks
    inner join sales
        on weeks.account_id = sales.account_id
        and sales.week_start between weeks.week_start - interval 21 day and weeks.week_start
    group by weeks.account_id, weeks.week_start
),

weekly as (
    -- ASIN units and velocities summed first; cover and shares after
    select
        account_id,
        week_start,
        count(*) as asin_count,
        count(*) filter (where stock_status = 'out_of_stock') as out_of_stock_asins,
        count(*) filter (where stock_status = 'reorder_now') as reorder_now_asins,
        count(*) filter (where stock_status = 'overstock') as overstock_asins,
        count(*) filter (where stock_status = 'no_recent_sales') as no_recent_sales_asins,
        count(*) filter (where stock_status = 'healthy') as healthy_asins,
        sum(available_units)::bigint as available_units,
        sum(inbound_units)::bigint as inbound_units,
        sum(aged_90_plus_units)::bigint as aged_90_plus_units,
        sum(replenishment_units)::bigint as replenishment_units,
        coalesce(sum(daily_velocity_units), 0) as daily_velocity_units,
        coalesce(sum(revenue_4w_amount) filter (where is_stock_out_risk), 0)
        as revenue_at_risk_4w_amount
    from inventory
    group by account_id, week_start
),

final as (
    select
        weekly.account_id,
        weekly.week_start,
        weekly.asin_count,
        weekly.out_of_stock_asins,
        weekly.reorder_now_asins,
        weekly.overstock_asins,
        weekly.no_recent_sales_asins,
        weekly.healthy_asins,
        weekly.available_units,
        weekly.inbound_units,
        weekly.aged_90_plus_units,
        weekly.replenishment_units,
        weekly.daily_velocity_units,
        (weekly.available_units + weekly.inbound_units)
        / nullif(7 * weekly.daily_velocity_units, 0) as weeks_of_cover,
        weekly.revenue_at_risk_4w_amount,
        coalesce(account_revenue.revenue_4w_amount, 0) as revenue_4w_amount,
        accounts.currency_code,
        weekly.revenue_at_risk_4w_amount / nullif(account_revenue.revenue_4w_amount, 0)
        as revenue_at_risk_pct,
        weekly.out_of_stock_asins > 0 as has_out_of_stock,
        weekly.out_of_stock_asins + weekly.reorder_now_asins > 0 as has_stock_out_risk,
        weekly.overstock_asins > 0 as has_overstock
    from weekly
    inner join accounts
        on weekly.account_id = accounts.account_id
    left join account_revenue
        on weekly.account_id = account_revenue.account_id
        and weekly.week_start = account_revenue.week_start
)

select * from final
