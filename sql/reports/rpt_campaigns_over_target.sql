-- Campaigns over the account's ACoS target per account × week × campaign, worst first (spend with no sales counts as over)
with campaigns as (
    select * from marts.fct_ads_campaign_target_week
),

final as (
    select
        account_id,
        week_start,
        over_target_rank as campaign_rank,
        campaign_name,
        currency_code,
        attribution_days,
        clicks,
        spend_amount,
        ad_sales_amount,
        ad_orders,
        acos,
        target_acos,
        excess_spend_amount
    from campaigns
    where is_over_target
)

select * from final
