-- Sales and traffic per account × child ASIN × week (traffic once per ASIN, sales summed over its SKUs; ASINs missing from a week's report zero-filled)
with business_report as (
    select * from staging.stg_business_reports__child_items
    -- zero-fill looks back 13 weeks
    where in_look_back(week_start, 13)
),

asin_rows as (
    -- one row per (parent, child) ASIN: a report with a SKU column repeats the ASIN's traffic
    -- (sessions, page views, Buy Box %) on each of its SKU rows, so it is taken once, while
    -- units, sales and order items are per SKU and summed. max() because the repeated values
    -- are equal (checked on every multi-SKU ASIN of real UK reports); a child listed under two
    -- parents has two rows, whose traffic is distinct
    select
        account_id,
        week_start,
        parent_asin,
        child_asin,
        arg_max(title, units) as title,
        max(sessions) as sessions,
        max(page_views) as page_views,
        max(buy_box_pct) as buy_box_pct,
        sum(units) as units,
        sum(order_items) as order_items,
        sum(revenue_amount) as revenue_amount,
        any_value(currency_code) as currency_code
    from business_report
    group by account_id, week_start, parent_asin, child_asin
),

reported as (
    select
        account_id,
        week_start,
        child_asin,
        arg_max(parent_asin, sessions) as parent_asin,
        arg_max(title, sessions) as title,
        sum(sessions) as sessions,
        sum(page_views) as page_views,
        -- Buy Box % per (parent, child) row; weighted by page views to combine parents
        sum(buy_box_pct * page_views) / nullif(sum(page_views), 0) as buy_box_pct,
        sum(units) as units,
        sum(order_items) as order_items,
        sum(revenue_amount) as revenue_amount,
        any_value(currency_code) as currency_code
    from asin_rows
    group by account_id, week_start, child_asin
),

report_weeks as (
    select distinct account_id, week_start from reported
),

asin_runs as (
    -- each week an ASIN was reported, and the next week it was reported again (keys only:
    -- titles are joined back below for the few ASINs that go missing)
    select
        account_id,
        child_asin,
        week_start as seen_week,
        coalesce(
            lead(week_start) over (partition by account_id, child_asin order by week_start),
            date '9999-12-27'
        ) as next_seen_week
    from reported
),

gaps as (
    -- weeks after a report without the ASIN, up to 13 of them
    select
        *,
        least(13, (next_seen_week - seen_week) // 7 - 1) as weeks_absent
    from asin_runs
    where next_seen_week > seen_week + 7
),

missing as (
    -- an ASIN reported in any of the 13 weeks before, absent from this week's report: it sold
    -- nothing (Amazon leaves rows without traffic out), so it gets a row of zeros; its title
    -- is the one it was last reported with. Only weeks that have a report count.
    select
        absent.account_id,
        absent.child_asin,
        last_seen.parent_asin,
        last_seen.title,
        last_seen.currency_code,
        absent.week_start
    from (
        select
            account_id,
            child_asin,
            seen_week,
            seen_week + (7 * unnest(range(1, weeks_absent + 1)))::integer as week_start
        from gaps
    ) as absent
    inner join report_weeks
        on absent.account_id = report_weeks.account_id
        and absent.week_start = report_weeks.week_start
    inner join reported as last_seen
        on absent.account_id = last_seen.account_id
        and absent.child_asin = last_seen.child_asin
        and absent.seen_week = last_seen.week_start
),

zero_filled as (
    select
        missing.account_id,
        missing.week_start,
        missing.child_asin,
        missing.parent_asin,
        missing.title,
        0 as sessions,
        0 as page_views,
        null as buy_box_pct,
        0 as units,
        0 as order_items,
        0 as revenue_amount,
        missing.currency_code
    from missing
),

final as (
    select *, false as is_zero_filled from reported
    union all by name
    select *, true as is_zero_filled from zero_filled
)

select * from final
