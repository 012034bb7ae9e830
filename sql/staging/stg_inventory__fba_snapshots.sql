-- FBA inventory at the end of each week: one row per account × week × SKU
with source as (
    select * from raw.fba_inventory
),

latest as (
    -- a snapshot is a whole file: when a week was loaded twice, every row of the latest load
    -- wins (a SKU missing from the restated snapshot is gone, not kept from the older one)
    select *
    from source
    qualify dense_rank() over (
        partition by account_id, period_start order by loaded_at desc, file_hash
    ) = 1
),

final as (
    select
        account_id,
        period_start as week_start,
        period_end as snapshot_date,
        sku,
        asin,
        trim(regexp_replace(product_name, '[\x{202F}\x{00A0}]', ' ', 'g')) as product_name,
        coalesce(afn_fulfillable_quantity, 0) as available_units,
        coalesce(afn_inbound_working_quantity, 0) + coalesce(afn_inbound_shipped_quantity, 0)
        + coalesce(afn_inbound_receiving_quantity, 0) as inbound_units,
        -- inbound by stage: not yet shipped, on the way, being received (no due date given)
        coalesce(afn_inbound_working_quantity, 0) as inbound_working_units,
        coalesce(afn_inbound_shipped_quantity, 0) as inbound_shipped_units,
        coalesce(afn_inbound_receiving_quantity, 0) as inbound_receiving_units,
        coalesce(afn_reserved_quantity, 0) as reserved_units,
        coalesce(afn_unsellable_quantity, 0) as unsellable_units,
        coalesce(afn_total_quantity, 0) as total_units,
        your_price as price_amount,
        source_file,
        source_line
    from latest
)

select * from final
