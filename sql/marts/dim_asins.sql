-- ASINs per account × week × child ASIN seen in the week's business report (zero-filled ones included) or FBA snapshot: parent ASIN and title
with sales as (
    select account_id, week_start, child_asin, parent_asin, title from marts.fct_sales_asin_week
    where in_look_back(week_start, 0)
),

inventory as (
    select account_id, week_start, asin, product_name from marts.fct_inventory_asin_week
    where in_look_back(week_start, 0)
),

asins as (
    select account_id, week_start, child_asin as asin from sales
    union
    select account_id, week_start, asin from inventory
),

final as (
    select
        asins.account_id,
        asins.week_start,
        asins.asin,
        sales.parent_asin,
        -- the business report's title when the ASIN sold or was visited that week (or its
        -- last one when zero-filled), else the FBA product name
        coalesce(sales.title, inventory.product_name) as title
    from asins
    left join sales
        on asins.account_id = sales.account_id
        and asins.week_start = sales.week_start
        and asins.asin = sales.child_asin
    left join inventory
        on asins.account_id = inventory.account_id
        and asins.week_start = inventory.week_start
        and asins.asin = inventory.asin
)

select * from final
