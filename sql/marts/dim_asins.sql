-- ASINs per account × ASIN ever seen in a business report, FBA inventory or vendor report: the latest parent ASIN and title (rebuilt whole, so a restated old week never overwrites a newer title)
with business_report as (
    select account_id, week_start, child_asin, parent_asin, title, sessions, units
    from staging.stg_business_reports__child_items
),

inventory as (
    select account_id, week_start, asin, product_name from marts.fct_inventory_asin_week
),

vendor as (
    select account_id, week_start, asin, title from marts.fct_vendor_asin_week
),

sold as (
    -- the latest week's row; within a week the one a weekly fact took before titles left it:
    -- the parent with the most sessions, then the SKU with the most units
    select
        account_id,
        child_asin as asin,
        arg_max(parent_asin, (week_start, sessions, units)) as parent_asin,
        arg_max(title, (week_start, sessions, units)) as title
    from business_report
    group by account_id, child_asin
),

stocked as (
    -- an ASIN in FBA stock that no business report has shown yet (no sessions) has its name
    select account_id, asin, arg_max(product_name, week_start) as product_name
    from inventory
    group by account_id, asin
),

vendor_titles as (
    select account_id, asin, arg_max(title, week_start) as title
    from vendor
    group by account_id, asin
),

asins as (
    select account_id, asin from sold
    union
    select account_id, asin from stocked
    union
    select account_id, asin from vendor_titles
),

final as (
    select
        asins.account_id,
        asins.asin,
        sold.parent_asin,
        -- the business report's title, else the FBA product name, else the vendor report's
        coalesce(sold.title, stocked.product_name, vendor_titles.title) as title
    from asins
    left join sold
        on asins.account_id = sold.account_id
        and asins.asin = sold.asin
    left join stocked
        on asins.account_id = stocked.account_id
        and asins.asin = stocked.asin
    left join vendor_titles
        on asins.account_id = vendor_titles.account_id
        and asins.asin = vendor_titles.asin
)

select * from final
