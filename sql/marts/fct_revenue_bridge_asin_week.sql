-- Week-on-week revenue change per account × child ASIN × week (a vendor's ordered revenue too), split into traffic, conversion and price effects that add up exactly
with seller_sales as (
    select * from marts.fct_sales_asin_week
    -- this week against the one before
    where in_look_back(week_start, 1)
),

vendor_sales as (
    select * from marts.fct_vendor_asin_week
    where in_look_back(week_start, 1)
),

sales as (
    -- one bridge for both kinds of account: a vendor's traffic is its featured-offer page
    -- views, its units and revenue the ordered ones, and its Buy Box share the page views not
    -- lost to a lower price (1 − LBB (Price))
    select account_id, week_start, child_asin, currency_code, sessions, units,
        revenue_amount, buy_box_pct
    from seller_sales
    union all
    select account_id, week_start, asin, currency_code, page_views, ordered_units,
        ordered_revenue_amount, 1 - lbb_price_pct
    from vendor_sales
),

report_weeks as (
    select distinct account_id, week_start from sales
),

paired as (
    -- only weeks whose previous week was reported; an ASIN new this week had nothing before
    select
        this_week.account_id,
        this_week.week_start,
        this_week.child_asin,
        this_week.currency_code,
        this_week.sessions,
        this_week.units,
        this_week.revenue_amount,
        this_week.buy_box_pct,
        coalesce(previous.sessions, 0) as previous_sessions,
        coalesce(previous.units, 0) as previous_units,
        coalesce(previous.revenue_amount, 0) as previous_revenue_amount,
        previous.buy_box_pct as previous_buy_box_pct
    from sales as this_week
    inner join report_weeks as previous_week
        on this_week.account_id = previous_week.account_id
        and previous_week.week_start = this_week.week_start - 7
    left join sales as previous
        on this_week.account_id = previous.account_id
        and this_week.child_asin = previous.child_asin
        and previous.week_start = this_week.week_start - 7
),

rates as (
    -- revenue = sessions × conversion × price; last week's conversion and price, or this
    -- week's when last week had no sessions / no units (then the whole change is traffic)
    select
        *,
        coalesce(
            previous_units / nullif(previous_sessions, 0), units / nullif(sessions, 0), 0
        ) as previous_conversion,
        coalesce(
            previous_revenue_amount / nullif(previous_units, 0), revenue_amount / nullif(units, 0), 0
        ) as previous_price
    from paired
),

effects as (
    select
        *,
        revenue_amount - previous_revenue_amount as revenue_change_amount,
        round((sessions - previous_sessions) * previous_conversion * previous_price, 2)::decimal(18, 2)
        as traffic_effect_amount,
        round((units - sessions * previous_conversion) * previous_price, 2)::decimal(18, 2)
        as conversion_effect_amount
    from rates
),

final as (
    select
        account_id,
        week_start,
        child_asin,
        currency_code,
        sessions,
        previous_sessions,
        units,
        previous_units,
        revenue_amount,
        previous_revenue_amount,
        buy_box_pct,
        previous_buy_box_pct,
        revenue_change_amount,
        traffic_effect_amount,
        conversion_effect_amount,
        -- what traffic and conversion do not explain is price (units × change in price, to the
        -- cent), so the three effects add up to the change exactly
        revenue_change_amount - traffic_effect_amount - conversion_effect_amount
        as price_effect_amount
    from effects
)

select * from final
