-- A vendor account's week in one row for the vendor pack: its totals and changes, the money at stake, its risk score's parts, the Vendor Central period behind the week, and any month or custom-range exports that arrived (kept at their grain, not in the weekly figures)
with totals as (
    select * from marts.fct_vendor_account_week
),

bridge as (
    select * from marts.fct_revenue_bridge_account_week
),

periods as (
    select
        account_id,
        week_start,
        list(distinct struct_pack(grain, period_start, period_end)
            order by struct_pack(grain, period_start, period_end)) as other_periods,
        sum(ordered_revenue_amount) as other_periods_ordered_revenue_amount
    from marts.fct_vendor_asin_period
    group by account_id, week_start
),

final as (
    select
        totals.*,
        bridge.revenue_change_amount,
        bridge.traffic_effect_amount,
        bridge.conversion_effect_amount,
        bridge.price_effect_amount,
        periods.other_periods,
        periods.other_periods_ordered_revenue_amount
    from totals
    left join bridge
        on totals.account_id = bridge.account_id
        and totals.week_start = bridge.week_start
    left join periods
        on totals.account_id = periods.account_id
        and totals.week_start = periods.week_start
)

select * from final
