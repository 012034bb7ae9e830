-- Business report by child item: one row per account × week × child ASIN × SKU, typed, in the account's currency
with source as (
    select * from raw.business_report_child_items
),

accounts as (
    select account_id, currency_code from raw.accounts
),

final as (
    select
        source.account_id,
        source.period_start as week_start,
        source.period_end as week_end,
        source.parent_asin,
        source.child_asin,
        coalesce(source.sku, '') as sku,
        -- Seller Central pads titles with (narrow) no-break spaces; replace() is far cheaper
        -- than a regular expression over millions of titles
        trim(replace(replace(source.title, chr(8239), ' '), chr(160), ' ')) as title,
        -- sessions, units and sales are required; page views and order items stay NULL
        -- (unknown), never 0, where an export has no such column
        source.sessions,
        source.page_views,
        source.buy_box_pct,
        source.units,
        source.order_items,
        source.revenue as revenue_amount,
        accounts.currency_code,
        source.locale as source_locale,
        source.source_file,
        source.source_line
    from source
    inner join accounts on source.account_id = accounts.account_id
)

select * from final
