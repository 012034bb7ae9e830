-- Sales and traffic per account × child ASIN × week (SKUs of one ASIN summed)
with business_report as (
    select * from staging.stg_business_reports__child_items
),

final as (
    select
        account_id,
        week_start,
        child_asin,
        any_value(parent_asin order by sessions desc) as parent_asin,
        any_value(title order by sessions desc) as title,
        sum(sessions) as sessions,
        sum(page_views) as page_views,
        -- the report gives Buy Box % per row; weight it by page views to combine SKUs
        sum(buy_box_pct * page_views) / nullif(sum(page_views), 0) as buy_box_pct,
        sum(units) as units,
        sum(order_items) as order_items,
        sum(revenue_amount) as revenue_amount,
        any_value(currency_code) as currency_code
    from business_report
    group by account_id, week_start, child_asin
)

select * from final
