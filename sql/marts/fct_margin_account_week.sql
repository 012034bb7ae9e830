-- Contribution margin per account × week from the payment exports: settled sales, refunds, Amazon's fees, advertising (the ads reports' spend where there are any, else the billed amount), cost of goods, net proceeds, the margin and its ratios, last week's, and whether it is partial
with asins as (
    select * from marts.fct_margin_asin_week
    where in_look_back(week_start, 1)
),

advertising as (
    select account_id, week_start, ad_spend_amount from marts.fct_ads_account_week
    where in_look_back(week_start, 1)
),

totals as (
    select
        account_id,
        week_start,
        any_value(currency_code) as currency_code,
        sum(settled_sales_amount) as settled_sales_amount,
        sum(ordered_units) as ordered_units,
        sum(refund_amount) as refund_amount,
        sum(refunded_units) as refunded_units,
        sum(shipping_credits_amount) as shipping_credits_amount,
        sum(gift_wrap_credits_amount) as gift_wrap_credits_amount,
        sum(promotional_rebates_amount) as promotional_rebates_amount,
        sum(selling_fees_amount) as selling_fees_amount,
        sum(fba_fees_amount) as fba_fees_amount,
        sum(storage_fees_amount) as storage_fees_amount,
        sum(other_fees_amount) as other_fees_amount,
        sum(amazon_fees_amount) as amazon_fees_amount,
        sum(advertising_billed_amount) as advertising_billed_amount,
        sum(reimbursements_amount) as reimbursements_amount,
        sum(taxes_amount) as taxes_amount,
        sum(unknown_amount) as unknown_amount,
        sum(unknown_lines) as unknown_lines,
        sum(net_proceeds_amount) as net_proceeds_amount,
        sum(cogs_amount) as cogs_amount,
        sum(units_without_cost) as units_without_cost,
        count(*) filter (where is_partial) as asins_without_cost,
        count(*) filter (where asin is not null and contribution_margin_amount < 0)
        as money_losing_asins
    from asins
    group by account_id, week_start
),

margins as (
    select
        totals.*,
        -- advertising once: the ads reports' spend where the account has them (the billed
        -- Cost of Advertising then only reconciles with it), else the billed amount
        coalesce(advertising.ad_spend_amount, totals.advertising_billed_amount)
        as advertising_amount,
        advertising.ad_spend_amount is not null as advertising_from_ads_reports
    from totals
    left join advertising
        on totals.account_id = advertising.account_id
        and totals.week_start = advertising.week_start
),

measured as (
    select
        *,
        settled_sales_amount + shipping_credits_amount + gift_wrap_credits_amount
        + promotional_rebates_amount - refund_amount - amazon_fees_amount - advertising_amount
        - cogs_amount as contribution_margin_amount
    from margins
),

final as (
    select
        this_week.*,
        this_week.contribution_margin_amount / nullif(this_week.settled_sales_amount, 0)
        as margin_pct,
        this_week.amazon_fees_amount / nullif(this_week.settled_sales_amount, 0) as fees_pct,
        this_week.refund_amount / nullif(this_week.settled_sales_amount, 0) as refund_rate,
        this_week.advertising_amount / nullif(this_week.settled_sales_amount, 0)
        as ad_cost_share,
        this_week.contribution_margin_amount / nullif(this_week.ordered_units, 0)
        as profit_per_unit_amount,
        -- ROI on the margin: what the goods and the ads earned over what they cost; unknown
        -- while a SKU that sold has no cost (its cost of goods would be missing)
        case when this_week.units_without_cost = 0 then this_week.contribution_margin_amount
            / nullif(this_week.cogs_amount + this_week.advertising_amount, 0) end as margin_roi,
        this_week.units_without_cost > 0 as is_partial,
        previous.contribution_margin_amount as previous_contribution_margin_amount,
        previous.settled_sales_amount as previous_settled_sales_amount,
        previous.advertising_amount as previous_advertising_amount,
        previous.contribution_margin_amount / nullif(previous.settled_sales_amount, 0)
        as previous_margin_pct
    from measured as this_week
    left join measured as previous
        on this_week.account_id = previous.account_id
        and previous.week_start = this_week.week_start - 7
)

select * from final
