-- Accounts as configured, one row per account × week with data: name, marketplace, currency, language, portfolio and its base currency, lead time, targets and the marketplace's thresholds
with accounts as (
    select * from raw.accounts
),

portfolios as (
    select * from raw.portfolios
),

marketplaces as (
    select * from raw.marketplaces
),

-- a row per week and not per account alone: marts and reports are rebuilt one week at a time,
-- so each week's rows carry the configuration that week was built with (an edited target or a
-- new account shows up in the next weekly run, and earlier weeks keep what they were judged by)
business_report as (
    select week_start from staging.stg_business_reports__child_items
    where in_look_back(week_start, 0)
),

business_days as (
    select week_start from staging.stg_business_reports__days
    where in_look_back(week_start, 0)
),

campaigns as (
    select week_start from staging.stg_sp__campaigns
    where in_look_back(week_start, 0)
),

advertised_products as (
    select week_start from staging.stg_sp__advertised_products
    where in_look_back(week_start, 0)
),

search_terms as (
    select week_start from staging.stg_sp__search_terms
    where in_look_back(week_start, 0)
),

fba_snapshots as (
    select week_start from staging.stg_inventory__fba_snapshots
    where in_look_back(week_start, 0)
),

planning_snapshots as (
    select week_start from staging.stg_inventory__planning_snapshots
    where in_look_back(week_start, 0)
),

reviews as (
    select week_start from staging.stg_reviews__customer_reviews
    where in_look_back(week_start, 0)
),

account_health as (
    select week_start from staging.stg_account_health__metrics
    where in_look_back(week_start, 0)
),

-- every week any export has data for, of any account: facts join on account × week
weeks as (
    select week_start from business_report
    union
    select week_start from business_days
    union
    select week_start from campaigns
    union
    select week_start from advertised_products
    union
    select week_start from search_terms
    union
    select week_start from fba_snapshots
    union
    select week_start from planning_snapshots
    union
    select week_start from reviews
    union
    select week_start from account_health
),

final as (
    select
        accounts.account_id,
        weeks.week_start,
        accounts.account_name,
        accounts.marketplace,
        accounts.currency_code,
        accounts.language,
        marketplaces.locale,
        marketplaces.timezone,
        accounts.portfolio_id,
        portfolios.portfolio_name,
        portfolios.base_currency,
        accounts.lead_time_days,
        accounts.target_acos,
        accounts.target_tacos,
        accounts.target_revenue,
        marketplaces.threshold_odr,
        marketplaces.threshold_late_shipment_rate,
        marketplaces.threshold_cancel_rate,
        marketplaces.threshold_valid_tracking_rate,
        marketplaces.threshold_on_time_delivery_rate,
        marketplaces.threshold_low_star_share,
        marketplaces.threshold_low_star_min_reviews,
        marketplaces.threshold_high_risk_score,
        marketplaces.threshold_overstock_days,
        marketplaces.threshold_provisional_days
    from accounts
    cross join weeks
    left join portfolios on accounts.portfolio_id = portfolios.portfolio_id
    left join marketplaces on accounts.marketplace = marketplaces.marketplace
)

select * from final
