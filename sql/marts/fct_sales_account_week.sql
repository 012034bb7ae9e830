-- Sales and traffic per account × week (ASINs summed) with their growth: week on week, last 4 weeks vs the 4 before, and the same ISO week a year earlier
with sales as (
    select * from marts.fct_sales_asin_week
    -- the same ISO week of the previous ISO year is 52 or 53 weeks back
    where in_look_back(week_start, 53)
),

weekly as (
    -- base measures summed first; every ratio below is taken from these sums
    select
        account_id,
        week_start,
        any_value(currency_code) as currency_code,
        sum(revenue_amount) as revenue_amount,
        sum(units) as units,
        sum(sessions) as sessions,
        sum(page_views) as page_views,
        sum(order_items) as order_items,
        sum(buy_box_pct * page_views) / nullif(sum(page_views), 0) as buy_box_pct,
        -- ASINs in the report; zero-filled ones had no traffic
        count(distinct child_asin) filter (where not is_zero_filled) as asin_count
    from sales
    group by account_id, week_start
),

windows as (
    -- a window counts only when every one of its weeks was reported (a missing week is
    -- unknown, not zero)
    select
        this_week.account_id,
        this_week.week_start,
        sum(past.revenue_amount) filter (where past.week_start >= this_week.week_start - 21)
        as revenue_4w_amount,
        sum(past.units) filter (where past.week_start >= this_week.week_start - 21) as units_4w,
        count(*) filter (where past.week_start >= this_week.week_start - 21) as weeks_4w,
        sum(past.revenue_amount) filter (where past.week_start < this_week.week_start - 21)
        as revenue_prior_4w_amount,
        sum(past.units) filter (where past.week_start < this_week.week_start - 21)
        as units_prior_4w,
        count(*) filter (where past.week_start < this_week.week_start - 21) as weeks_prior_4w
    from weekly as this_week
    inner join weekly as past
        on this_week.account_id = past.account_id
        and past.week_start between this_week.week_start - 49 and this_week.week_start
    group by this_week.account_id, this_week.week_start
),

final as (
    select
        weekly.account_id,
        weekly.week_start,
        weekly.currency_code,
        weekly.revenue_amount,
        weekly.units,
        weekly.sessions,
        weekly.page_views,
        weekly.order_items,
        weekly.asin_count,
        weekly.buy_box_pct,
        weekly.units / nullif(weekly.sessions, 0) as unit_session_pct,
        weekly.order_items / nullif(weekly.sessions, 0) as order_item_session_pct,
        weekly.revenue_amount / nullif(weekly.units, 0) as asp_amount,
        previous.revenue_amount as previous_revenue_amount,
        previous.units as previous_units,
        previous.sessions as previous_sessions,
        weekly.revenue_amount / nullif(previous.revenue_amount, 0) - 1 as revenue_wow_pct,
        weekly.units / nullif(previous.units, 0) - 1 as units_wow_pct,
        weekly.sessions / nullif(previous.sessions, 0) - 1 as sessions_wow_pct,
        case when windows.weeks_4w = 4 then windows.revenue_4w_amount end as revenue_4w_amount,
        case when windows.weeks_prior_4w = 4 then windows.revenue_prior_4w_amount end
        as revenue_prior_4w_amount,
        case when windows.weeks_4w = 4 and windows.weeks_prior_4w = 4
            then windows.revenue_4w_amount / nullif(windows.revenue_prior_4w_amount, 0) - 1
        end as revenue_4w_pct,
        case when windows.weeks_4w = 4 and windows.weeks_prior_4w = 4
            then windows.units_4w / nullif(windows.units_prior_4w, 0) - 1
        end as units_4w_pct,
        last_year.week_start as last_year_week_start,
        last_year.revenue_amount as last_year_revenue_amount,
        weekly.revenue_amount / nullif(last_year.revenue_amount, 0) - 1 as revenue_yoy_pct,
        weekly.units / nullif(last_year.units, 0) - 1 as units_yoy_pct
    from weekly
    inner join windows
        on weekly.account_id = windows.account_id
        and weekly.week_start = windows.week_start
    left join weekly as previous
        on weekly.account_id = previous.account_id
        and previous.week_start = weekly.week_start - 7
    left join weekly as last_year
        -- the same ISO week of the previous ISO year (week 53 has none)
        on weekly.account_id = last_year.account_id
        and isoyear(last_year.week_start) = isoyear(weekly.week_start) - 1
        and weekofyear(last_year.week_start) = weekofyear(weekly.week_start)
)

select * from final
