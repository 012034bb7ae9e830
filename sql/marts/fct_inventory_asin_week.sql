-- FBA inventory KPIs per account × week × ASIN (SKUs of one ASIN summed, at the week's snapshot)
with snapshots as (
    select * from staging.stg_inventory__fba_snapshots
    -- velocity and sell-through look back 12 weeks
    where in_look_back(week_start, 12)
),

planning as (
    select * from staging.stg_inventory__planning_snapshots
    where in_look_back(week_start, 0)
),

sales as (
    select * from marts.fct_sales_asin_week
    where in_look_back(week_start, 12)
),

accounts as (
    select
        account_id,
        currency_code,
        lead_time_days,
        threshold_overstock_days,
        threshold_overstock_min_units
    from marts.dim_accounts
),

stock as (
    select
        account_id,
        week_start,
        asin,
        max(snapshot_date) as snapshot_date,
        any_value(product_name order by available_units desc, sku) as product_name,
        count(distinct sku) as sku_count,
        list(distinct sku order by sku) as skus,
        sum(available_units)::bigint as available_units,
        sum(inbound_units)::bigint as inbound_units,
        sum(inbound_working_units)::bigint as inbound_working_units,
        sum(inbound_shipped_units)::bigint as inbound_shipped_units,
        sum(inbound_receiving_units)::bigint as inbound_receiving_units,
        sum(reserved_units)::bigint as reserved_units,
        sum(unsellable_units)::bigint as unsellable_units,
        sum(total_units)::bigint as total_units,
        any_value(price_amount order by available_units desc, sku) as price_amount
    from snapshots
    where asin is not null
    group by account_id, week_start, asin
),

activity as (
    -- every week an ASIN had a snapshot or a sales row; in stock = stock at the snapshot or sold
    select
        coalesce(stock.account_id, sales.account_id) as account_id,
        coalesce(stock.week_start, sales.week_start) as week_start,
        coalesce(stock.asin, sales.child_asin) as asin,
        stock.available_units,
        coalesce(sales.units, 0) as sold_units,
        coalesce(sales.revenue_amount, 0) as revenue_amount,
        coalesce(stock.available_units, 0) > 0 or coalesce(sales.units, 0) > 0 as is_in_stock
    from stock
    full outer join sales
        on stock.account_id = sales.account_id
        and stock.week_start = sales.week_start
        and stock.asin = sales.child_asin
),

lookback as (
    -- this week and the 3 (velocity, revenue) or 12 (sell-through) calendar weeks before it
    select
        stock.account_id,
        stock.week_start,
        stock.asin,
        coalesce(sum(activity.sold_units) filter (
            where activity.week_start = stock.week_start
        ), 0)::bigint as sold_units,
        count(*) filter (
            where activity.week_start >= stock.week_start - interval 21 day and activity.is_in_stock
        ) as in_stock_weeks_4w,
        sum(activity.sold_units) filter (
            where activity.week_start >= stock.week_start - interval 21 day and activity.is_in_stock
        )::bigint as in_stock_sold_units_4w,
        coalesce(sum(activity.revenue_amount) filter (
            where activity.week_start >= stock.week_start - interval 21 day
        ), 0) as revenue_4w_amount,
        coalesce(sum(activity.sold_units), 0)::bigint as sold_units_13w,
        avg(activity.available_units) as avg_available_units_13w
    from stock
    inner join activity
        on stock.account_id = activity.account_id
        and stock.asin = activity.asin
        and activity.week_start between stock.week_start - interval 84 day and stock.week_start
    group by stock.account_id, stock.week_start, stock.asin
),

planning_latest as (
    -- the last planning snapshot of each account × week
    select account_id, week_start, max(snapshot_date) as snapshot_date
    from planning
    group by account_id, week_start
),

aged as (
    select
        planning.account_id,
        planning.week_start,
        planning.asin,
        sum(planning.aged_90_plus_units)::bigint as aged_90_plus_units
    from planning
    inner join planning_latest
        on planning.account_id = planning_latest.account_id
        and planning.snapshot_date = planning_latest.snapshot_date
    group by planning.account_id, planning.week_start, planning.asin
),

velocity as (
    select
        stock.*,
        lookback.sold_units,
        lookback.in_stock_weeks_4w,
        lookback.in_stock_sold_units_4w,
        lookback.in_stock_sold_units_4w / nullif(7 * lookback.in_stock_weeks_4w, 0)
        as daily_velocity_units,
        lookback.revenue_4w_amount,
        lookback.sold_units_13w,
        lookback.avg_available_units_13w,
        -- the week had a planning report: an ASIN missing from it has no aged stock
        case
            when planning_latest.account_id is not null
                then coalesce(aged.aged_90_plus_units, 0)
        end as aged_90_plus_units,
        accounts.lead_time_days,
        accounts.threshold_overstock_days,
        accounts.threshold_overstock_min_units,
        accounts.currency_code
    from stock
    inner join accounts
        on stock.account_id = accounts.account_id
    inner join lookback
        on stock.account_id = lookback.account_id
        and stock.week_start = lookback.week_start
        and stock.asin = lookback.asin
    left join planning_latest
        on stock.account_id = planning_latest.account_id
        and stock.week_start = planning_latest.week_start
    left join aged
        on stock.account_id = aged.account_id
        and stock.week_start = aged.week_start
        and stock.asin = aged.asin
),

cover as (
    -- the two quantities the status is read from: the units short of 1.5 lead times of sales
    -- (what to send) and the units beyond the overstock window's sales (what sits too long)
    select
        velocity.*,
        (available_units + inbound_units) / nullif(daily_velocity_units, 0) as days_of_supply,
        (available_units + inbound_units) / nullif(7 * daily_velocity_units, 0) as weeks_of_cover,
        -- rounded before ceil so 15.000000000000002 stays 15
        greatest(
            0,
            ceil(round(
                coalesce(daily_velocity_units, 0) * lead_time_days * 1.5
                - available_units - inbound_units,
                6
            ))
        )::bigint as replenishment_units,
        -- all of the stock when nothing sold; whole units only, so rounded down
        greatest(
            0,
            floor(round(
                available_units + inbound_units
                - coalesce(daily_velocity_units, 0) * threshold_overstock_days,
                6
            ))
        )::bigint as overstock_units
    from velocity
),

status as (
    -- one rule read from the quantities above, so a status never contradicts them: units to
    -- replenish are never healthy, and a handful of units is never overstock
    select
        cover.*,
        case
            -- nothing to sell now; inbound units may already cover it (0 to replenish)
            when available_units = 0 then 'out_of_stock'
            -- the same as days of supply below 1.5 × the lead time
            when replenishment_units > 0 then 'reorder_now'
            -- the excess must be worth acting on: days of supply above overstock_days (or no
            -- sales at all) and at least overstock_min_units beyond the window's sales
            when overstock_units > 0 and overstock_units >= threshold_overstock_min_units
                then 'overstock'
            -- no sales in the last 4 weeks, too few units to call overstock
            when coalesce(daily_velocity_units, 0) = 0 then 'no_recent_sales'
            -- so healthy: cover of at least 1.5 lead times, no material excess
            else 'healthy'
        end as stock_status
    from cover
),

final as (
    select
        account_id,
        week_start,
        snapshot_date,
        asin,
        product_name,
        sku_count,
        skus,
        available_units,
        inbound_units,
        inbound_working_units,
        inbound_shipped_units,
        inbound_receiving_units,
        reserved_units,
        unsellable_units,
        total_units,
        price_amount,
        currency_code,
        sold_units,
        in_stock_weeks_4w,
        in_stock_sold_units_4w,
        daily_velocity_units,
        days_of_supply,
        weeks_of_cover,
        lead_time_days,
        stock_status,
        aged_90_plus_units,
        sold_units_13w,
        avg_available_units_13w,
        sold_units_13w / nullif(avg_available_units_13w, 0) as sell_through_pct,
        sold_units_13w / nullif(avg_available_units_13w, 0) * 365 / 91 as turnover_per_year,
        replenishment_units,
        overstock_units,
        revenue_4w_amount,
        -- what it sells in a week it is in stock (last 4 weeks): what a stock-out costs a week
        revenue_4w_amount / nullif(in_stock_weeks_4w, 0) as in_stock_weekly_revenue_amount,
        -- out of stock, or short of the cover a shipment needs to arrive with a margin
        stock_status in ('out_of_stock', 'reorder_now') as is_stock_out_risk,
        stock_status = 'overstock' as is_overstock,
        -- the last day to ship a replenishment that arrives before the stock runs out: the
        -- snapshot date + days of supply − the lead time (NULL without sales velocity); on or
        -- before the snapshot date the shipment is already due ("now")
        snapshot_date + floor(days_of_supply - lead_time_days)::integer as ship_by_date,
        coalesce(floor(days_of_supply - lead_time_days) <= 0, false) as is_ship_now,
        -- the stock beyond the overstock window and the aged stock valued at the ASIN's price
        overstock_units * price_amount as overstock_amount,
        aged_90_plus_units * price_amount as aged_90_plus_amount
    from status
)

select * from final
