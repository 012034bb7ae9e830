-- What a seller kept per account × ASIN × week: settled sales, refunds, credits, rebates, Amazon's fees by kind, advertising, cost of goods and the contribution margin, from the payment exports (a NULL ASIN holds the account's charges no SKU carries: storage, service fees, billed advertising, transfers)
with lines as (
    select * from marts.fct_payment_lines_week
    where in_look_back(week_start, 0)
),

skus as (
    -- each SKU's ASIN as the latest business report or FBA snapshot of the last 13 weeks names
    -- it (payment exports name SKUs only)
    select account_id, sku, arg_max(asin, week_start) as asin
    from (
        select account_id, week_start, sku, child_asin as asin
        from staging.stg_business_reports__child_items
        where in_look_back(week_start, 13) and sku is not null
        union all
        select account_id, week_start, sku, asin from staging.stg_inventory__fba_snapshots
        where in_look_back(week_start, 13) and asin is not null
    )
    group by account_id, sku
),

unit_costs as (
    select * from marts.dim_unit_costs
),

fx_rates as (
    select * from marts.fct_fx_rates_week
    where in_look_back(week_start, 0)
),

ads as (
    -- the advertised ASINs' spend from the ads reports (the billed advertising is account-wide)
    select account_id, week_start, advertised_asin as asin, sum(spend_amount) as ad_spend_amount
    from staging.stg_sp__advertised_products
    where in_look_back(week_start, 0)
    group by all
),

accounts as (
    select account_id, currency_code from marts.dim_accounts
),

costed as (
    -- cost of goods per line: the unit cost valid on the day it was posted, in the account's
    -- currency at the week's rate; units sold cost it, units refunded are back in stock
    select
        lines.*,
        skus.asin,
        unit_costs.unit_cost_amount * fx_rates.rate as unit_cost_amount,
        case lines.category
            when 'product_sales' then lines.quantity
            when 'refunds' then -lines.quantity
        end * unit_costs.unit_cost_amount * fx_rates.rate as cogs_amount
    from lines
    left join skus
        on lines.account_id = skus.account_id
        and lines.sku = skus.sku
    left join unit_costs
        on lines.account_id = unit_costs.account_id
        and lines.sku = unit_costs.sku
        and lines.posted_date between unit_costs.valid_from and unit_costs.valid_to
    left join fx_rates
        on lines.week_start = fx_rates.week_start
        and unit_costs.currency_code = fx_rates.from_currency
        and lines.currency_code = fx_rates.to_currency
),

per_asin as (
    select
        account_id,
        week_start,
        -- a SKU no report maps to an ASIN keeps its own name
        case when sku is not null then coalesce(asin, sku) end as asin,
        any_value(currency_code) as currency_code,
        sum(amount) filter (where category = 'product_sales') as settled_sales_amount,
        sum(quantity) filter (where category = 'product_sales') as ordered_units,
        -sum(amount) filter (where category = 'refunds') as refund_amount,
        sum(quantity) filter (where category = 'refunds') as refunded_units,
        sum(amount) filter (where category = 'shipping_credits') as shipping_credits_amount,
        sum(amount) filter (where category = 'gift_wrap_credits') as gift_wrap_credits_amount,
        sum(amount) filter (where category = 'promotional_rebates')
        as promotional_rebates_amount,
        -sum(amount) filter (where category = 'selling_fees') as selling_fees_amount,
        -sum(amount) filter (where category = 'fba_fees') as fba_fees_amount,
        -sum(amount) filter (where category = 'storage_fees') as storage_fees_amount,
        -sum(amount) filter (where category = 'other_fees') as other_fees_amount,
        -sum(amount) filter (where category = 'advertising') as advertising_billed_amount,
        sum(amount) filter (where category = 'reimbursements') as reimbursements_amount,
        sum(amount) filter (where category = 'taxes') as taxes_amount,
        sum(amount) filter (where category = 'transfers') as transfers_amount,
        sum(amount) filter (where category = 'unknown') as unknown_amount,
        count(*) filter (where category = 'unknown') as unknown_lines,
        -- what Amazon pays out for these lines (a transfer is the payout itself)
        sum(amount) filter (where category <> 'transfers') as net_proceeds_amount,
        sum(cogs_amount) as cogs_amount,
        coalesce(sum(quantity) filter (
            where category in ('product_sales', 'refunds') and unit_cost_amount is null
        ), 0) as units_without_cost
    from costed
    group by all
),

totals as (
    select
        per_asin.account_id,
        per_asin.week_start,
        per_asin.asin,
        coalesce(per_asin.currency_code, accounts.currency_code) as currency_code,
        coalesce(per_asin.settled_sales_amount, 0) as settled_sales_amount,
        coalesce(per_asin.ordered_units, 0) as ordered_units,
        coalesce(per_asin.refund_amount, 0) as refund_amount,
        coalesce(per_asin.refunded_units, 0) as refunded_units,
        coalesce(per_asin.shipping_credits_amount, 0) as shipping_credits_amount,
        coalesce(per_asin.gift_wrap_credits_amount, 0) as gift_wrap_credits_amount,
        coalesce(per_asin.promotional_rebates_amount, 0) as promotional_rebates_amount,
        coalesce(per_asin.selling_fees_amount, 0) as selling_fees_amount,
        coalesce(per_asin.fba_fees_amount, 0) as fba_fees_amount,
        coalesce(per_asin.storage_fees_amount, 0) as storage_fees_amount,
        coalesce(per_asin.other_fees_amount, 0) as other_fees_amount,
        -- every Amazon charge but advertising and taxes, net of fees returned on refunds
        coalesce(per_asin.selling_fees_amount, 0) + coalesce(per_asin.fba_fees_amount, 0)
        + coalesce(per_asin.storage_fees_amount, 0) + coalesce(per_asin.other_fees_amount, 0)
        as amazon_fees_amount,
        coalesce(per_asin.advertising_billed_amount, 0) as advertising_billed_amount,
        -- an ASIN's advertising: its spend in the ads reports (billed advertising is account-wide)
        coalesce(ads.ad_spend_amount, 0) as advertising_amount,
        coalesce(per_asin.reimbursements_amount, 0) as reimbursements_amount,
        coalesce(per_asin.taxes_amount, 0) as taxes_amount,
        coalesce(per_asin.transfers_amount, 0) as transfers_amount,
        coalesce(per_asin.unknown_amount, 0) as unknown_amount,
        per_asin.unknown_lines,
        coalesce(per_asin.net_proceeds_amount, 0) as net_proceeds_amount,
        coalesce(per_asin.cogs_amount, 0) as cogs_amount,
        per_asin.units_without_cost
    from per_asin
    inner join accounts
        on per_asin.account_id = accounts.account_id
    left join ads
        on per_asin.account_id = ads.account_id
        and per_asin.week_start = ads.week_start
        and per_asin.asin = ads.asin
),

final as (
    select
        *,
        settled_sales_amount + shipping_credits_amount + gift_wrap_credits_amount
        + promotional_rebates_amount - refund_amount - amazon_fees_amount - advertising_amount
        - cogs_amount as contribution_margin_amount,
        -- cost of goods unknown for some units sold: the margin is partial
        units_without_cost > 0 as is_partial
    from totals
)

select * from final
