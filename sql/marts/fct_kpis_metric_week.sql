-- KPIs in long format per account × week × metric (the public table reports.rpt_account_kpis), with each metric's unusual-change baseline
-- each source over this week and the 13 before it, for the baseline
with sales as (
    select * from marts.fct_sales_account_week
    where in_look_back(week_start, 13)
),

bridge as (
    select * from marts.fct_revenue_bridge_account_week
    where in_look_back(week_start, 13)
),

advertising as (
    select * from marts.fct_ads_account_week
    where in_look_back(week_start, 13)
),

inventory as (
    select * from marts.fct_inventory_account_week
    where in_look_back(week_start, 13)
),

voice as (
    select * from marts.fct_reviews_account_week
    where in_look_back(week_start, 13)
),

health as (
    select * from marts.fct_health_metric_week
    where in_look_back(week_start, 13)
),

risk as (
    select * from marts.fct_risk_account_week
    where in_look_back(week_start, 13)
),

vendor as (
    select * from marts.fct_vendor_account_week
    where in_look_back(week_start, 13)
),

margin as (
    select * from marts.fct_margin_account_week
    where in_look_back(week_start, 13)
),

margin_bridge as (
    select * from marts.fct_margin_bridge_account_week
    where in_look_back(week_start, 13)
),

accounts as (
    select account_id, currency_code, threshold_flag_min_reviews, threshold_flag_min_sessions
    from marts.dim_accounts
),

-- the volume behind a week's shares: new reviews for review shares, sessions for conversion
volume as (
    select
        coalesce(sales.account_id, voice.account_id) as account_id,
        coalesce(sales.week_start, voice.week_start) as week_start,
        sales.sessions,
        voice.new_reviews
    from sales
    full join voice
        on sales.account_id = voice.account_id
        and sales.week_start = voice.week_start
),

glossary as (
    select metric, unit from raw.metrics
),

