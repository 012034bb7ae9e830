-- Risk score per account × week (0–100) with its five components beside it: health, stock, sales, ads, reviews
with growth as (
    select * from marts.fct_sales_account_week
    where in_look_back(week_start, 0)
),

advertising as (
    select * from marts.fct_ads_account_week
    where in_look_back(week_start, 0)
),

inventory as (
    select * from marts.fct_inventory_account_week
    where in_look_back(week_start, 0)
),

voice as (
    select * from marts.fct_reviews_account_week
    where in_look_back(week_start, 0)
),

health as (
    select * from marts.fct_health_metric_week
    where in_look_back(week_start, 0)
),

accounts as (
    select account_id, threshold_high_risk_score from marts.dim_accounts
),

breaches as (
    select
        account_id,
        week_start,
        count(*) filter (where is_breach) as health_breaches,
        string_agg(metric, ', ' order by metric) filter (where is_breach) as breached_metrics
    from health
    group by account_id, week_start
),

components as (
    select
        growth.account_id,
        growth.week_start,
        coalesce(breaches.health_breaches, 0) as health_breaches,
        breaches.breached_metrics,
        inventory.revenue_at_risk_pct,
        growth.revenue_wow_pct,
        advertising.acos,
        advertising.target_acos,
        voice.low_star_pct,
        -- any account-health breach can get the account suspended: 30 points
        case when breaches.health_breaches > 0 then 30 else 0 end as health_points,
        -- share of the last 4 weeks' revenue from ASINs out of stock or to reorder now: ≤ 20
        20 * coalesce(inventory.revenue_at_risk_pct, 0) as stock_points,
        -- revenue falling week on week: a 50 % fall or worse gives all 20
        20 * least(1, greatest(0, -coalesce(growth.revenue_wow_pct, 0)) / 0.5) as sales_points,
        -- ACoS over target: 15 at twice the target or more, or spend without any ad sales
        case
            when advertising.target_acos is null or advertising.ad_spend_amount = 0 then 0
            when advertising.ad_sales_amount = 0 then 15
            else 15 * least(1, greatest(0, advertising.acos / advertising.target_acos - 1))
        end as ads_points,
        -- the week's new reviews with 1–2 stars: ≤ 15
        15 * coalesce(voice.low_star_pct, 0) as reviews_points
    from growth
    left join breaches
        on growth.account_id = breaches.account_id and growth.week_start = breaches.week_start
    left join inventory
        on growth.account_id = inventory.account_id and growth.week_start = inventory.week_start
    left join advertising
        on growth.account_id = advertising.account_id
        and growth.week_start = advertising.week_start
    left join voice
        on growth.account_id = voice.account_id and growth.week_start = voice.week_start
),

scored as (
    select
        *,
        round(health_points + stock_points + sales_points + ads_points + reviews_points, 1)
        as risk_score
    from components
),

final as (
    select
        scored.*,
        -- from this score on the boss pack counts the account as at high risk (marketplaces.yaml)
        coalesce(scored.risk_score >= accounts.threshold_high_risk_score, false) as is_high_risk
    from scored
    left join accounts
        on scored.account_id = accounts.account_id
)

select * from final
