-- Sponsored Products KPIs per account × week: spend, attributed sales, ACoS, ROAS, TACoS, CPC, CTR, ad conversion and ROI, and whether ACoS is over the account's target
with ads as (
    select * from marts.fct_ads_campaign_week
),

sales as (
    select * from marts.fct_sales_account_week
),

business_report as (
    select * from staging.stg_business_reports__child_items
),

unit_costs as (
    select * from marts.dim_unit_costs
),

fx_rates as (
    select * from marts.fct_fx_rates_week
),

accounts as (
    select account_id, target_acos from marts.dim_accounts
),

weekly_ads as (
    select
        account_id,
        week_start,
        any_value(currency_code) as currency_code,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(spend_amount) as ad_spend_amount,
        sum(ad_sales_amount) as ad_sales_amount,
        sum(ad_orders) as ad_orders,
        -- unknown unless known for every campaign (a campaign report has no units)
        case when count(ad_units) = count(*) then sum(ad_units) end as ad_units,
        -- the window of every campaign's ad sales (7 days for sellers); NULL when campaigns
        -- come from reports with different windows: the totals then mix them, and say so
        case when min(attribution_days) = max(attribution_days)
            then min(attribution_days) end as attribution_days,
        list(distinct attribution_days order by attribution_days) as attribution_windows,
        sum(provisional_days) > 0 as has_provisional_days,
        sum(estimated_days) > 0 as has_estimated_days
    from ads
    group by account_id, week_start
),

costed_skus as (
    -- cost of the units sold, in the account's currency at the week's rate
    select
        business_report.account_id,
        business_report.week_start,
        business_report.units,
        business_report.units * unit_costs.unit_cost_amount * fx_rates.rate as cost_amount
    from business_report
    -- the cost that applies on the week's Sunday
    left join unit_costs
        on business_report.account_id = unit_costs.account_id
        and business_report.sku = unit_costs.sku
        and business_report.week_start + 6 between unit_costs.valid_from and unit_costs.valid_to
    left join fx_rates
        on business_report.week_start = fx_rates.week_start
        and unit_costs.currency_code = fx_rates.from_currency
        and business_report.currency_code = fx_rates.to_currency
),

weekly_costs as (
    -- known only when every SKU that sold has a cost
    select
        account_id,
        week_start,
        case when count(*) filter (where units > 0 and cost_amount is null) = 0
            then sum(cost_amount) end as cost_of_goods_amount
    from costed_skus
    group by account_id, week_start
),

final as (
    select
        weekly_ads.account_id,
        weekly_ads.week_start,
        weekly_ads.currency_code,
        weekly_ads.attribution_days,
        weekly_ads.attribution_windows,
        weekly_ads.has_provisional_days,
        weekly_ads.has_estimated_days,
        weekly_ads.impressions,
        weekly_ads.clicks,
        weekly_ads.ad_spend_amount,
        weekly_ads.ad_sales_amount,
        weekly_ads.ad_orders,
        weekly_ads.ad_units,
        sales.revenue_amount,
        weekly_costs.cost_of_goods_amount,
        accounts.target_acos,
        weekly_ads.ad_spend_amount / nullif(weekly_ads.ad_sales_amount, 0) as acos,
        weekly_ads.ad_sales_amount / nullif(weekly_ads.ad_spend_amount, 0) as roas,
        weekly_ads.ad_spend_amount / nullif(sales.revenue_amount, 0) as tacos,
        weekly_ads.ad_spend_amount / nullif(weekly_ads.clicks, 0) as cpc_amount,
        weekly_ads.clicks / nullif(weekly_ads.impressions, 0) as ctr,
        weekly_ads.ad_orders / nullif(weekly_ads.clicks, 0) as ad_cvr,
        (sales.revenue_amount - weekly_costs.cost_of_goods_amount - weekly_ads.ad_spend_amount)
        / nullif(weekly_costs.cost_of_goods_amount + weekly_ads.ad_spend_amount, 0) as roi,
        -- over target: spent more than the target share of the ad sales it brought (spend
        -- without any ad sales is over too); never over without a target
        coalesce(
            weekly_ads.ad_spend_amount > weekly_ads.ad_sales_amount * accounts.target_acos, false
        ) as is_over_target
    from weekly_ads
    inner join accounts
        on weekly_ads.account_id = accounts.account_id
    left join sales
        on weekly_ads.account_id = sales.account_id
        and weekly_ads.week_start = sales.week_start
    left join weekly_costs
        on weekly_ads.account_id = weekly_costs.account_id
        and weekly_ads.week_start = weekly_costs.week_start
)

select * from final
