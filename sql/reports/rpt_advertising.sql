-- Sponsored Products KPIs per account × week: spend, attributed sales, ACoS, ROAS, TACoS, CPC, CTR, ad conversion and ROI
with ads as (
    select * from marts.fct_ads_account_week
),

final as (
    select
        account_id,
        week_start,
        currency_code,
        attribution_days,
        attribution_windows,
        has_provisional_days,
        has_estimated_days,
        impressions,
        clicks,
        ad_spend_amount,
        ad_sales_amount,
        ad_orders,
        ad_units,
        revenue_amount,
        cost_of_goods_amount,
        target_acos,
        acos,
        roas,
        tacos,
        cpc_amount,
        ctr,
        ad_cvr,
        roi,
        is_over_target
    from ads
)

select * from final
