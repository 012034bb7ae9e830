-- Headline sales KPIs per account × week, with the previous week beside them for WoW deltas
with sales as (
    select * from marts.fct_sales_account_week
),

accounts as (
    select account_id, account_name from marts.dim_accounts
),

final as (
    select
        sales.account_id,
        accounts.account_name,
        sales.week_start,
        sales.currency_code,
        sales.revenue_amount,
        sales.units,
        sales.sessions,
        sales.page_views,
        sales.order_items,
        sales.asin_count,
        sales.buy_box_pct,
        sales.unit_session_pct,
        sales.order_item_session_pct,
        sales.asp_amount,
        sales.previous_revenue_amount,
        sales.previous_units,
        sales.previous_sessions,
        sales.revenue_wow_pct,
        sales.units_wow_pct,
        sales.sessions_wow_pct
    from sales
    inner join accounts
        on sales.account_id = accounts.account_id
)

select * from final
