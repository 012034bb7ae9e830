-- Headline sales KPIs per account × week, with the previous week beside them for WoW deltas
with sales as (
    select * from marts.fct_sales_asin_week
    -- this week against the one before
    where in_look_back(week_start, 1)
),

accounts as (
    select account_id, account_name from raw.accounts
),

weekly as (
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

with_previous as (
    select
        weekly.*,
        previous.revenue_amount as previous_revenue_amount,
        previous.units as previous_units,
        previous.sessions as previous_sessions
    from weekly
    left join weekly as previous
        on weekly.account_id = previous.account_id
        and previous.week_start = weekly.week_start - interval 7 day
),

final as (
    select
        with_previous.account_id,
        accounts.account_name,
        with_previous.week_start,
        with_previous.currency_code,
        revenue_amount,
        units,
        sessions,
        page_views,
        order_items,
        asin_count,
        buy_box_pct,
        units / nullif(sessions, 0) as unit_session_pct,
        order_items / nullif(sessions, 0) as order_item_session_pct,
        revenue_amount / nullif(units, 0) as asp_amount,
        previous_revenue_amount,
        previous_units,
        previous_sessions,
        revenue_amount / nullif(previous_revenue_amount, 0) - 1 as revenue_wow_pct,
        units / nullif(previous_units, 0) - 1 as units_wow_pct,
        sessions / nullif(previous_sessions, 0) - 1 as sessions_wow_pct
    from with_previous
    inner join accounts on with_previous.account_id = accounts.account_id
)

select * from final
