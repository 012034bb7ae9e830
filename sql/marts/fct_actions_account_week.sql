-- Prioritised action list per account × week × rank: what to do first, from health, stock, Buy Box, ads, money-losing ASINs and reviews, with the numbers behind each
with health as (
    select * from marts.fct_health_metric_week
    where in_look_back(week_start, 0)
),

inventory as (
    select * from marts.fct_inventory_asin_week
    where in_look_back(week_start, 0)
),

asins as (
    select account_id, week_start, asin, title from marts.dim_asins
    where in_look_back(week_start, 0)
),

movers as (
    select * from marts.fct_revenue_movers_asin_week
    where in_look_back(week_start, 0)
),

campaigns as (
    select * from marts.fct_ads_campaign_target_week
    where in_look_back(week_start, 0)
),

search_terms as (
    select * from marts.fct_ads_search_term_week
    where in_look_back(week_start, 0)
),

voice as (
    select * from marts.fct_reviews_account_week
    where in_look_back(week_start, 0)
),

margins as (
    select * from marts.fct_margin_asin_week
    where in_look_back(week_start, 0) and asin is not null
),

accounts as (
    select account_id, threshold_low_star_share from marts.dim_accounts
),

stock_risks as (
    select inventory.*, asins.title
    from inventory
    left join asins
        on inventory.account_id = asins.account_id
        and inventory.week_start = asins.week_start
        and inventory.asin = asins.asin
    where inventory.is_stock_out_risk
),

candidates as (
    -- priority 1: an account-health breach can get the account deactivated
    select
        account_id, week_start, 1 as priority, 'health_breach' as kind, metric as subject,
        null as subject_title, rate as value, unit as value_unit, threshold_value as threshold,
        null as currency_code
    from health
    where is_breach
    union all
    -- priority 2: stock that runs out before a new shipment can arrive, best sellers first
    select
        account_id, week_start, 2, 'reorder', asin, title, replenishment_units, 'count',
        lead_time_days, null
    from stock_risks
    where replenishment_units > 0
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
    where over_target_rank <= 3
    union all
    -- priority 3: many new 1–2★ reviews (is_low_star), against the share that calls for it
    select
        voice.account_id, voice.week_start, 3, 'review_complaints', null, null,
        voice.low_star_pct, 'fraction', accounts.threshold_low_star_share, null
    from voice
    inner join accounts
        on voice.account_id = accounts.account_id
    where voice.is_low_star
    union all
    -- priority 3: the ASINs that lose most money after fees, refunds, ads and cost of goods
    select
        margins.account_id, margins.week_start, 3, 'money_losing_asin', margins.asin,
        asins.title, -margins.contribution_margin_amount, 'amount',
        margins.contribution_margin_amount / nullif(margins.settled_sales_amount, 0),
        margins.currency_code
    from margins
    left join asins
        on margins.account_id = asins.account_id
        and margins.week_start = asins.week_start
        and margins.asin = asins.asin
    where margins.contribution_margin_amount < 0
    qualify row_number() over (
        partition by margins.account_id, margins.week_start
        order by margins.contribution_margin_amount, margins.asin
    ) <= 3
    union all
    -- priority 4: search terms to add as negative keywords
    select
        account_id, week_start, 4, 'negate_search_term', search_term, campaign_name,
        spend_amount, 'amount', null, currency_code
    from search_terms
    where without_orders_rank <= 3
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
