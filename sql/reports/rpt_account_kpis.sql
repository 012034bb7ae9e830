-- Public KPI table, long format: one row per account × week × metric, with its unusual-change baseline
with headline as (
    select * from reports.rpt_headline_kpis
),

metric_values as (
    -- metric names as in the glossary (sql/glossary/*.yaml); ratios are fractions
    unpivot (
        select
            account_id,
            week_start,
            currency_code,
            revenue_amount::double as revenue,
            units::double as units,
            sessions::double as sessions,
            page_views::double as page_views,
            order_items::double as order_items,
            unit_session_pct,
            order_item_session_pct,
            buy_box_pct,
            asp_amount::double as asp
        from headline
    )
    on revenue, units, sessions, page_views, order_items, unit_session_pct,
        order_item_session_pct, buy_box_pct, asp
    into name metric value value
),

units as (
    select * from (values
        ('revenue', 'amount'), ('units', 'count'), ('sessions', 'count'),
        ('page_views', 'count'), ('order_items', 'count'), ('unit_session_pct', 'fraction'),
        ('order_item_session_pct', 'fraction'), ('buy_box_pct', 'fraction'), ('asp', 'amount')
    ) as u (metric, unit)
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
        units.unit,
        case when units.unit = 'amount' then metric_values.currency_code end as currency_code,
        -- a baseline needs 8 of the last 13 weeks; k = 3
        case when spread.baseline_weeks >= 8
            then spread.baseline_median - 3 * spread.baseline_mad end as baseline_low,
        case when spread.baseline_weeks >= 8
            then spread.baseline_median + 3 * spread.baseline_mad end as baseline_high,
        case
            when spread.baseline_weeks < 8 or spread.baseline_weeks is null then null
            when metric_values.value > spread.baseline_median + 3 * spread.baseline_mad
                then 'unusually_high'
            when metric_values.value < spread.baseline_median - 3 * spread.baseline_mad
                then 'unusually_low'
        end as flag
    from metric_values
    inner join units on metric_values.metric = units.metric
    left join spread
        on metric_values.account_id = spread.account_id
        and metric_values.week_start = spread.week_start
        and metric_values.metric = spread.metric
)

select * from final
