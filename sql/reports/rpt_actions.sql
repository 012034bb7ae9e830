-- Prioritised action list per account × week: what to do first, from health, stock, Buy Box, ads and reviews
with health as (
    select * from reports.rpt_account_health
),

inventory as (
    select * from reports.rpt_inventory
),

movers as (
    select * from reports.rpt_top_movers
),

campaigns as (
    select * from reports.rpt_campaigns_over_target
),

search_terms as (
    select * from reports.rpt_search_terms_without_orders
),

voice as (
    select * from reports.rpt_customer_voice
),

candidates as (
    -- priority 1: an account-health breach can get the account deactivated
    select
        account_id, week_start, 1 as priority, 'health_breach' as kind, metric as subject,
        null as subject_title, rate as value, unit as value_unit, threshold_value as threshold,
        null as currency_code
    from health
    where status = 'breach'
    union all
    -- priority 2: stock that runs out before a new shipment can arrive, best sellers first
    select
        account_id, week_start, 2, 'reorder', asin, title, replenishment_units, 'count',
        lead_time_days, null
    from inventory
    where stock_status in ('out_of_stock', 'reorder_now') and replenishment_units > 0
    qualify row_number() over (
        partition by account_id, week_start order by revenue_4w_amount desc, asin
    ) <= 3
    union all
    -- priority 2: a big seller that lost the Buy Box
    select
        account_id, week_start, 2, 'buy_box_lost', child_asin, title, buy_box_pct, 'fraction',
        previous_buy_box_pct, null
    from movers
    where driver = 'buy_box'
    union all
    -- priority 3: the campaigns that overspend most against the ACoS target
    select
        account_id, week_start, 3, 'campaign_over_target', campaign_name, null,
        excess_spend_amount, 'amount', target_acos, currency_code
    from campaigns
    where campaign_rank <= 3
    union all
    -- priority 3: many new 1–2★ reviews (a quarter or more of at least 4 new reviews)
    select
        account_id, week_start, 3, 'review_complaints', null, null, low_star_pct, 'fraction',
        0.25, null
    from voice
    where new_reviews >= 4 and low_star_pct >= 0.25
    union all
    -- priority 4: search terms to add as negative keywords
    select
        account_id, week_start, 4, 'negate_search_term', search_term, campaign_name,
        spend_amount, 'amount', null, currency_code
    from search_terms
    where search_term_rank <= 3
),

final as (
    select
        account_id,
        week_start,
        row_number() over (
            partition by account_id, week_start
            order by priority, kind, abs(value) desc nulls last, subject
        ) as action_rank,
        priority,
        kind,
        subject,
        subject_title,
        value,
        value_unit,
        threshold,
        currency_code
    from candidates
)

select * from final
