-- A seller account's action list per account × week × rank, in order of the money at stake per week (an account-health breach always first), with the figures behind each amount; only the actions worth printing (the account's minimum amount, at most its maximum count)
with accounts as (
    select
        account_id,
        account_kind,
        threshold_action_max_count,
        threshold_action_min_amount,
        threshold_negate_min_spend
    from marts.dim_accounts
),

sales as (
    select account_id, week_start, currency_code, revenue_amount from marts.fct_sales_account_week
    where in_look_back(week_start, 0)
),

health as (
    select * from marts.fct_health_metric_week
    where in_look_back(week_start, 0) and is_breach
),

inventory as (
    select * from marts.fct_inventory_asin_week
    where in_look_back(week_start, 0)
),

bridge as (
    select * from marts.fct_revenue_bridge_asin_week
    where in_look_back(week_start, 0)
),

asins as (
    -- the seller's own products (every ASIN its business reports or FBA inventory showed),
    -- with their latest title
    select account_id, asin, title from marts.dim_asins
),

campaigns as (
    select * from marts.fct_ads_campaign_target_week
    where in_look_back(week_start, 0) and is_over_target
),

search_terms as (
    select * from marts.fct_ads_search_term_week
    where in_look_back(week_start, 0) and is_without_orders
),

margins as (
    select * from marts.fct_margin_asin_week
    where in_look_back(week_start, 0) and asin is not null and contribution_margin_amount < 0
),

health_breaches as (
    -- a breach can get the account deactivated: all of its weekly revenue is at stake
    select
        health.account_id,
        health.week_start,
        'health_breach' as kind,
        health.metric as subject,
        sales.revenue_amount as amount_at_stake,
        sales.currency_code,
        health.rate as metric_value,
        health.threshold_value as metric_threshold,
        health.unit as metric_unit
    from health
    left join sales
        on health.account_id = sales.account_id
        and health.week_start = sales.week_start
),

stock as (
    -- sales per in-stock week over the last 4 weeks; the days a week of waiting costs: all 7
    -- while out of stock, else the days the stock (available + inbound) runs out before a
    -- shipment sent next week would arrive (lead time + 7 days), at most 7
    select
        inventory.*,
        inventory.in_stock_weekly_revenue_amount as weekly_revenue_amount,
        case
            when inventory.available_units = 0 then 7
            else least(7, greatest(0, inventory.lead_time_days + 7 - inventory.days_of_supply))
        end as days_lost
    from inventory
    where inventory.is_stock_out_risk
),

stock_outs as (
    select
        account_id,
        week_start,
        case when available_units = 0 then 'out_of_stock' else 'reorder' end as kind,
        asin as subject,
        product_name as subject_title,
        round(weekly_revenue_amount * days_lost / 7, 2) as amount_at_stake,
        currency_code,
        weekly_revenue_amount,
        days_lost,
        available_units,
        inbound_units,
        inbound_working_units,
        inbound_shipped_units,
        inbound_receiving_units,
        replenishment_units as units_to_send,
        days_of_supply,
        lead_time_days
    from stock
),

