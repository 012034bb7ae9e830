-- Each account's SKUs with the ASIN they sell (the latest business report or FBA snapshot that names both): payment exports name SKUs, the packs speak of ASINs
-- A dimension without week_start: rebuilt whole in every run.
with business_report as (
    select account_id, week_start, sku, child_asin as asin
    from staging.stg_business_reports__child_items
    where sku is not null
),

inventory as (
    select account_id, week_start, sku, asin from staging.stg_inventory__fba_snapshots
    where asin is not null
),

seen as (
    select * from business_report
    union all
    select * from inventory
),

final as (
    select account_id, sku, arg_max(asin, week_start) as asin, max(week_start) as last_seen_week
    from seen
    group by account_id, sku
)

select * from final
