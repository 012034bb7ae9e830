-- Campaigns over the account's ACoS target per account × week × campaign, worst first (spend with no sales counts as over)
with ads as (
    select * from marts.fct_ads_campaign_week
),

accounts as (
    select account_id, target_acos from raw.accounts
),

campaigns as (
    select
        ads.account_id,
        ads.week_start,
        ads.campaign_name,
        any_value(ads.currency_code) as currency_code,
        max(ads.attribution_days) as attribution_days,
        sum(ads.clicks) as clicks,
        sum(ads.spend_amount) as spend_amount,
        sum(ads.ad_sales_amount) as ad_sales_amount,
        sum(ads.ad_orders) as ad_orders,
        any_value(accounts.target_acos) as target_acos
    from ads
    inner join accounts on ads.account_id = accounts.account_id
    where accounts.target_acos is not null
    group by ads.account_id, ads.week_start, ads.campaign_name
),

final as (
    select
        account_id,
        week_start,
        row_number() over (
            partition by account_id, week_start
            order by spend_amount - ad_sales_amount * target_acos desc, campaign_name
        ) as campaign_rank,
        campaign_name,
        currency_code,
        attribution_days,
        clicks,
        spend_amount,
        ad_sales_amount,
        ad_orders,
        spend_amount / nullif(ad_sales_amount, 0) as acos,
        target_acos,
        -- what was spent beyond the target for the sales it brought
        spend_amount - ad_sales_amount * target_acos as excess_spend_amount
    from campaigns
    where spend_amount > ad_sales_amount * target_acos
)

select * from final