metric_values as (
    -- metric names as in the glossary (sql/glossary/*.yaml); ratios are fractions. Two lists
    -- unnested side by side give one row per metric, NULLs (zero denominators) included.
    select
        account_id,
        week_start,
        unnest([
            'revenue', 'units', 'sessions', 'page_views', 'order_items', 'unit_session_pct',
            'order_item_session_pct', 'buy_box_pct', 'asp'
        ]) as metric,
        unnest([
            revenue_amount, units, sessions, page_views, order_items, unit_session_pct,
            order_item_session_pct, buy_box_pct, asp_amount
        ]::double[]) as value
    from sales
    union all
    select
        account_id,
        week_start,
        unnest(['revenue_wow_pct', 'revenue_4w_pct', 'revenue_yoy_pct']),
        unnest([revenue_wow_pct, revenue_4w_pct, revenue_yoy_pct])
    from sales
    union all
    select
        account_id,
        week_start,
        unnest(['traffic_effect', 'conversion_effect', 'price_effect']),
        unnest([traffic_effect_amount, conversion_effect_amount, price_effect_amount]::double[])
    from bridge
    union all
    select
        account_id,
        week_start,
        unnest(['ad_spend', 'ad_sales', 'acos', 'roas', 'tacos', 'cpc', 'ctr', 'ad_cvr', 'roi']),
        unnest([
            ad_spend_amount, ad_sales_amount, acos, roas, tacos, cpc_amount, ctr, ad_cvr,
            -- ROI on the contribution margin where the payment exports give one
            coalesce(margin_roi, roi)
        ]::double[])
    from advertising
    left join (select account_id, week_start, margin_roi from margin) as margin_roi
        using (account_id, week_start)
    union all
    select
        account_id,
        week_start,
        unnest([
            'weeks_of_cover', 'out_of_stock_asins', 'replenishment_units', 'aged_90_plus_units',
            'revenue_at_risk_pct'
        ]),
        unnest([
            weeks_of_cover, out_of_stock_asins, replenishment_units, aged_90_plus_units,
            revenue_at_risk_pct
        ]::double[])
    from inventory
    union all
    select
        account_id,
        week_start,
        unnest([
            'avg_rating', 'avg_rating_change', 'new_reviews', 'new_review_rating', 'low_star_pct'
        ]),
        unnest([
            avg_rating, avg_rating_change, new_reviews, new_review_rating, low_star_pct
        ]::double[])
    from voice
    union all
    select account_id, week_start, metric, rate from health
    union all
    select account_id, week_start, 'risk_score', risk_score from risk
    union all
    -- what the seller kept, from the payment exports (sql/glossary/margin.yaml)
    select
        account_id,
        week_start,
        unnest([
            'settled_sales', 'refund_amount', 'amazon_fees', 'cogs', 'net_proceeds',
            'contribution_margin', 'margin_pct', 'fees_pct', 'refund_rate', 'ad_cost_share',
            'profit_per_unit'
        ]),
        unnest([
            settled_sales_amount, refund_amount, amazon_fees_amount, cogs_amount,
            net_proceeds_amount, contribution_margin_amount, margin_pct, fees_pct, refund_rate,
            ad_cost_share, profit_per_unit_amount
        ]::double[])
    from margin
    union all
    select
        account_id,
        week_start,
        unnest([
            'margin_volume_effect', 'margin_price_effect', 'margin_fee_rate_effect',
            'margin_refunds_effect', 'margin_advertising_effect', 'margin_cogs_effect'
        ]),
        unnest([
            volume_effect_amount, price_effect_amount, fee_rate_effect_amount,
            refunds_effect_amount, advertising_effect_amount, cogs_effect_amount
        ]::double[])
    from margin_bridge
    union all
    -- vendor (1P) accounts: their own measures (sql/glossary/vendor.yaml)
    select
        account_id,
        week_start,
        unnest([
            'ordered_revenue', 'ordered_units', 'shipped_revenue', 'shipped_cogs',
            'shipped_units', 'customer_returns', 'customer_returns_rate', 'vendor_asp',
            'net_ppm', 'net_ppm_change_pts', 'net_ppm_yoy_pts', 'vendor_asp_yoy_pct',
            'vendor_revenue_wow_pct', 'vendor_revenue_yoy_pct', 'featured_offer_page_views',
            'vendor_conversion', 'procurable_oos_pct', 'oos_revenue_lost', 'lbb_price_pct',
            'lbb_revenue_at_stake', 'sellable_on_hand_units', 'vendor_weeks_of_cover',
            'open_po_units', 'po_shortfall_units', 'vendor_aged_90_plus_units',
            'vendor_sell_through_pct', 'vendor_margin', 'vendor_margin_pct', 'risk_score'
        ]),
        unnest([
            ordered_revenue_amount, ordered_units, shipped_revenue_amount, shipped_cogs_amount,
            shipped_units, customer_returns, customer_returns_rate, asp_amount,
            net_ppm, net_ppm_change_pts, net_ppm_yoy_pts, asp_yoy_pct,
            revenue_wow_pct, revenue_yoy_pct, page_views,
            conversion, procurable_oos_pct, oos_revenue_lost_amount, lbb_price_pct,
            lbb_revenue_at_stake_amount, sellable_on_hand_units, weeks_of_cover,
            open_po_units, po_shortfall_units, aged_90_plus_units,
            sell_through_pct, vendor_margin_amount, vendor_margin_pct, risk_score
        ]::double[])
    from vendor
),

history as (
    -- the same metric over the 13 weeks before, for the baseline
    select
        current_week.account_id,
        current_week.week_start,
        current_week.metric,
        median(past.value) as baseline_median,
        count(past.value) as baseline_weeks
    from metric_values as current_week
    inner join metric_values as past
        on current_week.account_id = past.account_id
        and current_week.metric = past.metric
        and past.week_start between current_week.week_start - interval 91 day
        and current_week.week_start - interval 7 day
    group by all
),

spread as (
    select
        history.account_id,
        history.week_start,
        history.metric,
        history.baseline_median,
        history.baseline_weeks,
        -- MAD scaled by 1.4826 estimates the standard deviation of normal noise
        1.4826 * median(abs(past.value - history.baseline_median)) as baseline_mad
    from history
    inner join metric_values as past
        on history.account_id = past.account_id
        and history.metric = past.metric
        and past.week_start between history.week_start - interval 91 day
        and history.week_start - interval 7 day
    group by all
),

final as (
    select
        metric_values.account_id,
        metric_values.week_start,
        metric_values.metric,
        metric_values.value,
        glossary.unit,
        case when glossary.unit = 'amount' then accounts.currency_code end as currency_code,
        -- a baseline needs 8 of the last 13 weeks; k = 3
        case when spread.baseline_weeks >= 8
            then spread.baseline_median - 3 * spread.baseline_mad end as baseline_low,
        case when spread.baseline_weeks >= 8
            then spread.baseline_median + 3 * spread.baseline_mad end as baseline_high,
        case
            when spread.baseline_weeks < 8 or spread.baseline_weeks is null then null
            -- a baseline without spread would flag every change, however small
            when spread.baseline_mad = 0 then null
            -- a share of a handful of reviews or sessions is not evidence (configured minimums)
            when metric_values.metric in ('low_star_pct', 'new_review_rating')
                and coalesce(volume.new_reviews, 0) < accounts.threshold_flag_min_reviews
                then null
            when metric_values.metric in ('unit_session_pct', 'order_item_session_pct')
                and coalesce(volume.sessions, 0) < accounts.threshold_flag_min_sessions
                then null
            when metric_values.value > spread.baseline_median + 3 * spread.baseline_mad
                then 'unusually_high'
            when metric_values.value < spread.baseline_median - 3 * spread.baseline_mad
                then 'unusually_low'
        end as flag
    from metric_values
    inner join accounts
        on metric_values.account_id = accounts.account_id
    -- a metric missing from the glossary keeps a NULL unit, which a test and a check catch
    left join glossary on metric_values.metric = glossary.metric
    left join spread
        on metric_values.account_id = spread.account_id
        and metric_values.week_start = spread.week_start
        and metric_values.metric = spread.metric
    left join volume
        on metric_values.account_id = volume.account_id
        and metric_values.week_start = volume.week_start
)

select * from final
