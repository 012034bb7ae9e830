-- Week-on-week change in contribution margin per account × ASIN × week, split into volume, price, fee rate, refunds, advertising and cost-of-goods effects that add up to it exactly
with asins as (
    select * from marts.fct_margin_asin_week
    where in_look_back(week_start, 1) and asin is not null
),

account_weeks as (
    select distinct account_id, week_start from asins
),

keys as (
    -- this week's ASINs and last week's (an ASIN that sold nothing this week loses its margin),
    -- for the weeks the account has payments for
    select asin_weeks.*
    from (
        select account_id, week_start, asin from asins
        union
        select account_id, week_start + 7, asin from asins
    ) as asin_weeks
    inner join account_weeks
        on asin_weeks.account_id = account_weeks.account_id
        and asin_weeks.week_start = account_weeks.week_start
),

paired as (
    select
        keys.account_id,
        keys.week_start,
        keys.asin,
        coalesce(this_week.currency_code, previous.currency_code) as currency_code,
        coalesce(this_week.ordered_units, 0) as units,
        coalesce(this_week.settled_sales_amount, 0) as sales,
        coalesce(this_week.refund_amount, 0) as refunds,
        coalesce(this_week.amazon_fees_amount, 0) as fees,
        coalesce(this_week.advertising_amount, 0) as advertising,
        coalesce(this_week.cogs_amount, 0) as cogs,
        coalesce(
            this_week.shipping_credits_amount + this_week.gift_wrap_credits_amount
            + this_week.promotional_rebates_amount, 0
        ) as credits,
        coalesce(this_week.contribution_margin_amount, 0) as margin,
        coalesce(previous.ordered_units, 0) as previous_units,
        coalesce(previous.settled_sales_amount, 0) as previous_sales,
        coalesce(previous.refund_amount, 0) as previous_refunds,
        coalesce(previous.amazon_fees_amount, 0) as previous_fees,
        coalesce(previous.advertising_amount, 0) as previous_advertising,
        coalesce(previous.cogs_amount, 0) as previous_cogs,
        coalesce(
            previous.shipping_credits_amount + previous.gift_wrap_credits_amount
            + previous.promotional_rebates_amount, 0
        ) as previous_credits,
        coalesce(previous.contribution_margin_amount, 0) as previous_margin
    from keys
    left join asins as this_week
        on keys.account_id = this_week.account_id
        and keys.week_start = this_week.week_start
        and keys.asin = this_week.asin
    left join asins as previous
        on keys.account_id = previous.account_id
        and previous.week_start = keys.week_start - 7
        and keys.asin = previous.asin
),

rates as (
    -- last week's price, rates per unit of sales and cost per unit (NULL without last week's
    -- sales: then the change is volume, and refunds)
    select
        *,
        previous_sales / nullif(previous_units, 0) as previous_price,
        previous_fees / nullif(previous_sales, 0) as fee_rate,
        previous_refunds / nullif(previous_sales, 0) as refund_rate,
        previous_advertising / nullif(previous_sales, 0) as ad_rate,
        previous_credits / nullif(previous_sales, 0) as credit_rate,
        previous_cogs / nullif(previous_units, 0) as unit_cost,
        previous_margin / nullif(previous_units, 0) as unit_margin
    from paired
),

effects as (
    select
        *,
        margin - previous_margin as margin_change_amount,
        previous_price is not null and fee_rate is not null as comparable
    from rates
),

unrounded as (
    select
        *,
        -- units sold more or less, at last week's margin per unit
        case when comparable then (units - previous_units) * unit_margin
            else margin_change_amount + (refunds - previous_refunds) end as volume,
        -- the price per unit moved (net of what scales with sales), and credits and rebates
        -- beyond last week's share of sales
        case when comparable then
            (sales - previous_price * units) * (1 - fee_rate - refund_rate - ad_rate + credit_rate)
            + (credits - credit_rate * sales) else 0 end as price,
        -- fees, refunds and advertising beyond last week's share of sales
        case when comparable then -(fees - fee_rate * sales) else 0 end as fee_rate_change,
        case when comparable then -(refunds - refund_rate * sales)
            else -(refunds - previous_refunds) end as refund_change,
        case when comparable then -(advertising - ad_rate * sales) else 0 end as ad_change
    from effects
),

final as (
    select
        account_id,
        week_start,
        asin,
        currency_code,
        previous_margin as previous_contribution_margin_amount,
        margin as contribution_margin_amount,
        margin_change_amount,
        round(volume, 2) as volume_effect_amount,
        round(price, 2) as price_effect_amount,
        round(fee_rate_change, 2) as fee_rate_effect_amount,
        round(refund_change, 2) as refunds_effect_amount,
        round(ad_change, 2) as advertising_effect_amount,
        -- cost of goods beyond last week's cost per unit: what the others leave, so the
        -- effects add up to the change to the cent
        round(
            margin_change_amount - round(volume, 2) - round(price, 2)
            - round(fee_rate_change, 2) - round(refund_change, 2) - round(ad_change, 2), 2
        ) as cogs_effect_amount
    from unrounded
)

select * from final
