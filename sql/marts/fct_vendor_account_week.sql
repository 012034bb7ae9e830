-- Vendor (1P) figures per account × week: the ASINs summed, rates weighted by what they are rates of, the week's changes, stock and PO counts, the money at stake, and the vendor risk score with its parts
with asins as (
    select * from marts.fct_vendor_asin_week
    -- this week and the one before (changes), and 52 back (last year)
    where in_look_back(week_start, 52)
),

totals as (
    select
        account_id,
        week_start,
        any_value(currency_code) as currency_code,
        min(period_start) as period_start,
        max(period_end) as period_end,
        min(grain) as grain,
        count(*) as asins,
        sum(ordered_revenue_amount) as ordered_revenue_amount,
        sum(ordered_units) as ordered_units,
        sum(shipped_revenue_amount) as shipped_revenue_amount,
        sum(shipped_cogs_amount) as shipped_cogs_amount,
        sum(shipped_units) as shipped_units,
        sum(customer_returns) as customer_returns,
        sum(page_views) as page_views,
        -- Net PPM is a share of shipped revenue: weighted by it
        sum(net_ppm * shipped_revenue_amount)
        / nullif(sum(shipped_revenue_amount) filter (where net_ppm is not null), 0) as net_ppm,
        -- the out-of-stock and lost-Buy-Box shares are shares of page views: weighted by them
        sum(procurable_oos_pct * page_views)
        / nullif(sum(page_views) filter (where procurable_oos_pct is not null), 0)
        as procurable_oos_pct,
        sum(lbb_price_pct * page_views)
        / nullif(sum(page_views) filter (where lbb_price_pct is not null), 0) as lbb_price_pct,
        sum(oos_revenue_lost_amount) as oos_revenue_lost_amount,
        sum(lbb_revenue_at_stake_amount) as lbb_revenue_at_stake_amount,
        sum(sellable_on_hand_units) as sellable_on_hand_units,
        sum(sellable_on_hand_amount) as sellable_on_hand_amount,
        sum(open_po_units) as open_po_units,
        sum(aged_90_plus_units) as aged_90_plus_units,
        sum(aged_90_plus_amount) as aged_90_plus_amount,
        sum(weekly_demand_units) as weekly_demand_units,
        sum(po_shortfall_units) as po_shortfall_units,
        sum(po_shortfall_units * asp_amount) as po_shortfall_amount,
        count(*) filter (where stock_status = 'out_of_stock') as out_of_stock_asins,
        count(*) filter (where po_shortfall_units > 0) as po_short_asins,
        count(*) filter (where stock_status = 'overstock') as overstock_asins,
        count(*) filter (where lbb_price_pct > 0) as lbb_price_asins,
        -- the vendor's own margin only when every ASIN that shipped has a cost price
        case when count(*) filter (where shipped_units > 0 and unit_cost_amount is null) = 0
            then sum(vendor_margin_amount) end as vendor_margin_amount,
        count(*) filter (where shipped_units > 0 and unit_cost_amount is null)
        as asins_without_cost
    from asins
    group by account_id, week_start
),

changes as (
    select
        this_week.*,
        previous.ordered_revenue_amount as previous_ordered_revenue_amount,
        previous.ordered_units as previous_ordered_units,
        previous.net_ppm as previous_net_ppm,
        last_year.net_ppm as ly_net_ppm,
        last_year.ordered_revenue_amount as ly_ordered_revenue_amount,
        last_year.ordered_revenue_amount / nullif(last_year.ordered_units, 0) as ly_asp_amount
    from totals as this_week
    left join totals as previous
        on this_week.account_id = previous.account_id
        and previous.week_start = this_week.week_start - 7
    left join totals as last_year
        on this_week.account_id = last_year.account_id
        and last_year.week_start = this_week.week_start - 364
),

measured as (
    select
        *,
        ordered_revenue_amount / nullif(ordered_units, 0) as asp_amount,
        ordered_units / nullif(page_views, 0) as conversion,
        customer_returns / nullif(shipped_units, 0) as customer_returns_rate,
        shipped_units / nullif(shipped_units + sellable_on_hand_units, 0) as sell_through_pct,
        sellable_on_hand_units / nullif(weekly_demand_units, 0) as weeks_of_cover,
        ordered_revenue_amount / nullif(previous_ordered_revenue_amount, 0) - 1
        as revenue_wow_pct,
        ordered_revenue_amount / nullif(ly_ordered_revenue_amount, 0) - 1 as revenue_yoy_pct,
        net_ppm - previous_net_ppm as net_ppm_change_pts,
        net_ppm - ly_net_ppm as net_ppm_yoy_pts,
        vendor_margin_amount / nullif(shipped_cogs_amount, 0) as vendor_margin_pct
    from changes
),

scored as (
    select
        *,
        ordered_revenue_amount / nullif(ordered_units, 0) / nullif(ly_asp_amount, 0) - 1
        as asp_yoy_pct,
        -- revenue lost to Amazon's stock-outs, as a share of what the week could have sold: ≤ 25
        25 * coalesce(
            oos_revenue_lost_amount
            / nullif(ordered_revenue_amount + oos_revenue_lost_amount, 0), 0
        ) as stock_points,
        -- ordered revenue falling week on week: a 50 % fall or worse gives all 20
        20 * least(1, greatest(0, -coalesce(revenue_wow_pct, 0)) / 0.5) as sales_points,
        -- Net PPM falling week on week: 5 points or more gives all 25
        25 * least(1, greatest(0, -coalesce(net_ppm_change_pts, 0)) / 0.05) as margin_points,
        -- page views whose Buy Box went to a lower price: 30 % or more gives all 15
        15 * least(1, coalesce(lbb_price_pct, 0) / 0.3) as buy_box_points,
        -- units short of the forecast over the lead time, as a share of 4 weeks' demand: ≤ 15
        15 * least(1, coalesce(po_shortfall_units / nullif(4 * weekly_demand_units, 0), 0))
        as po_points
    from measured
),

final as (
    select
        scored.*,
        round(stock_points + sales_points + margin_points + buy_box_points + po_points, 1)
        as risk_score
    from scored
)

select * from final
