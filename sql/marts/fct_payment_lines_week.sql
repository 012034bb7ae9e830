-- Amazon's money per account × transaction line × category (product sales, refunds, shipping and gift-wrap credits, promotional rebates, selling, FBA, storage and other fees, advertising, reimbursements, taxes, transfers, unknown), signed as paid out, from one source per day: the Date Range Report, else a settlement report, else the Transaction view
-- A line keeps its file and row, its SKU and units (on product sales and refund lines only), and
-- the day it was posted in the marketplace's time zone, which dates it and its week. A table
-- built one week at a time: only that week's transactions are read, whatever the history.
with date_range as (
    select * exclude (week_start) from staging.stg_payments__date_range
    where in_look_back(week_start, 0)
),

settlement as (
    select * exclude (week_start) from staging.stg_payments__settlement
    where in_look_back(week_start, 0)
),

transaction_view as (
    select * exclude (week_start) from staging.stg_payments__transaction_view
    where in_look_back(week_start, 0)
),

types as (
    select * from raw.payment_types
),

settlement_amounts as (
    select * from raw.settlement_amounts
),

accounts as (
    select account_id, currency_code from marts.dim_accounts
),

date_range_typed as (
    -- the latest load of a day: a day downloaded in two reports (a week and a month) counts once
    select
        date_range.*,
        coalesce(types.canonical_type, 'unknown') as canonical_type,
        advertising.type_value is not null as is_advertising
    from date_range
    left join types
        on split_part(date_range.locale, '-', 1) = types.language
        and lower(trim(date_range.transaction_type)) = lower(types.type_value)
        and types.canonical_type <> 'advertising'
    left join types as advertising
        on split_part(date_range.locale, '-', 1) = advertising.language
        and lower(trim(date_range.description)) = lower(advertising.type_value)
        and advertising.canonical_type = 'advertising'
    qualify dense_rank() over (
        partition by date_range.account_id, date_range.posted_date
        order by date_range.loaded_at desc, date_range.file_hash
    ) = 1
),

date_range_lines as (
    -- an order or refund row splits into its columns; any other row is its total, in the
    -- category its type says
    select
        account_id, 'date_range' as source, posted_date, order_id, sku, transaction_type,
        canonical_type, description, header_currency, source_file, source_line,
        unnest([
            case when canonical_type in ('refund', 'chargeback_refund') then 'refunds'
                else 'product_sales' end,
            'shipping_credits', 'gift_wrap_credits', 'promotional_rebates',
            'promotional_rebates', 'taxes', 'taxes', 'taxes', 'taxes', 'taxes', 'taxes',
            'taxes', 'taxes', 'taxes', 'taxes', 'taxes', 'taxes', 'taxes', 'taxes',
            'other_fees', 'selling_fees', 'fba_fees', 'other_fees', 'other_fees'
        ]) as category,
        unnest([
            product_sales, shipping_credits, gift_wrap_credits, promotional_rebates,
            points_cost, product_sales_tax, shipping_credits_tax, gift_wrap_credits_tax,
            promotional_rebates_tax, marketplace_withheld_tax, sales_tax_collected,
            marketplace_facilitator_tax, regulatory_fee_tax, gst_liable, tcs_cgst, tcs_sgst,
            tcs_igst, tds, regulatory_fee, selling_fees, fba_fees, other_transaction_fees, other
        ]) as amount,
        unnest([quantity]) as quantity
    from date_range_typed
    where canonical_type in ('order', 'refund', 'chargeback_refund')
    union all
    select
        account_id, 'date_range', posted_date, order_id, sku, transaction_type, canonical_type,
        description, header_currency, source_file, source_line,
        case
            when is_advertising then 'advertising'
            when canonical_type = 'fba_inventory_fee' then 'storage_fees'
            when canonical_type in ('service_fee', 'lightning_deal_fee', 'other') then 'other_fees'
            when canonical_type = 'adjustment' then 'reimbursements'
            when canonical_type = 'transfer' then 'transfers'
            when canonical_type in ('order_retrocharge', 'refund_retrocharge') then 'taxes'
            else 'unknown'
        end,
        total,
        null
    from date_range_typed
    where canonical_type not in ('order', 'refund', 'chargeback_refund')
),

