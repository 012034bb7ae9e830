-- Sponsored Products per account × week × campaign × attribution window; each day of a campaign comes from its most complete report (campaign > advertised product > search term)
with campaigns as (
    select * from staging.stg_sp__campaigns
),

advertised_products as (
    select * from staging.stg_sp__advertised_products
),

search_terms as (
    select * from staging.stg_sp__search_terms
),

daily as (
    select
        account_id, report_date, week_start, campaign_name, attribution_days, currency_code,
        1 as source_rank, 'campaign' as source_report, is_provisional, is_estimated,
        impressions, clicks, spend_amount, ad_sales_amount, ad_orders, ad_units
    from campaigns
    union all
    select
        account_id, report_date, week_start, campaign_name, attribution_days, currency_code,
        2, 'advertised_product', bool_or(is_provisional), bool_or(is_estimated),
        sum(impressions), sum(clicks), sum(spend_amount), sum(ad_sales_amount), sum(ad_orders),
        sum(ad_units)
    from advertised_products
    group by account_id, report_date, week_start, campaign_name, attribution_days, currency_code
    union all
    select
        account_id, report_date, week_start, campaign_name, attribution_days, currency_code,
        3, 'search_term', bool_or(is_provisional), bool_or(is_estimated),
        sum(impressions), sum(clicks), sum(spend_amount), sum(ad_sales_amount), sum(ad_orders),
        sum(ad_units)
    from search_terms
    group by account_id, report_date, week_start, campaign_name, attribution_days, currency_code
),

best as (
    -- a day reported with both a 7- and a 14-day window counts once, with the 7-day one
    select *
    from daily
    qualify row_number() over (
        partition by account_id, week_start, report_date, campaign_name
        order by source_rank, attribution_days
    ) = 1
),

-- a campaign report has no units column: a day's units come from the most complete report
-- that has them (advertised product, else search term) in the same window, or stay unknown
units as (
    select
        account_id,
        week_start,
        report_date,
        campaign_name,
        attribution_days,
        arg_min(ad_units, source_rank) filter (where ad_units is not null) as ad_units
    from daily
    group by account_id, week_start, report_date, campaign_name, attribution_days
),

best_with_units as (
    select best.* replace (units.ad_units as ad_units)
    from best
    left join units
        on best.account_id = units.account_id
        and best.week_start = units.week_start
        and best.report_date = units.report_date
        and best.campaign_name = units.campaign_name
        and best.attribution_days = units.attribution_days
),

final as (
    select
        account_id,
        week_start,
        campaign_name,
        attribution_days,
        any_value(currency_code) as currency_code,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(spend_amount) as spend_amount,
        sum(ad_sales_amount) as ad_sales_amount,
        sum(ad_orders) as ad_orders,
        -- unknown for the week unless every day's units are known
        case when count(ad_units) = count(*) then sum(ad_units) end as ad_units,
        count(distinct report_date) as days_reported,
        count(distinct report_date) filter (where is_provisional) as provisional_days,
        -- days spread from a summary row whose span leaves the week: an estimate
        count(distinct report_date) filter (where is_estimated) as estimated_days,
        -- the least complete report any day of the week came from
        arg_max(source_report, source_rank) as source_report
    from best_with_units
    group by account_id, week_start, campaign_name, attribution_days
)

select * from final