buy_box_losses as (
    -- the Buy Box share lost (at least 10 points, as the movers' driver) × this week's
    -- sessions × last week's sales per session that had the Buy Box; an ASIN out of stock
    -- loses its Buy Box for want of stock (the stock action covers it)
    select
        bridge.account_id,
        bridge.week_start,
        'buy_box_lost' as kind,
        bridge.child_asin as subject,
        asins.title as subject_title,
        round(
            bridge.sessions * (bridge.previous_buy_box_pct - bridge.buy_box_pct)
            * bridge.previous_revenue_amount
            / nullif(bridge.previous_sessions * bridge.previous_buy_box_pct, 0),
            2
        ) as amount_at_stake,
        bridge.currency_code,
        bridge.sessions,
        bridge.buy_box_pct,
        bridge.previous_buy_box_pct,
        bridge.previous_revenue_amount
        / nullif(bridge.previous_sessions * bridge.previous_buy_box_pct, 0)
        as revenue_per_session_amount
    from bridge
    inner join accounts
        on bridge.account_id = accounts.account_id
    left join inventory
        on bridge.account_id = inventory.account_id
        and bridge.week_start = inventory.week_start
        and bridge.child_asin = inventory.asin
    left join asins
        on bridge.account_id = asins.account_id
        and bridge.child_asin = asins.asin
    where accounts.account_kind = 'seller'
        and bridge.previous_buy_box_pct - bridge.buy_box_pct >= 0.1
        and coalesce(inventory.stock_status, '') <> 'out_of_stock'
),

campaigns_over_target as (
    -- the spend beyond the ACoS target for the sales it brought
    select
        account_id,
        week_start,
        'campaign_over_target' as kind,
        campaign_name as subject,
        round(excess_spend_amount, 2) as amount_at_stake,
        currency_code,
        spend_amount,
        ad_sales_amount,
        acos,
        target_acos
    from campaigns
),

money_losing_asins as (
    -- the contribution margin lost after fees, refunds, ads and cost of goods
    select
        margins.account_id,
        margins.week_start,
        'money_losing_asin' as kind,
        margins.asin as subject,
        asins.title as subject_title,
        -margins.contribution_margin_amount as amount_at_stake,
        margins.currency_code,
        margins.settled_sales_amount as sales_amount,
        margins.contribution_margin_amount / nullif(margins.settled_sales_amount, 0) as margin_pct
    from margins
    left join asins
        on margins.account_id = asins.account_id
        and margins.asin = asins.asin
),

own_asins as (
    select distinct account_id, asin from asins
),

terms as (
    -- a search term that is an ASIN is a product page: negated as a product target; one of the
    -- seller's own is a targeting question
    select
        search_terms.*,
        own_asins.asin is not null as is_own_asin
    from search_terms
    left join own_asins
        on search_terms.account_id = own_asins.account_id
        and search_terms.search_term = own_asins.asin
),

search_terms_to_negate as (
    -- this week's spend without an order, what the term costs every week it stays
    select
        terms.account_id,
        terms.week_start,
        case
            when terms.is_own_asin then 'own_asin_search_term'
            when terms.is_asin_term then 'negate_product_target'
            else 'negate_search_term'
        end as kind,
        terms.search_term as subject,
        terms.spend_amount as amount_at_stake,
        terms.currency_code,
        terms.campaign_name,
        terms.spend_amount,
        terms.clicks
    from terms
    inner join accounts
        on terms.account_id = accounts.account_id
    where terms.spend_amount >= accounts.threshold_negate_min_spend
),

candidates as (
    select * from health_breaches
    union all by name
    select * from stock_outs
    union all by name
    select * from buy_box_losses
    union all by name
    select * from campaigns_over_target
    union all by name
    select * from money_losing_asins
    union all by name
    select * from search_terms_to_negate
),

worth_it as (
    -- a breach always; anything else must be worth the account's minimum a week
    select
        candidates.*,
        row_number() over (
            partition by candidates.account_id, candidates.week_start
            order by
                candidates.kind = 'health_breach' desc,
                candidates.amount_at_stake desc nulls last,
                candidates.kind,
                candidates.subject
        ) as action_rank,
        accounts.threshold_action_max_count
    from candidates
    inner join accounts
        on candidates.account_id = accounts.account_id
    where candidates.kind = 'health_breach'
        or candidates.amount_at_stake >= accounts.threshold_action_min_amount
),

final as (
    select
        account_id,
        week_start,
        action_rank,
        kind,
        subject,
        subject_title,
        amount_at_stake::decimal(18, 2) as amount_at_stake,
        currency_code,
        -- the figures behind the amount, per kind
        metric_value,
        metric_threshold,
        metric_unit,
        weekly_revenue_amount::decimal(18, 2) as weekly_revenue_amount,
        days_lost,
        available_units,
        inbound_units,
        inbound_working_units,
        inbound_shipped_units,
        inbound_receiving_units,
        units_to_send,
        days_of_supply,
        lead_time_days,
        sessions,
        buy_box_pct,
        previous_buy_box_pct,
        revenue_per_session_amount,
        spend_amount,
        ad_sales_amount,
        acos,
        target_acos,
        sales_amount,
        margin_pct,
        campaign_name,
        clicks
    from worth_it
    where action_rank <= threshold_action_max_count
)

select * from final
