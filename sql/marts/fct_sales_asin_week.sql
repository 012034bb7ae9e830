-- Sales and traffic per account × child ASIN × week (traffic once per ASIN, sales summed over its SKUs; ASINs missing from a week's report zero-filled); titles and parent ASINs are in marts.dim_asins
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

gap_starts as (
    -- the weeks an ASIN was reported and not the week after: the only ones a gap can follow
    -- (an anti-join on next week's key, cheaper than ordering every ASIN's weeks in a window)
    select reported.account_id, reported.child_asin, reported.week_start, reported.currency_code
    from reported
    anti join reported as next_week
        on reported.account_id = next_week.account_id
        and reported.child_asin = next_week.child_asin
        and next_week.week_start = reported.week_start + 7
),

missing as (
    -- an ASIN reported in any of the 13 weeks before, absent from this week's report: it sold
    -- nothing (Amazon leaves rows without traffic out), so it gets a row of zeros. The last
    -- week it was reported is a gap start 1 to 13 weeks before; only weeks that have a report
    -- count, and two gap starts may reach the same week (distinct)
    select distinct absent.account_id, absent.child_asin, absent.week_start, absent.currency_code
    from (
        select
            account_id,
            child_asin,
            week_start + (7 * unnest(range(1, 14)))::integer as week_start,
            currency_code
        from gap_starts
    ) as absent
    semi join report_weeks
        on absent.account_id = report_weeks.account_id
        and absent.week_start = report_weeks.week_start
    anti join reported
        on absent.account_id = reported.account_id
        and absent.child_asin = reported.child_asin
        and absent.week_start = reported.week_start
),

zero_filled as (
    select
        account_id,
        week_start,
        child_asin,
        0 as sessions,
        0 as page_views,
        null as buy_box_pct,
        0 as units,
        0 as order_items,
        0 as revenue_amount,
        currency_code
    from missing
),

final as (
    select *, false as is_zero_filled from reported
    union all by name
    select *, true as is_zero_filled from zero_filled
)

select * from final
