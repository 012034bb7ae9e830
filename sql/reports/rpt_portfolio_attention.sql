-- Why an account of a portfolio needs attention, per account × week × reason, most pressing first (reason_rank 1): account-health breaches, its best-selling ASIN out of stock, a revenue fall, ads over target, and for vendor accounts stock-outs, Net PPM and Buy Box lost on price; money also in the base currency
with accounts as (
    select * from marts.fct_portfolio_account_week
),

health as (
    select * from marts.fct_health_metric_week
    where is_breach
),

inventory as (
    select * from marts.fct_inventory_asin_week
    where stock_status = 'out_of_stock'
),

stock_outs as (
    -- the out-of-stock ASIN that sells most in a week it is in stock (what its stock-out costs
    -- a week, as the seller's action says), and how many are out
    select
        account_id,
        week_start,
        arg_max(asin, in_stock_weekly_revenue_amount) as asin,
        max(in_stock_weekly_revenue_amount) as weekly_revenue_amount,
        count(*) as asins
    from inventory
    group by account_id, week_start
),

reasons as (
    -- priority 1: a health breach can get the account suspended
    select accounts.account_id, accounts.week_start, 1 as priority, 'health_breach' as kind,
        health.metric as subject, health.unit, health.rate as value,
        health.threshold_value as threshold, health.threshold_condition as condition,
        null::double as amount
    from accounts
    inner join health
        on accounts.account_id = health.account_id and accounts.week_start = health.week_start
    union all
    -- 2: what the best-selling ASIN out of stock sells a week in stock
    select accounts.account_id, accounts.week_start, 2, 'out_of_stock', stock_outs.asin,
        'count', stock_outs.asins, null, null, stock_outs.weekly_revenue_amount
    from accounts
    inner join stock_outs
        on accounts.account_id = stock_outs.account_id
        and accounts.week_start = stock_outs.week_start
    where stock_outs.weekly_revenue_amount > 0
    union all
    -- a vendor's revenue lost to Amazon's stock-outs, from 2 % of its ordered revenue on
    -- (below that it is the usual noise of a large catalogue)
    select account_id, week_start, 2, 'vendor_out_of_stock', null, 'fraction',
        procurable_oos_pct, null, null, oos_revenue_lost_amount
    from accounts
    where oos_revenue_lost_amount >= 0.02 * revenue_amount
    union all
    -- 3: revenue down a fifth or more on last week (the risk score gives it 8 of 20 points)
    select account_id, week_start, 3, 'revenue_fall', null, 'fraction', revenue_wow_pct,
        -0.2, null, revenue_amount - previous_revenue_amount
    from accounts
    where revenue_wow_pct <= -0.2
    union all
    -- 4: ads over the account's targets (accounts.yaml or the marketplace's default)
    select account_id, week_start, 4, 'acos_over_target', null, 'fraction', acos, target_acos,
        null, null
    from accounts
    where acos > target_acos
    union all
    select account_id, week_start, 5, 'tacos_over_target', null, 'fraction', tacos,
        target_tacos, null, null
    from accounts
    where tacos > target_tacos
    union all
    -- a vendor's Net PPM down 2 points or more: the buyer will ask for support
    select account_id, week_start, 4, 'net_ppm_fall', null, 'fraction', net_ppm,
        net_ppm - net_ppm_change_pts, null, null
    from accounts
    where net_ppm_change_pts <= -0.02
    union all
    -- a tenth or more of a vendor's page views lost the Buy Box to a lower price
    select account_id, week_start, 5, 'vendor_buy_box_price', null, 'fraction', lbb_price_pct,
        null, null, null
    from accounts
    where lbb_price_pct >= 0.1
),

final as (
    select
        accounts.portfolio_id,
        reasons.account_id,
        reasons.week_start,
        row_number() over (
            partition by reasons.account_id, reasons.week_start
            order by reasons.priority, abs(reasons.amount) desc nulls last, reasons.subject
        ) as reason_rank,
        reasons.kind,
        reasons.subject,
        reasons.unit,
        reasons.value,
        reasons.threshold,
        -- below, at_least or equals: which side of the threshold is a breach (health only)
        reasons.condition,
        reasons.amount,
        accounts.currency_code,
        reasons.amount * accounts.fx_rate_to_base as amount_base,
        accounts.base_currency
    from reasons
    inner join accounts
        on reasons.account_id = accounts.account_id
        and reasons.week_start = accounts.week_start
)

select * from final
