-- FBA inventory planning (inventory age) report: one row per account × snapshot date × SKU
with source as (
    select * from raw.inventory_planning
),

latest as (
    select *
    from source
    qualify row_number() over (
        partition by account_id, snapshot_date, sku order by loaded_at desc, file_hash
    ) = 1
),

final as (
    select
        account_id,
        snapshot_date,
        date_trunc('week', snapshot_date)::date as week_start,
        sku,
        asin,
        trim(regexp_replace(product_name, '[\x{202F}\x{00A0}]', ' ', 'g')) as product_name,
        coalesce(available, 0) as available_units,
        coalesce(inv_age_0_to_90_days, 0) as aged_0_to_90_units,
        coalesce(inv_age_91_to_180_days, 0) as aged_91_to_180_units,
        coalesce(inv_age_181_to_270_days, 0) as aged_181_to_270_units,
        coalesce(inv_age_271_to_365_days, 0) as aged_271_to_365_units,
        coalesce(inv_age_365_plus_days, 0) as aged_365_plus_units,
        coalesce(inv_age_91_to_180_days, 0) + coalesce(inv_age_181_to_270_days, 0)
        + coalesce(inv_age_271_to_365_days, 0) + coalesce(inv_age_365_plus_days, 0)
        as aged_90_plus_units,
        units_shipped_t90 as shipped_units_90d,
        source_file,
        source_line
    from latest
)

select * from final