settlement_categorised as (
    -- each amount's category: its own (type, description) entry, else the type's or the
    -- description's entry written with "*" (settlement_amounts.yaml)
    select settlement.*, settlement_amounts.category
    from settlement
    left join settlement_amounts
        on settlement_amounts.amount_type in (settlement.amount_type, '*')
        and settlement_amounts.amount_description in (settlement.amount_description, '*')
    qualify row_number() over (
        partition by settlement.file_hash, settlement.source_line
        order by (settlement_amounts.amount_type = '*')::int
            + (settlement_amounts.amount_description = '*')::int nulls last
    ) = 1
),

settlement_lines as (
    select
        settlement.account_id,
        'settlement' as source,
        settlement.posted_date,
        settlement.order_id,
        settlement.sku,
        settlement.transaction_type,
        coalesce(types.canonical_type, 'unknown') as canonical_type,
        settlement.amount_description as description,
        settlement.currency as header_currency,
        settlement.source_file,
        settlement.source_line,
        case
            when settlement.category = 'product_sales'
                and types.canonical_type in ('refund', 'chargeback_refund') then 'refunds'
            else coalesce(settlement.category, 'unknown')
        end as category,
        settlement.amount,
        -- units once per item: on its principal
        case when settlement.category = 'product_sales'
            then settlement.quantity_purchased end as quantity
    from settlement_categorised as settlement
    left join types
        on types.language = 'en'
        and lower(trim(settlement.transaction_type)) = lower(types.type_value)
        and types.canonical_type <> 'advertising'
    -- the summary row (the settlement's total) has no amount of its own
    where settlement.amount_type is not null
),

transaction_view_lines as (
    -- the Transaction view gives a transaction's totals only: Amazon's fees are not split
    select
        account_id, 'transaction_view' as source, transaction_date as posted_date, order_id,
        null as sku, transaction_type, canonical_type, product_details as description,
        header_currency,
        source_file, source_line,
        unnest([
            case when canonical_type in ('refund', 'chargeback_refund') then 'refunds'
                when canonical_type = 'order' then 'product_sales' else 'unknown' end,
            'promotional_rebates', 'other_fees',
            case when canonical_type = 'transfer' then 'transfers'
                when canonical_type in ('order', 'refund') then 'other_fees'
                when canonical_type = 'fba_inventory_fee' then 'storage_fees'
                when canonical_type = 'adjustment' then 'reimbursements'
                else 'other_fees' end
        ]) as category,
        unnest([total_product_charges, total_promotional_rebates, amazon_fees, other]) as amount,
        null::bigint as quantity
    from (
        select transaction_view.*, coalesce(types.canonical_type, 'unknown') as canonical_type
        from transaction_view
        left join types
            on split_part(transaction_view.locale, '-', 1) = types.language
            and lower(trim(transaction_view.transaction_type)) = lower(types.type_value)
            and types.canonical_type <> 'advertising'
    )
),

days as (
    -- one source per account and day: the Date Range Report (it splits every fee), else a
    -- settlement, else the Transaction view
    select account_id, posted_date, min(rank) as rank
    from (
        -- the days from date_range_typed, not from its lines: read once, the lines stream
        -- through instead of being stored (10 M at XL before the zero amounts are left out)
        select account_id, posted_date, 1 as rank from date_range_typed
        union all
        select account_id, posted_date, 2 from settlement_lines
        union all
        select account_id, posted_date, 3 from transaction_view_lines
    )
    group by account_id, posted_date
),

lines as (
    select *, 1 as rank from date_range_lines
    union all
    select *, 2 from settlement_lines
    union all
    select *, 3 from transaction_view_lines
),

final as (
    select
        lines.account_id,
        date_trunc('week', lines.posted_date)::date as week_start,
        lines.posted_date,
        lines.source,
        lines.order_id,
        lines.sku,
        lines.transaction_type,
        lines.canonical_type,
        lines.description,
        lines.category,
        lines.amount,
        -- units sold on a product-sales line, units given back on a refund line
        case when lines.category in ('product_sales', 'refunds') then lines.quantity end
        as quantity,
        coalesce(lines.header_currency, accounts.currency_code) as currency_code,
        lines.source_file,
        lines.source_line
    from lines
    inner join days
        on lines.account_id = days.account_id
        and lines.posted_date = days.posted_date
        and lines.rank = days.rank
    inner join accounts
        on lines.account_id = accounts.account_id
    where lines.amount is not null and lines.amount <> 0
        or lines.category in ('product_sales', 'refunds') and lines.quantity is not null
)

select * from final
