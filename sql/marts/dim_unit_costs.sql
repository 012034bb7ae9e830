-- Unit costs per account × SKU (a vendor's: × ASIN) with the dates each applies: from its valid_from (the start when empty) to the day before the next one
-- A dimension without week_start: rebuilt whole in every run from unit_costs.csv.
with unit_costs as (
    select * from raw.unit_costs
),

final as (
    select
        account_id,
        sku,
        unit_cost_amount,
        currency_code,
        coalesce(valid_from, date '1900-01-01') as valid_from,
        coalesce(
            lead(valid_from) over (partition by account_id, sku order by valid_from nulls first)
            - 1,
            date '9999-12-31'
        ) as valid_to
    from unit_costs
)

select * from final
